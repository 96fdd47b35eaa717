// The reply guard and the failure-to-error mapping.
#include "protocol/binder.h"

#include <mutex>

#include "support/log.h"

namespace aspm::protocol {

transport::RpcError rpcError(Failure failure, std::string detail) {
  using transport::ErrorCode;
  switch (failure) {
    case Failure::UnknownMethod: return {ErrorCode::MethodNotFound, "method not found: " + detail};
    case Failure::InvalidParams: return {ErrorCode::InvalidParams, std::move(detail)};
    case Failure::InvalidRequest: return {ErrorCode::InvalidRequest, std::move(detail)};
    case Failure::HandlerFailed: return {ErrorCode::InternalError, "internal error: " + detail};
    case Failure::ReplyDropped: return {ErrorCode::InternalError, "server did not answer " + detail};
    case Failure::NotInitialized: return {ErrorCode::ServerNotInitialized, "server not initialized: " + detail};
    case Failure::Cancelled: return {ErrorCode::RequestCancelled, "request cancelled: " + detail};
  }
  return {ErrorCode::InternalError, std::move(detail)};
}

struct ReplyOnce::State {
  std::string method;
  Sender send;
  mutable std::mutex mu;
  bool replied = false;
  bool cancelled = false;

  ~State() {
    if (replied) return;
    support::logError("no reply was sent for '" + method + "'; answering with an error");
    send(rpcError(Failure::ReplyDropped, "'" + method + "'"));
  }
};

ReplyOnce::ReplyOnce(std::string method, Sender send) : state_(std::make_shared<State>()) {
  state_->method = std::move(method);
  state_->send = std::move(send);
}

void ReplyOnce::operator()(transport::Expected<Json> result) const {
  {
    std::lock_guard lock(state_->mu);
    if (state_->replied) {
      if (!state_->cancelled) support::logError("a second reply for '" + state_->method + "' was dropped");
      return;
    }
    state_->replied = true;
  }
  state_->send(std::move(result));
}

void ReplyOnce::cancel() const { cancel(*state_); }

void ReplyOnce::cancel(State& state) {
  {
    std::lock_guard lock(state.mu);
    if (state.replied) return;
    state.replied = true;
    state.cancelled = true;
  }
  state.send(rpcError(Failure::Cancelled, "'" + state.method + "'"));
}

bool ReplyOnce::cancelled() const {
  std::lock_guard lock(state_->mu);
  return state_->cancelled;
}

bool ReplyOnce::replied() const {
  std::lock_guard lock(state_->mu);
  return state_->replied;
}

const std::string& ReplyOnce::method() const { return state_->method; }

ReplyOnce::Canceller ReplyOnce::canceller() const {
  Canceller c;
  c.state_ = state_;
  return c;
}

void ReplyOnce::Canceller::cancel() const {
  if (std::shared_ptr<State> state = state_.lock()) ReplyOnce::cancel(*state);
}

}  // namespace aspm::protocol
