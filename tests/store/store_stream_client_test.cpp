// The sync client's event stream without an editor: the text/event-stream parser against
// arbitrary splits and line endings; a SyncClient listening to a real aspm-store receives a
// teammate's write well within a second, resumes after the store restarts (Last-Event-ID, nothing
// missed), and reopens a stream that went silent; and against a store without the events route
// (an older server: a small HTTP responder on a loopback socket that answers 404 there) it falls
// back to polling. Every wait is on a condition with a deadline.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/client/decision_log.h"
#include "store/client/event_stream.h"
#include "store/client/http_client.h"
#include "store/client/sync.h"

namespace {
namespace fs = std::filesystem;
namespace client = aspm::store::client;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

const std::string kBinary = std::string(ASPM_BIN_DIR) + "/aspm-store";

bool waitFor(const std::function<bool()>& cond, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!cond()) {
    if (Clock::now() > deadline) return false;
    pollfd none{-1, 0, 0};
    poll(&none, 0, 5);  // a short pause between checks, not a wait for the condition
  }
  return true;
}

fs::path makeTempDir() {
  std::string tmpl = (fs::temp_directory_path() / "aspm-stream-client-XXXXXX").string();
  return mkdtemp(tmpl.data()) ? fs::path(tmpl) : fs::path("/tmp");
}

int freePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

