// The LSP 3.17 structures aspm-ls uses, one hand-written struct per type with fields spelled as
// in the specification (as clangd's Protocol.h does). Only what the server reads or writes is
// declared; unknown fields in client messages are ignored. Fields the specification makes
// optional are std::optional, or plain with the specification's default when absence and the
// default mean the same. Conversions to and from JSON live in convert.cpp; codec.h is the
// JSON-free entry point the layers above use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "transport/json.h"
#include "transport/jsonrpc.h"

namespace aspm::protocol {

using transport::Json;
using DocumentUri = std::string;
using ProgressToken = std::variant<std::int64_t, std::string>;

// ---- Basic structures -------------------------------------------------------------------------

// Lines and characters are 0-based; characters count UTF-16 code units.
struct Position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;
  friend bool operator==(const Position&, const Position&) = default;
};

struct Range {
  Position start;
  Position end;
  friend bool operator==(const Range&, const Range&) = default;
};

struct Location {
  DocumentUri uri;
  Range range;
};

struct TextDocumentIdentifier {
  DocumentUri uri;
};

struct VersionedTextDocumentIdentifier {
  DocumentUri uri;
  std::int32_t version = 0;
};

struct TextDocumentItem {
  DocumentUri uri;
  std::string languageId;
  std::int32_t version = 0;
  std::string text;
};

struct MarkupContent {
  std::string kind;  // "plaintext" | "markdown"
  std::string value;
};

// ---- Lifecycle --------------------------------------------------------------------------------

struct ClientInfo {
  std::string name;
  std::optional<std::string> version;
};

struct WorkspaceFolder {
  DocumentUri uri;
  std::string name;
};

struct DidChangeWatchedFilesClientCapabilities {
  bool dynamicRegistration = false;
  bool relativePatternSupport = false;
};

struct DiagnosticWorkspaceClientCapabilities {
  bool refreshSupport = false;
};

struct WorkspaceClientCapabilities {
  bool configuration = false;
  bool workspaceFolders = false;
  DidChangeWatchedFilesClientCapabilities didChangeWatchedFiles;
  std::optional<DiagnosticWorkspaceClientCapabilities> diagnostics;
};

struct PublishDiagnosticsClientCapabilities {
  bool relatedInformation = false;
  bool versionSupport = false;
  bool codeDescriptionSupport = false;
  bool dataSupport = false;
};

struct HoverClientCapabilities {
  std::vector<std::string> contentFormat;
};

struct DiagnosticClientCapabilities {
  bool dynamicRegistration = false;
  bool relatedDocumentSupport = false;
};

struct CodeActionResolveSupport {
  std::vector<std::string> properties;  // what the client lets the server fill in later: "edit"
};

struct CodeActionClientCapabilities {
  std::optional<CodeActionResolveSupport> resolveSupport;
  bool dataSupport = false;
};

struct TextDocumentClientCapabilities {
  std::optional<PublishDiagnosticsClientCapabilities> publishDiagnostics;
  std::optional<CodeActionClientCapabilities> codeAction;
  std::optional<HoverClientCapabilities> hover;
  // Present when the client can pull diagnostics.
  std::optional<DiagnosticClientCapabilities> diagnostic;
};

struct WindowClientCapabilities {
  bool workDoneProgress = false;
};

struct GeneralClientCapabilities {
  std::vector<std::string> positionEncodings;
};

struct ClientCapabilities {
  WorkspaceClientCapabilities workspace;
  TextDocumentClientCapabilities textDocument;
  WindowClientCapabilities window;
  GeneralClientCapabilities general;
};

struct InitializeParams {
  std::optional<std::int64_t> processId;
  std::optional<ClientInfo> clientInfo;
  std::optional<std::string> rootPath;
  std::optional<DocumentUri> rootUri;
  // The `aspm` settings. Kept as JSON so that a bad setting is reported and ignored instead of
  // failing initialize (decode AspmSettings from it).
  Json initializationOptions;
  ClientCapabilities capabilities;
  std::optional<std::string> trace;
  std::optional<std::vector<WorkspaceFolder>> workspaceFolders;
};

