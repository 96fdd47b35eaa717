// CVSS v3.1 arithmetic, the EPSS reader (plain and gzip), and the risk explanation and buckets.
#include <gtest/gtest.h>
#include <zlib.h>

#include "correlate/correlate.h"
#include "correlate/cvss.h"
#include "correlate/risk.h"

namespace aspm::correlate {
namespace {

TEST(Cvss, BaseScoresMatchTheSpecification) {
  auto score = [](const char* v) { return parseCvss3(v).value().baseScore; };
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 10.0);
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"), 8.8);
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 6.1);
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N"), 5.5);
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"), 5.9);
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"), 7.5);
  EXPECT_DOUBLE_EQ(score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"), 0.0);
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"), 1.6);
}

TEST(Cvss, RoundupAvoidsFloatingPointDrift) {
  EXPECT_DOUBLE_EQ(cvssRoundup(4.02), 4.1);
  EXPECT_DOUBLE_EQ(cvssRoundup(4.0), 4.0);
  EXPECT_DOUBLE_EQ(cvssRoundup(4.000000001), 4.0);
}

TEST(Cvss, RejectsBrokenVectorsAndFindsOneInText) {
  EXPECT_FALSE(parseCvss3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"));          // A missing
  EXPECT_FALSE(parseCvss3("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));      // bad value
  EXPECT_FALSE(parseCvss3("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));  // repeated
  EXPECT_FALSE(parseCvss3("CVSS:2.0/AV:N"));
  auto c = findCvss3("score | CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O | more");
  ASSERT_TRUE(c);
  EXPECT_DOUBLE_EQ(c->baseScore, 9.8);
  EXPECT_EQ(c->vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
}

const char* const kEpss =
    "#model_version:v2023.03.01,score_date:2024-05-01T00:00:00+0000\n"
    "cve,epss,percentile\n"
    "CVE-2021-44228,0.97565,0.99996\r\n"
    "CVE-2020-8203,0.01234,0.80000\n"
    "garbage line\n";

std::string gzip(std::string_view s) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(s.size() + 128, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  zs.avail_in = static_cast<uInt>(s.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TEST(Epss, ReadsPlainAndGzippedCsvAndReportsBadRows) {
  for (const std::string& bytes : {std::string(kEpss), gzip(kEpss)}) {
    std::string model;
    auto r = parseEpssCsv(bytes, "epss.csv", &model);
    ASSERT_EQ(r.value.size(), 2u);
    EXPECT_DOUBLE_EQ(r.value.at("CVE-2021-44228").epss, 0.97565);
    EXPECT_DOUBLE_EQ(r.value.at("CVE-2020-8203").percentile, 0.8);
    EXPECT_NE(model.find("v2023.03.01"), std::string::npos);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].path, "line 5");
  }
}

TEST(Epss, MissingHeaderOrCorruptGzipIsFatal) {
  auto r = parseEpssCsv("CVE-1,0.1,0.2\n", "x.csv");
  ASSERT_FALSE(r.problems.empty());
  EXPECT_EQ(r.problems[0].severity, support::ProblemSeverity::Fatal);
  std::string broken = gzip(kEpss);
  broken.resize(broken.size() / 2);
  auto g = parseEpssCsv(broken, "x.csv.gz");
  ASSERT_FALSE(g.problems.empty());
  EXPECT_EQ(g.problems[0].severity, support::ProblemSeverity::Fatal);
}

model::ScanSet scaScan(const std::string& cve, const std::string& helpMarkdown, const std::string& uri) {
  model::ScanSet s;
  model::Run run;
  run.tool.name = "Trivy";
  model::Rule rule;
  rule.id = cve;
  rule.helpMarkdown = helpMarkdown;
  run.rules.push_back(rule);
  s.runs.push_back(run);
  model::Result r;
  r.rule = 0;
  r.ruleId = cve;
  r.level = model::Level::Warning;
  r.message = "Package: log4j-core\nVulnerability " + cve + "\nFixed Version: 2.15.0";
  model::Location loc;
  loc.uri = uri;
  loc.resolved = true;
  loc.region.startLine = 1;
  r.locations.push_back(loc);
  s.results.push_back(r);
  return s;
}

const model::RiskFactor* factor(const model::Finding& f, const std::string& name) {
  for (const auto& e : f.risk.explanation)
    if (e.name == name) return &e;
  return nullptr;
}

TEST(Risk, ExplainsEveryFactorWithSourceAndEffect) {
  auto s = scaScan("CVE-2021-44228", "| CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H |", "services/api/pom.xml");
  RiskContext ctx;
  ctx.epss["CVE-2021-44228"] = {0.97565, 0.99996};
  ctx.epssSource = "epss.csv.gz";
  ctx.kev["CVE-2021-44228"] = {"2021-12-10", true};
  ctx.kevSource = "kev.json";
  Application app;
  app.name = "api";
  app.paths = {"services/api/**"};
  app.criticality = "critical";
  app.internetFacing = true;
  app.source = ".aspm/config.yaml:3";
  ctx.applications.push_back(app);
  CorrelateOptions o;
  o.content = [](const std::string&) { return std::make_shared<const std::string>("x\n"); };
  o.risk = &ctx;
  const auto c = correlate(s, o);
  ASSERT_EQ(c.findings.size(), 1u);
  const auto& f = c.findings[0];
  EXPECT_EQ(f.risk.bucket, "immediate");
  EXPECT_GE(f.risk.score, 750);
  EXPECT_LE(f.risk.score, 1000);
  ASSERT_TRUE(factor(f, "severity"));
  EXPECT_DOUBLE_EQ(factor(f, "severity")->numeric, 10.0);
  EXPECT_NE(factor(f, "severity")->source.find("CVSS:3.1/AV:N"), std::string::npos);
  ASSERT_TRUE(factor(f, "kev"));
  EXPECT_NE(factor(f, "kev")->value.find("ransomware"), std::string::npos);
  EXPECT_EQ(factor(f, "kev")->source, "kev.json");
  EXPECT_EQ(factor(f, "epss")->source, "epss.csv.gz");
  EXPECT_EQ(factor(f, "exposure")->value, "internet-facing");
  EXPECT_NE(factor(f, "exposure")->source.find(".aspm/config.yaml:3"), std::string::npos);
  EXPECT_EQ(factor(f, "criticality")->value, "critical");
  EXPECT_EQ(factor(f, "reachability")->value, "unknown");
  for (const auto& e : f.risk.explanation) EXPECT_FALSE(e.effect.empty()) << e.name;
}

TEST(Risk, BucketsOrderTheScore) {
  auto s = scaScan("CVE-2020-8203", "", "lib/pom.xml");
  RiskContext ctx;
  ctx.epss["CVE-2020-8203"] = {0.01, 0.5};
  ctx.epssSource = "epss.csv";
  CorrelateOptions o;
  o.risk = &ctx;
  const auto low = correlate(s, o).findings.at(0);
  EXPECT_EQ(low.risk.bucket, "scheduled");  // medium (warning level), exploitation unlikely
  EXPECT_GE(low.risk.score, 250);
  EXPECT_LT(low.risk.score, 500);
  ctx.kev["CVE-2020-8203"] = {"2024-01-01", false};
  const auto kev = correlate(s, o).findings.at(0);
  EXPECT_EQ(kev.risk.bucket, "out-of-cycle");
  EXPECT_GT(kev.risk.score, low.risk.score);
}

TEST(Risk, SuppressedFindingsAreDeferredAndCountedAsNoise) {
  auto s = scaScan("CVE-2020-8203", "", "lib/pom.xml");
  s.results[0].suppressions.push_back({"external", "accepted", "not used"});
  const auto c = correlate(s, CorrelateOptions{});
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_EQ(c.findings[0].risk.bucket, "defer");
  EXPECT_EQ(c.noise.deprioritized, 1u);
  ASSERT_EQ(c.noise.deprioritizedWhy.size(), 1u);
  EXPECT_EQ(c.noise.deprioritizedWhy[0].first, "suppressed in the report");
}

}  // namespace
}  // namespace aspm::correlate
