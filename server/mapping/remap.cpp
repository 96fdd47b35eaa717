// remap(): one trace per scan revision, then the matcher over the traced files.
#include "mapping/remap.h"

#include <filesystem>
#include <mutex>
#include <set>

namespace aspm::mapping {

Remapped remap(const gitmap::Repository& repo, const std::vector<Site>& sites, const gitmap::TraceOptions& options,
               const MatchOptions& matchOptions) {
  Remapped out;
  std::vector<std::string> paths;
  {
    std::set<std::string> seen;
    for (const auto& s : sites)
      if (seen.insert(s.scanPath).second) paths.push_back(s.scanPath);
  }
  auto traced = gitmap::trace(repo, paths, options);
  if (!traced) {
    out.problems.push_back(traced.error());
    out.note = traced.error().describe();
    for (std::size_t i = 0; i < sites.size(); ++i) {
      Placement p;
      p.state = model::FindingState::Stale;
      p.note = "cannot read the repository: " + out.note;
      out.placements.push_back(std::move(p));
    }
    return out;
  }
  gitmap::Trace& t = traced.value();
  out.revision = t.revision;
  out.note = t.note;
  out.problems = std::move(t.problems);

  MatchInput input;
  for (auto& [scanPath, f] : t.files) {
    FileVersions v;
    v.scanContent = std::move(f.scanContent);
    v.path = f.path;
    v.content = std::move(f.content);
    v.lines = std::move(f.lines);
    input.files.emplace(scanPath, std::move(v));
  }
  input.candidatePaths = std::move(t.changedPaths);
  input.readCandidate = [&repo, &options](const std::string& path) { return gitmap::currentContent(repo, options, path); };
  if (t.revision != gitmap::RevisionStatus::Found) input.revisionNote = t.note;
  out.placements = match(sites, input, matchOptions);
  return out;
}

std::optional<Site> siteOf(const model::Result& result) {
  if (result.locations.empty()) return std::nullopt;
  const model::Location& l = result.locations.front();
  if (!l.resolved || l.uri.empty() || !l.region.hasLines()) return std::nullopt;
  Site s;
  s.scanPath = l.uri;
  s.startLine = l.region.startLine;
  s.endLine = std::max(l.region.endLine, l.region.startLine);
  s.startColumn = l.region.startColumn;
  s.endColumn = l.region.endColumn;
  s.snippet = l.region.snippet;
  if (const auto h = result.partialFingerprints.find("primaryLocationLineHash"); h != result.partialFingerprints.end())
    s.lineHash = h->second;
  return s;
}

namespace {

// Modification time of a file, nullopt when it cannot be read.
std::optional<std::filesystem::file_time_type> modifiedAt(const std::string& path) {
  std::error_code ec;
  const auto t = std::filesystem::last_write_time(path, ec);
  if (ec) return std::nullopt;
  return t;
}

}  // namespace

bool isWorkspaceTop(const gitmap::Repository& repo, const std::string& root) {
  std::error_code ec;
  const std::string& top = repo.workdir();
  return !top.empty() && std::filesystem::equivalent(top, root.empty() ? "." : root, ec) && !ec;
}

FindingRemapOutcome remapFindings(const model::ScanSet& scans, std::vector<model::Finding>& findings,
                                  const FindingRemap& request) {
  FindingRemapOutcome out;
  out.mapped.assign(findings.size(), false);
  // Findings to map, grouped by the revision their primary result was scanned at.
  std::map<std::string, std::vector<std::pair<std::size_t, Site>>> byRevision;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const auto& f = findings[i];
    if (f.results.empty() || f.results.front() >= scans.results.size()) continue;
    const model::Result& r = scans.results[f.results.front()];
    auto site = siteOf(r);
    if (!site) continue;
    std::string revision = r.run < scans.runs.size() ? scans.runs[r.run].revision : std::string();
    if (revision.empty()) revision = request.fallbackRevision;
    if (revision.empty()) {
      ++out.leftAsScanned;  // nothing says which commit the scan saw: its lines are taken as they are
      continue;
    }
    byRevision[revision].emplace_back(i, std::move(*site));
  }
  if (byRevision.empty()) return out;
  auto repo = gitmap::Repository::open(request.repoRoot);
  if (!repo) {
    out.problems.push_back("findings left where the scan put them (no git repository to follow them through): " +
                           repo.error().describe());
    return out;
  }
  if (!isWorkspaceTop(repo.value(), request.repoRoot)) {
    // Report paths are relative to the workspace, history paths to the repository's top.
    out.problems.push_back("findings left where the scan put them: the workspace " + request.repoRoot +
                           " is not the top of its git repository " + repo.value().workdir());
    out.leftAsScanned += [&] {
      std::size_t n = 0;
      for (const auto& [rev, entries] : byRevision) n += entries.size();
      return n;
    }();
    return out;
  }
  std::string head;
  if (request.trustReportsNewerThanFiles && !request.targetRevision)
    if (auto h = repo.value().resolveCommit("HEAD")) head = h.value();
  const std::string workdir = repo.value().workdir();
  for (auto& [revision, entries] : byRevision) {
    if (!head.empty()) {
      // A scan of HEAD whose report is newer than the file saw the working tree as it is.
      auto resolved = repo.value().resolveCommit(revision);
      if (resolved && resolved.value() == head) {
        std::erase_if(entries, [&](const std::pair<std::size_t, Site>& e) {
          const model::Result& r = scans.results[findings[e.first].results.front()];
          const auto reportAt = r.run < scans.runs.size() ? modifiedAt(scans.runs[r.run].file) : std::nullopt;
          const auto fileAt = modifiedAt(workdir + e.second.scanPath);
          const bool asScanned = reportAt && fileAt && *reportAt >= *fileAt;
          if (asScanned) ++out.leftAsScanned;
          return asScanned;
        });
        if (entries.empty()) continue;
      }
    }
    gitmap::TraceOptions options;
    options.scanRevision = revision;
    options.targetRevision = request.targetRevision;
    options.buffers = request.buffers;
    std::vector<Site> sites;
    sites.reserve(entries.size());
    for (const auto& e : entries) sites.push_back(e.second);
    const Remapped r = remap(repo.value(), sites, options);
    for (const auto& e : r.problems) out.problems.push_back(e.describe());
    if (!r.note.empty()) out.problems.push_back(r.note);
    for (std::size_t k = 0; k < entries.size(); ++k) {
      model::Finding& f = findings[entries[k].first];
      out.mapped[entries[k].first] = true;
      const Placement& p = r.placements[k];
      const bool keepState = f.state == model::FindingState::Suppressed || f.state == model::FindingState::Triaged;
      if (!keepState) f.state = p.state;
      f.stateNote = p.note;
      if (!p.placed()) {
        f.location.reset();
        continue;
      }
      model::Location loc = f.location.value_or(scans.results[f.results.front()].locations.front());
      loc.uri = p.path;
      loc.resolved = true;
      loc.region.startLine = p.startLine;
      loc.region.endLine = p.endLine;
      loc.region.startColumn = p.startColumn;
      loc.region.endColumn = p.endColumn;
      loc.region.charOffset = -1;
      loc.region.charLength = -1;
      f.location = std::move(loc);
    }
  }
  return out;
}

correlate::RevisionContentProvider scannedContent(const std::string& repoRoot) {
  struct State {
    std::mutex mu;
    bool opened = false;
    std::optional<gitmap::Repository> repo;
    std::map<std::string, std::optional<std::string>> commits;  // revision -> full id (nullopt: missing)
  };
  auto state = std::make_shared<State>();
  return [state, repoRoot](const std::string& path, const std::string& revision) -> std::shared_ptr<const std::string> {
    std::lock_guard lock(state->mu);
    if (!state->opened) {
      state->opened = true;
      if (auto r = gitmap::Repository::open(repoRoot); r && isWorkspaceTop(r.value(), repoRoot))
        state->repo.emplace(std::move(r.value()));
    }
    if (!state->repo) return nullptr;
    auto it = state->commits.find(revision);
    if (it == state->commits.end()) {
      auto c = state->repo->resolveCommit(revision);
      it = state->commits.emplace(revision, c ? std::optional<std::string>(c.value()) : std::nullopt).first;
    }
    if (!it->second) return nullptr;
    auto text = state->repo->fileAtCommit(*it->second, path);
    if (!text || !text.value()) return nullptr;
    return std::make_shared<const std::string>(std::move(*text.value()));
  };
}

}  // namespace aspm::mapping
