// didchange_bench: what a keystroke costs in a large file with many findings.
//
// Two spans are measured. The engine's share of one didChange: Workspace::changeDocument (apply
// the edit, carry the location mapping to the new version, publish a snapshot) plus
// diagnosticsFor() on that file; the same edit script runs with the content mapper (incremental,
// the default), with the content mapper comparing the whole buffer on every edit (how it worked
// before), and with the edit-shift mapper, in the same process. And the language server's: the
// real aspm-ls Server (lsp/) on an in-process transport, from the didChange message's text to the
// end of its handler: JSON parsing, the engine's share, and the publishDiagnostics notification
// encoded as the stdio transport would write it. Only the pipe write is left out. Wall time and
// the thread's CPU time are both reported: on a shared machine the wall time includes waiting for
// a core.
//
//   didchange_bench [--lines 20000] [--findings 2000] [--edits 2000] [--seed 7] [--reps 1]
//                   [--paths server,content,content-full,edit-shift]
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <variant>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "engine/features.h"
#include "engine/workspace.h"
#include "lsp/server.h"
#include "support/log.h"
#include "support/process.h"
#include "transport/jsonrpc.h"

namespace {

namespace fs = std::filesystem;
namespace engine = aspm::engine;
namespace transport = aspm::transport;
using Clock = std::chrono::steady_clock;

struct Quiet final : engine::WorkspaceListener {
  void onLoadStarted(const std::string&, std::size_t) override {}
  void onLoadProgress(unsigned, const std::string&) override {}
  void onLoadFinished(const engine::LoadSummary&) override {}
  void onFindingsChanged(const std::vector<std::string>&) override {}
  void onProblems(const aspm::support::Problems&) override {}
};

bool parseCount(const char* s, std::size_t& out) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(s, &end, 10);
  if (!end || *end != '\0') return false;
  out = static_cast<std::size_t>(v);
  return true;
}

double threadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

struct Samples {
  std::vector<double> wall, cpu;
  std::size_t lastCount = 0;
  void add(double w, double c) {
    wall.push_back(w);
    cpu.push_back(c);
  }
};

void print(const char* script, const char* path, const Samples& s) {
  const double max = s.wall.empty() ? 0 : *std::max_element(s.wall.begin(), s.wall.end());
  std::printf("%-10s %-14s %8.3f %8.3f %8.3f %8.3f | %8.3f %8.3f %8.3f %12zu\n", script, path, percentile(s.wall, 0.5),
              percentile(s.wall, 0.95), percentile(s.wall, 0.99), max, percentile(s.cpu, 0.5), percentile(s.cpu, 0.95),
              percentile(s.cpu, 0.99), s.lastCount);
  std::fflush(stdout);
}

// One edit of the script, in buffer coordinates valid at its turn.
struct Step {
  engine::TextChange change;
};

const char* const kPath = "src/big.c";

Samples runEngine(const fs::path& root, std::shared_ptr<const engine::LocationMapper> mapper, const std::string& text,
                  const std::vector<Step>& script) {
  Quiet listener;
  engine::WorkspaceOptions options{root.string(), {}, std::chrono::milliseconds(0), std::move(mapper), {}};
  engine::Workspace ws(std::move(options), listener);
  ws.reloadAll();
  if (!ws.waitIdle(Clock::now() + std::chrono::minutes(5))) std::fprintf(stderr, "load timed out\n");
  ws.openDocument(kPath, text, 1);
  (void)engine::diagnosticsFor(*ws.snapshot(), kPath);
  Samples out;
  std::int64_t version = 1;
  for (const Step& s : script) {
    const double c0 = threadCpuMs();
    const auto t0 = Clock::now();
    ws.changeDocument(kPath, {s.change}, ++version);
    const auto diagnostics = engine::diagnosticsFor(*ws.snapshot(), kPath);
    out.add(std::chrono::duration<double, std::milli>(Clock::now() - t0).count(), threadCpuMs() - c0);
    out.lastCount = diagnostics.items.size();
  }
  return out;
}

