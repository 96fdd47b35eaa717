// The reader converts results on a second thread for large logs. These tests hold it to its
// promise: the model and the problems are exactly what one thread produces, in the same order,
// for clean logs, logs with bad results between good ones, run members after the results, logs
// cut in the middle of a result and the largest real logs in the fixtures.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ingest/ingest.h"
#include "sarif_test_helpers.h"

namespace aspm::ingest {
namespace {

void dumpLocation(std::ostringstream& o, const model::Location& l) {
  o << l.uri << (l.resolved ? "+" : "-") << ':' << l.region.startLine << ':' << l.region.startColumn << '-'
    << l.region.endLine << ':' << l.region.endColumn << " '" << l.region.snippet << "' '" << l.message << "' "
    << l.logicalName << ';';
}

// Everything the reader fills in, as text, so a difference shows where it is.
std::string dump(const support::WithProblems<model::ScanSet>& in) {
  std::ostringstream o;
  for (const auto& run : in.value.runs) {
    o << "run " << run.tool.name << ' ' << run.rules.size() << " rules\n";
    for (const auto& rule : run.rules) o << "  rule " << rule.id << ' ' << rule.name << '\n';
  }
  for (const auto& r : in.value.results) {
    o << "result " << r.source.file << '#' << r.source.run << '/' << r.source.result << " run=" << r.run
      << " rule=" << r.rule << ' ' << r.ruleId << " level=" << static_cast<int>(r.level)
      << " kind=" << static_cast<int>(r.kind) << " msg=" << r.message << " md=" << r.messageMarkdown << '\n';
    o << "  loc ";
    for (const auto& l : r.locations) dumpLocation(o, l);
    o << "\n  related ";
    for (const auto& l : r.relatedLocations) dumpLocation(o, l);
    o << "\n  flows ";
    for (const auto& f : r.codeFlows)
      for (const auto& t : f.threadFlows)
        for (const auto& step : t) dumpLocation(o, step.location);
    o << "\n  fixes " << r.fixes.size() << " suppressions " << r.suppressions.size()
      << " baseline=" << static_cast<int>(r.baselineState) << " guid=" << r.guid << " cg=" << r.correlationGuid;
    for (const auto& [k, v] : r.fingerprints) o << " fp " << k << '=' << v;
    for (const auto& [k, v] : r.partialFingerprints) o << " pfp " << k << '=' << v;
    for (const auto& t : r.tags) o << " tag " << t;
    if (r.securitySeverity) o << " sev=" << *r.securitySeverity;
    o << '\n';
  }
  for (const auto& p : in.problems)
    o << "problem " << support::toString(p.severity) << ' ' << p.file << ' ' << p.path << ": " << p.message << '\n';
  return o.str();
}

support::WithProblems<model::ScanSet> ingest(std::string_view text, bool parallel, PathResolver* resolver = nullptr) {
  IngestOptions o;
  o.resolver = resolver;
  o.convertInParallel = parallel;
  return ingestBytes(text, "big.sarif", o);
}

// A result of the kinds real logs carry, varied by `i`; every 97th one is broken in a way the
// reader reports and survives.
std::string result(int i) {
  if (i % 97 == 13) return "\"not a result\"";
  if (i % 97 == 41) return R"({"ruleId":"R1","level":"severe","locations":[]})";
  std::string r = R"({"ruleId":"R)" + std::to_string(i % 7) + R"(","ruleIndex":)" + std::to_string(i % 7) +
                  R"(,"message":{"text":"problem {0} at {1}","arguments":["a)" + std::to_string(i) + R"(","b"]},)";
  r += R"("locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/f)" + std::to_string(i % 50) +
       R"(.c"},"region":{"startLine":)" + std::to_string(1 + i % 300) + R"j(,"startColumn":3,"snippet":{"text":"call(x)"}}}}])j";
  if (i % 5 == 0)
    r += R"(,"codeFlows":[{"threadFlows":[{"locations":[{"location":{"physicalLocation":{"artifactLocation":{"uri":"src/g.c"},"region":{"startLine":)" +
         std::to_string(2 + i % 40) + R"(}},"message":{"text":"step"}}}]}]}])";
  if (i % 3 == 0) r += R"(,"partialFingerprints":{"primaryLocationLineHash":"abc)" + std::to_string(i) + R"(:1"})";
  if (i % 11 == 0) r += R"(,"properties":{"tags":["security","external/cwe/cwe-78"],"security-severity":"8.1"})";
  return r + "}";
}

