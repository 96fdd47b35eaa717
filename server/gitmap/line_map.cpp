// LineMap: a binary search over sorted hunks plus the running line delta.
#include "gitmap/line_map.h"

#include <algorithm>

namespace aspm::gitmap {
namespace {

// Last old line a hunk touches for the purpose of shifting: a pure insertion sits after
// oldStart, a replacement covers up to oldStart + oldLines - 1.
std::uint32_t hunkEnd(const Hunk& h) noexcept { return h.oldLines == 0 ? h.oldStart : h.oldStart + h.oldLines - 1; }

}  // namespace

LineMap::LineMap(std::vector<Hunk> hunks) : hunks_(std::move(hunks)) {
  std::sort(hunks_.begin(), hunks_.end(), [](const Hunk& a, const Hunk& b) { return a.oldStart < b.oldStart; });
}

std::optional<std::uint32_t> LineMap::map(std::uint32_t oldLine) const noexcept {
  if (oldLine == 0) return std::nullopt;
  std::int64_t delta = 0;
  for (const Hunk& h : hunks_) {
    if (h.oldLines > 0 && oldLine >= h.oldStart && oldLine < h.oldStart + h.oldLines) return std::nullopt;
    if (hunkEnd(h) >= oldLine) break;
    delta += static_cast<std::int64_t>(h.newLines) - static_cast<std::int64_t>(h.oldLines);
  }
  const std::int64_t mapped = static_cast<std::int64_t>(oldLine) + delta;
  if (mapped < 1) return std::nullopt;
  return static_cast<std::uint32_t>(mapped);
}

std::optional<std::uint32_t> LineMap::mapBlock(std::uint32_t first, std::uint32_t last) const noexcept {
  if (last < first) last = first;
  const auto a = map(first);
  const auto b = map(last);
  if (!a || !b || *b - *a != last - first) return std::nullopt;
  return a;
}

std::uint32_t LineMap::approximate(std::uint32_t oldLine) const noexcept {
  if (const auto exact = map(oldLine)) return *exact;
  for (const Hunk& h : hunks_) {
    if (h.oldLines > 0 && oldLine >= h.oldStart && oldLine < h.oldStart + h.oldLines) {
      if (h.newLines == 0) return std::max<std::uint32_t>(1, h.newStart);
      return h.newStart + std::min(oldLine - h.oldStart, h.newLines - 1);
    }
  }
  return oldLine;
}

}  // namespace aspm::gitmap
