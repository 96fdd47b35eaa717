// Replays tests/lsp/*.test transcripts against the real aspm-ls process (format: README.md).
// Each transcript runs on a fresh temporary copy of its workspace; every wait has a deadline and
// the server's stderr and the messages it sent are printed when a step fails.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "transport/frame.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

const fs::path kSourceDir = ASPM_SOURCE_DIR;

std::string envOr(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

std::chrono::milliseconds stepTimeout() {
  return std::chrono::milliseconds(std::stoll(envOr("ASPM_LSP_TEST_TIMEOUT_MS", "30000")));
}

// ---- Script -----------------------------------------------------------------------------------------

struct Step {
  enum class Kind { Send, SendRaw, Expect, ExpectNot, Workspace, Args, Remove, Copy, Eof, Exit };
  Kind kind;
  std::string text;
  int line = 0;
};

std::vector<Step> parseScript(const fs::path& file) {
  std::ifstream in(file);
  std::vector<Step> steps;
  std::string line;
  int lineNo = 0;
  auto starts = [&](std::string_view prefix) { return std::string_view(line).starts_with(prefix); };
  while (std::getline(in, line)) {
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto add = [&](Step::Kind k, std::size_t skip) {
      std::string rest = line.substr(std::min(skip, line.size()));
      while (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
      steps.push_back({k, rest, lineNo});
    };
    if (line.empty() || starts("#")) continue;
    if (starts(">>>raw")) add(Step::Kind::SendRaw, 6);
    else if (starts(">>>")) add(Step::Kind::Send, 3);
    else if (starts("!<<<")) add(Step::Kind::ExpectNot, 4);
    else if (starts("<<<")) add(Step::Kind::Expect, 3);
    else if (starts("%workspace")) add(Step::Kind::Workspace, 10);
    else if (starts("%args")) add(Step::Kind::Args, 5);
    else if (starts("%remove")) add(Step::Kind::Remove, 7);
    else if (starts("%copy")) add(Step::Kind::Copy, 5);
    else if (starts("%eof")) add(Step::Kind::Eof, 4);
    else if (starts("%exit")) add(Step::Kind::Exit, 5);
    else if (!steps.empty() && (steps.back().kind == Step::Kind::Send || steps.back().kind == Step::Kind::Expect ||
                                steps.back().kind == Step::Kind::ExpectNot))
      steps.back().text += "\n" + line;  // a message continued on the next line
    else ADD_FAILURE() << file.filename().string() << ":" << lineNo << ": cannot parse: " << line;
  }
  return steps;
}

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char c = s[++i];
      out += c == 'r' ? '\r' : c == 'n' ? '\n' : c == 't' ? '\t' : c;
    } else {
      out += s[i];
    }
  }
  return out;
}

// ---- Matching -----------------------------------------------------------------------------------------

using Captures = std::map<std::string, json::value>;

bool matches(const json::value& pattern, const json::value& actual, Captures& captures) {
  if (pattern.is_string()) {
    const std::string_view p = pattern.get_string();
    if (p == "$any") return true;
    if (p.starts_with("$capture:")) {
      captures[std::string(p.substr(9))] = actual;
      return true;
    }
    if (p.starts_with("$contains:"))
      return actual.is_string() && std::string_view(actual.get_string()).find(p.substr(10)) != std::string_view::npos;
    return actual.is_string() && actual.get_string() == p;
  }
  if (pattern.is_object()) {
    if (!actual.is_object()) return false;
    for (const auto& [key, sub] : pattern.get_object()) {
      const json::value* a = actual.get_object().if_contains(key);
      if (!a || !matches(sub, *a, captures)) return false;
    }
    return true;
  }
  if (pattern.is_array()) {
    if (!actual.is_array()) return false;
    const auto& p = pattern.get_array();
    const auto& a = actual.get_array();
    const bool open = !p.empty() && p.back().is_string() && p.back().get_string() == "...";
    const std::size_t n = open ? p.size() - 1 : p.size();
    if (open ? a.size() < n : a.size() != n) return false;
    for (std::size_t i = 0; i < n; ++i)
      if (!matches(p[i], a[i], captures)) return false;
    return true;
  }
  if (pattern.is_number() && actual.is_number()) {
    boost::system::error_code e1, e2;
    return pattern.to_number<double>(e1) == actual.to_number<double>(e2) && !e1 && !e2;
  }
  return pattern == actual;
}

