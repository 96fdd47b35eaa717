// Correlation: per-result facts, candidate pairs per kind, union-find with a same-tool guard,
// then one finding per component with its fingerprint, line hash, fix group and risk.
#include "correlate/correlate.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

#include "correlate/cwe.h"
#include "correlate/line_hash.h"

#include "support/hash.h"
#include "support/parallel.h"
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

namespace {

std::string normalizedRegionTextWith(std::string_view content, const support::LineIndex& idx, const model::Region& region) {
  if (!region.hasLines()) return {};
  const std::size_t first = region.startLine - 1;
  std::size_t last = region.endLine >= region.startLine ? region.endLine - 1 : first;
  last = std::min(last, first + 7);
  std::string out;
  for (std::size_t l = first; l <= last && l < idx.lineCount(); ++l) out += stripWhitespace(support::lineText(content, idx, l));
  return out;
}

}  // namespace

std::string normalizedRegionText(std::string_view content, const model::Region& region) {
  if (!region.hasLines()) return {};
  return normalizedRegionTextWith(content, support::LineIndex(content), region);
}

namespace {

std::string fingerprintWith(const model::ScanSet& scans, const model::Result& result, const std::string* content,
                            const support::LineIndex* index, const std::string* path = nullptr);

}  // namespace

std::string fingerprintOf(const model::ScanSet& scans, const model::Result& result, const std::string* content) {
  if (!content) return fingerprintWith(scans, result, nullptr, nullptr);
  const support::LineIndex idx(*content);
  return fingerprintWith(scans, result, content, &idx);
}

