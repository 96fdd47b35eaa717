// `aspm findings` on a real git repository whose code moved on after the scan: findings of a
// report that names its scanned commit are placed where that code is in the working tree now
// (lines inserted above, a file renamed, uncommitted edits), code that was deleted is gone, and
// the fingerprint hashes the code the scanner saw, as a fresh scan of the working tree does.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "unit/cli/cli_test_support.h"
#include "unit/gitmap/git_fixture.h"

namespace aspm::cli {
namespace {
namespace json = boost::json;

using clitest::CliRun;
using clitest::runCli;
using gitmap::testing::GitRepo;

const char* const kMain =
    "import os\n"
    "import subprocess\n"
    "def run(cmd):\n"
    "    subprocess.call(cmd, shell=True)\n";
const char* const kUtil =
    "def calc(expr):\n"
    "    return eval(expr)\n";

// A semgrep-like report; `revision` empty leaves versionControlProvenance out.
std::string report(const std::string& revision, int subprocessLine, const std::string& utilPath, int evalLine,
                   bool withImport) {
  std::string results;
  results += R"({"ruleId": "dangerous-subprocess", "ruleIndex": 0, "message": {"text": "shell=True"},
      "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app/main.py"},
        "region": {"startLine": )" + std::to_string(subprocessLine) + R"(, "startColumn": 5, "endColumn": 37}}}]},)";
  results += R"({"ruleId": "eval-used", "ruleIndex": 1, "message": {"text": "eval of input"},
      "locations": [{"physicalLocation": {"artifactLocation": {"uri": ")" + utilPath + R"("},
        "region": {"startLine": )" + std::to_string(evalLine) + R"(}}}]})";
  if (withImport)
    results += R"(,{"ruleId": "os-imported", "ruleIndex": 2, "message": {"text": "os imported"},
      "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app/main.py"}, "region": {"startLine": 1}}}]})";
  const std::string provenance =
      revision.empty() ? "" : R"("versionControlProvenance": [{"repositoryUri": "file:///repo", "revisionId": ")" + revision + R"("}],)";
  return R"({"version": "2.1.0", "runs": [{
    "tool": {"driver": {"name": "Semgrep OSS", "rules": [
      {"id": "dangerous-subprocess", "properties": {"tags": ["CWE-78"], "security-severity": "9.1"}},
      {"id": "eval-used", "properties": {"tags": ["CWE-95"], "security-severity": "8.0"}},
      {"id": "os-imported", "defaultConfiguration": {"level": "note"}}]}},
    )" + provenance + R"("results": [)" + results + "]}]}";
}

const json::object* byRule(const json::value& doc, const std::string& rule) {
  for (const auto& f : doc.at("findings").as_array())
    if (f.at("ruleId").as_string() == rule) return &f.as_object();
  return nullptr;
}

class History : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_.write("app/main.py", kMain);
    repo_.write("app/util.py", kUtil);
    scanned_ = repo_.commit("first");
    // Later: three lines above the subprocess call and the os import deleted; util.py renamed
    // and a line added above eval.
    repo_.write("app/main.py", std::string("# a\n# b\n# c\nimport subprocess\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n"));
    repo_.git("mv app/util.py app/helpers.py");
    repo_.write("app/helpers.py", std::string("import math\n") + kUtil);
    repo_.commit("second");
    // Uncommitted: two more lines above the call.
    repo_.write("app/main.py",
                std::string("# a\n# b\n# c\nimport subprocess\n# d\n# e\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n"));
  }

  json::value findings(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"findings", "--repo", repo_.root().string(), "--format", "json",
                                     "--sarif", repo_.root().string() + "/scan.sarif"};
    args.insert(args.end(), extra.begin(), extra.end());
    const CliRun r = runCli(args);
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out);
  }

  GitRepo repo_;
  std::string scanned_;
};

