// Fingerprints, severity, kind and risk of the first correlation pass.
#include <gtest/gtest.h>

#include "correlate/correlate.h"

namespace aspm::correlate {
namespace {

model::ScanSet oneResult(const std::string& tool, const std::string& ruleId, const std::string& uri, std::uint32_t line) {
  model::ScanSet s;
  model::Run run;
  run.tool.name = tool;
  model::Rule rule;
  rule.id = ruleId;
  run.rules.push_back(rule);
  s.runs.push_back(run);
  model::Result r;
  r.run = 0;
  r.rule = 0;
  r.ruleId = ruleId;
  r.message = "something at line " + std::to_string(line);
  model::Location loc;
  loc.uri = uri;
  loc.resolved = true;
  loc.region.startLine = line;
  r.locations.push_back(loc);
  s.results.push_back(r);
  return s;
}

TEST(ToolFamily, IgnoresEditionsAndVersions) {
  EXPECT_EQ(toolFamily("Semgrep OSS"), "semgrep");
  EXPECT_EQ(toolFamily("CodeQL"), "codeql");
  EXPECT_EQ(toolFamily("ESLint"), "eslint");
  EXPECT_EQ(toolFamily("Snyk Open Source"), "snyk");
  EXPECT_EQ(toolFamily("My Tool 2.0"), "my");
}

TEST(Severity, FromScoreUsesCvssBands) {
  EXPECT_EQ(severityFromScore(9.8), model::Severity::Critical);
  EXPECT_EQ(severityFromScore(7.0), model::Severity::High);
  EXPECT_EQ(severityFromScore(6.9), model::Severity::Medium);
  EXPECT_EQ(severityFromScore(0.1), model::Severity::Low);
  EXPECT_EQ(severityFromScore(0.0), model::Severity::Info);
}

TEST(Severity, ResultOverridesRuleOverridesLevel) {
  auto s = oneResult("CodeQL", "js/sql-injection", "a.js", 3);
  s.results[0].level = model::Level::Note;
  EXPECT_EQ(severityOf(s.runs[0], s.results[0]), model::Severity::Low);
  s.runs[0].rules[0].securitySeverity = 8.8;
  EXPECT_EQ(severityOf(s.runs[0], s.results[0]), model::Severity::High);
  s.results[0].securitySeverity = 9.5;
  EXPECT_EQ(severityOf(s.runs[0], s.results[0]), model::Severity::Critical);
}

TEST(Kind, InferredFromToolAndRule) {
  auto s = oneResult("Trivy", "CVE-2023-1234", "go.mod", 1);
  EXPECT_EQ(inferKind(s.runs[0], &s.runs[0].rules[0], s.results[0]), model::FindingKind::Sca);
  s = oneResult("Trivy", "AVD-AWS-0086", "main.tf", 1);
  EXPECT_EQ(inferKind(s.runs[0], &s.runs[0].rules[0], s.results[0]), model::FindingKind::Iac);
  s = oneResult("gitleaks", "aws-access-token", ".env", 1);
  EXPECT_EQ(inferKind(s.runs[0], &s.runs[0].rules[0], s.results[0]), model::FindingKind::Secret);
  s = oneResult("checkov", "CKV_AWS_20", "s3.tf", 1);
  EXPECT_EQ(inferKind(s.runs[0], &s.runs[0].rules[0], s.results[0]), model::FindingKind::Iac);
  s = oneResult("Flawfinder", "FF1001", "a.c", 1);
  EXPECT_EQ(inferKind(s.runs[0], &s.runs[0].rules[0], s.results[0]), model::FindingKind::Sast);
}

TEST(Fingerprint, IgnoresLineNumbersAndWhitespace) {
  const std::string before = "int main() {\n  strcpy(buf, argv[1]);\n}\n";
  const std::string after = "// header\n\nint main() {\n    strcpy( buf,  argv[1] );\n}\n";
  auto a = oneResult("Flawfinder", "FF1001", "src/a.c", 2);
  auto b = oneResult("Flawfinder", "FF1001", "src/a.c", 4);
  EXPECT_EQ(fingerprintOf(a, a.results[0], &before), fingerprintOf(b, b.results[0], &after));
}

TEST(Fingerprint, DiffersByRuleToolPathAndCode) {
  const std::string text = "x\nstrcpy(buf, s);\n";
  const std::string other = "x\nmemcpy(buf, s, n);\n";
  auto base = oneResult("Flawfinder", "FF1001", "src/a.c", 2);
  const std::string fp = fingerprintOf(base, base.results[0], &text);
  auto rule = oneResult("Flawfinder", "FF1002", "src/a.c", 2);
  auto tool = oneResult("cppcheck", "FF1001", "src/a.c", 2);
  auto path = oneResult("Flawfinder", "FF1001", "src/b.c", 2);
  EXPECT_NE(fp, fingerprintOf(rule, rule.results[0], &text));
  EXPECT_NE(fp, fingerprintOf(tool, tool.results[0], &text));
  EXPECT_NE(fp, fingerprintOf(path, path.results[0], &text));
  EXPECT_NE(fp, fingerprintOf(base, base.results[0], &other));
}

TEST(Correlate, PlacesFindingsAndMarksMissingFilesGone) {
  auto s = oneResult("Semgrep", "r1", "present.py", 1);
  auto gone = oneResult("Semgrep", "r1", "deleted.py", 1);
  s.results.push_back(gone.results[0]);
  auto content = std::make_shared<const std::string>("print(1)\n");
  const auto findings = correlate(s, [&](const std::string& p) -> std::shared_ptr<const std::string> {
    return p == "present.py" ? content : nullptr;
  });
  ASSERT_EQ(findings.size(), 2u);
  int open = 0, goneCount = 0;
  for (const auto& f : findings) {
    if (f.state == model::FindingState::Open) {
      ++open;
      ASSERT_TRUE(f.location);
      EXPECT_EQ(f.location->uri, "present.py");
    }
    if (f.state == model::FindingState::Gone) {
      ++goneCount;
      EXPECT_FALSE(f.location);
    }
  }
  EXPECT_EQ(open, 1);
  EXPECT_EQ(goneCount, 1);
}

TEST(Correlate, IdenticalFingerprintsGetDistinctIds) {
  auto s = oneResult("Semgrep", "r1", "a.py", 1);
  s.results.push_back(s.results[0]);
  auto content = std::make_shared<const std::string>("x = 1\n");
  const auto findings = correlate(s, [&](const std::string&) { return content; });
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_NE(findings[0].id, findings[1].id);
}

TEST(Correlate, SuppressedResultsAreMarked) {
  auto s = oneResult("CodeQL", "js/xss", "a.js", 1);
  s.results[0].suppressions.push_back({"inSource", "", "reviewed"});
  auto content = std::make_shared<const std::string>("x\n");
  const auto findings = correlate(s, [&](const std::string&) { return content; });
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].state, model::FindingState::Suppressed);
}

}  // namespace
}  // namespace aspm::correlate
