// First correlation pass: fingerprint, severity, kind and risk per result.
#include "correlate/correlate.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "support/hash.h"
#include "support/text.h"

namespace aspm::correlate {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

std::string stripWhitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

// Message without digits, so counts and line numbers in messages do not change fingerprints.
std::string messageShape(std::string_view s) {
  std::string out;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c)) && !std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

}  // namespace

std::string toolFamily(std::string_view driverName) {
  std::string n = lower(driverName);
  static constexpr std::string_view kKnown[] = {
      "codeql", "semgrep", "eslint", "bandit", "flawfinder", "cppcheck", "shellcheck", "gcc", "clang",
      "gosec", "trivy", "tfsec", "grype", "snyk", "checkov", "kics", "gitleaks", "trufflehog", "brakeman",
      "spotbugs", "pmd", "qodana", "sonar", "devskim", "hadolint", "osv-scanner", "dependency-check"};
  for (auto k : kKnown)
    if (contains(n, k)) return std::string(k);
  // Unknown tool: first word, letters/digits/dashes only.
  std::string out;
  for (char c : n) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') out += c;
    else if (!out.empty()) break;
  }
  return out.empty() ? "unknown" : out;
}

model::FindingKind inferKind(const model::Run& run, const model::Rule* rule, const model::Result& result) {
  using K = model::FindingKind;
  const std::string family = toolFamily(run.tool.name);
  const std::string ruleId = lower(result.ruleId);
  const bool vulnId = ruleId.starts_with("cve-") || ruleId.starts_with("ghsa-") || ruleId.starts_with("snyk-") ||
                      ruleId.starts_with("pysec-") || ruleId.starts_with("go-") || ruleId.starts_with("rustsec-") ||
                      ruleId.starts_with("osv-");
  if (family == "gitleaks" || family == "trufflehog") return K::Secret;
  if (family == "grype" || family == "osv-scanner" || family == "dependency-check") return K::Sca;
  if (family == "checkov" || family == "kics" || family == "tfsec" || family == "hadolint") return K::Iac;
  if (family == "trivy") {
    if (vulnId) return K::Sca;
    if (contains(ruleId, "secret")) return K::Secret;
    return K::Iac;
  }
  if (family == "snyk") {
    const std::string tool = lower(run.tool.name);
    if (contains(tool, "iac")) return K::Iac;
    if (contains(tool, "code")) return K::Sast;
    if (vulnId || contains(tool, "open source")) return K::Sca;
  }
  if (vulnId) return K::Sca;
  if (rule) {
    for (const auto& t : rule->tags) {
      const std::string tl = lower(t);
      if (tl == "secret" || tl == "secrets") return K::Secret;
    }
  }
  if (contains(ruleId, "secret") || contains(ruleId, "hardcoded-credential") || contains(ruleId, "private-key"))
    return K::Secret;
  return K::Sast;
}

model::Severity severityFromScore(double score) noexcept {
  if (score >= 9.0) return model::Severity::Critical;
  if (score >= 7.0) return model::Severity::High;
  if (score >= 4.0) return model::Severity::Medium;
  if (score > 0.0) return model::Severity::Low;
  return model::Severity::Info;
}

model::Severity severityOf(const model::Run& run, const model::Result& result) {
  const model::Rule* rule =
      (result.rule >= 0 && static_cast<std::size_t>(result.rule) < run.rules.size()) ? &run.rules[static_cast<std::size_t>(result.rule)] : nullptr;
  if (result.securitySeverity) return severityFromScore(*result.securitySeverity);
  if (rule && rule->securitySeverity) return severityFromScore(*rule->securitySeverity);
  switch (result.level) {
    case model::Level::Error: return model::Severity::High;
    case model::Level::Warning: return model::Severity::Medium;
    case model::Level::Note: return model::Severity::Low;
    case model::Level::None: return model::Severity::Info;
  }
  return model::Severity::Medium;
}

std::string normalizedRegionText(std::string_view content, const model::Region& region) {
  if (!region.hasLines()) return {};
  support::LineIndex idx(content);
  const std::size_t first = region.startLine - 1;
  std::size_t last = region.endLine >= region.startLine ? region.endLine - 1 : first;
  last = std::min(last, first + 7);
  std::string out;
  for (std::size_t l = first; l <= last && l < idx.lineCount(); ++l) out += stripWhitespace(support::lineText(content, idx, l));
  return out;
}

