// Workspace state and the background jobs that read reports into it.
#include "engine/workspace.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <system_error>
#include <unordered_map>

#include "engine/actions.h"
#include "engine/analysis.h"
#include "engine/features.h"
#include "ingest/ingest.h"
#include "mapping/reachability.h"
#include "support/file.h"
#include "support/log.h"
#include "support/uri.h"

namespace aspm::engine {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kMaxProblemsPerReport = 50;  // the rest are summarised in one line
constexpr const char* kReloadKey = "*";
constexpr std::string_view kInventoryKey = "inventory#";  // + a sequence number

bool isGlob(std::string_view s) { return s.find_first_of("*?[{") != std::string_view::npos; }

std::string absoluteRoot(const std::string& root) {
  std::error_code ec;
  const fs::path p = fs::absolute(root.empty() ? "." : root, ec);
  return support::normalizePath(p.generic_string());
}

support::Problems capped(support::Problems problems, const std::string& file) {
  if (problems.size() <= kMaxProblemsPerReport) return problems;
  const std::size_t more = problems.size() - kMaxProblemsPerReport;
  problems.resize(kMaxProblemsPerReport);
  problems.push_back({file, "", "... and " + std::to_string(more) + " more problems", support::ProblemSeverity::Warning});
  return problems;
}

// Reads workspace files once per job, for correlation and for placing regions.
class ContentCache {
 public:
  explicit ContentCache(std::string root) : root_(std::move(root)) {}
  correlate::ContentProvider provider() {
    return [this](const std::string& rel) -> std::shared_ptr<const std::string> {
      auto it = cache_.find(rel);
      if (it != cache_.end()) return it->second;
      std::shared_ptr<const std::string> text;
      if (auto t = support::readFile(root_ + "/" + rel)) text = std::make_shared<const std::string>(std::move(*t));
      return cache_.emplace(rel, std::move(text)).first->second;
    };
  }

 private:
  std::string root_;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> cache_;
};

}  // namespace

Workspace::Workspace(WorkspaceOptions options, WorkspaceListener& listener)
    : root_(absoluteRoot(options.root)),
      debounce_(options.debounce),
      mapper_(options.mapper ? std::move(options.mapper) : std::make_shared<const ContentMapper>()),
      listener_(listener) {
  auto s = std::make_shared<Snapshot>();
  s->root = root_;
  s->settings = std::move(options.settings);
  current_ = std::move(s);
  triagePath_ = options.triageLog.empty() ? root_ + "/.aspm/triage.db" : options.triageLog;
  std::error_code ec;
  if (fs::exists(triagePath_, ec)) {
    auto log = store::client::DecisionLog::open(triagePath_);
    if (log.value) {
      triageLog_ = std::move(log.value);
      auto current = triageLog_->current();
      publishTriage({current.begin(), current.end()});
    } else {
      for (const auto& p : log.problems) support::logWarning(p.file + ": " + p.message);
    }
  }
}

void Workspace::publishTriage(std::map<std::string, model::TriageDecision, std::less<>> decisions) {
  auto next = std::make_shared<Snapshot>(*current_);
  next->triage = std::make_shared<const std::map<std::string, model::TriageDecision, std::less<>>>(std::move(decisions));
  next->triageAsOf = nowRfc3339();
  ++next->generation;
  current_ = std::move(next);
}

std::string Workspace::openTriageLog() {
  if (triageLog_) return {};
  auto log = store::client::DecisionLog::open(triagePath_);
  if (!log.value)
    return log.problems.empty() ? "cannot open the triage log " + triagePath_ : log.problems.front().message + " (" + triagePath_ + ")";
  triageLog_ = std::move(log.value);
  return {};
}

