// The content mapper compares only a window around each edit with the disk text and keeps the
// rest of the previous version's comparison. These tests replay seeded random editing sessions
// (typing, Enter, deleting and joining lines, pasting copies, moving blocks, undo) over real source
// files and check after every edit that each disk line lands where a comparison of the whole
// buffer puts it, and that undoing everything restores the file exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "engine/location_mapper.h"
#include "support/file.h"

namespace aspm::engine {
namespace {

struct Undo {
  TextChange change;  // applied to the text after the edit, restores the text before it
};

// A buffer edited through both mappers at once.
class Session {
 public:
  Session(std::string disk, std::uint64_t seed)
      : disk_(std::move(disk)), text_(disk_), rng_(seed), incremental_(true), full_(false) {
    inc_ = incremental_.open("f", disk_, text_);
  }

  // Applies `c` and returns what undoes it.
  Undo apply(const TextChange& c) {
    const support::LineIndex lines(text_);
    AppliedChange applied = applyChange(text_, lines, c);
    Edit e;
    e.range = applied.range;
    e.startByte = applied.startByte;
    e.endByte = applied.endByte;
    e.newText = applied.inserted;
    e.before = text_;
    e.after = applied.text;
    inc_ = incremental_.edit(inc_, e);
    Undo u;
    const support::LineIndex after(applied.text);
    u.change.range = Range{positionOf(applied.text, after, applied.startByte),
                           positionOf(applied.text, after, applied.startByte + applied.inserted.size())};
    u.change.text = text_.substr(applied.startByte, applied.endByte - applied.startByte);
    text_ = std::move(applied.text);
    return u;
  }

  // One random edit, mostly near the previous one (someone working on one function). With
  // `rearrange`, lines are also pasted as copies and blocks moved.
  TextChange randomChange(bool rearrange) {
    const support::LineIndex lines(text_);
    const auto count = static_cast<std::uint32_t>(lines.lineCount());
    if (rng_() % 8 == 0 || cursor_ >= count) cursor_ = static_cast<std::uint32_t>(rng_() % count);
    else cursor_ = std::min<std::uint32_t>(count - 1, static_cast<std::uint32_t>(std::max<std::int64_t>(0, static_cast<std::int64_t>(cursor_) + static_cast<std::int64_t>(rng_() % 9) - 4)));
    const std::uint32_t line = cursor_;
    const auto length = static_cast<std::uint32_t>(lineText(text_, lines, line).size());  // ASCII sources
    const auto column = static_cast<std::uint32_t>(length ? rng_() % (length + 1) : 0);
    auto lineOf = [&](std::uint32_t l) { return std::string(lineText(text_, lines, l)); };
    const std::uint64_t kind = rng_() % (rearrange ? 9 : 6);
    switch (rearrange || kind < 5 ? kind : 8) {
      case 0:
      case 1:
        return {Range{{line, column}, {line, column}}, std::string(1, "xy_;( "[rng_() % 6])};
      case 2:
        return {Range{{line, column}, {line, column}}, "\n"};
      case 3:
        return {Range{{line, 0}, {line + 1, 0}}, ""};
      case 4: {  // join with the next line
        return {Range{{line, length}, {line + 1, 0}}, ""};
      }
      case 5: {  // paste a copy of another line (often a brace or a blank line)
        const auto other = static_cast<std::uint32_t>(rng_() % count);
        return {Range{{line, 0}, {line, 0}}, lineOf(other) + "\n"};
      }
      case 6: {  // move a block of up to 4 lines elsewhere: cut now, paste on a later step
        const std::uint32_t n = 1 + static_cast<std::uint32_t>(rng_() % 4);
        std::string block;
        for (std::uint32_t l = line; l < line + n && l < count; ++l) block += lineOf(l) + "\n";
        pending_ = block;
        return {Range{{line, 0}, {line + n, 0}}, ""};
      }
      case 7:
        if (!pending_.empty()) {
          std::string block = std::move(pending_);
          pending_.clear();
          return {Range{{line, 0}, {line, 0}}, block};
        }
        return {Range{{line, column}, {line, length}}, ""};
      default:  // delete part of a line
        return {Range{{line, column / 2}, {line, column}}, ""};
    }
  }

  // Disk lines whose place differs between the incremental and the whole-buffer comparison.
  // Blank lines are left out unless asked for: where a blank line goes among other blank lines
  // is a matter of taste for a diff (no finding is on one).
  std::vector<std::string> differences(bool blankLinesToo) const {
    const auto reference = full_.open("f", disk_, text_);
    std::vector<std::string> out;
    const support::LineIndex lines(disk_);
    for (std::uint32_t l = 0; l < lines.lineCount(); ++l) {
      const Range r{{l, 0}, {l, 1}};
      const auto a = inc_->map(r);
      const auto b = reference->map(r);
      if (a == b || (!blankLinesToo && support::trim(lineText(disk_, lines, l)).empty())) continue;
      out.push_back("disk line " + std::to_string(l) + " '" + std::string(lineText(disk_, lines, l)) + "': incremental " +
                    (a ? std::to_string(a->start.line) : "gone") + ", whole buffer " + (b ? std::to_string(b->start.line) : "gone"));
    }
    return out;
  }