std::string run(int first, int count, bool toolLast) {
  std::string rules;
  for (int k = 0; k < 7; ++k)
    rules += (k ? "," : "") + std::string(R"({"id":"R)") + std::to_string(k) + R"(","name":"Rule)" + std::to_string(k) +
             R"(","shortDescription":{"text":"d"}})";
  const std::string tool = R"("tool":{"driver":{"name":"Gen","rules":[)" + rules + "]}}";
  std::string results;
  for (int i = first; i < first + count; ++i) results += (i > first ? "," : "") + result(i);
  if (toolLast) return R"({"results":[)" + results + R"(],"artifacts":[{"location":{"uri":"src/f1.c"}}],)" + tool + "}";
  return "{" + tool + R"(,"results":[)" + results + "]}";
}

std::string bigLog() {
  return testing::sarifLog(run(0, 1500, false) + "," + run(1500, 2100, true) + "," + run(3600, 700, false) +
                           R"(,{"tool":{"driver":{"name":"Empty"}},"results":{}})");
}

TEST(SarifParallel, TheSecondThreadChangesNothing) {
  const std::string log = bigLog();
  const auto serial = ingest(log, false);
  const auto parallel = ingest(log, true);
  std::size_t notObjects = 0;
  for (int i = 0; i < 4300; ++i) notObjects += i % 97 == 13;
  ASSERT_EQ(serial.value.results.size(), 4300u - notObjects) << testing::describe(serial.problems);
  EXPECT_FALSE(serial.problems.empty());
  EXPECT_EQ(dump(parallel), dump(serial));
}

TEST(SarifParallel, ALogCutInTheMiddleOfAResultKeepsTheSameResults) {
  const std::string log = bigLog();
  for (const double at : {0.31, 0.5, 0.77, 0.999}) {
    const std::string cut = log.substr(0, static_cast<std::size_t>(static_cast<double>(log.size()) * at));
    const auto serial = ingest(cut, false);
    const auto parallel = ingest(cut, true);
    EXPECT_GT(serial.value.results.size(), 0u) << "cut at " << at;
    EXPECT_EQ(dump(parallel), dump(serial)) << "cut at " << at;
  }
}

TEST(SarifParallel, ResultsAreResolvedAgainstTheWorkspaceAlike) {
  testing::TempDir ws;
  for (int f = 0; f < 50; ++f) ws.write("src/f" + std::to_string(f) + ".c", "int x;\n");
  const std::string log = bigLog();
  PathResolver a(ws.str()), b(ws.str());
  EXPECT_EQ(dump(ingest(log, true, &a)), dump(ingest(log, false, &b)));
}

