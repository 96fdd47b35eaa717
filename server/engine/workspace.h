// The engine's front door (clangd's ClangdServer): a feature API keyed by workspace paths, with
// no LSP and no JSON. It reads every report file the settings name and correlates all of them
// together (one problem reported by three tools in three files is one finding); a changed report
// is re-read alone and its results replace the old ones in that correlated view. It also keeps
// the open documents and their location mappings, and publishes an immutable Snapshot after
// every change. Reading and correlating happen on the Scheduler's worker; results
// are announced through the Listener (called on the worker thread).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/location_mapper.h"
#include "engine/report.h"
#include "engine/scheduler.h"
#include "engine/snapshot.h"
#include "engine/types.h"
#include "store/client/decision_log.h"
#include "store/client/sync.h"
#include "support/problem.h"

namespace aspm::engine {

struct LoadSummary {
  std::size_t reports = 0;   // report files read by this load
  std::size_t findings = 0;  // findings in the whole workspace afterwards
  std::size_t problems = 0;  // problems met by this load
  bool cancelled = false;
  std::chrono::milliseconds elapsed{0};
};

class WorkspaceListener {
 public:
  virtual ~WorkspaceListener() = default;
  virtual void onLoadStarted(const std::string& title, std::size_t files) = 0;
  virtual void onLoadProgress(unsigned percent, const std::string& message) = 0;
  virtual void onLoadFinished(const LoadSummary& summary) = 0;
  // Problems met while reading one report (already capped to a readable number).
  virtual void onProblems(const support::Problems& problems) = 0;
  // The findings of these workspace-relative paths changed.
  virtual void onFindingsChanged(const std::vector<std::string>& paths) = 0;
};

struct WorkspaceOptions {
  std::string root;  // absolute; normalised by the workspace
  Settings settings;
  std::chrono::milliseconds debounce{150};  // quiet time before a changed report is re-read
  std::shared_ptr<const LocationMapper> mapper;  // null: ContentMapper
  // The local triage log; default <root>/.aspm/triage.db (created on the first decision).
  std::string triageLog;
};

enum class FileChangeKind { Created, Changed, Deleted };
struct FileChange {
  std::string path;  // absolute
  FileChangeKind kind = FileChangeKind::Changed;
};

class Workspace {
 public:
  Workspace(WorkspaceOptions options, WorkspaceListener& listener);
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  const std::string& root() const noexcept { return root_; }
  std::shared_ptr<const Snapshot> snapshot() const;

  // ---- Reports
  // Finds every report file the settings name and re-reads them all (in the background).
  void reloadAll();
  // Applies new settings. Returns whether the report globs changed; then everything is re-read
  // when `reload` is set.
  bool setSettings(Settings settings, bool reload = true);
  // Report files created, changed or deleted on disk: each is re-read (or dropped) alone.
  // Files the settings do not name are ignored.
  void reportFilesChanged(const std::vector<FileChange>& changes);
  bool isReportFile(std::string_view absolutePath) const;
  // The globs a file watcher should cover (plain paths become path globs).
  std::vector<std::string> watchGlobs() const;
  // Adds or replaces one report read elsewhere (benchmarks and tests load prepared reports).
  void installReport(std::shared_ptr<const Report> report);
  // Stops background work (pending loads are dropped, a running one is cancelled).
  void stop();
  // Waits for background work to finish; false on timeout.
  bool waitIdle(std::chrono::steady_clock::time_point deadline);

  // ---- Estate
  // Hands `done` (on the scheduler's worker, or at once) a snapshot holding the discovered
  // inventory: the current one when it has an inventory and `refresh` is not set, else one
  // published after discovering the estate on the worker. A later full reload discovers it again
  // (and scores risk with it); a refresh changes the inventory only, not the scores.
  using InventoryCallback = std::function<void(std::shared_ptr<const Snapshot>)>;
  void withInventory(bool refresh, InventoryCallback done);

