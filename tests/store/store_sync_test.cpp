// The store sync client with real processes: aspm-store on a loopback port and aspm-ls processes
// driven over stdio, each on its own copy of a workspace with the real bandit report of
// tests/example. A triage in one editor reaches the other's diagnostics; decisions made while the
// store is down are delivered once it starts (none lost, none twice, checked in the store's audit
// log); a bad token is an error status while the editor keeps serving. The sync client alone is
// checked for exactly-once delivery when a push is retried, and the workspace for the rule that
// an older store decision does not override an undelivered local one.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <mutex>
#include <set>

#include "engine/analysis.h"
#include "engine/workspace.h"
#include "processes.h"
#include "store/client/http_client.h"
#include "store/client/sync.h"

namespace aspm::testing {
namespace {

const fs::path kExample = fs::path(ASPM_SOURCE_DIR) / "tests" / "example";
constexpr const char* kFile = "src/py/report_worker.py";

class StoreSyncTest : public ::testing::Test {
 protected:
  StoreSyncTest() : dir_(makeTempDir("aspm-sync-test")) {}
  ~StoreSyncTest() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string db() const { return "sqlite:" + (dir_ / "store.db").string(); }

  // A workspace holding the example's Python code and its bandit report.
  fs::path workspace(const std::string& name) const {
    const fs::path root = dir_ / name;
    fs::create_directories(root / ".aspm");
    fs::copy(kExample / "src", root / "src", fs::copy_options::recursive);
    fs::copy_file(kExample / ".aspm" / "bandit.json", root / ".aspm" / "bandit.json");
    return root;
  }

  static json::value storeOptions(const std::string& url, const std::string& token) {
    return {{"store", {{"url", url}, {"project", "shop"}, {"token", token}}}};
  }

  static std::string uriOf(const fs::path& root) { return "file://" + (root / kFile).string(); }

  static std::set<std::string> findingIds(const json::object& publish) {
    std::set<std::string> out;
    for (const auto& d : publish.at("params").at("diagnostics").as_array())
      if (const auto* data = d.as_object().if_contains("data"))
        if (const auto* id = data->as_object().if_contains("findingId"); id && id->is_string())
          out.insert(std::string(id->get_string()));
    return out;
  }

  // The next diagnostics published for `uri` that satisfy `pred`.
  static std::optional<json::object> diagnostics(LspProcess& ls, const std::string& uri,
                                                 const std::function<bool(const std::set<std::string>&)>& pred,
                                                 std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    return ls.notification(
        "textDocument/publishDiagnostics",
        [&](const json::object& m) { return m.at("params").at("uri").as_string() == uri && pred(findingIds(m)); }, timeout);
  }

  static std::optional<json::object> storeStatus(LspProcess& ls, const std::string& state,
                                                 std::chrono::milliseconds timeout = std::chrono::seconds(30),
                                                 const std::function<bool(const json::object&)>& pred = nullptr) {
    return ls.notification(
        "aspm/storeStatus",
        [&](const json::object& m) {
          return m.at("params").at("state").as_string() == state && (!pred || pred(m.at("params").as_object()));
        },
        timeout);
  }

  static bool triage(LspProcess& ls, const std::string& id, const std::string& status, const std::string& reason) {
    const auto req = ls.request("workspace/executeCommand",
                                {{"command", "aspm.triage"},
                                 {"arguments", json::array{{{"findingId", id}, {"status", status}, {"reason", reason}}}}});
    const auto r = ls.response(req);
    return r && r->contains("result") && r->at("result").is_null();
  }

  // GET on the store with a token; the parsed body or null.
  static json::value get(int port, const std::string& token, const std::string& target) {
    store::client::HttpClient http("127.0.0.1", std::to_string(port), std::chrono::seconds(5));
    const auto res = http.request("GET", target, {{"Authorization", "Bearer " + token}});
    if (res.status != 200) return nullptr;
    boost::system::error_code ec;
    auto v = json::parse(res.body, ec);
    return ec ? json::value() : v;
  }

