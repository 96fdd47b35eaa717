// The bundled example project (tests/example) read the way `aspm findings --repo tests/example`
// reads it: every real scanner report under .aspm/ ingested through the format detection, with a
// resolver rooted at the example. Pins what each report must yield (counts, rules at file:line,
// CWEs, flows, fixes) and that every location lands on a file of the example, including the
// absolute /tmp/aspm-example URIs ESLint and scan-build wrote, which map by path suffix.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "ingest/ingest.h"
#include "model/finding.h"

namespace aspm::ingest {
namespace {

namespace fs = std::filesystem;

const std::string kExample = std::string(ASPM_SOURCE_DIR) + "/tests/example";

struct Report {
  model::ScanSet scans;
  support::Problems problems;
};

// Every report under .aspm, keyed by file name, each ingested with its own resolver.
const std::map<std::string, Report>& reports() {
  static const std::map<std::string, Report> all = [] {
    std::map<std::string, Report> out;
    for (const auto& entry : fs::directory_iterator(kExample + "/.aspm")) {
      if (!entry.is_regular_file()) continue;
      PathResolver resolver(kExample);
      IngestOptions options;
      options.resolver = &resolver;
      auto r = ingestFile(entry.path().string(), options);
      out[entry.path().filename().string()] = Report{std::move(r.value), std::move(r.problems)};
    }
    return out;
  }();
  return all;
}

const Report& report(const std::string& name) {
  static const Report empty;
  auto it = reports().find(name);
  EXPECT_NE(it, reports().end()) << name << " is missing from tests/example/.aspm";
  return it == reports().end() ? empty : it->second;
}

// The results of `ruleId` whose primary location is `uri`:`line`.
std::vector<const model::Result*> at(const Report& r, const std::string& ruleId, const std::string& uri,
                                     std::uint32_t line) {
  std::vector<const model::Result*> out;
  for (const auto& res : r.scans.results) {
    if (res.ruleId != ruleId || res.locations.empty()) continue;
    if (res.locations[0].uri == uri && res.locations[0].region.startLine == line) out.push_back(&res);
  }
  return out;
}

const model::Result& one(const Report& r, const std::string& ruleId, const std::string& uri, std::uint32_t line) {
  static const model::Result none;
  auto found = at(r, ruleId, uri, line);
  EXPECT_EQ(found.size(), 1U) << ruleId << " at " << uri << ":" << line;
  return found.empty() ? none : *found[0];
}

std::vector<std::string> cwesOf(const Report& r, const model::Result& res) {
  const model::Run& run = r.scans.runs.at(res.run);
  if (res.rule < 0) return {};
  return run.rules.at(static_cast<std::size_t>(res.rule)).cwes;
}

bool hasCwe(const Report& r, const model::Result& res, const std::string& cwe) {
  auto c = cwesOf(r, res);
  return std::find(c.begin(), c.end(), cwe) != c.end();
}

void expectInside(const model::Location& loc, const std::string& what) {
  EXPECT_TRUE(loc.resolved) << what << ": " << loc.uri;
  EXPECT_TRUE(fs::is_regular_file(kExample + "/" + loc.uri)) << what << ": " << loc.uri;
  if (loc.region.hasLines()) {
    // Every line a scanner named exists in the file it named.
    std::size_t lines = 0;
    std::ifstream in(kExample + "/" + loc.uri);
    for (std::string l; std::getline(in, l);) ++lines;
    EXPECT_LE(loc.region.startLine, lines) << what << ": " << loc.uri;
  }
}

TEST(Example, EveryReportIngestsCleanlyWithTheExpectedCounts) {
  const std::map<std::string, std::pair<std::string, std::size_t>> expected = {
      {"bandit.json", {"bandit", 8}},
      {"cppcheck.xml", {"cppcheck", 4}},
      {"eslint.sarif", {"sarif", 10}},
      {"flawfinder.sarif", {"sarif", 13}},
      // 8 diagnostics in two arrays; the top-level note joins the warning before it.
      {"gcc-analyzer.json", {"gcc", 7}},
      {"scan-build-archive.sarif", {"sarif", 2}},
      {"scan-build-token.sarif", {"sarif", 0}},
      {"shellcheck.json", {"shellcheck", 7}},
  };
  ASSERT_EQ(reports().size(), expected.size());
  for (const auto& [name, want] : expected) {
    const Report& r = report(name);
    EXPECT_TRUE(r.problems.empty()) << name << ": "
                                    << (r.problems.empty() ? "" : r.problems[0].path + " " + r.problems[0].message);
    ASSERT_EQ(r.scans.runs.size(), 1U) << name;
    EXPECT_EQ(r.scans.runs[0].format, want.first) << name;
    EXPECT_EQ(r.scans.results.size(), want.second) << name;
  }
}

TEST(Example, EveryLocationResolvesInsideTheExample) {
  for (const auto& [name, r] : reports()) {
    for (const auto& res : r.scans.results) {
      const std::string what = name + " " + res.ruleId;
      for (const auto& l : res.locations) expectInside(l, what);
      for (const auto& l : res.relatedLocations) expectInside(l, what + " (related)");
      for (const auto& cf : res.codeFlows)
        for (const auto& tf : cf.threadFlows)
          for (const auto& step : tf) expectInside(step.location, what + " (flow)");
      for (const auto& fix : res.fixes)
        for (const auto& change : fix.changes) {
          EXPECT_TRUE(change.resolved) << what << " (fix)";
          EXPECT_TRUE(fs::is_regular_file(kExample + "/" + change.uri)) << what << " (fix)";
        }
    }
  }
}

TEST(Example, Bandit) {
  const Report& r = report("bandit.json");
  EXPECT_EQ(r.scans.runs[0].tool.name, "bandit");
  const model::Result& shell = one(r, "B602", "src/py/report_worker.py", 38);
  EXPECT_EQ(shell.level, model::Level::Error);
  EXPECT_DOUBLE_EQ(shell.securitySeverity.value_or(0), 8.5);  // HIGH severity, HIGH confidence
  EXPECT_TRUE(hasCwe(r, shell, "CWE-78"));
  EXPECT_EQ(shell.locations[0].region.snippet, "    subprocess.call(\"gzip -f \" + report, shell=True)");
  EXPECT_TRUE(hasCwe(r, one(r, "B506", "src/py/report_worker.py", 18), "CWE-20"));
  EXPECT_TRUE(hasCwe(r, one(r, "B301", "src/py/report_worker.py", 22), "CWE-502"));
  EXPECT_TRUE(hasCwe(r, one(r, "B303", "src/py/report_worker.py", 33), "CWE-327"));
  EXPECT_TRUE(hasCwe(r, one(r, "B311", "src/py/report_worker.py", 43), "CWE-330"));
  EXPECT_EQ(one(r, "B101", "src/py/report_worker.py", 47).level, model::Level::Note);
  // bandit 1.6.2 stretched this import over the blank line after it.
  EXPECT_EQ(one(r, "B404", "src/py/report_worker.py", 9).locations[0].region.endLine, 9U);
}

TEST(Example, Cppcheck) {
  const Report& r = report("cppcheck.xml");
  EXPECT_EQ(r.scans.runs[0].tool.version, "2.10");
  const model::Result& leak = one(r, "memleak", "src/c/archive.c", 22);
  EXPECT_EQ(leak.level, model::Level::Error);
  EXPECT_EQ(leak.locations[0].region.startColumn, 9U);
  EXPECT_TRUE(hasCwe(r, leak, "CWE-401"));
  const model::Result& oob = one(r, "arrayIndexOutOfBounds", "src/c/token.c", 18);
  EXPECT_TRUE(hasCwe(r, oob, "CWE-788"));
  ASSERT_EQ(oob.relatedLocations.size(), 1U);
  EXPECT_EQ(oob.relatedLocations[0].region.startLine, 17U);
  EXPECT_EQ(oob.relatedLocations[0].message, "Assuming that condition 'i<=8' is not redundant");
  EXPECT_EQ(one(r, "invalidPrintfArgType_sint", "src/c/token.c", 20).level, model::Level::Note);
  const model::Result& includes = r.scans.results.back();
  EXPECT_EQ(includes.ruleId, "missingIncludeSystem");
  EXPECT_EQ(includes.level, model::Level::None);
  EXPECT_TRUE(includes.locations.empty());
}

TEST(Example, ShellCheck) {
  const Report& r = report("shellcheck.json");
  EXPECT_EQ(one(r, "SC2115", "scripts/deploy.sh", 13).level, model::Level::Warning);
  EXPECT_EQ(at(r, "SC2086", "scripts/deploy.sh", 13).size(), 1U);
  EXPECT_EQ(at(r, "SC2086", "scripts/deploy.sh", 14).size(), 1U);
  EXPECT_EQ(at(r, "SC2086", "scripts/deploy.sh", 15).size(), 1U);
  EXPECT_EQ(at(r, "SC2086", "scripts/deploy.sh", 16).size(), 1U);
  const model::Result& rm = one(r, "SC2086", "scripts/deploy.sh", 13);
  EXPECT_EQ(rm.level, model::Level::Note);
  EXPECT_EQ(rm.locations[0].region.startColumn, 12U);
  EXPECT_EQ(rm.locations[0].region.endColumn, 24U);
  ASSERT_EQ(rm.fixes.size(), 1U);
  ASSERT_EQ(rm.fixes[0].changes.size(), 1U);
  const auto& reps = rm.fixes[0].changes[0].replacements;
  ASSERT_EQ(reps.size(), 2U);  // a quote on each side of $RELEASE_DIR/
  EXPECT_EQ(reps[0].deleted.startColumn, 12U);
  EXPECT_EQ(reps[1].deleted.startColumn, 24U);
  EXPECT_EQ(reps[0].insertedContent, "\"");
  const model::Result& cd = one(r, "SC2164", "scripts/deploy.sh", 16);
  EXPECT_EQ(cd.level, model::Level::Warning);
  EXPECT_EQ(cd.fixes.size(), 1U);
  const model::Result& backticks = one(r, "SC2006", "scripts/deploy.sh", 17);
  EXPECT_EQ(backticks.level, model::Level::Note);
  const model::Rule& rule = r.scans.runs[0].rules.at(static_cast<std::size_t>(backticks.rule));
  EXPECT_EQ(rule.helpUri, "https://www.shellcheck.net/wiki/SC2006");
}

TEST(Example, GccAnalyzer) {
  const Report& r = report("gcc-analyzer.json");
  EXPECT_EQ(one(r, "-Wformat-security", "src/c/archive.c", 13).locations[0].region.startColumn, 5U);

  const model::Result& leak = one(r, "-Wanalyzer-malloc-leak", "src/c/archive.c", 21);
  EXPECT_TRUE(hasCwe(r, leak, "CWE-401"));
  ASSERT_EQ(leak.codeFlows.size(), 1U);
  const auto& steps = leak.codeFlows[0].threadFlows.at(0);
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(steps.front().location.region.startLine, 19U);
  EXPECT_EQ(steps.front().location.message, "allocated here");
  EXPECT_EQ(steps.front().location.logicalName, "read_manifest");

  EXPECT_TRUE(hasCwe(r, one(r, "-Wanalyzer-possible-null-dereference", "src/c/archive.c", 25), "CWE-690"));
  const model::Result& uaf = one(r, "-Wanalyzer-use-after-free", "src/c/archive.c", 52);
  EXPECT_TRUE(hasCwe(r, uaf, "CWE-416"));
  EXPECT_GE(uaf.codeFlows.at(0).threadFlows.at(0).size(), 5U);

  // The middle-end warning's note comes as a separate top-level entry; it is folded in.
  const model::Result& free = one(r, "-Wuse-after-free", "src/c/archive.c", 52);
  ASSERT_EQ(free.relatedLocations.size(), 1U);
  EXPECT_EQ(free.relatedLocations[0].region.startLine, 51U);
  EXPECT_EQ(free.relatedLocations[0].message, "call to \u2018free\u2019 here");

  // The second translation unit: a fix-it hint and a grouped child note.
  const model::Result& format = one(r, "-Wformat=", "src/c/token.c", 20);
  EXPECT_EQ(format.source.result, 6U);
  ASSERT_EQ(format.fixes.size(), 1U);
  const auto& rep = format.fixes[0].changes.at(0).replacements.at(0);
  EXPECT_EQ(rep.deleted.startLine, 20U);
  EXPECT_EQ(rep.deleted.startColumn, 31U);
  EXPECT_EQ(rep.deleted.endColumn, 33U);
  EXPECT_EQ(rep.insertedContent, "%ld");
  const model::Result& loop = one(r, "-Waggressive-loop-optimizations", "src/c/token.c", 18);
  ASSERT_EQ(loop.relatedLocations.size(), 1U);
  EXPECT_EQ(loop.relatedLocations[0].region.startLine, 17U);
  EXPECT_EQ(loop.relatedLocations[0].message, "within this loop");
}

TEST(Example, Flawfinder) {
  const Report& r = report("flawfinder.sarif");
  EXPECT_EQ(r.scans.runs[0].tool.name, "Flawfinder");
  const model::Result& strcpy = one(r, "FF1001", "src/c/archive.c", 36);
  EXPECT_EQ(strcpy.level, model::Level::Error);
  EXPECT_TRUE(hasCwe(r, strcpy, "CWE-120"));
  EXPECT_TRUE(hasCwe(r, one(r, "FF1044", "src/c/archive.c", 38), "CWE-78"));
  EXPECT_TRUE(hasCwe(r, one(r, "FF1016", "src/c/archive.c", 13), "CWE-134"));
  EXPECT_EQ(one(r, "FF1048", "src/c/token.c", 16).level, model::Level::Warning);
}

TEST(Example, EslintAbsoluteUrisMapBySuffix) {
  const Report& r = report("eslint.sarif");
  EXPECT_EQ(r.scans.runs[0].tool.name, "ESLint");
  EXPECT_EQ(one(r, "security/detect-child-process", "src/js/server.js", 31).level, model::Level::Warning);
  EXPECT_EQ(one(r, "no-eval", "src/js/server.js", 38).level, model::Level::Error);
  EXPECT_EQ(at(r, "security/detect-eval-with-expression", "src/js/server.js", 38).size(), 1U);
  EXPECT_EQ(at(r, "security/detect-non-literal-require", "src/js/db.js", 11).size(), 1U);
  EXPECT_EQ(at(r, "security/detect-possible-timing-attacks", "src/js/server.js", 58).size(), 1U);
}

TEST(Example, ScanBuildAbsoluteUrisMapBySuffix) {
  const Report& r = report("scan-build-archive.sarif");
  const model::Result& leak = one(r, "unix.Malloc", "src/c/archive.c", 22);
  EXPECT_FALSE(leak.codeFlows.empty());
  const model::Result& uaf = one(r, "unix.Malloc", "src/c/archive.c", 52);
  EXPECT_FALSE(uaf.codeFlows.empty());
}

}  // namespace
}  // namespace aspm::ingest