// The language server's message loop without the pipes: messages are handed over as text and
// parsed on the loop thread as the stdio transport does; what the server sends is encoded and
// dropped. The handling of each message is timed on the loop thread.
class LoopTransport final : public transport::Transport {
 public:
  void notify(std::string_view method, const transport::Json& params) override {
    std::string body = transport::encodeNotification(method, params);
    if (method == "textDocument/publishDiagnostics") {
      // Kept, not inspected: counting is not part of the server's handling.
      std::lock_guard lock(mu_);
      ++published_;
      lastPublished_ = std::move(body);
    }
  }
  void call(std::string_view method, const transport::Json& params, const transport::RequestId& id) override {
    (void)transport::encodeRequest(id, method, params);
  }
  void reply(const transport::RequestId& id, const transport::Expected<transport::Json>& result) override {
    (void)transport::encodeResponse(id, result);
  }
  void post(std::function<void()> task) override {
    std::lock_guard lock(mu_);
    tasks_.push_back(std::move(task));
    cv_.notify_all();
  }
  void run(transport::MessageHandler& handler) override {
    for (;;) {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopped_ || !tasks_.empty() || !inbox_.empty(); });
      if (stopped_) return;
      if (!tasks_.empty()) {
        auto task = std::move(tasks_.front());
        tasks_.pop_front();
        lock.unlock();
        task();
        continue;
      }
      std::string message = std::move(inbox_.front());
      inbox_.pop_front();
      lock.unlock();
      const double c0 = threadCpuMs();
      const auto t0 = Clock::now();
      auto parsed = transport::parseEnvelope(message);
      if (auto* e = std::get_if<transport::Envelope>(&parsed)) {
        if (e->kind == transport::Envelope::Kind::Request) handler.onRequest(e->method, std::move(e->params), e->id);
        else if (e->kind == transport::Envelope::Kind::Notification) handler.onNotification(e->method, std::move(e->params));
      }
      // The dispatcher queues the message and posts its handling (and a handler may post more):
      // the message is handled once the loop has nothing left to run.
      for (;;) {
        lock.lock();
        if (tasks_.empty()) break;
        auto task = std::move(tasks_.front());
        tasks_.pop_front();
        lock.unlock();
        task();
      }
      const double wall = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      const double cpu = threadCpuMs() - c0;
      lastWall_ = wall;
      lastCpu_ = cpu;
      ++handled_;
      cv_.notify_all();
    }
  }
  void stop() override {
    std::lock_guard lock(mu_);
    stopped_ = true;
    cv_.notify_all();
  }

  // Sends one message and waits until the loop has handled it; returns its wall and CPU time.
  std::pair<double, double> send(std::string message) {
    std::unique_lock lock(mu_);
    const std::uint64_t target = handled_ + inbox_.size() + 1;
    inbox_.push_back(std::move(message));
    cv_.notify_all();
    cv_.wait(lock, [&] { return handled_ >= target || stopped_; });
    return {lastWall_, lastCpu_};
  }
  // Waits until the loop has nothing queued (posted publications included).
  void drain() {
    post([] {});
    for (;;) {
      {
        std::lock_guard lock(mu_);
        if (tasks_.empty() && inbox_.empty()) break;
      }
      std::this_thread::yield();
    }
    send(R"({"jsonrpc":"2.0","method":"$/setTrace","params":{"value":"off"}})");
  }
  std::size_t lastDiagnostics() {
    std::lock_guard lock(mu_);
    return countDiagnostics(lastPublished_);
  }

 private:
  static std::size_t countDiagnostics(std::string_view body) {
    std::size_t n = 0;
    for (std::size_t at = body.find("\"severity\""); at != std::string_view::npos; at = body.find("\"severity\"", at + 1)) ++n;
    return n;
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  std::deque<std::string> inbox_;
  bool stopped_ = false;
  std::uint64_t handled_ = 0;
  std::uint64_t published_ = 0;
  std::string lastPublished_;
  double lastWall_ = 0, lastCpu_ = 0;
};

std::string jsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += c;
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out + "\"";
}

