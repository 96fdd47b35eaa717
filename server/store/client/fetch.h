// One-shot reading of a project's decisions from aspm-store, for batch runs (`aspm findings`,
// `aspm gate` in CI) that have no long-lived sync client. Never throws; an unreachable or
// refusing store is a problem naming the store URL, and the caller goes on without it.
#pragma once

#include <vector>

#include "model/triage.h"
#include "store/client/sync.h"
#include "support/problem.h"

namespace aspm::store::client {

support::WithProblems<std::vector<model::StoredDecision>> fetchDecisions(const SyncConfig& config);

}  // namespace aspm::store::client
