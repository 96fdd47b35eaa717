// JSON-RPC 2.0 messages as LSP uses them: request ids, error codes, the envelope of one incoming
// message, and the encoding of outgoing ones. Everything here is method-agnostic: which methods
// exist and what their parameters mean is decided above this layer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "transport/json.h"

namespace aspm::transport {

// JSON-RPC allows integer or string ids; both must be echoed back exactly.
using RequestId = std::variant<std::int64_t, std::string>;
std::string toString(const RequestId& id);

// JSON-RPC 2.0 and LSP error codes.
enum class ErrorCode : int {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  UnknownErrorCode = -32001,
  RequestFailed = -32803,
  ServerCancelled = -32802,
  ContentModified = -32801,
  RequestCancelled = -32800,
};

struct RpcError {
  ErrorCode code = ErrorCode::InternalError;
  std::string message;
};

// A value or the error that replaces it; the shape of every reply.
template <typename T>
class Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Expected(RpcError error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  explicit operator bool() const noexcept { return v_.index() == 0; }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }
  T&& operator*() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  const RpcError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, RpcError> v_;
};

// One well-formed incoming message.
struct Envelope {
  enum class Kind { Request, Notification, Response };
  Kind kind = Kind::Notification;
  std::string method;       // requests and notifications
  RequestId id;             // requests and responses
  Json params;              // requests and notifications (null when absent)
  std::optional<Expected<Json>> response;  // responses: result or error
};

// Why a message body could not be used. `id` is set when the body was a JSON object carrying a
// usable request id, so the caller can still answer that request with an error.
struct EnvelopeError {
  std::string message;
  std::optional<RequestId> id;
};

std::variant<Envelope, EnvelopeError> parseEnvelope(std::string_view body);

// Message bodies (unframed JSON text).
std::string encodeRequest(const RequestId& id, std::string_view method, const Json& params);
std::string encodeNotification(std::string_view method, const Json& params);
std::string encodeResponse(const RequestId& id, const Expected<Json>& result);

}  // namespace aspm::transport
