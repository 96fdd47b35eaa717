// The dispatcher over a real transport: lifecycle gating, one reply per request whatever the
// handler does, error mapping, cancellation, and server-to-client requests.
#include <gtest/gtest.h>

#include "lsp/dispatcher.h"
#include "lsp_client.h"
#include "protocol/binder.h"

namespace aspm::lsp {
namespace {

namespace json = boost::json;
using testing::PipeClient;

std::int64_t errorCode(const json::object& response) { return response.at("error").at("code").as_int64(); }
std::string errorMessage(const json::object& response) {
  return std::string(response.at("error").at("message").as_string());
}

// A small table exercising every path through the dispatcher.
struct Fixture {
  std::optional<protocol::Reply<protocol::NullResult>> held;  // a reply kept for later
  std::optional<std::string> clientAnswer;

  int serve(transport::Transport& t) {
    Dispatcher d(t);
    using protocol::bindNotification;
    using protocol::bindRequest;
    d.onRequest("initialize", bindRequest<protocol::NullResult>([&](protocol::Reply<protocol::NullResult> r) {
      d.setPhase(Dispatcher::Phase::Running);
      r(nullptr);
    }));
    d.onRequest("shutdown", bindRequest<protocol::NullResult>([&](protocol::Reply<protocol::NullResult> r) {
      d.setPhase(Dispatcher::Phase::ShutDown);
      r(nullptr);
    }));
    d.onNotification("exit", [&](const transport::Json&) -> std::optional<transport::RpcError> {
      t.stop();
      return std::nullopt;
    });
    d.onRequest("test/echo", bindRequest<protocol::HoverParams, protocol::HoverResult>(
                                 [](const protocol::HoverParams& p, protocol::Reply<protocol::HoverResult> r) {
                                   protocol::Hover h;
                                   h.contents = {"plaintext", p.textDocument.uri};
                                   r(h);
                                 }));
    d.onRequest("test/forget", bindRequest<protocol::NullResult>([](protocol::Reply<protocol::NullResult>) {}));
    d.onRequest("test/throw", bindRequest<protocol::NullResult>([](protocol::Reply<protocol::NullResult>) -> void {
      throw std::runtime_error("boom");
    }));
    d.onRequest("test/hold", bindRequest<protocol::NullResult>([&](protocol::Reply<protocol::NullResult> r) { held = r; }));
    d.onRequest("test/release", bindRequest<protocol::NullResult>([&](protocol::Reply<protocol::NullResult> r) {
      if (held) (*held)(nullptr);  // dropped quietly when the held request was cancelled
      held.reset();
      r(nullptr);
    }));
    d.onRequest("test/askClient", bindRequest<protocol::NullResult>([&](protocol::Reply<protocol::NullResult> r) {
      d.call("client/thing", transport::Json(), [&, r](transport::Expected<transport::Json> answer) {
        clientAnswer = answer ? answer->serialize() : answer.error().message;
        r(nullptr);
      });
    }));
    t.run(d);
    return 0;
  }
};

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() : client_([this](transport::Transport& t) { return fixture_.serve(t); }) {}
  void initialize() {
    auto r = client_.response(client_.request("initialize", json::object()));
    ASSERT_TRUE(r);
    ASSERT_TRUE(r->contains("result"));
  }
  Fixture fixture_;
  PipeClient client_;
};

TEST_F(DispatcherTest, RequestsBeforeInitializeAreRefused) {
  auto r = client_.response(client_.request("test/echo", json::object()));
  ASSERT_TRUE(r);
  EXPECT_EQ(errorCode(*r), -32002);
  initialize();
  r = client_.response(client_.request("initialize", json::object()));
  ASSERT_TRUE(r);
  EXPECT_EQ(errorCode(*r), -32600);
}

TEST_F(DispatcherTest, TypedHandlersAndErrorMapping) {
  initialize();
  auto r = client_.response(client_.request("test/echo", {{"textDocument", {{"uri", "file:///x"}}}, {"position", {{"line", 0}, {"character", 0}}}}));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->at("result").at("contents").at("value").as_string(), "file:///x");

