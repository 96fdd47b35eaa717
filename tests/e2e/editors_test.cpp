// End-to-end: real editors (headless Neovim with its built-in LSP client, batch Emacs with
// eglot and flymake) start the real aspm-ls on a copy of the bundled example project and must
// show the committed scanner findings on exactly the lines the scanners reported, follow an
// edit, answer a hover, (where the client can watch files) pick up a report dropped into .aspm/
// without a restart, and offer the code actions of a finding; Neovim applies a suppression and a
// dependency upgrade, then saves and rescans with the real bandit. The editor side lives in nvim_client.lua and eglot_client.el; this
// file prepares the workspace, runs each editor as a child process under a deadline and checks
// the JSON the editor script writes.
//
// A missing editor is a failure (CI installs them with tests/e2e/install-editors.sh); set
// ASPM_E2E_SKIP=1 to skip explicitly on a machine without them.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

extern char** environ;

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

// One diagnostic as the tests compare it: the line is 1-based, as in the scanners' reports.
struct Diag {
  int line = 0;
  std::string code;
  std::string source;
  friend auto operator<=>(const Diag&, const Diag&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Diag& d) {
    return os << "{line " << d.line << ", " << d.code << ", " << d.source << "}";
  }
};
using Diags = std::vector<Diag>;

Diags sorted(Diags d) {
  std::sort(d.begin(), d.end());
  return d;
}

Diags shifted(Diags d, int lines) {
  for (auto& x : d) x.line += lines;
  return d;
}

// Expected diagnostics, read off the committed reports in tests/example/.aspm/ (rule ids and
// 1-based start lines exactly as the scanners wrote them).

// bandit.json (bandit 1.6.2): every result, all in this file.
const Diags kReportWorkerPy = {
    {6, "B403", "bandit"},  {9, "B404", "bandit"},  {18, "B506", "bandit"}, {22, "B301", "bandit"},
    {33, "B303", "bandit"}, {38, "B602", "bandit"}, {43, "B311", "bandit"}, {47, "B101", "bandit"},
};

// eslint.sarif (ESLint 8.57.1 + eslint-plugin-security): its URIs are absolute file:// URIs
// from the scanning machine, so this also proves they are mapped onto the workspace.
const Diags kServerJs = {
    {13, "security/detect-unsafe-regex", "ESLint"},
    {22, "security/detect-non-literal-fs-filename", "ESLint"},
    {31, "security/detect-child-process", "ESLint"},
    {38, "security/detect-eval-with-expression", "ESLint"},
    {38, "no-eval", "ESLint"},
    {51, "security/detect-non-literal-regexp", "ESLint"},
    {52, "security/detect-pseudoRandomBytes", "ESLint"},
    {58, "security/detect-possible-timing-attacks", "ESLint"},
    {58, "eqeqeq", "ESLint"},
};

// token.c: flawfinder.sarif (2.0.19), plus cppcheck.xml (2.10) and gcc-analyzer.json (gcc
// 12.2.0) report on the same file; scan-build-token.sarif has no results. On line 18 cppcheck's
// arrayIndexOutOfBounds and gcc's -Waggressive-loop-optimizations describe the same
// out-of-bounds loop, so correlation makes them one finding with both tools as its source
// (contracts: `source` = "tool+tool"). On line 20 gcc's -Wformat= and cppcheck's
// invalidPrintfArgType_sint are one finding too; Flawfinder's FF1017 there stays separate under
// today's pair rules (docs/fingerprints.md); a correlation change that merges it must update
// this list (`aspm findings --format json` over tests/example shows the grouping).
const Diags kTokenC = {
    {13, "FF1013", "Flawfinder"},
    {16, "FF1048", "Flawfinder"},
    // cppcheck and gcc report the same out-of-bounds loop here, in two report files: one finding.
    {18, "arrayIndexOutOfBounds", "cppcheck+gcc"},
    {20, "FF1017", "Flawfinder"},
    {20, "-Wformat=", "gcc+cppcheck"},
};

const char* const kPyFile = "src/py/report_worker.py";
const char* const kJsFile = "src/js/server.js";
const char* const kCFile = "src/c/token.c";
const char* const kHeldReport = ".aspm/eslint.sarif";  // dropped in while Emacs runs
const char* const kHoverCode = "B602";
const int kInsertedLines = 3;

// Acting on findings (Neovim applies, Emacs lists): bandit's B602 gets a `# nosec B602` comment,
// and a Snyk Open Source report without locations (real output, shared fixtures) makes the
// lodash declaration of a manifest written for the session offer the upgrade.
const char* const kSuppressedCode = "B602";
const char* const kSnykReport = "real-sarif/snyk/crispy-octo-happiness__oss.sarif";
const char* const kManifest = "package.json";
const std::vector<std::string> kManifestLines = {
    "{",
    R"(  "name": "report-shop",)",
    R"(  "version": "1.0.0",)",
    R"(  "dependencies": {)",
    R"(    "express": "4.18.2",)",
    R"(    "lodash": "4.15.0")",
    "  }",
    "}",
};
const int kLodashLine = 6;  // 1-based, in kManifestLines
const char* const kUpgradedLodash = R"(    "lodash": "4.17.21")";
// The triage actions every finding offers (kind quickfix.aspm.triage, command aspm.triage).
const std::vector<std::string> kTriageTitles = {"Mark as false positive", "Accept risk\u2026", "Mark as won't fix"};

