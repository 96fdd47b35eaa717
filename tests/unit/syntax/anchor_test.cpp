// Anchors on real snippets: the enclosing declaration is named, and the token hash ignores
// whitespace, line breaks and comments but not code.
#include <gtest/gtest.h>

#include "syntax/anchor.h"

namespace aspm::syntax {
namespace {

// 0-based line of the first line containing `needle`.
std::uint32_t lineOf(const Document& doc, std::string_view needle) {
  for (std::uint32_t i = 0; i < doc.lineCount(); ++i)
    if (doc.line(i).find(needle) != std::string_view::npos) return i;
  ADD_FAILURE() << "no line contains " << needle;
  return 0;
}

std::string scopeAt(Language lang, const std::string& src, std::string_view needle) {
  Document doc(lang, src);
  EXPECT_FALSE(doc.hasErrors()) << src;
  const auto l = lineOf(doc, needle);
  const std::string viaAll = scopeOf(declarationsOf(doc), l, l);
  EXPECT_EQ(viaAll, scopeOf(doc, l, l)) << "ranged and whole-file declarations disagree";
  return viaAll;
}

TEST(Anchor, ScopesNameTheEnclosingDeclarations) {
  EXPECT_EQ(scopeAt(Language::Python,
                    "import os\n\nclass Handler:\n    def run(self, cmd):\n        os.system(cmd)\n", "os.system"),
            "Handler.run");
  EXPECT_EQ(scopeAt(Language::C, "#include <string.h>\nchar *copy(char *d, const char *s) {\n  strcpy(d, s);\n  return d;\n}\n",
                    "strcpy"),
            "copy");
  EXPECT_EQ(scopeAt(Language::Cpp, "namespace net {\nclass Conn {\n  void send(const char* p) {\n    strcpy(buf, p);\n  }\n  char buf[8];\n};\n}\n",
                    "strcpy"),
            "net.Conn.send");
  EXPECT_EQ(scopeAt(Language::JavaScript,
                    "const express = require('express');\nconst handler = (req, res) => {\n  eval(req.body);\n};\n", "eval"),
            "handler");
  EXPECT_EQ(scopeAt(Language::TypeScript,
                    "export class Store {\n  load(key: string): any {\n    return JSON.parse(localStorage[key]);\n  }\n}\n",
                    "JSON.parse"),
            "Store.load");
  EXPECT_EQ(scopeAt(Language::Tsx, "function App() {\n  return <div dangerouslySetInnerHTML={{__html: x}} />;\n}\n", "<div"),
            "App");
  EXPECT_EQ(scopeAt(Language::Go,
                    "package main\n\nimport \"os/exec\"\n\ntype S struct{}\n\nfunc (s *S) Run(c string) {\n\texec.Command(\"sh\", \"-c\", c).Run()\n}\n",
                    "exec.Command"),
            "Run");
  EXPECT_EQ(scopeAt(Language::Java,
                    "class Db {\n  void query(String q) throws Exception {\n    stmt.execute(\"SELECT \" + q);\n  }\n}\n",
                    "stmt.execute"),
            "Db.query");
  EXPECT_EQ(scopeAt(Language::CSharp,
                    "namespace App {\n  class Db {\n    void Query(string q) {\n      cmd.ExecuteReader(q);\n    }\n  }\n}\n",
                    "ExecuteReader"),
            "App.Db.Query");
  EXPECT_EQ(scopeAt(Language::Rust, "struct P;\nimpl P {\n    fn run(&self) {\n        unsafe { ptr::read(x) };\n    }\n}\n",
                    "ptr::read"),
            "P.run");
  EXPECT_EQ(scopeAt(Language::Ruby, "module Api\n  class Users\n    def find(id)\n      eval(id)\n    end\n  end\nend\n", "eval"),
            "Api.Users.find");
  EXPECT_EQ(scopeAt(Language::Php, "<?php\nclass Page {\n  function show($f) {\n    include($f);\n  }\n}\n", "include"),
            "Page.show");
  EXPECT_EQ(scopeAt(Language::Bash, "#!/bin/sh\ndeploy() {\n  eval \"$1\"\n}\n", "eval"), "deploy");
  EXPECT_EQ(scopeAt(Language::Hcl,
                    "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"x\"\n  acl    = \"public-read\"\n}\n", "acl"),
            "logs");
  EXPECT_EQ(scopeAt(Language::Yaml, "jobs:\n  build:\n    steps:\n      - run: curl x | sh\n", "curl"), "jobs.build.steps");
  EXPECT_EQ(scopeAt(Language::Json, "{\n  \"scripts\": {\n    \"postinstall\": \"curl x | sh\"\n  }\n}\n", "postinstall"),
            "scripts");
}

TEST(Anchor, TokenHashIgnoresWhitespaceLineBreaksAndComments) {
  Document a(Language::C, "void f(void) {\n  strcpy(buf, src);\n}\n");
  Document b(Language::C, "void f(void)\n{\n    strcpy( buf,\n            src ); /* checked */\n}\n");
  const Anchor before = anchorOf(a, 1, 1);
  const Anchor after = anchorOf(b, 2, 3);
  EXPECT_FALSE(before.empty());
  EXPECT_EQ(before.hash, after.hash);
  EXPECT_EQ(before.scope, "f");
  EXPECT_EQ(after.scope, "f");

  Document changed(Language::C, "void f(void) {\n  strcpy(buf, other);\n}\n");
  EXPECT_NE(anchorOf(changed, 1, 1).hash, before.hash);
}

TEST(Anchor, FindsTheRegionAfterReformattingAndMoves) {
  Document old(Language::Python,
               "def a():\n    pass\n\ndef load(data):\n    return pickle.loads(data)\n");
  const Anchor anchor = anchorOf(old, 4, 4);
  ASSERT_EQ(anchor.scope, "load");

  // The function moved below another one, and the call was split over two lines.
  Document now(Language::Python,
               "def b():\n    pass\n\n\n# helpers\ndef zz():\n    return 1\n\ndef load(data):\n    # untrusted!\n    return pickle.loads(\n        data)\n");
  const auto tokens = tokensOf(now);
  const auto decls = declarationsOf(now);
  const auto hits = findAnchor(now, tokens, decls, anchor);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].firstLine, 10u);
  EXPECT_EQ(hits[0].lastLine, 11u);
  EXPECT_EQ(hits[0].scope, "load");
}

