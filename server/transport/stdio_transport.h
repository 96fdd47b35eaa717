// JSON-RPC over a pair of file descriptors (stdin/stdout for the language server, pipes in tests)
// on Boost.Asio. Reads are asynchronous on the loop thread; sends from any thread are queued and
// written asynchronously, so a client that is slow to read never blocks the server (and the
// server reading while the client writes avoids the classic pipe deadlock).
#pragma once

#include <memory>

#include "transport/frame.h"
#include "transport/transport.h"

namespace aspm::transport {

struct StdioOptions {
  int inputFd = 0;
  int outputFd = 1;
  FrameLimits limits;
};

class StdioTransport final : public Transport {
 public:
  explicit StdioTransport(StdioOptions options = {});
  ~StdioTransport() override;
  StdioTransport(const StdioTransport&) = delete;
  StdioTransport& operator=(const StdioTransport&) = delete;

  void notify(std::string_view method, const Json& params) override;
  void call(std::string_view method, const Json& params, const RequestId& id) override;
  void reply(const RequestId& id, const Expected<Json>& result) override;
  void post(std::function<void()> task) override;
  void run(MessageHandler& handler) override;
  void stop() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aspm::transport
