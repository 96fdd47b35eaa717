// The workspace with the real SARIF reader on real files: the initial load, re-reading one
// changed report alone (the other reports' data is not touched), created and deleted reports,
// settings that change the globs, and problems naming the file and JSON path.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/features.h"
#include "engine/workspace.h"
#include "engine_test_support.h"

namespace aspm::engine {
namespace {
namespace fs = std::filesystem;
using testing::RecordingListener;

struct Hit {
  std::string ruleId;
  std::string uri;
  int line;
};

std::string sarif(const std::string& tool, const std::vector<Hit>& hits) {
  std::string results;
  for (const auto& h : hits) {
    if (!results.empty()) results += ",";
    results += R"({"ruleId":")" + h.ruleId + R"(","level":"error","message":{"text":")" + h.ruleId +
               R"( here"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":")" + h.uri +
               R"("},"region":{"startLine":)" + std::to_string(h.line) + "}}}]}";
  }
  return R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":")" + tool + R"("}},"results":[)" + results + "]}]}";
}

class WorkspaceTest : public ::testing::Test {
 protected:
  WorkspaceTest() {
    write("src/a.c", "int a;\nint b;\nint c;\nint d;\n");
    write("src/b.c", "int x;\nint y;\n");
  }
  ~WorkspaceTest() override { ws_.reset(); }
  void write(const std::string& rel, const std::string& text) { tree_.write(rel, text); }
  std::string abs(const std::string& rel) const { return tree_.abs(rel); }
  Workspace& start(Settings settings = {}) {
    ws_ = std::make_unique<Workspace>(WorkspaceOptions{root_.string(), std::move(settings), std::chrono::milliseconds(0), nullptr, {}}, listener_);
    return *ws_;
  }
  void settle() { ASSERT_TRUE(ws_->waitIdle(std::chrono::steady_clock::now() + std::chrono::seconds(30))); }
  std::vector<std::string> rules(const std::string& path) {
    std::vector<std::string> out;
    for (const auto& d : diagnosticsFor(*ws_->snapshot(), path).items)
      out.push_back(d.ruleId + "@" + std::to_string(d.range.start.line + 1) + " " + d.source);
    return out;
  }
  // The report files the correlated view was built from.
  std::vector<std::string> inputs() {
    std::vector<std::string> out;
    for (const auto& r : ws_->snapshot()->reports)
      for (const auto& f : r->inputs) out.push_back(fs::relative(f, root_).generic_string());
    return out;
  }

  testing::TempTree tree_{"aspm-ws"};
  const fs::path& root_ = tree_.root();
  RecordingListener listener_;
  std::unique_ptr<Workspace> ws_;
};

TEST_F(WorkspaceTest, InitialLoadReadsEveryReportTheGlobsName) {
  write(".aspm/one.sarif", sarif("ToolOne", {{"R1", "src/a.c", 2}}));
  write("reports/two.sarif", sarif("ToolTwo", {{"R2", "src/a.c", 4}, {"R3", "src/b.c", 1}}));
  write("reports/ignored.txt", "not a report");
  auto& ws = start();
  ws.reloadAll();
  settle();
  EXPECT_EQ(inputs(), (std::vector<std::string>{".aspm/one.sarif", "reports/two.sarif"}));
  EXPECT_EQ(rules("src/a.c"), (std::vector<std::string>{"R1@2 ToolOne", "R2@4 ToolTwo"}));
  EXPECT_EQ(rules("src/b.c"), std::vector<std::string>{"R3@1 ToolTwo"});
  const auto ev = listener_.events();
  ASSERT_EQ(ev.finished.size(), 1u);
  EXPECT_EQ(ev.finished[0].reports, 2u);
  EXPECT_EQ(ev.finished[0].findings, 3u);
  EXPECT_EQ(ev.started.at(0), "Loading scanner reports");
  ASSERT_FALSE(ev.progress.empty());
  EXPECT_EQ(ev.progress.back(), 100u);
}

TEST_F(WorkspaceTest, AChangedReportIsReReadAloneAndOthersAreUntouched) {
  write(".aspm/one.sarif", sarif("ToolOne", {{"R1", "src/a.c", 2}}));
  write(".aspm/two.sarif", sarif("ToolTwo", {{"R2", "src/a.c", 4}}));
  auto& ws = start();
  ws.reloadAll();
  settle();
  ASSERT_EQ(inputs(), (std::vector<std::string>{".aspm/one.sarif", ".aspm/two.sarif"}));
  listener_.clear();

  write(".aspm/two.sarif", sarif("ToolTwo", {{"R2", "src/a.c", 3}, {"R9", "src/b.c", 2}}));
  ws.reportFilesChanged({{abs(".aspm/two.sarif"), FileChangeKind::Changed}});
  settle();
  EXPECT_EQ(inputs(), (std::vector<std::string>{".aspm/one.sarif", ".aspm/two.sarif"}));
  EXPECT_EQ(rules("src/a.c"), (std::vector<std::string>{"R1@2 ToolOne", "R2@3 ToolTwo"}));
  EXPECT_EQ(rules("src/b.c"), std::vector<std::string>{"R9@2 ToolTwo"});
  const auto ev = listener_.events();
  EXPECT_EQ(ev.started, std::vector<std::string>{"Reading two.sarif"});
  ASSERT_EQ(ev.changed.size(), 1u);
  EXPECT_EQ(ev.changed[0], (std::vector<std::string>{"src/a.c", "src/b.c"}));
}

