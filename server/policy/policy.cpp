// Policy reading and evaluation (format: docs/policy.md).
#include "policy/policy.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <set>

#include "correlate/correlate.h"
#include "correlate/cwe.h"
#include "policy/condition_reader.h"
#include "policy/yaml_util.h"
#include "support/file.h"
#include "support/text.h"
#include "support/time.h"
#include "support/uri.h"

namespace aspm::policy {
namespace {

std::optional<model::FindingKind> kindFromString(std::string_view s) {
  using K = model::FindingKind;
  for (K k : {K::Sast, K::Sca, K::Iac, K::Secret, K::Other})
    if (s == model::toString(k)) return k;
  return std::nullopt;
}

Condition parseCondition(const YAML::Node& n, yaml::Reader& rd) {
  Condition c;
  if (!n.IsMap()) {
    rd.error(n, "when: expected a mapping of conditions");
    return c;
  }
  for (const auto& kv : n) {
    const std::string k = kv.first.as<std::string>("");
    const YAML::Node& v = kv.second;
    if (k == "kind") {
      for (const auto& s : rd.strings(v, "kind")) {
        if (auto kind = kindFromString(s)) c.kinds.push_back(*kind);
        else rd.error(v, "kind: unknown kind '" + s + "' (sast, sca, iac, secret, other)");
      }
    } else if (k == "severity") {
      if (auto s = rd.string(v, "severity")) {
        c.minSeverity = model::severityFromString(*s);
        if (!c.minSeverity) rd.error(v, "severity: expected info, low, medium, high or critical");
      }
    } else if (k == "risk") {
      if (auto d = rd.number(v, "risk")) {
        if (*d < 0 || *d > 1000) rd.error(v, "risk: expected a score from 0 to 1000");
        else c.minRisk = static_cast<int>(*d);
      }
    } else if (k == "bucket") {
      c.buckets = rd.strings(v, "bucket");
      for (const auto& b : c.buckets)
        if (correlate::bucketRank(b) < 0) rd.error(v, "bucket: unknown bucket '" + b + "' (immediate, out-of-cycle, scheduled, defer)");
    } else if (k == "cwe") {
      for (const auto& s : rd.strings(v, "cwe")) {
        std::string cwe = correlate::parseCwe(s);
        if (cwe.empty()) rd.error(v, "cwe: '" + s + "' is not a CWE id (e.g. CWE-78)");
        else c.cwes.push_back(cwe);
      }
    } else if (k == "kev") c.kev = rd.boolean(v, "kev");
    else if (k == "reachable") c.reachable = rd.boolean(v, "reachable");
    else if (k == "new") c.isNew = rd.boolean(v, "new");
    else if (k == "paths") c.paths = rd.strings(v, "paths");
    else if (k == "tool") c.tools = rd.strings(v, "tool");
    else if (k == "age") {
      if (auto s = rd.string(v, "age")) {
        c.age = parseAge(*s);
        if (!c.age)
          rd.error(v, "age: expected a comparison with a number of days or weeks, such as \">= 30d\", \"> 2w\" or \"< 7d\" "
                      "(quote it: YAML reads a leading > as a folded block)");
      }
    } else rd.error(kv.first, "unknown condition '" + k + "' (kind, severity, risk, bucket, cwe, kev, reachable, paths, new, tool, age)");
  }
  return c;
}

std::string findingPath(const model::Finding& f, const model::ScanSet& scans) {
  if (f.location) return f.location->uri;
  const auto& r = scans.results[f.results.front()];
  return r.locations.empty() ? std::string() : r.locations.front().uri;
}

const model::RiskFactor* factor(const model::Finding& f, std::string_view name) {
  for (const auto& e : f.risk.explanation)
    if (e.name == name) return &e;
  return nullptr;
}

// `today` YYYY-MM-DD for age conditions; empty: the UTC date now.
bool matches(const Condition& c, const model::Finding& f, const model::ScanSet& scans, std::string_view today = {}) {
  if (c.age) {
    const std::string now = today.empty() ? support::utcDate(std::chrono::system_clock::now()) : std::string(today);
    if (!c.age->holds(ageInDays(f.firstSeen, now))) return false;
  }
  if (!c.kinds.empty() && std::find(c.kinds.begin(), c.kinds.end(), f.kind) == c.kinds.end()) return false;
  if (c.minSeverity && f.severity < *c.minSeverity) return false;
  if (c.minRisk && f.risk.score < *c.minRisk) return false;
  if (!c.buckets.empty() && std::find(c.buckets.begin(), c.buckets.end(), f.risk.bucket) == c.buckets.end()) return false;
  if (!c.cwes.empty() && std::none_of(c.cwes.begin(), c.cwes.end(), [&](const std::string& w) {
        return std::find(f.cwes.begin(), f.cwes.end(), w) != f.cwes.end();
      }))
    return false;
  if (c.kev) {
    const auto* k = factor(f, "kev");
    if ((k && k->numeric > 0) != *c.kev) return false;
  }
  if (c.reachable) {
    const auto* r = factor(f, "reachability");
    const bool known = r && (r->value == "reachable" || r->value == "unreachable");
    if (!known || (r->value == "reachable") != *c.reachable) return false;  // unknown never matches
  }
  if (c.isNew && (f.baseline == model::BaselineState::New) != *c.isNew) return false;
  if (!c.paths.empty()) {
    const std::string p = findingPath(f, scans);
    if (std::none_of(c.paths.begin(), c.paths.end(), [&](const std::string& g) { return support::globMatch(g, p); })) return false;
  }
  if (!c.tools.empty()) {
    bool any = false;
    for (auto idx : f.results) {
      const std::string fam = correlate::toolFamily(scans.runs[scans.results[idx].run].tool.name);
      if (std::find(c.tools.begin(), c.tools.end(), fam) != c.tools.end()) any = true;
    }
    if (!any) return false;
  }
  return true;
}

bool validDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

// The day number of a YYYY-MM-DD date (or the date part of an RFC 3339 timestamp).
std::optional<std::chrono::sys_days> dayOf(std::string_view text) {
  if (text.size() < 10 || !validDate(text.substr(0, 10))) return std::nullopt;
  auto num = [&](std::size_t at, std::size_t len) {
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  const std::chrono::year_month_day ymd{std::chrono::year(num(0, 4)), std::chrono::month(static_cast<unsigned>(num(5, 2))),
                                        std::chrono::day(static_cast<unsigned>(num(8, 2)))};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd);
}

}  // namespace

bool AgeCondition::holds(int ageDays) const noexcept {
  switch (op) {
    case Op::AtLeast: return ageDays >= days;
    case Op::MoreThan: return ageDays > days;
    case Op::AtMost: return ageDays <= days;
    case Op::LessThan: return ageDays < days;
  }
  return false;
}

std::optional<AgeCondition> parseAge(std::string_view text) {
  AgeCondition a;
  a.text = std::string(support::trim(text));
  std::string_view s = a.text;
  if (s.starts_with(">=")) a.op = AgeCondition::Op::AtLeast, s.remove_prefix(2);
  else if (s.starts_with("<=")) a.op = AgeCondition::Op::AtMost, s.remove_prefix(2);
  else if (s.starts_with(">")) a.op = AgeCondition::Op::MoreThan, s.remove_prefix(1);
  else if (s.starts_with("<")) a.op = AgeCondition::Op::LessThan, s.remove_prefix(1);
  else return std::nullopt;
  s = support::trim(s);
  std::size_t digits = 0;
  while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) ++digits;
  if (digits == 0 || digits > 5 || s.size() != digits + 1) return std::nullopt;
  int n = 0;
  for (std::size_t i = 0; i < digits; ++i) n = n * 10 + (s[i] - '0');
  const char unit = static_cast<char>(std::tolower(static_cast<unsigned char>(s[digits])));
  if (unit == 'd') a.days = n;
  else if (unit == 'w') a.days = n * 7;
  else return std::nullopt;
  return a;
}

