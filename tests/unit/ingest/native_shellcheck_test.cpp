// ShellCheck adapter: json1 and the older json format (real outputs of ShellCheck 0.9.0 for the
// same script, whose columns differ only by tab expansion), levels, fixes, and bad input.
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

// The script both reports below were produced from: a tab, and a non-ASCII character before $2.
constexpr std::string_view kScript = "#!/bin/sh\nif [ -n \"$1\" ]; then\n\tcp $1 /tmp/\xC3\xA9-$2\nfi\n";

// `shellcheck -f json1 tab.sh`, with the second fix's two replacements swapped to show that
// their order does not matter.
constexpr std::string_view kJson1 =
    R"({"comments":[{"file":"tab.sh","line":3,"endLine":3,"column":5,"endColumn":7,"level":"info","code":2086,"message":"Double quote to prevent globbing and word splitting.","fix":{"replacements":[{"column":5,"endColumn":5,"endLine":3,"insertionPoint":"afterEnd","line":3,"precedence":10,"replacement":"\""},{"column":7,"endColumn":7,"endLine":3,"insertionPoint":"beforeStart","line":3,"precedence":10,"replacement":"\""}]}},{"file":"tab.sh","line":3,"endLine":3,"column":15,"endColumn":17,"level":"info","code":2086,"message":"Double quote to prevent globbing and word splitting.","fix":{"replacements":[{"column":17,"endColumn":17,"endLine":3,"insertionPoint":"beforeStart","line":3,"precedence":10,"replacement":"\""},{"column":15,"endColumn":15,"endLine":3,"insertionPoint":"afterEnd","line":3,"precedence":10,"replacement":"\""}]}}]})";

// `shellcheck -f json tab.sh`: the same comments, columns with the tab expanded to 8.
constexpr std::string_view kJson =
    R"([{"file":"tab.sh","line":3,"endLine":3,"column":12,"endColumn":14,"level":"info","code":2086,"message":"Double quote to prevent globbing and word splitting.","fix":{"replacements":[{"column":12,"endColumn":12,"endLine":3,"insertionPoint":"afterEnd","line":3,"precedence":10,"replacement":"\""},{"column":14,"endColumn":14,"endLine":3,"insertionPoint":"beforeStart","line":3,"precedence":10,"replacement":"\""}]}},{"file":"tab.sh","line":3,"endLine":3,"column":22,"endColumn":24,"level":"info","code":2086,"message":"Double quote to prevent globbing and word splitting.","fix":{"replacements":[{"column":22,"endColumn":22,"endLine":3,"insertionPoint":"afterEnd","line":3,"precedence":10,"replacement":"\""},{"column":24,"endColumn":24,"endLine":3,"insertionPoint":"beforeStart","line":3,"precedence":10,"replacement":"\""}]}}])";

