// remap_bench: what it costs to bring an old scan up to date. A history of C, C++, Python and
// JavaScript code (history.h, scaled up to several hundred files) is imported into a real git
// repository; a report of findings on the risky statements of commit X is mapped with
// mapping::remapFindings onto the working tree checked out `--distance` commits later, with a few
// uncommitted edits on top. The same findings are mapped by remap() with the syntax anchors off
// and by the diff-shift baseline (per file, shift inside unchanged text at the same path, else
// lost) in the same run.
//
// The report is synthetic (the rules flawfinder, bandit and ESLint give those statements), but
// every position is taken from the file contents at X, so the mapping does the same work it does
// for a real scan. The generator knows where every line went, so placements are also checked.
//
//   remap_bench [--scale 18] [--findings 10000] [--before 100] [--distance 500] [--dirty 3]
//               [--repeat 3] [--seed 20241127] [--keep] [--only-aspm]
//
// Exit status: 0 on success, 1 when the mapping misbehaved (problems, nothing placed), 2 on bad
// arguments, 77 when git is not installed.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "correlate/line_hash.h"
#include "gitmap/repository.h"
#include "history.h"
#include "mapping/remap.h"
#include "support/file.h"
#include "support/hash.h"

namespace {

namespace fs = std::filesystem;
namespace bench = aspm::mapping::bench;
namespace gitmap = aspm::gitmap;
namespace mapping = aspm::mapping;
namespace model = aspm::model;
using Clock = std::chrono::steady_clock;

struct Args {
  std::uint32_t scale = 18;
  std::size_t findings = 10000;
  std::uint32_t before = 100;
  std::uint32_t distance = 500;
  std::uint32_t dirty = 3;
  std::uint32_t repeat = 3;
  std::uint32_t seed = 20241127;
  bool keep = false;
  bool onlyAspm = false;  // --only-aspm: skip the other methods (for profiling)
};

bool parseNumber(const char* s, std::uint64_t& out) {
  char* end = nullptr;
  out = std::strtoull(s, &end, 10);
  return end && end != s && *end == '\0';
}

std::optional<Args> parseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--keep") {
      a.keep = true;
      continue;
    }
    if (flag == "--only-aspm") {
      a.onlyAspm = true;
      continue;
    }
    std::uint64_t v = 0;
    if (i + 1 >= argc || !parseNumber(argv[i + 1], v)) {
      std::fprintf(stderr, "remap_bench: %s needs a number\n", flag.c_str());
      return std::nullopt;
    }
    ++i;
    if (flag == "--scale") a.scale = static_cast<std::uint32_t>(std::max<std::uint64_t>(v, 1));
    else if (flag == "--findings") a.findings = static_cast<std::size_t>(v);
    else if (flag == "--before") a.before = static_cast<std::uint32_t>(v);
    else if (flag == "--distance") a.distance = static_cast<std::uint32_t>(std::max<std::uint64_t>(v, 1));
    else if (flag == "--dirty") a.dirty = static_cast<std::uint32_t>(v);
    else if (flag == "--repeat") a.repeat = static_cast<std::uint32_t>(std::max<std::uint64_t>(v, 1));
    else if (flag == "--seed") a.seed = static_cast<std::uint32_t>(v);
    else {
      std::fprintf(stderr, "remap_bench: unknown option %s\n", flag.c_str());
      return std::nullopt;
    }
  }
  return a;
}

// The rule a scanner reports on a generated statement ("" for ordinary code). Names follow
// flawfinder's category/function and bandit's test ids.
struct Pattern {
  const char* needle;
  const char* rule;
};
constexpr Pattern kCRules[] = {
    {"strcpy(", "buffer/strcpy"}, {"strcat(", "buffer/strcat"},   {"sprintf(", "format/sprintf"},
    {"system(", "shell/system"},  {"memcpy(", "buffer/memcpy"},   {"gets(", "buffer/gets"},
    {"printf(", "format/printf"}, {"popen(", "shell/popen"},      {"access(", "race/access"},
    {"chmod(", "race/chmod"},     {"tmpnam(", "tmpfile/tmpnam"}, {"getenv(", "buffer/getenv"},
    {"srand(", "random/srand"},   {"char ", "buffer/char"}};
