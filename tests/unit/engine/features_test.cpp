// Diagnostics and hover over snapshots built from hand-made scan results: placement (0-based,
// UTF-16, whole lines), filtering, merging of one finding reported twice, related locations,
// result ids, and the shift of diagnostics while a document is edited.
#include <gtest/gtest.h>

#include "engine/features.h"
#include "engine/workspace.h"
#include "engine_test_support.h"

namespace aspm::engine {
namespace {

using testing::contents;
using testing::RecordingListener;
using testing::ScanBuilder;

const char* const kSource =
    "#include <stdio.h>\n"        // 1
    "int main(void) {\n"          // 2
    "  char buf[8];\n"            // 3
    "  gets(buf); // é😀\n"       // 4: 19 UTF-16 units (é is 1, 😀 is 2)
    "  printf(buf);\n"            // 5
    "  return 0;\n"               // 6
    "}\n";                        // 7

class Features : public ::testing::Test {
 protected:
  Features() : ws_({"/ws", {}, std::chrono::milliseconds(0), nullptr, {}}, listener_) {}

  void install(std::string file, model::ScanSet scans, std::map<std::string, std::string> files = {{"src/a.c", kSource}}) {
    ws_.installReport(buildReport(std::move(file), std::move(scans), {}, contents(std::move(files))));
  }

