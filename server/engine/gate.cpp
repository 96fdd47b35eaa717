// Policy evaluation entry point for the CLI (see gate.h).
#include "engine/gate.h"

#include "support/time.h"

namespace aspm::engine {

std::string todayUtc() { return support::utcDate(std::chrono::system_clock::now()); }

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
