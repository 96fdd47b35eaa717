// Risk with business context: technical severity (CVSS vector, security-severity, level),
// exploitation (CISA KEV, EPSS), reachability, exposure and business criticality (the
// applications of .aspm/config.yaml), and confidence (rule precision, corroborating tools)
// become an SSVC-style priority bucket and a 0-1000 score inside that bucket's band. Every input
// is kept with its value, its source and its effect, so each score can be explained.
//
// Nothing here reads files except the EPSS reader; KEV arrives as plain structs (its JSON is
// parsed at the edge, ingest/kev.h) and the applications from the config reader (policy/).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/finding.h"
#include "support/problem.h"

namespace aspm::correlate {

struct EpssScore {
  double epss = 0;        // probability of exploitation activity in the next 30 days
  double percentile = 0;  // rank among all scored CVEs
};

struct KevEntry {
  std::string dateAdded;
  bool ransomware = false;  // knownRansomwareCampaignUse == "Known"
};

// A part of the business, found by path: how much it matters and how exposed it is.
struct Application {
  std::string name;
  std::vector<std::string> paths;       // repo-relative globs
  std::string criticality;              // low | medium | high | critical ("" unknown)
  std::string dataSensitivity;          // free text: public | internal | confidential | pii | ...
  std::optional<bool> internetFacing;   // unset: unknown
  std::string source;                   // "FILE:LINE" of its definition
};

// Whether the code reaches a dependency finding's package (mapping/reachability.h decides).
struct ReachabilityVerdict {
  std::string value;  // "reachable" | "unreachable" | "unknown"
  double multiplier = 1.0;
  std::string source;  // the import sites, or why it is not known
  // Where the code imports the package and calls its vulnerable functions (logicalName: the
  // function called, "" for an import), for related locations.
  std::vector<model::Location> sites;
};
// (ecosystem, package name, repo-relative path of the finding's manifest or lock file, "" when
// it has none, the vulnerable functions the advisory names) -> the verdict; nullopt when not
// analysed.
using ReachabilityOracle = std::function<std::optional<ReachabilityVerdict>(
    const std::string&, const std::string&, const std::string&, const std::vector<std::string>&)>;

struct RiskContext {
  std::unordered_map<std::string, EpssScore> epss;  // by upper-case CVE id
  std::string epssSource;                           // file name and model version/date
  std::unordered_map<std::string, KevEntry> kev;    // by upper-case CVE id
  std::string kevSource;
  std::vector<Application> applications;
  ReachabilityOracle reachability;  // null: not analysed
};

// Read the EPSS daily CSV ("#model_version:...,score_date:..." comment, header
// "cve,epss,percentile", one row per CVE), plain or gzip-compressed (detected from content).
// Rows that do not parse are reported (file + "line N") and skipped.
support::WithProblems<std::unordered_map<std::string, EpssScore>> readEpssCsv(const std::string& path,
                                                                             std::string* modelInfo = nullptr);

// Same, from bytes already in memory (decompressed when they start with the gzip magic).
support::WithProblems<std::unordered_map<std::string, EpssScore>> parseEpssCsv(std::string_view bytes,
                                                                              const std::string& displayPath,
                                                                              std::string* modelInfo = nullptr);

// The application a repo-relative path belongs to (first match in config order), or null.
const Application* applicationFor(const RiskContext& ctx, std::string_view path);

// Score one finding. `scans` gives its results (all of them count: a CVSS vector or a KEV CVE
// stated by any corroborating tool applies).
model::RiskScore scoreFinding(const model::ScanSet& scans, const model::Finding& finding, const RiskContext* ctx);

// Bucket bands: immediate 750-1000, out-of-cycle 500-749, scheduled 250-499, defer 0-249.
int bucketRank(std::string_view bucket) noexcept;

}  // namespace aspm::correlate