  fs::path dir_;
};

TEST_F(StoreSyncTest, ATeammatesTriageLeavesTheOtherEditorsDiagnostics) {
  const std::string alice = StoreServer::token(db(), "shop", "developer", "alice");
  const std::string bob = StoreServer::token(db(), "shop", "developer", "bob");
  ASSERT_FALSE(alice.empty());
  StoreServer store(db(), 0);
  ASSERT_GT(store.port(), 0);
  const fs::path ws1 = workspace("alice"), ws2 = workspace("bob");
  // The second editor takes its token from the environment.
  LspProcess ls1(dir_ / "alice.stderr"), ls2(dir_ / "bob.stderr", {"ASPM_TOKEN=" + bob});
  ASSERT_TRUE(ls1.start(ws1, storeOptions(store.url(), alice)));
  ASSERT_TRUE(ls2.start(ws2, {{"store", {{"url", store.url()}, {"project", "shop"}}}}));
  // The command to force a sync is offered when a store is configured.
  const auto& commands = ls1.initializeResult().at("capabilities").at("executeCommandProvider").at("commands").as_array();
  EXPECT_NE(std::find(commands.begin(), commands.end(), json::value("aspm.store.sync")), commands.end());

  auto before1 = diagnostics(ls1, uriOf(ws1), [](const auto& ids) { return !ids.empty(); });
  auto before2 = diagnostics(ls2, uriOf(ws2), [](const auto& ids) { return !ids.empty(); });
  ASSERT_TRUE(before1 && before2);
  const std::string fid = *findingIds(*before1).begin();
  ASSERT_TRUE(findingIds(*before2).contains(fid)) << "both copies of the workspace name the finding alike";
  ASSERT_TRUE(storeStatus(ls1, "synced"));
  ASSERT_TRUE(storeStatus(ls2, "synced"));

  const auto t0 = Clock::now();
  ASSERT_TRUE(triage(ls1, fid, "false_positive", "test fixture"));
  const auto after = diagnostics(ls2, uriOf(ws2), [&](const auto& ids) { return !ids.contains(fid); }, std::chrono::seconds(10));
  const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  ASSERT_TRUE(after) << "the other editor still shows the finding after 10 s";
  std::cout << "[ latency ] triage in one aspm-ls to diagnostics changed in the other: " << latency.count() << " ms\n";
  EXPECT_LT(latency.count(), 1000);
  EXPECT_TRUE(ls2.notification("aspm/findingsChanged"));

  // The other editor knows who decided, as the store recorded it.
  const auto req = ls2.request("aspm/findings", {{"query", ""}});
  const auto found = ls2.response(req);
  ASSERT_TRUE(found);
  bool seen = false;
  for (const auto& f : found->at("result").at("findings").as_array())
    if (f.at("id").as_string() == fid) {
      seen = true;
      EXPECT_EQ(f.at("state").as_string(), "triaged");
      EXPECT_EQ(f.at("triage").at("author").as_string(), "alice");
      EXPECT_EQ(f.at("triage").at("reason").as_string(), "test fixture");
    }
  EXPECT_TRUE(seen);

  // Reopened by the second editor: back in the first.
  ASSERT_TRUE(triage(ls2, fid, "open", "needs a real fix"));
  EXPECT_TRUE(diagnostics(ls1, uriOf(ws1), [&](const auto& ids) { return ids.contains(fid); }, std::chrono::seconds(10)));

  // The forced sync is accepted.
  const auto syncReq = ls1.request("workspace/executeCommand", {{"command", "aspm.store.sync"}});
  const auto syncReply = ls1.response(syncReq);
  ASSERT_TRUE(syncReply);
  EXPECT_TRUE(syncReply->contains("result")) << json::serialize(*syncReply);
}

TEST_F(StoreSyncTest, DecisionsMadeWhileTheStoreIsDownAreDeliveredOnceItStarts) {
  const std::string alice = StoreServer::token(db(), "shop", "developer", "alice");
  const std::string admin = StoreServer::token(db(), "shop", "admin", "admin");
  const int port = freePort();
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  const fs::path ws = workspace("alice");
  LspProcess ls(dir_ / "alice.stderr");
  ASSERT_TRUE(ls.start(ws, storeOptions(url, alice)));
  const auto offline = storeStatus(ls, "offline");
  ASSERT_TRUE(offline);
  EXPECT_NE(offline->at("params").at("message").as_string().find("unreachable"), json::string::npos);

  const auto diags = diagnostics(ls, uriOf(ws), [](const auto& ids) { return ids.size() >= 3; });
  ASSERT_TRUE(diags);
  const auto ids = findingIds(*diags);
  std::vector<std::string> three(ids.begin(), std::next(ids.begin(), 3));
  // Five decisions on three findings; the first finding changes its mind twice.
  ASSERT_TRUE(triage(ls, three[0], "false_positive", "generated code"));
  ASSERT_TRUE(triage(ls, three[1], "wont_fix", "being removed"));
  ASSERT_TRUE(triage(ls, three[0], "open", "not generated after all"));
  ASSERT_TRUE(triage(ls, three[2], "false_positive", "input is validated"));
  ASSERT_TRUE(triage(ls, three[0], "wont_fix", "third-party code"));
  EXPECT_TRUE(storeStatus(ls, "offline", std::chrono::seconds(30),
                          [](const json::object& p) { return p.at("queued").as_int64() == 5; }));

  StoreServer store(db(), port);
  ASSERT_EQ(store.port(), port);
  // No forced sync: the backoff retries on its own (at most 30 s apart).
  ASSERT_TRUE(storeStatus(ls, "synced", std::chrono::seconds(45),
                          [](const json::object& p) { return p.at("queued").as_int64() == 0; }));

  const json::value decisions = get(port, admin, "/v1/projects/shop/decisions?since=0");
  ASSERT_TRUE(decisions.is_object());
  std::map<std::string, std::string> status;
  for (const auto& d : decisions.at("decisions").as_array())
    status[std::string(d.at("fingerprint").as_string())] = std::string(d.at("status").as_string());
  EXPECT_EQ(status.size(), 3u);
  EXPECT_EQ(status[three[0]], "wont_fix");
  EXPECT_EQ(status[three[1]], "wont_fix");
  EXPECT_EQ(status[three[2]], "false_positive");

  // A forced round more pushes nothing again: the audit log holds each decision exactly once.
  const auto req = ls.request("workspace/executeCommand", {{"command", "aspm.store.sync"}});
  ASSERT_TRUE(ls.response(req));
  const json::value audit = get(port, admin, "/v1/projects/shop/audit?limit=1000");
  ASSERT_TRUE(audit.is_object());
  std::vector<std::string> trail;
  for (const auto& e : audit.at("entries").as_array())
    trail.push_back(std::string(e.at("fingerprint").as_string()) + " " + std::string(e.at("status").as_string()));
  const std::vector<std::string> expected = {three[0] + " false_positive", three[1] + " wont_fix", three[0] + " open",
                                             three[2] + " false_positive", three[0] + " wont_fix"};
  EXPECT_EQ(trail, expected);
}

TEST_F(StoreSyncTest, ABadTokenIsAnErrorStatusAndTheEditorKeepsServing) {
  const std::string admin = StoreServer::token(db(), "shop", "admin", "admin");
  StoreServer store(db(), 0);
  ASSERT_GT(store.port(), 0);
  const fs::path ws = workspace("mallory");
  LspProcess ls(dir_ / "mallory.stderr");
  ASSERT_TRUE(ls.start(ws, storeOptions(store.url(), "aspm_not-a-real-token")));
  const auto error = storeStatus(ls, "error");
  ASSERT_TRUE(error);
  EXPECT_NE(error->at("params").at("message").as_string().find("401"), json::string::npos)
      << json::serialize(error->at("params"));

  const auto diags = diagnostics(ls, uriOf(ws), [](const auto& ids) { return !ids.empty(); });
  ASSERT_TRUE(diags) << "diagnostics are served without the store";
  const std::string fid = *findingIds(*diags).begin();
  ASSERT_TRUE(triage(ls, fid, "false_positive", "local only"));
  EXPECT_TRUE(diagnostics(ls, uriOf(ws), [&](const auto& ids) { return !ids.contains(fid); }));
  EXPECT_TRUE(storeStatus(ls, "error", std::chrono::seconds(45),
                          [](const json::object& p) { return p.at("queued").as_int64() == 1; }));

  const json::value decisions = get(store.port(), admin, "/v1/projects/shop/decisions?since=0");
  ASSERT_TRUE(decisions.is_object());
  EXPECT_TRUE(decisions.at("decisions").as_array().empty());
  const json::value audit = get(store.port(), admin, "/v1/projects/shop/audit");
  ASSERT_TRUE(audit.is_object());
  EXPECT_TRUE(audit.at("entries").as_array().empty());

  // A renewed token in the settings restarts the sync, and the queued decision goes out.
  const std::string good = StoreServer::token(db(), "shop", "developer", "mallory");
  ls.notify("workspace/didChangeConfiguration", {{"settings", {{"aspm", storeOptions(store.url(), good)}}}});
  ASSERT_TRUE(storeStatus(ls, "synced", std::chrono::seconds(30),
                          [](const json::object& p) { return p.at("queued").as_int64() == 0; }));
  const json::value after = get(store.port(), admin, "/v1/projects/shop/decisions?since=0");
  ASSERT_TRUE(after.is_object());
  ASSERT_EQ(after.at("decisions").as_array().size(), 1u);
  EXPECT_EQ(after.at("decisions").as_array()[0].at("fingerprint").as_string(), fid);
}

// ---- The sync client and the workspace without an editor ------------------------------------------

class Statuses {
 public:
  void operator()(const store::client::SyncStatus& s) {
    std::lock_guard lock(mu_);
    last_ = s;
  }
  store::client::SyncStatus last() {
    std::lock_guard lock(mu_);
    return last_;
  }

