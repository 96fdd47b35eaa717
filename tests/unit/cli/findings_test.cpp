// `aspm findings` end to end in-process: real report files in a real temporary repository,
// JSON output checked against the published contract (docs/cli.md), exit codes for bad input.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "cli/cli.h"
#include "unit/cli/cli_test_support.h"

namespace aspm::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

using clitest::CliRun;
using clitest::runCli;
using clitest::TempRepo;

const char* const kSarif = R"({
  "version": "2.1.0",
  "runs": [{
    "tool": {"driver": {"name": "Semgrep OSS", "rules": [
      {"id": "python.lang.security.dangerous-subprocess", "shortDescription": {"text": "subprocess with shell=True"},
       "helpUri": "https://semgrep.dev/r/python.lang.security.dangerous-subprocess",
       "properties": {"tags": ["CWE-78: OS Command Injection"], "security-severity": "9.1"}},
      {"id": "python.lang.maintainability.unused", "defaultConfiguration": {"level": "note"}}
    ]}},
    "versionControlProvenance": [{"repositoryUri": "https://example.com/r.git", "revisionId": "0123456789abcdef0123456789abcdef01234567"}],
    "results": [
      {"ruleId": "python.lang.maintainability.unused", "ruleIndex": 1, "message": {"text": "unused import"},
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app/main.py"}, "region": {"startLine": 1}}}]},
      {"ruleId": "python.lang.security.dangerous-subprocess", "ruleIndex": 0, "message": {"text": "shell=True with user input"},
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app/main.py"},
                      "region": {"startLine": 4, "startColumn": 5, "endColumn": 40}}}]}
    ]
  }]
})";

const char* const kMain = "import os\nimport subprocess\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n";

