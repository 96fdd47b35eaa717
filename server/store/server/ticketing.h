// Ticketing: findings of an uploaded scan that match a ticketing rule (policy/ticketing.h) get an
// issue in GitHub or Jira, once per fingerprint and target. The decision is taken and recorded
// synchronously while the upload is handled (a ticket row in state "pending": the outbox); the
// delivery runs later on the store's io_context with retries and backoff, so a slow or broken
// tracker never delays an upload, and a restart picks up whatever was still pending.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "policy/ticketing.h"
#include "store/db/database.h"
#include "store/protocol/messages.h"

namespace boost::asio::ssl {
class context;
}

namespace aspm::store::server {

// The rules plus what the environment gave them: each target's Authorization header value.
struct TicketingSetup {
  policy::TicketingRules rules;
  std::map<std::string, std::string> authorization;  // target name -> "Bearer …" / "Basic …"
};

// Reads the rules file and the targets' token variables. On failure returns nullopt and sets
// `error` to every problem, one per line, each "FILE: line N:M: message".
std::optional<TicketingSetup> loadTicketing(const std::string& path, std::string& error);

// The synchronous half: which findings get a ticket, and the ticket's text.
class Ticketing {
 public:
  Ticketing(db::Database& db, TicketingSetup setup) : db_(db), setup_(std::move(setup)) {}

  // Called after an upload was recorded: queues one ticket per (matching finding, target) that
  // has none yet and is not triaged away. Returns how many were queued; storage errors throw
  // db::DbError (the upload itself is already committed).
  std::int64_t scanRecorded(const std::string& project, const std::string& repository, const std::string& revision,
                            const std::vector<protocol::ScanFindingBody>& findings);
  // Runs after tickets were queued (the sender's wake-up); may be empty.
  void onQueued(std::function<void()> f) { queued_ = std::move(f); }

  // Whether a live triage decision keeps this fingerprint from getting a ticket.
  bool triagedAway(const std::string& project, const std::string& fingerprint, std::string& why);
  const TicketingSetup& setup() const { return setup_; }
  const policy::TicketTarget* target(const std::string& name) const;

 private:
  db::Database& db_;
  TicketingSetup setup_;
  std::function<void()> queued_;
};

// The delivery half: sends pending tickets one at a time, records the tracker's issue key, and
// retries failures that may pass with exponential backoff.
class TicketSender : public std::enable_shared_from_this<TicketSender> {
 public:
  TicketSender(boost::asio::io_context& ioc, db::Database& db, Ticketing& ticketing,
               std::shared_ptr<boost::asio::ssl::context> tls);
  // Failed tickets get another chance, then pending ones are sent.
  void start();
  // New tickets were queued: look now (safe from any thread).
  void wake();
  void stop();

 private:
  void pump();
  void send(db::TicketRecord ticket);
  void delivered(db::TicketRecord ticket, int status, const std::string& body, const std::string& retryAfter,
                 const std::string& error);
  void armTimer();

  boost::asio::io_context& ioc_;
  db::Database& db_;
  Ticketing& ticketing_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  boost::asio::steady_timer timer_;
  bool busy_ = false;
  bool stopped_ = false;
};

// Markdown (as GitHub renders it) to Jira's wiki markup, for the parts ticket bodies use:
// headings, bold, inline code, fenced code blocks, links and quotes.
std::string markdownToJiraWiki(const std::string& markdown);

}  // namespace aspm::store::server
