// JSON-RPC envelope validation and encoding. Validation is strict about structure (so that a
// handler never sees a half-formed message) and precise in its complaints (so that the log says
// what was wrong with the message a client sent).
#include "transport/jsonrpc.h"

#include <limits>

#include "transport/json_boost.h"

namespace aspm::transport {
namespace json = boost::json;
namespace {

const char* kindName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
  }
  return "value";
}

// A usable id, or an explanation of why it is not one.
std::variant<RequestId, std::string> readId(const json::value& v) {
  if (v.is_string()) return RequestId(std::string(v.get_string()));
  if (v.is_int64()) return RequestId(v.get_int64());
  if (v.is_uint64()) {
    if (v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return RequestId(static_cast<std::int64_t>(v.get_uint64()));
    return std::string("id: integer out of range");
  }
  if (v.is_double()) return std::string("id: expected an integer or a string, got a fractional number");
  return std::string("id: expected an integer or a string, got ") + kindName(v);
}

json::value idValue(const RequestId& id) {
  if (const auto* i = std::get_if<std::int64_t>(&id)) return json::value(*i);
  return json::value(std::get<std::string>(id));
}

}  // namespace

std::string toString(const RequestId& id) {
  if (const auto* i = std::get_if<std::int64_t>(&id)) return std::to_string(*i);
  return "\"" + std::get<std::string>(id) + "\"";
}

std::variant<Envelope, EnvelopeError> parseEnvelope(std::string_view body) {
  // Parsed into a mutable value so that params and results are moved, not copied: a didOpen of a
  // large file carries megabytes of text.
  json::value root;
  {
    json::stream_parser p({}, protocolParseOptions());
    boost::system::error_code ec;
    const std::size_t used = p.write_some(body.data(), body.size(), ec);
    if (!ec && used < body.size()) ec = json::error::extra_data;
    if (!ec) p.finish(ec);
    if (ec) return EnvelopeError{"invalid JSON: " + ec.message() + " at byte " + std::to_string(used), std::nullopt};
    root = p.release();
  }
  if (root.is_array()) return EnvelopeError{"JSON-RPC batches are not supported", std::nullopt};
  if (!root.is_object()) return EnvelopeError{std::string("expected a JSON object, got ") + kindName(root), std::nullopt};
  json::object& o = root.get_object();

  // Recover the id first, so that every later complaint about a request can still be answered.
  std::optional<RequestId> id;
  std::string idProblem;
  const json::value* idv = o.if_contains("id");
  if (idv && !idv->is_null()) {
    auto r = readId(*idv);
    if (auto* ok = std::get_if<RequestId>(&r)) id = std::move(*ok);
    else idProblem = std::get<std::string>(r);
  }
  auto fail = [&](std::string message) { return EnvelopeError{std::move(message), id}; };

  const json::value* version = o.if_contains("jsonrpc");
  if (!version) return fail("missing \"jsonrpc\": \"2.0\"");
  if (!version->is_string() || version->get_string() != "2.0") return fail("jsonrpc: expected \"2.0\"");
  if (!idProblem.empty()) return fail(idProblem);

  Envelope env;
  if (json::value* method = o.if_contains("method")) {
    if (!method->is_string()) return fail(std::string("method: expected string, got ") + kindName(*method));
    env.method = std::string(method->get_string());
    if (json::value* params = o.if_contains("params")) {
      if (!params->is_object() && !params->is_array() && !params->is_null())
        return fail(std::string("params: expected object or array, got ") + kindName(*params));
      env.params = makeJson(std::move(*params));
    }
    if (idv && idv->is_null()) return fail("id: a request id must not be null");
    if (id) {
      env.kind = Envelope::Kind::Request;
      env.id = std::move(*id);
    } else {
      env.kind = Envelope::Kind::Notification;
    }
    return env;
  }

  // No method: a response to one of our requests.
  if (!id) return fail("message has neither \"method\" nor a usable \"id\"");
  env.kind = Envelope::Kind::Response;
  env.id = *id;
  json::value* result = o.if_contains("result");
  const json::value* error = o.if_contains("error");
  if (result && error) return fail("response has both \"result\" and \"error\"");
  if (error) {
    if (!error->is_object()) return fail(std::string("error: expected object, got ") + kindName(*error));
    const json::object& eo = error->get_object();
    const json::value* code = eo.if_contains("code");
    const json::value* message = eo.if_contains("message");
    if (!code || !code->is_int64()) return fail("error.code: expected integer");
    if (code->get_int64() < std::numeric_limits<int>::min() || code->get_int64() > std::numeric_limits<int>::max())
      return fail("error.code: integer out of range");
    if (!message || !message->is_string()) return fail("error.message: expected string");
    env.response = Expected<Json>(RpcError{static_cast<ErrorCode>(code->get_int64()), std::string(message->get_string())});
  } else if (result) {
    env.response = Expected<Json>(makeJson(std::move(*result)));
  } else {
    return fail("response has neither \"result\" nor \"error\"");
  }
  return env;
}

// The envelopes are written as text around the payload's own serialisation, so a payload is
// never copied into a second value first (a publication can carry thousands of diagnostics).
namespace {

void appendValue(std::string& out, const Json& j) {
  if (const std::string* text = j.text()) out += *text;
  else out += json::serialize(boostValue(j));
}

std::string envelope(const RequestId* id, std::string_view method, const Json& params) {
  std::string out = R"({"jsonrpc":"2.0")";
  if (id) out += ",\"id\":" + json::serialize(idValue(*id));
  out += ",\"method\":" + json::serialize(json::value(method));
  if (!params.isNull()) {
    out += ",\"params\":";
    appendValue(out, params);
  }
  out += '}';
  return out;
}

}  // namespace

std::string encodeRequest(const RequestId& id, std::string_view method, const Json& params) {
  return envelope(&id, method, params);
}

std::string encodeNotification(std::string_view method, const Json& params) { return envelope(nullptr, method, params); }

std::string encodeResponse(const RequestId& id, const Expected<Json>& result) {
  std::string out = R"({"jsonrpc":"2.0","id":)" + json::serialize(idValue(id));
  if (result) {
    out += ",\"result\":";
    appendValue(out, *result);
  } else {
    json::object e;
    e["code"] = static_cast<int>(result.error().code);
    e["message"] = result.error().message;
    out += ",\"error\":" + json::serialize(e);
  }
  out += '}';
  return out;
}

}  // namespace aspm::transport
