// The live decision stream of the real aspm-store (GET /v1/projects/{p}/events) over real
// sockets: a write with one token arrives at a subscriber holding another, a resumed stream
// replays exactly what it missed, heartbeats arrive at the configured interval, refusals come
// before any stream starts, a client that never reads is cut off while others keep receiving,
// and SIGTERM ends the server with streams open. The database is SQLite in a temporary
// directory unless ASPM_STORE_TEST_DB names another (with-postgres.sh sets a postgresql:// URL).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

const std::string kBinary = std::string(ASPM_BIN_DIR) + "/aspm-store";

fs::path tempDir() {
  static const fs::path dir = [] {
    std::string tmpl = (fs::temp_directory_path() / "aspm-events-test-XXXXXX").string();
    return fs::path(mkdtemp(tmpl.data()) ? tmpl : std::string("/tmp"));
  }();
  return dir;
}

struct TempDirCleanup {
  TempDirCleanup() { tempDir(); }
  ~TempDirCleanup() {
    std::error_code ec;
    if (tempDir() != "/tmp") fs::remove_all(tempDir(), ec);
  }
} const kCleanup;

std::string dbUrl() {
  if (const char* env = std::getenv("ASPM_STORE_TEST_DB"); env && *env) return env;
  return "sqlite:" + (tempDir() / "events.db").string();
}

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

std::string token(const std::string& project, const std::string& role, const std::string& name,
                  const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {kBinary, "token", "create", "--db", dbUrl(), "--project", project, "--role", role,
                                   "--name", name};
  args.insert(args.end(), extra.begin(), extra.end());
  return run(args);
}