struct SaveOptions {
  bool includeText = false;
};

enum class TextDocumentSyncKind { None = 0, Full = 1, Incremental = 2 };

struct TextDocumentSyncOptions {
  bool openClose = true;
  TextDocumentSyncKind change = TextDocumentSyncKind::Incremental;
  SaveOptions save;
};

struct DiagnosticOptions {
  std::optional<std::string> identifier;
  bool interFileDependencies = false;
  bool workspaceDiagnostics = false;
};

struct CodeActionOptions {
  std::vector<std::string> codeActionKinds;
  bool resolveProvider = false;
};

struct CodeLensOptions {
  bool resolveProvider = false;
};

struct ExecuteCommandOptions {
  std::vector<std::string> commands;
};

struct ServerCapabilities {
  std::string positionEncoding = "utf-16";
  TextDocumentSyncOptions textDocumentSync;
  bool hoverProvider = true;
  std::optional<DiagnosticOptions> diagnosticProvider;
  std::optional<CodeActionOptions> codeActionProvider;
  std::optional<CodeLensOptions> codeLensProvider;
  std::optional<ExecuteCommandOptions> executeCommandProvider;
  Json experimental;  // {"aspm": {...}}: the extensions this server offers
};

struct ServerInfo {
  std::string name;
  std::optional<std::string> version;
};

struct InitializeResult {
  ServerCapabilities capabilities;
  std::optional<ServerInfo> serverInfo;
};

struct InitializedParams {};

struct SetTraceParams {
  std::string value;
};

struct CancelParams {
  transport::RequestId id;
};

// ---- Settings (the `aspm` configuration section) ----------------------------------------------

struct StoreSettings {
  std::optional<std::string> url;
  std::optional<std::string> project;
  std::optional<std::string> token;
};

struct AspmSettings {
  std::optional<std::vector<std::string>> sarif;  // globs; a single string is accepted too
  std::optional<std::string> minSeverity;         // critical | high | medium | low | info
  std::optional<StoreSettings> store;
  std::optional<std::string> policy;
  std::optional<bool> codeLens;  // "codeLens": {"enabled": bool}, or a plain bool
  std::optional<std::string> revision;  // commit that reports naming none were scanned at
};

// didChangeConfiguration's `settings` when the client pushes them: {"aspm": {...}}.
struct ConfigurationSettings {
  std::optional<AspmSettings> aspm;
};

// ---- Workspace --------------------------------------------------------------------------------

struct ConfigurationItem {
  std::optional<DocumentUri> scopeUri;
  std::optional<std::string> section;
};

struct ConfigurationParams {
  std::vector<ConfigurationItem> items;
};

// One entry per requested item; kept as JSON and decoded leniently like initializationOptions.
using ConfigurationResult = std::vector<Json>;

struct DidChangeConfigurationParams {
  Json settings;
};

enum class FileChangeType { Created = 1, Changed = 2, Deleted = 3 };

struct FileEvent {
  DocumentUri uri;
  FileChangeType type = FileChangeType::Changed;
};

struct DidChangeWatchedFilesParams {
  std::vector<FileEvent> changes;
};

struct FileSystemWatcher {
  std::string globPattern;
  std::optional<std::uint32_t> kind;  // WatchKind bits: 1 create, 2 change, 4 delete (default 7)
};

struct DidChangeWatchedFilesRegistrationOptions {
  std::vector<FileSystemWatcher> watchers;
};

struct Registration {
  std::string id;
  std::string method;
  Json registerOptions;
};

struct RegistrationParams {
  std::vector<Registration> registrations;
};

// ---- Window -----------------------------------------------------------------------------------