int ageInDays(std::string_view firstSeen, std::string_view today) {
  const auto from = dayOf(firstSeen);
  const auto to = dayOf(today);
  if (!from || !to || *from > *to) return 0;
  return static_cast<int>((*to - *from).count());
}

const char* toString(Action a) noexcept { return a == Action::Block ? "block" : "warn"; }
const char* toString(Mode m) noexcept { return m == Mode::Enforce ? "enforce" : "monitor"; }

std::size_t GateResult::blocking() const {
  return static_cast<std::size_t>(
      std::count_if(violations.begin(), violations.end(), [](const Violation& v) { return v.action == Action::Block; }));
}
std::size_t GateResult::warnings() const { return violations.size() - blocking(); }

support::WithProblems<Policy> parsePolicy(std::string_view text, const std::string& displayPath) {
  support::WithProblems<Policy> out;
  out.value.file = displayPath;
  yaml::Reader rd(displayPath, out.problems);
  const std::optional<YAML::Node> doc = yaml::parseDocument(text, displayPath, out.problems);
  if (!doc) return out;
  const YAML::Node& root = *doc;
  if (!root.IsMap()) {
    out.problems.push_back({displayPath, yaml::where(root), "a policy must be a mapping with rules:", support::ProblemSeverity::Fatal});
    return out;
  }
  std::set<std::string> ids;
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>("");
    const YAML::Node& v = kv.second;
    if (key == "version") {
      if (auto n = rd.number(v, "version"); n && *n != 1) rd.error(v, "version: only version 1 is supported");
    } else if (key == "mode") {
      const auto m = rd.string(v, "mode").value_or("");
      if (m == "monitor") out.value.mode = Mode::Monitor;
      else if (m == "enforce") out.value.mode = Mode::Enforce;
      else rd.error(v, "mode: expected monitor or enforce");
    } else if (key == "honour_triage" || key == "honor_triage") {
      out.value.honourTriage = rd.boolean(v, key).value_or(true);
    } else if (key == "rules") {
      if (!v.IsSequence()) {
        rd.error(v, "rules: expected a list");
        continue;
      }
      for (const auto& r : v) {
        if (!r.IsMap()) {
          rd.error(r, "rules: each rule must be a mapping (id, action, when)");
          continue;
        }
        Rule rule;
        rule.line = yaml::where(r);
        bool hasWhen = false;
        for (const auto& f : r) {
          const std::string k = f.first.as<std::string>("");
          if (k == "id") rule.id = rd.string(f.second, "id").value_or("");
          else if (k == "description") rule.description = rd.string(f.second, "description").value_or("");
          else if (k == "action") {
            const auto a = rd.string(f.second, "action").value_or("");
            if (a == "block") rule.action = Action::Block;
            else if (a == "warn") rule.action = Action::Warn;
            else rd.error(f.second, "action: expected block or warn");
          } else if (k == "when") {
            hasWhen = true;
            rule.when = parseCondition(f.second, rd);
          } else rd.error(f.first, "unknown rule key '" + k + "' (id, description, action, when)");
        }
        if (rule.id.empty()) rd.error(r, "rule without an id");
        else if (!ids.insert(rule.id).second) rd.error(r, "duplicate rule id '" + rule.id + "'");
        if (!hasWhen) rd.error(r, "rule '" + rule.id + "' has no when: it would match every finding; write when: {} to mean that");
        out.value.rules.push_back(std::move(rule));
      }
    } else if (key == "exceptions") {
      if (!v.IsSequence()) {
        rd.error(v, "exceptions: expected a list");
        continue;
      }
      for (const auto& e : v) {
        if (!e.IsMap()) {
          rd.error(e, "exceptions: each exception must be a mapping");
          continue;
        }
        Exception ex;
        ex.line = yaml::where(e);
        for (const auto& f : e) {
          const std::string k = f.first.as<std::string>("");
          if (k == "finding") ex.finding = rd.string(f.second, k).value_or("");
          else if (k == "rule") ex.rule = rd.string(f.second, k).value_or("");
          else if (k == "path") ex.path = rd.string(f.second, k).value_or("");
          else if (k == "reason") ex.reason = rd.string(f.second, k).value_or("");
          else if (k == "expires") {
            ex.expires = rd.string(f.second, k).value_or("");
            if (!validDate(ex.expires)) rd.error(f.second, "expires: expected a date YYYY-MM-DD");
          } else rd.error(f.first, "unknown exception key '" + k + "' (finding, rule, path, reason, expires)");
        }
        if (ex.finding.empty() && ex.rule.empty() && ex.path.empty())
          rd.error(e, "exception needs finding, rule or path: an exception for everything disables the policy");
        if (ex.reason.empty()) rd.error(e, "exception without a reason", support::ProblemSeverity::Warning);
        out.value.exceptions.push_back(std::move(ex));
      }
    } else {
      rd.error(kv.first, "unknown key '" + key + "' (version, mode, honour_triage, rules, exceptions)");
    }
  }
  if (out.value.rules.empty() && out.problems.empty()) rd.error(root, "the policy has no rules", support::ProblemSeverity::Warning);
  return out;
}