  bool mapsIdentically() const {
    const support::LineIndex lines(disk_);
    for (std::uint32_t l = 0; l < lines.lineCount(); ++l) {
      const Range r{{l, 1}, {l, 2}};
      if (inc_->map(r) != std::optional<Range>(r)) return false;
    }
    return true;
  }

  std::mt19937_64& rng() { return rng_; }
  const std::string& text() const { return text_; }
  const std::string& disk() const { return disk_; }

 private:
  std::string disk_;
  std::string text_;
  std::mt19937_64 rng_;
  ContentMapper incremental_;
  ContentMapper full_;
  std::shared_ptr<const DocumentMapping> inc_;
  std::uint32_t cursor_ = 0;
  std::string pending_;
};

// A repository file; "crlf:" before the path gives it Windows line ends.
std::string readSource(const std::string& name) {
  const bool crlf = name.starts_with("crlf:");
  const std::string rel = crlf ? name.substr(5) : name;
  auto text = support::readFile(std::string(ASPM_SOURCE_DIR) + "/" + rel);
  EXPECT_TRUE(text) << rel;
  if (!crlf || !text) return text.value_or(std::string());
  std::string out;
  for (char c : *text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// The example project's sources, and a larger real file where windows are bounded by anchors
// rather than by the ends of the file.
class RandomSessions : public ::testing::TestWithParam<const char*> {};

// Runs seeded sessions of `steps` edits, a third of them undoing the latest edit, and returns the
// share of disk lines placed differently from the whole-buffer comparison over all steps; every
// session is then undone to the disk text, which must map as the identity.
double disagreement(const std::string& source, bool rearrange, bool blankLinesToo, int steps, std::string& firstDifference) {
  std::size_t compared = 0, differing = 0;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    Session s(source, seed);
    std::vector<Undo> undo;
    for (int step = 0; step < steps; ++step) {
      if (!undo.empty() && s.rng()() % 3 == 0) {
        s.apply(undo.back().change);
        undo.pop_back();
      } else {
        undo.push_back(s.apply(s.randomChange(rearrange)));
      }
      const auto diff = s.differences(blankLinesToo);
      compared += static_cast<std::size_t>(std::count(source.begin(), source.end(), '\n'));
      differing += diff.size();
      if (!diff.empty() && firstDifference.empty())
        firstDifference = "seed " + std::to_string(seed) + " step " + std::to_string(step) + ": " + diff.front() + "\nbuffer:\n" + s.text();
    }
    while (!undo.empty()) {
      s.apply(undo.back().change);
      undo.pop_back();
    }
    EXPECT_EQ(s.text(), s.disk());
    EXPECT_TRUE(s.mapsIdentically()) << "seed " << seed;
  }
  return compared ? static_cast<double>(differing) / static_cast<double>(compared) : 0;
}

TEST_P(RandomSessions, TypingAndDeletingPlacesEveryLineOfCodeAsTheWholeBufferComparisonDoes) {
  const std::string source = readSource(GetParam());
  ASSERT_FALSE(source.empty());
  std::string first;
  EXPECT_EQ(disagreement(source, false, false, 40, first), 0.0) << GetParam() << ": " << first;
}

// Long sessions drift far from the disk text (the small files here end up mostly rewritten): then
// the windowed diff may pair a changed line differently now and then.
TEST_P(RandomSessions, LongTypingSessionsMapAlmostAlwaysAsTheWholeBufferComparisonDoes) {
  const std::string source = readSource(GetParam());
  ASSERT_FALSE(source.empty());
  std::string first;
  const double share = disagreement(source, false, false, 120, first);
  std::printf("%s: %.3f%% of placements of code lines differ\n", GetParam(), share * 100);
  EXPECT_LE(share, 0.01) << GetParam() << ": " << first;
}

// Pasted copies and moved blocks make the alignment of repeated lines ambiguous: the windowed
// diff may then pick another, equally valid, pairing than the diff of the whole buffer.
TEST_P(RandomSessions, PastedAndMovedCodeMapsAlmostAlwaysAsTheWholeBufferComparisonDoes) {
  const std::string source = readSource(GetParam());
  ASSERT_FALSE(source.empty());
  std::string first;
  const double share = disagreement(source, true, true, 120, first);
  std::printf("%s: %.3f%% of line placements differ\n", GetParam(), share * 100);
  EXPECT_LE(share, 0.02) << GetParam() << ": " << first;
}

INSTANTIATE_TEST_SUITE_P(Sources, RandomSessions,
                         ::testing::Values("tests/example/src/c/archive.c", "tests/example/src/c/token.c",
                                           "tests/example/src/js/server.js", "tests/example/src/js/db.js",
                                           "tests/example/src/py/report_worker.py", "tests/example/scripts/deploy.sh",
                                           "server/engine/workspace.cpp", "crlf:tests/example/src/js/server.js"));

}  // namespace
}  // namespace aspm::engine