TEST_F(WorkspaceTest, CreatedAndDeletedReports) {
  auto& ws = start();
  ws.reloadAll();
  settle();
  EXPECT_TRUE(ws.snapshot()->reports.empty());
  write(".aspm/new.sarif", sarif("Dropped", {{"N1", "src/b.c", 1}}));
  write("notes/readme.md", "# not a report");
  ws.reportFilesChanged({{abs(".aspm/new.sarif"), FileChangeKind::Created}, {abs("notes/readme.md"), FileChangeKind::Created}});
  settle();
  EXPECT_EQ(ws.snapshot()->reports.size(), 1u);
  EXPECT_EQ(rules("src/b.c"), std::vector<std::string>{"N1@1 Dropped"});
  fs::remove(root_ / ".aspm/new.sarif");
  ws.reportFilesChanged({{abs(".aspm/new.sarif"), FileChangeKind::Deleted}});
  settle();
  EXPECT_TRUE(ws.snapshot()->reports.empty());
  EXPECT_TRUE(rules("src/b.c").empty());
}

TEST_F(WorkspaceTest, ABurstOfEventsForOneReportReadsItOnce) {
  write(".aspm/one.sarif", sarif("ToolOne", {{"R1", "src/a.c", 2}}));
  ws_ = std::make_unique<Workspace>(WorkspaceOptions{root_.string(), {}, std::chrono::milliseconds(300), nullptr, {}}, listener_);
  for (int i = 0; i < 5; ++i) ws_->reportFilesChanged({{abs(".aspm/one.sarif"), FileChangeKind::Changed}});
  settle();
  EXPECT_EQ(listener_.events().started.size(), 1u);
  EXPECT_EQ(rules("src/a.c"), std::vector<std::string>{"R1@2 ToolOne"});
}

TEST_F(WorkspaceTest, NewGlobsReloadAndDropReportsNoLongerNamed) {
  write(".aspm/one.sarif", sarif("ToolOne", {{"R1", "src/a.c", 2}}));
  write("other/two.sarif", sarif("ToolTwo", {{"R2", "src/a.c", 4}}));
  auto& ws = start();
  ws.reloadAll();
  settle();
  EXPECT_EQ(inputs(), (std::vector<std::string>{".aspm/one.sarif", "other/two.sarif"}));
  Settings s;
  s.reportGlobs = {"other/*.sarif"};
  s.globsFromUser = true;
  EXPECT_TRUE(ws.setSettings(s));
  settle();
  EXPECT_EQ(rules("src/a.c"), std::vector<std::string>{"R2@4 ToolTwo"});
  EXPECT_TRUE(ws.isReportFile(abs("other/two.sarif")));
  EXPECT_FALSE(ws.isReportFile(abs(".aspm/one.sarif")));
  s.minSeverity = model::Severity::Critical;
  EXPECT_FALSE(ws.setSettings(s));  // same globs: no reload
}

TEST_F(WorkspaceTest, PlainPathsInSettingsAreRelativeToTheWorkspace) {
  write("scans/x.sarif", sarif("X", {{"R", "src/b.c", 2}}));
  Settings s;
  s.reportGlobs = {"scans"};
  auto& ws = start(s);
  ws.reloadAll();
  settle();
  EXPECT_EQ(rules("src/b.c"), std::vector<std::string>{"R@2 X"});
  EXPECT_TRUE(ws.isReportFile(abs("scans/x.sarif")));
}

TEST_F(WorkspaceTest, BadReportsAreProblemsNamingFileAndPathAndGoodResultsStay) {
  write(".aspm/bad.sarif", "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"T\"}},\"results\":["
                           "{\"ruleId\":\"OK\",\"message\":{\"text\":\"m\"},\"locations\":[{\"physicalLocation\":"
                           "{\"artifactLocation\":{\"uri\":\"src/a.c\"},\"region\":{\"startLine\":1}}}]},"
                           "{\"ruleId\":5,\"message\":{\"text\":\"m\"}}]}]}");
  write(".aspm/truncated.sarif", "{\"version\":\"2.1.0\",\"runs\":[{\"tool\"");
  auto& ws = start();
  ws.reloadAll();
  settle();
  EXPECT_EQ(rules("src/a.c"), std::vector<std::string>{"OK@1 T"});
  const auto ev = listener_.events();
  ASSERT_FALSE(ev.problems.empty());
  bool namedBad = false, namedTruncated = false;
  for (const auto& p : ev.problems) {
    if (p.file == abs(".aspm/bad.sarif") && p.path.starts_with("/runs/0/results/1")) namedBad = true;
    if (p.file == abs(".aspm/truncated.sarif")) namedTruncated = true;
  }
  EXPECT_TRUE(namedBad);
  EXPECT_TRUE(namedTruncated);
}

