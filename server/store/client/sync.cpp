// The sync loop and the wire format it reads. A round is push then pull, so a local decision
// reaches the store before the pull that would bring back an older one from a teammate.
#include "store/client/sync.h"

#include <algorithm>
#include <boost/json.hpp>

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

}  // namespace

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
    const json::object& d = item.as_object();
    model::StoredDecision s;
    s.project = project;
    if (!readString(d, "fingerprint", s.fingerprint, false, out.error, path) ||
        !readString(d, "status", s.decision.status, false, out.error, path) ||
        !readString(d, "reason", s.decision.reason, true, out.error, path) ||
        !readString(d, "author", s.decision.author, true, out.error, path) ||
        !readString(d, "at", s.decision.at, true, out.error, path) ||
        !readString(d, "expires", s.decision.expires, true, out.error, path) ||
        !readString(d, "approvedBy", s.approvedBy, true, out.error, path) ||
        !readInt(d, "version", s.version, out.error, path))
      return out;
    if (s.fingerprint.empty()) {
      out.error = path + ".fingerprint: empty";
      return out;
    }
    if (!model::isTriageStatus(s.decision.status)) {
      out.error = path + ".status: unknown triage status '" + s.decision.status + "'";
      return out;
    }
    if (const json::value* p = field(d, "pending"); p && p->is_bool()) s.pending = p->get_bool();
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
  versionKey_ = config_.url + "|" + config_.project;
  if (urlError_.empty()) http_ = std::make_unique<HttpClient>(url.host, url.port, config_.requestTimeout);
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
  if (thread_.joinable()) thread_.join();
}

void SyncClient::syncNow() {
  std::lock_guard lock(mu_);
  wake_ = true;
  cv_.notify_all();
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
  auto wait = config_.interval;
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
    std::unique_lock lock(mu_);
    if (outcome == Outcome::Ok) ++rounds_;
    cv_.notify_all();
    woken = cv_.wait_for(lock, wait, [&] { return stopping_ || wake_; });
    if (stopping_) return;
  }
}

SyncClient::Outcome SyncClient::round() {
  std::string message;
  Outcome outcome = push(message);
  if (outcome == Outcome::Ok) outcome = pull(message);
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
      message = "store unreachable: " + res.error;
      return Outcome::Offline;
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
    message = "store unreachable: " + res.error;
    return Outcome::Offline;
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
