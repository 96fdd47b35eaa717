// The reply of GET /v1/projects/{project}/findings: each fingerprint's life across the project's
// scans (first seen, last seen, fixed at), which `aspm gate` reads for policy `age` conditions.
// Its own file so the scan and decision messages stay as they are.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aspm::store::protocol {

struct HistoryEntry {
  std::string fingerprint;
  std::string repository;
  std::string kind;
  std::string severity;
  std::string firstSeen;  // RFC 3339 UTC
  std::string lastSeen;
  std::string fixedAt;    // "" while open
};

// {"project": P, "findings": [{"fingerprint", "repository", "kind", "severity", "firstSeen",
// "lastSeen", "fixedAt" (null while open)}]}
std::string historyJson(std::string_view project, const std::vector<HistoryEntry>& entries);

}  // namespace aspm::store::protocol
