// Bad input never aborts a load: each case below yields a problem that names the file and the
// JSON path, and every valid result around the bad part is still ingested.
#include <gtest/gtest.h>

#include <algorithm>

#include "sarif_test_helpers.h"

namespace aspm::ingest {
namespace {
using support::ProblemSeverity;
using testing::describe;
using testing::findProblem;
using testing::hasFatal;
using testing::ingestText;
using testing::sarifLog;
using testing::simpleRun;

std::string threeResults() {
  return sarifLog(simpleRun(R"({"ruleId":"a","message":{"text":"one"}},{"ruleId":"b","message":{"text":"two"}},
                              {"ruleId":"c","message":{"text":"three"}})"));
}

TEST(SarifBadInput, TruncatedFileKeepsCompletedResults) {
  const std::string full = threeResults();
  // Cut inside the third result.
  const std::string cut = full.substr(0, full.find("three") + 2);
  const auto r = ingestText(cut, nullptr, "cut.sarif");
  ASSERT_EQ(r.value.results.size(), 2u) << describe(r.problems);
  EXPECT_EQ(r.value.results[1].message, "two");
  EXPECT_FALSE(hasFatal(r.problems)) << describe(r.problems);
  const auto* p = findProblem(r.problems, "/runs/0/results/2", "truncated");
  ASSERT_NE(p, nullptr) << describe(r.problems);
  EXPECT_EQ(p->file, "cut.sarif");
  EXPECT_EQ(p->severity, ProblemSeverity::Error);
  EXPECT_NE(p->message.find("2 results"), std::string::npos) << p->message;
  EXPECT_EQ(r.value.runs.size(), 1u);
  EXPECT_EQ(r.value.runs[0].tool.name, "T");
}

TEST(SarifBadInput, TruncatedAtEveryByteNeverCrashes) {
  const std::string full = threeResults();
  for (std::size_t n = 1; n < full.size(); ++n) {
    const auto r = ingestText(std::string_view(full).substr(0, n));
    EXPECT_FALSE(r.problems.empty()) << "cut at " << n;
    EXPECT_LE(r.value.results.size(), 3u);
    for (const auto& p : r.problems) EXPECT_EQ(p.file, "test.sarif");
  }
}

TEST(SarifBadInput, TruncatedBeforeAnyResultIsFatal) {
  const auto r = ingestText(R"({"version":"2.1.0","runs":[{"tool":{"dri)");
  EXPECT_TRUE(r.value.results.empty());
  EXPECT_TRUE(hasFatal(r.problems)) << describe(r.problems);
}

TEST(SarifBadInput, VersionWrittenAfterTheRunsOfACutFile) {
  // Bandit writes runs first; a cut file never reaches the version. What was read is kept.
  const std::string text = R"({"runs":[{"tool":{"driver":{"name":"Bandit"}},"results":[{"message":{"text":"a"}},{"message)";
  const auto r = ingestText(text);
  EXPECT_EQ(r.value.results.size(), 1u) << describe(r.problems);
  EXPECT_FALSE(hasFatal(r.problems)) << describe(r.problems);
  EXPECT_NE(findProblem(r.problems, "/version", "read as SARIF 2.1.0"), nullptr) << describe(r.problems);
}

TEST(SarifBadInput, WrongVersionIsFatal) {
  const std::string text = R"({"version":"2.0.0","runs":[{"tool":{"driver":{"name":"T"}},"results":[{"message":{"text":"a"}}]}]})";
  const auto r = ingestText(text);
  EXPECT_TRUE(r.value.results.empty());
  EXPECT_TRUE(r.value.runs.empty());
  const auto* p = findProblem(r.problems, "/version", "2.0.0");
  ASSERT_NE(p, nullptr) << describe(r.problems);
  EXPECT_EQ(p->severity, ProblemSeverity::Fatal);
  // A version after the runs is honoured the same way.
  const auto late = ingestText(R"({"runs":[{"tool":{"driver":{"name":"T"}},"results":[{"message":{"text":"a"}}]}],"version":"3.0"})");
  EXPECT_TRUE(late.value.results.empty());
  EXPECT_TRUE(hasFatal(late.problems));
  EXPECT_EQ(late.problems.size(), 1u) << "problems of a rejected log are not listed: " << describe(late.problems);
}

TEST(SarifBadInput, MissingVersionIsAcceptedWhenTheSchemaSays210) {
  const auto r = ingestText(R"({"$schema":"https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json",
      "runs":[{"tool":{"driver":{"name":"T"}},"results":[{"message":{"text":"a"}}]}]})");
  EXPECT_EQ(r.value.results.size(), 1u);
  const auto* p = findProblem(r.problems, "/version", "missing");
  ASSERT_NE(p, nullptr) << describe(r.problems);
  EXPECT_EQ(p->severity, ProblemSeverity::Warning);
}

TEST(SarifBadInput, MissingVersionWithoutSchemaIsFatal) {
  const auto r = ingestText(R"({"runs":[{"tool":{"driver":{"name":"T"}},"results":[{"message":{"text":"a"}}]}]})");
  EXPECT_TRUE(r.value.results.empty());
  EXPECT_TRUE(hasFatal(r.problems)) << describe(r.problems);
}

TEST(SarifBadInput, VersionOfTheWrongType) {
  const auto r = ingestText(R"({"version":2.1,"runs":[]})");
  EXPECT_NE(findProblem(r.problems, "/version", "must be the string"), nullptr) << describe(r.problems);
  EXPECT_TRUE(hasFatal(r.problems));
}

TEST(SarifBadInput, NoRunsOrNullRuns) {
  const auto none = ingestText(R"({"version":"2.1.0"})");
  EXPECT_NE(findProblem(none.problems, "/runs", "no runs"), nullptr) << describe(none.problems);
  EXPECT_TRUE(hasFatal(none.problems));
  const auto null = ingestText(R"({"version":"2.1.0","runs":null})");
  EXPECT_FALSE(hasFatal(null.problems)) << describe(null.problems);
  EXPECT_NE(findProblem(null.problems, "/runs", "null"), nullptr);
  const auto obj = ingestText(R"({"version":"2.1.0","runs":{"tool":1}})");
  EXPECT_NE(findProblem(obj.problems, "/runs", "must be an array"), nullptr) << describe(obj.problems);
}

TEST(SarifBadInput, WrongTypesAreReportedWithTheirPath) {
  const auto r = ingestText(sarifLog(simpleRun(R"(
    {"message":{"text":"ok"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.c"},
       "region":{"startLine":"12","startColumn":3}}}]},
    42,
    {"message":{"text":"locations is not an array"},"locations":{"uri":"x"}},
    {"message":"a string","level":7,"ruleIndex":-5},
    {"message":{"text":"fine"},"fingerprints":{"a":1,"b":"ok"}})")));
  ASSERT_EQ(r.value.results.size(), 4u) << describe(r.problems);
  EXPECT_FALSE(hasFatal(r.problems));
  const auto* p = findProblem(r.problems, "/runs/0/results/0/locations/0/physicalLocation/region/startLine", "integer");
  ASSERT_NE(p, nullptr) << describe(r.problems);
  EXPECT_EQ(p->severity, ProblemSeverity::Error);
  // The location is kept with what was valid.
  EXPECT_EQ(r.value.results[0].locations[0].uri, "a.c");
  EXPECT_EQ(r.value.results[0].locations[0].region.startLine, 0u);
  EXPECT_NE(findProblem(r.problems, "/runs/0/results/1", "result must be an object"), nullptr) << describe(r.problems);
  EXPECT_NE(findProblem(r.problems, "/runs/0/results/2/locations", "expected an array"), nullptr);
  EXPECT_NE(findProblem(r.problems, "/runs/0/results/3/message", "expected an object"), nullptr);
  EXPECT_NE(findProblem(r.problems, "/runs/0/results/3/level", "expected a string"), nullptr);
  EXPECT_NE(findProblem(r.problems, "/runs/0/results/3/ruleIndex", ">= 0"), nullptr);
  EXPECT_NE(findProblem(r.problems, "/runs/0/results/4/fingerprints/a", "expected a string"), nullptr);
  EXPECT_EQ(r.value.results[3].source.result, 4u) << "source.result is the index in the JSON array";
  EXPECT_EQ(r.value.results[3].fingerprints.size(), 1u);
  EXPECT_EQ(r.value.results[3].fingerprints.count("b"), 1u);
}

TEST(SarifBadInput, RunMembersOfTheWrongType) {
  const auto r = ingestText(sarifLog(R"({"tool":"T","results":{"a":1},"artifacts":3}, 7,
      {"tool":{"driver":{"name":"ok"}},"results":[{"message":{"text":"kept"}}]})"));
  ASSERT_EQ(r.value.results.size(), 1u) << describe(r.problems);
  EXPECT_EQ(r.value.results[0].source.run, 2u);
  EXPECT_NE(findProblem(r.problems, "/runs/0/tool", "expected an object"), nullptr) << describe(r.problems);
  EXPECT_NE(findProblem(r.problems, "/runs/0/results", "must be an array"), nullptr);
  EXPECT_NE(findProblem(r.problems, "/runs/0/artifacts", "must be an array"), nullptr);
  EXPECT_NE(findProblem(r.problems, "/runs/1", "must be an object"), nullptr);
}

TEST(SarifBadInput, MissingRequiredFields) {
  const auto r = ingestText(sarifLog(R"({"results":[{"ruleId":"x"}]},{"tool":{"driver":{"rules":[{"name":"no id"}]}},"results":[]})"));
  ASSERT_EQ(r.value.results.size(), 1u) << describe(r.problems);
  EXPECT_NE(findProblem(r.problems, "/runs/0", "no tool"), nullptr) << describe(r.problems);
  EXPECT_NE(findProblem(r.problems, "/runs/0/results/0", "no message"), nullptr);
  EXPECT_NE(findProblem(r.problems, "/runs/1/tool/driver", "name is missing"), nullptr);
  EXPECT_NE(findProblem(r.problems, "/runs/1/tool/driver/rules/0", "no id"), nullptr);
  EXPECT_FALSE(hasFatal(r.problems));
}

TEST(SarifBadInput, InvalidUtf8IsSanitisedAndReported) {
  const std::string text = sarifLog(simpleRun("{\"message\":{\"text\":\"bad \xC3\x28 byte\"}},{\"message\":{\"text\":\"ok\"}}"));
  const auto r = ingestText(text);
  ASSERT_EQ(r.value.results.size(), 2u) << describe(r.problems);
  EXPECT_EQ(r.value.results[0].message, "bad \xEF\xBF\xBD( byte");
  EXPECT_EQ(r.value.results[1].message, "ok");
  const auto* p = findProblem(r.problems, "/runs/0/results/0/message/text", "UTF-8");
  ASSERT_NE(p, nullptr) << describe(r.problems);
  EXPECT_EQ(p->severity, ProblemSeverity::Warning);
}

TEST(SarifBadInput, ResultOutsideTheWorkspace) {
  testing::TempDir ws;
  ws.write("src/in.c", "x\n");
  PathResolver resolver(ws.str());
  const auto r = ingestText(sarifLog(simpleRun(R"(
    {"message":{"text":"out"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"../../etc/passwd"}}}]},
    {"message":{"text":"in"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/in.c"}}}]})")),
                            &resolver);
  ASSERT_EQ(r.value.results.size(), 2u) << describe(r.problems);
  EXPECT_FALSE(r.value.results[0].locations[0].resolved);
  EXPECT_EQ(r.value.results[0].locations[0].uri, "../../etc/passwd");
  EXPECT_TRUE(r.value.results[1].locations[0].resolved);
  const auto* p =
      findProblem(r.problems, "/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri", "outside the workspace");
  ASSERT_NE(p, nullptr) << describe(r.problems);
  EXPECT_EQ(p->severity, ProblemSeverity::Warning);
}

TEST(SarifBadInput, OutOfRangeReferencesFallBack) {
  const auto r = ingestText(sarifLog(R"({"tool":{"driver":{"name":"T","rules":[{"id":"A"},{"id":"B"}]}},"results":[
      {"ruleId":"B","ruleIndex":9,"message":{"text":"m"}},
      {"rule":{"id":"A","toolComponent":{"index":4}},"message":{"text":"m"}}]})"));
  ASSERT_EQ(r.value.results.size(), 2u);
  EXPECT_EQ(r.value.results[0].rule, 1) << "looked up by id instead";
  EXPECT_NE(findProblem(r.problems, "/runs/0/results/0/ruleIndex", "out of range"), nullptr) << describe(r.problems);
  EXPECT_EQ(r.value.results[1].rule, 0);
  EXPECT_NE(findProblem(r.problems, "/runs/0/results/1/rule/toolComponent", "does not match"), nullptr);
}

