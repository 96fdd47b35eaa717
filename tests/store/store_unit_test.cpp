// The store's storage and API layers without a network: a real SQLite file per test, the real
// Api object, real token hashing. The HTTP-level behaviour is covered by store_server_test.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "store/db/database.h"
#include "store/server/api.h"
#include "store/server/app.h"
#include "store/server/token.h"

namespace {
namespace fs = std::filesystem;
using namespace aspm::store;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "aspm-store-unit-XXXXXX").string();
    path_ = mkdtemp(tmpl.data()) ? fs::path(tmpl) : fs::path();
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::unique_ptr<db::Database> openDb(const TempDir& dir) {
  std::string error;
  auto db = db::open("sqlite:" + (dir.path() / "store.db").string(), error);
  EXPECT_TRUE(db) << error;
  return db;
}

db::DecisionWrite write(std::string fp, std::string status) {
  db::DecisionWrite w;
  w.project = "shop";
  w.fingerprint = std::move(fp);
  w.status = std::move(status);
  w.reason = "because";
  w.author = "alice";
  return w;
}

// Group commit: a batch is one transaction in which each write sees the ones before it; a
// conflict or a replayed key in the batch does not stop the others.
TEST(StoreDb, ABatchOfWritesAppliesInOrderInOneTransaction) {
  TempDir dir;
  auto db = openDb(dir);
  ASSERT_TRUE(db);
  auto keyed = write("fp-1", "false_positive");
  keyed.idempotencyKey = "op-1";
  auto stale = write("fp-2", "fixed");
  stale.ifMatch = 5;
  auto second = write("fp-1", "wont_fix");
  second.ifMatch = 1;  // the first write of this batch made version 1
  const auto results = db->putDecisions({keyed, stale, keyed, second, write("fp-3", "open")});
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(results[0].outcome, db::WriteOutcome::Applied);
  EXPECT_EQ(results[1].outcome, db::WriteOutcome::Conflict);
  EXPECT_EQ(results[2].outcome, db::WriteOutcome::Replayed);
  ASSERT_TRUE(results[2].current);
  EXPECT_EQ(results[2].current->version, 1);
  EXPECT_EQ(results[3].outcome, db::WriteOutcome::Applied);
  ASSERT_TRUE(results[3].current);
  EXPECT_EQ(results[3].current->version, 2);
  EXPECT_EQ(results[4].current->version, 3);
  EXPECT_EQ(db->projectVersion("shop"), 3);
  EXPECT_EQ(db->decision("shop", "fp-1")->decision.status, "wont_fix");
  EXPECT_FALSE(db->decision("shop", "fp-2"));
  EXPECT_EQ(db->audit("shop", 0, 100).size(), 3u);
}

TEST(StoreDb, RejectsUnknownUrls) {
  std::string error;
  EXPECT_FALSE(db::open("mysql://x", error));
  EXPECT_NE(error.find("sqlite:PATH"), std::string::npos);
  EXPECT_FALSE(db::open("sqlite:", error));
  EXPECT_FALSE(db::open("sqlite:/nonexistent-dir/x/y.db", error));
  EXPECT_NE(error.find("/nonexistent-dir/x/y.db"), std::string::npos);
}

TEST(StoreDb, VersionsArePerProjectAndMonotonic) {
  TempDir dir;
  auto db = openDb(dir);
  EXPECT_EQ(db->projectVersion("shop"), 0);
  auto a = db->putDecision(write("fp-a", "false_positive"));
  auto b = db->putDecision(write("fp-b", "wont_fix"));
  ASSERT_EQ(a.outcome, db::WriteOutcome::Applied);
  EXPECT_EQ(a.current->version, 1);
  EXPECT_EQ(b.current->version, 2);
  auto w = write("fp-a", "fixed");
  w.project = "other";
  EXPECT_EQ(db->putDecision(w).current->version, 1);
  const auto since1 = db->decisionsSince("shop", 1);
  ASSERT_EQ(since1.size(), 1u);
  EXPECT_EQ(since1[0].fingerprint, "fp-b");
  EXPECT_EQ(db->decisionsSince("shop", 0).size(), 2u);
  EXPECT_EQ(db->projectVersion("shop"), 2);
}

