// SQLite storage of local triage decisions. One append-only table keeps history and outbox in
// one place, so recording a decision is a single INSERT in WAL mode (durable, and safe when two
// editors on the same workspace write at once: SQLite serialises them, busy_timeout waits).
#include "store/client/decision_log.h"

#include <sqlite3.h>

#include <filesystem>
#include <optional>
#include <random>
#include <system_error>

#include "model/triage.h"

namespace aspm::store::client {
namespace {

constexpr const char* kSchema = R"sql(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS decisions (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  fingerprint TEXT    NOT NULL,
  status      TEXT    NOT NULL,
  reason      TEXT    NOT NULL DEFAULT '',
  author      TEXT    NOT NULL DEFAULT '',
  at          TEXT    NOT NULL DEFAULT '',
  expires     TEXT    NOT NULL DEFAULT '',
  delivered   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS decisions_by_fingerprint ON decisions (fingerprint, seq);
CREATE INDEX IF NOT EXISTS decisions_outbox ON decisions (delivered, seq);
CREATE TABLE IF NOT EXISTS sync_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
PRAGMA user_version = 2;
)sql";

std::string text(sqlite3_stmt* st, int col) {
  const unsigned char* t = sqlite3_column_text(st, col);
  return t ? std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(st, col))) : std::string();
}

struct Statement {
  sqlite3_stmt* st = nullptr;
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &st, nullptr); }
  ~Statement() { sqlite3_finalize(st); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  void bind(int i, std::string_view s) { sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT); }
};

LoggedDecision rowOf(sqlite3_stmt* st) {
  LoggedDecision d;
  d.seq = sqlite3_column_int64(st, 0);
  d.fingerprint = text(st, 1);
  d.decision.status = text(st, 2);
  d.decision.reason = text(st, 3);
  d.decision.author = text(st, 4);
  d.decision.at = text(st, 5);
  d.decision.expires = text(st, 6);
  d.delivered = sqlite3_column_int(st, 7) != 0;
  return d;
}

constexpr const char* kInsert =
    "INSERT INTO decisions (fingerprint, status, reason, author, at, expires, delivered) VALUES (?,?,?,?,?,?,?)";

constexpr const char* kColumns = "seq, fingerprint, status, reason, author, at, expires, delivered";

}  // namespace

support::WithProblems<std::unique_ptr<DecisionLog>> DecisionLog::open(const std::string& path) {
  support::WithProblems<std::unique_ptr<DecisionLog>> out;
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    out.problems.push_back({path, "", std::string("cannot open the triage log: ") + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)),
                            support::ProblemSeverity::Error});
    sqlite3_close(db);
    return out;
  }
  sqlite3_busy_timeout(db, 5000);
  char* err = nullptr;
  if (sqlite3_exec(db, kSchema, nullptr, nullptr, &err) != SQLITE_OK) {
    out.problems.push_back({path, "", std::string("cannot prepare the triage log: ") + (err ? err : "unknown error"),
                            support::ProblemSeverity::Error});
    sqlite3_free(err);
    sqlite3_close(db);
    return out;
  }
  out.value.reset(new DecisionLog(path, db));
  return out;
}

