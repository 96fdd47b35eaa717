// The content mapper: where each disk line is in the buffer, decided by comparing the two texts.
//
// Every version is compared with the disk text, never with the previous version, so the answer
// depends only on what the buffer says now: undo restores a deleted finding, and a long editing
// session cannot accumulate drift. The comparison is a line diff (libgit2's patience diff, as for
// commits), then, inside each changed hunk, lines matched by their whitespace-free text in order,
// then by how much of the old line is still there, then unique lines moved out of their hunk.
//
// A keystroke must not re-compare a 20,000-line file, so each version keeps its comparison (the
// hunks with their per-hunk matches) and an edit re-diffs only a window around the lines it
// touched. The window is bounded on each side by an unchanged line whose text is unique in the
// disk text and in the new buffer: a patience diff anchors on such a line, so the diff of the
// whole text splits there too and the window's hunks are, but for rare ties between repeated
// lines, the ones a full comparison finds (content_mapper_test replays random sessions against
// it). When no such line is near (or the version's state does not fit the edit), the whole buffer
// is compared again.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/location_mapper.h"
#include "gitmap/repository.h"
#include "mapping/matcher.h"
#include "support/text.h"
#include "syntax/anchor.h"
#include "syntax/document.h"
#include "syntax/language.h"

namespace aspm::engine {
namespace {

constexpr std::uint32_t kGone = std::numeric_limits<std::uint32_t>::max();
// A changed line keeps its finding while this share of its non-blank text survives as a common
// prefix plus suffix (typing inside it, appending a comment, splitting or joining it).
constexpr double kKeepShare = 0.6;
// A window wider than this (anchors far apart: repetitive code, or edits all around) is not worth
// stitching; the whole buffer is compared instead.
constexpr std::size_t kMaxWindowLines = 4000;

std::string squeezed(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (char c : line)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != '\v') out.push_back(c);
  return out;
}

// Share of `a`'s non-blank text found again at the start and end of `b` (both squeezed).
double keptShare(std::string_view a, std::string_view b) {
  if (a.empty()) return b.empty() ? 1.0 : 0.0;
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  return static_cast<double>(prefix + suffix) / static_cast<double>(a.size());
}

// The disk side, shared by every version of one document.
struct DiskText {
  DiskText(const DiskText&) = delete;  // `lines` views `text`
  DiskText& operator=(const DiskText&) = delete;
  std::string text;
  std::vector<std::string_view> lines;
  std::vector<std::uint64_t> hashes;
  std::vector<std::uint64_t> sortedHashes;  // how often a text occurs, by binary search
  explicit DiskText(std::string_view t) : text(t) {
    lines = support::splitLines(text);
    hashes.reserve(lines.size());
    for (auto l : lines) hashes.push_back(mapping::normalizedLineHash(l));
    sortedHashes = hashes;
    std::sort(sortedHashes.begin(), sortedHashes.end());
  }
  std::size_t count(std::uint64_t h) const {
    const auto [lo, hi] = std::equal_range(sortedHashes.begin(), sortedHashes.end(), h);
    return static_cast<std::size_t>(hi - lo);
  }
  std::size_t byteOf(std::size_t line) const {
    return line < lines.size() ? static_cast<std::size_t>(lines[line].data() - text.data()) : text.size();
  }
};

// One changed region and what the per-hunk passes made of it. Positions are relative to the
// hunk, so a hunk survives unchanged (shared between versions) while edits elsewhere move it.
struct HunkBody {
  std::uint32_t oldCount = 0;
  std::uint32_t newCount = 0;
  std::vector<std::uint32_t> to;         // per old line: its new line in the hunk, or kGone
  std::vector<std::uint64_t> oldHashes;  // the disk lines' text
  std::vector<std::uint64_t> newHashes;  // the buffer lines' text
  std::vector<bool> claimed;             // new lines taken by an old line of the same text
  std::vector<std::uint32_t> loose;      // old lines with text that nothing here explains
};

// Disk lines [oldStart, oldStart + oldCount) became buffer lines [newStart, newStart + newCount).
struct HunkRef {
  std::uint32_t oldStart = 0;
  std::uint32_t newStart = 0;
  std::shared_ptr<const HunkBody> body;
  std::uint32_t oldEnd() const { return oldStart + body->oldCount; }
  std::uint32_t newEnd() const { return newStart + body->newCount; }
};

// The comparison of one buffer version with the disk text.
struct Comparison {
  std::vector<HunkRef> hunks;                                     // in text order
  std::vector<std::int64_t> shiftBefore;                          // lines added by hunks [0, i)
  std::vector<std::pair<std::uint32_t, std::uint32_t>> moved;    // disk line -> buffer line, by disk line
  std::size_t bufferBytes = 0;
  std::size_t bufferNewlines = 0;
  std::uint32_t bufferLines = 0;  // as support::splitLines counts them
  bool same = false;              // the buffer is the disk text

