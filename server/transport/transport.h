// The boundary between the message loop and whatever carries the bytes (clangd's Transport.h).
// The language server is written against this interface; stdio framing is one implementation
// (stdio_transport.h), and tests can drive the same server over pipes.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "transport/json.h"
#include "transport/jsonrpc.h"

namespace aspm::transport {

// Receives incoming messages, always on the loop thread and in arrival order.
class MessageHandler {
 public:
  virtual ~MessageHandler() = default;
  virtual void onNotification(std::string_view method, Json params) = 0;
  virtual void onRequest(std::string_view method, Json params, RequestId id) = 0;
  virtual void onResponse(RequestId id, Expected<Json> result) = 0;
  // A message that could not be used (bad framing, invalid JSON, not JSON-RPC). `id` is set when
  // the message was a request whose id could be recovered, so it can still be answered.
  virtual void onProtocolError(std::string message, std::optional<RequestId> id) = 0;
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Sending is thread-safe; messages from one thread go out in the order they were sent.
  virtual void notify(std::string_view method, const Json& params) = 0;
  virtual void call(std::string_view method, const Json& params, const RequestId& id) = 0;
  virtual void reply(const RequestId& id, const Expected<Json>& result) = 0;

  // Runs `task` on the loop thread (thread-safe). This is how other threads hand results to the
  // server, which then needs no locks of its own.
  virtual void post(std::function<void()> task) = 0;

  // Reads and dispatches messages until the input ends or stop() is called, then writes out
  // everything already sent and returns.
  virtual void run(MessageHandler& handler) = 0;
  // Makes run() return once pending output is written (thread-safe).
  virtual void stop() = 0;
};

}  // namespace aspm::transport
