// Correlation + risk scoring throughput: a seeded synthetic scan set shaped like five tools
// over one code base (flawfinder-, cppcheck- and gcc-like C analyzers, a Semgrep-like SAST tool,
// a Trivy-like dependency scanner), where most real problems are reported by two or three of
// them a line or two apart. Prints one JSON line per size with the wall and CPU time of
// correlate::correlate() (facts, candidate pairs, union-find, fingerprints, GitHub line hashes,
// fix groups, risk with EPSS/KEV/applications) and the process's peak RSS. CPU time is the
// figure to compare on a shared machine: wall time there includes waiting for a core.
//
// usage: correlate_bench [N ...]   (default: 10000 100000 1000000)
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "correlate/correlate.h"
#include "support/process.h"

namespace {
using namespace aspm;

// A small deterministic PRNG (xorshift64*), so every machine builds the same input.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 0x2545F4914F6CDD1DULL;
  }
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }
  bool chance(double p) { return static_cast<double>(next() % 1000000) < p * 1000000; }
};

struct ToolSpec {
  const char* name;
  std::vector<std::pair<std::string, std::string>> rules;  // id, CWE ("" when the tool states none)
};

struct Built {
  model::ScanSet scans;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> files;
  correlate::RiskContext risk;
};

Built build(std::size_t n, std::uint64_t seed) {
  Built b;
  Rng rng{seed * 0x9E3779B97F4A7C15ULL + 1};
  const std::vector<ToolSpec> tools = {
      {"Flawfinder", {{"FF1001", "CWE-120"}, {"FF1004", "CWE-120"}, {"FF1016", "CWE-134"}, {"FF1013", "CWE-119"}}},
      {"cppcheck", {{"bufferAccessOutOfBounds", "CWE-788"}, {"nullPointer", "CWE-476"}, {"memleak", "CWE-401"}, {"uninitvar", "CWE-457"}}},
      {"gcc", {{"-Wstringop-overflow=", ""}, {"-Wanalyzer-null-dereference", ""}, {"-Wanalyzer-malloc-leak", ""},
               {"-Wanalyzer-use-of-uninitialized-value", ""}, {"-Wformat-security", ""}}},
      {"Semgrep OSS", {{"c.lang.security.insecure-use-strcpy", "CWE-120"}, {"c.lang.security.format-string", "CWE-134"},
                       {"c.lang.correctness.null-deref", "CWE-476"}, {"python.lang.security.subprocess-shell", "CWE-78"}}},
      {"Trivy", {}},
  };
  // Weakness classes and which rule of each tool reports them (-1: that tool cannot).
  const int classRule[5][4] = {{0, 0, 0, 0}, {-1, 1, 1, 2}, {-1, 2, 2, -1}, {-1, 3, 3, -1}, {2, -1, 4, 1}};
  for (const auto& t : tools) {
    model::Run run;
    run.tool.name = t.name;
    for (const auto& [id, cwe] : t.rules) {
      model::Rule r;
      r.id = id;
      if (!cwe.empty()) r.cwes = {cwe};
      r.shortDescription = "rule " + id;
      if (t.name == std::string("Semgrep OSS")) r.securitySeverity = 7.5;
      run.rules.push_back(r);
    }
    b.scans.runs.push_back(run);
  }
  const std::size_t fileCount = std::max<std::size_t>(40, n / 25);
  std::vector<std::string> paths;
  for (std::size_t f = 0; f < fileCount; ++f) {
    paths.push_back("services/svc" + std::to_string(f % 10) + "/src/module" + std::to_string(f) + ".c");
    std::string text;
    for (int l = 0; l < 300; ++l) text += "  int v" + std::to_string(l) + " = compute(x" + std::to_string((l * 7 + f) % 97) + ");\n";
    b.files[paths.back()] = std::make_shared<const std::string>(std::move(text));
  }
  // Dependencies: packages with CVEs, a fraction of them in KEV, all scored by EPSS.
  const std::size_t packages = std::max<std::size_t>(20, n / 200);
  for (std::size_t p = 0; p < packages; ++p) {
    for (int c = 0; c < 3; ++c) {
      const std::string cve = "CVE-2023-" + std::to_string(10000 + p * 3 + static_cast<std::size_t>(c));
      b.risk.epss[cve] = {static_cast<double>(rng.below(1000)) / 1000.0, static_cast<double>(rng.below(1000)) / 1000.0};
      if (rng.chance(0.02)) b.risk.kev[cve] = {"2024-01-01", rng.chance(0.2)};
    }
  }
  b.risk.epssSource = "synthetic";
  b.risk.kevSource = "synthetic";
  for (int s = 0; s < 10; ++s) {
    correlate::Application app;
    app.name = "svc" + std::to_string(s);
    app.paths = {"services/svc" + std::to_string(s) + "/**"};
    app.criticality = s % 3 == 0 ? "critical" : "medium";
    app.internetFacing = s % 2 == 0;
    b.risk.applications.push_back(app);
  }

  auto add = [&](std::uint32_t tool, int rule, const std::string& path, std::uint32_t line, std::string message) {
    model::Result r;
    r.run = tool;
    r.rule = rule;
    r.ruleId = rule >= 0 ? b.scans.runs[tool].rules[static_cast<std::size_t>(rule)].id : "";
    r.message = std::move(message);
    model::Location loc;
    loc.uri = path;
    loc.resolved = true;
    loc.region.startLine = line;
    r.locations.push_back(loc);
    r.source.result = static_cast<std::uint32_t>(b.scans.results.size());
    b.scans.results.push_back(std::move(r));
  };
  while (b.scans.results.size() < n) {
    if (rng.chance(0.15)) {
      // A dependency finding: one per CVE of a package, several CVEs fixed by one upgrade.
      const std::size_t p = rng.below(static_cast<std::uint32_t>(packages));
      const std::string cve = "CVE-2023-" + std::to_string(10000 + p * 3 + rng.below(3));
      model::Rule rule;
      rule.id = cve;
      b.scans.runs[4].rules.push_back(rule);
      add(4, static_cast<int>(b.scans.runs[4].rules.size() - 1), "services/svc" + std::to_string(p % 10) + "/package-lock.json", 1,
          "Package: pkg" + std::to_string(p) + "\nInstalled Version: 1.0." + std::to_string(p % 7) + "\nVulnerability " + cve +
              "\nFixed Version: 1." + std::to_string(1 + p % 3) + ".0");
      continue;
    }
    // A SAST problem, reported by one to three of the four SAST tools near the same line.
    const std::string& path = paths[rng.below(static_cast<std::uint32_t>(paths.size()))];
    const std::uint32_t line = 1 + rng.below(295);
    const std::uint32_t cls = rng.below(5);
    const std::uint32_t reporters = 1 + rng.below(3);
    std::uint32_t start = rng.below(4);
    for (std::uint32_t k = 0; k < reporters && b.scans.results.size() < n; ++k) {
      const std::uint32_t tool = (start + k) % 4;
      const int rule = classRule[cls][tool];
      if (rule < 0) continue;
      add(tool, rule, path, line + rng.below(3), "finding " + std::to_string(cls) + " at line " + std::to_string(line));
    }
  }
  return b;
}

double cpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
}

long peakRssKb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  aspm::support::tuneAllocator(argv);
  std::vector<std::size_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(static_cast<std::size_t>(std::strtoull(argv[i], nullptr, 10)));
  if (sizes.empty()) sizes = {10000, 100000, 1000000};
  for (std::size_t n : sizes) {
    Built b = build(n, 1);
    correlate::CorrelateOptions o;
    o.risk = &b.risk;
    o.content = [&](const std::string& p) -> std::shared_ptr<const std::string> {
      auto it = b.files.find(p);
      return it == b.files.end() ? nullptr : it->second;
    };
    const double c0 = cpuMs();
    const auto t0 = std::chrono::steady_clock::now();
    const auto c = correlate::correlate(b.scans, o);
    const auto t1 = std::chrono::steady_clock::now();
    const double cpu = cpuMs() - c0;
    const double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
    std::printf(
        "{\"results\": %zu, \"findings\": %zu, \"duplicatesMerged\": %zu, \"fixGroups\": %zu, \"ms\": %.1f, "
        "\"cpuMs\": %.1f, \"cpuUsPerResult\": %.2f, \"peakRssMB\": %.1f}\n",
        b.scans.results.size(), c.findings.size(), c.noise.duplicatesMerged, c.fixGroups.size(), ms,
        cpu, cpu * 1000.0 / static_cast<double>(b.scans.results.size()), static_cast<double>(peakRssKb()) / 1024.0);
    std::fflush(stdout);
  }
  return 0;
}
