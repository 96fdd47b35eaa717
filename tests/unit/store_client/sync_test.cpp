// The sync client's pieces that need no server: store URLs (http:// and https://, anything else
// refused with a clear message), path encoding, the decision list as the store sends it (bad input named by JSON
// path, never a crash), the sync state kept in the log file, and a client with an unusable
// configuration reporting an error instead of running. The loop against a real aspm-store is
// tested in tests/store/store_sync_test.cpp.
#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "store/client/http_client.h"
#include "store/client/sync.h"

namespace aspm::store::client {
namespace {
namespace fs = std::filesystem;

TEST(StoreUrl, PlainHttpWithHostPortAndPrefix) {
  auto u = parseStoreUrl("http://store.example:8470/aspm/");
  EXPECT_EQ(u.error, "");
  EXPECT_EQ(u.host, "store.example");
  EXPECT_EQ(u.port, "8470");
  EXPECT_EQ(u.basePath, "/aspm");
  u = parseStoreUrl("http://[::1]:9000");
  EXPECT_EQ(u.error, "");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, "9000");
  u = parseStoreUrl("http://localhost");
  EXPECT_EQ(u.port, "80");
}

TEST(StoreUrl, HttpsMeansTlsOnPort443ByDefault) {
  auto u = parseStoreUrl("https://store.example/aspm/");
  EXPECT_EQ(u.error, "");
  EXPECT_TRUE(u.tls.enabled);
  EXPECT_EQ(u.host, "store.example");
  EXPECT_EQ(u.port, "443");
  EXPECT_EQ(u.basePath, "/aspm");
  u = parseStoreUrl("https://[::1]:8471");
  EXPECT_TRUE(u.tls.enabled);
  EXPECT_EQ(u.port, "8471");
  EXPECT_FALSE(parseStoreUrl("http://store.example").tls.enabled);
}

TEST(StoreUrl, NonsenseIsRefusedWithAReason) {
  EXPECT_NE(parseStoreUrl("ftp://x").error.find("http://"), std::string::npos);
  EXPECT_NE(parseStoreUrl("https://:443").error.find("no host"), std::string::npos);
  EXPECT_NE(parseStoreUrl("http://:80").error.find("no host"), std::string::npos);
  EXPECT_NE(parseStoreUrl("http://h:99999").error.find("bad port"), std::string::npos);
  EXPECT_NE(parseStoreUrl("http://h:8x").error.find("bad port"), std::string::npos);
  EXPECT_NE(parseStoreUrl("http://user:pw@h").error.find("credentials"), std::string::npos);
}

TEST(StoreUrl, PathSegmentsArePercentEncoded) {
  EXPECT_EQ(encodePathSegment("abc-1.2_~"), "abc-1.2_~");
  EXPECT_EQ(encodePathSegment("a/b c?%"), "a%2Fb%20c%3F%25");
}

TEST(DecisionList, ReadsTheStoresReply) {
  const auto list = parseDecisionList(R"({"project":"shop","version":7,"decisions":[
    {"project":"shop","fingerprint":"98731a4b","status":"accepted_risk","reason":"VPN only","expires":"2027-03-01T00:00:00Z",
     "author":"alice","at":"2026-11-27T10:00:00.123Z","version":6,"pending":true,"approvedBy":null},
    {"project":"shop","fingerprint":"ffff","status":"open","reason":"","expires":null,"author":"bob",
     "at":"2026-11-27T10:00:01.000Z","version":7,"pending":false,"approvedBy":"sec"}]})");
  ASSERT_EQ(list.error, "");
  EXPECT_EQ(list.version, 7);
  ASSERT_EQ(list.decisions.size(), 2u);
  EXPECT_EQ(list.decisions[0].fingerprint, "98731a4b");
  EXPECT_EQ(list.decisions[0].decision.status, "accepted_risk");
  EXPECT_EQ(list.decisions[0].decision.expires, "2027-03-01T00:00:00Z");
  EXPECT_EQ(list.decisions[0].decision.author, "alice");
  EXPECT_TRUE(list.decisions[0].pending);
  EXPECT_EQ(list.decisions[1].decision.expires, "");
  EXPECT_EQ(list.decisions[1].approvedBy, "sec");
  EXPECT_EQ(list.decisions[1].version, 7);
}