// The findings of report_worker.py once B602 is suppressed, on the lines the edit step moved
// them to; the rescan must find the same, since the edited buffer is what gets saved.
Diags withoutSuppressed() {
  Diags out;
  for (const auto& d : kReportWorkerPy)
    if (d.code != kSuppressedCode) out.push_back(d);
  return sorted(shifted(out, kInsertedLines));
}

std::string envOr(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

bool skipRequested() { return envOr("ASPM_E2E_SKIP", "") == "1"; }

std::optional<fs::path> findInPath(const std::string& name) {
  std::stringstream path(envOr("PATH", "/usr/local/bin:/usr/bin:/bin"));
  std::string dir;
  while (std::getline(path, dir, ':')) {
    if (dir.empty()) continue;
    fs::path candidate = fs::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string tail(const std::string& s, std::size_t n = 4000) {
  return s.size() <= n ? s : "..." + s.substr(s.size() - n);
}

// A child process in its own process group, with stdin from /dev/null and stdout/stderr in
// files. Waiting uses a pidfd, so the deadline costs no polling.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extraEnv,
        const fs::path& out, const fs::path& err) {
    std::vector<std::string> envStrings;
    for (char** e = environ; *e; ++e) {
      std::string kv(*e);
      if (!extraEnv.contains(kv.substr(0, kv.find('=')))) envStrings.push_back(std::move(kv));
    }
    for (const auto& [k, v] : extraEnv) envStrings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& s : envStrings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = argv;
    std::vector<char*> argp;
    for (auto& s : args) argp.push_back(s.data());
    argp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    int rc = posix_spawn(&pid_, argp[0], &actions, &attr, argp.data(), envp.data());
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      pid_ = -1;
      spawnError_ = std::strerror(rc);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ > 0 && !status_) {
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  const std::string& spawnError() const { return spawnError_; }

  // The exit status once the child ended, or nullopt if the deadline passed first (then the
  // whole process group is killed).
  std::optional<int> waitUntil(Clock::time_point deadline) {
    if (pid_ <= 0) return std::nullopt;
    int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    while (!status_) {
      int st = 0;
      pid_t r = ::waitpid(pid_, &st, WNOHANG);
      if (r == pid_) {
        status_ = st;
        break;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) break;
      if (pidfd >= 0) {
        pollfd p{pidfd, POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 60'000)));
      } else {
        // Kernels without pidfd_open: fall back to a short poll interval.
        pollfd none{};
        ::poll(&none, 0, static_cast<int>(std::min<long long>(left, 20)));
      }
    }
    if (pidfd >= 0) ::close(pidfd);
    if (!status_) {
      ::kill(-pid_, SIGKILL);
      int st = 0;
      ::waitpid(pid_, &st, 0);
      status_ = st;
      return std::nullopt;
    }
    return status_;
  }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string spawnError_;
};

// Copies the example project, minus the scanners' own tooling (ESLint's node_modules would add
// thousands of files for the client to walk and watch).
void copyExample(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator(); ++it) {
    const auto name = it->path().filename().string();
    if (it.depth() == 0 && name == ".scanners") {
      it.disable_recursion_pending();
      continue;
    }
    if (name == "node_modules") {
      it.disable_recursion_pending();
      continue;
    }
    const auto target = to / fs::relative(it->path(), from);
    if (it->is_directory()) {
      fs::create_directories(target);
    } else if (it->is_regular_file()) {
      fs::copy_file(it->path(), target, fs::copy_options::overwrite_existing);
    }
  }
}

// Session directories are removed when every test passed (ASPM_E2E_KEEP=1 keeps them), so a
// failure leaves the workspace, plan, result and editor output behind for inspection.
std::vector<fs::path>& sessionDirs() {
  static std::vector<fs::path> dirs;
  return dirs;
}

class CleanupEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    if (!::testing::UnitTest::GetInstance()->Passed() || envOr("ASPM_E2E_KEEP", "") == "1") return;
    for (const auto& d : sessionDirs()) {
      std::error_code ec;
      fs::remove_all(d, ec);
    }
  }
};
const auto* const kCleanup = ::testing::AddGlobalTestEnvironment(new CleanupEnvironment);

// What one editor session produced.
struct Session {
  std::string editor;
  std::string fatal;  // set when the session could not run at all
  bool skipped = false;
  bool fatalReported = false;
  json::object result;
  std::string stderrText;
  fs::path dir;
};

enum class EditorKind { Neovim, Emacs };

std::string editorName(EditorKind k) { return k == EditorKind::Neovim ? "neovim" : "emacs"; }
void PrintTo(EditorKind k, std::ostream* os) { *os << editorName(k); }

json::array toJson(const Diags& diags) {
  json::array out;
  for (const auto& d : diags) out.push_back(json::object{{"line", d.line}, {"code", d.code}, {"source", d.source}});
  return out;
}

// The editor script waits until the file shows exactly these diagnostics (the server may publish
// a file several times while reports load), or the step deadline passes.
json::object fileStep(const char* path, const Diags& expect) { return {{"path", path}, {"expect", toJson(expect)}}; }

