// The KPIs of a project (GET /v1/projects/{p}/kpis, the dashboard, `aspm kpi`) as a pure function
// of what storage holds: scans, the history of each fingerprint and the triage decisions. Kept
// apart from the routing so the definitions (docs/store.md) are tested on exact inputs and times.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "model/triage.h"
#include "store/db/database.h"
#include "store/protocol/messages.h"

namespace aspm::store::server {

struct KpiInput {
  std::string project;
  int days = 30;
  std::chrono::system_clock::time_point now;
  std::vector<std::string> requiredKinds;        // scan coverage is reported for these
  std::vector<db::ScanRecord> scansInWindow;     // scans at or after now - days
  std::vector<std::string> repositories;         // every repository with a scan
  std::vector<db::FindingHistory> history;
  std::vector<model::StoredDecision> decisions;  // current decisions of the project
};

protocol::Kpis computeKpis(const KpiInput& input);

// Milliseconds since the epoch of an RFC 3339 UTC time as the store writes it
// ("2026-11-27T10:00:00.123Z"; the fraction and offsets other than Z/+00:00 are optional);
// nothing for anything else.
std::optional<std::int64_t> parseUtcMillis(const std::string& text);

}  // namespace aspm::store::server
