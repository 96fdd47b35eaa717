// Code actions, triage, the findings list and explanations on real files read through the
// workspace: a scanner's fix moves with the code or is refused with the reason, suppressions come
// in the reporting tool's syntax, an upgrade fixes every finding about a package (on the real Snyk
// report), and triage decisions hide findings, survive a restart and can be reopened.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "engine/actions.h"
#include "engine/features.h"
#include "engine/workspace.h"
#include "engine_test_support.h"

namespace aspm::engine {
namespace {
namespace fs = std::filesystem;
using testing::RecordingListener;

// A SARIF log in the shape Semgrep writes for a rule with an autofix (`fix:`): the fix replaces
// `shell=True` on line 3.
constexpr const char* kSemgrepWithFix = R"json({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Semgrep OSS",
 "rules":[{"id":"python.lang.security.audit.subprocess-shell-true","shortDescription":{"text":"subprocess with shell=True"},
   "helpUri":"https://semgrep.dev/r/python.lang.security.audit.subprocess-shell-true",
   "properties":{"tags":["CWE-78: Improper Neutralization of Special Elements used in an OS Command","security"],"security-severity":"7.5"}}]}},
 "results":[{"ruleId":"python.lang.security.audit.subprocess-shell-true","level":"error",
   "message":{"text":"Found 'subprocess' function 'call' with 'shell=True'."},
   "locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/app.py"},
     "region":{"startLine":3,"startColumn":5,"endLine":3,"endColumn":37,"snippet":{"text":"    subprocess.call(cmd, shell=True)"}}}}],
   "fixes":[{"description":{"text":"Use shell=False"},"artifactChanges":[{"artifactLocation":{"uri":"src/app.py"},
     "replacements":[{"deletedRegion":{"startLine":3,"startColumn":26,"endLine":3,"endColumn":36},
                      "insertedContent":{"text":"shell=False"}}]}]}]}]}]})json";

constexpr const char* kApp = "import subprocess\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n";

class Actions : public ::testing::Test {
 protected:
  Actions() {
    write("src/app.py", kApp);
    write(".aspm/semgrep.sarif", kSemgrepWithFix);
  }
  ~Actions() override { ws_.reset(); }
  void write(const std::string& rel, const std::string& text) { tree_.write(rel, text); }
  Workspace& start() {
    ws_.reset();
    ws_ = std::make_unique<Workspace>(WorkspaceOptions{root_.string(), {}, std::chrono::milliseconds(0), nullptr, {}}, listener_);
    ws_->reloadAll();
    EXPECT_TRUE(ws_->waitIdle(std::chrono::steady_clock::now() + std::chrono::seconds(30)));
    return *ws_;
  }
  std::vector<FindingAction> actionsOn(const std::string& path, std::uint32_t line) {
    return codeActionsAt(*ws_->snapshot(), path, Range{{line, 0}, {line, 0}}, {});
  }
  static const FindingAction* first(const std::vector<FindingAction>& actions, ActionKind kind) {
    for (const auto& a : actions)
      if (a.kind == kind) return &a;
    return nullptr;
  }
  std::string findingId() {
    const auto d = diagnosticsFor(*ws_->snapshot(), "src/app.py");
    return d.items.empty() ? std::string() : d.items.front().findingId;
  }

  testing::TempTree tree_{"aspm-actions"};
  const fs::path& root_ = tree_.root();
  RecordingListener listener_;
  std::unique_ptr<Workspace> ws_;
};

TEST_F(Actions, TheScannersFixAppliesWhereTheCodeIs) {
  start();
  const auto actions = actionsOn("src/app.py", 2);
  const FindingAction* fix = first(actions, ActionKind::Fix);
  ASSERT_NE(fix, nullptr);
  EXPECT_EQ(fix->title, "Replace `shell=True` with `shell=False` (Semgrep OSS)");
  EXPECT_TRUE(fix->disabledReason.empty()) << fix->disabledReason;
  EXPECT_TRUE(fix->preferred);
  ASSERT_EQ(fix->edits.size(), 1u);
  EXPECT_EQ(fix->edits[0].path, "src/app.py");
  EXPECT_EQ(fix->edits[0].range, (Range{{2, 25}, {2, 35}}));
  EXPECT_EQ(fix->edits[0].newText, "shell=False");
  // Nothing offered on a line without findings.
  EXPECT_TRUE(actionsOn("src/app.py", 0).empty());
}

