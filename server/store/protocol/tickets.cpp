// Boost.JSON for the ticketing bodies (tickets.h).
#include "store/protocol/tickets.h"

#include <boost/json.hpp>

namespace aspm::store::protocol {
namespace json = boost::json;

namespace {

json::array labelArray(const std::vector<std::string>& labels) {
  json::array a;
  for (const auto& l : labels) a.emplace_back(l);
  return a;
}

json::value nullIfEmpty(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

}  // namespace

std::string githubIssueJson(std::string_view title, std::string_view body, const std::vector<std::string>& labels) {
  return json::serialize(json::object{{"title", title}, {"body", body}, {"labels", labelArray(labels)}});
}

std::string jiraIssueJson(std::string_view projectKey, std::string_view issueType, std::string_view summary,
                          std::string_view description, const std::vector<std::string>& labels) {
  json::object fields{{"project", json::object{{"key", projectKey}}},
                      {"summary", summary},
                      {"description", description},
                      {"issuetype", json::object{{"name", issueType}}},
                      {"labels", labelArray(labels)}};
  return json::serialize(json::object{{"fields", std::move(fields)}});
}

std::optional<CreatedIssue> parseGithubCreated(std::string_view body, std::string_view repository) {
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto* number = v.as_object().if_contains("number");
  if (!number || !number->is_number()) return std::nullopt;
  CreatedIssue out;
  out.key = std::string(repository) + "#" + std::to_string(number->to_number<std::int64_t>());
  if (const auto* u = v.as_object().if_contains("html_url"); u && u->is_string()) out.url = std::string(u->get_string());
  return out;
}

std::optional<CreatedIssue> parseJiraCreated(std::string_view body, std::string_view site) {
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto* key = v.as_object().if_contains("key");
  if (!key || !key->is_string() || key->get_string().empty()) return std::nullopt;
  CreatedIssue out;
  out.key = std::string(key->get_string());
  out.url = std::string(site) + "/browse/" + out.key;
  return out;
}

std::string ticketListJson(std::string_view project, const std::vector<TicketView>& tickets) {
  json::array items;
  items.reserve(tickets.size());
  for (const auto& t : tickets) {
    items.emplace_back(json::object{{"id", t.id},
                                    {"fingerprint", t.fingerprint},
                                    {"target", t.target},
                                    {"system", t.system},
                                    {"rule", t.rule},
                                    {"state", t.state},
                                    {"title", t.title},
                                    {"key", nullIfEmpty(t.key)},
                                    {"url", nullIfEmpty(t.url)},
                                    {"attempts", t.attempts},
                                    {"lastError", nullIfEmpty(t.lastError)},
                                    {"createdAt", t.createdAt},
                                    {"updatedAt", t.updatedAt},
                                    {"nextAttemptAt", nullIfEmpty(t.nextAttemptAt)}});
  }
  return json::serialize(json::object{{"project", project}, {"tickets", std::move(items)}});
}

}  // namespace aspm::store::protocol
