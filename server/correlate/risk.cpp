// Risk scoring and the EPSS reader. The arithmetic is deliberately simple and documented in
// docs/risk.md: a bucket from a small decision tree (as SSVC does), then a position inside the
// bucket's band from the product of the factors, so ranking is explainable factor by factor.
#include "correlate/risk.h"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

#include "correlate/correlate.h"
#include "correlate/cvss.h"
#include "correlate/sca.h"
#include "support/file.h"
#include "support/uri.h"

namespace aspm::correlate {
namespace {

std::string fmt(double v, int decimals = 2) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

const model::Rule* ruleOf(const model::ScanSet& scans, const model::Result& r) {
  const model::Run& run = scans.runs[r.run];
  if (r.rule < 0 || static_cast<std::size_t>(r.rule) >= run.rules.size()) return nullptr;
  return &run.rules[static_cast<std::size_t>(r.rule)];
}

bool gunzip(std::string_view in, std::string& out, std::string& error) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) {
    error = "cannot initialise zlib";
    return false;
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      error = std::string("gzip data is corrupt: ") + (zs.msg ? zs.msg : "inflate failed");
      inflateEnd(&zs);
      return false;
    }
    out.append(buf, sizeof buf - zs.avail_out);
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      error = "gzip data is truncated";
      inflateEnd(&zs);
      return false;
    }
  }
  inflateEnd(&zs);
  return true;
}

bool parseDouble(std::string_view s, double& out) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.remove_suffix(1);
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(out);
}

double severityValue(model::Severity s) {
  switch (s) {
    case model::Severity::Critical: return 9.5;
    case model::Severity::High: return 7.5;
    case model::Severity::Medium: return 5.0;
    case model::Severity::Low: return 2.5;
    case model::Severity::Info: return 0.5;
  }
  return 5.0;
}

struct Band {
  const char* name;
  int lo, hi;
};
constexpr Band kBands[] = {{"immediate", 750, 1000}, {"out-of-cycle", 500, 749}, {"scheduled", 250, 499}, {"defer", 0, 249}};

}  // namespace

int bucketRank(std::string_view bucket) noexcept {
  for (int i = 0; i < 4; ++i)
    if (bucket == kBands[i].name) return 3 - i;
  return -1;
}

support::WithProblems<std::unordered_map<std::string, EpssScore>> parseEpssCsv(std::string_view bytes,
                                                                              const std::string& displayPath,
                                                                              std::string* modelInfo) {
  support::WithProblems<std::unordered_map<std::string, EpssScore>> out;
  std::string inflated;
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f && static_cast<unsigned char>(bytes[1]) == 0x8b) {
    std::string error;
    if (!gunzip(bytes, inflated, error)) {
      out.problems.push_back({displayPath, "", error, support::ProblemSeverity::Fatal});
      return out;
    }
    bytes = inflated;
  }
  std::size_t lineNo = 0;
  bool header = false;
  int bad = 0;
  for (std::size_t pos = 0; pos < bytes.size();) {
    std::size_t e = bytes.find('\n', pos);
    if (e == std::string_view::npos) e = bytes.size();
    std::string_view line = bytes.substr(pos, e - pos);
    pos = e + 1;
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.front() == '#') {
      if (modelInfo) *modelInfo = std::string(line.substr(1));
      continue;
    }
    if (!header) {
      if (line.starts_with("cve,epss,percentile")) {
        header = true;
        continue;
      }
      out.problems.push_back({displayPath, "line " + std::to_string(lineNo),
                              "expected the EPSS header 'cve,epss,percentile'", support::ProblemSeverity::Fatal});
      return out;
    }
    auto c1 = line.find(',');
    auto c2 = c1 == std::string_view::npos ? c1 : line.find(',', c1 + 1);
    EpssScore s;
    if (c2 == std::string_view::npos || !line.starts_with("CVE-") || !parseDouble(line.substr(c1 + 1, c2 - c1 - 1), s.epss) ||
        !parseDouble(line.substr(c2 + 1), s.percentile) || s.epss < 0 || s.epss > 1 || s.percentile < 0 || s.percentile > 1) {
      if (++bad <= 20)
        out.problems.push_back({displayPath, "line " + std::to_string(lineNo),
                                "not an EPSS row (CVE-id,probability,percentile): skipped", support::ProblemSeverity::Error});
      continue;
    }
    out.value[std::string(line.substr(0, c1))] = s;
  }
  if (bad > 20)
    out.problems.push_back({displayPath, "", std::to_string(bad - 20) + " more bad rows skipped", support::ProblemSeverity::Error});
  if (!header)
    out.problems.push_back({displayPath, "", "no EPSS header 'cve,epss,percentile' found", support::ProblemSeverity::Fatal});
  return out;
}

