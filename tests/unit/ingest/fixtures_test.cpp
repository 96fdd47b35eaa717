// Every real scanner log in the shared fixtures ingests without a crash, and every result in it
// is ingested or explained by a problem. The count is taken independently of the reader, from a
// plain Boost.JSON DOM, and printed per file so a regression shows which tool's output broke.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <vector>

#include "sarif_test_helpers.h"
#include "support/file.h"

namespace aspm::ingest {
namespace {
namespace fs = std::filesystem;
using testing::describe;

const fs::path kRealSarif = fs::path(ASPM_SHARED_FIXTURES) / "real-sarif";

std::vector<fs::path> sarifFixtures() {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(kRealSarif, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".sarif") out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

// Results present in the file, counted without the reader: sum of runs[].results sizes.
std::size_t countResults(const fs::path& p) {
  auto text = support::readFile(p.string());
  if (!text) return 0;
  std::string_view t = *text;
  if (t.starts_with("\xEF\xBB\xBF")) t.remove_prefix(3);
  boost::json::value doc = boost::json::parse(t);
  std::size_t n = 0;
  for (const auto& run : doc.at("runs").as_array()) {
    const auto* results = run.as_object().if_contains("results");
    if (results && results->is_array()) n += results->as_array().size();
  }
  return n;
}

support::WithProblems<model::ScanSet> ingestFixture(const std::string& rel) {
  PathResolver resolver("");
  IngestOptions o;
  o.resolver = &resolver;
  return ingestFile((kRealSarif / rel).string(), o);
}

TEST(RealSarifFixtures, EveryResultIsIngestedOrExplained) {
  const auto files = sarifFixtures();
  ASSERT_GE(files.size(), 40u) << "fixtures missing under " << kRealSarif;
  testing::TempDir empty;
  for (const auto& f : files) {
    PathResolver resolver(empty.str());
    IngestOptions o;
    o.resolver = &resolver;
    const auto r = ingestFile(f.string(), o);
    const std::size_t present = countResults(f);
    const std::size_t ingested = r.value.results.size();
    std::cout << "ingested " << ingested << " of " << present << "  " << fs::relative(f, kRealSarif).generic_string()
              << "  (" << r.problems.size() << " problems)\n";
    EXPECT_FALSE(testing::hasFatal(r.problems)) << f << "\n" << describe(r.problems);
    if (ingested != present) {
      // A difference must be explained by an Error problem (a skipped result).
      const bool explained = std::any_of(r.problems.begin(), r.problems.end(), [](const support::Problem& p) {
        return p.severity != support::ProblemSeverity::Warning;
      });
      EXPECT_TRUE(explained) << f << ": ingested " << ingested << " of " << present << "\n" << describe(r.problems);
    }
    EXPECT_EQ(ingested, present) << f << "\n" << describe(r.problems);
    for (const auto& res : r.value.results) {
      ASSERT_LT(res.run, r.value.runs.size());
      EXPECT_EQ(res.source.file, f.string());
      EXPECT_FALSE(res.message.empty()) << f << " result " << res.source.result;
    }
  }
}

TEST(RealSarifFixtures, QodanaCarriesVersionControlProvenance) {
  const auto a = ingestFixture("qodana/context-mapper-ls__ccb1db0.sarif");
  ASSERT_EQ(a.value.runs.size(), 1u) << describe(a.problems);
  EXPECT_EQ(a.value.runs[0].revision, "c01c07a4f03b74103f5c09d8b2f7a310e562d30b");
  EXPECT_EQ(a.value.runs[0].repositoryUri, "https://github.com/lstreckeisen/context-mapper-language-server.git");
  const auto b = ingestFixture("qodana/context-mapper-ls__0ad87fa.sarif");
  ASSERT_EQ(b.value.runs.size(), 1u);
  EXPECT_EQ(b.value.runs[0].revision, "0272a4aae3a394df02995e0a52500aeebab3bf2b");
  EXPECT_FALSE(b.value.runs[0].automationId.empty());
  ASSERT_EQ(b.value.results.size(), 1u);
  EXPECT_EQ(b.value.results[0].baselineState, model::BaselineState::New) << "Qodana marks baseline state";
}

TEST(RealSarifFixtures, GosecWindowsPathsMapOntoTheWorkspace) {
  // The log was written on Windows: C:\github\webhook_bridge\internal\config\config.go.
  testing::TempDir ws;
  ws.write("internal/config/config.go", "package config\n");
  PathResolver resolver(ws.str());
  IngestOptions o;
  o.resolver = &resolver;
  const auto r = ingestFile((kRealSarif / "gosec/webhook_bridge.sarif").string(), o);
  ASSERT_FALSE(r.value.results.empty());
  std::size_t placed = 0;
  for (const auto& res : r.value.results) {
    ASSERT_FALSE(res.locations.empty());
    if (res.locations[0].resolved) {
      ++placed;
      EXPECT_EQ(res.locations[0].uri.find('\\'), std::string::npos);
    }
  }
  EXPECT_GT(placed, 0u);
  const bool configGo = std::any_of(r.value.results.begin(), r.value.results.end(), [](const model::Result& res) {
    return res.locations[0].resolved && res.locations[0].uri == "internal/config/config.go";
  });
  EXPECT_TRUE(configGo);
  // Without the workspace file the raw Windows path is kept, normalised, and unresolved.
  const auto raw = ingestFixture("gosec/webhook_bridge.sarif");
  ASSERT_FALSE(raw.value.results.empty());
  EXPECT_TRUE(raw.value.results[0].locations[0].uri.starts_with("C:/github/webhook_bridge/"))
      << raw.value.results[0].locations[0].uri;
  EXPECT_FALSE(raw.value.results[0].locations[0].resolved);
}

TEST(RealSarifFixtures, PmdAbsoluteUsersUrisMapBySuffix) {
  testing::TempDir ws;
  // file:///Users/dschach/Documents/VSCode/PMDWorkflowPlayground/force-app/main/default/...
  const auto probe = ingestFixture("pmd/PMDWorkflowPlayground.sarif");
  ASSERT_FALSE(probe.value.results.empty());
  const std::string first = probe.value.results[0].locations[0].uri;
  ASSERT_TRUE(first.starts_with("/Users/dschach/")) << first;
  const std::string rel = first.substr(first.find("force-app/"));
  ws.write(rel, "<xml/>\n");
  PathResolver resolver(ws.str());
  IngestOptions o;
  o.resolver = &resolver;
  const auto r = ingestFile((kRealSarif / "pmd/PMDWorkflowPlayground.sarif").string(), o);
  ASSERT_FALSE(r.value.results.empty());
  EXPECT_TRUE(r.value.results[0].locations[0].resolved);
  EXPECT_EQ(r.value.results[0].locations[0].uri, rel);
  // Files the workspace lacks still map through the learned base, as missing files.
  std::size_t viaBase = 0;
  for (const auto& res : r.value.results)
    if (res.locations[0].resolved && res.locations[0].uri.starts_with("force-app/")) ++viaBase;
  EXPECT_EQ(viaBase, r.value.results.size());
}

TEST(RealSarifFixtures, CodeqlRulesAreResolvedThroughExtensions) {
  // CodeQL puts its rules in tool.extensions and references them by rule.toolComponent.index.
  const auto r = ingestFixture("codeql/AltoroJ2__java.sarif");
  ASSERT_EQ(r.value.results.size(), 10u) << describe(r.problems);
  const auto& run = r.value.runs[0];
  EXPECT_EQ(run.tool.name, "CodeQL");
  for (const auto& res : r.value.results) {
    ASSERT_GE(res.rule, 0) << res.ruleId;
    const auto& rule = run.rules[static_cast<std::size_t>(res.rule)];
    EXPECT_EQ(rule.id, res.ruleId);
  }
  const auto& xss = r.value.results[0];
  EXPECT_EQ(xss.ruleId, "java/xss");
  const auto& rule = run.rules[static_cast<std::size_t>(xss.rule)];
  EXPECT_TRUE(rule.securitySeverity.has_value());
  EXPECT_NE(std::find(rule.cwes.begin(), rule.cwes.end(), "CWE-79"), rule.cwes.end());
  EXPECT_EQ(xss.level, model::Level::Error) << "level comes from the rule's defaultConfiguration";
  EXPECT_FALSE(xss.codeFlows.empty());
  EXPECT_FALSE(xss.partialFingerprints.empty());
  EXPECT_EQ(xss.locations[0].uri, "src/com/ibm/security/appscan/altoromutual/servlet/SurveyServlet.java");
  EXPECT_EQ(xss.locations[0].region.startLine, 101u);
  EXPECT_EQ(xss.locations[0].region.endLine, 101u);
}

TEST(RealSarifFixtures, SpotBugsMessagesAreFormattedFromMessageStrings) {
  const auto r = ingestFixture("spotbugs/codyze__findsecbugs.sarif");
  ASSERT_FALSE(r.value.results.empty()) << describe(r.problems);
  const auto& res = r.value.results[0];
  EXPECT_EQ(res.message,
            "Found reliance on default encoding in de.fraunhofer.aisec.codyze.medina.demo.jsse.TlsServer.start(): "
            "new java.io.InputStreamReader(InputStream).");
  EXPECT_GE(res.rule, 0);
  EXPECT_EQ(res.locations[0].logicalName, "new java.io.InputStreamReader(InputStream)");
}

TEST(RealSarifFixtures, SnykCodeMarkdownArgumentsAreSubstituted) {
  const auto r = ingestFixture("snyk/nodejs-goof__snykcode.sarif");
  ASSERT_FALSE(r.value.results.empty());
  const auto& res = r.value.results[0];
  EXPECT_EQ(res.messageMarkdown.find("{0}"), std::string::npos);
  EXPECT_NE(res.messageMarkdown.find("[endpoint handler](0)"), std::string::npos) << res.messageMarkdown;
  EXPECT_FALSE(res.fingerprints.empty());
}

TEST(RealSarifFixtures, RulesWithCweRelationshipsAndTags) {
  // gosec and KICS state CWEs as relationships to a CWE taxonomy; Semgrep as "CWE-522: ..." tags.
  const auto gosec = ingestFixture("gosec/webhook_bridge.sarif");
  ASSERT_FALSE(gosec.value.runs.empty());
  const auto& g = gosec.value.runs[0].rules;
  EXPECT_TRUE(std::any_of(g.begin(), g.end(), [](const model::Rule& r) {
    return r.id == "G103" && std::find(r.cwes.begin(), r.cwes.end(), "CWE-242") != r.cwes.end();
  }));
  const auto semgrep = ingestFixture("semgrep/pygoat.sarif");
  const auto& s = semgrep.value.runs[0].rules;
  EXPECT_TRUE(std::any_of(s.begin(), s.end(), [](const model::Rule& r) {
    return std::find(r.cwes.begin(), r.cwes.end(), "CWE-522") != r.cwes.end() && r.precision == "very-high";
  }));
}

TEST(RealSarifFixtures, SeveralRunsInOneFile) {
  const auto r = ingestFixture("snyk/iac-demo__iac_4161264.sarif");
  ASSERT_EQ(r.value.runs.size(), 5u);
  for (std::uint32_t i = 0; i < 5; ++i) EXPECT_EQ(r.value.runs[i].index, i);
  EXPECT_EQ(r.value.results.back().source.run, 4u);
  EXPECT_EQ(r.value.results.back().run, 4u);
}

TEST(RealSarifFixtures, SnykOpenSourceResultsWithoutPhysicalLocationAreKept) {
  const auto r = ingestFixture("snyk/crispy-octo-happiness__oss.sarif");
  EXPECT_EQ(r.value.results.size(), 9u) << describe(r.problems);
  EXPECT_FALSE(testing::hasFatal(r.problems));
}

TEST(RealSarifFixtures, ResultsBeforeToolStillLinkRules) {
  // gosec writes results, then taxonomies, then tool.
  const auto r = ingestFixture("gosec/go-yara.sarif");
  ASSERT_FALSE(r.value.results.empty());
  for (const auto& res : r.value.results) EXPECT_GE(res.rule, 0) << res.ruleId;
}

}  // namespace
}  // namespace aspm::ingest
