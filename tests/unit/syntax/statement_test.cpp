// The enclosing statement on real snippets in several grammars: one multi-line call is one
// statement from its first line to its last argument, nested bodies are statements of their own,
// and positions that belong to no statement head (block braces, `else`, comments, blank lines)
// have none.
#include <gtest/gtest.h>

#include "syntax/statement.h"

namespace aspm::syntax {
namespace {

// 0-based line of the first line containing `needle`.
std::uint32_t lineOf(const Document& doc, std::string_view needle) {
  for (std::uint32_t i = 0; i < doc.lineCount(); ++i)
    if (doc.line(i).find(needle) != std::string_view::npos) return i;
  ADD_FAILURE() << "no line contains " << needle;
  return 0;
}

// The statement head's lines (0-based) at the first line containing `needle`; {-1,-1} for none.
std::pair<int, int> headAt(const Document& doc, std::string_view needle, std::optional<std::uint32_t> column = std::nullopt) {
  const auto s = enclosingStatement(doc, lineOf(doc, needle), column);
  if (!s) return {-1, -1};
  return {static_cast<int>(s->startLine), static_cast<int>(s->endLine)};
}

constexpr std::pair<int, int> kNone{-1, -1};

TEST(Statement, MultiLineCallIsOneStatementInC) {
  const Document doc(Language::C,
                     "#include <stdlib.h>\n"          // 0
                     "void run(const char *user) {\n"  // 1
                     "  char cmd[64];\n"               // 2
                     "  system(\n"                     // 3
                     "      /* the caller's\n"         // 4
                     "         words */\n"             // 5
                     "      \"echo \"\n"               // 6
                     "      \"hello\",\n"              // 7
                     "      user);\n"                  // 8
                     "  cmd[0] = 0;\n"                 // 9
                     "}\n");
  ASSERT_FALSE(doc.hasErrors());
  EXPECT_EQ(headAt(doc, "system("), std::make_pair(3, 8));
  EXPECT_EQ(headAt(doc, "user);"), std::make_pair(3, 8));
  EXPECT_EQ(headAt(doc, "\"hello\""), std::make_pair(3, 8));
  EXPECT_EQ(headAt(doc, "cmd[0]"), std::make_pair(9, 9));
  EXPECT_EQ(headAt(doc, "char cmd"), std::make_pair(2, 2));
  // The function's head is its signature, not its body.
  EXPECT_EQ(headAt(doc, "void run"), std::make_pair(1, 1));
  // A comment line and the closing brace belong to no statement head.
  EXPECT_EQ(headAt(doc, "words */"), kNone);
  EXPECT_EQ(headAt(doc, "}"), kNone);
}

TEST(Statement, ColumnsSeparateStatementsOnOneLine) {
  const Document doc(Language::C, "void f(char *a, const char *b) {\n  a[0] = 0; strcpy(a, b);\n}\n");
  const auto first = enclosingStatement(doc, 1, 2);
  const auto second = enclosingStatement(doc, 1, 12);
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->startByte, second->startByte);
  // Without a column the line's first statement counts; a column on blank space does too.
  EXPECT_EQ(enclosingStatement(doc, 1)->startByte, first->startByte);
  EXPECT_EQ(enclosingStatement(doc, 1, 11)->startByte, first->startByte);
}

TEST(Statement, NestedBodiesAreTheirOwnStatements) {
  const Document doc(Language::C,
                     "int g(int x) {\n"       // 0
                     "  if (x > 1 &&\n"       // 1
                     "      x < 9) {\n"       // 2
                     "    x = 2;\n"           // 3
                     "  } else {\n"           // 4
                     "    x = 3;\n"           // 5
                     "  }\n"                  // 6
                     "  do {\n"               // 7
                     "    x--;\n"             // 8
                     "  } while (x > 0);\n"   // 9
                     "  if (x)\n"             // 10
                     "    x++;\n"             // 11
                     "  return x;\n"          // 12
                     "}\n");
  ASSERT_FALSE(doc.hasErrors());
  EXPECT_EQ(headAt(doc, "if (x > 1"), std::make_pair(1, 2));
  EXPECT_EQ(headAt(doc, "x < 9"), std::make_pair(1, 2));
  EXPECT_EQ(headAt(doc, "x = 2"), std::make_pair(3, 3));
  EXPECT_EQ(headAt(doc, "x = 3"), std::make_pair(5, 5));
  EXPECT_EQ(headAt(doc, "} else"), kNone);
  EXPECT_EQ(headAt(doc, "} while"), kNone);
  // An unbraced body is a statement of its own, not part of the `if` header.
  EXPECT_EQ(headAt(doc, "if (x)"), std::make_pair(10, 10));
  EXPECT_EQ(headAt(doc, "x++"), std::make_pair(11, 11));
}

TEST(Statement, PythonAndJavaScript) {
  const Document py(Language::Python,
                    "import subprocess\n"                // 0
                    "def run(cmd):\n"                    // 1
                    "    subprocess.call(\n"             // 2
                    "        cmd,\n"                     // 3
                    "        shell=True,\n"              // 4
                    "    )\n"                            // 5
                    "    return 0\n");                   // 6
  ASSERT_FALSE(py.hasErrors());
  EXPECT_EQ(headAt(py, "subprocess.call("), std::make_pair(2, 5));
  EXPECT_EQ(headAt(py, "shell=True"), std::make_pair(2, 5));
  EXPECT_EQ(headAt(py, "def run"), std::make_pair(1, 1));
  EXPECT_EQ(headAt(py, "return 0"), std::make_pair(6, 6));

  const Document js(Language::JavaScript,
                    "function h(req) {\n"                       // 0
                    "  const q = db.query(\n"                   // 1
                    "    'SELECT * FROM t WHERE id = ' +\n"     // 2
                    "      req.id);\n"                          // 3
                    "  return q;\n"                             // 4
                    "}\n");
  ASSERT_FALSE(js.hasErrors());
  EXPECT_EQ(headAt(js, "db.query("), std::make_pair(1, 3));
  EXPECT_EQ(headAt(js, "req.id"), std::make_pair(1, 3));
  EXPECT_EQ(headAt(js, "return q"), std::make_pair(4, 4));
}

TEST(Statement, BoundsAndBadPositions) {
  std::string big = "int t[] = {\n";
  for (int i = 0; i < 80; ++i) big += "  " + std::to_string(i) + ",\n";
  big += "};\nint u = 1;\n";
  const Document doc(Language::C, big);
  // A head longer than kMaxStatementLines is not a unit two reports should share.
  EXPECT_EQ(headAt(doc, "  40,"), kNone);
  EXPECT_EQ(headAt(doc, "int u"), std::make_pair(82, 82));
  EXPECT_FALSE(enclosingStatement(doc, 10'000));
  EXPECT_FALSE(enclosingStatement(doc, 83, 500));  // past the end of the text
  const Document empty(Language::C, "");
  EXPECT_FALSE(enclosingStatement(empty, 0));
  const Document blank(Language::Python, "x = 1\n\n   \ny = 2\n");
  EXPECT_FALSE(enclosingStatement(blank, 1));
  EXPECT_FALSE(enclosingStatement(blank, 2));
}

}  // namespace
}  // namespace aspm::syntax
