// Suppression comments: each tool's directive, placement and list syntax, the places where no
// comment may go (strings, block comments, continuations, heredocs), and detection of
// suppressions already in the source. Edits are applied to the text and the result compared
// whole, so a wrong column or line ending shows up as a wrong file.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "remediation/suppression.h"
#include "support/text.h"

namespace aspm::remediation {
namespace {

std::string applyEdit(std::string_view text, const TextEdit& edit) {
  const support::LineIndex index(text);
  auto offset = [&](std::uint32_t line, std::uint32_t character) {
    const std::size_t start = index.lineStart(line);
    return start + support::byteOffsetOfUtf16Column(support::lineText(text, index, line), character);
  };
  const std::size_t b = offset(edit.startLine, edit.startCharacter);
  const std::size_t e = offset(edit.endLine, edit.endCharacter);
  std::string out(text.substr(0, b));
  out += edit.newText;
  out += text.substr(e);
  return out;
}

struct Applied {
  std::string text;
  std::string title;
  std::string comment;
  std::string error;
};

Applied suppress(std::string_view tool, std::string_view rule, std::string_view path, std::string_view text,
                 std::uint32_t line, std::string_view reason = {}) {
  SuppressionRequest r;
  r.tool = tool;
  r.ruleId = rule;
  r.path = path;
  r.fileText = text;
  r.line = line;
  r.reason = reason;
  const auto result = suppressionFor(r);
  if (!result) return Applied{{}, {}, {}, result.error};
  EXPECT_TRUE(result.error.empty());
  return Applied{applyEdit(text, result->edit), result->title, result->comment, {}};
}

// --- bandit

TEST(Suppression, BanditTrailingNosecWithTheTestId) {
  const std::string src =
      "import subprocess\n"
      "def run(cmd):\n"
      "    subprocess.call(cmd, shell=True)\n";
  const Applied a = suppress("Bandit", "B602", "app/run.py", src, 2);
  ASSERT_TRUE(a.error.empty()) << a.error;
  EXPECT_EQ(a.text,
            "import subprocess\n"
            "def run(cmd):\n"
            "    subprocess.call(cmd, shell=True)  # nosec B602\n");
  EXPECT_EQ(a.title, "Suppress B602 with a bandit # nosec comment");
  EXPECT_EQ(a.comment, "# nosec B602");
  EXPECT_TRUE(suppressedInSource("Bandit", "B602", a.text, 2));
  EXPECT_FALSE(suppressedInSource("Bandit", "B404", a.text, 2));
}

TEST(Suppression, BanditExtendsAnExistingNosecList) {
  const std::string src = "assert user.is_admin  # nosec B101\n";
  const Applied a = suppress("bandit", "B602", "x.py", src, 0);
  ASSERT_TRUE(a.error.empty()) << a.error;
  EXPECT_EQ(a.text, "assert user.is_admin  # nosec B101, B602\n");
  EXPECT_EQ(a.title, "Add B602 to the existing # nosec comment");
  EXPECT_TRUE(suppressedInSource("bandit", "B101", a.text, 0));
  EXPECT_TRUE(suppressedInSource("bandit", "B602", a.text, 0));
}

TEST(Suppression, BareNosecCoversEveryBanditRuleAndNeedsNoEdit) {
  const std::string src = "yaml.load(data)  # nosec\n";
  EXPECT_TRUE(suppressedInSource("Bandit", "B506", src, 0));
  EXPECT_TRUE(suppressedInSource("Bandit", "B999", src, 0));
  const Applied a = suppress("Bandit", "B506", "x.py", src, 0);
  EXPECT_NE(a.error.find("already suppressed"), std::string::npos) << a.error;
}

TEST(Suppression, BanditRefusesALineEndingInsideATripleQuotedString) {
  const std::string src =
      "q = \"\"\"SELECT * FROM users\n"
      "WHERE name = '%s'\"\"\" % name\n";
  const Applied a = suppress("Bandit", "B608", "db.py", src, 0);
  EXPECT_NE(a.error.find("inside a string"), std::string::npos) << a.error;
  // The line where the string ends is fine.
  const Applied b = suppress("Bandit", "B608", "db.py", src, 1);
  ASSERT_TRUE(b.error.empty()) << b.error;
  EXPECT_EQ(b.text, "q = \"\"\"SELECT * FROM users\nWHERE name = '%s'\"\"\" % name  # nosec B608\n");
}

TEST(Suppression, BanditRefusesABackslashContinuation) {
  const std::string src = "cmd = 'ls ' + \\\n    path\n";
  const Applied a = suppress("Bandit", "B605", "x.py", src, 0);
  EXPECT_NE(a.error.find("backslash"), std::string::npos) << a.error;
}

TEST(Suppression, HashInsideAStringIsNotAComment) {
  // The '#' inside the string must not be taken for a comment to extend.
  const std::string src = "url = 'http://h/#nosec B101'; eval(x)\n";
  const Applied a = suppress("Bandit", "B307", "x.py", src, 0);
  ASSERT_TRUE(a.error.empty()) << a.error;
  EXPECT_EQ(a.text, "url = 'http://h/#nosec B101'; eval(x)  # nosec B307\n");
}

// --- semgrep

TEST(Suppression, SemgrepTrailingInTheFilesCommentSyntax) {
  const Applied js = suppress("Semgrep OSS", "javascript.express.security.audit.xss.direct-response-write",
                              "src/app.js", "app.get('/', (req, res) => {\n  res.send(req.query.q);\n});\n", 1);
  ASSERT_TRUE(js.error.empty()) << js.error;
  EXPECT_EQ(js.text,
            "app.get('/', (req, res) => {\n"
            "  res.send(req.query.q); // nosemgrep: javascript.express.security.audit.xss.direct-response-write\n"
            "});\n");
  EXPECT_EQ(js.title,
            "Suppress javascript.express.security.audit.xss.direct-response-write with a // nosemgrep comment");

  const Applied py = suppress("semgrep", "python.lang.security.audit.eval-detected", "a.py", "eval(x)\n", 0);
  EXPECT_EQ(py.text, "eval(x)  # nosemgrep: python.lang.security.audit.eval-detected\n");

  const Applied sql = suppress("semgrep", "sql.injection", "q.sql", "SELECT * FROM t WHERE a = '${x}';\n", 0);
  EXPECT_EQ(sql.text, "SELECT * FROM t WHERE a = '${x}'; -- nosemgrep: sql.injection\n");

  const Applied xml =
      suppress("semgrep", "xxe", "conf/web.xml", "<!DOCTYPE foo [ <!ENTITY x SYSTEM \"file:///\"> ]>\n", 0);
  EXPECT_EQ(xml.text, "<!DOCTYPE foo [ <!ENTITY x SYSTEM \"file:///\"> ]> <!-- nosemgrep: xxe -->\n");
}

TEST(Suppression, SemgrepExtendsItsListAndHonoursTheLineAbove) {
  const std::string src = "eval(x) // nosemgrep: rule-a\n";
  const Applied a = suppress("semgrep", "rule-b", "a.js", src, 0);
  EXPECT_EQ(a.text, "eval(x) // nosemgrep: rule-a, rule-b\n");

  const std::string above = "// nosemgrep: eval-detected\neval(x)\n";
  EXPECT_TRUE(suppressedInSource("semgrep", "javascript.lang.security.eval-detected", above, 1));
  EXPECT_FALSE(suppressedInSource("semgrep", "javascript.lang.security.other", above, 1));
  EXPECT_TRUE(suppressedInSource("Semgrep OSS", "anything", "eval(x) // nosemgrep\n", 0));
}

TEST(Suppression, SemgrepGoesAboveWhenTheLineEndsInABlockComment) {
  const std::string src =
      "int main() {\n"
      "  system(cmd); /* the command comes\n"
      "     from the config */\n"
      "}\n";
  const Applied a = suppress("semgrep", "c.system", "main.c", src, 1);
  ASSERT_TRUE(a.error.empty()) << a.error;
  EXPECT_EQ(a.text,
            "int main() {\n"
            "  // nosemgrep: c.system\n"
            "  system(cmd); /* the command comes\n"
            "     from the config */\n"
            "}\n");
}

// --- ESLint

TEST(Suppression, EslintDisableNextLineAboveWithTheSameIndentation) {
  const std::string src =
      "function f(input) {\n"
      "\treturn eval(input);\n"
      "}\n";
  const Applied a = suppress("ESLint", "no-eval", "lib/f.ts", src, 1);
  ASSERT_TRUE(a.error.empty()) << a.error;
  EXPECT_EQ(a.text,
            "function f(input) {\n"
            "\t// eslint-disable-next-line no-eval\n"
            "\treturn eval(input);\n"
            "}\n");
  EXPECT_EQ(a.title, "Suppress no-eval with a // eslint-disable-next-line comment");
  EXPECT_TRUE(suppressedInSource("ESLint", "no-eval", a.text, 2));
  EXPECT_FALSE(suppressedInSource("ESLint", "no-implied-eval", a.text, 2));

  const Applied reason = suppress("eslint", "no-eval", "f.js", src, 1, "input is a constant table");
  EXPECT_NE(reason.text.find("// eslint-disable-next-line no-eval -- input is a constant table\n"), std::string::npos);
}

TEST(Suppression, EslintExtendsTheDirectiveAboveBeforeItsDescription) {
  const std::string src =
      "  // eslint-disable-next-line no-eval -- trusted\n"
      "  setTimeout(eval(code), 0);\n";
  const Applied a = suppress("ESLint", "no-implied-eval", "f.js", src, 1);
  ASSERT_TRUE(a.error.empty()) << a.error;
  EXPECT_EQ(a.text,
            "  // eslint-disable-next-line no-eval, no-implied-eval -- trusted\n"
            "  setTimeout(eval(code), 0);\n");
  EXPECT_TRUE(suppressedInSource("ESLint", "no-implied-eval", a.text, 1));
}

TEST(Suppression, EslintWithoutRulesCoversAll) {
  EXPECT_TRUE(
      suppressedInSource("ESLint", "no-shadow-restricted-names", "// eslint-disable-next-line\nvar undefined;\n", 1));
  EXPECT_TRUE(suppressedInSource("ESLint", "no-eval", "eval(x); // eslint-disable-line\n", 0));
  EXPECT_FALSE(suppressedInSource("ESLint", "no-eval", "// eslint-disable-next-line\n\neval(x);\n", 2));
}

TEST(Suppression, EslintDisableRegionsAndWholeFiles) {
  const std::string file =
      "/* eslint-disable */\n"
      "eval(a);\n";
  EXPECT_TRUE(suppressedInSource("ESLint", "no-eval", file, 1));
  const std::string region =
      "/* eslint-disable no-eval, no-alert -- legacy code */\n"
      "eval(a); alert(b);\n"
      "/* eslint-enable no-eval */\n"
      "eval(c); alert(d);\n"
      "/* eslint-enable */\n"
      "alert(e);\n";
  EXPECT_TRUE(suppressedInSource("ESLint", "no-eval", region, 1));
  EXPECT_TRUE(suppressedInSource("ESLint", "no-alert", region, 1));
  EXPECT_FALSE(suppressedInSource("ESLint", "no-eval", region, 3));
  EXPECT_TRUE(suppressedInSource("ESLint", "no-alert", region, 3));
  EXPECT_FALSE(suppressedInSource("ESLint", "no-alert", region, 5));
  const std::string allButOne =
      "/* eslint-disable */\n"
      "/* eslint-enable no-eval */\n"
      "eval(a);\n";
  EXPECT_FALSE(suppressedInSource("ESLint", "no-eval", allButOne, 2));
  EXPECT_TRUE(suppressedInSource("ESLint", "no-alert", allButOne, 2));
  // The -line and -next-line forms are not regions.
  EXPECT_FALSE(suppressedInSource("ESLint", "no-eval", "// eslint-disable-next-line no-eval\nx();\neval(a);\n", 2));
}

TEST(Suppression, EslintFallsBackToDisableLineWhenTheLineAboveIsInATemplateLiteral) {
  const std::string src =
      "const html = `<div>\n"
      "${eval(code)}</div>`;\n";
  const Applied a = suppress("ESLint", "no-eval", "v.js", src, 1);
  ASSERT_TRUE(a.error.empty()) << a.error;
  EXPECT_EQ(a.text, "const html = `<div>\n${eval(code)}</div>`; // eslint-disable-line no-eval\n");
}

TEST(Suppression, JsxChildrenGetExpressionComments) {
  const std::string src =
      "export function Note({ html }) {\n"
      "  return (\n"
      "    <div>\n"
      "      <span dangerouslySetInnerHTML={{ __html: html }} />\n"
      "    </div>\n"
      "  );\n"
      "}\n";
  const Applied a = suppress("ESLint", "react/no-danger", "src/Note.tsx", src, 3);
  ASSERT_TRUE(a.error.empty()) << a.error;
  EXPECT_NE(a.text.find("    <div>\n      {/* eslint-disable-next-line react/no-danger */}\n      <span"),
            std::string::npos)
      << a.text;
  EXPECT_TRUE(suppressedInSource("ESLint", "react/no-danger", a.text, 4));
  // A second rule joins the same expression comment.
  const Applied b = suppress("ESLint", "react/no-unknown-property", "src/Note.tsx", a.text, 4);
  EXPECT_NE(b.text.find("{/* eslint-disable-next-line react/no-danger, react/no-unknown-property */}"),
            std::string::npos)
      << b.text;
  // semgrep cannot trail a JSX line; above it, the comment is an expression too.
  const Applied c =
      suppress("semgrep", "typescript.react.security.audit.react-dangerouslysetinnerhtml", "src/Note.jsx", src, 3);
  EXPECT_NE(c.text.find("      {/* nosemgrep: typescript.react.security.audit.react-dangerouslysetinnerhtml */}\n"),
            std::string::npos)
      << c.text;
  // The root element follows "(": plain JavaScript, so a line comment.
  const Applied d = suppress("ESLint", "react/x", "src/Note.jsx", src, 2);
  EXPECT_NE(d.text.find("  return (\n    // eslint-disable-next-line react/x\n    <div>"), std::string::npos) << d.text;
}

// --- C and C++ tools

TEST(Suppression, ClangTidyNolintTrailingAndNolintNextLineForAMacroStart) {
  const Applied a = suppress("clang-tidy", "cert-err34-c", "src/parse.c", "  int n = atoi(s);\n", 0);
  EXPECT_EQ(a.text, "  int n = atoi(s); // NOLINT(cert-err34-c)\n");
  EXPECT_EQ(a.title, "Suppress cert-err34-c with a clang-tidy // NOLINT comment");

  const std::string macro =
      "#define COPY(d, s) \\\n"
      "  strcpy(d, s)\n";
  const Applied b = suppress("clang-tidy", "clang-analyzer-security.insecureAPI.strcpy", "m.h", macro, 0);
  ASSERT_TRUE(b.error.empty()) << b.error;
  EXPECT_EQ(b.text, "// NOLINTNEXTLINE(clang-analyzer-security.insecureAPI.strcpy)\n" + macro);

  const std::string middle =
      "#define COPY(d, s) \\\n"
      "  strcpy(d, s); \\\n"
      "  d[0] = 0\n";
  const Applied c = suppress("clang-tidy", "x", "m.h", middle, 1);
  EXPECT_NE(c.error.find("backslash"), std::string::npos) << c.error;
}

TEST(Suppression, ClangTidyListsGlobsAndRegions) {
  const Applied a = suppress("clang-tidy", "bugprone-b", "a.cpp", "f(); // NOLINT(bugprone-a)\n", 0);
  EXPECT_EQ(a.text, "f(); // NOLINT(bugprone-a,bugprone-b)\n");
  EXPECT_TRUE(suppressedInSource("clang-tidy", "cert-err34-c", "f(); // NOLINT\n", 0));
  EXPECT_TRUE(suppressedInSource("clang-tidy", "cert-err34-c", "f(); // NOLINT(cert-*)\n", 0));
  EXPECT_FALSE(suppressedInSource("clang-tidy", "bugprone-x", "f(); // NOLINT(cert-*)\n", 0));
  EXPECT_FALSE(suppressedInSource("clang-tidy", "x", "f(); // NOLINTNEXTLINE\n", 0));
  EXPECT_TRUE(suppressedInSource("clang-tidy", "x", "// NOLINTNEXTLINE\nf();\n", 1));
  const std::string region = "// NOLINTBEGIN(cert-*)\nf();\n// NOLINTEND(cert-*)\ng();\n";
  EXPECT_TRUE(suppressedInSource("clang-tidy", "cert-err34-c", region, 1));
  EXPECT_FALSE(suppressedInSource("clang-tidy", "cert-err34-c", region, 3));
}

TEST(Suppression, CppcheckAboveAndBracketList) {
  const std::string src = "void f() {\n    char a[10];\n    a[10] = 0;\n}\n";
  const Applied a = suppress("cppcheck", "arrayIndexOutOfBounds", "f.cpp", src, 2);
  EXPECT_EQ(a.text, "void f() {\n    char a[10];\n    // cppcheck-suppress arrayIndexOutOfBounds\n    a[10] = 0;\n}\n");
  EXPECT_TRUE(suppressedInSource("cppcheck", "arrayIndexOutOfBounds", a.text, 3));

  const Applied b = suppress("cppcheck", "uninitvar", "f.cpp", a.text, 3);
  EXPECT_EQ(
      b.text,
      "void f() {\n    char a[10];\n    // cppcheck-suppress [arrayIndexOutOfBounds,uninitvar]\n    a[10] = 0;\n}\n");
  EXPECT_TRUE(suppressedInSource("cppcheck", "uninitvar", b.text, 3));
}

TEST(Suppression, CppcheckFileAndRegionSuppressions) {
  const std::string file = "int f() {\n  return g();\n}\n// cppcheck-suppress-file uninitvar\n";
  EXPECT_TRUE(suppressedInSource("cppcheck", "uninitvar", file, 1));
  EXPECT_FALSE(suppressedInSource("cppcheck", "nullPointer", file, 1));
  const std::string region =
      "// cppcheck-suppress-begin [nullPointer, uninitvar]\n*p = 0;\n// cppcheck-suppress-end [nullPointer, "
      "uninitvar]\n*q = 0;\n";
  EXPECT_TRUE(suppressedInSource("cppcheck", "nullPointer", region, 1));
  EXPECT_FALSE(suppressedInSource("cppcheck", "nullPointer", region, 3));
}

TEST(Suppression, FlawfinderIgnoreAbove) {
  const Applied a = suppress("Flawfinder", "FF1001", "s.c", "  strcpy(buf, src);\n", 0);
  EXPECT_EQ(a.text, "  // Flawfinder: ignore\n  strcpy(buf, src);\n");
  EXPECT_EQ(a.title, "Suppress FF1001 with a // Flawfinder: ignore comment");
  EXPECT_TRUE(suppressedInSource("Flawfinder", "buffer/strcpy", "strcpy(a, b); /* Flawfinder: ignore */\n", 0));
  EXPECT_TRUE(suppressedInSource("flawfinder", "buffer/strcpy", "// RATS: ignore\nstrcpy(a, b);\n", 1));
}

// --- shell

TEST(Suppression, ShellcheckDirectiveAboveAndItsList) {
  const std::string src = "#!/bin/sh\nfor f in $FILES; do\n  rm $f\ndone\n";
  const Applied a = suppress("ShellCheck", "SC2086", "scripts/clean.sh", src, 2);
  EXPECT_EQ(a.text, "#!/bin/sh\nfor f in $FILES; do\n  # shellcheck disable=SC2086\n  rm $f\ndone\n");
  const Applied b = suppress("shellcheck", "2046", "scripts/clean.sh", a.text, 3);
  EXPECT_EQ(b.text, "#!/bin/sh\nfor f in $FILES; do\n  # shellcheck disable=SC2086,SC2046\n  rm $f\ndone\n");
  EXPECT_TRUE(suppressedInSource("ShellCheck", "SC2046", b.text, 3));
  EXPECT_TRUE(suppressedInSource("ShellCheck", "2086", b.text, 3));
  // A directive before the first command covers the whole script.
  EXPECT_TRUE(
      suppressedInSource("ShellCheck", "SC2086", "#!/bin/sh\n# shellcheck disable=SC2086\necho $a\n\necho $b\n", 4));
}

TEST(Suppression, ShellcheckRefusesLinesInsideAHeredoc) {
  const std::string src = "cat <<EOF\n$HOME is $USER\nEOF\necho $x\n";
  const Applied a = suppress("ShellCheck", "SC2086", "a.sh", src, 1);
  EXPECT_NE(a.error.find("heredoc"), std::string::npos) << a.error;
  const Applied b = suppress("ShellCheck", "SC2086", "a.sh", src, 3);
  EXPECT_EQ(b.text, "cat <<EOF\n$HOME is $USER\nEOF\n# shellcheck disable=SC2086\necho $x\n");
}

// --- secrets and IaC

TEST(Suppression, GitleaksAllowTrailing) {
  const Applied a = suppress("gitleaks", "generic-api-key", "config/settings.yaml", "api:\n  key: \"a1b2c3d4e5\"\n", 1);
  EXPECT_EQ(a.text, "api:\n  key: \"a1b2c3d4e5\" # gitleaks:allow\n");
  EXPECT_EQ(a.title, "Suppress generic-api-key with a # gitleaks:allow comment");
  EXPECT_TRUE(suppressedInSource("gitleaks", "private-key", a.text, 1));
  const Applied json = suppress("gitleaks", "generic-api-key", "secrets.json", "{\"key\": \"x\"}\n", 0);
  EXPECT_NE(json.error.find("JSON"), std::string::npos) << json.error;
}

TEST(Suppression, CheckovSkipInsideTheTerraformResource) {
  const std::string tf =
      "resource \"azurerm_kubernetes_cluster\" \"k8s\" {\n"
      "    name     = \"dev\"\n"
      "    location = var.location\n"
      "}\n";
  const Applied a = suppress("Checkov", "CKV_AZURE_179", "Develop Env/main.tf", tf, 2, "dev cluster");
  ASSERT_TRUE(a.error.empty()) << a.error;
  EXPECT_EQ(a.text,
            "resource \"azurerm_kubernetes_cluster\" \"k8s\" {\n"
            "    #checkov:skip=CKV_AZURE_179:dev cluster\n"
            "    name     = \"dev\"\n"
            "    location = var.location\n"
            "}\n");
  EXPECT_EQ(a.title, "Suppress CKV_AZURE_179 with a # checkov:skip comment");
  EXPECT_TRUE(suppressedInSource("Checkov", "CKV_AZURE_179", a.text, 0));
  EXPECT_TRUE(suppressedInSource("Checkov", "CKV_AZURE_179", a.text, 3));
  EXPECT_FALSE(suppressedInSource("Checkov", "CKV_AZURE_4", a.text, 3));

  // The finding on the resource line itself, without a reason.
  const Applied b = suppress("checkov", "CKV_AZURE_4", "main.tf", a.text, 0);
  EXPECT_EQ(b.text.substr(0, b.text.find("name")),
            "resource \"azurerm_kubernetes_cluster\" \"k8s\" {\n    #checkov:skip=CKV_AZURE_4\n"
            "    #checkov:skip=CKV_AZURE_179:dev cluster\n    ");
}

TEST(Suppression, CheckovSkipInsideAYamlMapping) {
  const std::string yaml =
      "Resources:\n"
      "  Bucket:\n"
      "    Type: AWS::S3::Bucket\n"
      "    Properties:\n"
      "      BucketName: logs\n";
  const Applied a = suppress("Checkov", "CKV_AWS_18", "cfn/template.yaml", yaml, 1);
  ASSERT_TRUE(a.error.empty()) << a.error;
  EXPECT_EQ(a.text,
            "Resources:\n"
            "  Bucket:\n"
            "    #checkov:skip=CKV_AWS_18\n"
            "    Type: AWS::S3::Bucket\n"
            "    Properties:\n"
            "      BucketName: logs\n");
}

TEST(Suppression, TrivyAndTfsecIgnoreAboveTheResource) {
  const std::string tf =
      "resource \"aws_s3_bucket\" \"acme\" {\n"
      "  bucket = \"acme\"\n"
      "}\n";
  const Applied a = suppress("Trivy", "AVD-AWS-0089", "modules/acme_bucket/main.tf", tf, 0);
  EXPECT_EQ(a.text, "#trivy:ignore:AVD-AWS-0089\n" + tf);
  EXPECT_EQ(a.title, "Suppress AVD-AWS-0089 with a # trivy:ignore comment");
  // Ignores above the resource cover findings on its attributes.
  EXPECT_TRUE(suppressedInSource("Trivy", "AVD-AWS-0089", a.text, 2));
  EXPECT_FALSE(suppressedInSource("Trivy", "AVD-AWS-0086", a.text, 2));
  // Stacked: a second rule gets its own line.
  const Applied b = suppress("trivy", "AVD-AWS-0086", "main.tf", a.text, 1);
  EXPECT_EQ(b.text, "#trivy:ignore:AVD-AWS-0089\n#trivy:ignore:AVD-AWS-0086\n" + tf);
  EXPECT_TRUE(suppressedInSource("Trivy", "AVD-AWS-0086", "#tfsec:ignore:AVD-AWS-0086\n" + tf, 1));

  const Applied t = suppress("tfsec", "aws-s3-enable-bucket-encryption", "main.tf", tf, 1);
  EXPECT_EQ(t.text,
            "resource \"aws_s3_bucket\" \"acme\" {\n  #tfsec:ignore:aws-s3-enable-bucket-encryption\n  bucket = "
            "\"acme\"\n}\n");
}

TEST(Suppression, DockerfileCommentsStandOnTheirOwnLine) {
  const std::string docker = "FROM alpine:3.7\nRUN apk add curl\n";
  const Applied a = suppress("Semgrep OSS", "dockerfile.security.missing-user", "Dockerfile", docker, 1);
  EXPECT_EQ(a.text, "FROM alpine:3.7\n# nosemgrep: dockerfile.security.missing-user\nRUN apk add curl\n");
  const Applied g = suppress("gitleaks", "generic-api-key", "Dockerfile", "ENV TOKEN=abc\n", 0);
  EXPECT_NE(g.error.find("own line"), std::string::npos) << g.error;
}

// --- CodeQL and tools without comments

TEST(Suppression, CodeqlLgtmSaysItIsLegacy) {
  const Applied a = suppress("CodeQL", "js/sql-injection", "app.js", "db.query(sql);\n", 0);
  EXPECT_EQ(a.text, "db.query(sql); // lgtm[js/sql-injection]\n");
  EXPECT_NE(a.title.find("legacy"), std::string::npos);
  const Applied b = suppress("CodeQL", "js/xss", "app.js", a.text, 0);
  EXPECT_EQ(b.text, "db.query(sql); // lgtm[js/sql-injection, js/xss]\n");
  EXPECT_TRUE(suppressedInSource("CodeQL", "js/anything", "x(); // lgtm\n", 0));
}

TEST(Suppression, UnknownToolsAndToolsWithoutCommentsGetNoEdit) {
  EXPECT_NE(suppress("SpotBugs", "SQL_INJECTION", "A.java", "q(s);\n", 0).error.find("no known"), std::string::npos);
  EXPECT_NE(suppress("clang", "core.NullDereference", "a.c", "*p = 1;\n", 0).error.find("__clang_analyzer__"),
            std::string::npos);
  EXPECT_NE(suppress("scan-build", "core.NullDereference", "a.c", "*p = 1;\n", 0).error.find("__clang_analyzer__"),
            std::string::npos);
  EXPECT_NE(suppress("GCC", "-Wanalyzer-null-dereference", "a.c", "*p = 1;\n", 0).error.find("pragma"),
            std::string::npos);
  EXPECT_FALSE(suppressedInSource("SpotBugs", "X", "x // nosemgrep\n", 0));
  EXPECT_NE(suppress("semgrep", "r", "notes.unknownext", "x\n", 0).error.find("no comment syntax"), std::string::npos);
  EXPECT_NE(suppress("Bandit", "B101", "a.js", "x\n", 0).error.find("Python"), std::string::npos);
}

// --- text shapes

TEST(Suppression, CrlfFilesKeepTheirLineEndings) {
  const std::string src = "def f():\r\n    eval(x)\r\n";
  const Applied a = suppress("Bandit", "B307", "a.py", src, 1);
  EXPECT_EQ(a.text, "def f():\r\n    eval(x)  # nosec B307\r\n");
  const Applied b = suppress("ESLint", "no-eval", "a.js", "function f() {\r\n  eval(x);\r\n}\r\n", 1);
  EXPECT_EQ(b.text, "function f() {\r\n  // eslint-disable-next-line no-eval\r\n  eval(x);\r\n}\r\n");
  EXPECT_TRUE(suppressedInSource("ESLint", "no-eval", b.text, 2));
}

TEST(Suppression, LastLineWithoutNewline) {
  EXPECT_EQ(suppress("Bandit", "B307", "a.py", "x = 1\neval(x)", 1).text, "x = 1\neval(x)  # nosec B307");
  EXPECT_EQ(suppress("ESLint", "no-eval", "a.js", "x = 1\neval(x)", 1).text,
            "x = 1\n// eslint-disable-next-line no-eval\neval(x)");
  EXPECT_EQ(suppress("Checkov", "CKV_K8S_20", "pod.yaml", "spec:\n  containers:", 1).text,
            "spec:\n  containers:\n    #checkov:skip=CKV_K8S_20");
  EXPECT_NE(suppress("Bandit", "B307", "a.py", "eval(x)\n", 1).error.find("past the end"), std::string::npos);
}

TEST(Suppression, ColumnsAreUtf16CodeUnits) {
  // "é" is one UTF-16 unit, the emoji two; the edit's column must count them that way.
  SuppressionRequest r;
  r.tool = "Bandit";
  r.ruleId = "B307";
  r.path = "a.py";
  r.fileText = "s = \"\xC3\xA9\xF0\x9F\x98\x80\"; eval(s)\n";
  r.line = 0;
  const auto result = suppressionFor(r);
  ASSERT_TRUE(result) << result.error;
  EXPECT_EQ(result->edit.startCharacter, 18u);
  EXPECT_EQ(applyEdit(r.fileText, result->edit), "s = \"\xC3\xA9\xF0\x9F\x98\x80\"; eval(s)  # nosec B307\n");
}

TEST(Suppression, YamlBlockScalarsAreNotCode) {
  const std::string wf =
      "steps:\n"
      "  - run: |\n"
      "      curl $URL | sh\n"
      "  - run: echo done\n";
  const Applied a = suppress("semgrep", "yaml.github-actions.curl-pipe-sh", ".github/workflows/ci.yml", wf, 2);
  EXPECT_FALSE(a.error.empty());
  const Applied b = suppress("semgrep", "r", "ci.yml", wf, 3);
  EXPECT_EQ(b.text.substr(b.text.rfind("  - run")), "  - run: echo done # nosemgrep: r\n");
}

}  // namespace
}  // namespace aspm::remediation

