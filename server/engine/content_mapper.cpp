// The content mapper: where each disk line is in the buffer, decided by comparing the two texts.
//
// Every version is compared with the disk text, never with the previous version, so the answer
// depends only on what the buffer says now: undo restores a deleted finding, and a long editing
// session cannot accumulate drift. The comparison is a line diff (libgit2's, as for commits),
// then, inside each changed hunk, lines matched by their whitespace-free text in order, then by
// how much of the old line is still there, then unique lines moved out of their hunk.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "engine/location_mapper.h"
#include "gitmap/repository.h"
#include "mapping/matcher.h"
#include "support/text.h"

namespace aspm::engine {
namespace {

constexpr std::uint32_t kGone = std::numeric_limits<std::uint32_t>::max();
// A changed line keeps its finding while this share of its non-blank text survives as a common
// prefix plus suffix (typing inside it, appending a comment, splitting or joining it).
constexpr double kKeepShare = 0.6;

std::string squeezed(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (char c : line)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != '\v') out.push_back(c);
  return out;
}

// Share of `before`'s non-blank text found again at the start and end of `after`.
double keptShare(std::string_view before, std::string_view after) {
  const std::string a = squeezed(before);
  const std::string b = squeezed(after);
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
  explicit DiskText(std::string_view t) : text(t) {
    lines = support::splitLines(text);
    hashes.reserve(lines.size());
    for (auto l : lines) hashes.push_back(mapping::normalizedLineHash(l));
  }
};

// Disk line -> buffer line (kGone when the code is not in the buffer).
std::vector<std::uint32_t> compare(const DiskText& disk, std::string_view buffer) {
  const auto newLines = support::splitLines(buffer);
  std::vector<std::uint32_t> to(disk.lines.size(), kGone);
  // Editing touches a small part of a file: only the lines between the common head and tail are
  // diffed, which keeps a keystroke in a large file from diffing all of it.
  // The first and last differing bytes, found in one pass each, bound them.
  const std::string_view oldText = disk.text;
  constexpr std::size_t kBlock = 4096;  // compared with memcmp, then byte by byte in the block that differs
  const std::size_t common = std::min(oldText.size(), buffer.size());
  std::size_t firstDiff = 0;
  while (firstDiff + kBlock <= common && std::memcmp(oldText.data() + firstDiff, buffer.data() + firstDiff, kBlock) == 0)
    firstDiff += kBlock;
  while (firstDiff < common && oldText[firstDiff] == buffer[firstDiff]) ++firstDiff;
  const std::size_t maxTail = common - firstDiff;
  std::size_t lastSame = 0;  // bytes equal at the ends
  while (lastSame + kBlock <= maxTail && std::memcmp(oldText.data() + oldText.size() - lastSame - kBlock,
                                                     buffer.data() + buffer.size() - lastSame - kBlock, kBlock) == 0)
    lastSame += kBlock;
  while (lastSame < maxTail && oldText[oldText.size() - 1 - lastSame] == buffer[buffer.size() - 1 - lastSame]) ++lastSame;
  auto lineOfByte = [](const std::vector<std::string_view>& lines, std::string_view text, std::size_t byte) {
    // Index of the line holding `byte` (lines.size() past the end).
    auto it = std::upper_bound(lines.begin(), lines.end(), byte, [&](std::size_t b, std::string_view l) {
      return b < static_cast<std::size_t>(l.data() - text.data());
    });
    return static_cast<std::size_t>(it - lines.begin()) - (it == lines.begin() ? 0 : 1);
  };
  // Lines wholly before the first difference are the same; so are lines wholly after the last.
  std::size_t head = std::min(lineOfByte(disk.lines, oldText, firstDiff), newLines.size());
  head = std::min(head, lineOfByte(newLines, buffer, firstDiff));
  std::size_t tail = 0;
  if (!disk.lines.empty() && !newLines.empty()) {
    const std::size_t oldFirstSameLine = lineOfByte(disk.lines, oldText, oldText.size() - lastSame) + 1;
    const std::size_t newFirstSameLine = lineOfByte(newLines, buffer, buffer.size() - lastSame) + 1;
    tail = std::min(disk.lines.size() - std::min(oldFirstSameLine, disk.lines.size()),
                    newLines.size() - std::min(newFirstSameLine, newLines.size()));
    tail = std::min({tail, disk.lines.size() - head, newLines.size() - head});
  }
  // Trust but verify: the line views must agree where the bytes did (line terminators aside).
  while (head > 0 && disk.lines[head - 1] != newLines[head - 1]) --head;
  while (tail > 0 && disk.lines[disk.lines.size() - tail] != newLines[newLines.size() - tail]) --tail;
  auto middle = [](const std::vector<std::string_view>& lines, std::string_view text, std::size_t from,
                   std::size_t until) -> std::string_view {
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
  };
  const std::string_view oldMiddle = middle(disk.lines, disk.text, head, disk.lines.size() - tail);
  const std::string_view newMiddle = middle(newLines, buffer, head, newLines.size() - tail);
  const auto shift = static_cast<std::uint32_t>(head);
  std::vector<gitmap::Hunk> hunks;
  if (auto diffed = gitmap::diffLines(oldMiddle, newMiddle)) {
    for (gitmap::Hunk h : diffed.value().hunks()) {
      h.oldStart += shift;
      h.newStart += shift;
      hunks.push_back(h);
    }
  } else {
    // No diff (out of memory): the whole middle as one hunk.
    gitmap::Hunk h;
    h.oldLines = static_cast<std::uint32_t>(disk.lines.size() - head - tail);
    h.newLines = static_cast<std::uint32_t>(newLines.size() - head - tail);
    h.oldStart = shift + (h.oldLines ? 1 : 0);
    h.newStart = shift + (h.newLines ? 1 : 0);
    if (h.oldLines || h.newLines) hunks.push_back(h);
  }
  const gitmap::LineMap map(std::move(hunks));
  // Lines outside the hunks shift by the lines the hunks before them added or removed.
  {
    std::size_t line = 0;
    std::int64_t delta = 0;
    for (const gitmap::Hunk& h : map.hunks()) {
      const std::size_t firstChanged = h.oldLines ? h.oldStart - 1 : h.oldStart;
      for (; line < firstChanged && line < to.size(); ++line) to[line] = static_cast<std::uint32_t>(static_cast<std::int64_t>(line) + delta);
      line = std::max(line, firstChanged + h.oldLines);
      delta += static_cast<std::int64_t>(h.newLines) - static_cast<std::int64_t>(h.oldLines);
    }
    for (; line < to.size(); ++line) to[line] = static_cast<std::uint32_t>(static_cast<std::int64_t>(line) + delta);
  }
  if (map.identity()) return to;

  std::vector<std::uint64_t> newHashes(newLines.size(), 0);
  std::vector<bool> newClaimed(newLines.size(), false);
  std::vector<std::uint32_t> loose;  // disk lines still unplaced after their own hunk
  for (const gitmap::Hunk& h : map.hunks())
    for (std::uint32_t n = h.newStart - 1; h.newLines && n < h.newStart - 1 + h.newLines && n < newLines.size(); ++n)
      newHashes[n] = mapping::normalizedLineHash(newLines[n]);
  for (const gitmap::Hunk& h : map.hunks()) {
    if (h.oldLines == 0) continue;
    const std::uint32_t o0 = h.oldStart - 1;
    const std::uint32_t o1 = o0 + h.oldLines;
    const std::uint32_t n0 = h.newLines ? h.newStart - 1 : 0;
    const std::uint32_t n1 = h.newLines ? n0 + h.newLines : 0;
    // 1. The same text, in order (re-indenting, lines inserted or removed around it).
    std::uint32_t cursor = n0;
    for (std::uint32_t o = o0; o < o1 && o < disk.lines.size(); ++o) {
      for (std::uint32_t n = cursor; n < n1 && n < newLines.size(); ++n) {
        if (newClaimed[n] || newHashes[n] != disk.hashes[o]) continue;
        to[o] = n;
        newClaimed[n] = true;
        cursor = n + 1;
        break;
      }
    }
    // 2. Most of the text still there, between the neighbouring placed lines; several old lines
    //    may land on one new line (joined lines).
    for (std::uint32_t o = o0; o < o1 && o < disk.lines.size(); ++o) {
      if (to[o] != kGone) continue;
      std::uint32_t lo = n0, hi = n1;
      for (std::uint32_t p = o; p > o0; --p)
        if (to[p - 1] != kGone) {
          lo = to[p - 1];
          break;
        }
      for (std::uint32_t q = o + 1; q < o1 && q < disk.lines.size(); ++q)
        if (to[q] != kGone) {
          hi = to[q] + 1;
          break;
        }
      double best = kKeepShare;
      std::uint32_t bestLine = kGone;
      for (std::uint32_t n = lo; n < hi && n < newLines.size(); ++n) {
        const double share = keptShare(disk.lines[o], newLines[n]);
        if (share >= best && (bestLine == kGone || share > best)) {
          best = share;
          bestLine = n;
        }
      }
      if (bestLine != kGone) to[o] = bestLine;
      else if (disk.hashes[o] != 0) loose.push_back(o);
    }
  }
  // 3. Code moved out of its hunk (cut and pasted elsewhere in the file): a line whose text is
  //    unique among the unplaced old lines and among the unclaimed inserted lines follows it.
  if (!loose.empty()) {
    std::unordered_map<std::uint64_t, std::uint32_t> oldCount;
    for (std::uint32_t o : loose) ++oldCount[disk.hashes[o]];
    std::unordered_map<std::uint64_t, std::pair<std::uint32_t, std::uint32_t>> fresh;  // hash -> (count, line)
    for (const gitmap::Hunk& h : map.hunks()) {
      if (h.newLines == 0) continue;
      for (std::uint32_t n = h.newStart - 1; n < h.newStart - 1 + h.newLines && n < newLines.size(); ++n) {
        if (newClaimed[n] || newHashes[n] == 0 || !oldCount.contains(newHashes[n])) continue;
        auto& [count, line] = fresh[newHashes[n]];
        ++count;
        line = n;
      }
    }
    for (std::uint32_t o : loose) {
      if (oldCount[disk.hashes[o]] != 1) continue;
      if (auto it = fresh.find(disk.hashes[o]); it != fresh.end() && it->second.first == 1) to[o] = it->second.second;
    }
  }
  return to;
}

class ContentMapping final : public DocumentMapping {
 public:
  ContentMapping(std::shared_ptr<const DiskText> disk, std::string buffer)
      : disk_(std::move(disk)), buffer_(std::move(buffer)) {}