std::shared_ptr<Session> runSession(EditorKind kind) {
  auto s = std::make_shared<Session>();
  s->editor = editorName(kind);
  const std::string binaryName = kind == EditorKind::Neovim ? "nvim" : "emacs";
  const auto binary = findInPath(envOr(kind == EditorKind::Neovim ? "ASPM_E2E_NVIM" : "ASPM_E2E_EMACS", binaryName));
  if (!binary) {
    if (skipRequested()) {
      s->skipped = true;
      s->fatal = binaryName + " not found; skipped because ASPM_E2E_SKIP=1";
    } else {
      s->fatal = binaryName + " not found in PATH: install the editors with tests/e2e/install-editors.sh "
                 "(or set ASPM_E2E_SKIP=1 to skip the end-to-end editor tests)";
    }
    return s;
  }
  const fs::path server = envOr("ASPM_LS", std::string(ASPM_BIN_DIR) + "/aspm-ls");
  if (::access(server.c_str(), X_OK) != 0) {
    s->fatal = "language server not executable: " + server.string() + " (build the aspm-ls target)";
    return s;
  }
  const fs::path e2eDir = fs::path(ASPM_SOURCE_DIR) / "tests" / "e2e";

  std::string tmpl = (fs::temp_directory_path() / ("aspm-e2e-" + s->editor + "-XXXXXX")).string();
  if (!::mkdtemp(tmpl.data())) {
    s->fatal = "mkdtemp failed: " + std::string(std::strerror(errno));
    return s;
  }
  s->dir = tmpl;
  sessionDirs().push_back(s->dir);
  const fs::path ws = s->dir / "ws";
  const fs::path home = s->dir / "home";
  copyExample(fs::path(ASPM_SOURCE_DIR) / "tests" / "example", ws);
  fs::create_directories(home);

  const std::int64_t stepTimeoutMs = std::stoll(envOr("ASPM_E2E_STEP_TIMEOUT_MS", "30000"));
  json::object plan{
      {"server", server.string()},
      {"root", ws.string()},
      {"timeoutMs", stepTimeoutMs},
      {"hover", {{"path", kPyFile}, {"code", kHoverCode}}},
      {"edit", {{"path", kPyFile}, {"insertLines", kInsertedLines}}},
  };
  if (kind == EditorKind::Emacs) {
    plan["listActions"] = {{"path", kPyFile}, {"code", kSuppressedCode}};
    // The ESLint report is held outside the workspace and dropped into .aspm/ mid-session.
    const fs::path held = s->dir / "held" / "eslint.sarif";
    fs::create_directories(held.parent_path());
    fs::rename(ws / kHeldReport, held);
    plan["open"] = json::array{fileStep(kCFile, kTokenC), fileStep(kPyFile, kReportWorkerPy)};
    plan["watch"] = {{"from", held.string()},
                     {"to", kHeldReport},
                     {"path", kJsFile},
                     {"expect", toJson(kServerJs)}};
  } else {
    plan["open"] = json::array{fileStep(kCFile, kTokenC), fileStep(kJsFile, kServerJs),
                               fileStep(kPyFile, kReportWorkerPy)};
    // Emacs runs on the server's default report globs; Neovim names the reports in the `sarif`
    // setting (initializationOptions), so both ways of finding reports are covered.
    plan["initializationOptions"] = {{"sarif", json::array{".aspm/**/*.sarif", ".aspm/**/*.json", ".aspm/**/*.xml"}}};

    // Apply a suppression at B602 (after the edit step, so on the moved line), then a
    // dependency upgrade on the manifest the Snyk findings are about.
    fs::copy_file(fs::path(ASPM_SHARED_FIXTURES) / kSnykReport, ws / ".aspm" / "snyk.sarif");
    {
      std::ofstream manifest(ws / kManifest, std::ios::binary);
      for (const auto& line : kManifestLines) manifest << line << "\n";
    }
    plan["actions"] = json::array{
        {{"path", kPyFile}, {"code", kSuppressedCode}, {"choose", "nosec"}, {"hides", kSuppressedCode}},
        {{"path", kManifest}, {"line", kLodashLine}, {"choose", "Upgrade lodash"}, {"recordBuffer", true}},
    };
    // The tool's next scan: bandit run exactly as tests/example/regenerate.sh runs it (from the
    // project root, relative paths), so its report names the file as the committed one does.
    if (const auto bandit = findInPath(envOr("ASPM_E2E_BANDIT", "bandit"))) {
      plan["rescan"] = {{"path", kPyFile},
                        {"argv", json::array{bandit->string(), "-q", "-f", "json", "-r", "src/py", "-o",
                                             ".aspm/bandit.json"}},
                        {"report", ".aspm/bandit.json"},
                        {"expect", toJson(withoutSuppressed())}};
    }
  }
  const fs::path planPath = s->dir / "plan.json";
  std::ofstream(planPath) << json::serialize(plan);

  const fs::path outPath = s->dir / "result.json";
  std::vector<std::string> argv;
  if (kind == EditorKind::Neovim) {
    const auto script = (e2eDir / "nvim_client.lua").string();
    argv = {binary->string(), "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", "luafile " + script};
  } else {
    argv = {binary->string(), "-Q", "--batch", "-l", (e2eDir / "eglot_client.el").string()};
  }
  // HOME and the XDG directories point into the session directory so the editors write their
  // logs and state there, never into the user's home.
  std::map<std::string, std::string> env{
      {"ASPM_E2E_PLAN", planPath.string()},
      {"ASPM_E2E_OUT", outPath.string()},
      {"ASPM_LS", server.string()},
      {"HOME", home.string()},
      {"XDG_CONFIG_HOME", (home / ".config").string()},
      {"XDG_DATA_HOME", (home / ".local/share").string()},
      {"XDG_STATE_HOME", (home / ".local/state").string()},
      {"XDG_CACHE_HOME", (home / ".cache").string()},
  };
  const auto sessionTimeout = std::chrono::milliseconds(stepTimeoutMs * 10);
  Child child(argv, env, s->dir / "stdout.txt", s->dir / "stderr.txt");
  if (!child.spawnError().empty()) {
    s->fatal = "cannot start " + binary->string() + ": " + child.spawnError();
    return s;
  }
  const auto status = child.waitUntil(Clock::now() + sessionTimeout);
  s->stderrText = readFile(s->dir / "stderr.txt") + readFile(s->dir / "stdout.txt");
  if (!status) {
    s->fatal = s->editor + " did not finish within " + std::to_string(sessionTimeout.count()) +
               " ms and was killed; output:\n" + tail(s->stderrText);
    return s;
  }
  if (!fs::exists(outPath)) {
    s->fatal = s->editor + " wrote no result (exit status " + std::to_string(*status) + "); output:\n" +
               tail(s->stderrText);
    return s;
  }
  boost::system::error_code ec;
  auto parsed = json::parse(readFile(outPath), ec);
  if (ec || !parsed.is_object()) {
    s->fatal = s->editor + " wrote an unreadable result " + outPath.string() + ": " + ec.message();
    return s;
  }
  s->result = std::move(parsed.as_object());
  return s;
}

