// The storage interface of the shared finding store. The server speaks only to this interface,
// so SQLite (one file, the default) and PostgreSQL (for teams that outgrow one machine) are
// interchangeable behind it. Every write is one transaction that also appends to the audit log,
// so the audit trail can never disagree with the decisions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "model/triage.h"

namespace aspm::store::db {

// Storage failures (disk full, lost connection, corrupt file). The server maps these to 500/503;
// bad client input never reaches this layer as an exception.
class DbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TokenRecord {
  std::string project;
  model::StoreRole role = model::StoreRole::Developer;
  std::string name;                    // who the token belongs to, for the audit log
  std::optional<std::int64_t> expires; // unix seconds; none = never
};

// One decision write as the client asked for it, after authentication.
struct DecisionWrite {
  std::string project;
  std::string fingerprint;
  std::string status;
  std::string reason;
  std::string expires;
  std::string author;
  bool pending = false;
  std::optional<std::int64_t> ifMatch;   // expected current version (0 = must not exist yet)
  std::string idempotencyKey;            // empty = not idempotent
};

enum class WriteOutcome : std::uint8_t {
  Applied,     // written now
  Replayed,    // the idempotency key was seen before: nothing written, `current` returned
  Conflict,    // If-Match did not match: nothing written, `current` is the stored value
  NotFound,    // approve of a decision that does not exist
  NotPending,  // approve of a decision that is not pending
};

struct WriteResult {
  WriteOutcome outcome = WriteOutcome::Applied;
  std::optional<model::StoredDecision> current;
};

// One finding of an uploaded scan, as the store keeps it for history and KPIs. `kind` is a scan
// kind (sast, sca, iac, secrets, other): the protocol layer maps a finding's "secret" to "secrets".
struct ScanFinding {
  std::string fingerprint;
  std::string ruleId;
  std::string tool;
  std::string kind;
  std::string severity;  // critical | high | medium | low | info
  std::string bucket;    // immediate | out-of-cycle | scheduled | defer | ""
  double riskScore = 0;  // 0..1000
  bool exploitable = false;
  std::string path;
};

struct ScanUpload {
  std::string project;
  std::string revision;  // empty = not known
  std::string repository;
  std::vector<std::string> kinds;  // the kinds of scanner that ran; decides what counts as fixed
  std::vector<ScanFinding> findings;
};

struct ScanRecord {
  std::int64_t id = 0;
  std::string project;
  std::string at;  // RFC 3339 UTC with milliseconds (fixed width, so text order is time order)
  std::string revision;
  std::vector<std::string> kinds;
  std::string repository;
  std::int64_t count = 0;  // distinct fingerprints in the upload
};

// What one upload did to the history.
struct ScanOutcome {
  ScanRecord scan;
  std::int64_t added = 0;     // fingerprints never seen before
  std::int64_t seen = 0;      // open fingerprints seen again
  std::int64_t reopened = 0;  // fixed fingerprints that came back (fixed_at cleared)
  std::int64_t fixed = 0;     // open fingerprints of a scanned kind in this repository, now absent
};

// The life of one fingerprint across a project's scans. The severity, kind, bucket, exploitable
// flag and risk are those of the last scan that reported it.
struct FindingHistory {
  std::string fingerprint;
  std::string repository;
  std::string kind;
  std::string severity;
  std::string bucket;
  bool exploitable = false;
  double risk = 0;
  std::string firstSeen;
  std::string lastSeen;
  std::string fixedAt;  // empty while open
};

// One ticket: the record that a finding matched a ticketing rule, and, while `state` is
// "pending", the outbox entry the sender delivers. (project, fingerprint, target) is unique, so a
// fingerprint gets at most one ticket per target however often it is uploaded or sent.
struct TicketRecord {
  std::int64_t id = 0;
  std::string project;
  std::string fingerprint;
  std::string target;   // the target's name in the ticketing rules
  std::string system;   // github | jira
  std::string rule;     // the rule that matched
  std::string state;    // pending | open | failed | skipped
  std::string title;
  std::string payload;  // the request body, rendered when the ticket was queued
  std::string remoteKey;
  std::string remoteUrl;
  std::int64_t attempts = 0;
  std::string lastError;
  std::string createdAt;
  std::string updatedAt;
  std::string nextAttemptAt;  // RFC 3339 as stored; when a pending ticket is due
};

class Database {
 public:
  virtual ~Database() = default;

