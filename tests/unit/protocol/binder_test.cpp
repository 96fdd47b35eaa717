// The binder and reply guard: typed handlers see decoded params, bad params are answered with
// InvalidParams, and every request gets exactly one reply whatever the handler does.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "protocol/binder.h"

namespace aspm::protocol {
namespace {

struct Sent {
  std::vector<transport::Expected<Json>> replies;
  ReplyOnce::Sender sender() {
    return [this](transport::Expected<Json> r) { replies.push_back(std::move(r)); };
  }
};

Json parse(std::string_view t) { return *Json::parse(t); }

TEST(Binder, DecodesParamsAndEncodesResult) {
  Sent sent;
  auto handler = bindRequest<HoverParams, HoverResult>([](const HoverParams& p, Reply<HoverResult> reply) {
    Hover h;
    h.contents = {"markdown", p.textDocument.uri + ":" + std::to_string(p.position.line)};
    reply(h);
  });
  handler(parse(R"({"textDocument":{"uri":"u"},"position":{"line":3,"character":0}})"), ReplyOnce("m", sent.sender()));
  ASSERT_EQ(sent.replies.size(), 1u);
  ASSERT_TRUE(sent.replies[0]);
  EXPECT_EQ(sent.replies[0]->serialize(), R"({"contents":{"kind":"markdown","value":"u:3"}})");
}

TEST(Binder, BadParamsAreInvalidParamsWithThePath) {
  Sent sent;
  bool called = false;
  auto handler = bindRequest<HoverParams, HoverResult>([&](const HoverParams&, Reply<HoverResult>) { called = true; });
  handler(parse(R"({"textDocument":{}})"), ReplyOnce("m", sent.sender()));
  EXPECT_FALSE(called);
  ASSERT_EQ(sent.replies.size(), 1u);
  ASSERT_FALSE(sent.replies[0]);
  EXPECT_EQ(sent.replies[0].error().code, transport::ErrorCode::InvalidParams);
  EXPECT_EQ(sent.replies[0].error().message, "params.textDocument.uri: required field missing");
}

TEST(ReplyOnceGuard, DroppedReplyIsAnsweredWithInternalError) {
  Sent sent;
  auto handler = bindRequest<NullResult>([](Reply<NullResult>) { /* forgets to reply */ });
  handler(Json(), ReplyOnce("forgetful", sent.sender()));
  ASSERT_EQ(sent.replies.size(), 1u);
  ASSERT_FALSE(sent.replies[0]);
  EXPECT_EQ(sent.replies[0].error().code, transport::ErrorCode::InternalError);
  EXPECT_EQ(sent.replies[0].error().message, "server did not answer 'forgetful'");
}

TEST(ReplyOnceGuard, SecondReplyIsDropped) {
  Sent sent;
  {
    ReplyOnce r("m", sent.sender());
    r(Json());
    r(Json());
    EXPECT_TRUE(r.replied());
  }
  EXPECT_EQ(sent.replies.size(), 1u);
}

TEST(ReplyOnceGuard, CancelAnswersOnceAndLaterReplyIsDropped) {
  Sent sent;
  {
    ReplyOnce r("slow", sent.sender());
    ReplyOnce copy = r;
    r.cancel();
    EXPECT_TRUE(copy.cancelled());
    copy(Json());
  }
  ASSERT_EQ(sent.replies.size(), 1u);
  EXPECT_EQ(sent.replies[0].error().code, transport::ErrorCode::RequestCancelled);
}

TEST(ReplyOnceGuard, CancellerDoesNotKeepTheRequestAlive) {
  Sent sent;
  ReplyOnce::Canceller canceller;
  {
    ReplyOnce r("dropped", sent.sender());
    canceller = r.canceller();
  }
  ASSERT_EQ(sent.replies.size(), 1u);  // the guard fired although a canceller exists
  EXPECT_EQ(sent.replies[0].error().code, transport::ErrorCode::InternalError);
  canceller.cancel();  // the request is gone: nothing happens
  EXPECT_EQ(sent.replies.size(), 1u);
  ReplyOnce live("live", sent.sender());
  live.canceller().cancel();
  ASSERT_EQ(sent.replies.size(), 2u);
  EXPECT_EQ(sent.replies[1].error().code, transport::ErrorCode::RequestCancelled);
}

TEST(ReplyOnceGuard, ConcurrentRepliesSendExactlyOne) {
  std::atomic<int> count{0};
  for (int round = 0; round < 50; ++round) {
    count = 0;
    {
      ReplyOnce r("m", [&](transport::Expected<Json>) { ++count; });
      std::vector<std::thread> ts;
      for (int i = 0; i < 4; ++i) ts.emplace_back([r] { r(Json()); });
      for (auto& t : ts) t.join();
    }
    EXPECT_EQ(count.load(), 1);
  }
}

TEST(Binder, ResponsesDecodeAsResult) {
  std::optional<std::string> error;
  auto on = bindResponse<ConfigurationResult>([&](transport::Expected<ConfigurationResult> r) {
    if (!r) error = r.error().message;
  });
  on(parse("5"));
  EXPECT_EQ(error, "result: expected array, got integer");
}

TEST(Binder, NotificationDecodeErrorsAreReturned) {
  auto n = bindNotification<DidCloseTextDocumentParams>([](const DidCloseTextDocumentParams&) {});
  auto err = n(parse("{}"));
  ASSERT_TRUE(err);
  EXPECT_EQ(err->message, "params.textDocument: required field missing");
  EXPECT_FALSE(n(parse(R"({"textDocument":{"uri":"u"}})")));
}

TEST(FailureMapping, CodesAreTheSpecificationsOnes) {
  using transport::ErrorCode;
  EXPECT_EQ(rpcError(Failure::UnknownMethod, "x").code, ErrorCode::MethodNotFound);
  EXPECT_EQ(rpcError(Failure::InvalidParams, "x").code, ErrorCode::InvalidParams);
  EXPECT_EQ(rpcError(Failure::InvalidRequest, "x").code, ErrorCode::InvalidRequest);
  EXPECT_EQ(rpcError(Failure::HandlerFailed, "x").code, ErrorCode::InternalError);
  EXPECT_EQ(rpcError(Failure::ReplyDropped, "x").code, ErrorCode::InternalError);
  EXPECT_EQ(rpcError(Failure::NotInitialized, "x").code, ErrorCode::ServerNotInitialized);
  EXPECT_EQ(rpcError(Failure::Cancelled, "x").code, ErrorCode::RequestCancelled);
  EXPECT_EQ(static_cast<int>(ErrorCode::RequestCancelled), -32800);
  EXPECT_EQ(static_cast<int>(ErrorCode::ServerNotInitialized), -32002);
}

}  // namespace
}  // namespace aspm::protocol
