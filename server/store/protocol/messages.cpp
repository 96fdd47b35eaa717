// Boost.JSON conversions for the store's REST bodies; the only place the store touches JSON.
#include "store/protocol/messages.h"

#include <boost/json.hpp>

namespace aspm::store::protocol {
namespace json = boost::json;

namespace {

json::object toObject(const model::StoredDecision& d) {
  json::object o;
  o["project"] = d.project;
  o["fingerprint"] = d.fingerprint;
  o["status"] = d.decision.status;
  o["reason"] = d.decision.reason;
  o["expires"] = d.decision.expires.empty() ? json::value(nullptr) : json::value(d.decision.expires);
  o["author"] = d.decision.author;
  o["at"] = d.decision.at;
  o["version"] = d.version;
  o["pending"] = d.pending;
  o["approvedBy"] = d.approvedBy.empty() ? json::value(nullptr) : json::value(d.approvedBy);
  return o;
}

// Only a shape check: "YYYY-MM-DDTHH:MM:SS" followed by anything (fraction, zone). The store
// keeps the client's text, so a loose check is enough to catch swapped fields.
bool looksLikeRfc3339(std::string_view s) {
  if (s.size() < 19) return false;
  for (std::size_t i = 0; i < 19; ++i) {
    const char c = s[i];
    const bool sep = i == 4 || i == 7 || i == 10 || i == 13 || i == 16;
    if (sep) {
      const char want = i == 10 ? 'T' : (i < 10 ? '-' : ':');
      if (c != want && !(i == 10 && c == 't')) return false;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

}  // namespace

DecisionParse parseDecisionBody(std::string_view body) {
  DecisionParse out;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) {
    out.error = ParseError{"malformed JSON: " + ec.message(), "$"};
    return out;
  }
  const auto* obj = v.if_object();
  if (!obj) {
    out.error = ParseError{"expected a JSON object", "$"};
    return out;
  }
  DecisionBody d;
  const auto* status = obj->if_contains("status");
  if (!status || !status->is_string()) {
    out.error = ParseError{"'status' is required and must be a string", "$.status"};
    return out;
  }
  d.status = std::string(status->get_string());
  if (!model::isTriageStatus(d.status)) {
    out.error = ParseError{"unknown status '" + d.status +
                               "': expected open, false_positive, accepted_risk, wont_fix or fixed",
                           "$.status"};
    return out;
  }
  if (const auto* reason = obj->if_contains("reason"); reason && !reason->is_null()) {
    if (!reason->is_string()) {
      out.error = ParseError{"'reason' must be a string", "$.reason"};
      return out;
    }
    d.reason = std::string(reason->get_string());
  }
  if (const auto* expires = obj->if_contains("expires"); expires && !expires->is_null()) {
    if (!expires->is_string() || !looksLikeRfc3339(expires->get_string())) {
      out.error = ParseError{"'expires' must be an RFC 3339 date-time", "$.expires"};
      return out;
    }
    d.expires = std::string(expires->get_string());
  }
  out.value = std::move(d);
  return out;
}

std::string errorJson(std::string_view message, std::string_view path) {
  json::object o;
  o["error"] = message;
  if (!path.empty()) o["path"] = path;
  return json::serialize(o);
}

std::string decisionJson(const model::StoredDecision& d) { return json::serialize(toObject(d)); }

std::string conflictJson(std::string_view message, const std::optional<model::StoredDecision>& current) {
  json::object o;
  o["error"] = message;
  o["current"] = current ? json::value(toObject(*current)) : json::value(nullptr);
  return json::serialize(o);
}

std::string decisionListJson(std::string_view project, std::int64_t version,
                             const std::vector<model::StoredDecision>& decisions) {
  json::object o;
  o["project"] = project;
  o["version"] = version;
  json::array a;
  a.reserve(decisions.size());
  for (const auto& d : decisions) a.push_back(toObject(d));
  o["decisions"] = std::move(a);
  return json::serialize(o);
}

std::string auditJson(std::string_view project, const std::vector<model::AuditEntry>& entries) {
  json::object o;
  o["project"] = project;
  json::array a;
  a.reserve(entries.size());
  for (const auto& e : entries) {
    json::object x;
    x["id"] = e.id;
    x["fingerprint"] = e.fingerprint;
    x["action"] = e.action;
    x["actor"] = e.actor;
    x["at"] = e.at;
    x["status"] = e.status;
    x["reason"] = e.reason;
    x["version"] = e.version;
    a.push_back(std::move(x));
  }
  o["entries"] = std::move(a);
  return json::serialize(o);
}

std::string healthJson() { return R"({"status":"ok"})"; }

}  // namespace aspm::store::protocol
