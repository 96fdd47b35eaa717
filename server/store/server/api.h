// The store's REST API as one synchronous function from request to reply, with no sockets:
// routing, authentication, roles and status codes live here so they are tested without a
// network, and the Beast layer (listener.h) only moves bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/db/database.h"

namespace aspm::store::server {

struct ApiOptions {
  // A developer's accepted_risk stays pending until a security or admin token approves it.
  bool requireApprovalForAcceptedRisk = true;
};

struct ApiRequest {
  std::string method;  // "GET", "PUT", ...
  std::string target;  // path and query, as sent
  std::string authorization;
  std::string ifMatch;
  std::string idempotencyKey;
  std::string body;
};

struct ApiReply {
  int status = 200;
  std::string body;  // JSON
  std::vector<std::pair<std::string, std::string>> headers;
};

class Api {
 public:
  Api(db::Database& db, ApiOptions options) : db_(db), options_(options) {}
  // Never throws: storage failures become 500 with a JSON error.
  ApiReply handle(const ApiRequest& request);

 private:
  ApiReply route(const ApiRequest& request);
  db::Database& db_;
  ApiOptions options_;
};

}  // namespace aspm::store::server
