// SARIF features real tools emit, each checked on a small inline log: rules from the driver and
// extensions, artifacts, base URIs, regions, messages, defaults, and every result member the
// model keeps.
#include <gtest/gtest.h>

#include <algorithm>

#include "sarif_test_helpers.h"

namespace aspm::ingest {
namespace {
using testing::describe;
using testing::findProblem;
using testing::ingestText;
using testing::sarifLog;
using testing::simpleRun;

TEST(SarifReader, MinimalResult) {
  const auto r = ingestText(sarifLog(simpleRun(R"({"ruleId":"R1","message":{"text":"hello"},
    "locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/a.c"},
    "region":{"startLine":3,"startColumn":5,"endLine":4,"endColumn":9,"snippet":{"text":"x = 1;"}}}}]})")));
  ASSERT_EQ(r.value.runs.size(), 1u) << describe(r.problems);
  ASSERT_EQ(r.value.results.size(), 1u);
  EXPECT_TRUE(r.problems.empty()) << describe(r.problems);
  const auto& res = r.value.results[0];
  EXPECT_EQ(r.value.runs[0].tool.name, "T");
  EXPECT_EQ(r.value.runs[0].format, "sarif");
  EXPECT_EQ(res.ruleId, "R1");
  EXPECT_EQ(res.message, "hello");
  EXPECT_EQ(res.level, model::Level::Warning);
  EXPECT_EQ(res.kind, model::ResultKind::Fail);
  EXPECT_EQ(res.rule, -1);
  ASSERT_EQ(res.locations.size(), 1u);
  const auto& loc = res.locations[0];
  EXPECT_EQ(loc.uri, "src/a.c");
  EXPECT_TRUE(loc.resolved);
  EXPECT_EQ(loc.region.startLine, 3u);
  EXPECT_EQ(loc.region.startColumn, 5u);
  EXPECT_EQ(loc.region.endLine, 4u);
  EXPECT_EQ(loc.region.endColumn, 9u);
  EXPECT_EQ(loc.region.snippet, "x = 1;");
  EXPECT_EQ(res.source.file, "test.sarif");
  EXPECT_EQ(res.source.run, 0u);
  EXPECT_EQ(res.source.result, 0u);
}

TEST(SarifReader, SeveralRunsKeepTheirIndices) {
  const std::string run0 = simpleRun(R"({"message":{"text":"a"}},{"message":{"text":"b"}})");
  const std::string run1 = R"({"tool":{"driver":{"name":"U","version":"1.2"}},"results":[{"message":{"text":"c"}}]})";
  const auto r = ingestText(sarifLog(run0 + "," + run1));
  ASSERT_EQ(r.value.runs.size(), 2u);
  ASSERT_EQ(r.value.results.size(), 3u);
  EXPECT_EQ(r.value.runs[1].tool.name, "U");
  EXPECT_EQ(r.value.runs[1].tool.version, "1.2");
  EXPECT_EQ(r.value.runs[1].index, 1u);
  EXPECT_EQ(r.value.results[1].source.result, 1u);
  EXPECT_EQ(r.value.results[2].run, 1u);
  EXPECT_EQ(r.value.results[2].source.run, 1u);
  EXPECT_EQ(r.value.results[2].source.result, 0u);
}

// A tool with two driver rules and two extensions with one rule each.
const char* kTool = R"("tool":{
  "driver":{"name":"Drv","semanticVersion":"3.0.0","informationUri":"https://drv.example","organization":"Org",
    "rules":[{"id":"D0","defaultConfiguration":{"level":"note"}},{"id":"D1"}],
    "globalMessageStrings":{"g":{"text":"global {0}"}}},
  "extensions":[
    {"name":"pack-a","guid":"AAAA-1","rules":[{"id":"A0","defaultConfiguration":{"level":"error"}}]},
    {"name":"pack-b","guid":"BBBB-2","rules":[{"id":"B0","messageStrings":{"m":{"text":"B says {0} and {1}"}}}]}]})";