const json::value* at(const json::value& v, std::initializer_list<std::string_view> path) {
  const json::value* cur = &v;
  for (auto key : path) {
    if (!cur->is_object()) return nullptr;
    cur = cur->as_object().if_contains(key);
    if (!cur) return nullptr;
  }
  return cur;
}

std::string str(const json::value* v) {
  if (!v) return "<missing>";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_null()) return "<null>";
  return json::serialize(*v);
}

Diags toDiags(const json::value* list) {
  Diags out;
  if (!list || !list->is_array()) return out;
  for (const auto& d : list->as_array()) {
    Diag x;
    if (const auto* l = at(d, {"line"}); l && l->is_number()) x.line = static_cast<int>(l->to_number<double>());
    x.code = str(at(d, {"code"}));
    x.source = str(at(d, {"source"}));
    out.push_back(std::move(x));
  }
  return sorted(std::move(out));
}

class Editors : public ::testing::TestWithParam<EditorKind> {
 protected:
  // One editor session per editor serves every test of that editor.
  static std::shared_ptr<Session> session(EditorKind kind) {
    static std::map<EditorKind, std::shared_ptr<Session>> cache;
    auto& s = cache[kind];
    if (!s) s = runSession(kind);
    return s;
  }

  // Returns the session's result, or null after reporting why there is none.
  const json::value* result() {
    auto s = session(GetParam());
    current_ = s;
    if (s->skipped) return nullptr;
    if (!s->fatal.empty()) {
      // The first test of a broken session shows why; the others point back to it.
      if (s->fatalReported) {
        ADD_FAILURE() << s->editor << " session failed; see the first " << s->editor << " test";
      } else {
        s->fatalReported = true;
        ADD_FAILURE() << s->fatal;
      }
      return nullptr;
    }
    value_ = s->result;
    return &value_;
  }

  std::string context() const {
    if (!current_) return {};
    std::string ctx = "\n[" + current_->editor + " session in " + current_->dir.string() + "]";
    for (const char* key : {"errors", "timeouts"}) {
      if (const auto* list = current_->result.if_contains(key); list && list->is_array()) {
        for (const auto& e : list->as_array()) ctx += "\n  script: " + str(&e);
      }
    }
    if (!current_->stderrText.empty()) ctx += "\n  editor output: " + tail(current_->stderrText, 1500);
    return ctx;
  }

  void TearDown() override {
    if (current_ && current_->skipped) return;
    if (HasFailure() && current_ && current_->fatal.empty()) {
      std::cerr << context() << "\ne2e: keeping " << current_->dir << " for inspection\n";
    }
  }

  std::shared_ptr<Session> current_;
  json::value value_;
};

#define E2E_RESULT_OR_RETURN(name)                                           \
  const json::value* name = result();                                        \
  if (current_ && current_->skipped) GTEST_SKIP() << current_->fatal;        \
  if (!name) return

