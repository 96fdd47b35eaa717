// The sync loop and the wire format it reads. A round is push then (when not listening) pull and
// open the event stream, so a local decision reaches the store before the pull that would bring
// back an older one from a teammate, and the stream starts exactly where the pull ended.
#include "store/client/sync.h"

#include <algorithm>
#include <boost/json.hpp>

#include "store/client/event_stream.h"
#include "store/client/http_client.h"
#include "support/hash.h"
#include "support/log.h"

namespace aspm::store::client {
namespace json = boost::json;

std::string_view toString(SyncState s) {
  switch (s) {
    case SyncState::Disabled: return "disabled";
    case SyncState::Synced: return "synced";
    case SyncState::Syncing: return "syncing";
    case SyncState::Offline: return "offline";
    case SyncState::Error: return "error";
  }
  return "error";
}

namespace {

const json::value* field(const json::object& o, std::string_view name) { return o.if_contains(name); }

bool readString(const json::object& o, std::string_view name, std::string& out, bool nullable, std::string& error,
                const std::string& path) {
  const json::value* v = field(o, name);
  if (v && v->is_string()) {
    out.assign(v->get_string().begin(), v->get_string().end());
    return true;
  }
  if (nullable && (!v || v->is_null())) {
    out.clear();
    return true;
  }
  error = path + "." + std::string(name) + ": expected a string";
  return false;
}

bool readInt(const json::object& o, std::string_view name, std::int64_t& out, std::string& error, const std::string& path) {
  const json::value* v = field(o, name);
  if (v && v->is_int64()) {
    out = v->get_int64();
    return true;
  }
  if (v && v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    out = static_cast<std::int64_t>(v->get_uint64());
    return true;
  }
  error = path + "." + std::string(name) + ": expected an integer";
  return false;
}

std::string errorOf(const std::string& body) {
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  if (!ec && v.is_object())
    if (const auto* e = v.as_object().if_contains("error"); e && e->is_string()) return std::string(e->get_string());
  return body.size() > 200 ? body.substr(0, 200) + "..." : body;
}

// One decision object of the list or of an event; `project` is the list's, when the item has none.
bool readDecision(const json::object& d, const std::string& path, const std::string& project, model::StoredDecision& s,
                  std::string& error) {
  s.project = project;
  if (const json::value* p = field(d, "project"); p && p->is_string()) s.project = std::string(p->get_string());
  if (!readString(d, "fingerprint", s.fingerprint, false, error, path) ||
      !readString(d, "status", s.decision.status, false, error, path) ||
      !readString(d, "reason", s.decision.reason, true, error, path) ||
      !readString(d, "author", s.decision.author, true, error, path) ||
      !readString(d, "at", s.decision.at, true, error, path) ||
      !readString(d, "expires", s.decision.expires, true, error, path) ||
      !readString(d, "approvedBy", s.approvedBy, true, error, path) || !readInt(d, "version", s.version, error, path))
    return false;
  if (s.fingerprint.empty()) {
    error = path + ".fingerprint: empty";
    return false;
  }
  if (!model::isTriageStatus(s.decision.status)) {
    error = path + ".status: unknown triage status '" + s.decision.status + "'";
    return false;
  }
  if (const json::value* p = field(d, "pending"); p && p->is_bool()) s.pending = p->get_bool();
  return true;
}

}  // namespace

DecisionParse parseDecisionEvent(std::string_view data) {
  DecisionParse out;
  boost::system::error_code ec;
  const json::value v = json::parse(data, ec);
  if (ec || !v.is_object()) {
    out.error = "$: expected a JSON object" + (ec ? " (" + ec.message() + ")" : std::string());
    return out;
  }
  model::StoredDecision d;
  if (readDecision(v.as_object(), "$", {}, d, out.error)) out.decision = std::move(d);
  return out;
}

DecisionList parseDecisionList(std::string_view body) {
  DecisionList out;
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    out.error = "$: expected a JSON object" + (ec ? " (" + ec.message() + ")" : std::string());
    return out;
  }
  const json::object& o = v.as_object();
  if (!readInt(o, "version", out.version, out.error, "$")) return out;
  const json::value* list = field(o, "decisions");
  if (!list || !list->is_array()) {
    out.error = "$.decisions: expected an array";
    return out;
  }
  std::string project;
  readString(o, "project", project, true, out.error, "$");
  out.decisions.reserve(list->get_array().size());
  for (std::size_t i = 0; i < list->get_array().size(); ++i) {
    const std::string path = "$.decisions[" + std::to_string(i) + "]";
    const json::value& item = list->get_array()[i];
    if (!item.is_object()) {
      out.error = path + ": expected an object";
      return out;
    }
    model::StoredDecision s;
    if (!readDecision(item.as_object(), path, project, s, out.error)) return out;
    out.decisions.push_back(std::move(s));
  }
  return out;
}

