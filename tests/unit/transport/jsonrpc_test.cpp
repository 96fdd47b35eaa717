// JSON-RPC envelope validation: every kind of message is classified, every malformed one is
// explained, and the id of a bad request is recovered so it can still be answered.
#include <gtest/gtest.h>

#include "transport/jsonrpc.h"

namespace aspm::transport {
namespace {

Envelope ok(std::string_view body) {
  auto r = parseEnvelope(body);
  if (auto* e = std::get_if<EnvelopeError>(&r)) ADD_FAILURE() << "unexpected error: " << e->message;
  return std::get<Envelope>(std::move(r));
}

EnvelopeError bad(std::string_view body) {
  auto r = parseEnvelope(body);
  if (std::holds_alternative<Envelope>(r)) {
    ADD_FAILURE() << "accepted: " << body;
    return {};
  }
  return std::get<EnvelopeError>(std::move(r));
}

TEST(Envelope, Request) {
  auto e = ok(R"({"jsonrpc":"2.0","id":7,"method":"initialize","params":{"a":1}})");
  EXPECT_EQ(e.kind, Envelope::Kind::Request);
  EXPECT_EQ(e.method, "initialize");
  EXPECT_EQ(std::get<std::int64_t>(e.id), 7);
  EXPECT_EQ(e.params.serialize(), R"({"a":1})");
}

TEST(Envelope, StringIdsAndNotifications) {
  auto e = ok(R"({"jsonrpc":"2.0","id":"abc","method":"m"})");
  EXPECT_EQ(std::get<std::string>(e.id), "abc");
  EXPECT_TRUE(e.params.isNull());
  e = ok(R"({"jsonrpc":"2.0","method":"n","params":[1]})");
  EXPECT_EQ(e.kind, Envelope::Kind::Notification);
}

TEST(Envelope, Responses) {
  auto e = ok(R"({"jsonrpc":"2.0","id":3,"result":null})");
  ASSERT_EQ(e.kind, Envelope::Kind::Response);
  ASSERT_TRUE(e.response && *e.response);
  EXPECT_TRUE((**e.response).isNull());
  e = ok(R"({"jsonrpc":"2.0","id":4,"error":{"code":-32601,"message":"nope"}})");
  ASSERT_TRUE(e.response);
  ASSERT_FALSE(*e.response);
  EXPECT_EQ(e.response->error().code, ErrorCode::MethodNotFound);
  EXPECT_EQ(e.response->error().message, "nope");
}

TEST(Envelope, MalformedMessagesAreExplained) {
  EXPECT_NE(bad("{").message.find("invalid JSON"), std::string::npos);
  EXPECT_NE(bad(R"({"jsonrpc":"2.0","method":"m"} x)").message.find("invalid JSON"), std::string::npos);
  EXPECT_EQ(bad("[]").message, "JSON-RPC batches are not supported");
  EXPECT_EQ(bad("42").message, "expected a JSON object, got number");
  EXPECT_EQ(bad(R"({"id":1,"method":"m"})").message, "missing \"jsonrpc\": \"2.0\"");
  EXPECT_EQ(bad(R"({"jsonrpc":"1.0","id":1,"method":"m"})").message, "jsonrpc: expected \"2.0\"");
  EXPECT_EQ(bad(R"({"jsonrpc":"2.0","id":1.5,"method":"m"})").message,
            "id: expected an integer or a string, got a fractional number");
  EXPECT_EQ(bad(R"({"jsonrpc":"2.0","id":{},"method":"m"})").message, "id: expected an integer or a string, got object");
  EXPECT_EQ(bad(R"({"jsonrpc":"2.0","method":3})").message, "method: expected string, got number");
  EXPECT_EQ(bad(R"({"jsonrpc":"2.0"})").message, "message has neither \"method\" nor a usable \"id\"");
  EXPECT_EQ(bad(R"({"jsonrpc":"2.0","id":1})").message, "response has neither \"result\" nor \"error\"");
  EXPECT_EQ(bad(R"({"jsonrpc":"2.0","id":1,"result":1,"error":{}})").message, "response has both \"result\" and \"error\"");
  EXPECT_EQ(bad(R"({"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}})").message, "error.code: expected integer");
  EXPECT_EQ(bad(R"({"jsonrpc":"2.0","id":null,"method":"m"})").message, "id: a request id must not be null");
}

TEST(Envelope, IdOfABadRequestIsRecovered) {
  auto e = bad(R"({"jsonrpc":"2.0","id":9,"method":"m","params":5})");
  EXPECT_EQ(e.message, "params: expected object or array, got number");
  ASSERT_TRUE(e.id);
  EXPECT_EQ(std::get<std::int64_t>(*e.id), 9);
}

TEST(Envelope, InvalidUtf8AndDeepNestingAreRejectedNotCrashed) {
  EXPECT_NE(bad("{\"jsonrpc\":\"2.0\",\"method\":\"\xff\"}").message.find("invalid JSON"), std::string::npos);
  std::string deep = R"({"jsonrpc":"2.0","method":"m","params":)" + std::string(100000, '[');
  EXPECT_NE(bad(deep).message.find("invalid JSON"), std::string::npos);
}

TEST(Envelope, EncodingRoundTrips) {
  auto params = Json::parse(R"({"x":[1,"two"]})");
  ASSERT_TRUE(params);
  EXPECT_EQ(encodeRequest(RequestId(std::int64_t{5}), "m", *params),
            R"({"jsonrpc":"2.0","id":5,"method":"m","params":{"x":[1,"two"]}})");
  EXPECT_EQ(encodeNotification("n", Json()), R"({"jsonrpc":"2.0","method":"n"})");
  EXPECT_EQ(encodeResponse(RequestId(std::string("s")), Json()), R"({"jsonrpc":"2.0","id":"s","result":null})");
  EXPECT_EQ(encodeResponse(RequestId(std::int64_t{1}), RpcError{ErrorCode::RequestCancelled, "cancelled"}),
            R"({"jsonrpc":"2.0","id":1,"error":{"code":-32800,"message":"cancelled"}})");
}

// A payload given as text goes out as that text, inside the same envelope a value would get;
// readers that want the value get it parsed.
TEST(Json, TextPayloadsAreSentAsWritten) {
  const Json text = Json::fromText(R"({"b":[1,2],"a":"\u00e9"})");
  EXPECT_FALSE(text.isNull());
  EXPECT_TRUE(text.isObject());
  ASSERT_NE(text.text(), nullptr);
  EXPECT_EQ(text.serialize(), R"({"b":[1,2],"a":"\u00e9"})");
  EXPECT_EQ(encodeNotification("n", text), R"({"jsonrpc":"2.0","method":"n","params":{"b":[1,2],"a":"\u00e9"}})");
  EXPECT_EQ(encodeRequest(RequestId(std::int64_t{3}), "m", text),
            R"({"jsonrpc":"2.0","id":3,"method":"m","params":{"b":[1,2],"a":"\u00e9"}})");
  EXPECT_EQ(encodeResponse(RequestId(std::string("q\"")), text),
            R"({"jsonrpc":"2.0","id":"q\"","result":{"b":[1,2],"a":"\u00e9"}})");
  auto envelope = parseEnvelope(encodeNotification("n", text));
  ASSERT_TRUE(std::holds_alternative<Envelope>(envelope));
  EXPECT_EQ(std::get<Envelope>(envelope).params.serialize(), R"({"b":[1,2],"a":"é"})");
  EXPECT_TRUE(Json::fromText("").isNull());
  EXPECT_EQ(Json().text(), nullptr);
}

TEST(Json, ParseReportsWhere) {
  std::string err;
  EXPECT_FALSE(Json::parse("[1,2,", &err));
  EXPECT_NE(err.find("at byte"), std::string::npos);
  auto j = Json::parse("{\"a\":null}");
  ASSERT_TRUE(j);
  EXPECT_TRUE(j->isObject());
  Json moved = std::move(*j);
  EXPECT_TRUE(j->isNull());  // a moved-from handle reads as null
  EXPECT_EQ(moved.serialize(), "{\"a\":null}");
}

}  // namespace
}  // namespace aspm::transport
