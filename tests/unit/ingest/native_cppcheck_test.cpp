// cppcheck XML adapter: version 2 and version 1 reports, severities, CWEs, the steps cppcheck
// lists after an error's place, and broken XML that must keep the entries before the break.
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

// As cppcheck 2.10 writes it with --xml --xml-version=2 --enable=all --inconclusive.
constexpr std::string_view kReport = R"(<?xml version="1.0" encoding="UTF-8"?>
<results version="2">
    <cppcheck version="2.10"/>
    <errors>
        <error id="nullPointerRedundantCheck" severity="warning" msg="Either the condition &apos;!p&apos; is redundant or there is possible null pointer dereference: p." verbose="Either the condition &apos;!p&apos; is redundant or there is possible null pointer dereference: p." cwe="476" file0="lib/parse.c">
            <location file="lib/parse.c" line="31" column="12" info="Null pointer dereference"/>
            <location file="lib/parse.c" line="27" column="9" info="Assuming that condition &apos;!p&apos; is not redundant"/>
            <symbol>p</symbol>
        </error>
        <error id="knownConditionTrueFalse" severity="style" msg="Condition &apos;n&gt;0&apos; is always true" verbose="Condition &apos;n&gt;0&apos; is always true" cwe="571" inconclusive="true" file0="lib/parse.c">
            <location file="lib/parse.c" line="40" column="11"/>
        </error>
        <error id="passedByValue" severity="performance" msg="Function parameter &apos;s&apos; should be passed by const reference." verbose="Parameter &apos;s&apos; is passed by value. It could be passed as a const reference which is usually faster and recommended in C++." cwe="398" file0="src/util.cpp">
            <location file="src/util.cpp" line="8" column="30"/>
        </error>
        <error id="toomanyconfigs" severity="information" msg="Too many #ifdef configurations" verbose="The checking of the file will be interrupted because there are too many #ifdef configurations."/>
        <error id="nullPointerRedundantCheck" severity="warning" msg="Either the condition &apos;q==NULL&apos; is redundant or there is possible null pointer dereference: q." verbose="Either the condition &apos;q==NULL&apos; is redundant or there is possible null pointer dereference: q." cwe="476" file0="lib/parse.c">
            <location file="lib/parse.c" line="55" column="5"/>
        </error>
    </errors>
</results>
)";

TEST(NativeCppcheck, ReadsVersion2Reports) {
  auto r = readCppcheck(kReport, "out/cppcheck.xml", {});
  EXPECT_TRUE(r.problems.empty());
  ASSERT_EQ(r.value.runs.size(), 1U);
  const model::Run& run = r.value.runs[0];
  EXPECT_EQ(run.format, "cppcheck");
  EXPECT_EQ(run.tool.name, "cppcheck");
  EXPECT_EQ(run.tool.version, "2.10");
  ASSERT_EQ(run.rules.size(), 4U);
  EXPECT_EQ(run.rules[0].id, "nullPointerRedundantCheck");
  EXPECT_EQ(run.rules[0].cwes, std::vector<std::string>{"CWE-476"});
  EXPECT_EQ(run.rules[0].defaultLevel, model::Level::Warning);
  EXPECT_EQ(run.rules[2].fullDescription,
            "Parameter 's' is passed by value. It could be passed as a const reference which is usually faster and "
            "recommended in C++.");

  ASSERT_EQ(r.value.results.size(), 5U);
  const model::Result& npd = r.value.results[0];
  EXPECT_EQ(npd.ruleId, "nullPointerRedundantCheck");
  EXPECT_EQ(npd.level, model::Level::Warning);
  EXPECT_EQ(npd.message, "Either the condition '!p' is redundant or there is possible null pointer dereference: p.");
  ASSERT_EQ(npd.locations.size(), 1U);
  EXPECT_EQ(npd.locations[0].uri, "lib/parse.c");
  EXPECT_EQ(npd.locations[0].region.startLine, 31U);
  EXPECT_EQ(npd.locations[0].region.startColumn, 12U);
  EXPECT_EQ(npd.locations[0].message, "Null pointer dereference");
  ASSERT_EQ(npd.relatedLocations.size(), 1U);
  EXPECT_EQ(npd.relatedLocations[0].region.startLine, 27U);
  EXPECT_EQ(npd.relatedLocations[0].message, "Assuming that condition '!p' is not redundant");

  EXPECT_EQ(r.value.results[1].level, model::Level::Note);  // style
  EXPECT_EQ(r.value.results[1].tags, std::vector<std::string>{"inconclusive"});
  EXPECT_EQ(r.value.results[2].level, model::Level::Note);  // performance
  const model::Result& info = r.value.results[3];
  EXPECT_EQ(info.level, model::Level::None);  // information is about the analysis
  EXPECT_TRUE(info.locations.empty());
  EXPECT_EQ(r.value.results[4].rule, 0);
  EXPECT_EQ(r.value.results[4].source.result, 4U);
  EXPECT_EQ(r.value.results[4].source.file, "out/cppcheck.xml");
}

TEST(NativeCppcheck, ReadsVersion1Reports) {
  auto r = readCppcheck(R"(<?xml version="1.0"?>
<results>
  <error file="a.c" line="4" id="arrayIndexOutOfBounds" severity="error" msg="Array 'a[2]' accessed at index 2, which is out of bounds."/>
  <error id="missingInclude" severity="information" msg="Include file not found"/>
</results>)",
                        "v1.xml", {});
  EXPECT_TRUE(r.problems.empty());
  ASSERT_EQ(r.value.results.size(), 2U);
  EXPECT_EQ(r.value.results[0].level, model::Level::Error);
  ASSERT_EQ(r.value.results[0].locations.size(), 1U);
  EXPECT_EQ(r.value.results[0].locations[0].uri, "a.c");
  EXPECT_EQ(r.value.results[0].locations[0].region.startLine, 4U);
  EXPECT_TRUE(r.value.results[1].locations.empty());
}