  // The first hunk that ends after old line `o` (hunks.size() when none).
  std::size_t hunkAfterOld(std::uint32_t o) const {
    return static_cast<std::size_t>(
        std::upper_bound(hunks.begin(), hunks.end(), o, [](std::uint32_t l, const HunkRef& h) { return l < h.oldEnd(); }) -
        hunks.begin());
  }
  std::size_t hunkAfterNew(std::uint32_t n) const {
    return static_cast<std::size_t>(
        std::upper_bound(hunks.begin(), hunks.end(), n, [](std::uint32_t l, const HunkRef& h) { return l < h.newEnd(); }) -
        hunks.begin());
  }
  std::int64_t shift(std::size_t hunk) const { return hunk < shiftBefore.size() ? shiftBefore[hunk] : total(); }
  std::int64_t total() const {
    if (hunks.empty()) return 0;
    const HunkRef& h = hunks.back();
    return shiftBefore.back() + static_cast<std::int64_t>(h.body->newCount) - static_cast<std::int64_t>(h.body->oldCount);
  }

  // Whether buffer line `n` is where some disk line went (unchanged, matched, or moved), as
  // opposed to a line the edits wrote.
  bool isImage(std::uint32_t n) const {
    const std::size_t i = hunkAfterNew(n);
    if (i >= hunks.size() || hunks[i].newStart > n) return true;
    const HunkRef& h = hunks[i];
    const std::uint32_t k = n - h.newStart;
    if (h.body->claimed[k] || std::find(h.body->to.begin(), h.body->to.end(), k) != h.body->to.end()) return true;
    return std::any_of(moved.begin(), moved.end(), [&](const auto& m) { return m.second == n; });
  }