TEST(Anchor, HitsMustCoverWholeLines) {
  Document old(Language::JavaScript, "function f(x) {\n  run(x);\n}\n");
  const Anchor anchor = anchorOf(old, 1, 1);
  // `run(x);` is only part of this line: not the same code.
  Document now(Language::JavaScript, "function f(x) {\n  if (ok) run(x);\n}\n");
  EXPECT_TRUE(findAnchor(now, tokensOf(now), declarationsOf(now), anchor).empty());
}

TEST(Anchor, EmptyRegionsHaveNoAnchor) {
  Document doc(Language::C, "int x;\n\n// only a comment\nint y;\n");
  EXPECT_TRUE(anchorOf(doc, 1, 1).empty());
  EXPECT_TRUE(anchorOf(doc, 2, 2).empty());
  EXPECT_EQ(anchorOf(doc, 2, 2).hash, 0u);
  EXPECT_TRUE(findAnchor(doc, tokensOf(doc), declarationsOf(doc), anchorOf(doc, 2, 2)).empty());
}

TEST(Anchor, LinesPastTheEndAreEmpty) {
  Document doc(Language::Go, "package main\n");
  EXPECT_TRUE(anchorOf(doc, 50, 60).empty());
  EXPECT_EQ(scopeOf(doc, 50, 60), "");
}

}  // namespace
}  // namespace aspm::syntax
