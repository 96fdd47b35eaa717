// GET /v1/projects/{project}/decisions with the project's bearer token.
#include "store/client/fetch.h"

#include "store/client/http_client.h"

namespace aspm::store::client {

support::WithProblems<std::vector<model::StoredDecision>> fetchDecisions(const SyncConfig& config) {
  support::WithProblems<std::vector<model::StoredDecision>> out;
  auto problem = [&](std::string message) {
    out.problems.push_back({config.url, "", std::move(message), support::ProblemSeverity::Warning});
    return out;
  };
  const StoreUrl url = parseStoreUrl(config.url);
  if (!url.error.empty()) return problem(url.error);
  if (config.project.empty()) return problem("no store project given");
  HttpClient http(url.host, url.port, config.requestTimeout, url.tls);
  const std::string target = url.basePath + "/v1/projects/" + encodePathSegment(config.project) + "/decisions?since=0";
  const HttpResponse res =
      http.request("GET", target, {{"Authorization", "Bearer " + config.token}, {"Accept", "application/json"}});
  if (res.status == 0)
    return problem((res.tlsRefused ? res.error : "store unreachable: " + res.error) +
                   "; triage decisions from the store are not applied");
  if (res.status != 200)
    return problem("store answered " + std::to_string(res.status) + " to GET " + target + ": " + res.body.substr(0, 200));
  DecisionList list = parseDecisionList(res.body);
  if (!list.error.empty()) return problem("store reply: " + list.error);
  out.value = std::move(list.decisions);
  return out;
}

}  // namespace aspm::store::client