TEST(NativeShellCheck, ReadsJson1WithFixes) {
  auto r = readShellCheck(kJson1, "sc.json", {});
  EXPECT_TRUE(r.problems.empty());
  ASSERT_EQ(r.value.runs.size(), 1U);
  const model::Run& run = r.value.runs[0];
  EXPECT_EQ(run.format, "shellcheck");
  EXPECT_EQ(run.tool.name, "ShellCheck");
  ASSERT_EQ(run.rules.size(), 1U);
  EXPECT_EQ(run.rules[0].id, "SC2086");
  EXPECT_EQ(run.rules[0].helpUri, "https://www.shellcheck.net/wiki/SC2086");
  EXPECT_EQ(run.rules[0].shortDescription, "Double quote to prevent globbing and word splitting.");
  EXPECT_EQ(run.rules[0].defaultLevel, model::Level::Note);

  ASSERT_EQ(r.value.results.size(), 2U);
  const model::Result& first = r.value.results[0];
  EXPECT_EQ(first.ruleId, "SC2086");
  EXPECT_EQ(first.level, model::Level::Note);
  EXPECT_EQ(first.locations[0].uri, "tab.sh");
  EXPECT_EQ(first.locations[0].region.startLine, 3U);
  EXPECT_EQ(first.locations[0].region.startColumn, 5U);
  EXPECT_EQ(first.locations[0].region.endColumn, 7U);
  ASSERT_EQ(first.fixes.size(), 1U);
  ASSERT_EQ(first.fixes[0].changes.size(), 1U);
  const model::ArtifactChange& change = first.fixes[0].changes[0];
  EXPECT_EQ(change.uri, "tab.sh");
  ASSERT_EQ(change.replacements.size(), 2U);
  EXPECT_EQ(change.replacements[0].deleted.startColumn, 5U);
  EXPECT_EQ(change.replacements[0].deleted.endColumn, 5U);
  EXPECT_EQ(change.replacements[0].insertedContent, "\"");
  EXPECT_EQ(change.replacements[1].deleted.startColumn, 7U);

  // Replacements come out in position order whatever order ShellCheck listed them in.
  const auto& second = r.value.results[1].fixes[0].changes[0].replacements;
  ASSERT_EQ(second.size(), 2U);
  EXPECT_EQ(second[0].deleted.startColumn, 15U);
  EXPECT_EQ(second[1].deleted.startColumn, 17U);
  EXPECT_EQ(r.value.results[1].source.result, 1U);
}

TEST(NativeShellCheck, Json1AndJsonAgreeOnceTheFileIsKnown) {
  TempWorkspace ws;
  ws.write("tab.sh", kScript);
  PathResolver resolver(ws.root(), {"tab.sh"});
  IngestOptions options;
  options.resolver = &resolver;
  auto a = readShellCheck(kJson1, "a.json", options);
  auto b = readShellCheck(kJson, "b.json", options);
  ASSERT_EQ(a.value.results.size(), 2U);
  ASSERT_EQ(b.value.results.size(), 2U);
  for (std::size_t i = 0; i < 2; ++i) {
    const model::Location& la = a.value.results[i].locations[0];
    const model::Location& lb = b.value.results[i].locations[0];
    EXPECT_TRUE(la.resolved);
    EXPECT_EQ(la.uri, "tab.sh");
    EXPECT_EQ(la.region.startColumn, lb.region.startColumn) << i;
    EXPECT_EQ(la.region.endColumn, lb.region.endColumn) << i;
    EXPECT_EQ(a.value.results[i].fixes[0].changes[0].replacements[0].deleted.startColumn,
              b.value.results[i].fixes[0].changes[0].replacements[0].deleted.startColumn);
    EXPECT_TRUE(a.value.results[i].fixes[0].changes[0].resolved);
  }
  EXPECT_EQ(a.value.results[1].locations[0].region.startColumn, 15U);
  EXPECT_EQ(a.value.results[1].locations[0].region.endColumn, 17U);
}

TEST(NativeShellCheck, LevelsMapToSarifLevels) {
  auto r = readShellCheck(R"({"comments":[
      {"file":"a.sh","line":2,"endLine":2,"column":3,"endColumn":3,"level":"error","code":1073,"message":"Couldn't parse this $((..)) expression.","fix":null},
      {"file":"a.sh","line":4,"column":1,"level":"warning","code":2164,"message":"Use 'cd ... || exit'."},
      {"file":"a.sh","line":5,"column":1,"level":"style","code":2006,"message":"Use $(...)."},
      {"file":"a.sh","line":6,"column":1,"level":"verbose","code":2000,"message":"?"}]})",
                          "l.json", {});
  ASSERT_EQ(r.value.results.size(), 4U);
  EXPECT_EQ(r.value.results[0].level, model::Level::Error);
  EXPECT_EQ(r.value.results[0].locations[0].region.endColumn, 3U);  // an empty range stays empty
  EXPECT_TRUE(r.value.results[0].fixes.empty());
  EXPECT_EQ(r.value.results[1].level, model::Level::Warning);
  EXPECT_EQ(r.value.results[1].locations[0].region.endLine, 4U);
  EXPECT_EQ(r.value.results[2].level, model::Level::Note);
  EXPECT_EQ(r.value.results[3].level, model::Level::Warning);
  ASSERT_NE(problemAt(r.problems, "/comments/3/level"), nullptr);
}

