// The HTTP/1.1 front of the store on Boost.Beast: accepts connections, reads bounded requests,
// hands them to Api and writes the replies, with keep-alive and idle timeouts.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstddef>
#include <memory>

#include "store/server/api.h"

namespace aspm::store::server {

struct ListenerOptions {
  std::size_t maxBodyBytes = 1024 * 1024;
  std::size_t maxHeaderBytes = 16 * 1024;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, Api& api, ListenerOptions options);
  // Binds and listens; returns the bound endpoint (the real port when 0 was asked).
  boost::asio::ip::tcp::endpoint bind(const boost::asio::ip::tcp::endpoint& at);
  void start();
  void stop();

 private:
  void accept();
  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Api& api_;
  ListenerOptions options_;
};

}  // namespace aspm::store::server
