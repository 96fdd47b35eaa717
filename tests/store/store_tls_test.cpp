// aspm-store over HTTPS with real processes and real certificates: the test makes a throwaway CA
// and server certificates for 127.0.0.1 and localhost with the openssl command, starts aspm-store
// with --tls-cert/--tls-key, and drives it with the store client (HttpClient, the event stream,
// SyncClient). Checked: health and a decision round trip with the CA given, by address and by
// name; a write reaching an event stream over TLS; a client without the CA (or reaching a
// certificate made for another name) refused with a verification error and nothing written; a
// plain-HTTP request and a broken handshake on the TLS port failing alone while the server keeps
// serving, an open stream included; bad certificate or key files refused at startup with exit
// status 2. ASPM_STORE_TEST_DB selects another database (with-postgres.sh). No fixed sleeps.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "store/client/decision_log.h"
#include "store/client/event_stream.h"
#include "store/client/http_client.h"
#include "store/client/sync.h"

namespace {
namespace fs = std::filesystem;
namespace client = aspm::store::client;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

const std::string kBinary = std::string(ASPM_BIN_DIR) + "/aspm-store";

bool waitFor(const std::function<bool()>& cond, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!cond()) {
    if (Clock::now() > deadline) return false;
    pollfd none{-1, 0, 0};
    poll(&none, 0, 5);  // a short pause between checks, not a wait for the condition
  }
  return true;
}