TEST(NativeShellCheck, BadEntriesAreSkippedAndBadFixesDropped) {
  auto r = readShellCheck(R"({"comments":[
      {"file":"a.sh","line":3,"column":5,"level":"info","message":"no code"},
      {"file":"a.sh","line":3,"column":5,"level":"info","code":"SC2086"},
      null,
      {"file":"a.sh","line":"3","column":5,"level":"info","code":2086,
       "fix":{"replacements":[{"line":3,"column":5,"endLine":3,"endColumn":5},{"line":3,"column":7,"endColumn":7,"replacement":"\""}]}},
      {"file":"a.sh","line":7,"column":1,"level":"info","code":2086,"fix":{"replacements":"none"}},
      {"file":"a.sh","line":8,"column":1,"level":"info","code":-1}]})",
                          "bad.json", {});
  EXPECT_FALSE(hasFatal(r.problems));
  ASSERT_EQ(r.value.results.size(), 2U);
  EXPECT_EQ(r.value.results[0].source.result, 3U);
  EXPECT_EQ(r.value.results[0].locations[0].region.startLine, 0U);
  EXPECT_TRUE(r.value.results[0].fixes.empty());  // first replacement has no text
  EXPECT_EQ(r.value.results[1].source.result, 4U);
  EXPECT_TRUE(r.value.results[1].fixes.empty());
  EXPECT_NE(problemAt(r.problems, "/comments/0/code"), nullptr);
  EXPECT_NE(problemAt(r.problems, "/comments/1/code"), nullptr);
  EXPECT_NE(problemAt(r.problems, "/comments/2"), nullptr);
  EXPECT_NE(problemAt(r.problems, "/comments/3/line"), nullptr);
  EXPECT_NE(problemAt(r.problems, "/comments/3/fix/replacements/0"), nullptr);
  EXPECT_NE(problemAt(r.problems, "/comments/4/fix/replacements"), nullptr);
  EXPECT_NE(problemAt(r.problems, "/comments/5/code"), nullptr);
}

TEST(NativeShellCheck, TruncatedReportsKeepCompleteComments) {
  const std::string json1(kJson1);
  auto a = readShellCheck(json1.substr(0, json1.size() - 40), "a.json", {});
  EXPECT_FALSE(hasFatal(a.problems));
  EXPECT_EQ(a.value.results.size(), 1U);
  ASSERT_FALSE(a.problems.empty());
  EXPECT_EQ(a.problems[0].path.rfind("/comments/1", 0), 0U) << a.problems[0].path;

  const std::string json(kJson);
  auto b = readShellCheck(json.substr(0, json.size() - 40), "b.json", {});
  EXPECT_FALSE(hasFatal(b.problems));
  EXPECT_EQ(b.value.results.size(), 1U);
  ASSERT_FALSE(b.problems.empty());
  EXPECT_EQ(b.problems[0].path.rfind("/1", 0), 0U) << b.problems[0].path;
}

TEST(NativeShellCheck, UnusableInputIsFatal) {
  for (std::string_view bad : {std::string_view(""), std::string_view("SC2086"), std::string_view("42"),
                               std::string_view(R"({"comment": []})")}) {
    auto r = readShellCheck(bad, "x.json", {});
    EXPECT_TRUE(r.value.results.empty()) << bad;
    EXPECT_TRUE(hasFatal(r.problems)) << bad;
  }
  auto empty = readShellCheck(R"({"comments":[]})", "ok.json", {});
  EXPECT_TRUE(empty.problems.empty());
  EXPECT_EQ(empty.value.runs.size(), 1U);
}

}  // namespace
}  // namespace aspm::ingest::native
