// The matcher's passes on hand-made versions of real-looking code: exact shifts, moved and
// reformatted code, duplicates that compete, deletions, and a scan whose content is unknown.
#include <gtest/gtest.h>

#include "correlate/line_hash.h"
#include "gitmap/repository.h"
#include "mapping/assignment.h"
#include "mapping/matcher.h"

namespace aspm::mapping {
namespace {

using model::FindingState;

FileVersions versions(const std::string& path, const std::string& before, const std::optional<std::string>& after) {
  FileVersions v;
  v.scanContent = before;
  v.path = after ? path : "";
  v.content = after;
  if (after) v.lines = gitmap::diffLines(before, *after).value();
  return v;
}

Site site(const std::string& path, std::uint32_t line, std::uint32_t col = 0) {
  Site s;
  s.scanPath = path;
  s.startLine = s.endLine = line;
  s.startColumn = col;
  return s;
}

const std::string kC =
    "#include <string.h>\n"           // 1
    "\n"                              // 2
    "void copy(char *d, char *s) {\n" // 3
    "  strcpy(d, s);\n"               // 4
    "}\n"                             // 5
    "\n"                              // 6
    "void run(char *cmd) {\n"         // 7
    "  system(cmd);\n"                // 8
    "}\n";                            // 9

TEST(Matcher, ExactShiftInUnchangedText) {
  MatchInput in;
  in.files["a.c"] = versions("a.c", kC, "// header\n// more\n" + kC);
  const auto out = match({site("a.c", 4, 3), site("a.c", 8)}, in);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].state, FindingState::Open);
  EXPECT_EQ(out[0].pass, Pass::ExactShift);
  EXPECT_EQ(out[0].startLine, 6u);
  EXPECT_EQ(out[0].startColumn, 3u);
  EXPECT_EQ(out[1].startLine, 10u);
}

TEST(Matcher, ReformattedLineKeepsItsToken) {
  MatchInput in;
  std::string now = kC;
  now.replace(now.find("  strcpy(d, s);"), 15, "    strcpy( d,s );");
  in.files["a.c"] = versions("a.c", kC, now);
  const auto out = match({site("a.c", 4, 3)}, in);
  EXPECT_EQ(out[0].state, FindingState::Moved);
  EXPECT_EQ(out[0].pass, Pass::LineAndContent);
  EXPECT_EQ(out[0].startLine, 4u);
  EXPECT_EQ(out[0].startColumn, 5u);  // still on 's' of strcpy
}

TEST(Matcher, FunctionMovedToAnotherFile) {
  MatchInput in;
  const std::string remaining = "#include <string.h>\n\nvoid copy(char *d, char *s) {\n  strcpy(d, s);\n}\n";
  in.files["a.c"] = versions("a.c", kC, remaining);
  in.candidatePaths = {"exec.c"};
  in.readCandidate = [](const std::string& p) -> std::optional<std::string> {
    if (p == "exec.c") return "#include <stdlib.h>\n\n/* moved */\nvoid run(char *cmd) {\n  system(cmd);\n}\n";
    return std::nullopt;
  };
  const auto out = match({site("a.c", 4), site("a.c", 8)}, in);
  EXPECT_EQ(out[0].pass, Pass::ExactShift);
  EXPECT_EQ(out[1].state, FindingState::Moved);
  EXPECT_EQ(out[1].path, "exec.c");
  EXPECT_EQ(out[1].startLine, 5u);
  EXPECT_EQ(out[1].pass, Pass::BlockMove);
}

TEST(Matcher, DeletedCodeIsGone) {
  MatchInput in;
  std::string now = kC;
  now.replace(now.find("  system(cmd);\n"), 15, "  execv(cmd, args);\n");
  in.files["a.c"] = versions("a.c", kC, now);
  in.files["b.c"] = versions("b.c", "int main(void) {\n  gets(buf);\n}\n", std::nullopt);  // file deleted
  const auto out = match({site("a.c", 8), site("b.c", 2)}, in);
  EXPECT_EQ(out[0].state, FindingState::Gone);
  EXPECT_FALSE(out[0].placed());
  EXPECT_EQ(out[1].state, FindingState::Gone);
}

TEST(Matcher, SplitStatementFoundBySyntaxAnchor) {
  const std::string before = "def load(data):\n    return pickle.loads(data, fix_imports=True)\n";
  const std::string after = "def load(data):\n    return pickle.loads(\n        data, fix_imports=True  # compat\n    )\n";
  MatchInput in;
  in.files["m.py"] = versions("m.py", before, after);
  const auto out = match({site("m.py", 2)}, in);
  EXPECT_EQ(out[0].state, FindingState::Moved);
  EXPECT_EQ(out[0].pass, Pass::Anchor);
  EXPECT_EQ(out[0].startLine, 2u);
  EXPECT_EQ(out[0].endLine, 4u);
}