 private:
  std::mutex mu_;
  store::client::SyncStatus last_;
};

TEST_F(StoreSyncTest, ARetriedPushIsAppliedOnce) {
  const std::string alice = StoreServer::token(db(), "shop", "developer", "alice");
  const std::string admin = StoreServer::token(db(), "shop", "admin", "admin");
  StoreServer store(db(), 0);
  ASSERT_GT(store.port(), 0);
  const std::string logPath = (dir_ / "triage.db").string();
  auto opened = store::client::DecisionLog::open(logPath);
  ASSERT_TRUE(opened.value);
  std::shared_ptr<store::client::DecisionLog> log = std::move(opened.value);
  ASSERT_TRUE(log->record("fp-1", {"false_positive", "fixture", "alice", "2026-11-27T00:00:00Z", ""}).error.empty());
  const store::client::SyncConfig config{store.url(), "shop", alice};
  {
    auto statuses = std::make_shared<Statuses>();
    store::client::SyncClient client(config, log, nullptr, [statuses](const auto& s) { (*statuses)(s); });
    client.start();
    ASSERT_TRUE(waitFor([&] { return statuses->last().state == store::client::SyncState::Synced; }, std::chrono::seconds(20)));
  }
  ASSERT_TRUE(log->outbox().empty());
  // As if the process died after the store took the row but before it was marked delivered.
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(logPath.c_str(), &raw), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(raw, "UPDATE decisions SET delivered = 0", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
  }
  ASSERT_EQ(log->outbox().size(), 1u);
  {
    auto statuses = std::make_shared<Statuses>();
    store::client::SyncClient client(config, log, nullptr, [statuses](const auto& s) { (*statuses)(s); });
    client.start();
    ASSERT_TRUE(waitFor([&] { return statuses->last().state == store::client::SyncState::Synced && log->outbox().empty(); },
                        std::chrono::seconds(20)));
  }
  const json::value audit = get(store.port(), admin, "/v1/projects/shop/audit");
  ASSERT_TRUE(audit.is_object());
  EXPECT_EQ(audit.at("entries").as_array().size(), 1u) << json::serialize(audit);
  // The version pulled so far is kept with the log.
  EXPECT_GE(log->syncVersion(store.url() + "|shop"), 1);
}

class QuietListener final : public engine::WorkspaceListener {
  void onLoadStarted(const std::string&, std::size_t) override {}
  void onLoadProgress(unsigned, const std::string&) override {}
  void onLoadFinished(const engine::LoadSummary&) override {}
  void onProblems(const support::Problems&) override {}
  void onFindingsChanged(const std::vector<std::string>&) override {}
};

model::StoredDecision stored(std::string fp, std::string status, std::string at) {
  model::StoredDecision d;
  d.project = "shop";
  d.fingerprint = std::move(fp);
  d.decision = {std::move(status), "from the store", "bob", std::move(at), ""};
  d.version = 1;
  return d;
}

TEST_F(StoreSyncTest, AnOlderStoreDecisionDoesNotOverrideAnUndeliveredLocalOne) {
  QuietListener listener;
  engine::WorkspaceOptions options;
  options.root = (dir_ / "ws").string();
  options.triageLog = (dir_ / "ws" / ".aspm" / "triage.db").string();
  engine::Workspace ws(options, listener);
  ASSERT_TRUE(ws.recordTriage("fp-1", {"false_positive", "mine", "alice", "", ""}).error.empty());

  ws.installStoreDecisions({stored("fp-1", "open", "2000-01-01T00:00:00.000Z"), stored("fp-2", "wont_fix", "2000-01-01T00:00:00.000Z")});
  ASSERT_EQ(ws.triageHistory("fp-1").size(), 1u) << "the older store decision is not installed";
  EXPECT_EQ(ws.snapshot()->triage->at("fp-1").status, "false_positive");
  ASSERT_EQ(ws.triageHistory("fp-2").size(), 1u);
  EXPECT_EQ(ws.snapshot()->triage->at("fp-2").status, "wont_fix");

  // The same decision again (a re-pull, or our own push coming back) adds nothing.
  ws.installStoreDecisions({stored("fp-2", "wont_fix", "2000-01-01T00:00:00.000Z")});
  EXPECT_EQ(ws.triageHistory("fp-2").size(), 1u);

  // A teammate's decision made after the local one is installed.
  ws.installStoreDecisions({stored("fp-1", "open", "2999-01-01T00:00:00.000Z")});
  EXPECT_EQ(ws.snapshot()->triage->at("fp-1").status, "open");
  EXPECT_EQ(ws.triageHistory("fp-1").size(), 2u);
}

// The client's share of a fresh sync of a large project: the store's reply parsed and every
// decision recorded and published. The time is printed; the store's side is its own benchmark.
TEST_F(StoreSyncTest, AFreshClientTakesInAHundredThousandDecisions) {
  constexpr int kCount = 100'000;
  std::string body = R"({"project":"shop","version":)" + std::to_string(kCount) + R"(,"decisions":[)";
  for (int i = 0; i < kCount; ++i) {
    if (i) body += ',';
    body += R"({"project":"shop","fingerprint":"fp)" + std::to_string(i) +
            R"(","status":"false_positive","reason":"bulk","expires":null,"author":"bob","at":"2026-11-27T00:00:00.000Z","version":)" +
            std::to_string(i + 1) + R"(,"pending":false,"approvedBy":null})";
  }
  body += "]}";
  QuietListener listener;
  engine::WorkspaceOptions options;
  options.root = (dir_ / "ws").string();
  engine::Workspace ws(options, listener);
  const auto t0 = Clock::now();
  const auto list = store::client::parseDecisionList(body);
  ASSERT_EQ(list.error, "");
  const auto t1 = Clock::now();
  ws.installStoreDecisions(list.decisions);
  const auto t2 = Clock::now();
  const auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  std::cout << "[ fresh sync ] " << kCount << " decisions (" << body.size() / 1024 << " KiB): parsed in " << ms(t1 - t0)
            << " ms, recorded and published in " << ms(t2 - t1) << " ms\n";
  EXPECT_EQ(ws.snapshot()->triage->size(), static_cast<std::size_t>(kCount));
}

}  // namespace
}  // namespace aspm::testing

