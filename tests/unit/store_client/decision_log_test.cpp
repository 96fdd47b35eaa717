// The local triage log on real SQLite files: decisions survive reopening, history keeps every
// decision in order, the outbox holds exactly what the store has not taken yet, and bad input or
// an unusable path is a clear error rather than a crash.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/client/decision_log.h"

namespace aspm::store::client {
namespace {
namespace fs = std::filesystem;

class DecisionLogTest : public ::testing::Test {
 protected:
  DecisionLogTest() {
    std::string tmpl = (fs::temp_directory_path() / "aspm-triage-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
  }
  ~DecisionLogTest() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::unique_ptr<DecisionLog> open() {
    auto r = DecisionLog::open((dir_ / ".aspm" / "triage.db").string());
    EXPECT_TRUE(r.problems.empty());
    return std::move(r.value);
  }
  static model::TriageDecision decision(std::string status, std::string reason, std::string at) {
    return {std::move(status), std::move(reason), "dev@example.com", std::move(at), ""};
  }
  fs::path dir_;
};

TEST_F(DecisionLogTest, DecisionsSurviveReopeningAndTheNewestIsCurrent) {
  {
    auto log = open();
    ASSERT_TRUE(log);
    EXPECT_TRUE(log->record("aaaa", decision("false_positive", "test fixture", "2026-11-01T10:00:00Z")).error.empty());
    EXPECT_TRUE(log->record("bbbb", decision("wont_fix", "legacy", "2026-11-01T10:01:00Z")).error.empty());
    EXPECT_TRUE(log->record("aaaa", decision("open", "it is real after all", "2026-11-02T09:00:00Z")).error.empty());
  }
  auto log = open();
  ASSERT_TRUE(log);
  const auto current = log->current();
  ASSERT_EQ(current.size(), 2u);
  EXPECT_EQ(current.at("aaaa").status, "open");
  EXPECT_EQ(current.at("aaaa").reason, "it is real after all");
  EXPECT_EQ(current.at("bbbb").status, "wont_fix");
  const auto history = log->history("aaaa");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].decision.status, "false_positive");
  EXPECT_EQ(history[1].decision.status, "open");
  EXPECT_LT(history[0].seq, history[1].seq);
}

TEST_F(DecisionLogTest, TheOutboxHoldsWhatTheStoreHasNotTaken) {
  auto log = open();
  ASSERT_TRUE(log);
  const auto a = log->record("aaaa", decision("accepted_risk", "compensating control", "2026-11-01T10:00:00Z"));
  const auto b = log->record("bbbb", decision("false_positive", "dead code", "2026-11-01T10:01:00Z"));
  log->recordDelivered("cccc", decision("wont_fix", "from a teammate", "2026-11-01T10:02:00Z"));
  auto outbox = log->outbox();
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_EQ(outbox[0].seq, a.seq);
  EXPECT_EQ(outbox[1].seq, b.seq);
  log->markDelivered({a.seq});
  outbox = log->outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].fingerprint, "bbbb");
  EXPECT_EQ(log->current().size(), 3u);
}

TEST_F(DecisionLogTest, BadDecisionsAreRefusedWithAReason) {
  auto log = open();
  ASSERT_TRUE(log);
  const auto r = log->record("aaaa", decision("ignored", "", "2026-11-01T10:00:00Z"));
  EXPECT_EQ(r.seq, 0);
  EXPECT_NE(r.error.find("unknown triage status 'ignored'"), std::string::npos);
  EXPECT_FALSE(log->record("", decision("open", "", "")).error.empty());
  EXPECT_TRUE(log->current().empty());
}

TEST_F(DecisionLogTest, AnUnusablePathIsAProblemNamingTheFile) {
  const fs::path blocker = dir_ / "file";
  { std::FILE* f = std::fopen(blocker.c_str(), "w"); ASSERT_TRUE(f); std::fclose(f); }
  const std::string path = (blocker / "triage.db").string();  // a folder that is a file
  auto r = DecisionLog::open(path);
  EXPECT_FALSE(r.value);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].file, path);
  EXPECT_NE(r.problems[0].message.find("triage log"), std::string::npos);
}

TEST_F(DecisionLogTest, TwoHandlesOnOneFileSeeEachOthersDecisions) {
  auto first = open();
  auto second = open();
  ASSERT_TRUE(first && second);
  first->record("aaaa", decision("false_positive", "one", "2026-11-01T10:00:00Z"));
  second->record("aaaa", decision("open", "two", "2026-11-01T10:00:01Z"));
  EXPECT_EQ(first->current().at("aaaa").reason, "two");
  EXPECT_EQ(first->history("aaaa").size(), 2u);
}

}  // namespace
}  // namespace aspm::store::client
