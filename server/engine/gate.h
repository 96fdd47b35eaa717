// The CI gate over a finished analysis: read the policy file, evaluate it against the findings.
// The CLI reaches policy/ through this function, as the layering requires (docs/policy.md).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "engine/analysis.h"
#include "policy/policy.h"

namespace aspm::engine {

struct Gate {
  policy::Policy policy;
  policy::GateResult result;
  support::Problems problems;  // the policy's own problems (a Fatal one means "unusable")
};

// `today` is YYYY-MM-DD (expiry of exceptions and triage decisions, findings' age); empty means
// the UTC date now.
Gate runGate(const Analysis& analysis, const std::string& policyFile, std::string_view today = {});

// Sets model::Finding::firstSeen where it is known (the store, a baseline) and returns the
// sentence saying where the dates came from, for the gate's output.
using FirstSeenSource = std::function<std::string(Analysis&)>;

// Same, asking `firstSeen` for the dates only when the policy has an age condition (so a gate
// without one never contacts the store for them).
Gate runGate(Analysis& analysis, const std::string& policyFile, std::string_view today, const FirstSeenSource& firstSeen);

// Today's UTC date as YYYY-MM-DD.
std::string todayUtc();

}  // namespace aspm::engine
