// Policy files: reading (with line-numbered errors for bad input), rule matching, exceptions and
// triage with expiry, and the exit code per mode. Also the project config reader.
#include <gtest/gtest.h>

#include "policy/config.h"
#include "policy/policy.h"

namespace aspm::policy {
namespace {

model::ScanSet scans(std::size_t n) {
  model::ScanSet s;
  model::Run run;
  run.tool.name = "Semgrep OSS";
  s.runs.push_back(run);
  for (std::size_t i = 0; i < n; ++i) {
    model::Result r;
    r.ruleId = "rule" + std::to_string(i);
    model::Location loc;
    loc.uri = i == 0 ? "src/api/handler.py" : "tests/test_x.py";
    loc.resolved = true;
    loc.region.startLine = 3;
    r.locations.push_back(loc);
    s.results.push_back(r);
  }
  return s;
}

model::Finding finding(std::uint32_t result, model::Severity sev, const std::string& bucket, int score) {
  model::Finding f;
  f.id = "f" + std::to_string(result);
  f.results = {result};
  f.kind = model::FindingKind::Sast;
  f.severity = sev;
  f.risk.bucket = bucket;
  f.risk.score = score;
  f.cwes = {"CWE-78"};
  f.risk.explanation.push_back({"kev", "not listed", 0, "", ""});
  f.risk.explanation.push_back({"reachability", "unknown", 1, "", ""});
  return f;
}

const char* const kPolicy = R"(version: 1
mode: enforce
rules:
  - id: no-high-in-src
    action: block
    when:
      kind: sast
      severity: high
      paths: ["src/**"]
  - id: warn-command-injection
    action: warn
    when: {cwe: [CWE-78]}
  - id: block-kev
    action: block
    when: {kev: true}
exceptions:
  - rule: rule1
    reason: test code
    expires: 2999-01-01
)";

TEST(Policy, ReadsRulesAndExceptions) {
  auto p = parsePolicy(kPolicy, "policy.yaml");
  ASSERT_TRUE(p.problems.empty()) << p.problems[0].path << " " << p.problems[0].message;
  ASSERT_EQ(p.value.rules.size(), 3u);
  EXPECT_EQ(p.value.rules[0].when.kinds, std::vector<model::FindingKind>{model::FindingKind::Sast});
  EXPECT_EQ(p.value.rules[0].when.minSeverity, model::Severity::High);
  EXPECT_EQ(p.value.rules[1].action, Action::Warn);
  EXPECT_EQ(p.value.rules[1].when.cwes, std::vector<std::string>{"CWE-78"});
  ASSERT_EQ(p.value.exceptions.size(), 1u);
  EXPECT_EQ(p.value.exceptions[0].line, "line 17:5");
}

TEST(Policy, EvaluatesRulesExceptionsAndExitCodes) {
  auto p = parsePolicy(kPolicy, "policy.yaml").value;
  auto s = scans(2);
  std::vector<model::Finding> fs = {finding(0, model::Severity::High, "scheduled", 400),
                                    finding(1, model::Severity::Critical, "scheduled", 480)};
  auto g = evaluate(p, fs, s, "2026-01-01");
  // finding 0: blocked (high in src/) and warned (CWE-78); finding 1: exempt (exception on rule1).
  EXPECT_EQ(g.blocking(), 1u);
  EXPECT_EQ(g.warnings(), 1u);
  ASSERT_EQ(g.exemptions.size(), 1u);
  EXPECT_EQ(g.exemptions[0].finding, 1u);
  EXPECT_NE(g.exemptions[0].why.find("test code"), std::string::npos);
  EXPECT_EQ(g.exitCode(), 1);
  p.mode = Mode::Monitor;
  EXPECT_EQ(evaluate(p, fs, s, "2026-01-01").exitCode(), 0);
}

TEST(Policy, ExpiredExceptionsAndTriageNoLongerExempt) {
  auto p = parsePolicy(kPolicy, "policy.yaml").value;
  auto s = scans(2);
  std::vector<model::Finding> fs = {finding(1, model::Severity::Critical, "scheduled", 480)};
  fs[0].results = {1};
  EXPECT_EQ(evaluate(p, fs, s, "3000-01-01").exemptions.size(), 0u);  // exception expired
  fs[0].triage = model::TriageDecision{"accepted_risk", "compensating control", "ana", "2026-01-01T00:00:00Z", "2026-06-30"};
  p.exceptions.clear();
  EXPECT_EQ(evaluate(p, fs, s, "2026-03-01").violations.size(), 0u);
  EXPECT_GT(evaluate(p, fs, s, "2026-07-01").violations.size(), 0u);
}

TEST(Policy, UnknownReachabilityNeverMatches) {
  auto p = parsePolicy("rules:\n  - id: r\n    when: {reachable: true}\n", "p.yaml").value;
  auto s = scans(1);
  std::vector<model::Finding> fs = {finding(0, model::Severity::High, "scheduled", 400)};
  EXPECT_TRUE(evaluate(p, fs, s, "2026-01-01").passed());
}

TEST(Policy, BadPoliciesNameTheLine) {
  auto p = parsePolicy("rules:\n  - id: r\n    action: explode\n    when:\n      severity: huge\n      colour: red\n", "p.yaml");
  ASSERT_EQ(p.problems.size(), 3u);
  EXPECT_EQ(p.problems[0].path, "line 3:13");
  EXPECT_NE(p.problems[0].message.find("block or warn"), std::string::npos);
  EXPECT_EQ(p.problems[1].path, "line 5:17");
  EXPECT_EQ(p.problems[2].path, "line 6:7");
  EXPECT_NE(p.problems[2].message.find("colour"), std::string::npos);

  auto broken = parsePolicy("rules: [\n  - id: x\n", "p.yaml");
  ASSERT_FALSE(broken.problems.empty());
  EXPECT_EQ(broken.problems[0].severity, support::ProblemSeverity::Fatal);
  EXPECT_TRUE(broken.problems[0].path.starts_with("line "));

  auto dup = parsePolicy("rules:\n  - {id: a, when: {}}\n  - {id: a, when: {}}\nexceptions:\n  - {reason: x}\n", "p.yaml");
  ASSERT_EQ(dup.problems.size(), 2u);
  EXPECT_NE(dup.problems[0].message.find("duplicate"), std::string::npos);
  EXPECT_EQ(dup.problems[1].path, "line 5:5");
}

TEST(PolicyAge, ParsesComparisonsOfDaysAndWeeks) {
  const auto atLeast = parseAge(">= 30d");
  ASSERT_TRUE(atLeast);
  EXPECT_EQ(atLeast->op, AgeCondition::Op::AtLeast);
  EXPECT_EQ(atLeast->days, 30);
  EXPECT_EQ(parseAge(">2w")->days, 14);
  EXPECT_EQ(parseAge(">2w")->op, AgeCondition::Op::MoreThan);
  EXPECT_EQ(parseAge("  <= 7D ")->op, AgeCondition::Op::AtMost);
  EXPECT_EQ(parseAge("< 0d")->days, 0);
  for (const char* bad : {"30d", ">= 30", ">= d", ">= -3d", ">= 30 days", "=> 30d", "== 30d", ">= 1000000d", "", ">= 3.5d"})
    EXPECT_FALSE(parseAge(bad)) << bad;
}

TEST(PolicyAge, CountsWholeDaysToToday) {
  EXPECT_EQ(ageInDays("2026-10-01", "2026-10-31"), 30);
  EXPECT_EQ(ageInDays("2026-10-01T23:59:59.999Z", "2026-10-02"), 1);  // the store's RFC 3339 stamps
  EXPECT_EQ(ageInDays("2024-02-28", "2024-03-01"), 2);                // leap year
  EXPECT_EQ(ageInDays("2026-11-27", "2026-11-27"), 0);
  EXPECT_EQ(ageInDays("", "2026-11-27"), 0);            // unknown: first seen today
  EXPECT_EQ(ageInDays("yesterday", "2026-11-27"), 0);
  EXPECT_EQ(ageInDays("2026-02-30", "2026-11-27"), 0);  // not a date
  EXPECT_EQ(ageInDays("2026-12-01", "2026-11-27"), 0);  // after today (a --today in the past)
}

TEST(PolicyAge, RulesMatchOnAgeAndNameTheAgeInViolations) {
  auto p = parsePolicy(R"(rules:
  - id: stale-high
    action: block
    when: {severity: high, age: ">= 30d"}
  - id: fresh
    action: warn
    when: {age: "< 7d"}
)",
                       "p.yaml");
  ASSERT_TRUE(p.problems.empty()) << p.problems[0].message;
  auto s = scans(3);
  std::vector<model::Finding> fs = {finding(0, model::Severity::High, "scheduled", 400),
                                    finding(1, model::Severity::High, "scheduled", 400),
                                    finding(2, model::Severity::High, "scheduled", 400)};
  fs[0].firstSeen = "2026-09-01T08:00:00.000Z";  // 61 days before today
  fs[1].firstSeen = "2026-10-30";                // 2 days
  // fs[2]: never seen by the store: first seen today
  const auto g = evaluate(p.value, fs, s, "2026-11-01");
  EXPECT_TRUE(g.usesAge);
  ASSERT_EQ(g.violations.size(), 3u);
  EXPECT_EQ(g.violations[0].finding, 0u);
  EXPECT_EQ(g.violations[0].rule, "stale-high");
  EXPECT_EQ(g.violations[0].ageDays, 61);
  EXPECT_EQ(g.violations[1].finding, 1u);
  EXPECT_EQ(g.violations[1].rule, "fresh");
  EXPECT_EQ(g.violations[1].ageDays, 2);
  EXPECT_EQ(g.violations[2].finding, 2u);
  EXPECT_EQ(g.violations[2].rule, "fresh");
  EXPECT_EQ(g.violations[2].ageDays, 0);
  EXPECT_EQ(g.blocking(), 1u);
  // A month earlier the old finding was young: nothing blocks.
  EXPECT_TRUE(evaluate(p.value, fs, s, "2026-09-15").passed());
  EXPECT_FALSE(evaluate(parsePolicy("rules:\n  - {id: r, when: {}}\n", "p.yaml").value, fs, s, "2026-11-01").usesAge);
}

