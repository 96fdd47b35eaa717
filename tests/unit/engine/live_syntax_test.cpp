// Findings whose statement is reflowed in the editor: no line keeps enough of the statement's
// text for the line comparison, so the content mapper finds the statement by its tokens in the
// buffer's syntax tree (made on first need, then reparsed incrementally on every edit). Deleted
// code stays gone, undo brings it back, and twins or two candidates are never guessed between.
#include <gtest/gtest.h>

#include <string>

#include "engine/document.h"
#include "engine/location_mapper.h"

namespace aspm::engine {
namespace {

const char* const kDisk =
    "#include <string.h>\n"                  // 0
    "\n"                                     // 1
    "int copy(char *dst, const char *src) {\n"  // 2
    "  int n = 0;\n"                         // 3
    "  strcpy(dst, src);\n"                  // 4  the finding
    "  n = strlen(dst);\n"                   // 5
    "  return n;\n"                          // 6
    "}\n"                                    // 7
    "\n"                                     // 8
    "void twin(char *dst, const char *src) {\n"  // 9
    "  strcpy(dst, src);\n"                  // 10 the same statement elsewhere
    "}\n";                                   // 11

// A buffer edited step by step through one mapper, as the workspace does it.
class Buffer {
 public:
  Buffer(const LocationMapper& mapper, std::string path) : mapper_(mapper), text_(kDisk) {
    mapping_ = mapper_.open(path, kDisk, text_);
  }
  // Replaces the bytes [start, end) of the current text.
  void replace(std::size_t start, std::size_t end, std::string inserted) {
    const support::LineIndex lines(text_);
    Edit e;
    e.range = Range{positionOf(text_, lines, start), positionOf(text_, lines, end)};
    e.startByte = start;
    e.endByte = end;
    e.newText = inserted;
    std::string after = text_.substr(0, start) + inserted + text_.substr(end);
    e.before = text_;
    e.after = after;
    mapping_ = mapper_.edit(mapping_, e);
    text_ = std::move(after);
  }
  void replace(std::string_view what, std::string by) {
    const std::size_t at = text_.find(what);
    ASSERT_NE(at, std::string::npos) << what;
    replace(at, at + what.size(), std::move(by));
  }
  std::optional<Range> map(std::uint32_t line) const { return mapping_->map(Range{{line, 2}, {line, 19}}, text_); }
  const std::string& text() const { return text_; }

 private:
  const LocationMapper& mapper_;
  std::string text_;
  std::shared_ptr<const DocumentMapping> mapping_;
};

TEST(LiveSyntax, AReflowedStatementIsFoundByItsTokens) {
  ContentMapper mapper;
  Buffer plain(mapper, "notes.txt");  // no grammar: the line comparison alone
  Buffer c(mapper, "src/copy.c");
  for (Buffer* b : {&plain, &c}) b->replace("  strcpy(dst, src);\n  n =", "  strcpy(\n      dst,\n      src);\n  n =");
  EXPECT_EQ(plain.map(4), std::nullopt);  // no line kept enough of the statement's text
  const auto placed = c.map(4);
  ASSERT_TRUE(placed);
  EXPECT_EQ(placed->start.line, 4u);
  EXPECT_EQ(placed->start.character, 2u);  // the statement's first token
  EXPECT_EQ(placed->end.line, 6u);
  // The twin and the lines around keep their places.
  EXPECT_EQ(c.map(10)->start.line, 12u);
  EXPECT_EQ(c.map(5)->start.line, 7u);

  // Edits go on incrementally from the version that has a tree: lines typed above move it.
  c.replace(0, 0, "/* header */\n\n");
  ASSERT_TRUE(c.map(4));
  EXPECT_EQ(c.map(4)->start.line, 6u);
  EXPECT_EQ(c.map(4)->end.line, 8u);
  // A comment inside the statement is not a token: still the same statement.
  c.replace("      dst,\n", "      dst, /* destination */\n");
  ASSERT_TRUE(c.map(4));
  EXPECT_EQ(c.map(4)->start.line, 6u);
}

// The workspace edits a document's mapping and its saved-text mapping with the same edit; the
// second shares the first's tree, and both place the statement.
TEST(LiveSyntax, TwoMappingsOfOneBufferEditedTogether) {
  ContentMapper mapper;
  std::string text = kDisk;
  auto current = mapper.open("src/copy.c", kDisk, text);
  auto saved = mapper.open("src/copy.c", kDisk, text);
  auto edit = [&](std::string_view what, const std::string& by) {
    const std::size_t at = text.find(what);
    ASSERT_NE(at, std::string::npos);
    const support::LineIndex lines(text);
    std::string after = text.substr(0, at) + by + text.substr(at + what.size());
    Edit e{Range{positionOf(text, lines, at), positionOf(text, lines, at + what.size())}, at, at + what.size(), by, text, after};
    current = mapper.edit(current, e);
    saved = mapper.edit(saved, e);
    text = std::move(after);
  };
  edit("  strcpy(dst, src);\n  n =", "  strcpy(\n      dst,\n      src);\n  n =");
  ASSERT_TRUE(current->map(Range{{4, 2}, {4, 19}}, text));
  ASSERT_TRUE(saved->map(Range{{4, 2}, {4, 19}}, text));
  edit("#include", "/* x */\n#include");
  for (const auto& m : {current, saved}) {
    const auto r = m->map(Range{{4, 2}, {4, 19}}, text);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->start.line, 5u);
    EXPECT_EQ(r->end.line, 7u);
  }
}

TEST(LiveSyntax, DeletedCodeStaysGoneAndUndoBringsItBack) {
  ContentMapper mapper;
  Buffer c(mapper, "src/copy.c");
  c.replace("  strcpy(dst, src);\n  n =", "  strcpy(\n      dst,\n      src);\n  n =");
  ASSERT_TRUE(c.map(4));
  c.replace("  strcpy(\n      dst,\n      src);\n", "");
  EXPECT_EQ(c.map(4), std::nullopt);  // the twin in twin() is its own line, not this one
  EXPECT_EQ(c.map(10)->start.line, 9u);
  c.replace("  n = strlen", "  strcpy(\n      dst,\n      src);\n  n = strlen");
  ASSERT_TRUE(c.map(4));
  EXPECT_EQ(c.map(4)->start.line, 4u);
  c.replace("  strcpy(\n      dst,\n      src);\n", "  strcpy(dst, src);\n");
  ASSERT_TRUE(c.map(4));
  EXPECT_EQ(c.map(4)->start.line, 4u);
  EXPECT_EQ(c.text(), kDisk);
}

TEST(LiveSyntax, TwoCandidatesAreNotGuessedBetween) {
  ContentMapper mapper;
  Buffer c(mapper, "src/copy.c");
  c.replace("  strcpy(dst, src);\n  n =", "  strcpy(\n    dst, src);\n  strcpy(\n    dst,\n    src);\n  n =");
  EXPECT_EQ(c.map(4), std::nullopt);
  // One of them removed: the other is the statement.
  c.replace("  strcpy(\n    dst, src);\n", "");
  ASSERT_TRUE(c.map(4));
  EXPECT_EQ(c.map(4)->start.line, 4u);
  EXPECT_EQ(c.map(4)->end.line, 6u);
  // Too few tokens to go by: a lost `return n;` (3 tokens: return, n, ;) is placed, a lone
  // brace is not looked for.
  Buffer d(mapper, "src/copy.c");
  d.replace("  return n;\n", "  return\n    n;\n");
  ASSERT_TRUE(d.map(6));
  EXPECT_EQ(d.map(6)->start.line, 6u);
}

}  // namespace
}  // namespace aspm::engine
