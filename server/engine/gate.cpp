// Policy evaluation entry point for the CLI (see gate.h).
#include "engine/gate.h"

#include <ctime>

namespace aspm::engine {

std::string todayUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

Gate runGate(const Analysis& analysis, const std::string& policyFile, std::string_view today) {
  Gate g;
  auto loaded = policy::loadPolicy(policyFile);
  g.policy = std::move(loaded.value);
  g.problems = std::move(loaded.problems);
  const std::string day = today.empty() ? todayUtc() : std::string(today);
  g.result = policy::evaluate(g.policy, analysis.findings, analysis.scans, day);
  return g;
}

}  // namespace aspm::engine