TEST(SarifReader, RulesFromDriverAndExtensions) {
  const std::string results = R"("results":[
    {"ruleIndex":1,"message":{"text":"driver by index"}},
    {"ruleId":"D0","message":{"text":"driver by id"}},
    {"rule":{"id":"A0","index":0,"toolComponent":{"index":0}},"message":{"text":"ext by index"}},
    {"rule":{"index":0,"toolComponent":{"name":"pack-b"}},"message":{"text":"ext by name"}},
    {"rule":{"id":"A0","toolComponent":{"guid":"aaaa-1"}},"message":{"text":"ext by guid"}},
    {"ruleId":"B0","message":{"text":"ext by id alone"}},
    {"ruleId":"D1/sub","message":{"text":"hierarchical"}}])";
  const auto r = ingestText(sarifLog("{" + std::string(kTool) + "," + results + "}"));
  ASSERT_EQ(r.value.results.size(), 7u) << describe(r.problems);
  EXPECT_TRUE(r.problems.empty()) << describe(r.problems);
  const auto& run = r.value.runs[0];
  ASSERT_EQ(run.rules.size(), 4u);  // driver rules then extension rules
  EXPECT_EQ(run.tool.name, "Drv");
  EXPECT_EQ(run.tool.version, "3.0.0");
  EXPECT_EQ(run.tool.informationUri, "https://drv.example");
  EXPECT_EQ(run.tool.organization, "Org");
  auto ruleOf = [&](std::size_t i) { return run.rules.at(static_cast<std::size_t>(r.value.results[i].rule)).id; };
  EXPECT_EQ(ruleOf(0), "D1");
  EXPECT_EQ(r.value.results[0].ruleId, "D1") << "ruleId is filled from the linked rule";
  EXPECT_EQ(ruleOf(1), "D0");
  EXPECT_EQ(ruleOf(2), "A0");
  EXPECT_EQ(ruleOf(3), "B0");
  EXPECT_EQ(ruleOf(4), "A0");
  EXPECT_EQ(ruleOf(5), "B0");
  EXPECT_EQ(ruleOf(6), "D1");
  // Level defaults from the rule's defaultConfiguration.
  EXPECT_EQ(r.value.results[1].level, model::Level::Note);
  EXPECT_EQ(r.value.results[2].level, model::Level::Error);
  EXPECT_EQ(r.value.results[0].level, model::Level::Warning);
}

TEST(SarifReader, ResultsBeforeToolAreLinkedAtTheEndOfTheRun) {
  const std::string run = R"({"results":[{"ruleIndex":0,"message":{"id":"m","arguments":["x","y"]}}],)" +
                          std::string(R"("tool":{"driver":{"name":"Late","rules":[{"id":"L0",
                            "defaultConfiguration":{"level":"error"},
                            "messageStrings":{"m":{"text":"late {1} {0}"}}}]}}})");
  const auto r = ingestText(sarifLog(run));
  ASSERT_EQ(r.value.results.size(), 1u) << describe(r.problems);
  EXPECT_EQ(r.value.results[0].rule, 0);
  EXPECT_EQ(r.value.results[0].ruleId, "L0");
  EXPECT_EQ(r.value.results[0].level, model::Level::Error);
  EXPECT_EQ(r.value.results[0].message, "late y x");
}

TEST(SarifReader, MessageArgumentsAndEscapes) {
  const auto r = ingestText(sarifLog(simpleRun(R"(
    {"message":{"text":"{0} flows to {1}; {{literal}} {2} {x} }}","markdown":"**{1}**","arguments":["a","b"]}})")));
  ASSERT_EQ(r.value.results.size(), 1u);
  EXPECT_EQ(r.value.results[0].message, "a flows to b; {literal} {2} {x} }");
  EXPECT_EQ(r.value.results[0].messageMarkdown, "**b**");
}

TEST(SarifReader, MessageIdLookups) {
  const std::string results = R"("results":[
    {"rule":{"id":"B0","toolComponent":{"index":1}},"message":{"id":"m","arguments":["1","2"]}},
    {"ruleId":"D0","message":{"id":"g","arguments":["arg"]}},
    {"ruleId":"D0","message":{"id":"nope","text":"fallback text"}},
    {"ruleId":"D0","message":{"id":"nope"}}])";
  const auto r = ingestText(sarifLog("{" + std::string(kTool) + "," + results + "}"));
  ASSERT_EQ(r.value.results.size(), 4u) << describe(r.problems);
  EXPECT_EQ(r.value.results[0].message, "B says 1 and 2");
  EXPECT_EQ(r.value.results[1].message, "global arg");
  EXPECT_EQ(r.value.results[2].message, "fallback text");
  EXPECT_NE(findProblem(r.problems, "/runs/0/results/3/message/id", "not defined"), nullptr) << describe(r.problems);
}

