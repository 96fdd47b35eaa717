// A git repository seen through libgit2: resolve the scanned revision, read file contents at a
// revision, list path changes with rename detection, diff contents line by line, and blame.
// Every fallible call returns Result<T>; nothing here exits or throws on a git error.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gitmap/line_map.h"
#include "gitmap/result.h"

namespace aspm::gitmap {

// One path change between two snapshots. `oldPath` empty for additions, `newPath` empty for
// deletions; both set (and different) for renames and copies.
struct PathChange {
  enum class Kind : std::uint8_t { Added, Deleted, Modified, Renamed, Copied, TypeChange };
  Kind kind = Kind::Modified;
  std::string oldPath;
  std::string newPath;
  std::uint16_t similarity = 0;  // 0..100 for renames and copies
};

// Who last touched a line.
struct BlameLine {
  std::uint32_t line = 0;    // 1-based, in the content that was blamed
  std::string commit;        // full hex id; all zeros for uncommitted lines
  std::string authorName;
  std::string authorEmail;
  std::int64_t time = 0;     // author time, seconds since the epoch
  bool committed() const noexcept { return commit.find_first_not_of('0') != std::string::npos; }
};

// The snapshots a scanned location passes through on its way to the editor.
enum class Snapshot : std::uint8_t { Head, Index, WorkingTree };

class Repository {
 public:
  // Opens the repository containing `path` (searching upwards, as git does).
  static Result<Repository> open(const std::string& path);

  ~Repository();
  Repository(Repository&&) noexcept;
  Repository& operator=(Repository&&) noexcept;
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;

  // Absolute working directory with a trailing '/', empty for a bare repository.
  const std::string& workdir() const noexcept;
  bool isShallow() const noexcept;

  // Full commit id of a revision spec ("HEAD", a branch, a full or abbreviated sha). A missing
  // object (shallow clone, rewritten history, a scan of another fork) is an error whose
  // notFound() is true.
  Result<std::string> resolveCommit(std::string_view revision) const;

  // Content of `path` in the tree of `commit`; nullopt when the path does not exist there.
  Result<std::optional<std::string>> fileAtCommit(std::string_view commit, std::string_view path) const;
  // The same for several paths of one commit, looking the commit and its tree up once (a remap
  // reads every scanned file at the scanned commit). One result per path, in order.
  std::vector<Result<std::optional<std::string>>> filesAtCommit(std::string_view commit,
                                                                const std::vector<std::string>& paths) const;
  // Content of `path` as staged in the index; nullopt when not in the index.
  Result<std::optional<std::string>> fileInIndex(std::string_view path) const;
  // Content of `path` in the working tree; nullopt when absent.
  std::optional<std::string> fileInWorkdir(std::string_view path) const;

  // Path changes from commit `from` to commit `to`, renames and copies detected by content.
  Result<std::vector<PathChange>> changesBetween(std::string_view from, std::string_view to) const;
  // Path changes from HEAD to the index, and from the index to the working tree (untracked files
  // included, so a file renamed without `git mv` is still a rename).
  Result<std::vector<PathChange>> changesToIndex() const;
  Result<std::vector<PathChange>> changesToWorkdir() const;

  // Blame lines [first, last] (1-based) of `path` as of HEAD; when `content` is given (the working
  // tree or an unsaved buffer), lines that differ from HEAD are reported as uncommitted.
  Result<std::vector<BlameLine>> blame(std::string_view path, std::uint32_t first, std::uint32_t last,
                                       const std::string* content = nullptr) const;

  struct Impl;

 private:
  explicit Repository(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Line diff of two contents (libgit2's xdiff, patience algorithm, no context lines).
Result<LineMap> diffLines(std::string_view oldContent, std::string_view newContent);

// The author with the most lines among `lines` (ties: the most recent); nullopt when none is
// committed.
std::optional<BlameLine> ownerOf(const std::vector<BlameLine>& lines);

}  // namespace aspm::gitmap
