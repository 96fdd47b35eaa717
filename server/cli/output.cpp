// Table, JSON and SARIF renderings of an analysis.
#include "cli/output.h"

#include <algorithm>
#include <boost/json.hpp>
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
  if (i >= flat.size()) return flat + std::string(width - cps, ' ');
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

void writeTable(const engine::Analysis& a, std::ostream& out) {
  out << fit("RISK", 5) << "  " << fit("SEVERITY", 8) << "  " << fit("KIND", 6) << "  " << fit("TOOL", 12) << "  "
      << fit("RULE", 28) << "  " << fit("LOCATION", 36) << "  MESSAGE\n";
  for (const auto& f : a.findings) {
    const model::Result& r = primary(a, f);
    std::string where = "-";
    if (f.location) where = f.location->uri + ":" + std::to_string(f.location->region.startLine);
    else if (!r.locations.empty()) where = r.locations.front().uri + " (" + model::toString(f.state) + ")";
    std::string msg = r.message;
    if (f.state != model::FindingState::Open) msg = std::string("[") + model::toString(f.state) + "] " + msg;
    out << fit(std::to_string(f.risk.score), 5) << "  " << fit(model::toString(f.severity), 8) << "  "
        << fit(model::toString(f.kind), 6) << "  " << fit(toolNames(a, f), 12) << "  " << fit(r.ruleId, 28) << "  "
        << fit(where, 36) << "  " << fit(msg, 80) << "\n";
  }
  std::size_t bySev[5] = {};
  for (const auto& f : a.findings) ++bySev[static_cast<int>(f.severity)];
  out << "\n" << a.findings.size() << " findings (" << bySev[4] << " critical, " << bySev[3] << " high, " << bySev[2]
      << " medium, " << bySev[1] << " low, " << bySev[0] << " info) from " << a.scans.results.size() << " results in "
      << a.inputFiles.size() << " report(s)\n";
}

void writeJson(const engine::Analysis& a, std::ostream& out) {
  json::array findings;
  findings.reserve(a.findings.size());
  for (const auto& f : a.findings) {
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
    for (const auto& [name, value] : f.risk.factors) factors[name] = value;
    o["risk"] = json::object{{"score", f.risk.score}, {"factors", std::move(factors)}};
    o["state"] = model::toString(f.state);
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
    json::array sources;
    for (auto idx : f.results) {
      const model::Result& sr = a.scans.results[idx];
      json::object s;
      s["tool"] = a.scans.runs[sr.run].tool.name;
      s["ruleId"] = sr.ruleId;
      s["sarif"] = json::object{{"file", sr.source.file}, {"run", sr.source.run}, {"result", sr.source.result}};
      sources.emplace_back(std::move(s));
    }
    o["sources"] = std::move(sources);
    if (f.triage) {
      o["triage"] = json::object{{"status", f.triage->status}, {"reason", f.triage->reason},
                                 {"author", f.triage->author}, {"at", f.triage->at}};
    } else {
      o["triage"] = nullptr;
    }
    findings.emplace_back(std::move(o));
  }
  json::array problems;
  for (const auto& p : a.problems) {
    problems.emplace_back(json::object{{"file", p.file}, {"path", p.path}, {"message", support::sanitizeUtf8(p.message)},
                                       {"severity", support::toString(p.severity)}});
  }
  out << json::serialize(json::object{{"findings", std::move(findings)}, {"problems", std::move(problems)}}) << "\n";
}

void writeSarif(const engine::Analysis& a, std::ostream& out) {
  json::array results;
  json::array rules;
  std::vector<std::string> ruleIds;
  for (const auto& f : a.findings) {
    const model::Result& r = primary(a, f);
    const model::Run& run = a.scans.runs[r.run];
    const std::string qualified = r.ruleId;
    auto it = std::find(ruleIds.begin(), ruleIds.end(), qualified);
    std::size_t ruleIndex = static_cast<std::size_t>(it - ruleIds.begin());
    if (it == ruleIds.end()) {
      ruleIds.push_back(qualified);
      json::object rule{{"id", qualified}};
      if (r.rule >= 0) {
        const model::Rule& mr = run.rules[static_cast<std::size_t>(r.rule)];
        if (!mr.shortDescription.empty()) rule["shortDescription"] = json::object{{"text", mr.shortDescription}};
        if (!mr.helpUri.empty()) rule["helpUri"] = mr.helpUri;
        json::array tags;
        for (const auto& c : mr.cwes) tags.emplace_back("external/cwe/" + [](std::string s) {
          for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          return s;
        }(c));
        if (!tags.empty()) rule["properties"] = json::object{{"tags", std::move(tags)}};
      }
      rules.emplace_back(std::move(rule));
    }
    json::object res;
    res["ruleId"] = qualified;
    res["ruleIndex"] = ruleIndex;
    res["level"] = model::toString(r.level);
    res["message"] = json::object{{"text", support::sanitizeUtf8(r.message)}};
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
    res["fingerprints"] = json::object{{"aspm/v1", f.id}};
    res["properties"] = json::object{{"aspm/risk", f.risk.score}, {"aspm/severity", model::toString(f.severity)},
                                     {"aspm/tools", toolNames(a, f)}};
    results.emplace_back(std::move(res));
  }
  json::object run{{"tool", json::object{{"driver", json::object{{"name", "aspm"}, {"version", "0.1.0"},
                                                                 {"rules", std::move(rules)}}}}},
                   {"originalUriBaseIds", json::object{{"%SRCROOT%", json::object{{"uri", "file://" + a.repoRoot + "/"}}}}},
                   {"results", std::move(results)}};
  out << json::serialize(json::object{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                                      {"version", "2.1.0"},
                                      {"runs", json::array{std::move(run)}}})
      << "\n";
}

void writeProblems(const support::Problems& problems, std::ostream& err) {
  for (const auto& p : problems) {
    err << p.file;
    if (!p.path.empty()) err << ": " << p.path;
    err << ": " << support::toString(p.severity) << ": " << p.message << "\n";
  }
}

}  // namespace aspm::cli
