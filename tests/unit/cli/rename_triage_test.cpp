// A triage decision outlives a rename: a finding dismissed while its file had its old name stays
// dismissed in `aspm findings` and `aspm gate` after `git mv`, whether the report is the old
// scan, a scan of the renamed file or a scan that names no commit, and a different finding in
// the renamed file is not affected (docs/fingerprints.md, "Renamed files").
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "store/client/decision_log.h"
#include "unit/cli/cli_test_support.h"
#include "unit/gitmap/git_fixture.h"

namespace aspm::cli {
namespace {
namespace json = boost::json;

using clitest::CliRun;
using clitest::runCli;
using gitmap::testing::GitRepo;

const char* const kUtil =
    "def calc(expr):\n"
    "    return eval(expr)\n"
    "def run(code):\n"
    "    exec(code)\n";

// A semgrep-like report of the two findings in `path`; `revision` empty leaves
// versionControlProvenance out.
std::string report(const std::string& revision, const std::string& path) {
  const std::string provenance =
      revision.empty() ? "" : R"("versionControlProvenance": [{"repositoryUri": "file:///repo", "revisionId": ")" + revision + R"("}],)";
  return R"({"version": "2.1.0", "runs": [{
    "tool": {"driver": {"name": "Semgrep OSS", "rules": [
      {"id": "eval-used", "properties": {"tags": ["CWE-95"], "security-severity": "8.0"}},
      {"id": "exec-used", "properties": {"tags": ["CWE-78"], "security-severity": "8.0"}}]}},
    )" + provenance + R"("results": [
      {"ruleId": "eval-used", "ruleIndex": 0, "message": {"text": "eval of input"},
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": ")" + path + R"("}, "region": {"startLine": 2}}}]},
      {"ruleId": "exec-used", "ruleIndex": 1, "message": {"text": "exec of input"},
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": ")" + path + R"("}, "region": {"startLine": 4}}}]}]}]})";
}

const json::object& byRule(const json::value& doc, const std::string& rule) {
  for (const auto& f : doc.at("findings").as_array())
    if (f.at("ruleId").as_string() == rule) return f.as_object();
  ADD_FAILURE() << "no finding of " << rule << " in " << json::serialize(doc);
  static const json::object none;
  return none;
}

class RenameTriage : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_.write(".gitignore", ".aspm/\n");
    repo_.write("app/util.py", kUtil);
    repo_.write("app/main.py", "import util\n");
    scannedA_ = repo_.commit("A");
    repo_.write(".aspm/a.sarif", report(scannedA_, "app/util.py"));

    // Triaged at A, where the file still has its old name: the id hashes app/util.py.
    const json::value atA = findings(".aspm/a.sarif");
    evalIdA_ = std::string(byRule(atA, "eval-used").at("id").as_string());
    execIdA_ = std::string(byRule(atA, "exec-used").at("id").as_string());
    auto log = store::client::DecisionLog::open(repo_.root().string() + "/.aspm/triage.db");
    ASSERT_TRUE(log.value) << (log.problems.empty() ? "" : log.problems.front().message);
    ASSERT_TRUE(log.value->record(evalIdA_, {"false_positive", "input is a constant", "ada", "2026-01-05T10:00:00Z", ""}).error.empty());
    EXPECT_EQ(byRule(findings(".aspm/a.sarif"), "eval-used").at("state").as_string(), "triaged");

    // B: the file renamed, and an unrelated edit elsewhere.
    repo_.git("mv app/util.py app/helpers.py");
    repo_.write("app/main.py", "import helpers\nprint('hi')\n");
    scannedB_ = repo_.commit("B");
  }

  json::value findings(const std::string& sarif) {
    const CliRun r = runCli({"findings", "--repo", repo_.root().string(), "--format", "json", "--sarif",
                             repo_.root().string() + "/" + sarif});
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out);
  }

  // The dismissed finding is still dismissed, says through which earlier id, and the other
  // finding of the renamed file is open with no decision.
  // `otherState`: "moved" for the old scan (its file was renamed), "open" for a scan of the new name.
  void expectDecisionFollowed(const json::value& doc, const char* otherState) {
    const json::object& eval = byRule(doc, "eval-used");
    EXPECT_EQ(eval.at("state").as_string(), "triaged") << json::serialize(eval);
    EXPECT_NE(eval.at("id").as_string(), evalIdA_);  // the id hashes the path the file has now
    ASSERT_TRUE(eval.at("triage").is_object()) << json::serialize(eval);
    EXPECT_EQ(eval.at("triage").at("status").as_string(), "false_positive");
    EXPECT_EQ(eval.at("triage").at("decidedOn").at("id").as_string(), evalIdA_);
    EXPECT_EQ(eval.at("triage").at("decidedOn").at("path").as_string(), "app/util.py");
    EXPECT_EQ(eval.at("triage").at("decidedOn").at("note").as_string(), "decided on app/util.py before the rename");
    ASSERT_TRUE(eval.contains("previousIds"));
    EXPECT_EQ(eval.at("previousIds").at(0).at("id").as_string(), evalIdA_);

    const json::object& exec = byRule(doc, "exec-used");
    EXPECT_EQ(exec.at("state").as_string(), otherState) << json::serialize(exec);
    EXPECT_TRUE(exec.at("triage").is_null());
    EXPECT_EQ(exec.at("previousIds").at(0).at("id").as_string(), execIdA_);
    EXPECT_EQ(exec.at("location").at("uri").as_string(), "app/helpers.py");
  }

  GitRepo repo_;
  std::string scannedA_, scannedB_, evalIdA_, execIdA_;
};

TEST_F(RenameTriage, TheOldScanKeepsTheDecision) {
  const json::value doc = findings(".aspm/a.sarif");
  expectDecisionFollowed(doc, "moved");
  EXPECT_EQ(byRule(doc, "eval-used").at("location").at("uri").as_string(), "app/helpers.py");
}

TEST_F(RenameTriage, AScanOfTheRenamedFileKeepsTheDecision) {
  repo_.write(".aspm/b.sarif", report(scannedB_, "app/helpers.py"));
  const json::value doc = findings(".aspm/b.sarif");
  expectDecisionFollowed(doc, "open");
  // Old and new scans agree on the id.
  const json::value old = findings(".aspm/a.sarif");
  EXPECT_EQ(byRule(doc, "eval-used").at("id"), byRule(old, "eval-used").at("id"));
}

TEST_F(RenameTriage, AScanThatNamesNoCommitKeepsTheDecision) {
  repo_.write(".aspm/now.sarif", report("", "app/helpers.py"));
  expectDecisionFollowed(findings(".aspm/now.sarif"), "open");
}

TEST_F(RenameTriage, ADecisionUnderTheNewIdWins) {
  // Reopened after the rename: recorded under the new id, which is looked up first.
  repo_.write(".aspm/b.sarif", report(scannedB_, "app/helpers.py"));
  const json::value before = findings(".aspm/b.sarif");
  const std::string newId(byRule(before, "eval-used").at("id").as_string());
  auto log = store::client::DecisionLog::open(repo_.root().string() + "/.aspm/triage.db");
  ASSERT_TRUE(log.value);
  ASSERT_TRUE(log.value->record(newId, {"open", "not constant any more", "bob", "2026-02-01T10:00:00Z", ""}).error.empty());
  const json::value doc = findings(".aspm/b.sarif");
  const json::object& eval = byRule(doc, "eval-used");
  EXPECT_EQ(eval.at("state").as_string(), "open");
  EXPECT_EQ(eval.at("triage").at("status").as_string(), "open");
  EXPECT_FALSE(eval.at("triage").as_object().contains("decidedOn"));
}

TEST_F(RenameTriage, TheGateHonoursTheDecision) {
  repo_.write(".aspm/b.sarif", report(scannedB_, "app/helpers.py"));
  // Only the dismissed finding (CWE-95) fails this policy, unless its decision exempts it.
  auto gate = [&](bool honour) {
    repo_.write("policy.yaml", std::string("version: 1\nmode: enforce\nhonour_triage: ") + (honour ? "true" : "false") +
                                   "\nrules:\n  - id: no-eval\n    action: block\n    when: {cwe: CWE-95}\n");
    return runCli({"gate", "--repo", repo_.root().string(), "--policy", repo_.root().string() + "/policy.yaml", "--sarif",
                   repo_.root().string() + "/.aspm/b.sarif"});
  };
  const CliRun honoured = gate(true);
  EXPECT_EQ(honoured.code, 0) << honoured.out << honoured.err;
  const CliRun ignored = gate(false);
  EXPECT_EQ(ignored.code, 1) << ignored.out << ignored.err;
}

}  // namespace
}  // namespace aspm::cli
