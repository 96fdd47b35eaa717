// Both location mappers keep findings on their code while the document is edited; the content
// mapper also brings them back on undo and follows code moved within the buffer.
#include <gtest/gtest.h>

#include "engine/location_mapper.h"

namespace aspm::engine {
namespace {

// A document under edit, with the mapping the workspace would keep for it.
class Buffer {
 public:
  explicit Buffer(const LocationMapper& mapper, std::string text, std::string disk = "")
      : mapper_(mapper), text_(std::move(text)) {
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
  const LocationMapper& mapper_;
  std::string text_;
  std::shared_ptr<const DocumentMapping> mapping_;
};

const char* const kText = "l0\nl1\nl2\nl3\nl4\n";

// The behaviours both mappers share run against each.
class BothMappers : public ::testing::TestWithParam<std::string> {
 protected:
  const LocationMapper& mapper() const {
    static const EditShiftMapper shift;
    static const ContentMapper content;
    return GetParam() == "shift" ? static_cast<const LocationMapper&>(shift) : content;
  }
};
INSTANTIATE_TEST_SUITE_P(Mappers, BothMappers, ::testing::Values("shift", "content"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST_P(BothMappers, LinesInsertedAboveMoveFindingsDown) {
  Buffer b(mapper(), kText);
  b.change(1, 0, 1, 0, "new a\nnew b\n");
  EXPECT_EQ(b.line(0), 0);
  EXPECT_EQ(b.line(1), 3);
  EXPECT_EQ(b.line(4), 6);
}

TEST_P(BothMappers, EnterAtEndOfPreviousLineMovesTheNextDown) {
  Buffer b(mapper(), kText);
  b.change(0, 2, 0, 2, "\n");
  EXPECT_EQ(b.line(0), 0);
  EXPECT_EQ(b.line(1), 2);
}

TEST_P(BothMappers, DeletedLinesTakeTheirFindingsAway) {
  Buffer b(mapper(), kText);
  b.change(1, 0, 3, 0, "");  // delete l1 and l2
  EXPECT_EQ(b.text(), "l0\nl3\nl4\n");
  EXPECT_EQ(b.line(0), 0);
  EXPECT_EQ(b.line(1), -1);
  EXPECT_EQ(b.line(2), -1);
  EXPECT_EQ(b.line(3), 1);
  EXPECT_EQ(b.line(4), 2);
}

TEST_P(BothMappers, EditingWithinALineKeepsIt) {
  Buffer b(mapper(), kText);
  b.change(2, 1, 2, 1, "XYZ");  // typing inside the line
  b.change(2, 0, 2, 0, "  ");
  EXPECT_EQ(b.line(2), 2);
  EXPECT_EQ(b.line(3), 3);
}

TEST_P(BothMappers, JoiningLinesKeepsBothOnTheJoinedLine) {
  Buffer b(mapper(), kText);
  b.change(1, 2, 2, 0, " ");  // "l1 l2"
  EXPECT_EQ(b.text(), "l0\nl1 l2\nl3\nl4\n");
  EXPECT_EQ(b.line(1), 1);
  EXPECT_EQ(b.line(2), 1);
  EXPECT_EQ(b.line(3), 2);
}

TEST_P(BothMappers, ReplacingAWholeLineRangeRemovesItsFindings) {
  Buffer b(mapper(), kText);
  b.change(1, 0, 2, 2, "rewritten");  // l1 and l2's text replaced by one line
  EXPECT_EQ(b.text(), "l0\nrewritten\nl3\nl4\n");
  EXPECT_EQ(b.line(1), -1);
  EXPECT_EQ(b.line(2), -1);
  EXPECT_EQ(b.line(3), 2);
}

TEST_P(BothMappers, ManyEditsCompose) {
  Buffer b(mapper(), kText);
  for (int i = 0; i < 100; ++i) b.change(0, 0, 0, 0, "// header\n");
  b.change(50, 0, 60, 0, "");
  EXPECT_EQ(b.line(0), 90);
  EXPECT_EQ(b.line(4), 94);
  for (int i = 0; i < 90; ++i) b.change(0, 0, 1, 0, "");
  EXPECT_EQ(b.line(0), 0);
  EXPECT_EQ(b.line(4), 4);
  EXPECT_EQ(b.text(), kText);
}

TEST_P(BothMappers, WholeTextSyncShiftsToo) {
  Buffer b(mapper(), kText);
  b.change(TextChange{std::nullopt, "l0\ninserted\nl1\nl2\nl3\nl4\n"});
  EXPECT_EQ(b.line(0), 0);
  EXPECT_EQ(b.line(1), 2);
  EXPECT_EQ(b.line(4), 5);
}

TEST_P(BothMappers, UnsavedBufferAtOpenIsTakenAsAnEdit) {
  Buffer b(mapper(), "top\nl0\nl1\nl2\nl3\nl4\n", kText);
  EXPECT_EQ(b.line(0), 1);
  EXPECT_EQ(b.line(4), 5);
}

TEST_P(BothMappers, MultiLineFindingSpansItsSurvivingLines) {
  Buffer b(mapper(), kText);
  b.change(1, 0, 2, 0, "");  // delete l1
  auto r = b.map(Range{{1, 1}, {3, 2}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->start, (Position{1, 0}));  // starts at l2 (now line 1), from its first column
  EXPECT_EQ(r->end, (Position{2, 2}));
  EXPECT_FALSE(b.map(Range{{1, 0}, {1, 2}}));
}

TEST(ContentMapper, UndoingADeletionBringsTheFindingBack) {
  ContentMapper m;
  Buffer b(m, kText);
  b.change(1, 0, 3, 0, "");
  EXPECT_EQ(b.line(1), -1);
  EXPECT_EQ(b.line(2), -1);
  b.change(1, 0, 1, 0, "l1\nl2\n");  // what an editor's undo sends
  EXPECT_EQ(b.text(), kText);
  EXPECT_EQ(b.line(1), 1);
  EXPECT_EQ(b.line(2), 2);
}

TEST(ContentMapper, RetypingTheSameCodeBringsItBackToo) {
  ContentMapper m;
  Buffer b(m, "int a;\nstrcpy(buf, input);\nreturn 0;\n");
  b.change(1, 0, 2, 0, "");
  EXPECT_EQ(b.line(1), -1);
  b.change(1, 0, 1, 0, "\n");  // a new empty line, then the code typed back one key at a time
  const std::string code = "strcpy(buf, input);";
  for (std::uint32_t i = 0; i < code.size(); ++i) b.change(1, i, 1, i, code.substr(i, 1));
  EXPECT_EQ(b.text(), "int a;\nstrcpy(buf, input);\nreturn 0;\n");
  EXPECT_EQ(b.line(1), 1);
  EXPECT_EQ(b.line(2), 2);
}

TEST(ContentMapper, CodeCutAndPastedElsewhereIsFollowed) {
  ContentMapper m;
  const std::string text = "void a() {\n  x();\n}\nvoid b() {\n  system(cmd);\n}\nvoid c() {\n  y();\n}\n";
  Buffer b(m, text);
  b.change(3, 0, 6, 0, "");                                // cut b()
  b.change(6, 0, 6, 0, "void b() {\n  system(cmd);\n}\n");  // paste it after c()
  EXPECT_EQ(b.text(), "void a() {\n  x();\n}\nvoid c() {\n  y();\n}\nvoid b() {\n  system(cmd);\n}\n");
  EXPECT_EQ(b.line(4), 7);  // the finding on system(cmd) moved with its function
  EXPECT_EQ(b.line(7), 4);  // c()'s body moved up by the cut
}

TEST(ContentMapper, ReindentingAndReflowingKeepsTheLine) {
  ContentMapper m;
  Buffer b(m, "if (x)\n  eval(s);\nend\n");
  b.change(TextChange{std::nullopt, "if (x) {\n    // checked\n    eval(s);\n}\nend\n"});
  EXPECT_EQ(b.line(1), 2);
  EXPECT_EQ(b.line(2), 4);
}

TEST(ContentMapper, ARewrittenLineIsGoneButAnAnnotatedOneStays) {
  ContentMapper m;
  Buffer b(m, "a();\nstrcpy(dst, src);\nb();\n");
  b.change(1, 17, 1, 17, " // reviewed");
  EXPECT_EQ(b.line(1), 1);
  b.change(TextChange{std::nullopt, "a();\nmemcpy_s(out, n, in, m);\nb();\n"});
  EXPECT_EQ(b.line(1), -1);
  EXPECT_EQ(b.line(2), 2);
}

TEST(ContentMapper, AmbiguousMovesAreNotGuessed) {
  ContentMapper m;
  Buffer b(m, "x\nfree(p);\ny\n");
  // The line is deleted and two copies of it appear elsewhere: neither is taken.
  b.change(TextChange{std::nullopt, "free(p);\nx\ny\nfree(p);\n"});
  EXPECT_EQ(b.line(0), 1);
  EXPECT_EQ(b.line(2), 2);
  EXPECT_EQ(b.line(1), -1);
}

}  // namespace
}  // namespace aspm::engine
