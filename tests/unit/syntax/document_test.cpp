// Incremental reparsing: a document edited through LSP-style changes has the same text, tokens
// and declarations as a fresh parse of the final text, and file types map to languages.
#include <gtest/gtest.h>

#include <random>

#include "syntax/anchor.h"
#include "syntax/document.h"

namespace aspm::syntax {
namespace {

void expectSameAsFreshParse(const Document& edited) {
  Document fresh(edited.language(), edited.text());
  const auto a = tokensOf(edited);
  const auto b = tokensOf(fresh);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].hash, b[i].hash) << i;
    EXPECT_EQ(a[i].line, b[i].line) << i;
  }
  const auto da = declarationsOf(edited);
  const auto db = declarationsOf(fresh);
  ASSERT_EQ(da.size(), db.size());
  for (std::size_t i = 0; i < da.size(); ++i) {
    EXPECT_EQ(da[i].name, db[i].name);
    EXPECT_EQ(da[i].startLine, db[i].startLine);
    EXPECT_EQ(da[i].endLine, db[i].endLine);
  }
  EXPECT_EQ(edited.hasErrors(), fresh.hasErrors());
}

TEST(Language, ByExtensionAndName) {
  EXPECT_EQ(languageForPath("src/a.c"), Language::C);
  EXPECT_EQ(languageForPath("inc/A.H"), Language::C);
  EXPECT_EQ(languageForPath("x/y.cpp"), Language::Cpp);
  EXPECT_EQ(languageForPath("x.cs"), Language::CSharp);
  EXPECT_EQ(languageForPath("main.go"), Language::Go);
  EXPECT_EQ(languageForPath("A.java"), Language::Java);
  EXPECT_EQ(languageForPath("a.mjs"), Language::JavaScript);
  EXPECT_EQ(languageForPath("a.ts"), Language::TypeScript);
  EXPECT_EQ(languageForPath("a.tsx"), Language::Tsx);
  EXPECT_EQ(languageForPath("a.py"), Language::Python);
  EXPECT_EQ(languageForPath("lib/Rakefile"), Language::Ruby);
  EXPECT_EQ(languageForPath("index.php"), Language::Php);
  EXPECT_EQ(languageForPath("lib.rs"), Language::Rust);
  EXPECT_EQ(languageForPath("ci/build.sh"), Language::Bash);
  EXPECT_EQ(languageForPath("main.tf"), Language::Hcl);
  EXPECT_EQ(languageForPath(".github/workflows/ci.yml"), Language::Yaml);
  EXPECT_EQ(languageForPath("package.json"), Language::Json);
  EXPECT_EQ(languageForPath("README"), std::nullopt);
  EXPECT_EQ(languageForPath(".gitignore"), std::nullopt);
  EXPECT_EQ(languageForPath("a.unknown"), std::nullopt);
  for (const Language l : allLanguages()) EXPECT_EQ(languageFromId(idOf(l)), l);
}

TEST(Document, AppliesRangeEditsIncrementally) {
  Document doc(Language::Python, "def f(x):\n    return eval(x)\n");
  // Insert a line above, then rename the function, in one batch.
  const TextChange changes[] = {
      {Range{{0, 0}, {0, 0}}, "import os\n\n"},
      {Range{{2, 4}, {2, 5}}, "evaluate"},
  };
  doc.apply(changes);
  EXPECT_EQ(doc.text(), "import os\n\ndef evaluate(x):\n    return eval(x)\n");
  EXPECT_EQ(doc.line(3), "    return eval(x)");
  EXPECT_EQ(scopeOf(doc, 3, 3), "evaluate");
  expectSameAsFreshParse(doc);
}

TEST(Document, FullReplacementAndUtf16Columns) {
  Document doc(Language::JavaScript, "let s = 'é😀'; run(s);\n");
  // "let s = 'é😀'; " is 15 UTF-16 units: é is 1, 😀 is 2.
  const TextChange change{Range{{0, 15}, {0, 18}}, "exec"};
  doc.apply(std::span(&change, 1));
  EXPECT_EQ(doc.text(), "let s = 'é😀'; exec(s);\n");
  expectSameAsFreshParse(doc);

  const TextChange whole{std::nullopt, "function g() {}\n"};
  doc.apply(std::span(&whole, 1));
  EXPECT_EQ(doc.text(), "function g() {}\n");
  expectSameAsFreshParse(doc);
}

TEST(Document, ClampsPositionsPastTheEnd) {
  Document doc(Language::C, "int a;\n");
  const TextChange change{Range{{99, 99}, {120, 0}}, "int b;\n"};
  doc.apply(std::span(&change, 1));
  EXPECT_EQ(doc.text(), "int a;\nint b;\n");
  expectSameAsFreshParse(doc);
}

