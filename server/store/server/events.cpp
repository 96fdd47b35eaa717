// The event hub and the SSE framing of one decision. The decision JSON is the same text as one
// item of GET …/decisions, and it never holds a raw newline (JSON escapes them), so it is always
// exactly one `data:` line.
#include "store/server/events.h"

#include "store/protocol/messages.h"

namespace aspm::store::server {

std::string formatDecisionEvent(const model::StoredDecision& d) {
  std::string out = "id: " + std::to_string(d.version) + "\nevent: decision\ndata: ";
  out += protocol::decisionJson(d);
  out += "\n\n";
  return out;
}

std::uint64_t EventHub::subscribe(const std::string& project, Deliver deliver) {
  std::lock_guard lock(mu_);
  const std::uint64_t id = next_++;
  subscribers_.emplace(id, Subscriber{project, std::move(deliver)});
  return id;
}

void EventHub::unsubscribe(std::uint64_t id) {
  std::lock_guard lock(mu_);
  subscribers_.erase(id);
}

void EventHub::publish(const model::StoredDecision& d) {
  std::vector<Deliver> targets;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, s] : subscribers_)
      if (s.project == d.project) targets.push_back(s.deliver);
  }
  if (targets.empty()) return;
  const auto event = std::make_shared<const std::string>(formatDecisionEvent(d));
  for (const auto& deliver : targets) deliver(event, d.version);
}

std::size_t EventHub::subscribers() const {
  std::lock_guard lock(mu_);
  return subscribers_.size();
}

}  // namespace aspm::store::server
