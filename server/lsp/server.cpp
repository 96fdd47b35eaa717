// The handler table and the handlers. Method names appear here and in dispatcher.cpp only.
#include "lsp/server.h"

#include "engine/actions.h"
#include "model/triage.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "engine/features.h"
#include "engine/inventory_view.h"
#include "lsp/convert.h"
#include "protocol/codec.h"
#include "support/text.h"
#include "support/time.h"
#include "support/log.h"
#include "support/uri.h"

namespace aspm::lsp {
namespace {

constexpr std::size_t kPublishBatch = 64;  // files published per loop turn, so requests interleave
constexpr const char* kTriageCommand = "aspm.triage";
constexpr const char* kStoreSyncCommand = "aspm.store.sync";

std::string jsonString(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(ch);
    }
  }
  return out + "\"";
}

// Reasons offered when a client without its own triage UI asks to triage; an accepted risk
// expires after the days given, so it comes back for review.
struct ReasonChoice {
  const char* title;
  int expiresInDays;
};
std::vector<ReasonChoice> reasonChoices(std::string_view status) {
  if (status == "false_positive")
    return {{"Test or example code", 0}, {"Input is validated or sanitised", 0}, {"Code is not reachable", 0},
            {"The tool misread the code", 0}};
  if (status == "accepted_risk")
    return {{"Compensating control in place (90 days)", 90}, {"Low impact, fix planned (30 days)", 30},
            {"Accepted by the service owner (180 days)", 180}};
  if (status == "wont_fix")
    return {{"Code is being removed", 0}, {"Third-party code we do not change", 0}, {"Out of scope for this service", 0}};
  return {};
}

std::string daysFromNow(int days) {
  return support::utcTimestamp(std::chrono::system_clock::now() + std::chrono::hours(24 * days));
}

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
  d.onRequest("textDocument/codeAction", bindRequest(this, &Server::textDocument_codeAction));
  d.onRequest("codeAction/resolve", bindRequest(this, &Server::codeAction_resolve));
  d.onRequest("textDocument/codeLens", bindRequest(this, &Server::textDocument_codeLens));
  d.onRequest("workspace/executeCommand", bindRequest(this, &Server::workspace_executeCommand));
  d.onRequest("aspm/findings", bindRequest(this, &Server::aspm_findings));
  d.onRequest("aspm/explain", bindRequest(this, &Server::aspm_explain));
  d.onRequest("aspm/inventory", bindRequest(this, &Server::aspm_inventory));
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
  configureStore();

  protocol::InitializeResult result;
  result.capabilities.diagnosticProvider = protocol::DiagnosticOptions{"aspm", false, false};
  result.capabilities.codeActionProvider = protocol::CodeActionOptions{{"quickfix"}, true};
  // aspm.store.sync is listed when a store is configured at start; it is accepted in any case.
  result.capabilities.executeCommandProvider = protocol::ExecuteCommandOptions{
      storeRunning_ ? std::vector<std::string>{kTriageCommand, kStoreSyncCommand} : std::vector<std::string>{kTriageCommand}};
  result.capabilities.codeLensProvider = protocol::CodeLensOptions{false};
  result.capabilities.experimental = *transport::Json::parse(R"({"aspm":{"findings":true,"explain":true,"inventory":true}})");
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

void Server::textDocument_didSave(const protocol::DidSaveTextDocumentParams& params) {
  // The reports read so far still describe the code before the edits; a report written after
  // this save describes the saved text.
  if (const auto key = keyOf(params.textDocument.uri)) workspace_->saveDocument(*key);
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
  engine::FileDiagnostics d = engine::diagnosticsFor(*snapshot, *key);
  report.resultId = d.resultId;
  if (params.previousResultId == d.resultId) {
    report.kind = "unchanged";
    return reply(report);
  }
  const UriFor uriFor = [this](const std::string& p, bool inside) { return this->uriFor(p, inside); };
  report.items.reserve(d.items.size());
  for (auto& item : d.items) report.items.push_back(toDiagnostic(std::move(item), uriFor));
  reply(report);
}