  std::optional<std::uint32_t> lineOf(std::uint32_t o) const {
    const std::size_t i = hunkAfterOld(o);
    if (i < hunks.size() && hunks[i].oldStart <= o) {
      const HunkRef& h = hunks[i];
      if (const std::uint32_t t = h.body->to[o - h.oldStart]; t != kGone) return h.newStart + t;
      auto it = std::lower_bound(moved.begin(), moved.end(), std::pair<std::uint32_t, std::uint32_t>(o, 0));
      if (it != moved.end() && it->first == o) return it->second;
      return std::nullopt;
    }
    return static_cast<std::uint32_t>(static_cast<std::int64_t>(o) + shift(i));
  }
};


// The per-hunk passes over disk lines [o0, o0 + oc) and the buffer lines `newLines`.
std::shared_ptr<const HunkBody> matchHunk(const DiskText& disk, std::uint32_t o0, std::uint32_t oc,
                                          std::span<const std::string_view> newLines) {
  auto b = std::make_shared<HunkBody>();
  b->oldCount = oc;
  b->newCount = static_cast<std::uint32_t>(newLines.size());
  const std::uint32_t nc = b->newCount;
  b->to.assign(oc, kGone);
  b->oldHashes.assign(disk.hashes.begin() + o0, disk.hashes.begin() + o0 + oc);
  b->newHashes.reserve(nc);
  for (auto l : newLines) b->newHashes.push_back(mapping::normalizedLineHash(l));
  b->claimed.assign(nc, false);
  // 1. The same text, in order (re-indenting, lines inserted or removed around it).
  std::uint32_t cursor = 0;
  for (std::uint32_t o = 0; o < oc; ++o) {
    for (std::uint32_t n = cursor; n < nc; ++n) {
      if (b->claimed[n] || b->newHashes[n] != b->oldHashes[o]) continue;
      b->to[o] = n;
      b->claimed[n] = true;
      cursor = n + 1;
      break;
    }
  }
  // 2. Most of the text still there, between the neighbouring placed lines; several old lines
  //    may land on one new line (joined lines). New lines are squeezed once, when first compared.
  std::vector<std::string> newSqueezed(nc);
  for (std::uint32_t o = 0; o < oc; ++o) {
    if (b->to[o] != kGone) continue;
    std::uint32_t lo = 0, hi = nc;
    for (std::uint32_t p = o; p > 0; --p)
      if (b->to[p - 1] != kGone) {
        lo = b->to[p - 1];
        break;
      }
    for (std::uint32_t q = o + 1; q < oc; ++q)
      if (b->to[q] != kGone) {
        hi = b->to[q] + 1;
        break;
      }
    double best = kKeepShare;
    std::uint32_t bestLine = kGone;
    const std::string before = squeezed(disk.lines[o0 + o]);
    for (std::uint32_t n = lo; n < hi && n < nc; ++n) {
      if (newSqueezed[n].empty() && !newLines[n].empty()) newSqueezed[n] = squeezed(newLines[n]);
      const double share = keptShare(before, newSqueezed[n]);
      if (share >= best && (bestLine == kGone || share > best)) {
        best = share;
        bestLine = n;
      }
    }
    if (bestLine != kGone) b->to[o] = bestLine;
    else if (b->oldHashes[o] != 0) b->loose.push_back(o);
  }
  return b;
}

// Bytes of `text` from the start of lines[from] to the start of the line after lines[until - 1].
std::string_view middle(std::span<const std::string_view> lines, std::string_view text, std::size_t from, std::size_t until) {
  if (from >= until) return {};
  const auto begin = static_cast<std::size_t>(lines[from].data() - text.data());
  const std::string_view last = lines[until - 1];
  std::size_t end = static_cast<std::size_t>(last.data() - text.data()) + last.size();
  while (end < text.size() && (text[end] == '\r' || text[end] == '\n')) {
    const bool newline = text[end] == '\n';
    ++end;
    if (newline) break;
  }
  return text.substr(begin, end - begin);
}

// Compares a region of the disk text with a region of the buffer: `oldLines` / `newLines` are
// their lines, viewing `oldText` / `newText`, and they start at disk line o0 / buffer line n0.
// Lines equal at the start and end of the regions are skipped (a keystroke in a large region
// diffs one line), the rest is diffed and each hunk gets the per-hunk passes.
std::vector<HunkRef> compareRegion(const DiskText& disk, std::uint32_t o0, std::span<const std::string_view> oldLines,
                                   std::string_view oldText, std::uint32_t n0, std::span<const std::string_view> newLines,
                                   std::string_view newText) {
  std::vector<HunkRef> out;
  // The first and last differing bytes, found with memcmp in blocks, bound the lines to diff.
  constexpr std::size_t kBlock = 4096;
  const std::size_t common = std::min(oldText.size(), newText.size());
  std::size_t firstDiff = 0;
  while (firstDiff + kBlock <= common && std::memcmp(oldText.data() + firstDiff, newText.data() + firstDiff, kBlock) == 0)
    firstDiff += kBlock;
  while (firstDiff < common && oldText[firstDiff] == newText[firstDiff]) ++firstDiff;
  if (firstDiff == oldText.size() && firstDiff == newText.size()) return out;
  const std::size_t maxTail = common - firstDiff;
  std::size_t lastSame = 0;  // bytes equal at the ends
  while (lastSame + kBlock <= maxTail && std::memcmp(oldText.data() + oldText.size() - lastSame - kBlock,
                                                     newText.data() + newText.size() - lastSame - kBlock, kBlock) == 0)
    lastSame += kBlock;
  while (lastSame < maxTail && oldText[oldText.size() - 1 - lastSame] == newText[newText.size() - 1 - lastSame]) ++lastSame;
  auto lineOfByte = [](std::span<const std::string_view> lines, std::string_view text, std::size_t byte) {
    // Index of the line holding `byte` (lines.size() past the end).
    auto it = std::upper_bound(lines.begin(), lines.end(), byte, [&](std::size_t b, std::string_view l) {
      return b < static_cast<std::size_t>(l.data() - text.data());
    });
    return static_cast<std::size_t>(it - lines.begin()) - (it == lines.begin() ? 0 : 1);
  };
  // Lines wholly before the first difference are the same; so are lines wholly after the last.
  std::size_t head = std::min(lineOfByte(oldLines, oldText, firstDiff), newLines.size());
  head = std::min(head, lineOfByte(newLines, newText, firstDiff));
  std::size_t tail = 0;
  if (!oldLines.empty() && !newLines.empty()) {
    const std::size_t oldFirstSameLine = lineOfByte(oldLines, oldText, oldText.size() - lastSame) + 1;
    const std::size_t newFirstSameLine = lineOfByte(newLines, newText, newText.size() - lastSame) + 1;
    tail = std::min(oldLines.size() - std::min(oldFirstSameLine, oldLines.size()),
                    newLines.size() - std::min(newFirstSameLine, newLines.size()));
    tail = std::min({tail, oldLines.size() - head, newLines.size() - head});
  }
  // Trust but verify: the line views must agree where the bytes did (line terminators aside).
  while (head > 0 && oldLines[head - 1] != newLines[head - 1]) --head;
  while (tail > 0 && oldLines[oldLines.size() - tail] != newLines[newLines.size() - tail]) --tail;
  const std::size_t oEnd = oldLines.size() - tail;
  const std::size_t nEnd = newLines.size() - tail;
  auto add = [&](std::size_t oStart, std::size_t oCount, std::size_t nStart, std::size_t nCount) {
    // Clamped to the regions, whatever the diff said.
    oStart = std::min(oStart, oEnd);
    oCount = std::min(oCount, oEnd - oStart);
    nStart = std::min(nStart, nEnd);
    nCount = std::min(nCount, nEnd - nStart);
    out.push_back({o0 + static_cast<std::uint32_t>(oStart), n0 + static_cast<std::uint32_t>(nStart),
                   matchHunk(disk, o0 + static_cast<std::uint32_t>(oStart), static_cast<std::uint32_t>(oCount),
                             newLines.subspan(nStart, nCount))});
  };
  if (auto diffed = gitmap::diffLines(middle(oldLines, oldText, head, oEnd), middle(newLines, newText, head, nEnd))) {
    for (const gitmap::Hunk& h : diffed.value().hunks()) {
      // libgit2 counts from 1 and places an empty side after the line it names.
      const std::size_t oStart = head + (h.oldLines ? h.oldStart - 1 : h.oldStart);
      const std::size_t nStart = head + (h.newLines ? h.newStart - 1 : h.newStart);
      add(oStart, h.oldLines, nStart, h.newLines);
    }
  } else if (oEnd > head || nEnd > head) {
    // No diff (out of memory): the whole middle as one hunk.
    add(head, oEnd - head, head, nEnd - head);
  }
  return out;
}

std::uint32_t splitLineCount(std::string_view text, std::size_t newlines) {
  return static_cast<std::uint32_t>(newlines + (!text.empty() && text.back() != '\n' ? 1 : 0));
}

// Pass 3 and the shifts, once the hunks of a version are known.
void finish(Comparison& c) {
  c.shiftBefore.resize(c.hunks.size());
  std::int64_t shift = 0;
  for (std::size_t i = 0; i < c.hunks.size(); ++i) {
    c.shiftBefore[i] = shift;
    shift += static_cast<std::int64_t>(c.hunks[i].body->newCount) - static_cast<std::int64_t>(c.hunks[i].body->oldCount);
  }
  // 3. Code moved out of its hunk (cut and pasted elsewhere in the file): a line whose text is
  //    unique among the unplaced old lines and among the unclaimed inserted lines follows it.
  c.moved.clear();
  std::unordered_map<std::uint64_t, std::uint32_t> oldCount;
  for (const HunkRef& h : c.hunks)
    for (std::uint32_t o : h.body->loose) ++oldCount[h.body->oldHashes[o]];
  if (oldCount.empty()) return;
  std::unordered_map<std::uint64_t, std::pair<std::uint32_t, std::uint32_t>> fresh;  // hash -> (count, line)
  for (const HunkRef& h : c.hunks) {
    for (std::uint32_t n = 0; n < h.body->newCount; ++n) {
      const std::uint64_t hash = h.body->newHashes[n];
      if (h.body->claimed[n] || hash == 0 || !oldCount.contains(hash)) continue;
      auto& [count, line] = fresh[hash];
      ++count;
      line = h.newStart + n;
    }
  }
  if (fresh.empty()) return;
  for (const HunkRef& h : c.hunks)
    for (std::uint32_t o : h.body->loose) {
      const std::uint64_t hash = h.body->oldHashes[o];
      if (oldCount[hash] != 1) continue;
      if (auto it = fresh.find(hash); it != fresh.end() && it->second.first == 1) c.moved.emplace_back(h.oldStart + o, it->second.second);
    }
}

// The whole buffer compared with the disk text.
Comparison compareAll(const DiskText& disk, std::string_view buffer) {
  Comparison c;
  c.bufferBytes = buffer.size();
  c.bufferNewlines = static_cast<std::size_t>(std::count(buffer.begin(), buffer.end(), '\n'));
  c.bufferLines = splitLineCount(buffer, c.bufferNewlines);
  c.same = disk.text == buffer;
  if (c.same) return c;
  const auto newLines = support::splitLines(buffer);
  c.hunks = compareRegion(disk, 0, disk.lines, disk.text, 0, newLines, buffer);
  finish(c);
  return c;
}

// Start of the line `count` lines before the line starting at `pos`.
std::size_t linesBack(std::string_view text, std::size_t pos, std::size_t count) {
  while (count > 0 && pos > 0) {
    const std::size_t nl = pos >= 2 ? text.rfind('\n', pos - 2) : std::string_view::npos;
    pos = nl == std::string_view::npos ? 0 : nl + 1;
    --count;
  }
  return pos;
}

// Start of the line `count` lines after the line starting at `pos` (the text's end past the last).
std::size_t linesForward(std::string_view text, std::size_t pos, std::size_t count) {
  while (count > 0 && pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    --count;
  }
  return pos;
}

std::vector<std::uint64_t> lineHashes(std::string_view text) {
  std::vector<std::uint64_t> out;
  for (auto l : support::splitLines(text)) out.push_back(mapping::normalizedLineHash(l));
  return out;
}

// `previous` carried through one edit: a window around the edited lines is compared again and
// spliced between the hunks before and after it. nullopt when no window can be bounded (the
// caller then compares the whole buffer).
std::optional<Comparison> compareEdited(const DiskText& disk, const Comparison& previous, const Edit& e) {
  const std::string_view before = e.before;
  const std::string_view after = e.after;
  if (previous.bufferBytes != before.size() || e.startByte > e.endByte || e.endByte > before.size()) return std::nullopt;
  if (previous.bufferLines != static_cast<std::int64_t>(disk.lines.size()) + previous.total()) return std::nullopt;
  // The whole lines the edit touched: old buffer lines [l1, l1 + removedLines) became new lines
  // [l1, l1 + addedLines). Bytes before the edit are the same in both texts.
  const std::size_t lineStart = e.startByte == 0 ? 0 : before.rfind('\n', e.startByte - 1) + 1;  // npos + 1 == 0
  std::size_t oldEnd = e.endByte == before.size() ? before.size() : before.find('\n', e.endByte);
  oldEnd = oldEnd == std::string_view::npos || oldEnd == before.size() ? before.size() : oldEnd + 1;
  const std::int64_t growth = static_cast<std::int64_t>(after.size()) - static_cast<std::int64_t>(before.size());
  const std::int64_t newEndSigned = static_cast<std::int64_t>(oldEnd) + growth;
  if (newEndSigned < static_cast<std::int64_t>(lineStart) || newEndSigned > static_cast<std::int64_t>(after.size()))
    return std::nullopt;
  const auto newEnd = static_cast<std::size_t>(newEndSigned);
  const std::string_view removed = before.substr(lineStart, oldEnd - lineStart);
  const std::string_view added = after.substr(lineStart, newEnd - lineStart);
  const auto removedNewlines = static_cast<std::size_t>(std::count(removed.begin(), removed.end(), '\n'));
  const auto addedNewlines = static_cast<std::size_t>(std::count(added.begin(), added.end(), '\n'));
  const std::int64_t l1 = e.range.start.line;
  const std::int64_t removedLines = splitLineCount(removed, removedNewlines);
  const std::int64_t addedLines = splitLineCount(added, addedNewlines);
  const std::int64_t delta = addedLines - removedLines;

  Comparison c;
  c.bufferBytes = after.size();
  c.bufferNewlines = previous.bufferNewlines - removedNewlines + addedNewlines;
  c.bufferLines = splitLineCount(after, c.bufferNewlines);
  if (static_cast<std::int64_t>(c.bufferLines) != static_cast<std::int64_t>(previous.bufferLines) + delta ||
      l1 + removedLines > previous.bufferLines)
    return std::nullopt;

  // An anchor is an unchanged line whose text is in the disk text once and in the new buffer
  // once. The new buffer's count of a text: the disk's, plus what the hunks changed, plus what
  // this edit changed.
  const std::vector<std::uint64_t> removedHashes = lineHashes(removed);
  const std::vector<std::uint64_t> addedHashes = lineHashes(added);
  auto isAnchor = [&](std::uint32_t diskLine) {
    const std::uint64_t h = disk.hashes[diskLine];
    if (h == 0 || disk.count(h) != 1) return false;
    std::int64_t extra = 0;
    for (const HunkRef& r : previous.hunks) {
      extra -= std::count(r.body->oldHashes.begin(), r.body->oldHashes.end(), h);
      extra += std::count(r.body->newHashes.begin(), r.body->newHashes.end(), h);
    }
    extra -= std::count(removedHashes.begin(), removedHashes.end(), h);
    extra += std::count(addedHashes.begin(), addedHashes.end(), h);
    return extra == 0;
  };
  // Old buffer line -> disk line when unchanged, else the hunk holding it.
  struct Where {
    bool inHunk = false;
    std::size_t hunk = 0;
    std::int64_t diskLine = 0;
  };
  auto where = [&](std::int64_t n) {
    const std::size_t i = previous.hunkAfterNew(static_cast<std::uint32_t>(n));
    if (i < previous.hunks.size() && previous.hunks[i].newStart <= n) return Where{true, i, 0};
    return Where{false, i, n - previous.shift(i)};
  };
  // Window (a, b) in old buffer lines, (aDisk, bDisk) in disk lines; -1 and the line counts stand
  // for the start and the end of the texts.
  std::int64_t a = l1 - 1, aDisk = -1;
  for (;; --a) {
    if (a < 0 || l1 - a > static_cast<std::int64_t>(kMaxWindowLines)) break;
    const Where w = where(a);
    if (w.inHunk) {
      a = previous.hunks[w.hunk].newStart;  // the loop steps to the line before the hunk
      continue;
    }
    if (isAnchor(static_cast<std::uint32_t>(w.diskLine))) {
      aDisk = w.diskLine;
      break;
    }
  }
  if (a >= 0 && aDisk < 0) return std::nullopt;
  if (a < 0) a = -1;
  std::int64_t b = l1 + removedLines, bDisk = static_cast<std::int64_t>(disk.lines.size());
  for (;; ++b) {
    if (b >= previous.bufferLines) {
      b = previous.bufferLines;
      break;
    }
    if (b - a > static_cast<std::int64_t>(kMaxWindowLines)) return std::nullopt;
    const Where w = where(b);
    if (w.inHunk) {
      b = previous.hunks[w.hunk].newEnd() - 1;  // the loop steps to the line after the hunk
      continue;
    }
    if (isAnchor(static_cast<std::uint32_t>(w.diskLine))) {
      bDisk = w.diskLine;
      break;
    }
  }
  if (b - a > static_cast<std::int64_t>(kMaxWindowLines)) return std::nullopt;

  // The window's text on both sides.
  const std::size_t oldFrom = disk.byteOf(static_cast<std::size_t>(aDisk + 1));
  const std::size_t oldUntil = disk.byteOf(static_cast<std::size_t>(bDisk));
  const std::size_t newFrom = linesBack(after, lineStart, static_cast<std::size_t>(l1 - (a + 1)));
  const std::size_t newUntil = linesForward(after, newEnd, static_cast<std::size_t>(b - (l1 + removedLines)));
  if (oldFrom > oldUntil || newFrom > newUntil) return std::nullopt;
  const std::string_view oldText = std::string_view(disk.text).substr(oldFrom, oldUntil - oldFrom);
  const std::string_view newText = after.substr(newFrom, newUntil - newFrom);
  const std::vector<std::string_view> newLines = support::splitLines(newText);
  const auto oldCount = static_cast<std::size_t>(bDisk - aDisk - 1);
  if (newLines.size() != static_cast<std::size_t>(b + delta - a - 1) || aDisk + 1 + static_cast<std::int64_t>(oldCount) > static_cast<std::int64_t>(disk.lines.size()))
    return std::nullopt;
  const std::span<const std::string_view> oldLines(disk.lines.data() + (aDisk + 1), oldCount);
  std::vector<HunkRef> window = compareRegion(disk, static_cast<std::uint32_t>(aDisk + 1), oldLines, oldText,
                                              static_cast<std::uint32_t>(a + 1), newLines, newText);

  // Splice: the hunks before the window, the window's, the ones after it moved by `delta`.
  const std::size_t first = a < 0 ? 0 : previous.hunkAfterNew(static_cast<std::uint32_t>(a));
  const std::size_t last = b >= previous.bufferLines ? previous.hunks.size() : previous.hunkAfterNew(static_cast<std::uint32_t>(b));
  c.hunks.reserve(first + window.size() + (previous.hunks.size() - last));
  c.hunks.insert(c.hunks.end(), previous.hunks.begin(), previous.hunks.begin() + static_cast<std::ptrdiff_t>(first));
  c.hunks.insert(c.hunks.end(), window.begin(), window.end());
  for (std::size_t i = last; i < previous.hunks.size(); ++i) {
    HunkRef h = previous.hunks[i];
    h.newStart = static_cast<std::uint32_t>(h.newStart + delta);
    c.hunks.push_back(std::move(h));
  }
  c.same = c.hunks.empty() && after == std::string_view(disk.text);
  finish(c);
  return c;
}

// ---- The syntax side: re-anchoring code the line comparison lost -------------------------------
//
// A statement reflowed over several lines, or re-wrapped into other lines, leaves no line whose
// text the comparison can follow. Its tokens are still there: the finding's lines as on disk are
// turned into an anchor (syntax/anchor.h: the token run, comments and whitespace excluded) and
// looked for, as whole lines, among the buffer lines the edits wrote, near where the finding's
// neighbours went. One hit places the finding; none or several leave it gone.
//
// Trees are made when first needed (a document whose findings all keep their lines is never
// parsed); from then on each version's tree is the previous one's, edited and reparsed
// incrementally on every change (syntax::Document::edited).

// Disk lines searched above and below a lost region for a neighbour that kept its line.
constexpr std::uint32_t kNeighbourReach = 200;
// Fewer tokens than this (a lone brace, `return;`) say too little to be placed by.
constexpr std::size_t kMinAnchorTokens = 3;
// Larger files are not parsed on keystrokes.
constexpr std::size_t kMaxSyntaxBytes = 8u << 20;
// A document's first parse (once, when a finding first needs it) and each keystroke's
// incremental reparse may take this long; a document that takes longer (code that is mostly
// syntax errors reparses slowly) is left to the line comparison alone from then on.
constexpr std::chrono::milliseconds kFirstParseBudget{100};
constexpr std::chrono::milliseconds kKeystrokeBudget{4};

// The disk text's tree and the anchors asked of it, shared by every version of a document.
class DiskSyntax {
 public:
  DiskSyntax(syntax::Language language, std::shared_ptr<const DiskText> disk) : language_(language), disk_(std::move(disk)) {}
  syntax::Language language() const { return language_; }

