// remap(): one trace per scan revision, then the matcher over the traced files.
#include "mapping/remap.h"

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

std::vector<std::string> remapFindings(const model::ScanSet& scans, std::vector<model::Finding>& findings,
                                       const FindingRemap& request) {
  std::vector<std::string> problems;
  auto repo = gitmap::Repository::open(request.repoRoot);
  if (!repo) {
    problems.push_back("not mapped to the current code: " + repo.error().describe());
    return problems;
  }
  // Group findings by the revision their primary result was scanned at.
  std::map<std::string, std::vector<std::pair<std::size_t, Site>>> byRevision;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const auto& f = findings[i];
    if (f.results.empty() || f.results.front() >= scans.results.size()) continue;
    const model::Result& r = scans.results[f.results.front()];
    auto site = siteOf(r);
    if (!site) continue;
    std::string revision = r.run < scans.runs.size() ? scans.runs[r.run].revision : std::string();
    if (revision.empty()) revision = request.fallbackRevision;
    byRevision[revision].emplace_back(i, std::move(*site));
  }
  for (auto& [revision, entries] : byRevision) {
    gitmap::TraceOptions options;
    options.scanRevision = revision;
    options.targetRevision = request.targetRevision;
    options.buffers = request.buffers;
    std::vector<Site> sites;
    sites.reserve(entries.size());
    for (const auto& e : entries) sites.push_back(e.second);
    const Remapped r = remap(repo.value(), sites, options);
    for (const auto& e : r.problems) problems.push_back(e.describe());
    if (!r.note.empty()) problems.push_back(r.note);
    for (std::size_t k = 0; k < entries.size(); ++k) {
      model::Finding& f = findings[entries[k].first];
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
  return problems;
}

}  // namespace aspm::mapping