TEST(DecisionList, BadRepliesNameThePath) {
  EXPECT_NE(parseDecisionList("not json").error.find("$"), std::string::npos);
  EXPECT_EQ(parseDecisionList(R"({"decisions":[]})").error, "$.version: expected an integer");
  EXPECT_EQ(parseDecisionList(R"({"version":1})").error, "$.decisions: expected an array");
  EXPECT_EQ(parseDecisionList(R"({"version":1,"decisions":[3]})").error, "$.decisions[0]: expected an object");
  EXPECT_EQ(parseDecisionList(R"({"version":1,"decisions":[{"fingerprint":"a","status":"ignored","version":1}]})").error,
            "$.decisions[0].status: unknown triage status 'ignored'");
  EXPECT_EQ(parseDecisionList(R"({"version":1,"decisions":[{"fingerprint":7,"status":"open","version":1}]})").error,
            "$.decisions[0].fingerprint: expected a string");
}

class SyncStateTest : public ::testing::Test {
 protected:
  SyncStateTest() {
    std::string tmpl = (fs::temp_directory_path() / "aspm-sync-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
  }
  ~SyncStateTest() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::shared_ptr<DecisionLog> open() { return std::shared_ptr<DecisionLog>(DecisionLog::open((dir_ / "triage.db").string()).value); }
  fs::path dir_;
};

TEST_F(SyncStateTest, VersionsAndTheLogIdSurviveReopening) {
  std::string id;
  {
    auto log = open();
    ASSERT_TRUE(log);
    EXPECT_EQ(log->syncVersion("http://a|shop"), 0);
    log->setSyncVersion("http://a|shop", 41);
    log->setSyncVersion("http://a|shop", 42);
    log->setSyncVersion("http://b|shop", 5);
    id = log->logId();
    EXPECT_EQ(id.size(), 32u);
    EXPECT_EQ(log->logId(), id);
  }
  auto log = open();
  EXPECT_EQ(log->syncVersion("http://a|shop"), 42);
  EXPECT_EQ(log->syncVersion("http://b|shop"), 5);
  EXPECT_EQ(log->logId(), id);
}

TEST_F(SyncStateTest, PulledDecisionsAreRecordedAsDeliveredInOneBatch) {
  auto log = open();
  ASSERT_TRUE(log);
  std::vector<std::pair<std::string, model::TriageDecision>> batch;
  for (int i = 0; i < 1000; ++i) batch.emplace_back("fp" + std::to_string(i), model::TriageDecision{"wont_fix", "r", "bob", "", ""});
  batch.emplace_back("bad", model::TriageDecision{"ignored", "", "", "", ""});
  const auto recorded = log->recordDelivered(batch);
  ASSERT_EQ(recorded.size(), batch.size());
  EXPECT_EQ(recorded[0].error, "");
  EXPECT_NE(recorded.back().error.find("unknown triage status"), std::string::npos);
  EXPECT_EQ(log->current().size(), 1000u);
  EXPECT_TRUE(log->outbox().empty()) << "pulled decisions are not pushed back";
}

TEST_F(SyncStateTest, AnUnusableConfigurationIsAnErrorStatusNotACrash) {
  auto log = open();
  ASSERT_TRUE(log);
  for (const auto& [config, expected] : std::vector<std::pair<SyncConfig, std::string>>{
           {{"ftp://store.example", "shop", "t"}, "must start with http:// or https://"},
           {{"http://127.0.0.1:1", "", "t"}, "no store project"},
           {{"http://127.0.0.1:1", "shop", ""}, "no store token"}}) {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<SyncStatus> got;
    SyncClient client(config, log, nullptr, [&](const SyncStatus& s) {
      std::lock_guard lock(mu);
      got = s;
      cv.notify_all();
    });
    client.start();
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return got.has_value(); }));
    EXPECT_EQ(got->state, SyncState::Error);
    EXPECT_NE(got->message.find(expected), std::string::npos) << got->message;
  }
}

TEST_F(SyncStateTest, AnUnreachableStoreIsOfflineWithTheQueueCounted) {
  auto log = open();
  ASSERT_TRUE(log);
  ASSERT_TRUE(log->record("fp", {"false_positive", "r", "me", "2026-11-27T00:00:00Z", ""}).error.empty());
  std::mutex mu;
  std::condition_variable cv;
  std::optional<SyncStatus> got;
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  SyncClient client({"http://127.0.0.1:1", "shop", "t"}, log, nullptr, [&](const SyncStatus& s) {
    std::lock_guard lock(mu);
    if (s.state == SyncState::Offline) got = s;
    cv.notify_all();
  });
  client.start();
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return got.has_value(); }));
  EXPECT_EQ(got->queued, 1u);
  EXPECT_NE(got->message.find("unreachable"), std::string::npos) << got->message;
  lock.unlock();
  client.stop();
  EXPECT_EQ(log->outbox().size(), 1u);
}

}  // namespace
}  // namespace aspm::store::client
