// Boost.Beast on a private io_context: each step is started asynchronously and the context is run
// until it finishes, so tcp_stream's expiry bounds every step and another thread can abort it.
#include "store/client/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace aspm::store::client {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {
constexpr std::uint64_t kMaxResponseBody = 512ull << 20;  // a full sync of a large project fits
}  // namespace

StoreUrl parseStoreUrl(const std::string& url) {
  StoreUrl out;
  constexpr std::string_view kHttp = "http://";
  if (url.starts_with("https://")) {
    out.error = "https:// store URLs are not supported yet: aspm-store serves plain HTTP (use http://, or a local TLS proxy)";
    return out;
  }
  if (!url.starts_with(kHttp)) {
    out.error = "the store URL must start with http:// (got '" + url + "')";
    return out;
  }
  std::string rest = url.substr(kHttp.size());
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) out.basePath = rest.substr(slash);
  while (!out.basePath.empty() && out.basePath.back() == '/') out.basePath.pop_back();
  if (authority.find('@') != std::string::npos) {
    out.error = "the store URL must not carry credentials; use the token setting";
    return out;
  }
  if (!authority.empty() && authority.front() == '[') {  // [::1]:8470
    const auto close = authority.find(']');
    if (close == std::string::npos) {
      out.error = "the store URL has an unterminated IPv6 address";
      return out;
    }
    out.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') out.port = authority.substr(close + 2);
  } else if (const auto colon = authority.rfind(':'); colon != std::string::npos) {
    out.host = authority.substr(0, colon);
    out.port = authority.substr(colon + 1);
  } else {
    out.host = authority;
  }
  if (out.host.empty()) out.error = "the store URL has no host";
  else if (out.port.empty() || out.port.size() > 5 ||
           out.port.find_first_not_of("0123456789") != std::string::npos || std::stoi(out.port) > 65535)
    out.error = "the store URL has a bad port '" + out.port + "'";
  return out;
}

std::string encodePathSegment(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

struct HttpClient::Impl {
  std::string host;
  std::string port;
  std::chrono::milliseconds timeout;
  asio::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  // Runs the context until the started operation completes (or interrupt() stops it).
  template <typename Start>
  beast::error_code step(Start start) {
    beast::error_code result = asio::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    if (result == asio::error::would_block) {
      // Interrupted: abort the operation and let its handler finish, so nothing refers to
      // this frame afterwards.
      if (stream) stream->socket().close();
      ioc.restart();
      ioc.run();
      result = asio::error::operation_aborted;
    }
    return result;
  }

  beast::error_code connect() {
    // Resolved synchronously: store URLs are mostly addresses or local names, and an
    // asynchronous resolve could not be abandoned safely on interrupt.
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    const auto endpoints = resolver.resolve(host, port, ec);
    if (ec) return ec;
    stream.emplace(ioc);
    stream->expires_after(timeout);
    ec = step([&](auto handler) { stream->async_connect(endpoints, [handler](beast::error_code e, const tcp::endpoint&) mutable { handler(e); }); });
    if (ec) stream.reset();
    return ec;
  }
};

HttpClient::HttpClient(std::string host, std::string port, std::chrono::milliseconds timeout) : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = std::move(port);
  impl_->timeout = timeout;
}

HttpClient::~HttpClient() = default;

void HttpClient::interrupt() { impl_->ioc.stop(); }

void HttpClient::disconnect() {
  if (impl_->stream) {
    beast::error_code ec;
    impl_->stream->socket().shutdown(tcp::socket::shutdown_both, ec);
    impl_->stream.reset();
  }
  impl_->buffer.clear();
}

HttpResponse HttpClient::request(const std::string& method, const std::string& target,
                                 const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
  HttpResponse out;
  Impl& m = *impl_;
  http::request<http::string_body> req;
  req.method(http::string_to_verb(method));
  req.target(target);
  req.version(11);
  req.set(http::field::host, m.host + ":" + m.port);
  req.set(http::field::user_agent, "aspm-sync");
  req.keep_alive(true);
  for (const auto& [k, v] : headers) req.set(k, v);
  if (!body.empty() || method == "PUT" || method == "POST") {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
  }
  req.prepare_payload();

  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = m.stream.has_value();
    beast::error_code ec;
    if (!reused) {
      m.buffer.clear();
      if ((ec = m.connect())) {
        out.error = "cannot connect to " + m.host + ":" + m.port + ": " + ec.message();
        return out;
      }
    }
    m.stream->expires_after(m.timeout);
    ec = m.step([&](auto handler) { http::async_write(*m.stream, req, handler); });
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBody);
    if (!ec) {
      m.stream->expires_after(m.timeout);
      ec = m.step([&](auto handler) { http::async_read(*m.stream, m.buffer, parser, handler); });
    }
    if (ec) {
      disconnect();
      // A kept-alive connection may have been closed by the server meanwhile: retry once on a
      // fresh one. Timeouts are not retried (the store is there but not answering).
      if (reused && ec != beast::error::timeout && ec != asio::error::operation_aborted) continue;
      out.error = (ec == beast::error::timeout ? std::string("no answer within ") + std::to_string(m.timeout.count()) + " ms"
                                               : ec.message()) +
                  " (" + m.host + ":" + m.port + ")";
      return out;
    }
    auto res = parser.release();
    out.status = static_cast<int>(res.result_int());
    out.body = std::move(res.body());
    if (!res.keep_alive()) disconnect();
    return out;
  }
  out.error = "the connection to " + m.host + ":" + m.port + " was closed twice";
  return out;
}

}  // namespace aspm::store::client
