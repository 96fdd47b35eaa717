// Format detection looks at content only (a bounded prefix), and CWE normalisation accepts the
// spellings real tools use.
#include <gtest/gtest.h>

#include "ingest/ingest.h"

namespace aspm::ingest {
namespace {

TEST(DetectFormat, Sarif) {
  EXPECT_EQ(detectFormat(R"({"version":"2.1.0","runs":[]})"), Format::Sarif);
  EXPECT_EQ(detectFormat(R"({"$schema":"https://json.schemastore.org/sarif-2.1.0.json")"), Format::Sarif);
  EXPECT_EQ(detectFormat(R"({"runs":[{"tool":)"), Format::Sarif);
  EXPECT_EQ(detectFormat(R"({"version": "2.1.0", "x": )"), Format::Sarif);
  // BOM and leading whitespace.
  EXPECT_EQ(detectFormat("\xEF\xBB\xBF\n  {\"version\":\"2.1.0\",\"runs\":[]}"), Format::Sarif);
  // Decided from a prefix even when the rest is far away.
  std::string big = R"({"$schema":"sarif","runs":[{"x":")" + std::string(1 << 20, 'a');
  EXPECT_EQ(detectFormat(big), Format::Sarif);
}

TEST(DetectFormat, Bandit) {
  EXPECT_EQ(detectFormat(R"({"errors":[],"generated_at":"2024-01-01T00:00:00Z","metrics":{"_totals":{}}})"),
            Format::Bandit);
  EXPECT_EQ(detectFormat(R"({"results":[{"code":"x","filename":"a.py","test_id":"B101"}]})"), Format::Bandit);
}

TEST(DetectFormat, Cppcheck) {
  EXPECT_EQ(detectFormat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<results version=\"2\">\n"
                         "    <cppcheck version=\"2.10\"/>\n    <errors>\n"),
            Format::Cppcheck);
  EXPECT_EQ(detectFormat("<?xml version=\"1.0\"?><project/>"), Format::Unknown);
}

TEST(DetectFormat, ShellCheck) {
  EXPECT_EQ(detectFormat(R"({"comments":[{"file":"a.sh","line":3,"code":2086}]})"), Format::ShellCheck);
  EXPECT_EQ(detectFormat(R"({"comments":[]})"), Format::ShellCheck);
}

TEST(DetectFormat, Gcc) {
  EXPECT_EQ(detectFormat(R"([{"kind":"warning","message":"x","children":[],"locations":[{"caret":{}}]}])"),
            Format::Gcc);
  EXPECT_EQ(detectFormat(R"([{"locations":[{"caret":{"file":"a.c","line":1}}],"kind":"error")"), Format::Gcc);
  EXPECT_EQ(detectFormat("[]"), Format::Unknown);
}

TEST(DetectFormat, OtherContentIsUnknown) {
  EXPECT_EQ(detectFormat(""), Format::Unknown);
  EXPECT_EQ(detectFormat("   "), Format::Unknown);
  EXPECT_EQ(detectFormat("hello"), Format::Unknown);
  EXPECT_EQ(detectFormat(R"({"name":"pkg","version":"1.4.2","dependencies":{}})"), Format::Unknown);
  EXPECT_EQ(detectFormat(R"({"results":[{"id":1}]})"), Format::Unknown);
  EXPECT_EQ(detectFormat(R"([1,2,3])"), Format::Unknown);
  EXPECT_EQ(detectFormat(std::string("\xFF\xFE{\0", 4)), Format::Unknown);
}

TEST(FormatNames, AreStable) {
  EXPECT_STREQ(toString(Format::Sarif), "sarif");
  EXPECT_STREQ(toString(Format::Bandit), "bandit");
  EXPECT_STREQ(toString(Format::Cppcheck), "cppcheck");
  EXPECT_STREQ(toString(Format::ShellCheck), "shellcheck");
  EXPECT_STREQ(toString(Format::Gcc), "gcc");
  EXPECT_STREQ(toString(Format::Unknown), "unknown");
}

TEST(NormalizeCwe, SpellingsOfRealTools) {
  EXPECT_EQ(normalizeCwe("external/cwe/cwe-78"), "CWE-78");
  EXPECT_EQ(normalizeCwe("external/cwe/cwe-079"), "CWE-79");
  EXPECT_EQ(normalizeCwe("CWE-78"), "CWE-78");
  EXPECT_EQ(normalizeCwe("cwe_78"), "CWE-78");
  EXPECT_EQ(normalizeCwe("CWE-78: Improper Neutralization of Special Elements used in an OS Command"), "CWE-78");
  EXPECT_EQ(normalizeCwe("CWE:22"), "CWE-22");
  EXPECT_EQ(normalizeCwe("cwe 400"), "CWE-400");
  EXPECT_EQ(normalizeCwe("CWE78"), "CWE-78");
}

TEST(NormalizeCwe, NotACwe) {
  EXPECT_EQ(normalizeCwe("security"), "");
  EXPECT_EQ(normalizeCwe("OWASP-A1: Injection"), "");
  EXPECT_EQ(normalizeCwe("cwe"), "");
  EXPECT_EQ(normalizeCwe("CWE-"), "");
  EXPECT_EQ(normalizeCwe("newcwe-12"), "");
  EXPECT_EQ(normalizeCwe("cwe-12abc"), "");
  EXPECT_EQ(normalizeCwe(""), "");
}

}  // namespace
}  // namespace aspm::ingest