Workspace::TriageOutcome Workspace::recordTriage(const std::string& findingId, model::TriageDecision decision) {
  TriageOutcome out;
  if (decision.at.empty()) decision.at = nowRfc3339();
  if (decision.author.empty()) {
    const char* user = std::getenv("ASPM_USER");
    if (!user || !*user) user = std::getenv("USER");
    decision.author = user ? user : "";
  }
  {
    std::lock_guard lock(mu_);
    if (out.error = openTriageLog(); !out.error.empty()) return out;
    const auto recorded = triageLog_->record(findingId, decision);
    if (!recorded.error.empty()) {
      out.error = recorded.error;
      return out;
    }
    auto current = triageLog_->current();
    publishTriage({current.begin(), current.end()});
    if (auto ref = findFinding(*current_, findingId); ref && ref->finding->location) out.paths.push_back(ref->finding->location->uri);
  }
  syncStoreNow();  // pushed at once rather than at the next round
  return out;
}

std::vector<std::string> Workspace::installStoreDecisions(const std::vector<model::StoredDecision>& decisions) {
  std::set<std::string> paths;
  std::lock_guard lock(mu_);
  if (!openTriageLog().empty()) return {};
  // Times compare to the second: the store writes milliseconds, the log whole seconds.
  const auto second = [](const std::string& at) { return at.substr(0, 19); };
  std::map<std::string, std::string> undelivered;  // fingerprint -> newest local time not yet in the store
  for (const auto& row : triageLog_->outbox()) undelivered[row.fingerprint] = second(row.decision.at);
  auto current = triageLog_->current();
  std::vector<std::pair<std::string, model::TriageDecision>> taken;
  for (const auto& d : decisions) {
    if (auto it = undelivered.find(d.fingerprint); it != undelivered.end() && it->second >= second(d.decision.at)) continue;
    if (auto it = current.find(d.fingerprint); it != current.end() && it->second.status == d.decision.status &&
                                               it->second.reason == d.decision.reason && it->second.expires == d.decision.expires)
      continue;
    current[d.fingerprint] = d.decision;
    taken.emplace_back(d.fingerprint, d.decision);
  }
  if (taken.empty()) return {};
  const auto recorded = triageLog_->recordDelivered(taken);
  std::vector<std::string> changed;
  for (std::size_t i = 0; i < taken.size(); ++i)
    if (recorded[i].error.empty()) changed.push_back(taken[i].first);
  if (changed.size() != taken.size()) current = triageLog_->current();  // keep only what the log holds
  if (changed.empty()) return {};
  publishTriage({current.begin(), current.end()});
  for (const auto& id : changed)
    if (auto ref = findFinding(*current_, id); ref && ref->finding->location) paths.insert(ref->finding->location->uri);
  return {paths.begin(), paths.end()};
}

void Workspace::startStoreSync(store::client::SyncConfig config, StoreStatusCallback onStatus, TriageChangedCallback onChanged) {
  stopStoreSync();
  std::shared_ptr<store::client::DecisionLog> log;
  std::string error;
  {
    std::lock_guard lock(mu_);
    error = openTriageLog();
    log = triageLog_;
  }
  if (!log) {
    if (onStatus) onStatus({store::client::SyncState::Error, 0, error});
    return;
  }
  auto install = [this, onChanged](const std::vector<model::StoredDecision>& decisions) {
    auto paths = installStoreDecisions(decisions);
    if (!paths.empty() && onChanged) onChanged(paths);
  };
  auto client = std::make_unique<store::client::SyncClient>(std::move(config), std::move(log), std::move(install), std::move(onStatus));
  client->start();
  std::lock_guard lock(syncMu_);
  sync_ = std::move(client);
}

void Workspace::stopStoreSync() {
  std::unique_ptr<store::client::SyncClient> running;
  {
    std::lock_guard lock(syncMu_);
    running = std::move(sync_);
  }
  if (running) running->stop();  // outside the lock: its thread may be installing (taking mu_)
}

bool Workspace::syncStoreNow() {
  std::lock_guard lock(syncMu_);
  if (!sync_) return false;
  sync_->syncNow();
  return true;
}

