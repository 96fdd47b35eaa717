// currentPaths(): the rename chain of each revision, as path changes between snapshots.
#include "mapping/scan_paths.h"

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

std::string follow(const Steps& steps, std::string path) {
  for (const auto& changes : steps) {
    for (const auto& c : changes) {
      if (c.oldPath != path) continue;
      if (c.kind == gitmap::PathChange::Kind::Renamed) {
        path = c.newPath;
        break;
      }
      if (c.kind == gitmap::PathChange::Kind::Deleted) return {};
    }
  }
  return path;
}

}  // namespace

correlate::CurrentPathProvider currentPaths(const std::string& repoRoot) {
  struct State {
    std::mutex mu;
    bool opened = false;
    std::optional<gitmap::Repository> repo;
    std::map<std::string, std::optional<Steps>> byRevision;  // nullopt: commit not usable
    std::map<std::pair<std::string, std::string>, std::string> paths;
  };
  auto state = std::make_shared<State>();
  return [state, repoRoot](const std::string& path, const std::string& revision) -> std::string {
    std::lock_guard lock(state->mu);
    if (!state->opened) {
      state->opened = true;
      if (auto r = gitmap::Repository::open(repoRoot); r && isWorkspaceTop(r.value(), repoRoot))
        state->repo.emplace(std::move(r.value()));
    }
    if (!state->repo) return {};
    if (auto it = state->paths.find({revision, path}); it != state->paths.end()) return it->second;
    auto steps = state->byRevision.find(revision);
    if (steps == state->byRevision.end()) {
      std::optional<Steps> s;
      auto commit = state->repo->resolveCommit(revision);
      auto head = state->repo->resolveCommit("HEAD");
      if (commit && head) {
        Steps list;
        if (auto c = state->repo->changesBetween(commit.value(), head.value())) list.push_back(std::move(c.value()));
        if (auto c = state->repo->changesToIndex()) list.push_back(std::move(c.value()));
        if (auto c = state->repo->changesToWorkdir()) list.push_back(std::move(c.value()));
        s = std::move(list);
      }
      steps = state->byRevision.emplace(revision, std::move(s)).first;
    }
    std::string now = steps->second ? follow(*steps->second, path) : std::string();
    state->paths.emplace(std::make_pair(revision, path), now);
    return now;
  };
}

}  // namespace aspm::mapping