enum class MessageType { Error = 1, Warning = 2, Info = 3, Log = 4 };

struct LogMessageParams {
  MessageType type = MessageType::Log;
  std::string message;
};

struct ShowMessageParams {
  MessageType type = MessageType::Info;
  std::string message;
};

struct WorkDoneProgressCreateParams {
  ProgressToken token;
};

struct WorkDoneProgressBegin {
  std::string title;
  std::optional<bool> cancellable;
  std::optional<std::string> message;
  std::optional<std::uint32_t> percentage;
};

struct WorkDoneProgressReport {
  std::optional<bool> cancellable;
  std::optional<std::string> message;
  std::optional<std::uint32_t> percentage;
};

struct WorkDoneProgressEnd {
  std::optional<std::string> message;
};

struct ProgressParams {
  ProgressToken token;
  std::variant<WorkDoneProgressBegin, WorkDoneProgressReport, WorkDoneProgressEnd> value;
};

// ---- Text synchronisation ---------------------------------------------------------------------

struct DidOpenTextDocumentParams {
  TextDocumentItem textDocument;
};

struct TextDocumentContentChangeEvent {
  std::optional<Range> range;  // absent: `text` is the whole document
  std::optional<std::uint32_t> rangeLength;
  std::string text;
};

struct DidChangeTextDocumentParams {
  VersionedTextDocumentIdentifier textDocument;
  std::vector<TextDocumentContentChangeEvent> contentChanges;
};

struct DidSaveTextDocumentParams {
  TextDocumentIdentifier textDocument;
  std::optional<std::string> text;
};

struct DidCloseTextDocumentParams {
  TextDocumentIdentifier textDocument;
};

// ---- Diagnostics ------------------------------------------------------------------------------

enum class DiagnosticSeverity { Error = 1, Warning = 2, Information = 3, Hint = 4 };

struct CodeDescription {
  std::string href;
};

struct DiagnosticRelatedInformation {
  Location location;
  std::string message;
};

// Diagnostic.data as aspm-ls fills it: enough to act on the finding later without server state.
struct DiagnosticData {
  std::string findingId;
};

struct Diagnostic {
  Range range;
  std::optional<DiagnosticSeverity> severity;
  std::optional<std::string> code;  // an integer code from a client is read as its decimal text
  std::optional<CodeDescription> codeDescription;
  std::optional<std::string> source;
  std::string message;
  std::optional<std::vector<DiagnosticRelatedInformation>> relatedInformation;
  std::optional<DiagnosticData> data;
};

struct PublishDiagnosticsParams {
  DocumentUri uri;
  std::optional<std::int32_t> version;
  std::vector<Diagnostic> diagnostics;
};

struct DocumentDiagnosticParams {
  TextDocumentIdentifier textDocument;
  std::optional<std::string> identifier;
  std::optional<std::string> previousResultId;
};

// RelatedFullDocumentDiagnosticReport | RelatedUnchangedDocumentDiagnosticReport.
struct DocumentDiagnosticReport {
  std::string kind = "full";  // "full" | "unchanged"
  std::optional<std::string> resultId;
  std::vector<Diagnostic> items;  // "full" only
};

// ---- Hover ------------------------------------------------------------------------------------

struct HoverParams {
  TextDocumentIdentifier textDocument;
  Position position;
};

struct Hover {
  MarkupContent contents;
  std::optional<Range> range;
};

using HoverResult = std::optional<Hover>;

// ---- Code actions, commands, edits ------------------------------------------------------------

struct TextEdit {
  Range range;
  std::string newText;
};

struct WorkspaceEdit {
  std::map<std::string, std::vector<TextEdit>> changes;  // uri -> edits
};

struct Command {
  std::string title;
  std::string command;
  std::optional<std::vector<Json>> arguments;
};

struct CodeActionContext {
  std::vector<Diagnostic> diagnostics;
  std::optional<std::vector<std::string>> only;
};

