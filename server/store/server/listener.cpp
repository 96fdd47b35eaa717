// One Session per connection: read a request with size limits, answer it, repeat while the
// client keeps the connection alive. Oversized requests get 413 and the connection is closed,
// because the rest of the body is still in flight and cannot be skipped safely. An accepted
// events request hands the socket to an EventStream, which lives until the client goes away,
// falls too far behind, or the server stops. Both are templates over the stream: a TCP stream for
// plain HTTP, or a TLS stream on top of it once the handshake succeeded, so HTTPS gets exactly the
// same limits, keep-alive, timeouts and event streams. A TLS port answers a plain-HTTP request
// with a plain 400 saying so, and a failed handshake closes only its own connection.
#include "store/server/listener.h"

#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <array>
#include <chrono>
#include <deque>
#include <fstream>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <type_traits>
#include <vector>

namespace aspm::store::server {
namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using PlainStream = beast::tcp_stream;
// Asio's TLS stream directly: Beast's wrapper of it (1.81) rejects the buffered handshake that
// takes over the bytes read while detecting TLS.
using TlsStream = asio::ssl::stream<beast::tcp_stream>;

// Group commit: decision PUTs that arrive together (read in the same turn of the event loop) are
// applied in one transaction, and each connection gets its reply once that transaction
// committed. A lone PUT is a batch of one, one loop turn later.
class WriteBatch : public std::enable_shared_from_this<WriteBatch> {
 public:
  using Done = std::function<void(ApiReply)>;
  WriteBatch(asio::io_context& ioc, Api& api) : ioc_(ioc), api_(api) {}

  void add(db::DecisionWrite write, Done done) {
    bool schedule = false;
    {
      std::lock_guard lock(mu_);
      pending_.push_back({std::move(write), std::move(done)});
      schedule = !scheduled_;
      scheduled_ = true;
    }
    // Posted behind the reads already completed, so they join this batch.
    if (schedule) asio::post(ioc_, [self = shared_from_this()] { self->flush(); });
  }

 private:
  struct Item {
    db::DecisionWrite write;
    Done done;
  };
  void flush() {
    std::vector<Item> items;
    {
      std::lock_guard lock(mu_);
      items.swap(pending_);
      scheduled_ = false;
    }
    std::vector<db::DecisionWrite> writes;
    writes.reserve(items.size());
    for (auto& item : items) writes.push_back(std::move(item.write));
    std::vector<ApiReply> replies = api_.applyWrites(writes);
    for (std::size_t i = 0; i < items.size(); ++i) items[i].done(std::move(replies[i]));
  }

