// Real processes for the sync tests: aspm-store started on a loopback port (its "listening on"
// line gives the port), and aspm-ls driven over stdio with framed JSON-RPC. Every wait is on a
// condition with a deadline; nothing sleeps for a fixed time.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "transport/frame.h"

extern char** environ;

namespace aspm::testing {
namespace fs = std::filesystem;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

inline const std::string kStoreBinary = std::string(ASPM_BIN_DIR) + "/aspm-store";
inline const std::string kLsBinary = std::string(ASPM_BIN_DIR) + "/aspm-ls";

inline fs::path makeTempDir(const std::string& prefix) {
  std::string tmpl = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

// Runs a command, returns its stdout without the final newline (empty on failure).
inline std::string runCommand(const std::vector<std::string>& args) {
  std::string cmd;
  for (const auto& a : args) cmd += "'" + a + "' ";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return {};
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  if (::pclose(p) != 0) return {};
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// A loopback port nothing listens on right now (for a store started later).
inline int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// Waits for `cond` until the deadline, checking every few milliseconds.
inline bool waitFor(const std::function<bool()>& cond, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!cond()) {
    if (Clock::now() > deadline) return false;
    pollfd none{};
    ::poll(&none, 0, 10);  // a short pause between checks, not a wait for the condition
  }
  return true;
}

class StoreServer {
 public:
  StoreServer(const std::string& db, int port) {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<std::string> args = {kStoreBinary, "serve", "--db", db, "--listen", "127.0.0.1:" + std::to_string(port)};
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(kStoreBinary.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    std::string line;
    while (line.find('\n') == std::string::npos && Clock::now() < deadline) {
      pollfd p{out[0], POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char c[128];
      const auto n = ::read(out[0], c, sizeof c);
      if (n <= 0) break;
      line.append(c, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    const auto colon = line.rfind(':');
    if (line.starts_with("listening on") && colon != std::string::npos) port_ = std::atoi(line.c_str() + colon + 1);
  }
  ~StoreServer() { stop(); }
  StoreServer(const StoreServer&) = delete;
  StoreServer& operator=(const StoreServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  static std::string token(const std::string& db, const std::string& project, const std::string& role,
                           const std::string& name) {
    return runCommand({kStoreBinary, "token", "create", "--db", db, "--project", project, "--role", role, "--name", name});
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// aspm-ls over pipes; messages from the server are kept until a test takes them.
class LspProcess {
 public:
  explicit LspProcess(const fs::path& stderrFile, const std::vector<std::string>& extraEnv = {}) {
    int in[2], out[2];
    if (::pipe(in) != 0 || ::pipe(out) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, stderrFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addclose(&actions, in[1]);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e)
      if (!std::string_view(*e).starts_with("ASPM_TOKEN=")) env.emplace_back(*e);
    env.insert(env.end(), extraEnv.begin(), extraEnv.end());
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = {kLsBinary, "--debounce-ms=0"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    toServer_ = in[1];
    fromServer_ = out[0];
    if (rc != 0) throw std::runtime_error("cannot start aspm-ls");
    reader_ = std::thread([this] { readLoop(); });
  }

  ~LspProcess() {
    if (toServer_ >= 0) {
      request("shutdown", nullptr);
      notify("exit", nullptr);
      ::close(toServer_);
    }
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (Clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      pollfd none{};
      ::poll(&none, 0, 10);
    }
    if (reader_.joinable()) reader_.join();
    ::close(fromServer_);
  }
  LspProcess(const LspProcess&) = delete;
  LspProcess& operator=(const LspProcess&) = delete;

  void send(const json::value& message) {
    const std::string bytes = transport::frameMessage(json::serialize(message));
    std::string_view rest = bytes;
    while (!rest.empty()) {
      const ssize_t n = ::write(toServer_, rest.data(), rest.size());
      if (n <= 0) return;
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  std::int64_t request(std::string_view method, json::value params) {
    const std::int64_t id = nextId_++;
    send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
    return id;
  }
  void notify(std::string_view method, json::value params) {
    send({{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
  }

  // Takes the first message (in arrival order) satisfying `pred`.
  std::optional<json::object> take(const std::function<bool(const json::object&)>& pred,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mu_);
    std::optional<json::object> found;
    cv_.wait_for(lock, timeout, [&] {
      for (auto it = inbox_.begin(); it != inbox_.end(); ++it)
        if (pred(*it)) {
          found = std::move(*it);
          inbox_.erase(it);
          return true;
        }
      return false;
    });
    return found;
  }
  std::optional<json::object> response(std::int64_t id, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    return take(
        [id](const json::object& m) {
          return !m.contains("method") && m.contains("id") && m.at("id").is_int64() && m.at("id").as_int64() == id;
        },
        timeout);
  }
  std::optional<json::object> notification(std::string_view method,
                                           const std::function<bool(const json::object&)>& pred = nullptr,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    return take(
        [&](const json::object& m) {
          const auto* meth = m.if_contains("method");
          return !m.contains("id") && meth && meth->is_string() && meth->get_string() == method && (!pred || pred(m));
        },
        timeout);
  }

  // initialize + initialized on `root` with these initializationOptions.
  bool start(const fs::path& root, json::value initializationOptions) {
    const auto id = request("initialize", {{"rootUri", "file://" + root.string()},
                                           {"capabilities", json::object{}},
                                           {"initializationOptions", std::move(initializationOptions)}});
    auto r = response(id);
    if (!r || !r->contains("result")) return false;
    initializeResult_ = r->at("result").as_object();
    notify("initialized", json::object{});
    return true;
  }
  const json::object& initializeResult() const { return initializeResult_; }

 private:
  void readLoop() {
    transport::FrameParser parser;
    std::vector<transport::FrameEvent> events;
    char buf[65536];
    for (;;) {
      const ssize_t n = ::read(fromServer_, buf, sizeof buf);
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

  pid_t pid_ = -1;
  int toServer_ = -1;
  int fromServer_ = -1;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<json::object> inbox_;
  std::int64_t nextId_ = 1;
  json::object initializeResult_;
};

}  // namespace aspm::testing