SyncClient::SyncClient(SyncConfig config, std::shared_ptr<DecisionLog> log, Install install, Report report)
    : config_(std::move(config)), log_(std::move(log)), install_(std::move(install)), report_(std::move(report)) {
  const StoreUrl url = parseStoreUrl(config_.url);
  urlError_ = url.error;
  if (urlError_.empty() && config_.project.empty()) urlError_ = "no store project configured (aspm.store.project)";
  if (urlError_.empty() && config_.token.empty())
    urlError_ = "no store token configured (aspm.store.token or the ASPM_TOKEN environment variable)";
  basePath_ = url.basePath + "/v1/projects/" + encodePathSegment(config_.project) + "/decisions";
  eventsPath_ = url.basePath + "/v1/projects/" + encodePathSegment(config_.project) + "/events";
  versionKey_ = config_.url + "|" + config_.project;
  if (urlError_.empty()) http_ = std::make_unique<HttpClient>(url.host, url.port, config_.requestTimeout, url.tls);
  if (urlError_.empty() && config_.events)
    stream_ = std::make_unique<EventStreamConnection>(url.host, url.port, config_.requestTimeout, url.tls);
}

SyncClient::~SyncClient() { stop(); }

void SyncClient::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void SyncClient::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  if (http_) http_->interrupt();
  if (stream_) stream_->interrupt();
  if (thread_.joinable()) thread_.join();
}

void SyncClient::syncNow() {
  bool listening = false;
  {
    std::lock_guard lock(mu_);
    wake_ = true;
    listening = listening_;
    cv_.notify_all();
  }
  // Only a thread waiting on the stream needs the nudge; otherwise wake_ is seen before the
  // next wait, and nudges would pile up in a stream that is never read (a polled store).
  if (stream_ && listening) stream_->wake();
}

bool SyncClient::listening() const {
  std::lock_guard lock(mu_);
  return listening_;
}

SyncStatus SyncClient::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

std::uint64_t SyncClient::rounds() const {
  std::lock_guard lock(mu_);
  return rounds_;
}

void SyncClient::setStatus(SyncStatus s) {
  {
    std::lock_guard lock(mu_);
    if (reported_ && s == status_) return;
    status_ = s;
    reported_ = true;
  }
  if (report_) report_(s);
}

std::vector<std::pair<std::string, std::string>> SyncClient::headers() const {
  return {{"Authorization", "Bearer " + config_.token}, {"Accept", "application/json"}};
}

void SyncClient::run() {
  if (!urlError_.empty()) {
    setStatus({SyncState::Error, log_ ? log_->outbox().size() : 0, urlError_});
    return;
  }
  auto wait = config_.interval;       // before the next poll or retry
  // Before reopening a dropped stream; doubles while drops repeat. It starts short whatever the
  // poll interval: a stream usually drops because the store restarted or cut a slow client off.
  const auto firstReconnect = std::min<std::chrono::milliseconds>(config_.interval, std::chrono::seconds(1));
  auto reconnect = firstReconnect;
  bool woken = false;
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      wake_ = false;
    }
    const Outcome outcome = round();
    if (outcome == Outcome::Ok) {
      wait = config_.interval;
    } else if (!woken) {
      // Exponential backoff while the store is unreachable or refusing us. A round started early
      // (a local decision, or the user asked) tries at once and does not lengthen the wait.
      wait = std::min(config_.maxBackoff, std::max(config_.interval, wait * 2));
    }
    if (outcome != Outcome::Ok && stream_ && stream_->isOpen()) {
      // A store that refuses or misses a push is not trusted to be streaming either: start over
      // (pull, then a fresh stream) once it answers again.
      stream_->close();
      std::lock_guard lock(mu_);
      listening_ = false;
    }
    {
      std::lock_guard lock(mu_);
      if (outcome == Outcome::Ok) ++rounds_;
      cv_.notify_all();
    }
    if (outcome == Outcome::Ok && stream_ && stream_->isOpen()) {
      const StreamEnd end = listen();
      if (end == StreamEnd::Stopped) return;
      if (end == StreamEnd::Woken) {
        woken = true;
        continue;  // push what was decided here; the stream stays open
      }
      // A stream that lasted resets the pause; one dropped soon after opening doubles it.
      if (std::chrono::steady_clock::now() - streamOpened_ >= config_.maxBackoff) reconnect = firstReconnect;
      wait = reconnect;
      reconnect = std::min(config_.maxBackoff, reconnect * 2);
    }
    std::unique_lock lock(mu_);
    woken = cv_.wait_for(lock, wait, [&] { return stopping_ || wake_; });
    if (stopping_) return;
  }
}

