// didchange_bench: what a keystroke costs in a large file with many findings. The measured span
// is the engine's share of one didChange: Workspace::changeDocument (apply the edit, carry the
// location mapping to the new version, publish a snapshot) plus diagnosticsFor() on that file,
// which is when the mapping is evaluated. The same edit script runs with the content mapper (the
// default) and with the edit-shift mapper as the baseline, in the same process.
//
//   didchange_bench [--lines 20000] [--findings 2000] [--edits 2000] [--seed 7]
#include <algorithm>
#include <chrono>
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

namespace {

namespace fs = std::filesystem;
namespace engine = aspm::engine;
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

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

struct Result {
  double p50 = 0, p95 = 0, p99 = 0, max = 0;
  std::size_t lastCount = 0;
};

// One edit of the script, in buffer coordinates valid at its turn.
struct Step {
  engine::TextChange change;
};

Result run(const fs::path& root, std::shared_ptr<const engine::LocationMapper> mapper, const std::string& text,
           const std::vector<Step>& script) {
  Quiet listener;
  engine::WorkspaceOptions options{root.string(), {}, std::chrono::milliseconds(0), std::move(mapper), {}};
  engine::Workspace ws(std::move(options), listener);
  ws.reloadAll();
  if (!ws.waitIdle(Clock::now() + std::chrono::minutes(5))) std::fprintf(stderr, "load timed out\n");
  ws.openDocument("src/big.c", text, 1);
  (void)engine::diagnosticsFor(*ws.snapshot(), "src/big.c");
  std::vector<double> ms;
  ms.reserve(script.size());
  std::int64_t version = 1;
  Result r;
  for (const Step& s : script) {
    const auto t0 = Clock::now();
    ws.changeDocument("src/big.c", {s.change}, ++version);
    const auto diagnostics = engine::diagnosticsFor(*ws.snapshot(), "src/big.c");
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    r.lastCount = diagnostics.items.size();
  }
  r.p50 = percentile(ms, 0.50);
  r.p95 = percentile(ms, 0.95);
  r.p99 = percentile(ms, 0.99);
  r.max = ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end());
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t lines = 20000, findings = 2000, edits = 2000, seed = 7;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const bool hasValue = i + 1 < argc;
    bool ok = hasValue;
    if (a == "--lines" && hasValue) ok = parseCount(argv[++i], lines) && lines > 10;
    else if (a == "--findings" && hasValue) ok = parseCount(argv[++i], findings);
    else if (a == "--edits" && hasValue) ok = parseCount(argv[++i], edits);
    else if (a == "--seed" && hasValue) ok = parseCount(argv[++i], seed);
    else ok = false;
    if (!ok) {
      std::fprintf(stderr, "usage: didchange_bench [--lines N] [--findings N] [--edits N] [--seed N]\n");
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
  std::ofstream(root / "src/big.c", std::ios::binary) << text;
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
  // "scattered" edits land anywhere (the worst case for the content mapper, whose comparison
  // then spans most of the file).
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

  std::printf("didChange -> diagnostics: %zu-line file, %zu findings, %zu edits per script (typing, Enter, line deletions)\n",
              lines, findings, edits);
  std::printf("%-10s %-12s %9s %9s %9s %9s %12s\n", "script", "mapper", "p50 ms", "p95 ms", "p99 ms", "max ms", "diagnostics");
  for (const bool local : {true, false}) {
    const std::vector<Step> script = makeScript(local);
    const char* name = local ? "local" : "scattered";
    const Result content = run(root, std::make_shared<const engine::ContentMapper>(), text, script);
    std::printf("%-10s %-12s %9.3f %9.3f %9.3f %9.3f %12zu\n", name, "content", content.p50, content.p95, content.p99,
                content.max, content.lastCount);
    const Result shift = run(root, std::make_shared<const engine::EditShiftMapper>(), text, script);
    std::printf("%-10s %-12s %9.3f %9.3f %9.3f %9.3f %12zu\n", name, "edit-shift", shift.p50, shift.p95, shift.p99,
                shift.max, shift.lastCount);
  }
  fs::remove_all(root);
  return 0;
}
