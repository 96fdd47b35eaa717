// gcc JSON diagnostics adapter: real gcc 12 output for warnings with grouped notes and fix-it
// hints, an analyzer diagnostic with its path and CWE, several translation units in one file,
// byte columns on non-ASCII lines, and bad input.
#include <gtest/gtest.h>

#include <string>

#include "ingest/ingest.h"
#include "ingest/native.h"
#include "native_test_support.h"

namespace aspm::ingest::native {
namespace {

using testing_native::hasFatal;
using testing_native::problemAt;
using testing_native::TempWorkspace;

// g.c, compiled by `gcc -Wall -fdiagnostics-format=json -c g.c` (gcc 12.2) into kWarnings.
constexpr std::string_view kSource =
    "#include <stdio.h>\n"
    "int n(const char *s) { const char *e = \"\xC3\xA9\"; return (int)strlen(s) + e[0]; }\n"
    "int main(void) { int x; printf(\"%d\\n\", x); return n(\"a\"); }\n";

constexpr std::string_view kWarnings =
    R"json([{"kind": "warning", "locations": [{"finish": {"byte-column": 63, "display-column": 62, "line": 2, "file": "g.c", "column": 62}, "caret": {"byte-column": 58, "display-column": 57, "line": 2, "file": "g.c", "column": 57}}], "column-origin": 1, "option": "-Wimplicit-function-declaration", "escape-source": false, "children": [{"kind": "note", "fixits": [{"next": {"byte-column": 1, "display-column": 1, "line": 2, "file": "g.c", "column": 1}, "string": "#include <string.h>\n", "start": {"byte-column": 1, "display-column": 1, "line": 2, "file": "g.c", "column": 1}}], "escape-source": false, "locations": [{"caret": {"byte-column": 1, "display-column": 1, "line": 2, "file": "g.c", "column": 1}}], "message": "include \u2018<string.h>\u2019 or provide a declaration of \u2018strlen\u2019"}], "option_url": "https://gcc.gnu.org/onlinedocs/gcc/Warning-Options.html#index-Wimplicit-function-declaration", "message": "implicit declaration of function \u2018strlen\u2019"}, {"kind": "warning", "locations": [{"finish": {"byte-column": 63, "display-column": 62, "line": 2, "file": "g.c", "column": 62}, "caret": {"byte-column": 58, "display-column": 57, "line": 2, "file": "g.c", "column": 57}}], "column-origin": 1, "option": "-Wbuiltin-declaration-mismatch", "escape-source": false, "children": [], "option_url": "https://gcc.gnu.org/onlinedocs/gcc/Warning-Options.html#index-Wbuiltin-declaration-mismatch", "message": "incompatible implicit declaration of built-in function \u2018strlen\u2019"}, {"kind": "note", "column-origin": 1, "children": [], "escape-source": false, "locations": [{"finish": {"byte-column": 63, "display-column": 62, "line": 2, "file": "g.c", "column": 62}, "caret": {"byte-column": 58, "display-column": 57, "line": 2, "file": "g.c", "column": 57}}], "message": "include \u2018<string.h>\u2019 or provide a declaration of \u2018strlen\u2019"}, {"kind": "warning", "locations": [{"finish": {"byte-column": 41, "display-column": 41, "line": 3, "file": "g.c", "column": 41}, "caret": {"byte-column": 25, "display-column": 25, "line": 3, "file": "g.c", "column": 25}}], "column-origin": 1, "option": "-Wuninitialized", "escape-source": false, "children": [{"kind": "note", "escape-source": false, "locations": [{"caret": {"byte-column": 22, "display-column": 22, "line": 3, "file": "g.c", "column": 22}}], "message": "\u2018x\u2019 was declared here"}], "option_url": "https://gcc.gnu.org/onlinedocs/gcc/Warning-Options.html#index-Wuninitialized", "message": "\u2018x\u2019 is used uninitialized"}]
)json";

// One diagnostic of `gcc -O2 -fanalyzer -fdiagnostics-format=json` on the example's archive.c;
// the third path event has no location in gcc's own output.
constexpr std::string_view kAnalyzer =
    R"json([{"kind": "warning", "locations": [{"caret": {"byte-column": 8, "display-column": 8, "line": 21, "file": "src/c/archive.c", "column": 8}}], "path": [{"location": {"byte-column": 17, "display-column": 17, "line": 19, "file": "src/c/archive.c", "column": 17}, "description": "allocated here", "depth": 1, "function": "read_manifest"}, {"location": {"byte-column": 8, "display-column": 8, "line": 21, "file": "src/c/archive.c", "column": 8}, "description": "following ‘true’ branch (when ‘f’ is NULL)...", "depth": 1, "function": "read_manifest"}, {"description": "...to here", "depth": 1, "function": "read_manifest"}, {"location": {"byte-column": 8, "display-column": 8, "line": 21, "file": "src/c/archive.c", "column": 8}, "description": "‘buf’ leaks here; was allocated at (1)", "depth": 1, "function": "read_manifest"}], "column-origin": 1, "option": "-Wanalyzer-malloc-leak", "escape-source": false, "children": [], "option_url": "https://gcc.gnu.org/onlinedocs/gcc/Static-Analyzer-Options.html#index-Wanalyzer-malloc-leak", "message": "leak of ‘buf’", "metadata": {"cwe": 401}}]
)json";

