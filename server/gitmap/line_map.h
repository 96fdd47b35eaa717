// Exact line correspondence between two versions of one file, from a line diff. A line inside
// unchanged text maps to exactly one new line; a line inside a changed hunk maps to none (the
// matcher decides where, if anywhere, that code went). No git types: the map is plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace aspm::gitmap {

// One changed region, 1-based as in unified diffs: old lines [oldStart, oldStart+oldLines) were
// replaced by new lines [newStart, newStart+newLines). When oldLines is 0 the new lines were
// inserted after old line oldStart.
struct Hunk {
  std::uint32_t oldStart = 0;
  std::uint32_t oldLines = 0;
  std::uint32_t newStart = 0;
  std::uint32_t newLines = 0;
};

class LineMap {
 public:
  LineMap() = default;  // identity (no changes)
  explicit LineMap(std::vector<Hunk> hunks);

  // The new 1-based line of old line `oldLine`, or nullopt when that line was changed/deleted.
  std::optional<std::uint32_t> map(std::uint32_t oldLine) const noexcept;
  // The new first line of the block [first, last] when every line of it is unchanged and the
  // block is still contiguous (nothing inserted inside it).
  std::optional<std::uint32_t> mapBlock(std::uint32_t first, std::uint32_t last) const noexcept;

  // Best guess for a line inside a changed hunk: the same offset into the hunk's new lines
  // (clamped). Used only to prefer nearby candidates, never to place a finding by itself.
  std::uint32_t approximate(std::uint32_t oldLine) const noexcept;

  bool identity() const noexcept { return hunks_.empty(); }
  const std::vector<Hunk>& hunks() const noexcept { return hunks_; }

 private:
  std::vector<Hunk> hunks_;  // sorted by oldStart
};

}  // namespace aspm::gitmap