class StoreProcess {
 public:
  explicit StoreProcess(std::vector<std::string> extra = {}) {
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<std::string> args = {kBinary, "serve", "--db", dbUrl(), "--listen", "127.0.0.1:0"};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(kBinary.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    const auto deadline = Clock::now() + 20s;
    std::string line;
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
  // Peak resident memory of the server, from /proc.
  long peakRssKiB() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(in, line))
      if (line.starts_with("VmHWM:")) return std::atol(line.c_str() + 6);
    return -1;
  }
  // SIGTERM; the exit status, or -1 if it had to be killed after the deadline.
  int stop(std::chrono::milliseconds deadline = 20s) {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    const auto until = Clock::now() + deadline;
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (Clock::now() > until) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        pid_ = -1;
        return -1;
      }
      pollfd none{-1, 0, 0};
      poll(&none, 0, 10);
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

int connectTo(int port, int receiveBuffer = 0) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  // Set before connect, so the window the server sees is small from the start.
  if (receiveBuffer > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool sendAll(int fd, const std::string& bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    const auto n = ::send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// A raw HTTP/1.1 connection: requests with exact headers, replies with Content-Length, and an
// event-stream body read incrementally.
class Connection {
 public:
  explicit Connection(int port, int receiveBuffer = 0) : fd_(connectTo(port, receiveBuffer)) {}
  ~Connection() {
    if (fd_ >= 0) close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  bool ok() const { return fd_ >= 0; }

  bool send(const std::string& method, const std::string& target, const std::string& tok, const std::string& body = {},
            const std::map<std::string, std::string>& headers = {}) {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!tok.empty()) req += "Authorization: Bearer " + tok + "\r\n";
    for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
    if (!body.empty() || method == "PUT" || method == "POST")
      req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    req += "\r\n" + body;
    return sendAll(fd_, req);
  }

  // The status line and headers; with Content-Length, the body too.
  std::optional<Response> readResponse(std::chrono::milliseconds timeout = 10s) {
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
    buf_.erase(0, headerEnd + 4);
    if (r.headers.count("content-length")) {
      const std::size_t length = std::stoul(r.headers["content-length"]);
      while (buf_.size() < length)
        if (!fill(deadline)) return std::nullopt;
      r.body = buf_.substr(0, length);
      buf_.erase(0, length);
    }
    return r;
  }

  std::optional<Response> request(const std::string& method, const std::string& target, const std::string& tok,
                                  const std::string& body = {}, const std::map<std::string, std::string>& headers = {}) {
    if (!send(method, target, tok, body, headers)) return std::nullopt;
    return readResponse();
  }

  // One SSE block (up to a blank line), without its terminator; nullopt on timeout or EOF.
  std::optional<std::string> readBlock(Clock::time_point deadline) {
    std::size_t end;
    while ((end = buf_.find("\n\n")) == std::string::npos)
      if (!fill(deadline)) return std::nullopt;
    std::string block = buf_.substr(0, end);
    buf_.erase(0, end + 2);
    return block;
  }

  // True once the server closed the connection (everything before is discarded).
  bool waitEof(std::chrono::milliseconds timeout, std::string* rest = nullptr) {
    const auto deadline = Clock::now() + timeout;
    while (fill(deadline)) {
    }
    if (rest) *rest = buf_;
    return eof_;
  }
  std::string& buffered() { return buf_; }

 private:
  bool fill(Clock::time_point deadline) {
    // A deadline already passed still takes what has arrived (one poll that does not wait).
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (eof_) return false;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(std::max<long>(left, 0))) <= 0) return false;
    char chunk[65536];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buf_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
  int fd_ = -1;
  std::string buf_;
  bool eof_ = false;
};

struct Event {
  std::string id;
  std::string type;
  std::string data;
  bool comment = false;  // a comment-only block (heartbeat)
  std::string text;
};

Event parseBlock(const std::string& block) {
  Event e;
  e.text = block;
  bool any = false;
  std::size_t pos = 0;
  while (pos <= block.size()) {
    const auto nl = block.find('\n', pos);
    const std::string line = block.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? block.size() + 1 : nl + 1;
    if (line.starts_with(":")) continue;
    any = true;
    const auto colon = line.find(':');
    const std::string field = line.substr(0, colon);
    std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
    if (value.starts_with(" ")) value.erase(0, 1);
    if (field == "id") e.id = value;
    else if (field == "event") e.type = value;
    else if (field == "data") e.data += (e.data.empty() ? "" : "\n") + value;
  }
  e.comment = !any;
  return e;
}

// An open event stream: the 200 was read; blocks follow.
class Subscriber {
 public:
  Subscriber(int port, const std::string& project, const std::string& tok,
             const std::map<std::string, std::string>& headers = {}, const std::string& query = {}, int receiveBuffer = 0)
      : conn_(port, receiveBuffer) {
    if (!conn_.ok()) return;
    std::map<std::string, std::string> h = headers;
    h.emplace("Accept", "text/event-stream");
    if (!conn_.send("GET", "/v1/projects/" + project + "/events" + query, tok, {}, h)) return;
    response_ = conn_.readResponse();
  }
  const std::optional<Response>& response() const { return response_; }
  bool open() const { return response_ && response_->status == 200; }

  // The next decision event, counting heartbeats on the way.
  std::optional<Event> next(std::chrono::milliseconds timeout = 10s) {
    const auto deadline = Clock::now() + timeout;
    while (auto block = conn_.readBlock(deadline)) {
      Event e = parseBlock(*block);
      if (e.comment) {
        if (e.text == ": keep-alive") ++heartbeats_;
        continue;
      }
      return e;
    }
    return std::nullopt;
  }
  // Waits for `count` heartbeats (events on the way are kept in `skipped`).
  bool waitHeartbeats(int count, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (heartbeats_ < count) {
      const auto block = conn_.readBlock(deadline);
      if (!block) return false;
      const Event e = parseBlock(*block);
      if (e.comment && e.text == ": keep-alive") ++heartbeats_;
    }
    return true;
  }
  Connection& connection() { return conn_; }

 private:
  Connection conn_;
  std::optional<Response> response_;
  int heartbeats_ = 0;
};

std::string putBody(const std::string& status, const std::string& reason = {}) {
  return json::serialize(json::object{{"status", status}, {"reason", reason}});
}

class StoreEvents : public ::testing::Test {
 protected:
  std::string project() const {
    return std::string("ev-") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  std::string path(const std::string& rest) const { return "/v1/projects/" + project() + rest; }
};

TEST_F(StoreEvents, AWriteWithOneTokenReachesASubscriberWithAnother) {
  StoreProcess store;
  ASSERT_GT(store.port(), 0);
  const auto alice = token(project(), "developer", "alice");
  const auto bob = token(project(), "developer", "bob");
  const auto sec = token(project(), "security", "sec");
  const auto other = token(project() + "-other", "admin", "eve");
  Subscriber sub(store.port(), project(), bob);
  ASSERT_TRUE(sub.open()) << (sub.response() ? sub.response()->body : "no answer");
  EXPECT_EQ(sub.response()->headers.at("content-type"), "text/event-stream");
  EXPECT_EQ(sub.response()->headers.count("content-length"), 0u);

  Connection writer(store.port());
  // Another project's write is not this project's event.
  ASSERT_EQ(writer.request("PUT", "/v1/projects/" + project() + "-other/decisions/x", other, putBody("fixed"))->status, 200);
  const auto put = writer.request("PUT", path("/decisions/fp-1"), alice, putBody("accepted_risk", "mitigated"));
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  auto e = sub.next();
  ASSERT_TRUE(e) << "no event within 10 s";
  EXPECT_EQ(e->type, "decision");
  EXPECT_EQ(e->id, "1");
  EXPECT_EQ(e->data, put->body) << "the event carries the decision as the write returned it";

  // The same text as the item in GET …/decisions.
  const auto list = writer.request("GET", path("/decisions?since=0"), bob);
  ASSERT_EQ(list->status, 200);
  const json::value listed = json::parse(list->body);
  EXPECT_EQ(json::serialize(listed.at("decisions").at(0)), e->data);

  // An approval is a change too.
  const auto approved = writer.request("POST", path("/decisions/fp-1/approve"), sec);
  ASSERT_EQ(approved->status, 200) << approved->body;
  e = sub.next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, "2");
  EXPECT_EQ(e->data, approved->body);

  // A replayed idempotent write changes nothing and sends nothing; the next real one arrives.
  const std::map<std::string, std::string> key = {{"Idempotency-Key", "op-1"}};
  ASSERT_EQ(writer.request("PUT", path("/decisions/fp-2"), alice, putBody("wont_fix"), key)->status, 200);
  ASSERT_EQ(writer.request("PUT", path("/decisions/fp-2"), alice, putBody("wont_fix"), key)->headers["idempotent-replayed"],
            "true");
  ASSERT_EQ(writer.request("PUT", path("/decisions/fp-3"), alice, putBody("fixed"))->status, 200);
  e = sub.next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, "3");
  e = sub.next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, "4");
  EXPECT_NE(e->data.find("\"fingerprint\":\"fp-3\""), std::string::npos) << e->data;
}

