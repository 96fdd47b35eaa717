// Boost.JSON conversions for the store's REST bodies; the only place the store touches JSON.
#include "store/protocol/messages.h"

#include <boost/json.hpp>

#include <algorithm>

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

namespace {

// The scan kinds the store knows; a finding's "secret" (the CLI's kind name) is "secrets".
std::optional<std::string> scanKind(std::string_view k) {
  if (k == "secret") return std::string("secrets");
  if (k == "sast" || k == "sca" || k == "iac" || k == "secrets" || k == "other") return std::string(k);
  return std::nullopt;
}

bool isSeverity(std::string_view s) {
  return s == "critical" || s == "high" || s == "medium" || s == "low" || s == "info";
}

// Reads an optional string member; false (with `error` set) when present with another type.
bool optionalString(const json::object& o, std::string_view key, const std::string& path, std::string& out,
                    std::optional<ParseError>& error, std::size_t maxLen = 4096) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return true;
  if (!v->is_string()) {
    error = ParseError{"'" + std::string(key) + "' must be a string", path + "." + std::string(key)};
    return false;
  }
  if (v->get_string().size() > maxLen) {
    error = ParseError{"'" + std::string(key) + "' is longer than " + std::to_string(maxLen) + " bytes",
                       path + "." + std::string(key)};
    return false;
  }
  out = std::string(v->get_string());
  return true;
}

}  // namespace

ScanParse parseScanBody(std::string_view body) {
  ScanParse out;
  auto fail = [&](std::string message, std::string path) {
    out.error = ParseError{std::move(message), std::move(path)};
    return out;
  };
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return fail("malformed JSON: " + ec.message(), "$");
  const auto* obj = v.if_object();
  if (!obj) return fail("expected a JSON object", "$");
  ScanBody scan;
  if (!optionalString(*obj, "revision", "$", scan.revision, out.error, 256)) return out;
  const auto* repo = obj->if_contains("repository");
  if (!repo || !repo->is_string() || repo->get_string().empty() || repo->get_string().size() > 1024)
    return fail("'repository' is required: the repository's name or URL (1 to 1024 bytes)", "$.repository");
  scan.repository = std::string(repo->get_string());
  const auto* kinds = obj->if_contains("kinds");
  if (!kinds || !kinds->is_array() || kinds->get_array().empty())
    return fail("'kinds' is required: a non-empty array of sast, sca, iac, secrets, other", "$.kinds");
  const auto& ka = kinds->get_array();
  for (std::size_t i = 0; i < ka.size(); ++i) {
    const std::string path = "$.kinds[" + std::to_string(i) + "]";
    if (!ka[i].is_string()) return fail("a kind must be a string", path);
    const auto k = scanKind(ka[i].get_string());
    if (!k) return fail("unknown kind '" + std::string(ka[i].get_string()) + "': expected sast, sca, iac, secrets or other", path);
    if (std::find(scan.kinds.begin(), scan.kinds.end(), *k) == scan.kinds.end()) scan.kinds.push_back(*k);
  }
  const auto* findings = obj->if_contains("findings");
  if (!findings || !findings->is_array()) return fail("'findings' is required and must be an array", "$.findings");
  const auto& fa = findings->get_array();
  scan.findings.reserve(fa.size());
  for (std::size_t i = 0; i < fa.size(); ++i) {
    const std::string path = "$.findings[" + std::to_string(i) + "]";
    const auto* f = fa[i].if_object();
    if (!f) return fail("a finding must be an object", path);
    ScanFindingBody fb;
    const auto* id = f->if_contains("id");
    if (!id || !id->is_string() || id->get_string().empty() || id->get_string().size() > 256)
      return fail("'id' (the finding's fingerprint) is required: a string of 1 to 256 bytes", path + ".id");
    fb.id = std::string(id->get_string());
    if (!optionalString(*f, "ruleId", path, fb.ruleId, out.error) || !optionalString(*f, "tool", path, fb.tool, out.error) ||
        !optionalString(*f, "bucket", path, fb.bucket, out.error, 64) || !optionalString(*f, "path", path, fb.path, out.error))
      return out;
    const auto* kind = f->if_contains("kind");
    if (!kind || !kind->is_string()) return fail("'kind' is required and must be a string", path + ".kind");
    const auto k = scanKind(kind->get_string());
    if (!k) return fail("unknown kind '" + std::string(kind->get_string()) + "': expected sast, sca, iac, secret or other", path + ".kind");
    fb.kind = *k;
    const auto* sev = f->if_contains("severity");
    if (!sev || !sev->is_string() || !isSeverity(sev->get_string()))
      return fail("'severity' is required: critical, high, medium, low or info", path + ".severity");
    fb.severity = std::string(sev->get_string());
    if (const auto* r = f->if_contains("riskScore"); r && !r->is_null()) {
      if (!r->is_number()) return fail("'riskScore' must be a number from 0 to 1000", path + ".riskScore");
      fb.riskScore = r->to_number<double>();
      if (!(fb.riskScore >= 0 && fb.riskScore <= 1000)) return fail("'riskScore' must be a number from 0 to 1000", path + ".riskScore");
    }
    if (const auto* e = f->if_contains("exploitable"); e && !e->is_null()) {
      if (!e->is_bool()) return fail("'exploitable' must be true or false", path + ".exploitable");
      fb.exploitable = e->get_bool();
    }
    if (!optionalString(*f, "title", path, fb.title, out.error, 1024) ||
        !optionalString(*f, "message", path, fb.message, out.error, 16384) ||
        !optionalString(*f, "reachability", path, fb.reachability, out.error, 32))
      return out;
    if (const auto* e = f->if_contains("kev"); e && !e->is_null()) {
      if (!e->is_bool()) return fail("'kev' must be true or false", path + ".kev");
      fb.kev = e->get_bool();
    }
    if (const auto* l = f->if_contains("line"); l && !l->is_null()) {
      if (!l->is_int64() || l->get_int64() < 0) return fail("'line' must be a non-negative integer", path + ".line");
      fb.line = l->get_int64();
    }
    if (const auto* c = f->if_contains("cwe"); c && !c->is_null()) {
      if (!c->is_array() || c->get_array().size() > 64) return fail("'cwe' must be an array of at most 64 CWE ids", path + ".cwe");
      for (std::size_t j = 0; j < c->get_array().size(); ++j) {
        const auto& e = c->get_array()[j];
        if (!e.is_string() || e.get_string().empty() || e.get_string().size() > 32)
          return fail("a CWE id must be a string such as \"CWE-89\"", path + ".cwe[" + std::to_string(j) + "]");
        fb.cwes.emplace_back(e.get_string());
      }
    }
    scan.findings.push_back(std::move(fb));
  }
  out.value = std::move(scan);
  return out;
}