std::optional<store::client::SyncConfig> Workspace::storeSyncConfig() const {
  std::lock_guard lock(syncMu_);
  if (!sync_) return std::nullopt;
  return sync_->config();
}

std::vector<model::TriageDecision> Workspace::triageHistory(const std::string& findingId) const {
  std::lock_guard lock(mu_);
  std::vector<model::TriageDecision> out;
  if (!triageLog_) return out;
  for (auto& row : triageLog_->history(findingId)) out.push_back(std::move(row.decision));
  // Decisions recorded under the ids the finding had before its file was renamed are its history too.
  if (auto ref = findFinding(*current_, findingId); ref && ref->finding->id == findingId && !ref->finding->previousIds.empty()) {
    for (const auto& p : ref->finding->previousIds)
      for (auto& row : triageLog_->history(p.id)) out.push_back(std::move(row.decision));
    std::stable_sort(out.begin(), out.end(),
                     [](const model::TriageDecision& a, const model::TriageDecision& b) { return a.at < b.at; });
  }
  return out;
}

Workspace::~Workspace() { stop(); }

std::shared_ptr<const Snapshot> Workspace::snapshot() const {
  std::lock_guard lock(mu_);
  return current_;
}

// ---- Reports ------------------------------------------------------------------------------------

std::vector<std::string> Workspace::reportInputs(const Settings& settings) const {
  std::vector<std::string> out;
  for (const auto& g : settings.reportGlobs) {
    if (g.empty()) continue;
    if (isGlob(g) || g.front() == '/') out.push_back(g);
    else out.push_back(root_ + "/" + g);  // plain paths are relative to the workspace, not the cwd
  }
  return out;
}

namespace {

bool matchesInput(const std::string& input, const std::string& path, const std::optional<std::string>& rel) {
  if (isGlob(input)) return (rel && support::globMatch(input, *rel)) || support::globMatch(input, path);
  const std::string p = support::normalizePath(input);
  return path == p || path.starts_with(p + "/");
}

bool looksLikeReport(const std::string& file) {
  std::string head;
  support::readFileChunks(file, 4096, [&](std::string_view chunk) {
    head.assign(chunk);
    return false;
  });
  return ingest::detectFormat(head) != ingest::Format::Unknown;
}

}  // namespace

Workspace::Match Workspace::matchReportFile(const std::string& path, const Settings& settings) const {
  const auto rel = support::relativeTo(path, root_);
  for (const auto& input : reportInputs(settings))
    if (matchesInput(input, path, rel)) return Match::Report;
  if (!settings.globsFromUser)
    for (const auto& g : settings.nativeReportGlobs)
      if (rel && support::globMatch(g, *rel)) return Match::IfContentIsReport;
  return Match::None;
}

bool Workspace::isReportFile(std::string_view absolutePath) const {
  return matchReportFile(support::normalizePath(absolutePath), snapshot()->settings) != Match::None;
}

std::vector<std::string> Workspace::watchGlobs() const {
  const Settings settings = snapshot()->settings;
  std::vector<std::string> out;
  for (const auto& g : settings.reportGlobs) {
    if (g.empty()) continue;
    if (isGlob(g)) out.push_back(g);
    else out.push_back(g + "{,/**}");  // a file, or a directory's contents
  }
  if (!settings.globsFromUser) out.insert(out.end(), settings.nativeReportGlobs.begin(), settings.nativeReportGlobs.end());
  return out;
}

void Workspace::reloadAll() {
  // A request for the inventory waiting behind the reload still gets its answer.
  scheduler_.dropPending([](const std::string& key) { return !key.starts_with(kInventoryKey); });
  scheduler_.schedule(kReloadKey, [this](const std::atomic<bool>& cancelled) { runReload(cancelled); });
}

