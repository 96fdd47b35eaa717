// Correlation: results -> findings. Merges results of different tools that describe the same
// problem (union-find over candidate pairs, rules per kind in docs/fingerprints.md), computes
// each finding's stable fingerprint, GitHub line hash, normalised severity, kind, SCA fix group
// and risk (every factor kept for the explanation), and counts what became of the raw results.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "correlate/risk.h"
#include "correlate/sca.h"
#include "model/finding.h"

namespace aspm::correlate {

// Supplies the current content of a workspace-relative file, or null when it does not exist.
using ContentProvider = std::function<std::shared_ptr<const std::string>(const std::string& relPath)>;
// A file as it was at a commit; null when that commit or path cannot be read.
using RevisionContentProvider =
    std::function<std::shared_ptr<const std::string>(const std::string& relPath, const std::string& revision)>;
// The path a file scanned at a commit has now (renames followed); "" when unknown or gone.
using CurrentPathProvider = std::function<std::string(const std::string& relPath, const std::string& revision)>;
// Every path a file scanned at a commit ("" for a report that names none: the working tree) had,
// before and after that commit, newest first; empty when unknown or never renamed.
using PathHistoryProvider =
    std::function<std::vector<std::string>(const std::string& relPath, const std::string& revision)>;

// A position a scanner reported: 1-based line and UTF-16 column (0: no column).
struct SourcePoint {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};
// Where the statement around a position starts and ends (byte offsets into the content given), as
// defined in docs/fingerprints.md ("Correlation"). Correlation only compares these spans; finding
// them needs a parser, which the engine supplies (correlate/ stays free of tree-sitter).
struct StatementSpan {
  std::uint32_t startByte = 0;
  std::uint32_t endByte = 0;
};
// For one file (repo-relative path and the content the results were placed in): the enclosing
// statement of each point, in order; nullopt where there is none or the language is not parsed.
// Called at most once per distinct content, from several threads at once (one per core).
using StatementProvider = std::function<std::vector<std::optional<StatementSpan>>(
    const std::string& relPath, const std::string& content, std::span<const SourcePoint> points)>;

// "Semgrep OSS" -> "semgrep", "ESLint" -> "eslint", "Trivy" -> "trivy": the tool family used in
// fingerprints so that tool version or edition changes do not change ids.
std::string toolFamily(std::string_view driverName);

model::FindingKind inferKind(const model::Run& run, const model::Rule* rule, const model::Result& result);
model::Severity severityOf(const model::Run& run, const model::Result& result);

// Severity from a CVSS-like 0..10 score (CVSS v3 qualitative bands).
model::Severity severityFromScore(double score) noexcept;

// Whitespace-free content of the lines the region covers (at most 8 lines), from `content`.
std::string normalizedRegionText(std::string_view content, const model::Region& region);

// Stable fingerprint of one result: tool family, rule, path and normalised code content around
// the location (never the line number). `content` may be null (then the SARIF snippet or the
// message stands in for it).
std::string fingerprintOf(const model::ScanSet& scans, const model::Result& result, const std::string* content);

model::RiskScore scoreRisk(const model::ScanSet& scans, const model::Result& result, model::Severity severity);

// What correlation needs to know about one result.
struct ResultFacts {
  model::FindingKind kind = model::FindingKind::Other;
  std::string family;                 // toolFamily()
  std::string file;                   // primary location, repo-relative ("" when none)
  std::uint32_t line = 0;             // primary start line (0: none)
  std::uint32_t column = 0;           // primary start column, UTF-16, 1-based (0: none)
  std::vector<std::string> cwes;      // cwesOf()
  std::vector<std::string> classes;   // cweClass() of each CWE, without duplicates
  PackageRef package;                 // SCA only
  std::string secretHash;             // secrets: hash of the flagged text ("" when unknown)
  std::string iacResource;            // IaC: enclosing resource ("" when unknown)
  std::string policyClass;            // IaC: what the check is about (encryption, logging, ...)
  std::uint64_t statement = 0;        // SAST: id of the enclosing statement (file, content, span); 0 unknown
};

ResultFacts factsOf(const model::ScanSet& scans, std::uint32_t resultIndex, const std::string* content);

// Whether two results may describe the same problem (the pair rule of their kind). Never true on
// CWE alone, never for one tool's different rules.
bool samePair(const model::ScanSet& scans, std::uint32_t a, const ResultFacts& fa, std::uint32_t b, const ResultFacts& fb);

// One upgrade that fixes several findings.
struct FixGroup {
  std::string id;            // "<package>@<fixed version>" or "<package>@(no fix)"
  std::string ecosystem;
  std::string package;
  std::string installedVersion;
  std::string fixedVersion;  // "" when no fix is known
  std::vector<std::string> vulnIds;
  std::vector<std::string> findings;  // finding ids
};

// How many raw results became how many findings, and why some are deprioritised: the
// "alert triage rate" of docs/risk.md.
struct NoiseReport {
  std::size_t rawResults = 0;      // every result read
  std::size_t notFindings = 0;     // SARIF kind pass / notApplicable
  std::size_t findings = 0;
  std::size_t duplicatesMerged = 0;  // results folded into another tool's finding
  std::size_t fixGroups = 0;
  std::size_t scaFindings = 0;
  std::size_t actionable = 0;      // immediate + out-of-cycle
  std::size_t deprioritized = 0;   // bucket defer
  std::vector<std::pair<std::string, std::size_t>> byBucket;        // in bucket order
  std::vector<std::pair<std::string, std::size_t>> deprioritizedWhy;  // reason -> count
};

struct CorrelateOptions {
  ContentProvider content;
  // For results of runs that name their scanned revision: the file as it was scanned, so the
  // fingerprint hashes the code the scanner saw even after the working tree moved on. Falls back
  // to `content` when it returns null (the commit is not in this repository).
  RevisionContentProvider contentAt;
  // For the same results: the file's path now, hashed into the id instead of the scanned path, so
  // a finding keeps its id across a rename (docs/fingerprints.md).
  CurrentPathProvider currentPath;
  // The file's other names: each gives the finding an alias id (`Finding::previousIds`), so a
  // triage decision recorded before a rename still finds it.
  PathHistoryProvider pathHistory;
  // SAST: the enclosing statement of each reported position, so that two tools' reports of one
  // multi-line statement merge even when more than 3 lines apart. Null: the line window only.
  StatementProvider statements;
  const RiskContext* risk = nullptr;  // null: no EPSS/KEV/applications
  bool merge = true;                  // false: one finding per result (for measurement)
};

struct Correlation {
  std::vector<model::Finding> findings;  // highest risk first
  std::vector<FixGroup> fixGroups;
  NoiseReport noise;
};

// The entry point: results -> findings, merged, fingerprinted, grouped, scored, sorted.
Correlation correlate(const model::ScanSet& scans, const CorrelateOptions& options);

// Compatibility form: the findings only, without business context.
std::vector<model::Finding> correlate(const model::ScanSet& scans, const ContentProvider& content);

// A deterministic UUID-shaped correlation guid for a finding id (SARIF correlationGuid).
std::string correlationGuidFor(std::string_view id);

}  // namespace aspm::correlate