  virtual void ensureProject(const std::string& project) = 0;
  virtual void addToken(const std::string& tokenHash, const TokenRecord& record) = 0;
  virtual std::optional<TokenRecord> findToken(const std::string& tokenHash) = 0;

  // The project's current version (0 when it has no decisions).
  virtual std::int64_t projectVersion(const std::string& project) = 0;
  virtual std::vector<model::StoredDecision> decisionsSince(const std::string& project, std::int64_t version) = 0;
  virtual std::optional<model::StoredDecision> decision(const std::string& project, const std::string& fingerprint) = 0;
  virtual WriteResult putDecision(const DecisionWrite& write) = 0;
  // Several writes committed together (group commit), results in order; each write sees the
  // ones before it. All or nothing: a storage failure throws and none is applied. The default
  // applies them one transaction each.
  virtual std::vector<WriteResult> putDecisions(const std::vector<DecisionWrite>& writes) {
    std::vector<WriteResult> out;
    out.reserve(writes.size());
    for (const auto& w : writes) out.push_back(putDecision(w));
    return out;
  }
  virtual WriteResult approve(const std::string& project, const std::string& fingerprint, const std::string& approver) = 0;
  virtual std::vector<model::AuditEntry> audit(const std::string& project, std::int64_t afterId, int limit) = 0;

  // Records a scan and updates the history of its fingerprints in one transaction: a reported
  // fingerprint gets last_seen (and loses fixed_at if it had one); an open fingerprint of one of
  // the scan's kinds in the same repository that the scan did not report gets fixed_at.
  virtual ScanOutcome recordScan(const ScanUpload& upload) = 0;
  // The project's scans at or after `sinceAt` (RFC 3339 as stored), oldest first.
  virtual std::vector<ScanRecord> scansSince(const std::string& project, const std::string& sinceAt) = 0;
  // Every repository the project has uploaded a scan of.
  virtual std::vector<std::string> repositories(const std::string& project) = 0;
  virtual std::vector<FindingHistory> findingHistory(const std::string& project) = 0;

  // Ticketing. The (target, fingerprint) pairs that have a ticket in the project, any state.
  virtual std::vector<std::pair<std::string, std::string>> ticketKeys(const std::string& project) = 0;
  // Queues new tickets in one transaction; a (project, fingerprint, target) that already has one
  // is left alone. Returns how many were added.
  virtual std::int64_t addTickets(const std::vector<TicketRecord>& tickets) = 0;
  // Pending tickets of every project due at `now` (RFC 3339 as stored), oldest due first.
  virtual std::vector<TicketRecord> dueTickets(const std::string& now, int limit) = 0;
  // The earliest next_attempt_at of a pending ticket; empty when none is pending.
  virtual std::string nextTicketDue() = 0;
  // Writes state, remote key and URL, attempts, last error, updated and next attempt times of
  // the ticket with t.id.
  virtual void updateTicket(const TicketRecord& t) = 0;
  virtual std::vector<TicketRecord> tickets(const std::string& project) = 0;
  // Failed tickets become pending again, due at `now`, attempts reset (a restart after the
  // configuration or the tracker was fixed). Returns how many.
  virtual std::int64_t retryFailedTickets(const std::string& now) = 0;
};

// Opens "sqlite:PATH" or "postgresql://…". Returns null and sets `error` on failure; migrates
// the schema to the current version on open.
std::unique_ptr<Database> open(const std::string& url, std::string& error);

// The current time as RFC 3339 UTC with milliseconds.
std::string nowRfc3339();

// A scan's kinds as one column ("sast,sca"), and back; both backends store them this way.
std::string joinKinds(const std::vector<std::string>& kinds);
std::vector<std::string> splitKinds(const std::string& column);

}  // namespace aspm::store::db
