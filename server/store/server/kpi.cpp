// KPI definitions (docs/store.md "KPIs"): every number is counted over the fingerprints the
// project's scans reported, with "open" meaning reported and not fixed since.
#include "store/server/kpi.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "support/time.h"

namespace aspm::store::server {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

int digits(const std::string& s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

std::optional<double> ratio(std::int64_t num, std::int64_t den) {
  if (den <= 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

std::string dateOf(std::int64_t ms) {
  return support::utcDate(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}

}  // namespace

std::optional<std::int64_t> parseUtcMillis(const std::string& s) {
  const int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  const int h = digits(s, 11, 2), mi = digits(s, 14, 2), se = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
    return std::nullopt;
  if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':') return std::nullopt;
  std::size_t pos = 19;
  std::int64_t millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    std::int64_t scale = 100;
    for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos) {
      millis += (s[pos] - '0') * scale;
      scale /= 10;
    }
  }
  const std::string zone = s.substr(pos);
  if (zone != "Z" && zone != "z" && zone != "+00:00") return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)),
                                        std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  const auto days = std::chrono::sys_days(ymd).time_since_epoch().count();
  return static_cast<std::int64_t>(days) * kDayMs + ((h * 60 + mi) * 60 + se) * 1000LL + millis;
}

protocol::Kpis computeKpis(const KpiInput& in) {
  protocol::Kpis k;
  k.project = in.project;
  k.days = in.days;
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(in.now.time_since_epoch()).count();
  const std::int64_t windowStart = now - static_cast<std::int64_t>(in.days) * kDayMs;
  k.generatedAt = support::utcTimestamp(in.now, true);
  k.windowStart = support::utcTimestamp(std::chrono::system_clock::time_point(std::chrono::milliseconds(windowStart)), true);

  std::unordered_set<std::string> decided;
  for (const auto& d : in.decisions) {
    decided.insert(d.fingerprint);
    ++k.decisions;
    if (d.decision.status == "false_positive") ++k.falsePositives;
  }
  k.falsePositiveRate = ratio(k.falsePositives, k.decisions);

  struct Life {
    std::int64_t first = 0;
    std::optional<std::int64_t> fixed;
    bool exploitable = false;
  };
  std::vector<Life> lives;
  lives.reserve(in.history.size());
  std::map<std::string, std::int64_t> byBucket, bySeverity;
  double mttrCritical = 0, mttrHigh = 0;
  for (const auto& h : in.history) {
    const auto first = parseUtcMillis(h.firstSeen);
    if (!first) continue;  // not written by this store; nothing sensible to count
    Life life{*first, h.fixedAt.empty() ? std::nullopt : parseUtcMillis(h.fixedAt), h.exploitable};
    ++k.tracked;
    if (decided.contains(h.fingerprint)) ++k.triaged;
    if (!life.fixed) {
      ++k.open;
      if (h.exploitable) ++k.exploitableOpen;
      k.riskSum += h.risk;
      k.riskMax = std::max(k.riskMax, h.risk);
      ++byBucket[h.bucket.empty() ? "unknown" : h.bucket];
      ++bySeverity[h.severity];
    } else if (*life.fixed >= windowStart && *life.fixed <= now) {
      ++k.fixedInWindow;
      const double days = static_cast<double>(*life.fixed - life.first) / static_cast<double>(kDayMs);
      if (h.severity == "critical") {
        ++k.fixedCritical;
        mttrCritical += days;
      } else if (h.severity == "high") {
        ++k.fixedHigh;
        mttrHigh += days;
      }
    }
    lives.push_back(life);
  }
  if (k.fixedCritical) k.mttrCriticalDays = mttrCritical / static_cast<double>(k.fixedCritical);
  if (k.fixedHigh) k.mttrHighDays = mttrHigh / static_cast<double>(k.fixedHigh);
  k.triageRate = ratio(k.triaged, k.tracked);
  k.fixRate = ratio(k.fixedInWindow, k.fixedInWindow + k.open);
  k.openByBucket.assign(byBucket.begin(), byBucket.end());
  k.openBySeverity.assign(bySeverity.begin(), bySeverity.end());

  k.scans = static_cast<std::int64_t>(in.scansInWindow.size());
  k.repositories = static_cast<std::int64_t>(in.repositories.size());
  for (const auto& kind : in.requiredKinds) {
    std::set<std::string> covered;
    for (const auto& s : in.scansInWindow) {
      const auto at = parseUtcMillis(s.at);
      if (at && *at >= windowStart && std::find(s.kinds.begin(), s.kinds.end(), kind) != s.kinds.end())
        covered.insert(s.repository);
    }
    k.coverage.push_back({kind, static_cast<std::int64_t>(covered.size()), ratio(static_cast<std::int64_t>(covered.size()), k.repositories)});
  }

  // One point per UTC day, the last one being today (its end is now).
  const std::int64_t today = now - ((now % kDayMs) + kDayMs) % kDayMs;
  for (int i = in.days - 1; i >= 0; --i) {
    const std::int64_t dayStart = today - static_cast<std::int64_t>(i) * kDayMs;
    const std::int64_t dayEnd = std::min(dayStart + kDayMs, now + 1);  // exclusive
    protocol::KpiDay day;
    day.date = dateOf(dayStart);
    for (const auto& l : lives) {
      const bool openAtEnd = l.first < dayEnd && (!l.fixed || *l.fixed >= dayEnd);
      if (openAtEnd) {
        ++day.open;
        if (l.exploitable) ++day.exploitable;
      }
      if (l.fixed && *l.fixed >= dayStart && *l.fixed < dayEnd) ++day.fixed;
    }
    k.series.push_back(std::move(day));
  }
  return k;
}

}  // namespace aspm::store::server