TEST(NativeGcc, ReadsWarningsNotesAndFixits) {
  auto r = readGcc(kWarnings, "build/gcc.json", {});
  EXPECT_TRUE(r.problems.empty());
  ASSERT_EQ(r.value.runs.size(), 1U);
  const model::Run& run = r.value.runs[0];
  EXPECT_EQ(run.format, "gcc");
  EXPECT_EQ(run.tool.name, "gcc");
  ASSERT_EQ(run.rules.size(), 3U);
  EXPECT_EQ(run.rules[0].id, "-Wimplicit-function-declaration");
  EXPECT_EQ(run.rules[0].helpUri,
            "https://gcc.gnu.org/onlinedocs/gcc/Warning-Options.html#index-Wimplicit-function-declaration");
  EXPECT_EQ(run.rules[0].defaultLevel, model::Level::Warning);

  // The top-level note (entry 2) follows the -Wbuiltin-declaration-mismatch warning it belongs to.
  ASSERT_EQ(r.value.results.size(), 3U);
  const model::Result& implicit = r.value.results[0];
  EXPECT_EQ(implicit.ruleId, "-Wimplicit-function-declaration");
  EXPECT_EQ(implicit.message, "implicit declaration of function \u2018strlen\u2019");
  EXPECT_EQ(implicit.level, model::Level::Warning);
  ASSERT_EQ(implicit.locations.size(), 1U);
  const model::Region& region = implicit.locations[0].region;
  EXPECT_EQ(region.startLine, 2U);
  EXPECT_EQ(region.startColumn, 58U);  // no workspace: byte columns kept
  EXPECT_EQ(region.endColumn, 64U);    // the finish is inclusive
  ASSERT_EQ(implicit.relatedLocations.size(), 1U);
  EXPECT_EQ(implicit.relatedLocations[0].message,
            "include \u2018<string.h>\u2019 or provide a declaration of \u2018strlen\u2019");
  EXPECT_EQ(implicit.relatedLocations[0].region.startLine, 2U);
  ASSERT_EQ(implicit.fixes.size(), 1U);
  EXPECT_EQ(implicit.fixes[0].description,
            "include \u2018<string.h>\u2019 or provide a declaration of \u2018strlen\u2019");
  ASSERT_EQ(implicit.fixes[0].changes.size(), 1U);
  EXPECT_EQ(implicit.fixes[0].changes[0].uri, "g.c");
  ASSERT_EQ(implicit.fixes[0].changes[0].replacements.size(), 1U);
  const model::Replacement& insert = implicit.fixes[0].changes[0].replacements[0];
  EXPECT_EQ(insert.deleted.startLine, 2U);
  EXPECT_EQ(insert.deleted.startColumn, 1U);
  EXPECT_EQ(insert.deleted.endLine, 2U);
  EXPECT_EQ(insert.deleted.endColumn, 1U);  // an insertion
  EXPECT_EQ(insert.insertedContent, "#include <string.h>\n");

  const model::Result& mismatch = r.value.results[1];
  EXPECT_EQ(mismatch.source.result, 1U);
  ASSERT_EQ(mismatch.relatedLocations.size(), 1U);
  EXPECT_EQ(mismatch.relatedLocations[0].message,
            "include \u2018<string.h>\u2019 or provide a declaration of \u2018strlen\u2019");

  const model::Result& uninit = r.value.results[2];
  EXPECT_EQ(uninit.source.result, 3U);
  EXPECT_EQ(uninit.ruleId, "-Wuninitialized");
  ASSERT_EQ(uninit.relatedLocations.size(), 1U);
  EXPECT_EQ(uninit.relatedLocations[0].region.startColumn, 22U);
  EXPECT_EQ(uninit.relatedLocations[0].message, "\u2018x\u2019 was declared here");
  EXPECT_TRUE(uninit.codeFlows.empty());
}