std::string fingerprintOf(const model::ScanSet& scans, const model::Result& result, const std::string* content) {
  const model::Run& run = scans.runs[result.run];
  support::StableHasher h;
  h.add("aspm-fp-1").add(toolFamily(run.tool.name)).add(result.ruleId);
  if (!result.locations.empty()) {
    const model::Location& loc = result.locations.front();
    h.add(loc.uri);
    std::string text;
    if (content) text = normalizedRegionText(*content, loc.region);
    if (text.empty()) text = stripWhitespace(loc.region.snippet);
    if (text.empty()) text = messageShape(result.message);
    h.add(text);
    h.add(loc.logicalName);
  } else {
    // No physical location (SCA results often): the message names the package and version.
    h.add(messageShape(result.message));
  }
  return support::toHex(h.value());
}

model::RiskScore scoreRisk(const model::ScanSet& scans, const model::Result& result, model::Severity severity) {
  const model::Run& run = scans.runs[result.run];
  const model::Rule* rule =
      (result.rule >= 0 && static_cast<std::size_t>(result.rule) < run.rules.size()) ? &run.rules[static_cast<std::size_t>(result.rule)] : nullptr;
  model::RiskScore r;
  double base = 0;
  switch (severity) {
    case model::Severity::Critical: base = 900; break;
    case model::Severity::High: base = 700; break;
    case model::Severity::Medium: base = 450; break;
    case model::Severity::Low: base = 200; break;
    case model::Severity::Info: base = 50; break;
  }
  r.factors.emplace_back("severity", base);
  double precision = 1.0;
  if (rule) {
    if (rule->precision == "very-high") precision = 1.1;
    else if (rule->precision == "high") precision = 1.05;
    else if (rule->precision == "low") precision = 0.85;
  }
  r.factors.emplace_back("precision", precision);
  r.score = std::clamp(static_cast<int>(base * precision + 0.5), 0, 1000);
  return r;
}

std::vector<model::Finding> correlate(const model::ScanSet& scans, const ContentProvider& content) {
  std::vector<model::Finding> out;
  out.reserve(scans.results.size());
  std::unordered_map<std::string, std::shared_ptr<const std::string>> cache;
  std::unordered_map<std::string, int> seen;
  for (std::uint32_t i = 0; i < scans.results.size(); ++i) {
    const model::Result& res = scans.results[i];
    if (res.kind == model::ResultKind::Pass || res.kind == model::ResultKind::NotApplicable) continue;
    const model::Run& run = scans.runs[res.run];
    const model::Rule* rule =
        (res.rule >= 0 && static_cast<std::size_t>(res.rule) < run.rules.size()) ? &run.rules[static_cast<std::size_t>(res.rule)] : nullptr;
    std::shared_ptr<const std::string> text;
    if (!res.locations.empty() && res.locations.front().resolved && content) {
      const std::string& uri = res.locations.front().uri;
      auto it = cache.find(uri);
      if (it == cache.end()) it = cache.emplace(uri, content(uri)).first;
      text = it->second;
    }
    model::Finding f;
    f.id = fingerprintOf(scans, res, text.get());
    if (int n = seen[f.id]++; n > 0) f.id = support::toHex(support::StableHasher().add(f.id).add(std::to_string(n)).value());
    f.results.push_back(i);
    f.kind = inferKind(run, rule, res);
    f.severity = severityOf(run, res);
    if (rule) f.cwes = rule->cwes;
    f.risk = scoreRisk(scans, res, f.severity);
    if (!res.suppressions.empty()) {
      bool accepted = std::any_of(res.suppressions.begin(), res.suppressions.end(),
                                  [](const model::Suppression& s) { return s.status.empty() || s.status == "accepted"; });
      if (accepted) f.state = model::FindingState::Suppressed;
    }
    if (!res.locations.empty()) {
      const model::Location& loc = res.locations.front();
      if (loc.resolved && text) {
        f.location = loc;
      } else if (loc.resolved && !text) {
        if (f.state == model::FindingState::Open) f.state = model::FindingState::Gone;
      } else {
        if (f.state == model::FindingState::Open) f.state = model::FindingState::Stale;
      }
    }
    out.push_back(std::move(f));
  }
  std::stable_sort(out.begin(), out.end(), [](const model::Finding& a, const model::Finding& b) {
    return a.risk.score > b.risk.score;
  });
  return out;
}

}  // namespace aspm::correlate
