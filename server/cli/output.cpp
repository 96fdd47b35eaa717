// Table, JSON, SARIF and markdown renderings of an analysis and of a gate decision.
#include "cli/output.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <initializer_list>
#include <map>
#include <ostream>
#include <string>

#include "support/text.h"

namespace aspm::cli {
namespace json = boost::json;
namespace {

const model::Result& primary(const engine::Analysis& a, const model::Finding& f) { return a.scans.results[f.results.front()]; }

std::string toolNames(const engine::Analysis& a, const model::Finding& f) {
  std::string out;
  for (auto r : f.results) {
    const std::string& name = a.scans.runs[a.scans.results[r].run].tool.name;
    if (out.find(name) != std::string::npos) continue;
    if (!out.empty()) out += '+';
    out += name;
  }
  return out;
}

// Truncate to `width` display columns (code points), with an ellipsis.
std::string fit(std::string_view s, std::size_t width) {
  std::string flat;
  for (char c : s) flat += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  std::size_t cps = 0, i = 0;
  for (; i < flat.size(); ++i) {
    if ((static_cast<unsigned char>(flat[i]) & 0xC0) != 0x80) {
      if (cps == width) break;
      ++cps;
    }
  }
  if (i >= flat.size()) return width >= 10000 ? flat : flat + std::string(width - cps, ' ');
  // cut one code point earlier to make room for the ellipsis
  std::size_t cut = i;
  do { --cut; } while (cut > 0 && (static_cast<unsigned char>(flat[cut]) & 0xC0) == 0x80);
  return flat.substr(0, cut) + "\xE2\x80\xA6";
}

json::value locationJson(const model::Location& loc) {
  json::object o;
  o["uri"] = loc.uri;
  o["startLine"] = loc.region.startLine;
  o["startColumn"] = loc.region.startColumn;
  o["endLine"] = loc.region.endLine ? loc.region.endLine : loc.region.startLine;
  o["endColumn"] = loc.region.endColumn;
  return o;
}

}  // namespace

namespace {

const char* severityColor(model::Severity s) {
  switch (s) {
    case model::Severity::Critical: return "\x1b[1;31m";
    case model::Severity::High: return "\x1b[31m";
    case model::Severity::Medium: return "\x1b[33m";
    case model::Severity::Low: return "\x1b[36m";
    case model::Severity::Info: return "\x1b[2m";
  }
  return "";
}

std::string paint(const TableStyle& st, const char* color, const std::string& text) {
  return st.color ? std::string(color) + text + "\x1b[0m" : text;
}

// Column widths for a terminal of `width` columns: fixed columns first, the message takes the rest.
struct Widths {
  std::size_t risk = 5, bucket = 12, sev = 8, kind = 6, tool = 12, rule = 28, where = 36, msg = 60;
};

Widths widthsFor(int terminal, const engine::Analysis* a = nullptr) {
  Widths w;
  if (terminal <= 0 && a) {
    // Not a terminal (a pipe, a file, a CI log): never cut rule ids or locations, which people
    // grep for; the message is not cut either.
    std::size_t rule = 4, where = 8;
    for (const auto& f : a->findings) {
      const auto& r = a->scans.results[f.results.front()];
      rule = std::max(rule, r.ruleId.size());
      const std::string loc = f.location ? f.location->uri + ":" + std::to_string(f.location->region.startLine)
                                         : (r.locations.empty() ? std::string("-") : r.locations.front().uri + " (stale)");
      where = std::max(where, loc.size());
    }
    w.rule = std::min<std::size_t>(rule, 100);
    w.where = std::min<std::size_t>(where, 120);
    w.msg = 100000;
    return w;
  }
  const std::size_t total = terminal > 0 ? static_cast<std::size_t>(terminal) : 160;
  const std::size_t gaps = 2 * 7;
  std::size_t fixed = w.risk + w.bucket + w.sev + w.kind + w.tool + w.rule + w.where + gaps;
  if (total < fixed + 20) {
    // Narrow terminal: shrink rule and location first, never below readable sizes.
    const std::size_t over = fixed + 20 - total;
    const std::size_t cutRule = std::min<std::size_t>(over / 2 + over % 2, w.rule - 12);
    const std::size_t cutWhere = std::min<std::size_t>(over - std::min(over, cutRule), w.where - 16);
    w.rule -= cutRule;
    w.where -= cutWhere;
    fixed = w.risk + w.bucket + w.sev + w.kind + w.tool + w.rule + w.where + gaps;
  }
  w.msg = total > fixed + 10 ? total - fixed : 10;
  return w;
}

}  // namespace

void writeTable(const engine::Analysis& a, std::ostream& out, const TableStyle& style) {
  const Widths w = widthsFor(style.width, &a);
  out << paint(style, "\x1b[1m",
               fit("RISK", w.risk) + "  " + fit("BUCKET", w.bucket) + "  " + fit("SEVERITY", w.sev) + "  " +
                   fit("KIND", w.kind) + "  " + fit("TOOL", w.tool) + "  " + fit("RULE", w.rule) + "  " +
                   fit("LOCATION", w.where) + "  MESSAGE")
      << "\n";
  for (const auto& f : a.findings) {
    const model::Result& r = primary(a, f);
    std::string where = "-";
    if (f.location) where = f.location->uri + ":" + std::to_string(f.location->region.startLine);
    else if (!r.locations.empty()) where = r.locations.front().uri + " (" + model::toString(f.state) + ")";
    std::string msg = r.message;
    if (f.state != model::FindingState::Open) msg = std::string("[") + model::toString(f.state) + "] " + msg;
    out << fit(std::to_string(f.risk.score), w.risk) << "  " << fit(f.risk.bucket, w.bucket) << "  "
        << paint(style, severityColor(f.severity), fit(model::toString(f.severity), w.sev)) << "  "
        << fit(model::toString(f.kind), w.kind) << "  " << fit(toolNames(a, f), w.tool) << "  " << fit(r.ruleId, w.rule)
        << "  " << fit(where, w.where) << "  " << fit(msg, w.msg) << "\n";
  }
  std::size_t bySev[5] = {};
  for (const auto& f : a.findings) ++bySev[static_cast<int>(f.severity)];
  out << "\n" << a.findings.size() << " findings (" << bySev[4] << " critical, " << bySev[3] << " high, " << bySev[2]
      << " medium, " << bySev[1] << " low, " << bySev[0] << " info) from " << a.scans.results.size() << " results in "
      << a.inputFiles.size() << " report(s)\n";
  const auto& n = a.noise;
  out << "noise: " << n.rawResults << " raw results -> " << n.findings << " findings (" << n.duplicatesMerged
      << " cross-tool duplicates merged, " << n.notFindings << " passes) -> " << n.actionable
      << " to act on now (immediate/out-of-cycle), " << n.deprioritized << " deferred";
  if (!n.deprioritizedWhy.empty()) {
    out << ":";
    for (std::size_t i = 0; i < n.deprioritizedWhy.size() && i < 3; ++i)
      out << (i ? "," : "") << " " << n.deprioritizedWhy[i].second << " " << n.deprioritizedWhy[i].first;
  }
  out << "\n";
  if (!a.fixGroups.empty()) {
    out << "upgrades: " << a.fixGroups.size() << " (";
    for (std::size_t i = 0; i < a.fixGroups.size() && i < 3; ++i)
      out << (i ? ", " : "") << a.fixGroups[i].id << " fixes " << a.fixGroups[i].findings.size();
    out << (a.fixGroups.size() > 3 ? ", ...)\n" : ")\n");
  }
}

namespace {

// A factor's value as JSON: a number when the explanation has one that means something alone.
json::value factorValue(const model::RiskFactor& e) {
  if (e.name == "severity" || e.name == "exploitation" || e.name == "exposure" || e.name == "criticality" ||
      e.name == "confidence" || e.name == "reachability")
    return e.numeric;
  if (e.name == "kev") return e.value.starts_with("listed") ? json::value(true) : e.value == "not listed" ? json::value(false) : json::value(e.value);
  if (e.name == "epss") return e.numeric > 0 ? json::value(e.numeric) : json::value(e.value);
  return json::value(e.value);
}

json::object findingJson(const engine::Analysis& a, const model::Finding& f) {
  const model::Result& r = primary(a, f);
  const model::Run& run = a.scans.runs[r.run];
  json::object o;
  o["id"] = f.id;
  o["ruleId"] = r.ruleId;
  o["tool"] = toolNames(a, f);
  o["kind"] = model::toString(f.kind);
  o["message"] = support::sanitizeUtf8(r.message);
  json::array cwes;
  for (const auto& c : f.cwes) cwes.emplace_back(c);
  o["cwe"] = std::move(cwes);
  o["severity"] = model::toString(f.severity);
  json::object factors;
  json::array explanation;
  for (const auto& e : f.risk.explanation) {
    if (e.name != "bucket") factors[e.name] = factorValue(e);
    explanation.emplace_back(json::object{{"factor", e.name}, {"value", support::sanitizeUtf8(e.value)},
                                          {"source", support::sanitizeUtf8(e.source)}, {"effect", e.effect}});
  }
  if (f.risk.explanation.empty())
    for (const auto& [name, value] : f.risk.factors) factors[name] = value;
  o["risk"] = json::object{{"score", f.risk.score},
                           {"bucket", f.risk.bucket},
                           {"factors", std::move(factors)},
                           {"explanation", std::move(explanation)}};
  o["state"] = model::toString(f.state);
  if (!f.stateNote.empty()) o["stateNote"] = f.stateNote;  // how a moved, stale or gone state was reached
  json::object scan;
  scan["revision"] = run.revision.empty() ? json::value(nullptr) : json::value(run.revision);
  if (!r.locations.empty()) {
    const auto& l = r.locations.front();
    scan["uri"] = l.uri;
    scan["startLine"] = l.region.startLine;
    scan["startColumn"] = l.region.startColumn;
    scan["endLine"] = l.region.endLine ? l.region.endLine : l.region.startLine;
    scan["endColumn"] = l.region.endColumn;
  } else {
    scan["uri"] = nullptr;
  }
  o["scan"] = std::move(scan);
  o["location"] = f.location ? locationJson(*f.location) : json::value(nullptr);
  // Places aspm found: a dependency's import and call sites, a URL's candidate route handlers.
  json::array related;
  for (const auto& l : f.relatedLocations) {
    json::value v = locationJson(l);
    v.as_object()["message"] = support::sanitizeUtf8(l.message);
    related.emplace_back(std::move(v));
  }
  o["relatedLocations"] = std::move(related);
  if (r.webRequest) o["webRequest"] = json::object{{"method", r.webRequest->method}, {"target", r.webRequest->target}};
  json::array sources;
  for (auto idx : f.results) {
    const model::Result& sr = a.scans.results[idx];
    json::object src;
    src["tool"] = a.scans.runs[sr.run].tool.name;
    src["ruleId"] = sr.ruleId;
    src["sarif"] = json::object{{"file", sr.source.file}, {"run", sr.source.run}, {"result", sr.source.result}};
    if (!sr.locations.empty()) src["startLine"] = sr.locations.front().region.startLine;
    sources.emplace_back(std::move(src));
  }
  o["sources"] = std::move(sources);
  if (f.triage) {
    json::object t{{"status", f.triage->status}, {"reason", f.triage->reason}, {"author", f.triage->author},
                   {"at", f.triage->at}};
    // Recorded under the id the finding had before its file was renamed: say so, and under which.
    for (const auto& p : f.previousIds)
      if (p.id == f.triageKey) t["decidedOn"] = json::object{{"id", p.id}, {"path", p.path}, {"note", "decided on " + p.path + " before the rename"}};
    o["triage"] = std::move(t);
  } else {
    o["triage"] = nullptr;
  }
  if (!f.previousIds.empty()) {
    json::array previous;
    for (const auto& p : f.previousIds) previous.emplace_back(json::object{{"id", p.id}, {"path", p.path}});
    o["previousIds"] = std::move(previous);
  }
  json::object fps{{"aspm/v1", f.id}};
  if (!f.lineHash.empty()) fps["primaryLocationLineHash"] = f.lineHash;
  o["fingerprints"] = std::move(fps);
  o["correlationGuid"] = f.correlationGuid;
  o["baselineState"] = f.baseline == model::BaselineState::None ? json::value(nullptr) : json::value(model::toString(f.baseline));
  o["fixGroup"] = f.fixGroup.empty() ? json::value(nullptr) : json::value(f.fixGroup);
  if (!f.firstSeen.empty()) o["firstSeen"] = f.firstSeen;  // known from the store or a baseline
  return o;
}

json::object summaryJson(const engine::Analysis& a) {
  const auto& n = a.noise;
  json::object buckets, why;
  for (const auto& [b, c] : n.byBucket) buckets[b] = c;
  for (const auto& [reason, c] : n.deprioritizedWhy) why[reason] = c;
  return json::object{{"rawResults", n.rawResults},
                      {"notFindings", n.notFindings},
                      {"findings", n.findings},
                      {"duplicatesMerged", n.duplicatesMerged},
                      {"actionable", n.actionable},
                      {"deprioritized", n.deprioritized},
                      {"deprioritizedWhy", std::move(why)},
                      {"byBucket", std::move(buckets)},
                      {"fixGroups", n.fixGroups},
                      {"triageRate", n.rawResults ? double(n.actionable) / double(n.rawResults) : 0.0}};
}

json::array groupsJson(const engine::Analysis& a) {
  json::array groups;
  for (const auto& g : a.fixGroups) {
    json::array ids, findings;
    for (const auto& v : g.vulnIds) ids.emplace_back(v);
    for (const auto& f : g.findings) findings.emplace_back(f);
    groups.emplace_back(json::object{{"id", g.id},
                                     {"ecosystem", g.ecosystem},
                                     {"package", g.package},
                                     {"installedVersion", g.installedVersion},
                                     {"fixedVersion", g.fixedVersion.empty() ? json::value(nullptr) : json::value(g.fixedVersion)},
                                     {"vulnerabilities", std::move(ids)},
                                     {"findings", std::move(findings)}});
  }
  return groups;
}

json::array problemsJson(const support::Problems& ps) {
  json::array problems;
  for (const auto& p : ps) {
    problems.emplace_back(json::object{{"file", p.file}, {"path", p.path}, {"message", support::sanitizeUtf8(p.message)},
                                       {"severity", support::toString(p.severity)}});
  }
  return problems;
}

std::string lowerCopy(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// One SARIF result per finding; `ruleFor` registers the rule and returns its index.
json::object sarifResult(const engine::Analysis& a, const model::Finding& f, std::size_t ruleIndex, const std::string& ruleId,
                         const std::string& message, const char* level) {
  const model::Result& r = primary(a, f);
  json::object res;
  res["ruleId"] = ruleId;
  res["ruleIndex"] = ruleIndex;
  res["level"] = level;
  res["message"] = json::object{{"text", support::sanitizeUtf8(message)}};
  if (f.location) {
    const auto& l = *f.location;
    json::object region{{"startLine", l.region.startLine}};
    if (l.region.startColumn) region["startColumn"] = l.region.startColumn;
    if (l.region.endLine) region["endLine"] = l.region.endLine;
    if (l.region.endColumn) region["endColumn"] = l.region.endColumn;
    res["locations"] = json::array{json::object{
        {"physicalLocation", json::object{{"artifactLocation", json::object{{"uri", l.uri}, {"uriBaseId", "%SRCROOT%"}}},
                                          {"region", std::move(region)}}}}};
  }
  if (!f.relatedLocations.empty()) {
    json::array related;
    for (std::size_t i = 0; i < f.relatedLocations.size(); ++i) {
      const auto& l = f.relatedLocations[i];
      related.emplace_back(json::object{
          {"id", i},
          {"physicalLocation", json::object{{"artifactLocation", json::object{{"uri", l.uri}, {"uriBaseId", "%SRCROOT%"}}},
                                            {"region", json::object{{"startLine", l.region.startLine}}}}},
          {"message", json::object{{"text", support::sanitizeUtf8(l.message)}}}});
    }
    res["relatedLocations"] = std::move(related);
  }
  // The tools' own fingerprints are kept; ours and GitHub's line hash are added.
  json::object fps;
  for (const auto& [k, v] : r.fingerprints) fps[k] = v;
  fps["aspm/v1"] = f.id;
  res["fingerprints"] = std::move(fps);
  json::object partial;
  for (const auto& [k, v] : r.partialFingerprints) partial[k] = v;
  if (!f.lineHash.empty()) partial["primaryLocationLineHash"] = f.lineHash;
  if (!partial.empty()) res["partialFingerprints"] = std::move(partial);
  if (!r.guid.empty()) res["guid"] = r.guid;
  res["correlationGuid"] = f.correlationGuid;
  if (f.baseline != model::BaselineState::None) res["baselineState"] = model::toString(f.baseline);
  res["occurrenceCount"] = f.results.size();
  if (f.state == model::FindingState::Suppressed) res["suppressions"] = json::array{json::object{{"kind", "external"}}};
  json::array sources;
  for (auto idx : f.results) {
    const auto& sr = a.scans.results[idx];
    sources.emplace_back(a.scans.runs[sr.run].tool.name + ":" + sr.ruleId);
  }
  res["properties"] = json::object{{"aspm/risk", f.risk.score},
                                   {"aspm/bucket", f.risk.bucket},
                                   {"aspm/severity", model::toString(f.severity)},
                                   {"aspm/tools", toolNames(a, f)},
                                   {"aspm/sources", std::move(sources)},
                                   {"security-severity", [&] {
                                      for (const auto& e : f.risk.explanation)
                                        if (e.name == "severity") return json::value(std::to_string(e.numeric).substr(0, 4));
                                      return json::value(nullptr);
                                    }()}};
  return res;
}

json::object ruleJson(const engine::Analysis& a, const model::Finding& f) {
  const model::Result& r = primary(a, f);
  const model::Run& run = a.scans.runs[r.run];
  json::object rule{{"id", r.ruleId}};
  if (r.rule >= 0) {
    const model::Rule& mr = run.rules[static_cast<std::size_t>(r.rule)];
    if (!mr.shortDescription.empty()) rule["shortDescription"] = json::object{{"text", support::sanitizeUtf8(mr.shortDescription)}};
    if (!mr.helpUri.empty()) rule["helpUri"] = mr.helpUri;
  }
  json::array tags;
  for (const auto& c : f.cwes) tags.emplace_back("external/cwe/" + lowerCopy(c));
  tags.emplace_back("security");
  rule["properties"] = json::object{{"tags", std::move(tags)}};
  return rule;
}

void writeSarifLog(const engine::Analysis& a, json::array rules, json::array results, std::ostream& out) {
  json::object run{{"tool", json::object{{"driver", json::object{{"name", "aspm"},
                                                                 {"version", "0.1.0"},
                                                                 {"informationUri", "https://example.invalid/aspm"},
                                                                 {"rules", std::move(rules)}}}}},
                   {"originalUriBaseIds", json::object{{"%SRCROOT%", json::object{{"uri", "file://" + a.repoRoot + "/"}}}}},
                   {"results", std::move(results)}};
  out << json::serialize(json::object{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                                      {"version", "2.1.0"},
                                      {"runs", json::array{std::move(run)}}})
      << "\n";
}

}  // namespace

void writeJson(const engine::Analysis& a, std::ostream& out) {
  json::array findings;
  findings.reserve(a.findings.size());
  for (const auto& f : a.findings) findings.emplace_back(findingJson(a, f));
  out << json::serialize(json::object{{"findings", std::move(findings)},
                                      {"groups", groupsJson(a)},
                                      {"summary", summaryJson(a)},
                                      {"problems", problemsJson(a.problems)}})
      << "\n";
}

void writeSarif(const engine::Analysis& a, std::ostream& out) {
  json::array results, rules;
  std::map<std::string, std::size_t> ruleIndex;
  for (const auto& f : a.findings) {
    const model::Result& r = primary(a, f);
    auto [it, fresh] = ruleIndex.emplace(r.ruleId, rules.size());
    if (fresh) rules.emplace_back(ruleJson(a, f));
    results.emplace_back(sarifResult(a, f, it->second, r.ruleId, r.message, model::toString(r.level)));
  }
  writeSarifLog(a, std::move(rules), std::move(results), out);
}

namespace {

// "[age 45d] " before a violation of a rule with an age condition.
std::string ageTag(const policy::Violation& v) { return v.ageDays >= 0 ? "[age " + std::to_string(v.ageDays) + "d] " : ""; }

}  // namespace

void writeGateTable(const engine::Analysis& a, const policy::Policy& p, const policy::GateResult& g, std::ostream& out,
                    const TableStyle& style) {
  const Widths w = widthsFor(style.width);
  out << paint(style, "\x1b[1m",
               fit("ACTION", 6) + "  " + fit("POLICY RULE", 24) + "  " + fit("RISK", 5) + "  " + fit("SEVERITY", w.sev) +
                   "  " + fit("LOCATION", w.where) + "  FINDING")
      << "\n";
  for (const auto& v : g.violations) {
    const auto& f = a.findings[v.finding];
    const auto& r = primary(a, f);
    std::string where = f.location ? f.location->uri + ":" + std::to_string(f.location->region.startLine)
                                   : (r.locations.empty() ? "-" : r.locations.front().uri);
    out << paint(style, v.action == policy::Action::Block ? "\x1b[1;31m" : "\x1b[33m", fit(policy::toString(v.action), 6))
        << "  " << fit(v.rule, 24) << "  " << fit(std::to_string(f.risk.score), 5) << "  "
        << paint(style, severityColor(f.severity), fit(model::toString(f.severity), w.sev)) << "  " << fit(where, w.where)
        << "  " << fit(ageTag(v) + r.ruleId + ": " + r.message, w.msg > 10 ? w.msg : 40) << "\n";
  }
  if (g.usesAge) out << "\nage: " << g.ageNote << "\n";
  out << "\n" << (g.passed() ? paint(style, "\x1b[1;32m", "PASSED") : paint(style, "\x1b[1;31m", "FAILED")) << " ("
      << policy::toString(p.mode) << " mode): " << g.blocking() << " blocking, " << g.warnings() << " warning(s), "
      << g.exemptions.size() << " exempted, " << g.evaluated << " findings evaluated against " << p.rules.size()
      << " rule(s) of " << p.file << "\n";
  if (!g.passed() && p.mode == policy::Mode::Monitor) out << "monitor mode: reported only, the build is not failed\n";
}

void writeGateJson(const engine::Analysis& a, const policy::Policy& p, const policy::GateResult& g, std::ostream& out) {
  json::array violations, exemptions;
  for (const auto& v : g.violations) {
    json::object o{{"rule", v.rule}, {"action", policy::toString(v.action)}, {"finding", findingJson(a, a.findings[v.finding])}};
    if (v.ageDays >= 0) o["ageDays"] = v.ageDays;
    violations.emplace_back(std::move(o));
  }
  for (const auto& e : g.exemptions)
    exemptions.emplace_back(json::object{{"rule", e.rule}, {"findingId", a.findings[e.finding].id}, {"why", e.why}});
  json::object doc{{"policy", p.file},
                   {"mode", policy::toString(p.mode)},
                   {"passed", g.passed()},
                   {"exitCode", g.exitCode()},
                   {"blocking", g.blocking()},
                   {"warnings", g.warnings()},
                   {"evaluated", g.evaluated},
                   {"violations", std::move(violations)},
                   {"exemptions", std::move(exemptions)},
                   {"summary", summaryJson(a)},
                   {"problems", problemsJson(a.problems)}};
  if (g.usesAge) doc["age"] = g.ageNote;  // where first-seen dates came from
  out << json::serialize(doc) << "\n";
}

void writeGateSarif(const engine::Analysis& a, const policy::Policy& p, const policy::GateResult& g, std::ostream& out) {
  json::array results, rules;
  std::map<std::string, std::size_t> ruleIndex;
  for (const auto& v : g.violations) {
    const auto& f = a.findings[v.finding];
    const std::string id = "policy/" + v.rule;
    auto [it, fresh] = ruleIndex.emplace(id, rules.size());
    if (fresh) {
      std::string desc = id;
      for (const auto& r : p.rules)
        if (r.id == v.rule && !r.description.empty()) desc = r.description;
      rules.emplace_back(json::object{{"id", id}, {"shortDescription", json::object{{"text", desc}}}});
    }
    const auto& r = primary(a, f);
    results.emplace_back(sarifResult(a, f, it->second, id, r.ruleId + ": " + r.message,
                                     v.action == policy::Action::Block ? "error" : "warning"));
  }
  writeSarifLog(a, std::move(rules), std::move(results), out);
}

void writeGateMarkdown(const engine::Analysis& a, const policy::Policy& p, const policy::GateResult& g, std::ostream& out) {
  auto cell = [](std::string s) {
    std::string o;
    for (char c : s) {
      if (c == '|') o += "\\|";
      else if (c == '\n' || c == '\r') o += ' ';
      else o += c;
    }
    return o.size() > 120 ? o.substr(0, 117) + "..." : o;
  };
  out << "## aspm gate: " << (g.passed() ? "passed" : (p.mode == policy::Mode::Monitor ? "violations (monitor mode)" : "failed"))
      << "\n\n";
  out << "**" << g.blocking() << "** blocking, **" << g.warnings() << "** warning(s), " << g.exemptions.size()
      << " exempted; " << g.evaluated << " findings evaluated against `" << p.file << "` (" << policy::toString(p.mode)
      << " mode).\n\n";
  const auto& n = a.noise;
  out << n.rawResults << " scanner results became " << n.findings << " findings (" << n.duplicatesMerged
      << " duplicates merged); " << n.actionable << " need action now, " << n.deprioritized << " are deferred.\n\n";
  if (!g.violations.empty()) {
    out << "| | Policy rule | Risk | Severity | Where | Finding |\n|---|---|---|---|---|---|\n";
    for (const auto& v : g.violations) {
      const auto& f = a.findings[v.finding];
      const auto& r = primary(a, f);
      std::string where = f.location ? f.location->uri + ":" + std::to_string(f.location->region.startLine)
                                     : (r.locations.empty() ? "-" : r.locations.front().uri);
      out << "| " << (v.action == policy::Action::Block ? ":x:" : ":warning:") << " | `" << cell(v.rule) << "` | "
          << f.risk.score << " " << f.risk.bucket << " | " << model::toString(f.severity) << " | `" << cell(where) << "` | "
          << cell(ageTag(v) + toolNames(a, f) + " " + r.ruleId + ": " + r.message) << " |\n";
    }
    out << "\n";
  }
  if (g.usesAge) out << "Age: " << g.ageNote << "\n\n";
  if (!g.exemptions.empty()) {
    out << "<details><summary>" << g.exemptions.size() << " exempted</summary>\n\n";
    for (const auto& e : g.exemptions) out << "- `" << a.findings[e.finding].id << "` (" << cell(e.rule) << "): " << cell(e.why) << "\n";
    out << "\n</details>\n";
  }
}

void writeProblems(const support::Problems& problems, std::ostream& err) {
  for (const auto& p : problems) {
    err << p.file;
    if (!p.path.empty()) err << ": " << p.path;
    err << ": " << support::toString(p.severity) << ": " << p.message << "\n";
  }
}

namespace {

json::object evidenceJson(const inventory::Evidence& e) {
  return json::object{{"file", support::sanitizeUtf8(e.file)}, {"line", e.line}, {"why", support::sanitizeUtf8(e.why)}};
}

json::array stringsJson(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(support::sanitizeUtf8(s));
  return a;
}

std::string assetPath(const inventory::Asset& a) { return a.path.empty() ? "." : a.path; }

}  // namespace

void writeInventoryJson(const inventory::Inventory& inv, std::ostream& out) {
  json::array assets;
  for (const auto& a : inv.assets) {
    json::array evidence;
    for (const auto& e : a.evidence) evidence.push_back(evidenceJson(e));
    json::object o{{"name", support::sanitizeUtf8(a.name)},
                   {"kind", inventory::idOf(a.kind)},
                   {"path", support::sanitizeUtf8(assetPath(a))},
                   {"languages", stringsJson(a.languages)},
                   {"manifests", stringsJson(a.manifests)},
                   {"exposure", inventory::idOf(a.exposure)},
                   {"criticality", a.criticality.empty() ? "unknown" : a.criticality},
                   {"scans", stringsJson(a.scans)},
                   {"evidence", std::move(evidence)}};
    // Beyond the contract: what decided exposure and criticality, and the images that run it.
    o["exposureEvidence"] = a.exposureEvidence ? json::value(evidenceJson(*a.exposureEvidence)) : json::value(nullptr);
    o["criticalityEvidence"] =
        a.criticalityEvidence ? json::value(evidenceJson(*a.criticalityEvidence)) : json::value(nullptr);
    o["images"] = stringsJson(a.images);
    assets.push_back(std::move(o));
  }
  out << json::serialize(json::object{{"assets", std::move(assets)}}) << "\n";
}

void writeInventoryTable(const inventory::Inventory& inv, std::ostream& out, const TableStyle& style) {
  if (inv.assets.empty()) {
    out << "no assets found\n";
    return;
  }
  const int width = style.width > 0 ? style.width : 160;
  struct Row {
    std::string kind, name, path, exposure, criticality, scans, why;
  };
  std::vector<Row> rows;
  std::size_t wKind = 4, wName = 4, wPath = 4, wExpo = 8, wCrit = 11, wScans = 5;
  for (const auto& a : inv.assets) {
    Row r{std::string(inventory::idOf(a.kind)), a.name, assetPath(a), std::string(inventory::idOf(a.exposure)),
          a.criticality.empty() ? "unknown" : a.criticality, "", ""};
    for (const auto& s : a.scans) r.scans += (r.scans.empty() ? "" : ",") + s;
    if (r.scans.empty()) r.scans = "-";
    if (a.exposureEvidence) r.why = a.exposureEvidence->where() + " " + a.exposureEvidence->why;
    wKind = std::max(wKind, r.kind.size());
    wName = std::min<std::size_t>(std::max(wName, r.name.size()), 28);
    wPath = std::min<std::size_t>(std::max(wPath, r.path.size()), 40);
    wScans = std::max(wScans, r.scans.size());
    rows.push_back(std::move(r));
  }
  auto cell = [](std::string s, std::size_t w) {
    if (s.size() > w) s = s.substr(0, w - 1) + "~";
    return s + std::string(w - s.size() + 2, ' ');
  };
  const std::size_t fixed = wKind + wName + wPath + wExpo + wCrit + wScans + 12;
  const std::size_t wWhy = static_cast<std::size_t>(width) > fixed + 10 ? static_cast<std::size_t>(width) - fixed : 10;
  const char* bold = style.color ? "\x1b[1m" : "";
  const char* reset = style.color ? "\x1b[0m" : "";
  out << bold << cell("KIND", wKind) << cell("NAME", wName) << cell("PATH", wPath) << cell("EXPOSURE", wExpo)
      << cell("CRITICALITY", wCrit) << cell("SCANS", wScans) << "EVIDENCE" << reset << "\n";
  for (const auto& r : rows) {
    std::string why = r.why;
    if (why.size() > wWhy) why = why.substr(0, wWhy - 1) + "~";
    out << cell(r.kind, wKind) << cell(r.name, wName) << cell(r.path, wPath) << cell(r.exposure, wExpo)
        << cell(r.criticality, wCrit) << cell(r.scans, wScans) << support::sanitizeUtf8(why) << "\n";
  }
  out << inv.assets.size() << " asset(s)\n";
}

// ---- aspm-store: scan uploads and KPIs ----

namespace {

std::string uploadKind(model::FindingKind k) {
  const std::string name(model::toString(k));
  return name == "secret" ? "secrets" : name;
}

std::string riskValue(const model::Finding& f, std::string_view factor) {
  for (const auto& e : f.risk.explanation)
    if (e.name == factor) return e.value;
  return {};
}

// KEV says exploited in the wild; a likely exploitation counts when the package is reachable.
bool exploitable(const model::Finding& f) {
  const std::string exploitation = riskValue(f, "exploitation");
  if (exploitation == "active") return true;
  return exploitation == "likely" && riskValue(f, "reachability") == "reachable";
}

// Valid UTF-8 of at most `max` bytes, cut at a code point (the store bounds these fields).
std::string clipped(std::string_view s, std::size_t max) {
  std::string out = support::sanitizeUtf8(s);
  if (out.size() <= max) return out;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(out[n]) & 0xC0) == 0x80) --n;
  out.resize(n);
  return out;
}

const json::value* at(const json::value& v, std::initializer_list<std::string_view> path) {
  const json::value* cur = &v;
  for (auto key : path) {
    const auto* o = cur->if_object();
    if (!o) return nullptr;
    cur = o->if_contains(key);
    if (!cur) return nullptr;
  }
  return cur;
}

std::string number(const json::value* v, bool percent = false, int decimals = 1) {
  if (!v || v->is_null() || !v->is_number()) return "-";
  double d = v->to_number<double>();
  if (percent) d *= 100;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f%s", decimals, d, percent ? "%" : "");
  return buf;
}

std::string integer(const json::value* v) {
  if (!v || !v->is_number()) return "-";
  return std::to_string(v->to_number<std::int64_t>());
}

}  // namespace

