// The remediation knowledge base: lookup spellings, completeness of every entry, how markdown
// picks an example for the document's language, and coverage of the CWEs that matter in
// practice: those the correlate tables assign and those that real scanner reports cite most.
#include "remediation/guidance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace aspm::remediation {
namespace {

namespace fs = std::filesystem;

int number(std::string_view cwe) {
  return std::stoi(std::string(cwe.substr(4)));
}

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t count(std::string_view hay, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = hay.find(needle); pos != std::string_view::npos; pos = hay.find(needle, pos + needle.size())) ++n;
  return n;
}

TEST(Guidance, AcceptsEveryCommonSpellingOfAnId) {
  const Guidance* g = guidanceFor("CWE-78");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->cwe, "CWE-78");
  for (std::string_view spelling : {"cwe-78", "78", "CWE-078", "CWE78", " CWE-78 ", "Cwe_78", "cwe:78", "0078"})
    EXPECT_EQ(guidanceFor(spelling), g) << spelling;
  EXPECT_EQ(normalizeCwe("cwe-0089"), "CWE-89");
}

TEST(Guidance, RejectsMalformedAndUnknownIds) {
  for (std::string_view bad :
       {"", "CWE", "CWE-", "abc", "CWE-78x", "-78", "CWE--78", "CWE-0", "0", "CWE-12345678", "CVE-2021-44228", "78.5"})
    EXPECT_EQ(guidanceFor(bad), nullptr) << bad;
  EXPECT_EQ(guidanceFor("CWE-99999"), nullptr);
  EXPECT_EQ(normalizeCwe("nonsense"), "");
}

TEST(Guidance, NamesAndLinks) {
  EXPECT_EQ(cweName("CWE-89"), "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')");
  EXPECT_EQ(cweName("cwe-079"), "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')");
  // Known by name without guidance: a category that CodeQL tags ReDoS queries with.
  EXPECT_EQ(guidanceFor("CWE-730"), nullptr);
  EXPECT_EQ(cweName("CWE-730"), "OWASP Top Ten 2004 Category A9 - Denial of Service");
  EXPECT_EQ(cweName("CWE-99999"), "");
  EXPECT_EQ(cweName("garbage"), "");
  EXPECT_EQ(cweUri("CWE-078"), "https://cwe.mitre.org/data/definitions/78.html");
  EXPECT_EQ(cweUri("99999"), "https://cwe.mitre.org/data/definitions/99999.html");
  EXPECT_EQ(cweUri("not a cwe"), "");
}

TEST(Guidance, EveryEntryIsCompleteAndUnique) {
  const auto all = allGuidance();
  ASSERT_GE(all.size(), 40u);
  std::set<std::string> seen;
  int previous = 0;
  for (const auto& g : all) {
    SCOPED_TRACE(g.cwe);
    EXPECT_EQ(normalizeCwe(g.cwe), g.cwe) << "ids are written CWE-<n> without leading zeros";
    EXPECT_TRUE(seen.insert(g.cwe).second) << "duplicate entry";
    EXPECT_GT(number(g.cwe), previous) << "allGuidance() is sorted by number";
    previous = number(g.cwe);
    EXPECT_EQ(g.uri, cweUri(g.cwe));
    EXPECT_FALSE(g.name.empty());
    EXPECT_GE(g.why.size(), 60u);
    EXPECT_GE(g.fix.size(), 60u);
    EXPECT_EQ(guidanceFor(g.cwe), &g) << "lookup returns the entry in allGuidance()";
    EXPECT_EQ(cweName(g.cwe), g.name);
    ASSERT_FALSE(g.examples.empty());
    std::set<std::string> languages;
    for (const auto& e : g.examples) {
      SCOPED_TRACE(e.language);
      EXPECT_TRUE(syntax::languageFromId(e.language).has_value()) << "language ids are syntax::idOf() ids";
      EXPECT_TRUE(languages.insert(e.language).second) << "one example per language";
      EXPECT_FALSE(e.safeCode.empty());
      EXPECT_FALSE(e.unsafeCode.empty());
      EXPECT_NE(e.safeCode, e.unsafeCode);
      EXPECT_EQ(e.safeCode.find("```"), std::string::npos) << "would end the fenced block";
      EXPECT_EQ(e.unsafeCode.find("```"), std::string::npos);
    }
    for (const auto& r : g.references) EXPECT_TRUE(r.starts_with("https://")) << r;
  }
}

