// Where a file a scanner saw at some commit is now: renames followed from that commit to HEAD,
// then to the index and the working tree. Fingerprints hash this path, so scans from before and
// after a rename agree on a finding's id.
#pragma once

#include <string>

#include "correlate/correlate.h"

namespace aspm::mapping {

// One repository opened on first use (the workspace must be its top); one set of rename lists
// per revision, computed on first use and cached. "" for a missing repository or commit, or a
// file deleted since.
correlate::CurrentPathProvider currentPaths(const std::string& repoRoot);

}  // namespace aspm::mapping
