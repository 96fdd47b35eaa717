// trace(): rename chains through each snapshot, then one direct line diff from the scanned
// content to the current content. Diffing directly (rather than composing the per-snapshot
// diffs) gives the same exact shifts and cannot lose a line that changed and changed back.
#include "gitmap/trace.h"

#include <algorithm>
#include <set>

namespace aspm::gitmap {
namespace {

// Follow one snapshot step: where did `path` go, and which files are new or changed there.
void follow(const std::vector<PathChange>& changes, std::map<std::string, std::string>& current,
            std::set<std::string>& changed) {
  std::map<std::string, std::string> renames;
  std::set<std::string> deleted;
  for (const auto& c : changes) {
    switch (c.kind) {
      case PathChange::Kind::Renamed:
        renames[c.oldPath] = c.newPath;
        changed.insert(c.newPath);
        changed.erase(c.oldPath);
        break;
      case PathChange::Kind::Deleted:
        deleted.insert(c.oldPath);
        changed.erase(c.oldPath);
        break;
      case PathChange::Kind::Added:
      case PathChange::Kind::Copied:
      case PathChange::Kind::Modified:
      case PathChange::Kind::TypeChange:
        changed.insert(c.newPath);
        break;
    }
  }
  for (auto& [scanPath, now] : current) {
    if (now.empty()) continue;
    if (auto r = renames.find(now); r != renames.end())
      now = r->second;
    else if (deleted.contains(now))
      now.clear();
  }
}

}  // namespace

const char* toString(RevisionStatus s) noexcept {
  switch (s) {
    case RevisionStatus::Found: return "found";
    case RevisionStatus::NotGiven: return "not given";
    case RevisionStatus::Missing: return "missing";
  }
  return "?";
}

std::optional<std::string> currentContent(const Repository& repo, const TraceOptions& options,
                                          const std::string& path) {
  if (auto b = options.buffers.find(path); b != options.buffers.end()) return b->second;
  if (options.targetRevision) {
    auto r = repo.fileAtCommit(*options.targetRevision, path);
    if (!r) return std::nullopt;
    return std::move(r).value();
  }
  auto text = repo.fileInWorkdir(path);
  if (text && text->size() > options.maxFileBytes) return std::nullopt;
  return text;
}

Result<Trace> trace(const Repository& repo, const std::vector<std::string>& scanPaths, const TraceOptions& options) {
  Trace out;
  const std::string target = options.targetRevision.value_or("HEAD");
  auto targetCommit = repo.resolveCommit(target);
  if (!targetCommit) {
    // An unborn HEAD (no commit yet) still has a working tree to map onto.
    if (options.targetRevision) return targetCommit.error();
  } else {
    out.targetCommit = targetCommit.value();
  }

  if (options.scanRevision.empty()) {
    out.revision = RevisionStatus::NotGiven;
    out.note = "the scan names no revision";
  } else if (auto scan = repo.resolveCommit(options.scanRevision); scan) {
    out.revision = RevisionStatus::Found;
    out.scanCommit = scan.value();
  } else {
    out.revision = RevisionStatus::Missing;
    out.note = "scanned revision " + options.scanRevision + " is not in this repository" +
               (repo.isShallow() ? " (shallow clone)" : "");
  }

  std::map<std::string, std::string> current;  // scan path -> current path
  for (const auto& p : scanPaths) current[p] = p;
  std::set<std::string> changed;

  if (out.revision == RevisionStatus::Found && !out.targetCommit.empty()) {
    auto changes = repo.changesBetween(out.scanCommit, out.targetCommit);
    if (!changes) return changes.error();
    follow(changes.value(), current, changed);
  }
  if (!options.targetRevision && !repo.workdir().empty()) {
    if (!out.targetCommit.empty()) {
      if (auto toIndex = repo.changesToIndex(); toIndex)
        follow(toIndex.value(), current, changed);
      else
        out.problems.push_back(toIndex.error());
    }
    if (auto toWorkdir = repo.changesToWorkdir(); toWorkdir)
      follow(toWorkdir.value(), current, changed);
    else
      out.problems.push_back(toWorkdir.error());
  }
  for (const auto& [path, text] : options.buffers) changed.insert(path);

  std::vector<std::string> ordered;
  ordered.reserve(current.size());
  for (const auto& [scanPath, now] : current) ordered.push_back(scanPath);
  auto scanned = out.revision == RevisionStatus::Found ? repo.filesAtCommit(out.scanCommit, ordered)
                                                       : std::vector<Result<std::optional<std::string>>>();
  std::size_t next = 0;
  for (const auto& [scanPath, now] : current) {
    TracedFile f;
    f.scanPath = scanPath;
    f.path = now;
    if (out.revision == RevisionStatus::Found) {
      if (auto& old = scanned[next]; old)
        f.scanContent = std::move(old).value();
      else
        out.problems.push_back(old.error());
    }
    ++next;
    if (!now.empty()) {
      f.source = options.buffers.contains(now) ? ContentSource::Buffer
                 : options.targetRevision     ? ContentSource::Commit
                                              : ContentSource::WorkingTree;
      f.content = currentContent(repo, options, now);
      if (!f.content) f.path.clear();
    }
    if (f.scanContent && f.content) {
      if (auto lines = diffLines(*f.scanContent, *f.content); lines)
        f.lines = std::move(lines).value();
      else
        out.problems.push_back(lines.error());
    }
    out.files.emplace(scanPath, std::move(f));
  }

  std::set<std::string> traced;
  for (const auto& [scanPath, f] : out.files)
    if (!f.path.empty()) traced.insert(f.path);
  for (const auto& p : changed) {
    if (traced.contains(p)) continue;
    if (out.changedPaths.size() >= options.maxCandidateFiles) break;
    out.changedPaths.push_back(p);
  }
  return out;
}

}  // namespace aspm::gitmap
