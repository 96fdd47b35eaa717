// Property: edits that do not touch a finding's text never change where it is. Random files get
// random insertions, deletions and rewrites of other lines (including lines identical to the
// finding's elsewhere); the matcher must place every finding on the line its text went to.
#include <gtest/gtest.h>

#include <random>

#include "gitmap/repository.h"
#include "mapping/matcher.h"

namespace aspm::mapping {
namespace {

TEST(MappingProperty, EditsElsewhereNeverMoveAFinding) {
  std::mt19937 rng(7);
  const char* const pool[] = {"x = compute(a, b)", "os.system(cmd)", "eval(data)", "return x", "log.info(msg)",
                              "", "    if ready:", "y += 1", "pickle.loads(blob)", "# note"};
  int checked = 0;
  for (int trial = 0; trial < 300; ++trial) {
    // Lines carry identities; the finding is on one of them.
    std::vector<std::pair<int, std::string>> lines;
    int nextId = 0;
    const int n = 20 + static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) lines.emplace_back(nextId++, pool[rng() % std::size(pool)]);
    const std::size_t findingIndex = rng() % lines.size();
    lines[findingIndex].second = "subprocess.call(cmd_" + std::to_string(trial) + ", shell=True)";
    const int findingId = lines[findingIndex].first;
    const std::string findingText = lines[findingIndex].second;

    auto render = [](const auto& ls) {
      std::string s;
      for (const auto& [id, text] : ls) s += text + "\n";
      return s;
    };
    const std::string before = render(lines);
    const int edits = 1 + static_cast<int>(rng() % 12);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = rng() % (lines.size() + 1);
      const int kind = static_cast<int>(rng() % 4);
      const bool touches = at < lines.size() && lines[at].first == findingId;
      if (kind == 0) {
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), {nextId++, pool[rng() % std::size(pool)]});
      } else if (kind == 1 && at < lines.size() && !touches && lines.size() > 2) {
        lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(at));
      } else if (kind == 2 && at < lines.size() && !touches) {
        lines[at] = {nextId++, pool[rng() % std::size(pool)]};
      } else if (kind == 3) {
        // A copy of the finding's text a few lines away: it must not attract the finding.
        std::size_t pos = 0;
        while (lines[pos].first != findingId) ++pos;
        if (at + 3 < pos || at > pos + 4)
          lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), {nextId++, findingText});
      }
    }
    std::size_t expected = 0;
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (lines[i].first == findingId) expected = i + 1;
    ASSERT_NE(expected, 0u);
    const std::string after = render(lines);

    MatchInput in;
    FileVersions v;
    v.scanContent = before;
    v.path = "f.py";
    v.content = after;
    v.lines = gitmap::diffLines(before, after).value();
    in.files["f.py"] = v;
    Site s;
    s.scanPath = "f.py";
    s.startLine = s.endLine = static_cast<std::uint32_t>(findingIndex + 1);
    const auto out = match({s}, in);
    ASSERT_TRUE(out[0].placed()) << "trial " << trial;
    EXPECT_EQ(out[0].startLine, expected) << "trial " << trial << "\n--- before\n" << before << "--- after\n" << after;
    ++checked;
  }
  EXPECT_EQ(checked, 300);
}

}  // namespace
}  // namespace aspm::mapping
