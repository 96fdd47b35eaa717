// The dispatch table and the rules every method shares.
#include "lsp/dispatcher.h"

#include "protocol/codec.h"
#include "support/log.h"

namespace aspm::lsp {

using protocol::Failure;
using protocol::rpcError;

Dispatcher::Dispatcher(transport::Transport& transport) : transport_(transport) {}

void Dispatcher::onRequest(std::string method, protocol::RequestHandler handler) {
  requests_[std::move(method)] = std::move(handler);
}

void Dispatcher::onNotification(std::string method, protocol::NotificationHandler handler) {
  notifications_[std::move(method)] = std::move(handler);
}

void Dispatcher::call(std::string_view method, const transport::Json& params, protocol::ResponseHandler onResponse) {
  const transport::RequestId id = nextCallId_++;
  pendingCalls_[id] = std::move(onResponse);
  transport_.call(method, params, id);
}

void Dispatcher::notify(std::string_view method, const transport::Json& params) { transport_.notify(method, params); }

// ---- Incoming -----------------------------------------------------------------------------------

void Dispatcher::onRequest(std::string_view method, transport::Json params, transport::RequestId id) {
  Incoming m;
  m.kind = Incoming::Kind::Request;
  m.method = std::string(method);
  m.params = std::move(params);
  m.id = std::move(id);
  enqueue(std::move(m));
}

void Dispatcher::onNotification(std::string_view method, transport::Json params) {
  if (method == "$/cancelRequest") {
    auto p = protocol::decode<protocol::CancelParams>(params);
    if (!p) support::logWarning("$/cancelRequest: " + p.error().message);
    else cancel(p->id);
    return;
  }
  Incoming m;
  m.kind = Incoming::Kind::Notification;
  m.method = std::string(method);
  m.params = std::move(params);
  enqueue(std::move(m));
}

void Dispatcher::onResponse(transport::RequestId id, transport::Expected<transport::Json> result) {
  Incoming m;
  m.kind = Incoming::Kind::Response;
  m.id = std::move(id);
  m.response = std::move(result);
  enqueue(std::move(m));
}

void Dispatcher::onProtocolError(std::string message, std::optional<transport::RequestId> id) {
  support::logError("invalid message from the client: " + message);
  if (id) transport_.reply(*id, rpcError(Failure::InvalidRequest, std::move(message)));
}

void Dispatcher::enqueue(Incoming message) {
  queue_.push_back(std::move(message));
  transport_.post([this] { handleNext(); });
}

void Dispatcher::cancel(const transport::RequestId& id) {
  for (auto& queued : queue_) {
    if (queued.kind == Incoming::Kind::Request && queued.id == id) {
      queued.cancelled = true;
      return;
    }
  }
  std::optional<protocol::ReplyOnce::Canceller> canceller;
  {
    std::lock_guard lock(mu_);
    if (auto it = inFlight_.find(id); it != inFlight_.end()) canceller = it->second;
  }
  if (canceller) canceller->cancel();  // answered already: nothing happens
}

void Dispatcher::handleNext() {
  if (queue_.empty()) return;
  Incoming m = std::move(queue_.front());
  queue_.pop_front();
  switch (m.kind) {
    case Incoming::Kind::Request: handleRequest(m); break;
    case Incoming::Kind::Notification: handleNotification(m); break;
    case Incoming::Kind::Response: handleResponse(m); break;
  }
}

protocol::ReplyOnce Dispatcher::replyFor(const std::string& method, const transport::RequestId& id) {
  protocol::ReplyOnce reply(method, [this, id](transport::Expected<transport::Json> result) {
    {
      std::lock_guard lock(mu_);
      inFlight_.erase(id);
    }
    transport_.reply(id, result);
  });
  std::lock_guard lock(mu_);
  inFlight_[id] = reply.canceller();
  return reply;
}

void Dispatcher::handleRequest(Incoming& m) {
  protocol::ReplyOnce reply = replyFor(m.method, m.id);
  if (m.cancelled) return reply.cancel();
  if (phase_ == Phase::Uninitialized && m.method != "initialize")
    return reply(rpcError(Failure::NotInitialized, "'" + m.method + "' before initialize"));
  if (phase_ == Phase::Running && m.method == "initialize")
    return reply(rpcError(Failure::InvalidRequest, "initialize was already received"));
  if (phase_ == Phase::ShutDown)
    return reply(rpcError(Failure::InvalidRequest, "'" + m.method + "' after shutdown"));
  auto it = requests_.find(m.method);
  if (it == requests_.end()) return reply(rpcError(Failure::UnknownMethod, m.method));
  try {
    it->second(m.params, reply);
  } catch (const std::exception& e) {
    support::logError("'" + m.method + "' failed: " + e.what());
    reply(rpcError(Failure::HandlerFailed, e.what()));
  } catch (...) {
    support::logError("'" + m.method + "' failed");
    reply(rpcError(Failure::HandlerFailed, "unknown exception"));
  }
}

void Dispatcher::handleNotification(Incoming& m) {
  // Before initialize only exit counts; after shutdown, likewise.
  if (phase_ != Phase::Running && m.method != "exit") {
    support::logDebug("ignored '" + m.method + "' outside the running phase");
    return;
  }
  auto it = notifications_.find(m.method);
  if (it == notifications_.end()) {
    // "$/" notifications are optional by specification; others are worth a line in the log.
    if (!m.method.starts_with("$/")) support::logInfo("unsupported notification '" + m.method + "' ignored");
    return;
  }
  try {
    if (auto error = it->second(m.params)) support::logError("'" + m.method + "': " + error->message);
  } catch (const std::exception& e) {
    support::logError("'" + m.method + "' failed: " + e.what());
  } catch (...) {
    support::logError("'" + m.method + "' failed");
  }
}

void Dispatcher::handleResponse(Incoming& m) {
  auto it = pendingCalls_.find(m.id);
  if (it == pendingCalls_.end()) {
    support::logWarning("response to an unknown request " + transport::toString(m.id) + " ignored");
    return;
  }
  protocol::ResponseHandler handler = std::move(it->second);
  pendingCalls_.erase(it);
  try {
    handler(std::move(*m.response));
  } catch (const std::exception& e) {
    support::logError("handling the response to request " + transport::toString(m.id) + " failed: " + e.what());
  }
}

}  // namespace aspm::lsp