constexpr Pattern kPyRules[] = {
    {"shell=True", "B602"}, {"os.system(", "B605"}, {"eval(", "B307"},     {"pickle.loads(", "B301"},
    {"yaml.load(", "B506"}, {"hashlib.md5(", "B324"}, {"exec(", "B102"}, {"tempfile.mktemp(", "B306"},
    {"verify=False", "B501"}, {"assert ", "B101"}};

constexpr Pattern kJsRules[] = {
    {"child_process.exec(", "security/detect-child-process"},
    {"eval(", "security/detect-eval-with-expression"},
    {"fs.readFile(", "security/detect-non-literal-fs-filename"},
    {"fs.writeFileSync(", "security/detect-non-literal-fs-filename"},
    {"new RegExp(", "security/detect-non-literal-regexp"},
    {"pseudoRandomBytes(", "security/detect-pseudoRandomBytes"},
    {"new Buffer(", "security/detect-new-buffer"},
    {"=== token", "security/detect-possible-timing-attacks"},
    {"] = ", "security/detect-object-injection"},
    {"require(", "security/detect-non-literal-require"}};

const char* ruleFor(const std::string& path, std::string_view line) {
  const bool py = path.ends_with(".py");
  const bool js = path.ends_with(".js");
  const auto rules = js ? std::span<const Pattern>(kJsRules)
                     : py ? std::span<const Pattern>(kPyRules)
                          : std::span<const Pattern>(kCRules);
  if (js && line.find("require('") != std::string_view::npos) return "";  // a literal module name
  for (const Pattern& p : rules) {
    const auto at = line.find(p.needle);
    if (at == std::string_view::npos) continue;
    // A "char" declaration only counts when it is a fixed-size array (what flawfinder flags).
    if (std::strcmp(p.needle, "char ") == 0 && (line.find('[') == std::string_view::npos || line.find('(') != std::string_view::npos))
      continue;
    return p.rule;
  }
  return "";
}

std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

std::string normalized(std::string_view line) {
  std::string out;
  for (const char c : line)
    if (c != ' ' && c != '\t' && c != '\r') out += c;
  return out;
}

// One finding of the synthetic report and where the generator says its line is now.
struct Planted {
  std::string path;
  std::uint32_t line = 0;
  std::string rule;
  std::string text;                   // whitespace-free
  std::optional<bench::Where> truth;  // nullopt: the line was deleted or its text changed
};

struct Measure {
  double wallMs = 0;
  double cpuMs = 0;
  double peakMb = 0;   // VmHWM during the call (the process's RSS before it included)
  double startMb = 0;  // VmRSS just before the call
};

double cpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double statusMb(const char* key) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(key)) return std::strtod(line.c_str() + std::strlen(key), nullptr) / 1024.0;
  return 0;
}

// Peak RSS is a per-process high-water mark; writing 5 to clear_refs resets it to the current
// RSS (Linux >= 4.0), so each measured call gets its own peak.
void resetPeak() { std::ofstream("/proc/self/clear_refs") << "5"; }

template <typename F>
Measure measure(F&& call) {
  resetPeak();
  Measure m;
  m.startMb = statusMb("VmRSS:");
  const double cpu0 = cpuSeconds();
  const auto t0 = Clock::now();
  call();
  m.wallMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  m.cpuMs = (cpuSeconds() - cpu0) * 1000;
  m.peakMb = statusMb("VmHWM:");
  return m;
}

