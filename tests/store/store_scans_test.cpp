// Scan uploads and KPIs against the real aspm-store binary over HTTP: first/last seen and fixed
// at across uploads, the KPI definitions of docs/store.md checked on known data, refusals that
// write nothing, and the `aspm` CLI's --upload and `aspm kpi` against the same server. SQLite in
// a temporary directory, or the database ASPM_STORE_TEST_DB names (with-postgres.sh); each test
// uses projects of its own, so the suite also runs on one shared PostgreSQL database.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>

#include "processes.h"
#include "store/client/http_client.h"

namespace aspm::testing {
namespace {

const std::string kAspm = std::string(ASPM_BIN_DIR) + "/aspm";

struct Env {
  fs::path dir = makeTempDir("aspm-scans");
  std::string db;
  Env() {
    const char* env = std::getenv("ASPM_STORE_TEST_DB");
    db = env && *env ? env : "sqlite:" + (dir / "store.db").string();
  }
  ~Env() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

// A project name no other test (or earlier run on the same PostgreSQL database) used.
std::string uniqueProject(const std::string& base) {
  static std::mt19937_64 rng(std::random_device{}());
  return base + "-" + std::to_string(rng() % 1'000'000'000);
}

struct Reply {
  int status = 0;
  json::value body;
  std::string raw;
};

Reply call(const StoreServer& store, const std::string& method, const std::string& target, const std::string& token,
           const std::string& body = {}) {
  store::client::HttpClient http("127.0.0.1", std::to_string(store.port()), std::chrono::seconds(30));
  std::vector<std::pair<std::string, std::string>> headers;
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  const auto res = http.request(method, target, headers, body);
  Reply r;
  r.status = res.status;
  r.raw = res.body;
  boost::system::error_code ec;
  r.body = json::parse(res.body, ec);
  return r;
}

json::object finding(const std::string& id, const std::string& kind, const std::string& severity,
                     const std::string& bucket, double risk, bool exploitable) {
  return {{"id", id},       {"ruleId", "rule-" + id}, {"tool", "semgrep"},         {"kind", kind},
          {"severity", severity}, {"bucket", bucket}, {"riskScore", risk}, {"exploitable", exploitable},
          {"path", "src/" + id + ".py"}};
}

std::string scan(const std::string& repository, const std::vector<std::string>& kinds, json::array findings,
                 const std::string& revision = "0123abcd") {
  json::array k;
  for (const auto& x : kinds) k.emplace_back(x);
  return json::serialize(json::object{{"revision", revision.empty() ? json::value(nullptr) : json::value(revision)},
                                      {"kinds", std::move(k)},
                                      {"repository", repository},
                                      {"findings", std::move(findings)}});
}

std::int64_t num(const json::value& v, std::initializer_list<std::string_view> path) {
  const json::value* cur = &v;
  for (auto key : path) {
    if (!cur->is_object() || !cur->as_object().contains(key)) return -999;
    cur = &cur->as_object().at(key);
  }
  return cur->is_number() ? cur->to_number<std::int64_t>() : -998;
}

const json::value& field(const json::value& v, std::initializer_list<std::string_view> path) {
  static const json::value null;
  const json::value* cur = &v;
  for (auto key : path) {
    if (!cur->is_object() || !cur->as_object().contains(key)) return null;
    cur = &cur->as_object().at(key);
  }
  return *cur;
}

double real(const json::value& v, std::initializer_list<std::string_view> path) {
  const auto& f = field(v, path);
  return f.is_number() ? f.to_number<double>() : -1;
}

TEST(StoreScans, HistoryAcrossUploadsAndTheKpisItGives) {
  Env env;
  const std::string project = uniqueProject("shop");
  const std::string dev = StoreServer::token(env.db, project, "developer", "dev");
  ASSERT_FALSE(dev.empty());
  StoreServer store(env.db, 0);
  ASSERT_GT(store.port(), 0);
  const std::string scans = "/v1/projects/" + project + "/scans";
  const std::string kpis = "/v1/projects/" + project + "/kpis";

  // Scan 1 of "web": A (critical, exploitable), B (high), C (sca, medium).
  auto r = call(store, "POST", scans, dev,
                scan("web", {"sast", "sca"},
                     {finding("A", "sast", "critical", "immediate", 900, true),
                      finding("B", "sast", "high", "out-of-cycle", 500, false),
                      finding("C", "sca", "medium", "scheduled", 300, false)}));
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(num(r.body, {"new"}), 3);
  EXPECT_EQ(num(r.body, {"fixed"}), 0);
  EXPECT_EQ(num(r.body, {"scan", "count"}), 3);
  EXPECT_EQ(field(r.body, {"scan", "revision"}), json::value("0123abcd"));
  EXPECT_EQ(field(r.body, {"scan", "repository"}), json::value("web"));
  const auto firstScanId = num(r.body, {"scan", "id"});

  // Scan 2 of "web", SAST only: B is gone, so fixed; C is SCA, which did not run, so still open.
  r = call(store, "POST", scans, dev, scan("web", {"sast"}, {finding("A", "sast", "critical", "immediate", 950, true)}, ""));
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_GT(num(r.body, {"scan", "id"}), firstScanId);
  EXPECT_EQ(num(r.body, {"seen"}), 1);
  EXPECT_EQ(num(r.body, {"new"}), 0);
  EXPECT_EQ(num(r.body, {"fixed"}), 1);
  EXPECT_TRUE(field(r.body, {"scan", "revision"}).is_null());

  // Another repository's SAST scan fixes nothing of "web"; "secret" is read as the secrets kind.
  r = call(store, "POST", scans, dev, scan("api", {"sast", "secrets"}, {finding("S", "secret", "high", "defer", 10, false)}));
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(num(r.body, {"fixed"}), 0);
  EXPECT_EQ(num(r.body, {"new"}), 1);

  // A triage decision on A: triage rate 1 of 4 tracked, false-positive rate 1 of 1.
  ASSERT_EQ(call(store, "PUT", "/v1/projects/" + project + "/decisions/A", dev, R"({"status":"false_positive"})").status, 200);

  r = call(store, "GET", kpis + "?days=7", dev);
  ASSERT_EQ(r.status, 200) << r.raw;
  const json::value k = r.body;
  EXPECT_EQ(num(k, {"days"}), 7);
  EXPECT_EQ(num(k, {"scans"}), 3);
  EXPECT_EQ(num(k, {"open"}), 3);             // A, C, S
  EXPECT_EQ(num(k, {"exploitableOpen"}), 1);  // A
  EXPECT_DOUBLE_EQ(real(k, {"risk", "sum"}), 950 + 300 + 10);  // A's last risk is the second scan's
  EXPECT_DOUBLE_EQ(real(k, {"risk", "max"}), 950);
  EXPECT_EQ(num(k, {"risk", "byBucket", "immediate"}), 1);
  EXPECT_EQ(num(k, {"risk", "byBucket", "scheduled"}), 1);
  EXPECT_EQ(num(k, {"risk", "byBucket", "defer"}), 1);
  EXPECT_EQ(num(k, {"risk", "byBucket", "out-of-cycle"}), -999);  // B is fixed
  EXPECT_EQ(num(k, {"mttrSamples", "high"}), 1);
  EXPECT_GE(real(k, {"mttrDays", "high"}), 0);
  EXPECT_LT(real(k, {"mttrDays", "high"}), 0.01);  // fixed seconds after it was first seen
  EXPECT_TRUE(field(k, {"mttrDays", "critical"}).is_null());
  EXPECT_EQ(num(k, {"fix", "fixed"}), 1);
  EXPECT_DOUBLE_EQ(real(k, {"fix", "rate"}), 1.0 / 4.0);
  EXPECT_EQ(num(k, {"triage", "tracked"}), 4);
  EXPECT_EQ(num(k, {"triage", "triaged"}), 1);
  EXPECT_DOUBLE_EQ(real(k, {"triage", "rate"}), 0.25);
  EXPECT_DOUBLE_EQ(real(k, {"falsePositive", "rate"}), 1.0);
  EXPECT_EQ(num(k, {"coverage", "repositories"}), 2);
  EXPECT_EQ(num(k, {"coverage", "byKind", "sast", "covered"}), 2);
  EXPECT_DOUBLE_EQ(real(k, {"coverage", "byKind", "sast", "rate"}), 1.0);
  EXPECT_DOUBLE_EQ(real(k, {"coverage", "byKind", "sca", "rate"}), 0.5);
  EXPECT_DOUBLE_EQ(real(k, {"coverage", "byKind", "secrets", "rate"}), 0.5);
  const auto& series = field(k, {"series"});
  ASSERT_TRUE(series.is_array());
  ASSERT_EQ(series.as_array().size(), 7u);
  const auto& today = series.as_array().back();
  EXPECT_EQ(num(today, {"open"}), 3);
  EXPECT_EQ(num(today, {"fixed"}), 1);
  EXPECT_EQ(num(today, {"exploitable"}), 1);
  EXPECT_EQ(num(series.as_array().front(), {"open"}), 0);

  // B comes back: reopened, open again, no longer counted as fixed.
  r = call(store, "POST", scans, dev,
           scan("web", {"sast"},
                {finding("A", "sast", "critical", "immediate", 950, true), finding("B", "sast", "high", "out-of-cycle", 500, false),
                 finding("B", "sast", "high", "out-of-cycle", 500, false)}));
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(num(r.body, {"reopened"}), 1);
  EXPECT_EQ(num(r.body, {"seen"}), 1);
  EXPECT_EQ(num(r.body, {"scan", "count"}), 2);  // B twice in one upload is one finding
  r = call(store, "GET", kpis, dev);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(num(r.body, {"days"}), 30);
  EXPECT_EQ(num(r.body, {"open"}), 4);
  EXPECT_EQ(num(r.body, {"fix", "fixed"}), 0);
  EXPECT_TRUE(field(r.body, {"mttrDays", "high"}).is_null());
}

// Fingerprints are opaque text: quotes, backslashes, commas, braces and non-ASCII survive storage
// (PostgreSQL receives whole columns as array parameters) and are matched exactly.
TEST(StoreScans, HostileFingerprintsAreMatchedExactly) {
  Env env;
  const std::string project = uniqueProject("odd");
  const std::string dev = StoreServer::token(env.db, project, "developer", "dev");
  StoreServer store(env.db, 0);
  ASSERT_GT(store.port(), 0);
  const std::string scans = "/v1/projects/" + project + "/scans";
  const std::vector<std::string> ids = {R"(a"b)", R"(c\d)", "e,f", "{g}", "NULL", "h'i", "\u00e9t\u00e9", " ", "x\\\""};
  json::array all;
  for (const auto& id : ids) all.push_back(finding(id, "sast", "high", "scheduled", 1, false));
  auto r = call(store, "POST", scans, dev, scan("web", {"sast"}, all));
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(num(r.body, {"new"}), static_cast<std::int64_t>(ids.size()));
  json::array most;
  for (std::size_t i = 1; i < ids.size(); ++i) most.push_back(finding(ids[i], "sast", "high", "scheduled", 1, false));
  r = call(store, "POST", scans, dev, scan("web", {"sast"}, most));
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(num(r.body, {"new"}), 0);
  EXPECT_EQ(num(r.body, {"seen"}), static_cast<std::int64_t>(ids.size() - 1));
  EXPECT_EQ(num(r.body, {"fixed"}), 1);
  r = call(store, "POST", scans, dev, scan("web", {"sast"}, all));
  EXPECT_EQ(num(r.body, {"reopened"}), 1);
}

// A store file written by the release before scan uploads (schema version 1, frozen here as it
// shipped) is migrated on open: its decisions stay, and scans work.
TEST(StoreScans, MigratesAVersionOneFile) {
  if (const char* env = std::getenv("ASPM_STORE_TEST_DB"); env && *env) GTEST_SKIP() << "SQLite file test";
  Env env;
  const fs::path file = env.dir / "v1.db";
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &raw), SQLITE_OK);
  const char* v1 = R"sql(
CREATE TABLE schema_version(version INTEGER NOT NULL);
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
INSERT INTO schema_version(version) VALUES (1);
INSERT INTO projects(name, version) VALUES ('old', 1);
INSERT INTO decisions VALUES ('old', 'fp1', 'false_positive', 'kept', '', 'alice', '2026-01-01T00:00:00.000Z', 1, 0, '');
)sql";
  ASSERT_EQ(sqlite3_exec(raw, v1, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
  sqlite3_close(raw);

  const std::string db = "sqlite:" + file.string();
  const std::string tok = StoreServer::token(db, "old", "developer", "dev");
  ASSERT_FALSE(tok.empty());
  StoreServer store(db, 0);
  ASSERT_GT(store.port(), 0);
  auto r = call(store, "GET", "/v1/projects/old/decisions/fp1", tok);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(field(r.body, {"reason"}), json::value("kept"));
  r = call(store, "POST", "/v1/projects/old/scans", tok, scan("web", {"sast"}, {finding("fp1", "sast", "high", "defer", 1, false)}));
  ASSERT_EQ(r.status, 201) << r.raw;
  r = call(store, "GET", "/v1/projects/old/kpis", tok);
  EXPECT_DOUBLE_EQ(real(r.body, {"triage", "rate"}), 1.0);  // the old decision counts

  ASSERT_EQ(sqlite3_open(file.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "SELECT MAX(version) FROM schema_version", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 3);  // every step up to the current schema (3: tickets)
  sqlite3_finalize(st);
  sqlite3_close(raw);
}

// Sends `head` on a fresh connection and returns the status of the reply (0 when none came).
int statusForHeadersOnly(int port, const std::string& head) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::send(fd, head.data(), head.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(head.size())) {
    ::close(fd);
    return 0;
  }
  std::string got;
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (got.find("\r\n") == std::string::npos && Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[512];
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return got.size() >= 12 && got.starts_with("HTTP/1.1 ") ? std::atoi(got.c_str() + 9) : 0;
}

TEST(StoreScans, RefusalsWriteNothing) {
  Env env;
  const std::string project = uniqueProject("shop");
  const std::string other = uniqueProject("other");
  const std::string dev = StoreServer::token(env.db, project, "developer", "dev");
  const std::string otherToken = StoreServer::token(env.db, other, "admin", "them");
  ASSERT_FALSE(dev.empty());
  ASSERT_FALSE(otherToken.empty());
  StoreServer store(env.db, 0);
  ASSERT_GT(store.port(), 0);
  const std::string scans = "/v1/projects/" + project + "/scans";
  const std::string good = scan("web", {"sast"}, {finding("A", "sast", "high", "scheduled", 100, false)});

  EXPECT_EQ(call(store, "POST", scans, "", good).status, 401);
  EXPECT_EQ(call(store, "POST", scans, "not-a-token", good).status, 401);
  EXPECT_EQ(call(store, "POST", scans, otherToken, good).status, 403);
  EXPECT_EQ(call(store, "GET", "/v1/projects/" + project + "/kpis", "").status, 401);
  EXPECT_EQ(call(store, "GET", "/v1/projects/" + project + "/kpis", otherToken).status, 403);
  EXPECT_EQ(call(store, "GET", "/v1/projects/" + project + "/kpis?days=0", dev).status, 400);
  EXPECT_EQ(call(store, "GET", scans, dev).status, 405);

  // Over the 1 MiB default body limit: the server answers from the declared length, before the
  // body (a client still sending would see the connection close under it).
  EXPECT_EQ(statusForHeadersOnly(store.port(), "POST " + scans + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + dev +
                                                   "\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n"),
            413);

  struct Bad {
    std::string body;
    std::string path;
  };
  const std::vector<Bad> bad = {
      {R"({"kinds":["sast"],"repository":"web","findings":[)", "$"},
      {"[]", "$"},
      {R"({"kinds":["sast"],"findings":[]})", "$.repository"},
      {R"({"kinds":[],"repository":"web","findings":[]})", "$.kinds"},
      {R"({"kinds":["dast"],"repository":"web","findings":[]})", "$.kinds[0]"},
      {R"({"kinds":["sast"],"repository":"web"})", "$.findings"},
      {R"({"kinds":["sast"],"repository":"web","revision":5,"findings":[]})", "$.revision"},
      {R"({"kinds":["sast"],"repository":"web","findings":[{"id":"A","kind":"sast","severity":"high"},)"
       R"({"id":"B","kind":"sast","severity":"urgent"}]})",
       "$.findings[1].severity"},
      {R"({"kinds":["sast"],"repository":"web","findings":[{"kind":"sast","severity":"high"}]})", "$.findings[0].id"},
      {R"({"kinds":["sast"],"repository":"web","findings":[{"id":"A","kind":"sast","severity":"high","riskScore":"9"}]})",
       "$.findings[0].riskScore"},
      {R"({"kinds":["sast"],"repository":"web","findings":[{"id":"A","kind":"sast","severity":"high","exploitable":1}]})",
       "$.findings[0].exploitable"},
  };
  for (const auto& b : bad) {
    const auto r = call(store, "POST", scans, dev, b.body);
    EXPECT_EQ(r.status, 400) << b.body;
    EXPECT_EQ(field(r.body, {"path"}), json::value(b.path)) << r.raw;
  }

  // Nothing of the above reached storage.
  const auto k = call(store, "GET", "/v1/projects/" + project + "/kpis", dev);
  ASSERT_EQ(k.status, 200) << k.raw;
  EXPECT_EQ(num(k.body, {"scans"}), 0);
  EXPECT_EQ(num(k.body, {"open"}), 0);
  EXPECT_EQ(num(k.body, {"triage", "tracked"}), 0);
  EXPECT_EQ(num(k.body, {"coverage", "repositories"}), 0);
  EXPECT_TRUE(field(k.body, {"fix", "rate"}).is_null());
  const auto ko = call(store, "GET", "/v1/projects/" + other + "/kpis", otherToken);
  EXPECT_EQ(num(ko.body, {"scans"}), 0);
}

// Runs a command with ASPM_TOKEN set; returns the exit status, stdout in `out`.
int runWithToken(const std::string& token, const std::vector<std::string>& args, std::string& out) {
  std::string cmd = token.empty() ? "env -u ASPM_TOKEN " : "env ASPM_TOKEN='" + token + "' ";
  for (const auto& a : args) cmd += "'" + a + "' ";
  cmd += "2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return -1;
  out.clear();
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A SARIF log of one semgrep run with a result per line given.
void writeSarif(const fs::path& file, const std::vector<int>& lines) {
  json::array results;
  for (int line : lines)
    results.push_back(json::object{
        {"ruleId", "python.lang.security.audit.eval-detected"},
        {"level", "error"},
        {"message", json::object{{"text", "eval on line " + std::to_string(line)}}},
        {"locations", json::array{json::object{
                          {"physicalLocation",
                           json::object{{"artifactLocation", json::object{{"uri", "app.py"}}},
                                        {"region", json::object{{"startLine", line}}}}}}}}});
  json::object log{{"version", "2.1.0"},
                   {"runs", json::array{json::object{
                                {"tool", json::object{{"driver", json::object{{"name", "semgrep"}}}}},
                                {"results", std::move(results)}}}}};
  std::ofstream(file) << json::serialize(log);
}

TEST(StoreScans, CliUploadsAndPrintsKpis) {
  Env env;
  const std::string project = uniqueProject("cli");
  const std::string dev = StoreServer::token(env.db, project, "developer", "ci");
  ASSERT_FALSE(dev.empty());
  StoreServer store(env.db, 0);
  ASSERT_GT(store.port(), 0);
  const fs::path repo = env.dir / "repo";
  fs::create_directories(repo);
  std::ofstream(repo / "app.py") << "import os\nx = eval(input())\ny = 1\nz = eval(os.environ['Z'])\n";
  const fs::path sarif = env.dir / "scan.sarif";
  writeSarif(sarif, {2, 4});

  const std::vector<std::string> upload = {kAspm, "findings", "--repo", repo.string(), "--sarif", sarif.string(),
                                           "--format", "json", "--store", store.url(), "--project", project,
                                           "--upload", "--scan-kinds", "sast", "--repository", "app"};
  std::string out;
  ASSERT_EQ(runWithToken(dev, upload, out), 0);
  boost::system::error_code ec;
  const json::value first = json::parse(out, ec);
  ASSERT_FALSE(ec) << out;
  ASSERT_EQ(first.at("findings").as_array().size(), 2u);

  auto k = call(store, "GET", "/v1/projects/" + project + "/kpis", dev);
  EXPECT_EQ(num(k.body, {"open"}), 2);
  EXPECT_EQ(num(k.body, {"scans"}), 1);

  // The second line's eval is gone from the next scan: one finding fixed.
  writeSarif(sarif, {4});
  ASSERT_EQ(runWithToken(dev, upload, out), 0);
  k = call(store, "GET", "/v1/projects/" + project + "/kpis", dev);
  EXPECT_EQ(num(k.body, {"open"}), 1);
  EXPECT_EQ(num(k.body, {"fix", "fixed"}), 1);
  EXPECT_EQ(num(k.body, {"coverage", "byKind", "sast", "covered"}), 1);

  // `aspm gate --upload` posts too.
  const fs::path policy = env.dir / "policy.yaml";
  std::ofstream(policy) << "version: 1\nmode: monitor\nrules:\n  - id: look\n    action: warn\n    when: {risk: 0}\n";
  std::string gateOut;
  const int gateStatus = runWithToken(dev, {kAspm, "gate", "--policy", policy.string(), "--repo", repo.string(), "--sarif",
                                            sarif.string(), "--store", store.url(), "--project", project, "--upload",
                                            "--scan-kinds", "sast", "--repository", "app"},
                                      gateOut);
  EXPECT_TRUE(gateStatus == 0 || gateStatus == 1) << gateOut;
  k = call(store, "GET", "/v1/projects/" + project + "/kpis", dev);
  EXPECT_EQ(num(k.body, {"scans"}), 3);

  // `aspm kpi --format json` prints what the API serves; the table names the rates.
  ASSERT_EQ(runWithToken(dev, {kAspm, "kpi", "--store", store.url(), "--project", project, "--format", "json"}, out), 0);
  const json::value cli = json::parse(out, ec);
  ASSERT_FALSE(ec) << out;
  EXPECT_EQ(num(cli, {"open"}), num(k.body, {"open"}));
  EXPECT_EQ(num(cli, {"fix", "fixed"}), 1);
  EXPECT_EQ(field(cli, {"project"}), json::value(project));
  ASSERT_EQ(runWithToken(dev, {kAspm, "kpi", "--store", store.url(), "--project", project, "--days", "7"}, out), 0);
  EXPECT_NE(out.find("fix rate"), std::string::npos) << out;
  EXPECT_NE(out.find("50.0%"), std::string::npos) << out;  // 1 fixed, 1 open
  EXPECT_NE(out.find("last 7 days"), std::string::npos) << out;

  // Refusals: no token (usage, before any analysis), a bad token (the store says 401).
  EXPECT_EQ(runWithToken("", upload, out), 2);
  EXPECT_EQ(runWithToken("wrong", upload, out), 2);
  EXPECT_EQ(runWithToken("wrong", {kAspm, "kpi", "--store", store.url(), "--project", project}, out), 2);
  k = call(store, "GET", "/v1/projects/" + project + "/kpis", dev);
  EXPECT_EQ(num(k.body, {"scans"}), 3);
}

// "2026-11-27" plus `days`.
std::string addDays(const std::string& date, int days) {
  const std::chrono::year_month_day ymd{std::chrono::year(std::stoi(date.substr(0, 4))),
                                        std::chrono::month(static_cast<unsigned>(std::stoi(date.substr(5, 2)))),
                                        std::chrono::day(static_cast<unsigned>(std::stoi(date.substr(8, 2))))};
  const std::chrono::year_month_day later{std::chrono::sys_days(ymd) + std::chrono::days(days)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(later.year()), static_cast<unsigned>(later.month()),
                static_cast<unsigned>(later.day()));
  return buf;
}

TEST(StoreScans, GateAgeCountsFromTheStoresFirstSeen) {
  Env env;
  const std::string project = uniqueProject("age");
  const std::string dev = StoreServer::token(env.db, project, "developer", "ci");
  ASSERT_FALSE(dev.empty());
  StoreServer store(env.db, 0);
  ASSERT_GT(store.port(), 0);
  const fs::path repo = env.dir / "repo";
  fs::create_directories(repo);
  std::ofstream(repo / "app.py") << "import os\nx = eval(input())\ny = eval(os.environ['Y'])\nz = eval(os.environ['Z'])\n";
  const fs::path sarif = env.dir / "scan.sarif";
  writeSarif(sarif, {2, 4});
  std::string out;
  ASSERT_EQ(runWithToken(dev, {kAspm, "findings", "--repo", repo.string(), "--sarif", sarif.string(), "--format", "json",
                               "--store", store.url(), "--project", project, "--upload", "--repository", "app"},
                         out),
            0);

  // The store's history of the two uploaded fingerprints; the filter and its refusal.
  const std::string findings = "/v1/projects/" + project + "/findings";
  auto h = call(store, "GET", findings, dev);
  ASSERT_EQ(h.status, 200) << h.raw;
  ASSERT_EQ(h.body.at("findings").as_array().size(), 2u) << h.raw;
  const auto& entry = h.body.at("findings").as_array()[0].as_object();
  const std::string firstSeen(entry.at("firstSeen").as_string());
  EXPECT_EQ(entry.at("lastSeen"), entry.at("firstSeen"));
  EXPECT_TRUE(entry.at("fixedAt").is_null());
  EXPECT_EQ(entry.at("kind"), json::value("sast"));
  EXPECT_EQ(call(store, "GET", findings + "?state=open", dev).body.at("findings").as_array().size(), 2u);
  EXPECT_EQ(call(store, "GET", findings + "?state=fixed", dev).body.at("findings").as_array().size(), 0u);
  EXPECT_EQ(call(store, "GET", findings + "?state=new", dev).status, 400);
  EXPECT_EQ(call(store, "POST", findings, dev).status, 405);
  EXPECT_EQ(call(store, "GET", findings, "").status, 401);

  // The next scan also reports line 3, which the store has never seen.
  writeSarif(sarif, {2, 3, 4});
  const fs::path policy = env.dir / "policy.yaml";
  std::ofstream(policy) << "version: 1\nmode: enforce\nrules:\n  - id: stale\n    action: block\n    when: {age: \">= 30d\"}\n";
  auto gate = [&](const std::string& today, bool withStore) {
    std::vector<std::string> args = {kAspm, "gate", "--policy", policy.string(), "--repo", repo.string(), "--sarif",
                                     sarif.string(), "--format", "json", "--today", today};
    if (withStore) args.insert(args.end(), {"--store", store.url(), "--project", project});
    return runWithToken(dev, args, out);
  };

  // 40 days after the upload: the two stored findings are 40 days old and block; the new one is 0.
  ASSERT_EQ(gate(addDays(firstSeen, 40), true), 1) << out;
  boost::system::error_code ec;
  json::value doc = json::parse(out, ec);
  ASSERT_FALSE(ec) << out;
  ASSERT_EQ(doc.at("violations").as_array().size(), 2u) << out;
  for (const auto& v : doc.at("violations").as_array()) {
    EXPECT_EQ(v.at("ageDays"), json::value(40));
    EXPECT_EQ(v.at("finding").at("firstSeen"), json::value(firstSeen));
    EXPECT_NE(v.at("finding").at("scan").at("startLine"), json::value(3));
  }
  const std::string note(doc.at("age").as_string());
  EXPECT_NE(note.find("first seen from the store " + store.url() + " for 2 finding(s)"), std::string::npos) << note;
  EXPECT_NE(note.find("1 finding(s) with no first-seen date count as first seen today (age 0)"), std::string::npos) << note;

  // 5 days after: young, nothing blocks.
  ASSERT_EQ(gate(addDays(firstSeen, 5), true), 0) << out;
  // Without the store nothing has a first-seen date: every finding is 0 days old, and says so.
  ASSERT_EQ(gate(addDays(firstSeen, 40), false), 0) << out;
  doc = json::parse(out, ec);
  ASSERT_FALSE(ec) << out;
  EXPECT_NE(std::string(doc.at("age").as_string()).find("no --store and no --baseline"), std::string::npos) << out;

  // A store that cannot be read: an enforcing gate does not pass on ages it could not count.
  const std::vector<std::string> unreachable = {kAspm, "gate", "--policy", policy.string(), "--repo", repo.string(),
                                                "--sarif", sarif.string(), "--today", addDays(firstSeen, 40),
                                                "--store", "http://127.0.0.1:1", "--project", project};
  EXPECT_EQ(runWithToken(dev, unreachable, out), 2) << out;
  EXPECT_NE(out.find("could not be read"), std::string::npos) << out;  // the result is still printed
  // A monitoring policy reports and passes, saying the store could not be read.
  std::ofstream(policy) << "version: 1\nmode: monitor\nrules:\n  - id: stale\n    action: block\n    when: {age: \">= 30d\"}\n";
  EXPECT_EQ(runWithToken(dev, unreachable, out), 0) << out;
  EXPECT_NE(out.find("could not be read"), std::string::npos) << out;
}

}  // namespace
}  // namespace aspm::testing
