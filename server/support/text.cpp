// UTF-8/UTF-16 conversions and line indexing.
#include "support/text.h"

#include <algorithm>
#include <cstring>

namespace aspm::support {
namespace {

// Length of the well-formed UTF-8 sequence at s[i], or 0 when ill-formed.
std::size_t sequenceLength(std::string_view s, std::size_t i) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  auto cont = [&](std::size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
    if (b0 == 0xED && b1 > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
    if (b0 == 0xF4 && b1 > 0x8F) return 0;  // > U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

bool isValidUtf8(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = sequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string sanitizeUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = sequenceLength(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::size_t utf16Length(std::string_view s) noexcept {
  // Most source lines are ASCII, where units equal bytes: skip that prefix eight bytes at a time
  // (every open document computes this for each of its lines on every version).
  std::size_t i = 0;
  for (std::uint64_t word = 0; i + 8 <= s.size(); i += 8) {
    std::memcpy(&word, s.data() + i, 8);
    if (word & 0x8080808080808080ull) break;
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  std::size_t units = i;
  while (i < s.size()) {
    std::size_t n = sequenceLength(s, i);
    if (n == 0) n = 1;  // an invalid byte counts as one replacement character
    units += (n == 4) ? 2 : 1;
    i += n;
  }
  return units;
}

std::size_t byteOffsetOfUtf16Column(std::string_view line, std::size_t col16) noexcept {
  std::size_t units = 0;
  std::size_t i = 0;
  while (i < line.size() && units < col16) {
    std::size_t n = sequenceLength(line, i);
    if (n == 0) n = 1;
    const std::size_t u = (n == 4) ? 2 : 1;
    if (units + u > col16) break;  // column points inside a surrogate pair: stay before it
    units += u;
    i += n;
  }
  return i;
}

std::size_t utf16ColumnOfByteOffset(std::string_view line, std::size_t byte) noexcept {
  return utf16Length(line.substr(0, std::min(byte, line.size())));
}

LineIndex::LineIndex(std::string_view text) : size_(text.size()) {
  starts_.push_back(0);
  // memchr finds line ends several times faster than a byte loop (opening a document builds this).
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  for (const char* p = begin; p < end;) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (!nl) break;
    p = static_cast<const char*>(nl) + 1;
    starts_.push_back(static_cast<std::size_t>(p - begin));
  }
}

LineIndex LineIndex::afterEdit(std::string_view newText, std::size_t startByte, std::size_t endByte,
                               std::size_t insertedSize) const {
  LineIndex out;
  out.size_ = newText.size();
  // A line start is the byte after a newline: those before the edit stay, those whose newline
  // the edit removed go, those after it move by the change in length.
  const auto keptEnd = std::upper_bound(starts_.begin(), starts_.end(), startByte);
  const auto afterBegin = std::upper_bound(starts_.begin(), starts_.end(), endByte);
  out.starts_.reserve(starts_.size() + 16);
  out.starts_.assign(starts_.begin(), keptEnd);
  const char* const base = newText.data();
  const char* p = base + startByte;
  const char* const insertedEnd = p + insertedSize;
  while (p < insertedEnd) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(insertedEnd - p));
    if (!nl) break;
    p = static_cast<const char*>(nl) + 1;
    out.starts_.push_back(static_cast<std::size_t>(p - base));
  }
  const std::size_t removed = endByte - startByte;
  for (auto it = afterBegin; it != starts_.end(); ++it) out.starts_.push_back(*it - removed + insertedSize);
  return out;
}

std::size_t LineIndex::lineStart(std::size_t line) const noexcept {
  if (line >= starts_.size()) return size_;
  return starts_[line];
}

std::size_t LineIndex::lineOf(std::size_t offset) const noexcept {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  return static_cast<std::size_t>(it - starts_.begin()) - 1;
}

std::string_view lineText(std::string_view text, const LineIndex& index, std::size_t line) noexcept {
  if (line >= index.lineCount()) return {};
  std::size_t b = index.lineStart(line);
  std::size_t e = (line + 1 < index.lineCount()) ? index.lineStart(line + 1) : text.size();
  if (e > b && text[e - 1] == '\n') --e;
  if (e > b && text[e - 1] == '\r') --e;
  return text.substr(b, e - b);
}

std::string_view trim(std::string_view s) noexcept {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    start = nl + 1;
  }
  return out;
}

}  // namespace aspm::support