bool Workspace::setSettings(Settings settings, bool reload) {
  bool globsChanged = false;
  bool revisionChanged = false;
  {
    std::lock_guard lock(mu_);
    globsChanged = current_->settings.reportGlobs != settings.reportGlobs;
    // A new revision changes where every finding of a report without one is placed.
    revisionChanged = current_->settings.revision != settings.revision;
    auto next = std::make_shared<Snapshot>(*current_);
    next->settings = std::move(settings);
    ++next->generation;
    current_ = std::move(next);
  }
  if ((globsChanged || revisionChanged) && reload) reloadAll();
  return globsChanged;
}

void Workspace::reportFilesChanged(const std::vector<FileChange>& changes) {
  for (const auto& change : changes) {
    const std::string file = support::normalizePath(change.path);
    bool known = false;
    {
      const auto snap = snapshot();
      known = std::any_of(snap->reports.begin(), snap->reports.end(), [&](const auto& r) {
        return r->file == file || std::find(r->inputs.begin(), r->inputs.end(), file) != r->inputs.end();
      });
    }
    if (!known && !isReportFile(file)) continue;
    // Debounced per file: a tool writing its report in several steps causes one read.
    scheduler_.schedule(
        file, [this, file](const std::atomic<bool>& cancelled) { readReport(file, cancelled, true); }, debounce_);
  }
}

void Workspace::installReport(std::shared_ptr<const Report> report) {
  const std::string file = report->file;
  listener_.onFindingsChanged(replaceReport(file, std::move(report)));
}

void Workspace::withInventory(bool refresh, InventoryCallback done) {
  if (!refresh)
    if (auto snap = snapshot(); snap->inventory) return done(std::move(snap));
  const std::string key = std::string(kInventoryKey) + std::to_string(++inventoryJobs_);
  scheduler_.schedule(key, [this, refresh, done = std::move(done)](const std::atomic<bool>&) {
    // A reload that ran while this job waited may have discovered the estate already.
    if (!refresh)
      if (auto snap = snapshot(); snap->inventory) return done(std::move(snap));
    auto estate = discoverInventory(root_);
    if (!estate.problems.empty()) listener_.onProblems(capped(estate.problems, root_));
    publishInventory(std::make_shared<const inventory::Inventory>(std::move(estate.value)));
    done(snapshot());
  });
}

void Workspace::publishInventory(std::shared_ptr<const inventory::Inventory> inventory) {
  std::lock_guard lock(mu_);
  auto next = std::make_shared<Snapshot>(*current_);
  next->inventory = std::move(inventory);
  ++next->generation;
  current_ = std::move(next);
}

void Workspace::stop() {
  stopStoreSync();
  scheduler_.stop();
}

bool Workspace::waitIdle(std::chrono::steady_clock::time_point deadline) { return scheduler_.waitIdle(deadline); }

std::vector<std::string> Workspace::replaceReport(const std::string& file, std::shared_ptr<const Report> report) {
  std::set<std::string> paths;
  if (report)
    for (const auto& p : pathsOf(*report)) paths.insert(p);
  std::lock_guard lock(mu_);
  auto next = std::make_shared<Snapshot>(*current_);
  auto it = std::find_if(next->reports.begin(), next->reports.end(), [&](const auto& r) { return r->file == file; });
  if (it != next->reports.end()) {
    for (const auto& p : pathsOf(**it)) paths.insert(p);
    if (report) *it = std::move(report);
    else next->reports.erase(it);
  } else if (report) {
    next->reports.push_back(std::move(report));
    std::sort(next->reports.begin(), next->reports.end(), [](const auto& a, const auto& b) { return a->file < b->file; });
  }
  ++next->generation;
  current_ = std::move(next);
  return {paths.begin(), paths.end()};
}

