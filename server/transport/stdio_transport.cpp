// Asio implementation of the stdio transport. Descriptors that epoll cannot watch (regular files,
// e.g. `aspm-ls < transcript`) fall back to a blocking reader thread and blocking writes, so the
// server works with every kind of stdin/stdout.
#include "transport/stdio_transport.h"

#include <unistd.h>

#include <array>
#include <atomic>
// GCC's flow-based null-dereference analysis misfires inside Asio's scheduler after inlining.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#pragma GCC diagnostic pop
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "support/log.h"

namespace aspm::transport {
namespace asio = boost::asio;

struct StdioTransport::Impl {
  explicit Impl(StdioOptions o) : options(o), parser(o.limits) {}

  StdioOptions options;
  asio::io_context ioc;
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  asio::posix::stream_descriptor in{ioc};
  asio::posix::stream_descriptor out{ioc};
  bool inAsync = false;
  bool outAsync = false;
  std::thread blockingReader;
  std::atomic<bool> readerStop{false};

  FrameParser parser;
  std::array<char, 1 << 16> readBuffer{};
  MessageHandler* handler = nullptr;
  bool inputEnded = false;

  std::mutex mu;                    // guards the fields below
  std::vector<std::string> queue;   // framed messages waiting to be written
  bool writing = false;             // a flush is scheduled or in progress
  bool stopping = false;
  std::vector<std::string> inflight;  // owned by the loop thread while a write is in progress

  void send(std::string body) {
    std::string framed = frameMessage(body);
    {
      std::lock_guard lock(mu);
      queue.push_back(std::move(framed));
      if (writing) return;
      writing = true;
    }
    asio::post(ioc, [this] { flush(); });
  }

  // Writes everything queued, in order; runs on the loop thread.
  void flush() {
    {
      std::lock_guard lock(mu);
      if (queue.empty()) {
        writing = false;
        if (stopping) finishLocked();
        return;
      }
      inflight.swap(queue);
    }
    if (outAsync) {
      std::vector<asio::const_buffer> buffers;
      buffers.reserve(inflight.size());
      for (const auto& m : inflight) buffers.emplace_back(asio::buffer(m));
      asio::async_write(out, buffers, [this](const boost::system::error_code& ec, std::size_t) {
        inflight.clear();
        if (ec) return outputFailed(ec.message());
        flush();
      });
      return;
    }
    for (const auto& m : inflight) {
      std::size_t done = 0;
      while (done < m.size()) {
        const ssize_t n = ::write(options.outputFd, m.data() + done, m.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          inflight.clear();
          return outputFailed(std::strerror(errno));
        }
        done += static_cast<std::size_t>(n);
      }
    }
    inflight.clear();
    asio::post(ioc, [this] { flush(); });
  }

  // Nobody can hear us any more: drop output and end the loop.
  void outputFailed(const std::string& why) {
    support::logError("cannot write to the client: " + why + "; stopping");
    {
      std::lock_guard lock(mu);
      queue.clear();
      writing = false;
      stopping = true;
    }
    stopInput();
    std::lock_guard lock(mu);
    finishLocked();
  }

  void finishLocked() {
    work.reset();
    ioc.stop();
  }

  void stopInput() {
    readerStop = true;
    boost::system::error_code ignored;
    if (inAsync && in.is_open()) in.close(ignored);
  }

  void requestStop() {
    bool idle = false;
    {
      std::lock_guard lock(mu);
      stopping = true;
      idle = !writing;
    }
    stopInput();
    if (idle) {
      std::lock_guard lock(mu);
      finishLocked();
    }
  }

  void dispatch(std::vector<FrameEvent>& events) {
    for (auto& ev : events) {
      if (stopped()) return;
      if (ev.kind == FrameEvent::Kind::Error) {
        handler->onProtocolError(std::move(ev.text), std::nullopt);
        continue;
      }
      auto parsed = parseEnvelope(ev.text);
      if (auto* err = std::get_if<EnvelopeError>(&parsed)) {
        handler->onProtocolError(std::move(err->message), std::move(err->id));
        continue;
      }
      auto& env = std::get<Envelope>(parsed);
      switch (env.kind) {
        case Envelope::Kind::Request: handler->onRequest(env.method, std::move(env.params), std::move(env.id)); break;
        case Envelope::Kind::Notification: handler->onNotification(env.method, std::move(env.params)); break;
        case Envelope::Kind::Response: handler->onResponse(std::move(env.id), std::move(*env.response)); break;
      }
    }
    events.clear();
  }

  bool stopped() {
    std::lock_guard lock(mu);
    return stopping;
  }

  void onInput(std::string_view chunk) {
    std::vector<FrameEvent> events;
    parser.feed(chunk, events);
    dispatch(events);
  }

  void onEnd() {
    if (inputEnded) return;
    inputEnded = true;
    std::vector<FrameEvent> events;
    parser.finish(events);
    dispatch(events);
    // Posted, so that work the last messages queued on the loop still runs before it stops.
    asio::post(ioc, [this] { requestStop(); });
  }

  void readAsync() {
    in.async_read_some(asio::buffer(readBuffer), [this](const boost::system::error_code& ec, std::size_t n) {
      if (n > 0) onInput(std::string_view(readBuffer.data(), n));
      if (ec || stopped()) {
        if (ec && ec != asio::error::eof && ec != asio::error::operation_aborted && ec != asio::error::bad_descriptor)
          support::logError("cannot read from the client: " + ec.message());
        return onEnd();
      }
      readAsync();
    });
  }

  void startBlockingReader() {
    blockingReader = std::thread([this] {
      std::vector<char> buf(1 << 16);
      while (!readerStop) {
        const ssize_t n = ::read(options.inputFd, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        asio::post(ioc, [this, chunk = std::string(buf.data(), static_cast<std::size_t>(n))] { onInput(chunk); });
      }
      asio::post(ioc, [this] { onEnd(); });
    });
  }
};

StdioTransport::StdioTransport(StdioOptions options) : impl_(std::make_unique<Impl>(options)) {
  // Writing to a pipe whose reader has gone must be an error to handle, not a signal that kills
  // the process.
  std::signal(SIGPIPE, SIG_IGN);
  boost::system::error_code ec;
  if (const int fd = ::dup(options.inputFd); fd >= 0) {
    impl_->in.assign(fd, ec);
    if (ec) ::close(fd);
    else impl_->inAsync = true;
  }
  if (const int fd = ::dup(options.outputFd); fd >= 0) {
    impl_->out.assign(fd, ec);
    if (ec) ::close(fd);
    else impl_->outAsync = true;
  }
}

StdioTransport::~StdioTransport() {
  impl_->readerStop = true;
  if (impl_->blockingReader.joinable()) impl_->blockingReader.join();
}

void StdioTransport::notify(std::string_view method, const Json& params) {
  impl_->send(encodeNotification(method, params));
}

void StdioTransport::call(std::string_view method, const Json& params, const RequestId& id) {
  impl_->send(encodeRequest(id, method, params));
}

void StdioTransport::reply(const RequestId& id, const Expected<Json>& result) {
  impl_->send(encodeResponse(id, result));
}

void StdioTransport::post(std::function<void()> task) { asio::post(impl_->ioc, std::move(task)); }

void StdioTransport::run(MessageHandler& handler) {
  impl_->handler = &handler;
  if (impl_->inAsync) impl_->readAsync();
  else impl_->startBlockingReader();
  impl_->ioc.run();
  impl_->handler = nullptr;
}

void StdioTransport::stop() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->requestStop(); });
}

}  // namespace aspm::transport
