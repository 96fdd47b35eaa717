// bandit JSON adapter: the newer format (CWE, columns), the old one Debian ships (1.6.2, no CWE:
// the example's real report), and bad input that must keep every valid entry.
#include <gtest/gtest.h>

#include <string>

#include "ingest/ingest.h"
#include "ingest/native.h"
#include "native_test_support.h"
#include "support/file.h"

namespace aspm::ingest::native {
namespace {

using testing_native::hasFatal;
using testing_native::problemAt;
using testing_native::TempWorkspace;

// As bandit 1.7.5 writes it (`bandit -f json`), trimmed to three issues and one error.
constexpr std::string_view kBandit17 = R"({
  "errors": [{"filename": "app/broken.py", "reason": "syntax error while parsing AST from file"}],
  "generated_at": "2024-05-01T10:00:00Z",
  "metrics": {"_totals": {"loc": 60, "nosec": 0}},
  "results": [
    {
      "code": "41     cmd = \"ls \" + user\n42     subprocess.run(cmd, shell=True)\n43 \n",
      "col_offset": 4,
      "end_col_offset": 35,
      "filename": "app/views.py",
      "issue_confidence": "HIGH",
      "issue_cwe": {"id": 78, "link": "https://cwe.mitre.org/data/definitions/78.html"},
      "issue_severity": "HIGH",
      "issue_text": "subprocess call with shell=True identified, security issue.",
      "line_number": 42,
      "line_range": [42],
      "more_info": "https://bandit.readthedocs.io/en/1.7.5/plugins/b602_subprocess_popen_with_shell_equals_true.html",
      "test_id": "B602",
      "test_name": "subprocess_popen_with_shell_equals_true"
    },
    {
      "code": "6 \n7 PASSWORD = \"hunter2\"\n8 \n",
      "col_offset": 11,
      "end_col_offset": 20,
      "filename": "app/settings.py",
      "issue_confidence": "MEDIUM",
      "issue_cwe": {"id": 259, "link": "https://cwe.mitre.org/data/definitions/259.html"},
      "issue_severity": "LOW",
      "issue_text": "Possible hardcoded password: 'hunter2'",
      "line_number": 7,
      "line_range": [7],
      "more_info": "https://bandit.readthedocs.io/en/1.7.5/plugins/b105_hardcoded_password_string.html",
      "test_id": "B105",
      "test_name": "hardcoded_password_string"
    },
    {
      "code": "50     subprocess.call(\n51         line,\n52         shell=True)\n",
      "col_offset": 4,
      "end_col_offset": 19,
      "filename": "app/views.py",
      "issue_confidence": "MEDIUM",
      "issue_cwe": {"id": 78, "link": "https://cwe.mitre.org/data/definitions/78.html"},
      "issue_severity": "HIGH",
      "issue_text": "subprocess call with shell=True identified, security issue.",
      "line_number": 50,
      "line_range": [50, 51, 52],
      "more_info": "https://bandit.readthedocs.io/en/1.7.5/plugins/b602_subprocess_popen_with_shell_equals_true.html",
      "test_id": "B602",
      "test_name": "subprocess_popen_with_shell_equals_true"
    }
  ]
})";

