// Adapts syntax::enclosingStatements to correlate's StatementProvider.
#include "engine/statements.h"

#include "syntax/statement.h"

namespace aspm::engine {

correlate::StatementProvider statementProvider() {
  return [](const std::string& relPath, const std::string& content, std::span<const correlate::SourcePoint> points) {
    std::vector<syntax::ReportedPoint> in;
    in.reserve(points.size());
    for (const auto& p : points) in.push_back({p.line, p.column});
    std::vector<std::optional<correlate::StatementSpan>> out;
    out.reserve(points.size());
    for (const auto& s : syntax::enclosingStatements(relPath, content, in))
      out.push_back(s ? std::optional<correlate::StatementSpan>(correlate::StatementSpan{s->startByte, s->endByte}) : std::nullopt);
    return out;
  };
}

}  // namespace aspm::engine