TEST(StoreDb, IfMatchConflictsLeaveTheStoredValue) {
  TempDir dir;
  auto db = openDb(dir);
  auto w = write("fp", "false_positive");
  w.ifMatch = 0;  // create only
  ASSERT_EQ(db->putDecision(w).outcome, db::WriteOutcome::Applied);
  auto again = db->putDecision(w);
  EXPECT_EQ(again.outcome, db::WriteOutcome::Conflict);
  ASSERT_TRUE(again.current);
  EXPECT_EQ(again.current->decision.status, "false_positive");
  auto update = write("fp", "fixed");
  update.ifMatch = 1;
  EXPECT_EQ(db->putDecision(update).outcome, db::WriteOutcome::Applied);
  EXPECT_EQ(db->putDecision(update).outcome, db::WriteOutcome::Conflict);
  EXPECT_EQ(db->decision("shop", "fp")->decision.status, "fixed");
  EXPECT_EQ(db->audit("shop", 0, 100).size(), 2u);
}

TEST(StoreDb, IdempotencyKeyAppliesOnce) {
  TempDir dir;
  auto db = openDb(dir);
  auto w = write("fp", "wont_fix");
  w.idempotencyKey = "op-1";
  EXPECT_EQ(db->putDecision(w).outcome, db::WriteOutcome::Applied);
  const auto replay = db->putDecision(w);
  EXPECT_EQ(replay.outcome, db::WriteOutcome::Replayed);
  EXPECT_EQ(replay.current->version, 1);
  EXPECT_EQ(db->projectVersion("shop"), 1);
  EXPECT_EQ(db->audit("shop", 0, 100).size(), 1u);
}

TEST(StoreDb, ApproveClearsPendingOnce) {
  TempDir dir;
  auto db = openDb(dir);
  auto w = write("fp", "accepted_risk");
  w.pending = true;
  db->putDecision(w);
  EXPECT_EQ(db->approve("shop", "missing", "sam").outcome, db::WriteOutcome::NotFound);
  const auto ok = db->approve("shop", "fp", "sam");
  ASSERT_EQ(ok.outcome, db::WriteOutcome::Applied);
  EXPECT_FALSE(ok.current->pending);
  EXPECT_EQ(ok.current->approvedBy, "sam");
  EXPECT_EQ(ok.current->version, 2);
  EXPECT_EQ(db->approve("shop", "fp", "sam").outcome, db::WriteOutcome::NotPending);
  const auto audit = db->audit("shop", 0, 100);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "put-pending");
  EXPECT_EQ(audit[1].action, "approve");
  EXPECT_EQ(audit[1].actor, "sam");
}

