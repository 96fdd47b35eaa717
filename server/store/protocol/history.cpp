// Boost.JSON writer for the finding-history reply (see history.h).
#include "store/protocol/history.h"

#include <boost/json.hpp>

namespace aspm::store::protocol {
namespace json = boost::json;

std::string historyJson(std::string_view project, const std::vector<HistoryEntry>& entries) {
  json::object o;
  o["project"] = project;
  json::array a;
  a.reserve(entries.size());
  for (const auto& e : entries) {
    json::object x;
    x["fingerprint"] = e.fingerprint;
    x["repository"] = e.repository;
    x["kind"] = e.kind;
    x["severity"] = e.severity;
    x["firstSeen"] = e.firstSeen;
    x["lastSeen"] = e.lastSeen;
    x["fixedAt"] = e.fixedAt.empty() ? json::value(nullptr) : json::value(e.fixedAt);
    a.push_back(std::move(x));
  }
  o["findings"] = std::move(a);
  return json::serialize(o);
}

}  // namespace aspm::store::protocol