namespace {

std::string fingerprintWith(const model::ScanSet& scans, const model::Result& result, const std::string* content,
                            const support::LineIndex* index, const std::string* path) {
  const model::Run& run = scans.runs[result.run];
  support::StableHasher h;
  h.add("aspm-fp-1").add(toolFamily(run.tool.name)).add(result.ruleId);
  if (!result.locations.empty()) {
    const model::Location& loc = result.locations.front();
    h.add(path ? *path : loc.uri);
    std::string text;
    if (content && index) text = normalizedRegionTextWith(*content, *index, loc.region);
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

}  // namespace

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

namespace {

const model::Rule* ruleFor(const model::ScanSet& scans, const model::Result& r) {
  const model::Run& run = scans.runs[r.run];
  if (r.rule < 0 || static_cast<std::size_t>(r.rule) >= run.rules.size()) return nullptr;
  return &run.rules[static_cast<std::size_t>(r.rule)];
}

// IaC: what a check is about, from its id and description, so that checkov's CKV_AWS_19 and
// tfsec's aws-s3-enable-bucket-encryption land in one class.
std::string policyClassOf(const model::Rule* rule, const model::Result& res) {
  std::string text = lower(res.ruleId + " " + res.message);
  if (rule) text += " " + lower(rule->name + " " + rule->shortDescription);
  static const std::pair<std::string_view, std::string_view> kClasses[] = {
      {"encrypt", "encryption"}, {"kms", "encryption"},      {"logging", "logging"},    {"log ", "logging"},
      {"public", "public-access"}, {"versioning", "versioning"}, {"mfa", "mfa"},      {"tls", "transport"},
      {"ssl", "transport"},      {"https", "transport"},       {"root", "privilege"},     {"privilege", "privilege"},
      {"wildcard", "privilege"}, {"0.0.0.0/0", "network"},     {"ingress", "network"},    {"security group", "network"},
      {"backup", "backup"},      {"secret", "secrets"},        {"password", "secrets"},  {"healthcheck", "healthcheck"},
      {"latest", "pinning"},     {"pin", "pinning"},
  };
  for (const auto& [needle, cls] : kClasses)
    if (text.find(needle) != std::string::npos) return std::string(cls);
  return lower(res.ruleId);
}

// IaC: the enclosing Terraform resource ('resource "aws_s3_bucket" "logs"' -> aws_s3_bucket.logs).
std::string terraformResource(std::string_view content, std::uint32_t line) {
  if (line == 0) return {};
  support::LineIndex idx(content);
  for (std::size_t l = std::min<std::size_t>(line, idx.lineCount()); l-- > 0;) {
    std::string_view t = support::trim(support::lineText(content, idx, l));
    if (!t.starts_with("resource ") && !t.starts_with("data ") && !t.starts_with("module ")) continue;
    std::vector<std::string> q;
    for (std::size_t p = 0; (p = t.find('"', p)) != std::string_view::npos && q.size() < 2;) {
      auto e = t.find('"', p + 1);
      if (e == std::string_view::npos) break;
      q.emplace_back(t.substr(p + 1, e - p - 1));
      p = e + 1;
    }
    if (q.size() == 2) return q[0] + "." + q[1];
    if (q.size() == 1) return q[0];
  }
  return {};
}

std::string regionText(std::string_view content, const model::Region& region) {
  if (!region.hasLines()) return {};
  support::LineIndex idx(content);
  if (region.startLine > idx.lineCount()) return {};
  std::string_view line = support::lineText(content, idx, region.startLine - 1);
  if (region.startColumn > 0 && region.endColumn > region.startColumn &&
      (region.endLine == 0 || region.endLine == region.startLine)) {
    const auto b = support::byteOffsetOfUtf16Column(line, region.startColumn - 1);
    const auto e = support::byteOffsetOfUtf16Column(line, region.endColumn - 1);
    if (e > b) return std::string(support::trim(line.substr(b, e - b)));
  }
  return std::string(support::trim(line));
}

class UnionFind {
 public:
  explicit UnionFind(std::size_t n) : parent_(n), size_(n, 1) { std::iota(parent_.begin(), parent_.end(), 0u); }
  std::uint32_t find(std::uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  // Joins the sets of a and b; returns the new root.
  std::uint32_t unite(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return a;
    if (size_[a] < size_[b]) std::swap(a, b);
    parent_[b] = a;
    size_[a] += size_[b];
    return a;
  }

 private:
  std::vector<std::uint32_t> parent_;
  std::vector<std::uint32_t> size_;
};

struct Candidate {
  std::uint32_t distance;
  std::uint32_t a, b;  // positions in the eligible list
};

std::string signatureOf(const model::Result& r, const ResultFacts& f) {
  // Within one component each tool may appear with one signature only: SAST results of one
  // tool merge only when they are the same rule on the same line (a duplicate report).
  if (f.kind == model::FindingKind::Sca || f.kind == model::FindingKind::Iac || f.kind == model::FindingKind::Secret)
    return r.ruleId;
  return r.ruleId + "@" + std::to_string(f.line);
}

// Fills ResultFacts::statement for the SAST results that could use it: those in a file+CWE-class
// bucket where at least two tools reported. Each distinct content is parsed once, for all of its
// points. Parsing is most of the work of loading a large workspace (tree-sitter, one document
// per content), and each content is independent, so the contents are parsed on every core; the
// statements are then assigned in a fixed order, so the result does not depend on the threads.
void assignStatements(const StatementProvider& provider,
                      const std::unordered_map<std::string, std::vector<std::uint32_t>>& buckets, std::vector<ResultFacts>& facts,
                      const std::vector<std::shared_ptr<const std::string>>& texts) {
  std::vector<bool> wanted(facts.size(), false);
  for (const auto& [key, members] : buckets) {
    if (members.size() < 2 || !key.starts_with("sast")) continue;
    bool severalTools = false;
    for (auto m : members) severalTools = severalTools || facts[m].family != facts[members.front()].family;
    if (severalTools)
      for (auto m : members) wanted[m] = texts[m] != nullptr;
  }
  // Per content: the positions that want a statement, in a deterministic order.
  std::map<const std::string*, std::vector<std::uint32_t>> byText;
  std::vector<std::uint32_t> order;
  for (std::uint32_t p = 0; p < facts.size(); ++p) {
    if (!wanted[p]) continue;
    auto [it, fresh] = byText.try_emplace(texts[p].get());
    if (fresh) order.push_back(p);
    it->second.push_back(p);
  }
  std::vector<std::vector<std::optional<StatementSpan>>> spansOf(order.size());
  support::forEachIndex(order.size(), 0, [&](std::size_t i) {
    const std::uint32_t first = order[i];
    const std::string* text = texts[first].get();
    const auto& positions = byText.find(text)->second;  // read-only while the threads run
    std::vector<SourcePoint> points;
    points.reserve(positions.size());
    for (auto p : positions) points.push_back({facts[p].line, facts[p].column});
    spansOf[i] = provider(facts[first].file, *text, points);
  });
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::uint32_t first = order[i];
    const std::string* text = texts[first].get();
    const auto& positions = byText[text];
    const auto& spans = spansOf[i];
    const auto textId = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(text));
    for (std::size_t k = 0; k < positions.size() && k < spans.size(); ++k) {
      if (!spans[k]) continue;
      std::uint64_t id = support::StableHasher()
                             .add(facts[positions[k]].file)
                             .add(std::to_string(textId))
                             .add(std::to_string(spans[k]->startByte))
                             .add(std::to_string(spans[k]->endByte))
                             .value();
      facts[positions[k]].statement = id == 0 ? 1 : id;
    }
  }
}

}  // namespace

ResultFacts factsOf(const model::ScanSet& scans, std::uint32_t resultIndex, const std::string* content) {
  const model::Result& r = scans.results[resultIndex];
  const model::Run& run = scans.runs[r.run];
  const model::Rule* rule = ruleFor(scans, r);
  ResultFacts f;
  f.kind = inferKind(run, rule, r);
  f.family = toolFamily(run.tool.name);
  if (!r.locations.empty()) {
    f.file = r.locations.front().uri;
    f.line = r.locations.front().region.startLine;
    f.column = r.locations.front().region.startColumn;
  }
  f.cwes = cwesOf(run, rule, r);
  for (const auto& c : f.cwes) {
    std::string cls = cweClass(c);
    if (std::find(f.classes.begin(), f.classes.end(), cls) == f.classes.end()) f.classes.push_back(std::move(cls));
  }
  if (f.kind == model::FindingKind::Sca) f.package = packageOf(run, rule, r);
  if (f.kind == model::FindingKind::Secret && !r.locations.empty()) {
    std::string text = stripWhitespace(r.locations.front().region.snippet);
    if (text.empty() && content) text = stripWhitespace(regionText(*content, r.locations.front().region));
    if (!text.empty()) f.secretHash = support::toHex(support::fnv1a64(text));
  }
  if (f.kind == model::FindingKind::Iac) {
    if (!r.locations.empty() && !r.locations.front().logicalName.empty()) f.iacResource = r.locations.front().logicalName;
    else if (content && (f.file.ends_with(".tf") || f.file.ends_with(".hcl"))) f.iacResource = terraformResource(*content, f.line);
    f.policyClass = policyClassOf(rule, r);
  }
  return f;
}

bool samePair(const model::ScanSet& scans, std::uint32_t a, const ResultFacts& fa, std::uint32_t b, const ResultFacts& fb) {
  const model::Result& ra = scans.results[a];
  const model::Result& rb = scans.results[b];
  if (fa.kind != fb.kind) return false;
  if (fa.family == fb.family && ra.ruleId != rb.ruleId) return false;
  auto sharedClass = [&] {
    for (const auto& c : fa.classes)
      if (std::find(fb.classes.begin(), fb.classes.end(), c) != fb.classes.end()) return true;
    return false;
  };
  switch (fa.kind) {
    case model::FindingKind::Sca: {
      if (fa.package.name.empty() || packageKey(fa.package.name) != packageKey(fb.package.name)) return false;
      for (const auto& id : fa.package.vulnIds)
        if (std::find(fb.package.vulnIds.begin(), fb.package.vulnIds.end(), id) != fb.package.vulnIds.end()) return true;
      return false;
    }
    case model::FindingKind::Secret:
      if (fa.file.empty() || fa.file != fb.file) return false;
      if (!fa.secretHash.empty() && !fb.secretHash.empty()) return fa.secretHash == fb.secretHash;
      return fa.line != 0 && fa.line == fb.line;
    case model::FindingKind::Iac:
      return !fa.file.empty() && fa.file == fb.file && fa.iacResource == fb.iacResource && fa.policyClass == fb.policyClass;
    default: {
      if (fa.file.empty() || fa.file != fb.file || fa.line == 0 || fb.line == 0) return false;
      if (fa.family == fb.family && fa.line != fb.line) return false;
      const std::uint32_t d = fa.line > fb.line ? fa.line - fb.line : fb.line - fa.line;
      const bool sameStatement = fa.statement != 0 && fa.statement == fb.statement;
      return (d <= 3 || sameStatement) && sharedClass();
    }
  }
}

std::string correlationGuidFor(std::string_view id) {
  const std::uint64_t hi = support::StableHasher().add("aspm-correlation").add(id).value();
  const std::uint64_t lo = support::StableHasher().add(id).add("aspm-correlation").value();
  std::string h = support::toHex(hi) + support::toHex(lo);
  h[12] = '5';  // name-based layout, like a version-5 UUID
  h[16] = "89ab"[static_cast<unsigned char>(h[16]) % 4];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20, 12);
}

