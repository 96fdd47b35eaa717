// Routes JSON-RPC messages to handlers by wire method (ccls's handler table, clangd's
// MessageHandler). It owns what is common to every method: the LSP lifecycle gate
// (ServerNotInitialized before initialize, InvalidRequest after shutdown), exactly one reply per
// request, `$/cancelRequest`, mapping failures to errors (protocol::rpcError), catching whatever
// a handler throws, and matching the client's responses to the requests the server sent.
//
// Incoming messages are queued and handled one per loop turn. A cancellation is honoured as soon
// as it is read, so a request still waiting in the queue is answered RequestCancelled without
// running, and a request whose handler has not replied yet is answered at once.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "protocol/binder.h"
#include "transport/transport.h"

namespace aspm::lsp {

class Dispatcher final : public transport::MessageHandler {
 public:
  enum class Phase { Uninitialized, Running, ShutDown };

  explicit Dispatcher(transport::Transport& transport);

  void onRequest(std::string method, protocol::RequestHandler handler);
  void onNotification(std::string method, protocol::NotificationHandler handler);
  void setPhase(Phase phase) { phase_ = phase; }
  Phase phase() const { return phase_; }

  // Server-to-client messages. `onResponse` runs on the loop thread when the answer arrives.
  void call(std::string_view method, const transport::Json& params, protocol::ResponseHandler onResponse);
  void notify(std::string_view method, const transport::Json& params);

  // transport::MessageHandler
  void onNotification(std::string_view method, transport::Json params) override;
  void onRequest(std::string_view method, transport::Json params, transport::RequestId id) override;
  void onResponse(transport::RequestId id, transport::Expected<transport::Json> result) override;
  void onProtocolError(std::string message, std::optional<transport::RequestId> id) override;

 private:
  struct Incoming {
    enum class Kind { Request, Notification, Response } kind = Kind::Notification;
    std::string method;
    transport::Json params;
    transport::RequestId id;
    std::optional<transport::Expected<transport::Json>> response;
    bool cancelled = false;
  };

  void enqueue(Incoming message);
  void handleNext();
  void handleRequest(Incoming& message);
  void handleNotification(Incoming& message);
  void handleResponse(Incoming& message);
  void cancel(const transport::RequestId& id);
  protocol::ReplyOnce replyFor(const std::string& method, const transport::RequestId& id);

  transport::Transport& transport_;
  Phase phase_ = Phase::Uninitialized;
  std::unordered_map<std::string, protocol::RequestHandler> requests_;
  std::unordered_map<std::string, protocol::NotificationHandler> notifications_;
  std::deque<Incoming> queue_;

  std::mutex mu_;  // replies may be sent from any thread
  std::map<transport::RequestId, protocol::ReplyOnce::Canceller> inFlight_;

  std::int64_t nextCallId_ = 1;
  std::map<transport::RequestId, protocol::ResponseHandler> pendingCalls_;
};

}  // namespace aspm::lsp
