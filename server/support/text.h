// Text helpers shared by every layer: UTF-8 validation, UTF-16 <-> byte column conversion (LSP
// positions count UTF-16 code units, SARIF columns count characters), and a line index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace aspm::support {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool isValidUtf8(std::string_view s) noexcept;

// Replace every ill-formed sequence by U+FFFD so the result is safe to emit as JSON.
std::string sanitizeUtf8(std::string_view s);

// Number of UTF-16 code units in the UTF-8 text `s`.
std::size_t utf16Length(std::string_view s) noexcept;

// Byte offset within `line` of the UTF-16 column `col16` (clamped to the line's length).
std::size_t byteOffsetOfUtf16Column(std::string_view line, std::size_t col16) noexcept;

// UTF-16 column of byte offset `byte` within `line` (clamped).
std::size_t utf16ColumnOfByteOffset(std::string_view line, std::size_t byte) noexcept;

// Line start offsets of a text; line numbers are 0-based here.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  // The index of `newText`, made from this index of the text before one edit replaced its bytes
  // [startByte, endByte) with `insertedSize` bytes (now at newText[startByte, ...)). Only the
  // inserted bytes are scanned; the lines after the edit are shifted. Equal to
  // LineIndex(newText), which a unit test checks on random edits.
  LineIndex afterEdit(std::string_view newText, std::size_t startByte, std::size_t endByte, std::size_t insertedSize) const;
  std::size_t lineCount() const noexcept { return starts_.size(); }
  // Byte offset of the start of `line` (0-based); lineCount() maps to text size.
  std::size_t lineStart(std::size_t line) const noexcept;
  // 0-based line containing byte offset `offset`.
  std::size_t lineOf(std::size_t offset) const noexcept;

 private:
  LineIndex() = default;
  std::vector<std::size_t> starts_;
  std::size_t size_ = 0;
};

// The text of 0-based `line` without its terminator ("\n" or "\r\n").
std::string_view lineText(std::string_view text, const LineIndex& index, std::size_t line) noexcept;

// The lines of a text without their terminators ("\r\n" or "\n"); no empty last line after a
// final newline. The views point into `text`.
std::vector<std::string_view> splitLines(std::string_view text);

// Whether every byte is ASCII (then the text is valid UTF-8 without further checks); 8 bytes
// at a time, for the hot paths that test every string of a large log.
inline bool isAscii(std::string_view s) noexcept {
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (w & 0x8080808080808080ULL) return false;
  }
  for (; i < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) & 0x80) return false;
  return true;
}

// Trim ASCII whitespace at both ends.
std::string_view trim(std::string_view s) noexcept;

}  // namespace aspm::support