TEST_P(Editors, ShowFindingsOnTheLinesTheScannersReported) {
  E2E_RESULT_OR_RETURN(r);
  std::vector<std::pair<const char*, const Diags*>> files{{kCFile, &kTokenC}, {kPyFile, &kReportWorkerPy}};
  if (GetParam() == EditorKind::Neovim) files.emplace_back(kJsFile, &kServerJs);
  for (const auto& [path, expected] : files) {
    SCOPED_TRACE(path);
    const auto* file = at(*r, {"files", path});
    ASSERT_NE(file, nullptr) << "no diagnostics recorded for " << path;
    EXPECT_EQ(toDiags(at(*file, {"published"})), sorted(*expected))
        << "what aspm-ls published for " << path;
    EXPECT_EQ(toDiags(at(*file, {"shown"})), sorted(*expected))
        << "what the editor holds for " << path;
  }
}

TEST_P(Editors, PublishedDiagnosticsCarrySeverityMessageAndRuleLink) {
  E2E_RESULT_OR_RETURN(r);
  const auto* published = at(*r, {"files", kPyFile, "published"});
  ASSERT_TRUE(published && published->is_array());
  for (const auto& d : published->as_array()) {
    SCOPED_TRACE(json::serialize(d));
    const auto* sev = at(d, {"severity"});
    ASSERT_TRUE(sev && sev->is_number());
    const double level = sev->to_number<double>();
    EXPECT_GE(level, 1);
    EXPECT_LE(level, 4);
    EXPECT_FALSE(str(at(d, {"message"})).empty());
    // bandit reports a documentation link (more_info) for every result.
    EXPECT_NE(str(at(d, {"href"})).find("https://"), std::string::npos);
  }
}

TEST_P(Editors, HoverAtAFindingNamesItsRule) {
  E2E_RESULT_OR_RETURN(r);
  const auto* hover = at(*r, {"hover"});
  ASSERT_NE(hover, nullptr) << "no hover recorded";
  EXPECT_EQ(str(at(*hover, {"line"})), "38");
  const auto text = str(at(*hover, {"text"}));
  EXPECT_NE(text.find(kHoverCode), std::string::npos) << "hover text: " << text;
}

TEST_P(Editors, InsertingLinesAboveFindingsMovesThemDown) {
  E2E_RESULT_OR_RETURN(r);
  const auto* edit = at(*r, {"edit"});
  ASSERT_NE(edit, nullptr) << "no edit recorded";
  EXPECT_EQ(toDiags(at(*edit, {"before"})), sorted(kReportWorkerPy));
  const auto moved = sorted(shifted(kReportWorkerPy, kInsertedLines));
  EXPECT_EQ(toDiags(at(*edit, {"published"})), moved) << "what aspm-ls republished after the edit";
  EXPECT_EQ(toDiags(at(*edit, {"shown"})), moved) << "what the editor holds after the edit";
}

TEST_P(Editors, ReportDroppedIntoAspmFolderUpdatesDiagnosticsWithoutRestart) {
  E2E_RESULT_OR_RETURN(r);
  const auto* regs = at(*r, {"registrations"});
  bool registered = false;
  if (regs && regs->is_array()) {
    for (const auto& reg : regs->as_array()) {
      registered |= str(at(reg, {"method"})) == "workspace/didChangeWatchedFiles";
    }
  }
  if (GetParam() == EditorKind::Neovim) {
    // Neovim 0.7 offers no dynamic registration for workspace/didChangeWatchedFiles, so it
    // cannot take part in this scenario; the server must then not ask for it (LSP 3.17,
    // client/registerCapability).
    EXPECT_FALSE(registered) << "aspm-ls registered a file watcher with a client that did not offer "
                                "dynamic registration for it"
                            ;
    return;
  }
  EXPECT_TRUE(registered) << "aspm-ls registered no workspace/didChangeWatchedFiles watcher";
  const auto* watch = at(*r, {"watch"});
  ASSERT_NE(watch, nullptr) << "no watch step recorded";
  EXPECT_EQ(toDiags(at(*watch, {"before"})), Diags{}) << "server.js before its report existed";
  EXPECT_EQ(toDiags(at(*watch, {"published"})), sorted(kServerJs))
      << "what aspm-ls published after " << kHeldReport << " appeared";
  EXPECT_EQ(toDiags(at(*watch, {"shown"})), sorted(kServerJs))
      << "what the editor holds after " << kHeldReport << " appeared";
}

TEST_P(Editors, SessionEndsCleanly) {
  E2E_RESULT_OR_RETURN(r);
  const auto* errors = at(*r, {"errors"});
  EXPECT_TRUE(errors && errors->is_array() && errors->as_array().empty());
  EXPECT_EQ(str(at(*r, {"serverExit", "code"})), "0") << "aspm-ls exit after shutdown/exit";
  EXPECT_EQ(str(at(*r, {"serverExit", "signal"})), "0");
}

TEST_P(Editors, RunsTheSupportedEditorVersion) {
  E2E_RESULT_OR_RETURN(r);
  const auto client = str(at(*r, {"client"}));
  if (GetParam() == EditorKind::Neovim) {
    EXPECT_EQ(client.rfind("Neovim 0.", 0), 0u) << client;
  } else {
    // eglot as bundled with Emacs 30 (1.17) is what the harness is written against.
    int major = 0;
    std::sscanf(client.c_str(), "Emacs %d", &major);
    EXPECT_GE(major, 30) << client << ": run tests/e2e/install-editors.sh for Emacs 30";
  }
}

