// The SQLite backend: one file in WAL mode, the default for a team on one machine. Every query is
// a prepared statement with bound parameters; the only SQL text executed directly is the fixed
// schema migrations. One connection behind a mutex: SQLite serialises writers anyway, and with
// WAL plus synchronous=NORMAL a committed write survives a process crash.
#include <sqlite3.h>

#include <mutex>
#include <unordered_map>
#include <utility>

#include "store/db/database.h"
#include "store/db/sqlite_database.h"

namespace aspm::store::db {
namespace {

// Schema versions, applied in order; the version table records how far a file has come.
// Never edit a released step: append a new one.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE projects(name TEXT PRIMARY KEY, version INTEGER NOT NULL DEFAULT 0);
CREATE TABLE decisions(
  project TEXT NOT NULL, fingerprint TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL,
  expires TEXT NOT NULL, author TEXT NOT NULL, at TEXT NOT NULL, version INTEGER NOT NULL,
  pending INTEGER NOT NULL, approved_by TEXT NOT NULL, PRIMARY KEY(project, fingerprint));
CREATE INDEX decisions_by_version ON decisions(project, version);
CREATE TABLE audit(
  id INTEGER PRIMARY KEY AUTOINCREMENT, project TEXT NOT NULL, fingerprint TEXT NOT NULL,
  action TEXT NOT NULL, actor TEXT NOT NULL, at TEXT NOT NULL, status TEXT NOT NULL,
  reason TEXT NOT NULL, version INTEGER NOT NULL);
CREATE INDEX audit_by_project ON audit(project, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TABLE tokens(hash TEXT PRIMARY KEY, project TEXT NOT NULL, role TEXT NOT NULL, name TEXT NOT NULL, expires INTEGER);
CREATE TABLE idempotency(project TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, PRIMARY KEY(project, key));
)sql",
    // 2: scan uploads and the history of each fingerprint across them.
    R"sql(
CREATE TABLE scans(
  id INTEGER PRIMARY KEY AUTOINCREMENT, project TEXT NOT NULL, at TEXT NOT NULL, revision TEXT,
  kinds TEXT NOT NULL, repository TEXT NOT NULL, count INTEGER NOT NULL);
CREATE INDEX scans_by_project ON scans(project, at);
CREATE TABLE finding_history(
  project TEXT NOT NULL, fingerprint TEXT NOT NULL, repository TEXT NOT NULL, kind TEXT NOT NULL,
  severity TEXT NOT NULL, bucket TEXT NOT NULL, exploitable INTEGER NOT NULL, risk REAL NOT NULL,
  rule_id TEXT NOT NULL, tool TEXT NOT NULL, path TEXT NOT NULL,
  first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, fixed_at TEXT, last_scan INTEGER NOT NULL,
  PRIMARY KEY(project, fingerprint));
CREATE INDEX finding_history_open ON finding_history(project, repository, kind, fixed_at);
)sql",
    // 3: tickets opened by the ticketing rules; the pending ones are the delivery outbox.
    R"sql(
CREATE TABLE tickets(
  id INTEGER PRIMARY KEY AUTOINCREMENT, project TEXT NOT NULL, fingerprint TEXT NOT NULL, target TEXT NOT NULL,
  system TEXT NOT NULL, rule TEXT NOT NULL, state TEXT NOT NULL, title TEXT NOT NULL, payload TEXT NOT NULL,
  remote_key TEXT NOT NULL, remote_url TEXT NOT NULL, attempts INTEGER NOT NULL, last_error TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, next_attempt_at TEXT NOT NULL,
  UNIQUE(project, fingerprint, target));
CREATE INDEX tickets_due ON tickets(state, next_attempt_at);
)sql",
};

