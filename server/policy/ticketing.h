// The store's ticketing rules: which findings of an uploaded scan get an issue opened in a
// tracker (GitHub Issues or Jira), written with the policy's condition language (`when:`), so
// "what blocks a build" and "what opens a ticket" read the same way. Lives in policy/ because
// policy/ owns the YAML library; the values it returns are plain structs and the store does the
// delivery. The format is documented in docs/store.md; every problem names the file and line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "policy/policy.h"
#include "support/problem.h"

namespace aspm::policy {

enum class TicketSystem { GitHub, Jira };
enum class TicketAuth { Bearer, Basic };

// Where tickets go. Secrets are never in the file: `tokenEnv` (and `userEnv` for Jira's basic
// authentication) name environment variables the store reads at start.
struct TicketTarget {
  std::string name;
  TicketSystem system = TicketSystem::GitHub;
  std::string url;         // GitHub: the API root (https://api.github.com); Jira: the site root
  std::string repository;  // GitHub: owner/name
  std::string jiraProject; // Jira: the project key
  std::string issueType = "Bug";
  std::vector<std::string> labels;
  std::string tokenEnv;
  std::string userEnv;     // Jira basic authentication: the account (e-mail) the token belongs to
  TicketAuth auth = TicketAuth::Bearer;
  std::string line;        // "line N:M" of its definition, for messages
  std::string tokenLine;   // where token_env is written, for "not set" messages
};

struct TicketRule {
  std::string id;
  std::string description;
  std::vector<std::string> projects;  // store projects it applies to; empty = every project
  Condition when;
  std::string target;                 // a TicketTarget name
  std::vector<std::string> labels;    // added to the target's labels
  std::string line;
};

// Retries of a delivery that failed for a reason that may pass (a network error, 5xx, 429).
struct TicketDelivery {
  int initialBackoffMs = 2000;
  int maxBackoffMs = 15 * 60 * 1000;
  int maxAttempts = 12;
  int timeoutMs = 30'000;  // one request, connect to last byte
};

struct TicketingRules {
  bool honourTriage = true;  // a live false_positive / accepted_risk / wont_fix decision: no ticket
  std::vector<TicketTarget> targets;
  std::vector<TicketRule> rules;
  TicketDelivery delivery;
  std::string file;
};

support::WithProblems<TicketingRules> parseTicketingRules(std::string_view yaml, const std::string& displayPath);
support::WithProblems<TicketingRules> loadTicketingRules(const std::string& path);

const char* toString(TicketSystem) noexcept;

}  // namespace aspm::policy