TEST(SarifReader, MissingMessageFallsBackToRuleDescription) {
  const auto r = ingestText(sarifLog(R"({"tool":{"driver":{"name":"T","rules":[{"id":"R",
      "shortDescription":{"text":"short"}}]}},"results":[{"ruleId":"R"}]})"));
  ASSERT_EQ(r.value.results.size(), 1u);
  EXPECT_EQ(r.value.results[0].message, "short");
  EXPECT_NE(findProblem(r.problems, "/runs/0/results/0", "no message"), nullptr) << describe(r.problems);
}

TEST(SarifReader, LevelAndKindDefaults) {
  const auto r = ingestText(sarifLog(R"({"tool":{"driver":{"name":"T","rules":[{"id":"E",
      "defaultConfiguration":{"level":"error"}}]}},"results":[
      {"ruleId":"E","message":{"text":"from rule"}},
      {"ruleId":"E","level":"note","message":{"text":"explicit"}},
      {"ruleId":"E","kind":"pass","message":{"text":"pass"}},
      {"ruleId":"E","kind":"review","message":{"text":"review"}},
      {"ruleId":"unknown","message":{"text":"no rule"}},
      {"ruleId":"E","kind":"fail","level":"none","message":{"text":"none"}}]})"));
  ASSERT_EQ(r.value.results.size(), 6u) << describe(r.problems);
  EXPECT_EQ(r.value.results[0].level, model::Level::Error);
  EXPECT_EQ(r.value.results[1].level, model::Level::Note);
  EXPECT_EQ(r.value.results[2].level, model::Level::None);
  EXPECT_EQ(r.value.results[2].kind, model::ResultKind::Pass);
  EXPECT_EQ(r.value.results[3].level, model::Level::None);
  EXPECT_EQ(r.value.results[3].kind, model::ResultKind::Review);
  EXPECT_EQ(r.value.results[4].level, model::Level::Warning);
  EXPECT_EQ(r.value.results[4].rule, -1);
  EXPECT_NE(findProblem(r.problems, "/runs/0/results/4/ruleId", "not described"), nullptr) << describe(r.problems);
  EXPECT_EQ(r.value.results[5].level, model::Level::None);
}

TEST(SarifReader, RuleMetadata) {
  const auto r = ingestText(sarifLog(R"({"tool":{"driver":{"name":"T","rules":[
      {"id":"js/sqli","name":"SqlInjection","shortDescription":{"text":"SQLi"},"fullDescription":{"text":"Full"},
       "help":{"text":"help text","markdown":"# help"},"helpUri":"https://help.example/sqli",
       "defaultConfiguration":{"level":"error","enabled":false},
       "properties":{"security-severity":"8.8","precision":"high","problem.severity":"error",
         "tags":["security","external/cwe/cwe-089","CWE-564: SQL Injection: Hibernate"]}},
      {"id":"n","properties":{"security-severity":7.5,"tags":["cwe_78"],"cwe":["CWE-22"]}},
      {"id":"bad","properties":{"security-severity":"high"}}]}},"results":[]})"));
  ASSERT_EQ(r.value.runs.size(), 1u);
  const auto& rules = r.value.runs[0].rules;
  ASSERT_EQ(rules.size(), 3u);
  const auto& a = rules[0];
  EXPECT_EQ(a.name, "SqlInjection");
  EXPECT_EQ(a.shortDescription, "SQLi");
  EXPECT_EQ(a.fullDescription, "Full");
  EXPECT_EQ(a.helpText, "help text");
  EXPECT_EQ(a.helpMarkdown, "# help");
  EXPECT_EQ(a.helpUri, "https://help.example/sqli");
  EXPECT_EQ(a.defaultLevel, model::Level::Error);
  EXPECT_FALSE(a.defaultEnabled);
  ASSERT_TRUE(a.securitySeverity.has_value());
  EXPECT_DOUBLE_EQ(*a.securitySeverity, 8.8);
  EXPECT_EQ(a.precision, "high");
  EXPECT_EQ(a.problemSeverity, "error");
  EXPECT_EQ(a.tags.size(), 3u);
  EXPECT_EQ(a.cwes, (std::vector<std::string>{"CWE-89", "CWE-564"}));
  ASSERT_TRUE(rules[1].securitySeverity.has_value());
  EXPECT_DOUBLE_EQ(*rules[1].securitySeverity, 7.5);
  EXPECT_EQ(rules[1].cwes, (std::vector<std::string>{"CWE-22", "CWE-78"}));
  EXPECT_FALSE(rules[2].securitySeverity.has_value());
  EXPECT_NE(findProblem(r.problems, "/runs/0/tool/driver/rules/2/properties/security-severity", "0 to 10"), nullptr)
      << describe(r.problems);
}

