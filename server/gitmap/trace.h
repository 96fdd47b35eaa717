// Follows the files that have findings from the scanned commit to what the developer sees:
// scanned tree -> HEAD (or a target commit) -> index -> working tree -> unsaved buffers, with
// rename detection at each step. Only the files that have findings are read and diffed; every
// other changed file is only listed (as a place moved code may have gone) and read on demand.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gitmap/line_map.h"
#include "gitmap/repository.h"
#include "gitmap/result.h"

namespace aspm::gitmap {

struct TraceOptions {
  std::string scanRevision;                    // the commit the scan ran on; "" when unknown
  std::optional<std::string> targetRevision;   // map onto this commit instead of the working tree
  std::map<std::string, std::string> buffers;  // unsaved editor contents by repo-relative path
  std::size_t maxCandidateFiles = 5000;        // cap on changed files offered to the matcher
  std::size_t maxFileBytes = 8u << 20;         // larger files are not read
};

// Where the scanned revision stands.
enum class RevisionStatus : std::uint8_t {
  Found,
  NotGiven,  // the scan did not say which commit it ran on
  Missing,   // not in this repository (shallow clone, rewritten history, another fork)
};
const char* toString(RevisionStatus) noexcept;

// Which snapshot the current content came from.
enum class ContentSource : std::uint8_t { Commit, Index, WorkingTree, Buffer };

struct TracedFile {
  std::string scanPath;
  std::string path;                        // current path; "" when the file is gone
  std::optional<std::string> scanContent;  // at the scanned revision; nullopt when unknown
  std::optional<std::string> content;      // current; nullopt when the file is gone
  std::optional<LineMap> lines;            // exact line map, when both contents are known
  ContentSource source = ContentSource::Commit;
  bool renamed() const noexcept { return !path.empty() && path != scanPath; }
};

struct Trace {
  RevisionStatus revision = RevisionStatus::NotGiven;
  std::string scanCommit;    // resolved full id when Found
  std::string targetCommit;  // the commit mapped onto (HEAD's id for the working tree)
  std::string note;          // why the revision could not be used, for the finding's state
  std::map<std::string, TracedFile> files;  // by scan path
  // Current paths of files added, modified, renamed or copied since the scan (or, without a
  // scan revision, since HEAD), excluding the traced files: where moved code may have gone.
  std::vector<std::string> changedPaths;
  std::vector<GitError> problems;  // non-fatal: one file could not be read, ...
};

Result<Trace> trace(const Repository& repo, const std::vector<std::string>& scanPaths, const TraceOptions& options);

// Current content of any path in the trace's target (buffer, working tree or target commit).
std::optional<std::string> currentContent(const Repository& repo, const TraceOptions& options, const std::string& path);

}  // namespace aspm::gitmap
