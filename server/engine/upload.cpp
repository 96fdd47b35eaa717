// One request each, over the store client's HTTP client (keep-alive is of no use for one).
#include "engine/upload.h"

#include "store/client/http_client.h"

namespace aspm::engine {
namespace {

support::WithProblems<std::string> exchange(const StoreTarget& store, const std::string& method,
                                            const std::string& collection, const std::string& query,
                                            const std::string& body, int expected) {
  support::WithProblems<std::string> out;
  auto problem = [&](std::string message) {
    out.problems.push_back({store.url, "", std::move(message), support::ProblemSeverity::Fatal});
    return out;
  };
  const store::client::StoreUrl url = store::client::parseStoreUrl(store.url);
  if (!url.error.empty()) return problem(url.error);
  if (store.project.empty()) return problem("--project is required with --store");
  if (store.token.empty()) return problem("no token: set ASPM_TOKEN to a token of project '" + store.project + "'");
  store::client::HttpClient http(url.host, url.port, store.timeout, url.tls);
  const std::string target =
      url.basePath + "/v1/projects/" + store::client::encodePathSegment(store.project) + "/" + collection + query;
  const store::client::HttpResponse res =
      http.request(method, target, {{"Authorization", "Bearer " + store.token}, {"Accept", "application/json"}}, body);
  if (res.status == 0) return problem(res.tlsRefused ? res.error : "store unreachable: " + res.error);
  if (res.status != expected)
    return problem("store answered " + std::to_string(res.status) + " to " + method + " " + target + ": " +
                   res.body.substr(0, 300));
  out.value = res.body;
  return out;
}

}  // namespace

support::WithProblems<std::string> uploadScan(const StoreTarget& store, const std::string& body) {
  return exchange(store, "POST", "scans", "", body, 201);
}

support::WithProblems<std::string> fetchKpis(const StoreTarget& store, int days) {
  return exchange(store, "GET", "kpis", "?days=" + std::to_string(days), "", 200);
}

support::WithProblems<std::string> fetchFindingHistory(const StoreTarget& store) {
  return exchange(store, "GET", "findings", "", "", 200);
}

}  // namespace aspm::engine