support::WithProblems<Policy> loadPolicy(const std::string& path) {
  return yaml::loadFile<Policy>(path, "policy", parsePolicy);
}

GateResult evaluate(const Policy& policy, const std::vector<model::Finding>& findings, const model::ScanSet& scans,
                    std::string_view today) {
  GateResult g;
  g.mode = policy.mode;
  g.evaluated = findings.size();
  g.usesAge = std::any_of(policy.rules.begin(), policy.rules.end(), [](const Rule& r) { return r.when.age.has_value(); });
  auto live = [&](const std::string& expires) { return expires.empty() || std::string_view(expires).substr(0, 10) >= today; };
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const model::Finding& f = findings[i];
    std::string exemptWhy;
    if (f.state == model::FindingState::Suppressed) exemptWhy = "suppressed in the report";
    if (exemptWhy.empty() && policy.honourTriage && f.triage && live(f.triage->expires) &&
        (f.triage->status == "false_positive" || f.triage->status == "accepted_risk" || f.triage->status == "wont_fix"))
      exemptWhy = "triaged " + f.triage->status + (f.triage->expires.empty() ? "" : " until " + f.triage->expires);
    if (exemptWhy.empty()) {
      const std::string path = findingPath(f, scans);
      for (const auto& ex : policy.exceptions) {
        if (!live(ex.expires)) continue;
        if (!ex.finding.empty() && ex.finding != f.id) continue;
        if (!ex.path.empty() && !support::globMatch(ex.path, path)) continue;
        if (!ex.rule.empty() && std::none_of(f.results.begin(), f.results.end(),
                                             [&](std::uint32_t r) { return scans.results[r].ruleId == ex.rule; }))
          continue;
        exemptWhy = "exception at " + ex.line + (ex.reason.empty() ? "" : ": " + ex.reason) +
                    (ex.expires.empty() ? "" : " (until " + ex.expires + ")");
        break;
      }
    }
    for (const auto& rule : policy.rules) {
      if (!matches(rule.when, f, scans, today)) continue;
      if (!exemptWhy.empty()) g.exemptions.push_back({i, rule.id, exemptWhy});
      else g.violations.push_back({i, rule.id, rule.action, rule.when.age ? ageInDays(f.firstSeen, today) : -1});
    }
  }
  return g;
}

namespace detail {
Condition readCondition(const YAML::Node& node, yaml::Reader& reader) { return parseCondition(node, reader); }
}  // namespace detail

bool conditionMatches(const Condition& condition, const model::Finding& finding, const model::ScanSet& scans) {
  return matches(condition, finding, scans);
}

}  // namespace aspm::policy
