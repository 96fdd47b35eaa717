// Ticketing against the real aspm-store binary and a real HTTP receiver in this process that
// stands in for GitHub and Jira: the request shapes field by field (authorization included), one
// ticket per fingerprint across uploads, retries after a 500, delivery of a pending outbox after
// the store was killed and restarted, no ticket for non-matching or false-positive findings, and
// a bad rules file refused at start with its file and line. SQLite in a temporary directory, or
// the database ASPM_STORE_TEST_DB names (with-postgres.sh); each test has its own project and
// target names, so tests sharing one PostgreSQL database do not see each other's tickets.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/client/http_client.h"

extern char** environ;

namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

const std::string kStore = std::string(ASPM_BIN_DIR) + "/aspm-store";

fs::path makeTempDir() {
  std::string tmpl = (fs::temp_directory_path() / "aspm-ticketing-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

bool waitFor(const std::function<bool()>& cond, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!cond()) {
    if (Clock::now() > deadline) return false;
    pollfd none{};
    ::poll(&none, 0, 10);  // a short pause between checks, not a wait for the condition
  }
  return true;
}

std::string uniqueName(const std::string& base) {
  static std::mt19937_64 rng(std::random_device{}());
  return base + "-" + std::to_string(rng() % 1'000'000'000);
}

int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// ---- the tracker stand-in ----

struct Received {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  int answered = 0;
};

// A plain-socket HTTP/1.1 server on 127.0.0.1: one request per connection, recorded, answered
// with the next scripted status (201 once the script is used up). A 201 body looks like GitHub's
// ({number, html_url}) or Jira's ({id, key, self}) depending on the path.
class Receiver {
 public:
  explicit Receiver(int port = 0) {
    listen_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::bind(listen_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listen_, 16) != 0)
      throw std::runtime_error("receiver cannot listen");
    socklen_t len = sizeof a;
    ::getsockname(listen_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    if (::pipe(stop_) != 0) throw std::runtime_error("pipe failed");
    thread_ = std::thread([this] { loop(); });
  }
  ~Receiver() {
    const char c = 'x';
    [[maybe_unused]] auto n = ::write(stop_[1], &c, 1);
    thread_.join();
    ::close(listen_);
    ::close(stop_[0]);
    ::close(stop_[1]);
  }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void script(std::vector<int> statuses) {
    std::lock_guard lock(mu_);
    script_.assign(statuses.begin(), statuses.end());
  }
  std::vector<Received> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  std::size_t count() const {
    std::lock_guard lock(mu_);
    return requests_.size();
  }
  int created() const {
    std::lock_guard lock(mu_);
    return created_;
  }

 private:
  void loop() {
    for (;;) {
      pollfd p[2] = {{listen_, POLLIN, 0}, {stop_[0], POLLIN, 0}};
      if (::poll(p, 2, -1) < 0) continue;
      if (p[1].revents) return;
      if (!(p[0].revents & POLLIN)) continue;
      const int fd = ::accept(listen_, nullptr, nullptr);
      if (fd < 0) continue;
      serve(fd);
      ::close(fd);
    }
  }

  void serve(int fd) {
    std::string data;
    std::size_t headerEnd = std::string::npos;
    std::size_t need = 0;
    const auto deadline = Clock::now() + 10s;
    char buf[4096];
    while (Clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const auto n = ::read(fd, buf, sizeof buf);
      if (n <= 0) return;
      data.append(buf, static_cast<std::size_t>(n));
      if (headerEnd == std::string::npos) {
        headerEnd = data.find("\r\n\r\n");
        if (headerEnd == std::string::npos) continue;
        Received r;
        std::istringstream head(data.substr(0, headerEnd));
        std::string line;
        std::getline(head, line);
        std::istringstream first(line);
        first >> r.method >> r.target;
        while (std::getline(head, line)) {
          if (!line.empty() && line.back() == '\r') line.pop_back();
          const auto colon = line.find(':');
          if (colon == std::string::npos) continue;
          std::string name = line.substr(0, colon);
          for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          std::string value = line.substr(colon + 1);
          while (!value.empty() && value.front() == ' ') value.erase(0, 1);
          r.headers[name] = value;
        }
        need = r.headers.contains("content-length") ? std::stoul(r.headers["content-length"]) : 0;
        pending_ = std::move(r);
      }
      if (data.size() - headerEnd - 4 >= need) break;
    }
    if (headerEnd == std::string::npos) return;
    pending_.body = data.substr(headerEnd + 4, need);
    int status = 201;
    std::string reply;
    {
      std::lock_guard lock(mu_);
      if (!script_.empty()) {
        status = script_.front();
        script_.pop_front();
      }
      if (status == 201) {
        const int n = ++created_;
        if (pending_.target.find("/rest/api/2/issue") != std::string::npos)
          reply = R"({"id":")" + std::to_string(10000 + n) + R"(","key":"SEC-)" + std::to_string(n) + R"(","self":")" + url() +
                  "/rest/api/2/issue/" + std::to_string(10000 + n) + "\"}";
        else
          reply = R"({"number":)" + std::to_string(n) + R"(,"html_url":"https://github.example/acme/shop/issues/)" +
                  std::to_string(n) + "\"}";
      } else {
        reply = R"({"message":"scripted failure"})";
      }
      pending_.answered = status;
      requests_.push_back(pending_);
    }
    const std::string res = "HTTP/1.1 " + std::to_string(status) + (status == 201 ? " Created" : " Error") +
                            "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(reply.size()) +
                            "\r\nConnection: close\r\n\r\n" + reply;
    std::string_view rest = res;
    while (!rest.empty()) {
      const auto n = ::write(fd, rest.data(), rest.size());
      if (n <= 0) break;
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  int listen_ = -1;
  int port_ = 0;
  int stop_[2] = {-1, -1};
  std::thread thread_;
  mutable std::mutex mu_;
  std::deque<int> script_;
  std::vector<Received> requests_;
  Received pending_;
  int created_ = 0;
};

// ---- aspm-store ----

struct Exit {
  int status = -1;
  std::string err;
};

// aspm-store with extra environment; stdout gives the port, stderr goes to a file.
class Store {
 public:
  Store(const std::vector<std::string>& args, const std::vector<std::string>& env, const fs::path& errFile) {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, errFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> envs;
    for (char** e = environ; *e; ++e) envs.emplace_back(*e);
    envs.insert(envs.end(), env.begin(), env.end());
    std::vector<char*> envp;
    for (auto& e : envs) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> all = {kStore};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, kStore.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (rc != 0) {
      ::close(out[0]);
      throw std::runtime_error("cannot start aspm-store");
    }
    std::string line;
    const auto deadline = Clock::now() + 20s;
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
  ~Store() { stop(SIGTERM); }
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int port() const { return port_; }
  // The exit status (as from a shell: 128 + signal when killed).
  int stop(int signal) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  // Waits for the process to end by itself (a refused start).
  int wait(std::chrono::milliseconds timeout) {
    int status = 0;
    const bool ended = waitFor([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, timeout);
    if (!ended) return -1;
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

std::string readFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Reply {
  int status = 0;
  json::value body;
  std::string raw;
};

Reply call(int port, const std::string& method, const std::string& target, const std::string& token,
           const std::string& body = {}) {
  aspm::store::client::HttpClient http("127.0.0.1", std::to_string(port), 30s);
  std::vector<std::pair<std::string, std::string>> headers;
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  const auto res = http.request(method, target, headers, body);
  Reply r;
  r.status = res.status;
  r.raw = res.body;
  boost::system::error_code ec;
  r.body = json::parse(res.body, ec);
  return r;
}

std::string runToken(const std::string& db, const std::string& project, const std::string& role) {
  std::string cmd = "'" + kStore + "' token create --db '" + db + "' --project '" + project + "' --role " + role;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return {};
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  if (::pclose(p) != 0) return {};
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

json::object finding(const std::string& id, const std::string& severity, std::vector<std::string> cwes,
                     const std::string& path, std::int64_t line) {
  json::array c;
  for (auto& x : cwes) c.emplace_back(x);
  return {{"id", id},
          {"ruleId", "python.sqli." + id},
          {"tool", "Semgrep OSS+CodeQL"},
          {"kind", "sast"},
          {"severity", severity},
          {"bucket", "immediate"},
          {"riskScore", 870},
          {"exploitable", false},
          {"path", path},
          {"title", "SQL built from user input"},
          {"message", "Untrusted input flows into cursor.execute()"},
          {"cwe", std::move(c)},
          {"line", line},
          {"kev", false},
          {"reachability", "reachable"}};
}

std::string scan(json::array findings) {
  return json::serialize(json::object{{"revision", "0123abcd"},
                                      {"kinds", json::array{"sast"}},
                                      {"repository", "web"},
                                      {"findings", std::move(findings)}});
}

const json::value& at(const json::value& v, std::initializer_list<std::string_view> path) {
  static const json::value null;
  const json::value* cur = &v;
  for (auto key : path) {
    if (!cur->is_object() || !cur->as_object().contains(key)) return null;
    cur = &cur->as_object().at(key);
  }
  return *cur;
}

std::string str(const json::value& v) { return v.is_string() ? std::string(v.get_string()) : std::string("<not a string>"); }

// One test's world: a database, a project with a token, a rules file and a receiver.
struct World {
  fs::path dir = makeTempDir();
  std::string db;
  std::string project = uniqueName("shop");
  std::string target = uniqueName("tracker");
  std::string token;
  fs::path rules = dir / "ticketing.yaml";
  fs::path err = dir / "store.err";
  World() {
    const char* env = std::getenv("ASPM_STORE_TEST_DB");
    db = env && *env ? env : "sqlite:" + (dir / "store.db").string();
    token = runToken(db, project, "security");
  }
  ~World() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  void writeRules(const std::string& text) { std::ofstream(rules) << text; }
  std::unique_ptr<Store> start(const std::vector<std::string>& env) {
    return std::make_unique<Store>(
        std::vector<std::string>{"serve", "--db", db, "--listen", "127.0.0.1:0", "--ticketing", rules.string()}, env, err);
  }
  json::array tickets(const Store& s) {
    const auto r = call(s.port(), "GET", "/v1/projects/" + project + "/tickets", token);
    const auto& t = at(r.body, {"tickets"});
    return t.is_array() ? t.as_array() : json::array{};
  }
  // The ticket of `fingerprint` once it has left "pending" (or null at the deadline).
  json::value settled(const Store& s, const std::string& fingerprint, std::chrono::milliseconds timeout = 20s) {
    json::value found;
    waitFor(
        [&] {
          for (const auto& t : tickets(s))
            if (str(at(t, {"fingerprint"})) == fingerprint && str(at(t, {"state"})) != "pending") {
              found = t;
              return true;
            }
          return false;
        },
        timeout);
    return found;
  }
};

std::string githubRules(const World& w, const Receiver& r, const std::string& extra = {}) {
  return "version: 1\n"
         "delivery: {initial_backoff_ms: 50, max_backoff_ms: 400}\n"
         "targets:\n"
         "  - name: " + w.target + "\n"
         "    type: github\n"
         "    url: " + r.url() + "\n"
         "    repository: acme/shop\n"
         "    token_env: ASPM_TEST_GITHUB_TOKEN\n"
         "    labels: [security, aspm]\n"
         "rules:\n"
         "  - id: injections\n"
         "    description: injections in the web tier\n"
         "    projects: [" + w.project + "]\n"
         "    target: " + w.target + "\n"
         "    labels: [sql-injection]\n"
         "    when: {cwe: [CWE-89], severity: high, paths: [\"src/**\"]}\n" + extra;
}

TEST(Ticketing, GitHubIssueShapeOncePerFingerprint) {
  World w;
  ASSERT_FALSE(w.token.empty());
  Receiver receiver;
  w.writeRules(githubRules(w, receiver));
  auto store = w.start({"ASPM_TEST_GITHUB_TOKEN=gh-secret-1"});
  ASSERT_GT(store->port(), 0) << readFile(w.err);

  // A matches (CWE-89, high, under src/); B is low; C is outside src/; D has another CWE.
  const std::string body = scan({finding("A", "high", {"CWE-89"}, "src/db/users.py", 42),
                                 finding("B", "low", {"CWE-89"}, "src/db/other.py", 7),
                                 finding("C", "critical", {"CWE-89"}, "tools/seed.py", 3),
                                 finding("D", "critical", {"CWE-79"}, "src/web/view.py", 9)});
  auto r = call(store->port(), "POST", "/v1/projects/" + w.project + "/scans", w.token, body);
  ASSERT_EQ(r.status, 201) << r.raw;
  const json::value a = w.settled(*store, "A");
  ASSERT_TRUE(a.is_object()) << readFile(w.err);
  EXPECT_EQ(str(at(a, {"state"})), "open") << a;
  EXPECT_EQ(str(at(a, {"key"})), "acme/shop#1");
  EXPECT_EQ(str(at(a, {"url"})), "https://github.example/acme/shop/issues/1");
  EXPECT_EQ(str(at(a, {"system"})), "github");
  EXPECT_EQ(str(at(a, {"rule"})), "injections");
  EXPECT_EQ(str(at(a, {"target"})), w.target);
  EXPECT_EQ(at(a, {"attempts"}), json::value(1));
  EXPECT_TRUE(at(a, {"lastError"}).is_null());

  ASSERT_EQ(receiver.count(), 1u);
  const Received req = receiver.requests().front();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/repos/acme/shop/issues");
  EXPECT_EQ(req.headers.at("authorization"), "Bearer gh-secret-1");
  EXPECT_EQ(req.headers.at("accept"), "application/vnd.github+json");
  EXPECT_EQ(req.headers.at("x-github-api-version"), "2022-11-28");
  EXPECT_EQ(req.headers.at("content-type"), "application/json");
  EXPECT_EQ(req.headers.at("user-agent"), "aspm-store");
  boost::system::error_code ec;
  const json::value issue = json::parse(req.body, ec);
  ASSERT_FALSE(ec) << req.body;
  ASSERT_TRUE(issue.is_object());
  EXPECT_EQ(issue.as_object().size(), 3u) << issue;  // title, body, labels and nothing else
  EXPECT_EQ(str(at(issue, {"title"})), "[aspm] SQL built from user input in src/db/users.py");
  EXPECT_EQ(at(issue, {"labels"}), (json::array{"security", "aspm", "sql-injection"}));
  const std::string md = str(at(issue, {"body"}));
  EXPECT_NE(md.find("**Severity:** high · **Risk:** 870 (immediate) · **Kind:** sast"), std::string::npos) << md;
  EXPECT_NE(md.find("**Location:** `src/db/users.py:42` in repository `web` at revision `0123abcd`"), std::string::npos) << md;
  EXPECT_NE(md.find("**Tools:** Semgrep OSS+CodeQL · **Rule:** `python.sqli.A`"), std::string::npos) << md;
  EXPECT_NE(md.find("[CWE-89](https://cwe.mitre.org/data/definitions/89.html)"), std::string::npos) << md;
  EXPECT_NE(md.find("> Untrusted input flows into cursor.execute()"), std::string::npos) << md;
  // The remediation guidance of CWE-89, with the Python example for a .py file.
  EXPECT_NE(md.find("### Remediation"), std::string::npos) << md;
  EXPECT_NE(md.find("**How to fix.**"), std::string::npos) << md;
  EXPECT_NE(md.find("```python"), std::string::npos) << md;
  EXPECT_NE(md.find("aspm fingerprint: `A`"), std::string::npos) << md;
  EXPECT_NE(md.find("ticketing rule `injections`: injections in the web tier"), std::string::npos) << md;

  // The same scan again: A already has its ticket. E is new and matches; once E's ticket is
  // delivered, every earlier queued ticket would have been too (oldest first), so two requests
  // in all proves A was not sent again.
  json::array again = json::parse(body).as_object().at("findings").as_array();
  again.push_back(finding("E", "critical", {"CWE-89"}, "src/api/search.py", 5));
  r = call(store->port(), "POST", "/v1/projects/" + w.project + "/scans", w.token,
           json::serialize(json::object{{"revision", "0123abcd"}, {"kinds", json::array{"sast"}}, {"repository", "web"},
                                        {"findings", again}}));
  ASSERT_EQ(r.status, 201) << r.raw;
  const json::value e = w.settled(*store, "E");
  ASSERT_TRUE(e.is_object());
  EXPECT_EQ(str(at(e, {"key"})), "acme/shop#2");
  EXPECT_EQ(receiver.count(), 2u);
  const auto all = w.tickets(*store);
  ASSERT_EQ(all.size(), 2u) << json::serialize(all);  // B, C and D: no ticket
  EXPECT_EQ(str(at(all[0], {"fingerprint"})), "A");
  EXPECT_EQ(str(at(all[1], {"fingerprint"})), "E");
}

TEST(Ticketing, JiraIssueShapeWithBasicAuthentication) {
  World w;
  ASSERT_FALSE(w.token.empty());
  Receiver receiver;
  w.writeRules("version: 1\n"
               "targets:\n"
               "  - name: " + w.target + "\n"
               "    type: jira\n"
               "    url: " + receiver.url() + "/jira/\n"
               "    project: SEC\n"
               "    issue_type: Vulnerability\n"
               "    auth: basic\n"
               "    user_env: ASPM_TEST_JIRA_USER\n"
               "    token_env: ASPM_TEST_JIRA_TOKEN\n"
               "    labels: [app security]\n"
               "rules:\n"
               "  - id: critical-anything\n"
               "    target: " + w.target + "\n"
               "    when: {severity: critical}\n");
  auto store = w.start({"ASPM_TEST_JIRA_USER=alice@example.com", "ASPM_TEST_JIRA_TOKEN=jira-secret-2"});
  ASSERT_GT(store->port(), 0) << readFile(w.err);
  auto r = call(store->port(), "POST", "/v1/projects/" + w.project + "/scans", w.token,
                scan({finding("J", "critical", {"CWE-89"}, "src/db.py", 12), finding("K", "high", {"CWE-89"}, "src/k.py", 1)}));
  ASSERT_EQ(r.status, 201) << r.raw;
  const json::value t = w.settled(*store, "J");
  ASSERT_TRUE(t.is_object()) << readFile(w.err);
  EXPECT_EQ(str(at(t, {"state"})), "open");
  EXPECT_EQ(str(at(t, {"system"})), "jira");
  EXPECT_EQ(str(at(t, {"key"})), "SEC-1");
  EXPECT_EQ(str(at(t, {"url"})), receiver.url() + "/jira/browse/SEC-1");

  ASSERT_EQ(receiver.count(), 1u);
  const Received req = receiver.requests().front();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/jira/rest/api/2/issue");
  EXPECT_EQ(req.headers.at("authorization"), "Basic YWxpY2VAZXhhbXBsZS5jb206amlyYS1zZWNyZXQtMg==");  // alice@example.com:jira-secret-2
  EXPECT_EQ(req.headers.at("content-type"), "application/json");
  const json::value issue = json::parse(req.body);
  ASSERT_TRUE(issue.is_object());
  EXPECT_EQ(issue.as_object().size(), 1u) << issue;
  const auto& fields = at(issue, {"fields"});
  ASSERT_TRUE(fields.is_object()) << issue;
  EXPECT_EQ(fields.as_object().size(), 5u) << fields;
  EXPECT_EQ(at(fields, {"project"}), (json::object{{"key", "SEC"}}));
  EXPECT_EQ(at(fields, {"issuetype"}), (json::object{{"name", "Vulnerability"}}));
  EXPECT_EQ(str(at(fields, {"summary"})), "[aspm] SQL built from user input in src/db.py");
  EXPECT_EQ(at(fields, {"labels"}), (json::array{"app-security"}));  // Jira labels cannot hold spaces
  // The description is Jira wiki markup, not Markdown.
  const std::string d = str(at(fields, {"description"}));
  EXPECT_NE(d.find("*Severity:* critical"), std::string::npos) << d;
  EXPECT_NE(d.find("*Location:* {{src/db.py:12}}"), std::string::npos) << d;
  EXPECT_NE(d.find("[CWE-89|https://cwe.mitre.org/data/definitions/89.html]"), std::string::npos) << d;
  EXPECT_NE(d.find("h3. Remediation"), std::string::npos) << d;
  EXPECT_NE(d.find("{code:python}"), std::string::npos) << d;
  EXPECT_NE(d.find("bq. Untrusted input flows into cursor.execute()"), std::string::npos) << d;
  EXPECT_EQ(d.find("```"), std::string::npos) << d;
  EXPECT_EQ(d.find("**Severity"), std::string::npos) << d;
  EXPECT_EQ(w.tickets(*store).size(), 1u);  // K is high, not critical
}

TEST(Ticketing, ServerErrorIsRetriedIntoOneTicket) {
  World w;
  Receiver receiver;
  receiver.script({500, 503, 201});
  w.writeRules(githubRules(w, receiver));
  auto store = w.start({"ASPM_TEST_GITHUB_TOKEN=gh-secret-3"});
  ASSERT_GT(store->port(), 0) << readFile(w.err);
  const auto begun = Clock::now();
  ASSERT_EQ(call(store->port(), "POST", "/v1/projects/" + w.project + "/scans", w.token,
                 scan({finding("R", "high", {"CWE-89"}, "src/r.py", 1)}))
                .status,
            201);
  const json::value t = w.settled(*store, "R");
  ASSERT_TRUE(t.is_object()) << readFile(w.err);
  EXPECT_EQ(str(at(t, {"state"})), "open");
  EXPECT_EQ(str(at(t, {"key"})), "acme/shop#1");
  EXPECT_EQ(at(t, {"attempts"}), json::value(3));
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].answered, 500);
  EXPECT_EQ(requests[1].answered, 503);
  EXPECT_EQ(requests[2].answered, 201);
  EXPECT_EQ(requests[0].body, requests[2].body);  // the same issue, rendered once when queued
  EXPECT_EQ(receiver.created(), 1);
  // Backoff 50 ms then 100 ms: the retries waited, but not for the default seconds.
  EXPECT_GE(Clock::now() - begun, 150ms);
  EXPECT_EQ(w.tickets(*store).size(), 1u);
}

TEST(Ticketing, ClientErrorFailsWithoutRetry) {
  World w;
  Receiver receiver;
  receiver.script({401});
  w.writeRules(githubRules(w, receiver));
  auto store = w.start({"ASPM_TEST_GITHUB_TOKEN=revoked"});
  ASSERT_GT(store->port(), 0) << readFile(w.err);
  ASSERT_EQ(call(store->port(), "POST", "/v1/projects/" + w.project + "/scans", w.token,
                 scan({finding("F1", "high", {"CWE-89"}, "src/f.py", 1)}))
                .status,
            201);
  const json::value t = w.settled(*store, "F1");
  ASSERT_TRUE(t.is_object());
  EXPECT_EQ(str(at(t, {"state"})), "failed");
  EXPECT_EQ(str(at(t, {"lastError"})).rfind("HTTP 401: ", 0), 0u) << t;
  EXPECT_EQ(at(t, {"attempts"}), json::value(1));
  EXPECT_EQ(receiver.count(), 1u);
}

TEST(Ticketing, PendingOutboxIsDeliveredAfterAKillAndRestart) {
  World w;
  // Nothing listens on the tracker's port yet: every attempt fails to connect.
  const int port = freePort();
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  w.writeRules("version: 1\n"
               "delivery: {initial_backoff_ms: 50, max_backoff_ms: 200, max_attempts: 1000}\n"
               "targets:\n"
               "  - {name: " + w.target + ", type: github, url: \"" + url + "\", repository: acme/shop, token_env: ASPM_TEST_GITHUB_TOKEN}\n"
               "rules:\n"
               "  - {id: all-high, target: " + w.target + ", when: {severity: high}}\n");
  auto store = w.start({"ASPM_TEST_GITHUB_TOKEN=gh-secret-4"});
  ASSERT_GT(store->port(), 0) << readFile(w.err);
  ASSERT_EQ(call(store->port(), "POST", "/v1/projects/" + w.project + "/scans", w.token,
                 scan({finding("P", "high", {"CWE-89"}, "src/p.py", 1)}))
                .status,
            201);
  // Pending, with attempts that failed to connect.
  ASSERT_TRUE(waitFor(
      [&] {
        const auto t = w.tickets(*store);
        return t.size() == 1 && str(at(t[0], {"state"})) == "pending" && at(t[0], {"attempts"}).to_number<int>() >= 2 &&
               str(at(t[0], {"lastError"})).find("cannot connect") != std::string::npos;
      },
      20s))
      << json::serialize(w.tickets(*store));
  EXPECT_EQ(store->stop(SIGKILL), 128 + SIGKILL);

  Receiver receiver(port);
  store = w.start({"ASPM_TEST_GITHUB_TOKEN=gh-secret-4"});
  ASSERT_GT(store->port(), 0) << readFile(w.err);
  const json::value t = w.settled(*store, "P");
  ASSERT_TRUE(t.is_object()) << readFile(w.err);
  EXPECT_EQ(str(at(t, {"state"})), "open");
  EXPECT_EQ(str(at(t, {"key"})), "acme/shop#1");
  EXPECT_EQ(receiver.count(), 1u);
  EXPECT_EQ(receiver.requests().front().headers.at("authorization"), "Bearer gh-secret-4");
  EXPECT_EQ(w.tickets(*store).size(), 1u);

  // One more restart with nothing pending: nothing is sent again.
  EXPECT_EQ(store->stop(SIGTERM), 0);
  store = w.start({"ASPM_TEST_GITHUB_TOKEN=gh-secret-4"});
  ASSERT_GT(store->port(), 0);
  ASSERT_EQ(call(store->port(), "POST", "/v1/projects/" + w.project + "/scans", w.token,
                 scan({finding("P", "high", {"CWE-89"}, "src/p.py", 1), finding("Q", "high", {}, "src/q.py", 2)}))
                .status,
            201);
  ASSERT_TRUE(w.settled(*store, "Q").is_object());
  EXPECT_EQ(receiver.count(), 2u);  // Q only
  EXPECT_EQ(w.tickets(*store).size(), 2u);
}

TEST(Ticketing, TriagedFalsePositiveGetsNoTicket) {
  World w;
  Receiver receiver;
  w.writeRules(githubRules(w, receiver));
  auto store = w.start({"ASPM_TEST_GITHUB_TOKEN=gh-secret-5"});
  ASSERT_GT(store->port(), 0) << readFile(w.err);
  ASSERT_EQ(call(store->port(), "PUT", "/v1/projects/" + w.project + "/decisions/FP", w.token,
                 R"({"status":"false_positive","reason":"parameterised by the ORM"})")
                .status,
            200);
  // An expired accepted risk no longer keeps a ticket away.
  ASSERT_EQ(call(store->port(), "PUT", "/v1/projects/" + w.project + "/decisions/OLD", w.token,
                 R"({"status":"accepted_risk","expires":"2020-01-01T00:00:00Z"})")
                .status,
            200);
  ASSERT_EQ(call(store->port(), "POST", "/v1/projects/" + w.project + "/scans", w.token,
                 scan({finding("FP", "high", {"CWE-89"}, "src/fp.py", 1), finding("OLD", "high", {"CWE-89"}, "src/old.py", 1),
                       finding("TP", "high", {"CWE-89"}, "src/tp.py", 1)}))
                .status,
            201);
  ASSERT_TRUE(w.settled(*store, "TP").is_object());
  ASSERT_TRUE(w.settled(*store, "OLD").is_object());
  const auto all = w.tickets(*store);
  ASSERT_EQ(all.size(), 2u) << json::serialize(all);
  for (const auto& t : all) EXPECT_NE(str(at(t, {"fingerprint"})), "FP");
  EXPECT_EQ(receiver.count(), 2u);
}

// A decision that arrives while the ticket waits for the tracker wins: the ticket is skipped.
// A rule limited to other projects does not apply.
TEST(Ticketing, TriagedWhilePendingIsSkippedAndRulesKeepToTheirProjects) {
  World w;
  const int port = freePort();  // the tracker is down
  w.writeRules("version: 1\n"
               "delivery: {initial_backoff_ms: 50, max_backoff_ms: 100, max_attempts: 1000}\n"
               "targets:\n"
               "  - {name: " + w.target + ", type: github, url: \"http://127.0.0.1:" + std::to_string(port) +
               "\", repository: acme/shop, token_env: ASPM_TEST_GITHUB_TOKEN}\n"
               "rules:\n"
               "  - {id: mine, projects: [" + w.project + "], target: " + w.target + ", when: {severity: critical}}\n"
               "  - {id: theirs, projects: [someone-else], target: " + w.target + ", when: {severity: high}}\n");
  auto store = w.start({"ASPM_TEST_GITHUB_TOKEN=gh-secret-7"});
  ASSERT_GT(store->port(), 0) << readFile(w.err);
  ASSERT_EQ(call(store->port(), "POST", "/v1/projects/" + w.project + "/scans", w.token,
                 scan({finding("LATE", "critical", {"CWE-89"}, "src/late.py", 1), finding("H", "high", {"CWE-89"}, "src/h.py", 1)}))
                .status,
            201);
  ASSERT_TRUE(waitFor(
      [&] {
        const auto t = w.tickets(*store);
        return t.size() == 1 && at(t[0], {"attempts"}).to_number<int>() >= 1;
      },
      20s))
      << json::serialize(w.tickets(*store));
  ASSERT_EQ(call(store->port(), "PUT", "/v1/projects/" + w.project + "/decisions/LATE", w.token,
                 R"({"status":"wont_fix","reason":"service retired next week"})")
                .status,
            200);
  const json::value t = w.settled(*store, "LATE");
  ASSERT_TRUE(t.is_object()) << readFile(w.err);
  EXPECT_EQ(str(at(t, {"state"})), "skipped");
  EXPECT_NE(str(at(t, {"lastError"})).find("triaged wont_fix"), std::string::npos) << t;
  EXPECT_TRUE(at(t, {"nextAttemptAt"}).is_null());
  EXPECT_EQ(w.tickets(*store).size(), 1u);  // H matched only the other project's rule
}

TEST(Ticketing, TicketsNeedAValidToken) {
  World w;
  Receiver receiver;
  w.writeRules(githubRules(w, receiver));
  auto store = w.start({"ASPM_TEST_GITHUB_TOKEN=gh-secret-6"});
  ASSERT_GT(store->port(), 0);
  EXPECT_EQ(call(store->port(), "GET", "/v1/projects/" + w.project + "/tickets", "").status, 401);
  EXPECT_EQ(call(store->port(), "GET", "/v1/projects/" + w.project + "/tickets", "not-a-token").status, 401);
  EXPECT_EQ(call(store->port(), "GET", "/v1/projects/another/tickets", w.token).status, 403);
  EXPECT_EQ(call(store->port(), "POST", "/v1/projects/" + w.project + "/tickets", w.token).status, 405);
  const auto r = call(store->port(), "GET", "/v1/projects/" + w.project + "/tickets", w.token);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(at(r.body, {"project"}), json::value(w.project));
  EXPECT_TRUE(at(r.body, {"tickets"}).is_array());
}

// The real `aspm findings --upload`: what the CLI sends (the rule's short description, the
// message, the CWE from the rule's tags, the line) reaches the ticket.
TEST(Ticketing, CliUploadOpensATicketWithTheScannersWords) {
  World w;
  Receiver receiver;
  w.writeRules(githubRules(w, receiver));
  auto store = w.start({"ASPM_TEST_GITHUB_TOKEN=gh-secret-8"});
  ASSERT_GT(store->port(), 0) << readFile(w.err);
  const fs::path repo = w.dir / "repo";
  fs::create_directories(repo / "src");
  std::ofstream(repo / "src" / "users.py") << "def find(cursor, name):\n    cursor.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n";
  const json::object rule{{"id", "python.sqlalchemy.security.sql-injection"},
                          {"shortDescription", json::object{{"text", "SQL query built with an f-string"}}},
                          {"properties", json::object{{"tags", json::array{"security", "CWE-89: SQL Injection"}},
                                                      {"security-severity", "8.1"}}}};
  const json::object result{
      {"ruleId", "python.sqlalchemy.security.sql-injection"},
      {"level", "error"},
      {"message", json::object{{"text", "User input is formatted into a SQL query"}}},
      {"locations", json::array{json::object{
                        {"physicalLocation", json::object{{"artifactLocation", json::object{{"uri", "src/users.py"}}},
                                                          {"region", json::object{{"startLine", 2}}}}}}}}};
  const json::object log{
      {"version", "2.1.0"},
      {"runs", json::array{json::object{{"tool", json::object{{"driver", json::object{{"name", "semgrep"},
                                                                                     {"rules", json::array{rule}}}}}},
                                        {"results", json::array{result}}}}}};
  const fs::path sarif = w.dir / "scan.sarif";
  std::ofstream(sarif) << json::serialize(log);
  const std::string cmd = "env ASPM_TOKEN='" + w.token + "' '" + std::string(ASPM_BIN_DIR) + "/aspm' findings --repo '" +
                          repo.string() + "' --sarif '" + sarif.string() + "' --store http://127.0.0.1:" +
                          std::to_string(store->port()) + " --project '" + w.project +
                          "' --upload --scan-kinds sast --repository web >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  ASSERT_TRUE(waitFor([&] { return receiver.count() == 1; }, 20s)) << readFile(w.err);
  const json::value issue = json::parse(receiver.requests().front().body);
  EXPECT_EQ(str(at(issue, {"title"})), "[aspm] SQL query built with an f-string in src/users.py");
  const std::string md = str(at(issue, {"body"}));
  EXPECT_NE(md.find("**Severity:** high"), std::string::npos) << md;
  EXPECT_NE(md.find("`src/users.py:2`"), std::string::npos) << md;
  EXPECT_NE(md.find("**Tools:** semgrep · **Rule:** `python.sqlalchemy.security.sql-injection`"), std::string::npos) << md;
  EXPECT_NE(md.find("[CWE-89](https://cwe.mitre.org/data/definitions/89.html)"), std::string::npos) << md;
  EXPECT_NE(md.find("> User input is formatted into a SQL query"), std::string::npos) << md;
  EXPECT_NE(md.find("```python"), std::string::npos) << md;
  ASSERT_TRUE(waitFor(
      [&] {
        const auto all = w.tickets(*store);
        return all.size() == 1 && str(at(all[0], {"state"})) == "open" && str(at(all[0], {"rule"})) == "injections";
      },
      20s))
      << json::serialize(w.tickets(*store));
}

// A rules file that cannot be used stops the start (status 2) with the file and line.
Exit refusedStart(World& w, const std::string& rules, const std::vector<std::string>& env) {
  w.writeRules(rules);
  std::error_code ec;
  fs::remove(w.err, ec);
  Store s({"serve", "--db", w.db, "--listen", "127.0.0.1:0", "--ticketing", w.rules.string()}, env, w.err);
  Exit e;
  e.status = s.port() > 0 ? -2 : s.wait(20s);
  e.err = readFile(w.err);
  return e;
}

TEST(Ticketing, BadRulesStopTheStartNamingFileAndLine) {
  World w;
  const std::string file = w.rules.string();
  const std::string target = "targets:\n"
                             "  - name: gh\n"
                             "    type: github\n"
                             "    repository: acme/shop\n"
                             "    token_env: ASPM_TEST_GITHUB_TOKEN\n";
  // An unknown condition on line 10.
  auto e = refusedStart(w, "version: 1\n" + target + "rules:\n  - id: r\n    target: gh\n    when: {colour: red}\n",
                        {"ASPM_TEST_GITHUB_TOKEN=x"});
  EXPECT_EQ(e.status, 2) << e.err;
  EXPECT_NE(e.err.find(file + ": line 10:"), std::string::npos) << e.err;
  EXPECT_NE(e.err.find("unknown condition 'colour'"), std::string::npos) << e.err;

  // A rule naming a target that does not exist (line 8).
  e = refusedStart(w, "version: 1\n" + target + "rules:\n  - {id: r, target: jira, when: {}}\n", {"ASPM_TEST_GITHUB_TOKEN=x"});
  EXPECT_EQ(e.status, 2) << e.err;
  EXPECT_NE(e.err.find(file + ": line 8:"), std::string::npos) << e.err;
  EXPECT_NE(e.err.find("no target named 'jira'"), std::string::npos) << e.err;

  // A secret written into the file is refused, not used (line 6).
  e = refusedStart(w,
                   "version: 1\ntargets:\n  - name: gh\n    type: github\n    repository: acme/shop\n    token: ghp_123\n"
                   "    token_env: ASPM_TEST_GITHUB_TOKEN\nrules:\n  - {id: r, target: gh, when: {}}\n",
                   {"ASPM_TEST_GITHUB_TOKEN=x"});
  EXPECT_EQ(e.status, 2) << e.err;
  EXPECT_NE(e.err.find(file + ": line 6:"), std::string::npos) << e.err;
  EXPECT_NE(e.err.find("token_env"), std::string::npos) << e.err;

  // The token variable is not set: the line of token_env (6) and the variable's name.
  e = refusedStart(w, "version: 1\n" + target + "rules:\n  - {id: r, target: gh, when: {severity: high}}\n",
                   {"ASPM_TEST_GITHUB_TOKEN="});
  EXPECT_EQ(e.status, 2) << e.err;
  EXPECT_NE(e.err.find(file + ": line 6:"), std::string::npos) << e.err;
  EXPECT_NE(e.err.find("ASPM_TEST_GITHUB_TOKEN (token_env) is not set"), std::string::npos) << e.err;

  // Not YAML at all.
  e = refusedStart(w, "targets: [\n", {});
  EXPECT_EQ(e.status, 2) << e.err;
  EXPECT_NE(e.err.find(file + ": line "), std::string::npos) << e.err;
  EXPECT_NE(e.err.find("not valid YAML"), std::string::npos) << e.err;

  // A missing file.
  std::error_code ec;
  fs::remove(w.rules, ec);
  Store s({"serve", "--db", w.db, "--listen", "127.0.0.1:0", "--ticketing", file}, {}, w.err);
  EXPECT_EQ(s.port(), 0);
  EXPECT_EQ(s.wait(20s), 2);
  EXPECT_NE(readFile(w.err).find(file + ": cannot read the ticketing rules"), std::string::npos) << readFile(w.err);
}

}  // namespace
