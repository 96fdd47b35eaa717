// Policy-as-code: a YAML file of rules ("block new high-severity SAST findings under src/",
// "warn on anything in the KEV catalog"), a mode (monitor reports, enforce fails the build) and
// exceptions with expiry dates. `aspm gate` evaluates it over the correlated findings. The
// format is documented in docs/policy.md; every problem in a policy names its line.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/finding.h"
#include "support/problem.h"

namespace aspm::policy {

enum class Action { Block, Warn };
enum class Mode { Monitor, Enforce };

// `age: ">= 30d"`: days since the finding was first seen (model::Finding::firstSeen), compared
// with a number of days; weeks ("4w") are 7 days each.
struct AgeCondition {
  enum class Op { AtLeast, MoreThan, AtMost, LessThan };
  Op op = Op::AtLeast;
  int days = 0;
  std::string text;  // as written, for explanations
  bool holds(int ageDays) const noexcept;
};

// Parses ">= 30d", "> 2w", "<= 7d", "< 1d"; nullopt for anything else (no operator, no unit,
// negative or absurd numbers).
std::optional<AgeCondition> parseAge(std::string_view text);

// Whole days from `firstSeen` (YYYY-MM-DD, or an RFC 3339 timestamp whose date is taken) to
// `today` (YYYY-MM-DD); 0 when either is not a date or first seen is after today.
int ageInDays(std::string_view firstSeen, std::string_view today);

// All conditions present must hold (AND); a list inside one condition is any-of (OR).
struct Condition {
  std::vector<model::FindingKind> kinds;
  std::optional<model::Severity> minSeverity;
  std::optional<int> minRisk;
  std::vector<std::string> buckets;
  std::vector<std::string> cwes;
  std::optional<bool> kev;
  std::optional<bool> reachable;
  std::vector<std::string> paths;  // globs on the finding's repo-relative path
  std::optional<bool> isNew;       // baseline state "new"
  std::vector<std::string> tools;  // tool families
  std::optional<AgeCondition> age;
};

struct Rule {
  std::string id;
  std::string description;
  Action action = Action::Block;
  Condition when;
  std::string line;  // "line N" of its definition, for messages
};

// Exempts findings from every rule until it expires: by finding id, rule id (the scanner's) or
// path glob; at least one must be given.
struct Exception {
  std::string finding;
  std::string rule;
  std::string path;
  std::string reason;
  std::string expires;  // YYYY-MM-DD, "" never
  std::string line;
};

struct Policy {
  Mode mode = Mode::Enforce;
  bool honourTriage = true;  // triaged false_positive / accepted_risk / wont_fix exempt until expiry
  std::vector<Rule> rules;
  std::vector<Exception> exceptions;
  std::string file;
};

support::WithProblems<Policy> parsePolicy(std::string_view yaml, const std::string& displayPath);
support::WithProblems<Policy> loadPolicy(const std::string& path);

struct Violation {
  std::size_t finding = 0;  // index into the evaluated findings
  std::string rule;
  Action action = Action::Block;
  int ageDays = -1;  // the finding's age when the rule has an age condition, else -1
};

struct Exemption {
  std::size_t finding = 0;
  std::string rule;
  std::string why;  // "exception at line 12: vendor fix pending (until 2026-01-31)" / "triaged ..."
};

struct GateResult {
  Mode mode = Mode::Enforce;
  std::vector<Violation> violations;
  std::vector<Exemption> exemptions;
  std::size_t evaluated = 0;
  bool usesAge = false;  // some rule has an age condition
  // Where first-seen dates came from, for the output ("first seen from the store ...; 3 findings
  // the store does not know count as first seen today (age 0)"); set by the caller.
  std::string ageNote;
  std::size_t blocking() const;
  std::size_t warnings() const;
  bool passed() const { return blocking() == 0; }
  // contracts.md: 0 pass, 1 violated in enforce mode (monitor mode always 0).
  int exitCode() const { return mode == Mode::Enforce && !passed() ? 1 : 0; }
};

// `today` is YYYY-MM-DD; exceptions and triage decisions expire when `expires` < today, and a
// finding's age is counted to it (a finding without firstSeen is first seen today: age 0).
// `path(finding)` is the repo-relative path a finding is matched against.
GateResult evaluate(const Policy& policy, const std::vector<model::Finding>& findings, const model::ScanSet& scans,
                    std::string_view today);

// Whether one finding meets a rule's condition (as evaluate() decides it, before exemptions);
// for other users of the condition language, such as the store's ticketing rules.
bool conditionMatches(const Condition& condition, const model::Finding& finding, const model::ScanSet& scans);

const char* toString(Action) noexcept;
const char* toString(Mode) noexcept;

}  // namespace aspm::policy
