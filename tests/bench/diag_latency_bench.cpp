// diag_latency_bench: how long an editor waits for a file's diagnostics (didOpen ->
// publishDiagnostics) when the workspace holds a million findings.
//
// The workspace is loaded the way aspm-ls loads it (engine::Workspace::reloadAll over the
// report files under .aspm/), then files are opened one at a time: the measured span is the
// engine's share of a didOpen, from Workspace::openDocument (read the file as on disk, set up its
// location mapping, publish a snapshot) to diagnosticsFor() returning that file's diagnostics.
// JSON encoding and the write to the client happen in lsp/ and are not included. The sample
// covers the files with the most findings and a seeded random draw of the others, opened in a
// shuffled order, each several times; percentiles are over the random sample, and the hottest
// files are reported on their own.
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/features.h"
#include "engine/workspace.h"
#include "support/file.h"
#include "support/process.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace engine = aspm::engine;

long peakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  return 0;
}

// CPU time of the calling thread. On a shared machine a wall-clock latency includes the time the
// thread waited for a core; this does not, so both are reported.
double threadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// CPU time of the whole process (every thread), in seconds.
double processCpuSeconds() {
  rusage ru{};
  if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
  auto sec = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

class Listener final : public engine::WorkspaceListener {
 public:
  void onLoadStarted(const std::string&, std::size_t) override {}
  void onLoadProgress(unsigned, const std::string&) override {}
  void onLoadFinished(const engine::LoadSummary& summary) override {
    std::lock_guard lock(mu_);
    last_ = summary;
  }
  void onProblems(const aspm::support::Problems& problems) override { problems_ += problems.size(); }
  void onFindingsChanged(const std::vector<std::string>&) override {}

  engine::LoadSummary last() {
    std::lock_guard lock(mu_);
    return last_;
  }
  std::size_t problems() const { return problems_.load(); }

 private:
  std::mutex mu_;
  engine::LoadSummary last_;
  std::atomic<std::size_t> problems_{0};
};

// splitmix64, as in the generator: the sample is the same on every machine.
struct Rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(pos);
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

void usage(std::FILE* to) {
  std::fputs(
      "usage: diag_latency_bench --workspace DIR [--files N] [--hottest N] [--repeat N] [--seed S]\n"
      "Loads every .aspm/**/*.sarif under DIR, then opens N sampled files (default 500) plus the\n"
      "N files with the most findings (default 10), each --repeat times (default 5), and prints\n"
      "key=value lines: load figures, then the didOpen-to-diagnostics latency (ms).\n",
      to);
}

bool parseCount(const char* s, std::size_t& out) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(s, &end, 10);
  if (!end || *end != '\0' || end == s) return false;
  out = static_cast<std::size_t>(v);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  aspm::support::tuneAllocator(argv);
  std::string root;
  std::size_t sampleFiles = 500;
  std::size_t hottest = 10;
  std::size_t repeat = 5;
  std::size_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const bool hasValue = i + 1 < argc;
    bool ok = hasValue;
    if (a == "--workspace" && hasValue) root = argv[++i];
    else if (a == "--files" && hasValue) ok = parseCount(argv[++i], sampleFiles);
    else if (a == "--hottest" && hasValue) ok = parseCount(argv[++i], hottest);
    else if (a == "--repeat" && hasValue) ok = parseCount(argv[++i], repeat) && repeat > 0;
    else if (a == "--seed" && hasValue) ok = parseCount(argv[++i], seed);
    else if (a == "--help" || a == "-h") {
      usage(stdout);
      return 0;
    } else ok = false;
    if (!ok) {
      usage(stderr);
      return 2;
    }
  }
  if (root.empty()) {
    usage(stderr);
    return 2;
  }

  Listener listener;
  engine::WorkspaceOptions options;
  options.root = root;
  options.settings.reportGlobs = {".aspm/**/*.sarif"};
  options.debounce = std::chrono::milliseconds(0);
  engine::Workspace ws(options, listener);

  const double loadCpuStart = processCpuSeconds();
  const auto loadStart = Clock::now();
  ws.reloadAll();
  if (!ws.waitIdle(loadStart + std::chrono::hours(1))) {
    std::fputs("diag_latency_bench: loading did not finish within an hour\n", stderr);
    return 1;
  }
  const double loadSeconds = std::chrono::duration<double>(Clock::now() - loadStart).count();
  const double loadCpuSeconds = processCpuSeconds() - loadCpuStart;
  const long loadPeakKb = peakRssKb();

  const auto snap = ws.snapshot();
  std::size_t findings = 0;
  std::size_t results = 0;
  std::unordered_map<std::string, std::size_t> perFile;
  std::size_t reportFiles = 0;
  for (const auto& report : snap->reports) {
    reportFiles += report->inputs.empty() ? 1 : report->inputs.size();
    findings += report->findings.size();
    results += report->scans.results.size();
    for (const auto& [path, indices] : report->byPath) perFile[path] += indices.size();
  }
  std::printf("reports=%zu results=%zu findings=%zu files_with_findings=%zu load_problems=%zu\n",
              reportFiles, results, findings, perFile.size(), listener.problems());
  std::printf("load_seconds=%.3f load_cpu_seconds=%.3f load_peak_rss_kb=%ld\n", loadSeconds, loadCpuSeconds,
              loadPeakKb);
  if (perFile.empty()) {
    std::fputs("diag_latency_bench: no findings were placed in the workspace (check --workspace)\n", stderr);
    return 1;
  }

  // The sample: the hottest files, then a seeded draw from the rest.
  std::vector<std::pair<std::string, std::size_t>> files(perFile.begin(), perFile.end());
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::vector<std::size_t> fileCounts;
  for (const auto& f : files) fileCounts.push_back(f.second);
  std::vector<std::size_t> chosen;
  for (std::size_t i = 0; i < std::min(hottest, files.size()); ++i) chosen.push_back(i);
  Rng rng{seed};
  std::vector<std::size_t> rest;
  for (std::size_t i = chosen.size(); i < files.size(); ++i) rest.push_back(i);
  for (std::size_t i = rest.size(); i > 1; --i) std::swap(rest[i - 1], rest[rng.below(i)]);
  rest.resize(std::min(rest.size(), sampleFiles));
  chosen.insert(chosen.end(), rest.begin(), rest.end());

  std::vector<std::size_t> opens;
  for (std::size_t r = 0; r < repeat; ++r) opens.insert(opens.end(), chosen.begin(), chosen.end());
  for (std::size_t i = opens.size(); i > 1; --i) std::swap(opens[i - 1], opens[rng.below(i)]);

  // The random sample answers "a file picked at random"; the hottest files are reported apart,
  // so that a handful of extreme files neither hide in nor dominate the percentiles.
  struct Series {
    std::vector<double> wall;    // didOpen to diagnostics
    std::vector<double> cpu;     // the same span in thread CPU time
    std::vector<double> opened;  // openDocument alone (wall)
    std::vector<double> diag;    // snapshot + diagnosticsFor alone (wall)
  };
  Series sample;
  Series hot;      // the --hottest files
  Series hotOne;   // the single file with the most findings
  const std::size_t hotCount = std::min(hottest, files.size());
  std::size_t shown = 0;
  std::int64_t version = 0;
  using Ms = std::chrono::duration<double, std::milli>;
  for (std::size_t idx : opens) {
    const std::string& key = files[idx].first;
    // The editor sends the text with didOpen; reading it is not the server's time.
    std::string text = aspm::support::readFile(root + "/" + key).value_or(std::string());
    const double c0 = threadCpuMs();
    const auto t0 = Clock::now();
    ws.openDocument(key, std::move(text), ++version);
    const auto t1 = Clock::now();
    const auto s = ws.snapshot();
    const engine::FileDiagnostics d = engine::diagnosticsFor(*s, key);
    const auto t2 = Clock::now();
    const double cpuMs = threadCpuMs() - c0;
    ws.closeDocument(key);
    for (Series* series : std::array<Series*, 2>{idx < hotCount ? &hot : &sample, idx == 0 ? &hotOne : nullptr}) {
      if (!series) continue;
      series->wall.push_back(Ms(t2 - t0).count());
      series->cpu.push_back(cpuMs);
      series->opened.push_back(Ms(t1 - t0).count());
      series->diag.push_back(Ms(t2 - t1).count());
    }
    shown += d.items.size();
  }
  ws.stop();

  std::printf("opens=%zu sample_opens=%zu sample_files=%zu hot_files=%zu diagnostics_shown=%zu\n", opens.size(),
              sample.wall.size(), chosen.size() - hotCount, hotCount, shown);
  std::printf("findings_per_file_median=%zu findings_per_file_p99=%zu findings_per_file_max=%zu\n",
              fileCounts[fileCounts.size() / 2], fileCounts[fileCounts.size() / 100], fileCounts.front());
  auto print = [](const char* prefix, const Series& v) {
    std::printf("%slatency_ms_median=%.3f %slatency_ms_p90=%.3f %slatency_ms_p99=%.3f %slatency_ms_max=%.3f\n", prefix,
                quantile(v.wall, 0.5), prefix, quantile(v.wall, 0.9), prefix, quantile(v.wall, 0.99), prefix,
                quantile(v.wall, 1.0));
    std::printf("%scpu_ms_median=%.3f %scpu_ms_p90=%.3f %scpu_ms_p99=%.3f %scpu_ms_max=%.3f\n", prefix,
                quantile(v.cpu, 0.5), prefix, quantile(v.cpu, 0.9), prefix, quantile(v.cpu, 0.99), prefix,
                quantile(v.cpu, 1.0));
    std::printf("%sopen_ms_median=%.3f %sopen_ms_p99=%.3f %sdiagnostics_ms_median=%.3f %sdiagnostics_ms_p99=%.3f\n",
                prefix, quantile(v.opened, 0.5), prefix, quantile(v.opened, 0.99), prefix, quantile(v.diag, 0.5),
                prefix, quantile(v.diag, 0.99));
  };
  print("", sample);
  print("hot_", hot);
  print("hottest_", hotOne);
  std::printf("hottest_file=%s hottest_findings=%zu hot_min_findings=%zu\n", files.front().first.c_str(),
              files.front().second, hotCount ? files[hotCount - 1].second : 0);
  std::printf("peak_rss_kb=%ld\n", peakRssKb());
  return 0;
}
