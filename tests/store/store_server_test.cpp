// Drives the real aspm-store binary over HTTP on 127.0.0.1: the server is started on port 0,
// its "listening on" line gives the port, and /healthz is polled with a deadline. Tokens are
// made with the real `aspm-store token create`. The database is SQLite in a temporary directory
// unless ASPM_STORE_TEST_DB names another (with-postgres.sh sets a postgresql:// URL).
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <string>
#include <vector>

namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const std::string kBinary = std::string(ASPM_BIN_DIR) + "/aspm-store";

fs::path tempDir() {
  static const fs::path dir = [] {
    std::string tmpl = (fs::temp_directory_path() / "aspm-store-test-XXXXXX").string();
    return fs::path(mkdtemp(tmpl.data()) ? tmpl : std::string("/tmp"));
  }();
  return dir;
}

// Removes the temporary databases when the test binary exits.
// Creating the directory in the constructor orders its destruction after this object's.
struct TempDirCleanup {
  TempDirCleanup() { tempDir(); }
  ~TempDirCleanup() {
    std::error_code ec;
    if (tempDir() != "/tmp") fs::remove_all(tempDir(), ec);
  }
} const kCleanup;

std::string dbUrl(const std::string& name) {
  if (const char* env = std::getenv("ASPM_STORE_TEST_DB"); env && *env) return env;
  return "sqlite:" + (tempDir() / (name + ".db")).string();
}

