// UTF-8/UTF-16 conversions and line indexing: LSP positions depend on these being exact.
#include <gtest/gtest.h>

#include <random>

#include "support/text.h"

namespace aspm::support {
namespace {

TEST(Utf8, ValidatesWellFormedAndRejectsIllFormed) {
  EXPECT_TRUE(isValidUtf8("plain ascii"));
  EXPECT_TRUE(isValidUtf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));  // é € 😀
  EXPECT_FALSE(isValidUtf8("\xC0\xAF"));                              // overlong '/'
  EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));                          // surrogate
  EXPECT_FALSE(isValidUtf8("\xF4\x90\x80\x80"));                      // > U+10FFFF
  EXPECT_FALSE(isValidUtf8("abc\xE2\x82"));                           // truncated
}

TEST(Utf8, SanitizeReplacesEachBadByte) {
  EXPECT_EQ(sanitizeUtf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(sanitizeUtf8("ok"), "ok");
}

TEST(Utf16, CountsSurrogatePairsAsTwoUnits) {
  EXPECT_EQ(utf16Length("a\xF0\x9F\x98\x80" "b"), 4u);
  EXPECT_EQ(utf16Length("\xC3\xA9"), 1u);
}

TEST(Utf16, ColumnConversionsRoundTrip) {
  const std::string line = "x\xF0\x9F\x98\x80y\xC3\xA9z";  // x 😀 y é z
  EXPECT_EQ(byteOffsetOfUtf16Column(line, 0), 0u);
  EXPECT_EQ(byteOffsetOfUtf16Column(line, 1), 1u);
  EXPECT_EQ(byteOffsetOfUtf16Column(line, 2), 1u);  // inside the pair: stays before it
  EXPECT_EQ(byteOffsetOfUtf16Column(line, 3), 5u);
  EXPECT_EQ(byteOffsetOfUtf16Column(line, 4), 6u);
  EXPECT_EQ(byteOffsetOfUtf16Column(line, 5), 8u);
  EXPECT_EQ(byteOffsetOfUtf16Column(line, 99), line.size());
  EXPECT_EQ(utf16ColumnOfByteOffset(line, 5), 3u);
  EXPECT_EQ(utf16ColumnOfByteOffset(line, 8), 5u);
}

TEST(LineIndex, FindsLinesWithCrLfAndNoTrailingNewline) {
  const std::string text = "one\r\ntwo\nthree";
  LineIndex idx(text);
  ASSERT_EQ(idx.lineCount(), 3u);
  EXPECT_EQ(lineText(text, idx, 0), "one");
  EXPECT_EQ(lineText(text, idx, 1), "two");
  EXPECT_EQ(lineText(text, idx, 2), "three");
  EXPECT_EQ(lineText(text, idx, 3), "");
  EXPECT_EQ(idx.lineOf(0), 0u);
  EXPECT_EQ(idx.lineOf(5), 1u);
  EXPECT_EQ(idx.lineOf(9), 2u);
}

// The index derived edit by edit equals the index built from the text, over random edits that
// insert and delete newlines, CRLF pairs and multi-byte characters anywhere, the ends included.
TEST(LineIndex, AfterEditEqualsARebuild) {
  std::mt19937 rng(11);
  const std::string pieces[] = {"", "a", "\n", "\r\n", "x\ny", "\n\n", "\xC3\xA9", "line\n", "\xF0\x9F\x98\x80\n"};
  std::string text = "first\nsecond\r\nthird\n\nlast";
  LineIndex index(text);
  for (int step = 0; step < 3000; ++step) {
    const std::size_t start = rng() % (text.size() + 1);
    const std::size_t end = start + rng() % (std::min<std::size_t>(text.size() - start, 12) + 1);
    const std::string& inserted = pieces[rng() % std::size(pieces)];
    const std::string next = text.substr(0, start) + inserted + text.substr(end);
    const LineIndex derived = index.afterEdit(next, start, end, inserted.size());
    const LineIndex rebuilt(next);
    ASSERT_EQ(derived.lineCount(), rebuilt.lineCount()) << "step " << step;
    for (std::size_t l = 0; l <= rebuilt.lineCount(); ++l) ASSERT_EQ(derived.lineStart(l), rebuilt.lineStart(l)) << "step " << step;
    for (std::size_t o = 0; o <= next.size(); o += 3) ASSERT_EQ(derived.lineOf(o), rebuilt.lineOf(o));
    text = next;
    index = derived;
    if (text.size() > 400) {  // keep the text small enough for edits to hit its ends often
      text = text.substr(0, 100);
      index = LineIndex(text);
    }
  }
}

}  // namespace
}  // namespace aspm::support
