// Mapping accuracy on real git histories scanned by real scanners.
//
// A history of C, C++, Python and JavaScript code is evolved over thousands of commits
// (history.h) and imported into a git repository with `git fast-import`. Checkpoint commits are
// scanned with flawfinder (C/C++), bandit (Python) and ESLint with eslint-plugin-security
// (JavaScript; skipped with a note when node is not installed). Each scan at commit X is mapped onto a later commit Y
// by aspm and by three baselines computed in the same run:
//   same-line   the finding stays at its path and line number;
//   diff-shift  shifted when inside text unchanged between X and Y at the same path, else lost
//               (what viewers of SARIF files do);
//   line-hash   the Y finding with the same rule, path and GitHub primaryLocationLineHash.
// Truth: the same rule on the same whitespace-free line text at Y, each Y line standing for at
// most one scanned finding. Findings with the same rule and text are interchangeable: of n such
// findings at X and m such lines at Y, min(n, m) are present and the rest are gone. Reported per
// distance: precision (placed correctly / placed), recall (placed correctly / present at Y) and
// gone accuracy (gone findings not placed / gone findings).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

#include "correlate/line_hash.h"
#include "gitmap/repository.h"
#include "history.h"
#include <boost/json.hpp>

#include "mapping/remap.h"
#include "support/file.h"
#include "support/hash.h"

