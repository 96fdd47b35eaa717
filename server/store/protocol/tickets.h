// The JSON of ticketing: the request bodies the store sends to GitHub Issues and Jira, what it
// reads back from their replies, and the GET /v1/projects/{p}/tickets reply. Kept here because
// store/protocol is the store's one JSON layer; the delivery itself is in store/server.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aspm::store::protocol {

// POST {api}/repos/{owner}/{repo}/issues
std::string githubIssueJson(std::string_view title, std::string_view body, const std::vector<std::string>& labels);
// POST {site}/rest/api/2/issue
std::string jiraIssueJson(std::string_view projectKey, std::string_view issueType, std::string_view summary,
                          std::string_view description, const std::vector<std::string>& labels);

// What a tracker's 201 says about the issue it created.
struct CreatedIssue {
  std::string key;  // "acme/shop#12", "SEC-7"
  std::string url;  // the issue's page for people
};
// GitHub: number and html_url; nullopt when the reply does not have them.
std::optional<CreatedIssue> parseGithubCreated(std::string_view body, std::string_view repository);
// Jira: key (the page is {site}/browse/{key}).
std::optional<CreatedIssue> parseJiraCreated(std::string_view body, std::string_view site);

// One ticket as GET …/tickets shows it.
struct TicketView {
  std::int64_t id = 0;
  std::string fingerprint;
  std::string target;
  std::string system;  // github | jira
  std::string rule;
  std::string state;   // pending | open | failed | skipped
  std::string title;
  std::string key;     // the tracker's issue key, once created
  std::string url;
  std::int64_t attempts = 0;
  std::string lastError;
  std::string createdAt;
  std::string updatedAt;
  std::string nextAttemptAt;  // pending only
};
std::string ticketListJson(std::string_view project, const std::vector<TicketView>& tickets);

}  // namespace aspm::store::protocol