TEST(PolicyAge, BadAgesNameTheLine) {
  auto p = parsePolicy("rules:\n  - id: r\n    when:\n      age: 30\n  - id: s\n    when: {age: \">= 30 days\"}\n", "p.yaml");
  ASSERT_EQ(p.problems.size(), 2u);
  EXPECT_EQ(p.problems[0].path, "line 4:12");
  EXPECT_NE(p.problems[0].message.find(">= 30d"), std::string::npos);
  EXPECT_EQ(p.problems[1].path, "line 6:17");
  // Unquoted, YAML itself refuses the leading '>': the error still names the line.
  auto unquoted = parsePolicy("rules:\n  - id: r\n    when:\n      age: >= 30d\n", "p.yaml");
  ASSERT_FALSE(unquoted.problems.empty());
  EXPECT_TRUE(unquoted.problems[0].path.starts_with("line ")) << unquoted.problems[0].path;
}

TEST(Policy, MissingFileIsFatal) {
  auto p = loadPolicy("/nonexistent/policy.yaml");
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_EQ(p.problems[0].severity, support::ProblemSeverity::Fatal);
}

TEST(Config, ReadsApplicationsAndIntel) {
  auto c = parseConfig(R"(applications:
  - name: api
    paths: ["services/api/**", "libs/auth/**"]
    criticality: critical
    data: pii
    internet_facing: true
  - name: tools
    paths: tools/**
    criticality: whatever
intel:
  epss: intel/epss.csv.gz
  kev: intel/kev.json
)",
                       ".aspm/config.yaml");
  ASSERT_EQ(c.value.applications.size(), 2u);
  const auto& api = c.value.applications[0];
  EXPECT_EQ(api.paths.size(), 2u);
  EXPECT_EQ(api.criticality, "critical");
  EXPECT_EQ(api.dataSensitivity, "pii");
  EXPECT_EQ(api.internetFacing, true);
  EXPECT_EQ(api.source, ".aspm/config.yaml:2");
  EXPECT_FALSE(c.value.applications[1].internetFacing.has_value());
  EXPECT_EQ(c.value.epssFile, "intel/epss.csv.gz");
  EXPECT_EQ(c.value.kevFile, "intel/kev.json");
  ASSERT_EQ(c.problems.size(), 1u);
  EXPECT_EQ(c.problems[0].path, "line 9:18");
}

}  // namespace
}  // namespace aspm::policy
