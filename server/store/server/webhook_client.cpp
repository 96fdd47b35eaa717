// The outbound POST of webhook_client.h as one Beast operation object that owns its stream, so
// nothing it uses can go away while a handler is pending.
#include "store/server/webhook_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <fstream>
#include <optional>

namespace aspm::store::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

HttpUrl parseHttpUrl(const std::string& url) {
  HttpUrl out;
  std::string rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    out.tls = false;
    rest = url.substr(7);
  } else {
    return out;
  }
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  out.base = slash == std::string::npos ? std::string() : rest.substr(slash);
  while (out.base.ends_with('/')) out.base.pop_back();
  if (authority.find('@') != std::string::npos) return out;  // credentials in URLs are refused: host stays empty
  std::string port = out.tls ? "443" : "80";
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) return out;
    if (close + 1 < authority.size() && authority[close + 1] == ':') port = authority.substr(close + 2);
    authority = authority.substr(1, close - 1);
  } else if (const auto colon = authority.rfind(':'); colon != std::string::npos) {
    port = authority.substr(colon + 1);
    authority = authority.substr(0, colon);
  }
  if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos) return out;
  out.host = authority;
  out.port = port;
  return out;
}

std::shared_ptr<asio::ssl::context> makeWebhookTlsContext(std::string& error) {
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_verify_mode(asio::ssl::verify_peer);
  beast::error_code ec;
  context->set_default_verify_paths(ec);  // an empty system store is not an error; the handshake will say
  ERR_clear_error();
  if (const char* ca = std::getenv("ASPM_TICKETING_CA"); ca && *ca) {
    if (!std::ifstream(ca).good()) {
      error = std::string("cannot read ASPM_TICKETING_CA '") + ca + "'";
      return nullptr;
    }
    context->load_verify_file(ca, ec);
    if (ec) {
      error = std::string("cannot use ASPM_TICKETING_CA '") + ca + "' (expected PEM certificates): " + ec.message();
      ERR_clear_error();
      return nullptr;
    }
  }
  return context;
}

namespace {

constexpr std::size_t kMaxReply = 1024 * 1024;

class Post : public std::enable_shared_from_this<Post> {
 public:
  Post(asio::io_context& ioc, asio::ssl::context& tls, HttpUrl url, std::function<void(HttpOutcome)> done)
      : ioc_(ioc), resolver_(ioc), url_(std::move(url)), done_(std::move(done)) {
    if (url_.tls) tls_.emplace(beast::tcp_stream(ioc_), tls);
    else plain_.emplace(ioc_);
  }

  void run(http::request<http::string_body> request, std::chrono::milliseconds timeout) {
    request_ = std::move(request);
    deadline_ = std::chrono::steady_clock::now() + timeout;
    resolver_.async_resolve(url_.host, url_.port, [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type r) {
      if (ec) return self->fail("cannot resolve " + self->url_.host + ": " + ec.message());
      self->tcp().expires_at(self->deadline_);
      self->tcp().async_connect(r, [self](beast::error_code cec, const tcp::endpoint&) {
        if (cec) return self->fail("cannot connect to " + self->url_.host + ":" + self->url_.port + ": " + cec.message());
        if (self->tls_) self->handshake();
        else self->write();
      });
    });
  }

 private:
  beast::tcp_stream& tcp() { return tls_ ? beast::get_lowest_layer(*tls_) : *plain_; }

  void handshake() {
    SSL* ssl = tls_->native_handle();
    // SNI; SSL_set_tlsext_host_name spelled out, as the macro's C cast trips the warning set.
    SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(url_.host.c_str()));
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    boost::system::error_code aec;
    asio::ip::make_address(url_.host, aec);
    if (!aec) X509_VERIFY_PARAM_set1_ip_asc(param, url_.host.c_str());
    else X509_VERIFY_PARAM_set1_host(param, url_.host.c_str(), 0);
    tls_->async_handshake(asio::ssl::stream_base::client, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->fail("TLS with " + self->url_.host + " failed: " + ec.message());
      self->write();
    });
  }

  void write() {
    auto onWritten = [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->fail("sending to " + self->url_.host + " failed: " + ec.message());
      self->read();
    };
    if (tls_) http::async_write(*tls_, request_, onWritten);
    else http::async_write(*plain_, request_, onWritten);
  }

  void read() {
    parser_.body_limit(kMaxReply);
    auto onRead = [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->fail("reading the reply of " + self->url_.host + " failed: " + ec.message());
      HttpOutcome out;
      const auto& res = self->parser_.get();
      out.status = static_cast<int>(res.result_int());
      out.body = res.body();
      if (const auto it = res.find(http::field::retry_after); it != res.end()) out.retryAfter = std::string(it->value());
      self->finish(std::move(out));
    };
    if (tls_) http::async_read(*tls_, buffer_, parser_, onRead);
    else http::async_read(*plain_, buffer_, parser_, onRead);
  }

  void fail(std::string error) {
    HttpOutcome out;
    out.error = std::move(error);
    finish(std::move(out));
  }

  void finish(HttpOutcome out) {
    beast::error_code ec;
    tcp().socket().shutdown(tcp::socket::shutdown_both, ec);
    tcp().close();
    if (done_) std::exchange(done_, nullptr)(std::move(out));
  }

  asio::io_context& ioc_;
  tcp::resolver resolver_;
  HttpUrl url_;
  std::function<void(HttpOutcome)> done_;
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  std::chrono::steady_clock::time_point deadline_;
  http::request<http::string_body> request_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
};

}  // namespace

void postJson(asio::io_context& ioc, asio::ssl::context& tls, const HttpUrl& url, const std::string& path,
              std::vector<std::pair<std::string, std::string>> headers, std::string body,
              std::chrono::milliseconds timeout, std::function<void(HttpOutcome)> done) {
  http::request<http::string_body> req{http::verb::post, url.base + path, 11};
  const bool defaultPort = (url.tls && url.port == "443") || (!url.tls && url.port == "80");
  const std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  req.set(http::field::host, defaultPort ? host : host + ":" + url.port);
  req.set(http::field::user_agent, "aspm-store");
  req.set(http::field::content_type, "application/json");
  req.set(http::field::accept, "application/json");
  for (auto& [name, value] : headers) req.set(name, value);
  req.body() = std::move(body);
  req.prepare_payload();
  std::make_shared<Post>(ioc, tls, url, std::move(done))->run(std::move(req), timeout);
}

}  // namespace aspm::store::server