std::vector<std::string> Workspace::applyReports(std::vector<Ingested> loaded, const std::vector<std::string>& removed,
                                                bool replaceAll) {
  std::set<std::string> leaving(removed.begin(), removed.end());
  for (const auto& l : loaded) leaving.insert(l.file);
  const auto snap = snapshot();
  std::shared_ptr<const Report> old;
  for (const auto& r : snap->reports)
    if (isCombined(*r)) old = r;

  auto fromLeaving = [&](const Report& r, const model::Finding& f) {
    if (replaceAll) return true;
    return std::any_of(f.results.begin(), f.results.end(),
                       [&](std::uint32_t i) { return leaving.contains(r.scans.runs[r.scans.results[i].run].file); });
  };
  std::set<std::string> changed;
  if (old)
    for (const auto& [path, indices] : old->byPath)
      for (std::uint32_t i : indices)
        if (fromLeaving(*old, old->findings[i])) {
          changed.insert(path);
          break;
        }
  if (old)  // a dependency's import sites are shown on their files too
    for (const auto& [path, sites] : old->sitesByPath)
      if (std::any_of(sites.begin(), sites.end(), [&](const auto& x) { return fromLeaving(*old, old->findings[x.first]); }))
        changed.insert(path);

  // The merged scan set: what stays from the old view, then the newly read reports.
  model::ScanSet merged;
  if (old && !replaceAll) {
    std::vector<std::int64_t> runMap(old->scans.runs.size(), -1);
    for (std::size_t r = 0; r < old->scans.runs.size(); ++r) {
      if (leaving.contains(old->scans.runs[r].file)) continue;
      runMap[r] = static_cast<std::int64_t>(merged.runs.size());
      merged.runs.push_back(old->scans.runs[r]);
    }
    for (const auto& result : old->scans.results) {
      if (runMap[result.run] < 0) continue;
      merged.results.push_back(result);
      merged.results.back().run = static_cast<std::uint32_t>(runMap[result.run]);
    }
  }
  if (replaceAll) {
    fileProblems_.clear();
    fileBytes_.clear();
  }
  for (const auto& f : removed) {
    fileProblems_.erase(f);
    fileBytes_.erase(f);
  }
  for (auto& l : loaded) {
    const auto offset = static_cast<std::uint32_t>(merged.runs.size());
    for (auto& run : l.scans.runs) {
      run.file = l.file;  // the key that takes these results out again when the file changes
      merged.runs.push_back(std::move(run));
    }
    for (auto& result : l.scans.results) {
      result.run += offset;
      merged.results.push_back(std::move(result));
    }
    fileProblems_[l.file] = std::move(l.problems);
    fileBytes_[l.file] = l.bytes;
  }

  support::Problems problems;
  std::uint64_t bytes = 0;
  std::vector<std::string> inputs;
  for (const auto& [file, p] : fileProblems_) {
    problems.insert(problems.end(), p.begin(), p.end());
    inputs.push_back(file);
  }
  for (const auto& [file, b] : fileBytes_) bytes += b;

  std::shared_ptr<const Report> next;
  std::shared_ptr<const inventory::Inventory> inventory;  // discovered again by this call
  if (!inputs.empty()) {
    // Business context is read once per full reload, not on every changed report: the project's
    // configuration and intel files (EPSS, KEV), then the discovered estate, which the
    // configuration overrides by coming first.
    if (replaceAll || !risk_) {
      support::Problems configProblems;
      risk_ = loadRiskContext(root_, "", configProblems);
      if (!configProblems.empty()) listener_.onProblems(configProblems);
      auto estate = discoverInventory(root_);
      if (!estate.problems.empty()) listener_.onProblems(capped(estate.problems, root_));
      auto discovered = discoveredApplications(estate.value);
      risk_->applications.insert(risk_->applications.end(), discovered.begin(), discovered.end());
      risk_->reachability = mapping::reachabilityOracle(root_);  // indexes the code on first use
      inventory = std::make_shared<const inventory::Inventory>(std::move(estate.value));
    }
    const correlate::RiskContext& risk = *risk_;
    ContentCache content(root_);
    HistoryMapping history{root_, snap->settings.revision};
    const std::size_t inputProblems = problems.size();
    auto built = std::const_pointer_cast<Report>(
        buildReport(root_, std::move(merged), std::move(problems), content.provider(), bytes, &risk, &history));
    if (built->problems.size() > inputProblems)
      listener_.onProblems(support::Problems(built->problems.begin() + static_cast<std::ptrdiff_t>(inputProblems),
                                             built->problems.end()));
    for (const auto& f : inputs) {
      std::error_code tec;
      const auto t = fs::last_write_time(f, tec);
      if (!tec) built->writtenAt.emplace(f, t);
    }
    built->inputs = std::move(inputs);
    for (const auto& [path, indices] : built->byPath)
      for (std::uint32_t i : indices)
        if (fromLeaving(*built, built->findings[i])) {
          changed.insert(path);
          break;
        }
    for (const auto& [path, sites] : built->sitesByPath)
      if (std::any_of(sites.begin(), sites.end(), [&](const auto& x) { return fromLeaving(*built, built->findings[x.first]); }))
        changed.insert(path);
    next = std::move(built);
  }

  std::lock_guard lock(mu_);
  auto snapshotNext = std::make_shared<Snapshot>(*current_);
  auto& reports = snapshotNext->reports;
  reports.erase(std::remove_if(reports.begin(), reports.end(), [&](const auto& r) { return isCombined(*r); }), reports.end());
  if (next) reports.push_back(std::move(next));
  std::sort(reports.begin(), reports.end(), [](const auto& a, const auto& b) { return a->file < b->file; });
  if (inventory) snapshotNext->inventory = std::move(inventory);
  ++snapshotNext->generation;
  current_ = std::move(snapshotNext);
  return {changed.begin(), changed.end()};
}