Samples runServer(const fs::path& root, const std::string& text, const std::vector<Step>& script) {
  LoopTransport loop;
  Samples out;
  {
    aspm::lsp::Server server(loop, aspm::lsp::ServerOptions{"bench", std::chrono::milliseconds(0), false});
    std::thread thread([&] { (void)server.run(); });
    const std::string rootUri = "file://" + fs::absolute(root).generic_string();
    const std::string uri = rootUri + "/" + kPath;
    loop.send(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":)" + jsonString(rootUri) +
              R"(,"capabilities":{}}})");
    loop.send(R"({"jsonrpc":"2.0","method":"initialized","params":{}})");
    if (!server.workspace() || !server.workspace()->waitIdle(Clock::now() + std::chrono::minutes(5)))
      std::fprintf(stderr, "load timed out\n");
    loop.drain();
    loop.send(R"({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":)" + jsonString(uri) +
              R"(,"languageId":"c","version":1,"text":)" + jsonString(text) + "}}}");
    std::int64_t version = 1;
    for (const Step& s : script) {
      const engine::Range& r = *s.change.range;
      const auto [wall, cpu] = loop.send(
          R"({"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":)" + jsonString(uri) +
          ",\"version\":" + std::to_string(++version) + R"(},"contentChanges":[{"range":{"start":{"line":)" +
          std::to_string(r.start.line) + ",\"character\":" + std::to_string(r.start.character) + R"(},"end":{"line":)" +
          std::to_string(r.end.line) + ",\"character\":" + std::to_string(r.end.character) + "}},\"text\":" +
          jsonString(s.change.text) + "}]}}");
      out.add(wall, cpu);
    }
    loop.send(R"({"jsonrpc":"2.0","id":2,"method":"shutdown","params":null})");
    loop.send(R"({"jsonrpc":"2.0","method":"exit","params":null})");
    thread.join();
  }
  aspm::support::setLogSink(nullptr);  // the server's sink went with it
  out.lastCount = loop.lastDiagnostics();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  aspm::support::tuneAllocator(argv);
  std::size_t lines = 20000, findings = 2000, edits = 2000, seed = 7, reps = 1;
  std::string paths = ",server,content,content-full,edit-shift,";
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const bool hasValue = i + 1 < argc;
    bool ok = hasValue;
    if (a == "--lines" && hasValue) ok = parseCount(argv[++i], lines) && lines > 100;
    else if (a == "--findings" && hasValue) ok = parseCount(argv[++i], findings);
    else if (a == "--edits" && hasValue) ok = parseCount(argv[++i], edits);
    else if (a == "--seed" && hasValue) ok = parseCount(argv[++i], seed);
    else if (a == "--reps" && hasValue) ok = parseCount(argv[++i], reps) && reps > 0;
    else if (a == "--paths" && hasValue) paths = "," + std::string(argv[++i]) + ",";
    else ok = false;
    if (!ok) {
      std::fprintf(stderr, "usage: didchange_bench [--lines N>100] [--findings N] [--edits N] [--seed N] [--reps N] [--paths LIST]\n");
      return 2;
    }
  }
  const fs::path root = fs::temp_directory_path() / ("aspm-didchange-" + std::to_string(seed) + "-" + std::to_string(lines));
  fs::remove_all(root);
  fs::create_directories(root / "src");
  fs::create_directories(root / ".aspm");

  // A C file of `lines` distinct statements, and a report with `findings` of them.
  std::string text;
  for (std::size_t i = 0; i < lines; ++i) text += "  buffer_" + std::to_string(i) + "[index] = compute(value, " + std::to_string(i % 97) + ");\n";
  std::ofstream(root / kPath, std::ios::binary) << text;
  std::mt19937_64 rng(seed);
  std::string results;
  for (std::size_t k = 0; k < findings; ++k) {
    const std::size_t line = 1 + (k * lines) / std::max<std::size_t>(findings, 1);
    if (!results.empty()) results += ',';
    results += R"({"ruleId":"R)" + std::to_string(k % 50) + R"(","level":"warning","message":{"text":"finding )" +
               std::to_string(k) + R"("},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/big.c"},"region":{"startLine":)" +
               std::to_string(line) + R"(,"startColumn":3,"endColumn":12}}}]})";
  }
  std::ofstream(root / ".aspm/bench.sarif", std::ios::binary)
      << R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"bench"}},"results":[)" << results << "]}]}";

  // Two edit scripts of typing characters, Enter, and deleting a line; positions are chosen
  // against a line count kept alongside, so every edit is valid. "local" edits stay within a
  // 40-line window that drifts through the file, as when someone works on one function;
  // "scattered" edits land anywhere (the worst case for the content mapper: every edit is far
  // from the previous one, and the differences from the disk text pile up all over the file).
  auto makeScript = [&](bool local) {
    std::vector<Step> script;
    std::size_t lineCount = lines;
    std::size_t window = lines / 3;
    for (std::size_t e = 0; e < edits; ++e) {
      if (local && e % 50 == 49) window = (window + 7) % (lineCount - 50);
      const auto line = static_cast<std::uint32_t>(local ? window + rng() % 40 : rng() % (lineCount - 1));
      Step s;
      switch (rng() % 4) {
        case 0:
        case 1:
          s.change = {engine::Range{{line, 2}, {line, 2}}, "x"};
          break;
        case 2:
          s.change = {engine::Range{{line, 0}, {line, 0}}, "\n"};
          ++lineCount;
          break;
        default:
          s.change = {engine::Range{{line, 0}, {line + 1, 0}}, ""};
          --lineCount;
          break;
      }
      script.push_back(std::move(s));
    }
    return script;
  };
  const std::vector<Step> local = makeScript(true);
  const std::vector<Step> scattered = makeScript(false);

  std::printf("didChange -> diagnostics: %zu-line file, %zu findings, %zu edits per script (typing, Enter, line deletions)\n",
              lines, findings, edits);
  std::printf("%-10s %-14s %8s %8s %8s %8s | %8s %8s %8s %12s\n", "script", "path", "p50 ms", "p95 ms", "p99 ms", "max ms",
              "cpu p50", "cpu p95", "cpu p99", "diagnostics");
  // Each repetition runs every variant once, interleaved, so load from other work spreads over all.
  for (std::size_t rep = 0; rep < reps; ++rep) {
    if (reps > 1) std::printf("-- run %zu of %zu\n", rep + 1, reps);
    for (const bool isLocal : {true, false}) {
      const std::vector<Step>& script = isLocal ? local : scattered;
      const char* name = isLocal ? "local" : "scattered";
      auto wanted = [&](std::string_view path) { return paths.find("," + std::string(path) + ",") != std::string::npos; };
      if (wanted("server")) print(name, "server", runServer(root, text, script));
      if (wanted("content")) print(name, "content", runEngine(root, std::make_shared<const engine::ContentMapper>(), text, script));
      if (wanted("content-full"))
        print(name, "content-full", runEngine(root, std::make_shared<const engine::ContentMapper>(false), text, script));
      if (wanted("edit-shift"))
        print(name, "edit-shift", runEngine(root, std::make_shared<const engine::EditShiftMapper>(), text, script));
    }
  }
  fs::remove_all(root);
  return 0;
}