  r = client_.response(client_.request("test/echo", {{"textDocument", {{"uri", 3}}}}));
  ASSERT_TRUE(r);
  EXPECT_EQ(errorCode(*r), -32602);
  EXPECT_EQ(errorMessage(*r), "params.textDocument.uri: expected string, got integer");

  r = client_.response(client_.request("no/such", json::object()));
  ASSERT_TRUE(r);
  EXPECT_EQ(errorCode(*r), -32601);

  r = client_.response(client_.request("test/throw", json::object()));
  ASSERT_TRUE(r);
  EXPECT_EQ(errorCode(*r), -32603);
  EXPECT_EQ(errorMessage(*r), "internal error: boom");

  r = client_.response(client_.request("test/forget", json::object()));
  ASSERT_TRUE(r);
  EXPECT_EQ(errorCode(*r), -32603);
  EXPECT_EQ(errorMessage(*r), "server did not answer 'test/forget'");
}

TEST_F(DispatcherTest, MalformedRequestWithRecoverableIdIsAnswered) {
  initialize();
  client_.sendRaw(transport::frameMessage(R"({"jsonrpc":"2.0","id":77,"method":"test/echo","params":"x"})"));
  auto r = client_.response(77);
  ASSERT_TRUE(r);
  EXPECT_EQ(errorCode(*r), -32600);
}

TEST_F(DispatcherTest, CancellingAQueuedRequestAnswersWithoutRunningIt) {
  initialize();
  // Both in one write: the cancellation is read before the request is handled.
  client_.sendRaw(transport::frameMessage(R"({"jsonrpc":"2.0","id":50,"method":"test/throw"})") +
                  transport::frameMessage(R"({"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":50}})"));
  auto r = client_.response(50);
  ASSERT_TRUE(r);
  EXPECT_EQ(errorCode(*r), -32800);
}

TEST_F(DispatcherTest, CancellingAPendingRequestAnswersAtOnceAndOnlyOnce) {
  initialize();
  const auto held = client_.request("test/hold", json::object());
  // Messages are handled in order: once this is answered, the hold waits in its handler.
  ASSERT_TRUE(client_.response(client_.request("no/such", json::object())));
  client_.notify("$/cancelRequest", {{"id", held}});
  auto r = client_.response(held);
  ASSERT_TRUE(r);
  EXPECT_EQ(errorCode(*r), -32800);
  auto release = client_.response(client_.request("test/release", json::object()));
  ASSERT_TRUE(release);
  EXPECT_TRUE(release->contains("result"));
  for (const auto& m : client_.pending())
    EXPECT_FALSE(m.contains("id") && m.at("id").is_int64() && m.at("id").as_int64() == held) << json::serialize(m);
  // Cancelling something already answered (or unknown) is harmless.
  client_.notify("$/cancelRequest", {{"id", held}});
  client_.notify("$/cancelRequest", {{"id", "never-sent"}});
  ASSERT_TRUE(client_.response(client_.request("no/such", json::object())));
  for (const auto& m : client_.pending())
    EXPECT_FALSE(m.contains("id") && m.at("id").is_int64() && m.at("id").as_int64() == held) << json::serialize(m);
}

TEST_F(DispatcherTest, ServerToClientRequestsGetTheirAnswers) {
  initialize();
  const auto id = client_.request("test/askClient", json::object());
  auto ask = client_.serverRequest("client/thing");
  ASSERT_TRUE(ask);
  client_.replyTo(*ask, json::array{1, 2});
  ASSERT_TRUE(client_.response(id));
  EXPECT_EQ(fixture_.clientAnswer, "[1,2]");
}

TEST_F(DispatcherTest, AfterShutdownRequestsAreInvalidAndExitStops) {
  initialize();
  ASSERT_TRUE(client_.response(client_.request("shutdown", json::value())));
  auto r = client_.response(client_.request("test/echo", json::object()));
  ASSERT_TRUE(r);
  EXPECT_EQ(errorCode(*r), -32600);
  client_.notify("exit", json::value());
  EXPECT_EQ(client_.waitExit(), 0);
}

}  // namespace
}  // namespace aspm::lsp