std::string scanUploadJson(const engine::Analysis& a, const std::string& repository, const std::string& revision,
                           const std::vector<std::string>& kinds) {
  json::array findings;
  findings.reserve(a.findings.size());
  std::vector<std::string> present;
  for (const auto& f : a.findings) {
    const model::Result& r = primary(a, f);
    const std::string kind = uploadKind(f.kind);
    if (std::find(present.begin(), present.end(), kind) == present.end()) present.push_back(kind);
    std::string path = f.location ? f.location->uri : r.locations.empty() ? std::string() : r.locations.front().uri;
    const std::uint32_t line = f.location ? f.location->region.startLine
                               : r.locations.empty() ? 0 : r.locations.front().region.startLine;
    json::object o{{"id", f.id},
                   {"ruleId", support::sanitizeUtf8(r.ruleId)},
                   {"tool", support::sanitizeUtf8(toolNames(a, f))},
                   {"kind", kind},
                   {"severity", model::toString(f.severity)},
                   {"bucket", f.risk.bucket},
                   {"riskScore", f.risk.score},
                   {"exploitable", exploitable(f)},
                   {"path", support::sanitizeUtf8(path)}};
    // What the store's ticketing rules match on and write into a ticket.
    const model::Run& run = a.scans.runs[r.run];
    if (r.rule >= 0 && static_cast<std::size_t>(r.rule) < run.rules.size()) {
      const model::Rule& rule = run.rules[static_cast<std::size_t>(r.rule)];
      const std::string& title = !rule.shortDescription.empty() ? rule.shortDescription : rule.name;
      if (!title.empty()) o["title"] = clipped(title, 1000);
    }
    if (!r.message.empty()) o["message"] = clipped(r.message, 8000);
    json::array cwes;
    for (const auto& c : f.cwes)
      if (cwes.size() < 64 && c.size() <= 32) cwes.emplace_back(c);
    o["cwe"] = std::move(cwes);
    if (line > 0) o["line"] = line;
    o["kev"] = riskValue(f, "kev").starts_with("listed");
    if (const std::string reach = riskValue(f, "reachability"); reach == "reachable" || reach == "unreachable")
      o["reachability"] = reach;
    findings.push_back(std::move(o));
  }
  json::array kindArray;
  for (const auto& k : kinds.empty() ? present : kinds) kindArray.emplace_back(k);
  json::object body{{"revision", revision.empty() ? json::value(nullptr) : json::value(revision)},
                    {"kinds", std::move(kindArray)},
                    {"repository", support::sanitizeUtf8(repository)},
                    {"findings", std::move(findings)}};
  return json::serialize(body);
}

