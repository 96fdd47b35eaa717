// The store sync client: keeps the local triage log and a project on aspm-store in step, on its
// own thread, so the editor's loop and diagnostics never wait for the network. It pushes the
// log's outbox (each row once: a PUT carrying an Idempotency-Key made from the log's id and the
// row's seq, marked delivered only after a 2xx), pulls the decisions changed since the last
// version seen (persisted in the log) and hands them to the owner to install, then listens to
// the project's event stream and installs each change as it comes. A dropped stream is reopened
// with exponential backoff and Last-Event-ID; a store without the stream (404) is polled every
// interval instead. Failures back off exponentially; the state is reported through a callback
// whenever it changes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "model/triage.h"
#include "store/client/decision_log.h"

namespace aspm::store::client {

class HttpClient;
class EventStreamConnection;
struct SseEvent;

struct SyncConfig {
  std::string url;      // http[s]://host:port[/prefix]
  std::string project;
  std::string token;
  std::chrono::milliseconds interval{500};       // between polls of a store without the event stream
  std::chrono::milliseconds maxBackoff{30'000};  // longest wait while it does not
  std::chrono::milliseconds requestTimeout{5'000};
  bool events = true;                                   // listen to …/events when the store has it
  std::chrono::milliseconds streamIdleTimeout{45'000};  // silence (not even a heartbeat) = dead stream

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

// One decision as the event stream carries it (the `data` of an `event: decision`, the same
// object as an item of the list). `error` names the JSON path at fault.
struct DecisionParse {
  std::optional<model::StoredDecision> decision;
  std::string error;
};
DecisionParse parseDecisionEvent(std::string_view data);

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
  // True while the event stream is open (false while polling or reconnecting).
  bool listening() const;

 private:
  enum class Outcome { Ok, Offline, Error };
  enum class StreamEnd { Woken, Closed, Stopped };
  void run();
  Outcome round();
  Outcome push(std::string& message);
  Outcome pull(std::string& message);
  Outcome openStream(std::string& message);
  StreamEnd listen();
  bool apply(const std::vector<SseEvent>& events);
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
  std::unique_ptr<EventStreamConnection> stream_;
  std::string eventsPath_;
  bool eventsAvailable_ = true;  // false once the store answered 404: an older store, polled
  std::chrono::steady_clock::time_point streamOpened_;
  std::set<std::int64_t> refused_;  // rows the store refused as invalid: not retried by this process

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool wake_ = false;
  SyncStatus status_;
  bool reported_ = false;
  std::uint64_t rounds_ = 0;
  bool listening_ = false;
  std::thread thread_;
};

}  // namespace aspm::store::client
