// Rolling-hash implementation of GitHub's primaryLocationLineHash (see line_hash.h). The window
// slides over the normalised stream once, so hashing a file is linear in its size however many
// results point into it.
#include "correlate/line_hash.h"

#include <algorithm>
#include <array>
#include <unordered_map>

namespace aspm::correlate {
namespace {

constexpr std::size_t kBlock = 100;
constexpr std::uint64_t kBase = 37;
constexpr std::uint32_t kEof = 65535;

constexpr std::uint64_t basePowBlock() {
  std::uint64_t p = 1;
  for (std::size_t i = 0; i < kBlock; ++i) p *= kBase;  // wraps modulo 2^64 by definition
  return p;
}

// Decodes UTF-8 to UTF-16 code units with WHATWG replacement (one U+FFFD per maximal ill-formed
// subpart), which is what a JavaScript UTF-8 decoder hands the reference implementation.
template <typename Sink>
void forEachUtf16Unit(std::string_view s, Sink&& sink) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < n) {
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) {
      sink(b0);
      ++i;
      continue;
    }
    std::size_t need = 0;
    std::uint32_t cp = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      need = 1;
      cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      need = 2;
      cp = b0 & 0x0Fu;
      if (b0 == 0xE0) lo = 0xA0;
      if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      need = 3;
      cp = b0 & 0x07u;
      if (b0 == 0xF0) lo = 0x90;
      if (b0 == 0xF4) hi = 0x8F;
    } else {
      sink(0xFFFD);
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    bool ok = true;
    for (std::size_t k = 0; k < need; ++k, ++j) {
      if (j >= n || byte(j) < lo || byte(j) > hi) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (byte(j) & 0x3Fu);
      lo = 0x80;
      hi = 0xBF;
    }
    if (!ok) {
      sink(0xFFFD);
      i = j;  // the maximal subpart is consumed; the offending byte is decoded afresh
      continue;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      sink(0xD800 + (cp >> 10));
      sink(0xDC00 + (cp & 0x3FFu));
    } else {
      sink(cp);
    }
    i = j;
  }
}

std::string hex(std::uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  if (v == 0) return "0";
  std::string out;
  while (v) {
    out.insert(out.begin(), kDigits[v & 0xF]);
    v >>= 4;
  }
  return out;
}

}  // namespace

namespace {

// The rolling hash over the whole file; `emit(line, hash, occurrence)` is called once per line,
// in line order.
template <typename Emit>
void rollingHashes(std::string_view utf8Content, Emit&& emitLine) {
  constexpr std::uint64_t firstMod = basePowBlock();
  std::array<std::uint32_t, kBlock> window{};
  std::array<std::int64_t, kBlock> lineAt;
  lineAt.fill(-1);
  std::uint64_t h = 0;
  std::size_t index = 0;
  std::int64_t lineNumber = 0;
  bool lineStart = true;
  bool prevCr = false;
  std::unordered_map<std::uint64_t, int> counts;

  auto emit = [&] {
    const int n = ++counts[h];
    emitLine(static_cast<std::uint32_t>(lineAt[index]), h, n);
    lineAt[index] = -1;
  };
  auto update = [&](std::uint32_t unit) {
    const std::uint32_t leaving = window[index];
    window[index] = unit;
    h = kBase * h + unit - firstMod * leaving;
    index = (index + 1) % kBlock;
  };
  auto process = [&](std::uint32_t unit) {
    if (unit == ' ' || unit == '\t' || (prevCr && unit == '\n')) {
      prevCr = false;
      return;
    }
    if (unit == '\r') {
      unit = '\n';
      prevCr = true;
    } else {
      prevCr = false;
    }
    if (lineAt[index] != -1) emit();
    if (lineStart) {
      lineStart = false;
      lineAt[index] = ++lineNumber;
    }
    if (unit == '\n') lineStart = true;
    update(unit);
  };

  forEachUtf16Unit(utf8Content, process);
  process(kEof);
  for (std::size_t i = 0; i < kBlock; ++i) {
    if (lineAt[index] != -1) emit();
    update(0);
  }
}

std::string format(std::uint64_t h, int occurrence) { return hex(h) + ":" + std::to_string(occurrence); }

}  // namespace

std::vector<std::string> lineHashes(std::string_view utf8Content) {
  std::vector<std::string> out;
  rollingHashes(utf8Content, [&](std::uint32_t line, std::uint64_t h, int n) {
    if (out.size() < line) out.resize(line);
    out[line - 1] = format(h, n);
  });
  return out;
}

std::unordered_map<std::uint32_t, std::string> lineHashesOf(std::string_view utf8Content,
                                                             const std::vector<std::uint32_t>& lines) {
  std::unordered_map<std::uint32_t, std::string> out;
  if (lines.empty()) return out;
  std::vector<std::uint32_t> wanted(lines);
  for (auto& l : wanted)
    if (l == 0) l = 1;
  std::sort(wanted.begin(), wanted.end());
  rollingHashes(utf8Content, [&](std::uint32_t line, std::uint64_t h, int n) {
    if (std::binary_search(wanted.begin(), wanted.end(), line)) out[line] = format(h, n);
  });
  return out;
}

std::string primaryLocationLineHash(std::string_view utf8Content, std::uint32_t line) {
  if (line == 0) line = 1;
  auto all = lineHashes(utf8Content);
  if (line > all.size()) return {};
  return std::move(all[line - 1]);
}

}  // namespace aspm::correlate