TEST(Guidance, CoversTheCweListOfTheIssue) {
  // The weaknesses SAST, SCA, IaC and secrets scanners report most; issue 5 names them.
  for (int n : {20,  22,  78,  79,  89,  94,  95,  119, 120, 125, 134, 190, 200, 209, 250,  259, 269,
                276, 284, 285, 287, 295, 306, 311, 312, 319, 326, 327, 328, 330, 338, 352,  377, 400,
                434, 476, 502, 601, 611, 614, 676, 732, 770, 798, 862, 915, 918, 937, 1104, 1321})
    EXPECT_NE(guidanceFor(std::to_string(n)), nullptr) << "CWE-" << n;
}

TEST(Guidance, BestGuidancePrefersTheSpecificCwe) {
  const std::vector<std::string> redos = {"CWE-400", "CWE-730", "CWE-1333"};
  ASSERT_NE(bestGuidance(redos), nullptr);
  EXPECT_EQ(bestGuidance(redos)->cwe, "CWE-1333");
  const std::vector<std::string> xss = {"CWE-79", "CWE-116"};
  EXPECT_EQ(bestGuidance(xss)->cwe, "CWE-79");
  const std::vector<std::string> onlyBroad = {"CWE-99999", "CWE-20"};
  EXPECT_EQ(bestGuidance(onlyBroad)->cwe, "CWE-20");
  const std::vector<std::string> none = {"CWE-730", "bogus"};
  EXPECT_EQ(bestGuidance(none), nullptr);
  EXPECT_EQ(bestGuidance({}), nullptr);
}

TEST(Guidance, ExtraNamesDoNotShadowEntries) {
  for (const auto& [n, name] : detail::extraNames()) {
    EXPECT_FALSE(name.empty()) << n;
    EXPECT_EQ(guidanceFor(std::to_string(n)), nullptr) << "CWE-" << n << " has an entry; drop the extra name";
    EXPECT_EQ(cweName(std::to_string(n)), name);
  }
}

TEST(GuidanceMarkdown, ShowsTheExampleInTheDocumentsLanguage) {
  const Guidance* g = guidanceFor("CWE-78");
  ASSERT_NE(g, nullptr);
  const std::string md = guidanceMarkdown(*g, syntax::Language::Go);
  EXPECT_TRUE(md.starts_with("**[CWE-78](https://cwe.mitre.org/data/definitions/78.html): Improper Neutralization"))
      << md;
  EXPECT_NE(md.find("**Why it is dangerous.**"), std::string::npos);
  EXPECT_NE(md.find("**How to fix.**"), std::string::npos);
  EXPECT_EQ(count(md, "```go\n"), 2u) << "unsafe and safe block, both tagged go";
  EXPECT_EQ(count(md, "```"), 4u) << "no other example";
  EXPECT_LT(md.find("*Unsafe:*"), md.find("*Safe:*"));
  EXPECT_NE(md.find("exec.Command(\"tar\", \"xf\", \"--\", name)"), std::string::npos);
  EXPECT_NE(md.find("[OWASP OS Command Injection Defense Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/"
                    "OS_Command_Injection_Defense_Cheat_Sheet.html)"),
            std::string::npos)
      << md;
}

TEST(GuidanceMarkdown, FallsBackToARelativeThenToTheFirstExample) {
  // TSX has no SQL example of its own; TypeScript is the closest.
  const Guidance* sql = guidanceFor("CWE-89");
  ASSERT_NE(sql, nullptr);
  const std::string tsx = guidanceMarkdown(*sql, syntax::Language::Tsx);
  EXPECT_EQ(count(tsx, "```typescript\n"), 2u) << tsx;
  EXPECT_EQ(count(tsx, "```"), 4u);

  // C++ document, C-only example.
  const Guidance* fmt = guidanceFor("CWE-134");
  ASSERT_NE(fmt, nullptr);
  EXPECT_EQ(count(guidanceMarkdown(*fmt, syntax::Language::Cpp), "```c\n"), 2u);

  // Rust has no example for XSS and no relative: the first example, only one.
  const Guidance* xss = guidanceFor("CWE-79");
  ASSERT_NE(xss, nullptr);
  const std::string rust = guidanceMarkdown(*xss, syntax::Language::Rust);
  EXPECT_EQ(count(rust, "```" + xss->examples.front().language + "\n"), 2u) << rust;
  EXPECT_EQ(count(rust, "```"), 4u);
}

