// Batch exchanges with the team's aspm-store beyond reading decisions: posting the correlated
// findings of a scan (`aspm findings --upload`, `aspm gate --upload`) and reading the project's
// KPIs (`aspm kpi`). The engine only moves the bytes: the CLI builds and reads the JSON bodies
// (docs/openapi.yaml), so no JSON enters the engine. Never throws; an unreachable or refusing
// store is a problem naming the store URL.
#pragma once

#include <chrono>
#include <string>

#include "support/problem.h"

namespace aspm::engine {

struct StoreTarget {
  std::string url;      // http://host:port[/prefix]
  std::string project;
  std::string token;
  std::chrono::milliseconds timeout{60'000};
};

// POST /v1/projects/{project}/scans with `body`; the store's JSON reply on 201. Any other answer
// is a Fatal problem (the upload was asked for, so failing it fails the command).
support::WithProblems<std::string> uploadScan(const StoreTarget& store, const std::string& body);

// GET /v1/projects/{project}/kpis?days=N; the JSON reply on 200, else a Fatal problem.
support::WithProblems<std::string> fetchKpis(const StoreTarget& store, int days);

// GET /v1/projects/{project}/findings: each fingerprint's first seen / last seen / fixed at, for
// policy age conditions. The JSON reply on 200, else a Fatal problem (the caller decides).
support::WithProblems<std::string> fetchFindingHistory(const StoreTarget& store);

}  // namespace aspm::engine