TEST(NativeBandit, ReadsRulesLevelsCwesAndRegions) {
  IngestOptions options;
  auto r = readBandit(kBandit17, "reports/bandit.json", options);
  ASSERT_EQ(r.value.runs.size(), 1U);
  const model::Run& run = r.value.runs[0];
  EXPECT_EQ(run.format, "bandit");
  EXPECT_EQ(run.tool.name, "bandit");
  EXPECT_EQ(run.file, "reports/bandit.json");
  EXPECT_EQ(run.kind, model::FindingKind::Sast);
  ASSERT_EQ(run.rules.size(), 2U);  // B602 twice is one rule
  EXPECT_EQ(run.rules[0].id, "B602");
  EXPECT_EQ(run.rules[0].name, "subprocess_popen_with_shell_equals_true");
  EXPECT_EQ(run.rules[0].shortDescription, "subprocess call with shell=True identified, security issue.");
  EXPECT_EQ(run.rules[0].helpUri,
            "https://bandit.readthedocs.io/en/1.7.5/plugins/b602_subprocess_popen_with_shell_equals_true.html");
  EXPECT_EQ(run.rules[0].cwes, std::vector<std::string>{"CWE-78"});
  EXPECT_EQ(run.rules[0].defaultLevel, model::Level::Error);
  EXPECT_EQ(run.rules[0].precision, "high");
  EXPECT_EQ(run.rules[1].cwes, std::vector<std::string>{"CWE-259"});

  ASSERT_EQ(r.value.results.size(), 3U);
  const model::Result& shell = r.value.results[0];
  EXPECT_EQ(shell.ruleId, "B602");
  EXPECT_EQ(shell.rule, 0);
  EXPECT_EQ(shell.level, model::Level::Error);
  ASSERT_TRUE(shell.securitySeverity.has_value());
  EXPECT_DOUBLE_EQ(*shell.securitySeverity, 8.5);
  EXPECT_EQ(shell.message, "subprocess call with shell=True identified, security issue.");
  EXPECT_EQ(shell.source.file, "reports/bandit.json");
  EXPECT_EQ(shell.source.result, 0U);
  ASSERT_EQ(shell.locations.size(), 1U);
  const model::Location& loc = shell.locations[0];
  EXPECT_EQ(loc.uri, "app/views.py");  // no resolver: kept as given
  EXPECT_FALSE(loc.resolved);
  EXPECT_EQ(loc.region.startLine, 42U);
  EXPECT_EQ(loc.region.endLine, 42U);
  EXPECT_EQ(loc.region.startColumn, 5U);  // col_offset 4 is 0-based
  EXPECT_EQ(loc.region.endColumn, 36U);   // end_col_offset 35 is exclusive and 0-based
  EXPECT_EQ(loc.region.snippet, "    subprocess.run(cmd, shell=True)");
  EXPECT_EQ(loc.contextRegion.startLine, 41U);
  EXPECT_EQ(loc.contextRegion.endLine, 43U);

  const model::Result& password = r.value.results[1];
  EXPECT_EQ(password.level, model::Level::Note);
  EXPECT_DOUBLE_EQ(password.securitySeverity.value_or(-1), 2.5);
  EXPECT_EQ(password.source.result, 1U);

  const model::Result& multiLine = r.value.results[2];
  EXPECT_EQ(multiLine.rule, 0);
  EXPECT_DOUBLE_EQ(multiLine.securitySeverity.value_or(-1), 7.5);  // HIGH severity, MEDIUM confidence
  EXPECT_EQ(multiLine.locations[0].region.startLine, 50U);
  EXPECT_EQ(multiLine.locations[0].region.endLine, 52U);
  EXPECT_EQ(multiLine.locations[0].region.endColumn, 20U);  // on line 52
  EXPECT_EQ(multiLine.locations[0].region.snippet, "    subprocess.call(\n        line,\n        shell=True)");

  // bandit's own "errors" are files it could not scan.
  const support::Problem* err = problemAt(r.problems, "/errors/0");
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->severity, support::ProblemSeverity::Warning);
  EXPECT_EQ(err->file, "reports/bandit.json");
  EXPECT_NE(err->message.find("app/broken.py"), std::string::npos);
  EXPECT_EQ(r.problems.size(), 1U);
}

TEST(NativeBandit, SecuritySeverityKeepsTheSeverityBand) {
  // Every severity x confidence pair: confidence orders issues inside the band of their severity.
  const char* levels[] = {"HIGH", "MEDIUM", "LOW"};
  const double floor[] = {7.0, 4.0, 0.1};
  const double ceiling[] = {8.9, 6.9, 3.9};
  for (int s = 0; s < 3; ++s) {
    double previous = 11;
    for (const char* confidence : levels) {
      const std::string report =
          std::string(R"({"results": [{"test_id": "B101", "filename": "a.py", "line_number": 1,)") +
          R"("issue_severity": ")" + levels[s] + R"(", "issue_confidence": ")" + confidence + R"("}]})";
      auto r = readBandit(report, "b.json", {});
      ASSERT_EQ(r.value.results.size(), 1U);
      const double v = r.value.results[0].securitySeverity.value_or(-1);
      EXPECT_GE(v, floor[s]) << levels[s] << "/" << confidence;
      EXPECT_LE(v, ceiling[s]) << levels[s] << "/" << confidence;
      EXPECT_LT(v, previous);
      previous = v;
    }
  }
  auto undefined = readBandit(R"({"results": [{"test_id": "B101", "filename": "a.py", "issue_severity": "UNDEFINED",
                                  "issue_confidence": "HIGH", "line_number": 3}]})",
                              "b.json", {});
  ASSERT_EQ(undefined.value.results.size(), 1U);
  EXPECT_FALSE(undefined.value.results[0].securitySeverity.has_value());
  EXPECT_EQ(undefined.value.results[0].level, model::Level::Warning);
}