namespace aspm::testing {
namespace {

// A CI gate (engine::analyze, what `aspm gate --store … --project …` runs) applies the team's
// decisions read once from the real store: a false positive there is triaged in the analysis,
// a decision still pending approval is not, and a wrong token is a warning, not a failure.
TEST_F(StoreSyncTest, ABatchAnalysisAppliesTheTeamsDecisionsFromTheStore) {
  const std::string sec = StoreServer::token(db(), "shop", "security", "sec");
  const std::string dev = StoreServer::token(db(), "shop", "developer", "dev");
  StoreServer store(db(), 0);
  ASSERT_GT(store.port(), 0);
  const fs::path ws = workspace("ci");
  engine::AnalysisOptions options;
  options.repoRoot = ws.string();
  options.discoverAssets = false;
  auto first = engine::analyze(options);
  ASSERT_GE(first.findings.size(), 2u);
  const std::string fp = first.findings[0].id;
  const std::string other = first.findings[1].id;

  auto put = [&](const std::string& token, const std::string& id, const std::string& body) {
    store::client::HttpClient http("127.0.0.1", std::to_string(store.port()), std::chrono::seconds(5));
    return http.request("PUT", "/v1/projects/shop/decisions/" + id,
                        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}}, body).status;
  };
  ASSERT_EQ(put(sec, fp, R"({"status":"false_positive","reason":"constant input"})"), 200);
  ASSERT_EQ(put(dev, other, R"({"status":"accepted_risk","reason":"later","expires":"2999-01-01T00:00:00Z"})"), 200);

