// The PostgreSQL backend (libpq), for teams that outgrow one machine. Same schema and semantics
// as the SQLite backend; every query goes through PQexecParams with bound text parameters. One
// connection behind a mutex keeps the write path simple; the per-project version row is locked
// by its UPDATE, so versions stay gap-free and ordered even with several servers on one database.
#include <libpq-fe.h>

#include <cstdio>
#include <mutex>
#include <unordered_set>
#include <utility>
#include <vector>

#include "store/db/database.h"
#include "store/db/postgres_database.h"

namespace aspm::store::db {
namespace {

const char* const kMigrations[] = {
    R"sql(
CREATE TABLE projects(name TEXT PRIMARY KEY, version BIGINT NOT NULL DEFAULT 0);
CREATE TABLE decisions(
  project TEXT NOT NULL, fingerprint TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL,
  expires TEXT NOT NULL, author TEXT NOT NULL, at TEXT NOT NULL, version BIGINT NOT NULL,
  pending BOOLEAN NOT NULL, approved_by TEXT NOT NULL, PRIMARY KEY(project, fingerprint));
CREATE INDEX decisions_by_version ON decisions(project, version);
CREATE TABLE audit(
  id BIGSERIAL PRIMARY KEY, project TEXT NOT NULL, fingerprint TEXT NOT NULL,
  action TEXT NOT NULL, actor TEXT NOT NULL, at TEXT NOT NULL, status TEXT NOT NULL,
  reason TEXT NOT NULL, version BIGINT NOT NULL);
CREATE INDEX audit_by_project ON audit(project, id);
CREATE FUNCTION aspm_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION aspm_audit_append_only();
CREATE TABLE tokens(hash TEXT PRIMARY KEY, project TEXT NOT NULL, role TEXT NOT NULL, name TEXT NOT NULL, expires BIGINT);
CREATE TABLE idempotency(project TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, PRIMARY KEY(project, key));
)sql",
    // 2: scan uploads and the history of each fingerprint across them.
    R"sql(
CREATE TABLE scans(
  id BIGSERIAL PRIMARY KEY, project TEXT NOT NULL, at TEXT NOT NULL, revision TEXT,
  kinds TEXT NOT NULL, repository TEXT NOT NULL, count BIGINT NOT NULL);
CREATE INDEX scans_by_project ON scans(project, at);
CREATE TABLE finding_history(
  project TEXT NOT NULL, fingerprint TEXT NOT NULL, repository TEXT NOT NULL, kind TEXT NOT NULL,
  severity TEXT NOT NULL, bucket TEXT NOT NULL, exploitable BOOLEAN NOT NULL, risk DOUBLE PRECISION NOT NULL,
  rule_id TEXT NOT NULL, tool TEXT NOT NULL, path TEXT NOT NULL,
  first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, fixed_at TEXT, last_scan BIGINT NOT NULL,
  PRIMARY KEY(project, fingerprint));
CREATE INDEX finding_history_open ON finding_history(project, repository, kind, fixed_at);
)sql",
    // 3: tickets opened by the ticketing rules; the pending ones are the delivery outbox.
    R"sql(
CREATE TABLE tickets(
  id BIGSERIAL PRIMARY KEY, project TEXT NOT NULL, fingerprint TEXT NOT NULL, target TEXT NOT NULL,
  system TEXT NOT NULL, rule TEXT NOT NULL, state TEXT NOT NULL, title TEXT NOT NULL, payload TEXT NOT NULL,
  remote_key TEXT NOT NULL, remote_url TEXT NOT NULL, attempts BIGINT NOT NULL, last_error TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, next_attempt_at TEXT NOT NULL,
  UNIQUE(project, fingerprint, target));
CREATE INDEX tickets_due ON tickets(state, next_attempt_at);
)sql",
};