// Random typing, deleting and pasting over real code: the incremental tree never drifts from a
// fresh parse.
TEST(Document, RandomEditsMatchFreshParse) {
  const std::string seed =
      "#include <stdio.h>\n\nstatic int count;\n\nint add(int a, int b) {\n  return a + b;\n}\n\n"
      "void log_it(const char *m) {\n  printf(m);\n  count++;\n}\n\nint main(void) {\n  log_it(\"x\");\n"
      "  return add(1, 2);\n}\n";
  const char* snippets[] = {"x", "\n", "  ", "{", "}", "int z = 0;\n", "/* c */", "strcpy(a, b);", "(", ";"};
  std::mt19937 rng(42);
  Document doc(Language::C, seed);
  for (int step = 0; step < 300; ++step) {
    const std::uint32_t lines = doc.lineCount();
    Position a{static_cast<std::uint32_t>(rng() % lines), static_cast<std::uint32_t>(rng() % 20)};
    Position b = a;
    if (rng() % 2) b = Position{std::min(lines - 1, a.line + static_cast<std::uint32_t>(rng() % 2)), static_cast<std::uint32_t>(rng() % 20)};
    if (b.line < a.line || (b.line == a.line && b.character < a.character)) std::swap(a, b);
    const TextChange change{Range{a, b}, (rng() % 3 == 0) ? "" : snippets[rng() % std::size(snippets)]};
    doc.apply(std::span(&change, 1));
    if (step % 25 == 0) expectSameAsFreshParse(doc);
  }
  expectSameAsFreshParse(doc);
}

// Each version made by edited() equals a fresh parse of its text, and the version it was made
// from is untouched (its text and tokens as before), as the editor's snapshots need.
TEST(Document, EditedCopiesMatchFreshParseAndLeaveTheOriginal) {
  const std::string seed =
      "def load(path):\n    with open(path) as f:\n        return yaml.load(f)\n\n"
      "class Store:\n    def put(self, key, value):\n        self.items[key] = value\n";
  const char* snippets[] = {"x", "\n", "    ", ":", "(", ")", "pass\n", "# c\n", "subprocess.call(cmd, shell=True)\n"};
  std::mt19937 rng(7);
  auto doc = std::make_unique<Document>(Language::Python, seed);
  for (int step = 0; step < 200; ++step) {
    const std::size_t size = doc->text().size();
    const std::size_t start = rng() % (size + 1);
    const std::size_t end = std::min(size, start + rng() % 6);
    const std::string inserted = (rng() % 3 == 0) ? "" : snippets[rng() % std::size(snippets)];
    const std::string textBefore = doc->text();
    const auto tokensBefore = tokensOf(*doc);
    auto next = std::make_unique<Document>(doc->edited(start, end, inserted));
    EXPECT_EQ(next->text(), textBefore.substr(0, start) + inserted + textBefore.substr(end));
    EXPECT_EQ(doc->text(), textBefore);
    const auto tokensAfter = tokensOf(*doc);
    ASSERT_EQ(tokensAfter.size(), tokensBefore.size());
    if (step % 20 == 0) expectSameAsFreshParse(*next);
    doc = std::move(next);
  }
  expectSameAsFreshParse(*doc);
  EXPECT_EQ(doc->lineCount(), Document(Language::Python, doc->text()).lineCount());
}

// A parse that runs over its budget is given up: no tree, overBudget() says so, and the next
// parse (an edit) starts afresh rather than resuming a stale state.
TEST(Document, ParsesOverBudgetAreGivenUp) {
  std::string errors;
  for (int i = 0; i < 40000; ++i) errors += "  buffer_" + std::to_string(i) + "[index] = compute(value, ) ) {;\n";
  const Document slow(Language::C, errors, std::chrono::microseconds(1));
  EXPECT_TRUE(slow.overBudget());
  EXPECT_FALSE(slow.hasTree());
  const Document again = slow.edited(0, 0, "int x;\n", std::chrono::microseconds(1));
  EXPECT_TRUE(again.overBudget());
  const Document small(Language::C, "int main(void) { return 0; }\n", std::chrono::seconds(10));
  EXPECT_FALSE(small.overBudget());
  ASSERT_TRUE(small.hasTree());
  const Document edited = small.edited(0, 0, "/* c */\n", std::chrono::seconds(10));
  EXPECT_FALSE(edited.overBudget());
  expectSameAsFreshParse(edited);
}

TEST(Document, OversizedTextIsKeptButNotParsed) {
  Document doc(Language::Json, std::string(Document::kMaxParseBytes + 1, ' '));
  EXPECT_FALSE(doc.hasTree());
  EXPECT_TRUE(tokensOf(doc).empty());
  EXPECT_TRUE(declarationsOf(doc).empty());
}

}  // namespace
}  // namespace aspm::syntax