TEST_F(Actions, TheFixFollowsLinesInsertedInTheEditorAndIsRefusedWhenItsCodeWasEdited) {
  auto& ws = start();
  ws.openDocument("src/app.py", kApp, 1);
  ws.changeDocument("src/app.py", {TextChange{Range{{0, 0}, {0, 0}}, "# header\n# more\n"}}, 2);
  auto actions = actionsOn("src/app.py", 4);
  const FindingAction* fix = first(actions, ActionKind::Fix);
  ASSERT_NE(fix, nullptr);
  ASSERT_EQ(fix->edits.size(), 1u);
  EXPECT_EQ(fix->edits[0].range, (Range{{4, 25}, {4, 35}}));

  // The developer already changed the argument: the fix no longer matches and says so.
  ws.changeDocument("src/app.py", {TextChange{Range{{4, 31}, {4, 35}}, "bool(flag)"}}, 3);
  actions = actionsOn("src/app.py", 4);
  fix = first(actions, ActionKind::Fix);
  ASSERT_NE(fix, nullptr);
  EXPECT_TRUE(fix->edits.empty());
  EXPECT_NE(fix->disabledReason.find("was edited"), std::string::npos) << fix->disabledReason;
}

TEST_F(Actions, AFileChangedOnDiskSinceTheScanRefusesTheFix) {
  write("src/app.py", "import subprocess\ndef run(cmd):\n    subprocess.call(cmd, shell=flag)\n");
  start();
  const FindingAction* fix = nullptr;
  const auto actions = actionsOn("src/app.py", 2);
  fix = first(actions, ActionKind::Fix);
  ASSERT_NE(fix, nullptr);
  EXPECT_NE(fix->disabledReason.find("changed since the scan"), std::string::npos) << fix->disabledReason;
}

TEST_F(Actions, SuppressionUsesTheReportingToolsSyntax) {
  start();
  const auto actions = actionsOn("src/app.py", 2);
  const FindingAction* sup = first(actions, ActionKind::Suppress);
  ASSERT_NE(sup, nullptr);
  ASSERT_EQ(sup->edits.size(), 1u);
  EXPECT_NE(sup->edits[0].newText.find("nosemgrep: python.lang.security.audit.subprocess-shell-true"), std::string::npos)
      << sup->edits[0].newText;
  // Once the comment is in the buffer, the finding is no longer shown, nor after a restart when
  // the comment is saved.
  auto& ws = *ws_;
  ws.openDocument("src/app.py", kApp, 1);
  ASSERT_EQ(diagnosticsFor(*ws.snapshot(), "src/app.py").items.size(), 1u);
  const Range& r = sup->edits[0].range;
  ws.changeDocument("src/app.py", {TextChange{r, sup->edits[0].newText}}, 2);
  EXPECT_TRUE(diagnosticsFor(*ws.snapshot(), "src/app.py").items.empty()) << ws.snapshot()->document("src/app.py")->text;
  write("src/app.py", ws.snapshot()->document("src/app.py")->text);
  start();
  EXPECT_TRUE(diagnosticsFor(*ws_->snapshot(), "src/app.py").items.empty());
  FindingsQuery q;
  const auto page = listFindings(*ws_->snapshot(), q);
  ASSERT_EQ(page.total, 1u);
  EXPECT_EQ(page.findings[0].state, "suppressed");
}

