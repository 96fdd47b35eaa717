// The triage decisions made on this machine, kept in a SQLite file (by default
// <workspace>/.aspm/triage.db) so they survive restarts and work without a store. Every decision
// is appended, never overwritten: the newest row per fingerprint is the finding's current state,
// the older rows are its history, and rows not yet delivered to the shared store form the outbox
// the store client drains (exactly once: a row is marked delivered only after the store took it).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/finding.h"
#include "support/problem.h"

struct sqlite3;
struct sqlite3_stmt;

namespace aspm::store::client {

struct LoggedDecision {
  std::int64_t seq = 0;     // order of recording, local to this file
  std::string fingerprint;  // the finding's id
  model::TriageDecision decision;
  bool delivered = false;
};

class DecisionLog {
 public:
  // Opens (creating the file, its folder and the schema when needed). On failure the problem
  // names the file and what SQLite said.
  static support::WithProblems<std::unique_ptr<DecisionLog>> open(const std::string& path);
  ~DecisionLog();
  DecisionLog(const DecisionLog&) = delete;
  DecisionLog& operator=(const DecisionLog&) = delete;

  const std::string& path() const noexcept { return path_; }

  // Appends a decision; returns its row, or an error message (the status is checked here too:
  // open, false_positive, accepted_risk, wont_fix or fixed).
  struct Recorded {
    std::int64_t seq = 0;
    std::string error;
  };
  Recorded record(std::string_view fingerprint, const model::TriageDecision& decision);
  // Decisions that arrived from the shared store: recorded as delivered, so they are not sent back.
  Recorded recordDelivered(std::string_view fingerprint, const model::TriageDecision& decision);
  // Many of them in one transaction (a first sync may bring a project's whole history).
  std::vector<Recorded> recordDelivered(const std::vector<std::pair<std::string, model::TriageDecision>>& decisions);

  // The newest decision per fingerprint.
  std::map<std::string, model::TriageDecision> current() const;
  // Every decision about one finding, oldest first.
  std::vector<LoggedDecision> history(std::string_view fingerprint) const;
  // Decisions not yet delivered to the store, oldest first.
  std::vector<LoggedDecision> outbox() const;
  void markDelivered(const std::vector<std::int64_t>& seqs);

  // ---- Sync state, kept in the same file so it moves and resets with the decisions.
  // A random id made once per log file: with a row's seq it names the row's delivery
  // (Idempotency-Key), so a retried push is applied once by the store.
  std::string logId();
  // The highest store version pulled for `key` (store URL and project), 0 if none.
  std::int64_t syncVersion(std::string_view key) const;
  void setSyncVersion(std::string_view key, std::int64_t version);

 private:
  DecisionLog(std::string path, sqlite3* db);
  Recorded insert(std::string_view fingerprint, const model::TriageDecision& decision, bool delivered);
  // With mu_ held; `prepared` is the insert statement when a batch reuses one.
  Recorded insertLocked(std::string_view fingerprint, const model::TriageDecision& decision, bool delivered,
                        struct sqlite3_stmt* prepared = nullptr);
  std::vector<LoggedDecision> select(const char* sql, std::string_view arg) const;
  std::string getState(std::string_view key) const;
  void setState(std::string_view key, std::string_view value);

  std::string path_;
  sqlite3* db_ = nullptr;
  mutable std::mutex mu_;
};

}  // namespace aspm::store::client