  syntax::Anchor anchorOf(std::uint32_t firstLine, std::uint32_t lastLine) const {
    std::lock_guard lock(mu_);
    if (!doc_) {
      doc_.emplace(language_, disk_->text, kFirstParseBudget);
      if (doc_->overBudget()) disable();
    }
    auto [it, fresh] = anchors_.try_emplace({firstLine, lastLine});
    if (fresh && doc_->hasTree()) it->second = syntax::anchorOf(*doc_, firstLine, lastLine);
    return it->second;
  }

  // Set when a parse of this document (either side, any version) ran over its budget.
  bool disabled() const { return disabled_.load(std::memory_order_relaxed); }
  void disable() const { disabled_.store(true, std::memory_order_relaxed); }

 private:
  syntax::Language language_;
  std::shared_ptr<const DiskText> disk_;
  mutable std::atomic<bool> disabled_{false};
  mutable std::mutex mu_;
  mutable std::optional<syntax::Document> doc_;
  mutable std::map<std::pair<std::uint32_t, std::uint32_t>, syntax::Anchor> anchors_;
};

// One buffer version's tree: made on first use (the version's text parsed whole) or, when the
// previous version had one, at the edit (incrementally).
class BufferSyntax {
 public:
  BufferSyntax() = default;
  explicit BufferSyntax(std::shared_ptr<const syntax::Document> doc) : doc_(std::move(doc)) {}