TEST(SarifBadInput, NotJsonEmptyOrNotAnObject) {
  const auto garbage = ingestText("this is not json");
  EXPECT_TRUE(hasFatal(garbage.problems));
  const auto empty = ingestText("");
  EXPECT_TRUE(hasFatal(empty.problems));
  const auto array = ingestText(R"([{"version":"2.1.0"}])");
  EXPECT_TRUE(hasFatal(array.problems));
  const auto syntax = ingestText(R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"results":[{"message":{"text":"a"}},}]}]})");
  EXPECT_EQ(syntax.value.results.size(), 1u) << describe(syntax.problems);
  EXPECT_NE(findProblem(syntax.problems, "/runs/0/results", "invalid JSON"), nullptr) << describe(syntax.problems);
}

TEST(SarifBadInput, Utf16LogsAreRefusedWithAReason) {
  const std::string text = std::string("\xFF\xFE", 2) + "{\0\"\0v\0";
  const auto r = ingestText(text);
  EXPECT_TRUE(hasFatal(r.problems));
  EXPECT_NE(r.problems[0].message.find("UTF-16"), std::string::npos) << describe(r.problems);
}

TEST(SarifBadInput, TrailingDataAfterTheDocument) {
  const auto r = ingestText(threeResults() + "\n\n{garbage");
  EXPECT_EQ(r.value.results.size(), 3u);
  EXPECT_NE(findProblem(r.problems, "", "after the end"), nullptr) << describe(r.problems);
  EXPECT_FALSE(hasFatal(r.problems));
}

