// A small blocking HTTP/1.1 client for the store's REST API, used from the sync client's own
// thread. Every request has a deadline (a silent store cannot hang the sync thread), the
// connection is kept alive between requests, and a kept-alive connection the server closed is
// reopened once. Errors are values: transport failures ("store unreachable") are told apart from
// HTTP answers, because the sync client backs off on the first and reports the second. An
// https:// store is reached over TLS with its certificate verified (see TlsSettings).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aspm::store::client {

// TLS of a connection to an https:// store. The server's certificate must chain to the system's
// trust store or to the CA file, and be valid for the URL's host; otherwise nothing is sent.
struct TlsSettings {
  bool enabled = false;
  std::string caFile;  // PEM CA certificates also trusted; empty: the ASPM_STORE_CA environment variable
};

// The parts of an http:// or https:// URL the client needs. `error` is set for anything else.
struct StoreUrl {
  std::string host;
  std::string port = "80";  // 443 for https://
  std::string basePath;     // without a trailing slash ("" or "/prefix")
  std::string error;
  TlsSettings tls;          // enabled for https://
};
StoreUrl parseStoreUrl(const std::string& url);

// Percent-encodes one path segment (RFC 3986 unreserved characters stay as they are).
std::string encodePathSegment(std::string_view s);

struct HttpResponse {
  int status = 0;  // 0: no answer (see error)
  std::string body;
  std::string error;  // transport failure: connect, timeout, reset, malformed reply
  // With status 0: TLS refused the store (its certificate, the CA file, no common protocol).
  // Unlike an outage, retrying will not help until the configuration changes.
  bool tlsRefused = false;
};

class HttpClient {
 public:
  HttpClient(std::string host, std::string port, std::chrono::milliseconds timeout, TlsSettings tls = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse request(const std::string& method, const std::string& target,
                       const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body = {});
  // Aborts a request in progress (from another thread); later requests work again.
  void interrupt();
  // Drops the kept-alive connection.
  void disconnect();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aspm::store::client