TEST(NativeGcc, ByteColumnsBecomeUtf16WithTheSource) {
  TempWorkspace ws;
  ws.write("g.c", kSource);
  PathResolver resolver(ws.root(), {"g.c"});
  IngestOptions options;
  options.resolver = &resolver;
  auto r = readGcc(kWarnings, "gcc.json", options);
  ASSERT_EQ(r.value.results.size(), 3U);
  const model::Location& loc = r.value.results[0].locations[0];
  EXPECT_TRUE(loc.resolved);
  EXPECT_EQ(loc.region.startColumn, 57U);  // "é" is two bytes, one UTF-16 unit
  EXPECT_EQ(loc.region.endColumn, 63U);
  EXPECT_TRUE(r.value.results[0].fixes[0].changes[0].resolved);
}

TEST(NativeGcc, AnalyzerPathBecomesACodeFlowAndCweIsKept) {
  auto r = readGcc(kAnalyzer, "a.json", {});
  EXPECT_TRUE(r.problems.empty());
  ASSERT_EQ(r.value.results.size(), 1U);
  const model::Result& leak = r.value.results[0];
  EXPECT_EQ(leak.ruleId, "-Wanalyzer-malloc-leak");
  const model::Rule& rule = r.value.runs[0].rules[static_cast<std::size_t>(leak.rule)];
  EXPECT_EQ(rule.cwes, std::vector<std::string>{"CWE-401"});
  EXPECT_EQ(rule.tags, std::vector<std::string>{"analyzer"});
  EXPECT_EQ(leak.locations[0].region.startLine, 21U);
  EXPECT_EQ(leak.locations[0].region.startColumn, 8U);
  EXPECT_EQ(leak.locations[0].region.endColumn, 9U);
  ASSERT_EQ(leak.codeFlows.size(), 1U);
  ASSERT_EQ(leak.codeFlows[0].threadFlows.size(), 1U);
  const auto& steps = leak.codeFlows[0].threadFlows[0];
  ASSERT_EQ(steps.size(), 3U);  // the event without a location has nowhere to point
  EXPECT_EQ(steps[0].location.uri, "src/c/archive.c");
  EXPECT_EQ(steps[0].location.region.startLine, 19U);
  EXPECT_EQ(steps[0].location.region.startColumn, 17U);
  EXPECT_EQ(steps[0].location.message, "allocated here");
  EXPECT_EQ(steps[0].location.logicalName, "read_manifest");
  EXPECT_EQ(steps[0].nestingLevel, 1U);
  EXPECT_EQ(steps[2].location.message, "\u2018buf\u2019 leaks here; was allocated at (1)");
}

TEST(NativeGcc, OneArrayPerTranslationUnit) {
  const std::string both = std::string(kWarnings) + std::string(kAnalyzer);
  auto r = readGcc(both, "build.json", {});
  EXPECT_TRUE(r.problems.empty());
  ASSERT_EQ(r.value.runs.size(), 1U);
  ASSERT_EQ(r.value.results.size(), 4U);
  EXPECT_EQ(r.value.results[3].ruleId, "-Wanalyzer-malloc-leak");
  EXPECT_EQ(r.value.results[3].source.result, 4U);  // numbered across the arrays
  EXPECT_EQ(r.value.runs[0].rules.size(), 4U);
}

TEST(NativeGcc, CutOffSecondUnitKeepsEverythingBeforeTheCut) {
  const std::string both = std::string(kWarnings) + std::string(kAnalyzer).substr(0, 300);
  auto r = readGcc(both, "build.json", {});
  EXPECT_FALSE(hasFatal(r.problems));
  EXPECT_EQ(r.value.results.size(), 3U);
  ASSERT_EQ(r.problems.size(), 1U);
  EXPECT_EQ(r.problems[0].severity, support::ProblemSeverity::Error);
  EXPECT_EQ(r.problems[0].path.rfind("[1]/0", 0), 0U) << r.problems[0].path;
}

