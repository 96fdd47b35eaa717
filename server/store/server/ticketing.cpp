// Ticketing (ticketing.h): matching uploads against the rules, rendering the ticket, and the
// delivery loop.
#include "store/server/ticketing.h"

#include <boost/asio/post.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <set>
#include <utility>

#include "model/finding.h"
#include "remediation/guidance.h"
#include "store/protocol/tickets.h"
#include "store/server/webhook_client.h"
#include "support/log.h"
#include "support/time.h"

namespace aspm::store::server {
namespace asio = boost::asio;
using Clock = std::chrono::system_clock;

namespace {

std::string base64(const std::string& in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string problemLine(const support::Problem& p) {
  return p.file + ": " + (p.path.empty() ? "" : p.path + ": ") + p.message;
}

std::optional<model::FindingKind> findingKind(const std::string& scanKind) {
  using K = model::FindingKind;
  if (scanKind == "sast") return K::Sast;
  if (scanKind == "sca") return K::Sca;
  if (scanKind == "iac") return K::Iac;
  if (scanKind == "secrets") return K::Secret;
  return K::Other;
}

// The uploaded finding in the model's terms, so policy::conditionMatches() decides exactly as
// `aspm gate` does for the same finding. Each tool of "semgrep+codeql" is one result of one run.
struct Candidate {
  model::Finding finding;
  model::ScanSet scans;
};

Candidate candidate(const protocol::ScanFindingBody& b) {
  Candidate c;
  model::Finding& f = c.finding;
  f.id = b.id;
  f.kind = findingKind(b.kind).value_or(model::FindingKind::Other);
  f.severity = model::severityFromString(b.severity).value_or(model::Severity::Medium);
  for (const auto& cwe : b.cwes)
    if (auto n = remediation::normalizeCwe(cwe); !n.empty()) f.cwes.push_back(std::move(n));
  f.risk.score = static_cast<int>(b.riskScore);
  f.risk.bucket = b.bucket;
  model::RiskFactor kev;
  kev.name = "kev";
  kev.value = b.kev ? "listed" : "not listed";
  kev.numeric = b.kev ? 1 : 0;
  f.risk.explanation.push_back(kev);
  model::RiskFactor reach;
  reach.name = "reachability";
  reach.value = b.reachability.empty() ? "unknown" : b.reachability;
  f.risk.explanation.push_back(reach);
  model::Location loc;
  loc.uri = b.path;
  loc.resolved = true;
  loc.region.startLine = static_cast<std::uint32_t>(std::clamp<std::int64_t>(b.line, 0, 0xffffffff));
  f.location = loc;
  std::string_view tools = b.tool;
  while (true) {
    const auto plus = tools.find('+');
    model::Run run;
    run.tool.name = std::string(tools.substr(0, plus));
    model::Result r;
    r.run = static_cast<std::uint32_t>(c.scans.runs.size());
    r.ruleId = b.ruleId;
    r.locations.push_back(loc);
    f.results.push_back(static_cast<std::uint32_t>(c.scans.results.size()));
    c.scans.runs.push_back(std::move(run));
    c.scans.results.push_back(std::move(r));
    if (plus == std::string_view::npos) break;
    tools.remove_prefix(plus + 1);
  }
  return c;
}

// Cuts at a code point boundary.
std::string clip(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max - 3;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n) + "...";
}

// Markdown inline code that survives backticks in the text.
std::string code(const std::string& s) {
  std::string fence = "`";
  while (s.find(fence) != std::string::npos) fence += '`';
  return fence + (s.find('`') != std::string::npos ? " " + s + " " : s) + fence;
}

std::string ticketTitle(const protocol::ScanFindingBody& f) {
  const std::string what = !f.title.empty() ? f.title : !f.ruleId.empty() ? f.ruleId : f.kind + " finding";
  std::string where = f.path.empty() ? std::string("the dependencies") : f.path;
  // Jira's summary holds 255 characters; GitHub's title is longer, one limit keeps both readable.
  return clip("[aspm] " + what + " in " + where, 240);
}

std::string ticketBody(const protocol::ScanFindingBody& f, const policy::TicketRule& rule, const std::string& project,
                       const std::string& repository, const std::string& revision) {
  std::string md;
  md += "**Severity:** " + f.severity + " · **Risk:** " + std::to_string(static_cast<int>(f.riskScore)) +
        (f.bucket.empty() ? "" : " (" + f.bucket + ")") + " · **Kind:** " + f.kind + "\n\n";
  std::string location = f.path.empty() ? "(no file)" : f.path + (f.line > 0 ? ":" + std::to_string(f.line) : "");
  md += "**Location:** " + code(location) + " in repository " + code(repository) +
        (revision.empty() ? "" : " at revision " + code(revision)) + "\n\n";
  md += "**Tools:** " + (f.tool.empty() ? std::string("-") : f.tool) + (f.ruleId.empty() ? "" : " · **Rule:** " + code(f.ruleId)) +
        "\n\n";
  if (!f.cwes.empty()) {
    md += "**CWE:** ";
    for (std::size_t i = 0; i < f.cwes.size(); ++i) {
      const std::string cwe = remediation::normalizeCwe(f.cwes[i]);
      if (cwe.empty()) continue;
      const std::string name = remediation::cweName(cwe);
      md += (i ? ", " : "") + std::string("[") + cwe + "](" + remediation::cweUri(cwe) + ")" + (name.empty() ? "" : ": " + name);
    }
    md += "\n\n";
  }
  if (f.exploitable || f.kev || !f.reachability.empty()) {
    md += "**Exploitability:** " + std::string(f.kev ? "on the CISA KEV catalog" : "not on the CISA KEV catalog") +
          (f.reachability.empty() ? "" : "; the vulnerable code is " + f.reachability) +
          (f.exploitable ? " (counted as exploitable)" : "") + "\n\n";
  }
  if (!f.message.empty()) {
    std::string quoted = "> ";
    for (const char ch : clip(f.message, 4000)) {
      quoted += ch;
      if (ch == '\n') quoted += "> ";
    }
    md += quoted + "\n\n";
  }
  md += "### Remediation\n\n";
  if (const remediation::Guidance* g = remediation::bestGuidance(f.cwes)) {
    std::string guidance = remediation::guidanceMarkdownForPath(*g, f.path);
    while (guidance.ends_with('\n')) guidance.pop_back();
    md += guidance + "\n\n";
  }
  else {
    md += "No built-in guidance for this finding: see the tool's rule documentation.\n\n";
  }
  md += "---\n\nOpened by aspm-store for project " + code(project) + " (ticketing rule " + code(rule.id) +
        (rule.description.empty() ? "" : ": " + rule.description) + ").\n\naspm fingerprint: " + code(f.id) + "\n";
  return md;
}

std::vector<std::string> labelsFor(const policy::TicketTarget& t, const policy::TicketRule& r) {
  std::vector<std::string> out;
  for (const auto* list : {&t.labels, &r.labels})
    for (std::string l : *list) {
      if (t.system == policy::TicketSystem::Jira) std::replace(l.begin(), l.end(), ' ', '-');  // Jira labels have no spaces
      if (!l.empty() && std::find(out.begin(), out.end(), l) == out.end()) out.push_back(std::move(l));
    }
  return out;
}

// "2026-11-27T10:00:00.123Z" (the store's own format) to a time point; nullopt otherwise.
std::optional<Clock::time_point> parseStoredTime(const std::string& s) {
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return std::nullopt;
  auto num = [&](std::size_t at, std::size_t len) {
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  const int y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), se = num(17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0) return std::nullopt;
  int ms = 0;
  if (s[19] == '.' && s.size() >= 23) ms = std::max(0, num(20, 3));
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)),
                                        std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return Clock::time_point(std::chrono::sys_days(ymd)) + std::chrono::hours(h) + std::chrono::minutes(mi) +
         std::chrono::seconds(se) + std::chrono::milliseconds(ms);
}