std::string run(const std::string& cmd) {
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {};
  std::string out;
  char buf[256];
  while (fgets(buf, sizeof buf, p)) out += buf;
  pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// aspm-store serve with extra arguments; stderr goes to a file. port() is 0 when it did not
// start (then exitCode() tells why it stopped).
class StoreProcess {
 public:
  StoreProcess(const std::string& db, const std::vector<std::string>& extra, const fs::path& stderrFile) {
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      const int err = ::open(stderrFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err >= 0) dup2(err, STDERR_FILENO);
      std::vector<std::string> args = {kBinary, "serve", "--db", db, "--listen", "127.0.0.1:0"};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(kBinary.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    std::string line;
    const auto deadline = Clock::now() + 20s;
    while (line.find('\n') == std::string::npos && Clock::now() < deadline) {
      pollfd p{out[0], POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char c[128];
      const auto n = ::read(out[0], c, sizeof c);
      if (n <= 0) break;
      line.append(c, static_cast<std::size_t>(n));
    }
    close(out[0]);
    const auto colon = line.rfind(':');
    if (line.starts_with("listening on ") && colon != std::string::npos) port_ = std::atoi(line.c_str() + colon + 1);
  }
  ~StoreProcess() { stop(); }
  StoreProcess(const StoreProcess&) = delete;
  StoreProcess& operator=(const StoreProcess&) = delete;
  int port() const { return port_; }
  // Sends SIGTERM and returns the exit status (-1: killed by a signal).
  int stop() {
    if (pid_ <= 0) return exit_;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_ = -1;
};

// What a SyncClient installed.
struct Installed {
  std::mutex mu;
  std::vector<std::string> fingerprints;
  bool has(const std::string& fp) {
    std::lock_guard lock(mu);
    return std::find(fingerprints.begin(), fingerprints.end(), fp) != fingerprints.end();
  }
};

class StoreTls : public ::testing::Test {
 protected:
  // One CA and its certificates for the whole suite: key generation is the slow part.
  static void SetUpTestSuite() {
    std::string tmpl = (fs::temp_directory_path() / "aspm-store-tls-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    certs_ = new fs::path(tmpl);
    const std::string d = certs_->string();
    auto sh = [&](const std::string& cmd) {
      return std::system(("cd '" + d + "' && ( " + cmd + " ) >>openssl.log 2>&1").c_str());
    };
    // A CA, a server certificate for localhost and 127.0.0.1, and one for another name.
    ASSERT_EQ(sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/CN=aspm test CA'"), 0)
        << slurp(*certs_ / "openssl.log");
    ASSERT_EQ(sh("openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=localhost'"), 0);
    ASSERT_EQ(sh("printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > server.ext && "
                 "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
                 "-extfile server.ext -out server.pem"),
              0)
        << slurp(*certs_ / "openssl.log");
    ASSERT_EQ(sh("openssl req -newkey rsa:2048 -nodes -keyout other.key -out other.csr -subj '/CN=store.example' && "
                 "printf 'subjectAltName=DNS:store.example\\n' > other.ext && "
                 "openssl x509 -req -in other.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
                 "-extfile other.ext -out other.pem"),
              0)
        << slurp(*certs_ / "openssl.log");
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    if (certs_) fs::remove_all(*certs_, ec);
    delete certs_;
    certs_ = nullptr;
  }

  StoreTls() {
    std::string tmpl = (fs::temp_directory_path() / "aspm-store-tls-run-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data()) ? fs::path(tmpl) : fs::path("/tmp");
    ::unsetenv("ASPM_STORE_CA");
  }
  ~StoreTls() override {
    ::unsetenv("ASPM_STORE_CA");
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static std::string cert(const std::string& name) { return (*certs_ / name).string(); }
  std::string db() const {
    if (const char* url = std::getenv("ASPM_STORE_TEST_DB")) return url;
    return "sqlite:" + (dir_ / "store.db").string();
  }
  std::string token(const std::string& name) const {
    return run("'" + kBinary + "' token create --db '" + db() + "' --project shop --role developer --name " + name);
  }
  std::unique_ptr<StoreProcess> startTls(const std::string& certName = "server") {
    return std::make_unique<StoreProcess>(db(), std::vector<std::string>{"--tls-cert", cert(certName + ".pem"), "--tls-key", cert(certName + ".key")},
                                          dir_ / "stderr.txt");
  }
  static client::TlsSettings withCa() { return {true, cert("ca.pem")}; }
  static client::HttpResponse put(client::HttpClient& http, const std::string& tok, const std::string& fp) {
    return http.request("PUT", "/v1/projects/shop/decisions/" + fp, {{"Authorization", "Bearer " + tok}},
                        R"({"status":"false_positive","reason":"over TLS"})");
  }
  // Whether the store holds a decision on `fp`, asked over a verified connection.
  bool stored(int port, const std::string& tok, const std::string& fp) {
    client::HttpClient http("127.0.0.1", std::to_string(port), 5s, withCa());
    const auto res = http.request("GET", "/v1/projects/shop/decisions/" + fp, {{"Authorization", "Bearer " + tok}});
    EXPECT_TRUE(res.status == 200 || res.status == 404) << res.status << " " << res.error << " " << res.body;
    return res.status == 200;
  }

  static fs::path* certs_;
  fs::path dir_;
};
fs::path* StoreTls::certs_ = nullptr;

TEST_F(StoreTls, HealthAndADecisionRoundTripWithTheCaGiven) {
  const std::string tok = token("alice");
  auto store = startTls();
  ASSERT_GT(store->port(), 0) << slurp(dir_ / "stderr.txt");
  const std::string port = std::to_string(store->port());

  // By address (checked against the certificate's IP address) and by name (SNI and DNS name).
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    client::HttpClient http(host, port, 5s, withCa());
    const auto health = http.request("GET", "/healthz", {});
    EXPECT_EQ(health.status, 200) << host << ": " << health.error;
    // Several requests on the kept-alive TLS connection.
    const std::string fp = "tls-" + host;
    const auto written = put(http, tok, fp);
    EXPECT_EQ(written.status, 200) << written.error << written.body;
    const auto read = http.request("GET", "/v1/projects/shop/decisions/" + fp, {{"Authorization", "Bearer " + tok}});
    EXPECT_EQ(read.status, 200) << read.error;
    EXPECT_NE(read.body.find("\"reason\":\"over TLS\""), std::string::npos) << read.body;
  }
  // TLS 1.2 is the oldest version served: a TLS 1.1 handshake fails where a 1.2 one succeeds
  // (both allowed every cipher on the client side, so the refusal is the server's).
  auto handshake = [&](const std::string& version) {
    return std::system(("openssl s_client -connect 127.0.0.1:" + port + " " + version +
                        " -cipher 'DEFAULT:@SECLEVEL=0' </dev/null >/dev/null 2>&1")
                           .c_str());
  };
  EXPECT_EQ(handshake("-tls1_2"), 0);
  EXPECT_NE(handshake("-tls1_1"), 0);
  // The URL parser turns https:// into TLS on port 443 by default.
  const auto url = client::parseStoreUrl("https://localhost/prefix/");
  EXPECT_TRUE(url.error.empty()) << url.error;
  EXPECT_TRUE(url.tls.enabled);
  EXPECT_EQ(url.port, "443");
  EXPECT_EQ(url.basePath, "/prefix");
  EXPECT_FALSE(client::parseStoreUrl("http://localhost:1").tls.enabled);
  EXPECT_EQ(store->stop(), 0);
}

TEST_F(StoreTls, AWriteReachesTheEventStreamOverTls) {
  const std::string alice = token("alice");
  const std::string bob = token("bob");
  auto store = startTls();
  ASSERT_GT(store->port(), 0) << slurp(dir_ / "stderr.txt");
  const std::string port = std::to_string(store->port());

  client::EventStreamConnection stream("localhost", port, 5s, withCa());
  const auto opened = stream.open("/v1/projects/shop/events", {{"Authorization", "Bearer " + alice}});
  ASSERT_EQ(opened.status, 200) << opened.error << opened.body;
  client::HttpClient http("127.0.0.1", port, 5s, withCa());
  ASSERT_EQ(put(http, bob, "streamed").status, 200);
  std::vector<client::SseEvent> events;
  std::string error;
  const auto deadline = Clock::now() + 5s;
  while (events.empty() && Clock::now() < deadline) {
    const auto r = stream.wait(1s, events, error);
    ASSERT_NE(r, client::EventStreamConnection::Wait::Closed) << error;
  }
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "decision");
  EXPECT_NE(events[0].data.find("\"fingerprint\":\"streamed\""), std::string::npos) << events[0].data;

  // The sync client over https://, trusting the CA through ASPM_STORE_CA: it pulls, listens,
  // and installs a teammate's write from the stream.
  ::setenv("ASPM_STORE_CA", cert("ca.pem").c_str(), 1);
  auto installed = std::make_shared<Installed>();
  auto log = client::DecisionLog::open((dir_ / "alice.db").string());
  ASSERT_TRUE(log.value);
  client::SyncConfig config{"https://localhost:" + port, "shop", alice};
  config.interval = 10s;  // only the stream can deliver in time
  {
    client::SyncClient sync(config, std::shared_ptr<client::DecisionLog>(std::move(log.value)),
                            [installed](const std::vector<aspm::model::StoredDecision>& ds) {
                              std::lock_guard lock(installed->mu);
                              for (const auto& d : ds) installed->fingerprints.push_back(d.fingerprint);
                            },
                            nullptr);
    sync.start();
    ASSERT_TRUE(waitFor([&] { return sync.listening(); }, 10s)) << sync.status().message;
    EXPECT_TRUE(installed->has("streamed")) << "the initial pull";
    ASSERT_EQ(put(http, bob, "live").status, 200);
    EXPECT_TRUE(waitFor([&] { return installed->has("live"); }, 5s));
    EXPECT_EQ(sync.status().state, client::SyncState::Synced);
  }
  // SIGTERM with a TLS stream open still exits cleanly.
  EXPECT_EQ(store->stop(), 0);
}

TEST_F(StoreTls, AClientWithoutTheCaIsRefusedAndNothingIsWritten) {
  const std::string tok = token("alice");
  auto store = startTls();
  ASSERT_GT(store->port(), 0) << slurp(dir_ / "stderr.txt");
  const std::string port = std::to_string(store->port());

  client::HttpClient untrusting("127.0.0.1", port, 5s, {true, ""});
  const auto res = put(untrusting, tok, "unverified");
  EXPECT_EQ(res.status, 0);
  EXPECT_TRUE(res.tlsRefused);
  EXPECT_NE(res.error.find("certificate"), std::string::npos) << res.error;
  EXPECT_NE(res.error.find("ASPM_STORE_CA"), std::string::npos) << res.error;
  std::cout << "[ refused ] " << res.error << "\n";

  client::EventStreamConnection stream("127.0.0.1", port, 5s, {true, ""});
  const auto opened = stream.open("/v1/projects/shop/events", {{"Authorization", "Bearer " + tok}});
  EXPECT_EQ(opened.status, 0);
  EXPECT_TRUE(opened.tlsRefused) << opened.error;

  // The CA is trusted but the certificate was made for another name: refused as well.
  auto other = startTls("other");
  ASSERT_GT(other->port(), 0) << slurp(dir_ / "stderr.txt");
  client::HttpClient wrongName("127.0.0.1", std::to_string(other->port()), 5s, withCa());
  const auto mismatch = put(wrongName, tok, "wrong-name");
  EXPECT_EQ(mismatch.status, 0);
  EXPECT_TRUE(mismatch.tlsRefused);
  EXPECT_NE(mismatch.error.find("mismatch"), std::string::npos) << mismatch.error;
  std::cout << "[ refused ] " << mismatch.error << "\n";
  other.reset();

  // An unreadable CA file is a refusal too, naming the file.
  client::HttpClient badCa("127.0.0.1", port, 5s, {true, (dir_ / "missing-ca.pem").string()});
  const auto noCa = put(badCa, tok, "bad-ca");
  EXPECT_TRUE(noCa.tlsRefused);
  EXPECT_NE(noCa.error.find("missing-ca.pem"), std::string::npos) << noCa.error;

  // The sync client reports an `error` (not `offline`) and keeps the decision queued.
  auto log = client::DecisionLog::open((dir_ / "alice.db").string());
  ASSERT_TRUE(log.value);
  std::shared_ptr<client::DecisionLog> shared(std::move(log.value));
  aspm::model::TriageDecision decision;
  decision.status = "false_positive";
  decision.reason = "queued";
  ASSERT_TRUE(shared->record("queued-unverified", decision).error.empty());
  {
    client::SyncClient sync({"https://127.0.0.1:" + port, "shop", tok}, shared, [](const auto&) {}, nullptr);
    sync.start();
    ASSERT_TRUE(waitFor([&] { return sync.status().state == client::SyncState::Error; }, 10s))
        << client::toString(sync.status().state) << ": " << sync.status().message;
    EXPECT_NE(sync.status().message.find("certificate"), std::string::npos) << sync.status().message;
    std::cout << "[ status  ] " << client::toString(sync.status().state) << ": " << sync.status().message << "\n";
    EXPECT_EQ(sync.status().queued, 1u);
  }
  EXPECT_EQ(shared->outbox().size(), 1u);
  for (const std::string fp : {"unverified", "wrong-name", "bad-ca", "queued-unverified"})
    EXPECT_FALSE(stored(store->port(), tok, fp)) << fp << " was written";
}

TEST_F(StoreTls, PlainHttpAndBrokenHandshakesFailAloneWhileTheServerKeepsServing) {
  const std::string alice = token("alice");
  auto store = startTls();
  ASSERT_GT(store->port(), 0) << slurp(dir_ / "stderr.txt");
  const std::string port = std::to_string(store->port());

  // A stream open over TLS throughout.
  client::EventStreamConnection stream("127.0.0.1", port, 5s, withCa());
  ASSERT_EQ(stream.open("/v1/projects/shop/events", {{"Authorization", "Bearer " + alice}}).status, 200);

  // Plain HTTP on the TLS port: a plain 400 saying so, then the connection ends.
  client::HttpClient plain("127.0.0.1", port, 5s);
  const auto res = plain.request("GET", "/healthz", {});
  EXPECT_EQ(res.status, 400) << res.error;
  EXPECT_NE(res.body.find("HTTPS"), std::string::npos) << res.body;

  // A TLS record that is no handshake, and a connection that never finishes its handshake.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(store->port()));
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  const std::string junk = std::string("\x16\x03\x01\x00\x20", 5) + std::string(32, '\x7f');
  ASSERT_EQ(send(fd, junk.data(), junk.size(), MSG_NOSIGNAL), static_cast<ssize_t>(junk.size()));
  const int idle = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(connect(idle, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(send(idle, "\x16\x03\x01", 3, MSG_NOSIGNAL), 3);
  // The server ends the broken one (a TLS alert at most, then end of file).
  bool ended = waitFor(
      [&] {
        char buf[256];
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 0) <= 0) return false;
        return recv(fd, buf, sizeof buf, 0) <= 0;
      },
      10s);
  EXPECT_TRUE(ended) << "the server kept a broken handshake open";
  close(fd);

  // Meanwhile the server serves others, and the open stream still delivers.
  client::HttpClient http("127.0.0.1", port, 5s, withCa());
  EXPECT_EQ(http.request("GET", "/healthz", {}).status, 200);
  ASSERT_EQ(put(http, alice, "after-junk").status, 200);
  std::vector<client::SseEvent> events;
  std::string error;
  const auto deadline = Clock::now() + 5s;
  while (events.empty() && Clock::now() < deadline)
    ASSERT_NE(stream.wait(1s, events, error), client::EventStreamConnection::Wait::Closed) << error;
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].data.find("after-junk"), std::string::npos);
  close(idle);
  EXPECT_EQ(store->stop(), 0);
}

// The aspm CLI reaches an https:// store through the same client: `aspm kpi` answers with the CA
// given in ASPM_STORE_CA, and without it fails with the verification error.
TEST_F(StoreTls, TheCliTrustsTheStoreThroughAspmStoreCa) {
  const std::string tok = token("alice");
  auto store = startTls();
  ASSERT_GT(store->port(), 0) << slurp(dir_ / "stderr.txt");
  const std::string cli = std::string(ASPM_BIN_DIR) + "/aspm";
  const std::string args = " kpi --store https://localhost:" + std::to_string(store->port()) +
                           " --project shop --format json 2>'" + (dir_ / "cli.txt").string() + "'";
  const std::string trusted = run("ASPM_TOKEN=" + tok + " ASPM_STORE_CA='" + cert("ca.pem") + "' '" + cli + "'" + args);
  EXPECT_NE(trusted.find("\"generatedAt\""), std::string::npos) << trusted << slurp(dir_ / "cli.txt");
  const int status = std::system(("ASPM_TOKEN=" + tok + " '" + cli + "'" + args + " >/dev/null").c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
  const std::string err = slurp(dir_ / "cli.txt");
  EXPECT_NE(err.find("unable to get local issuer certificate"), std::string::npos) << err;
}

TEST_F(StoreTls, BadCertificateOrKeyFilesStopTheStartWithStatusTwo) {
  struct Case {
    std::vector<std::string> args;
    std::string named;
  };
  const std::string missing = (dir_ / "missing.pem").string();
  const std::vector<Case> cases = {
      {{"--tls-cert", missing, "--tls-key", cert("server.key")}, missing},
      {{"--tls-cert", cert("server.pem"), "--tls-key", missing}, missing},
      {{"--tls-cert", cert("server.csr"), "--tls-key", cert("server.key")}, cert("server.csr")},  // not a certificate
      {{"--tls-cert", cert("server.pem"), "--tls-key", cert("other.key")}, cert("other.key")},   // another key
      {{"--tls-cert", cert("server.pem")}, "--tls-key"},
  };
  for (const auto& c : cases) {
    StoreProcess store(db(), c.args, dir_ / "stderr.txt");
    EXPECT_EQ(store.port(), 0);
    EXPECT_EQ(store.stop(), 2) << c.named;
    const std::string err = slurp(dir_ / "stderr.txt");
    EXPECT_NE(err.find(c.named), std::string::npos) << err;
  }
}

}  // namespace