SyncClient::Outcome SyncClient::round() {
  std::string message;
  Outcome outcome = push(message);
  if (outcome == Outcome::Ok && !(stream_ && stream_->isOpen())) {
    outcome = pull(message);
    if (outcome == Outcome::Ok && stream_ && eventsAvailable_) outcome = openStream(message);
  }
  const std::size_t pending = log_->outbox().size();
  const std::size_t queued = pending - std::min(pending, refused_.size());
  if (outcome == Outcome::Ok) {
    if (!refused_.empty()) setStatus({SyncState::Error, queued, message});
    else setStatus({queued ? SyncState::Syncing : SyncState::Synced, queued, {}});
  } else {
    setStatus({outcome == Outcome::Offline ? SyncState::Offline : SyncState::Error, queued, message});
  }
  return outcome;
}

SyncClient::Outcome SyncClient::openStream(std::string& message) {
  // Last-Event-ID is the version the pull just recorded: a write landing between the pull and
  // the subscription is replayed by the store, and nothing is installed twice.
  const std::int64_t since = log_->syncVersion(versionKey_);
  const auto opened = stream_->open(eventsPath_, {{"Authorization", "Bearer " + config_.token},
                                                  {"Last-Event-ID", std::to_string(since)}});
  if (opened.status == 0) {
    if (opened.tlsRefused) {
      message = opened.error;
      return Outcome::Error;
    }
    message = "store unreachable: " + opened.error;
    return Outcome::Offline;
  }
  if (opened.status == 404) {
    // An older store without the stream: poll it every interval instead.
    eventsAvailable_ = false;
    support::logInfo("the store at " + config_.url + " has no event stream; polling every " +
                     std::to_string(config_.interval.count()) + " ms");
    return Outcome::Ok;
  }
  if (opened.status != 200) return classify(opened.status, opened.body, "opening the event stream", message);
  streamOpened_ = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  listening_ = true;
  return Outcome::Ok;
}

SyncClient::StreamEnd SyncClient::listen() {
  using Clock = std::chrono::steady_clock;
  std::vector<SseEvent> events;
  auto lastData = Clock::now();
  auto closed = [&](const std::string& why) {
    stream_->close();
    {
      std::lock_guard lock(mu_);
      listening_ = false;
    }
    if (!why.empty()) support::logInfo("store event stream: " + why + "; reopening");
    return StreamEnd::Closed;
  };
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) {
        listening_ = false;
        return StreamEnd::Stopped;
      }
      if (wake_) return StreamEnd::Woken;
    }
    const auto silent = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - lastData);
    if (silent >= config_.streamIdleTimeout)
      return closed("nothing received for " + std::to_string(silent.count()) + " ms, not even a heartbeat");
    std::string error;
    const auto r = stream_->wait(config_.streamIdleTimeout - silent, events, error);
    if (r == EventStreamConnection::Wait::Data) lastData = Clock::now();
    if (!events.empty()) {
      const bool ok = apply(events);
      events.clear();
      if (!ok) return closed("a malformed event (the next pull reads the store instead)");
    }
    if (r == EventStreamConnection::Wait::Closed) return closed(error);
  }
}

