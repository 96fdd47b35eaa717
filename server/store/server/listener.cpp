// One Session per connection: read a request with size limits, answer it, repeat while the
// client keeps the connection alive. Oversized requests get 413 and the connection is closed,
// because the rest of the body is still in flight and cannot be skipped safely.
#include "store/server/listener.h"

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <optional>

namespace aspm::store::server {
namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(30);

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Api& api, ListenerOptions options)
      : stream_(std::move(socket)), api_(api), options_(options) {}

  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(options_.maxBodyBytes);
    parser_->header_limit(static_cast<std::uint32_t>(options_.maxHeaderBytes));
    stream_.expires_after(kIdleTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
  }

  void onRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted) {
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
    in.body = req.body();
    ApiReply out = api_.handle(in);
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(out.status), req.version());
    res->set(http::field::server, "aspm-store");
    res->set(http::field::content_type, "application/json");
    res->set(http::field::cache_control, "no-store");
    for (const auto& [k, v] : out.headers) res->set(k, v);
    res->keep_alive(req.keep_alive());
    res->body() = std::move(out.body);
    if (in.method == "HEAD") res->body().clear();
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
    stream_.expires_after(kIdleTimeout);
    http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
      if (ec || res->need_eof()) {
        self->close();
        return;
      }
      self->read();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Api& api_;
  ListenerOptions options_;
};

}  // namespace

Listener::Listener(asio::io_context& ioc, Api& api, ListenerOptions options)
    : ioc_(ioc), acceptor_(ioc), api_(api), options_(options) {}

tcp::endpoint Listener::bind(const tcp::endpoint& at) {
  acceptor_.open(at.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(at);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  return acceptor_.local_endpoint();
}

void Listener::start() { accept(); }

void Listener::stop() {
  beast::error_code ignored;
  acceptor_.close(ignored);
}

void Listener::accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [self = shared_from_this()](beast::error_code ec, tcp::socket s) {
    if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
    if (!ec) std::make_shared<Session>(std::move(s), self->api_, self->options_)->start();
    self->accept();
  });
}

}  // namespace aspm::store::server
