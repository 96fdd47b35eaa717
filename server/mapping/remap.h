// Remapping entry points: scanned regions -> current locations, through gitmap's trace and the
// matcher; and the same applied to model findings (state, location, and a note saying how).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "correlate/correlate.h"
#include "gitmap/repository.h"
#include "gitmap/trace.h"
#include "mapping/matcher.h"
#include "model/finding.h"

namespace aspm::mapping {

struct Remapped {
  std::vector<Placement> placements;  // in the order of the sites
  gitmap::RevisionStatus revision = gitmap::RevisionStatus::NotGiven;
  std::string note;                   // why the scan revision could not be used
  std::vector<gitmap::GitError> problems;
};

// Sites must all come from a scan of `options.scanRevision`.
Remapped remap(const gitmap::Repository& repo, const std::vector<Site>& sites, const gitmap::TraceOptions& options,
               const MatchOptions& matchOptions = {});

// The site of a result's primary location (nullopt when it has no resolved file location).
std::optional<Site> siteOf(const model::Result& result);

struct FindingRemap {
  std::string repoRoot;                        // working tree to map onto
  std::optional<std::string> targetRevision;   // or a commit instead of the working tree
  std::map<std::string, std::string> buffers;  // unsaved editor contents by repo-relative path
  std::string fallbackRevision;                // used for runs that name no revision (--revision)
  // A report written after a file's last change, by a scan of the commit that is HEAD, saw the
  // working tree itself (uncommitted changes included): its findings in that file are left where
  // the scan put them instead of being shifted by those changes.
  bool trustReportsNewerThanFiles = true;
};

struct FindingRemapOutcome {
  std::vector<std::string> problems;  // repository missing, git errors, unusable revisions
  std::vector<bool> mapped;           // per finding: placed (or found gone/stale) by the history
  std::size_t leftAsScanned = 0;      // findings of runs without a revision, or of newer reports
};

// Sets state and location of every finding whose primary result has a resolved location and was
// scanned at a known revision (the run's, else `fallbackRevision`); findings of runs that name no
// revision are left where the scan put them. Suppressed/Triaged findings keep their state but
// still get a location. Never fails: problems are returned and unmapped findings keep their
// locations as scanned.
FindingRemapOutcome remapFindings(const model::ScanSet& scans, std::vector<model::Finding>& findings,
                                  const FindingRemap& request);

// Whether `root` is the top of `repo`'s working tree: report paths are relative to the workspace,
// history paths to the repository's top, so history is only followed when they are the same.
bool isWorkspaceTop(const gitmap::Repository& repo, const std::string& root);

// Reads files as they were at a commit, for fingerprints of the code a scanner saw. One
// repository is opened on first use (searching upwards from `repoRoot`); revisions and files are
// cached. Null for a missing repository, commit or path.
correlate::RevisionContentProvider scannedContent(const std::string& repoRoot);

}  // namespace aspm::mapping