TEST_F(WorkspaceTest, DefaultsAlsoReadNativeReportsInAspmByContent) {
  const fs::path example = fs::path(ASPM_SOURCE_DIR) / "tests" / "example";
  fs::create_directories(root_ / "src/py");
  fs::copy_file(example / "src/py/report_worker.py", root_ / "src/py/report_worker.py");
  fs::create_directories(root_ / ".aspm");
  fs::copy_file(example / ".aspm/bandit.json", root_ / ".aspm/bandit.json");
  write(".aspm/settings.json", "{\"editor\": {\"tabSize\": 2}}");  // JSON, but not a report
  auto& ws = start();
  ws.reloadAll();
  settle();
  ASSERT_EQ(ws.snapshot()->reports.size(), 1u);
  EXPECT_EQ(rules("src/py/report_worker.py").size(), 8u);
  EXPECT_TRUE(listener_.events().problems.empty());
  EXPECT_TRUE(ws.isReportFile(abs(".aspm/bandit.json")));
  // A watched native file whose content is not a report is ignored quietly.
  ws.reportFilesChanged({{abs(".aspm/settings.json"), FileChangeKind::Changed}});
  settle();
  EXPECT_EQ(ws.snapshot()->reports.size(), 1u);
  EXPECT_TRUE(listener_.events().problems.empty());
}

// cppcheck (XML) and gcc's analyzer (JSON) report the same out-of-bounds loop in token.c: the
// workspace correlates across report files, so the editor shows one finding from both tools, and
// it stays one when either report is re-read alone or leaves.
TEST_F(WorkspaceTest, OneProblemInTwoReportFilesIsOneFinding) {
  const fs::path example = fs::path(ASPM_SOURCE_DIR) / "tests" / "example";
  fs::create_directories(root_ / "src");
  fs::copy(example / "src", root_ / "src", fs::copy_options::recursive);
  fs::create_directories(root_ / ".aspm");
  fs::copy_file(example / ".aspm/cppcheck.xml", root_ / ".aspm/cppcheck.xml");
  fs::copy_file(example / ".aspm/gcc-analyzer.json", root_ / ".aspm/gcc-analyzer.json");
  auto& ws = start();
  ws.reloadAll();
  settle();
  auto at18 = [&] {
    std::vector<std::string> out;
    for (const auto& r : rules("src/c/token.c"))
      if (r.find("@18 ") != std::string::npos) out.push_back(r);
    return out;
  };
  EXPECT_EQ(at18(), std::vector<std::string>{"arrayIndexOutOfBounds@18 cppcheck+gcc"});

  listener_.clear();
  fs::last_write_time(root_ / ".aspm/gcc-analyzer.json", fs::file_time_type::clock::now());
  ws.reportFilesChanged({{abs(".aspm/gcc-analyzer.json"), FileChangeKind::Changed}});
  settle();
  EXPECT_EQ(at18(), std::vector<std::string>{"arrayIndexOutOfBounds@18 cppcheck+gcc"});
  ASSERT_EQ(listener_.events().changed.size(), 1u);
  // Only the files the gcc report touches are republished.
  EXPECT_EQ(listener_.events().changed[0], (std::vector<std::string>{"src/c/archive.c", "src/c/token.c"}));

  fs::remove(root_ / ".aspm/gcc-analyzer.json");
  ws.reportFilesChanged({{abs(".aspm/gcc-analyzer.json"), FileChangeKind::Deleted}});
  settle();
  EXPECT_EQ(at18(), std::vector<std::string>{"arrayIndexOutOfBounds@18 cppcheck"});
  EXPECT_EQ(inputs(), std::vector<std::string>{".aspm/cppcheck.xml"});
}

TEST_F(WorkspaceTest, StopCancelsPendingWork) {
  write(".aspm/one.sarif", sarif("ToolOne", {{"R1", "src/a.c", 2}}));
  ws_ = std::make_unique<Workspace>(WorkspaceOptions{root_.string(), {}, std::chrono::hours(1), nullptr, {}}, listener_);
  ws_->reportFilesChanged({{abs(".aspm/one.sarif"), FileChangeKind::Changed}});
  ws_->stop();  // the debounced read never runs, and stopping does not wait for it
  EXPECT_TRUE(listener_.events().started.empty());
}

}  // namespace
}  // namespace aspm::engine