std::string stamp(Clock::time_point t) { return support::utcTimestamp(std::chrono::time_point_cast<std::chrono::milliseconds>(t), true); }

}  // namespace

std::optional<TicketingSetup> loadTicketing(const std::string& path, std::string& error) {
  auto loaded = policy::loadTicketingRules(path);
  std::string errors;
  for (const auto& p : loaded.problems)
    if (p.severity != support::ProblemSeverity::Warning) errors += problemLine(p) + "\n";
  TicketingSetup setup;
  setup.rules = std::move(loaded.value);
  if (errors.empty()) {
    for (const auto& t : setup.rules.targets) {
      const HttpUrl url = parseHttpUrl(t.url);
      if (url.host.empty())
        errors += path + ": " + t.line + ": target '" + t.name + "': url '" + t.url + "' has no usable host (credentials in the URL are not accepted)\n";
      const char* token = std::getenv(t.tokenEnv.c_str());
      if (!token || !*token) {
        errors += path + ": " + t.tokenLine + ": target '" + t.name + "': the environment variable " + t.tokenEnv +
                  " (token_env) is not set\n";
        continue;
      }
      if (t.auth == policy::TicketAuth::Basic) {
        const char* user = std::getenv(t.userEnv.c_str());
        if (!user || !*user) {
          errors += path + ": " + t.line + ": target '" + t.name + "': the environment variable " + t.userEnv +
                    " (user_env) is not set\n";
          continue;
        }
        setup.authorization[t.name] = "Basic " + base64(std::string(user) + ":" + token);
      } else {
        setup.authorization[t.name] = std::string("Bearer ") + token;
      }
    }
  }
  if (!errors.empty()) {
    errors.pop_back();
    error = errors;
    return std::nullopt;
  }
  return setup;
}