void Workspace::readReport(const std::string& file, const std::atomic<bool>& cancelled, bool announce) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  const Match match = matchReportFile(file, snapshot()->settings);
  if (!fs::is_regular_file(file, ec) || match == Match::None ||
      (match == Match::IfContentIsReport && !looksLikeReport(file))) {
    listener_.onFindingsChanged(applyReports({}, {file}, false));
    return;
  }
  const std::uint64_t size = fs::file_size(file, ec);
  const std::string name = fs::path(file).filename().string();
  if (announce) listener_.onLoadStarted("Reading " + name, 1);
  ingest::PathResolver resolver(root_);
  ingest::IngestOptions io;
  io.resolver = &resolver;
  io.cancel = &cancelled;
  unsigned lastPercent = 0;
  if (announce) {
    io.progress = [&](std::uint64_t done, std::uint64_t total) {
      const unsigned percent = total ? static_cast<unsigned>(done * 100 / total) : 0;
      if (percent != lastPercent) listener_.onLoadProgress(lastPercent = percent, name);
    };
  }
  auto result = ingest::ingestFile(file, io);
  if (cancelled) return;  // a newer read of this file is queued
  const std::size_t problems = result.problems.size();
  if (problems) listener_.onProblems(capped(result.problems, file));
  std::vector<Ingested> loaded;
  loaded.push_back({file, std::move(result.value), std::move(result.problems), size});
  listener_.onFindingsChanged(applyReports(std::move(loaded), {}, false));
  if (announce) {
    LoadSummary summary;
    summary.reports = 1;
    summary.problems = problems;
    const auto snap = snapshot();
    for (const auto& r : snap->reports) summary.findings += r->findings.size();
    summary.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    listener_.onLoadFinished(summary);
  }
}