TEST(SarifReader, CweRelationshipsToTaxa) {
  // By taxonomy name, and by index into run.taxonomies given after the tool.
  const auto r = ingestText(sarifLog(R"({"tool":{"driver":{"name":"T","rules":[
      {"id":"a","relationships":[{"target":{"id":"242","toolComponent":{"name":"CWE"}},"kinds":["superset"]}]},
      {"id":"b","relationships":[{"target":{"id":"CAT1","toolComponent":{"name":"Categories"}}},
                                 {"target":{"id":"798","toolComponent":{"index":1}}}]},
      {"id":"c","relationships":[{"target":{"id":"22","toolComponent":{"guid":"G-CWE"}}}]}]}},
      "results":[],
      "taxonomies":[{"name":"Categories"},{"name":"CWE","guid":"g-cwe"}]})"));
  ASSERT_EQ(r.value.runs.size(), 1u) << describe(r.problems);
  const auto& rules = r.value.runs[0].rules;
  EXPECT_EQ(rules[0].cwes, std::vector<std::string>{"CWE-242"});
  EXPECT_EQ(rules[1].cwes, std::vector<std::string>{"CWE-798"});
  EXPECT_EQ(rules[2].cwes, std::vector<std::string>{"CWE-22"});
}

TEST(SarifReader, ArtifactsByIndexEvenWhenListedAfterResults) {
  const auto r = ingestText(sarifLog(R"({"tool":{"driver":{"name":"T"}},"results":[
      {"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"index":1},"region":{"startLine":2}}}]},
      {"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"index":7}}}]}],
      "artifacts":[{"location":{"uri":"a.py"}},{"location":{"uri":"lib/b.py","uriBaseId":"SRC"}}],
      "originalUriBaseIds":{"SRC":{"uri":"pkg/"}}})"));
  ASSERT_EQ(r.value.results.size(), 2u) << describe(r.problems);
  EXPECT_EQ(r.value.results[0].locations[0].uri, "pkg/lib/b.py");
  EXPECT_EQ(r.value.results[0].locations[0].region.startLine, 2u);
  EXPECT_NE(findProblem(r.problems, "/runs/0/results/1/locations/0/physicalLocation/artifactLocation/index",
                        "out of range"),
            nullptr)
      << describe(r.problems);
}

TEST(SarifReader, UriBaseIdChainsAreExpanded) {
  testing::TempDir ws;
  ws.write("svc/src/main.c", "int main;\n");
  ws.write("top.c", "int x;\n");
  PathResolver resolver(ws.str());
  // NESTED -> SRCROOT -> an absolute file URI from the CI machine; %UNDEFINED% is the workspace root.
  const auto r = ingestText(sarifLog(R"({"tool":{"driver":{"name":"T"}},
      "originalUriBaseIds":{
        "SRCROOT":{"uri":"file:///home/runner/work/repo/repo/"},
        "NESTED":{"uri":"svc/","uriBaseId":"SRCROOT"},
        "LOOP1":{"uri":"x/","uriBaseId":"LOOP2"},"LOOP2":{"uri":"y/","uriBaseId":"LOOP1"}},
      "results":[
        {"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/main.c","uriBaseId":"NESTED"}}}]},
        {"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"top.c","uriBaseId":"%SRCROOT%"}}}]},
        {"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"z.c","uriBaseId":"LOOP1"}}}]}]})"),
                            &resolver);
  ASSERT_EQ(r.value.results.size(), 3u) << describe(r.problems);
  EXPECT_EQ(r.value.results[0].locations[0].uri, "svc/src/main.c");
  EXPECT_TRUE(r.value.results[0].locations[0].resolved);
  EXPECT_EQ(r.value.results[1].locations[0].uri, "top.c");
  EXPECT_TRUE(r.value.results[1].locations[0].resolved);
  // A cyclic chain does not hang; the result is still there.
  EXPECT_FALSE(r.value.results[2].locations[0].uri.empty());
}

TEST(SarifReader, RegionDefaults) {
  const auto r = ingestText(sarifLog(simpleRun(R"(
    {"message":{"text":"m"},"locations":[
      {"physicalLocation":{"artifactLocation":{"uri":"a"},"region":{"startLine":7}}},
      {"physicalLocation":{"artifactLocation":{"uri":"a"},"region":{"startLine":7,"endColumn":4}}},
      {"physicalLocation":{"artifactLocation":{"uri":"a"},"region":{"startLine":7,"startColumn":3}}},
      {"physicalLocation":{"artifactLocation":{"uri":"a"},"region":{"startLine":9,"endLine":8}},
       "contextRegion":{"startLine":1}}]})")));
  ASSERT_EQ(r.value.results.size(), 1u);
  const auto& l = r.value.results[0].locations;
  ASSERT_EQ(l.size(), 4u);
  // Only startLine: the whole line.
  EXPECT_EQ(l[0].region.startLine, 7u);
  EXPECT_EQ(l[0].region.endLine, 7u);
  EXPECT_EQ(l[0].region.startColumn, 0u);
  EXPECT_EQ(l[0].region.endColumn, 0u);
  // endColumn alone: the start column defaults to 1.
  EXPECT_EQ(l[1].region.startColumn, 1u);
  EXPECT_EQ(l[1].region.endColumn, 4u);
  // startColumn alone: to the end of the line.
  EXPECT_EQ(l[2].region.startColumn, 3u);
  EXPECT_EQ(l[2].region.endColumn, 0u);
  EXPECT_EQ(l[3].region.endLine, 9u);
  EXPECT_NE(findProblem(r.problems, "/runs/0/results/0/locations/3/physicalLocation/region", "endLine"), nullptr)
      << describe(r.problems);
}

TEST(SarifReader, CharOffsetRegionsBecomeLinesWhenTheFileExists) {
  testing::TempDir ws;
  // Line 2 holds a 4-byte character (two UTF-16 code units) before the target "bad".
  ws.write("src/x.js", "let a = 1;\n\xF0\x9F\x98\x80 bad();\nend\n");
  PathResolver resolver(ws.str());
  // Offsets in UTF-16 code units: line 1 is 11 units with its newline; the emoji is 2 units,
  // then a space, so "bad" starts at unit 11 + 3 = 14.
  const auto r = ingestText(sarifLog(simpleRun(R"(
    {"message":{"text":"m"},"locations":[
      {"physicalLocation":{"artifactLocation":{"uri":"src/x.js"},"region":{"charOffset":14,"charLength":3}}},
      {"physicalLocation":{"artifactLocation":{"uri":"src/missing.js"},"region":{"charOffset":14,"charLength":3}}},
      {"physicalLocation":{"artifactLocation":{"uri":"src/x.js"},"region":{"charOffset":4000,"charLength":3}}}]})")),
                            &resolver);
  ASSERT_EQ(r.value.results.size(), 1u) << describe(r.problems);
  const auto& l = r.value.results[0].locations;
  EXPECT_EQ(l[0].region.startLine, 2u);
  EXPECT_EQ(l[0].region.startColumn, 4u);
  EXPECT_EQ(l[0].region.endLine, 2u);
  EXPECT_EQ(l[0].region.endColumn, 7u);
  EXPECT_EQ(l[0].region.charOffset, 14);
  // The file is not in the workspace: offsets are kept as given.
  EXPECT_EQ(l[1].region.startLine, 0u);
  EXPECT_EQ(l[1].region.charOffset, 14);
  EXPECT_EQ(l[1].region.charLength, 3);
  EXPECT_EQ(l[2].region.startLine, 0u);
  EXPECT_NE(findProblem(r.problems, "/runs/0/results/0/locations/2", "past the end"), nullptr) << describe(r.problems);
}

TEST(SarifReader, CharOffsetsInCodePointsWhenTheRunSaysSo) {
  testing::TempDir ws;
  ws.write("x.txt", "\xF0\x9F\x98\x80" "ab\n");
  PathResolver resolver(ws.str());
  const auto r = ingestText(sarifLog(simpleRun(R"(
    {"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"x.txt"},
      "region":{"charOffset":1,"charLength":1}}}]})",
                                               R"("columnKind":"unicodeCodePoints")")),
                            &resolver);
  ASSERT_EQ(r.value.results.size(), 1u) << describe(r.problems);
  EXPECT_EQ(r.value.results[0].locations[0].region.startColumn, 2u);
  EXPECT_EQ(r.value.results[0].locations[0].region.endColumn, 3u);
}