namespace aspm::mapping::bench {
namespace {

namespace fs = std::filesystem;

struct Reported {
  std::string rule;
  std::string path;
  std::uint32_t line = 0;
};

std::vector<std::string> csvFields(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

std::string stripDot(std::string p) { return p.starts_with("./") ? p.substr(2) : p; }

// ESLint with eslint-plugin-security, installed with `npm ci --ignore-scripts` from the lock file
// in tests/mapping into the build directory on first use (and again when the lock changes).
// Returns the directory holding node_modules; "" with `problem` set when it cannot be installed.
std::string installEslint(std::string& problem) {
  const fs::path dir = fs::path(ASPM_REPORT_DIR) / "mapping-eslint";
  const fs::path lock = fs::path(ASPM_MAPPING_SOURCE_DIR) / "package-lock.json";
  const auto wanted = support::readFile(lock.string());
  const auto installed = support::readFile((dir / "package-lock.json").string());
  const bool ready = fs::exists(dir / "node_modules" / "eslint" / "bin" / "eslint.js") &&
                     fs::exists(dir / "node_modules" / "eslint-plugin-security") && installed && installed == wanted;
  if (ready) return dir.string();
  if (std::string(ASPM_NPM).empty()) {
    problem = "npm not found: cannot install ESLint (apt-get install npm)";
    return {};
  }
  fs::create_directories(dir);
  fs::copy_file(fs::path(ASPM_MAPPING_SOURCE_DIR) / "package.json", dir / "package.json", fs::copy_options::overwrite_existing);
  fs::copy_file(lock, dir / "package-lock.json", fs::copy_options::overwrite_existing);
  int rc = 0;
  const std::string said = runCommand("cd '" + dir.string() + "' && " ASPM_NPM
                                      " ci --ignore-scripts --no-audit --no-fund --loglevel=error 2>&1", &rc);
  if (rc != 0 || !fs::exists(dir / "node_modules" / "eslint" / "bin" / "eslint.js")) {
    problem = "npm ci --ignore-scripts in " + dir.string() + " failed: " + said;
    fs::remove(dir / "package-lock.json");
    return {};
  }
  return dir.string();
}

// Runs ESLint (security plugin rules only) over the JavaScript files of `dir`.
std::vector<Reported> scanJavaScript(const fs::path& dir, const std::string& eslintDir, std::string& problem) {
  std::vector<Reported> out;
  std::ofstream(dir / "eslint.config.cjs")
      << "const security = require('" << eslintDir << "/node_modules/eslint-plugin-security');\n"
      << "module.exports = [{ files: ['**/*.js'], ignores: ['eslint.config.cjs'],\n"
      << "  languageOptions: { sourceType: 'commonjs', ecmaVersion: 2022 },\n"
      << "  plugins: { security }, rules: security.configs.recommended.rules }];\n";
  // stdout carries the JSON report; stderr (warnings, crashes) goes to a file for the message.
  const std::string json = runCommand("cd '" + dir.string() + "' && " ASPM_NODE " '" + eslintDir +
                                      "/node_modules/eslint/bin/eslint.js' -f json . 2>eslint.stderr");
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(json, ec);
  if (ec || !v.is_array()) {
    problem = "ESLint output is not a JSON array: " + json.substr(0, 600) + " " +
              support::readFile((dir / "eslint.stderr").string()).value_or("").substr(0, 600);
    return out;
  }
  const fs::path root = fs::canonical(dir);
  for (const auto& file : v.as_array()) {
    const auto* o = file.if_object();
    if (!o || !o->contains("filePath") || !o->contains("messages")) continue;
    const std::string path = fs::path(std::string(o->at("filePath").as_string())).lexically_relative(root).generic_string();
    for (const auto& m : o->at("messages").as_array()) {
      const auto& msg = m.as_object();
      if (!msg.contains("ruleId") || msg.at("ruleId").is_null()) {
        problem = "ESLint could not lint " + path + ": " + boost::json::serialize(m);
        continue;
      }
      out.push_back({std::string(msg.at("ruleId").as_string()), path, static_cast<std::uint32_t>(msg.at("line").to_number<std::int64_t>())});
    }
  }
  return out;
}

// Writes the snapshot to `dir` and scans it with flawfinder and bandit, and with ESLint when
// `eslintDir` is given.
std::vector<Reported> scan(const std::map<std::string, std::string>& files, const fs::path& dir,
                           const std::string& eslintDir, std::string& problem) {
  fs::remove_all(dir);
  for (const auto& [path, text] : files) {
    fs::create_directories((dir / path).parent_path());
    std::ofstream(dir / path, std::ios::binary) << text;
  }
  std::vector<Reported> out;
  const std::string cd = "cd '" + dir.string() + "' && ";
  std::istringstream ff(runCommand(cd + ASPM_FLAWFINDER " --csv --quiet --dataonly . 2>/dev/null"));
  std::string line;
  std::getline(ff, line);  // header
  while (std::getline(ff, line)) {
    const auto f = csvFields(line);
    if (f.size() < 15) continue;  // a continuation of a multi-line field
    out.push_back({f[14], stripDot(f[0]), static_cast<std::uint32_t>(std::stoul(f[1]))});
  }
  std::istringstream bd(runCommand(cd + ASPM_BANDIT " -q -f csv -r . 2>/dev/null"));
  std::getline(bd, line);
  while (std::getline(bd, line)) {
    const auto f = csvFields(line);
    if (f.size() < 9) continue;
    out.push_back({f[2], stripDot(f[0]), static_cast<std::uint32_t>(std::stoul(f[6]))});
  }
  if (!eslintDir.empty())
    for (auto& r : scanJavaScript(dir, eslintDir, problem)) out.push_back(std::move(r));
  return out;
}

// The language (and so the scanner) of a finding's file.
std::string languageOf(const std::string& path) {
  if (path.ends_with(".py")) return "Python (bandit)";
  if (path.ends_with(".js")) return "JavaScript (ESLint)";
  return "C/C++ (flawfinder)";
}

struct Checkpoint {
  std::uint32_t commit = 0;  // index in the history
  std::string id;            // git commit id
  std::map<std::string, std::string> files;
  std::map<std::string, std::vector<std::uint64_t>> ids;
  std::map<std::uint64_t, Where> where;
  std::vector<Reported> findings;
};

struct Tally {
  std::uint64_t placed = 0, correct = 0, present = 0, goneTotal = 0, goneRight = 0;
  void add(const Tally& t) {
    placed += t.placed; correct += t.correct; present += t.present; goneTotal += t.goneTotal; goneRight += t.goneRight;
  }
  double precision() const { return placed ? 100.0 * static_cast<double>(correct) / static_cast<double>(placed) : 100.0; }
  double recall() const { return present ? 100.0 * static_cast<double>(correct) / static_cast<double>(present) : 100.0; }
  double gone() const { return goneTotal ? 100.0 * static_cast<double>(goneRight) / static_cast<double>(goneTotal) : 100.0; }
};

constexpr const char* kMethods[] = {"aspm", "same-line", "diff-shift", "line-hash"};

class MappingAccuracy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (std::string(ASPM_FLAWFINDER).empty() || std::string(ASPM_BANDIT).empty() || std::string(ASPM_GIT).empty())
      return;
    root_ = fs::temp_directory_path() / ("aspm-mapping-" + std::to_string(::getpid()));
    fs::create_directories(root_);
    std::string eslintDir;
    if (std::string(ASPM_NODE).empty()) {
      jsSkipped_ = "node not found: the JavaScript part (ESLint) is skipped; install nodejs (.ci/deps.sh does)";
      std::cout << "NOTE: " << jsSkipped_ << "\n";
    } else {
      eslintDir = installEslint(setupError_);
      if (eslintDir.empty()) return;
    }
    const fs::path repo = root_ / "repo";

    const std::vector<std::uint32_t> checkpoints = {0, 1, 3, 10, 30, 100, 300, 1000, 2500};
    History history(20241127);
    ImportStream stream;
    for (std::uint32_t c = 0; c <= checkpoints.back(); ++c) {
      if (c > 0) history.step();
      const auto files = history.render();
      std::ostringstream message;
      message << "commit " << std::setw(3) << (c % 1000);
      const std::uint32_t mark = stream.commit(files, 1700000000 + c * 60, message.str());
      if (std::find(checkpoints.begin(), checkpoints.end(), c) != checkpoints.end()) {
        Checkpoint cp;
        cp.commit = c;
        cp.files = files;
        cp.ids = history.lineIds();
        cp.where = history.locate();
        cp.findings = scan(files, root_ / ("scan-" + std::to_string(c)), eslintDir, setupError_);
        if (!setupError_.empty()) return;
        cp.id = std::to_string(mark);  // resolved to a commit id after the import
        checkpoints_.push_back(std::move(cp));
      }
    }
    std::string error;
    const auto byMark = importInto(ASPM_GIT, repo.string(), stream.text(), error);
    if (byMark.empty()) {
      setupError_ = error;
      return;
    }
    for (auto& cp : checkpoints_) cp.id = byMark.at(static_cast<std::uint32_t>(std::stoul(cp.id)));
    auto opened = gitmap::Repository::open(repo.string());
    if (opened)
      repo_ = std::make_unique<gitmap::Repository>(std::move(opened).value());
    else
      setupError_ = opened.error().describe();
  }