TEST_F(StoreEvents, LastEventIdReplaysExactlyTheMissedEvents) {
  StoreProcess store;
  ASSERT_GT(store.port(), 0);
  const auto tok = token(project(), "admin", "admin");
  Connection writer(store.port());
  auto write = [&](const std::string& fp, const std::string& status) {
    const auto r = writer.request("PUT", path("/decisions/" + fp), tok, putBody(status));
    return r && r->status == 200;
  };
  {
    Subscriber sub(store.port(), project(), tok);
    ASSERT_TRUE(sub.open());
    for (int i = 1; i <= 3; ++i) ASSERT_TRUE(write("fp-" + std::to_string(i), "fixed"));
    for (int i = 1; i <= 3; ++i) {
      const auto e = sub.next();
      ASSERT_TRUE(e);
      EXPECT_EQ(e->id, std::to_string(i));
    }
  }
  // Missed while disconnected: 4, 5 and 6 (fp-1 changed again, so its current state is 6).
  ASSERT_TRUE(write("fp-4", "wont_fix"));
  ASSERT_TRUE(write("fp-5", "wont_fix"));
  ASSERT_TRUE(write("fp-1", "open"));
  // ?since is overridden by the header, as an EventSource reconnecting to the same URL expects.
  Subscriber resumed(store.port(), project(), tok, {{"Last-Event-ID", "3"}}, "?since=0");
  ASSERT_TRUE(resumed.open());
  std::vector<std::string> ids, fps;
  for (int i = 0; i < 3; ++i) {
    const auto e = resumed.next();
    ASSERT_TRUE(e);
    ids.push_back(e->id);
    fps.push_back(std::string(json::parse(e->data).at("fingerprint").as_string()));
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"4", "5", "6"}));
  EXPECT_EQ(fps, (std::vector<std::string>{"fp-4", "fp-5", "fp-1"}));
  // Then live, with nothing replayed twice.
  ASSERT_TRUE(write("fp-7", "fixed"));
  auto e = resumed.next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, "7");

  // ?since alone replays too; no position at all starts live.
  Subscriber since(store.port(), project(), tok, {}, "?since=5");
  ASSERT_TRUE(since.open());
  Subscriber live(store.port(), project(), tok);
  ASSERT_TRUE(live.open());
  ASSERT_TRUE(write("fp-8", "fixed"));
  std::vector<std::string> sinceIds;
  for (int i = 0; i < 3; ++i) {
    e = since.next();
    ASSERT_TRUE(e);
    sinceIds.push_back(e->id);
  }
  EXPECT_EQ(sinceIds, (std::vector<std::string>{"6", "7", "8"}));
  e = live.next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, "8");
}