TEST(SarifReader, EveryResultMemberTheModelKeeps) {
  const auto r = ingestText(sarifLog(simpleRun(R"({
    "ruleId":"R","message":{"text":"m"},"guid":"11111111-2222-3333-4444-555555555555",
    "correlationGuid":"c-guid","rank":42.5,"baselineState":"unchanged",
    "fingerprints":{"v1":"abc"},"partialFingerprints":{"primaryLocationLineHash":"ff:1"},
    "properties":{"tags":["t1","t2"],"security-severity":"9.1"},
    "locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.c"},"region":{"startLine":1}},
                  "message":{"text":"primary"},
                  "logicalLocations":[{"name":"f","fullyQualifiedName":"ns::f"}]}],
    "relatedLocations":[{"id":1,"physicalLocation":{"artifactLocation":{"uri":"b.c"},"region":{"startLine":5}},
                         "message":{"text":"source {0}","arguments":["here"]}}],
    "codeFlows":[{"message":{"text":"flow"},"threadFlows":[{"locations":[
       {"location":{"physicalLocation":{"artifactLocation":{"uri":"b.c"},"region":{"startLine":5}},"message":{"text":"step1"}},
        "kinds":["source","taint"],"nestingLevel":0},
       {"location":{"physicalLocation":{"artifactLocation":{"uri":"a.c"},"region":{"startLine":1}}},"nestingLevel":2,
        "kinds":["sink"]}]}]}],
    "fixes":[{"description":{"text":"use a parameter"},"artifactChanges":[{"artifactLocation":{"uri":"a.c"},
       "replacements":[{"deletedRegion":{"startLine":1,"startColumn":2,"endColumn":5},"insertedContent":{"text":"safe"}},
                       {"deletedRegion":{"startLine":3}}]}]}],
    "suppressions":[{"kind":"inSource","status":"accepted","justification":"test code"},{"kind":"external"}]})")));
  ASSERT_EQ(r.value.results.size(), 1u) << describe(r.problems);
  EXPECT_TRUE(r.problems.empty()) << describe(r.problems);
  const auto& res = r.value.results[0];
  EXPECT_EQ(res.guid, "11111111-2222-3333-4444-555555555555");
  EXPECT_EQ(res.correlationGuid, "c-guid");
  ASSERT_TRUE(res.rank.has_value());
  EXPECT_DOUBLE_EQ(*res.rank, 42.5);
  EXPECT_EQ(res.baselineState, model::BaselineState::Unchanged);
  EXPECT_EQ(res.fingerprints.at("v1"), "abc");
  EXPECT_EQ(res.partialFingerprints.at("primaryLocationLineHash"), "ff:1");
  EXPECT_EQ(res.tags, (std::vector<std::string>{"t1", "t2"}));
  ASSERT_TRUE(res.securitySeverity.has_value());
  EXPECT_DOUBLE_EQ(*res.securitySeverity, 9.1);
  EXPECT_EQ(res.locations[0].message, "primary");
  EXPECT_EQ(res.locations[0].logicalName, "ns::f");
  ASSERT_EQ(res.relatedLocations.size(), 1u);
  EXPECT_EQ(res.relatedLocations[0].uri, "b.c");
  EXPECT_EQ(res.relatedLocations[0].message, "source here");
  ASSERT_EQ(res.codeFlows.size(), 1u);
  EXPECT_EQ(res.codeFlows[0].message, "flow");
  ASSERT_EQ(res.codeFlows[0].threadFlows.size(), 1u);
  const auto& steps = res.codeFlows[0].threadFlows[0];
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].location.uri, "b.c");
  EXPECT_EQ(steps[0].location.message, "step1");
  EXPECT_EQ(steps[0].kind, "source,taint");
  EXPECT_EQ(steps[1].nestingLevel, 2u);
  EXPECT_EQ(steps[1].kind, "sink");
  EXPECT_EQ(steps[1].location.region.startLine, 1u);
  ASSERT_EQ(res.fixes.size(), 1u);
  EXPECT_EQ(res.fixes[0].description, "use a parameter");
  ASSERT_EQ(res.fixes[0].changes.size(), 1u);
  EXPECT_EQ(res.fixes[0].changes[0].uri, "a.c");
  EXPECT_TRUE(res.fixes[0].changes[0].resolved);
  ASSERT_EQ(res.fixes[0].changes[0].replacements.size(), 2u);
  EXPECT_EQ(res.fixes[0].changes[0].replacements[0].deleted.startColumn, 2u);
  EXPECT_EQ(res.fixes[0].changes[0].replacements[0].deleted.endColumn, 5u);
  EXPECT_EQ(res.fixes[0].changes[0].replacements[0].insertedContent, "safe");
  EXPECT_EQ(res.fixes[0].changes[0].replacements[1].insertedContent, "");
  ASSERT_EQ(res.suppressions.size(), 2u);
  EXPECT_EQ(res.suppressions[0].kind, "inSource");
  EXPECT_EQ(res.suppressions[0].status, "accepted");
  EXPECT_EQ(res.suppressions[0].justification, "test code");
  EXPECT_EQ(res.suppressions[1].kind, "external");
}

