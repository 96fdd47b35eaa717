// Policy evaluation entry point for the CLI (see gate.h).
#include "engine/gate.h"

#include <algorithm>

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

Gate runGate(Analysis& analysis, const std::string& policyFile, std::string_view today, const FirstSeenSource& firstSeen) {
  Gate g;
  auto loaded = policy::loadPolicy(policyFile);
  g.policy = std::move(loaded.value);
  g.problems = std::move(loaded.problems);
  const std::string day = today.empty() ? todayUtc() : std::string(today);
  const bool usesAge =
      std::any_of(g.policy.rules.begin(), g.policy.rules.end(), [](const policy::Rule& r) { return r.when.age.has_value(); });
  std::string note;
  const bool usable = std::none_of(g.problems.begin(), g.problems.end(),
                                   [](const support::Problem& p) { return p.severity != support::ProblemSeverity::Warning; });
  if (usesAge && usable && firstSeen) note = firstSeen(analysis);
  g.result = policy::evaluate(g.policy, analysis.findings, analysis.scans, day);
  g.result.ageNote = std::move(note);
  return g;
}

}  // namespace aspm::engine
