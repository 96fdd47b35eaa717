// Typed handlers from raw messages (clangd's LSPBinder + ReplyOnce), without any JSON in sight of
// the caller: a handler takes a params struct and a Reply<Result>, and the binder decodes the
// params (answering InvalidParams with the JSON path on failure) and encodes the result. The
// table of method names that uses these binders lives in lsp/.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "protocol/codec.h"
#include "transport/jsonrpc.h"

namespace aspm::protocol {

// What can go wrong around a handler. rpcError() is the one place that maps these to JSON-RPC
// error codes.
enum class Failure {
  UnknownMethod,   // MethodNotFound
  InvalidParams,   // InvalidParams
  InvalidRequest,  // InvalidRequest: malformed request, or a request after shutdown
  HandlerFailed,   // InternalError: a handler threw
  ReplyDropped,    // InternalError: a handler finished without replying
  NotInitialized,  // ServerNotInitialized
  Cancelled,       // RequestCancelled
};
transport::RpcError rpcError(Failure failure, std::string detail);

// The reply channel of one request; copies share one guard. The first reply is sent. If the last
// copy is destroyed without a reply, the request is answered with an InternalError and the
// omission logged, so a client never waits forever. Thread-safe.
class ReplyOnce {
  struct State;

 public:
  using Sender = std::function<void(transport::Expected<Json>)>;
  ReplyOnce(std::string method, Sender send);

  void operator()(transport::Expected<Json> result) const;
  // Answers RequestCancelled now (if not answered yet); a later reply is dropped quietly.
  void cancel() const;
  bool cancelled() const;
  bool replied() const;
  const std::string& method() const;

  // Cancels the request without keeping it alive (so a dropped reply is still detected).
  class Canceller {
   public:
    void cancel() const;

   private:
    friend class ReplyOnce;
    std::weak_ptr<State> state_;
  };
  Canceller canceller() const;

 private:
  static void cancel(State& state);
  std::shared_ptr<State> state_;
};

template <typename R>
class Reply {
 public:
  explicit Reply(ReplyOnce raw) : raw_(std::move(raw)) {}
  void operator()(R value) const { raw_(encode(value)); }
  void operator()(transport::RpcError error) const { raw_(std::move(error)); }
  bool cancelled() const { return raw_.cancelled(); }

 private:
  ReplyOnce raw_;
};

using RequestHandler = std::function<void(const Json& params, ReplyOnce reply)>;
// Returns the error when the params could not be decoded (there is nobody to answer: the caller
// logs it).
using NotificationHandler = std::function<std::optional<transport::RpcError>(const Json& params)>;
using ResponseHandler = std::function<void(transport::Expected<Json>)>;

template <typename P, typename R>
RequestHandler bindRequest(std::function<void(const P&, Reply<R>)> fn) {
  return [fn = std::move(fn)](const Json& params, ReplyOnce reply) {
    auto p = decode<P>(params);
    if (!p) return reply(rpcError(Failure::InvalidParams, p.error().message));
    fn(*p, Reply<R>(std::move(reply)));
  };
}

// Requests without params (shutdown).
template <typename R>
RequestHandler bindRequest(std::function<void(Reply<R>)> fn) {
  return [fn = std::move(fn)](const Json&, ReplyOnce reply) { fn(Reply<R>(std::move(reply))); };
}

template <typename C, typename P, typename R>
RequestHandler bindRequest(C* self, void (C::*method)(const P&, Reply<R>)) {
  return bindRequest<P, R>([self, method](const P& p, Reply<R> r) { (self->*method)(p, std::move(r)); });
}

template <typename C, typename R>
RequestHandler bindRequest(C* self, void (C::*method)(Reply<R>)) {
  return bindRequest<R>([self, method](Reply<R> r) { (self->*method)(std::move(r)); });
}

template <typename P>
NotificationHandler bindNotification(std::function<void(const P&)> fn) {
  return [fn = std::move(fn)](const Json& params) -> std::optional<transport::RpcError> {
    auto p = decode<P>(params);
    if (!p) return rpcError(Failure::InvalidParams, p.error().message);
    fn(*p);
    return std::nullopt;
  };
}

template <typename C, typename P>
NotificationHandler bindNotification(C* self, void (C::*method)(const P&)) {
  return bindNotification<P>([self, method](const P& p) { (self->*method)(p); });
}

// Notifications without params (exit).
template <typename C>
NotificationHandler bindNotification(C* self, void (C::*method)()) {
  return [self, method](const Json&) -> std::optional<transport::RpcError> {
    (self->*method)();
    return std::nullopt;
  };
}

// The answer to a request the server sent, decoded as R.
template <typename R>
ResponseHandler bindResponse(std::function<void(transport::Expected<R>)> fn) {
  return [fn = std::move(fn)](transport::Expected<Json> result) {
    if (!result) return fn(result.error());
    fn(decode<R>(*result, "result"));
  };
}

}  // namespace aspm::protocol
