// currentPaths() and pathHistory(): the rename chain of each revision, as path changes between
// snapshots, forward to the working tree and back through first-parent history.
#include "mapping/scan_paths.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "gitmap/repository.h"
#include "mapping/remap.h"

namespace aspm::mapping {
namespace {

// The path changes from a commit to the working tree, one list per snapshot step.
using Steps = std::vector<std::vector<gitmap::PathChange>>;

// How far back a file's earlier names are looked for. A decision made before a rename this old
// is not found through it; each commit costs one tree diff with rename detection (about 0.7 ms
// of CPU per commit of this project's own history).
constexpr std::size_t kHistoryCommits = 1000;

std::string follow(const Steps& steps, std::string path, std::vector<std::string>* names = nullptr) {
  for (const auto& changes : steps) {
    for (const auto& c : changes) {
      if (c.oldPath != path) continue;
      if (c.kind == gitmap::PathChange::Kind::Renamed) {
        path = c.newPath;
        if (names) names->push_back(path);
        break;
      }
      if (c.kind == gitmap::PathChange::Kind::Deleted) return {};
    }
  }
  return path;
}

// History walked back from one revision, extended one commit at a time as names are asked for.
struct Backward {
  std::vector<std::vector<gitmap::PathChange>> steps;  // renames and additions, newest first
  std::string next;             // the commit to diff against its parent next; "" when done
  std::size_t commits = 0;
};

std::vector<gitmap::PathChange> renamesAndAdditions(std::vector<gitmap::PathChange> all) {
  std::erase_if(all, [](const gitmap::PathChange& c) {
    return c.kind != gitmap::PathChange::Kind::Renamed && c.kind != gitmap::PathChange::Kind::Added;
  });
  return all;
}

struct State {
  std::mutex mu;
  bool opened = false;
  std::optional<gitmap::Repository> repo;
  std::map<std::string, std::optional<Steps>> byRevision;  // nullopt: commit not usable
  std::map<std::pair<std::string, std::string>, std::string> paths;
  std::map<std::string, Backward> backward;  // by revision; "" starts at the working tree

  bool open(const std::string& repoRoot) {
    if (!opened) {
      opened = true;
      if (auto r = gitmap::Repository::open(repoRoot); r && isWorkspaceTop(r.value(), repoRoot)) repo.emplace(std::move(r.value()));
    }
    return repo.has_value();
  }

  const std::optional<Steps>& forward(const std::string& revision) {
    auto steps = byRevision.find(revision);
    if (steps == byRevision.end()) {
      std::optional<Steps> s;
      auto commit = repo->resolveCommit(revision);
      auto head = repo->resolveCommit("HEAD");
      if (commit && head) {
        Steps list;
        if (auto c = repo->changesBetween(commit.value(), head.value())) list.push_back(std::move(c.value()));
        if (auto c = repo->changesToIndex()) list.push_back(std::move(c.value()));
        if (auto c = repo->changesToWorkdir()) list.push_back(std::move(c.value()));
        s = std::move(list);
      }
      steps = byRevision.emplace(revision, std::move(s)).first;
    }
    return steps->second;
  }

  Backward& backFrom(const std::string& revision) {
    auto it = backward.find(revision);
    if (it != backward.end()) return it->second;
    Backward b;
    if (revision.empty()) {
      // A report that names no commit saw the working tree: its renames not yet committed first.
      if (auto c = repo->changesToWorkdir()) b.steps.push_back(renamesAndAdditions(std::move(c.value())));
      if (auto c = repo->changesToIndex()) b.steps.push_back(renamesAndAdditions(std::move(c.value())));
      if (auto head = repo->resolveCommit("HEAD")) b.next = head.value();
    } else if (auto commit = repo->resolveCommit(revision)) {
      b.next = commit.value();
    }
    return backward.emplace(revision, std::move(b)).first->second;
  }

  // One more commit of first-parent history; false when there is none (root, limit, error).
  bool extend(Backward& b) {
    if (b.next.empty()) return false;
    if (b.commits >= kHistoryCommits) {
      b.next.clear();
      return false;
    }
    auto parent = repo->resolveCommit(b.next + "^");
    if (!parent) {
      b.next.clear();
      return false;
    }
    auto changes = repo->changesBetween(parent.value(), b.next);
    if (!changes) {
      b.next.clear();
      return false;
    }
    b.steps.push_back(renamesAndAdditions(std::move(changes.value())));
    b.next = parent.value();
    ++b.commits;
    return true;
  }

  // The names `path` had before `revision`, newest first: followed back through renames until
  // the step that added it, the root commit or the history limit.
  std::vector<std::string> earlier(const std::string& revision, std::string path) {
    std::vector<std::string> names;
    Backward& b = backFrom(revision);
    for (std::size_t i = 0;; ++i) {
      if (i == b.steps.size() && !extend(b)) break;
      bool added = false;
      for (const auto& c : b.steps[i]) {
        if (c.newPath != path) continue;
        if (c.kind == gitmap::PathChange::Kind::Added) {
          added = true;
          break;
        }
        path = c.oldPath;
        names.push_back(path);
        break;
      }
      if (added) break;
    }
    return names;
  }
};

}  // namespace

PathProviders pathProviders(const std::string& repoRoot) {
  auto state = std::make_shared<State>();
  PathProviders out;
  out.currentPath = [state, repoRoot](const std::string& path, const std::string& revision) -> std::string {
    std::lock_guard lock(state->mu);
    if (!state->open(repoRoot)) return {};
    if (auto it = state->paths.find({revision, path}); it != state->paths.end()) return it->second;
    const auto& steps = state->forward(revision);
    std::string now = steps ? follow(*steps, path) : std::string();
    state->paths.emplace(std::make_pair(revision, path), now);
    return now;
  };
  out.pathHistory = [state, repoRoot](const std::string& path, const std::string& revision) {
    std::vector<std::string> names;
    std::lock_guard lock(state->mu);
    if (!state->open(repoRoot)) return names;
    if (!revision.empty()) {
      const auto& steps = state->forward(revision);
      if (!steps) return names;  // a commit this clone lacks: its history is unknown
      std::vector<std::string> later;
      follow(*steps, path, &later);
      names.assign(later.rbegin(), later.rend());
    }
    auto before = state->earlier(revision, path);
    if (names.empty() && before.empty()) return names;
    names.push_back(path);
    for (auto& n : before)
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(std::move(n));
    return names;
  };
  return out;
}

correlate::CurrentPathProvider currentPaths(const std::string& repoRoot) { return pathProviders(repoRoot).currentPath; }

}  // namespace aspm::mapping