TEST(SarifReader, MemberOrderDoesNotMatter) {
  // codeFlows and relatedLocations before locations: each list keeps its own URIs.
  const auto r = ingestText(sarifLog(simpleRun(R"({"message":{"text":"m"},
    "codeFlows":[{"threadFlows":[{"locations":[{"location":{"physicalLocation":{"artifactLocation":{"uri":"flow.c"}}}}]}]}],
    "fixes":[{"artifactChanges":[{"artifactLocation":{"uri":"fix.c"},"replacements":[]}]}],
    "relatedLocations":[{"physicalLocation":{"artifactLocation":{"uri":"rel.c"}}}],
    "locations":[{"physicalLocation":{"artifactLocation":{"uri":"loc.c"}}}]})")));
  ASSERT_EQ(r.value.results.size(), 1u);
  const auto& res = r.value.results[0];
  EXPECT_EQ(res.locations[0].uri, "loc.c");
  EXPECT_EQ(res.relatedLocations[0].uri, "rel.c");
  EXPECT_EQ(res.codeFlows[0].threadFlows[0][0].location.uri, "flow.c");
  EXPECT_EQ(res.fixes[0].changes[0].uri, "fix.c");
}

TEST(SarifReader, RunLevelMembers) {
  const auto r = ingestText(sarifLog(simpleRun(R"({"message":{"text":"m"}})",
                                               R"("versionControlProvenance":[
        {"repositoryUri":"https://git.example/r.git","revisionId":"0123abcd","branch":"main"},
        {"repositoryUri":"https://git.example/dep.git","revisionId":"ffff"}],
      "automationDetails":{"id":"nightly/2024-01-01"})")));
  ASSERT_EQ(r.value.runs.size(), 1u) << describe(r.problems);
  const auto& run = r.value.runs[0];
  EXPECT_EQ(run.revision, "0123abcd");
  EXPECT_EQ(run.repositoryUri, "https://git.example/r.git");
  EXPECT_EQ(run.branch, "main");
  EXPECT_EQ(run.automationId, "nightly/2024-01-01");
  EXPECT_EQ(run.file, "test.sarif");
}

TEST(SarifReader, ByteOrderMarkIsSkipped) {
  const auto r = ingestText("\xEF\xBB\xBF" + sarifLog(simpleRun(R"({"message":{"text":"m"}})")));
  EXPECT_EQ(r.value.results.size(), 1u) << describe(r.problems);
  EXPECT_TRUE(r.problems.empty()) << describe(r.problems);
}

TEST(SarifReader, WithoutAResolverUrisAreKeptAsGiven) {
  const auto r = ingestText(sarifLog(simpleRun(R"({"message":{"text":"m"},"locations":[
      {"physicalLocation":{"artifactLocation":{"uri":"src/a%20b.c"}}},
      {"physicalLocation":{"artifactLocation":{"uri":"file:///abs/x.c"}}},
      {"physicalLocation":{"artifactLocation":{"uri":"https://example.com/x.c"}}}]})")));
  ASSERT_EQ(r.value.results.size(), 1u);
  const auto& l = r.value.results[0].locations;
  EXPECT_EQ(l[0].uri, "src/a b.c");
  EXPECT_TRUE(l[0].resolved);
  EXPECT_EQ(l[1].uri, "/abs/x.c");
  EXPECT_FALSE(l[1].resolved);
  EXPECT_EQ(l[2].uri, "https://example.com/x.c");
  EXPECT_FALSE(l[2].resolved);
  EXPECT_TRUE(r.problems.empty()) << describe(r.problems);
}

TEST(SarifReader, IngestFileStreamsAcrossChunks) {
  // Several MB, so the file is read in many chunks with strings split across them.
  std::string results;
  const std::string longText(3000, 'x');
  for (int i = 0; i < 3000; ++i) {
    if (i) results += ',';
    results += R"({"ruleId":"R)" + std::to_string(i % 7) + R"(","message":{"text":")" + longText + std::to_string(i) +
               R"("},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"f)" + std::to_string(i % 50) +
               R"(.c"},"region":{"startLine":)" + std::to_string(i + 1) + "}}}]}";
  }
  const std::string text = sarifLog(simpleRun(results));
  testing::TempDir dir;
  dir.write("big.sarif", text);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> progress;
  IngestOptions o;
  o.progress = [&](std::uint64_t done, std::uint64_t total) { progress.emplace_back(done, total); };
  const auto fromFile = ingestFile((dir.path() / "big.sarif").string(), o);
  ASSERT_EQ(fromFile.value.results.size(), 3000u) << describe(fromFile.problems);
  EXPECT_TRUE(fromFile.problems.empty()) << describe(fromFile.problems);
  EXPECT_EQ(fromFile.value.results[2999].message, longText + "2999");
  EXPECT_EQ(fromFile.value.results[2999].locations[0].region.startLine, 3000u);
  EXPECT_EQ(fromFile.value.results[1234].source.result, 1234u);
  ASSERT_FALSE(progress.empty());
  for (std::size_t i = 1; i < progress.size(); ++i) EXPECT_GE(progress[i].first, progress[i - 1].first);
  EXPECT_EQ(progress.back().first, text.size());
  EXPECT_EQ(progress.back().second, text.size());
  const auto fromBytes = ingestText(text);
  ASSERT_EQ(fromBytes.value.results.size(), fromFile.value.results.size());
  for (std::size_t i = 0; i < 3000; i += 97) EXPECT_EQ(fromBytes.value.results[i].message, fromFile.value.results[i].message);
}