void Server::textDocument_hover(const protocol::HoverParams& params, protocol::Reply<protocol::HoverResult> reply) {
  const auto key = keyOf(params.textDocument.uri);
  if (!key) return reply(std::nullopt);
  auto info = engine::hoverAt(*workspace_->snapshot(), *key, toEngine(params.position),
                              [this](const std::string& id) { return workspace_->triageHistory(id); });
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

void Server::textDocument_codeAction(const protocol::CodeActionParams& params,
                                     protocol::Reply<protocol::CodeActionResult> reply) {
  protocol::CodeActionResult out;
  const auto key = keyOf(params.textDocument.uri);
  if (!key) return reply(out);
  if (params.context.only) {
    const bool wanted = std::any_of(params.context.only->begin(), params.context.only->end(),
                                    [](const std::string& k) { return k == "quickfix" || k.starts_with("quickfix."); });
    if (!wanted) return reply(out);
  }
  std::vector<std::string> ids;
  for (const auto& d : params.context.diagnostics)
    if (d.data && !d.data->findingId.empty()) ids.push_back(d.data->findingId);
  const auto snapshot = workspace_->snapshot();
  // Clients that resolve edits get dependency upgrades listed without reading the manifests.
  const auto& caps = capabilities_.textDocument.codeAction;
  const bool lazy = caps && caps->resolveSupport &&
                    std::find(caps->resolveSupport->properties.begin(), caps->resolveSupport->properties.end(), "edit") !=
                        caps->resolveSupport->properties.end();
  const auto actions = engine::codeActionsAt(*snapshot, *key, toEngine(params.range), ids, true, lazy);
  for (const engine::FindingAction& a : actions) {
    protocol::CodeAction ca;
    ca.title = a.title;
    std::vector<protocol::Diagnostic> fixes;
    for (const auto& d : params.context.diagnostics)
      if (d.data && d.data->findingId == a.findingId) fixes.push_back(d);
    if (!fixes.empty()) ca.diagnostics = std::move(fixes);
    if (a.kind == engine::ActionKind::Triage) {
      ca.kind = "quickfix.aspm.triage";
      protocol::TriageArguments args;
      args.findingId = a.findingId;
      args.status = a.triageStatus;
      ca.command = protocol::Command{a.title, kTriageCommand, std::vector<transport::Json>{protocol::encode(args)}};
    } else {
      ca.kind = "quickfix";
      if (a.preferred && a.disabledReason.empty()) ca.isPreferred = true;
      if (!a.disabledReason.empty()) {
        ca.disabled = protocol::CodeActionDisabled{a.disabledReason};
        ca.title += " (unavailable: " + a.disabledReason + ")";
      } else if (a.resolvable) {
        ca.data = protocol::encode(protocol::CodeActionData{params.textDocument.uri, params.range, a.findingId, "upgrade"});
      } else {
        protocol::WorkspaceEdit edit;
        for (const auto& e : a.edits) edit.changes[uriFor(e.path, true)].push_back({toProtocol(e.range), e.newText});
        ca.edit = std::move(edit);
      }
    }
    out.push_back(std::move(ca));
  }
  reply(out);
}

void Server::codeAction_resolve(const protocol::CodeAction& params, protocol::Reply<protocol::CodeAction> reply) {
  protocol::CodeAction out = params;
  if (params.data.isNull()) return reply(out);  // nothing to resolve: the action is complete
  auto data = protocol::decode<protocol::CodeActionData>(params.data, "params.data");
  if (!data) return reply(data.error());
  if (data->action != "upgrade")
    return reply(protocol::rpcError(protocol::Failure::InvalidParams, "params.data.action: unknown action '" + data->action + "'"));
  auto action = engine::resolveUpgrade(*workspace_->snapshot(), data->findingId);
  if (!action) {
    out.disabled = protocol::CodeActionDisabled{"the finding is gone; ask for code actions again"};
    return reply(out);
  }
  if (!action->disabledReason.empty()) {
    out.disabled = protocol::CodeActionDisabled{action->disabledReason};
    return reply(out);
  }
  protocol::WorkspaceEdit edit;
  for (const auto& e : action->edits) edit.changes[uriFor(e.path, true)].push_back({toProtocol(e.range), e.newText});
  out.edit = std::move(edit);
  out.data = transport::Json();
  reply(out);
}

void Server::textDocument_codeLens(const protocol::CodeLensParams& params, protocol::Reply<protocol::CodeLensResult> reply) {
  protocol::CodeLensResult out;
  const auto key = keyOf(params.textDocument.uri);
  if (!key) return reply(out);
  for (const auto& lens : engine::codeLensesFor(*workspace_->snapshot(), *key)) {
    // aspm.findings.open is the client's command (the VS Code extension opens the finding's
    // details); other clients show the title.
    protocol::Command command{lens.title, "aspm.findings.open",
                              std::vector<transport::Json>{*transport::Json::parse("\"" + lens.topFindingId + "\"")}};
    out.push_back({toProtocol(lens.range), std::move(command)});
  }
  reply(out);
}

std::string Server::triage(const protocol::TriageArguments& args) {
  model::TriageDecision d;
  d.status = args.status;
  d.reason = args.reason.value_or("");
  d.expires = args.expires.value_or("");
  if (d.status == "accepted_risk" && d.reason.empty()) return "accepting a risk needs a reason";
  auto outcome = workspace_->recordTriage(args.findingId, std::move(d));
  if (!outcome.error.empty()) return outcome.error;
  support::logInfo("finding " + args.findingId + " triaged as " + args.status + " (" + workspace_->triageLogPath() + ")");
  schedulePublish(outcome.paths);
  aspm_findingsChanged();
  return {};
}

void Server::workspace_executeCommand(const protocol::ExecuteCommandParams& params,
                                      protocol::Reply<protocol::NullResult> reply) {
  if (params.command == kStoreSyncCommand) {
    if (!workspace_->syncStoreNow())
      return reply(protocol::rpcError(protocol::Failure::InvalidParams,
                                      "no store configured: set aspm.store.url, aspm.store.project and aspm.store.token"));
    return reply(nullptr);
  }
  if (params.command != kTriageCommand)
    return reply(protocol::rpcError(protocol::Failure::InvalidParams, "unknown command '" + params.command + "'"));
  if (!params.arguments || params.arguments->empty())
    return reply(protocol::rpcError(protocol::Failure::InvalidParams,
                                    std::string(kTriageCommand) + " takes one argument: {findingId, status, reason?, expires?}"));
  auto args = protocol::decode<protocol::TriageArguments>(params.arguments->front(), "params.arguments[0]");
  if (!args) return reply(args.error());
  if (!model::isTriageStatus(args->status))
    return reply(protocol::rpcError(protocol::Failure::InvalidParams,
                                    "params.arguments[0].status: unknown triage status '" + args->status + "'"));
  if (!engine::findFinding(*workspace_->snapshot(), args->findingId))
    return reply(protocol::rpcError(protocol::Failure::InvalidParams,
                                    "params.arguments[0].findingId: no finding " + args->findingId));
  const auto choices = reasonChoices(args->status);
  if (args->reason || choices.empty()) {
    if (auto error = triage(*args); !error.empty())
      return reply(protocol::rpcError(protocol::Failure::InvalidParams, error));
    return reply(nullptr);
  }
  // No reason given and the client has no UI of its own: ask with the standard choices.
  std::vector<std::string> titles;
  for (const auto& c : choices) titles.emplace_back(c.title);
  window_showMessageRequest("Why is this finding " + args->status + "?", titles,
                            [this, reply, args = *args, choices](std::optional<std::string> choice) mutable {
                              if (!choice) return reply(nullptr);  // dismissed: nothing recorded
                              for (const auto& c : choices)
                                if (*choice == c.title) {
                                  args.reason = c.title;
                                  if (c.expiresInDays > 0 && !args.expires) args.expires = daysFromNow(c.expiresInDays);
                                }
                              if (!args.reason) args.reason = *choice;
                              if (auto error = triage(args); !error.empty())
                                return reply(protocol::rpcError(protocol::Failure::InvalidParams, error));
                              reply(nullptr);
                            });
}

void Server::aspm_findings(const protocol::FindingsParams& params, protocol::Reply<protocol::FindingsResult> reply) {
  engine::FindingsQuery q;
  if (params.textDocument) {
    const auto key = keyOf(params.textDocument->uri);
    if (!key) return reply(protocol::FindingsResult{});
    q.path = *key;
  }
  if (params.minSeverity) {
    auto sev = model::severityFromString(*params.minSeverity);
    if (!sev)
      return reply(protocol::rpcError(protocol::Failure::InvalidParams,
                                      "params.minSeverity: unknown severity '" + *params.minSeverity + "'"));
    q.minSeverity = *sev;
  }
  if (params.sort) {
    if (*params.sort == "risk") q.sort = engine::FindingsQuery::Sort::Risk;
    else if (*params.sort == "severity") q.sort = engine::FindingsQuery::Sort::Severity;
    else if (*params.sort == "path") q.sort = engine::FindingsQuery::Sort::Path;
    else
      return reply(protocol::rpcError(protocol::Failure::InvalidParams,
                                      "params.sort: expected risk, severity or path, got '" + *params.sort + "'"));
  }
  q.text = params.query.value_or("");
  q.offset = params.offset.value_or(0);
  q.limit = params.limit.value_or(0);
  q.includeHidden = params.includeHidden.value_or(true);
  const auto page = engine::listFindings(*workspace_->snapshot(), q);
  protocol::FindingsResult out;
  out.total = static_cast<std::uint32_t>(page.total);
  for (const auto& f : page.findings) {
    protocol::WireFinding w;
    w.id = f.id;
    w.ruleId = f.ruleId;
    w.tool = f.tool;
    w.message = f.message;
    w.severity = model::toString(f.severity);
    w.bucket = f.bucket;
    w.risk.score = f.riskScore;
    w.state = f.state;
    if (f.path) w.location = protocol::Location{uriFor(*f.path, true), toProtocol(f.range)};
    if (!f.helpUri.empty()) w.helpUri = f.helpUri;
    w.cwe = f.cwes;
    if (f.triage) {
      protocol::WireTriage t{f.triage->status, f.triage->reason, f.triage->author, f.triage->at, std::nullopt};
      if (!f.triage->expires.empty()) t.expires = f.triage->expires;
      w.triage = std::move(t);
    }
    out.findings.push_back(std::move(w));
  }
  reply(out);
}

void Server::aspm_explain(const protocol::ExplainParams& params, protocol::Reply<protocol::ExplainResult> reply) {
  auto md = engine::explainFinding(*workspace_->snapshot(), params.findingId, workspace_->triageHistory(params.findingId));
  if (!md)
    return reply(protocol::rpcError(protocol::Failure::InvalidParams, "params.findingId: no finding " + params.findingId));
  reply(protocol::ExplainResult{std::move(*md)});
}

void Server::aspm_inventory(const protocol::InventoryParams& params, protocol::Reply<protocol::InventoryResult> reply) {
  // Discovery walks the whole working tree: it runs on the engine's worker, and the answer is
  // built back on this thread.
  workspace_->withInventory(params.refresh.value_or(false), [this, reply](std::shared_ptr<const engine::Snapshot> snapshot) {
    transport_.post([reply, snapshot = std::move(snapshot)] {
      // File text (names, YAML values) may be any bytes; the wire carries UTF-8.
      auto wire = [](const inventory::Evidence& e) {
        return protocol::WireEvidence{support::sanitizeUtf8(e.file), e.line, support::sanitizeUtf8(e.why)};
      };
      auto strings = [](const std::vector<std::string>& v) {
        std::vector<std::string> out;
        out.reserve(v.size());
        for (const auto& s : v) out.push_back(support::sanitizeUtf8(s));
        return out;
      };
      protocol::InventoryResult out;
      for (const engine::AssetView& view : engine::inventoryView(*snapshot)) {
        const inventory::Asset& a = *view.asset;
        protocol::WireAsset w;
        w.name = support::sanitizeUtf8(a.name);
        w.kind = inventory::idOf(a.kind);
        w.path = a.path.empty() ? "." : support::sanitizeUtf8(a.path);
        w.languages = a.languages;
        w.manifests = strings(a.manifests);
        w.exposure = inventory::idOf(a.exposure);
        w.criticality = a.criticality.empty() ? "unknown" : a.criticality;
        w.scans = a.scans;
        for (const auto& e : a.evidence) w.evidence.push_back(wire(e));
        if (a.exposureEvidence) w.exposureEvidence = wire(*a.exposureEvidence);
        if (a.criticalityEvidence) w.criticalityEvidence = wire(*a.criticalityEvidence);
        w.images = strings(a.images);
        w.findings = {view.open(model::Severity::Critical), view.open(model::Severity::High),
                      view.open(model::Severity::Medium), view.open(model::Severity::Low), view.open(model::Severity::Info)};
        out.assets.push_back(std::move(w));
      }
      reply(out);
    });
  });
}

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

void Server::window_showMessageRequest(const std::string& message, const std::vector<std::string>& choices,
                                       std::function<void(std::optional<std::string>)> then) {
  protocol::ShowMessageRequestParams params;
  params.type = protocol::MessageType::Info;
  params.message = message;
  for (const auto& c : choices) params.actions.push_back({c});
  dispatcher_.call("window/showMessageRequest", protocol::encode(params),
                   protocol::bindResponse<protocol::ShowMessageRequestResult>(
                       [then = std::move(then)](transport::Expected<protocol::ShowMessageRequestResult> result) {
                         if (!result) {
                           support::logWarning("window/showMessageRequest failed: " + result.error().message);
                           return then(std::nullopt);
                         }
                         then(*result ? std::optional<std::string>((*result)->title) : std::nullopt);
                       }));
}

void Server::aspm_findingsChanged() { dispatcher_.notify("aspm/findingsChanged", *transport::Json::parse("{}")); }

void Server::aspm_storeStatus(const store::client::SyncStatus& status) {
  std::string text = "{\"state\":" + jsonString(store::client::toString(status.state));
  if (status.state != store::client::SyncState::Disabled) text += ",\"queued\":" + std::to_string(status.queued);
  if (!status.message.empty()) text += ",\"message\":" + jsonString(status.message);
  text += "}";
  if (auto json = transport::Json::parse(text)) dispatcher_.notify("aspm/storeStatus", *json);
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
  storeSettings_ = s.store;
  engine::Settings out;
  if (s.sarif) {
    out.reportGlobs = *s.sarif;
    out.globsFromUser = true;
  }
  if (s.codeLens) out.codeLens = *s.codeLens;
  if (s.revision) out.revision = *s.revision;
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
  configureStore();
}

std::optional<store::client::SyncConfig> Server::storeConfig() const {
  if (!storeSettings_ || !storeSettings_->url || storeSettings_->url->empty()) return std::nullopt;
  store::client::SyncConfig c;
  c.url = *storeSettings_->url;
  c.project = storeSettings_->project.value_or("");
  c.token = storeSettings_->token.value_or("");
  if (c.token.empty())
    if (const char* env = std::getenv("ASPM_TOKEN"); env && *env) c.token = env;
  return c;
}

void Server::configureStore() {
  const auto wanted = storeConfig();
  if (wanted && workspace_->storeSyncConfig() == wanted) return;  // unchanged
  if (!wanted) {
    if (!storeRunning_) return;
    workspace_->stopStoreSync();
    storeRunning_ = false;
    aspm_storeStatus({store::client::SyncState::Disabled, 0, {}});
    return;
  }
  storeRunning_ = true;
  support::logInfo("syncing triage decisions with " + wanted->url + " (project " + wanted->project + ")");
  // Both callbacks run on the sync thread: hand the work to the loop thread.
  workspace_->startStoreSync(
      *wanted,
      [this](const store::client::SyncStatus& status) { transport_.post([this, status] { aspm_storeStatus(status); }); },
      [this](const std::vector<std::string>& paths) {
        transport_.post([this, paths] {
          schedulePublish(paths);
          if (pullClient() && capabilities_.workspace.diagnostics && capabilities_.workspace.diagnostics->refreshSupport)
            refreshWanted_ = true;
          aspm_findingsChanged();
        });
      });
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
  for (auto& item : d.items) params.diagnostics.push_back(toDiagnostic(std::move(item), uriFor));
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