// A run whose results are finished batch by batch while it is read, with members after the
// results that change them: base URIs (Trivy writes originalUriBaseIds last), an artifacts
// array read a second time, and columnKind for results placed by character offsets.
std::string lateMembersRun(bool secondArtifacts) {
  std::string results;
  for (int i = 0; i < 1500; ++i) {
    std::string loc;
    switch (i % 5) {
      case 0: loc = R"("artifactLocation":{"uri":"f)" + std::to_string(i % 9) + R"(.c","uriBaseId":"SRC"})"; break;
      case 1: loc = R"("artifactLocation":{"index":)" + std::to_string(i % 3) + "}"; break;
      case 2: loc = R"("artifactLocation":{"uri":"src/f)" + std::to_string(i % 9) + R"(.c"})"; break;
      case 3: loc = R"("artifactLocation":{"uri":"src/u.c"},"region":{"charOffset":)" + std::to_string(i % 7) +
                    R"(,"charLength":2})"; break;
      default: loc = R"("artifactLocation":{"index":7})"; break;  // out of range until read again
    }
    if (i % 5 != 3) loc += R"(,"region":{"startLine":)" + std::to_string(1 + i % 40) + "}";
    std::string message = i % 4 == 0 ? R"({"id":"m","arguments":["x)" + std::to_string(i) + R"("]})"
                                     : i % 4 == 1 ? R"({"id":"m","text":"given","arguments":["y"]})" : R"({})";
    results += (i ? "," : "") + std::string(R"({"ruleId":"R)") + std::to_string(i % 3) + R"(","message":)" + message +
               R"(,"locations":[{"physicalLocation":{)" + loc + "}}]}";
  }
  const std::string tool =
      R"("tool":{"driver":{"name":"Late","rules":[{"id":"R0","messageStrings":{"m":{"text":"found {0}"}}},)"
      R"({"id":"R1","shortDescription":{"text":"short"}},{"id":"R2","messageStrings":{"m":{"text":"two {0}"}}}]}})";
  const std::string artifacts =
      R"("artifacts":[{"location":{"uri":"a0.c","uriBaseId":"SRC"}},{"location":{"uri":"src/a1.c"}},{"location":{"uri":"src/a2.c"}}])";
  std::string again;
  if (secondArtifacts) {
    again = R"(,"artifacts":[{"location":{"uri":"src/b0.c"}},{"location":{"uri":"src/b1.c"}},{"location":{"uri":"src/b2.c"}},)"
            R"({"location":{"uri":"src/b3.c"}},{"location":{"uri":"src/b4.c"}},{"location":{"uri":"src/b5.c"}},)"
            R"({"location":{"uri":"src/b6.c"}},{"location":{"uri":"src/b7.c"}}])";
  }
  return "{" + tool + "," + artifacts + R"(,"results":[)" + results + "]" + again +
         R"(,"originalUriBaseIds":{"SRC":{"uri":"lib/"}},"columnKind":"unicodeCodePoints"})";
}

TEST(SarifParallel, MembersAfterResultsFinishedEarlyStillApply) {
  testing::TempDir ws;
  for (int f = 0; f < 9; ++f) {
    ws.write("src/f" + std::to_string(f) + ".c", "int x;\n");
    ws.write("lib/f" + std::to_string(f) + ".c", "int y;\n");
  }
  ws.write("src/u.c", "// \xF0\x9F\x98\x80 wide\nint z;\n");  // code points and UTF-16 units differ
  for (const bool again : {false, true}) {
    const std::string log = testing::sarifLog(lateMembersRun(again) + "," + lateMembersRun(!again));
    PathResolver a(ws.str()), b(ws.str());
    const auto parallel = ingest(log, true, &a);
    const auto serial = ingest(log, false, &b);
    ASSERT_EQ(serial.value.results.size(), 3000u) << testing::describe(serial.problems);
    EXPECT_EQ(dump(parallel), dump(serial)) << "second artifacts array in the first run: " << again;
    // The late base applies to results finished before it was read.
    const auto& r0 = parallel.value.results[0];
    ASSERT_FALSE(r0.locations.empty());
    EXPECT_EQ(r0.locations[0].uri, "lib/f0.c");
    EXPECT_TRUE(r0.locations[0].resolved);
    EXPECT_EQ(r0.message, "found x0");
    EXPECT_EQ(parallel.value.results[1].message, "given");  // R1 has no template: the text stays
    EXPECT_EQ(parallel.value.results[5].message, "two y");  // R2 has one: it wins over the text
    EXPECT_EQ(parallel.value.results[4].message, "short");  // no message: the rule's description
    EXPECT_EQ(parallel.value.results[2].message, "R2");     // nor a description: the rule id
  }
}

TEST(SarifParallel, TheLargestRealLogsComeOutTheSame) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(ASPM_SHARED_FIXTURES) / "real-sarif";
  if (!fs::exists(root)) GTEST_SKIP() << "no fixtures at " << root;
  std::vector<std::pair<std::uintmax_t, fs::path>> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ".sarif") files.emplace_back(e.file_size(), e.path());
  std::sort(files.rbegin(), files.rend());
  ASSERT_GE(files.size(), 3u);
  std::size_t checked = 0;
  for (std::size_t i = 0; i < 5 && i < files.size(); ++i) {
    std::ifstream in(files[i].second, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto serial = ingest(text, false);
    const auto parallel = ingest(text, true);
    EXPECT_EQ(dump(parallel), dump(serial)) << files[i].second;
    checked += serial.value.results.size();
  }
  EXPECT_GT(checked, 256u) << "the largest fixtures should hold more than one batch of results";
}

}  // namespace
}  // namespace aspm::ingest
