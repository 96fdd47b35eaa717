// Where a file a scanner saw at some commit is now: renames followed from that commit to HEAD,
// then to the index and the working tree. Fingerprints hash this path, so scans from before and
// after a rename agree on a finding's id; the file's earlier names give the ids a finding had
// before the rename, under which triage decisions may still be recorded.
#pragma once

#include <string>

#include "correlate/correlate.h"

namespace aspm::mapping {

// One repository opened on first use (the workspace must be its top); one set of rename lists
// per revision, computed on first use and cached. "" for a missing repository or commit, or a
// file deleted since.
correlate::CurrentPathProvider currentPaths(const std::string& repoRoot);

// Both providers over one repository and one cache. `pathHistory` names every path the file had:
// later ones (to the working tree) and earlier ones (first-parent history back from the
// revision, up to 1,000 commits, stopping where the file was added), newest first; empty when the
// file was never renamed or the revision is unknown.
struct PathProviders {
  correlate::CurrentPathProvider currentPath;
  correlate::PathHistoryProvider pathHistory;
};
PathProviders pathProviders(const std::string& repoRoot);

}  // namespace aspm::mapping