TEST(SarifReader, CancellationKeepsWhatWasRead) {
  std::string results;
  for (int i = 0; i < 20000; ++i) {
    if (i) results += ',';
    results += R"({"message":{"text":"result )" + std::to_string(i) + std::string(200, 'y') + R"("}})";
  }
  const std::string text = sarifLog(simpleRun(results));
  testing::TempDir dir;
  dir.write("c.sarif", text);
  std::atomic<bool> cancel{false};
  IngestOptions o;
  o.cancel = &cancel;
  // Cancel from the first progress report: part of the file has been read by then.
  o.progress = [&](std::uint64_t, std::uint64_t) { cancel = true; };
  const auto r = ingestFile((dir.path() / "c.sarif").string(), o);
  EXPECT_LT(r.value.results.size(), 20000u);
  EXPECT_GT(r.value.results.size(), 0u);
  const bool said = std::any_of(r.problems.begin(), r.problems.end(),
                                [](const support::Problem& p) { return p.message.find("cancelled") != std::string::npos; });
  EXPECT_TRUE(said) << describe(r.problems);
  EXPECT_FALSE(testing::hasFatal(r.problems));
}

TEST(SarifAppend, RebasesRunIndices) {
  auto a = ingestText(sarifLog(simpleRun(R"({"message":{"text":"a"}})")), nullptr, "a.sarif").value;
  auto b = ingestText(sarifLog(simpleRun(R"({"message":{"text":"b"}})") + "," + simpleRun(R"({"message":{"text":"c"}})")),
                      nullptr, "b.sarif")
               .value;
  model::ScanSet all;
  append(all, std::move(a));
  append(all, std::move(b));
  ASSERT_EQ(all.runs.size(), 3u);
  ASSERT_EQ(all.results.size(), 3u);
  EXPECT_EQ(all.results[0].run, 0u);
  EXPECT_EQ(all.results[1].run, 1u);
  EXPECT_EQ(all.results[2].run, 2u);
  EXPECT_EQ(all.results[2].source.run, 1u);
  EXPECT_EQ(all.results[2].source.file, "b.sarif");
  EXPECT_EQ(all.runs[all.results[2].run].file, "b.sarif");
}

}  // namespace
}  // namespace aspm::ingest
