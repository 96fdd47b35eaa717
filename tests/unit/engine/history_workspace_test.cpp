// The workspace on a real git repository: a report of an older commit is shown where its code is
// in the working tree, and then on the unsaved buffer while it is edited; deleting the code hides
// the finding and undoing the deletion shows it again.
#include <gtest/gtest.h>

#include <chrono>

#include "engine/features.h"
#include "engine/workspace.h"
#include "engine_test_support.h"
#include "unit/gitmap/git_fixture.h"

namespace aspm::engine {
namespace {
using gitmap::testing::GitRepo;
using testing::RecordingListener;

std::string report(const std::string& revision, int line) {
  const std::string provenance =
      revision.empty() ? "" : R"("versionControlProvenance":[{"repositoryUri":"file:///r","revisionId":")" + revision + R"("}],)";
  return R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"flawfinder"}},)" + provenance +
         R"("results":[{"ruleId":"FF1001","level":"error","message":{"text":"strcpy"},"locations":[{"physicalLocation":)"
         R"({"artifactLocation":{"uri":"src/copy.c"},"region":{"startLine":)" + std::to_string(line) +
         R"(,"startColumn":3,"endColumn":9}}}]}]}]})";
}

class HistoryWorkspace : public ::testing::Test {
 protected:
  ~HistoryWorkspace() override { ws_.reset(); }
  Workspace& start(Settings settings = {}) {
    ws_ = std::make_unique<Workspace>(
        WorkspaceOptions{repo_.root().string(), std::move(settings), std::chrono::milliseconds(0), nullptr, {}}, listener_);
    ws_->reloadAll();
    EXPECT_TRUE(ws_->waitIdle(std::chrono::steady_clock::now() + std::chrono::seconds(30)));
    return *ws_;
  }
  // 1-based lines of the diagnostics on src/copy.c.
  std::vector<int> lines() {
    std::vector<int> out;
    for (const auto& d : diagnosticsFor(*ws_->snapshot(), "src/copy.c").items) out.push_back(static_cast<int>(d.range.start.line) + 1);
    return out;
  }
  GitRepo repo_;
  RecordingListener listener_;
  std::unique_ptr<Workspace> ws_;
};

const char* const kScanned = "#include <string.h>\nvoid f(char *d, const char *s) {\n  strcpy(d, s);\n}\n";
const char* const kNow =
    "#include <string.h>\n#include <stdio.h>\n\n/* copies */\nvoid f(char *d, const char *s) {\n  strcpy(d, s);\n}\n";

TEST_F(HistoryWorkspace, AReportOfAnOlderCommitIsShownWhereTheCodeIsNow) {
  repo_.write("src/copy.c", kScanned);
  const std::string scanned = repo_.commit("scanned");
  repo_.write("src/copy.c", kNow);
  repo_.commit("later");
  repo_.write(".aspm/flawfinder.sarif", report(scanned, 3));
  start();
  EXPECT_EQ(lines(), std::vector<int>{6});
}

TEST_F(HistoryWorkspace, TheRevisionSettingPlacesReportsThatNameNone) {
  repo_.write("src/copy.c", kScanned);
  const std::string scanned = repo_.commit("scanned");
  repo_.write("src/copy.c", kNow);
  repo_.commit("later");
  repo_.write(".aspm/flawfinder.sarif", report("", 3));
  auto& ws = start();
  EXPECT_EQ(lines(), std::vector<int>{3});  // taken as it says: line 3 is blank now
  Settings s;
  s.revision = scanned;
  ws.setSettings(s, true);
  ASSERT_TRUE(ws.waitIdle(std::chrono::steady_clock::now() + std::chrono::seconds(30)));
  EXPECT_EQ(lines(), std::vector<int>{6});
}

TEST_F(HistoryWorkspace, UnsavedEditsMoveHideAndOnUndoRestoreTheFinding) {
  repo_.write("src/copy.c", kScanned);
  const std::string scanned = repo_.commit("scanned");
  repo_.write("src/copy.c", kNow);
  repo_.commit("later");
  repo_.write(".aspm/flawfinder.sarif", report(scanned, 3));
  auto& ws = start();
  ws.openDocument("src/copy.c", kNow, 1);
  EXPECT_EQ(lines(), std::vector<int>{6});
  // Two lines typed above the function.
  ASSERT_TRUE(ws.changeDocument("src/copy.c", {TextChange{Range{{4, 0}, {4, 0}}, "// a\n// b\n"}}, 2));
  EXPECT_EQ(lines(), std::vector<int>{8});
  // The strcpy line deleted: the finding goes.
  ASSERT_TRUE(ws.changeDocument("src/copy.c", {TextChange{Range{{7, 0}, {8, 0}}, ""}}, 3));
  EXPECT_TRUE(lines().empty());
  // Undo: it is back on its line.
  ASSERT_TRUE(ws.changeDocument("src/copy.c", {TextChange{Range{{7, 0}, {7, 0}}, "  strcpy(d, s);\n"}}, 4));
  EXPECT_EQ(lines(), std::vector<int>{8});
}

}  // namespace
}  // namespace aspm::engine