Correlation correlate(const model::ScanSet& scans, const CorrelateOptions& options) {
  Correlation out;
  out.noise.rawResults = scans.results.size();

  // Eligible results and their facts; file contents are read once per file.
  std::unordered_map<std::string, std::shared_ptr<const std::string>> cache;
  auto contentOf = [&](const model::Result& res) -> std::shared_ptr<const std::string> {
    if (res.locations.empty() || !res.locations.front().resolved) return nullptr;
    const std::string& uri = res.locations.front().uri;
    const std::string& revision = res.run < scans.runs.size() ? scans.runs[res.run].revision : std::string();
    if (!revision.empty() && options.contentAt) {
      const std::string key = revision + '\x1f' + uri;
      auto at = cache.find(key);
      if (at == cache.end()) at = cache.emplace(key, options.contentAt(uri, revision)).first;
      if (at->second) return at->second;
    }
    if (!options.content) return nullptr;
    auto it = cache.find(uri);
    if (it == cache.end()) it = cache.emplace(uri, options.content(uri)).first;
    return it->second;
  };
  std::vector<std::uint32_t> eligible;
  std::vector<ResultFacts> facts;
  std::vector<std::shared_ptr<const std::string>> texts;
  for (std::uint32_t i = 0; i < scans.results.size(); ++i) {
    const model::Result& res = scans.results[i];
    if (res.kind == model::ResultKind::Pass || res.kind == model::ResultKind::NotApplicable) {
      ++out.noise.notFindings;
      continue;
    }
    auto text = contentOf(res);
    eligible.push_back(i);
    facts.push_back(factsOf(scans, i, text.get()));
    texts.push_back(std::move(text));
  }
  const std::size_t n = eligible.size();

  // Candidate pairs, bucketed by the key each kind's rule requires to be equal.
  std::vector<Candidate> candidates;
  if (options.merge) {
    std::unordered_map<std::string, std::vector<std::uint32_t>> buckets;
    for (std::uint32_t p = 0; p < n; ++p) {
      const ResultFacts& f = facts[p];
      switch (f.kind) {
        case model::FindingKind::Sca:
          if (!f.package.name.empty())
            for (const auto& id : f.package.vulnIds) buckets["sca\x1f" + packageKey(f.package.name) + "\x1f" + id].push_back(p);
          break;
        case model::FindingKind::Secret:
          if (!f.file.empty())
            buckets["secret\x1f" + f.file + "\x1f" + (f.secretHash.empty() ? "line:" + std::to_string(f.line) : f.secretHash)]
                .push_back(p);
          break;
        case model::FindingKind::Iac:
          if (!f.file.empty()) buckets["iac\x1f" + f.file + "\x1f" + f.iacResource + "\x1f" + f.policyClass].push_back(p);
          break;
        default:
          if (!f.file.empty() && f.line > 0)
            for (const auto& c : f.classes) buckets["sast\x1f" + f.file + "\x1f" + c].push_back(p);
          break;
      }
    }
    constexpr std::size_t kMaxNeighbours = 32;  // bounds pathological files (thousands of hits on a few lines)
    if (options.statements) assignStatements(options.statements, buckets, facts, texts);
    for (auto& [key, members] : buckets) {
      if (members.size() < 2) continue;
      const bool sast = key.starts_with("sast");
      if (sast) {
        std::sort(members.begin(), members.end(),
                  [&](std::uint32_t x, std::uint32_t y) { return facts[x].line != facts[y].line ? facts[x].line < facts[y].line : x < y; });
      }
      for (std::size_t i = 0; i < members.size(); ++i) {
        for (std::size_t j = i + 1; j < members.size() && j - i <= kMaxNeighbours; ++j) {
          const std::uint32_t a = members[i], b = members[j];
          if (sast && facts[b].line > facts[a].line + 3) break;
          if (!samePair(scans, eligible[a], facts[a], eligible[b], facts[b])) continue;
          candidates.push_back({sast ? facts[b].line - facts[a].line : 0, a, b});
        }
      }
      if (!sast || std::none_of(members.begin(), members.end(), [&](std::uint32_t m) { return facts[m].statement != 0; }))
        continue;
      // Reports further apart than the window that share a statement: neighbours within each
      // statement (members stay in line order, so the stable sort groups them by statement).
      std::stable_sort(members.begin(), members.end(),
                       [&](std::uint32_t x, std::uint32_t y) { return facts[x].statement < facts[y].statement; });
      for (std::size_t i = 0; i < members.size(); ++i) {
        if (facts[members[i]].statement == 0) continue;
        for (std::size_t j = i + 1; j < members.size() && j - i <= kMaxNeighbours; ++j) {
          const std::uint32_t a = members[i], b = members[j];
          if (facts[b].statement != facts[a].statement) break;
          if (facts[b].line <= facts[a].line + 3) continue;  // the window above already paired them
          if (!samePair(scans, eligible[a], facts[a], eligible[b], facts[b])) continue;
          candidates.push_back({facts[b].line - facts[a].line, a, b});
        }
      }
    }
    // Closest pairs first, so a result between two others joins the nearer one.
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) {
      return std::tie(x.distance, x.a, x.b) < std::tie(y.distance, y.a, y.b);
    });
  }

  UnionFind uf(n);
  // Per component: tool family -> the one signature it may have.
  std::unordered_map<std::uint32_t, std::map<std::string, std::string>> sigs;
  auto sigOf = [&](std::uint32_t root) -> std::map<std::string, std::string>& {
    auto it = sigs.find(root);
    if (it == sigs.end()) {
      it = sigs.emplace(root, std::map<std::string, std::string>{{facts[root].family, signatureOf(scans.results[eligible[root]], facts[root])}}).first;
    }
    return it->second;
  };
  for (const auto& c : candidates) {
    std::uint32_t ra = uf.find(c.a), rb = uf.find(c.b);
    if (ra == rb) continue;
    auto& sa = sigOf(ra);
    auto& sb = sigOf(rb);
    bool conflict = false;
    const auto& small = sa.size() < sb.size() ? sa : sb;
    const auto& large = sa.size() < sb.size() ? sb : sa;
    for (const auto& [fam, sig] : small) {
      auto it = large.find(fam);
      if (it != large.end() && it->second != sig) {
        conflict = true;
        break;
      }
    }
    if (conflict) continue;
    std::map<std::string, std::string> merged = std::move(sa.size() < sb.size() ? sb : sa);
    merged.insert(small.begin(), small.end());
    sigs.erase(ra);
    sigs.erase(rb);
    sigs[uf.unite(ra, rb)] = std::move(merged);
  }

  // Components in order of their first result, members in input order.
  std::vector<std::vector<std::uint32_t>> components;
  {
    std::unordered_map<std::uint32_t, std::size_t> slot;
    for (std::uint32_t p = 0; p < n; ++p) {
      auto [it, fresh] = slot.emplace(uf.find(p), components.size());
      if (fresh) components.emplace_back();
      components[it->second].push_back(p);
    }
  }

  std::unordered_map<std::string, int> seen;
  std::map<std::string, FixGroup> groups;
  // Per file: one line index and one line-hash pass, however many findings point into it.
  std::unordered_map<const std::string*, std::unique_ptr<support::LineIndex>> lineIndexes;
  std::unordered_map<const std::string*, std::vector<std::pair<std::size_t, std::uint32_t>>> pendingHashes;
  out.findings.reserve(components.size());
  for (const auto& comp : components) {
    // Primary: the most severe report, then the one with a placed location, then by tool and rule.
    std::vector<model::Severity> sev(comp.size());
    for (std::size_t k = 0; k < comp.size(); ++k) {
      const model::Result& res = scans.results[eligible[comp[k]]];
      sev[k] = severityOf(scans.runs[res.run], res);
    }
    std::size_t best = 0;
    for (std::size_t k = 1; k < comp.size(); ++k) {
      const auto& rk = scans.results[eligible[comp[k]]];
      const auto& rb = scans.results[eligible[comp[best]]];
      auto key = [&](std::size_t i) {
        return std::make_tuple(static_cast<int>(sev[i]), texts[comp[i]] ? 1 : 0, facts[comp[i]].cwes.empty() ? 0 : 1);
      };
      auto kk = key(k), kb = key(best);
      if (kk > kb || (kk == kb && std::tie(facts[comp[k]].family, rk.ruleId) < std::tie(facts[comp[best]].family, rb.ruleId)))
        best = k;
    }
    const std::uint32_t p = comp[best];
    const std::uint32_t idx = eligible[p];
    const model::Result& res = scans.results[idx];
    const model::Run& run = scans.runs[res.run];
    const std::shared_ptr<const std::string>& text = texts[p];

    model::Finding f;
    const support::LineIndex* index = nullptr;
    if (text) {
      auto& slot = lineIndexes[text.get()];
      if (!slot) slot = std::make_unique<support::LineIndex>(*text);
      index = slot.get();
    }
    // The path the file has now when it was renamed since the scan, so that scans from before
    // and after the rename give the same id.
    std::string renamed;
    if (options.currentPath && !res.locations.empty() && res.locations.front().resolved && !run.revision.empty())
      renamed = options.currentPath(res.locations.front().uri, run.revision);
    f.id = fingerprintWith(scans, res, text.get(), index, renamed.empty() ? nullptr : &renamed);
    const int occurrence = seen[f.id]++;
    auto nth = [occurrence](std::string id) {
      return occurrence > 0 ? support::toHex(support::StableHasher().add(id).add(std::to_string(occurrence)).value()) : id;
    };
    f.id = nth(std::move(f.id));
    // The ids the same rule and code had under the file's other names: the path is the only
    // field that changes, so a decision keyed by one of them is about this very finding. The
    // occurrence number is reused (identical lines keep their order across a rename).
    if (!res.locations.empty() && res.locations.front().resolved) {
      const std::string& scannedPath = res.locations.front().uri;
      const std::string& idPath = renamed.empty() ? scannedPath : renamed;
      std::vector<std::string> names;
      if (options.pathHistory) names = options.pathHistory(scannedPath, run.revision);
      if (idPath != scannedPath && std::find(names.begin(), names.end(), scannedPath) == names.end())
        names.insert(names.begin(), scannedPath);
      for (const auto& name : names) {
        if (name == idPath || name.empty()) continue;
        if (std::any_of(f.previousIds.begin(), f.previousIds.end(), [&](const model::PreviousId& prev) { return prev.path == name; }))
          continue;
        f.previousIds.push_back({nth(fingerprintWith(scans, res, text.get(), index, &name)), name});
      }
    }
    f.results.push_back(idx);
    for (std::size_t k = 0; k < comp.size(); ++k)
      if (k != best) f.results.push_back(eligible[comp[k]]);
    out.noise.duplicatesMerged += comp.size() - 1;
    f.kind = facts[p].kind;
    f.severity = *std::max_element(sev.begin(), sev.end());
    std::set<std::string> cwes;
    for (auto m : comp) cwes.insert(facts[m].cwes.begin(), facts[m].cwes.end());
    f.cwes.assign(cwes.begin(), cwes.end());
    std::sort(f.cwes.begin(), f.cwes.end(), [](const std::string& a, const std::string& b) {
      return a.size() != b.size() ? a.size() < b.size() : a < b;
    });

    bool suppressed = false;
    for (auto m : comp) {
      for (const auto& s : scans.results[eligible[m]].suppressions)
        if (s.status.empty() || s.status == "accepted") suppressed = true;
    }
    if (suppressed) f.state = model::FindingState::Suppressed;
    if (!res.locations.empty()) {
      const model::Location& loc = res.locations.front();
      if (loc.resolved && text) f.location = loc;
      else if (loc.resolved && !text) {
        if (f.state == model::FindingState::Open) f.state = model::FindingState::Gone;
      } else if (f.state == model::FindingState::Open) {
        f.state = model::FindingState::Stale;
      }
    }

    // GitHub's line hash: the tool's own when it gave one, else computed from the file.
    if (auto it = res.partialFingerprints.find("primaryLocationLineHash"); it != res.partialFingerprints.end())
      f.lineHash = it->second;
    else if (text && !res.locations.empty() && res.locations.front().region.startLine > 0)
      pendingHashes[text.get()].emplace_back(out.findings.size(), res.locations.front().region.startLine);
    for (auto m : comp) {
      const model::Result& r = scans.results[eligible[m]];
      if (f.correlationGuid.empty() && !r.correlationGuid.empty()) f.correlationGuid = r.correlationGuid;
      if (f.baseline == model::BaselineState::None) f.baseline = r.baselineState;
    }
    if (f.correlationGuid.empty()) f.correlationGuid = correlationGuidFor(f.id);

    if (f.kind == model::FindingKind::Sca && !facts[p].package.name.empty()) {
      const PackageRef& pkg = facts[p].package;
      const std::string gid = packageKey(pkg.name) + "@" + (pkg.fixedVersion.empty() ? "(no fix)" : pkg.fixedVersion);
      f.fixGroup = gid;
      FixGroup& g = groups[gid];
      g.id = gid;
      g.package = pkg.name;
      g.ecosystem = pkg.ecosystem;
      g.installedVersion = pkg.version;
      g.fixedVersion = pkg.fixedVersion;
      for (auto m : comp)
        for (const auto& v : facts[m].package.vulnIds)
          if (std::find(g.vulnIds.begin(), g.vulnIds.end(), v) == g.vulnIds.end()) g.vulnIds.push_back(v);
      g.findings.push_back(f.id);
    }
    (void)run;
    out.findings.push_back(std::move(f));
  }

  for (const auto& [text, wanted] : pendingHashes) {
    std::vector<std::uint32_t> lines;
    lines.reserve(wanted.size());
    for (const auto& w : wanted) lines.push_back(w.second);
    const auto hashes = lineHashesOf(*text, lines);
    for (const auto& [findingIndex, line] : wanted)
      if (auto it = hashes.find(line); it != hashes.end()) out.findings[findingIndex].lineHash = it->second;
  }
  for (auto& f : out.findings) f.risk = scoreFinding(scans, f, options.risk);
  std::stable_sort(out.findings.begin(), out.findings.end(), [](const model::Finding& a, const model::Finding& b) {
    return a.risk.score > b.risk.score;
  });

  for (auto& [id, g] : groups) out.fixGroups.push_back(std::move(g));
  std::stable_sort(out.fixGroups.begin(), out.fixGroups.end(),
                   [](const FixGroup& a, const FixGroup& b) { return a.findings.size() > b.findings.size(); });

  NoiseReport& nr = out.noise;
  nr.findings = out.findings.size();
  nr.fixGroups = out.fixGroups.size();
  std::map<std::string, std::size_t> buckets, why;
  for (const auto& f : out.findings) {
    if (f.kind == model::FindingKind::Sca) ++nr.scaFindings;
    ++buckets[f.risk.bucket];
    if (f.risk.bucket == "immediate" || f.risk.bucket == "out-of-cycle") ++nr.actionable;
    if (f.risk.bucket == "defer") {
      ++nr.deprioritized;
      ++why[f.risk.explanation.empty() ? std::string("-") : f.risk.explanation.back().effect];
    }
  }
  for (const char* b : {"immediate", "out-of-cycle", "scheduled", "defer"}) nr.byBucket.emplace_back(b, buckets[b]);
  for (auto& [reason, count] : why) nr.deprioritizedWhy.emplace_back(reason, count);
  std::stable_sort(nr.deprioritizedWhy.begin(), nr.deprioritizedWhy.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

std::vector<model::Finding> correlate(const model::ScanSet& scans, const ContentProvider& content) {
  CorrelateOptions o;
  o.content = content;
  return correlate(scans, o).findings;
}

}  // namespace aspm::correlate
