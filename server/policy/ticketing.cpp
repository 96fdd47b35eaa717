// Reading the ticketing rules file (format: docs/store.md, "Ticketing").
#include "policy/ticketing.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "policy/condition_reader.h"
#include "policy/yaml_util.h"
#include "support/file.h"

namespace aspm::policy {
namespace {

bool httpUrl(const std::string& u) { return u.starts_with("http://") || u.starts_with("https://"); }

bool envName(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

void readTarget(const YAML::Node& t, yaml::Reader& rd, TicketingRules& out, std::set<std::string>& names) {
  if (!t.IsMap()) {
    rd.error(t, "targets: each target must be a mapping (name, type, url, ...)");
    return;
  }
  TicketTarget target;
  target.line = yaml::where(t);
  std::string type;
  for (const auto& kv : t) {
    const std::string k = kv.first.as<std::string>("");
    const YAML::Node& v = kv.second;
    if (k == "name") target.name = rd.string(v, k).value_or("");
    else if (k == "type") type = rd.string(v, k).value_or("");
    else if (k == "url") target.url = rd.string(v, k).value_or("");
    else if (k == "repository") target.repository = rd.string(v, k).value_or("");
    else if (k == "project") target.jiraProject = rd.string(v, k).value_or("");
    else if (k == "issue_type") target.issueType = rd.string(v, k).value_or("");
    else if (k == "labels") target.labels = rd.strings(v, k);
    else if (k == "token_env") {
      target.tokenEnv = rd.string(v, k).value_or("");
      target.tokenLine = yaml::where(v);
      if (!envName(target.tokenEnv)) rd.error(v, "token_env: expected the name of an environment variable (A-Z, 0-9, _)");
    } else if (k == "user_env") {
      target.userEnv = rd.string(v, k).value_or("");
      if (!envName(target.userEnv)) rd.error(v, "user_env: expected the name of an environment variable (A-Z, 0-9, _)");
    } else if (k == "auth") {
      const auto a = rd.string(v, k).value_or("");
      if (a == "bearer") target.auth = TicketAuth::Bearer;
      else if (a == "basic") target.auth = TicketAuth::Basic;
      else rd.error(v, "auth: expected bearer or basic");
    } else if (k == "token" || k == "password" || k == "secret") {
      rd.error(kv.first, k + ": secrets are not read from this file; name an environment variable with token_env");
    } else {
      rd.error(kv.first, "unknown target key '" + k + "' (name, type, url, repository, project, issue_type, labels, "
                         "token_env, user_env, auth)");
    }
  }
  if (type == "github") target.system = TicketSystem::GitHub;
  else if (type == "jira") target.system = TicketSystem::Jira;
  else rd.error(t, "target '" + target.name + "': type must be github or jira");
  if (target.name.empty()) rd.error(t, "target without a name");
  else if (!names.insert(target.name).second) rd.error(t, "duplicate target name '" + target.name + "'");
  if (target.system == TicketSystem::GitHub) {
    if (target.url.empty()) target.url = "https://api.github.com";
    const auto slash = target.repository.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == target.repository.size() ||
        target.repository.find('/', slash + 1) != std::string::npos)
      rd.error(t, "target '" + target.name + "': repository must be owner/name");
    if (target.auth == TicketAuth::Basic) rd.error(t, "target '" + target.name + "': GitHub takes bearer tokens only");
  } else if (type == "jira") {
    if (target.url.empty()) rd.error(t, "target '" + target.name + "': url (the Jira site, https://jira.example.com) is required");
    if (target.jiraProject.empty()) rd.error(t, "target '" + target.name + "': project (the Jira project key) is required");
    if (target.auth == TicketAuth::Basic && target.userEnv.empty())
      rd.error(t, "target '" + target.name + "': auth: basic needs user_env (the variable holding the account's e-mail)");
  }
  if (!target.url.empty() && !httpUrl(target.url)) rd.error(t, "target '" + target.name + "': url must start with https:// or http://");
  while (target.url.ends_with('/')) target.url.pop_back();
  if (target.tokenEnv.empty()) rd.error(t, "target '" + target.name + "': token_env (the environment variable holding the token) is required");
  out.targets.push_back(std::move(target));
}

void readRule(const YAML::Node& r, yaml::Reader& rd, TicketingRules& out, std::set<std::string>& ids) {
  if (!r.IsMap()) {
    rd.error(r, "rules: each rule must be a mapping (id, target, when)");
    return;
  }
  TicketRule rule;
  rule.line = yaml::where(r);
  bool hasWhen = false;
  for (const auto& kv : r) {
    const std::string k = kv.first.as<std::string>("");
    const YAML::Node& v = kv.second;
    if (k == "id") rule.id = rd.string(v, k).value_or("");
    else if (k == "description") rule.description = rd.string(v, k).value_or("");
    else if (k == "projects") rule.projects = rd.strings(v, k);
    else if (k == "target") rule.target = rd.string(v, k).value_or("");
    else if (k == "labels") rule.labels = rd.strings(v, k);
    else if (k == "when") {
      hasWhen = true;
      // The store has no baseline: a ticket is opened once per fingerprint, which is what "new" would mean.
      if (v.IsMap() && v["new"]) rd.error(v, "when: 'new' is not available for tickets (a fingerprint gets one ticket anyway)");
      else if (v.IsMap() && v["age"]) rd.error(v, "when: 'age' is not available for tickets (rules are applied when a scan is uploaded)");
      else rule.when = detail::readCondition(v, rd);
    } else {
      rd.error(kv.first, "unknown rule key '" + k + "' (id, description, projects, target, labels, when)");
    }
  }
  if (rule.id.empty()) rd.error(r, "rule without an id");
  else if (!ids.insert(rule.id).second) rd.error(r, "duplicate rule id '" + rule.id + "'");
  if (!hasWhen) rd.error(r, "rule '" + rule.id + "' has no when: it would ticket every finding; write when: {} to mean that");
  if (rule.target.empty()) rd.error(r, "rule '" + rule.id + "' has no target");
  out.rules.push_back(std::move(rule));
}

void readDelivery(const YAML::Node& d, yaml::Reader& rd, TicketDelivery& out) {
  if (!d.IsMap()) {
    rd.error(d, "delivery: expected a mapping (initial_backoff_ms, max_backoff_ms, max_attempts, timeout_ms)");
    return;
  }
  for (const auto& kv : d) {
    const std::string k = kv.first.as<std::string>("");
    auto n = rd.number(kv.second, k);
    if (!n) continue;
    auto inRange = [&](double lo, double hi, int& field) {
      if (*n < lo || *n > hi || *n != static_cast<double>(static_cast<long long>(*n)))
        rd.error(kv.second, k + ": expected a whole number from " + std::to_string(static_cast<long long>(lo)) + " to " +
                                std::to_string(static_cast<long long>(hi)));
      else field = static_cast<int>(*n);
    };
    if (k == "initial_backoff_ms") inRange(1, 3'600'000, out.initialBackoffMs);
    else if (k == "max_backoff_ms") inRange(1, 86'400'000, out.maxBackoffMs);
    else if (k == "max_attempts") inRange(1, 1000, out.maxAttempts);
    else if (k == "timeout_ms") inRange(100, 600'000, out.timeoutMs);
    else rd.error(kv.first, "unknown delivery key '" + k + "' (initial_backoff_ms, max_backoff_ms, max_attempts, timeout_ms)");
  }
  if (out.maxBackoffMs < out.initialBackoffMs) rd.error(d, "delivery: max_backoff_ms is below initial_backoff_ms");
}

}  // namespace

const char* toString(TicketSystem s) noexcept { return s == TicketSystem::GitHub ? "github" : "jira"; }

support::WithProblems<TicketingRules> parseTicketingRules(std::string_view text, const std::string& displayPath) {
  support::WithProblems<TicketingRules> out;
  out.value.file = displayPath;
  yaml::Reader rd(displayPath, out.problems);
  const std::optional<YAML::Node> doc = yaml::parseDocument(text, displayPath, out.problems);
  if (!doc) return out;
  const YAML::Node& root = *doc;
  if (!root.IsMap()) {
    out.problems.push_back({displayPath, yaml::where(root), "ticketing rules must be a mapping with targets: and rules:",
                            support::ProblemSeverity::Fatal});
    return out;
  }
  std::set<std::string> names, ids;
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>("");
    const YAML::Node& v = kv.second;
    if (key == "version") {
      if (auto n = rd.number(v, "version"); n && *n != 1) rd.error(v, "version: only version 1 is supported");
    } else if (key == "honour_triage" || key == "honor_triage") {
      out.value.honourTriage = rd.boolean(v, key).value_or(true);
    } else if (key == "targets" || key == "rules") {
      if (!v.IsSequence()) {
        rd.error(v, key + ": expected a list");
        continue;
      }
      for (const auto& item : v) {
        if (key == "targets") readTarget(item, rd, out.value, names);
        else readRule(item, rd, out.value, ids);
      }
    } else if (key == "delivery") {
      readDelivery(v, rd, out.value.delivery);
    } else {
      rd.error(kv.first, "unknown key '" + key + "' (version, honour_triage, targets, rules, delivery)");
    }
  }
  for (const auto& rule : out.value.rules)
    if (!rule.target.empty() && !names.contains(rule.target))
      out.problems.push_back({displayPath, rule.line, "rule '" + rule.id + "': no target named '" + rule.target + "'",
                              support::ProblemSeverity::Error});
  if (out.value.rules.empty() && out.problems.empty()) rd.error(root, "the ticketing rules file has no rules");
  return out;
}

support::WithProblems<TicketingRules> loadTicketingRules(const std::string& path) {
  return yaml::loadFile<TicketingRules>(path, "the ticketing rules", parseTicketingRules);
}

}  // namespace aspm::policy