TEST(NativeGcc, ColumnOriginAndOldColumnsAreHonoured) {
  // gcc 10 wrote only "column" (bytes); -fdiagnostics-column-origin=0 makes it 0-based.
  auto r = readGcc(R"([{"kind": "error", "message": "expected ';'", "column-origin": 0,
                        "locations": [{"caret": {"file": "a.c", "line": 4, "column": 9}}]},
                       {"kind": "fatal error", "message": "x.h: No such file or directory",
                        "locations": [{"caret": {"file": "a.c", "line": 1, "column": 10}}]}])",
                   "old.json", {});
  EXPECT_TRUE(r.problems.empty());
  ASSERT_EQ(r.value.results.size(), 2U);
  EXPECT_EQ(r.value.results[0].ruleId, "error");
  EXPECT_EQ(r.value.results[0].level, model::Level::Error);
  EXPECT_EQ(r.value.results[0].locations[0].region.startColumn, 10U);
  EXPECT_EQ(r.value.results[1].ruleId, "fatal error");
  EXPECT_EQ(r.value.results[1].level, model::Level::Error);
  EXPECT_EQ(r.value.results[1].locations[0].region.startColumn, 10U);
}

TEST(NativeGcc, BadEntriesAreSkippedWithTheirPath) {
  auto r = readGcc(R"([{"message": "no kind"},
                       "text",
                       {"kind": "warning", "message": "m", "option": "-Wx",
                        "locations": [{"caret": {"file": "a.c", "line": "7"}}, 5],
                        "children": {"kind": "note"},
                        "path": [{"location": {"file": "a.c", "line": 3, "byte-column": 2}, "depth": -3}, 9],
                        "fixits": [{"start": {"file": "a.c", "line": 1, "byte-column": 1}, "string": "x"}],
                        "metadata": {"cwe": "CWE-78"}},
                       {"kind": "remark", "message": "odd kind"}])",
                   "bad.json", {});
  EXPECT_FALSE(hasFatal(r.problems));
  ASSERT_EQ(r.value.results.size(), 2U);
  const model::Result& w = r.value.results[0];
  EXPECT_EQ(w.source.result, 2U);
  EXPECT_TRUE(w.locations.empty());
  EXPECT_TRUE(w.fixes.empty());
  ASSERT_EQ(w.codeFlows.size(), 1U);
  EXPECT_EQ(w.codeFlows[0].threadFlows[0][0].nestingLevel, 0U);
  EXPECT_EQ(r.value.results[1].level, model::Level::Warning);
  EXPECT_NE(problemAt(r.problems, "/0/kind"), nullptr);
  EXPECT_NE(problemAt(r.problems, "/1"), nullptr);
  EXPECT_NE(problemAt(r.problems, "/2/locations/0/caret/line"), nullptr);
  EXPECT_NE(problemAt(r.problems, "/2/locations/1"), nullptr);
  EXPECT_NE(problemAt(r.problems, "/2/children"), nullptr);
  EXPECT_NE(problemAt(r.problems, "/2/path/1"), nullptr);
  EXPECT_NE(problemAt(r.problems, "/2/fixits/0"), nullptr);
  EXPECT_NE(problemAt(r.problems, "/2/metadata/cwe"), nullptr);
  EXPECT_NE(problemAt(r.problems, "/3/kind"), nullptr);
}

TEST(NativeGcc, UnusableInputIsFatal) {
  for (std::string_view bad : {std::string_view(""), std::string_view("g.c:1:1: error: x"), std::string_view("{")}) {
    auto r = readGcc(bad, "x.json", {});
    EXPECT_TRUE(r.value.results.empty()) << bad;
    EXPECT_TRUE(hasFatal(r.problems)) << bad;
  }
  auto object = readGcc(R"({"kind": "warning"})", "o.json", {});
  EXPECT_TRUE(object.value.results.empty());
  EXPECT_FALSE(object.problems.empty());
}

}  // namespace
}  // namespace aspm::ingest::native