  // ---- Triage
  struct TriageOutcome {
    std::string error;               // empty on success
    std::vector<std::string> paths;  // files whose findings changed
  };
  // Records a decision (author and time filled in when empty) in the local triage log and
  // publishes a snapshot with it.
  TriageOutcome recordTriage(const std::string& findingId, model::TriageDecision decision);
  // Every decision recorded here about one finding, oldest first.
  std::vector<model::TriageDecision> triageHistory(const std::string& findingId) const;
  const std::string& triageLogPath() const noexcept { return triagePath_; }
  // Decisions pulled from the shared store: recorded in the log as delivered and published.
  // A decision the log already holds is skipped, and so is one older than an undelivered local
  // decision on the same finding (the local one reaches the store next and wins there too).
  // Returns the files whose findings changed.
  std::vector<std::string> installStoreDecisions(const std::vector<model::StoredDecision>& decisions);

  // ---- Store sync (the sync client runs on its own thread; callbacks run there)
  using StoreStatusCallback = std::function<void(const store::client::SyncStatus&)>;
  using TriageChangedCallback = std::function<void(const std::vector<std::string>& paths)>;
  // Starts syncing the triage log with aspm-store, replacing a running sync with other settings.
  void startStoreSync(store::client::SyncConfig config, StoreStatusCallback onStatus, TriageChangedCallback onChanged);
  void stopStoreSync();
  // Starts a sync round now; false when no sync is running.
  bool syncStoreNow();
  std::optional<store::client::SyncConfig> storeSyncConfig() const;

  // ---- Documents, keyed by keyFor(absolute path)
  // Workspace-relative path for files inside the root, else the normalised absolute path.
  std::string keyFor(std::string_view absolutePath) const;
  void openDocument(const std::string& key, std::string text, std::int64_t version);
  // False when the document is not open (the change is ignored).
  bool changeDocument(const std::string& key, const std::vector<TextChange>& changes, std::int64_t version);
  // The buffer was written to disk: reports written after this describe its text.
  void saveDocument(const std::string& key);
  void closeDocument(const std::string& key);

 private:
  struct Ingested {
    std::string file;
    model::ScanSet scans;
    support::Problems problems;
    std::uint64_t bytes = 0;
  };
  void readReport(const std::string& file, const std::atomic<bool>& cancelled, bool announce);
  void runReload(const std::atomic<bool>& cancelled);
  // Rebuilds the correlated view: the results of `removed` and of every file in `loaded` leave
  // it, `loaded` enters (with `replaceAll`, only `loaded` remains). Returns the paths whose
  // findings changed.
  std::vector<std::string> applyReports(std::vector<Ingested> loaded, const std::vector<std::string>& removed,
                                        bool replaceAll);
  // Replaces (or with null, removes) an installed report; returns the paths whose findings changed.
  std::vector<std::string> replaceReport(const std::string& file, std::shared_ptr<const Report> report);
  bool isCombined(const Report& r) const noexcept { return r.file == root_; }
  std::vector<std::string> reportInputs(const Settings& settings) const;
  enum class Match { None, Report, IfContentIsReport };
  Match matchReportFile(const std::string& normalizedPath, const Settings& settings) const;

  std::string root_;
  std::chrono::milliseconds debounce_;
  std::shared_ptr<const LocationMapper> mapper_;
  WorkspaceListener& listener_;

  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> current_;  // replaced, never mutated
  std::string triagePath_;
  std::shared_ptr<store::client::DecisionLog> triageLog_;  // opened on first use, guarded by mu_
  void publishTriage(std::map<std::string, model::TriageDecision, std::less<>> decisions);
  std::string openTriageLog();  // with mu_ held; "" or the error
  mutable std::mutex syncMu_;   // guards sync_ only; never held while taking mu_
  std::unique_ptr<store::client::SyncClient> sync_;
  std::map<std::string, support::Problems> fileProblems_;  // by report file (worker thread only)
  std::map<std::string, std::uint64_t> fileBytes_;         // by report file (worker thread only)
  std::optional<correlate::RiskContext> risk_;  // config, intel and discovered estate (worker thread only)
  void publishInventory(std::shared_ptr<const inventory::Inventory> inventory);
  std::atomic<std::uint64_t> inventoryJobs_{0};  // distinct scheduler keys, so no request's job replaces another's

  Scheduler scheduler_;  // last: its worker stops before the members above go away
};

}  // namespace aspm::engine
