// Routing and policy of the REST API. Every /v1 route authenticates first, so no handler can
// forget it; the project in the path must be the token's project.
#include "store/server/api.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <optional>
#include <string_view>

#include "store/protocol/history.h"
#include "store/protocol/messages.h"
#include "store/protocol/tickets.h"
#include "store/server/dashboard.h"
#include "store/server/events.h"
#include "store/server/kpi.h"
#include "store/server/ticketing.h"
#include "store/server/token.h"
#include "support/log.h"
#include "support/time.h"

namespace aspm::store::server {
namespace {

namespace proto = aspm::store::protocol;

ApiReply json(int status, std::string body) { return ApiReply{status, std::move(body), {}, std::nullopt, std::nullopt}; }
ApiReply error(int status, std::string_view message, std::string_view path = {}) {
  return json(status, proto::errorJson(message, path));
}

std::optional<std::int64_t> parseInt(std::string_view s) {
  std::int64_t v = 0;
  const auto* end = s.data() + s.size();
  const auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || p != end || s.empty()) return std::nullopt;
  return v;
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = hexDigit(s[i + 1]);
    const int lo = hexDigit(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

struct Target {
  std::vector<std::string> segments;
  std::vector<std::pair<std::string, std::string>> query;
  std::optional<std::string> param(std::string_view name) const {
    for (const auto& [k, v] : query)
      if (k == name) return v;
    return std::nullopt;
  }
};

std::optional<Target> parseTarget(std::string_view target) {
  Target t;
  const auto q = target.find('?');
  std::string_view path = target.substr(0, q);
  if (q != std::string_view::npos) {
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const std::string_view kv = rest.substr(0, amp);
      const auto eq = kv.find('=');
      auto k = percentDecode(kv.substr(0, eq));
      auto v = percentDecode(eq == std::string_view::npos ? std::string_view{} : kv.substr(eq + 1));
      if (!k || !v) return std::nullopt;
      t.query.emplace_back(std::move(*k), std::move(*v));
      if (amp == std::string_view::npos) break;
      rest = rest.substr(amp + 1);
    }
  }
  if (path.empty() || path.front() != '/') return std::nullopt;
  path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    auto seg = percentDecode(path.substr(0, slash));
    if (!seg) return std::nullopt;
    t.segments.push_back(std::move(*seg));
    if (slash == std::string_view::npos) break;
    path = path.substr(slash + 1);
  }
  return t;
}

// If-Match carries the version as an entity tag: "5", W/"5" or a bare 5.
std::optional<std::int64_t> parseVersionTag(std::string_view s) {
  if (s.starts_with("W/")) s.remove_prefix(2);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return parseInt(s);
}

std::int64_t unixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string etag(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

}  // namespace

ApiReply Api::handle(const ApiRequest& request) {
  try {
    return route(request, false);
  } catch (const db::DbError& e) {
    return error(500, std::string("storage error: ") + e.what());
  } catch (const std::exception& e) {
    return error(500, std::string("internal error: ") + e.what());
  }
}

ApiReply Api::handleDeferred(const ApiRequest& request) {
  try {
    return route(request, true);
  } catch (const db::DbError& e) {
    return error(500, std::string("storage error: ") + e.what());
  } catch (const std::exception& e) {
    return error(500, std::string("internal error: ") + e.what());
  }
}

std::vector<ApiReply> Api::applyWrites(const std::vector<db::DecisionWrite>& writes) {
  std::vector<ApiReply> out;
  out.reserve(writes.size());
  try {
    for (const auto& r : db_.putDecisions(writes)) out.push_back(written(r));
  } catch (const std::exception& e) {
    // The transaction rolled back: none of them was applied.
    out.assign(writes.size(), error(500, std::string("storage error: ") + e.what()));
  }
  return out;
}

ApiReply Api::written(const db::WriteResult& r) {
  if (r.outcome == db::WriteOutcome::Conflict)
    return json(409, proto::conflictJson("version mismatch: the decision changed since you read it", r.current));
  if (!r.current) return error(500, "the decision was written but could not be read back");
  if (r.outcome == db::WriteOutcome::Applied) published(r.current);
  ApiReply reply = json(200, proto::decisionJson(*r.current));
  reply.headers.emplace_back("ETag", etag(r.current->version));
  if (r.outcome == db::WriteOutcome::Replayed) reply.headers.emplace_back("Idempotent-Replayed", "true");
  return reply;
}

std::vector<model::StoredDecision> Api::replay(const StreamStart& stream, std::string& error) {
  try {
    return db_.decisionsSince(stream.project, stream.since);
  } catch (const std::exception& e) {
    error = e.what();
    return {};
  }
}

void Api::published(const std::optional<model::StoredDecision>& d) {
  if (events_ && d) events_->publish(*d);
}

ApiReply Api::route(const ApiRequest& req, bool deferWrites) {
  const auto target = parseTarget(req.target);
  if (!target) return error(400, "malformed request target (bad percent-encoding)");
  const auto& seg = target->segments;

  if (seg.size() == 1 && seg[0] == "healthz") {
    if (req.method != "GET" && req.method != "HEAD") return error(405, "use GET");
    return json(200, proto::healthJson());
  }
  if (seg.size() == 1 && seg[0].empty()) {
    // The dashboard page: static, so it needs no token; the KPIs it fetches do.
    if (req.method != "GET" && req.method != "HEAD") return error(405, "use GET");
    ApiReply reply = json(200, std::string(dashboardHtml()));
    reply.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
    // Everything the page needs is inline; it may only talk back to this server.
    reply.headers.emplace_back("Content-Security-Policy",
                               "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                               "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
                               "frame-ancestors 'none'");
    reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return reply;
  }
  if (seg.empty() || seg[0] != "v1") return error(404, "no such resource");

  // Authentication before routing, so unknown /v1 paths do not reveal anything either.
  constexpr std::string_view kBearer = "Bearer ";
  if (req.authorization.empty()) return error(401, "missing bearer token (Authorization: Bearer <token>)");
  if (!req.authorization.starts_with(kBearer) || req.authorization.size() == kBearer.size())
    return error(401, "the Authorization header must be 'Bearer <token>'");
  const auto token = db_.findToken(hashToken(std::string_view(req.authorization).substr(kBearer.size())));
  if (!token) return error(401, "invalid token");
  if (token->expires && *token->expires <= unixNow()) return error(401, "token expired");

  if (seg.size() < 4 || seg[1] != "projects") return error(404, "no such resource");
  const std::string& project = seg[2];
  if (project != token->project) return error(403, "this token is not valid for project '" + project + "'");
  const std::string& collection = seg[3];

  if (collection == "events" && seg.size() == 4) {
    if (req.method != "GET") return error(405, "use GET");
    if (!events_) return error(404, "this server does not stream events");
    // Last-Event-ID wins over ?since: an EventSource reconnects to the same URL and says in the
    // header how far it got.
    std::int64_t since = -1;
    if (!req.lastEventId.empty()) {
      const auto v = parseInt(req.lastEventId);
      if (!v || *v < 0) return error(400, "Last-Event-ID must be a non-negative integer version", "Last-Event-ID");
      since = *v;
    } else if (const auto s = target->param("since")) {
      const auto v = parseInt(*s);
      if (!v || *v < 0) return error(400, "'since' must be a non-negative integer version", "since");
      since = *v;
    }
    // Neither: live changes only, from the current version on.
    if (since < 0) since = db_.projectVersion(project);
    ApiReply reply = json(200, {});
    reply.stream = StreamStart{project, since};
    return reply;
  }

  if (collection == "decisions" && seg.size() == 4) {
    if (req.method != "GET") return error(405, "use GET");
    std::int64_t since = 0;
    if (const auto s = target->param("since")) {
      const auto v = parseInt(*s);
      if (!v || *v < 0) return error(400, "'since' must be a non-negative integer version", "since");
      since = *v;
    }
    // Read the version first: a write landing between the two reads is then re-sent next time
    // rather than skipped.
    const auto version = db_.projectVersion(project);
    const auto list = db_.decisionsSince(project, since);
    std::int64_t top = version;
    for (const auto& d : list) top = std::max(top, d.version);
    return json(200, proto::decisionListJson(project, top, list));
  }

  if (collection == "decisions" && (seg.size() == 5 || seg.size() == 6)) {
    const std::string& fp = seg[4];
    if (fp.empty() || fp.size() > 256) return error(400, "the fingerprint must be 1 to 256 characters");
    if (seg.size() == 6) {
      if (seg[5] != "approve") return error(404, "no such resource");
      if (req.method != "POST") return error(405, "use POST");
      if (token->role == model::StoreRole::Developer)
        return error(403, "approving a decision needs the security or admin role");
      const auto r = db_.approve(project, fp, token->name);
      switch (r.outcome) {
        case db::WriteOutcome::NotFound: return error(404, "no decision for this fingerprint");
        case db::WriteOutcome::NotPending: return json(409, proto::conflictJson("the decision is not pending", r.current));
        default: break;
      }
      published(r.current);
      ApiReply reply = json(200, proto::decisionJson(*r.current));
      reply.headers.emplace_back("ETag", etag(r.current->version));
      return reply;
    }
    if (req.method == "GET") {
      const auto d = db_.decision(project, fp);
      if (!d) return error(404, "no decision for this fingerprint");
      ApiReply reply = json(200, proto::decisionJson(*d));
      reply.headers.emplace_back("ETag", etag(d->version));
      return reply;
    }
    if (req.method != "PUT") return error(405, "use GET or PUT");
    const auto parsed = proto::parseDecisionBody(req.body);
    if (parsed.error) return error(400, parsed.error->message, parsed.error->path);
    db::DecisionWrite w;
    w.project = project;
    w.fingerprint = fp;
    w.status = parsed.value->status;
    w.reason = parsed.value->reason;
    w.expires = parsed.value->expires;
    w.author = token->name;
    w.pending = options_.requireApprovalForAcceptedRisk && token->role == model::StoreRole::Developer &&
                w.status == "accepted_risk";
    if (!req.ifMatch.empty() && req.ifMatch != "*") {
      w.ifMatch = parseVersionTag(req.ifMatch);
      if (!w.ifMatch || *w.ifMatch < 0) return error(400, "If-Match must be a decision version such as \"3\"");
    }
    if (req.idempotencyKey.size() > 200) return error(400, "Idempotency-Key is longer than 200 characters");
    w.idempotencyKey = req.idempotencyKey;
    if (deferWrites) {
      ApiReply reply = json(0, {});
      reply.write = std::move(w);
      return reply;
    }
    return written(db_.putDecision(w));
  }

  if (collection == "scans" && seg.size() == 4) {
    if (req.method != "POST") return error(405, "use POST");
    const auto parsed = proto::parseScanBody(req.body);
    if (parsed.error) return error(400, parsed.error->message, parsed.error->path);
    db::ScanUpload upload;
    upload.project = project;
    upload.revision = parsed.value->revision;
    upload.repository = parsed.value->repository;
    upload.kinds = parsed.value->kinds;
    upload.findings.reserve(parsed.value->findings.size());
    for (const auto& f : parsed.value->findings)
      upload.findings.push_back({f.id, f.ruleId, f.tool, f.kind, f.severity, f.bucket, f.riskScore, f.exploitable, f.path});
    const db::ScanOutcome o = db_.recordScan(upload);
    proto::ScanReplyBody body{o.scan.id,  o.scan.at, o.scan.revision, o.scan.kinds, o.scan.repository,
                              o.scan.count, o.added,  o.seen,          o.reopened,   o.fixed};
    if (ticketing_) {
      // Only queued here (one short write); delivery runs apart. The scan is committed, so a
      // failure to queue is logged, not turned into a failed upload the client would repeat.
      try {
        ticketing_->scanRecorded(project, upload.repository, upload.revision, parsed.value->findings);
      } catch (const std::exception& e) {
        support::logError(std::string("aspm-store: ticketing: cannot queue the tickets of scan ") +
                          std::to_string(o.scan.id) + ": " + e.what());
      }
    }
    return json(201, proto::scanReplyJson(project, body));
  }

  if (collection == "tickets" && seg.size() == 4) {
    if (req.method != "GET") return error(405, "use GET");
    std::vector<proto::TicketView> views;
    for (auto& t : db_.tickets(project)) {
      if (t.state != "pending") t.nextAttemptAt.clear();
      views.push_back({t.id, std::move(t.fingerprint), std::move(t.target), std::move(t.system), std::move(t.rule),
                       std::move(t.state), std::move(t.title), std::move(t.remoteKey), std::move(t.remoteUrl), t.attempts,
                       std::move(t.lastError), std::move(t.createdAt), std::move(t.updatedAt),
                       std::move(t.nextAttemptAt)});
    }
    return json(200, proto::ticketListJson(project, views));
  }

  if (collection == "findings" && seg.size() == 4) {
    if (req.method != "GET") return error(405, "use GET");
    const std::string state = target->param("state").value_or("all");
    if (state != "all" && state != "open" && state != "fixed") return error(400, "'state' must be open, fixed or all", "state");
    std::vector<proto::HistoryEntry> entries;
    for (auto& h : db_.findingHistory(project)) {
      if ((state == "open" && !h.fixedAt.empty()) || (state == "fixed" && h.fixedAt.empty())) continue;
      entries.push_back({std::move(h.fingerprint), std::move(h.repository), std::move(h.kind), std::move(h.severity),
                         std::move(h.firstSeen), std::move(h.lastSeen), std::move(h.fixedAt)});
    }
    return json(200, proto::historyJson(project, entries));
  }

  if (collection == "kpis" && seg.size() == 4) {
    if (req.method != "GET") return error(405, "use GET");
    std::int64_t days = 30;
    if (const auto s = target->param("days")) {
      const auto v = parseInt(*s);
      if (!v || *v < 1 || *v > 366) return error(400, "'days' must be a number of days from 1 to 366", "days");
      days = *v;
    }
    KpiInput in;
    in.project = project;
    in.days = static_cast<int>(days);
    in.now = std::chrono::system_clock::now();
    in.requiredKinds = options_.requiredScans;
    const auto since = std::chrono::time_point_cast<std::chrono::milliseconds>(in.now) - std::chrono::days(days);
    in.scansInWindow = db_.scansSince(project, support::utcTimestamp(since, true));
    in.repositories = db_.repositories(project);
    in.history = db_.findingHistory(project);
    in.decisions = db_.decisionsSince(project, 0);
    return json(200, proto::kpiJson(computeKpis(in)));
  }

  if (collection == "audit" && seg.size() == 4) {
    if (req.method != "GET") return error(405, "use GET");
    std::int64_t after = 0;
    std::int64_t limit = 100;
    if (const auto s = target->param("after")) {
      const auto v = parseInt(*s);
      if (!v || *v < 0) return error(400, "'after' must be a non-negative audit entry id", "after");
      after = *v;
    }
    if (const auto s = target->param("limit")) {
      const auto v = parseInt(*s);
      if (!v || *v < 1 || *v > 1000) return error(400, "'limit' must be between 1 and 1000", "limit");
      limit = *v;
    }
    return json(200, proto::auditJson(project, db_.audit(project, after, static_cast<int>(limit))));
  }
  return error(404, "no such resource");
}

}  // namespace aspm::store::server