DecisionLog::DecisionLog(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
DecisionLog::~DecisionLog() { sqlite3_close(db_); }

DecisionLog::Recorded DecisionLog::record(std::string_view fingerprint, const model::TriageDecision& decision) {
  return insert(fingerprint, decision, false);
}

DecisionLog::Recorded DecisionLog::recordDelivered(std::string_view fingerprint, const model::TriageDecision& decision) {
  return insert(fingerprint, decision, true);
}

std::vector<DecisionLog::Recorded> DecisionLog::recordDelivered(
    const std::vector<std::pair<std::string, model::TriageDecision>>& decisions) {
  std::vector<Recorded> out;
  out.reserve(decisions.size());
  std::lock_guard lock(mu_);
  sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  {
    Statement st(db_, kInsert);  // prepared once for the batch
    for (const auto& [fingerprint, decision] : decisions) out.push_back(insertLocked(fingerprint, decision, true, st.st));
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    const std::string error = std::string("triage log ") + path_ + ": " + sqlite3_errmsg(db_);
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    for (auto& r : out)
      if (r.error.empty()) r = {0, error};
  }
  return out;
}

DecisionLog::Recorded DecisionLog::insert(std::string_view fingerprint, const model::TriageDecision& d, bool delivered) {
  Recorded out;
  if (fingerprint.empty()) {
    out.error = "a decision needs the finding's id";
    return out;
  }
  if (!model::isTriageStatus(d.status)) {
    out.error = "unknown triage status '" + d.status + "' (expected open, false_positive, accepted_risk, wont_fix or fixed)";
    return out;
  }
  std::lock_guard lock(mu_);
  return insertLocked(fingerprint, d, delivered);
}

DecisionLog::Recorded DecisionLog::insertLocked(std::string_view fingerprint, const model::TriageDecision& d, bool delivered,
                                                sqlite3_stmt* prepared) {
  Recorded out;
  if (fingerprint.empty() || !model::isTriageStatus(d.status)) {
    out.error = fingerprint.empty() ? "a decision needs the finding's id" : "unknown triage status '" + d.status + "'";
    return out;
  }
  std::optional<Statement> own;
  if (!prepared) {
    own.emplace(db_, kInsert);
    prepared = own->st;
  }
  if (!prepared) {
    out.error = std::string("triage log ") + path_ + ": " + sqlite3_errmsg(db_);
    return out;
  }
  const auto bind = [&](int i, std::string_view v) {
    sqlite3_bind_text(prepared, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  };
  bind(1, fingerprint);
  bind(2, d.status);
  bind(3, d.reason);
  bind(4, d.author);
  bind(5, d.at);
  bind(6, d.expires);
  sqlite3_bind_int(prepared, 7, delivered ? 1 : 0);
  const int rc = sqlite3_step(prepared);
  sqlite3_reset(prepared);
  if (rc != SQLITE_DONE) {
    out.error = std::string("triage log ") + path_ + ": " + sqlite3_errmsg(db_);
    return out;
  }
  out.seq = sqlite3_last_insert_rowid(db_);
  return out;
}

std::vector<LoggedDecision> DecisionLog::select(const char* sql, std::string_view arg) const {
  std::vector<LoggedDecision> out;
  std::lock_guard lock(mu_);
  Statement st(db_, sql);
  if (!st.st) return out;
  if (sqlite3_bind_parameter_count(st.st) > 0) st.bind(1, arg);
  while (sqlite3_step(st.st) == SQLITE_ROW) out.push_back(rowOf(st.st));
  return out;
}

std::map<std::string, model::TriageDecision> DecisionLog::current() const {
  std::map<std::string, model::TriageDecision> out;
  const std::string sql = std::string("SELECT ") + kColumns +
                          " FROM decisions d WHERE seq = (SELECT MAX(seq) FROM decisions e WHERE e.fingerprint = d.fingerprint)";
  for (auto& row : select(sql.c_str(), {})) out[row.fingerprint] = std::move(row.decision);
  return out;
}

std::vector<LoggedDecision> DecisionLog::history(std::string_view fingerprint) const {
  const std::string sql = std::string("SELECT ") + kColumns + " FROM decisions WHERE fingerprint = ? ORDER BY seq";
  return select(sql.c_str(), fingerprint);
}

std::vector<LoggedDecision> DecisionLog::outbox() const {
  const std::string sql = std::string("SELECT ") + kColumns + " FROM decisions WHERE delivered = 0 ORDER BY seq";
  return select(sql.c_str(), {});
}

void DecisionLog::markDelivered(const std::vector<std::int64_t>& seqs) {
  std::lock_guard lock(mu_);
  sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr);
  Statement st(db_, "UPDATE decisions SET delivered = 1 WHERE seq = ?");
  for (std::int64_t s : seqs) {
    sqlite3_bind_int64(st.st, 1, s);
    sqlite3_step(st.st);
    sqlite3_reset(st.st);
  }
  sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
}

std::string DecisionLog::getState(std::string_view key) const {
  std::lock_guard lock(mu_);
  Statement st(db_, "SELECT value FROM sync_state WHERE key = ?");
  if (!st.st) return {};
  st.bind(1, key);
  return sqlite3_step(st.st) == SQLITE_ROW ? text(st.st, 0) : std::string();
}

void DecisionLog::setState(std::string_view key, std::string_view value) {
  std::lock_guard lock(mu_);
  Statement st(db_, "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!st.st) return;
  st.bind(1, key);
  st.bind(2, value);
  sqlite3_step(st.st);
}

std::string DecisionLog::logId() {
  if (auto id = getState("log-id"); !id.empty()) return id;
  std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 4; ++i) {
    const std::uint32_t r = rd();
    for (int b = 0; b < 8; ++b) id.push_back(kHex[(r >> (4 * b)) & 15]);
  }
  // Two editors creating the id at once: the first one written wins and both use it.
  {
    std::lock_guard lock(mu_);
    Statement st(db_, "INSERT OR IGNORE INTO sync_state (key, value) VALUES ('log-id', ?)");
    if (st.st) {
      st.bind(1, id);
      sqlite3_step(st.st);
    }
  }
  auto stored = getState("log-id");
  return stored.empty() ? id : stored;
}

std::int64_t DecisionLog::syncVersion(std::string_view key) const {
  const std::string v = getState(std::string("version:") + std::string(key));
  if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 18) return 0;
  return std::stoll(v);
}

void DecisionLog::setSyncVersion(std::string_view key, std::int64_t version) {
  setState(std::string("version:") + std::string(key), std::to_string(version));
}

}  // namespace aspm::store::client