const policy::TicketTarget* Ticketing::target(const std::string& name) const {
  for (const auto& t : setup_.rules.targets)
    if (t.name == name) return &t;
  return nullptr;
}

bool Ticketing::triagedAway(const std::string& project, const std::string& fingerprint, std::string& why) {
  if (!setup_.rules.honourTriage) return false;
  const auto d = db_.decision(project, fingerprint);
  if (!d || d->pending) return false;
  const std::string& s = d->decision.status;
  if (s != "false_positive" && s != "accepted_risk" && s != "wont_fix") return false;
  const std::string& expires = d->decision.expires;
  if (!expires.empty() && expires < db::nowRfc3339()) return false;
  why = "triaged " + s + " by " + d->decision.author + (expires.empty() ? "" : " until " + expires);
  return true;
}

std::int64_t Ticketing::scanRecorded(const std::string& project, const std::string& repository, const std::string& revision,
                                     const std::vector<protocol::ScanFindingBody>& findings) {
  std::vector<const policy::TicketRule*> rules;
  for (const auto& r : setup_.rules.rules)
    if (r.projects.empty() || std::find(r.projects.begin(), r.projects.end(), project) != r.projects.end()) rules.push_back(&r);
  if (rules.empty() || findings.empty()) return 0;
  std::set<std::pair<std::string, std::string>> have;
  for (auto& k : db_.ticketKeys(project)) have.insert(std::move(k));
  const std::string now = db::nowRfc3339();
  std::vector<db::TicketRecord> queue;
  for (const auto& f : findings) {
    std::optional<Candidate> c;
    std::optional<bool> triaged;
    for (const policy::TicketRule* rule : rules) {
      if (have.contains({rule->target, f.id})) continue;
      if (!c) c = candidate(f);
      if (!policy::conditionMatches(rule->when, c->finding, c->scans)) continue;
      if (!triaged) {
        std::string why;
        triaged = triagedAway(project, f.id, why);
      }
      if (*triaged) break;
      const policy::TicketTarget* t = target(rule->target);
      if (!t) continue;
      have.insert({rule->target, f.id});
      db::TicketRecord rec;
      rec.project = project;
      rec.fingerprint = f.id;
      rec.target = t->name;
      rec.system = policy::toString(t->system);
      rec.rule = rule->id;
      rec.state = "pending";
      rec.title = ticketTitle(f);
      const std::string body = ticketBody(f, *rule, project, repository, revision);
      rec.payload = t->system == policy::TicketSystem::GitHub
                        ? protocol::githubIssueJson(rec.title, body, labelsFor(*t, *rule))
                        : protocol::jiraIssueJson(t->jiraProject, t->issueType, rec.title, markdownToJiraWiki(body),
                                                  labelsFor(*t, *rule));
      rec.createdAt = rec.updatedAt = rec.nextAttemptAt = now;
      queue.push_back(std::move(rec));
    }
  }
  if (queue.empty()) return 0;
  const std::int64_t added = db_.addTickets(queue);
  if (added > 0 && queued_) queued_();
  return added;
}

TicketSender::TicketSender(asio::io_context& ioc, db::Database& db, Ticketing& ticketing, std::shared_ptr<asio::ssl::context> tls)
    : ioc_(ioc), db_(db), ticketing_(ticketing), tls_(std::move(tls)), timer_(ioc) {}

void TicketSender::start() {
  asio::post(ioc_, [self = shared_from_this()] {
    try {
      if (const auto n = self->db_.retryFailedTickets(db::nowRfc3339()); n > 0)
        support::logInfo("aspm-store: ticketing: " + std::to_string(n) + " failed ticket(s) will be tried again");
    } catch (const std::exception& e) {
      support::logError(std::string("aspm-store: ticketing: ") + e.what());
    }
    self->pump();
  });
}