TEST_F(Actions, TriageHidesTheFindingSurvivesARestartAndCanBeReopened) {
  auto& ws = start();
  const std::string id = findingId();
  ASSERT_FALSE(id.empty());
  auto outcome = ws.recordTriage(id, {"false_positive", "cmd is a constant", "dev", "", ""});
  ASSERT_TRUE(outcome.error.empty()) << outcome.error;
  EXPECT_EQ(outcome.paths, std::vector<std::string>{"src/app.py"});
  EXPECT_TRUE(diagnosticsFor(*ws.snapshot(), "src/app.py").items.empty());
  EXPECT_TRUE(fs::exists(root_ / ".aspm/triage.db"));

  // A new workspace (an editor restart) reads the decision back.
  auto& again = start();
  EXPECT_TRUE(diagnosticsFor(*again.snapshot(), "src/app.py").items.empty());
  FindingsQuery q;
  auto page = listFindings(*again.snapshot(), q);
  ASSERT_EQ(page.total, 1u);
  EXPECT_EQ(page.findings[0].state, "triaged");
  ASSERT_TRUE(page.findings[0].triage);
  EXPECT_EQ(page.findings[0].triage->reason, "cmd is a constant");
  q.includeHidden = false;
  EXPECT_EQ(listFindings(*again.snapshot(), q).total, 0u);

  // Reopen is what a triaged finding offers, and it brings the diagnostic back.
  EXPECT_TRUE(codeActionsAt(*again.snapshot(), "src/app.py", Range{{2, 0}, {2, 0}}, {}).empty());  // hidden: no actions
  ASSERT_TRUE(again.recordTriage(id, {"open", "", "dev", "", ""}).error.empty());
  EXPECT_EQ(diagnosticsFor(*again.snapshot(), "src/app.py").items.size(), 1u);
  const auto history = again.triageHistory(id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].status, "false_positive");
  EXPECT_EQ(history[1].status, "open");
  EXPECT_FALSE(history[0].at.empty());

  EXPECT_FALSE(again.recordTriage(id, {"ignored", "", "", "", ""}).error.empty());
  // The hover lists the history when asked for it.
  const auto hover = hoverAt(*again.snapshot(), "src/app.py", Position{2, 10},
                             [&](const std::string& fid) { return again.triageHistory(fid); });
  ASSERT_TRUE(hover);
  EXPECT_NE(hover->markdown.find("**Triage history:**"), std::string::npos) << hover->markdown;
  EXPECT_NE(hover->markdown.find("false_positive by dev: cmd is a constant"), std::string::npos) << hover->markdown;
}

TEST_F(Actions, AcceptedRiskHidesUntilItExpires) {
  auto& ws = start();
  const std::string id = findingId();
  ASSERT_TRUE(ws.recordTriage(id, {"accepted_risk", "behind VPN", "dev", "", "2000-01-01T00:00:00Z"}).error.empty());
  EXPECT_EQ(diagnosticsFor(*ws.snapshot(), "src/app.py").items.size(), 1u);  // expired: shown again
  ASSERT_TRUE(ws.recordTriage(id, {"accepted_risk", "behind VPN", "dev", "", "2999-01-01T00:00:00Z"}).error.empty());
  EXPECT_TRUE(diagnosticsFor(*ws.snapshot(), "src/app.py").items.empty());
}

TEST_F(Actions, ExplanationHasRiskToolsWeaknessRemediationAndHistory) {
  auto& ws = start();
  const std::string id = findingId();
  ws.recordTriage(id, {"wont_fix", "legacy endpoint", "dev", "2026-11-01T10:00:00Z", ""});
  const auto md = explainFinding(*ws.snapshot(), id, ws.triageHistory(id));
  ASSERT_TRUE(md);
  for (const char* part : {"### Risk", "| severity |", "**Semgrep OSS** `python.lang.security.audit.subprocess-shell-true`",
                           "CWE-78", "### Remediation", "```python", "### Triage history", "**wont_fix** by dev: legacy endpoint",
                           "[Semgrep OSS rule documentation](https://semgrep.dev/r/"})
    EXPECT_NE(md->find(part), std::string::npos) << part << "\n---\n" << *md;
  EXPECT_FALSE(explainFinding(*ws.snapshot(), "no-such-id"));
}