TEST(NativeBandit, OldReportsGetTheCweLaterBanditsAssign) {
  // bandit 1.6.2 (Debian 12) has no issue_cwe and no columns.
  auto r = readBandit(R"({"errors": [], "results": [
      {"code": "22     return pickle.loads(blob)\n", "filename": "w.py", "issue_confidence": "HIGH",
       "issue_severity": "MEDIUM", "issue_text": "Pickle ...", "line_number": 22, "line_range": [22],
       "more_info": "https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b301-pickle",
       "test_id": "B301", "test_name": "blacklist"},
      {"filename": "w.py", "issue_severity": "LOW", "issue_confidence": "HIGH", "issue_text": "x",
       "line_number": 3, "test_id": "B999", "test_name": "custom_plugin"}]})",
                      "b.json", {});
  ASSERT_EQ(r.value.results.size(), 2U);
  EXPECT_EQ(r.value.runs[0].rules[0].cwes, std::vector<std::string>{"CWE-502"});
  EXPECT_TRUE(r.value.runs[0].rules[1].cwes.empty());
  EXPECT_EQ(r.value.results[0].locations[0].region.startColumn, 0U);
  EXPECT_EQ(r.value.results[0].locations[0].region.snippet, "    return pickle.loads(blob)");
  EXPECT_TRUE(r.problems.empty());
}

TEST(NativeBandit, ImportRangeDoesNotSpillOntoTheBlankLineAfterIt) {
  // bandit 1.6.2 reports `import subprocess` followed by a blank line with line_range [9, 10].
  auto r = readBandit(R"({"results": [{"code": "8 import sqlite3\n9 import subprocess\n10 \n11 import yaml\n",
      "filename": "src/py/report_worker.py", "issue_confidence": "HIGH", "issue_severity": "LOW",
      "issue_text": "Consider possible security implications associated with subprocess module.",
      "line_number": 9, "line_range": [9, 10], "test_id": "B404", "test_name": "blacklist"}]})",
                      "b.json", {});
  ASSERT_EQ(r.value.results.size(), 1U);
  EXPECT_EQ(r.value.results[0].locations[0].region.startLine, 9U);
  EXPECT_EQ(r.value.results[0].locations[0].region.endLine, 9U);
  EXPECT_EQ(r.value.results[0].locations[0].region.snippet, "import subprocess");
}

TEST(NativeBandit, ConvertsByteColumnsToUtf16WhenTheFileIsInTheWorkspace) {
  TempWorkspace ws;
  // "é" is 2 bytes, "😀" 4 bytes and 2 UTF-16 units: the call starts at byte 14, UTF-16 unit 11.
  ws.write("app/u.py", "x = 1\ns = \"é😀\"; eval(s)\n");
  PathResolver resolver(ws.root(), {"app/u.py"});
  IngestOptions options;
  options.resolver = &resolver;
  auto r = readBandit(R"({"results": [{"test_id": "B307", "filename": "app/u.py", "line_number": 2,
      "col_offset": 14, "end_col_offset": 21, "issue_severity": "MEDIUM", "issue_confidence": "HIGH",
      "issue_text": "Use of possibly insecure function - consider using safer ast.literal_eval."}]})",
                      "b.json", options);
  ASSERT_EQ(r.value.results.size(), 1U);
  const model::Location& loc = r.value.results[0].locations[0];
  EXPECT_TRUE(loc.resolved);
  EXPECT_EQ(loc.uri, "app/u.py");
  EXPECT_EQ(loc.region.startColumn, 12U);
  EXPECT_EQ(loc.region.endColumn, 19U);
  EXPECT_TRUE(r.problems.empty());
}