namespace aspm::remediation {
namespace {

// Generated files full of lexical traps (quotes, block comments, heredocs, continuations, CRLF,
// invalid UTF-8): every request returns an edit or a reason, never crashes, and every edit is
// one that the tool then reads as suppressing the finding.
TEST(Suppression, GeneratedFilesNeverBreakTheInvariants) {
  const std::vector<std::string_view> pieces = {"x",
                                                " ",
                                                "\t",
                                                "\n",
                                                "\r\n",
                                                "\"",
                                                "'",
                                                "`",
                                                "\\",
                                                "\\\n",
                                                "/*",
                                                "*/",
                                                "//",
                                                "#",
                                                "--",
                                                "<!--",
                                                "-->",
                                                "<<EOF\n",
                                                "EOF\n",
                                                "\"\"\"",
                                                "{",
                                                "}",
                                                "|\n",
                                                ": ",
                                                "- ",
                                                "nosec",
                                                "NOLINT(",
                                                ")",
                                                "resource \"a\" \"b\" {\n",
                                                "\xC3\xA9",
                                                "\xF0\x9F\x98\x80",
                                                "\xFF",
                                                "eval(x);",
                                                "  "};
  const std::vector<std::string_view> tools = {"semgrep",  "Bandit",     "ESLint",     "Flawfinder",
                                               "cppcheck", "clang-tidy", "ShellCheck", "gitleaks",
                                               "Checkov",  "Trivy",      "tfsec",      "CodeQL"};
  const std::vector<std::string_view> paths = {"a.py",    "a.js",  "a.c",  "a.sh", "main.tf", "k8s.yaml", "Dockerfile",
                                               "web.xml", "q.sql", "a.rb", "a.go", "a.rs",    "a.php"};
  std::uint32_t seed = 12345;
  auto next = [&] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  std::size_t edits = 0, refusals = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const std::size_t n = 5 + next() % 60;
    for (std::size_t i = 0; i < n; ++i) text += pieces[next() % pieces.size()];
    const support::LineIndex index(text);
    for (std::string_view tool : tools) {
      const std::string_view path = paths[next() % paths.size()];
      const std::uint32_t line = static_cast<std::uint32_t>(next() % (index.lineCount() + 1));
      SuppressionRequest r{tool, "rule-1", path, text, line, {}};
      const auto result = suppressionFor(r);
      if (!result) {
        EXPECT_FALSE(result.error.empty());
        ++refusals;
        continue;
      }
      ++edits;
      const TextEdit& e = result->edit;
      ASSERT_LT(e.startLine, index.lineCount());
      ASSERT_TRUE(e.startLine < e.endLine || (e.startLine == e.endLine && e.startCharacter <= e.endCharacter));
      const std::string after = applyEdit(text, e);
      // Where the finding's line is after the edit: lines inserted at or above it move it down.
      std::uint32_t moved = line;
      const auto newlines = static_cast<std::uint32_t>(std::count(e.newText.begin(), e.newText.end(), '\n'));
      if (e.startLine < line ||
          (e.startLine == line && e.startCharacter == 0 && newlines > 0 && e.newText.back() == '\n'))
        moved += newlines;
      EXPECT_TRUE(suppressedInSource(tool, "rule-1", after, moved, path))
          << tool << " " << path << " line " << line << "\n--- before\n"
          << text << "\n--- after\n"
          << after;
    }
  }
  EXPECT_GT(edits, 500u);
  EXPECT_GT(refusals, 100u);
}

}  // namespace
}  // namespace aspm::remediation
