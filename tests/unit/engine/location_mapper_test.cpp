// The edit-shift mapper keeps findings on their code while the document is edited.
#include <gtest/gtest.h>

#include "engine/location_mapper.h"

namespace aspm::engine {
namespace {

// A document under edit, with the mapping the workspace would keep for it.
class Buffer {
 public:
  explicit Buffer(std::string text, std::string disk = "") : text_(std::move(text)) {
    mapping_ = mapper_.open("f.c", disk.empty() ? text_ : disk, text_);
  }
  void change(std::uint32_t l1, std::uint32_t c1, std::uint32_t l2, std::uint32_t c2, std::string_view inserted) {
    change(TextChange{Range{{l1, c1}, {l2, c2}}, std::string(inserted)});
  }
  void change(const TextChange& c) {
    const support::LineIndex lines(text_);
    AppliedChange applied = applyChange(text_, lines, c);
    Edit e;
    e.range = applied.range;
    e.startByte = applied.startByte;
    e.endByte = applied.endByte;
    e.newText = applied.inserted;
    e.before = text_;
    e.after = applied.text;
    mapping_ = mapper_.edit(mapping_, e);
    text_ = std::move(applied.text);
  }
  // The buffer line of a disk line, or -1 when its code is gone.
  int line(std::uint32_t diskLine) const {
    auto r = mapping_->map(Range{{diskLine, 2}, {diskLine, 5}});
    return r ? static_cast<int>(r->start.line) : -1;
  }
  std::optional<Range> map(Range r) const { return mapping_->map(r); }
  const std::string& text() const { return text_; }

 private:
  EditShiftMapper mapper_;
  std::string text_;
  std::shared_ptr<const DocumentMapping> mapping_;
};

const char* const kText = "l0\nl1\nl2\nl3\nl4\n";

TEST(EditShift, LinesInsertedAboveMoveFindingsDown) {
  Buffer b(kText);
  b.change(1, 0, 1, 0, "new a\nnew b\n");
  EXPECT_EQ(b.line(0), 0);
  EXPECT_EQ(b.line(1), 3);
  EXPECT_EQ(b.line(4), 6);
}

TEST(EditShift, EnterAtEndOfPreviousLineMovesTheNextDown) {
  Buffer b(kText);
  b.change(0, 2, 0, 2, "\n");
  EXPECT_EQ(b.line(0), 0);
  EXPECT_EQ(b.line(1), 2);
}

TEST(EditShift, DeletedLinesTakeTheirFindingsAway) {
  Buffer b(kText);
  b.change(1, 0, 3, 0, "");  // delete l1 and l2
  EXPECT_EQ(b.text(), "l0\nl3\nl4\n");
  EXPECT_EQ(b.line(0), 0);
  EXPECT_EQ(b.line(1), -1);
  EXPECT_EQ(b.line(2), -1);
  EXPECT_EQ(b.line(3), 1);
  EXPECT_EQ(b.line(4), 2);
}

TEST(EditShift, EditingWithinALineKeepsIt) {
  Buffer b(kText);
  b.change(2, 1, 2, 2, "XYZ");
  b.change(2, 0, 2, 0, "  ");
  EXPECT_EQ(b.line(2), 2);
  EXPECT_EQ(b.line(3), 3);
}

TEST(EditShift, JoiningLinesKeepsBothOnTheJoinedLine) {
  Buffer b(kText);
  b.change(1, 2, 2, 0, " ");  // "l1 l2"
  EXPECT_EQ(b.text(), "l0\nl1 l2\nl3\nl4\n");
  EXPECT_EQ(b.line(1), 1);
  EXPECT_EQ(b.line(2), 1);
  EXPECT_EQ(b.line(3), 2);
}

TEST(EditShift, ReplacingAWholeLineRangeRemovesItsFindings) {
  Buffer b(kText);
  b.change(1, 0, 2, 2, "rewritten");  // l1 and l2's text replaced by one line
  EXPECT_EQ(b.text(), "l0\nrewritten\nl3\nl4\n");
  EXPECT_EQ(b.line(1), -1);
  EXPECT_EQ(b.line(2), -1);
  EXPECT_EQ(b.line(3), 2);
}

TEST(EditShift, ManyEditsCompose) {
  Buffer b(kText);
  for (int i = 0; i < 100; ++i) b.change(0, 0, 0, 0, "// header\n");
  b.change(50, 0, 60, 0, "");
  EXPECT_EQ(b.line(0), 90);
  EXPECT_EQ(b.line(4), 94);
  for (int i = 0; i < 90; ++i) b.change(0, 0, 1, 0, "");
  EXPECT_EQ(b.line(0), 0);
  EXPECT_EQ(b.line(4), 4);
  EXPECT_EQ(b.text(), kText);
}

TEST(EditShift, WholeTextSyncShiftsToo) {
  Buffer b(kText);
  b.change(TextChange{std::nullopt, "l0\ninserted\nl1\nl2\nl3\nl4\n"});
  EXPECT_EQ(b.line(0), 0);
  EXPECT_EQ(b.line(1), 2);
  EXPECT_EQ(b.line(4), 5);
}

TEST(EditShift, UnsavedBufferAtOpenIsTakenAsAnEdit) {
  Buffer b("top\nl0\nl1\nl2\nl3\nl4\n", kText);
  EXPECT_EQ(b.line(0), 1);
  EXPECT_EQ(b.line(4), 5);
}

TEST(EditShift, MultiLineFindingSpansItsSurvivingLines) {
  Buffer b(kText);
  b.change(1, 0, 2, 0, "");  // delete l1
  auto r = b.map(Range{{1, 1}, {3, 2}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->start, (Position{1, 0}));  // starts at l2 (now line 1), from its first column
  EXPECT_EQ(r->end, (Position{2, 2}));
  EXPECT_FALSE(b.map(Range{{1, 0}, {1, 2}}));
}

}  // namespace
}  // namespace aspm::engine
