// The HTTP/1.1 front of the store on Boost.Beast: accepts connections, reads bounded requests,
// hands them to Api and writes the replies, with keep-alive and idle timeouts. A request Api
// accepts as an event stream turns its connection into a server-sent events stream fed by the
// EventHub, with heartbeats and a bounded queue per client. With a certificate and key it speaks
// HTTPS (TLS 1.2 or later, OpenSSL) instead, with the same sessions over the encrypted stream.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "store/server/api.h"
#include "store/server/events.h"

namespace boost::asio::ssl {
class context;
}

namespace aspm::store::server {

struct ListenerOptions {
  std::size_t maxBodyBytes = 1024 * 1024;
  std::size_t maxHeaderBytes = 16 * 1024;
  EventHub* events = nullptr;                          // no hub: the events route is 404
  std::chrono::milliseconds heartbeat{15'000};         // `: keep-alive` comment on an idle stream
  std::size_t eventQueueLimit = 1024;                  // events waiting for a slow client before it is cut off
};

class WriteBatch;

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, Api& api, ListenerOptions options);
  // Binds and listens; returns the bound endpoint (the real port when 0 was asked).
  boost::asio::ip::tcp::endpoint bind(const boost::asio::ip::tcp::endpoint& at);
  // Serves HTTPS with this PEM certificate chain and private key (call before start()). Returns
  // an error naming the file at fault (unreadable, not PEM, or a key that does not match).
  std::string enableTls(const std::string& certChainFile, const std::string& keyFile);
  void start();
  void stop();

 private:
  void accept();
  void startTls(boost::asio::ip::tcp::socket socket);
  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Api& api_;
  ListenerOptions options_;
  std::shared_ptr<WriteBatch> batch_;
  std::shared_ptr<boost::asio::ssl::context> tls_;  // null: plain HTTP
};

}  // namespace aspm::store::server