struct CodeActionParams {
  TextDocumentIdentifier textDocument;
  Range range;
  CodeActionContext context;
};

struct CodeActionDisabled {
  std::string reason;
};

struct CodeAction {
  std::string title;
  std::optional<std::string> kind;
  std::optional<std::vector<Diagnostic>> diagnostics;
  std::optional<bool> isPreferred;
  std::optional<CodeActionDisabled> disabled;
  std::optional<WorkspaceEdit> edit;
  std::optional<Command> command;
  Json data;  // what codeAction/resolve needs to compute the edit later
};
using CodeActionResult = std::vector<CodeAction>;

// The `data` of an action whose edit is computed by codeAction/resolve.
struct CodeActionData {
  DocumentUri uri;
  Range range;
  std::string findingId;
  std::string action;  // "upgrade"
};

struct CodeLensParams {
  TextDocumentIdentifier textDocument;
};

struct CodeLens {
  Range range;
  std::optional<Command> command;
};
using CodeLensResult = std::vector<CodeLens>;

struct ExecuteCommandParams {
  std::string command;
  std::optional<std::vector<Json>> arguments;
};

struct ApplyWorkspaceEditParams {
  std::optional<std::string> label;
  WorkspaceEdit edit;
};

struct ApplyWorkspaceEditResult {
  bool applied = false;
  std::optional<std::string> failureReason;
};

struct MessageActionItem {
  std::string title;
};

struct ShowMessageRequestParams {
  MessageType type = MessageType::Info;
  std::string message;
  std::vector<MessageActionItem> actions;
};
using ShowMessageRequestResult = std::optional<MessageActionItem>;

// ---- aspm's extensions (docs/lsp-extensions.md) -------------------------------------------------

struct FindingsParams {
  std::optional<TextDocumentIdentifier> textDocument;
  std::optional<std::string> minSeverity;
  std::optional<std::string> query;
  std::optional<std::string> sort;  // risk | severity | path
  std::optional<std::uint32_t> offset;
  std::optional<std::uint32_t> limit;
  std::optional<bool> includeHidden;
};

struct WireRisk {
  std::int32_t score = 0;
};

struct WireTriage {
  std::string status;
  std::string reason;
  std::string author;
  std::string at;
  std::optional<std::string> expires;
};

struct WireFinding {
  std::string id;
  std::string ruleId;
  std::string tool;
  std::string message;
  std::string severity;
  std::string bucket;
  WireRisk risk;
  std::string state;
  std::optional<Location> location;
  std::optional<std::string> helpUri;
  std::vector<std::string> cwe;
  std::optional<WireTriage> triage;
};

struct FindingsResult {
  std::vector<WireFinding> findings;
  std::uint32_t total = 0;
};

struct ExplainParams {
  std::string findingId;
};

struct ExplainResult {
  std::string markdown;
};

struct InventoryParams {
  std::optional<bool> refresh;  // discover the estate again instead of answering from the last discovery
};

struct WireEvidence {
  std::string file;
  std::uint32_t line = 0;  // 1-based; 0: the whole file
  std::string why;
};

// Open findings attached to an asset, by severity.
struct WireFindingCounts {
  std::uint32_t critical = 0;
  std::uint32_t high = 0;
  std::uint32_t medium = 0;
  std::uint32_t low = 0;
  std::uint32_t info = 0;
};

// One asset as `aspm inventory --format json` prints it, plus its open findings.
struct WireAsset {
  std::string name;
  std::string kind;  // service | library | pipeline | infrastructure | api
  std::string path;  // repo-relative directory ("." the root) or file
  std::vector<std::string> languages;
  std::vector<std::string> manifests;
  std::string exposure;     // internet | internal | none | unknown
  std::string criticality;  // low | medium | high | critical | unknown
  std::vector<std::string> scans;
  std::vector<WireEvidence> evidence;
  std::optional<WireEvidence> exposureEvidence;     // written as null when absent
  std::optional<WireEvidence> criticalityEvidence;  // written as null when absent
  std::vector<std::string> images;
  WireFindingCounts findings;
};