// The real Snyk Open Source report of a project pinned to lodash 4.15.0: nine vulnerabilities,
// reported without a location. On the package.json line that declares lodash, one upgrade to the
// highest fixed version fixes all of them.
TEST_F(Actions, OneUpgradeOnTheManifestFixesEveryFindingOfThePackage) {
  fs::copy_file(fs::path(ASPM_SHARED_FIXTURES) / "real-sarif/snyk/crispy-octo-happiness__oss.sarif", root_ / ".aspm/snyk.sarif");
  write("package.json", "{\n  \"name\": \"demo\",\n  \"dependencies\": {\n    \"lodash\": \"4.15.0\"\n  }\n}\n");
  start();
  const auto actions = actionsOn("package.json", 3);
  const FindingAction* up = first(actions, ActionKind::Upgrade);
  ASSERT_NE(up, nullptr);
  EXPECT_NE(up->title.find("4.17.21"), std::string::npos) << up->title;
  EXPECT_NE(up->title.find("(fixes 9 findings)"), std::string::npos) << up->title;
  ASSERT_EQ(up->edits.size(), 1u);
  EXPECT_EQ(up->edits[0].path, "package.json");
  EXPECT_EQ(up->edits[0].range.start.line, 3u);
  EXPECT_EQ(up->edits[0].newText, "4.17.21");
  EXPECT_TRUE(actionsOn("package.json", 1).empty());  // not on the line of another key
}

TEST_F(Actions, ACodeLensSitsAboveTheFunctionHoldingFindings) {
  auto& ws = start();
  auto lenses = codeLensesFor(*ws.snapshot(), "src/app.py");
  ASSERT_EQ(lenses.size(), 1u);
  EXPECT_EQ(lenses[0].range.start.line, 1u);  // def run(cmd):
  EXPECT_EQ(lenses[0].count, 1u);
  EXPECT_EQ(lenses[0].topFindingId, findingId());
  EXPECT_EQ(lenses[0].title.rfind("1 security finding · top risk ", 0), 0u) << lenses[0].title;
  // Lines inserted above the function in the editor move the lens with it.
  ws.openDocument("src/app.py", kApp, 1);
  ws.changeDocument("src/app.py", {TextChange{Range{{0, 0}, {0, 0}}, "import os\n\n"}}, 2);
  lenses = codeLensesFor(*ws.snapshot(), "src/app.py");
  ASSERT_EQ(lenses.size(), 1u);
  EXPECT_EQ(lenses[0].range.start.line, 3u);
  Settings off;
  off.codeLens = false;
  ws.setSettings(off, false);
  EXPECT_TRUE(codeLensesFor(*ws.snapshot(), "src/app.py").empty());
}