  std::shared_ptr<const syntax::Document> document(const DiskSyntax& disk, std::string_view text) const {
    std::lock_guard lock(mu_);
    if (!doc_ && !text.empty()) {
      doc_ = std::make_shared<const syntax::Document>(disk.language(), std::string(text), kFirstParseBudget);
      if (doc_->overBudget()) disk.disable();
    }
    return doc_;
  }
  // The tree if it was made already (an edit then carries it on incrementally), else null.
  std::shared_ptr<const syntax::Document> made() const {
    std::lock_guard lock(mu_);
    return doc_;
  }

 private:
  mutable std::mutex mu_;
  mutable std::shared_ptr<const syntax::Document> doc_;
};

class ContentMapping final : public DocumentMapping {
 public:
  ContentMapping(std::shared_ptr<const DiskText> disk, Comparison comparison, std::shared_ptr<const DiskSyntax> diskSyntax = {},
                 std::shared_ptr<const BufferSyntax> bufferSyntax = {})
      : disk_(std::move(disk)),
        comparison_(std::move(comparison)),
        diskSyntax_(std::move(diskSyntax)),
        bufferSyntax_(std::move(bufferSyntax)) {}

  std::optional<Range> map(const Range& r, std::string_view bufferText) const override {
    if (comparison_.same) return r;
    if (disk_->lines.empty()) return std::nullopt;
    auto byLines = mapByLines(
        r, [this](std::uint32_t l) { return comparison_.lineOf(l); }, static_cast<std::uint32_t>(disk_->lines.size() - 1));
    if (byLines || !diskSyntax_ || !bufferSyntax_ || diskSyntax_->disabled()) return byLines;
    return reanchored(r, bufferText);
  }