struct InventoryResult {
  std::vector<WireAsset> assets;
};

struct TriageArguments {
  std::string findingId;
  std::string status;
  std::optional<std::string> reason;
  std::optional<std::string> expires;
};
using NullResult = std::nullptr_t;

// Every struct above that has a JSON conversion (used to declare and instantiate them).
#define ASPM_PROTOCOL_STRUCTS(X)                                                                                  \
  X(Position) X(Range) X(Location) X(TextDocumentIdentifier) X(VersionedTextDocumentIdentifier)                   \
  X(TextDocumentItem) X(MarkupContent) X(ClientInfo) X(WorkspaceFolder) X(DidChangeWatchedFilesClientCapabilities) \
  X(DiagnosticWorkspaceClientCapabilities) X(WorkspaceClientCapabilities) X(PublishDiagnosticsClientCapabilities) \
  X(HoverClientCapabilities) X(DiagnosticClientCapabilities) X(CodeActionResolveSupport) X(CodeActionClientCapabilities) X(TextDocumentClientCapabilities)                    \
  X(WindowClientCapabilities) X(GeneralClientCapabilities) X(ClientCapabilities) X(InitializeParams)              \
  X(SaveOptions) X(TextDocumentSyncOptions) X(DiagnosticOptions) X(ServerCapabilities) X(ServerInfo)              \
  X(InitializeResult) X(InitializedParams) X(SetTraceParams) X(CancelParams) X(StoreSettings) X(AspmSettings)     \
  X(ConfigurationSettings) X(ConfigurationItem) X(ConfigurationParams) X(DidChangeConfigurationParams)            \
  X(FileEvent) X(DidChangeWatchedFilesParams) X(FileSystemWatcher) X(DidChangeWatchedFilesRegistrationOptions)    \
  X(Registration) X(RegistrationParams) X(LogMessageParams) X(ShowMessageParams)                                  \
  X(WorkDoneProgressCreateParams) X(WorkDoneProgressBegin) X(WorkDoneProgressReport) X(WorkDoneProgressEnd)       \
  X(ProgressParams) X(DidOpenTextDocumentParams) X(TextDocumentContentChangeEvent)                                \
  X(DidChangeTextDocumentParams) X(DidSaveTextDocumentParams) X(DidCloseTextDocumentParams) X(CodeDescription)    \
  X(DiagnosticRelatedInformation) X(DiagnosticData) X(Diagnostic) X(PublishDiagnosticsParams)                     \
  X(DocumentDiagnosticParams) X(DocumentDiagnosticReport) X(HoverParams) X(Hover) X(CodeActionOptions) X(CodeLensOptions) \
  X(ExecuteCommandOptions) X(TextEdit) X(WorkspaceEdit) X(Command) X(CodeActionContext) X(CodeActionParams)        \
  X(CodeActionDisabled) X(CodeAction) X(CodeActionData) X(CodeLensParams) X(CodeLens) X(ExecuteCommandParams) X(ApplyWorkspaceEditParams)                         \
  X(ApplyWorkspaceEditResult) X(MessageActionItem) X(ShowMessageRequestParams) X(FindingsParams) X(WireRisk)      \
  X(WireTriage) X(WireFinding) X(FindingsResult) X(ExplainParams) X(ExplainResult) X(TriageArguments)   \
  X(InventoryParams) X(WireEvidence) X(WireFindingCounts) X(WireAsset) X(InventoryResult)

// Types that are message payloads without being structs of their own.
#define ASPM_PROTOCOL_ALIASES(X) \
  X(HoverResult) X(NullResult) X(ConfigurationResult) X(CodeActionResult) X(ShowMessageRequestResult) X(CodeLensResult)

}  // namespace aspm::protocol