void Workspace::runReload(const std::atomic<bool>& cancelled) {
  const auto started = std::chrono::steady_clock::now();
  const Settings settings = snapshot()->settings;
  std::vector<std::string> inputs = reportInputs(settings);
  if (!settings.globsFromUser) inputs.insert(inputs.end(), settings.nativeReportGlobs.begin(), settings.nativeReportGlobs.end());
  auto expanded = expandInputs(inputs, root_, settings.globsFromUser);
  if (!expanded.problems.empty()) listener_.onProblems(expanded.problems);
  std::vector<std::string> files;
  std::vector<std::uint64_t> sizes;
  std::uint64_t total = 0;
  for (const auto& f : expanded.value) {
    std::error_code ec;
    const std::string file = support::normalizePath(fs::absolute(f, ec).generic_string());
    const Match match = matchReportFile(file, settings);
    if (match == Match::None || (match == Match::IfContentIsReport && !looksLikeReport(file))) continue;
    files.push_back(file);
    const std::uint64_t s = fs::file_size(files.back(), ec);
    sizes.push_back(ec ? 0 : s);
    total += sizes.back();
  }
  listener_.onLoadStarted("Loading scanner reports", files.size());

  LoadSummary summary;
  ingest::PathResolver resolver(root_);  // learns URI bases across the reports of one load
  std::uint64_t before = 0;
  unsigned lastPercent = 0;
  auto progress = [&](std::uint64_t done, const std::string& name) {
    const unsigned percent = total ? static_cast<unsigned>(std::min<std::uint64_t>(100, done * 100 / total)) : 100;
    if (percent != lastPercent) listener_.onLoadProgress(lastPercent = percent, name);
  };
  std::vector<Ingested> loaded;
  for (std::size_t i = 0; i < files.size() && !cancelled; ++i) {
    const std::string name = fs::path(files[i]).filename().string();
    ingest::IngestOptions io;
    io.resolver = &resolver;
    io.cancel = &cancelled;
    io.progress = [&](std::uint64_t done, std::uint64_t) { progress(before + done, name); };
    const auto t0 = std::chrono::steady_clock::now();
    auto result = ingest::ingestFile(files[i], io);
    if (cancelled) break;
    support::logDebug(files[i] + ": read in " +
                      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count()) +
                      " ms");
    summary.problems += result.problems.size();
    if (!result.problems.empty()) listener_.onProblems(capped(result.problems, files[i]));
    loaded.push_back({files[i], std::move(result.value), std::move(result.problems), sizes[i]});
    ++summary.reports;
    before += sizes[i];
    progress(before, name);
  }
  summary.cancelled = cancelled;
  if (!cancelled) {
    // One correlation over every report: reports that the settings no longer name (or that were
    // deleted) leave the view with it.
    const auto t0 = std::chrono::steady_clock::now();
    listener_.onFindingsChanged(applyReports(std::move(loaded), {}, true));
    support::logDebug("correlated and indexed " + std::to_string(files.size()) + " reports in " +
                      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count()) +
                      " ms");
  }
  for (const auto& r : snapshot()->reports) summary.findings += r->findings.size();
  summary.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  listener_.onLoadFinished(summary);
}

// ---- Documents ----------------------------------------------------------------------------------

std::string Workspace::keyFor(std::string_view absolutePath) const {
  const std::string path = support::normalizePath(absolutePath);
  if (auto rel = support::relativeTo(path, root_); rel && !rel->empty()) return *rel;
  return path;
}

void Workspace::openDocument(const std::string& key, std::string text, std::int64_t version) {
  const bool inside = key.empty() || key.front() != '/';
  const std::string diskText = support::readFile(inside ? root_ + "/" + key : key).value_or(std::string());
  auto doc = std::make_shared<OpenDocument>();
  doc->path = key;
  doc->version = version;
  doc->setText(std::move(text));
  doc->mapping = mapper_->open(key, diskText, doc->text);
  std::lock_guard lock(mu_);
  auto next = std::make_shared<Snapshot>(*current_);
  next->documents[key] = std::move(doc);
  ++next->generation;
  current_ = std::move(next);
}