TEST(NativeCppcheck, ByteColumnsBecomeUtf16AndTabsCountOne) {
  TempWorkspace ws;
  ws.write("src/t.c", "int g(void)\n{\n    int b[2]; /* \xC3\xA9 */ b[2] = 1;\n\tint c[2]; c[2] = 1;\n}\n");
  PathResolver resolver(ws.root(), {"src/t.c"});
  IngestOptions options;
  options.resolver = &resolver;
  // Real cppcheck columns for this file: byte 25 on line 3 (after the 2-byte "é"), 13 on line 4.
  auto r = readCppcheck(R"(<?xml version="1.0" encoding="UTF-8"?>
<results version="2"><cppcheck version="2.10"/><errors>
<error id="arrayIndexOutOfBounds" severity="error" msg="m" verbose="m" cwe="788" file0="src/t.c">
<location file="src/t.c" line="3" column="25"/></error>
<error id="arrayIndexOutOfBounds" severity="error" msg="m" verbose="m" cwe="788" file0="src/t.c">
<location file="src/t.c" line="4" column="13"/></error>
</errors></results>)",
                        "c.xml", options);
  ASSERT_EQ(r.value.results.size(), 2U);
  EXPECT_TRUE(r.value.results[0].locations[0].resolved);
  EXPECT_EQ(r.value.results[0].locations[0].region.startColumn, 24U);
  EXPECT_EQ(r.value.results[1].locations[0].region.startColumn, 13U);
}

TEST(NativeCppcheck, TruncatedReportKeepsTheEntriesBeforeTheCut) {
  const std::string full(kReport);
  const std::string cut = full.substr(0, full.find("<location file=\"src/util.cpp\"") + 20);
  auto r = readCppcheck(cut, "cut.xml", {});
  EXPECT_FALSE(hasFatal(r.problems));
  ASSERT_EQ(r.value.results.size(), 2U);
  EXPECT_EQ(r.value.results[1].ruleId, "knownConditionTrueFalse");
  ASSERT_EQ(r.problems.size(), 1U);
  EXPECT_EQ(r.problems[0].severity, support::ProblemSeverity::Error);
  EXPECT_EQ(r.problems[0].path, "line 14");
  EXPECT_EQ(r.problems[0].file, "cut.xml");
}

TEST(NativeCppcheck, CorruptEntryInTheMiddleKeepsTheEntriesBeforeIt) {
  std::string bad(kReport);
  bad.replace(bad.find("line=\"40\""), 9, "line=\"40");
  auto r = readCppcheck(bad, "bad.xml", {});
  EXPECT_FALSE(hasFatal(r.problems));
  EXPECT_EQ(r.value.results.size(), 1U);
  ASSERT_FALSE(r.problems.empty());
  EXPECT_EQ(r.problems[0].path.rfind("line ", 0), 0U);
}

TEST(NativeCppcheck, BadAttributesAreReportedByLine) {
  auto r = readCppcheck(R"(<results version="2"><cppcheck version="2.10"/><errors>
<error severity="error" msg="no id"/>
<error id="x" severity="catastrophic" msg="m" cwe="CWE-78 maybe">
  <location file="a.c" line="twelve" column="3"/>
</error>
<error id="y" severity="error" msg="m"><location line="3"/></error>
</errors></results>)",
                        "b.xml", {});
  EXPECT_FALSE(hasFatal(r.problems));
  ASSERT_EQ(r.value.results.size(), 2U);
  EXPECT_EQ(r.value.results[0].ruleId, "x");
  EXPECT_EQ(r.value.results[0].level, model::Level::Warning);
  EXPECT_EQ(r.value.results[0].locations[0].region.startLine, 0U);
  EXPECT_TRUE(r.value.runs[0].rules[0].cwes.empty());
  EXPECT_EQ(r.value.results[1].source.result, 2U);
  ASSERT_NE(problemAt(r.problems, "line 2"), nullptr);
  EXPECT_EQ(problemAt(r.problems, "line 2")->severity, support::ProblemSeverity::Error);
  ASSERT_NE(problemAt(r.problems, "line 3"), nullptr);  // severity and cwe
  ASSERT_NE(problemAt(r.problems, "line 4"), nullptr);  // line="twelve"
  ASSERT_NE(problemAt(r.problems, "line 6"), nullptr);  // location without a file
}

TEST(NativeCppcheck, UnusableInputIsFatal) {
  for (std::string_view bad :
       {std::string_view(""), std::string_view("{\"results\": []}"), std::string_view("<html><body/></html>"),
        std::string_view("<results version=\"2\"><cppcheck version=\"2.10\"/></results>"),
        std::string_view("<results")}) {
    auto r = readCppcheck(bad, "x.xml", {});
    EXPECT_TRUE(r.value.results.empty()) << bad;
    EXPECT_TRUE(hasFatal(r.problems)) << bad;
  }
}

TEST(NativeCppcheck, InvalidUtf8InMessagesIsReplaced) {
  const std::string xml =
      "<results version=\"2\"><errors><error id=\"x\" severity=\"error\" msg=\"caf\xE9\"/></errors></results>";
  auto r = readCppcheck(xml, "u.xml", {});
  ASSERT_EQ(r.value.results.size(), 1U);
  EXPECT_EQ(r.value.results[0].message, "caf\xEF\xBF\xBD");
  ASSERT_NE(problemAt(r.problems, "line 1"), nullptr);
}

}  // namespace
}  // namespace aspm::ingest::native
