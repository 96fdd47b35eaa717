// The handler table and the handlers. Method names appear here and in dispatcher.cpp only.
#include "lsp/server.h"

#include <cstdio>
#include <filesystem>

#include "engine/features.h"
#include "lsp/convert.h"
#include "protocol/codec.h"
#include "support/log.h"
#include "support/uri.h"

namespace aspm::lsp {
namespace {

constexpr std::size_t kPublishBatch = 64;  // files published per loop turn, so requests interleave

protocol::MessageType messageType(support::LogLevel level) {
  switch (level) {
    case support::LogLevel::Error: return protocol::MessageType::Error;
    case support::LogLevel::Warning: return protocol::MessageType::Warning;
    case support::LogLevel::Info: return protocol::MessageType::Info;
    case support::LogLevel::Debug: return protocol::MessageType::Log;
  }
  return protocol::MessageType::Log;
}

const char* levelName(support::LogLevel level) {
  switch (level) {
    case support::LogLevel::Error: return "error";
    case support::LogLevel::Warning: return "warning";
    case support::LogLevel::Info: return "info";
    case support::LogLevel::Debug: return "debug";
  }
  return "log";
}

std::string describe(const support::Problem& p) {
  std::string out = p.file;
  if (!p.path.empty()) out += ": " + p.path;
  return out + ": " + p.message;
}

}  // namespace

Server::Server(transport::Transport& transport, ServerOptions options)
    : transport_(transport), options_(std::move(options)), dispatcher_(transport) {
  bindHandlers();
  support::setLogLevel(options_.verbose ? support::LogLevel::Debug : support::LogLevel::Info);
  // stdout carries the protocol: log text goes to the client, and errors (or everything, when
  // verbose) to stderr as well, where editors keep a server log.
  support::setLogSink([this](support::LogLevel level, std::string_view message) {
    if (options_.verbose || level == support::LogLevel::Error)
      std::fprintf(stderr, "aspm-ls %s: %.*s\n", levelName(level), static_cast<int>(message.size()), message.data());
    window_logMessage(messageType(level), std::string(message));
  });
}

Server::~Server() {
  if (workspace_) workspace_->stop();
  support::setLogSink({});
}

int Server::run() {
  transport_.run(dispatcher_);
  if (workspace_) workspace_->stop();
  return shutdownRequested_ ? 0 : 1;
}

void Server::bindHandlers() {
  using protocol::bindNotification;
  using protocol::bindRequest;
  Dispatcher& d = dispatcher_;
  // Lifecycle
  d.onRequest("initialize", bindRequest(this, &Server::initialize));
  d.onNotification("initialized", bindNotification(this, &Server::initialized));
  d.onRequest("shutdown", bindRequest(this, &Server::shutdown));
  d.onNotification("exit", bindNotification(this, &Server::exit));
  d.onNotification("$/setTrace", bindNotification(this, &Server::setTrace));
  // Text synchronisation
  d.onNotification("textDocument/didOpen", bindNotification(this, &Server::textDocument_didOpen));
  d.onNotification("textDocument/didChange", bindNotification(this, &Server::textDocument_didChange));
  d.onNotification("textDocument/didSave", bindNotification(this, &Server::textDocument_didSave));
  d.onNotification("textDocument/didClose", bindNotification(this, &Server::textDocument_didClose));
  // Language features
  d.onRequest("textDocument/diagnostic", bindRequest(this, &Server::textDocument_diagnostic));
  d.onRequest("textDocument/hover", bindRequest(this, &Server::textDocument_hover));
  // Workspace
  d.onNotification("workspace/didChangeConfiguration", bindNotification(this, &Server::workspace_didChangeConfiguration));
  d.onNotification("workspace/didChangeWatchedFiles", bindNotification(this, &Server::workspace_didChangeWatchedFiles));
}

// ---- Lifecycle ------------------------------------------------------------------------------------

void Server::initialize(const protocol::InitializeParams& params, protocol::Reply<protocol::InitializeResult> reply) {
  capabilities_ = params.capabilities;
  std::string root;
  if (params.rootUri) root = support::fileUriToPath(*params.rootUri).value_or("");
  if (root.empty() && params.workspaceFolders && !params.workspaceFolders->empty())
    root = support::fileUriToPath(params.workspaceFolders->front().uri).value_or("");
  if (root.empty() && params.rootPath) root = *params.rootPath;
  if (root.empty()) {
    std::error_code ec;
    root = std::filesystem::current_path(ec).generic_string();
  }
  if (params.workspaceFolders && params.workspaceFolders->size() > 1)
    support::logWarning("several workspace folders: serving the first, " + root);

  engine::WorkspaceOptions wo;
  wo.root = root;
  wo.settings = settingsFrom(params.initializationOptions, "initializationOptions").value_or(engine::Settings{});
  wo.debounce = options_.debounce;
  engine::WorkspaceListener& listener = *this;
  workspace_ = std::make_unique<engine::Workspace>(std::move(wo), listener);

  protocol::InitializeResult result;
  result.capabilities.diagnosticProvider = protocol::DiagnosticOptions{"aspm", false, false};
  result.serverInfo = protocol::ServerInfo{"aspm-ls", options_.version};
  dispatcher_.setPhase(Dispatcher::Phase::Running);
  reply(result);
  support::logInfo("aspm-ls " + options_.version + " serving " + workspace_->root());
}

void Server::initialized(const protocol::InitializedParams&) {
  if (capabilities_.workspace.didChangeWatchedFiles.dynamicRegistration) client_registerCapability();
  // With pulled configuration the load waits for it, so it reads the right reports once.
  if (capabilities_.workspace.configuration) workspace_configuration();
  else startLoad();
}

void Server::shutdown(protocol::Reply<protocol::NullResult> reply) {
  shutdownRequested_ = true;
  if (workspace_) workspace_->stop();
  dispatcher_.setPhase(Dispatcher::Phase::ShutDown);
  reply(nullptr);
}

void Server::exit() { transport_.stop(); }

void Server::setTrace(const protocol::SetTraceParams&) {}

// ---- Text synchronisation -------------------------------------------------------------------------

void Server::textDocument_didOpen(const protocol::DidOpenTextDocumentParams& params) {
  const auto key = keyOf(params.textDocument.uri);
  if (!key) return;
  openUris_[*key] = params.textDocument.uri;
  workspace_->openDocument(*key, params.textDocument.text, params.textDocument.version);
  // Push clients get the document's diagnostics at once; pull clients ask for them.
  publish(*workspace_->snapshot(), *key, !pullClient());
}

void Server::textDocument_didChange(const protocol::DidChangeTextDocumentParams& params) {
  const auto key = keyOf(params.textDocument.uri);
  if (!key) return;
  std::vector<engine::TextChange> changes;
  changes.reserve(params.contentChanges.size());
  for (const auto& c : params.contentChanges) {
    engine::TextChange change;
    if (c.range) change.range = toEngine(*c.range);
    change.text = c.text;
    changes.push_back(std::move(change));
  }
  if (!workspace_->changeDocument(*key, changes, params.textDocument.version)) {
    support::logWarning("change to a document that is not open ignored: " + params.textDocument.uri);
    return;
  }
  if (!pullClient()) publish(*workspace_->snapshot(), *key, false);
}

void Server::textDocument_didSave(const protocol::DidSaveTextDocumentParams&) {
  // Findings stay mapped through the edits: the reports still describe the code before them.
}

void Server::textDocument_didClose(const protocol::DidCloseTextDocumentParams& params) {
  const auto key = keyOf(params.textDocument.uri);
  if (!key) return;
  workspace_->closeDocument(*key);
  openUris_.erase(*key);
  // The findings are back on the file as on disk, and shown by push again for pull clients.
  publish(*workspace_->snapshot(), *key, false);
}

// ---- Language features ----------------------------------------------------------------------------

void Server::textDocument_diagnostic(const protocol::DocumentDiagnosticParams& params,
                                     protocol::Reply<protocol::DocumentDiagnosticReport> reply) {
  protocol::DocumentDiagnosticReport report;
  const auto key = keyOf(params.textDocument.uri);
  if (!key) return reply(report);
  const auto snapshot = workspace_->snapshot();
  const engine::FileDiagnostics d = engine::diagnosticsFor(*snapshot, *key);
  report.resultId = d.resultId;
  if (params.previousResultId == d.resultId) {
    report.kind = "unchanged";
    return reply(report);
  }
  const UriFor uriFor = [this](const std::string& p, bool inside) { return this->uriFor(p, inside); };
  for (const auto& item : d.items) report.items.push_back(toDiagnostic(item, uriFor));
  reply(report);
}

void Server::textDocument_hover(const protocol::HoverParams& params, protocol::Reply<protocol::HoverResult> reply) {
  const auto key = keyOf(params.textDocument.uri);
  if (!key) return reply(std::nullopt);
  auto info = engine::hoverAt(*workspace_->snapshot(), *key, toEngine(params.position));
  if (!info) return reply(std::nullopt);
  protocol::Hover hover;
  const auto& formats = capabilities_.textDocument.hover ? capabilities_.textDocument.hover->contentFormat
                                                         : std::vector<std::string>{};
  const bool markdown =
      formats.empty() || std::find(formats.begin(), formats.end(), "markdown") != formats.end();
  hover.contents = {markdown ? "markdown" : "plaintext", std::move(info->markdown)};
  hover.range = toProtocol(info->range);
  reply(hover);
}

// ---- Workspace ------------------------------------------------------------------------------------

void Server::workspace_didChangeConfiguration(const protocol::DidChangeConfigurationParams& params) {
  // Clients either push the settings ({"aspm": {...}}) or announce a change to pull.
  auto pushed = protocol::decode<protocol::ConfigurationSettings>(params.settings, "settings");
  if (pushed && pushed->aspm) {
    if (auto s = settingsFrom(protocol::encode(*pushed->aspm), "settings.aspm")) applySettings(std::move(*s));
    return;
  }
  if (!pushed) support::logWarning(pushed.error().message);
  if (capabilities_.workspace.configuration) workspace_configuration();
}

void Server::workspace_didChangeWatchedFiles(const protocol::DidChangeWatchedFilesParams& params) {
  std::vector<engine::FileChange> changes;
  for (const auto& e : params.changes) {
    auto path = support::fileUriToPath(e.uri);
    if (!path) continue;
    const auto kind = e.type == protocol::FileChangeType::Created   ? engine::FileChangeKind::Created
                      : e.type == protocol::FileChangeType::Deleted ? engine::FileChangeKind::Deleted
                                                                     : engine::FileChangeKind::Changed;
    changes.push_back({*path, kind});
  }
  workspace_->reportFilesChanged(changes);
}

// ---- Messages to the client -------------------------------------------------------------------------

void Server::window_logMessage(protocol::MessageType type, const std::string& message) {
  // Called from any thread (the log sink); the transport's send is thread-safe.
  transport_.notify("window/logMessage", protocol::encode(protocol::LogMessageParams{type, message}));
}

void Server::textDocument_publishDiagnostics(const protocol::PublishDiagnosticsParams& params) {
  dispatcher_.notify("textDocument/publishDiagnostics", protocol::encode(params));
}

void Server::workspace_configuration() {
  protocol::ConfigurationParams params;
  params.items.push_back({support::pathToFileUri(workspace_->root()), "aspm"});
  dispatcher_.call("workspace/configuration", protocol::encode(params),
                   protocol::bindResponse<protocol::ConfigurationResult>(
                       [this](transport::Expected<protocol::ConfigurationResult> result) {
                         if (!result) {
                           support::logWarning("workspace/configuration failed: " + result.error().message);
                         } else if (!result->empty() && !result->front().isNull()) {
                           if (auto s = settingsFrom(result->front(), "workspace/configuration result[0]"))
                             applySettings(std::move(*s));
                         }
                         startLoad();
                       }));
}

void Server::client_registerCapability() {
  protocol::DidChangeWatchedFilesRegistrationOptions options;
  // Absolute patterns: clients match watcher globs against absolute paths.
  for (const auto& g : workspace_->watchGlobs())
    options.watchers.push_back({g.front() == '/' ? g : workspace_->root() + "/" + g, std::nullopt});
  protocol::RegistrationParams params;
  params.registrations.push_back({"aspm-reports-" + std::to_string(++watcherRegistrations_),
                                  "workspace/didChangeWatchedFiles", protocol::encode(options)});
  dispatcher_.call("client/registerCapability", protocol::encode(params),
                   protocol::bindResponse<protocol::NullResult>([](transport::Expected<protocol::NullResult> r) {
                     if (!r) support::logWarning("the client refused to watch report files: " + r.error().message);
                   }));
}

void Server::window_workDoneProgress_create() {
  const protocol::ProgressToken token = progress_->token;
  dispatcher_.call(
      "window/workDoneProgress/create", protocol::encode(protocol::WorkDoneProgressCreateParams{token}),
      protocol::bindResponse<protocol::NullResult>([this, token](transport::Expected<protocol::NullResult> r) {
        if (!progress_ || progress_->token != token) return;  // a newer load took over
        if (!r) {
          progress_.reset();
          return;
        }
        progress_->created = true;
        protocol::WorkDoneProgressBegin begin;
        begin.title = progress_->title;
        begin.cancellable = false;
        begin.message = std::to_string(progress_->files) + (progress_->files == 1 ? " report" : " reports");
        begin.percentage = progress_->percent;
        progress(begin);
        if (progress_->ended) {
          progress(protocol::WorkDoneProgressEnd{progress_->message});
          progress_.reset();
        }
      }));
}

void Server::progress(const protocol::WorkDoneProgressBegin& begin) {
  dispatcher_.notify("$/progress", protocol::encode(protocol::ProgressParams{progress_->token, begin}));
}

void Server::progress(const protocol::WorkDoneProgressReport& report) {
  dispatcher_.notify("$/progress", protocol::encode(protocol::ProgressParams{progress_->token, report}));
}

void Server::progress(const protocol::WorkDoneProgressEnd& end) {
  dispatcher_.notify("$/progress", protocol::encode(protocol::ProgressParams{progress_->token, end}));
}

void Server::workspace_diagnostic_refresh() {
  dispatcher_.call("workspace/diagnostic/refresh", transport::Json(),
                   protocol::bindResponse<protocol::NullResult>([](transport::Expected<protocol::NullResult>) {}));
}

// ---- Workspace announcements (worker thread -> loop thread) ---------------------------------------

void Server::onLoadStarted(const std::string& title, std::size_t files) {
  transport_.post([this, title, files] {
    if (!capabilities_.window.workDoneProgress) return;
    progress_.emplace();
    progress_->token = std::string("aspm-load-") + std::to_string(++progressTokens_);
    progress_->title = title;
    progress_->files = files;
    window_workDoneProgress_create();
  });
}

void Server::onLoadProgress(unsigned percent, const std::string& message) {
  transport_.post([this, percent, message] {
    if (!progress_ || progress_->ended) return;
    progress_->percent = percent;
    if (progress_->created) progress(protocol::WorkDoneProgressReport{std::nullopt, message, percent});
  });
}

void Server::onLoadFinished(const engine::LoadSummary& summary) {
  transport_.post([this, summary] {
    std::string message = std::to_string(summary.findings) + " findings";
    if (summary.problems) message += ", " + std::to_string(summary.problems) + " problems";
    support::logInfo((summary.cancelled ? "load cancelled after " : "loaded ") + std::to_string(summary.reports) +
                     (summary.reports == 1 ? " report" : " reports") + " in " + std::to_string(summary.elapsed.count()) +
                     " ms: " + message);
    if (!progress_) return;
    progress_->ended = true;
    progress_->message = message;
    if (progress_->created) {
      progress(protocol::WorkDoneProgressEnd{message});
      progress_.reset();
    }
  });
}

void Server::onProblems(const support::Problems& problems) {
  // Logged from the worker directly: the transport's send is thread-safe.
  for (const auto& p : problems) {
    const auto type = p.severity == support::ProblemSeverity::Warning ? protocol::MessageType::Warning
                                                                       : protocol::MessageType::Error;
    window_logMessage(type, describe(p));
  }
}

void Server::onFindingsChanged(const std::vector<std::string>& paths) {
  transport_.post([this, paths] {
    schedulePublish(paths);
    if (pullClient() && capabilities_.workspace.diagnostics && capabilities_.workspace.diagnostics->refreshSupport)
      refreshWanted_ = true;
  });
}

// ---- Helpers --------------------------------------------------------------------------------------

std::optional<std::string> Server::keyOf(const std::string& uri) const {
  auto path = support::fileUriToPath(uri);
  if (!path || !workspace_) return std::nullopt;
  return workspace_->keyFor(*path);
}

std::string Server::uriFor(const std::string& path, bool inWorkspace) const {
  if (!inWorkspace) return support::pathToFileUri(path);
  if (auto it = openUris_.find(path); it != openUris_.end()) return it->second;
  return support::pathToFileUri(path.front() == '/' ? path : workspace_->root() + "/" + path);
}

std::optional<engine::Settings> Server::settingsFrom(const transport::Json& json, std::string_view where) {
  if (json.isNull()) return std::nullopt;
  // Accepted as the `aspm` section itself, or as an object holding it.
  protocol::AspmSettings s;
  auto wrapped = protocol::decode<protocol::ConfigurationSettings>(json, where);
  if (wrapped && wrapped->aspm) {
    s = *wrapped->aspm;
  } else {
    auto direct = protocol::decode<protocol::AspmSettings>(json, where);
    if (!direct) {
      support::logWarning("settings ignored: " + direct.error().message);
      return std::nullopt;
    }
    s = *direct;
  }
  engine::Settings out;
  if (s.sarif) {
    out.reportGlobs = *s.sarif;
    out.globsFromUser = true;
  }
  if (s.minSeverity) {
    if (auto sev = model::severityFromString(*s.minSeverity)) out.minSeverity = *sev;
    else support::logWarning(std::string(where) + ".minSeverity: unknown severity '" + *s.minSeverity +
                             "' (expected critical, high, medium, low or info)");
  }
  return out;
}

void Server::applySettings(engine::Settings settings) {
  const engine::Settings before = workspace_->snapshot()->settings;
  const bool severityChanged = before.minSeverity != settings.minSeverity;
  const bool globsChanged = workspace_->setSettings(std::move(settings), loadStarted_);
  if (globsChanged && watcherRegistrations_ > 0) client_registerCapability();
  if (severityChanged) republishAll();
}

void Server::startLoad() {
  if (loadStarted_) return;
  loadStarted_ = true;
  workspace_->reloadAll();
}

void Server::schedulePublish(const std::vector<std::string>& keys) {
  publishQueue_.insert(keys.begin(), keys.end());
  if (publishPosted_) return;
  publishPosted_ = true;
  transport_.post([this] { drainPublishQueue(); });
}

void Server::drainPublishQueue() {
  publishPosted_ = false;
  if (!workspace_) return;
  const auto snapshot = workspace_->snapshot();
  for (std::size_t n = 0; n < kPublishBatch && !publishQueue_.empty(); ++n) {
    const std::string key = *publishQueue_.begin();
    publishQueue_.erase(publishQueue_.begin());
    publish(*snapshot, key, false);
  }
  if (!publishQueue_.empty()) {
    publishPosted_ = true;
    transport_.post([this] { drainPublishQueue(); });
    return;
  }
  if (refreshWanted_) {
    refreshWanted_ = false;
    workspace_diagnostic_refresh();
  }
}

void Server::publish(const engine::Snapshot& snapshot, const std::string& key, bool force) {
  const bool open = openUris_.contains(key);
  const std::string uri = uriFor(key, true);
  engine::FileDiagnostics d;
  // A pull client gets an open document's diagnostics by asking; push is only for the rest.
  if (!(pullClient() && open)) d = engine::diagnosticsFor(snapshot, key);
  auto it = pushed_.find(key);
  if (it != pushed_.end() && it->second.uri != uri) {
    // The client knows this file under another URI now: clear the old entry.
    textDocument_publishDiagnostics({it->second.uri, std::nullopt, {}});
    pushed_.erase(it);
    it = pushed_.end();
  }
  const std::string resultId = d.items.empty() ? std::string() : d.resultId;
  if (!force && (it == pushed_.end() ? d.items.empty() : it->second.resultId == resultId)) return;
  protocol::PublishDiagnosticsParams params;
  params.uri = uri;
  if (open && d.version) params.version = static_cast<std::int32_t>(*d.version);
  const UriFor uriFor = [this](const std::string& p, bool inside) { return this->uriFor(p, inside); };
  params.diagnostics.reserve(d.items.size());
  for (const auto& item : d.items) params.diagnostics.push_back(toDiagnostic(item, uriFor));
  textDocument_publishDiagnostics(params);
  if (d.items.empty()) pushed_.erase(key);
  else pushed_[key] = {uri, resultId};
}

void Server::republishAll() {
  std::vector<std::string> keys = engine::filesWithFindings(*workspace_->snapshot());
  for (const auto& [key, p] : pushed_) keys.push_back(key);
  for (const auto& [key, uri] : openUris_) keys.push_back(key);
  schedulePublish(keys);
  if (pullClient() && capabilities_.workspace.diagnostics && capabilities_.workspace.diagnostics->refreshSupport)
    refreshWanted_ = true;
}

}  // namespace aspm::lsp