TEST_F(StoreEvents, HeartbeatsArriveAtTheConfiguredInterval) {
  StoreProcess store({"--heartbeat-ms", "100"});
  ASSERT_GT(store.port(), 0);
  const auto tok = token(project(), "developer", "dev");
  Subscriber sub(store.port(), project(), tok);
  ASSERT_TRUE(sub.open());
  const auto t0 = Clock::now();
  ASSERT_TRUE(sub.waitHeartbeats(3, 10s)) << "fewer than three heartbeats in 10 s";
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  EXPECT_GE(ms, 200) << "heartbeats came faster than the interval";
}

TEST_F(StoreEvents, RefusalsComeBeforeAnyStreamStarts) {
  StoreProcess store;
  ASSERT_GT(store.port(), 0);
  const auto dev = token(project(), "developer", "dev");
  const auto expired = token(project(), "admin", "old", {"--expires-at", "1"});
  const auto foreign = token(project() + "-other", "admin", "eve");
  for (const auto& [tok, want] : std::vector<std::pair<std::string, int>>{
           {"", 401}, {"aspm_0000", 401}, {expired, 401}, {foreign, 403}}) {
    Subscriber sub(store.port(), project(), tok);
    ASSERT_TRUE(sub.response()) << "token '" << tok << "'";
    EXPECT_EQ(sub.response()->status, want) << "token '" << tok << "'";
    EXPECT_EQ(sub.response()->headers.at("content-type"), "application/json");
    EXPECT_NE(sub.response()->body.find("\"error\""), std::string::npos) << sub.response()->body;
  }
  Subscriber badId(store.port(), project(), dev, {{"Last-Event-ID", "x7"}});
  ASSERT_TRUE(badId.response());
  EXPECT_EQ(badId.response()->status, 400);
  Subscriber badSince(store.port(), project(), dev, {}, "?since=-1");
  ASSERT_TRUE(badSince.response());
  EXPECT_EQ(badSince.response()->status, 400);
  Connection post(store.port());
  const auto r = post.request("POST", path("/events"), dev);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
}

