// One outbound HTTP(S) POST on the store's io_context, for ticket delivery to GitHub and Jira:
// resolve, connect, TLS (system trust store, host name checked, TLS 1.2 or later), write, read a
// bounded reply, close, all under one deadline. Never throws; the outcome says what happened so
// the sender can tell a retryable failure from a refusal.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace boost::asio::ssl {
class context;
}

namespace aspm::store::server {

// "https://host:port/base" split; `base` has no trailing slash.
struct HttpUrl {
  bool tls = true;
  std::string host;
  std::string port;
  std::string base;
};
// Empty host when `url` is not http:// or https:// with a host.
HttpUrl parseHttpUrl(const std::string& url);

struct HttpOutcome {
  int status = 0;          // 0: no HTTP reply (resolve, connect, TLS, timeout, malformed reply)
  std::string body;        // at most 1 MiB
  std::string retryAfter;  // the Retry-After header, when sent
  std::string error;       // status 0 only
};

// The client TLS context: verify against the system trust store plus ASPM_TICKETING_CA (a PEM
// file) when set. Null and `error` set when that file cannot be used.
std::shared_ptr<boost::asio::ssl::context> makeWebhookTlsContext(std::string& error);

// POSTs `body` (application/json) to `url.base + path`; `done` runs on the io_context exactly once.
void postJson(boost::asio::io_context& ioc, boost::asio::ssl::context& tls, const HttpUrl& url, const std::string& path,
              std::vector<std::pair<std::string, std::string>> headers, std::string body,
              std::chrono::milliseconds timeout, std::function<void(HttpOutcome)> done);

}  // namespace aspm::store::server
