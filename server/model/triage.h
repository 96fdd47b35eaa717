// Records the shared finding store keeps about triage: a decision as stored (with its project,
// fingerprint, version and approval state), the audit trail and API roles. Plain structs so the
// store's database, wire protocol and server layers share them without depending on each other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/finding.h"

namespace aspm::model {

// The statuses a triage decision may carry, spelled as on the wire.
inline bool isTriageStatus(std::string_view s) {
  return s == "open" || s == "false_positive" || s == "accepted_risk" || s == "wont_fix" || s == "fixed";
}

enum class StoreRole : std::uint8_t { Developer, Security, Admin };

inline std::string_view toString(StoreRole r) {
  switch (r) {
    case StoreRole::Developer: return "developer";
    case StoreRole::Security: return "security";
    case StoreRole::Admin: return "admin";
  }
  return "developer";
}

inline std::optional<StoreRole> storeRoleFromString(std::string_view s) {
  if (s == "developer") return StoreRole::Developer;
  if (s == "security") return StoreRole::Security;
  if (s == "admin") return StoreRole::Admin;
  return std::nullopt;
}

// A decision as the store holds it. `version` comes from a per-project counter, so "everything
// changed since version N" is one range query and versions double as ETags.
struct StoredDecision {
  std::string project;
  std::string fingerprint;
  TriageDecision decision;
  std::int64_t version = 0;
  bool pending = false;     // accepted_risk by a developer, awaiting security approval
  std::string approvedBy;   // empty unless approved
};

struct AuditEntry {
  std::int64_t id = 0;
  std::string project;
  std::string fingerprint;
  std::string action;  // "put", "approve"
  std::string actor;
  std::string at;      // RFC 3339
  std::string status;
  std::string reason;
  std::int64_t version = 0;
};

}  // namespace aspm::model