// Findings of reports read before a save follow the edits made since the file was opened;
// findings of a report written after the save describe the saved text and are not shifted again.
TEST_F(Actions, AReportWrittenAfterASaveDescribesTheSavedText) {
  // The scan was made a while ago (file-system times are coarse: keep it clearly before the save).
  fs::last_write_time(root_ / ".aspm/semgrep.sarif", fs::file_time_type::clock::now() - std::chrono::minutes(5));
  auto& ws = start();
  ws.openDocument("src/app.py", kApp, 1);
  ws.changeDocument("src/app.py", {TextChange{Range{{0, 0}, {0, 0}}, "# a\n# b\n"}}, 2);
  ASSERT_EQ(diagnosticsFor(*ws.snapshot(), "src/app.py").items.at(0).range.start.line, 4u);
  write("src/app.py", ws.snapshot()->document("src/app.py")->text);
  ws.saveDocument("src/app.py");
  EXPECT_EQ(diagnosticsFor(*ws.snapshot(), "src/app.py").items.at(0).range.start.line, 4u);  // old report: still shifted
  std::string rescanned = kSemgrepWithFix;
  for (const char* from : {"\"startLine\":3", "\"endLine\":3"}) {
    std::string to = from;
    to.back() = '5';
    for (std::size_t at = rescanned.find(from); at != std::string::npos; at = rescanned.find(from, at + 1))
      rescanned.replace(at, to.size(), to);
  }
  write(".aspm/semgrep.sarif", rescanned);
  ws.reportFilesChanged({{(root_ / ".aspm/semgrep.sarif").string(), FileChangeKind::Changed}});
  ASSERT_TRUE(ws.waitIdle(std::chrono::steady_clock::now() + std::chrono::seconds(30)));
  EXPECT_EQ(diagnosticsFor(*ws.snapshot(), "src/app.py").items.at(0).range.start.line, 4u);  // line 5 of the saved text
  ws.changeDocument("src/app.py", {TextChange{Range{{0, 0}, {0, 0}}, "# c\n"}}, 3);
  EXPECT_EQ(diagnosticsFor(*ws.snapshot(), "src/app.py").items.at(0).range.start.line, 5u);  // and follows new edits
}

// The hover names who last changed the finding's lines (a real git repository), and says so
// when the buffer has uncommitted edits there.
TEST_F(Actions, HoverNamesWhoLastChangedTheLines) {
  const std::string git = "git -C '" + root_.string() + "' -c user.name='Ana Ruiz' -c user.email=ana@example.com ";
  ASSERT_EQ(std::system((git + "init -q && " + git + "add -A && " + git + "commit -qm 'first' >/dev/null").c_str()), 0);
  auto& ws = start();
  auto hover = hoverAt(*ws.snapshot(), "src/app.py", Position{2, 10});
  ASSERT_TRUE(hover);
  EXPECT_NE(hover->markdown.find("*Last changed by Ana Ruiz on "), std::string::npos) << hover->markdown;
  ws.openDocument("src/app.py", kApp, 1);
  ws.changeDocument("src/app.py", {TextChange{Range{{2, 4}, {2, 4}}, "result = "}}, 2);
  hover = hoverAt(*ws.snapshot(), "src/app.py", Position{2, 20});
  ASSERT_TRUE(hover);
  EXPECT_NE(hover->markdown.find("Changed here, not committed yet."), std::string::npos) << hover->markdown;
}

TEST_F(Actions, FindingsListFiltersSortsAndPages) {
  write(".aspm/two.sarif", R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Other"}},"results":[
    {"ruleId":"R-low","level":"note","message":{"text":"minor"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/app.py"},"region":{"startLine":1}}}]},
    {"ruleId":"R-mid","level":"warning","message":{"text":"middle thing"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/app.py"},"region":{"startLine":2}}}]}]}]})");
  auto& ws = start();
  FindingsQuery q;
  auto page = listFindings(*ws.snapshot(), q);
  ASSERT_EQ(page.total, 3u);
  EXPECT_EQ(page.findings[0].ruleId, "python.lang.security.audit.subprocess-shell-true");  // highest risk first
  q.sort = FindingsQuery::Sort::Path;
  page = listFindings(*ws.snapshot(), q);
  EXPECT_EQ(page.findings[0].ruleId, "R-low");
  EXPECT_EQ(page.findings[0].range.start.line, 0u);
  q.offset = 1;
  q.limit = 1;
  page = listFindings(*ws.snapshot(), q);
  ASSERT_EQ(page.findings.size(), 1u);
  EXPECT_EQ(page.total, 3u);
  EXPECT_EQ(page.findings[0].ruleId, "R-mid");
  q = {};
  q.text = "MIDDLE";
  EXPECT_EQ(listFindings(*ws.snapshot(), q).total, 1u);
  q = {};
  q.minSeverity = model::Severity::High;
  EXPECT_EQ(listFindings(*ws.snapshot(), q).total, 1u);
}

}  // namespace
}  // namespace aspm::engine