// Doubles as text that reads back to the same value.
std::string realText(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// A PostgreSQL array literal of quoted elements, passed as one bound parameter (a value, never
// SQL text).
std::string arrayLiteral(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (const char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

// A query result that frees itself and reads columns as text (libpq's text format).
class Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  ~Result() { PQclear(r_); }
  Result(Result&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result& operator=(Result&&) = delete;
  int rows() const { return PQntuples(r_); }
  std::string text(int row, int col) const { return PQgetvalue(r_, row, col); }
  std::int64_t integer(int row, int col) const { return std::stoll(PQgetvalue(r_, row, col)); }
  bool isNull(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
  double real(int row, int col) const { return std::stod(PQgetvalue(r_, row, col)); }
  std::int64_t affected() const {
    const char* n = PQcmdTuples(r_);
    return n && *n ? std::stoll(n) : 0;
  }

 private:
  PGresult* r_;
};

// Parameters are always text; a missing optional is SQL NULL.
using Params = std::vector<std::optional<std::string>>;

model::StoredDecision readDecision(const Result& r, int row) {
  model::StoredDecision d;
  d.project = r.text(row, 0);
  d.fingerprint = r.text(row, 1);
  d.decision.status = r.text(row, 2);
  d.decision.reason = r.text(row, 3);
  d.decision.expires = r.text(row, 4);
  d.decision.author = r.text(row, 5);
  d.decision.at = r.text(row, 6);
  d.version = r.integer(row, 7);
  d.pending = r.text(row, 8) == "t";
  d.approvedBy = r.text(row, 9);
  return d;
}

TicketRecord readTicket(const Result& r, int row) {
  TicketRecord t;
  t.id = r.integer(row, 0);
  t.project = r.text(row, 1);
  t.fingerprint = r.text(row, 2);
  t.target = r.text(row, 3);
  t.system = r.text(row, 4);
  t.rule = r.text(row, 5);
  t.state = r.text(row, 6);
  t.title = r.text(row, 7);
  t.payload = r.text(row, 8);
  t.remoteKey = r.text(row, 9);
  t.remoteUrl = r.text(row, 10);
  t.attempts = r.integer(row, 11);
  t.lastError = r.text(row, 12);
  t.createdAt = r.text(row, 13);
  t.updatedAt = r.text(row, 14);
  t.nextAttemptAt = r.text(row, 15);
  return t;
}

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(PGconn* c) : c_(c) {}
  ~PostgresDatabase() override { PQfinish(c_); }
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  void migrate() {
    exec("SET client_min_messages = warning");
    exec("CREATE TABLE IF NOT EXISTS schema_version(version BIGINT NOT NULL)");
    Tx tx(*this);
    // Serialises concurrent first starts: only one process runs the migrations.
    exec("LOCK TABLE schema_version IN EXCLUSIVE MODE");
    const std::int64_t have = query("SELECT COALESCE(MAX(version), 0) FROM schema_version", {}).integer(0, 0);
    const auto total = static_cast<std::int64_t>(std::size(kMigrations));
    if (have > total)
      throw DbError("database schema version " + std::to_string(have) + " is newer than this aspm-store (" +
                    std::to_string(total) + ")");
    for (std::int64_t v = have; v < total; ++v) {
      exec(kMigrations[v]);
      query("INSERT INTO schema_version(version) VALUES ($1)", {std::to_string(v + 1)});
    }
    tx.commit();
  }

  void ensureProject(const std::string& project) override {
    std::lock_guard lock(mu_);
    query("INSERT INTO projects(name, version) VALUES ($1, 0) ON CONFLICT DO NOTHING", {project});
  }

  void addToken(const std::string& hash, const TokenRecord& r) override {
    std::lock_guard lock(mu_);
    Tx tx(*this);
    query("INSERT INTO projects(name, version) VALUES ($1, 0) ON CONFLICT DO NOTHING", {r.project});
    query("INSERT INTO tokens(hash, project, role, name, expires) VALUES ($1, $2, $3, $4, $5)",
          {hash, r.project, std::string(model::toString(r.role)), r.name,
           r.expires ? std::optional<std::string>(std::to_string(*r.expires)) : std::nullopt});
    tx.commit();
  }

  std::optional<TokenRecord> findToken(const std::string& hash) override {
    std::lock_guard lock(mu_);
    const auto r = query("SELECT project, role, name, expires FROM tokens WHERE hash = $1", {hash});
    if (r.rows() == 0) return std::nullopt;
    TokenRecord t;
    t.project = r.text(0, 0);
    t.role = model::storeRoleFromString(r.text(0, 1)).value_or(model::StoreRole::Developer);
    t.name = r.text(0, 2);
    if (!r.isNull(0, 3)) t.expires = r.integer(0, 3);
    return t;
  }

  std::int64_t projectVersion(const std::string& project) override {
    std::lock_guard lock(mu_);
    const auto r = query("SELECT version FROM projects WHERE name = $1", {project});
    return r.rows() ? r.integer(0, 0) : 0;
  }

  std::vector<model::StoredDecision> decisionsSince(const std::string& project, std::int64_t version) override {
    std::lock_guard lock(mu_);
    const auto r = query("SELECT project, fingerprint, status, reason, expires, author, at, version, pending, approved_by "
                         "FROM decisions WHERE project = $1 AND version > $2 ORDER BY version",
                         {project, std::to_string(version)});
    std::vector<model::StoredDecision> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(readDecision(r, i));
    return out;
  }

  std::optional<model::StoredDecision> decision(const std::string& project, const std::string& fp) override {
    std::lock_guard lock(mu_);
    return get(project, fp);
  }

  WriteResult putDecision(const DecisionWrite& w) override {
    std::lock_guard lock(mu_);
    Tx tx(*this);
    // Lock the project row first: concurrent writers of one project queue here.
    const std::int64_t version = bumpVersion(w.project);
    if (!w.idempotencyKey.empty()) {
      const auto r = query("SELECT fingerprint FROM idempotency WHERE project = $1 AND key = $2",
                           {w.project, w.idempotencyKey});
      if (r.rows()) return {WriteOutcome::Replayed, get(w.project, r.text(0, 0))};  // rollback undoes the bump
    }
    auto current = get(w.project, w.fingerprint);
    if (w.ifMatch && *w.ifMatch != (current ? current->version : 0)) return {WriteOutcome::Conflict, current};
    const std::string at = nowRfc3339();
    query("INSERT INTO decisions(project, fingerprint, status, reason, expires, author, at, version, pending, approved_by) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '') "
          "ON CONFLICT(project, fingerprint) DO UPDATE SET status = excluded.status, reason = excluded.reason, "
          "expires = excluded.expires, author = excluded.author, at = excluded.at, version = excluded.version, "
          "pending = excluded.pending, approved_by = ''",
          {w.project, w.fingerprint, w.status, w.reason, w.expires, w.author, at, std::to_string(version),
           std::string(w.pending ? "true" : "false")});
    appendAudit(w.project, w.fingerprint, w.pending ? "put-pending" : "put", w.author, at, w.status, w.reason, version);
    if (!w.idempotencyKey.empty())
      query("INSERT INTO idempotency(project, key, fingerprint) VALUES ($1, $2, $3)",
            {w.project, w.idempotencyKey, w.fingerprint});
    auto stored = get(w.project, w.fingerprint);
    tx.commit();
    return {WriteOutcome::Applied, std::move(stored)};
  }

  WriteResult approve(const std::string& project, const std::string& fp, const std::string& approver) override {
    std::lock_guard lock(mu_);
    Tx tx(*this);
    const std::int64_t version = bumpVersion(project);
    auto current = get(project, fp);
    if (!current) return {WriteOutcome::NotFound, std::nullopt};
    if (!current->pending) return {WriteOutcome::NotPending, current};
    const std::string at = nowRfc3339();
    query("UPDATE decisions SET pending = false, approved_by = $1, version = $2 WHERE project = $3 AND fingerprint = $4",
          {approver, std::to_string(version), project, fp});
    appendAudit(project, fp, "approve", approver, at, current->decision.status, current->decision.reason, version);
    auto stored = get(project, fp);
    tx.commit();
    return {WriteOutcome::Applied, std::move(stored)};
  }

  std::vector<model::AuditEntry> audit(const std::string& project, std::int64_t afterId, int limit) override {
    std::lock_guard lock(mu_);
    const auto r = query("SELECT id, project, fingerprint, action, actor, at, status, reason, version FROM audit "
                         "WHERE project = $1 AND id > $2 ORDER BY id LIMIT $3",
                         {project, std::to_string(afterId), std::to_string(limit)});
    std::vector<model::AuditEntry> out;
    for (int i = 0; i < r.rows(); ++i) {
      model::AuditEntry e;
      e.id = r.integer(i, 0);
      e.project = r.text(i, 1);
      e.fingerprint = r.text(i, 2);
      e.action = r.text(i, 3);
      e.actor = r.text(i, 4);
      e.at = r.text(i, 5);
      e.status = r.text(i, 6);
      e.reason = r.text(i, 7);
      e.version = r.integer(i, 8);
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
    out.scan.id = query("INSERT INTO scans(project, at, revision, kinds, repository, count) VALUES ($1, $2, $3, $4, $5, 0) "
                        "RETURNING id",
                        {u.project, out.scan.at, u.revision.empty() ? std::nullopt : std::optional<std::string>(u.revision),
                         joinKinds(u.kinds), u.repository})
                      .integer(0, 0);
    const std::string scanId = std::to_string(out.scan.id);
    // Whole columns as array parameters: one round trip for the previous states and one for the
    // upsert, whatever the number of findings (per-finding statements took 3.5 s for 10,000).
    std::unordered_set<std::string> unique;
    std::vector<const ScanFinding*> findings;
    for (const ScanFinding& f : u.findings)
      if (unique.insert(f.fingerprint).second) findings.push_back(&f);  // the same fingerprint twice counts once
    auto column = [&](auto get) {
      std::vector<std::string> v;
      v.reserve(findings.size());
      for (const ScanFinding* f : findings) v.push_back(get(*f));
      return arrayLiteral(v);
    };
    const std::string fps = column([](const ScanFinding& f) { return f.fingerprint; });
    const auto prev = query("SELECT fixed_at IS NOT NULL FROM finding_history WHERE project = $1 AND fingerprint = ANY($2::text[])",
                            {u.project, fps});
    for (int i = 0; i < prev.rows(); ++i) (prev.text(i, 0) == "t" ? out.reopened : out.seen) += 1;
    out.added = static_cast<std::int64_t>(findings.size()) - out.reopened - out.seen;
    out.scan.count = static_cast<std::int64_t>(findings.size());
    if (!findings.empty())
      query("INSERT INTO finding_history(project, fingerprint, repository, kind, severity, bucket, exploitable, risk, "
            "rule_id, tool, path, first_seen, last_seen, fixed_at, last_scan) "
            "SELECT $1::text, f.fp, $2::text, f.kind, f.severity, f.bucket, f.exploitable, f.risk, f.rule_id, f.tool, f.path, "
            "$3::text, $3::text, NULL, $4::bigint "
            "FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[], $10::double precision[], "
            "$11::text[], $12::text[], $13::text[]) AS f(fp, kind, severity, bucket, exploitable, risk, rule_id, tool, path) "
            "ON CONFLICT(project, fingerprint) DO UPDATE SET repository = excluded.repository, "
            "kind = excluded.kind, severity = excluded.severity, bucket = excluded.bucket, "
            "exploitable = excluded.exploitable, risk = excluded.risk, rule_id = excluded.rule_id, "
            "tool = excluded.tool, path = excluded.path, last_seen = excluded.last_seen, fixed_at = NULL, "
            "last_scan = excluded.last_scan",
            {u.project, u.repository, out.scan.at, scanId, fps, column([](const ScanFinding& f) { return f.kind; }),
             column([](const ScanFinding& f) { return f.severity; }), column([](const ScanFinding& f) { return f.bucket; }),
             column([](const ScanFinding& f) { return std::string(f.exploitable ? "t" : "f"); }),
             column([](const ScanFinding& f) { return realText(f.riskScore); }),
             column([](const ScanFinding& f) { return f.ruleId; }), column([](const ScanFinding& f) { return f.tool; }),
             column([](const ScanFinding& f) { return f.path; })});
    for (const std::string& kind : u.kinds)
      out.fixed += query("UPDATE finding_history SET fixed_at = $1 WHERE project = $2 AND repository = $3 AND kind = $4 "
                         "AND fixed_at IS NULL AND last_scan <> $5",
                         {out.scan.at, u.project, u.repository, kind, scanId})
                       .affected();
    query("UPDATE scans SET count = $1 WHERE id = $2", {std::to_string(out.scan.count), scanId});
    tx.commit();
    return out;
  }

  std::vector<ScanRecord> scansSince(const std::string& project, const std::string& sinceAt) override {
    std::lock_guard lock(mu_);
    const auto r = query("SELECT id, project, at, COALESCE(revision, ''), kinds, repository, count FROM scans "
                         "WHERE project = $1 AND at >= $2 ORDER BY at, id",
                         {project, sinceAt});
    std::vector<ScanRecord> out;
    for (int i = 0; i < r.rows(); ++i) {
      ScanRecord s;
      s.id = r.integer(i, 0);
      s.project = r.text(i, 1);
      s.at = r.text(i, 2);
      s.revision = r.text(i, 3);
      s.kinds = splitKinds(r.text(i, 4));
      s.repository = r.text(i, 5);
      s.count = r.integer(i, 6);
      out.push_back(std::move(s));
    }
    return out;
  }

  std::vector<std::string> repositories(const std::string& project) override {
    std::lock_guard lock(mu_);
    const auto r = query("SELECT DISTINCT repository FROM scans WHERE project = $1 ORDER BY repository", {project});
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
    return out;
  }

  std::vector<std::pair<std::string, std::string>> ticketKeys(const std::string& project) override {
    std::lock_guard lock(mu_);
    const auto r = query("SELECT target, fingerprint FROM tickets WHERE project = $1", {project});
    std::vector<std::pair<std::string, std::string>> out;
    for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.text(i, 0), r.text(i, 1));
    return out;
  }

  std::int64_t addTickets(const std::vector<TicketRecord>& tickets) override {
    std::lock_guard lock(mu_);
    Tx tx(*this);
    std::int64_t added = 0;
    for (const TicketRecord& t : tickets)
      added += query("INSERT INTO tickets(project, fingerprint, target, system, rule, state, title, payload, remote_key, "
                     "remote_url, attempts, last_error, created_at, updated_at, next_attempt_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
                     "ON CONFLICT(project, fingerprint, target) DO NOTHING",
                     {t.project, t.fingerprint, t.target, t.system, t.rule, t.state, t.title, t.payload, t.remoteKey,
                      t.remoteUrl, std::to_string(t.attempts), t.lastError, t.createdAt, t.updatedAt, t.nextAttemptAt})
                   .affected();
    tx.commit();
    return added;
  }

  std::vector<TicketRecord> dueTickets(const std::string& now, int limit) override {
    std::lock_guard lock(mu_);
    const auto r = query("SELECT id, project, fingerprint, target, system, rule, state, title, payload, remote_key, remote_url, "
                         "attempts, last_error, created_at, updated_at, next_attempt_at FROM tickets "
                         "WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2",
                         {now, std::to_string(limit)});
    std::vector<TicketRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(readTicket(r, i));
    return out;
  }

  std::string nextTicketDue() override {
    std::lock_guard lock(mu_);
    const auto r = query("SELECT COALESCE(MIN(next_attempt_at), '') FROM tickets WHERE state = 'pending'", {});
    return r.rows() ? r.text(0, 0) : std::string();
  }

  void updateTicket(const TicketRecord& t) override {
    std::lock_guard lock(mu_);
    query("UPDATE tickets SET state = $1, remote_key = $2, remote_url = $3, attempts = $4, last_error = $5, "
          "updated_at = $6, next_attempt_at = $7 WHERE id = $8",
          {t.state, t.remoteKey, t.remoteUrl, std::to_string(t.attempts), t.lastError, t.updatedAt, t.nextAttemptAt,
           std::to_string(t.id)});
  }

  std::vector<TicketRecord> tickets(const std::string& project) override {
    std::lock_guard lock(mu_);
    const auto r = query("SELECT id, project, fingerprint, target, system, rule, state, title, payload, remote_key, remote_url, "
                         "attempts, last_error, created_at, updated_at, next_attempt_at FROM tickets WHERE project = $1 "
                         "ORDER BY id",
                         {project});
    std::vector<TicketRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(readTicket(r, i));
    return out;
  }

  std::int64_t retryFailedTickets(const std::string& now) override {
    std::lock_guard lock(mu_);
    return query("UPDATE tickets SET state = 'pending', attempts = 0, next_attempt_at = $1, updated_at = $1 "
                 "WHERE state = 'failed'",
                 {now})
        .affected();
  }

  std::vector<FindingHistory> findingHistory(const std::string& project) override {
    std::lock_guard lock(mu_);
    const auto r = query("SELECT fingerprint, repository, kind, severity, bucket, exploitable, risk, first_seen, last_seen, "
                         "COALESCE(fixed_at, '') FROM finding_history WHERE project = $1 ORDER BY fingerprint",
                         {project});
    std::vector<FindingHistory> out;
    for (int i = 0; i < r.rows(); ++i) {
      FindingHistory h;
      h.fingerprint = r.text(i, 0);
      h.repository = r.text(i, 1);
      h.kind = r.text(i, 2);
      h.severity = r.text(i, 3);
      h.bucket = r.text(i, 4);
      h.exploitable = r.text(i, 5) == "t";
      h.risk = r.real(i, 6);
      h.firstSeen = r.text(i, 7);
      h.lastSeen = r.text(i, 8);
      h.fixedAt = r.text(i, 9);
      out.push_back(std::move(h));
    }
    return out;
  }

 private:
  class Tx {
   public:
    explicit Tx(PostgresDatabase& db) : db_(db) { db_.exec("BEGIN"); }
    ~Tx() {
      if (!done_) PQclear(PQexec(db_.c_, "ROLLBACK"));
    }
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;
    void commit() {
      db_.exec("COMMIT");
      done_ = true;
    }

   private:
    PostgresDatabase& db_;
    bool done_ = false;
  };

  void exec(const char* sql) {
    PGresult* r = PQexec(c_, sql);
    const auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c_);
      PQclear(r);
      throw DbError("postgresql: " + msg);
    }
    PQclear(r);
  }

  Result query(const char* sql, const Params& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    PGresult* raw = PQexecParams(c_, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
    const auto st = PQresultStatus(raw);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      std::string msg = PQresultErrorMessage(raw);
      PQclear(raw);
      throw DbError("postgresql: " + msg);
    }
    return Result(raw);
  }

  std::optional<model::StoredDecision> get(const std::string& project, const std::string& fp) {
    const auto r = query("SELECT project, fingerprint, status, reason, expires, author, at, version, pending, approved_by "
                         "FROM decisions WHERE project = $1 AND fingerprint = $2",
                         {project, fp});
    if (r.rows() == 0) return std::nullopt;
    return readDecision(r, 0);
  }

  std::int64_t bumpVersion(const std::string& project) {
    query("INSERT INTO projects(name, version) VALUES ($1, 0) ON CONFLICT DO NOTHING", {project});
    const auto r = query("UPDATE projects SET version = version + 1 WHERE name = $1 RETURNING version", {project});
    if (r.rows() == 0) throw DbError("project version counter missing for " + project);
    return r.integer(0, 0);
  }

  void appendAudit(const std::string& project, const std::string& fp, const std::string& action,
                   const std::string& actor, const std::string& at, const std::string& status,
                   const std::string& reason, std::int64_t version) {
    query("INSERT INTO audit(project, fingerprint, action, actor, at, status, reason, version) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          {project, fp, action, actor, at, status, reason, std::to_string(version)});
  }

  PGconn* c_;
  std::mutex mu_;
};

}  // namespace

std::unique_ptr<Database> openPostgres(const std::string& url, std::string& error) {
  PGconn* c = PQconnectdb(url.c_str());
  if (!c || PQstatus(c) != CONNECTION_OK) {
    error = std::string("cannot connect to PostgreSQL: ") + (c ? PQerrorMessage(c) : "out of memory");
    PQfinish(c);
    return nullptr;
  }
  auto db = std::make_unique<PostgresDatabase>(c);
  try {
    db->migrate();
  } catch (const DbError& e) {
    error = e.what();
    return nullptr;
  }
  return db;
}

}  // namespace aspm::store::db
