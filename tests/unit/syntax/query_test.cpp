// The embedded queries: every file compiles against its grammar, errors name file:line:column,
// predicates filter, and cursors stay bounded.
#include <gtest/gtest.h>

#include "syntax/query.h"

namespace aspm::syntax {
namespace {

TEST(Query, EveryEmbeddedQueryCompiles) {
  for (const auto& e : queryErrors()) ADD_FAILURE() << e.describe();
}

TEST(Query, EveryLanguageHasAllFourKinds) {
  for (const Language l : allLanguages()) {
    for (const QueryKind k : {QueryKind::Declarations, QueryKind::Imports, QueryKind::Calls, QueryKind::Comments})
      EXPECT_NE(queryFor(l, k), nullptr) << idOf(l) << "/" << idOf(k);
  }
}

TEST(Query, ErrorsNameFileLineAndColumn) {
  const auto bad = compileQuery(Language::Python, "(call)\n  (no_such_node) @x\n", "q/test.scm");
  ASSERT_EQ(bad.query, nullptr);
  EXPECT_EQ(bad.error.file, "q/test.scm");
  EXPECT_EQ(bad.error.line, 2u);
  EXPECT_EQ(bad.error.column, 4u);
  EXPECT_EQ(bad.error.describe(), "q/test.scm:2:4: invalid node type 'no_such_node'");

  const auto syntaxError = compileQuery(Language::C, "(call_expression", "s.scm");
  ASSERT_EQ(syntaxError.query, nullptr);
  EXPECT_EQ(syntaxError.error.line, 1u);

  const auto badPredicate = compileQuery(Language::C, "((identifier) @i (#frobnicate? @i \"x\"))", "p.scm");
  ASSERT_EQ(badPredicate.query, nullptr);
  EXPECT_NE(badPredicate.error.message.find("#frobnicate?"), std::string::npos);
}

TEST(Query, PredicatesFilterMatches) {
  Document doc(Language::JavaScript, "const a = require('lodash');\nconst b = other('x');\nimport c from 'express';\n");
  const Query* imports = queryFor(Language::JavaScript, QueryKind::Imports);
  ASSERT_NE(imports, nullptr);
  const auto run = runQuery(*imports, doc);
  std::vector<std::string> sources;
  for (const auto& m : run.matches)
    for (const auto& c : m.captures)
      if (c.name == "import.source") sources.push_back(doc.text().substr(c.startByte, c.endByte - c.startByte));
  EXPECT_EQ(sources, (std::vector<std::string>{"lodash", "express"}));
}

TEST(Query, CursorIsBoundedByRangeAndCount) {
  std::string src;
  for (int i = 0; i < 500; ++i) src += "f" + std::to_string(i) + "();\n";
  Document doc(Language::C, "void g(void) {\n" + src + "}\n");
  const Query* calls = queryFor(Language::C, QueryKind::Calls);
  ASSERT_NE(calls, nullptr);
  EXPECT_EQ(runQuery(*calls, doc).matches.size(), 500u);

  QueryLimits ranged;
  ranged.startByte = static_cast<std::uint32_t>(doc.offsetOf({11, 0}));
  ranged.endByte = static_cast<std::uint32_t>(doc.offsetOf({13, 0}));
  EXPECT_EQ(runQuery(*calls, doc, ranged).matches.size(), 2u);

  QueryLimits capped;
  capped.maxMatches = 10;
  const auto run = runQuery(*calls, doc, capped);
  EXPECT_EQ(run.matches.size(), 10u);
  EXPECT_TRUE(run.truncated);
}

TEST(Query, WrongLanguageDocumentGivesNothing) {
  Document doc(Language::Python, "print(1)\n");
  EXPECT_TRUE(runQuery(*queryFor(Language::C, QueryKind::Calls), doc).matches.empty());
}

}  // namespace
}  // namespace aspm::syntax