  RecordingListener listener_;
  Workspace ws_;
};

TEST_F(Features, DiagnosticsArePlacedZeroBasedWithWholeLinesInUtf16) {
  ScanBuilder b("Flawfinder");
  auto& rule = b.rule("FF1014");
  rule.helpUri = "https://cwe.mitre.org/data/definitions/120.html";
  b.result("FF1014", "src/a.c", 4, 0, 0, model::Level::Error, "Does not check for buffer overflows (CWE-120).");
  b.result("FF1016", "src/a.c", 5, 3, 9, model::Level::Warning, "format string");
  install("/ws/.aspm/flawfinder.sarif", b.take());

  const auto d = diagnosticsFor(*ws_.snapshot(), "src/a.c");
  ASSERT_EQ(d.items.size(), 2u);
  const auto& gets = d.items[0];
  EXPECT_EQ(gets.range.start, (Position{3, 0}));
  EXPECT_EQ(gets.range.end, (Position{3, 19}));  // the whole line, in UTF-16 units
  EXPECT_EQ(gets.ruleId, "FF1014");
  EXPECT_EQ(gets.source, "Flawfinder");
  EXPECT_EQ(gets.severity, model::Severity::High);
  EXPECT_EQ(gets.helpUri, "https://cwe.mitre.org/data/definitions/120.html");
  EXPECT_EQ(gets.message, "Does not check for buffer overflows (CWE-120).");
  EXPECT_FALSE(gets.findingId.empty());
  const auto& printf = d.items[1];
  EXPECT_EQ(printf.range.start, (Position{4, 2}));
  EXPECT_EQ(printf.range.end, (Position{4, 8}));
  EXPECT_EQ(printf.severity, model::Severity::Medium);
  EXPECT_FALSE(d.version);
  EXPECT_TRUE(diagnosticsFor(*ws_.snapshot(), "src/other.c").items.empty());
  EXPECT_EQ(filesWithFindings(*ws_.snapshot()), std::vector<std::string>{"src/a.c"});
}

TEST_F(Features, MinimumSeverityAndSuppressionsFilter) {
  ScanBuilder b("Flawfinder");
  b.result("HIGH", "src/a.c", 4, 0, 0, model::Level::Error);
  b.result("LOW", "src/a.c", 5, 0, 0, model::Level::Note);
  b.result("SUPPRESSED", "src/a.c", 6, 0, 0, model::Level::Error).suppressions.push_back({"inSource", "", "ok"});
  install("/ws/r.sarif", b.take());
  auto ids = [&] {
    std::vector<std::string> out;
    for (const auto& d : diagnosticsFor(*ws_.snapshot(), "src/a.c").items) out.push_back(d.ruleId);
    return out;
  };
  EXPECT_EQ(ids(), (std::vector<std::string>{"HIGH", "LOW"}));
  Settings s;
  s.minSeverity = model::Severity::Medium;
  ws_.setSettings(s);
  EXPECT_EQ(ids(), std::vector<std::string>{"HIGH"});
}

TEST_F(Features, CodeFlowsAndRelatedLocationsBecomeRelatedInformation) {
  ScanBuilder b("CodeQL");
  auto& r = b.result("js/sql-injection", "src/a.c", 5, 3, 9);
  model::CodeFlow flow;
  flow.threadFlows.emplace_back();
  model::ThreadFlowStep source;
  source.location = {"src/a.c", true, {}, {}, "user input", ""};
  source.location.region.startLine = 3;
  model::ThreadFlowStep sink;
  sink.location = {"src/a.c", true, {}, {}, "", ""};
  sink.location.region.startLine = 5;
  sink.location.region.startColumn = 3;
  sink.kind = "sink";
  flow.threadFlows[0] = {source, sink};
  r.codeFlows.push_back(flow);
  model::Location rel{"/elsewhere/lib.c", false, {}, {}, "defined here", ""};
  rel.region.startLine = 10;
  r.relatedLocations.push_back(rel);
  model::Location outside{"relative/unresolved.c", false, {}, {}, "cannot be shown", ""};
  r.relatedLocations.push_back(outside);
  install("/ws/codeql.sarif", b.take());

  const auto d = diagnosticsFor(*ws_.snapshot(), "src/a.c");
  ASSERT_EQ(d.items.size(), 1u);
  const auto& related = d.items[0].related;
  ASSERT_EQ(related.size(), 3u);
  EXPECT_EQ(related[0].message, "step 1: user input");
  EXPECT_EQ(related[0].path, "src/a.c");
  EXPECT_EQ(related[0].range.start, (Position{2, 0}));
  EXPECT_EQ(related[1].message, "step 2 (sink)");
  EXPECT_EQ(related[1].range.start, (Position{4, 2}));
  EXPECT_EQ(related[2].message, "defined here");
  EXPECT_FALSE(related[2].inWorkspace);
  EXPECT_EQ(related[2].path, "/elsewhere/lib.c");
}

TEST_F(Features, OneFindingInTwoReportsShowsOnceWithBothTools) {
  ScanBuilder a("Semgrep OSS");
  a.result("python.exec", "src/a.c", 4);
  ScanBuilder b("Semgrep Pro");
  b.result("python.exec", "src/a.c", 4);
  install("/ws/a.sarif", a.take());
  install("/ws/b.sarif", b.take());
  const auto d = diagnosticsFor(*ws_.snapshot(), "src/a.c");
  ASSERT_EQ(d.items.size(), 1u);
  EXPECT_EQ(d.items[0].source, "Semgrep OSS+Semgrep Pro");
}

TEST_F(Features, HoverShowsTheRuleDocumentation) {
  ScanBuilder b("bandit");
  auto& rule = b.rule("B602");
  rule.name = "subprocess_popen_with_shell_equals_true";
  rule.helpText = "Using shell=True invites shell injection.";
  rule.helpUri = "https://bandit.readthedocs.io/en/latest/plugins/b602.html";
  rule.cwes = {"CWE-78"};
  b.result("B602", "src/a.c", 5, 3, 9, model::Level::Error, "subprocess call with shell=True identified");
  install("/ws/bandit.sarif", b.take());

  auto h = hoverAt(*ws_.snapshot(), "src/a.c", {4, 5});
  ASSERT_TRUE(h);
  EXPECT_EQ(h->range.start, (Position{4, 2}));
  for (const char* part : {"**B602** subprocess_popen_with_shell_equals_true", "bandit", "severity **high**",
                           "subprocess call with shell=True identified", "Using shell=True invites shell injection.",
                           "[Rule documentation](https://bandit.readthedocs.io/en/latest/plugins/b602.html)",
                           "[CWE-78](https://cwe.mitre.org/data/definitions/78.html)"})
    EXPECT_NE(h->markdown.find(part), std::string::npos) << part << "\n---\n" << h->markdown;
  EXPECT_FALSE(hoverAt(*ws_.snapshot(), "src/a.c", {4, 12}));  // same line, outside the columns
  EXPECT_FALSE(hoverAt(*ws_.snapshot(), "src/a.c", {0, 0}));
}

TEST_F(Features, HelpFallsBackToMarkdownThenFullDescription) {
  ScanBuilder b("T");
  b.rule("R1").helpMarkdown = "# Markdown help";
  b.rule("R1").helpText = "plain help";
  b.rule("R2").fullDescription = "full description";
  b.result("R1", "src/a.c", 2);
  b.result("R2", "src/a.c", 3);
  install("/ws/t.sarif", b.take());
  auto h1 = hoverAt(*ws_.snapshot(), "src/a.c", {1, 0});
  ASSERT_TRUE(h1);
  EXPECT_NE(h1->markdown.find("# Markdown help"), std::string::npos);
  EXPECT_EQ(h1->markdown.find("plain help"), std::string::npos);
  auto h2 = hoverAt(*ws_.snapshot(), "src/a.c", {2, 0});
  ASSERT_TRUE(h2);
  EXPECT_NE(h2->markdown.find("full description"), std::string::npos);
}

TEST_F(Features, DiagnosticsFollowEditsAndRevertOnClose) {
  ScanBuilder b("Flawfinder");
  b.result("FF1014", "src/a.c", 4);
  b.result("FF1016", "src/a.c", 5, 3, 9);
  install("/ws/f.sarif", b.take());
  ws_.openDocument("src/a.c", kSource, 1);
  const auto before = diagnosticsFor(*ws_.snapshot(), "src/a.c");
  EXPECT_EQ(before.version, 1);

  // Two lines inserted at the top move both findings down by two.
  ASSERT_TRUE(ws_.changeDocument("src/a.c", {TextChange{Range{{0, 0}, {0, 0}}, "// a\n// b\n"}}, 2));
  auto after = diagnosticsFor(*ws_.snapshot(), "src/a.c");
  ASSERT_EQ(after.items.size(), 2u);
  EXPECT_EQ(after.items[0].range.start.line, 5u);
  EXPECT_EQ(after.items[0].range.end, (Position{5, 19}));
  EXPECT_EQ(after.items[1].range.start, (Position{6, 2}));
  EXPECT_EQ(after.version, 2);
  EXPECT_NE(after.resultId, before.resultId);

  // Typing inside the gets() line keeps it; deleting the printf line removes its finding.
  ASSERT_TRUE(ws_.changeDocument("src/a.c", {TextChange{Range{{5, 2}, {5, 2}}, "/*x*/"}}, 3));
  ASSERT_TRUE(ws_.changeDocument("src/a.c", {TextChange{Range{{6, 0}, {7, 0}}, ""}}, 4));
  after = diagnosticsFor(*ws_.snapshot(), "src/a.c");
  ASSERT_EQ(after.items.size(), 1u);
  EXPECT_EQ(after.items[0].ruleId, "FF1014");
  EXPECT_EQ(after.items[0].range.end, (Position{5, 24}));  // whole line, now 5 units longer

  ws_.closeDocument("src/a.c");
  const auto closed = diagnosticsFor(*ws_.snapshot(), "src/a.c");
  EXPECT_EQ(closed.resultId, before.resultId);  // back to the places on disk
  EXPECT_FALSE(closed.version);
}

TEST_F(Features, ResultIdIsStableForEqualResults) {
  ScanBuilder b("Flawfinder");
  b.result("FF1014", "src/a.c", 4);
  install("/ws/f.sarif", b.take());
  EXPECT_EQ(diagnosticsFor(*ws_.snapshot(), "src/a.c").resultId, diagnosticsFor(*ws_.snapshot(), "src/a.c").resultId);
}

TEST_F(Features, FindingsBeyondTheEndOfAnEditedBufferAreClamped) {
  ScanBuilder b("T");
  b.result("R", "src/a.c", 7, 1, 50);
  install("/ws/t.sarif", b.take());
  ws_.openDocument("src/a.c", "short\n", 1);  // the buffer differs from disk: taken as an edit
  const auto d = diagnosticsFor(*ws_.snapshot(), "src/a.c");
  for (const auto& item : d.items) {
    EXPECT_LE(item.range.end.line, 1u);
    EXPECT_LE(item.range.end.character, 5u);
  }
}

TEST(Placement, RegionsByOffsetAndWithoutColumns) {
  const std::string text = "ab\r\ncdé\nlast";
  const support::LineIndex lines(text);
  model::Region byOffset;
  byOffset.charOffset = 5;  // 'd': "ab" + "\r\n" (two units) + "c"
  byOffset.charLength = 2;
  auto p = placeRegion(byOffset, &text, &lines);
  EXPECT_EQ(p.range.start, (Position{1, 1}));
  EXPECT_EQ(p.range.end, (Position{1, 3}));
  model::Region lineOnly;
  lineOnly.startLine = 2;
  p = placeRegion(lineOnly, &text, &lines);
  EXPECT_TRUE(p.wholeLine);
  EXPECT_EQ(p.range.end, (Position{1, 3}));
  model::Region openEnd;
  openEnd.startLine = 3;
  openEnd.startColumn = 2;
  p = placeRegion(openEnd, &text, &lines);
  EXPECT_EQ(p.range.start, (Position{2, 1}));
  EXPECT_EQ(p.range.end, (Position{2, 4}));  // SARIF: no endColumn means the end of the line
}

}  // namespace
}  // namespace aspm::engine
