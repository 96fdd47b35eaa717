// The stdio transport over real pipes and files: dispatch order, protocol errors, thread-safe
// sending, flushing on stop, and regular-file input (which epoll cannot watch).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "transport/frame.h"
#include "transport/stdio_transport.h"

namespace aspm::transport {
namespace {

struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() { EXPECT_EQ(::pipe(fds), 0); }
  ~Pipe() { closeAll(); }
  void closeRead() { if (fds[0] >= 0) ::close(fds[0]), fds[0] = -1; }
  void closeWrite() { if (fds[1] >= 0) ::close(fds[1]), fds[1] = -1; }
  void closeAll() { closeRead(), closeWrite(); }
  int r() const { return fds[0]; }
  int w() const { return fds[1]; }
};

void writeAll(int fd, std::string_view s) {
  while (!s.empty()) {
    const ssize_t n = ::write(fd, s.data(), s.size());
    ASSERT_GT(n, 0);
    s.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Reads framed messages from the server's output until `count` bodies arrived or EOF.
std::vector<std::string> readMessages(int fd, std::size_t count) {
  FrameParser p;
  std::vector<FrameEvent> events;
  std::vector<std::string> out;
  char buf[4096];
  while (out.size() < count) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    p.feed(std::string_view(buf, static_cast<std::size_t>(n)), events);
    for (auto& e : events) {
      EXPECT_EQ(e.kind, FrameEvent::Kind::Message) << e.text;
      out.push_back(std::move(e.text));
    }
    events.clear();
  }
  return out;
}

// Records everything and answers every request with its method name, from the loop thread.
struct Recorder : MessageHandler {
  Transport* transport = nullptr;
  std::vector<std::string> log;
  void onNotification(std::string_view method, Json params) override {
    log.push_back("notify " + std::string(method) + " " + params.serialize());
    if (method == "stop") transport->stop();
  }
  void onRequest(std::string_view method, Json, RequestId id) override {
    log.push_back("request " + std::string(method) + " " + toString(id));
    transport->reply(id, *Json::parse("\"" + std::string(method) + "\""));
  }
  void onResponse(RequestId id, Expected<Json> r) override {
    log.push_back("response " + toString(id) + " " + (r ? r->serialize() : r.error().message));
  }
  void onProtocolError(std::string message, std::optional<RequestId> id) override {
    log.push_back("error " + message + (id ? " id=" + toString(*id) : ""));
  }
};

TEST(StdioTransport, DispatchesInOrderAndRepliesOverThePipe) {
  Pipe in, out;
  StdioTransport t({in.r(), out.w(), {}});
  Recorder rec;
  rec.transport = &t;
  std::thread loop([&] { t.run(rec); });
  writeAll(in.w(), frameMessage(R"({"jsonrpc":"2.0","id":1,"method":"first"})") + "junk\r\n\r\n" +
                       frameMessage(R"({"jsonrpc":"2.0","method":"note","params":{"k":true}})") +
                       frameMessage(R"({"jsonrpc":"2.0","id":"x","result":[1]})") + frameMessage("{not json") +
                       frameMessage(R"({"jsonrpc":"2.0","id":2,"method":"m","params":3})"));
  writeAll(in.w(), frameMessage(R"({"jsonrpc":"2.0","id":3,"method":"second"})"));
  auto replies = readMessages(out.r(), 2);
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0], R"({"jsonrpc":"2.0","id":1,"result":"first"})");
  EXPECT_EQ(replies[1], R"({"jsonrpc":"2.0","id":3,"result":"second"})");
  in.closeWrite();  // EOF ends the loop
  loop.join();
  ASSERT_EQ(rec.log.size(), 7u);
  EXPECT_EQ(rec.log[0], "request first 1");
  EXPECT_EQ(rec.log[1].rfind("error malformed header line \"junk\"", 0), 0u) << rec.log[1];
  EXPECT_EQ(rec.log[2], "notify note {\"k\":true}");
  EXPECT_EQ(rec.log[3], "response \"x\" [1]");
  EXPECT_EQ(rec.log[4].rfind("error invalid JSON", 0), 0u) << rec.log[4];
  EXPECT_EQ(rec.log[5], "error params: expected object or array, got number id=2");
  EXPECT_EQ(rec.log[6], "request second 3");
}

