// Boost.Beast on a private io_context: each step is started asynchronously and the context is run
// until it finishes, so tcp_stream's expiry bounds every step and another thread can abort it.
// Over TLS the same steps run on the TLS stream, after a handshake that verifies the store.
#include "store/client/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

#include "store/client/tls.h"

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
  constexpr std::string_view kHttps = "https://";
  std::string rest;
  if (url.starts_with(kHttps)) {
    out.tls.enabled = true;
    out.port = "443";
    rest = url.substr(kHttps.size());
  } else if (url.starts_with(kHttp)) {
    rest = url.substr(kHttp.size());
  } else {
    out.error = "the store URL must start with http:// or https:// (got '" + url + "')";
    return out;
  }
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
  TlsSettings tlsSettings;
  std::shared_ptr<asio::ssl::context> tls;  // made on first use; null for plain HTTP
  std::string tlsError;                     // the context could not be made (the CA file)
  asio::io_context ioc;
  ClientStream stream;
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
      if (stream.has_value()) stream.tcp().socket().close();
      ioc.restart();
      ioc.run();
      result = asio::error::operation_aborted;
    }
    return result;
  }

  // Connects (and over TLS, shakes hands); on failure returns why, `refused` telling a TLS
  // refusal from a transport failure.
  std::string connect(bool& refused) {
    refused = false;
    if (tlsSettings.enabled && !tls && tlsError.empty()) tls = makeClientTlsContext(tlsSettings, tlsError);
    if (tlsSettings.enabled && !tls) {
      refused = true;
      return tlsError;
    }
    const std::string where = host + ":" + port;
    // Resolved synchronously: store URLs are mostly addresses or local names, and an
    // asynchronous resolve could not be abandoned safely on interrupt.
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    const auto endpoints = resolver.resolve(host, port, ec);
    if (ec) return "cannot connect to " + where + ": " + ec.message();
    stream.emplace(ioc, tls.get());
    stream.tcp().expires_after(timeout);
    ec = step([&](auto handler) {
      stream.tcp().async_connect(endpoints, [handler](beast::error_code e, const tcp::endpoint&) mutable { handler(e); });
    });
    if (ec) {
      stream.reset();
      return "cannot connect to " + where + ": " + ec.message();
    }
    if (!stream.isTls()) return {};
    if (std::string bad = stream.expectHost(host); !bad.empty()) {
      stream.reset();
      refused = true;
      return bad;
    }
    stream.tcp().expires_after(timeout);
    ec = step([&](auto handler) { stream.tls().async_handshake(asio::ssl::stream_base::client, handler); });
    if (ec) {
      std::string why = ec == beast::error::timeout
                            ? "TLS handshake with " + where + ": no answer within " + std::to_string(timeout.count()) + " ms"
                            : stream.describeHandshakeFailure(ec, where, refused);
      stream.reset();
      return why;
    }
    return {};
  }
};

HttpClient::HttpClient(std::string host, std::string port, std::chrono::milliseconds timeout, TlsSettings tls)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = std::move(port);
  impl_->timeout = timeout;
  impl_->tlsSettings = std::move(tls);
}

HttpClient::~HttpClient() = default;

void HttpClient::interrupt() { impl_->ioc.stop(); }

void HttpClient::disconnect() {
  if (impl_->stream.has_value()) {
    // No TLS close_notify: nothing is in flight when the client lets a connection go.
    beast::error_code ec;
    impl_->stream.tcp().socket().shutdown(tcp::socket::shutdown_both, ec);
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
      if (std::string why = m.connect(out.tlsRefused); !why.empty()) {
        out.error = std::move(why);
        return out;
      }
    }
    m.stream.tcp().expires_after(m.timeout);
    ec = m.stream.visit([&](auto& s) { return m.step([&](auto handler) { http::async_write(s, req, handler); }); });
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBody);
    if (!ec) {
      m.stream.tcp().expires_after(m.timeout);
      ec = m.stream.visit([&](auto& s) { return m.step([&](auto handler) { http::async_read(s, m.buffer, parser, handler); }); });
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