TEST(NativeBandit, WrongTypesAndMissingFieldsSkipOnlyWhatIsBroken) {
  auto r = readBandit(R"({"results": [
      {"test_id": "B101", "filename": "a.py", "line_number": "12", "issue_severity": "LOW", "issue_confidence": "HIGH"},
      {"filename": "a.py", "line_number": 3},
      42,
      {"test_id": "B602", "filename": ["a.py"], "line_number": 5},
      {"test_id": "B102", "filename": "a.py", "line_number": 4, "col_offset": 1.5, "end_col_offset": -1,
       "issue_cwe": {"id": "78"}, "issue_text": 7, "line_range": "1-2"},
      {"test_id": "B104", "filename": "a.py", "line_number": -4},
      {"test_id": "B103", "filename": "b.py", "line_number": 8, "issue_severity": "HIGH", "issue_confidence": "LOW"}
    ], "errors": "none"})",
                      "bad.json", {});
  EXPECT_FALSE(hasFatal(r.problems));
  ASSERT_EQ(r.value.results.size(), 4U);
  EXPECT_EQ(r.value.results[0].ruleId, "B101");
  EXPECT_EQ(r.value.results[0].locations[0].region.startLine, 0U);  // "12" is a string
  EXPECT_EQ(r.value.results[1].ruleId, "B102");
  EXPECT_EQ(r.value.results[1].source.result, 4U);
  EXPECT_EQ(r.value.results[1].message, "B102");                                 // issue_text was not a string
  EXPECT_EQ(r.value.runs[0].rules[1].cwes, std::vector<std::string>{"CWE-78"});  // from the table
  EXPECT_EQ(r.value.results[1].locations[0].region.startLine, 4U);
  EXPECT_EQ(r.value.results[1].locations[0].region.startColumn, 0U);
  EXPECT_EQ(r.value.results[1].locations[0].region.endColumn, 0U);
  EXPECT_EQ(r.value.results[2].ruleId, "B104");
  EXPECT_EQ(r.value.results[2].locations[0].region.startLine, 0U);  // -4 is no line
  EXPECT_EQ(r.value.results[3].ruleId, "B103");
  EXPECT_EQ(r.value.results[3].source.result, 6U);
  EXPECT_EQ(r.value.results[3].locations[0].region.startLine, 8U);

  auto severityAt = [&](const char* path) {
    const support::Problem* p = problemAt(r.problems, path);
    EXPECT_NE(p, nullptr) << path;
    return p ? p->severity : support::ProblemSeverity::Fatal;
  };
  EXPECT_EQ(severityAt("/results/0/line_number"), support::ProblemSeverity::Warning);
  EXPECT_EQ(severityAt("/results/1/test_id"), support::ProblemSeverity::Error);
  EXPECT_EQ(severityAt("/results/2"), support::ProblemSeverity::Error);
  EXPECT_EQ(severityAt("/results/3/filename"), support::ProblemSeverity::Error);
  EXPECT_EQ(severityAt("/results/4/col_offset"), support::ProblemSeverity::Warning);
  EXPECT_EQ(severityAt("/results/4/end_col_offset"), support::ProblemSeverity::Warning);
  EXPECT_EQ(severityAt("/results/5/line_number"), support::ProblemSeverity::Warning);
  EXPECT_EQ(severityAt("/results/4/issue_cwe/id"), support::ProblemSeverity::Warning);
  EXPECT_EQ(severityAt("/results/4/issue_text"), support::ProblemSeverity::Warning);
  EXPECT_EQ(severityAt("/results/4/line_range"), support::ProblemSeverity::Warning);
  EXPECT_EQ(severityAt("/errors"), support::ProblemSeverity::Warning);
  for (const auto& p : r.problems) EXPECT_EQ(p.file, "bad.json");
}

