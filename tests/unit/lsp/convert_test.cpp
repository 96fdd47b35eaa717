// The wire shape of a finding: contracts.md's mapping of severity, code, source, help link,
// finding id and related information.
#include <gtest/gtest.h>

#include "lsp/convert.h"
#include "protocol/codec.h"

namespace aspm::lsp {
namespace {

TEST(Convert, SeverityMapping) {
  using S = model::Severity;
  using D = protocol::DiagnosticSeverity;
  EXPECT_EQ(toDiagnosticSeverity(S::Critical), D::Error);
  EXPECT_EQ(toDiagnosticSeverity(S::High), D::Error);
  EXPECT_EQ(toDiagnosticSeverity(S::Medium), D::Warning);
  EXPECT_EQ(toDiagnosticSeverity(S::Low), D::Information);
  EXPECT_EQ(toDiagnosticSeverity(S::Info), D::Hint);
}

TEST(Convert, DiagnosticCarriesTheContractFields) {
  engine::FindingDiagnostic d;
  d.range = {{12, 4}, {12, 9}};
  d.severity = model::Severity::High;
  d.ruleId = "js/sql-injection";
  d.source = "CodeQL+Semgrep OSS";
  d.helpUri = "https://codeql.github.com/codeql-query-help/javascript/js-sql-injection/";
  d.message = "This query depends on a user-provided value.";
  d.findingId = "0123456789abcdef";
  d.related.push_back({"src/db.js", true, {{3, 0}, {3, 0}}, "step 1: source"});
  d.related.push_back({"/usr/lib/node/x.js", false, {{9, 1}, {9, 2}}, "defined here"});
  const auto out = toDiagnostic(d, [](const std::string& p, bool inside) {
    return inside ? "file:///ws/" + p : "file://" + p;
  });
  EXPECT_EQ(protocol::encode(out).serialize(),
            R"({"range":{"start":{"line":12,"character":4},"end":{"line":12,"character":9}},"severity":1,)"
            R"("code":"js/sql-injection","codeDescription":{"href":"https://codeql.github.com/codeql-query-help/javascript/js-sql-injection/"},)"
            R"("source":"CodeQL+Semgrep OSS","message":"This query depends on a user-provided value.",)"
            R"("relatedInformation":[{"location":{"uri":"file:///ws/src/db.js","range":{"start":{"line":3,"character":0},"end":{"line":3,"character":0}}},"message":"step 1: source"},)"
            R"({"location":{"uri":"file:///usr/lib/node/x.js","range":{"start":{"line":9,"character":1},"end":{"line":9,"character":2}}},"message":"defined here"}],)"
            R"("data":{"findingId":"0123456789abcdef"}})");
}

TEST(Convert, OptionalFieldsAreLeftOutWhenEmpty) {
  engine::FindingDiagnostic d;
  d.ruleId = "R";
  d.findingId = "f";
  const auto out = toDiagnostic(d, [](const std::string& p, bool) { return p; });
  EXPECT_FALSE(out.codeDescription);
  EXPECT_FALSE(out.source);
  EXPECT_FALSE(out.relatedInformation);
  EXPECT_EQ(out.message, "R");
}

}  // namespace
}  // namespace aspm::lsp
