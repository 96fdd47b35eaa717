// The store sync client: keeps the local triage log and a project on aspm-store in step, on its
// own thread, so the editor's loop and diagnostics never wait for the network. Each round pushes
// the log's outbox (each row once: a PUT carrying an Idempotency-Key made from the log's id and
// the row's seq, marked delivered only after a 2xx), then pulls the decisions changed since the
// last version seen (persisted in the log) and hands them to the owner to install. Rounds repeat
// every interval while the store answers, and back off exponentially while it does not; the
// state is reported through a callback whenever it changes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "model/triage.h"
#include "store/client/decision_log.h"

namespace aspm::store::client {

class HttpClient;

struct SyncConfig {
  std::string url;      // http://host:port[/prefix]
  std::string project;
  std::string token;
  std::chrono::milliseconds interval{500};       // between rounds while the store answers
  std::chrono::milliseconds maxBackoff{30'000};  // longest wait while it does not
  std::chrono::milliseconds requestTimeout{5'000};

  bool operator==(const SyncConfig&) const = default;
};

enum class SyncState { Disabled, Synced, Syncing, Offline, Error };
std::string_view toString(SyncState s);

struct SyncStatus {
  SyncState state = SyncState::Disabled;
  std::size_t queued = 0;  // local decisions not yet delivered
  std::string message;     // why offline or in error; empty otherwise
  bool operator==(const SyncStatus&) const = default;
};

// Parsing of the store's decision list (GET …/decisions?since=N). Exposed for tests.
struct DecisionList {
  std::int64_t version = 0;
  std::vector<model::StoredDecision> decisions;
  std::string error;  // names the JSON path at fault
};
DecisionList parseDecisionList(std::string_view body);

class SyncClient {
 public:
  // Called on the sync thread with decisions pulled from the store, oldest first.
  using Install = std::function<void(const std::vector<model::StoredDecision>&)>;
  // Called on the sync thread when the status changes.
  using Report = std::function<void(const SyncStatus&)>;

  SyncClient(SyncConfig config, std::shared_ptr<DecisionLog> log, Install install, Report report);
  ~SyncClient();  // stops
  SyncClient(const SyncClient&) = delete;
  SyncClient& operator=(const SyncClient&) = delete;

  void start();
  // Stops the thread (aborting a request in progress); no callback runs after it returns.
  void stop();
  // Starts a round now (a local decision to push, or the user asked).
  void syncNow();

  const SyncConfig& config() const noexcept { return config_; }
  SyncStatus status() const;
  // Completed rounds that reached the store (for tests and diagnostics).
  std::uint64_t rounds() const;

 private:
  enum class Outcome { Ok, Offline, Error };
  void run();
  Outcome round();
  Outcome push(std::string& message);
  Outcome pull(std::string& message);
  Outcome classify(int status, const std::string& body, const std::string& what, std::string& message) const;
  void setStatus(SyncStatus s);
  std::vector<std::pair<std::string, std::string>> headers() const;

  SyncConfig config_;
  std::string basePath_;
  std::string urlError_;
  std::string versionKey_;
  std::shared_ptr<DecisionLog> log_;
  Install install_;
  Report report_;
  std::unique_ptr<HttpClient> http_;
  std::set<std::int64_t> refused_;  // rows the store refused as invalid: not retried by this process

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool wake_ = false;
  SyncStatus status_;
  bool reported_ = false;
  std::uint64_t rounds_ = 0;
  std::thread thread_;
};

}  // namespace aspm::store::client
