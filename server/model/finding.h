// The domain model: plain structs shared by every layer. No JSON, no LSP, no I/O.
//
// A `Result` is what one tool said once (one SARIF result or one native report entry). A
// `Finding` is one real problem: one or more results that describe it (correlation merges them),
// with where it is now, its fingerprint, risk and triage. Everything later stages need
// (code flows, fixes, suppressions, fingerprints, provenance) is kept from ingest on.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aspm::model {

// SARIF `level`.
enum class Level : std::uint8_t { None, Note, Warning, Error };
// SARIF `kind`.
enum class ResultKind : std::uint8_t { Fail, Pass, Open, Review, Informational, NotApplicable };
// The category of scanner that produced the finding.
enum class FindingKind : std::uint8_t { Sast, Sca, Iac, Secret, Other };
// Normalised severity used for ranking and gating.
enum class Severity : std::uint8_t { Info, Low, Medium, High, Critical };
enum class BaselineState : std::uint8_t { None, New, Unchanged, Updated, Absent };
// Where a finding is now, relative to the scan.
enum class FindingState : std::uint8_t { Open, Moved, Stale, Gone, Suppressed, Triaged };

// 1-based lines and columns as in SARIF; 0 means "not given". Columns count characters
// (SARIF's default `columnKind` utf16CodeUnits), end column exclusive.
struct Region {
  std::uint32_t startLine = 0;
  std::uint32_t startColumn = 0;
  std::uint32_t endLine = 0;
  std::uint32_t endColumn = 0;
  std::int64_t charOffset = -1;  // -1: not given
  std::int64_t charLength = -1;
  std::string snippet;

  bool hasLines() const noexcept { return startLine > 0; }
  bool empty() const noexcept { return startLine == 0 && charOffset < 0; }
};

struct Location {
  // Repo-relative, '/'-separated path when the artifact resolved inside the workspace; otherwise
  // the URI as given (absolute or with an unresolved base), and `resolved` is false.
  std::string uri;
  bool resolved = false;
  Region region;
  Region contextRegion;
  std::string message;
  std::string logicalName;  // fully qualified logical location, when given
};

struct ThreadFlowStep {
  Location location;
  std::string kind;  // e.g. "source", "sink", taint kinds
  std::uint32_t nestingLevel = 0;
};

struct CodeFlow {
  std::string message;
  std::vector<std::vector<ThreadFlowStep>> threadFlows;
};

struct Replacement {
  Region deleted;
  std::string insertedContent;
};

struct ArtifactChange {
  std::string uri;
  bool resolved = false;
  std::vector<Replacement> replacements;
};

struct Fix {
  std::string description;
  std::vector<ArtifactChange> changes;
};

struct Suppression {
  std::string kind;           // inSource | external
  std::string status;         // accepted | underReview | rejected ("" means accepted)
  std::string justification;
};

struct Rule {
  std::string id;
  std::string name;
  std::string shortDescription;
  std::string fullDescription;
  std::string helpText;
  std::string helpMarkdown;
  std::string helpUri;
  Level defaultLevel = Level::Warning;
  bool defaultEnabled = true;
  std::optional<double> securitySeverity;  // properties["security-severity"], 0..10
  std::string precision;                    // very-high | high | medium | low
  std::string problemSeverity;              // properties["problem.severity"]
  std::vector<std::string> tags;
  std::vector<std::string> cwes;            // normalised "CWE-78"
  std::map<std::string, std::string> messageStrings;  // messageStrings[id].text
  // Dependency advisories: the functions of the package that are vulnerable ("template",
  // "yaml.load"), from rule properties; empty when the tool does not say.
  std::vector<std::string> vulnerableSymbols;
};

struct Tool {
  std::string name;      // driver name as reported ("CodeQL", "Semgrep OSS")
  std::string version;
  std::string informationUri;
  std::string organization;
};

// Where a result came from: enough to trace it back (contracts: sources[].sarif).
struct SourceRef {
  std::string file;          // the input path as given
  std::uint32_t run = 0;     // index into the file's runs
  std::uint32_t result = 0;  // index into that run's results array
};

// One run of one tool in one file.
struct Run {
  Tool tool;
  std::vector<Rule> rules;             // driver rules then extension rules
  std::string file;                    // input path as given
  std::uint32_t index = 0;             // run index within the file
  std::string revision;                // versionControlProvenance[0].revisionId
  std::string repositoryUri;
  std::string branch;
  std::string automationId;
  FindingKind kind = FindingKind::Other;  // inferred from tool and rules
  std::string format = "sarif";         // sarif | bandit | cppcheck | shellcheck | gcc
};

// SARIF `webRequest`: the HTTP request a dynamic scanner (ZAP, Burp) sent.
struct WebRequest {
  std::string method;  // "GET", upper-case as given
  std::string target;  // absolute URL or origin-form path ("/users/42?x=1")
};

