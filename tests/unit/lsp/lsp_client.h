// An in-process LSP client for unit tests (clangd's unittests/LSPClient.h): the code under test
// runs its real StdioTransport on a thread, connected by pipes; the test sends framed JSON-RPC and
// waits, with a deadline, for the messages it expects. No sleeps: every wait is on a condition.
#pragma once

#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "transport/frame.h"
#include "transport/stdio_transport.h"

namespace aspm::lsp::testing {

namespace json = boost::json;

inline bool isMethod(const json::object& m, std::string_view method) {
  const json::value* v = m.if_contains("method");
  return v && v->is_string() && v->get_string() == method;
}

class PipeClient {
 public:
  // `serve` runs on its own thread with the transport and returns the exit code.
  explicit PipeClient(std::function<int(transport::Transport&)> serve) {
    if (::pipe(toServer_) != 0 || ::pipe(fromServer_) != 0) throw std::runtime_error("pipe failed");
    transport_ = std::make_unique<transport::StdioTransport>(transport::StdioOptions{toServer_[0], fromServer_[1], {}});
    server_ = std::thread([this, serve] {
      const int code = serve(*transport_);
      std::lock_guard lock(mu_);
      exitCode_ = code;
      cv_.notify_all();
    });
    reader_ = std::thread([this] { readLoop(); });
  }

  ~PipeClient() {
    closeInput();
    if (server_.joinable()) server_.join();
    transport_.reset();
    ::close(fromServer_[1]);
    if (reader_.joinable()) reader_.join();
    ::close(toServer_[0]);
    ::close(fromServer_[0]);
  }

  void sendRaw(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(toServer_[1], bytes.data(), bytes.size());
      if (n <= 0) return;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  void send(const json::value& message) { sendRaw(transport::frameMessage(json::serialize(message))); }

  std::int64_t request(std::string_view method, json::value params) {
    const std::int64_t id = nextId_++;
    send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
    return id;
  }
  void notify(std::string_view method, json::value params) {
    send({{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
  }

  // Waits for the first not yet taken message satisfying `pred`, and takes it.
  std::optional<json::object> take(const std::function<bool(const json::object&)>& pred,
                                   std::chrono::seconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mu_);
    std::optional<json::object> found;
    cv_.wait_for(lock, timeout, [&] {
      for (auto it = inbox_.begin(); it != inbox_.end(); ++it) {
        if (pred(*it)) {
          found = std::move(*it);
          inbox_.erase(it);
          return true;
        }
      }
      return false;
    });
    return found;
  }

  std::optional<json::object> response(std::int64_t id) {
    return take([id](const json::object& m) {
      return !m.contains("method") && m.contains("id") && m.at("id").is_int64() && m.at("id").as_int64() == id;
    });
  }
  std::optional<json::object> notification(std::string_view method,
                                           const std::function<bool(const json::object&)>& pred = nullptr) {
    return take([&](const json::object& m) {
      return !m.contains("id") && isMethod(m, method) && (!pred || pred(m));
    });
  }
  std::optional<json::object> serverRequest(std::string_view method) {
    return take([&](const json::object& m) { return m.contains("id") && isMethod(m, method); });
  }
  void replyTo(const json::object& request, json::value result) {
    send({{"jsonrpc", "2.0"}, {"id", request.at("id")}, {"result", std::move(result)}});
  }

  // Messages received and not taken, for negative checks after a synchronising request.
  std::vector<json::object> pending() {
    std::lock_guard lock(mu_);
    return inbox_;
  }

  void closeInput() {
    if (toServer_[1] >= 0) ::close(toServer_[1]);
    toServer_[1] = -1;
  }

  std::optional<int> waitExit(std::chrono::seconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return exitCode_.has_value(); });
    return exitCode_;
  }

 private:
  void readLoop() {
    transport::FrameParser parser;
    std::vector<transport::FrameEvent> events;
    char buf[65536];
    for (;;) {
      const ssize_t n = ::read(fromServer_[0], buf, sizeof buf);
      if (n <= 0) break;
      parser.feed(std::string_view(buf, static_cast<std::size_t>(n)), events);
      std::lock_guard lock(mu_);
      for (auto& e : events) {
        if (e.kind != transport::FrameEvent::Kind::Message) continue;
        boost::system::error_code ec;
        json::value v = json::parse(e.text, ec);
        if (!ec && v.is_object()) inbox_.push_back(std::move(v.as_object()));
      }
      events.clear();
      cv_.notify_all();
    }
  }

  int toServer_[2] = {-1, -1};
  int fromServer_[2] = {-1, -1};
  std::unique_ptr<transport::StdioTransport> transport_;
  std::thread server_;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<json::object> inbox_;
  std::optional<int> exitCode_;
  std::int64_t nextId_ = 1;
};

}  // namespace aspm::lsp::testing
