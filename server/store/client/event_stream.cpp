// Boost.Beast on a private io_context, as in http_client.cpp, with one difference: the read of
// the stream's body stays pending across waits. A wait runs the context until that read
// completes, a posted wake runs, or the deadline passes, so being woken never loses bytes. An
// https:// store is reached over TLS (tls.h), verified as the HTTP client does.
#include "store/client/event_stream.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <optional>

#include "store/client/tls.h"

namespace aspm::store::client {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// ---- SseParser ------------------------------------------------------------------------------------

void SseParser::feed(std::string_view bytes, std::vector<SseEvent>& out) {
  for (const char c : bytes) {
    if (c == '\n' && lastWasCR_) {  // the LF of a CRLF: the line already ended at the CR
      lastWasCR_ = false;
      continue;
    }
    lastWasCR_ = c == '\r';
    if (c == '\r' || c == '\n') {
      line(pending_, out);
      pending_.clear();
    } else if (pending_.size() < (8u << 20)) {  // a single line larger than 8 MiB is cut, not kept growing
      pending_.push_back(c);
    }
  }
}

void SseParser::line(std::string_view text, std::vector<SseEvent>& out) {
  if (!started_) {
    started_ = true;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  }
  if (text.empty()) {
    if (hasData_) out.push_back({id_, type_.empty() ? "message" : type_, data_});
    type_.clear();
    data_.clear();
    hasData_ = false;
    return;  // the id persists across events, as the last event id does in browsers
  }
  if (text.front() == ':') {
    ++comments_;
    return;
  }
  const auto colon = text.find(':');
  const std::string_view field = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  if (value.starts_with(' ')) value.remove_prefix(1);
  if (field == "data") {
    if (hasData_) data_.push_back('\n');
    data_.append(value);
    hasData_ = true;
  } else if (field == "event") {
    type_.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) id_.assign(value);
  }
}

// ---- EventStreamConnection ------------------------------------------------------------------------

struct EventStreamConnection::Impl {
  std::string host;
  std::string port;
  std::chrono::milliseconds timeout;
  TlsSettings tlsSettings;
  std::shared_ptr<asio::ssl::context> tls;  // made on first use; null for plain HTTP
  std::string tlsError;
  asio::io_context ioc;
  ClientStream stream;
  beast::flat_buffer buffer;
  std::optional<http::response_parser<http::buffer_body>> parser;
  SseParser sse;
  std::array<char, 16384> chunk{};
  bool woken = false;
  bool aborted = false;
  bool reading = false;
  bool readDone = false;
  beast::error_code readError;

  // Runs the context until `done()`, a wake (when `wakeStops`), an abort, or the deadline.
  template <typename Done>
  bool runUntil(Done done, Clock::time_point deadline, bool wakeStops) {
    ioc.restart();
    while (!done()) {
      if (aborted || (wakeStops && woken)) return false;
      if (ioc.run_one_until(deadline) == 0 && (Clock::now() >= deadline || ioc.stopped())) return done();
    }
    return true;
  }

  // One step of open(): started now, bounded by the stream's expiry.
  template <typename Start>
  beast::error_code step(Start start) {
    std::optional<beast::error_code> result;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    if (!runUntil([&] { return result.has_value(); }, Clock::now() + std::chrono::hours(24), false)) {
      drop();  // aborted: the handler runs (cancelled) before this frame goes away
      return asio::error::operation_aborted;
    }
    return *result;
  }

  void startRead() {
    parser->get().body().data = chunk.data();
    parser->get().body().size = chunk.size();
    reading = true;
    readDone = false;
    stream.visit([this](auto& s) {
      http::async_read_some(s, buffer, *parser, [this](beast::error_code ec, std::size_t) {
        readDone = true;
        readError = ec;
      });
    });
  }

  // Closes the socket and lets any pending handler finish, so nothing refers to old state.
  void drop() {
    if (stream.has_value()) {
      beast::error_code ignored;
      stream.tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream.tcp().socket().close(ignored);
      ioc.restart();
      ioc.run();
    }
    stream.reset();
    parser.reset();
    buffer.clear();
    reading = false;
    readDone = false;
    sse = SseParser{};
  }
};

EventStreamConnection::EventStreamConnection(std::string host, std::string port, std::chrono::milliseconds timeout,
                                             TlsSettings tls)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = std::move(port);
  impl_->timeout = timeout;
  impl_->tlsSettings = std::move(tls);
}

EventStreamConnection::~EventStreamConnection() { close(); }

void EventStreamConnection::wake() {
  asio::post(impl_->ioc, [m = impl_.get()] { m->woken = true; });
}

void EventStreamConnection::interrupt() {
  asio::post(impl_->ioc, [m = impl_.get()] {
    m->woken = true;
    m->aborted = true;
  });
}

bool EventStreamConnection::isOpen() const { return impl_->stream.has_value(); }

void EventStreamConnection::close() { impl_->drop(); }

