// The language server (clangd's ClangdLSPServer): the only layer that speaks LSP. It binds wire
// methods to handlers named after them, keeps what the protocol needs (client capabilities, the
// URIs the client used, what was published), and delegates everything else to the engine's
// Workspace. All handlers run on the transport's loop thread; the workspace's background
// announcements are posted there too, so the server needs no locks.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/workspace.h"
#include "lsp/dispatcher.h"
#include "protocol/binder.h"
#include "protocol/types.h"
#include "transport/transport.h"

namespace aspm::lsp {

struct ServerOptions {
  std::string version = "0.0.0";
  std::chrono::milliseconds debounce{150};  // quiet time before a changed report is re-read
  bool verbose = false;                     // debug messages to the client and stderr
};

class Server final : private engine::WorkspaceListener {
 public:
  Server(transport::Transport& transport, ServerOptions options);
  ~Server() override;
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Serves until the client says exit or the input ends; returns the process exit code
  // (0 when shutdown was requested first, 1 otherwise).
  int run();

  // The workspace, once initialize created it (benchmarks load prepared reports through it).
  engine::Workspace* workspace() { return workspace_.get(); }

 private:
  void bindHandlers();

  // ---- Handlers, named after their wire methods
  void initialize(const protocol::InitializeParams& params, protocol::Reply<protocol::InitializeResult> reply);
  void initialized(const protocol::InitializedParams& params);
  void shutdown(protocol::Reply<protocol::NullResult> reply);
  void exit();
  void setTrace(const protocol::SetTraceParams& params);
  void textDocument_didOpen(const protocol::DidOpenTextDocumentParams& params);
  void textDocument_didChange(const protocol::DidChangeTextDocumentParams& params);
  void textDocument_didSave(const protocol::DidSaveTextDocumentParams& params);
  void textDocument_didClose(const protocol::DidCloseTextDocumentParams& params);
  void textDocument_diagnostic(const protocol::DocumentDiagnosticParams& params,
                               protocol::Reply<protocol::DocumentDiagnosticReport> reply);
  void textDocument_hover(const protocol::HoverParams& params, protocol::Reply<protocol::HoverResult> reply);
  void textDocument_codeAction(const protocol::CodeActionParams& params, protocol::Reply<protocol::CodeActionResult> reply);
  void codeAction_resolve(const protocol::CodeAction& params, protocol::Reply<protocol::CodeAction> reply);
  void textDocument_codeLens(const protocol::CodeLensParams& params, protocol::Reply<protocol::CodeLensResult> reply);
  void workspace_executeCommand(const protocol::ExecuteCommandParams& params, protocol::Reply<protocol::NullResult> reply);
  void aspm_findings(const protocol::FindingsParams& params, protocol::Reply<protocol::FindingsResult> reply);
  void aspm_explain(const protocol::ExplainParams& params, protocol::Reply<protocol::ExplainResult> reply);
  void aspm_inventory(const protocol::InventoryParams& params, protocol::Reply<protocol::InventoryResult> reply);
  void workspace_didChangeConfiguration(const protocol::DidChangeConfigurationParams& params);
  void workspace_didChangeWatchedFiles(const protocol::DidChangeWatchedFilesParams& params);

  // ---- Messages to the client, named after their wire methods
  void window_logMessage(protocol::MessageType type, const std::string& message);
  void textDocument_publishDiagnostics(const protocol::PublishDiagnosticsParams& params);
  void workspace_configuration();
  void client_registerCapability();
  void window_workDoneProgress_create();
  void progress(const protocol::WorkDoneProgressBegin& begin);
  void progress(const protocol::WorkDoneProgressReport& report);
  void progress(const protocol::WorkDoneProgressEnd& end);
  void workspace_diagnostic_refresh();
  // Asks the user to pick one of `choices`; `then` gets the choice (nullopt: dismissed or the
  // client cannot ask).
  void window_showMessageRequest(const std::string& message, const std::vector<std::string>& choices,
                                 std::function<void(std::optional<std::string>)> then);
  void aspm_findingsChanged();
  void aspm_storeStatus(const store::client::SyncStatus& status);

  // ---- WorkspaceListener (worker thread): forwarded to the loop thread
  void onLoadStarted(const std::string& title, std::size_t files) override;
  void onLoadProgress(unsigned percent, const std::string& message) override;
  void onLoadFinished(const engine::LoadSummary& summary) override;
  void onProblems(const support::Problems& problems) override;
  void onFindingsChanged(const std::vector<std::string>& paths) override;

  // ---- Helpers
  std::optional<std::string> keyOf(const std::string& uri) const;
  std::string uriFor(const std::string& path, bool inWorkspace) const;
  std::optional<engine::Settings> settingsFrom(const transport::Json& json, std::string_view where);
  void applySettings(engine::Settings settings);
  // Starts, restarts or stops the store sync to match the `store` settings (and ASPM_TOKEN).
  void configureStore();
  std::optional<store::client::SyncConfig> storeConfig() const;
  void startLoad();
  void schedulePublish(const std::vector<std::string>& keys);
  void drainPublishQueue();
  void publish(const engine::Snapshot& snapshot, const std::string& key, bool force);
  void republishAll();
  // Records a triage decision and republishes what it changed; "" or the error.
  std::string triage(const protocol::TriageArguments& args);
  bool pullClient() const { return capabilities_.textDocument.diagnostic.has_value(); }

  transport::Transport& transport_;
  ServerOptions options_;
  Dispatcher dispatcher_;
  protocol::ClientCapabilities capabilities_;
  std::unique_ptr<engine::Workspace> workspace_;
  bool loadStarted_ = false;
  bool shutdownRequested_ = false;
  int watcherRegistrations_ = 0;
  std::optional<protocol::StoreSettings> storeSettings_;  // from the latest settings
  bool storeRunning_ = false;

  std::map<std::string, std::string> openUris_;  // key -> the URI the client opened it with
  struct Pushed {
    std::string uri;
    std::string resultId;
  };
  std::map<std::string, Pushed> pushed_;  // key -> what was last published (non-empty only)
  std::set<std::string> publishQueue_;
  bool publishPosted_ = false;
  bool refreshWanted_ = false;

  // Work-done progress of the current load.
  struct Progress {
    protocol::ProgressToken token;
    std::string title;
    std::size_t files = 0;
    bool created = false;  // the client accepted the token
    bool failed = false;   // the client refused it
    bool ended = false;
    unsigned percent = 0;
    std::string message;
  };
  std::optional<Progress> progress_;
  int progressTokens_ = 0;
};

}  // namespace aspm::lsp
