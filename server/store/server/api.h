// The store's REST API as one synchronous function from request to reply, with no sockets:
// routing, authentication, roles and status codes live here so they are tested without a
// network, and the Beast layer (listener.h) only moves bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db/database.h"

namespace aspm::store::server {

class EventHub;
class Ticketing;

struct ApiOptions {
  // A developer's accepted_risk stays pending until a security or admin token approves it.
  bool requireApprovalForAcceptedRisk = true;
  // Scan kinds every repository should have a recent scan of (the KPIs' scan coverage).
  std::vector<std::string> requiredScans = {"sast", "sca", "secrets"};
};

struct ApiRequest {
  std::string method;  // "GET", "PUT", ...
  std::string target;  // path and query, as sent
  std::string authorization;
  std::string ifMatch;
  std::string idempotencyKey;
  std::string lastEventId;  // Last-Event-ID, sent by event-stream clients when they resume
  std::string body;
};

// GET …/events passed authentication: the transport opens a stream of the project's decision
// changes after version `since` (replayed from storage first, then live).
struct StreamStart {
  std::string project;
  std::int64_t since = 0;
};

struct ApiReply {
  int status = 200;
  std::string body;  // JSON
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<StreamStart> stream;  // set only on a 200 for the events route
  // handleDeferred() only: a decision PUT that passed every check and is still to be applied
  // (with others arriving at the same time, by applyWrites()).
  std::optional<db::DecisionWrite> write;
};

class Api {
 public:
  // `events`, when given, receives every applied write after its transaction committed.
  Api(db::Database& db, ApiOptions options, EventHub* events = nullptr) : db_(db), options_(options), events_(events) {}
  // Never throws: storage failures become 500 with a JSON error.
  ApiReply handle(const ApiRequest& request);
  // As handle(), except that a valid decision PUT is returned unapplied in `write`, so that the
  // transport can commit the PUTs of several connections in one transaction.
  ApiReply handleDeferred(const ApiRequest& request);
  // Applies deferred writes together; one reply per write, in order. Never throws.
  std::vector<ApiReply> applyWrites(const std::vector<db::DecisionWrite>& writes);
  // The decisions a stream starting after `since` must replay, oldest first: the current state of
  // every decision changed since then (one per fingerprint). Empty on a storage failure, which
  // the caller reports by closing the stream so the client resumes.
  std::vector<model::StoredDecision> replay(const StreamStart& stream, std::string& error);
  // Scan uploads are offered to the ticketing rules once recorded (none: no tickets are opened).
  void setTicketing(Ticketing* ticketing) { ticketing_ = ticketing; }

 private:
  ApiReply route(const ApiRequest& request, bool deferWrites);
  ApiReply written(const db::WriteResult& r);
  void published(const std::optional<model::StoredDecision>& d);
  db::Database& db_;
  ApiOptions options_;
  EventHub* events_;
  Ticketing* ticketing_ = nullptr;
};

}  // namespace aspm::store::server
