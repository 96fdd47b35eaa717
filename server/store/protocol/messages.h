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

std::string errorJson(std::string_view message, std::string_view path = {});
std::string decisionJson(const model::StoredDecision& d);
// A conflict reply: the error plus the stored value the client must merge with.
std::string conflictJson(std::string_view message, const std::optional<model::StoredDecision>& current);
std::string decisionListJson(std::string_view project, std::int64_t version,
                             const std::vector<model::StoredDecision>& decisions);
std::string auditJson(std::string_view project, const std::vector<model::AuditEntry>& entries);
std::string healthJson();

}  // namespace aspm::store::protocol
