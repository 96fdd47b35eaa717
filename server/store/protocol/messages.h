// The JSON bodies of the store's REST API (/v1/…), documented in docs/openapi.yaml. Parsing
// never throws: a bad body yields an error naming the JSON path, which the server returns as a
// 400 so the client sees exactly which field was wrong.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/triage.h"

namespace aspm::store::protocol {

// PUT /v1/projects/{p}/decisions/{fingerprint} body.
struct DecisionBody {
  std::string status;
  std::string reason;
  std::string expires;  // RFC 3339 or empty
};

struct ParseError {
  std::string message;
  std::string path;  // JSON path of the offending value ("$.status"), "$" for the whole body
};

struct DecisionParse {
  std::optional<DecisionBody> value;
  std::optional<ParseError> error;
};

DecisionParse parseDecisionBody(std::string_view body);

// POST /v1/projects/{p}/scans body: the correlated findings of one scan (`aspm findings
// --format json` items carry the same field names). Kinds use the scan vocabulary (sast, sca,
// iac, secrets, other); a finding's kind "secret" is read as "secrets".
struct ScanFindingBody {
  std::string id;
  std::string ruleId;
  std::string tool;
  std::string kind;
  std::string severity;
  std::string bucket;
  double riskScore = 0;
  bool exploitable = false;
  std::string path;
  // Optional, read by the store's ticketing rules and written into ticket bodies; an older
  // client that does not send them gets tickets without them.
  std::string title;    // the rule's short description or name
  std::string message;  // what the tool said
  std::vector<std::string> cwes;
  std::int64_t line = 0;      // 1-based start line; 0 = not known
  bool kev = false;           // on the CISA KEV catalog
  std::string reachability;   // reachable | unreachable | "" (not known)
};

struct ScanBody {
  std::string revision;  // empty when null or absent
  std::vector<std::string> kinds;
  std::string repository;
  std::vector<ScanFindingBody> findings;
};

struct ScanParse {
  std::optional<ScanBody> value;
  std::optional<ParseError> error;
};

ScanParse parseScanBody(std::string_view body);

// The reply to an upload.
struct ScanReplyBody {
  std::int64_t id = 0;
  std::string at;
  std::string revision;
  std::vector<std::string> kinds;
  std::string repository;
  std::int64_t count = 0;
  std::int64_t added = 0, seen = 0, reopened = 0, fixed = 0;
};
std::string scanReplyJson(std::string_view project, const ScanReplyBody& scan);

// GET /v1/projects/{p}/kpis: the definitions are in docs/store.md. A rate or a mean with an
// empty denominator is null (absent here).
struct KpiDay {
  std::string date;  // YYYY-MM-DD (UTC)
  std::int64_t open = 0;
  std::int64_t fixed = 0;
  std::int64_t exploitable = 0;
};

struct KpiCoverage {
  std::string kind;
  std::int64_t covered = 0;
  std::optional<double> rate;
};

struct Kpis {
  std::string project;
  int days = 30;
  std::string generatedAt;
  std::string windowStart;
  std::int64_t scans = 0;  // uploads in the window
  std::optional<double> mttrCriticalDays, mttrHighDays;
  std::int64_t fixedCritical = 0, fixedHigh = 0;  // in the window: the MTTR sample sizes
  std::int64_t open = 0;
  std::int64_t exploitableOpen = 0;
  double riskSum = 0, riskMax = 0;
  std::vector<std::pair<std::string, std::int64_t>> openByBucket;
  std::vector<std::pair<std::string, std::int64_t>> openBySeverity;
  std::int64_t tracked = 0, triaged = 0;
  std::optional<double> triageRate;
  std::int64_t decisions = 0, falsePositives = 0;
  std::optional<double> falsePositiveRate;
  std::int64_t fixedInWindow = 0;
  std::optional<double> fixRate;
  std::int64_t repositories = 0;
  std::vector<KpiCoverage> coverage;
  std::vector<KpiDay> series;
};
std::string kpiJson(const Kpis& k);

std::string errorJson(std::string_view message, std::string_view path = {});
std::string decisionJson(const model::StoredDecision& d);
// A conflict reply: the error plus the stored value the client must merge with.
std::string conflictJson(std::string_view message, const std::optional<model::StoredDecision>& current);
std::string decisionListJson(std::string_view project, std::int64_t version,
                             const std::vector<model::StoredDecision>& decisions);
std::string auditJson(std::string_view project, const std::vector<model::AuditEntry>& entries);
std::string healthJson();

}  // namespace aspm::store::protocol
