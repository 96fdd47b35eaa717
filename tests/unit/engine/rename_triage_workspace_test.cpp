// The language server's view of a decision made before a rename: in a real git repository a
// finding dismissed while its file had its old name stays hidden after `git mv`, for the old
// report and for a report of the renamed file; its explanation says where the decision was made,
// its history (hover, explain) keeps the old decision, and the file's other finding is untouched.
#include <gtest/gtest.h>

#include <chrono>

#include "engine/actions.h"
#include "engine/features.h"
#include "engine/workspace.h"
#include "engine_test_support.h"
#include "unit/gitmap/git_fixture.h"

namespace aspm::engine {
namespace {
using gitmap::testing::GitRepo;
using testing::RecordingListener;

// Two flawfinder findings in `path`: strcpy on line 3, strcat on line 4.
std::string report(const std::string& revision, const std::string& path) {
  auto result = [&](const char* rule, const char* message, int line) {
    return std::string(R"({"ruleId":")") + rule + R"(","level":"error","message":{"text":")" + message +
           R"("},"locations":[{"physicalLocation":{"artifactLocation":{"uri":")" + path + R"("},"region":{"startLine":)" +
           std::to_string(line) + R"(,"startColumn":3,"endColumn":9}}}]})";
  };
  return R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"flawfinder"}},"versionControlProvenance":[{"repositoryUri":"file:///r","revisionId":")" +
         revision + R"("}],"results":[)" + result("FF1001", "strcpy", 3) + "," + result("FF1002", "strcat", 4) + "]}]}";
}

const char* const kCopy = "#include <string.h>\nvoid f(char *d, const char *s) {\n  strcpy(d, s);\n  strcat(d, s);\n}\n";

class RenameTriageWorkspace : public ::testing::Test {
 protected:
  ~RenameTriageWorkspace() override { ws_.reset(); }
  Workspace& start() {
    ws_.reset();
    ws_ = std::make_unique<Workspace>(WorkspaceOptions{repo_.root().string(), {}, std::chrono::milliseconds(0), nullptr, {}}, listener_);
    ws_->reloadAll();
    EXPECT_TRUE(ws_->waitIdle(std::chrono::steady_clock::now() + std::chrono::seconds(30)));
    return *ws_;
  }
  const model::Finding* byRule(const std::string& rule) {
    for (const auto& r : ws_->snapshot()->reports)
      for (const auto& f : r->findings)
        if (r->primary(f).ruleId == rule) return &f;
    ADD_FAILURE() << "no finding of " << rule;
    return nullptr;
  }
  std::vector<std::string> shownRules(const std::string& path) {
    std::vector<std::string> out;
    for (const auto& d : diagnosticsFor(*ws_->snapshot(), path).items) out.push_back(d.ruleId);
    return out;
  }

  // A: both findings in src/copy.c; strcpy dismissed there, keyed by the id that path gives.
  void triageBeforeRename() {
    repo_.write(".gitignore", ".aspm/\n");
    repo_.write("src/copy.c", kCopy);
    repo_.write("src/other.c", "int x;\n");
    scannedA_ = repo_.commit("A");
    repo_.write(".aspm/scan.sarif", report(scannedA_, "src/copy.c"));
    auto& ws = start();
    const model::Finding* strcpy = byRule("FF1001");
    ASSERT_TRUE(strcpy);
    idA_ = strcpy->id;
    ASSERT_TRUE(ws.recordTriage(idA_, {"false_positive", "bounded by the caller", "ada", "2026-01-05T10:00:00Z", ""}).error.empty());
    EXPECT_EQ(shownRules("src/copy.c"), std::vector<std::string>{"FF1002"});
    ws_.reset();
    // B: renamed, and an edit elsewhere.
    repo_.git("mv src/copy.c src/strings.c");
    repo_.write("src/other.c", "int x;\nint y;\n");
    scannedB_ = repo_.commit("B");
  }

  // `otherState`: "moved" for the old report (its file was renamed), "open" for a report of the new name.
  void expectDecisionFollowed(const char* otherState) {
    EXPECT_EQ(shownRules("src/strings.c"), std::vector<std::string>{"FF1002"});  // strcpy hidden, strcat shown
    const model::Finding* strcpy = byRule("FF1001");
    const model::Finding* strcat = byRule("FF1002");
    ASSERT_TRUE(strcpy && strcat);
    EXPECT_NE(strcpy->id, idA_);
    const Snapshot& s = *ws_->snapshot();
    const model::PreviousId* via = nullptr;
    const model::TriageDecision* t = s.triageOf(*strcpy, &via);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->status, "false_positive");
    ASSERT_TRUE(via);
    EXPECT_EQ(via->id, idA_);
    EXPECT_EQ(via->path, "src/copy.c");
    EXPECT_EQ(s.triageOf(*strcat), nullptr);

    const auto page = listFindings(s, {});
    for (const auto& f : page.findings) EXPECT_EQ(f.state, f.ruleId == "FF1001" ? "triaged" : otherState) << f.ruleId;

    const auto explained = explainFinding(s, strcpy->id, ws_->triageHistory(strcpy->id));
    ASSERT_TRUE(explained);
    EXPECT_NE(explained->find("bounded by the caller"), std::string::npos) << *explained;
    EXPECT_NE(explained->find("made on `src/copy.c` before the rename"), std::string::npos) << *explained;
    EXPECT_TRUE(ws_->triageHistory(strcat->id).empty());
  }

  GitRepo repo_;
  RecordingListener listener_;
  std::unique_ptr<Workspace> ws_;
  std::string scannedA_, scannedB_, idA_;
};

TEST_F(RenameTriageWorkspace, TheOldReportKeepsTheDecision) {
  triageBeforeRename();
  start();
  expectDecisionFollowed("moved");
}

TEST_F(RenameTriageWorkspace, AReportOfTheRenamedFileKeepsTheDecision) {
  triageBeforeRename();
  repo_.write(".aspm/scan.sarif", report(scannedB_, "src/strings.c"));
  start();
  expectDecisionFollowed("open");
}

TEST_F(RenameTriageWorkspace, ReopeningAfterTheRenameShowsTheWholeHistory) {
  triageBeforeRename();
  auto& ws = start();
  const model::Finding* strcpy = byRule("FF1001");
  ASSERT_TRUE(strcpy);
  const std::string id = strcpy->id;
  ASSERT_TRUE(ws.recordTriage(id, {"open", "the caller changed", "bob", "2026-02-01T10:00:00Z", ""}).error.empty());
  EXPECT_EQ(shownRules("src/strings.c"), (std::vector<std::string>{"FF1001", "FF1002"}));
  const auto history = ws.triageHistory(id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].status, "false_positive");  // under the old id, oldest first
  EXPECT_EQ(history[1].status, "open");
  const auto hover = hoverAt(*ws.snapshot(), "src/strings.c", Position{2, 4}, [&](const std::string& fid) { return ws.triageHistory(fid); });
  ASSERT_TRUE(hover);
  EXPECT_NE(hover->markdown.find("**Triage:** open by bob"), std::string::npos) << hover->markdown;
  EXPECT_NE(hover->markdown.find("false_positive by ada: bounded by the caller"), std::string::npos) << hover->markdown;
  EXPECT_EQ(hover->markdown.find("before the rename"), std::string::npos) << hover->markdown;  // decided under the new id
}

}  // namespace
}  // namespace aspm::engine