std::string scanReplyJson(std::string_view project, const ScanReplyBody& s) {
  json::array kinds;
  for (const auto& k : s.kinds) kinds.emplace_back(k);
  json::object scan{{"id", s.id},
                    {"project", project},
                    {"at", s.at},
                    {"revision", s.revision.empty() ? json::value(nullptr) : json::value(s.revision)},
                    {"kinds", std::move(kinds)},
                    {"repository", s.repository},
                    {"count", s.count}};
  json::object o{{"scan", std::move(scan)},
                 {"new", s.added},
                 {"seen", s.seen},
                 {"reopened", s.reopened},
                 {"fixed", s.fixed}};
  return json::serialize(o);
}

std::string kpiJson(const Kpis& k) {
  auto opt = [](const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); };
  auto counts = [](const std::vector<std::pair<std::string, std::int64_t>>& v) {
    json::object o;
    for (const auto& [name, n] : v) o[name] = n;
    return o;
  };
  json::object coverage;
  for (const auto& c : k.coverage) coverage[c.kind] = json::object{{"covered", c.covered}, {"rate", opt(c.rate)}};
  json::array series;
  for (const auto& d : k.series)
    series.push_back(json::object{{"date", d.date}, {"open", d.open}, {"fixed", d.fixed}, {"exploitable", d.exploitable}});
  json::object o{
      {"project", k.project},
      {"days", k.days},
      {"generatedAt", k.generatedAt},
      {"windowStart", k.windowStart},
      {"scans", k.scans},
      {"mttrDays", json::object{{"critical", opt(k.mttrCriticalDays)}, {"high", opt(k.mttrHighDays)}}},
      {"mttrSamples", json::object{{"critical", k.fixedCritical}, {"high", k.fixedHigh}}},
      {"open", k.open},
      {"exploitableOpen", k.exploitableOpen},
      {"risk", json::object{{"sum", k.riskSum}, {"max", k.riskMax}, {"byBucket", counts(k.openByBucket)},
                            {"bySeverity", counts(k.openBySeverity)}}},
      {"triage", json::object{{"rate", opt(k.triageRate)}, {"triaged", k.triaged}, {"tracked", k.tracked}}},
      {"falsePositive", json::object{{"rate", opt(k.falsePositiveRate)}, {"falsePositives", k.falsePositives},
                                     {"decisions", k.decisions}}},
      {"fix", json::object{{"rate", opt(k.fixRate)}, {"fixed", k.fixedInWindow}, {"open", k.open}}},
      {"coverage", json::object{{"repositories", k.repositories}, {"byKind", std::move(coverage)}}},
      {"series", std::move(series)}};
  return json::serialize(o);
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