// Runs a command and returns its stdout; fails the test on a non-zero exit.
std::string run(const std::vector<std::string>& args) {
  std::string cmd;
  for (const auto& a : args) cmd += "'" + a + "' ";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {};
  std::string out;
  char buf[256];
  while (fgets(buf, sizeof buf, p)) out += buf;
  EXPECT_EQ(pclose(p), 0) << cmd;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string token(const std::string& url, const std::string& project, const std::string& role,
                  const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {kBinary, "token", "create", "--db", url, "--project", project, "--role", role,
                                   "--name", role + "-user"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run(args);
}

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// A tiny HTTP/1.1 client on a plain socket: enough to send exact bytes (oversized headers,
// keep-alive) that a library would normalise away.
class Connection {
 public:
  explicit Connection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~Connection() {
    if (fd_ >= 0) close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  bool ok() const { return fd_ >= 0; }

  bool sendRaw(const std::string& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
      const auto n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  }

  std::optional<Response> read(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = Clock::now() + timeout;
    std::size_t headerEnd;
    while ((headerEnd = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!fill(deadline)) return std::nullopt;
    Response r;
    const std::string head = buf_.substr(0, headerEnd);
    if (head.size() < 12) return std::nullopt;
    r.status = std::atoi(head.substr(9, 3).c_str());
    std::size_t pos = head.find("\r\n");
    while (pos != std::string::npos && pos < head.size()) {
      const auto next = head.find("\r\n", pos + 2);
      const std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      const auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
      }
      pos = next;
    }
    const std::size_t length = std::stoul(r.headers.count("content-length") ? r.headers["content-length"] : "0");
    while (buf_.size() < headerEnd + 4 + length)
      if (!fill(deadline)) return std::nullopt;
    r.body = buf_.substr(headerEnd + 4, length);
    buf_.erase(0, headerEnd + 4 + length);
    return r;
  }

  std::optional<Response> request(const std::string& method, const std::string& target, const std::string& tok,
                                  const std::string& body = {}, const std::map<std::string, std::string>& headers = {}) {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!tok.empty()) req += "Authorization: Bearer " + tok + "\r\n";
    for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
    if (!body.empty() || method == "PUT" || method == "POST")
      req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    req += "\r\n" + body;
    if (!sendRaw(req)) return std::nullopt;
    return read();
  }

 private:
  bool fill(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) return false;
    char chunk[4096];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
  int fd_ = -1;
  std::string buf_;
};

class StoreProcess {
 public:
  StoreProcess(const std::string& url, std::vector<std::string> extra = {}) {
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<std::string> args = {kBinary, "serve", "--db", url, "--listen", "127.0.0.1:0"};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(kBinary.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    stdout_ = out[0];
    // The first stdout line is "listening on 127.0.0.1:PORT".
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    std::string line;
    while (line.find('\n') == std::string::npos && Clock::now() < deadline) {
      pollfd p{stdout_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char c[128];
      const auto n = ::read(stdout_, c, sizeof c);
      if (n <= 0) break;
      line.append(c, static_cast<std::size_t>(n));
    }
    const auto colon = line.rfind(':');
    if (line.starts_with("listening on ") && colon != std::string::npos) port_ = std::atoi(line.c_str() + colon + 1);
  }
  ~StoreProcess() { stop(); }
  StoreProcess(const StoreProcess&) = delete;
  StoreProcess& operator=(const StoreProcess&) = delete;

  int port() const { return port_; }

  bool waitHealthy() {
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    while (Clock::now() < deadline && port_ > 0) {
      Connection c(port_);
      if (c.ok()) {
        const auto r = c.request("GET", "/healthz", "");
        if (r && r->status == 200) return true;
      }
      pollfd none{-1, 0, 0};
      poll(&none, 0, 50);  // back off between connection attempts while the server starts
    }
    return false;
  }

  // SIGKILL: no shutdown code runs, as in a power cut of the process.
  void kill9() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (stdout_ >= 0) close(stdout_);
    stdout_ = -1;
  }

  // SIGTERM and wait; returns the exit status (or -1).
  int stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (stdout_ >= 0) close(stdout_);
    stdout_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  int port_ = 0;
};

class StoreServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    url_ = new std::string(dbUrl("shared"));
    server_ = new StoreProcess(*url_, {"--max-body", "4096"});
    ASSERT_GT(server_->port(), 0) << "aspm-store did not print its address";
    ASSERT_TRUE(server_->waitHealthy());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete url_;
  }
  // Each test works in its own project so tests do not see each other's decisions.
  std::string project() const {
    return std::string("p-") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  std::optional<Response> call(const std::string& method, const std::string& target, const std::string& tok,
                               const std::string& body = {}, const std::map<std::string, std::string>& headers = {}) {
    Connection c(server_->port());
    return c.request(method, target, tok, body, headers);
  }
  std::string path(const std::string& rest) const { return "/v1/projects/" + project() + rest; }

  static std::string* url_;
  static StoreProcess* server_;
};
std::string* StoreServer::url_ = nullptr;
StoreProcess* StoreServer::server_ = nullptr;

TEST_F(StoreServer, RefusesMissingInvalidExpiredAndForeignTokens) {
  const auto dev = token(*url_, project(), "developer");
  const auto expired = token(*url_, project(), "admin", {"--expires-at", "1"});
  const auto foreign = token(*url_, project() + "-other", "admin");
  const std::string body = R"({"status":"false_positive"})";
  for (const auto& [tok, want] : std::vector<std::pair<std::string, int>>{
           {"", 401}, {"aspm_0000", 401}, {expired, 401}, {foreign, 403}}) {
    for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
             {"GET", path("/decisions")}, {"PUT", path("/decisions/fp1")}, {"GET", path("/audit")},
             {"POST", path("/decisions/fp1/approve")}}) {
      const auto r = call(method, target, tok, method == "PUT" ? body : "");
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, want) << method << " " << target << " token '" << tok << "'";
      EXPECT_NE(r->body.find("\"error\""), std::string::npos) << r->body;
    }
  }
  const auto r = call("GET", path("/decisions"), dev);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("\"decisions\":[]"), std::string::npos) << "a refused write was stored: " << r->body;
}

TEST_F(StoreServer, DecisionRoundTripAndSince) {
  const auto tok = token(*url_, project(), "security");
  auto r = call("PUT", path("/decisions/abc123"), tok, R"({"status":"false_positive","reason":"test code"})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->headers["etag"], "\"1\"");
  r = call("PUT", path("/decisions/def456"), tok, R"({"status":"wont_fix","expires":"2030-01-01T00:00:00Z"})");
  ASSERT_EQ(r->status, 200) << r->body;
  r = call("GET", path("/decisions?since=0"), tok);
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("\"version\":2"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("\"reason\":\"test code\""), std::string::npos);
  EXPECT_NE(r->body.find("\"expires\":\"2030-01-01T00:00:00Z\""), std::string::npos);
  r = call("GET", path("/decisions?since=1"), tok);
  EXPECT_EQ(r->body.find("abc123"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("def456"), std::string::npos);
  r = call("GET", path("/decisions/abc123"), tok);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("\"author\":\"security-user\""), std::string::npos) << r->body;
  EXPECT_EQ(call("GET", path("/decisions/nope"), tok)->status, 404);
}