TEST(GuidanceMarkdown, WithoutALanguageShowsEveryExampleLabelled) {
  const Guidance* g = guidanceFor("CWE-798");
  ASSERT_NE(g, nullptr);
  ASSERT_GT(g->examples.size(), 1u);
  const std::string md = guidanceMarkdown(*g, std::nullopt);
  EXPECT_EQ(count(md, "```"), 4 * g->examples.size());
  for (const auto& e : g->examples) EXPECT_NE(md.find("*Safe (" + e.language + "):*"), std::string::npos) << e.language;
  EXPECT_NE(md.find("```yaml\n"), std::string::npos);
  EXPECT_NE(md.find("secretKeyRef"), std::string::npos) << "the Kubernetes example uses a Secret";
}

TEST(GuidanceMarkdown, CSharpFencesUseTheNameRenderersKnow) {
  const Guidance* g = guidanceFor("CWE-502");
  ASSERT_NE(g, nullptr);
  const std::string md = guidanceMarkdown(*g, syntax::Language::CSharp);
  EXPECT_EQ(count(md, "```csharp\n"), 2u) << md;
}

TEST(GuidanceMarkdown, StaysHoverSizedForEveryEntryAndLanguage) {
  std::size_t largest = 0;
  std::string largestAt;
  for (const auto& g : allGuidance()) {
    for (auto lang : syntax::allLanguages()) {
      const std::string md = guidanceMarkdown(g, lang);
      EXPECT_LE(count(md, "```"), 4u) << g.cwe;
      if (md.size() > largest) {
        largest = md.size();
        largestAt = g.cwe + " " + std::string(syntax::idOf(lang));
      }
    }
  }
  std::cout << "largest hover guidance: " << largest << " bytes (" << largestAt << ")\n";
  EXPECT_LE(largest, 3000u) << largestAt;
}

TEST(Guidance, DocumentationListsEveryEntry) {
  const fs::path doc = fs::path(ASPM_SOURCE_DIR) / "docs" / "remediation.md";
  const std::string text = readFile(doc);
  ASSERT_FALSE(text.empty()) << doc;
  std::set<std::string> rows;
  const std::regex row(R"(\n\| \[(CWE-[0-9]+)\]\(https://cwe\.mitre\.org/data/definitions/[0-9]+\.html\) \|)");
  for (std::sregex_iterator it(text.begin(), text.end(), row), end; it != end; ++it) rows.insert((*it)[1].str());
  for (const auto& g : allGuidance())
    EXPECT_TRUE(rows.contains(g.cwe)) << g.cwe << " has no row in docs/remediation.md";
  for (const auto& r : rows) EXPECT_NE(guidanceFor(r), nullptr) << r << " is documented but has no entry";
}

// The correlate module assigns these CWEs to tools that do not state any; a finding with one of
// them should have guidance unless there is a reason not to.
const std::map<int, std::string_view> kUncoveredCorrelate = {
    {466, "clang alpha checker only; the checker's own help is more precise than generic advice"},
    {563, "unused assignment: a code-quality finding with no security remediation"},
    {1339, "floating-point loop counter: correctness, not security"},
};

TEST(GuidanceCoverage, EveryCweTheCorrelateTablesAssign) {
  const fs::path source = fs::path(ASPM_SOURCE_DIR) / "server" / "correlate" / "cwe.cpp";
  const std::string text = readFile(source);
  ASSERT_FALSE(text.empty()) << source;
  std::set<int> mentioned;
  const std::regex literal(R"re("CWE-([0-9]+)")re");
  for (std::sregex_iterator it(text.begin(), text.end(), literal), end; it != end; ++it)
    mentioned.insert(std::stoi((*it)[1].str()));
  ASSERT_GE(mentioned.size(), 30u) << "the table format changed; update this scan";
  std::size_t covered = 0;
  for (int n : mentioned) {
    if (guidanceFor(std::to_string(n))) {
      ++covered;
      EXPECT_FALSE(kUncoveredCorrelate.contains(n)) << "CWE-" << n << " has guidance now; drop it from the list";
    } else {
      EXPECT_TRUE(kUncoveredCorrelate.contains(n)) << "CWE-" << n << " is assigned by correlate but has no guidance";
      EXPECT_NE(cweName(std::to_string(n)), "") << "CWE-" << n << " should at least have a name";
    }
  }
  for (const auto& [n, reason] : kUncoveredCorrelate) EXPECT_TRUE(mentioned.contains(n)) << "stale entry CWE-" << n;
  std::cout << "correlate table CWEs: " << mentioned.size() << ", with guidance: " << covered << "\n";
}