  asio::io_context& ioc_;
  Api& api_;
  std::mutex mu_;
  std::vector<Item> pending_;
  bool scheduled_ = false;
};

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(30);
// A stream whose client has taken no bytes for this long is dead or stuck: close it.
constexpr auto kStalledWrite = std::chrono::seconds(30);
// A TLS client gets this long to complete its handshake, and a closing one to answer close_notify.
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
constexpr auto kTlsShutdownTimeout = std::chrono::seconds(2);

template <typename Stream>
constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;

// Closes the connection at once (no TLS close_notify): after errors, timeouts and cut-offs.
template <typename Stream>
void closeNow(Stream& stream) {
  beast::error_code ignored;
  auto& socket = beast::get_lowest_layer(stream).socket();
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  socket.close(ignored);
}

// A server-sent events stream on a socket taken over from a Session. It subscribes before it
// reads the replay from storage, so a write committed in between is not missed, and drops any
// live event whose version was already sent (replayed). Live events wait in a queue while a
// write is in flight; when the queue reaches its limit the client is too slow: the queue is
// dropped and the stream closed, and the client resumes from storage with Last-Event-ID, so
// memory per client stays bounded and nothing is lost. Everything runs on the socket's strand.
template <typename Stream>
class EventStream : public std::enable_shared_from_this<EventStream<Stream>> {
 public:
  EventStream(Stream stream, Api& api, StreamStart start, ListenerOptions options)
      : socket_(std::move(stream)), timer_(socket_.get_executor()), api_(api), start_(std::move(start)),
        options_(options), hub_(*options.events) {}
  ~EventStream() {
    if (subscription_) hub_.unsubscribe(subscription_);
  }
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  void start() {
    std::weak_ptr<EventStream> weak = this->weak_from_this();
    auto executor = socket_.get_executor();
    subscription_ = hub_.subscribe(
        start_.project, [weak, executor](const std::shared_ptr<const std::string>& event, std::int64_t version) {
          asio::post(executor, [weak, event, version] {
            if (auto self = weak.lock()) self->onEvent(event, version);
          });
        });
    std::string error;
    const auto replay = api_.replay(start_, error);
    if (!error.empty()) {
      // Nothing was sent yet, so the client still gets a proper error and retries. No event may
      // follow that reply: unsubscribe, and ignore deliveries already on their way.
      hub_.unsubscribe(subscription_);
      subscription_ = 0;
      lastSent_ = std::numeric_limits<std::int64_t>::max();
      const std::string body = R"({"error":"storage error: cannot read the events to replay"})";
      auto text = std::make_shared<const std::string>(
          "HTTP/1.1 503 Service Unavailable\r\nServer: aspm-store\r\nContent-Type: application/json\r\n"
          "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
      closeAfterWrite_ = true;
      queue_.push_back(std::move(text));
      writeNext();
      return;
    }
    // The body runs until the connection closes (no Content-Length, no chunking): what an
    // EventSource expects, and what proxies pass through unbuffered with X-Accel-Buffering.
    std::string head =
        "HTTP/1.1 200 OK\r\nServer: aspm-store\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
        "Connection: close\r\nX-Accel-Buffering: no\r\n\r\n";
    lastSent_ = start_.since;
    for (const auto& d : replay) {
      head += formatDecisionEvent(d);
      lastSent_ = std::max(lastSent_, d.version);
    }
    queue_.push_back(std::make_shared<const std::string>(std::move(head)));
    writeNext();
    watchForClose();
    tick();
  }

 private:
  void onEvent(const std::shared_ptr<const std::string>& event, std::int64_t version) {
    if (closed_ || version <= lastSent_) return;
    lastSent_ = version;
    if (queue_.size() >= options_.eventQueueLimit) {
      close();  // too slow: it resumes from storage
      return;
    }
    queue_.push_back(event);
    if (!writing_) writeNext();
  }

  // Everything queued goes out in one gathered write, sent piece by piece so that progress is
  // visible: a large replay to a slow but live client is not mistaken for a stalled one.
  void writeNext() {
    if (closed_ || writing_ || queue_.empty()) return;
    inflight_.assign(queue_.begin(), queue_.end());
    queue_.clear();
    std::vector<asio::const_buffer> buffers;
    buffers.reserve(inflight_.size());
    for (const auto& b : inflight_) buffers.emplace_back(b->data(), b->size());
    pending_.emplace(std::move(buffers));
    writing_ = true;
    lastProgress_ = std::chrono::steady_clock::now();
    writeSome();
  }

  void writeSome() {
    socket_.async_write_some(*pending_, [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
      if (ec) {
        self->close();
        return;
      }
      self->lastProgress_ = std::chrono::steady_clock::now();
      self->pending_->consume(n);
      if (beast::buffer_bytes(*self->pending_) > 0) {
        self->writeSome();
        return;
      }
      self->writing_ = false;
      self->pending_.reset();
      self->inflight_.clear();
      if (self->closeAfterWrite_) self->close();
      else self->writeNext();
    });
  }

  // The client sends nothing after its request; a read completing means it closed (or broke the
  // protocol), either way the stream ends and the subscription goes with it.
  void watchForClose() {
    socket_.async_read_some(asio::buffer(scratch_), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) self->close();
      else self->watchForClose();
    });
  }

  // Heartbeat on an idle stream; a write that made no progress for kStalledWrite ends it.
  void tick() {
    timer_.expires_after(options_.heartbeat);
    timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) return;
      if (self->writing_) {
        if (std::chrono::steady_clock::now() - self->lastProgress_ > kStalledWrite) {
          self->close();
          return;
        }
      } else if (self->queue_.empty()) {
        static const auto keepAlive = std::make_shared<const std::string>(": keep-alive\n\n");
        self->queue_.push_back(keepAlive);
        self->writeNext();
      }
      self->tick();
    });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    if (subscription_) hub_.unsubscribe(subscription_);
    subscription_ = 0;
    queue_.clear();
    timer_.cancel();
    // Closed without a TLS close_notify: a write may still be in flight. Clients take the end of
    // the connection as the end of the stream either way, and resume.
    beast::error_code ignored;
    auto& socket = beast::get_lowest_layer(socket_).socket();
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  Stream socket_;
  asio::steady_timer timer_;
  Api& api_;
  StreamStart start_;
  ListenerOptions options_;
  EventHub& hub_;
  std::uint64_t subscription_ = 0;
  std::int64_t lastSent_ = 0;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::vector<std::shared_ptr<const std::string>> inflight_;  // keeps the bytes of pending_ alive
  std::optional<beast::buffers_suffix<std::vector<asio::const_buffer>>> pending_;
  std::array<char, 256> scratch_{};
  std::chrono::steady_clock::time_point lastProgress_;
  bool writing_ = false;
  bool closed_ = false;
  bool closeAfterWrite_ = false;
};