  const std::shared_ptr<const DiskText>& disk() const { return disk_; }
  const Comparison& comparison() const { return comparison_; }
  const std::shared_ptr<const DiskSyntax>& diskSyntax() const { return diskSyntax_; }
  const std::shared_ptr<const BufferSyntax>& bufferSyntax() const { return bufferSyntax_; }

 private:
  std::optional<Range> reanchored(const Range& r, std::string_view bufferText) const {
    const std::uint32_t lastDisk = static_cast<std::uint32_t>(disk_->lines.size() - 1);
    const std::uint32_t first = std::min(r.start.line, lastDisk);
    const std::uint32_t last = std::clamp(r.end.line, first, lastDisk);
    {
      std::lock_guard lock(mu_);
      if (auto it = placed_.find({first, last}); it != placed_.end()) return it->second;
    }
    // Without the buffer's text and no tree yet, nothing can be searched (and nothing is cached).
    if (bufferText.empty() && !bufferSyntax_->made()) return std::nullopt;
    std::optional<Range> out = search(first, last, bufferText);
    std::lock_guard lock(mu_);
    placed_.emplace(std::pair{first, last}, out);
    return out;
  }

  std::optional<Range> search(std::uint32_t first, std::uint32_t last, std::string_view bufferText) const {
    // The window: between the buffer lines of the nearest disk lines above and below that kept
    // their place.
    const std::uint32_t bufferLast = comparison_.bufferLines == 0 ? 0 : comparison_.bufferLines - 1;
    std::optional<std::uint32_t> lo, hi;
    for (std::uint32_t k = 1; k <= kNeighbourReach && !lo; ++k) {
      if (first < k) {
        lo = 0;
        break;
      }
      if (auto l = comparison_.lineOf(first - k)) lo = *l + 1;
    }
    for (std::uint32_t k = 1; k <= kNeighbourReach && !hi; ++k) {
      if (last + k > static_cast<std::uint32_t>(disk_->lines.size() - 1)) {
        hi = bufferLast;
        break;
      }
      if (auto l = comparison_.lineOf(last + k); l && *l > 0) hi = *l - 1;
    }
    if (!lo || !hi || *lo > *hi) return std::nullopt;
    const syntax::Anchor anchor = diskSyntax_->anchorOf(first, last);
    if (anchor.tokens.size() < kMinAnchorTokens) return std::nullopt;
    const auto doc = bufferSyntax_->document(*diskSyntax_, bufferText);
    if (!doc || !doc->hasTree() || (!bufferText.empty() && doc->text().size() != bufferText.size())) return std::nullopt;
    const std::vector<syntax::Token> tokens = syntax::tokensOf(*doc, *lo, *hi);
    std::optional<syntax::AnchorHit> only;
    for (const auto& hit : syntax::findAnchor(*doc, tokens, {}, anchor, 8)) {
      bool written = true;  // every line of the hit is new text, none a disk line's place
      for (std::uint32_t l = hit.firstLine; l <= hit.lastLine && written; ++l) written = !comparison_.isImage(l);
      if (!written) continue;
      if (only) return std::nullopt;  // two candidates: no guess
      only = hit;
    }
    if (!only) return std::nullopt;
    const std::string_view firstLine = doc->line(only->firstLine);
    const auto indent = static_cast<std::uint32_t>(std::min(firstLine.find_first_not_of(" \t"), firstLine.size()));
    return Range{{only->firstLine, indent}, {only->lastLine, std::numeric_limits<std::uint32_t>::max()}};
  }