// The actions offered at a finding: the bandit suppression and the three triage decisions. Both
// editors send the finding's diagnostic back in the request's context with its `data`, from what
// they stored when it was published.
TEST_P(Editors, ListsTheSuppressionAndTriageActionsAtAFinding) {
  E2E_RESULT_OR_RETURN(r);
  const auto* actions = at(*r, {"actions"});
  ASSERT_TRUE(actions && actions->is_array() && !actions->as_array().empty()) << "no code action step recorded";
  const auto& step = actions->as_array().front();
  EXPECT_EQ(str(at(step, {"path"})), kPyFile);
  EXPECT_EQ(str(at(step, {"line"})), std::to_string(38 + kInsertedLines)) << "B602 after the edit step";

  const auto* ids = at(step, {"contextFindingIds"});
  ASSERT_TRUE(ids && ids->is_array());
  ASSERT_EQ(ids->as_array().size(), 1u) << "diagnostics the editor sent as the context: " << json::serialize(*ids);
  EXPECT_TRUE(ids->as_array().front().is_string() && !ids->as_array().front().as_string().empty())
      << "the diagnostic the editor sent back lost its data.findingId: " << json::serialize(*ids);

  const auto* offered = at(step, {"offered"});
  ASSERT_TRUE(offered && offered->is_array());
  std::vector<std::string> titles;
  for (const auto& a : offered->as_array()) titles.push_back(str(at(a, {"title"})));
  const std::string listed = "offered: " + json::serialize(*offered);
  const auto find = [&](const std::string& title) -> const json::value* {
    for (const auto& a : offered->as_array())
      if (str(at(a, {"title"})) == title) return &a;
    return nullptr;
  };

  const std::string suppress = "Suppress B602 with a bandit # nosec comment";
  const auto* nosec = find(suppress);
  ASSERT_NE(nosec, nullptr) << "no \"" << suppress << "\" action; " << listed;
  EXPECT_EQ(str(at(*nosec, {"kind"})), "quickfix");
  EXPECT_EQ(str(at(*nosec, {"edit"})), "true") << "the suppression must carry its edit";
  for (const auto& title : kTriageTitles) {
    const auto* triage = find(title);
    ASSERT_NE(triage, nullptr) << "no \"" << title << "\" action; " << listed;
    EXPECT_EQ(str(at(*triage, {"kind"})), "quickfix.aspm.triage") << title;
    EXPECT_EQ(str(at(*triage, {"command"})), "aspm.triage") << title;
  }
  EXPECT_EQ(titles.size(), 1 + kTriageTitles.size()) << listed;
}

INSTANTIATE_TEST_SUITE_P(RealClients, Editors, ::testing::Values(EditorKind::Neovim, EditorKind::Emacs),
                         [](const ::testing::TestParamInfo<EditorKind>& p) {
                           return p.param == EditorKind::Neovim ? std::string("Neovim")
                                                                   : std::string("Emacs");
                         });

// Neovim applies what it is offered: its built-in client applies the chosen action's edit, and
// the session saves, rescans and tells the server, which Emacs' part of the plan does not do.
class NeovimActions : public Editors {
 protected:
  const json::value* action(const json::value& r, std::size_t index) {
    const auto* actions = at(r, {"actions"});
    if (!actions || !actions->is_array() || actions->as_array().size() <= index) return nullptr;
    return &actions->as_array()[index];
  }
};

TEST_P(NeovimActions, AppliesTheNosecSuppressionAndTheFindingLeavesAtOnce) {
  E2E_RESULT_OR_RETURN(r);
  const auto* step = action(*r, 0);
  ASSERT_NE(step, nullptr) << "no suppression step recorded";
  EXPECT_NE(str(at(*step, {"chosen"})).find("nosec"), std::string::npos);
  const std::string before = str(at(*step, {"before"}));
  EXPECT_EQ(before, R"(    subprocess.call("gzip -f " + report, shell=True))") << "line 38 of the example, moved by the edit step";
  EXPECT_EQ(str(at(*step, {"after"})), before + "  # nosec B602") << "the line after Neovim applied the edit";
  // The server judges the comment on the open buffer: no rescan needed for the finding to leave.
  EXPECT_EQ(toDiags(at(*step, {"published"})), withoutSuppressed()) << "what aspm-ls published after the edit";
  EXPECT_EQ(toDiags(at(*step, {"shown"})), withoutSuppressed()) << "what Neovim holds after the edit";
}