std::string run(const std::string& cmd) {
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {};
  std::string out;
  char buf[256];
  while (fgets(buf, sizeof buf, p)) out += buf;
  pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

class StoreProcess {
 public:
  StoreProcess(const std::string& db, int port, std::vector<std::string> extra = {}) {
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<std::string> args = {kBinary, "serve", "--db", db, "--listen", "127.0.0.1:" + std::to_string(port)};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(kBinary.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    std::string line;
    const auto deadline = Clock::now() + 20s;
    while (line.find('\n') == std::string::npos && Clock::now() < deadline) {
      pollfd p{out[0], POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char c[128];
      const auto n = ::read(out[0], c, sizeof c);
      if (n <= 0) break;
      line.append(c, static_cast<std::size_t>(n));
    }
    close(out[0]);
    const auto colon = line.rfind(':');
    if (line.starts_with("listening on ") && colon != std::string::npos) port_ = std::atoi(line.c_str() + colon + 1);
  }
  ~StoreProcess() { stop(); }
  StoreProcess(const StoreProcess&) = delete;
  StoreProcess& operator=(const StoreProcess&) = delete;
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void signal(int sig) const { kill(pid_, sig); }
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGCONT);
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// What the client installed, oldest first.
class Installed {
 public:
  void operator()(const std::vector<aspm::model::StoredDecision>& ds) {
    std::lock_guard lock(mu_);
    for (const auto& d : ds) {
      fingerprints_.push_back(d.fingerprint);
      at_.push_back(Clock::now());
    }
  }
  bool has(const std::string& fp) {
    std::lock_guard lock(mu_);
    return std::find(fingerprints_.begin(), fingerprints_.end(), fp) != fingerprints_.end();
  }
  Clock::time_point when(const std::string& fp) {
    std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < fingerprints_.size(); ++i)
      if (fingerprints_[i] == fp) return at_[i];
    return {};
  }
  std::vector<std::string> all() {
    std::lock_guard lock(mu_);
    return fingerprints_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> fingerprints_;
  std::vector<Clock::time_point> at_;
};

// ---- The parser ---------------------------------------------------------------------------------

TEST(SseParser, EventsSurviveAnySplitAndAnyLineEnding) {
  const std::string text =
      "\xEF\xBB\xBF: hello\r\n"
      "id: 1\r\nevent: decision\r\ndata: {\"a\":1}\r\n\r\n"
      ": keep-alive\n\n"
      "id: 2\revent: decision\rdata: first\rdata: second\r\r"
      "event: other\n\n"        // no data: not an event
      "data:no space\nunknown: x\n\n"
      "id: 3\ndata";             // incomplete: nothing yet
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    client::SseParser parser;
    std::vector<client::SseEvent> out;
    parser.feed(std::string_view(text).substr(0, cut), out);
    parser.feed(std::string_view(text).substr(cut), out);
    ASSERT_EQ(out.size(), 3u) << "split at " << cut;
    EXPECT_EQ(out[0].id, "1");
    EXPECT_EQ(out[0].type, "decision");
    EXPECT_EQ(out[0].data, "{\"a\":1}");
    EXPECT_EQ(out[1].id, "2");
    EXPECT_EQ(out[1].data, "first\nsecond");
    EXPECT_EQ(out[2].id, "2") << "the last id carries over, as in browsers";
    EXPECT_EQ(out[2].type, "message");
    EXPECT_EQ(out[2].data, "no space");
    EXPECT_EQ(parser.comments(), 2u);
  }
}

TEST(SseParser, ADecisionEventIsReadLikeAListItem) {
  const auto ok = client::parseDecisionEvent(
      R"({"project":"shop","fingerprint":"fp","status":"wont_fix","reason":"r","expires":null,"author":"bob",)"
      R"("at":"2026-11-27T00:00:00.000Z","version":7,"pending":true,"approvedBy":null})");
  ASSERT_TRUE(ok.decision) << ok.error;
  EXPECT_EQ(ok.decision->project, "shop");
  EXPECT_EQ(ok.decision->version, 7);
  EXPECT_TRUE(ok.decision->pending);
  const auto bad = client::parseDecisionEvent(R"({"fingerprint":"fp","status":"maybe","version":1})");
  EXPECT_FALSE(bad.decision);
  EXPECT_EQ(bad.error, "$.status: unknown triage status 'maybe'");
  EXPECT_FALSE(client::parseDecisionEvent("{").decision);
}

// ---- A SyncClient on a real store ---------------------------------------------------------------

class StreamClient : public ::testing::Test {
 protected:
  StreamClient() : dir_(makeTempDir()) {}
  ~StreamClient() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string db() const { return "sqlite:" + (dir_ / "store.db").string(); }
  std::string token(const std::string& role, const std::string& name) const {
    return run("'" + kBinary + "' token create --db '" + db() + "' --project shop --role " + role + " --name " + name);
  }
  std::shared_ptr<client::DecisionLog> log(const std::string& name) const {
    auto opened = client::DecisionLog::open((dir_ / (name + ".db")).string());
    return std::move(opened.value);
  }
  static int put(int port, const std::string& tok, const std::string& fp, const std::string& status) {
    client::HttpClient http("127.0.0.1", std::to_string(port), 5s);
    return http
        .request("PUT", "/v1/projects/shop/decisions/" + fp, {{"Authorization", "Bearer " + tok}},
                 "{\"status\":\"" + status + "\"}")
        .status;
  }
  fs::path dir_;
};

TEST_F(StreamClient, ATeammatesWriteArrivesWellWithinASecondAndSurvivesARestart) {
  const std::string alice = token("developer", "alice");
  const std::string bob = token("developer", "bob");
  const int port = freePort();
  auto store = std::make_unique<StoreProcess>(db(), port);
  ASSERT_EQ(store->port(), port);
  ASSERT_EQ(put(port, bob, "before", "fixed"), 200);

  auto installed = std::make_shared<Installed>();
  auto bobLog = log("bob");
  client::SyncConfig config{store->url(), "shop", alice};
  config.interval = 10s;  // a poll would come far too late: only the stream can pass this test
  client::SyncClient sync(config, log("alice"), [installed](const auto& ds) { (*installed)(ds); }, nullptr);
  sync.start();
  ASSERT_TRUE(waitFor([&] { return sync.listening(); }, 10s)) << "the stream did not open";
  EXPECT_TRUE(installed->has("before")) << "the initial pull";

  std::vector<long> latencies;
  for (int i = 0; i < 5; ++i) {
    const std::string fp = "live-" + std::to_string(i);
    const auto t0 = Clock::now();
    ASSERT_EQ(put(port, bob, fp, "false_positive"), 200);
    ASSERT_TRUE(waitFor([&] { return installed->has(fp); }, 5s)) << fp << " did not arrive";
    latencies.push_back(std::chrono::duration_cast<std::chrono::microseconds>(installed->when(fp) - t0).count());
  }
  std::cout << "[ latency ] teammate write to install through the stream (us):";
  for (auto l : latencies) std::cout << " " << l;
  std::cout << "\n";
  for (auto l : latencies) EXPECT_LT(l, 1'000'000);

  // The store goes away and comes back; a write lands before the client reconnects. It arrives
  // (Last-Event-ID from the version seen), and nothing arrives twice.
  store.reset();
  ASSERT_TRUE(waitFor([&] { return !sync.listening(); }, 10s));
  store = std::make_unique<StoreProcess>(db(), port);
  ASSERT_EQ(store->port(), port);
  ASSERT_EQ(put(port, bob, "while-away", "wont_fix"), 200);
  ASSERT_TRUE(waitFor([&] { return installed->has("while-away"); }, 20s));
  ASSERT_TRUE(waitFor([&] { return sync.listening(); }, 10s));
  ASSERT_EQ(put(port, bob, "after", "fixed"), 200);
  ASSERT_TRUE(waitFor([&] { return installed->has("after"); }, 5s));
  const auto all = installed->all();
  EXPECT_EQ(all, (std::vector<std::string>{"before", "live-0", "live-1", "live-2", "live-3", "live-4", "while-away", "after"}));
}

TEST_F(StreamClient, ASilentStreamIsReopened) {
  const std::string alice = token("developer", "alice");
  const std::string bob = token("developer", "bob");
  StoreProcess store(db(), 0, {"--heartbeat-ms", "50"});
  ASSERT_GT(store.port(), 0);
  auto installed = std::make_shared<Installed>();
  client::SyncConfig config{store.url(), "shop", alice};
  config.interval = 100ms;
  config.requestTimeout = 500ms;
  config.streamIdleTimeout = 400ms;  // eight heartbeats
  client::SyncClient sync(config, log("alice"), [installed](const auto& ds) { (*installed)(ds); }, nullptr);
  sync.start();
  ASSERT_TRUE(waitFor([&] { return sync.listening(); }, 10s));
  // Heartbeats keep an idle stream open well past the idle timeout.
  const auto t0 = Clock::now();
  ASSERT_TRUE(waitFor([&] { return Clock::now() - t0 > 1500ms || !sync.listening(); }, 5s));
  EXPECT_TRUE(sync.listening()) << "closed although heartbeats were arriving";
  // A frozen store sends nothing: the client gives the stream up.
  store.signal(SIGSTOP);
  EXPECT_TRUE(waitFor([&] { return !sync.listening(); }, 10s)) << "a silent stream was kept";
  store.signal(SIGCONT);
  ASSERT_TRUE(waitFor([&] { return sync.listening(); }, 20s)) << "not reopened after the store woke up";
  ASSERT_EQ(put(store.port(), bob, "after-freeze", "fixed"), 200);
  EXPECT_TRUE(waitFor([&] { return installed->has("after-freeze"); }, 5s));
}

// An older store: the decisions route only. Each connection gets one answer and is closed.
class OlderStore {
 public:
  OlderStore() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(fd_, 16);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~OlderStore() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  OlderStore(const OlderStore&) = delete;
  OlderStore& operator=(const OlderStore&) = delete;
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void add(const std::string& fp) {
    std::lock_guard lock(mu_);
    ++version_;
    items_ += std::string(items_.empty() ? "" : ",") + R"({"project":"shop","fingerprint":")" + fp +
              R"(","status":"fixed","reason":"","expires":null,"author":"bob","at":"2026-11-27T00:00:00.000Z","version":)" +
              std::to_string(version_) + R"(,"pending":false,"approvedBy":null})";
  }
  int eventRequests() const { return events_; }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      const int c = accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      std::string req;
      char buf[4096];
      while (req.find("\r\n\r\n") == std::string::npos) {
        pollfd q{c, POLLIN, 0};
        if (poll(&q, 1, 2000) <= 0) break;
        const auto n = recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        req.append(buf, static_cast<std::size_t>(n));
      }
      int status = 200;
      std::string body;
      if (req.starts_with("GET /v1/projects/shop/events")) {
        ++events_;
        status = 404;
        body = R"({"error":"no such resource"})";
      } else if (req.starts_with("GET /v1/projects/shop/decisions")) {
        // Everything, every time: the client skips what it holds.
        std::lock_guard lock(mu_);
        body = R"({"project":"shop","version":)" + std::to_string(version_) + R"(,"decisions":[)" + items_ + "]}";
      } else {
        status = 404;
        body = R"({"error":"no such resource"})";
      }
      const std::string reply = "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : " Not Found") +
                                "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body;
      send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
      close(c);
    }
  }
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> events_{0};
  std::thread thread_;
  std::mutex mu_;
  std::int64_t version_ = 0;
  std::string items_;
};

TEST_F(StreamClient, AStoreWithoutTheStreamIsPolled) {
  OlderStore older;
  older.add("old-1");
  auto installed = std::make_shared<Installed>();
  std::atomic<int> synced{0};
  client::SyncConfig config{older.url(), "shop", "aspm_any"};
  config.interval = 50ms;
  client::SyncClient sync(config, log("alice"), [installed](const auto& ds) { (*installed)(ds); },
                          [&synced](const client::SyncStatus& s) {
                            if (s.state == client::SyncState::Synced) ++synced;
                          });
  sync.start();
  ASSERT_TRUE(waitFor([&] { return installed->has("old-1"); }, 10s));
  older.add("old-2");
  ASSERT_TRUE(waitFor([&] { return installed->has("old-2"); }, 10s)) << "not polled";
  EXPECT_FALSE(sync.listening());
  EXPECT_EQ(older.eventRequests(), 1) << "the stream is asked for once, then the client polls";
  EXPECT_GE(synced.load(), 1);
}

}  // namespace
