// The server in-process over real pipes, on a copy of the example project: problems in reports
// reach window/logMessage with file and JSON path, requests are answered while a large load is
// running, and the exit code follows the shutdown protocol.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "lsp/server.h"
#include "lsp_client.h"
#include "support/uri.h"

namespace aspm::lsp {
namespace {
namespace fs = std::filesystem;
using testing::PipeClient;
namespace json = boost::json;

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    std::string tmpl = (fs::temp_directory_path() / "aspm-lsp-unit-XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
    const fs::path example = fs::path(ASPM_SOURCE_DIR) / "tests" / "example";
    fs::copy(example / "src", root_ / "src", fs::copy_options::recursive);
    fs::create_directories(root_ / ".aspm");
  }
  ~ServerTest() override {
    client_.reset();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void start() {
    client_ = std::make_unique<PipeClient>([](transport::Transport& t) {
      ServerOptions options;
      options.version = "test";
      options.debounce = std::chrono::milliseconds(0);
      Server server(t, options);
      return server.run();
    });
  }
  void initialize(json::object capabilities = {}) {
    auto r = client_->response(client_->request(
        "initialize", {{"rootUri", support::pathToFileUri(root_.generic_string())}, {"capabilities", capabilities}}));
    ASSERT_TRUE(r && r->contains("result"));
    client_->notify("initialized", json::object());
  }
  std::string uri(const std::string& rel) const { return support::pathToFileUri((root_ / rel).generic_string()); }
  static bool messageContains(const json::object& m, std::string_view text) {
    const auto& s = m.at("params").at("message").as_string();
    return std::string_view(s).find(text) != std::string_view::npos;
  }

  fs::path root_;
  std::unique_ptr<PipeClient> client_;
};

TEST_F(ServerTest, ReportProblemsAreLoggedWithFileAndJsonPath) {
  std::ofstream(root_ / ".aspm/broken.sarif")
      << R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"results":[{"ruleId":"R","message":{"text":"m"},)"
         R"("locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/c/token.c"},"region":{"startLine":"three"}}}]}]}]})";
  start();
  initialize();
  const std::string file = (root_ / ".aspm/broken.sarif").generic_string();
  auto log = client_->notification("window/logMessage", [&](const json::object& m) {
    return messageContains(m, file + ": /runs/0/results/0/locations/0/physicalLocation/region/startLine");
  });
  EXPECT_TRUE(log) << "no problem naming the file and JSON path";
}

TEST_F(ServerTest, RequestsAreAnsweredWhileALargeLoadRuns) {
  // Several MB of SARIF: reading and correlating it takes far longer than answering a hover.
  {
    std::ofstream out(root_ / ".aspm/large.sarif");
    out << R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Big"}},"results":[)";
    for (int i = 0; i < 20000; ++i) {
      if (i) out << ",";
      out << R"({"ruleId":"R)" << (i % 300) << R"(","level":"warning","message":{"text":"finding number )" << i
          << R"( with a message long enough to make the report realistic"},"locations":[{"physicalLocation":)"
          << R"({"artifactLocation":{"uri":"src/c/token.c"},"region":{"startLine":)" << (1 + i % 30) << "}}}]}";
    }
    out << "]}]}";
  }
  start();
  initialize({{"window", {{"workDoneProgress", true}}}});
  auto create = client_->serverRequest("window/workDoneProgress/create");
  ASSERT_TRUE(create);
  client_->replyTo(*create, nullptr);
  ASSERT_TRUE(client_->notification("$/progress", [](const json::object& m) {
    return m.at("params").at("value").at("kind").as_string() == "begin";
  }));
  const auto id = client_->request("textDocument/hover", {{"textDocument", {{"uri", uri("src/c/token.c")}}},
                                                          {"position", {{"line", 0}, {"character", 0}}}});
  ASSERT_TRUE(client_->response(id));
  // The answer came while the load was still running: its end had not been reported yet.
  for (const auto& m : client_->pending()) {
    if (testing::isMethod(m, "$/progress")) {
      EXPECT_NE(m.at("params").at("value").at("kind").as_string(), "end") << "the load finished before the hover was answered";
    }
  }
  EXPECT_TRUE(client_->notification("$/progress", [](const json::object& m) {
    return m.at("params").at("value").at("kind").as_string() == "end";
  }));
}

TEST_F(ServerTest, ExitCodes) {
  start();
  initialize();
  client_->notify("exit", nullptr);
  EXPECT_EQ(client_->waitExit(), 1);
}

}  // namespace
}  // namespace aspm::lsp
