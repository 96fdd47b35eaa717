// Engine findings as LSP diagnostics, following contracts.md: code = rule id, source = the
// tool(s), codeDescription = the rule's help link, data.findingId = the finding's id,
// relatedInformation = code-flow steps and other places.
#include "lsp/convert.h"

namespace aspm::lsp {

protocol::DiagnosticSeverity toDiagnosticSeverity(model::Severity severity) {
  switch (severity) {
    case model::Severity::Critical:
    case model::Severity::High: return protocol::DiagnosticSeverity::Error;
    case model::Severity::Medium: return protocol::DiagnosticSeverity::Warning;
    case model::Severity::Low: return protocol::DiagnosticSeverity::Information;
    case model::Severity::Info: return protocol::DiagnosticSeverity::Hint;
  }
  return protocol::DiagnosticSeverity::Warning;
}

protocol::Diagnostic toDiagnostic(engine::FindingDiagnostic d, const UriFor& uriFor) {
  protocol::Diagnostic out;
  out.range = toProtocol(d.range);
  out.severity = toDiagnosticSeverity(d.severity);
  out.message = d.message.empty() ? d.ruleId : std::move(d.message);
  if (!d.ruleId.empty()) out.code = std::move(d.ruleId);
  if (!d.helpUri.empty()) out.codeDescription = protocol::CodeDescription{std::move(d.helpUri)};
  if (!d.source.empty()) out.source = std::move(d.source);
  out.data = protocol::DiagnosticData{std::move(d.findingId)};
  if (!d.related.empty()) {
    out.relatedInformation.emplace();
    out.relatedInformation->reserve(d.related.size());
    for (auto& r : d.related)
      out.relatedInformation->push_back(
          {protocol::Location{uriFor(r.path, r.inWorkspace), toProtocol(r.range)}, std::move(r.message)});
  }
  return out;
}

}  // namespace aspm::lsp