  static void TearDownTestSuite() {
    repo_.reset();
    std::error_code ec;
    if (!root_.empty()) fs::remove_all(root_, ec);
  }

  static fs::path root_;
  static std::vector<Checkpoint> checkpoints_;
  static std::unique_ptr<gitmap::Repository> repo_;
  static std::string setupError_;
  static std::string jsSkipped_;  // why JavaScript was not scanned ("" when it was)
};

fs::path MappingAccuracy::root_;
std::vector<Checkpoint> MappingAccuracy::checkpoints_;
std::unique_ptr<gitmap::Repository> MappingAccuracy::repo_;
std::string MappingAccuracy::setupError_;
std::string MappingAccuracy::jsSkipped_;

std::string normalized(std::string_view line) {
  std::string out;
  for (const char c : line)
    if (c != ' ' && c != '\t' && c != '\r') out += c;
  return out;
}

std::string_view lineOf(const std::string& text, std::uint32_t line) {
  std::size_t start = 0;
  for (std::uint32_t i = 1; i < line; ++i) {
    start = text.find('\n', start);
    if (start == std::string::npos) return {};
    ++start;
  }
  const std::size_t end = text.find('\n', start);
  return std::string_view(text).substr(start, end == std::string::npos ? std::string::npos : end - start);
}

TEST_F(MappingAccuracy, BeatsBaselinesAndMeetsTargets) {
  if (std::string(ASPM_FLAWFINDER).empty() || std::string(ASPM_BANDIT).empty() || std::string(ASPM_GIT).empty())
    GTEST_SKIP() << "flawfinder, bandit or git not installed (.ci/deps.sh test installs them)";
  ASSERT_TRUE(setupError_.empty()) << setupError_;
  ASSERT_TRUE(repo_) << "could not build the history repository";
  ASSERT_GE(checkpoints_.size(), 9u);
  for (const auto& cp : checkpoints_) ASSERT_GT(cp.findings.size(), 200u) << "scan at commit " << cp.commit;

  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t y = 1; y < checkpoints_.size(); ++y) pairs.emplace_back(0, y);
  for (std::size_t x = 4; x + 1 < checkpoints_.size(); ++x) pairs.emplace_back(x, x + 1);