  options.storeUrl = store.url();
  options.storeProject = "shop";
  options.storeToken = sec;
  auto withStore = engine::analyze(options);
  auto byId = [&](const engine::Analysis& a, const std::string& id) -> const model::Finding* {
    for (const auto& f : a.findings)
      if (f.id == id) return &f;
    return nullptr;
  };
  const model::Finding* triaged = byId(withStore, fp);
  ASSERT_NE(triaged, nullptr);
  ASSERT_TRUE(triaged->triage);
  EXPECT_EQ(triaged->triage->status, "false_positive");
  EXPECT_EQ(triaged->triage->author, "sec");
  EXPECT_EQ(triaged->state, model::FindingState::Triaged);
  const model::Finding* pending = byId(withStore, other);
  ASSERT_NE(pending, nullptr);
  EXPECT_FALSE(pending->triage) << "a developer's accepted risk awaits approval";

  options.storeToken = "not-a-token";
  auto refused = engine::analyze(options);
  ASSERT_NE(byId(refused, fp), nullptr);
  EXPECT_FALSE(byId(refused, fp)->triage);
  bool warned = false;
  for (const auto& p : refused.problems)
    warned = warned || (p.severity == support::ProblemSeverity::Warning && p.message.find("401") != std::string::npos);
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace aspm::testing
