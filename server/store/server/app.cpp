// serve and token create: open the database, wire Api and the event hub to the listener, and
// shut down cleanly on SIGTERM/SIGINT (stop accepting, let the running handler finish, drop the
// event streams, whose clients resume from storage; every acknowledged write is already
// committed).
#include "store/server/app.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>

#include <malloc.h>

#include <charconv>
#include <csignal>
#include <cstdio>
#include <iostream>

#include "store/db/database.h"
#include "store/server/api.h"
#include "store/server/events.h"
#include "store/server/listener.h"
#include "store/server/ticketing.h"
#include "store/server/token.h"
#include "store/server/webhook_client.h"

namespace aspm::store::server {
namespace asio = boost::asio;

int serve(const ServeOptions& options) {
  if (options.tlsCert.empty() != options.tlsKey.empty()) {
    std::cerr << "aspm-store: --tls-cert and --tls-key go together (a PEM certificate chain and its private key)\n";
    return 2;
  }
  const auto colon = options.listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "aspm-store: --listen must be ADDRESS:PORT, got '" << options.listen << "'\n";
    return 2;
  }
  std::string host = options.listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string portText = options.listen.substr(colon + 1);
  unsigned port = 0;
  const auto [p, pec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
  if (pec != std::errc() || p != portText.data() + portText.size() || port > 65535) {
    std::cerr << "aspm-store: bad port in --listen '" << options.listen << "'\n";
    return 2;
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) {
    std::cerr << "aspm-store: bad address in --listen '" << options.listen << "': " << ec.message() << "\n";
    return 2;
  }

  // glibc hands the top of the heap back to the kernel whenever a request freed a large block,
  // and takes it again on the next: about a tenth of a decision write's CPU time was brk(). Keep
  // up to 64 MiB of freed heap for reuse instead.
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_TOP_PAD, 1 << 20);

  // Bad ticketing rules or a missing token variable stop the start: a store that silently opens no
  // tickets would look like one with nothing to report.
  std::optional<TicketingSetup> ticketingSetup;
  std::shared_ptr<asio::ssl::context> webhookTls;
  if (!options.ticketingFile.empty()) {
    std::string ticketingError;
    ticketingSetup = loadTicketing(options.ticketingFile, ticketingError);
    if (!ticketingSetup) {
      std::cerr << "aspm-store: the ticketing rules cannot be used:\n" << ticketingError << "\n";
      return 2;
    }
    webhookTls = makeWebhookTlsContext(ticketingError);
    if (!webhookTls) {
      std::cerr << "aspm-store: " << ticketingError << "\n";
      return 2;
    }
  }

  std::string error;
  auto db = db::open(options.dbUrl, error);
  if (!db) {
    std::cerr << "aspm-store: cannot open the database: " << error << "\n";
    return 1;
  }
  // Declared before the io_context: streams still queued in it unsubscribe when it is destroyed.
  EventHub events;
  ApiOptions apiOptions;
  apiOptions.requireApprovalForAcceptedRisk = options.requireApproval;
  apiOptions.requiredScans = options.requiredScans;
  Api api(*db, apiOptions, &events);
  asio::io_context ioc;
  std::optional<Ticketing> ticketing;
  std::shared_ptr<TicketSender> sender;
  if (ticketingSetup) {
    ticketing.emplace(*db, std::move(*ticketingSetup));
    sender = std::make_shared<TicketSender>(ioc, *db, *ticketing, webhookTls);
    ticketing->onQueued([weak = std::weak_ptr<TicketSender>(sender)] {
      if (auto s = weak.lock()) s->wake();
    });
    api.setTicketing(&*ticketing);
  }
  ListenerOptions listenerOptions;
  listenerOptions.maxBodyBytes = options.maxBodyBytes;
  listenerOptions.events = &events;
  listenerOptions.heartbeat = options.heartbeat;
  listenerOptions.eventQueueLimit = options.eventQueueLimit;
  auto listener = std::make_shared<Listener>(ioc, api, listenerOptions);
  if (!options.tlsCert.empty()) {
    if (const std::string tlsError = listener->enableTls(options.tlsCert, options.tlsKey); !tlsError.empty()) {
      std::cerr << "aspm-store: " << tlsError << "\n";
      return 2;
    }
  }
  asio::ip::tcp::endpoint bound;
  try {
    bound = listener->bind({address, static_cast<unsigned short>(port)});
  } catch (const boost::system::system_error& e) {
    std::cerr << "aspm-store: cannot listen on " << options.listen << ": " << e.code().message() << "\n";
    return 1;
  }
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& sec, int) {
    if (sec) return;
    std::cerr << "aspm-store: shutting down\n";
    listener->stop();
    if (sender) sender->stop();
    ioc.stop();
  });
  listener->start();
  if (sender) {
    sender->start();
    std::cerr << "aspm-store: ticketing: " << ticketing->setup().rules.rules.size() << " rule(s), "
              << ticketing->setup().rules.targets.size() << " target(s) from " << options.ticketingFile << "\n";
  }
  const std::string shown = bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
  std::cout << "listening on " << shown << ":" << bound.port() << std::endl;
  if (!options.tlsCert.empty()) std::cerr << "aspm-store: serving HTTPS (TLS 1.2 or later)\n";
  ioc.run();
  return 0;
}

std::optional<std::string> createToken(const TokenOptions& options, std::string& error) {
  const auto role = model::storeRoleFromString(options.role);
  if (!role) {
    error = "--role must be developer, security or admin, got '" + options.role + "'";
    return std::nullopt;
  }
  if (options.project.empty()) {
    error = "--project is required";
    return std::nullopt;
  }
  auto db = db::open(options.dbUrl, error);
  if (!db) return std::nullopt;
  const std::string token = generateToken();
  if (token.empty()) {
    error = "the random number generator failed";
    return std::nullopt;
  }
  db::TokenRecord record;
  record.project = options.project;
  record.role = *role;
  record.name = options.name.empty() ? options.role : options.name;
  record.expires = options.expiresAt;
  try {
    db->addToken(hashToken(token), record);
  } catch (const db::DbError& e) {
    error = e.what();
    return std::nullopt;
  }
  return token;
}

}  // namespace aspm::store::server
