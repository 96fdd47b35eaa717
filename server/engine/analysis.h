// The batch pipeline shared by the CLI and the language server's initial load: expand inputs,
// ingest every file, correlate into findings, place them in the working tree. Synchronous and
// free of threads; callers decide where it runs.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "correlate/correlate.h"
#include "inventory/inventory.h"
#include "model/finding.h"
#include "support/problem.h"

namespace aspm::engine {

struct AnalysisOptions {
  std::string repoRoot;             // absolute or relative to the cwd; default "."
  std::vector<std::string> inputs;  // files, directories (searched recursively) or globs
  // Project configuration (applications, intel files); default: <repo>/.aspm/config.yaml when
  // it exists. A named file that cannot be read is a Fatal problem.
  std::string configFile;
  // Discover the estate (inventory/) and use its exposure and criticality for findings that no
  // configured application covers.
  bool discoverAssets = true;
  // Triage decisions: the local log (default <repo>/.aspm/triage.db, when it exists) and, when a
  // URL is given, the team's aspm-store (read once; an unreachable store is a warning).
  std::string triageLog;
  std::string storeUrl;
  std::string storeProject;
  std::string storeToken;
  // The commit reports that name none (no versionControlProvenance) were scanned at; "" leaves
  // their findings where the reports put them. Findings of scans at a known commit are followed
  // through the git history to the working tree.
  std::string revision;
  // Called with (bytesDone, bytesTotal) over all inputs.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  const std::atomic<bool>* cancel = nullptr;
};

struct Analysis {
  std::string repoRoot;  // absolute, normalised
  model::ScanSet scans;
  std::vector<model::Finding> findings;  // highest risk first
  std::vector<correlate::FixGroup> fixGroups;  // SCA: one upgrade, several findings
  correlate::NoiseReport noise;                // raw results -> findings -> actionable
  support::Problems problems;
  std::vector<std::string> inputFiles;   // the files the inputs expanded to, as given
  inventory::Inventory inventory;        // empty when discovery is off
};

// Default inputs when none are given: the SARIF globs of the contract.
std::vector<std::string> defaultInputGlobs();

// Expand files / directories / globs to input files. Directories yield every file whose content
// looks like a supported report (SARIF or native); globs are matched relative to `repoRoot`.
// Unmatched inputs give a problem.
support::WithProblems<std::vector<std::string>> expandInputs(const std::vector<std::string>& inputs,
                                                             const std::string& repoRoot,
                                                             bool explicitInputs);

// Business context and threat intelligence for risk scoring: `configFile`, or
// <repoRoot>/.aspm/config.yaml when that exists; relative intel paths are taken from the repository
// root. Problems (unreadable or invalid files) are appended; what could be read is kept.
correlate::RiskContext loadRiskContext(const std::string& repoRoot, const std::string& configFile,
                                       support::Problems& problems);

// Discovered services, libraries and infrastructure as risk-scoring applications: each scoped to
// its directory, ordered longest scope first (applicationFor takes the first match), with the
// evidence that decided its exposure (else its criticality) as the source. Assets that know
// neither are left out, so they never mask a configured application.
std::vector<correlate::Application> discoveredApplications(const inventory::Inventory& inventory);

// The estate of `repoRoot` (`aspm inventory`); discovery problems are warnings.
support::WithProblems<inventory::Inventory> discoverInventory(const std::string& repoRoot);

Analysis analyze(const AnalysisOptions& options);

}  // namespace aspm::engine