std::string scanUploadSummary(const std::string& reply) {
  boost::system::error_code ec;
  const json::value v = json::parse(reply, ec);
  if (ec) return "uploaded (the store's reply was not JSON)";
  return "scan " + integer(at(v, {"scan", "id"})) + " uploaded: " + integer(at(v, {"scan", "count"})) + " findings, " +
         integer(at(v, {"new"})) + " new, " + integer(at(v, {"reopened"})) + " reopened, " + integer(at(v, {"fixed"})) +
         " fixed";
}

bool writeKpiJson(const std::string& reply, std::ostream& out, std::string& error) {
  boost::system::error_code ec;
  const json::value v = json::parse(reply, ec);
  if (ec || !v.is_object()) {
    error = "the store's KPI reply is not a JSON object";
    return false;
  }
  out << json::serialize(v) << "\n";
  return true;
}

bool writeKpiTable(const std::string& reply, std::ostream& out, std::string& error) {
  boost::system::error_code ec;
  const json::value v = json::parse(reply, ec);
  if (ec || !v.is_object() || !at(v, {"open"})) {
    error = "the store's KPI reply is not KPI JSON";
    return false;
  }
  auto row = [&](std::string_view name, const std::string& value, const std::string& note = {}) {
    std::string n(name);
    n.resize(std::max<std::size_t>(n.size(), 28), ' ');
    out << n << value << (note.empty() ? "" : "  (" + note + ")") << "\n";
  };
  const auto* project = at(v, {"project"});
  out << "KPIs of " << (project && project->is_string() ? std::string(project->get_string()) : "?") << ", last "
      << integer(at(v, {"days"})) << " days\n";
  row("MTTR critical (days)", number(at(v, {"mttrDays", "critical"}), false, 2), integer(at(v, {"mttrSamples", "critical"})) + " fixed");
  row("MTTR high (days)", number(at(v, {"mttrDays", "high"}), false, 2), integer(at(v, {"mttrSamples", "high"})) + " fixed");
  row("open findings", integer(at(v, {"open"})));
  row("exploitable open", integer(at(v, {"exploitableOpen"})));
  row("open risk (sum / max)", number(at(v, {"risk", "sum"}), false, 0) + " / " + number(at(v, {"risk", "max"}), false, 0));
  if (const auto* b = at(v, {"risk", "byBucket"}); b && b->is_object()) {
    std::string buckets;
    for (const auto& [k, n] : b->get_object())
      buckets += (buckets.empty() ? "" : ", ") + std::string(k) + " " + integer(&n);
    row("open by bucket", buckets.empty() ? "-" : buckets);
  }
  row("triage rate", number(at(v, {"triage", "rate"}), true),
      integer(at(v, {"triage", "triaged"})) + " of " + integer(at(v, {"triage", "tracked"})));
  row("false-positive rate", number(at(v, {"falsePositive", "rate"}), true),
      integer(at(v, {"falsePositive", "falsePositives"})) + " of " + integer(at(v, {"falsePositive", "decisions"})) + " decisions");
  row("fix rate", number(at(v, {"fix", "rate"}), true),
      integer(at(v, {"fix", "fixed"})) + " fixed, " + integer(at(v, {"fix", "open"})) + " open");
  row("scans in window", integer(at(v, {"scans"})));
  if (const auto* c = at(v, {"coverage", "byKind"}); c && c->is_object())
    for (const auto& [k, x] : c->get_object())
      row("coverage " + std::string(k), number(at(x, {"rate"}), true),
          integer(at(x, {"covered"})) + " of " + integer(at(v, {"coverage", "repositories"})) + " repositories");
  return true;
}

}  // namespace aspm::cli