TEST(SarifBadInput, DeepNestingInsideAResult) {
  std::string deep(5000, '[');
  const std::string text = sarifLog(simpleRun(R"({"message":{"text":"first"}},{"properties":{"x":)" + deep));
  const auto r = ingestText(text);
  EXPECT_EQ(r.value.results.size(), 1u) << describe(r.problems);
  EXPECT_FALSE(hasFatal(r.problems));
}

TEST(SarifBadInput, RepeatedProblemsAreSummarised) {
  std::string results;
  for (int i = 0; i < 200; ++i) {
    if (i) results += ',';
    results += R"({"message":{"text":"m"},"level":"severe"})";
  }
  const auto r = ingestText(sarifLog(simpleRun(results)));
  EXPECT_EQ(r.value.results.size(), 200u);
  EXPECT_LT(r.problems.size(), 40u) << describe(r.problems);
  const bool summary = std::any_of(r.problems.begin(), r.problems.end(), [](const support::Problem& p) {
    return p.message.find("175 more problems like") != std::string::npos;
  });
  EXPECT_TRUE(summary) << describe(r.problems);
}

TEST(SarifBadInput, FilesOverTheSizeLimitAreRefused) {
  testing::TempDir dir;
  const std::string text = threeResults();
  dir.write("a.sarif", text);
  IngestOptions o;
  o.maxFileBytes = 100;
  const auto r = ingestFile((dir.path() / "a.sarif").string(), o);
  EXPECT_TRUE(r.value.results.empty());
  ASSERT_TRUE(hasFatal(r.problems));
  EXPECT_NE(r.problems[0].message.find("over the limit"), std::string::npos);
  EXPECT_EQ(r.problems[0].file, (dir.path() / "a.sarif").string());
  const auto b = ingestBytes(text, "mem.sarif", o);
  EXPECT_TRUE(hasFatal(b.problems));
}