TEST_F(StoreServer, StaleIfMatchIsAConflictWithTheCurrentValue) {
  const auto tok = token(*url_, project(), "admin");
  ASSERT_EQ(call("PUT", path("/decisions/fp"), tok, R"({"status":"false_positive"})", {{"If-Match", "\"0\""}})->status,
            200);
  ASSERT_EQ(call("PUT", path("/decisions/fp"), tok, R"({"status":"fixed"})", {{"If-Match", "\"1\""}})->status, 200);
  const auto r = call("PUT", path("/decisions/fp"), tok, R"({"status":"wont_fix"})", {{"If-Match", "\"1\""}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 409);
  EXPECT_NE(r->body.find("\"current\":{"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("\"status\":\"fixed\""), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("\"version\":2"), std::string::npos);
}

TEST_F(StoreServer, RetriedWriteWithTheSameIdempotencyKeyAppliesOnce) {
  const auto tok = token(*url_, project(), "developer");
  const std::map<std::string, std::string> key = {{"Idempotency-Key", "op-42"}};
  auto first = call("PUT", path("/decisions/fp"), tok, R"({"status":"false_positive"})", key);
  auto retry = call("PUT", path("/decisions/fp"), tok, R"({"status":"false_positive"})", key);
  ASSERT_TRUE(first && retry);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(retry->status, 200);
  EXPECT_EQ(first->headers["etag"], retry->headers["etag"]);
  EXPECT_EQ(retry->headers["idempotent-replayed"], "true");
  const auto audit = call("GET", path("/audit"), tok);
  EXPECT_NE(audit->body.find("\"id\""), std::string::npos);
  EXPECT_EQ(audit->body.find("\"id\""), audit->body.rfind("\"id\"")) << "two audit entries: " << audit->body;
}

TEST_F(StoreServer, DeveloperAcceptedRiskIsPendingUntilSecurityApproves) {
  const auto dev = token(*url_, project(), "developer");
  const auto sec = token(*url_, project(), "security");
  auto r = call("PUT", path("/decisions/fp"), dev, R"({"status":"accepted_risk","reason":"compensating control"})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find("\"pending\":true"), std::string::npos);
  EXPECT_EQ(call("POST", path("/decisions/fp/approve"), dev)->status, 403);
  r = call("POST", path("/decisions/fp/approve"), sec);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find("\"pending\":false"), std::string::npos);
  EXPECT_NE(r->body.find("\"approvedBy\":\"security-user\""), std::string::npos);
  EXPECT_EQ(call("POST", path("/decisions/fp/approve"), sec)->status, 409);

  r = call("GET", path("/audit"), dev);
  ASSERT_EQ(r->status, 200);
  const auto put = r->body.find("\"action\":\"put-pending\"");
  const auto approve = r->body.find("\"action\":\"approve\"");
  EXPECT_NE(put, std::string::npos) << r->body;
  EXPECT_NE(approve, std::string::npos) << r->body;
  EXPECT_LT(put, approve);
  EXPECT_NE(r->body.find("\"reason\":\"compensating control\""), std::string::npos);
}

TEST_F(StoreServer, OversizedAndMalformedRequestsAreRefusedAndNothingIsWritten) {
  const auto tok = token(*url_, project(), "admin");
  {
    // Only the headers: the server must answer from the declared length alone.
    Connection c(server_->port());
    ASSERT_TRUE(c.sendRaw("PUT " + path("/decisions/fp") + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tok +
                          "\r\nContent-Length: 100000\r\n\r\n"));
    const auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_NE(r->body.find("4096"), std::string::npos) << r->body;
  }
  auto r = call("PUT", path("/decisions/fp"), tok, R"({"status": "fixed",)");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("malformed JSON"), std::string::npos) << r->body;
  r = call("PUT", path("/decisions/fp"), tok, R"({"status": 3})");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("$.status"), std::string::npos) << r->body;
  r = call("GET", path("/decisions"), tok);
  EXPECT_NE(r->body.find("\"decisions\":[]"), std::string::npos) << r->body;
}

