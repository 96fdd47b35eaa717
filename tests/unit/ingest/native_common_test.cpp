// The machinery under the native adapters: JSON pointers, salvage of cut-off JSON, the problem
// cap, and column conversion for each way a report counts columns.
#include <gtest/gtest.h>

#include <string>

#include "ingest/ingest.h"
#include "ingest/native_common.h"
#include "ingest/native_json.h"
#include "native_test_support.h"

namespace aspm::ingest::native {
namespace {

using testing_native::TempWorkspace;

TEST(NativeJson, PointersEscapeAsRfc6901Says) {
  EXPECT_EQ(json::child("", "results"), "/results");
  EXPECT_EQ(json::child("/results", 3), "/results/3");
  EXPECT_EQ(json::child("/a", "b/c~d"), "/a/b~1c~0d");
}

TEST(NativeJson, SalvageCutsAfterTheLastCompleteEntry) {
  support::Problems problems;
  ProblemLog log("f.json", problems);
  // Cut inside the string of the third entry, which itself holds "}" and "," characters.
  auto v = json::parseDocument(R"({"results": [{"a": 1}, {"b": [1, 2]}, {"c": "x}, {y)", 2, log);
  ASSERT_TRUE(v.has_value());
  ASSERT_EQ(v->at("results").as_array().size(), 2U);
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_EQ(problems[0].path, "/results/2/c");
  EXPECT_EQ(problems[0].severity, support::ProblemSeverity::Error);
}

TEST(NativeJson, SalvageAtAShallowerDepthKeepsTheCompleteMembers) {
  support::Problems problems;
  ProblemLog log("f.json", problems);
  auto v = json::parseDocument(R"({"results": [{"a": 1}], "metrics": {"loc": )", 2, log);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->at("results").as_array().size(), 1U);
  ASSERT_NE(v->as_object().if_contains("metrics"), nullptr);
  EXPECT_TRUE(v->at("metrics").as_object().empty());
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_EQ(problems[0].path, "/metrics/loc");
}

TEST(NativeJson, TrailingDataAndBomAreTolerated) {
  support::Problems problems;
  ProblemLog log("f.json", problems);
  auto v = json::parseDocument("\xEF\xBB\xBF{\"results\": []} trailing", 2, log);
  ASSERT_TRUE(v.has_value());
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_EQ(problems[0].severity, support::ProblemSeverity::Warning);

  support::Problems p2;
  ProblemLog log2("g.json", p2);
  auto seq = json::parseSequence("\xEF\xBB\xBF[1]\n[2, 3]\n\n[]", 1, log2);
  EXPECT_TRUE(p2.empty());
  ASSERT_EQ(seq.size(), 3U);
  EXPECT_EQ(seq[1].pointerPrefix, "[1]");
  EXPECT_EQ(seq[1].value.as_array().size(), 2U);
}

TEST(NativeJson, DeepNestingIsRefusedNotCrashed) {
  support::Problems problems;
  ProblemLog log("deep.json", problems);
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto v = json::parseDocument(deep, 1, log);
  // Either refused or salvaged down to a shallow prefix; never a stack overflow.
  EXPECT_FALSE(problems.empty());
  if (v) {
    EXPECT_TRUE(v->is_array());
  }
}

TEST(NativeJson, IntegersAreExact) {
  EXPECT_EQ(json::asInteger(boost::json::value(7.0)), 7);
  EXPECT_FALSE(json::asInteger(boost::json::value(7.5)).has_value());
  EXPECT_FALSE(json::asInteger(boost::json::value(1e300)).has_value());
  EXPECT_FALSE(json::asInteger(boost::json::value(std::uint64_t{1} << 63)).has_value());
  EXPECT_FALSE(json::asInteger(boost::json::value("7")).has_value());
}

TEST(NativeProblemLog, RepetitionsAreCappedWithASummary) {
  support::Problems problems;
  ProblemLog log("f.json", problems, 3);
  for (int i = 0; i < 10; ++i) log.warning("/results/" + std::to_string(i), "bad thing", "bad");
  log.error("/x", "other");
  log.finish();
  ASSERT_EQ(problems.size(), 5U);
  EXPECT_EQ(problems[2].path, "/results/2");
  EXPECT_EQ(problems[3].path, "/x");
  EXPECT_NE(problems[4].message.find("7 more"), std::string::npos);
  EXPECT_EQ(problems[4].severity, support::ProblemSeverity::Warning);
}

TEST(NativeLocations, ColumnsConvertPerUnit) {
  TempWorkspace ws;
  // Line 1: "a😀b" (the emoji is 4 bytes, 1 code point, 2 UTF-16 units).
  // Line 2: "\tx\ty" (tabs).
  ws.write("f.txt",
           "a\xF0\x9F\x98\x80"
           "b\n\tx\ty\n");
  PathResolver resolver(ws.root(), {"f.txt"});
  IngestOptions options;
  options.resolver = &resolver;
  support::Problems problems;
  ProblemLog log("r", problems);
  LocationBuilder lb(options, log);
  model::Location loc = lb.locate("f.txt", "/file");
  ASSERT_TRUE(loc.resolved);
  // "b": byte column 6, code point column 3, UTF-16 column 4.
  EXPECT_EQ(lb.column(loc, 1, 6, ColumnUnit::Utf8Bytes), 4U);
  EXPECT_EQ(lb.column(loc, 1, 3, ColumnUnit::CodePoints), 4U);
  // The emoji: after it comes UTF-16 column 4.
  EXPECT_EQ(lb.columnAfter(loc, 1, 2, ColumnUnit::Utf8Bytes), 4U);
  // Past the end of the line: extended one per position.
  EXPECT_EQ(lb.column(loc, 1, 8, ColumnUnit::Utf8Bytes), 6U);
  // "y" on line 2: display column 17 with tab stops of 8, character column 4.
  EXPECT_EQ(lb.column(loc, 2, 17, ColumnUnit::TabStops8), 4U);
  EXPECT_EQ(lb.column(loc, 2, 9, ColumnUnit::TabStops8), 2U);  // "x"
  EXPECT_EQ(lb.column(loc, 2, 5, ColumnUnit::TabStops8), 1U);  // inside the first tab's span
  // A line the file does not have: kept as given.
  EXPECT_EQ(lb.column(loc, 9, 6, ColumnUnit::Utf8Bytes), 6U);
  EXPECT_TRUE(problems.empty());
}

TEST(NativeLocations, AbsoluteAndWindowsPathsResolveBySuffix) {
  TempWorkspace ws;
  ws.write("src/c/a.c", "int x;\n");
  PathResolver resolver(ws.root(), {"src/c/a.c"});
  IngestOptions options;
  options.resolver = &resolver;
  support::Problems problems;
  ProblemLog log("r", problems);
  LocationBuilder lb(options, log);
  model::Location unix = lb.locate("/home/ci/build/src/c/a.c", "/0");
  EXPECT_TRUE(unix.resolved);
  EXPECT_EQ(unix.uri, "src/c/a.c");
  model::Location windows = lb.locate("C:\\agent\\s\\src\\c\\a.c", "/1");
  EXPECT_TRUE(windows.resolved);
  EXPECT_EQ(windows.uri, "src/c/a.c");
  model::Location spaced = lb.locate("src/c/a b.c", "/2");
  EXPECT_EQ(spaced.uri, "src/c/a b.c");
}

TEST(NativeCwe, Normalised) {
  EXPECT_EQ(cweId(78), "CWE-78");
  EXPECT_EQ(cweId(0), "");
  EXPECT_EQ(cweIdFromText("401"), "CWE-401");
  EXPECT_EQ(cweIdFromText("CWE-401"), "CWE-401");
  EXPECT_EQ(cweIdFromText("cwe_22"), "CWE-22");
  EXPECT_EQ(cweIdFromText("0"), "");
  EXPECT_EQ(cweIdFromText("CWE-78 maybe"), "");
}

}  // namespace
}  // namespace aspm::ingest::native