TEST_P(NeovimActions, RescanAfterSavingKeepsTheSuppressedFindingHidden) {
  E2E_RESULT_OR_RETURN(r);
  const auto* rescan = at(*r, {"rescan"});
  if (!rescan) {
    if (skipRequested()) GTEST_SKIP() << "bandit not found; skipped because ASPM_E2E_SKIP=1";
    FAIL() << "no rescan recorded: bandit is not in PATH (apt-get install python3-bandit, see .ci/deps.sh)";
  }
  EXPECT_EQ(str(at(*rescan, {"modifiedAfterWrite"})), "false") << ":write left the buffer modified";
  // bandit exits 1 when it reports findings; 0 would mean it found nothing, above 1 that it failed.
  EXPECT_EQ(str(at(*rescan, {"exitCode"})), "1") << "bandit: " << str(at(*rescan, {"stderr"}));

  // The real scanner ran over the saved buffer: its new report honours the comment too.
  const fs::path reportPath = current_->dir / "ws" / ".aspm" / "bandit.json";
  boost::system::error_code ec;
  const auto report = json::parse(readFile(reportPath), ec);
  const auto* results = ec ? nullptr : at(report, {"results"});
  ASSERT_TRUE(results && results->is_array()) << "bandit wrote no readable report to " << reportPath;
  std::vector<std::string> rules;
  for (const auto& res : results->as_array()) {
    EXPECT_EQ(str(at(res, {"filename"})), kPyFile) << "bandit must name files as the committed report does";
    rules.push_back(str(at(res, {"test_id"})));
  }
  EXPECT_EQ(std::count(rules.begin(), rules.end(), kSuppressedCode), 0) << "the rescan still reports B602";
  EXPECT_EQ(rules.size(), kReportWorkerPy.size() - 1);

  EXPECT_NE(str(at(*rescan, {"reread"})).find("loaded 1 report"), std::string::npos)
      << "aspm-ls did not announce rereading .aspm/bandit.json after workspace/didChangeWatchedFiles";
  for (const char* key : {"published", "shown"}) {
    SCOPED_TRACE(key);
    const Diags got = toDiags(at(*rescan, {key}));
    EXPECT_EQ(std::count_if(got.begin(), got.end(), [](const Diag& d) { return d.code == kSuppressedCode; }), 0)
        << "B602 is back after the rescan";
    EXPECT_EQ(got.size(), kReportWorkerPy.size() - 1) << "the other bandit findings of the file: " << testing::PrintToString(got);
  }
}

TEST_P(NeovimActions, RescannedFindingsAreOnTheLinesOfTheSavedFile) {
  E2E_RESULT_OR_RETURN(r);
  const auto* rescan = at(*r, {"rescan"});
  if (!rescan) GTEST_SKIP() << "no rescan recorded (see RescanAfterSavingKeepsTheSuppressedFindingHidden)";
  // The buffer was saved before the scan, so buffer and report describe the same text: each
  // finding belongs on the line bandit reported, with no mapping through the earlier edit.
  EXPECT_EQ(toDiags(at(*rescan, {"published"})), withoutSuppressed())
      << "what aspm-ls published after rereading the rescanned report";
  EXPECT_EQ(toDiags(at(*rescan, {"shown"})), withoutSuppressed()) << "what Neovim holds after the rescan";
}

TEST_P(NeovimActions, UpgradesTheDependencyOnTheManifestLine) {
  E2E_RESULT_OR_RETURN(r);
  const auto* step = action(*r, 1);
  ASSERT_NE(step, nullptr) << "no upgrade step recorded";
  const std::string chosen = str(at(*step, {"chosen"}));
  // Nine Snyk findings in the report, all about lodash: one upgrade to the highest fixed version.
  EXPECT_NE(chosen.find("Upgrade lodash"), std::string::npos) << chosen;
  EXPECT_NE(chosen.find("4.17.21"), std::string::npos) << chosen;
  EXPECT_NE(chosen.find("fixes 9 findings"), std::string::npos) << chosen;
  EXPECT_EQ(str(at(*step, {"line"})), std::to_string(kLodashLine));
  EXPECT_EQ(str(at(*step, {"after"})), kUpgradedLodash) << "the lodash line after Neovim applied the edit";
  std::vector<std::string> expected = kManifestLines;
  expected[kLodashLine - 1] = kUpgradedLodash;
  std::vector<std::string> buffer;
  if (const auto* lines = at(*step, {"buffer"}); lines && lines->is_array())
    for (const auto& l : lines->as_array()) buffer.push_back(str(&l));
  EXPECT_EQ(buffer, expected) << "the edit may change the lodash version only";
}

INSTANTIATE_TEST_SUITE_P(RealClients, NeovimActions, ::testing::Values(EditorKind::Neovim),
                         [](const ::testing::TestParamInfo<EditorKind>&) { return std::string("Neovim"); });