  std::shared_ptr<const DiskText> disk_;
  Comparison comparison_;
  std::shared_ptr<const DiskSyntax> diskSyntax_;
  std::shared_ptr<const BufferSyntax> bufferSyntax_;
  mutable std::mutex mu_;
  mutable std::map<std::pair<std::uint32_t, std::uint32_t>, std::optional<Range>> placed_;
};

// The syntax side of a new version: the previous version's tree carried through the edit when
// it was made, else left to be made on first use.
std::shared_ptr<const BufferSyntax> bufferSyntaxAfter(const ContentMapping& previous, const Edit& e) {
  const auto before = previous.bufferSyntax() ? previous.bufferSyntax()->made() : nullptr;
  if (before && before->hasTree() && before->text().size() == e.before.size()) {
    auto next = std::make_shared<const syntax::Document>(before->edited(e.startByte, e.endByte, e.newText, kKeystrokeBudget));
    if (!next->overBudget()) return std::make_shared<const BufferSyntax>(std::move(next));
    previous.diskSyntax()->disable();
    return nullptr;
  }
  return std::make_shared<const BufferSyntax>();
}

}  // namespace

std::shared_ptr<const DocumentMapping> ContentMapper::open(std::string_view path, std::string_view diskText,
                                                           std::string_view bufferText) const {
  // Without a disk text (a new file) the buffer is its own reference.
  auto disk = std::make_shared<const DiskText>(diskText.empty() ? bufferText : diskText);
  Comparison c = compareAll(*disk, bufferText);
  std::shared_ptr<const DiskSyntax> diskSyntax;
  std::shared_ptr<const BufferSyntax> bufferSyntax;
  if (const auto language = syntax::languageForPath(path);
      language && disk->text.size() <= kMaxSyntaxBytes && bufferText.size() <= kMaxSyntaxBytes) {
    diskSyntax = std::make_shared<const DiskSyntax>(*language, disk);
    bufferSyntax = std::make_shared<const BufferSyntax>();
  }
  return std::make_shared<const ContentMapping>(std::move(disk), std::move(c), std::move(diskSyntax), std::move(bufferSyntax));
}

