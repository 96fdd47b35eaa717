// OpenSSL through Boost.Asio. Host checking is OpenSSL's own (X509_VERIFY_PARAM): a DNS name is
// matched against the certificate's names, an IP address against its IP addresses, and the
// handshake fails when neither matches. TLS 1.2 is the oldest version offered.
#include "store/client/tls.h"

#include <boost/asio/ip/address.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <fstream>

namespace aspm::store::client {
namespace asio = boost::asio;
namespace beast = boost::beast;

std::shared_ptr<asio::ssl::context> makeClientTlsContext(const TlsSettings& settings, std::string& error) {
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_verify_mode(asio::ssl::verify_peer);
  beast::error_code ec;
  context->set_default_verify_paths(ec);  // the system trust store; an empty one is not an error
  ERR_clear_error();
  std::string caFile = settings.caFile;
  if (caFile.empty()) {
    if (const char* env = std::getenv("ASPM_STORE_CA")) caFile = env;
  }
  if (!caFile.empty()) {
    if (!std::ifstream(caFile).good()) {
      error = "cannot read the store's CA file '" + caFile + "' (ASPM_STORE_CA)";
      return nullptr;
    }
    context->load_verify_file(caFile, ec);
    if (ec) {
      error = "cannot use the store's CA file '" + caFile + "' (ASPM_STORE_CA; expected PEM certificates): " + ec.message();
      ERR_clear_error();
      return nullptr;
    }
  }
  return context;
}

void ClientStream::emplace(asio::io_context& ioc, asio::ssl::context* context) {
  reset();
  if (context) tls_.emplace(beast::tcp_stream(ioc), *context);
  else plain_.emplace(ioc);
}

void ClientStream::reset() {
  tls_.reset();
  plain_.reset();
}

beast::tcp_stream& ClientStream::tcp() { return tls_ ? tls_->next_layer() : *plain_; }

std::string ClientStream::expectHost(const std::string& host) {
  SSL* ssl = tls_->native_handle();
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  if (!ec) {
    // An address: checked against the certificate's IP addresses; SNI carries names only.
    if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) return "cannot check the certificate for " + host;
    return {};
  }
  // SSL_set_tlsext_host_name spelled out: the macro's C cast trips the warning set.
  if (X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) != 1 ||
      SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(host.c_str())) != 1) {
    ERR_clear_error();
    return "cannot check the certificate for " + host;
  }
  return {};
}

std::string ClientStream::describeHandshakeFailure(const beast::error_code& ec, const std::string& where, bool& refused) {
  refused = false;
  if (tls_) {
    const long verify = SSL_get_verify_result(tls_->native_handle());
    if (verify != X509_V_OK) {
      refused = true;
      ERR_clear_error();
      std::string hint;
      switch (verify) {
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
          hint = " (a store with a private CA needs ASPM_STORE_CA=<CA file>)";
          break;
        case X509_V_ERR_HOSTNAME_MISMATCH:
        case X509_V_ERR_IP_ADDRESS_MISMATCH:
          hint = " (the certificate is not valid for the host of the store URL)";
          break;
        default: break;
      }
      return "the TLS certificate of " + where + " was refused: " + X509_verify_cert_error_string(verify) + hint;
    }
  }
  if (ec.category() == asio::error::get_ssl_category()) {
    // Not a certificate problem but TLS itself failed: a plain-HTTP server, no common protocol
    // version. Also a configuration matter, not an outage.
    refused = true;
    ERR_clear_error();
    return "TLS handshake with " + where + " failed: " + ec.message() + " (is it an https:// store?)";
  }
  return "TLS handshake with " + where + " failed: " + ec.message();
}

}  // namespace aspm::store::client