// A subscriber that never reads (a small receive window, so the kernel buffers fill quickly) is
// cut off once its queue reaches the limit, while another keeps receiving every event; the cut
// off one then resumes from storage and nothing is lost.
TEST_F(StoreEvents, AClientThatNeverReadsIsCutOffWhileOthersKeepReceiving) {
  StoreProcess store({"--event-queue-limit", "8"});
  ASSERT_GT(store.port(), 0);
  const auto tok = token(project(), "admin", "admin");
  Subscriber slow(store.port(), project(), tok, {}, {}, 4096);
  Subscriber fast(store.port(), project(), tok);
  ASSERT_TRUE(slow.open() && fast.open());
  const long rssBefore = store.peakRssKiB();

  constexpr int kWrites = 3000;
  const std::string reason(2000, 'r');
  int received = 0;
  Connection writer(store.port());
  for (int i = 1; i <= kWrites; ++i) {
    ASSERT_TRUE(writer.send("PUT", path("/decisions/fp-" + std::to_string(i)), tok, putBody("fixed", reason)));
    const auto r = writer.readResponse();
    ASSERT_TRUE(r && r->status == 200);
    // The fast subscriber keeps up as the writes go.
    while (received < i) {
      const auto e = fast.next(i == kWrites ? 10s : 0ms);
      if (!e) break;
      ASSERT_EQ(e->id, std::to_string(++received));
    }
  }
  while (received < kWrites) {
    const auto e = fast.next();
    ASSERT_TRUE(e) << "the reading subscriber stopped at " << received;
    ASSERT_EQ(e->id, std::to_string(++received));
  }

  // The slow one was closed: what reached it is a gap-free prefix, and then end of stream.
  std::string rest;
  ASSERT_TRUE(slow.connection().waitEof(20s, &rest)) << "the server kept the slow subscriber open";
  int last = 0;
  for (std::size_t pos = 0; (pos = rest.find("id: ", pos)) != std::string::npos; pos += 4) {
    const int id = std::atoi(rest.c_str() + pos + 4);
    ASSERT_EQ(id, last + 1);
    last = id;
  }
  EXPECT_LT(last, kWrites) << "the slow subscriber received everything: the test did not fill its buffers";
  const long rssAfter = store.peakRssKiB();
  std::cout << "[ slow client ] cut off after event " << last << " of " << kWrites << "; server peak RSS " << rssBefore
            << " KiB -> " << rssAfter << " KiB\n";

  // Resuming from where it stopped replays the rest.
  Subscriber resumed(store.port(), project(), tok, {{"Last-Event-ID", std::to_string(last)}});
  ASSERT_TRUE(resumed.open());
  for (int want = last + 1; want <= kWrites; ++want) {
    const auto e = resumed.next();
    ASSERT_TRUE(e);
    ASSERT_EQ(e->id, std::to_string(want));
  }
  // The reading subscriber is still connected.
  ASSERT_EQ(writer.request("PUT", path("/decisions/after"), tok, putBody("open"))->status, 200);
  const auto e = fast.next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, std::to_string(kWrites + 1));
}

// Several connections writing at once (their PUTs committed together): every acknowledged write
// is stored once, and a subscriber sees one event per write, in version order, without gaps.
TEST_F(StoreEvents, ConcurrentWritersAreAllAppliedAndStreamedInOrder) {
  StoreProcess store;
  ASSERT_GT(store.port(), 0);
  const auto tok = token(project(), "admin", "admin");
  Subscriber sub(store.port(), project(), tok);
  ASSERT_TRUE(sub.open());
  constexpr int kWriters = 8, kEach = 100;
  std::atomic<int> acknowledged{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      Connection c(store.port());
      for (int i = 0; i < kEach; ++i) {
        const auto r = c.request("PUT", path("/decisions/w" + std::to_string(w) + "-" + std::to_string(i)), tok,
                                 putBody("false_positive"));
        if (r && r->status == 200) ++acknowledged;
      }
    });
  for (auto& t : writers) t.join();
  ASSERT_EQ(acknowledged.load(), kWriters * kEach);
  std::set<std::string> fingerprints;
  for (int want = 1; want <= kWriters * kEach; ++want) {
    const auto e = sub.next();
    ASSERT_TRUE(e) << "stopped before event " << want;
    ASSERT_EQ(e->id, std::to_string(want));
    fingerprints.insert(std::string(json::parse(e->data).at("fingerprint").as_string()));
  }
  EXPECT_EQ(fingerprints.size(), static_cast<std::size_t>(kWriters * kEach));
  Connection reader(store.port());
  const auto list = reader.request("GET", path("/decisions?since=0"), tok);
  ASSERT_TRUE(list && list->status == 200);
  EXPECT_EQ(json::parse(list->body).at("decisions").as_array().size(), static_cast<std::size_t>(kWriters * kEach));
}

TEST_F(StoreEvents, SigtermEndsTheServerWithStreamsOpen) {
  StoreProcess store;
  ASSERT_GT(store.port(), 0);
  const auto tok = token(project(), "developer", "dev");
  Subscriber a(store.port(), project(), tok), b(store.port(), project(), tok);
  ASSERT_TRUE(a.open() && b.open());
  EXPECT_EQ(store.stop(10s), 0);
  EXPECT_TRUE(a.connection().waitEof(5s));
  EXPECT_TRUE(b.connection().waitEof(5s));
}

}  // namespace