// Fixture CWEs among the most cited that deliberately have no guidance.
const std::map<int, std::string_view> kUncoveredFixtures = {
    {730,
     "a category (OWASP 2004 A9, denial of service); CodeQL tags it next to CWE-1333 and CWE-400, which "
     "have guidance"},
};

struct CweCount {
  int cwe = 0;
  int files = 0;
  int mentions = 0;
};

// Every CWE id cited in the real SARIF corpus: rule tags ("external/cwe/cwe-079"), properties
// ("CWE-79: ..."), help text. Ranked by how many reports cite it, then by mentions.
std::vector<CweCount> fixtureCwes(const fs::path& root) {
  std::map<int, CweCount> counts;
  const std::regex id(R"(cwe[-_ :]?0*([1-9][0-9]{0,4})(?![0-9]))", std::regex::icase);
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".sarif") continue;
    std::string text = readFile(entry.path());
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    std::set<int> inFile;
    // The regex only runs where "cwe" occurs: std::regex over megabytes of JSON is slow.
    for (auto pos = lower.find("cwe"); pos != std::string::npos; pos = lower.find("cwe", pos + 3)) {
      if (pos > 0 && std::isalnum(static_cast<unsigned char>(lower[pos - 1]))) continue;
      const std::string window = lower.substr(pos, 16);
      std::smatch m;
      if (!std::regex_search(window, m, id, std::regex_constants::match_continuous)) continue;
      const int n = std::stoi(m[1].str());
      auto& c = counts[n];
      c.cwe = n;
      ++c.mentions;
      inFile.insert(n);
    }
    for (int n : inFile) ++counts[n].files;
  }
  std::vector<CweCount> ranked;
  for (const auto& [n, c] : counts) ranked.push_back(c);
  std::sort(ranked.begin(), ranked.end(), [](const CweCount& a, const CweCount& b) {
    if (a.files != b.files) return a.files > b.files;
    if (a.mentions != b.mentions) return a.mentions > b.mentions;
    return a.cwe < b.cwe;
  });
  return ranked;
}

TEST(GuidanceCoverage, MostCitedCwesInRealScannerReports) {
  const fs::path root = fs::path(ASPM_SHARED_FIXTURES) / "real-sarif";
  if (!fs::is_directory(root)) GTEST_SKIP() << "no shared fixtures at " << root;
  const auto ranked = fixtureCwes(root);
  ASSERT_GE(ranked.size(), 20u) << "the corpus cites far more CWEs; the scan is broken";

  constexpr std::size_t kTopN = 40;
  std::size_t coveredDistinct = 0, totalMentions = 0, coveredMentions = 0, topCovered = 0;
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const auto& c = ranked[i];
    const bool has = guidanceFor(std::to_string(c.cwe)) != nullptr;
    totalMentions += static_cast<std::size_t>(c.mentions);
    if (has) {
      ++coveredDistinct;
      coveredMentions += static_cast<std::size_t>(c.mentions);
    }
    if (i < kTopN) {
      if (has)
        ++topCovered;
      else
        EXPECT_TRUE(kUncoveredFixtures.contains(c.cwe))
            << "CWE-" << c.cwe << " is #" << i + 1 << " in the corpus (" << c.files << " reports, " << c.mentions
            << " mentions) and has no guidance";
    }
  }
  const std::size_t top = std::min(kTopN, ranked.size());
  std::cout << "fixture CWEs: " << ranked.size() << " distinct, " << coveredDistinct << " with guidance; "
            << coveredMentions << "/" << totalMentions << " mentions covered ("
            << (100 * coveredMentions / std::max<std::size_t>(totalMentions, 1)) << "%); top " << top << ": "
            << topCovered << " covered, " << top - topCovered << " deliberately uncovered\n";
  std::cout << "top " << top << ":";
  for (std::size_t i = 0; i < top; ++i) std::cout << " " << ranked[i].cwe << "(" << ranked[i].files << ")";
  std::cout << "\n";
  std::size_t cited = 0;
  for (const auto& [n, reason] : kUncoveredFixtures) {
    cited += std::any_of(ranked.begin(), ranked.end(), [n = n](const CweCount& c) { return c.cwe == n; });
    EXPECT_EQ(guidanceFor(std::to_string(n)), nullptr) << "CWE-" << n << " has guidance now; drop it from the list";
  }
  EXPECT_EQ(cited, kUncoveredFixtures.size()) << "an uncovered entry is no longer cited by the corpus";
}

}  // namespace
}  // namespace aspm::remediation
