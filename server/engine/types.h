// Editor coordinates used by the engine's feature API: 0-based lines, characters in UTF-16 code
// units (what LSP counts). They are plain values with no protocol attached; lsp/ converts them.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>

namespace aspm::engine {

struct Position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;
  friend auto operator<=>(const Position&, const Position&) = default;
};

struct Range {
  Position start;
  Position end;
  friend bool operator==(const Range&, const Range&) = default;
};

// One edit of an open document, as an editor sends it: replace `range` (absent: the whole text)
// with `text`.
struct TextChange {
  std::optional<Range> range;
  std::string text;
};

}  // namespace aspm::engine
