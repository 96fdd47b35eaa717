// Live decision changes for the server-sent events route (GET /v1/projects/{p}/events). The hub
// knows nothing about sockets: Api publishes each committed write here, and every open stream of
// that project gets the same formatted event, made once and shared, so a hundred subscribers
// cost a hundred pointers rather than a hundred copies.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "model/triage.h"

namespace aspm::store::server {

// One decision as an SSE event: `id: <version>`, `event: decision`, `data: <decision JSON>`.
std::string formatDecisionEvent(const model::StoredDecision& d);

class EventHub {
 public:
  // Receives each event of the subscribed project. Called on the publishing thread with no lock
  // held, so a subscriber hands the event to its own executor and returns at once.
  using Deliver = std::function<void(const std::shared_ptr<const std::string>& event, std::int64_t version)>;

  // Returns an id for unsubscribe().
  std::uint64_t subscribe(const std::string& project, Deliver deliver);
  void unsubscribe(std::uint64_t id);
  // Called after the write's transaction committed.
  void publish(const model::StoredDecision& d);
  std::size_t subscribers() const;

 private:
  struct Subscriber {
    std::string project;
    Deliver deliver;
  };
  mutable std::mutex mu_;
  std::uint64_t next_ = 1;
  std::map<std::uint64_t, Subscriber> subscribers_;
};

}  // namespace aspm::store::server
