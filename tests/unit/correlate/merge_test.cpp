// Cross-tool correlation rules: what merges, what never merges, and the facts behind them
// (CWEs from every place a report states them, SCA packages and ids, IaC resources).
#include <gtest/gtest.h>

#include <atomic>

#include <set>

#include "correlate/correlate.h"
#include "correlate/cwe.h"
#include "correlate/sca.h"
#include "syntax/statement.h"

namespace aspm::correlate {
namespace {

// Builds scan sets the way ingest does: one run per tool, rules synthesised per rule id.
class Scans {
 public:
  std::uint32_t add(const std::string& tool, const std::string& ruleId, const std::string& uri, std::uint32_t line,
                    std::vector<std::string> cwes = {}, std::string message = "m") {
    std::uint32_t runIndex = 0;
    for (; runIndex < s.runs.size(); ++runIndex)
      if (s.runs[runIndex].tool.name == tool) break;
    if (runIndex == s.runs.size()) {
      model::Run run;
      run.tool.name = tool;
      s.runs.push_back(run);
    }
    model::Run& run = s.runs[runIndex];
    model::Rule rule;
    rule.id = ruleId;
    rule.cwes = std::move(cwes);
    run.rules.push_back(rule);
    model::Result r;
    r.run = runIndex;
    r.rule = static_cast<std::int32_t>(run.rules.size() - 1);
    r.ruleId = ruleId;
    r.message = std::move(message);
    if (!uri.empty()) {
      model::Location loc;
      loc.uri = uri;
      loc.resolved = true;
      loc.region.startLine = line;
      r.locations.push_back(loc);
    }
    r.source.result = static_cast<std::uint32_t>(s.results.size());
    s.results.push_back(r);
    return static_cast<std::uint32_t>(s.results.size() - 1);
  }
  model::Rule& rule(std::uint32_t result) {
    auto& r = s.results[result];
    return s.runs[r.run].rules[static_cast<std::size_t>(r.rule)];
  }
  Correlation run() {
    CorrelateOptions o;
    o.content = [](const std::string&) { return std::make_shared<const std::string>(std::string(200, '\n')); };
    return correlate(s, o);
  }
  model::ScanSet s;
};

std::size_t findingCount(const Correlation& c) { return c.findings.size(); }

TEST(Cwe, ParsesEveryNotation) {
  EXPECT_EQ(parseCwe("external/cwe/cwe-78"), "CWE-78");
  EXPECT_EQ(parseCwe("CWE-78: Improper Neutralization"), "CWE-78");
  EXPECT_EQ(parseCwe("cwe_089"), "CWE-89");
  EXPECT_EQ(parseCwe("security"), "");
  EXPECT_EQ(parseCwe("external/owasp/a1"), "");
  EXPECT_EQ(cwesInText("buffer (CWE-119!/CWE-120), see https://cwe.mitre.org/data/definitions/20.html"),
            (std::vector<std::string>{"CWE-119", "CWE-120", "CWE-20"}));
}

TEST(Cwe, BuiltinTablesCoverToolsWithoutCwes) {
  EXPECT_EQ(builtinCwes("bandit", "B602"), std::vector<std::string>{"CWE-78"});
  EXPECT_EQ(builtinCwes("eslint", "security/detect-child-process"), std::vector<std::string>{"CWE-78"});
  EXPECT_EQ(builtinCwes("clang", "security.insecureAPI.strcpy"), std::vector<std::string>{"CWE-120"});
  EXPECT_EQ(builtinCwes("cppcheck", "nullPointer"), std::vector<std::string>{"CWE-476"});
  EXPECT_EQ(builtinCwes("gcc", "-Wanalyzer-double-free"), std::vector<std::string>{"CWE-415"});
  EXPECT_EQ(builtinCwes("shellcheck", "SC2086"), std::vector<std::string>{"CWE-88"});
  EXPECT_TRUE(builtinCwes("semgrep", "anything").empty());
}

TEST(Cwe, MultiWeaknessCheckerIsNarrowedByItsMessage) {
  Scans sc;
  auto i = sc.add("clang", "unix.Malloc", "a.c", 3, {}, "Potential leak of memory pointed to by 'buf'");
  const auto& r = sc.s.results[i];
  EXPECT_EQ(cwesOf(sc.s.runs[r.run], &sc.rule(i), r), std::vector<std::string>{"CWE-401"});
}

TEST(Cwe, SiblingWeaknessesShareAClass) {
  EXPECT_EQ(cweClass("CWE-120"), cweClass("CWE-787"));
  EXPECT_EQ(cweClass("CWE-78"), cweClass("CWE-88"));
  EXPECT_NE(cweClass("CWE-415"), cweClass("CWE-416"));  // double free is not use after free
  EXPECT_EQ(cweClass("CWE-1234"), "CWE-1234");
}

TEST(Merge, SastSameFileSharedCweWithinThreeLines) {
  Scans sc;
  sc.add("Flawfinder", "FF1001", "src/a.c", 10, {"CWE-120"});
  sc.add("clang", "security.insecureAPI.strcpy", "src/a.c", 12);  // CWE-120 from the built-in table
  sc.add("gcc", "-Wstringop-overflow=", "src/a.c", 13);             // CWE-787: same class
  const auto c = sc.run();
  ASSERT_EQ(findingCount(c), 1u);
  EXPECT_EQ(c.findings[0].results.size(), 3u);
  EXPECT_EQ(c.noise.duplicatesMerged, 2u);
  EXPECT_EQ(c.findings[0].cwes, (std::vector<std::string>{"CWE-120", "CWE-787"}));
}

TEST(Merge, SastNeverOnCweAloneOrFarApartOrAcrossFiles) {
  Scans sc;
  sc.add("Flawfinder", "FF1001", "src/a.c", 10, {"CWE-120"});
  sc.add("cppcheck", "bufferAccessOutOfBounds", "src/a.c", 14, {"CWE-788"});  // 4 lines apart
  sc.add("gcc", "-Wstringop-overflow=", "src/b.c", 10);                         // other file
  sc.add("Semgrep", "no-cwe-rule", "src/a.c", 10);                              // no CWE at all
  EXPECT_EQ(findingCount(sc.run()), 4u);
}

TEST(Merge, SastNeedsASharedWeaknessClass) {
  Scans sc;
  sc.add("cppcheck", "nullPointer", "src/a.c", 5);
  sc.add("gcc", "-Wanalyzer-malloc-leak", "src/a.c", 5);
  EXPECT_EQ(findingCount(sc.run()), 2u);
}

TEST(Merge, OneToolsDifferentRulesNeverMergeEvenThroughAThirdTool) {
  Scans sc;
  sc.add("Flawfinder", "FF1001", "src/a.c", 10, {"CWE-120"});
  sc.add("Flawfinder", "FF1013", "src/a.c", 11, {"CWE-120"});
  sc.add("clang", "security.insecureAPI.strcpy", "src/a.c", 10);
  const auto c = sc.run();
  ASSERT_EQ(findingCount(c), 2u);
  for (const auto& f : c.findings) {
    std::set<std::string> rules;
    for (auto r : f.results)
      if (sc.s.runs[sc.s.results[r].run].tool.name == "Flawfinder") rules.insert(sc.s.results[r].ruleId);
    EXPECT_LE(rules.size(), 1u);
  }
  // The clang result joined the flawfinder result on its own line (the closer one).
  const auto& merged = c.findings[0].results.size() == 2 ? c.findings[0] : c.findings[1];
  ASSERT_EQ(merged.results.size(), 2u);
  EXPECT_EQ(sc.s.results[merged.results[0]].locations[0].region.startLine, 10u);
  EXPECT_EQ(sc.s.results[merged.results[1]].locations[0].region.startLine, 10u);
}

TEST(Merge, OneToolsSameRuleOnNearbyLinesStaysSeparate) {
  Scans sc;
  sc.add("Flawfinder", "FF1001", "src/a.c", 10, {"CWE-120"});
  sc.add("Flawfinder", "FF1001", "src/a.c", 11, {"CWE-120"});
  EXPECT_EQ(findingCount(sc.run()), 2u);
}

// A C file whose calls span several lines (1-based lines in the comments).
const char* const kMultiLine =
    "#include <stdio.h>\n"             // 1
    "#include <string.h>\n"            // 2
    "void f(char *d, const char *s) {\n"  // 3
    "  strcpy(\n"                      // 4
    "      /* the field is\n"          // 5
    "       * eight bytes\n"           // 6
    "       * long */\n"               // 7
    "      d,\n"                       // 8
    "      s);\n"                      // 9
    "  d[0] = 0;\n"                    // 10
    "  d[1] = 0;\n"                    // 11
    "  d[2] = 0;\n"                    // 12
    "  printf(s);\n"                   // 13
    "}\n";

struct StatementRun {
  Correlation correlation;
  int providerCalls = 0;
};

// Correlates with the tree-sitter statement oracle over kMultiLine (or with the line window only).
StatementRun runWithStatements(const model::ScanSet& s, bool statements = true) {
  StatementRun out;
  std::atomic<int> calls = 0;  // the provider runs on several threads at once
  CorrelateOptions o;
  o.content = [](const std::string&) { return std::make_shared<const std::string>(kMultiLine); };
  if (statements) {
    o.statements = [&calls](const std::string& path, const std::string& content, std::span<const SourcePoint> points) {
      ++calls;
      std::vector<syntax::ReportedPoint> in;
      for (const auto& p : points) in.push_back({p.line, p.column});
      std::vector<std::optional<StatementSpan>> spans;
      for (const auto& sp : syntax::enclosingStatements(path, content, in))
        spans.push_back(sp ? std::optional<StatementSpan>(StatementSpan{sp->startByte, sp->endByte}) : std::nullopt);
      return spans;
    };
  }
  out.correlation = correlate(s, o);
  out.providerCalls = calls;
  return out;
}

TEST(Merge, SastSameStatementMergesBeyondThreeLines) {
  Scans sc;
  sc.add("Flawfinder", "FF1001", "src/a.c", 4, {"CWE-120"});  // the call's first line
  sc.add("cppcheck", "bufferAccessOutOfBounds", "src/a.c", 8, {"CWE-788"});  // its argument, 4 lines below
  sc.add("cppcheck", "arrayIndexOutOfBounds", "src/a.c", 12, {"CWE-788"});  // another statement
  const auto with = runWithStatements(sc.s);
  EXPECT_EQ(with.providerCalls, 1);  // one parse for the file
  ASSERT_EQ(findingCount(with.correlation), 2u);
  for (const auto& f : with.correlation.findings)
    if (f.results.size() == 2) {
      std::set<std::uint32_t> lines;
      for (auto r : f.results) lines.insert(sc.s.results[r].locations[0].region.startLine);
      EXPECT_EQ(lines, (std::set<std::uint32_t>{4, 8}));
    }
  // Without the oracle only the line window applies: three findings.
  EXPECT_EQ(findingCount(runWithStatements(sc.s, false).correlation), 3u);
}

TEST(Merge, SameStatementStillNeedsASharedClassAndOneRulePerTool) {
  Scans sc;
  const auto first = sc.add("Flawfinder", "FF1001", "src/a.c", 4, {"CWE-120"});
  sc.add("Flawfinder", "FF1013", "src/a.c", 9, {"CWE-120"});  // same tool, other rule, same statement
  sc.add("clang", "security.insecureAPI.strcpy", "src/a.c", 9);
  sc.add("cppcheck", "nullPointer", "src/a.c", 8);          // CWE-476: no shared class
  sc.add("gcc", "-Wformat-security", "src/a.c", 13);        // other statement, other class
  const auto r = runWithStatements(sc.s);
  EXPECT_EQ(r.providerCalls, 1);
  // clang joins the flawfinder report on its own line; FF1001 cannot join that finding too.
  ASSERT_EQ(findingCount(r.correlation), 4u);
  for (const auto& f : r.correlation.findings)
    if (std::find(f.results.begin(), f.results.end(), first) != f.results.end()) {
      EXPECT_EQ(f.results.size(), 1u);
    }
}

TEST(Merge, NoStatementOracleCallWithoutTwoToolsInABucket) {
  Scans sc;
  sc.add("Flawfinder", "FF1001", "src/a.c", 4, {"CWE-120"});
  sc.add("Flawfinder", "FF1001", "src/a.c", 9, {"CWE-120"});
  const auto r = runWithStatements(sc.s);
  EXPECT_EQ(r.providerCalls, 0);
  EXPECT_EQ(findingCount(r.correlation), 2u);  // one tool's same rule on two lines: two problems
}

TEST(Merge, ScaSamePackageSharedIdIncludingAliases) {
  Scans sc;
  auto t = sc.add("Trivy", "CVE-2021-23337", "package-lock.json", 1, {},
                  "Package: lodash\nInstalled Version: 4.17.15\nVulnerability CVE-2021-23337\nFixed Version: 4.17.21");
  auto s = sc.add("Snyk Open Source", "SNYK-JS-LODASH-1040724", "", 0, {}, "This file introduces a vulnerable lodash package");
  sc.rule(s).fullDescription = "(CVE-2021-23337) lodash@4.17.15";
  sc.rule(s).helpMarkdown = "* Vulnerable module: lodash\n# Remediation\nUpgrade `lodash` to version 4.17.21 or higher.";
  auto g = sc.add("grype", "GHSA-35jh-r3h4-6jhm-lodash", "package-lock.json", 1, {},
                  "A high vulnerability in npm package: lodash, version 4.17.15 was found at: /package-lock.json");
  sc.rule(g).helpText = "Vulnerability GHSA-35jh-r3h4-6jhm\nPackage: lodash";
  // A different package with the same CVE id must not join.
  sc.add("Trivy", "CVE-2021-23337", "other/package-lock.json", 1, {}, "Package: lodash-es\nVulnerability CVE-2021-23337");
  (void)t;
  const auto c = sc.run();
  // grype names only the GHSA id: it does not share an id with the others, so it stays apart.
  ASSERT_EQ(findingCount(c), 3u);
  std::size_t biggest = 0;
  for (const auto& f : c.findings) biggest = std::max(biggest, f.results.size());
  EXPECT_EQ(biggest, 2u);
  // Fix groups: one upgrade of lodash to 4.17.21.
  bool found = false;
  for (const auto& grp : c.fixGroups)
    if (grp.id == "lodash@4.17.21") found = true;
  EXPECT_TRUE(found);
}

TEST(Merge, ScaGroupsSeveralCvesUnderOneFix) {
  Scans sc;
  for (const char* cve : {"CVE-2020-8203", "CVE-2021-23337", "CVE-2020-28500"})
    sc.add("Trivy", cve, "package-lock.json", 1, {}, std::string("Package: lodash\nVulnerability ") + cve + "\nFixed Version: 4.17.21");
  const auto c = sc.run();
  EXPECT_EQ(findingCount(c), 3u);
  ASSERT_EQ(c.fixGroups.size(), 1u);
  EXPECT_EQ(c.fixGroups[0].findings.size(), 3u);
  EXPECT_EQ(c.fixGroups[0].vulnIds.size(), 3u);
  EXPECT_EQ(c.noise.fixGroups, 1u);
}

TEST(Merge, SecretsBySameFileAndHashOrLine) {
  Scans sc;
  auto a = sc.add("gitleaks", "aws-access-token", "config/.env", 3);
  auto b = sc.add("trufflehog", "AWS", "config/.env", 3);
  auto c = sc.add("gitleaks", "generic-api-key", "config/.env", 9);
  sc.s.results[a].locations[0].region.snippet = "AKIAIOSFODNN7EXAMPLE";
  sc.s.results[b].locations[0].region.snippet = " AKIAIOSFODNN7EXAMPLE ";
  (void)c;
  const auto r = sc.run();
  EXPECT_EQ(findingCount(r), 2u);
}

TEST(Merge, IacSameResourceAndPolicyClass) {
  Scans sc;
  auto a = sc.add("checkov", "CKV_AWS_19", "s3.tf", 4, {}, "Ensure the S3 bucket has server-side-encryption enabled");
  auto b = sc.add("tfsec", "aws-s3-enable-bucket-encryption", "s3.tf", 2, {}, "Bucket does not have encryption enabled");
  auto c = sc.add("tfsec", "aws-s3-enable-bucket-logging", "s3.tf", 2, {}, "Bucket does not have logging enabled");
  sc.s.results[a].locations[0].logicalName = "aws_s3_bucket.logs";
  sc.s.results[b].locations[0].logicalName = "aws_s3_bucket.logs";
  sc.s.results[c].locations[0].logicalName = "aws_s3_bucket.logs";
  const auto r = sc.run();
  EXPECT_EQ(findingCount(r), 2u);
}

TEST(Merge, DisabledMergingKeepsOneFindingPerResult) {
  Scans sc;
  sc.add("Flawfinder", "FF1001", "src/a.c", 10, {"CWE-120"});
  sc.add("clang", "security.insecureAPI.strcpy", "src/a.c", 10);
  CorrelateOptions o;
  o.merge = false;
  EXPECT_EQ(correlate(sc.s, o).findings.size(), 2u);
}

TEST(Merge, KeepsGivenLineHashAndCorrelationGuid) {
  Scans sc;
  auto a = sc.add("CodeQL", "js/xss", "a.js", 1, {"CWE-79"});
  sc.s.results[a].partialFingerprints["primaryLocationLineHash"] = "abc:1";
  sc.s.results[a].correlationGuid = "11111111-2222-3333-4444-555555555555";
  auto b = sc.add("CodeQL", "js/sqli", "a.js", 1, {"CWE-89"});
  const auto c = sc.run();
  ASSERT_EQ(c.findings.size(), 2u);
  for (const auto& f : c.findings) {
    if (f.results[0] == a) {
      EXPECT_EQ(f.lineHash, "abc:1");
      EXPECT_EQ(f.correlationGuid, "11111111-2222-3333-4444-555555555555");
    } else {
      EXPECT_EQ(f.results[0], b);
      EXPECT_FALSE(f.lineHash.empty());  // computed from the (blank) file
      EXPECT_EQ(f.correlationGuid, correlationGuidFor(f.id));
      EXPECT_EQ(f.correlationGuid.size(), 36u);
    }
  }
}

TEST(Sca, PackageAndIdsFromScannerHabits) {
  Scans sc;
  auto g = sc.add("grype", "CVE-1999-0001-package-1", "/some/path", 1, {},
                  "A low vulnerability in rpm package: package-1, version 1.1.1 was found at: /some/path");
  sc.rule(g).helpText = "Vulnerability CVE-1999-0001\nPackage: package-1\nVersion: 1.1.1\nFix Version: 1.2.1,2.1.3\nType: rpm";
  const auto& r = sc.s.results[g];
  const PackageRef p = packageOf(sc.s.runs[r.run], &sc.rule(g), r);
  EXPECT_EQ(p.name, "package-1");
  EXPECT_EQ(p.version, "1.1.1");
  EXPECT_EQ(p.fixedVersion, "1.2.1");
  EXPECT_EQ(p.ecosystem, "rpm");
  EXPECT_EQ(p.vulnIds, std::vector<std::string>{"CVE-1999-0001"});
  EXPECT_EQ(packageKey("PyYAML"), packageKey("pyyaml"));
  EXPECT_EQ(packageKey("zope.interface"), packageKey("zope_interface"));
}

}  // namespace
}  // namespace aspm::correlate
