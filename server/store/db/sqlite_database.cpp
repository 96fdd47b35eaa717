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