bool SyncClient::apply(const std::vector<SseEvent>& events) {
  const std::int64_t since = log_->syncVersion(versionKey_);
  std::int64_t top = since;
  std::vector<model::StoredDecision> batch;
  for (const SseEvent& e : events) {
    if (e.type != "decision") continue;  // other kinds are for newer clients
    auto parsed = parseDecisionEvent(e.data);
    if (!parsed.decision) {
      support::logWarning("store event " + e.id + ": " + parsed.error);
      return false;
    }
    if (parsed.decision->version <= since) continue;  // already pulled
    top = std::max(top, parsed.decision->version);
    batch.push_back(std::move(*parsed.decision));
  }
  if (!batch.empty() && install_) install_(batch);
  // Recorded after the install, as in pull().
  if (top != since) log_->setSyncVersion(versionKey_, top);
  return true;
}

SyncClient::Outcome SyncClient::classify(int status, const std::string& body, const std::string& what,
                                         std::string& message) const {
  if (status >= 200 && status < 300) return Outcome::Ok;
  if (status == 401 || status == 403)
    message = "the store refused the token (" + std::to_string(status) + "): " + errorOf(body);
  else
    message = what + ": the store answered " + std::to_string(status) + ": " + errorOf(body);
  return Outcome::Error;
}

SyncClient::Outcome SyncClient::push(std::string& message) {
  auto outbox = log_->outbox();
  std::erase_if(outbox, [&](const LoggedDecision& d) { return refused_.contains(d.seq); });
  if (outbox.empty()) return Outcome::Ok;
  setStatus({SyncState::Syncing, outbox.size(), {}});
  // The log's id and its path: a copied workspace (same id, other path) still gets its own keys.
  const std::string opPrefix = log_->logId() + "-" + support::toHex(support::fnv1a64(log_->path()));
  for (const LoggedDecision& row : outbox) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return Outcome::Offline;
    }
    json::object body;
    body["status"] = row.decision.status;
    body["reason"] = row.decision.reason;
    if (row.decision.expires.empty()) body["expires"] = nullptr;
    else body["expires"] = row.decision.expires;
    auto h = headers();
    h.emplace_back("Idempotency-Key", opPrefix + "-" + std::to_string(row.seq));
    const HttpResponse res = http_->request("PUT", basePath_ + "/" + encodePathSegment(row.fingerprint), h, json::serialize(body));
    if (res.status == 0) {
      message = res.tlsRefused ? res.error : "store unreachable: " + res.error;
      return res.tlsRefused ? Outcome::Error : Outcome::Offline;
    }
    if (res.status == 400 || res.status == 413 || res.status == 422) {
      // This row can never be taken as it is; keep it in the log (nothing is lost) but do not
      // let it block the rows after it.
      refused_.insert(row.seq);
      message = "the store refused the decision on " + row.fingerprint + ": " + errorOf(res.body);
      support::logWarning(message);
      continue;
    }
    if (classify(res.status, res.body, "pushing " + row.fingerprint, message) != Outcome::Ok) return Outcome::Error;
    log_->markDelivered({row.seq});
  }
  return Outcome::Ok;
}

SyncClient::Outcome SyncClient::pull(std::string& message) {
  const std::int64_t since = log_->syncVersion(versionKey_);
  const HttpResponse res = http_->request("GET", basePath_ + "?since=" + std::to_string(since), headers());
  if (res.status == 0) {
    message = res.tlsRefused ? res.error : "store unreachable: " + res.error;
    return res.tlsRefused ? Outcome::Error : Outcome::Offline;
  }
  if (classify(res.status, res.body, "pulling decisions", message) != Outcome::Ok) return Outcome::Error;
  DecisionList list = parseDecisionList(res.body);
  if (!list.error.empty()) {
    message = "the store's decision list is malformed: " + list.error;
    return Outcome::Error;
  }
  if (list.version < since) {
    // The store was reset or replaced: start over from its beginning on the next round.
    log_->setSyncVersion(versionKey_, 0);
    return Outcome::Ok;
  }
  if (!list.decisions.empty() && install_) install_(list.decisions);
  // Recorded after the install: a crash in between pulls the same decisions again, and installing
  // a decision the log already holds changes nothing.
  if (list.version != since) log_->setSyncVersion(versionKey_, list.version);
  return Outcome::Ok;
}

}  // namespace aspm::store::client