TEST_F(History, FindingsOfAnOlderCommitArePlacedInTheWorkingTree) {
  repo_.write("scan.sarif", report(scanned_, 4, "app/util.py", 2, true));
  const json::value doc = findings();
  EXPECT_TRUE(doc.at("problems").as_array().empty()) << json::serialize(doc.at("problems"));

  const json::object* call = byRule(doc, "dangerous-subprocess");
  ASSERT_TRUE(call);
  EXPECT_EQ(call->at("state").as_string(), "open");
  EXPECT_EQ(call->at("location").at("uri").as_string(), "app/main.py");
  EXPECT_EQ(call->at("location").at("startLine").as_int64(), 8);
  EXPECT_EQ(call->at("location").at("startColumn").as_int64(), 5);
  EXPECT_EQ(call->at("scan").at("startLine").as_int64(), 4);  // what the report said, kept
  EXPECT_EQ(call->at("scan").at("revision").as_string(), scanned_);

  const json::object* eval = byRule(doc, "eval-used");
  ASSERT_TRUE(eval);
  EXPECT_EQ(eval->at("state").as_string(), "moved");  // its file was renamed
  EXPECT_EQ(eval->at("location").at("uri").as_string(), "app/helpers.py");
  EXPECT_EQ(eval->at("location").at("startLine").as_int64(), 3);

  const json::object* import = byRule(doc, "os-imported");
  ASSERT_TRUE(import);
  EXPECT_EQ(import->at("state").as_string(), "gone");
  EXPECT_TRUE(import->at("location").is_null());
}

TEST_F(History, TheFingerprintIsTheOneAFreshScanGives) {
  repo_.write("scan.sarif", report(scanned_, 4, "app/util.py", 2, false));
  const json::value old = findings();
  // A scan of the working tree as it is now (no revision: the lines are taken as they are).
  repo_.write("scan.sarif", report("", 8, "app/helpers.py", 3, false));
  const json::value fresh = findings();
  // Hashed from the code as scanned (line 4 then, a comment now), not from whatever sits on the
  // scanned line number in the working tree, and with the path the file has now (util.py was
  // renamed to helpers.py).
  for (const char* rule : {"dangerous-subprocess", "eval-used"}) {
    ASSERT_TRUE(byRule(old, rule) && byRule(fresh, rule)) << rule;
    EXPECT_EQ(byRule(old, rule)->at("id"), byRule(fresh, rule)->at("id")) << rule;
  }
  EXPECT_EQ(byRule(fresh, "dangerous-subprocess")->at("location").at("startLine").as_int64(), 8);
}

TEST_F(History, RevisionOptionPlacesReportsThatNameNone) {
  repo_.write("scan.sarif", report("", 4, "app/util.py", 2, false));
  // Without --revision the lines are taken as they are (line 4 is a comment now)...
  EXPECT_EQ(byRule(findings(), "dangerous-subprocess")->at("location").at("startLine").as_int64(), 4);
  // ...with it, the findings follow the code.
  const json::value doc = findings({"--revision", scanned_.substr(0, 10)});
  EXPECT_EQ(byRule(doc, "dangerous-subprocess")->at("location").at("startLine").as_int64(), 8);
  EXPECT_EQ(byRule(doc, "eval-used")->at("location").at("uri").as_string(), "app/helpers.py");
}

TEST_F(History, AScanOfAnUnknownCommitIsNotGuessed) {
  repo_.write("scan.sarif", report("0123456789abcdef0123456789abcdef01234567", 4, "app/util.py", 2, false));
  const json::value doc = findings();
  const json::object* call = byRule(doc, "dangerous-subprocess");
  ASSERT_TRUE(call);
  // No snippet or line hash to match by: the finding is stale, with the reason, not on line 4.
  EXPECT_EQ(call->at("state").as_string(), "stale");
  EXPECT_TRUE(call->at("location").is_null());
  EXPECT_NE(call->at("stateNote").as_string().find("not in this repository"), std::string::npos)
      << call->at("stateNote").as_string();
  bool said = false;
  for (const auto& p : doc.at("problems").as_array())
    said = said || std::string(p.at("message").as_string()).find("0123456789abcdef") != std::string::npos;
  EXPECT_TRUE(said) << json::serialize(doc.at("problems"));
}

TEST_F(History, AReportOfHeadNewerThanTheFileSawTheWorkingTree) {
  repo_.commit("third");  // the working tree edit is HEAD now
  repo_.write("app/main.py",
              std::string("# a\n# b\n# c\nimport subprocess\n# d\n# e\n# f\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n"));
  const std::string head = repo_.git("rev-parse HEAD").substr(0, 40);
  // Scanned after that uncommitted edit, with HEAD as its revision: line 9 is already right.
  repo_.write("scan.sarif", report(head, 9, "app/helpers.py", 3, false));
  const json::value doc = findings();
  EXPECT_EQ(byRule(doc, "dangerous-subprocess")->at("location").at("startLine").as_int64(), 9);
  EXPECT_EQ(byRule(doc, "dangerous-subprocess")->at("state").as_string(), "open");
}

}  // namespace
}  // namespace aspm::cli