TEST(StoreDb, AuditLogIsAppendOnlyAndSchemaSurvivesReopen) {
  TempDir dir;
  {
    auto db = openDb(dir);
    db->putDecision(write("fp", "fixed"));
  }
  auto db = openDb(dir);  // a second open must not re-run migrations
  EXPECT_EQ(db->decision("shop", "fp")->decision.status, "fixed");
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() / "store.db").c_str(), &raw), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(raw, "UPDATE audit SET actor = 'mallory'", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(raw, "DELETE FROM audit", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  EXPECT_EQ(db->audit("shop", 0, 10).at(0).actor, "alice");
}

TEST(StoreDb, HostileFingerprintsAreJustData) {
  TempDir dir;
  auto db = openDb(dir);
  const std::string evil = "x'); DROP TABLE decisions; --";
  db->putDecision(write(evil, "false_positive"));
  EXPECT_EQ(db->decision("shop", evil)->fingerprint, evil);
  EXPECT_EQ(db->decisionsSince("shop", 0).size(), 1u);
}

TEST(StoreToken, HashIsStableHexAndTokensDiffer) {
  const auto a = server::generateToken();
  const auto b = server::generateToken();
  EXPECT_TRUE(a.starts_with("aspm_"));
  EXPECT_NE(a, b);
  EXPECT_EQ(server::hashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

class StoreApi : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = "sqlite:" + (dir_.path() / "store.db").string();
    developer_ = token("shop", "developer", "dev");
    security_ = token("shop", "security", "sec");
    std::string error;
    db_ = db::open(url_, error);
    ASSERT_TRUE(db_) << error;
    api_ = std::make_unique<server::Api>(*db_, server::ApiOptions{});
  }
  std::string token(const std::string& project, const std::string& role, const std::string& name,
                    std::optional<std::int64_t> expiresAt = std::nullopt) {
    std::string error;
    auto t = server::createToken({url_, project, role, name, expiresAt}, error);
    EXPECT_TRUE(t) << error;
    return t.value_or("");
  }
  server::ApiReply call(const std::string& method, const std::string& target, const std::string& tok,
                        const std::string& body = {}) {
    server::ApiRequest r;
    r.method = method;
    r.target = target;
    if (!tok.empty()) r.authorization = "Bearer " + tok;
    r.body = body;
    return api_->handle(r);
  }
  TempDir dir_;
  std::string url_, developer_, security_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<server::Api> api_;
};

TEST_F(StoreApi, RefusesBadTokens) {
  EXPECT_EQ(call("GET", "/v1/projects/shop/decisions", "").status, 401);
  EXPECT_EQ(call("GET", "/v1/projects/shop/decisions", "aspm_nope").status, 401);
  const auto expired = token("shop", "admin", "old", 1);
  const auto r = call("GET", "/v1/projects/shop/decisions", expired);
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("expired"), std::string::npos);
  EXPECT_EQ(call("GET", "/v1/projects/other/decisions", developer_).status, 403);
  EXPECT_EQ(call("GET", "/v1/projects/shop/decisions", developer_).status, 200);
  EXPECT_EQ(call("GET", "/healthz", "").status, 200);
}

TEST_F(StoreApi, BadBodiesNameTheField) {
  auto r = call("PUT", "/v1/projects/shop/decisions/fp", developer_, "{\"status\":");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("malformed JSON"), std::string::npos);
  r = call("PUT", "/v1/projects/shop/decisions/fp", developer_, R"({"status":"ignored"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("$.status"), std::string::npos);
  r = call("PUT", "/v1/projects/shop/decisions/fp", developer_, R"({"status":"fixed","expires":"tomorrow"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("$.expires"), std::string::npos);
  EXPECT_EQ(call("GET", "/v1/projects/shop/decisions?since=-3", developer_).status, 400);
  EXPECT_EQ(call("GET", "/v1/projects/shop/decisions/%zz", developer_).status, 400);
  EXPECT_TRUE(db_->decisionsSince("shop", 0).empty());
}

TEST_F(StoreApi, DeveloperAcceptedRiskNeedsSecurityApproval) {
  auto r = call("PUT", "/v1/projects/shop/decisions/fp%2F1", developer_, R"({"status":"accepted_risk","reason":"r"})");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"pending\":true"), std::string::npos);
  EXPECT_EQ(call("POST", "/v1/projects/shop/decisions/fp%2F1/approve", developer_).status, 403);
  r = call("POST", "/v1/projects/shop/decisions/fp%2F1/approve", security_);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"pending\":false"), std::string::npos);
  EXPECT_NE(r.body.find("\"approvedBy\":\"sec\""), std::string::npos);
  EXPECT_EQ(db_->decision("shop", "fp/1")->approvedBy, "sec");
  r = call("PUT", "/v1/projects/shop/decisions/fp2", security_, R"({"status":"accepted_risk"})");
  EXPECT_NE(r.body.find("\"pending\":false"), std::string::npos);
}

}  // namespace