TEST_F(StoreServer, KeepsTheConnectionAliveAcrossRequests) {
  const auto tok = token(*url_, project(), "developer");
  Connection c(server_->port());
  for (int i = 0; i < 3; ++i) {
    const auto r = c.request("GET", path("/decisions"), tok);
    ASSERT_TRUE(r) << "request " << i << " on the same connection failed";
    EXPECT_EQ(r->status, 200);
  }
}

TEST(StoreRestart, DataSurvivesAGracefulRestart) {
  const std::string url = dbUrl("restart");
  const auto tok = token(url, "restart-project", "admin");
  {
    StoreProcess s(url);
    ASSERT_TRUE(s.waitHealthy());
    Connection c(s.port());
    const auto r = c.request("PUT", "/v1/projects/restart-project/decisions/fp", tok, R"({"status":"wont_fix"})");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);
    EXPECT_EQ(s.stop(), 0) << "SIGTERM should end aspm-store cleanly";
  }
  StoreProcess s(url);
  ASSERT_TRUE(s.waitHealthy());
  Connection c(s.port());
  const auto r = c.request("GET", "/v1/projects/restart-project/decisions/fp", tok);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("\"status\":\"wont_fix\""), std::string::npos) << r->body;
}

// Several clients write 10,000 decisions as fast as the store takes them; the store is killed
// with SIGKILL in the middle. Every write it acknowledged must be there after a restart (a write
// is acknowledged only after its transaction committed).
TEST(StoreCrash, EveryAcknowledgedWriteSurvivesKillDashNine) {
  const std::string url = dbUrl("crash");
  const std::string project = "crash-project";
  const auto tok = token(url, project, "security");  // security decisions are never pending
  constexpr int kClients = 8;
  constexpr int kPerClient = 1250;
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::atomic<int> acks{0};
  std::atomic<int> refused{0};
  {
    StoreProcess s(url);
    ASSERT_TRUE(s.waitHealthy());
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        auto conn = std::make_unique<Connection>(s.port());
        for (int i = 0; i < kPerClient; ++i) {
          const std::string fp = "fp-" + std::to_string(c) + "-" + std::to_string(i);
          const auto r = conn->ok() ? conn->request("PUT", "/v1/projects/" + project + "/decisions/" + fp, tok,
                                                    R"({"status":"false_positive","reason":"crash test"})")
                                    : std::nullopt;
          if (!r) return;  // the store is gone: this write was never acknowledged
          if (r->status != 200) {
            ++refused;
            continue;
          }
          {
            std::lock_guard lock(mu);
            acknowledged.push_back(fp);
          }
          ++acks;
        }
      });
    }
    // Kill it once a good part of the writes went through (or all did, on a fast machine).
    const auto deadline = Clock::now() + std::chrono::seconds(120);
    while (acks.load() < kClients * kPerClient / 3 && Clock::now() < deadline) {
      pollfd none{-1, 0, 0};
      poll(&none, 0, 5);
    }
    s.kill9();
    for (auto& t : clients) t.join();
  }
  EXPECT_EQ(refused.load(), 0);
  ASSERT_GT(acks.load(), 0) << "no write was acknowledged before the kill";
  StoreProcess s(url);
  ASSERT_TRUE(s.waitHealthy());
  Connection c(s.port());
  const auto r = c.request("GET", "/v1/projects/" + project + "/decisions", tok);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  std::size_t missing = 0;
  for (const auto& fp : acknowledged)
    if (r->body.find("\"" + fp + "\"") == std::string::npos) ++missing;
  EXPECT_EQ(missing, 0u) << "of " << acknowledged.size() << " acknowledged writes";
  std::printf("kill -9 after %d acknowledged writes of %d: %zu missing after restart\n", acks.load(),
              kClients * kPerClient, missing);
}

}  // namespace
