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

protocol::Diagnostic toDiagnostic(const engine::FindingDiagnostic& d, const UriFor& uriFor) {
  protocol::Diagnostic out;
  out.range = toProtocol(d.range);
  out.severity = toDiagnosticSeverity(d.severity);
  if (!d.ruleId.empty()) out.code = d.ruleId;
  if (!d.helpUri.empty()) out.codeDescription = protocol::CodeDescription{d.helpUri};
  if (!d.source.empty()) out.source = d.source;
  out.message = d.message.empty() ? d.ruleId : d.message;
  out.data = protocol::DiagnosticData{d.findingId};
  if (!d.related.empty()) {
    out.relatedInformation.emplace();
    for (const auto& r : d.related)
      out.relatedInformation->push_back({protocol::Location{uriFor(r.path, r.inWorkspace), toProtocol(r.range)}, r.message});
  }
  return out;
}

}  // namespace aspm::lsp