// Prepared statements kept for the connection's life, keyed by the address of their SQL text
// (always a literal here): parsing the SQL again on every request took as long as running it.
class StmtCache {
 public:
  explicit StmtCache(sqlite3* db) : db_(db) {}
  ~StmtCache() { clear(); }
  StmtCache(const StmtCache&) = delete;
  StmtCache& operator=(const StmtCache&) = delete;
  sqlite3* db() const { return db_; }
  sqlite3_stmt* get(const char* sql) {
    if (const auto it = cache_.find(sql); it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
      throw DbError(std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
    cache_.emplace(sql, stmt);
    return stmt;
  }
  void clear() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }

 private:
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

// One use of a cached statement: reset and unbound when it goes out of scope, so the next use
// starts clean (and a read does not keep its snapshot open).
class Stmt {
 public:
  Stmt(StmtCache& cache, const char* sql) : db_(cache.db()), stmt_(cache.get(sql)) {}
  ~Stmt() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, const std::string& s) {
    check(sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Stmt& bind(int i, std::int64_t v) {
    check(sqlite3_bind_int64(stmt_, i, v));
    return *this;
  }
  Stmt& bind(int i, double v) {
    check(sqlite3_bind_double(stmt_, i, v));
    return *this;
  }
  Stmt& bindNull(int i) {
    check(sqlite3_bind_null(stmt_, i));
    return *this;
  }
  // True while a row is available.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw DbError(std::string("sqlite step: ") + sqlite3_errmsg(db_));
  }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  bool isNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  void check(int rc) const {
    if (rc != SQLITE_OK) throw DbError(std::string("sqlite bind: ") + sqlite3_errmsg(db_));
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

const char* const kDecisionColumns =
    "project, fingerprint, status, reason, expires, author, at, version, pending, approved_by";

model::StoredDecision readDecision(const Stmt& s) {
  model::StoredDecision d;
  d.project = s.text(0);
  d.fingerprint = s.text(1);
  d.decision.status = s.text(2);
  d.decision.reason = s.text(3);
  d.decision.expires = s.text(4);
  d.decision.author = s.text(5);
  d.decision.at = s.text(6);
  d.version = s.integer(7);
  d.pending = s.integer(8) != 0;
  d.approvedBy = s.text(9);
  return d;
}

TicketRecord readTicket(const Stmt& s) {
  TicketRecord t;
  t.id = s.integer(0);
  t.project = s.text(1);
  t.fingerprint = s.text(2);
  t.target = s.text(3);
  t.system = s.text(4);
  t.rule = s.text(5);
  t.state = s.text(6);
  t.title = s.text(7);
  t.payload = s.text(8);
  t.remoteKey = s.text(9);
  t.remoteUrl = s.text(10);
  t.attempts = s.integer(11);
  t.lastError = s.text(12);
  t.createdAt = s.text(13);
  t.updatedAt = s.text(14);
  t.nextAttemptAt = s.text(15);
  return t;
}

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(sqlite3* db) : db_(db), cache_(db) {}
  ~SqliteDatabase() override {
    cache_.clear();
    sqlite3_close_v2(db_);
  }
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  void migrate() {
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    exec("PRAGMA foreign_keys=ON");
    sqlite3_busy_timeout(db_, 5000);
    exec("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)");
    std::int64_t have = 0;
    {
      Stmt s(cache_, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
      if (s.step()) have = s.integer(0);
    }
    const auto total = static_cast<std::int64_t>(std::size(kMigrations));
    if (have > total)
      throw DbError("database schema version " + std::to_string(have) + " is newer than this aspm-store (" +
                    std::to_string(total) + ")");
    for (std::int64_t v = have; v < total; ++v) {
      Tx tx(*this);
      exec(kMigrations[v]);
      Stmt(cache_, "INSERT INTO schema_version(version) VALUES (?)").bind(1, v + 1).step();
      tx.commit();
    }
  }

  void ensureProject(const std::string& project) override {
    std::lock_guard lock(mu_);
    Stmt(cache_, "INSERT OR IGNORE INTO projects(name, version) VALUES (?, 0)").bind(1, project).step();
  }

  void addToken(const std::string& hash, const TokenRecord& r) override {
    std::lock_guard lock(mu_);
    Tx tx(*this);
    Stmt(cache_, "INSERT OR IGNORE INTO projects(name, version) VALUES (?, 0)").bind(1, r.project).step();
    Stmt s(cache_, "INSERT INTO tokens(hash, project, role, name, expires) VALUES (?, ?, ?, ?, ?)");
    s.bind(1, hash).bind(2, r.project).bind(3, std::string(model::toString(r.role))).bind(4, r.name);
    if (r.expires) s.bind(5, *r.expires); else s.bindNull(5);
    s.step();
    tx.commit();
  }

  std::optional<TokenRecord> findToken(const std::string& hash) override {
    std::lock_guard lock(mu_);
    Stmt s(cache_, "SELECT project, role, name, expires FROM tokens WHERE hash = ?");
    s.bind(1, hash);
    if (!s.step()) return std::nullopt;
    TokenRecord r;
    r.project = s.text(0);
    r.role = model::storeRoleFromString(s.text(1)).value_or(model::StoreRole::Developer);
    r.name = s.text(2);
    if (!s.isNull(3)) r.expires = s.integer(3);
    return r;
  }

  std::int64_t projectVersion(const std::string& project) override {
    std::lock_guard lock(mu_);
    Stmt s(cache_, "SELECT version FROM projects WHERE name = ?");
    s.bind(1, project);
    return s.step() ? s.integer(0) : 0;
  }

  std::vector<model::StoredDecision> decisionsSince(const std::string& project, std::int64_t version) override {
    std::lock_guard lock(mu_);
    Stmt s(cache_, "SELECT project, fingerprint, status, reason, expires, author, at, version, pending, approved_by "
                "FROM decisions WHERE project = ? AND version > ? ORDER BY version");
    s.bind(1, project).bind(2, version);
    std::vector<model::StoredDecision> out;
    while (s.step()) out.push_back(readDecision(s));
    return out;
  }

  std::optional<model::StoredDecision> decision(const std::string& project, const std::string& fp) override {
    std::lock_guard lock(mu_);
    return get(project, fp);
  }

  WriteResult putDecision(const DecisionWrite& w) override {
    std::lock_guard lock(mu_);
    Tx tx(*this);
    WriteResult r = put(w);
    tx.commit();
    return r;
  }

  // One transaction for the lot: the commit's locks, WAL frames and page writes are paid once.
  std::vector<WriteResult> putDecisions(const std::vector<DecisionWrite>& writes) override {
    std::lock_guard lock(mu_);
    Tx tx(*this);
    std::vector<WriteResult> out;
    out.reserve(writes.size());
    for (const DecisionWrite& w : writes) out.push_back(put(w));
    tx.commit();
    return out;
  }

  WriteResult approve(const std::string& project, const std::string& fp, const std::string& approver) override {
    std::lock_guard lock(mu_);
    Tx tx(*this);
    auto current = get(project, fp);
    if (!current) return {WriteOutcome::NotFound, std::nullopt};
    if (!current->pending) return {WriteOutcome::NotPending, current};
    const std::int64_t version = bumpVersion(project);
    const std::string at = nowRfc3339();
    Stmt(cache_, "UPDATE decisions SET pending = 0, approved_by = ?, version = ? WHERE project = ? AND fingerprint = ?")
        .bind(1, approver).bind(2, version).bind(3, project).bind(4, fp).step();
    appendAudit(project, fp, "approve", approver, at, current->decision.status, current->decision.reason, version);
    auto stored = get(project, fp);
    tx.commit();
    return {WriteOutcome::Applied, std::move(stored)};
  }

  std::vector<model::AuditEntry> audit(const std::string& project, std::int64_t afterId, int limit) override {
    std::lock_guard lock(mu_);
    Stmt s(cache_, "SELECT id, project, fingerprint, action, actor, at, status, reason, version FROM audit "
                "WHERE project = ? AND id > ? ORDER BY id LIMIT ?");
    s.bind(1, project).bind(2, afterId).bind(3, std::int64_t{limit});
    std::vector<model::AuditEntry> out;
    while (s.step()) {
      model::AuditEntry e;
      e.id = s.integer(0);
      e.project = s.text(1);
      e.fingerprint = s.text(2);
      e.action = s.text(3);
      e.actor = s.text(4);
      e.at = s.text(5);
      e.status = s.text(6);
      e.reason = s.text(7);
      e.version = s.integer(8);
      out.push_back(std::move(e));
    }
    return out;
  }

  ScanOutcome recordScan(const ScanUpload& u) override {
    std::lock_guard lock(mu_);
    Tx tx(*this);
    ScanOutcome out;
    out.scan.project = u.project;
    out.scan.at = nowRfc3339();
    out.scan.revision = u.revision;
    out.scan.kinds = u.kinds;
    out.scan.repository = u.repository;
    {
      Stmt s(cache_, "INSERT INTO scans(project, at, revision, kinds, repository, count) VALUES (?, ?, ?, ?, ?, 0) RETURNING id");
      s.bind(1, u.project).bind(2, out.scan.at).bind(4, joinKinds(u.kinds)).bind(5, u.repository);
      if (u.revision.empty()) s.bindNull(3); else s.bind(3, u.revision);
      if (!s.step()) throw DbError("scan insert returned no id");
      out.scan.id = s.integer(0);
      while (s.step()) {
      }
    }
    for (const ScanFinding& f : u.findings) {
      bool known = false;
      bool wasFixed = false;
      std::int64_t lastScan = 0;
      {
        Stmt s(cache_, "SELECT fixed_at IS NOT NULL, last_scan FROM finding_history WHERE project = ? AND fingerprint = ?");
        s.bind(1, u.project).bind(2, f.fingerprint);
        if (s.step()) {
          known = true;
          wasFixed = s.integer(0) != 0;
          lastScan = s.integer(1);
        }
      }
      if (known && lastScan == out.scan.id) continue;  // the same fingerprint twice in one upload
      if (!known) ++out.added;
      else if (wasFixed) ++out.reopened;
      else ++out.seen;
      Stmt up(cache_, "INSERT INTO finding_history(project, fingerprint, repository, kind, severity, bucket, exploitable, risk, "
                      "rule_id, tool, path, first_seen, last_seen, fixed_at, last_scan) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?) "
                      "ON CONFLICT(project, fingerprint) DO UPDATE SET repository = excluded.repository, "
                      "kind = excluded.kind, severity = excluded.severity, bucket = excluded.bucket, "
                      "exploitable = excluded.exploitable, risk = excluded.risk, rule_id = excluded.rule_id, "
                      "tool = excluded.tool, path = excluded.path, last_seen = excluded.last_seen, fixed_at = NULL, "
                      "last_scan = excluded.last_scan");
      up.bind(1, u.project).bind(2, f.fingerprint).bind(3, u.repository).bind(4, f.kind).bind(5, f.severity);
      up.bind(6, f.bucket).bind(7, std::int64_t{f.exploitable ? 1 : 0}).bind(8, f.riskScore).bind(9, f.ruleId);
      up.bind(10, f.tool).bind(11, f.path).bind(12, out.scan.at).bind(13, out.scan.at).bind(14, out.scan.id);
      up.step();
      ++out.scan.count;
    }
    for (const std::string& kind : u.kinds) {
      Stmt s(cache_, "UPDATE finding_history SET fixed_at = ? WHERE project = ? AND repository = ? AND kind = ? "
                     "AND fixed_at IS NULL AND last_scan <> ?");
      s.bind(1, out.scan.at).bind(2, u.project).bind(3, u.repository).bind(4, kind).bind(5, out.scan.id);
      s.step();
      out.fixed += sqlite3_changes(db_);
    }
    Stmt(cache_, "UPDATE scans SET count = ? WHERE id = ?").bind(1, out.scan.count).bind(2, out.scan.id).step();
    tx.commit();
    return out;
  }

  std::vector<ScanRecord> scansSince(const std::string& project, const std::string& sinceAt) override {
    std::lock_guard lock(mu_);
    Stmt s(cache_, "SELECT id, project, at, revision, kinds, repository, count FROM scans "
                   "WHERE project = ? AND at >= ? ORDER BY at, id");
    s.bind(1, project).bind(2, sinceAt);
    std::vector<ScanRecord> out;
    while (s.step()) {
      ScanRecord r;
      r.id = s.integer(0);
      r.project = s.text(1);
      r.at = s.text(2);
      r.revision = s.text(3);
      r.kinds = splitKinds(s.text(4));
      r.repository = s.text(5);
      r.count = s.integer(6);
      out.push_back(std::move(r));
    }
    return out;
  }

  std::vector<std::string> repositories(const std::string& project) override {
    std::lock_guard lock(mu_);
    Stmt s(cache_, "SELECT DISTINCT repository FROM scans WHERE project = ? ORDER BY repository");
    s.bind(1, project);
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
  }

  std::vector<std::pair<std::string, std::string>> ticketKeys(const std::string& project) override {
    std::lock_guard lock(mu_);
    Stmt s(cache_, "SELECT target, fingerprint FROM tickets WHERE project = ?");
    s.bind(1, project);
    std::vector<std::pair<std::string, std::string>> out;
    while (s.step()) out.emplace_back(s.text(0), s.text(1));
    return out;
  }

  std::int64_t addTickets(const std::vector<TicketRecord>& tickets) override {
    std::lock_guard lock(mu_);
    Tx tx(*this);
    std::int64_t added = 0;
    for (const TicketRecord& t : tickets) {
      Stmt s(cache_, "INSERT INTO tickets(project, fingerprint, target, system, rule, state, title, payload, remote_key, "
                     "remote_url, attempts, last_error, created_at, updated_at, next_attempt_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(project, fingerprint, target) DO NOTHING");
      s.bind(1, t.project).bind(2, t.fingerprint).bind(3, t.target).bind(4, t.system).bind(5, t.rule).bind(6, t.state);
      s.bind(7, t.title).bind(8, t.payload).bind(9, t.remoteKey).bind(10, t.remoteUrl).bind(11, t.attempts);
      s.bind(12, t.lastError).bind(13, t.createdAt).bind(14, t.updatedAt).bind(15, t.nextAttemptAt);
      s.step();
      added += sqlite3_changes(db_);
    }
    tx.commit();
    return added;
  }

  std::vector<TicketRecord> dueTickets(const std::string& now, int limit) override {
    std::lock_guard lock(mu_);
    Stmt s(cache_, "SELECT id, project, fingerprint, target, system, rule, state, title, payload, remote_key, remote_url, "
                   "attempts, last_error, created_at, updated_at, next_attempt_at FROM tickets "
                   "WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?");
    s.bind(1, now).bind(2, std::int64_t{limit});
    std::vector<TicketRecord> out;
    while (s.step()) out.push_back(readTicket(s));
    return out;
  }

  std::string nextTicketDue() override {
    std::lock_guard lock(mu_);
    Stmt s(cache_, "SELECT MIN(next_attempt_at) FROM tickets WHERE state = 'pending'");
    return s.step() ? s.text(0) : std::string();
  }

  void updateTicket(const TicketRecord& t) override {
    std::lock_guard lock(mu_);
    Stmt(cache_, "UPDATE tickets SET state = ?, remote_key = ?, remote_url = ?, attempts = ?, last_error = ?, "
                 "updated_at = ?, next_attempt_at = ? WHERE id = ?")
        .bind(1, t.state).bind(2, t.remoteKey).bind(3, t.remoteUrl).bind(4, t.attempts).bind(5, t.lastError)
        .bind(6, t.updatedAt).bind(7, t.nextAttemptAt).bind(8, t.id).step();
  }

  std::vector<TicketRecord> tickets(const std::string& project) override {
    std::lock_guard lock(mu_);
    Stmt s(cache_, "SELECT id, project, fingerprint, target, system, rule, state, title, payload, remote_key, remote_url, "
                   "attempts, last_error, created_at, updated_at, next_attempt_at FROM tickets WHERE project = ? ORDER BY id");
    s.bind(1, project);
    std::vector<TicketRecord> out;
    while (s.step()) out.push_back(readTicket(s));
    return out;
  }

  std::int64_t retryFailedTickets(const std::string& now) override {
    std::lock_guard lock(mu_);
    Stmt(cache_, "UPDATE tickets SET state = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ? WHERE state = 'failed'")
        .bind(1, now).bind(2, now).step();
    return sqlite3_changes(db_);
  }

  std::vector<FindingHistory> findingHistory(const std::string& project) override {
    std::lock_guard lock(mu_);
    Stmt s(cache_, "SELECT fingerprint, repository, kind, severity, bucket, exploitable, risk, first_seen, last_seen, fixed_at "
                   "FROM finding_history WHERE project = ? ORDER BY fingerprint");
    s.bind(1, project);
    std::vector<FindingHistory> out;
    while (s.step()) {
      FindingHistory h;
      h.fingerprint = s.text(0);
      h.repository = s.text(1);
      h.kind = s.text(2);
      h.severity = s.text(3);
      h.bucket = s.text(4);
      h.exploitable = s.integer(5) != 0;
      h.risk = s.real(6);
      h.firstSeen = s.text(7);
      h.lastSeen = s.text(8);
      h.fixedAt = s.text(9);
      out.push_back(std::move(h));
    }
    return out;
  }

 private:
  // One write inside the caller's transaction; nothing is written on Replayed or Conflict.
  WriteResult put(const DecisionWrite& w) {
    if (!w.idempotencyKey.empty()) {
      Stmt s(cache_, "SELECT fingerprint FROM idempotency WHERE project = ? AND key = ?");
      s.bind(1, w.project).bind(2, w.idempotencyKey);
      if (s.step()) return {WriteOutcome::Replayed, get(w.project, s.text(0))};
    }
    auto current = get(w.project, w.fingerprint);
    if (w.ifMatch && *w.ifMatch != (current ? current->version : 0)) return {WriteOutcome::Conflict, current};

    const std::int64_t version = bumpVersion(w.project);
    const std::string at = nowRfc3339();
    Stmt up(cache_, "INSERT INTO decisions(project, fingerprint, status, reason, expires, author, at, version, pending, approved_by) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '') "
                 "ON CONFLICT(project, fingerprint) DO UPDATE SET status = excluded.status, reason = excluded.reason, "
                 "expires = excluded.expires, author = excluded.author, at = excluded.at, version = excluded.version, "
                 "pending = excluded.pending, approved_by = ''");
    up.bind(1, w.project).bind(2, w.fingerprint).bind(3, w.status).bind(4, w.reason).bind(5, w.expires);
    up.bind(6, w.author).bind(7, at).bind(8, version).bind(9, std::int64_t{w.pending ? 1 : 0});
    up.step();
    appendAudit(w.project, w.fingerprint, w.pending ? "put-pending" : "put", w.author, at, w.status, w.reason, version);
    if (!w.idempotencyKey.empty())
      Stmt(cache_, "INSERT INTO idempotency(project, key, fingerprint) VALUES (?, ?, ?)")
          .bind(1, w.project).bind(2, w.idempotencyKey).bind(3, w.fingerprint).step();
    return {WriteOutcome::Applied, get(w.project, w.fingerprint)};
  }

  // A write transaction that rolls back unless committed, so an exception mid-write leaves
  // nothing behind. IMMEDIATE takes the write lock up front: no upgrade deadlocks.
  class Tx {
   public:
    explicit Tx(SqliteDatabase& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
    ~Tx() {
      if (!done_) sqlite3_exec(db_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;
    void commit() {
      db_.exec("COMMIT");
      done_ = true;
    }

   private:
    SqliteDatabase& db_;
    bool done_ = false;
  };

  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      throw DbError("sqlite: " + msg);
    }
  }

  std::optional<model::StoredDecision> get(const std::string& project, const std::string& fp) {
    Stmt s(cache_, "SELECT project, fingerprint, status, reason, expires, author, at, version, pending, approved_by "
                "FROM decisions WHERE project = ? AND fingerprint = ?");
    s.bind(1, project).bind(2, fp);
    if (!s.step()) return std::nullopt;
    return readDecision(s);
  }

  std::int64_t bumpVersion(const std::string& project) {
    Stmt(cache_, "INSERT OR IGNORE INTO projects(name, version) VALUES (?, 0)").bind(1, project).step();
    Stmt s(cache_, "UPDATE projects SET version = version + 1 WHERE name = ? RETURNING version");
    s.bind(1, project);
    if (!s.step()) throw DbError("project version counter missing for " + project);
    const auto v = s.integer(0);
    while (s.step()) {
    }
    return v;
  }

  void appendAudit(const std::string& project, const std::string& fp, const std::string& action,
                   const std::string& actor, const std::string& at, const std::string& status,
                   const std::string& reason, std::int64_t version) {
    Stmt(cache_, "INSERT INTO audit(project, fingerprint, action, actor, at, status, reason, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, project).bind(2, fp).bind(3, action).bind(4, actor).bind(5, at).bind(6, status).bind(7, reason)
        .bind(8, version).step();
  }

  sqlite3* db_;
  StmtCache cache_;
  std::mutex mu_;
};

}  // namespace

std::unique_ptr<Database> openSqlite(const std::string& path, std::string& error) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    error = path + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    sqlite3_close_v2(raw);
    return nullptr;
  }
  auto db = std::make_unique<SqliteDatabase>(raw);
  try {
    db->migrate();
  } catch (const DbError& e) {
    error = path + ": " + e.what();
    return nullptr;
  }
  return db;
}

}  // namespace aspm::store::db