TEST(NativeBandit, EmptyIdsAndPathsAreReported) {
  TempWorkspace ws;
  PathResolver resolver(ws.root(), {});
  IngestOptions options;
  options.resolver = &resolver;
  auto r = readBandit(R"({"results": [{"test_id": "", "filename": "a.py", "line_number": 1},
                                      {"test_id": "B101", "filename": "", "line_number": 2}]})",
                      "e.json", options);
  ASSERT_EQ(r.value.results.size(), 1U);
  EXPECT_EQ(r.value.results[0].locations[0].uri, "");
  EXPECT_FALSE(r.value.results[0].locations[0].resolved);
  ASSERT_NE(problemAt(r.problems, "/results/0/test_id"), nullptr);
  EXPECT_EQ(problemAt(r.problems, "/results/0/test_id")->severity, support::ProblemSeverity::Error);
  ASSERT_NE(problemAt(r.problems, "/results/1/filename"), nullptr);
  EXPECT_EQ(problemAt(r.problems, "/results/1/filename")->severity, support::ProblemSeverity::Warning);
}

TEST(NativeBandit, TruncatedReportKeepsTheCompleteEntries) {
  const std::string full(kBandit17);
  // Cut inside the third result.
  const std::string cut = full.substr(0, full.find("\"line_range\": [50"));
  auto r = readBandit(cut, "cut.json", {});
  EXPECT_FALSE(hasFatal(r.problems));
  ASSERT_EQ(r.value.results.size(), 2U);
  EXPECT_EQ(r.value.results[1].ruleId, "B105");
  const support::Problem* p = problemAt(r.problems, "/results/2");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->severity, support::ProblemSeverity::Error);
  EXPECT_NE(p->message.find("cut short"), std::string::npos);

  // Cut right after a complete entry.
  const std::string cut2 = full.substr(0, full.find("},\n    {\n      \"code\": \"6") + 1);
  auto r2 = readBandit(cut2, "cut.json", {});
  EXPECT_EQ(r2.value.results.size(), 1U);
  EXPECT_FALSE(hasFatal(r2.problems));
}

TEST(NativeBandit, UnusableInputIsFatalAndNeverThrows) {
  for (std::string_view bad : {std::string_view(""), std::string_view("   \n"), std::string_view("not json"),
                               std::string_view("[1, 2]"), std::string_view(R"({"errors": []})"),
                               std::string_view(R"({"results": {}})"), std::string_view("{\"results\": [")}) {
    auto r = readBandit(bad, "x.json", {});
    EXPECT_TRUE(r.value.results.empty()) << bad;
    EXPECT_TRUE(hasFatal(r.problems) || bad == "{\"results\": [") << bad;
    for (const auto& p : r.problems) EXPECT_EQ(p.file, "x.json");
  }
}

TEST(NativeBandit, InvalidUtf8IsReplacedAndReported) {
  const std::string report =
      std::string(R"({"results": [{"test_id": "B101", "filename": "a.py", "line_number": 1, "issue_text": "bad )") +
      "\xC3\x28" + R"( byte"}]})";
  auto r = readBandit(report, "u.json", {});
  ASSERT_EQ(r.value.results.size(), 1U);
  EXPECT_EQ(r.value.results[0].message, "bad \xEF\xBF\xBD( byte");
  const support::Problem* p = problemAt(r.problems, "/results/0/issue_text");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->severity, support::ProblemSeverity::Warning);
}

TEST(NativeBandit, PathOutsideTheWorkspaceIsReported) {
  TempWorkspace ws;
  ws.write("app/a.py", "print(1)\n");
  PathResolver resolver(ws.root(), {"app/a.py"});
  IngestOptions options;
  options.resolver = &resolver;
  auto r = readBandit(R"({"results": [{"test_id": "B101", "filename": "../../etc/passwd", "line_number": 1},
                                      {"test_id": "B101", "filename": "app/a.py", "line_number": 1}]})",
                      "o.json", options);
  ASSERT_EQ(r.value.results.size(), 2U);
  EXPECT_FALSE(r.value.results[0].locations[0].resolved);
  EXPECT_TRUE(r.value.results[1].locations[0].resolved);
  const support::Problem* p = problemAt(r.problems, "/results/0/filename");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->severity, support::ProblemSeverity::Warning);
}

TEST(NativeBandit, CancelStopsWithAProblem) {
  std::atomic<bool> cancel{true};
  IngestOptions options;
  options.cancel = &cancel;
  auto r = readBandit(kBandit17, "b.json", options);
  EXPECT_TRUE(r.value.results.empty());
  ASSERT_NE(problemAt(r.problems, "/results/0"), nullptr);
}

}  // namespace
}  // namespace aspm::ingest::native
