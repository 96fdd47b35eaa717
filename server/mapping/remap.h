// Remapping entry points: scanned regions -> current locations, through gitmap's trace and the
// matcher; and the same applied to model findings (state, location, and a note saying how).
#pragma once

#include <map>
#include <string>
#include <vector>

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
};

// Sets state and location of every finding whose primary result has a resolved location, per
// scan revision; Suppressed/Triaged findings keep their state but still get a location. Returns
// problems (repository missing, git errors) without failing: unmapped findings keep their
// locations as scanned.
std::vector<std::string> remapFindings(const model::ScanSet& scans, std::vector<model::Finding>& findings,
                                       const FindingRemap& request);

}  // namespace aspm::mapping