std::shared_ptr<const DocumentMapping> ContentMapper::edit(const std::shared_ptr<const DocumentMapping>& current,
                                                           const Edit& e) const {
  const auto* mapping = dynamic_cast<const ContentMapping*>(current.get());
  if (!mapping) return open("", e.before, e.after);
  if (e.startByte == e.endByte && e.newText.empty()) return current;  // nothing changed
  std::shared_ptr<const BufferSyntax> bufferSyntax;
  if (e.after.size() <= kMaxSyntaxBytes && mapping->diskSyntax() && !mapping->diskSyntax()->disabled()) {
    std::shared_ptr<const syntax::Document> reused;
    {
      std::lock_guard lock(lastMu_);
      if (lastAfter_ == e.after.data()) reused = lastTree_.lock();
    }
    if (reused && reused->language() == mapping->diskSyntax()->language() && reused->text() == e.after) {
      bufferSyntax = std::make_shared<const BufferSyntax>(std::move(reused));
    } else {
      bufferSyntax = bufferSyntaxAfter(*mapping, e);
      if (auto made = bufferSyntax ? bufferSyntax->made() : nullptr) {
        std::lock_guard lock(lastMu_);
        lastTree_ = made;
        lastAfter_ = e.after.data();
      }
    }
  }
  auto diskSyntax = bufferSyntax ? mapping->diskSyntax() : nullptr;
  if (!fullComparison_)
    if (auto c = compareEdited(*mapping->disk(), mapping->comparison(), e))
      return std::make_shared<const ContentMapping>(mapping->disk(), std::move(*c), std::move(diskSyntax), std::move(bufferSyntax));
  return std::make_shared<const ContentMapping>(mapping->disk(), compareAll(*mapping->disk(), e.after), std::move(diskSyntax),
                                                std::move(bufferSyntax));
}

}  // namespace aspm::engine
