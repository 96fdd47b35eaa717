// GitHub primaryLocationLineHash vectors. The empty-file value is the one GitHub documents; the
// others were computed from the definition (a direct base-37 polynomial over each line's first
// 100 normalised UTF-16 units, not the rolling form used in the code), so the two formulations
// check each other. The same direct form reproduced all 14 primaryLocationLineHash values of a
// real CodeQL 2.22 log for a 129-line Python file (see docs/fingerprints.md).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "correlate/line_hash.h"

namespace aspm::correlate {
namespace {

using V = std::vector<std::string>;

TEST(LineHash, EmptyFileHasOneLine) { EXPECT_EQ(lineHashes(""), V{"c129715d7a2bc9a3:1"}); }

TEST(LineHash, SingleCharacterWithAndWithoutNewline) {
  EXPECT_EQ(lineHashes("a"), V{"53b5d4aabe50d64:1"});  // 15 digits: hex is not zero-padded
  EXPECT_EQ(lineHashes("a\n"), (V{"243cbaa4685aab12:1", "c129715d7a2bc9a3:1"}));
}

TEST(LineHash, LineEndingsAndBlanksAreNormalised) {
  const V expected{"feac1fe277999226:1", "ad7f17b98a6f5914:1", "c129715d7a2bc9a3:1"};
  EXPECT_EQ(lineHashes("int x = 1;\nreturn x;\n"), expected);
  EXPECT_EQ(lineHashes("int x = 1;\r\nreturn x;\r\n"), expected);
  EXPECT_EQ(lineHashes("  int\tx =  1 ;\n    return   x;\n"), expected);
}

TEST(LineHash, LoneCarriageReturnsEndLines) {
  EXPECT_EQ(lineHashes("a\rb\r"), (V{"81b8d8db678b2bbe:1", "ade70578248be16f:1", "c129715d7a2bc9a3:1"}));
  // A blank between CR and LF breaks the pair: the reference counts two line ends.
  EXPECT_EQ(lineHashes("a\r \nb"), (V{"67c066a59e652f5e:1", "cc4c43d77869440f:1", "8ee5a81e681643c1:1"}));
}

TEST(LineHash, CountsUtf16CodeUnits) {
  // U+1F600 is two UTF-16 units (a surrogate pair), U+00E9 one.
  EXPECT_EQ(lineHashes("x = \"\xF0\x9F\x98\x80\xC3\xA9\"\n"), (V{"bb4695a23c421abc:1", "c129715d7a2bc9a3:1"}));
}

TEST(LineHash, IllFormedUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(lineHashes("ok\xFF\xC3(\xE2\x82\n"), (V{"ed986000b3abb662:1", "c129715d7a2bc9a3:1"}));
}

TEST(LineHash, OnlyTheFirstHundredUnitsOfALineCount) {
  EXPECT_EQ(lineHashes(std::string(150, 'y') + "\n" + std::string(30, 'z')),
            (V{"cadd4b5b9d92c51c:1", "a9a784abc1468a8f:1"}));
  // Changing the 101st unit of a long first line does not change its hash.
  const auto a = lineHashes(std::string(100, 'y') + "A" + std::string(100, 'y'));
  const auto b = lineHashes(std::string(100, 'y') + "B" + std::string(100, 'y'));
  EXPECT_EQ(a.front(), b.front());
}

TEST(LineHash, IdenticalWindowsGetOccurrenceNumbers) {
  std::string text;
  for (int i = 0; i < 60; ++i) text += "x\n";
  const auto h = lineHashes(text);
  ASSERT_EQ(h.size(), 61u);
  EXPECT_EQ(h[0], "c0fe7b2700d6c254:1");
  EXPECT_EQ(h[1], "c0fe7b2700d6c254:2");
  EXPECT_EQ(h[10], "c0fe7b2700d6c254:11");
  EXPECT_EQ(h[11], "c0fe7b2700fbb0cd:1");  // the sentinel enters the window
  EXPECT_EQ(h[28], "b61d9c8611d01e3:1");
  EXPECT_EQ(h[60], "c129715d7a2bc9a3:1");
}

TEST(LineHash, PrimaryLocationPicksTheLine) {
  const std::string text = "int x = 1;\nreturn x;\n";
  EXPECT_EQ(primaryLocationLineHash(text, 2), "ad7f17b98a6f5914:1");
  EXPECT_EQ(primaryLocationLineHash(text, 0), "feac1fe277999226:1");  // no region: line 1
  EXPECT_EQ(primaryLocationLineHash(text, 9), "");
}

}  // namespace
}  // namespace aspm::correlate

namespace aspm::correlate {
namespace {

TEST(LineHash, SelectedLinesAgreeWithTheFullList) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += (i % 3 ? "x\n" : "  call(a, b);\r\n");
  const auto all = lineHashes(text);
  const auto some = lineHashesOf(text, {0, 2, 5, 41, 99});
  ASSERT_EQ(some.size(), 4u);  // line 0 counts as line 1; 99 is past the end
  EXPECT_EQ(some.at(1), all[0]);
  EXPECT_EQ(some.at(2), all[1]);
  EXPECT_EQ(some.at(41), all[40]);
  EXPECT_EQ(some.at(5), all[4]);
}

}  // namespace
}  // namespace aspm::correlate