EventStreamConnection::Opened EventStreamConnection::open(const std::string& target,
                                                          const std::vector<std::pair<std::string, std::string>>& headers) {
  Impl& m = *impl_;
  m.drop();
  m.aborted = false;
  Opened out;
  auto fail = [&](const std::string& what, beast::error_code ec) {
    out.error = what + " " + m.host + ":" + m.port + ": " +
                (ec == beast::error::timeout ? "no answer within " + std::to_string(m.timeout.count()) + " ms" : ec.message());
    m.drop();
    return out;
  };
  if (m.tlsSettings.enabled && !m.tls && m.tlsError.empty()) m.tls = makeClientTlsContext(m.tlsSettings, m.tlsError);
  if (m.tlsSettings.enabled && !m.tls) {
    out.error = m.tlsError;
    out.tlsRefused = true;
    return out;
  }
  tcp::resolver resolver(m.ioc);
  beast::error_code ec;
  const auto endpoints = resolver.resolve(m.host, m.port, ec);
  if (ec) return fail("cannot resolve", ec);
  m.stream.emplace(m.ioc, m.tls.get());
  m.stream.tcp().expires_after(m.timeout);
  ec = m.step([&](auto handler) {
    m.stream.tcp().async_connect(endpoints, [handler](beast::error_code e, const tcp::endpoint&) mutable { handler(e); });
  });
  if (ec) return fail("cannot connect to", ec);
  if (m.stream.isTls()) {
    if (std::string bad = m.stream.expectHost(m.host); !bad.empty()) {
      out.error = std::move(bad);
      out.tlsRefused = true;
      m.drop();
      return out;
    }
    m.stream.tcp().expires_after(m.timeout);
    ec = m.step([&](auto handler) { m.stream.tls().async_handshake(asio::ssl::stream_base::client, handler); });
    if (ec == beast::error::timeout) return fail("no TLS handshake with", ec);
    if (ec) {
      out.error = m.stream.describeHandshakeFailure(ec, m.host + ":" + m.port, out.tlsRefused);
      m.drop();
      return out;
    }
  }

  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, m.host + ":" + m.port);
  req.set(http::field::user_agent, "aspm-sync");
  req.set(http::field::accept, "text/event-stream");
  req.set(http::field::cache_control, "no-store");
  for (const auto& [k, v] : headers) req.set(k, v);
  m.stream.tcp().expires_after(m.timeout);
  ec = m.stream.visit([&](auto& s) { return m.step([&](auto handler) { http::async_write(s, req, handler); }); });
  if (ec) return fail("cannot send the events request to", ec);

  m.parser.emplace();
  m.parser->body_limit(boost::none);  // the stream has no end; bytes are handed on as they come
  m.stream.tcp().expires_after(m.timeout);
  ec = m.stream.visit(
      [&](auto& s) { return m.step([&](auto handler) { http::async_read_header(s, m.buffer, *m.parser, handler); }); });
  if (ec) return fail("no event-stream answer from", ec);
  out.status = static_cast<int>(m.parser->get().result_int());
  if (out.status == 200) {
    m.stream.tcp().expires_never();  // silence is judged by wait()'s timeout, heartbeats included
    return out;
  }
  // A refusal carries a short JSON body: read it for the message, then drop the connection.
  while (!m.parser->is_done() && out.body.size() < 65536) {
    m.parser->get().body().data = m.chunk.data();
    m.parser->get().body().size = m.chunk.size();
    m.stream.tcp().expires_after(m.timeout);
    ec = m.stream.visit(
        [&](auto& s) { return m.step([&](auto handler) { http::async_read_some(s, m.buffer, *m.parser, handler); }); });
    out.body.append(m.chunk.data(), m.chunk.size() - m.parser->get().body().size);
    if (ec && ec != http::error::need_buffer) break;
  }
  m.drop();
  return out;
}

EventStreamConnection::Wait EventStreamConnection::wait(std::chrono::milliseconds timeout, std::vector<SseEvent>& out,
                                                        std::string& error) {
  Impl& m = *impl_;
  if (!m.stream.has_value() || !m.parser) {
    error = "the event stream is not open";
    return Wait::Closed;
  }
  m.woken = false;
  if (!m.reading) m.startRead();
  const bool done = m.runUntil([&] { return m.readDone; }, Clock::now() + timeout, true);
  if (!done) return m.woken ? Wait::Woken : Wait::Idle;
  m.reading = false;
  const std::size_t got = m.chunk.size() - m.parser->get().body().size;
  m.sse.feed(std::string_view(m.chunk.data(), got), out);
  beast::error_code ec = m.readError;
  if (ec == http::error::need_buffer) ec = {};
  // Over TLS a store that closes the stream without close_notify reads as a truncation: the
  // stream has no length, so that is its end as well.
  if (m.parser->is_done() || ec == http::error::end_of_stream || ec == http::error::partial_message ||
      ec == asio::ssl::error::stream_truncated) {
    error = "the store ended the event stream";
    m.drop();
    return Wait::Closed;
  }
  if (ec) {
    error = "the event stream failed: " + ec.message();
    m.drop();
    return Wait::Closed;
  }
  return Wait::Data;
}

}  // namespace aspm::store::client