void TicketSender::wake() {
  asio::post(ioc_, [self = shared_from_this()] { self->pump(); });
}

void TicketSender::stop() {
  asio::post(ioc_, [self = shared_from_this()] {
    self->stopped_ = true;
    self->timer_.cancel();
  });
}

void TicketSender::pump() {
  if (stopped_ || busy_) return;
  std::vector<db::TicketRecord> due;
  try {
    due = db_.dueTickets(db::nowRfc3339(), 1);
  } catch (const std::exception& e) {
    // The database is away: look again shortly rather than give up on the outbox.
    support::logError(std::string("aspm-store: ticketing: ") + e.what());
    timer_.expires_after(std::chrono::seconds(5));
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->pump();
    });
    return;
  }
  if (due.empty()) return armTimer();
  send(std::move(due.front()));
}

void TicketSender::armTimer() {
  std::string next;
  try {
    next = db_.nextTicketDue();
  } catch (const std::exception&) {
    next = stamp(Clock::now() + std::chrono::seconds(5));
  }
  if (next.empty()) {
    timer_.cancel();
    return;
  }
  const auto at = parseStoredTime(next).value_or(Clock::now() + std::chrono::seconds(1));
  const auto delay = std::max<Clock::duration>(at - Clock::now(), std::chrono::milliseconds(1));
  timer_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(delay));
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->pump();
  });
}

void TicketSender::send(db::TicketRecord t) {
  const policy::TicketTarget* target = ticketing_.target(t.target);
  std::string why;
  bool skip = false;
  if (!target || !ticketing_.setup().authorization.contains(t.target)) {
    t.state = "failed";
    t.lastError = "the target '" + t.target + "' is not in the ticketing rules any more";
    skip = true;
  } else if (ticketing_.triagedAway(t.project, t.fingerprint, why)) {
    // Triaged between the upload and the delivery: the team has decided, no ticket.
    t.state = "skipped";
    t.lastError = why;
    skip = true;
  }
  t.updatedAt = db::nowRfc3339();
  if (!skip) ++t.attempts;
  try {
    // The attempt is on record before the request leaves, so a crash mid-request shows as an
    // attempt without an outcome.
    db_.updateTicket(t);
  } catch (const std::exception& e) {
    // Not sent without its attempt on record; the database gets a few seconds to come back.
    support::logError(std::string("aspm-store: ticketing: ") + e.what());
    timer_.expires_after(std::chrono::seconds(5));
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->pump();
    });
    return;
  }
  if (skip) {
    asio::post(ioc_, [self = shared_from_this()] { self->pump(); });
    return;
  }
  busy_ = true;
  const HttpUrl url = parseHttpUrl(target->url);
  std::vector<std::pair<std::string, std::string>> headers = {{"Authorization", ticketing_.setup().authorization.at(t.target)}};
  std::string path;
  if (target->system == policy::TicketSystem::GitHub) {
    path = "/repos/" + target->repository + "/issues";
    headers.emplace_back("Accept", "application/vnd.github+json");
    headers.emplace_back("X-GitHub-Api-Version", "2022-11-28");
  } else {
    path = "/rest/api/2/issue";
  }
  const std::chrono::milliseconds timeout(ticketing_.setup().rules.delivery.timeoutMs);
  std::string payload = t.payload;
  postJson(ioc_, *tls_, url, path, std::move(headers), std::move(payload), timeout,
           [self = shared_from_this(), t = std::move(t)](HttpOutcome o) mutable {
             self->delivered(std::move(t), o.status, o.body, o.retryAfter, o.error);
           });
}

