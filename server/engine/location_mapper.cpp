// The edit-shift mapper: a piecewise line map from disk lines to buffer lines, updated per edit.
//
// The map is a sorted list of segments, each a run of consecutive disk lines that sit on
// consecutive buffer lines. Lines outside every segment were deleted. An edit is applied to
// buffer coordinates: each segment is cut where the edit's first and last lines are and the
// pieces are moved (or dropped) by the rules in location_mapper.h.
#include "engine/location_mapper.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace aspm::engine {
namespace {

constexpr std::uint64_t kEndless = std::numeric_limits<std::uint32_t>::max();

struct Segment {
  std::uint64_t from = 0;   // first disk line
  std::uint64_t to = 0;     // its buffer line
  std::uint64_t count = 0;  // number of lines
};

class LineMap final : public DocumentMapping {
 public:
  explicit LineMap(std::vector<Segment> segments) : segments_(std::move(segments)) {}

  std::optional<std::uint32_t> mapLine(std::uint32_t line) const {
    auto it = std::upper_bound(segments_.begin(), segments_.end(), line,
                               [](std::uint64_t l, const Segment& s) { return l < s.from; });
    if (it == segments_.begin()) return std::nullopt;
    --it;
    if (line >= it->from + it->count) return std::nullopt;
    return static_cast<std::uint32_t>(it->to + (line - it->from));
  }

  std::optional<Range> map(const Range& r, std::string_view) const override {
    return mapByLines(r, [this](std::uint32_t l) { return mapLine(l); }, std::numeric_limits<std::uint32_t>::max());
  }

  const std::vector<Segment>& segments() const { return segments_; }

 private:
  std::vector<Segment> segments_;
};

std::size_t countNewlines(std::string_view s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

// Where each buffer line goes under one edit: a line number, or nothing when deleted.
struct EditRule {
  std::uint64_t l1 = 0, l2 = 0;  // first and last line the edit touches
  std::uint64_t k = 0;           // newlines inserted
  std::optional<std::uint64_t> firstLineTo;  // where line l1 goes
  std::optional<std::uint64_t> lastLineTo;   // where line l2 goes (l2 > l1)

  std::optional<std::uint64_t> apply(std::uint64_t line) const {
    if (line < l1) return line;
    if (line > l2) return line + k - (l2 - l1);
    if (line == l1) return firstLineTo;
    if (line == l2) return lastLineTo;
    return std::nullopt;
  }
};

EditRule ruleFor(const Edit& e) {
  EditRule r;
  r.l1 = e.range.start.line;
  r.l2 = std::max(e.range.end.line, e.range.start.line);
  r.k = countNewlines(e.newText);
  // What is left of the first line is its text before the edit; of the last line, its text
  // after the edit (on the last inserted line).
  const bool headKept = e.range.start.character > 0;
  std::size_t lineEnd = e.before.find('\n', e.endByte);
  if (lineEnd == std::string_view::npos) lineEnd = e.before.size();
  std::string_view tail = e.before.substr(e.endByte, lineEnd - e.endByte);
  if (!tail.empty() && tail.back() == '\r') tail.remove_suffix(1);
  const bool tailKept = !tail.empty() || e.range.end.character == 0;
  if (r.l1 == r.l2) {
    // Text inserted at the very start of a line pushes the line down; anything else edits it.
    r.firstLineTo = (!headKept && r.k > 0) ? r.l1 + r.k : r.l1;
  } else {
    if (headKept) r.firstLineTo = r.l1;
    if (tailKept) r.lastLineTo = r.l1 + r.k;
  }
  return r;
}

}  // namespace

std::optional<Range> mapByLines(const Range& r, const std::function<std::optional<std::uint32_t>(std::uint32_t)>& lineOf,
                                std::uint32_t lastLine) {
  const std::uint32_t endLine = std::min(std::max(r.start.line, r.end.line), lastLine);
  std::optional<std::uint32_t> first;
  std::uint32_t firstLine = r.start.line;
  for (std::uint32_t l = r.start.line; l <= endLine; ++l) {
    if ((first = lineOf(l))) {
      firstLine = l;
      break;
    }
    if (l == std::numeric_limits<std::uint32_t>::max()) break;
  }
  if (!first) return std::nullopt;
  std::uint32_t last = *first;
  for (std::uint32_t l = endLine; l > firstLine; --l) {
    if (auto m = lineOf(l)) {
      last = std::max(*m, *first);
      break;
    }
  }
  Range out = r;
  out.start.line = *first;
  out.end.line = last;
  if (firstLine != r.start.line) out.start.character = 0;
  if (out.end.line == out.start.line && out.end.character < out.start.character) out.end.character = out.start.character;
  return out;
}

std::shared_ptr<const DocumentMapping> EditShiftMapper::open(std::string_view, std::string_view diskText,
                                                             std::string_view bufferText) const {
  auto identity = std::make_shared<const LineMap>(std::vector<Segment>{{0, 0, kEndless}});
  if (diskText.empty() || diskText == bufferText) return identity;
  // The buffer already differs from disk (unsaved changes restored by the editor): treat the
  // difference as one edit.
  const ByteDiff d = minimalDiff(diskText, bufferText);
  const support::LineIndex lines(diskText);
  Edit e;
  e.range = {positionOf(diskText, lines, d.start), positionOf(diskText, lines, d.endBefore)};
  e.startByte = d.start;
  e.endByte = d.endBefore;
  e.newText = bufferText.substr(d.start, d.endAfter - d.start);
  e.before = diskText;
  e.after = bufferText;
  return edit(identity, e);
}

std::shared_ptr<const DocumentMapping> EditShiftMapper::edit(const std::shared_ptr<const DocumentMapping>& current,
                                                             const Edit& e) const {
  const auto* map = dynamic_cast<const LineMap*>(current.get());
  std::vector<Segment> in = map ? map->segments() : std::vector<Segment>{{0, 0, kEndless}};
  const EditRule rule = ruleFor(e);
  std::vector<Segment> out;
  out.reserve(in.size() + 3);
  auto emit = [&](std::uint64_t from, std::uint64_t to, std::uint64_t count) {
    if (count == 0) return;
    if (!out.empty() && out.back().from + out.back().count == from && out.back().to + out.back().count == to) {
      out.back().count += count;
      return;
    }
    out.push_back({from, to, count});
  };
  for (const Segment& s : in) {
    // Cut the segment's buffer lines [s.to, s.to + s.count) at the edit's boundaries.
    const std::uint64_t cuts[] = {rule.l1, rule.l1 + 1, rule.l2, rule.l2 + 1};
    std::uint64_t lo = s.to;
    const std::uint64_t hi = s.to + s.count;
    while (lo < hi) {
      std::uint64_t next = hi;
      for (std::uint64_t c : cuts)
        if (c > lo && c < next) next = c;
      if (auto to = rule.apply(lo)) {
        // Every line of [lo, next) moves the same way (cuts isolate the special lines).
        emit(s.from + (lo - s.to), *to, next - lo);
      }
      lo = next;
    }
  }
  std::sort(out.begin(), out.end(), [](const Segment& a, const Segment& b) { return a.from < b.from; });
  return std::make_shared<const LineMap>(std::move(out));
}

}  // namespace aspm::engine
