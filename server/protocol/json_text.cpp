// JsonText's escaping and numbers; see json_text.h.
#include "protocol/json_text.h"

#include <charconv>
#include <cstring>

namespace aspm::protocol {

void JsonText::number(std::int64_t n) {
  separate();
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out_.append(buf, r.ptr);
  needComma_ = true;
}

// Quotes, backslashes and control characters are escaped as RFC 8259 requires, the short forms
// where JSON has them; every other byte (UTF-8 included) is copied as is. Text runs without
// anything to escape, the common case, are appended whole.
namespace {

// Whether any of 8 bytes is a control character, a quote or a backslash (the classic
// "has a byte less than n" / "has a zero byte" word tricks).
bool anyToEscape(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  auto zeroByte = [](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  const std::uint64_t below20 = (w - kOnes * 0x20) & ~w & kHigh;
  return (below20 | zeroByte(w ^ (kOnes * '"')) | zeroByte(w ^ (kOnes * '\\'))) != 0;
}

}  // namespace

void JsonText::quoted(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out_ += '"';
  std::size_t run = 0;
  std::size_t i = 0;
  // Whole words with nothing to escape are skipped 8 bytes at a time.
  for (std::uint64_t w = 0; i + 8 <= s.size(); i += 8) {
    std::memcpy(&w, s.data() + i, 8);
    if (anyToEscape(w)) break;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out_.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        out_ += "\\u00";
        out_ += kHex[c >> 4];
        out_ += kHex[c & 0xF];
    }
  }
  out_.append(s.data() + run, s.size() - run);
  out_ += '"';
}

}  // namespace aspm::protocol
