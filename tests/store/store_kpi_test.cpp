// The KPI definitions of docs/store.md on exact inputs: computeKpis is a pure function of scans,
// history and decisions at a given time, so MTTR, rates, coverage and the daily series are checked
// to the day without waiting for real time to pass.
#include <gtest/gtest.h>

#include "store/server/kpi.h"

namespace aspm::store::server {
namespace {

std::chrono::system_clock::time_point at(const std::string& text) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(*parseUtcMillis(text)));
}

db::FindingHistory life(const std::string& fp, const std::string& severity, const std::string& first,
                        const std::string& fixed, bool exploitable = false, double risk = 100,
                        const std::string& bucket = "scheduled") {
  db::FindingHistory h;
  h.fingerprint = fp;
  h.repository = "web";
  h.kind = "sast";
  h.severity = severity;
  h.bucket = bucket;
  h.exploitable = exploitable;
  h.risk = risk;
  h.firstSeen = first;
  h.lastSeen = first;
  h.fixedAt = fixed;
  return h;
}

TEST(Kpi, ParsesTheStoresTimes) {
  EXPECT_EQ(parseUtcMillis("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parseUtcMillis("1970-01-02T00:00:01.250Z"), 86'401'250);
  EXPECT_EQ(parseUtcMillis("2026-11-27T10:00:00+00:00"), parseUtcMillis("2026-11-27T10:00:00.000Z"));
  EXPECT_FALSE(parseUtcMillis("2026-02-30T10:00:00Z"));
  EXPECT_FALSE(parseUtcMillis("2026-11-27 10:00:00"));
  EXPECT_FALSE(parseUtcMillis("2026-11-27T10:00:00+02:00"));
  EXPECT_FALSE(parseUtcMillis(""));
}

TEST(Kpi, DefinitionsOnKnownData) {
  KpiInput in;
  in.project = "shop";
  in.days = 10;
  in.now = at("2026-11-27T12:00:00.000Z");
  in.requiredKinds = {"sast", "sca", "secrets"};
  in.repositories = {"api", "web", "worker"};
  db::ScanRecord s1;
  s1.repository = "web";
  s1.kinds = {"sast", "sca"};
  s1.at = "2026-11-20T09:00:00.000Z";
  db::ScanRecord s2 = s1;
  s2.repository = "api";
  s2.kinds = {"sast"};
  s2.at = "2026-11-26T09:00:00.000Z";
  in.scansInWindow = {s1, s2};
  in.history = {
      life("c1", "critical", "2026-11-20T12:00:00.000Z", "2026-11-24T12:00:00.000Z"),  // 4 days
      life("c2", "critical", "2026-11-21T12:00:00.000Z", "2026-11-23T12:00:00.000Z"),  // 2 days
      life("h1", "high", "2026-11-01T00:00:00.000Z", "2026-11-26T00:00:00.000Z"),      // 25 days, fixed in the window
      life("h2", "high", "2026-10-01T00:00:00.000Z", "2026-10-05T00:00:00.000Z"),      // fixed before the window
      life("o1", "high", "2026-11-25T08:00:00.000Z", "", true, 800, "immediate"),
      life("o2", "low", "2026-11-26T08:00:00.000Z", "", false, 50, "defer"),
  };
  model::StoredDecision fp;
  fp.fingerprint = "o2";
  fp.decision.status = "false_positive";
  model::StoredDecision ar;
  ar.fingerprint = "c1";
  ar.decision.status = "accepted_risk";
  model::StoredDecision gone;  // a decision on a fingerprint no scan reported
  gone.fingerprint = "zz";
  gone.decision.status = "wont_fix";
  in.decisions = {fp, ar, gone};

  const auto k = computeKpis(in);
  EXPECT_EQ(k.windowStart, "2026-11-17T12:00:00.000Z");
  ASSERT_TRUE(k.mttrCriticalDays);
  EXPECT_DOUBLE_EQ(*k.mttrCriticalDays, 3.0);
  ASSERT_TRUE(k.mttrHighDays);
  EXPECT_DOUBLE_EQ(*k.mttrHighDays, 25.0);
  EXPECT_EQ(k.fixedCritical, 2);
  EXPECT_EQ(k.fixedHigh, 1);
  EXPECT_EQ(k.open, 2);
  EXPECT_EQ(k.exploitableOpen, 1);
  EXPECT_DOUBLE_EQ(k.riskSum, 850);
  EXPECT_DOUBLE_EQ(k.riskMax, 800);
  EXPECT_EQ(k.openByBucket, (std::vector<std::pair<std::string, std::int64_t>>{{"defer", 1}, {"immediate", 1}}));
  EXPECT_EQ(k.tracked, 6);
  EXPECT_EQ(k.triaged, 2);
  EXPECT_DOUBLE_EQ(*k.triageRate, 2.0 / 6.0);
  EXPECT_EQ(k.decisions, 3);
  EXPECT_DOUBLE_EQ(*k.falsePositiveRate, 1.0 / 3.0);
  EXPECT_EQ(k.fixedInWindow, 3);
  EXPECT_DOUBLE_EQ(*k.fixRate, 3.0 / 5.0);
  EXPECT_EQ(k.scans, 2);
  ASSERT_EQ(k.coverage.size(), 3u);
  EXPECT_EQ(k.coverage[0].covered, 2);  // sast: web and api
  EXPECT_DOUBLE_EQ(*k.coverage[0].rate, 2.0 / 3.0);
  EXPECT_EQ(k.coverage[1].covered, 1);  // sca: web
  EXPECT_EQ(k.coverage[2].covered, 0);  // secrets: none
  EXPECT_DOUBLE_EQ(*k.coverage[2].rate, 0.0);

  ASSERT_EQ(k.series.size(), 10u);
  EXPECT_EQ(k.series.front().date, "2026-11-18");
  EXPECT_EQ(k.series.back().date, "2026-11-27");
  auto day = [&](const std::string& date) {
    for (const auto& d : k.series)
      if (d.date == date) return d;
    return protocol::KpiDay{};
  };
  EXPECT_EQ(day("2026-11-18").open, 1);  // h1
  EXPECT_EQ(day("2026-11-21").open, 3);  // h1, c1, c2
  EXPECT_EQ(day("2026-11-23").fixed, 1);  // c2
  EXPECT_EQ(day("2026-11-23").open, 2);
  EXPECT_EQ(day("2026-11-25").open, 2);   // h1, o1 (c1 fixed the day before)
  EXPECT_EQ(day("2026-11-25").exploitable, 1);
  EXPECT_EQ(day("2026-11-26").fixed, 1);  // h1 at midnight
  EXPECT_EQ(day("2026-11-27").open, 2);
}

TEST(Kpi, EmptyDenominatorsAreNull) {
  KpiInput in;
  in.project = "empty";
  in.days = 1;
  in.now = at("2026-11-27T00:00:00.000Z");
  in.requiredKinds = {"sast"};
  const auto k = computeKpis(in);
  EXPECT_FALSE(k.mttrCriticalDays);
  EXPECT_FALSE(k.triageRate);
  EXPECT_FALSE(k.falsePositiveRate);
  EXPECT_FALSE(k.fixRate);
  ASSERT_EQ(k.coverage.size(), 1u);
  EXPECT_FALSE(k.coverage[0].rate);
  ASSERT_EQ(k.series.size(), 1u);
  EXPECT_EQ(k.series[0].date, "2026-11-27");
}

}  // namespace
}  // namespace aspm::store::server