struct Result {
  std::uint32_t run = 0;     // index into ScanSet::runs
  std::int32_t rule = -1;    // index into that run's rules, -1 when the rule is unknown
  std::string ruleId;
  Level level = Level::Warning;
  ResultKind kind = ResultKind::Fail;
  std::string message;          // formatted plain text ({n} arguments substituted)
  std::string messageMarkdown;  // formatted markdown when given
  std::vector<Location> locations;  // primary first (may be empty: e.g. SCA without a location)
  std::vector<Location> relatedLocations;
  std::vector<CodeFlow> codeFlows;
  std::vector<Fix> fixes;
  std::vector<Suppression> suppressions;
  BaselineState baselineState = BaselineState::None;
  std::map<std::string, std::string> fingerprints;
  std::map<std::string, std::string> partialFingerprints;
  std::string guid;
  std::string correlationGuid;
  std::optional<double> securitySeverity;  // result-level override
  std::vector<std::string> tags;           // result properties.tags
  std::optional<double> rank;              // SARIF rank 0..100
  // Dynamic scanners: the request that showed the problem. Shared and behind a pointer: most
  // results have none, and every byte of Result is paid per result of a large log.
  std::shared_ptr<const WebRequest> webRequest;
  std::vector<std::string> vulnerableSymbols;  // result-level override of the rule's
  SourceRef source;
};

struct TriageDecision {
  std::string status;  // false_positive | accepted_risk | wont_fix | fixed | open
  std::string reason;
  std::string author;
  std::string at;       // RFC 3339
  std::string expires;  // RFC 3339 or empty
};

// One input of a risk score, kept so the score can be explained: what the input was, where it
// came from and what it did to the score.
struct RiskFactor {
  std::string name;    // "severity", "epss", "kev", "exposure", ...
  std::string value;   // as shown to people ("0.94", "internet-facing", "unknown")
  double numeric = 0;  // the same value as a number where that makes sense
  std::string source;  // "CVSS:3.1/AV:N/... (rule help)", ".aspm/config.yaml: applications[0]", ...
  std::string effect;  // "x1.5", "+1 tier", "none (unknown)", ...
};

struct RiskScore {
  int score = 0;  // 0..1000
  std::vector<std::pair<std::string, double>> factors;  // name -> value, in explanation order
  std::string bucket;                                   // immediate | out-of-cycle | scheduled | defer
  std::vector<RiskFactor> explanation;                  // every input, in explanation order
};

// An id the finding had under an earlier path of its file (before a rename): the same rule and
// the same content fingerprint, hashed with that path. Triage decisions recorded under it still
// apply (docs/fingerprints.md, "Renamed files").
struct PreviousId {
  std::string id;
  std::string path;  // the repo-relative path that id hashes
};

// One real problem, possibly reported by several tools.
struct Finding {
  std::string id;                       // stable fingerprint, hex
  std::vector<std::uint32_t> results;   // indices into ScanSet::results; first is the primary
  FindingKind kind = FindingKind::Other;
  Severity severity = Severity::Medium;
  std::vector<std::string> cwes;
  RiskScore risk;
  FindingState state = FindingState::Open;
  // How the state was reached when that is not obvious: "placed by content: scanned revision
  // abc is not in this repository", "several places match equally well". Empty otherwise.
  std::string stateNote;
  std::optional<Location> location;     // where it is now (null when gone or stale)
  // Places in the code aspm found for the finding (not the tool): where a vulnerable dependency
  // is imported and its vulnerable functions called, the route handlers a URL could reach.
  // Each carries its message.
  std::vector<Location> relatedLocations;
  std::optional<TriageDecision> triage;
  // Ids under the file's earlier paths, newest path first; empty unless the file was renamed.
  std::vector<PreviousId> previousIds;
  // When `triage` was recorded under one of `previousIds`: that id (else empty).
  std::string triageKey;
  std::string lineHash;                 // GitHub primaryLocationLineHash ("" when not computable)
  std::string correlationGuid;          // stable across runs; derived from the id unless given
  std::string fixGroup;                 // SCA: "<package>@<fixed version>" one upgrade fixes
  BaselineState baseline = BaselineState::None;
  // When the team first saw this finding (the store's first_seen, or a baseline's date): RFC 3339
  // or YYYY-MM-DD; "" when unknown. Policy `age` conditions count from it.
  std::string firstSeen;
};

// Everything read from a set of inputs.
struct ScanSet {
  std::vector<Run> runs;
  std::vector<Result> results;
};

const char* toString(Level) noexcept;
const char* toString(FindingKind) noexcept;
const char* toString(Severity) noexcept;
const char* toString(FindingState) noexcept;
const char* toString(BaselineState) noexcept;
const char* toString(ResultKind) noexcept;
std::optional<Severity> severityFromString(std::string_view) noexcept;

}  // namespace aspm::model