void TicketSender::delivered(db::TicketRecord t, int status, const std::string& body, const std::string& retryAfter,
                             const std::string& error) {
  busy_ = false;
  const auto& d = ticketing_.setup().rules.delivery;
  const policy::TicketTarget* target = ticketing_.target(t.target);
  const auto now = Clock::now();
  t.updatedAt = stamp(now);
  if (status >= 200 && status < 300) {
    std::optional<protocol::CreatedIssue> issue;
    if (target && target->system == policy::TicketSystem::GitHub) issue = protocol::parseGithubCreated(body, target->repository);
    else if (target) issue = protocol::parseJiraCreated(body, target->url);
    t.state = "open";
    t.lastError = issue ? "" : "created (HTTP " + std::to_string(status) + "), but the reply did not name the issue";
    if (issue) {
      t.remoteKey = issue->key;
      t.remoteUrl = issue->url;
    }
    t.nextAttemptAt.clear();
    support::logInfo("aspm-store: ticketing: " + t.target + " opened " + (t.remoteKey.empty() ? "an issue" : t.remoteKey) +
                     " for " + t.fingerprint);
  } else {
    const bool retryable = status == 0 || status >= 500 || status == 429 || status == 408;
    t.lastError = status == 0 ? error : "HTTP " + std::to_string(status) + ": " + clip(body, 300);
    if (retryable && t.attempts < d.maxAttempts) {
      long long backoff = d.initialBackoffMs;
      for (std::int64_t i = 1; i < t.attempts && backoff < d.maxBackoffMs; ++i) backoff *= 2;
      // Retry-After (seconds) from a tracker that rate-limits us wins when it asks for longer.
      if (!retryAfter.empty() && retryAfter.find_first_not_of("0123456789") == std::string::npos && retryAfter.size() < 7)
        backoff = std::max(backoff, std::stoll(retryAfter) * 1000);
      backoff = std::min<long long>(backoff, d.maxBackoffMs);
      t.state = "pending";
      t.nextAttemptAt = stamp(now + std::chrono::milliseconds(backoff));
    } else {
      t.state = "failed";
      t.nextAttemptAt.clear();
      if (retryable) t.lastError += " (gave up after " + std::to_string(t.attempts) + " attempts)";
    }
    support::logWarning("aspm-store: ticketing: " + t.target + " for " + t.fingerprint + ": " + t.lastError +
                        (t.state == "pending" ? "; next attempt at " + t.nextAttemptAt : ""));
  }
  try {
    db_.updateTicket(t);
  } catch (const std::exception& e) {
    support::logError(std::string("aspm-store: ticketing: cannot record the delivery of ticket ") + std::to_string(t.id) +
                      ": " + e.what());
  }
  if (!stopped_) pump();
}

std::string markdownToJiraWiki(const std::string& md) {
  std::string out;
  bool inCode = false;
  std::size_t start = 0;
  while (start <= md.size()) {
    const auto nl = md.find('\n', start);
    std::string line = md.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    start = nl == std::string::npos ? md.size() + 1 : nl + 1;
    if (line.starts_with("```")) {
      const std::string lang = line.substr(3);
      out += inCode ? "{code}" : (lang.empty() ? "{code}" : "{code:" + lang + "}");
      inCode = !inCode;
      out += '\n';
      continue;
    }
    if (inCode) {
      out += line + '\n';
      continue;
    }
    std::size_t hashes = 0;
    while (hashes < line.size() && line[hashes] == '#') ++hashes;
    std::string prefix;
    if (hashes > 0 && hashes <= 6 && hashes < line.size() && line[hashes] == ' ') {
      prefix = "h" + std::to_string(hashes) + ". ";
      line = line.substr(hashes + 1);
    } else if (line.starts_with("> ")) {
      prefix = "bq. ";
      line = line.substr(2);
    } else if (line == "---") {
      out += "----\n";
      continue;
    }
    std::string conv;
    for (std::size_t i = 0; i < line.size();) {
      if (line.compare(i, 2, "**") == 0) {
        conv += '*';
        i += 2;
      } else if (line[i] == '`') {
        std::size_t ticks = 0;
        while (i + ticks < line.size() && line[i + ticks] == '`') ++ticks;
        const std::string fence(ticks, '`');
        const auto close = line.find(fence, i + ticks);
        if (close == std::string::npos) {
          conv += line.substr(i);
          break;
        }
        std::string inner = line.substr(i + ticks, close - i - ticks);
        if (ticks > 1 && inner.size() >= 2 && inner.front() == ' ' && inner.back() == ' ') inner = inner.substr(1, inner.size() - 2);
        conv += "{{" + inner + "}}";
        i = close + ticks;
      } else if (line[i] == '[') {
        const auto close = line.find("](", i);
        const auto end = close == std::string::npos ? std::string::npos : line.find(')', close + 2);
        if (end == std::string::npos) {
          conv += line[i++];
          continue;
        }
        conv += "[" + line.substr(i + 1, close - i - 1) + "|" + line.substr(close + 2, end - close - 2) + "]";
        i = end + 1;
      } else {
        conv += line[i++];
      }
    }
    out += prefix + conv + '\n';
  }
  while (out.ends_with("\n\n")) out.pop_back();
  return out;
}

}  // namespace aspm::store::server