TEST(SarifBadInput, SparseFileBeyondTwoGigabytesIsRefusedCheaply) {
  // A sparse 2.5 GB file costs nothing on disk; the default limit is 4 GB, so lower it.
  testing::TempDir dir;
  const auto p = dir.path() / "huge.sarif";
  {
    std::ofstream f(p, std::ios::binary);
    f << R"({"version":"2.1.0","runs":[)";
  }
  std::filesystem::resize_file(p, 2500ULL << 20);
  IngestOptions o;
  o.maxFileBytes = 2ULL << 30;
  const auto r = ingestFile(p.string(), o);
  ASSERT_TRUE(hasFatal(r.problems)) << describe(r.problems);
  EXPECT_NE(r.problems[0].message.find("2500 MB"), std::string::npos) << r.problems[0].message;
}

TEST(SarifBadInput, MissingFileAndDirectory) {
  testing::TempDir dir;
  const auto missing = ingestFile((dir.path() / "nope.sarif").string(), {});
  EXPECT_TRUE(hasFatal(missing.problems));
  const auto directory = ingestFile(dir.str(), {});
  EXPECT_TRUE(hasFatal(directory.problems));
}

}  // namespace
}  // namespace aspm::ingest

namespace aspm::ingest {
namespace {

// Older Trivy logs give results a ruleIndex that names another rule (the trivy-sarif-demo
// fixture: CVE-2019-10744/lodash points at the CVE-2018-16842/curl descriptor). The rule is taken
// by its id, with a warning at the ruleIndex; a hierarchical ruleId ("a/b" of rule "a") is fine.
TEST(SarifBadInput, ARuleIndexNamingAnotherRuleYieldsToTheRuleId) {
  const std::string log = R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Trivy","rules":[
    {"id":"CVE-1/curl","help":{"text":"Package: curl"}},{"id":"CVE-2/lodash","help":{"text":"Package: lodash"}},{"id":"base"}]}},
    "results":[{"ruleId":"CVE-2/lodash","ruleIndex":0,"message":{"text":"m"}},
               {"ruleId":"base/sub","ruleIndex":2,"message":{"text":"m"}}]}]})";
  const auto r = testing::ingestText(log, nullptr, "trivy.sarif");
  ASSERT_EQ(r.value.results.size(), 2u);
  EXPECT_EQ(r.value.results[0].rule, 1);
  EXPECT_EQ(r.value.results[1].rule, 2);
  const auto* p = testing::findProblem(r.problems, "/runs/0/results/0/ruleIndex", "names rule \"CVE-1/curl\"");
  ASSERT_NE(p, nullptr) << testing::describe(r.problems);
  EXPECT_EQ(p->severity, support::ProblemSeverity::Warning);
  EXPECT_EQ(testing::findProblem(r.problems, "/runs/0/results/1/ruleIndex", "names rule"), nullptr);
}

}  // namespace
}  // namespace aspm::ingest