template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  // `buffer` holds bytes already read from the connection (the start of a TLS handshake).
  Session(Stream stream, beast::flat_buffer buffer, Api& api, ListenerOptions options, std::shared_ptr<WriteBatch> batch)
      : stream_(std::move(stream)), buffer_(std::move(buffer)), api_(api), options_(options), batch_(std::move(batch)) {}

  void start() {
    if constexpr (kIsTls<Stream>) {
      lowest().expires_after(kHandshakeTimeout);
      stream_.async_handshake(asio::ssl::stream_base::server, buffer_.data(),
                              [self = this->shared_from_this()](beast::error_code ec, std::size_t used) {
                                // A failed handshake (wrong protocol, untrusted client, timeout)
                                // only ends this connection.
                                if (ec) {
                                  closeNow(self->stream_);
                                  return;
                                }
                                self->buffer_.consume(used);
                                self->read();
                              });
    } else {
      read();
    }
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void read() {
    parser_.emplace();
    parser_->body_limit(options_.maxBodyBytes);
    parser_->header_limit(static_cast<std::uint32_t>(options_.maxHeaderBytes));
    lowest().expires_after(kIdleTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
  }

  void onRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream) {
      finish();
      return;
    }
    if (ec == beast::error::timeout || ec == asio::error::operation_aborted) {
      close();
      return;
    }
    if (ec == http::error::body_limit) {
      reply(413, R"({"error":"request body exceeds the limit of )" + std::to_string(options_.maxBodyBytes) +
                     R"( bytes"})", false);
      return;
    }
    if (ec == http::error::header_limit) {
      reply(431, R"({"error":"request headers are too large"})", false);
      return;
    }
    if (ec) {
      // Any other parse failure is the client's fault; transport errors just end the session.
      if (ec.category() == http::make_error_code(http::error::bad_target).category())
        reply(400, R"({"error":"malformed HTTP request"})", false);
      else
        close();
      return;
    }
    const auto& req = parser_->get();
    ApiRequest in;
    in.method = std::string(req.method_string());
    in.target = std::string(req.target());
    in.authorization = std::string(req[http::field::authorization]);
    in.ifMatch = std::string(req[http::field::if_match]);
    in.idempotencyKey = std::string(req["Idempotency-Key"]);
    in.lastEventId = std::string(req["Last-Event-ID"]);
    in.body = req.body();
    ApiReply out = api_.handleDeferred(in);
    if (out.stream && options_.events) {
      lowest().expires_never();
      std::make_shared<EventStream<Stream>>(std::move(stream_), api_, std::move(*out.stream), options_)->start();
      return;
    }
    const unsigned version = req.version();
    const bool keepAlive = req.keep_alive();
    if (out.write) {
      batch_->add(std::move(*out.write), [self = this->shared_from_this(), version, keepAlive](ApiReply reply) {
        auto executor = self->stream_.get_executor();
        asio::post(executor, [self, reply = std::move(reply), version, keepAlive]() mutable {
          self->respond(std::move(reply), version, keepAlive, false);
        });
      });
      return;
    }
    respond(std::move(out), version, keepAlive, in.method == "HEAD");
  }

  void respond(ApiReply out, unsigned version, bool keepAlive, bool head) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(out.status), version);
    res->set(http::field::server, "aspm-store");
    res->set(http::field::content_type, "application/json");
    res->set(http::field::cache_control, "no-store");
    for (const auto& [k, v] : out.headers) res->set(k, v);
    res->keep_alive(keepAlive);
    res->body() = std::move(out.body);
    if (head) res->body().clear();
    res->prepare_payload();
    write(res);
  }

  void reply(int status, std::string body, bool keepAlive) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status), 11);
    res->set(http::field::server, "aspm-store");
    res->set(http::field::content_type, "application/json");
    res->keep_alive(keepAlive);
    res->body() = std::move(body);
    res->prepare_payload();
    write(res);
  }

  void write(const std::shared_ptr<http::response<http::string_body>>& res) {
    lowest().expires_after(kIdleTimeout);
    http::async_write(stream_, *res, [self = this->shared_from_this(), res](beast::error_code ec, std::size_t) {
      if (ec) {
        self->close();
        return;
      }
      if (res->need_eof()) {
        self->finish();
        return;
      }
      self->read();
    });
  }

  void close() { closeNow(stream_); }

  // The orderly end of a connection: over TLS, a close_notify first (bounded in time), so the
  // client can tell the end from a truncation.
  void finish() {
    if constexpr (kIsTls<Stream>) {
      lowest().expires_after(kTlsShutdownTimeout);
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->close(); });
    } else {
      close();
    }
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Api& api_;
  ListenerOptions options_;
  std::shared_ptr<WriteBatch> batch_;
};

}  // namespace

