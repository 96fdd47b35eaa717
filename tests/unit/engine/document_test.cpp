// Document arithmetic: UTF-16 positions, incremental changes (as LSP clients send them) and the
// narrowing of whole-text replacements.
#include <gtest/gtest.h>

#include <random>

#include "engine/document.h"

namespace aspm::engine {
namespace {

std::string apply(std::string text, std::vector<TextChange> changes) {
  for (const auto& c : changes) {
    const support::LineIndex lines(text);
    text = applyChange(text, lines, c).text;
  }
  return text;
}

TextChange at(std::uint32_t l1, std::uint32_t c1, std::uint32_t l2, std::uint32_t c2, std::string text) {
  return TextChange{Range{{l1, c1}, {l2, c2}}, std::move(text)};
}

TEST(Document, Utf16PositionsCountSurrogatePairsAsTwo) {
  const std::string text = "a😀b\né\n";  // 😀 is two UTF-16 units and four bytes
  const support::LineIndex lines(text);
  EXPECT_EQ(byteOffset(text, lines, {0, 1}), 1u);
  EXPECT_EQ(byteOffset(text, lines, {0, 3}), 5u);  // after the emoji
  EXPECT_EQ(byteOffset(text, lines, {1, 1}), 9u);  // after é (two bytes)
  EXPECT_EQ(positionOf(text, lines, 5), (Position{0, 3}));
  // Past the end of a line clamps to the line end; past the last line to the text end.
  EXPECT_EQ(byteOffset(text, lines, {0, 99}), 6u);
  EXPECT_EQ(byteOffset(text, lines, {99, 0}), text.size());
}

TEST(Document, IncrementalChangesApplyInOrder) {
  EXPECT_EQ(apply("hello\nworld\n", {at(0, 0, 0, 5, "bye"), at(1, 0, 1, 0, ">> ")}), "bye\n>> world\n");
  EXPECT_EQ(apply("a😀b", {at(0, 1, 0, 3, "x")}), "axb");
  EXPECT_EQ(apply("one\ntwo\nthree\n", {at(0, 3, 2, 0, " ")}), "one three\n");
  EXPECT_EQ(apply("x", {at(5, 0, 9, 0, "!")}), "x!");  // positions past the end append
}

TEST(Document, WholeTextReplacementIsNarrowedToTheChange) {
  const std::string before = "line1\nline2\nline3\n";
  const support::LineIndex lines(before);
  const auto applied = applyChange(before, lines, TextChange{std::nullopt, "line1\nnew\nline2\nline3\n"});
  EXPECT_EQ(applied.text, "line1\nnew\nline2\nline3\n");
  EXPECT_EQ(applied.range.start, (Position{1, 0}));
  EXPECT_EQ(applied.range.end, (Position{1, 0}));
  EXPECT_EQ(applied.inserted, "new\n");
}

TEST(Document, MinimalDiffCutsOnCharacterBoundaries) {
  // "é" and "è" share their first byte; the cut must not split the sequence.
  const auto d = minimalDiff("xé", "xè");
  EXPECT_EQ(d.start, 1u);
  EXPECT_EQ(d.endBefore, 3u);
  EXPECT_EQ(d.endAfter, 3u);
}

// Line lengths derived edit by edit (what a keystroke costs in a large file) equal the lengths
// measured on the whole text, with multi-byte characters (UTF-16 lengths differ from bytes),
// CRLF line ends and edits that join and split lines.
TEST(Document, LinesAfterEditEqualAMeasureOfTheWholeText) {
  std::mt19937 rng(5);
  const std::string pieces[] = {"", "b", "\n", "\r\n", "\r", "\xC3\xA9\xC3\xA9", "\xF0\x9F\x98\x80", "x\ny\n", "\n\n"};
  OpenDocument doc;
  doc.setText("alpha\nbe\xE2\x82\xACta\r\ngamma\n\ndelta\n");
  for (int step = 0; step < 3000; ++step) {
    const std::string& text = doc.text;
    const std::size_t start = rng() % (text.size() + 1);
    const std::size_t end = start + rng() % (std::min<std::size_t>(text.size() - start, 10) + 1);
    const std::string& inserted = pieces[rng() % std::size(pieces)];
    std::string next = text.substr(0, start) + inserted + text.substr(end);
    EditedLines edited = linesAfterEdit(doc.lines, doc.lengths16, next, start, end, inserted.size());
    OpenDocument whole;
    whole.setText(next);
    ASSERT_EQ(edited.lengths16, whole.lengths16) << "step " << step;
    doc.setEditedText(std::move(next), std::move(edited.lines), std::move(edited.lengths16), false);
    if (doc.text.size() > 300) doc.setText(doc.text.substr(0, 80));
  }
}

}  // namespace
}  // namespace aspm::engine