struct Outcome {
  std::string method;
  std::vector<Measure> runs;
  std::map<std::string, std::size_t> states;
  // Against the generator's truth.
  std::size_t ownLine = 0, twin = 0, wrong = 0, missed = 0, goneRight = 0;
  std::uint64_t digest = 0;  // of every placement, to compare runs and builds
};

// Checks one method's placements against the truth; `placed[i]` is (path, line) or nullopt.
void judge(Outcome& o, const std::vector<Planted>& planted,
           const std::vector<std::optional<bench::Where>>& placed,
           const std::map<std::string, std::vector<std::string>>& nowText) {
  std::set<std::tuple<std::string, std::string, std::uint32_t>> used;
  std::string digestInput;
  for (std::size_t i = 0; i < planted.size(); ++i) {
    const Planted& p = planted[i];
    const auto& at = placed[i];
    digestInput += at ? at->path + ":" + std::to_string(at->line) + ";" : std::string("-;");
    if (!at) {
      if (p.truth) ++o.missed;
      else ++o.goneRight;
      continue;
    }
    if (p.truth && p.truth->path == at->path && p.truth->line == at->line) {
      ++o.ownLine;
      used.insert({p.rule, at->path, at->line});
      continue;
    }
    // Another line with the same rule and text (every C function declares `char buf[256];`) is
    // the same problem; it counts once per line.
    const auto file = nowText.find(at->path);
    const bool same = file != nowText.end() && at->line >= 1 && at->line <= file->second.size() &&
                      file->second[at->line - 1] == p.text;
    if (same && used.insert({p.rule, at->path, at->line}).second) ++o.twin;
    else ++o.wrong;
  }
  o.digest = aspm::support::fnv1a64(digestInput);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const auto parsed = parseArgs(argc, argv);
  if (!parsed) return 2;
  const Args args = *parsed;
  const std::string git = ASPM_GIT;
  if (git.empty()) {
    std::puts("remap_bench: git is not installed; skipped");
    return 77;
  }

  // --- The history: `before` commits, the scanned commit X, `distance` more, then dirty edits.
  const fs::path root = fs::temp_directory_path() / ("aspm-remap-bench-" + std::to_string(::getpid()));
  fs::create_directories(root);
  const fs::path repoDir = root / "repo";
  const auto setupStart = Clock::now();
  bench::History history(args.seed, args.scale);
  bench::ImportStream stream;
  std::map<std::string, std::string> atX;
  std::map<std::string, std::vector<std::uint64_t>> idsAtX;
  std::uint32_t markX = 0;
  const std::uint32_t last = args.before + args.distance;
  for (std::uint32_t c = 0; c <= last; ++c) {
    if (c > 0) history.step();
    const auto files = history.render();
    const std::uint32_t mark = stream.commit(files, 1700000000 + static_cast<std::int64_t>(c) * 60, "commit " + std::to_string(c));
    if (c == args.before) {
      atX = files;
      idsAtX = history.lineIds();
      markX = mark;
    }
  }
  const auto committed = history.render();
  std::string error;
  const auto marks = bench::importInto(git, repoDir.string(), stream.text(), error);
  if (marks.empty()) {
    std::fprintf(stderr, "remap_bench: %s\n", error.c_str());
    return 1;
  }
  int rc = 0;
  const std::string said = bench::runCommand("cd '" + repoDir.string() + "' && " + git + " checkout -q -f main 2>&1", &rc);
  if (rc != 0) {
    std::fprintf(stderr, "remap_bench: git checkout failed: %s\n", said.c_str());
    return 1;
  }
  // Uncommitted work on top: the mapping must go through the index and the working tree too.
  for (std::uint32_t d = 0; d < args.dirty; ++d) history.step();
  const auto now = history.render();
  for (const auto& [path, text] : committed)
    if (!now.contains(path)) fs::remove(repoDir / path);
  for (const auto& [path, text] : now) {
    const auto old = committed.find(path);
    if (old != committed.end() && old->second == text) continue;
    fs::create_directories((repoDir / path).parent_path());
    std::ofstream(repoDir / path, std::ios::binary) << text;
  }
  const std::string scanCommit = marks.at(markX);

  // --- The report at X: one finding per risky line, spread evenly when there are more.
  const auto whereNow = history.locate();
  std::map<std::string, std::vector<std::string>> nowText;
  std::size_t linesNow = 0;
  for (const auto& [path, text] : now) {
    auto& lines = nowText[path];
    for (const auto l : splitLines(text)) lines.push_back(normalized(l));
    linesNow += lines.size();
  }
  std::vector<Planted> all;
  std::size_t linesAtX = 0;
  for (const auto& [path, text] : atX) {
    const auto lines = splitLines(text);
    linesAtX += lines.size();
    const auto& ids = idsAtX.at(path);
    for (std::uint32_t i = 0; i < lines.size(); ++i) {
      const char* rule = ruleFor(path, lines[i]);
      if (!*rule) continue;
      Planted p;
      p.path = path;
      p.line = i + 1;
      p.rule = rule;
      p.text = normalized(lines[i]);
      if (const auto w = whereNow.find(ids[i]); ids[i] && w != whereNow.end()) {
        // The line still exists; it is the same finding only if its text is unchanged.
        const auto& t = nowText.at(w->second.path);
        if (w->second.line <= t.size() && t[w->second.line - 1] == p.text) p.truth = w->second;
      }
      all.push_back(std::move(p));
    }
  }
  const std::size_t riskyLines = all.size();
  std::vector<Planted> planted;
  if (all.size() <= args.findings) {
    planted = std::move(all);
  } else {
    for (std::size_t k = 0; k < args.findings; ++k) planted.push_back(all[k * all.size() / args.findings]);
  }
  if (planted.size() < args.findings)
    std::printf("note: only %zu risky lines at X (asked for %zu findings); raise --scale\n", planted.size(), args.findings);

  model::ScanSet scans;
  for (const char* tool : {"flawfinder", "bandit", "eslint"}) {
    model::Run run;
    run.tool.name = tool;
    run.file = (root / (std::string(tool) + ".sarif")).string();  // never written: not newer than the files
    run.index = 0;
    run.revision = scanCommit;
    scans.runs.push_back(std::move(run));
  }
  std::vector<model::Finding> findings;
  std::map<std::string, std::vector<std::string>> hashCache;
  for (std::size_t i = 0; i < planted.size(); ++i) {
    const Planted& p = planted[i];
    const std::string& text = atX.at(p.path);
    const std::string_view line = splitLines(text)[p.line - 1];
    model::Result r;
    r.run = p.path.ends_with(".py") ? 1 : p.path.ends_with(".js") ? 2 : 0;
    r.ruleId = p.rule;
    r.message = "finding " + std::to_string(i);
    model::Location loc;
    loc.uri = p.path;
    loc.resolved = true;
    loc.region.startLine = loc.region.endLine = p.line;
    loc.region.startColumn = static_cast<std::uint32_t>(line.find_first_not_of(' ') + 1);
    loc.region.endColumn = static_cast<std::uint32_t>(line.size() + 1);
    loc.region.snippet = std::string(line);
    r.locations.push_back(std::move(loc));
    auto& hashes = hashCache[p.path];
    if (hashes.empty()) hashes = aspm::correlate::lineHashes(text);
    if (p.line <= hashes.size()) r.partialFingerprints["primaryLocationLineHash"] = hashes[p.line - 1];
    scans.results.push_back(std::move(r));
    model::Finding f;
    f.id = std::to_string(i);
    f.results = {static_cast<std::uint32_t>(i)};
    f.location = scans.results.back().locations.front();
    findings.push_back(std::move(f));
  }
  std::set<std::string> pathsWithFindings;
  for (const auto& p : planted) pathsWithFindings.insert(p.path);
  std::size_t changedFiles = 0;
  for (const auto& [path, text] : atX) {
    const auto n = now.find(path);
    if (n == now.end() || n->second != text) ++changedFiles;
  }
  for (const auto& [path, text] : now)
    if (!atX.contains(path)) ++changedFiles;
  const double setupS = std::chrono::duration<double>(Clock::now() - setupStart).count();

  std::printf("history: seed %u, scale %u: %zu files / %zu lines at X (commit %u), %zu files / %zu lines in the working tree\n",
              args.seed, args.scale, atX.size(), linesAtX, args.before, now.size(), linesNow);
  std::printf("distance: %u commits + %u uncommitted edit steps; %zu paths differ between X and the working tree\n",
              args.distance, args.dirty, changedFiles);
  std::printf("report: %zu findings (of %zu risky lines) in %zu files (%zu of them still on their line's text)\n",
              planted.size(), riskyLines, pathsWithFindings.size(),
              static_cast<std::size_t>(std::count_if(planted.begin(), planted.end(), [](const Planted& p) { return p.truth.has_value(); })));
  std::printf("setup (history, git import, checkout, report): %.1f s\n\n", setupS);

  // --- Measurements. Each run maps fresh copies of the findings.
  Outcome full{"aspm remapFindings", {}, {}, 0, 0, 0, 0, 0, 0};
  Outcome noAnchors{"aspm remap, anchors off", {}, {}, 0, 0, 0, 0, 0, 0};
  Outcome shift{"diff-shift baseline", {}, {}, 0, 0, 0, 0, 0, 0};
  Outcome traced{"(gitmap::trace alone)", {}, {}, 0, 0, 0, 0, 0, 0};  // the history part of a remap
  std::vector<std::optional<bench::Where>> placedFull(planted.size()), placedNoAnchors(planted.size()),
      placedShift(planted.size());
  bool misbehaved = false;
  mapping::FindingRemap request;
  request.repoRoot = repoDir.string() + "/";

  auto openRepo = [&]() {
    auto r = gitmap::Repository::open(repoDir.string());
    if (!r) {
      std::fprintf(stderr, "remap_bench: %s\n", r.error().describe().c_str());
      std::exit(1);
    }
    return std::move(r).value();
  };

  for (std::uint32_t run = 0; run < args.repeat; ++run) {
    {
      std::vector<model::Finding> copy = findings;
      mapping::FindingRemapOutcome outcome;
      full.runs.push_back(measure([&] { outcome = mapping::remapFindings(scans, copy, request); }));
      if (run == 0) {
        for (const auto& p : outcome.problems) {
          std::fprintf(stderr, "remapFindings problem: %s\n", p.c_str());
          misbehaved = true;
        }
        for (std::size_t i = 0; i < copy.size(); ++i) {
          full.states[model::toString(copy[i].state)]++;
          if (copy[i].location) placedFull[i] = bench::Where{copy[i].location->uri, copy[i].location->region.startLine};
        }
      }
    }
    if (args.onlyAspm) continue;
    {
      const gitmap::Repository repo = openRepo();
      std::vector<std::string> paths(pathsWithFindings.begin(), pathsWithFindings.end());
      gitmap::TraceOptions options;
      options.scanRevision = scanCommit;
      traced.runs.push_back(measure([&] {
        if (!gitmap::trace(repo, paths, options)) misbehaved = true;
      }));
    }
    {
      const gitmap::Repository repo = openRepo();
      std::vector<mapping::Site> sites;
      for (const auto& r : scans.results) sites.push_back(*mapping::siteOf(r));
      gitmap::TraceOptions options;
      options.scanRevision = scanCommit;
      mapping::MatchOptions matchOptions;
      matchOptions.useAnchors = false;
      mapping::Remapped out;
      noAnchors.runs.push_back(measure([&] { out = mapping::remap(repo, sites, options, matchOptions); }));
      if (run == 0)
        for (std::size_t i = 0; i < out.placements.size(); ++i) {
          const auto& p = out.placements[i];
          noAnchors.states[model::toString(p.state)]++;
          if (p.placed()) placedNoAnchors[i] = bench::Where{p.path, p.startLine};
        }
    }
    {
      const gitmap::Repository repo = openRepo();
      std::vector<std::optional<std::uint32_t>> lines(planted.size());
      shift.runs.push_back(measure([&] {
        std::map<std::string, std::optional<gitmap::LineMap>> maps;
        for (std::size_t i = 0; i < planted.size(); ++i) {
          const Planted& p = planted[i];
          auto m = maps.find(p.path);
          if (m == maps.end()) {
            std::optional<gitmap::LineMap> map;
            auto old = repo.fileAtCommit(scanCommit, p.path);
            auto cur = aspm::support::readFile((repoDir / p.path).string());
            if (old && old.value() && cur)
              if (auto diff = gitmap::diffLines(*old.value(), *cur)) map = std::move(diff).value();
            m = maps.emplace(p.path, std::move(map)).first;
          }
          if (m->second) lines[i] = m->second->map(p.line);
        }
      }));
      if (run == 0)
        for (std::size_t i = 0; i < planted.size(); ++i) {
          shift.states[lines[i] ? "open" : "lost"]++;
          if (lines[i]) placedShift[i] = bench::Where{planted[i].path, *lines[i]};
        }
    }
  }
  judge(full, planted, placedFull, nowText);
  judge(noAnchors, planted, placedNoAnchors, nowText);
  judge(shift, planted, placedShift, nowText);

  std::printf("| method | wall ms (median of %u) | CPU ms | findings/s | peak RSS MB (start) | open | moved | gone | stale |\n",
              args.repeat);
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const Outcome* o : {&full, &noAnchors, &shift, &traced}) {
    if (o->runs.empty()) continue;
    std::vector<double> wall, cpu, peak;
    for (const auto& m : o->runs) {
      wall.push_back(m.wallMs);
      cpu.push_back(m.cpuMs);
      peak.push_back(m.peakMb);
    }
    const double w = median(wall);
    auto count = [&](const char* s) { return o->states.contains(s) ? o->states.at(s) : 0; };
    std::printf("| %s | %.0f | %.0f | %.0f | %.0f (%.0f) |", o->method.c_str(), w, median(cpu),
                w > 0 ? static_cast<double>(planted.size()) * 1000.0 / w : 0.0,
                *std::max_element(peak.begin(), peak.end()), o->runs.front().startMb);
    if (o->states.empty())
      std::printf(" | | | |\n");
    else
      std::printf(" %zu | %zu | %zu | %zu |\n", count("open"), count("moved"), count("gone") + count("lost"), count("stale"));
  }
  std::printf("\nruns (wall / CPU ms):\n");
  for (const Outcome* o : {&full, &noAnchors, &shift, &traced}) {
    if (o->runs.empty()) continue;
    std::printf("  %-26s", o->method.c_str());
    for (const auto& m : o->runs) std::printf(" %.0f/%.0f", m.wallMs, m.cpuMs);
    std::printf("\n");
  }
  std::printf("\nagainst the generator's truth (placed on its own line / on an identical line / elsewhere; "
              "unplaced while its line survives / unplaced and really gone):\n");
  for (const Outcome* o : {&full, &noAnchors, &shift})
    if (!o->runs.empty())
      std::printf("  %-26s %zu / %zu / %zu; %zu / %zu   digest %016llx\n", o->method.c_str(), o->ownLine, o->twin, o->wrong,
                o->missed, o->goneRight, static_cast<unsigned long long>(o->digest));

  const std::size_t placed = full.ownLine + full.twin + full.wrong;
  if (placed == 0) {
    std::fprintf(stderr, "remap_bench: no finding was placed\n");
    misbehaved = true;
  }
  if (args.keep) {
    std::printf("\nkept %s\n", root.string().c_str());
  } else {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  return misbehaved ? 1 : 0;
}