Listener::Listener(asio::io_context& ioc, Api& api, ListenerOptions options)
    : ioc_(ioc), acceptor_(ioc), api_(api), options_(options), batch_(std::make_shared<WriteBatch>(ioc, api)) {}

tcp::endpoint Listener::bind(const tcp::endpoint& at) {
  acceptor_.open(at.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(at);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  return acceptor_.local_endpoint();
}

std::string Listener::enableTls(const std::string& certChainFile, const std::string& keyFile) {
  auto readable = [](const std::string& file) { return std::ifstream(file).good(); };
  if (!readable(certChainFile)) return "cannot read the TLS certificate file '" + certChainFile + "'";
  if (!readable(keyFile)) return "cannot read the TLS key file '" + keyFile + "'";
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_compression |
                       asio::ssl::context::single_dh_use);
  auto reason = [](const beast::error_code& ec) {
    ERR_clear_error();
    return ec.message();
  };
  beast::error_code ec;
  context->use_certificate_chain_file(certChainFile, ec);
  if (ec) return "cannot use the TLS certificate file '" + certChainFile + "' (expected a PEM certificate chain): " + reason(ec);
  context->use_private_key_file(keyFile, asio::ssl::context::pem, ec);
  if (ec)
    return "cannot use the TLS key file '" + keyFile + "' with the certificate '" + certChainFile +
           "' (expected the certificate's PEM private key): " + reason(ec);
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    ERR_clear_error();
    return "the TLS key file '" + keyFile + "' does not match the certificate '" + certChainFile + "'";
  }
  tls_ = std::move(context);
  return {};
}

void Listener::start() { accept(); }

void Listener::stop() {
  beast::error_code ignored;
  acceptor_.close(ignored);
}

void Listener::accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [self = shared_from_this()](beast::error_code ec, tcp::socket s) {
    if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
    if (!ec) {
      if (self->tls_) self->startTls(std::move(s));
      else std::make_shared<Session<PlainStream>>(PlainStream(std::move(s)), beast::flat_buffer(), self->api_, self->options_, self->batch_)->start();
    }
    self->accept();
  });
}

// Looks at the first bytes: a TLS ClientHello starts the HTTPS session (those bytes are handed to
// the handshake); anything else is a plain-HTTP client on the HTTPS port, told so in plain HTTP.
void Listener::startTls(tcp::socket socket) {
  struct Probe {
    PlainStream stream;
    beast::flat_buffer buffer;
  };
  auto probe = std::make_shared<Probe>(Probe{PlainStream(std::move(socket)), {}});
  probe->stream.expires_after(kHandshakeTimeout);
  beast::async_detect_ssl(probe->stream, probe->buffer, [self = shared_from_this(), probe](beast::error_code ec, bool tls) {
    if (ec) {
      closeNow(probe->stream);
      return;
    }
    if (tls) {
      std::make_shared<Session<TlsStream>>(TlsStream(std::move(probe->stream), *self->tls_), std::move(probe->buffer),
                                           self->api_, self->options_, self->batch_)
          ->start();
      return;
    }
    auto res = std::make_shared<http::response<http::string_body>>(http::status::bad_request, 11);
    res->set(http::field::server, "aspm-store");
    res->set(http::field::content_type, "application/json");
    res->keep_alive(false);
    res->body() = R"({"error":"this port serves HTTPS: use an https:// URL"})";
    res->prepare_payload();
    http::async_write(probe->stream, *res, [probe, res](beast::error_code, std::size_t) { closeNow(probe->stream); });
  });
}

}  // namespace aspm::store::server