// ---- The server process -------------------------------------------------------------------------------

class ServerProcess {
 public:
  ServerProcess(const std::vector<std::string>& argv, const fs::path& stderrFile) {
    int in[2], out[2];
    if (::pipe(in) != 0 || ::pipe(out) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, stderrFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addclose(&actions, in[1]);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    // The server must not depend on its working directory.
    posix_spawn_file_actions_addchdir_np(&actions, "/");
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    toServer_ = in[1];
    fromServer_ = out[0];
    if (rc != 0) {
      pid_ = -1;
      throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    }
    reader_ = std::thread([this] { readLoop(); });
    waiter_ = std::thread([this] {
      int status = 0;
      ::waitpid(pid_, &status, 0);
      std::lock_guard lock(mu_);
      exitCode_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      cv_.notify_all();
    });
  }

  ~ServerProcess() {
    closeInput();
    {
      std::unique_lock lock(mu_);
      if (!cv_.wait_for(lock, std::chrono::seconds(10), [&] { return exitCode_.has_value(); })) ::kill(pid_, SIGKILL);
    }
    if (waiter_.joinable()) waiter_.join();
    if (reader_.joinable()) reader_.join();
    ::close(fromServer_);
  }

  void write(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(toServer_, bytes.data(), bytes.size());
      if (n <= 0) return;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  void closeInput() {
    if (toServer_ >= 0) ::close(toServer_);
    toServer_ = -1;
  }

  // Waits for an unconsumed message that matches; consumes it.
  bool expect(const json::value& pattern, Captures& captures, Clock::time_point deadline) {
    std::unique_lock lock(mu_);
    return cv_.wait_until(lock, deadline, [&] {
      for (std::size_t i = 0; i < received_.size(); ++i) {
        if (consumed_[i]) continue;
        Captures local;
        if (matches(pattern, received_[i], local)) {
          consumed_[i] = true;
          for (auto& [k, v] : local) captures[k] = std::move(v);
          return true;
        }
      }
      return false;
    });
  }

  bool anyUnconsumedMatches(const json::value& pattern) {
    std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < received_.size(); ++i) {
      Captures ignored;
      if (!consumed_[i] && matches(pattern, received_[i], ignored)) return true;
    }
    return false;
  }

  std::optional<int> waitExit(Clock::time_point deadline) {
    std::unique_lock lock(mu_);
    cv_.wait_until(lock, deadline, [&] { return exitCode_.has_value(); });
    return exitCode_;
  }

  std::optional<int> exitCode() {
    std::lock_guard lock(mu_);
    return exitCode_;
  }

  std::string transcript() {
    std::lock_guard lock(mu_);
    std::string out;
    for (std::size_t i = 0; i < received_.size(); ++i) {
      std::string s = json::serialize(received_[i]);
      if (s.size() > 600) s = s.substr(0, 600) + "...";
      out += (consumed_[i] ? "  (matched) " : "  ") + s + "\n";
    }
    for (const auto& e : badOutput_) out += "  NOT JSON-RPC: " + e + "\n";
    return out;
  }

 private:
  void readLoop() {
    aspm::transport::FrameParser parser;
    std::vector<aspm::transport::FrameEvent> events;
    char buf[65536];
    for (;;) {
      const ssize_t n = ::read(fromServer_, buf, sizeof buf);
      if (n <= 0) break;
      parser.feed(std::string_view(buf, static_cast<std::size_t>(n)), events);
      std::lock_guard lock(mu_);
      for (auto& e : events) {
        boost::system::error_code ec;
        json::value v = e.kind == aspm::transport::FrameEvent::Kind::Message ? json::parse(e.text, ec) : json::value();
        if (e.kind != aspm::transport::FrameEvent::Kind::Message || ec || !v.is_object()) {
          badOutput_.push_back(e.text.substr(0, 300));
          continue;
        }
        received_.push_back(std::move(v));
        consumed_.push_back(false);
      }
      events.clear();
      cv_.notify_all();
    }
  }

  pid_t pid_ = -1;
  int toServer_ = -1;
  int fromServer_ = -1;
  std::thread reader_;
  std::thread waiter_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<json::value> received_;
  std::vector<bool> consumed_;
  std::vector<std::string> badOutput_;
  std::optional<int> exitCode_;
};

// ---- Runner -------------------------------------------------------------------------------------------

void copyTree(const fs::path& from, const fs::path& to) {
  for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator(); ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && (name == ".scanners" || name == "node_modules")) {
      it.disable_recursion_pending();
      continue;
    }
    const fs::path target = to / fs::relative(it->path(), from);
    if (it->is_directory()) fs::create_directories(target);
    else if (it->is_regular_file()) fs::copy_file(it->path(), target, fs::copy_options::overwrite_existing);
  }
}