support::WithProblems<std::unordered_map<std::string, EpssScore>> readEpssCsv(const std::string& path,
                                                                             std::string* modelInfo) {
  std::string error;
  auto bytes = support::readFile(path, &error);
  if (!bytes) {
    support::WithProblems<std::unordered_map<std::string, EpssScore>> out;
    out.problems.push_back({path, "", "cannot read EPSS file: " + error, support::ProblemSeverity::Fatal});
    return out;
  }
  return parseEpssCsv(*bytes, path, modelInfo);
}

const Application* applicationFor(const RiskContext& ctx, std::string_view path) {
  for (const auto& app : ctx.applications)
    for (const auto& g : app.paths)
      if (support::globMatch(g, path)) return &app;
  return nullptr;
}

model::RiskScore scoreFinding(const model::ScanSet& scans, const model::Finding& f, const RiskContext* ctx) {
  model::RiskScore r;
  auto add = [&](std::string name, std::string value, double numeric, std::string source, std::string effect) {
    r.factors.emplace_back(name, numeric);
    r.explanation.push_back({std::move(name), std::move(value), numeric, std::move(source), std::move(effect)});
  };

  // Technical severity: a CVSS vector wins, then security-severity, then the SARIF level.
  double sev = -1;
  std::string sevValue, sevSource;
  std::set<std::string> families;
  std::set<std::string> cves;
  std::string bestPrecision;
  auto precisionRank = [](const std::string& p) {
    return p == "very-high" ? 4 : p == "high" ? 3 : p == "medium" ? 2 : p == "low" ? 1 : 0;
  };
  for (auto idx : f.results) {
    const model::Result& res = scans.results[idx];
    const model::Run& run = scans.runs[res.run];
    const model::Rule* rule = ruleOf(scans, res);
    families.insert(toolFamily(run.tool.name));
    if (rule && precisionRank(rule->precision) > precisionRank(bestPrecision)) bestPrecision = rule->precision;
    std::optional<Cvss> cvss = findCvss3(res.message);
    if (!cvss && rule) cvss = findCvss3(rule->helpMarkdown);
    if (!cvss && rule) cvss = findCvss3(rule->helpText);
    if (!cvss && rule) cvss = findCvss3(rule->fullDescription);
    if (cvss && cvss->baseScore > sev) {
      sev = cvss->baseScore;
      sevValue = fmt(cvss->baseScore, 1);
      sevSource = cvss->vector + " (" + run.tool.name + " rule " + res.ruleId + ")";
    }
    std::vector<std::string> ids;
    if (f.kind == model::FindingKind::Sca) ids = packageOf(run, rule, res).vulnIds;
    else ids = vulnIdsInText(res.ruleId);
    for (auto& id : ids)
      if (id.starts_with("CVE-")) cves.insert(id);
  }
  if (sev < 0) {
    for (auto idx : f.results) {
      const model::Result& res = scans.results[idx];
      const model::Rule* rule = ruleOf(scans, res);
      std::optional<double> ss = res.securitySeverity;
      std::string where = "result";
      if (!ss && rule) {
        ss = rule->securitySeverity;
        where = "rule";
      }
      if (ss && *ss > sev) {
        sev = std::clamp(*ss, 0.0, 10.0);
        sevValue = fmt(sev, 1);
        sevSource = "security-severity of " + scans.runs[res.run].tool.name + " " + where + " " + res.ruleId;
      }
    }
  }
  if (sev < 0) {
    sev = severityValue(f.severity);
    sevValue = model::toString(f.severity);
    sevSource = "SARIF level / tool severity of " + scans.runs[scans.results[f.results.front()].run].tool.name;
  }
  add("severity", sevValue, sev, sevSource, "base " + fmt(sev, 1) + "/10");

  // Exploitation: KEV is evidence of exploitation in the wild; EPSS a forecast of it.
  std::string exploitation = "unknown";
  double explMul = 1.0;
  const KevEntry* kevHit = nullptr;
  std::string kevCve;
  std::optional<EpssScore> epss;
  std::string epssCve;
  if (ctx) {
    for (const auto& c : cves) {
      if (auto it = ctx->kev.find(c); it != ctx->kev.end() && !kevHit) {
        kevHit = &it->second;
        kevCve = c;
      }
      if (auto it = ctx->epss.find(c); it != ctx->epss.end() && (!epss || it->second.epss > epss->epss)) {
        epss = it->second;
        epssCve = c;
      }
    }
  }
  if (cves.empty()) {
    add("kev", "n/a (no CVE)", 0, "-", "none");
    add("epss", "n/a (no CVE)", 0, "-", "none");
  } else {
    if (!ctx || ctx->kev.empty()) add("kev", "unknown", 0, "no KEV catalog configured", "none");
    else if (kevHit)
      add("kev", "listed: " + kevCve + " added " + kevHit->dateAdded + (kevHit->ransomware ? ", used by ransomware" : ""), 1,
          ctx->kevSource, "exploitation active");
    else add("kev", "not listed", 0, ctx->kevSource, "none");
    if (!ctx || ctx->epss.empty()) add("epss", "unknown", 0, "no EPSS file configured", "none");
    else if (epss)
      add("epss", fmt(epss->epss, 5) + " (" + epssCve + ", percentile " + fmt(epss->percentile, 3) + ")", epss->epss,
          ctx->epssSource, epss->epss >= 0.1 ? "exploitation likely" : "exploitation unlikely");
    else add("epss", "not scored", 0, ctx->epssSource, "none");
  }
  if (kevHit) {
    exploitation = "active";
    explMul = kevHit->ransomware ? 2.2 : 2.0;
  } else if (epss && epss->epss >= 0.1) {
    exploitation = "likely";
    explMul = 1.0 + std::min(0.8, epss->epss);
  } else if (epss) {
    exploitation = "unlikely";
    explMul = 0.8;
  }
  r.explanation.push_back({"exploitation", exploitation, explMul, "from kev and epss", "x" + fmt(explMul)});
  r.factors.emplace_back("exploitation", explMul);

  // Reachability: for dependency findings, whether the code imports the package at all.
  double reachMul = 1.0;
  {
    std::optional<ReachabilityVerdict> verdict;
    const model::Result& primary = scans.results[f.results.front()];
    if (f.kind == model::FindingKind::Sca && ctx && ctx->reachability) {
      const PackageRef pkg = packageOf(scans.runs[primary.run], ruleOf(scans, primary), primary);
      const std::string at = f.location ? f.location->uri
                             : primary.locations.empty() ? std::string()
                                                         : primary.locations.front().uri;
      const model::Rule* rule = ruleOf(scans, primary);
      const auto& symbols = !primary.vulnerableSymbols.empty() || !rule ? primary.vulnerableSymbols : rule->vulnerableSymbols;
      if (!pkg.name.empty()) verdict = ctx->reachability(pkg.ecosystem, pkg.name, at, symbols);
    }
    if (verdict) {
      reachMul = verdict->multiplier;
      add("reachability", verdict->value, reachMul, verdict->source, "x" + fmt(reachMul));
    } else {
      add("reachability", "unknown", 1.0, f.kind == model::FindingKind::Sca ? "not analysed" : "analysed for dependencies only",
          "x1.00");
    }
  }

  // Exposure and business criticality from the application the finding's file belongs to.
  std::string path;
  if (f.location) path = f.location->uri;
  else if (!scans.results[f.results.front()].locations.empty()) path = scans.results[f.results.front()].locations.front().uri;
  const Application* app = ctx && !path.empty() ? applicationFor(*ctx, path) : nullptr;
  double expoMul = 1.0;
  std::string expoValue = "unknown";
  std::string appSource = app ? app->source + " (application " + app->name + ")" : "no application matches " + (path.empty() ? std::string("-") : path);
  if (app && app->internetFacing) {
    expoValue = *app->internetFacing ? "internet-facing" : "internal";
    expoMul = *app->internetFacing ? 1.3 : 0.8;
  }
  add("exposure", expoValue, expoMul, appSource, "x" + fmt(expoMul));
  double critMul = 1.0;
  std::string crit = app && !app->criticality.empty() ? app->criticality : "unknown";
  if (crit == "critical") critMul = 1.4;
  else if (crit == "high") critMul = 1.2;
  else if (crit == "low") critMul = 0.8;
  if (app && !app->dataSensitivity.empty()) {
    const std::string& d = app->dataSensitivity;
    if (d == "pii" || d == "phi" || d == "pci" || d == "restricted" || d == "confidential" || d == "secret") {
      critMul *= 1.1;
      crit += ", data " + d;
    } else {
      crit += ", data " + d;
    }
  }
  add("criticality", crit, critMul, appSource, "x" + fmt(critMul));

  // Confidence: rule precision and corroboration by other tools.
  double conf = 1.0;
  if (bestPrecision == "very-high") conf = 1.1;
  else if (bestPrecision == "medium") conf = 0.9;
  else if (bestPrecision == "low") conf = 0.75;
  const double corroboration = 1.0 + 0.1 * static_cast<double>(std::min<std::size_t>(families.size(), 4) - 1);
  conf *= corroboration;
  add("confidence",
      (bestPrecision.empty() ? std::string("precision unknown") : "precision " + bestPrecision) + ", " +
          std::to_string(families.size()) + " tool(s)",
      conf, "rule metadata; correlation", "x" + fmt(conf));

  // Bucket: a decision tree in the spirit of SSVC (exploitation, exposure/automatable,
  // technical impact, mission prevalence).
  const bool internet = app && app->internetFacing && *app->internetFacing;
  const bool important = crit.starts_with("critical") || crit.starts_with("high");
  std::string bucket, why;
  if (f.state == model::FindingState::Suppressed) {
    bucket = "defer";
    why = "suppressed in the report";
  } else if (f.triage && (f.triage->status == "false_positive" || f.triage->status == "accepted_risk" ||
                          f.triage->status == "wont_fix" || f.triage->status == "fixed")) {
    bucket = "defer";
    why = "triaged " + f.triage->status;
  } else if (exploitation == "active" && (internet || important || sev >= 9.0)) {
    bucket = "immediate";
    why = "exploited in the wild and exposed, critical or of total impact";
  } else if (exploitation == "active") {
    bucket = "out-of-cycle";
    why = "exploited in the wild";
  } else if ((exploitation == "likely" && sev >= 7.0) || (sev >= 9.0 && internet && important)) {
    bucket = "out-of-cycle";
    why = exploitation == "likely" ? "exploitation likely and high severity" : "critical severity in an exposed, important application";
  } else if (sev >= 4.0 || exploitation == "likely") {
    bucket = "scheduled";
    why = "medium or higher severity";
  } else {
    bucket = "defer";
    why = "low severity, no exploitation evidence";
  }
  if (bucket == "scheduled" && conf < 0.8 && sev < 7.0) {
    bucket = "defer";
    why = "low-precision rule, not corroborated";
  }
  r.bucket = bucket;

  const double raw = (sev / 10.0) * explMul * reachMul * expoMul * critMul * conf;
  const double position = std::clamp(raw / 2.0, 0.0, 1.0);
  const Band& band = kBands[3 - bucketRank(bucket)];
  r.score = band.lo + static_cast<int>(std::lround(position * (band.hi - band.lo)));
  r.explanation.push_back({"bucket", bucket, static_cast<double>(r.score), "decision tree (docs/risk.md)", why});
  return r;
}

}  // namespace aspm::correlate