  auto bucketOf = [](std::uint32_t distance) -> std::string {
    if (distance <= 1) return "1";
    if (distance <= 10) return "2-10";
    if (distance <= 100) return "11-100";
    if (distance <= 1000) return "101-1000";
    return ">1000";
  };
  const std::vector<std::string> buckets = {"1", "2-10", "11-100", "101-1000", ">1000"};
  std::map<std::string, std::array<Tally, 4>> byBucket;
  std::map<std::string, std::array<Tally, 4>> byLanguage, byLanguageLongest;
  std::array<Tally, 4> total;
  std::array<Tally, 4> strict;
  double remapMs = 0;
  std::size_t remapped = 0;
  std::map<std::string, std::uint64_t> passes;
  std::string placements;  // every aspm placement, digested to compare builds

  for (const auto& [xi, yi] : pairs) {
    const Checkpoint& X = checkpoints_[xi];
    const Checkpoint& Y = checkpoints_[yi];
    std::set<std::tuple<std::string, std::string, std::uint32_t>> atY;
    for (const auto& f : Y.findings) atY.insert({f.rule, f.path, f.line});

    std::vector<Site> sites;
    for (const auto& f : X.findings) {
      Site s;
      s.scanPath = f.path;
      s.startLine = s.endLine = f.line;
      sites.push_back(s);
    }
    gitmap::TraceOptions options;
    options.scanRevision = X.id;
    options.targetRevision = Y.id;
    const auto t0 = std::chrono::steady_clock::now();
    const Remapped ours = remap(*repo_, sites, options);
    remapMs += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    remapped += sites.size();
    ASSERT_EQ(ours.revision, gitmap::RevisionStatus::Found);

    std::map<std::string, gitmap::LineMap> shiftMaps;
    std::map<std::string, std::vector<std::string>> hashesY;
    // Per language (each language has its own scanner), then summed.
    std::map<std::string, std::array<Tally, 4>> tallyByLanguage;
    std::map<std::pair<std::string, std::string>, std::string> groupLanguage;
    std::array<std::set<std::tuple<std::string, std::string, std::uint32_t>>, 4> used;
    // Findings are interchangeable within a (rule, text) group: min(#at X, #at Y) of them are
    // present at Y, the rest are gone.
    std::map<std::pair<std::string, std::string>, std::int64_t> atXCount, atYCount;
    for (const auto& g : Y.findings) atYCount[{g.rule, normalized(lineOf(Y.files.at(g.path), g.line))}]++;
    for (const auto& g : X.findings) atXCount[{g.rule, normalized(lineOf(X.files.at(g.path), g.line))}]++;
    std::map<std::pair<std::string, std::string>, std::array<std::int64_t, 4>> unplacedInGroup;
    for (std::size_t i = 0; i < X.findings.size(); ++i) {
      const Reported& f = X.findings[i];
      // Truth, as the issue defines it: the same rule on the same whitespace-free line text at Y.
      const std::string text = normalized(lineOf(X.files.at(f.path), f.line));
      const std::string language = languageOf(f.path);
      groupLanguage[{f.rule, text}] = language;
      std::array<Tally, 4>& tally = tallyByLanguage[language];
      std::set<std::pair<std::string, std::uint32_t>> truthSet;
      for (const auto& g : Y.findings)
        if (g.rule == f.rule && normalized(lineOf(Y.files.at(g.path), g.line)) == text) truthSet.insert({g.path, g.line});
      const bool present = !truthSet.empty();
      (void)present;
      // Where the line really went (the generator tracks identities): for the debug output.
      const auto& ids = X.ids.at(f.path);
      const std::uint64_t id = f.line <= ids.size() ? ids[f.line - 1] : 0;
      std::optional<Where> truth;
      if (const auto w = Y.where.find(id); id && w != Y.where.end()) truth = w->second;

      std::array<std::optional<Where>, 4> predicted;
      const Placement& p = ours.placements[i];
      if (p.placed()) predicted[0] = Where{p.path, p.startLine};
      passes[toString(p.pass)]++;
      placements += p.path + ":" + std::to_string(p.startLine) + ":" + std::to_string(p.startColumn) + ":" +
                    model::toString(p.state) + ";";
      const auto yFile = Y.files.find(f.path);
      if (yFile != Y.files.end()) {
        predicted[1] = Where{f.path, f.line};
        auto sm = shiftMaps.find(f.path);
        if (sm == shiftMaps.end()) sm = shiftMaps.emplace(f.path, gitmap::diffLines(X.files.at(f.path), yFile->second).value()).first;
        if (const auto l = sm->second.map(f.line)) predicted[2] = Where{f.path, *l};
        auto hy = hashesY.find(f.path);
        if (hy == hashesY.end()) hy = hashesY.emplace(f.path, correlate::lineHashes(yFile->second)).first;
        const std::string h = correlate::primaryLocationLineHash(X.files.at(f.path), f.line);
        for (const auto& g : Y.findings)
          if (g.rule == f.rule && g.path == f.path && g.line <= hy->second.size() && hy->second[g.line - 1] == h) {
            predicted[3] = Where{g.path, g.line};
            break;
          }
      }
      if (std::getenv("ASPM_MAPPING_DEBUG") && predicted[0] &&
          !truthSet.contains({predicted[0]->path, predicted[0]->line})) {
        std::cerr << "X@" << X.commit << "->Y@" << Y.commit << " " << f.rule << " " << f.path << ":" << f.line << " ["
                  << lineOf(X.files.at(f.path), f.line) << "] -> ours " << predicted[0]->path << ":" << predicted[0]->line
                  << " (" << toString(p.pass) << ") [" << lineOf(Y.files.at(predicted[0]->path), predicted[0]->line)
                  << "] truth " << (truth ? truth->path + ":" + std::to_string(truth->line) : std::string("gone"))
                  << (id && Y.where.contains(id) ? " id-at " + Y.where.at(id).path + ":" + std::to_string(Y.where.at(id).line) : "") << "\n";
      }
      if (std::getenv("ASPM_MAPPING_DEBUG") && !predicted[0] && present)
        std::cerr << "MISS X@" << X.commit << "->Y@" << Y.commit << " " << f.rule << " " << f.path << ":" << f.line
                  << " [" << lineOf(X.files.at(f.path), f.line) << "] " << model::toString(p.state) << ": " << p.note
                  << " truth " << (truth ? truth->path + ":" + std::to_string(truth->line) : std::string("?")) << "\n";
      // Stricter: the exact line the finding's own line became (identities tracked by the
      // generator), when it still has the same rule and text.
      const bool survives = truth && truthSet.contains({truth->path, truth->line});
      for (std::size_t m = 0; m < 4; ++m) {
        if (survives) strict[m].present++;
        if (predicted[m]) {
          strict[m].placed++;
          if (survives && predicted[m]->path == truth->path && predicted[m]->line == truth->line) strict[m].correct++;
        }
      }
      for (std::size_t m = 0; m < 4; ++m) {
        Tally& tl = tally[m];
        if (predicted[m]) {
          ++tl.placed;
          // Each line at Y is the truth for at most one finding of a rule: a second finding
          // placed on the same line is wrong.
          const bool fresh = used[m].insert({f.rule, predicted[m]->path, predicted[m]->line}).second;
          if (fresh && truthSet.contains({predicted[m]->path, predicted[m]->line})) ++tl.correct;
        } else {
          unplacedInGroup[{f.rule, text}][m]++;
        }
      }
    }
    for (const auto& [group, nx] : atXCount) {
      std::array<Tally, 4>& tally = tallyByLanguage[groupLanguage.at(group)];
      const auto ny = atYCount.contains(group) ? atYCount.at(group) : 0;
      const std::int64_t presentHere = std::min(nx, ny);
      const std::int64_t goneHere = nx - presentHere;
      for (std::size_t m = 0; m < 4; ++m) {
        tally[m].present += static_cast<std::uint64_t>(presentHere);
        tally[m].goneTotal += static_cast<std::uint64_t>(goneHere);
        const std::int64_t unplaced = unplacedInGroup.contains(group) ? unplacedInGroup.at(group)[m] : 0;
        tally[m].goneRight += static_cast<std::uint64_t>(std::min(goneHere, unplaced));
      }
    }
    const std::string bucket = bucketOf(Y.commit - X.commit);
    for (const auto& [language, tally] : tallyByLanguage)
      for (std::size_t m = 0; m < 4; ++m) {
        byBucket[bucket][m].add(tally[m]);
        total[m].add(tally[m]);
        byLanguage[language][m].add(tally[m]);
        if (bucket == ">1000") byLanguageLongest[language][m].add(tally[m]);
      }
  }

