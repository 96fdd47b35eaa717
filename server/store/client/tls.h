// TLS for the store client's connections to an https:// store (internal to store/client): one
// context per client trusting the system's CAs plus an optional CA file, and one stream type
// that is either plain TCP or TLS over it, so the HTTP and event-stream code is written once.
// The server's certificate is always verified, for the host name of the URL (SNI included).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <memory>
#include <optional>
#include <string>

#include "store/client/http_client.h"

namespace aspm::store::client {

// The client context for these settings, or null with `error` set (an unreadable CA file).
std::shared_ptr<boost::asio::ssl::context> makeClientTlsContext(const TlsSettings& settings, std::string& error);

class ClientStream {
 public:
  using Tls = boost::asio::ssl::stream<boost::beast::tcp_stream>;

  // Plain when `context` is null.
  void emplace(boost::asio::io_context& ioc, boost::asio::ssl::context* context);
  bool has_value() const { return plain_.has_value() || tls_.has_value(); }
  bool isTls() const { return tls_.has_value(); }
  void reset();
  boost::beast::tcp_stream& tcp();
  Tls& tls() { return *tls_; }

  // Calls f with the stream to read and write (the TLS stream or the TCP stream).
  template <typename F>
  decltype(auto) visit(F&& f) {
    if (tls_) return f(*tls_);
    return f(*plain_);
  }

  // Before the handshake: SNI and the name (or address) the certificate must be valid for.
  std::string expectHost(const std::string& host);
  // Why a handshake failed, in words, and whether it is a refusal (the certificate or the TLS
  // setup is wrong: retrying will not help) rather than a transport failure.
  std::string describeHandshakeFailure(const boost::beast::error_code& ec, const std::string& where, bool& refused);

 private:
  std::optional<boost::beast::tcp_stream> plain_;
  std::optional<Tls> tls_;
};

}  // namespace aspm::store::client