TEST(Matcher, IdenticalLinesArePairedByContextAndScope) {
  // Two functions with the same dangerous line; both move, in swapped order, with new code
  // between. Each finding must follow its own function.
  const std::string before =
      "def a(x):\n    check(x)\n    os.system(x)\n\n"
      "def b(y):\n    log(y)\n    os.system(y)\n";
  const std::string after =
      "def b(y):\n    log(y)\n    os.system(y)\n\n# new\n\n"
      "def a(x):\n    check(x)\n    os.system(x)\n";
  MatchInput in;
  in.files["s.py"] = versions("s.py", before, after);
  const auto out = match({site("s.py", 3), site("s.py", 7)}, in);
  EXPECT_EQ(out[0].startLine, 9u);
  EXPECT_EQ(out[1].startLine, 3u);

  // Truly indistinguishable copies (same text, same context, same scope) in two other files
  // after the scanned file was deleted: placed on one, and the note says it was a choice.
  MatchInput in2;
  in2.files["d.py"] = versions("d.py", "x = 1\nrun(x)\ny = 2\n", std::nullopt);
  in2.candidatePaths = {"p.py", "q.py"};
  in2.readCandidate = [](const std::string&) -> std::optional<std::string> { return "z = 0\nx = 1\nrun(x)\ny = 2\n"; };
  const auto out2 = match({site("d.py", 2)}, in2);
  EXPECT_EQ(out2[0].state, FindingState::Moved);
  EXPECT_EQ(out2[0].startLine, 3u);
  EXPECT_NE(out2[0].note.find("2 equally good places"), std::string::npos) << out2[0].note;
}

TEST(Matcher, ClaimedLinesAreNotReused) {
  // Two identical lines; the first is deleted, the second stays: the first is gone, not moved
  // onto the survivor.
  const std::string before = "f(a)\neval(a)\ng(a)\nh(b)\neval(a)\nk(b)\n";
  const std::string after = "f(a)\ng(a)\nh(b)\neval(a)\nk(b)\n";
  MatchInput in;
  in.files["e.js"] = versions("e.js", before, after);
  const auto out = match({site("e.js", 2), site("e.js", 5)}, in);
  EXPECT_EQ(out[0].state, FindingState::Gone);
  EXPECT_EQ(out[1].startLine, 4u);
}

TEST(Matcher, UnknownScanContentUsesFingerprintsAndSaysSo) {
  const std::string now = "import os\n\n\ndef run(c):\n    os.system(c)\n";
  MatchInput in;
  FileVersions v;
  v.path = "r.py";
  v.content = now;
  in.files["r.py"] = v;
  in.revisionNote = "scanned revision abc123 is not in this repository";
  Site fp = site("r.py", 3);  // the scan saw the call on line 3
  fp.lineHash = correlate::primaryLocationLineHash("import os\n\nos.system(c)\n", 3);
  fp.lineHash = correlate::primaryLocationLineHash(now, 5);  // what the tool hashed: same text
  Site snippet = site("r.py", 2);
  snippet.snippet = "    os.system(c)\n";
  const Site blind = site("r.py", 1);
  const auto out = match({fp, snippet, blind}, in);
  EXPECT_EQ(out[0].pass, Pass::Fingerprint);
  EXPECT_EQ(out[0].startLine, 5u);
  EXPECT_NE(out[0].note.find("abc123"), std::string::npos);
  EXPECT_EQ(out[1].state, FindingState::Gone) << "same line already taken by the fingerprint match";
  EXPECT_EQ(out[2].state, FindingState::Stale);
  EXPECT_NE(out[2].note.find("abc123"), std::string::npos);
}

TEST(Assignment, MaximisesTotalScore) {
  // Greedy would give row 0 column 0 (score 10) and leave row 1 with nothing.
  const auto a = assignMaxScore({{10, 9}, {8, -1}});
  EXPECT_EQ(a, (std::vector<int>{1, 0}));
  EXPECT_EQ(assignMaxScore({{-1}, {-1}}), (std::vector<int>{-1, -1}));
  EXPECT_EQ(assignMaxScore({{1, 2, 3}}), (std::vector<int>{2}));
  EXPECT_TRUE(assignMaxScore({}).empty());
}

TEST(Columns, FollowTheSameNonBlankCharacter) {
  EXPECT_EQ(shiftColumn("  strcpy(d, s);", "  strcpy(d, s);", 3), 3u);
  EXPECT_EQ(shiftColumn("  strcpy(d, s);", "\tstrcpy(d,s);", 3), 2u);
  EXPECT_EQ(shiftColumn("a = b(c)", "a=b( c )", 7), 6u);
  EXPECT_EQ(normalizedLineHash("  a b "), normalizedLineHash("ab"));
  EXPECT_EQ(normalizedLineHash(" \t "), 0u);
}

}  // namespace
}  // namespace aspm::mapping