TEST(StdioTransport, SendIsThreadSafeAndStopFlushesEverything) {
  Pipe in, out;
  StdioTransport t({in.r(), out.w(), {}});
  Recorder rec;
  rec.transport = &t;
  std::thread loop([&] { t.run(rec); });
  constexpr int kThreads = 4, kEach = 500;
  std::vector<std::thread> senders;
  for (int i = 0; i < kThreads; ++i) {
    senders.emplace_back([&, i] {
      for (int k = 0; k < kEach; ++k) {
        t.notify("n", *Json::parse("{\"t\":" + std::to_string(i) + ",\"k\":" + std::to_string(k) + "}"));
      }
    });
  }
  std::vector<std::string> got;
  std::thread reader([&] { got = readMessages(out.r(), kThreads * kEach); });
  for (auto& s : senders) s.join();
  writeAll(in.w(), frameMessage(R"({"jsonrpc":"2.0","method":"stop"})"));
  loop.join();
  reader.join();
  ASSERT_EQ(got.size(), static_cast<std::size_t>(kThreads * kEach));
  // Each sender's messages arrive whole and in its own order.
  std::vector<int> next(kThreads, 0);
  for (const auto& m : got) {
    auto j = Json::parse(m);
    ASSERT_TRUE(j) << m;
    const auto t0 = m.find("\"t\":") + 4;
    const int th = m[t0] - '0';
    const auto k0 = m.find("\"k\":") + 4;
    const int k = std::stoi(m.substr(k0));
    EXPECT_EQ(k, next[static_cast<std::size_t>(th)]++);
  }
}

TEST(StdioTransport, PostRunsOnTheLoopThread) {
  Pipe in, out;
  StdioTransport t({in.r(), out.w(), {}});
  Recorder rec;
  rec.transport = &t;
  std::thread::id loopId, ranOn;
  std::mutex mu;
  std::condition_variable cv;
  bool ran = false;
  std::thread loop([&] {
    {
      std::lock_guard lock(mu);
      loopId = std::this_thread::get_id();
    }
    t.run(rec);
  });
  t.post([&] {
    std::lock_guard lock(mu);
    ranOn = std::this_thread::get_id();
    ran = true;
    cv.notify_all();
  });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(20), [&] { return ran; }));
    EXPECT_EQ(ranOn, loopId);
  }
  t.stop();
  loop.join();
}

TEST(StdioTransport, RegularFileInputAndOutput) {
  char inName[] = "/tmp/aspm-transport-in-XXXXXX";
  char outName[] = "/tmp/aspm-transport-out-XXXXXX";
  const int inFd = ::mkstemp(inName);
  const int outFd = ::mkstemp(outName);
  ASSERT_GE(inFd, 0);
  ASSERT_GE(outFd, 0);
  writeAll(inFd, frameMessage(R"({"jsonrpc":"2.0","id":1,"method":"a"})") +
                     frameMessage(R"({"jsonrpc":"2.0","id":2,"method":"b"})"));
  ::lseek(inFd, 0, SEEK_SET);
  {
    StdioTransport t({inFd, outFd, {}});
    Recorder rec;
    rec.transport = &t;
    t.run(rec);  // returns at end of file
    EXPECT_EQ(rec.log, (std::vector<std::string>{"request a 1", "request b 2"}));
  }
  ::lseek(outFd, 0, SEEK_SET);
  auto got = readMessages(outFd, 2);
  EXPECT_EQ(got, (std::vector<std::string>{R"({"jsonrpc":"2.0","id":1,"result":"a"})",
                                           R"({"jsonrpc":"2.0","id":2,"result":"b"})"}));
  ::close(inFd);
  ::close(outFd);
  std::remove(inName);
  std::remove(outName);
}

TEST(StdioTransport, OversizedMessageIsReportedAndLaterMessagesStillWork) {
  Pipe in, out;
  FrameLimits limits;
  limits.maxMessageBytes = 100;
  StdioTransport t({in.r(), out.w(), limits});
  Recorder rec;
  rec.transport = &t;
  std::thread loop([&] { t.run(rec); });
  std::thread writer([&] {
    writeAll(in.w(), frameMessage("{\"jsonrpc\":\"2.0\",\"method\":\"big\",\"params\":[\"" + std::string(1 << 20, 'x') + "\"]}"));
    writeAll(in.w(), frameMessage(R"({"jsonrpc":"2.0","id":1,"method":"after"})"));
  });
  auto replies = readMessages(out.r(), 1);
  writer.join();
  in.closeWrite();
  loop.join();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0], R"({"jsonrpc":"2.0","id":1,"result":"after"})");
  ASSERT_EQ(rec.log.size(), 2u);
  EXPECT_NE(rec.log[0].find("exceeds the limit of 100 bytes"), std::string::npos) << rec.log[0];
}

TEST(StdioTransport, ClientGoneDoesNotKillTheProcess) {
  Pipe in, out;
  StdioTransport t({in.r(), out.w(), {}});
  Recorder rec;
  rec.transport = &t;
  out.closeRead();  // writes now fail with EPIPE
  std::thread loop([&] { t.run(rec); });
  t.notify("n", Json());
  loop.join();  // the failed write stops the loop
  SUCCEED();
}

}  // namespace
}  // namespace aspm::transport