TEST(Findings, JsonFollowsTheContractAndRanksByRisk) {
  TempRepo repo;
  repo.write("app/main.py", kMain);
  repo.write(".aspm/semgrep.sarif", kSarif);
  const CliRun r = runCli({"findings", "--repo", repo.path(), "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json::value doc = json::parse(r.out);
  const auto& findings = doc.at("findings").as_array();
  ASSERT_EQ(findings.size(), 2u);
  const auto& top = findings[0].as_object();
  EXPECT_EQ(top.at("ruleId").as_string(), "python.lang.security.dangerous-subprocess");
  EXPECT_EQ(top.at("tool").as_string(), "Semgrep OSS");
  EXPECT_EQ(top.at("kind").as_string(), "sast");
  EXPECT_EQ(top.at("severity").as_string(), "critical");
  EXPECT_EQ(top.at("state").as_string(), "open");
  EXPECT_EQ(top.at("cwe").as_array().at(0).as_string(), "CWE-78");
  EXPECT_EQ(top.at("id").as_string().size(), 16u);
  EXPECT_GT(top.at("risk").at("score").as_int64(), findings[1].at("risk").at("score").as_int64());
  EXPECT_TRUE(top.at("risk").at("factors").as_object().contains("severity"));
  const auto& loc = top.at("location").as_object();
  EXPECT_EQ(loc.at("uri").as_string(), "app/main.py");
  EXPECT_EQ(loc.at("startLine").as_int64(), 4);
  EXPECT_EQ(loc.at("startColumn").as_int64(), 5);
  EXPECT_EQ(top.at("scan").at("revision").as_string(), "0123456789abcdef0123456789abcdef01234567");
  const auto& src = top.at("sources").as_array().at(0).as_object();
  EXPECT_EQ(src.at("sarif").at("run").as_int64(), 0);
  EXPECT_EQ(src.at("sarif").at("result").as_int64(), 1);
  EXPECT_TRUE(src.at("sarif").at("file").as_string().ends_with(".aspm/semgrep.sarif"));
  EXPECT_TRUE(top.at("triage").is_null());
  // The report names the commit it scanned, but this directory has no git history to follow
  // the code through: the findings stay where the report put them, and the output says why.
  const auto& problems = doc.at("problems").as_array();
  ASSERT_EQ(problems.size(), 1u) << json::serialize(problems);
  EXPECT_NE(std::string(problems[0].at("message").as_string()).find("no git repository"), std::string::npos);
}

TEST(Findings, FingerprintSurvivesLinesInsertedAbove) {
  TempRepo repo;
  repo.write("app/main.py", kMain);
  repo.write(".aspm/semgrep.sarif", kSarif);
  const CliRun before = runCli({"findings", "--repo", repo.path(), "--format", "json"});
  // Same code, three lines lower, scanned again: the id must not change.
  std::string moved = kSarif;
  moved.replace(moved.find("\"startLine\": 4"), 14, "\"startLine\": 7");
  repo.write("app/main.py", std::string("# a\n# b\n# c\n") + kMain);
  repo.write(".aspm/semgrep.sarif", moved);
  const CliRun after = runCli({"findings", "--repo", repo.path(), "--format", "json"});
  ASSERT_EQ(before.code, 0);
  ASSERT_EQ(after.code, 0);
  EXPECT_EQ(json::parse(before.out).at("findings").at(0).at("id"), json::parse(after.out).at("findings").at(0).at("id"));
}

TEST(Findings, TableListsHighestRiskFirst) {
  TempRepo repo;
  repo.write("app/main.py", kMain);
  repo.write("r.sarif", kSarif);
  const CliRun r = runCli({"findings", "--repo", repo.path(), "--sarif", repo.path("r.sarif")});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto first = r.out.find("dangerous-subprocess");
  const auto second = r.out.find("maintainability.unused");
  ASSERT_NE(first, std::string::npos) << r.out;
  ASSERT_NE(second, std::string::npos) << r.out;
  EXPECT_LT(first, second);
  EXPECT_NE(r.out.find("app/main.py:4"), std::string::npos);
  EXPECT_NE(r.out.find("2 findings"), std::string::npos);
}

TEST(Findings, MissingInputIsUnusableAndNamed) {
  TempRepo repo;
  const CliRun r = runCli({"findings", "--repo", repo.path(), "--sarif", repo.path("nope.sarif")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("nope.sarif"), std::string::npos) << r.err;
}

TEST(Findings, WrongVersionIsUnusableButOtherFilesStillLoad) {
  TempRepo repo;
  repo.write("app/main.py", kMain);
  repo.write("good.sarif", kSarif);
  repo.write("bad.sarif", R"({"version": "1.0.0", "runs": []})");
  const CliRun r = runCli({"findings", "--repo", repo.path(), "--sarif", repo.path("good.sarif"), "--sarif",
                        repo.path("bad.sarif"), "--format", "json"});
  EXPECT_EQ(r.code, 2);
  const json::value doc = json::parse(r.out);
  EXPECT_EQ(doc.at("findings").as_array().size(), 2u);
  bool named = false;
  for (const auto& p : doc.at("problems").as_array())
    if (p.at("file").as_string().ends_with("bad.sarif")) named = true;
  EXPECT_TRUE(named) << r.out;
}

TEST(Findings, BadUsageExplains) {
  EXPECT_EQ(runCli({"findings", "--format", "xml"}).code, 2);
  EXPECT_EQ(runCli({"frobnicate"}).code, 2);
  const CliRun help = runCli({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("aspm findings"), std::string::npos);
}

TEST(Findings, SarifOutputIsValidSarif) {
  TempRepo repo;
  repo.write("app/main.py", kMain);
  repo.write(".aspm/semgrep.sarif", kSarif);
  const CliRun r = runCli({"findings", "--repo", repo.path(), "--format", "sarif"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json::value doc = json::parse(r.out);
  EXPECT_EQ(doc.at("version").as_string(), "2.1.0");
  const auto& results = doc.at("runs").at(0).at("results").as_array();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].at("locations").at(0).at("physicalLocation").at("region").at("startLine").as_int64(), 4);
}

}  // namespace
}  // namespace aspm::cli