std::string fileUri(const fs::path& p) { return "file://" + p.generic_string(); }

class Transcript : public ::testing::TestWithParam<std::string> {
 protected:
  void TearDown() override {
    server_.reset();
    std::error_code ec;
    if (!HasFailure() && !dir_.empty()) fs::remove_all(dir_, ec);
    else if (!dir_.empty()) std::cerr << "kept the workspace of the failed transcript: " << dir_ << "\n";
  }

  std::string substitute(std::string text) const {
    std::map<std::string, std::string> vars = {{"ROOT", root().generic_string()}, {"ROOT_URI", fileUri(root())}};
    for (const auto& [k, v] : captures_) vars[k] = json::serialize(v);
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
      if (text.compare(i, 2, "${") == 0) {
        const auto end = text.find('}', i);
        if (end != std::string::npos) {
          const std::string name = text.substr(i + 2, end - i - 2);
          if (name.starts_with("TEXT:")) {
            // A workspace file's content as a JSON string (didOpen needs the real text).
            std::ifstream in(root() / name.substr(5), std::ios::binary);
            std::stringstream ss;
            ss << in.rdbuf();
            out += json::serialize(json::value(ss.str()));
            i = end + 1;
            continue;
          }
          auto it = vars.find(name);
          if (it != vars.end()) {
            out += it->second;
            i = end + 1;
            continue;
          }
        }
      }
      out += text[i++];
    }
    return out;
  }

  fs::path root() const { return dir_ / "ws"; }

  void start(const std::vector<std::string>& extraArgs) {
    std::vector<std::string> argv = {envOr("ASPM_LS", std::string(ASPM_BIN_DIR) + "/aspm-ls")};
    argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
    server_ = std::make_unique<ServerProcess>(argv, dir_ / "stderr.txt");
  }

  std::string context(const Step& step) {
    std::ifstream err(dir_ / "stderr.txt");
    std::stringstream ss;
    ss << err.rdbuf();
    std::string stderrText = ss.str();
    if (stderrText.size() > 4000) stderrText = "..." + stderrText.substr(stderrText.size() - 4000);
    return name_ + ":" + std::to_string(step.line) + "\nreceived:\n" + (server_ ? server_->transcript() : "") +
           "server stderr:\n" + stderrText;
  }

  void run(const fs::path& file) {
    name_ = file.filename().string();
    std::string tmpl = (fs::temp_directory_path() / "aspm-lsp-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    const auto steps = parseScript(file);
    fs::path workspace = kSourceDir / "tests" / "example";
    std::vector<std::string> args;
    std::string batch;
    bool copied = false;
    auto ensureStarted = [&] {
      if (!copied) {
        fs::create_directories(root());
        copyTree(workspace, root());
        copied = true;
      }
    };
    auto flush = [&] {
      if (batch.empty()) return;
      if (!server_) start(args);
      server_->write(batch);
      batch.clear();
    };
    bool exited = false;
    for (const Step& step : steps) {
      if (step.kind != Step::Kind::Send && step.kind != Step::Kind::SendRaw) flush();
      switch (step.kind) {
        case Step::Kind::Workspace: workspace = kSourceDir / step.text; break;
        case Step::Kind::Args: {
          std::istringstream in(step.text);
          for (std::string a; in >> a;) args.push_back(a);
          break;
        }
        case Step::Kind::Remove: ensureStarted(); fs::remove(root() / step.text); break;
        case Step::Kind::Copy: {
          ensureStarted();
          std::istringstream in(step.text);
          std::string from, to;
          in >> from >> to;
          fs::create_directories((root() / to).parent_path());
          // Written under a temporary name and renamed, as scanners do, so the server never
          // reads half a file.
          fs::copy_file(kSourceDir / from, root() / (to + ".part"), fs::copy_options::overwrite_existing);
          fs::rename(root() / (to + ".part"), root() / to);
          break;
        }
        case Step::Kind::Send: {
          ensureStarted();
          const std::string body = substitute(step.text);
          boost::system::error_code ec;
          (void)json::parse(body, ec);  // catch typos in the test itself
          ASSERT_FALSE(ec) << name_ << ":" << step.line << ": the message to send is not JSON: " << body;
          batch += aspm::transport::frameMessage(body);
          break;
        }
        case Step::Kind::SendRaw: ensureStarted(); batch += unescape(substitute(step.text)); break;
        case Step::Kind::Expect:
        case Step::Kind::ExpectNot: {
          ensureStarted();
          if (!server_) start(args);
          boost::system::error_code ec;
          const json::value pattern = json::parse(substitute(step.text), ec);
          ASSERT_FALSE(ec) << name_ << ":" << step.line << ": the pattern is not JSON: " << step.text;
          if (step.kind == Step::Kind::Expect) {
            ASSERT_TRUE(server_->expect(pattern, captures_, Clock::now() + stepTimeout()))
                << "no message matching " << json::serialize(pattern) << "\nat " << context(step);
          } else {
            ASSERT_FALSE(server_->anyUnconsumedMatches(pattern))
                << "unexpected message matching " << json::serialize(pattern) << "\nat " << context(step);
          }
          break;
        }
        case Step::Kind::Eof:
          if (!server_) start(args);
          server_->closeInput();
          break;
        case Step::Kind::Exit: {
          if (!server_) start(args);
          const auto code = server_->waitExit(Clock::now() + stepTimeout());
          ASSERT_TRUE(code) << "the server did not exit\nat " << context(step);
          ASSERT_EQ(*code, std::stoi(step.text)) << "exit code\nat " << context(step);
          exited = true;
          break;
        }
      }
    }
    flush();
    if (!server_ || exited) return;
    // Every transcript ends with a clean shutdown unless it tested the ending itself.
    server_->write(aspm::transport::frameMessage(R"({"jsonrpc":"2.0","id":"final-shutdown","method":"shutdown"})"));
    Captures ignored;
    ASSERT_TRUE(server_->expect(json::parse(R"({"id":"final-shutdown","result":null})"), ignored, Clock::now() + stepTimeout()))
        << "no answer to the final shutdown\nat " << context(Step{Step::Kind::Eof, "", 0});
    server_->write(aspm::transport::frameMessage(R"({"jsonrpc":"2.0","method":"exit"})"));
    const auto code = server_->waitExit(Clock::now() + stepTimeout());
    ASSERT_TRUE(code) << "the server did not exit after shutdown and exit";
    EXPECT_EQ(*code, 0);
  }

  std::string name_;
  fs::path dir_;
  std::unique_ptr<ServerProcess> server_;
  Captures captures_;
};

std::vector<std::string> transcripts() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(kSourceDir / "tests" / "lsp"))
    if (e.path().extension() == ".test") out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST_P(Transcript, Replays) { run(kSourceDir / "tests" / "lsp" / GetParam()); }

INSTANTIATE_TEST_SUITE_P(Lsp, Transcript, ::testing::ValuesIn(transcripts()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string n = param.param.substr(0, param.param.size() - 5);
                           for (auto& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

}  // namespace