  std::ostringstream report;
  report << std::fixed << std::setprecision(2);
  report << "| commits apart | method | findings present | gone | precision % | recall % | gone accuracy % |\n"
         << "|---|---|---|---|---|---|---|\n";
  auto row = [&](const std::string& b, std::size_t m, const Tally& t) {
    report << "| " << b << " | " << kMethods[m] << " | " << t.present << " | " << t.goneTotal << " | " << t.precision()
           << " | " << t.recall() << " | " << t.gone() << " |\n";
  };
  for (const auto& b : buckets)
    if (byBucket.contains(b))
      for (std::size_t m = 0; m < 4; ++m) row(b, m, byBucket[b][m]);
  for (std::size_t m = 0; m < 4; ++m) row("all", m, total[m]);
  report << "\nBy language (scanner), all distances and >1000 commits apart:\n\n"
         << "| language | commits apart | method | findings present | gone | precision % | recall % | gone accuracy % |\n"
         << "|---|---|---|---|---|---|---|---|\n";
  for (const auto& [language, tallies] : byLanguage)
    for (const auto* which : {&byLanguage, &byLanguageLongest})
      for (std::size_t m = 0; m < 4; ++m) {
        if (!which->contains(language)) continue;
        const Tally& t = which->at(language)[m];
        report << "| " << language << " | " << (which == &byLanguage ? "all" : ">1000") << " | " << kMethods[m] << " | "
               << t.present << " | " << t.goneTotal << " | " << t.precision() << " | " << t.recall() << " | " << t.gone()
               << " |\n";
      }
  if (!jsSkipped_.empty()) report << "\nJavaScript not scanned: " << jsSkipped_ << "\n";
  report << "\nBy line identity (the exact line each finding's line became, when it kept its rule and text):\n\n"
         << "| method | lines kept | precision % | recall % |\n|---|---|---|---|\n";
  for (std::size_t m = 0; m < 4; ++m)
    report << "| " << kMethods[m] << " | " << strict[m].present << " | " << strict[m].precision() << " | " << strict[m].recall() << " |\n";
  report << "\naspm remap: " << remapped << " findings in " << remapMs << " ms ("
         << (remapped ? remapMs * 1000 / static_cast<double>(remapped) : 0) << " us per finding)\npasses:";
  for (const auto& [name, n] : passes) report << " " << name << "=" << n;
  report << "\nplacement digest: " << std::hex << support::fnv1a64(placements) << std::dec << "\n";
  std::cout << report.str();
  std::ofstream(fs::path(ASPM_REPORT_DIR) / "mapping-accuracy.md") << report.str();

  const Tally& ours = total[0];
  const Tally& longest = byBucket[">1000"][0];
  EXPECT_GE(ours.precision(), 99.9);
  EXPECT_GE(ours.recall(), 99.5);
  EXPECT_GE(longest.recall(), 97.0);
  for (const auto& [language, tallies] : byLanguage) {
    EXPECT_GE(tallies[0].precision(), 99.9) << language;
    EXPECT_GE(tallies[0].recall(), 99.5) << language;
  }
  if (jsSkipped_.empty()) {
    EXPECT_TRUE(byLanguage.contains("JavaScript (ESLint)")) << "ESLint reported nothing";
  } else {
    std::cout << "NOTE: " << jsSkipped_ << "\n";
  }
  for (std::size_t m = 1; m < 4; ++m) {
    EXPECT_GT(ours.recall(), total[m].recall()) << kMethods[m];
    EXPECT_GE(ours.precision(), total[m].precision()) << kMethods[m];
  }
}

}  // namespace
}  // namespace aspm::mapping::bench