  std::optional<Range> map(const Range& r) const override {
    std::call_once(once_, [this] {
      same_ = disk_->text == buffer_;
      if (!same_) to_ = compare(*disk_, buffer_);
    });
    if (same_) return r;
    if (to_.empty()) return std::nullopt;
    return mapByLines(
        r, [this](std::uint32_t l) -> std::optional<std::uint32_t> { return to_[l] == kGone ? std::nullopt : std::optional(to_[l]); },
        static_cast<std::uint32_t>(to_.size() - 1));
  }

  const std::shared_ptr<const DiskText>& disk() const { return disk_; }

 private:
  std::shared_ptr<const DiskText> disk_;
  std::string buffer_;
  mutable bool same_ = false;
  mutable std::once_flag once_;
  mutable std::vector<std::uint32_t> to_;
};

}  // namespace

std::shared_ptr<const DocumentMapping> ContentMapper::open(std::string_view, std::string_view diskText,
                                                           std::string_view bufferText) const {
  // Without a disk text (a new file) the buffer is its own reference.
  const std::string_view reference = diskText.empty() ? bufferText : diskText;
  return std::make_shared<const ContentMapping>(std::make_shared<const DiskText>(reference), std::string(bufferText));
}

std::shared_ptr<const DocumentMapping> ContentMapper::edit(const std::shared_ptr<const DocumentMapping>& current,
                                                           const Edit& e) const {
  const auto* mapping = dynamic_cast<const ContentMapping*>(current.get());
  if (!mapping) return open("", e.before, e.after);
  return std::make_shared<const ContentMapping>(mapping->disk(), std::string(e.after));
}

}  // namespace aspm::engine