// A finding of a scan of an older commit, in a real git repository built here: Neovim shows it
// where the code is now, the diagnostic goes when its line is deleted and comes back on :undo.
TEST(NeovimHistory, AnOlderScanIsShownWhereTheCodeIsNowAndComesBackOnUndo) {
  const auto nvim = findInPath(envOr("ASPM_E2E_NVIM", "nvim"));
  const auto git = findInPath("git");
  if (!nvim || !git) {
    if (skipRequested()) GTEST_SKIP() << "nvim or git not found; skipped because ASPM_E2E_SKIP=1";
    FAIL() << "nvim and git are needed: install the editors with tests/e2e/install-editors.sh";
  }
  const fs::path server = envOr("ASPM_LS", std::string(ASPM_BIN_DIR) + "/aspm-ls");
  std::string tmpl = (fs::temp_directory_path() / "aspm-e2e-history-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  const fs::path dir = tmpl;
  sessionDirs().push_back(dir);
  const fs::path ws = dir / "ws";
  fs::create_directories(ws / "src");
  fs::create_directories(dir / "home");
  auto run = [&](const std::string& args) {
    const std::string cmd = "git -C '" + ws.string() + "' " + args + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  };
  auto write = [&](const std::string& rel, const std::string& text) { std::ofstream(ws / rel, std::ios::binary) << text; };
  run("init -q -b main");
  run("config user.email ci@example.com");
  run("config user.name CI");
  write("src/copy.c", "#include <string.h>\nvoid f(char *d, const char *s) {\n  strcpy(d, s);\n}\n");
  run("add -A");
  run("commit -q -m scanned");
  std::string revision;
  {
    FILE* p = ::popen(("git -C '" + ws.string() + "' rev-parse HEAD").c_str(), "r");
    ASSERT_NE(p, nullptr);
    char buf[64] = {};
    ASSERT_NE(std::fgets(buf, sizeof buf, p), nullptr);
    ::pclose(p);
    revision = std::string(buf).substr(0, 40);
  }
  // Later commits: a header and a comment above the function. The scan still says line 3.
  write("src/copy.c", "#include <string.h>\n#include <stdio.h>\n\n/* copies */\nvoid f(char *d, const char *s) {\n  strcpy(d, s);\n}\n");
  run("commit -q -am later");
  fs::create_directories(ws / ".aspm");
  write(".aspm/flawfinder.sarif",
        R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Flawfinder"}},"versionControlProvenance":[{"repositoryUri":"file:///r","revisionId":")" +
            revision +
            R"("}],"results":[{"ruleId":"FF1001","level":"error","message":{"text":"strcpy does not check for buffer overflows"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/copy.c"},"region":{"startLine":3,"startColumn":3,"endColumn":9}}}]}]}]})");

  const Diags at6{{6, "FF1001", "Flawfinder"}};
  const std::int64_t stepTimeoutMs = std::stoll(envOr("ASPM_E2E_STEP_TIMEOUT_MS", "30000"));
  json::object plan{
      {"server", server.string()},
      {"root", ws.string()},
      {"timeoutMs", stepTimeoutMs},
      {"open", json::array{fileStep("src/copy.c", at6)}},
      {"lineEdits", json::array{
                        {{"path", "src/copy.c"}, {"op", "insert"}, {"line", 5}, {"text", "// checked by the caller"}, {"expect", toJson({{7, "FF1001", "Flawfinder"}})}},
                        {{"path", "src/copy.c"}, {"op", "delete"}, {"line", 7}, {"expect", json::array{}}},
                        {{"path", "src/copy.c"}, {"op", "undo"}, {"expect", toJson({{7, "FF1001", "Flawfinder"}})}},
                    }},
  };
  std::ofstream(dir / "plan.json") << json::serialize(plan);
  const std::map<std::string, std::string> env{
      {"ASPM_E2E_PLAN", (dir / "plan.json").string()}, {"ASPM_E2E_OUT", (dir / "result.json").string()},
      {"ASPM_LS", server.string()}, {"HOME", (dir / "home").string()},
      {"XDG_CONFIG_HOME", (dir / "home/.config").string()}, {"XDG_DATA_HOME", (dir / "home/.local/share").string()},
      {"XDG_STATE_HOME", (dir / "home/.local/state").string()}, {"XDG_CACHE_HOME", (dir / "home/.cache").string()},
  };
  const auto script = (fs::path(ASPM_SOURCE_DIR) / "tests" / "e2e" / "nvim_client.lua").string();
  Child child({nvim->string(), "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", "luafile " + script}, env,
              dir / "stdout.txt", dir / "stderr.txt");
  ASSERT_TRUE(child.spawnError().empty()) << child.spawnError();
  const auto status = child.waitUntil(Clock::now() + std::chrono::milliseconds(stepTimeoutMs * 6));
  const std::string output = readFile(dir / "stderr.txt") + readFile(dir / "stdout.txt");
  ASSERT_TRUE(status) << "nvim did not finish; output:\n" << tail(output);
  ASSERT_TRUE(fs::exists(dir / "result.json")) << "no result; output:\n" << tail(output);
  const json::value r = json::parse(readFile(dir / "result.json"));
  for (const char* key : {"errors", "timeouts"})
    if (const auto* list = at(r, {key}); list && list->is_array())
      for (const auto& e : list->as_array()) ADD_FAILURE() << key << ": " << str(&e);
  EXPECT_EQ(toDiags(at(r, {"files", "src/copy.c", "shown"})), at6) << "the scan said line 3; the code is on line 6 now";
  const auto* edits = at(r, {"lineEdits"});
  ASSERT_TRUE(edits && edits->is_array() && edits->as_array().size() == 3) << "line edits not recorded";
  const auto& steps = edits->as_array();
  EXPECT_EQ(toDiags(at(steps[0], {"shown"})), (Diags{{7, "FF1001", "Flawfinder"}})) << "a comment typed above moves it";
  EXPECT_TRUE(toDiags(at(steps[1], {"shown"})).empty()) << "deleting the strcpy line removes it";
  EXPECT_NE(str(at(steps[2], {"text"})).find("strcpy(d, s);"), std::string::npos) << ":undo restored the line";
  EXPECT_EQ(toDiags(at(steps[2], {"shown"})), (Diags{{7, "FF1001", "Flawfinder"}})) << ":undo brings it back";
}

}  // namespace