bool Workspace::changeDocument(const std::string& key, const std::vector<TextChange>& changes, std::int64_t version) {
  std::shared_ptr<const OpenDocument> old;
  {
    std::lock_guard lock(mu_);
    auto it = current_->documents.find(key);
    if (it == current_->documents.end()) return false;
    old = it->second;
  }
  auto doc = std::make_shared<OpenDocument>();
  doc->path = key;
  doc->version = version;
  doc->mapping = old->mapping;
  doc->savedMapping = old->savedMapping;
  doc->savedAt = old->savedAt;
  // A marker can only appear where text was inserted (possibly joined with its neighbours), so
  // only those windows are scanned; a deleted marker leaves the flag set, which is only slower.
  bool maySuppress = old->maySuppress;
  // The first change applies to the old version's text and line index as they are (a large
  // file is copied once per keystroke, by applying the change, not twice).
  // Each change's line index and line lengths are derived from the previous ones: only the
  // lines it touched are measured again.
  std::string text;
  std::string_view current = old->text;
  const support::LineIndex* lines = &old->lines;
  const std::vector<std::uint32_t>* lengths16 = &old->lengths16;
  std::optional<EditedLines> edited;
  for (std::size_t c = 0; c < changes.size(); ++c) {
    const TextChange& change = changes[c];
    AppliedChange applied = applyChange(current, *lines, change);
    EditedLines next = linesAfterEdit(*lines, *lengths16, applied.text, applied.startByte, applied.endByte, applied.inserted.size());
    Edit edit;
    edit.range = applied.range;
    edit.startByte = applied.startByte;
    edit.endByte = applied.endByte;
    edit.newText = applied.inserted;
    edit.before = current;
    edit.after = applied.text;
    doc->mapping = mapper_->edit(doc->mapping, edit);
    if (doc->savedMapping) doc->savedMapping = mapper_->edit(doc->savedMapping, edit);
    if (!maySuppress) {
      constexpr std::size_t kMarkerReach = 32;  // longer than any marker
      const std::size_t from = applied.startByte > kMarkerReach ? applied.startByte - kMarkerReach : 0;
      const std::size_t to = std::min(applied.text.size(), applied.startByte + applied.inserted.size() + kMarkerReach);
      maySuppress = mayHaveSuppressionComment(std::string_view(applied.text).substr(from, to - from));
    }
    text = std::move(applied.text);
    current = text;
    edited = std::move(next);
    lines = &edited->lines;
    lengths16 = &edited->lengths16;
  }
  if (edited) doc->setEditedText(std::move(text), std::move(edited->lines), std::move(edited->lengths16), maySuppress);
  else doc->setText(old->text, maySuppress);
  std::lock_guard lock(mu_);
  auto next = std::make_shared<Snapshot>(*current_);
  next->documents[key] = std::move(doc);
  ++next->generation;
  current_ = std::move(next);
  return true;
}

void Workspace::saveDocument(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = current_->documents.find(key);
  if (it == current_->documents.end()) return;
  auto doc = std::make_shared<OpenDocument>(*it->second);
  doc->savedMapping = mapper_->open(key, doc->text, doc->text);
  // The saved file's own time, so it compares with report files on the file system's clock
  // (whose granularity is coarser than the system clock's).
  std::error_code ec;
  const bool inside = key.empty() || key.front() != '/';
  const auto written = fs::last_write_time(inside ? root_ + "/" + key : key, ec);
  doc->savedAt = ec ? fs::file_time_type::clock::now() : written;
  auto next = std::make_shared<Snapshot>(*current_);
  next->documents[key] = std::move(doc);
  ++next->generation;
  current_ = std::move(next);
}

void Workspace::closeDocument(const std::string& key) {
  std::lock_guard lock(mu_);
  if (!current_->documents.contains(key)) return;
  auto next = std::make_shared<Snapshot>(*current_);
  next->documents.erase(key);
  ++next->generation;
  current_ = std::move(next);
}

}  // namespace aspm::engine
