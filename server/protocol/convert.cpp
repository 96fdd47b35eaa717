// JSON conversions for every protocol struct. Each struct's fields are listed once, in an
// ASPM_STRUCT block that expands to both directions, so reading and writing cannot drift apart.
// Reading throws ConversionError carrying the JSON path; decode() turns that into an
// InvalidParams error. Writing omits absent optional fields.
#include <limits>
#include <type_traits>

#include "protocol/codec.h"
#include "protocol/json_convert.h"
#include "protocol/json_text.h"
#include "transport/json_boost.h"

namespace aspm::protocol {
namespace json = boost::json;

void ConversionError::prependKey(std::string_view key) {
  path_ = "." + std::string(key) + path_;
  refresh();
}

void ConversionError::prependIndex(std::size_t index) {
  path_ = "[" + std::to_string(index) + "]" + path_;
  refresh();
}

std::string ConversionError::describe(std::string_view root) const {
  std::string p = std::string(root) + path_;
  if (!p.empty() && p.front() == '.') p.erase(0, 1);
  return p.empty() ? message_ : p + ": " + message_;
}

namespace convert {

template <typename T>
constexpr bool kIsStruct = false;
#define ASPM_PROTOCOL_MARK_STRUCT(T) \
  template <>                        \
  constexpr bool kIsStruct<T> = true;
ASPM_PROTOCOL_STRUCTS(ASPM_PROTOCOL_MARK_STRUCT)
#undef ASPM_PROTOCOL_MARK_STRUCT

const char* kindName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64: return "integer";
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
  }
  return "value";
}

[[noreturn]] void mismatch(std::string_view expected, const json::value& v) {
  throw ConversionError("expected " + std::string(expected) + ", got " + kindName(v));
}

// ---- Reading: every overload is declared before any template uses it ---------------------------

void fromJson(const json::value& v, std::string& out);
void fromJson(const json::value& v, bool& out);
void fromJson(const json::value& v, std::int32_t& out);
void fromJson(const json::value& v, std::uint32_t& out);
void fromJson(const json::value& v, std::int64_t& out);
void fromJson(const json::value& v, Json& out);
void fromJson(const json::value& v, std::nullptr_t& out);
void fromJson(const json::value& v, transport::RequestId& out);
void fromJson(const json::value& v, FileChangeType& out);
void fromJson(const json::value& v, MessageType& out);
void fromJson(const json::value& v, DiagnosticSeverity& out);
void fromJson(const json::value& v, TextDocumentSyncKind& out);
template <typename T>
void fromJson(const json::value& v, std::vector<T>& out);
template <typename T>
void fromJson(const json::value& v, std::optional<T>& out);
template <typename T>
void fromJson(const json::value& v, std::map<std::string, T>& out);
template <typename T>
  requires kIsStruct<T>
void fromJson(const json::value& v, T& out);

void fromJson(const json::value& v, std::string& out) {
  if (!v.is_string()) mismatch("string", v);
  out = v.get_string();
}

void fromJson(const json::value& v, bool& out) {
  if (!v.is_bool()) mismatch("boolean", v);
  out = v.get_bool();
}

template <typename I>
I readInteger(const json::value& v) {
  std::int64_t n = 0;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    n = static_cast<std::int64_t>(v.get_uint64());
  } else if (v.is_double() && v.get_double() == static_cast<double>(static_cast<std::int64_t>(v.get_double()))) {
    n = static_cast<std::int64_t>(v.get_double());  // 3.0 is an integer in JSON's eyes
  } else if (v.is_uint64()) {
    throw ConversionError("integer out of range");
  } else {
    mismatch("integer", v);
  }
  if (n < static_cast<std::int64_t>(std::numeric_limits<I>::min()) ||
      (n > 0 && static_cast<std::uint64_t>(n) > static_cast<std::uint64_t>(std::numeric_limits<I>::max())))
    throw ConversionError("integer " + std::to_string(n) + " out of range");
  return static_cast<I>(n);
}

void fromJson(const json::value& v, std::int32_t& out) { out = readInteger<std::int32_t>(v); }
void fromJson(const json::value& v, std::uint32_t& out) { out = readInteger<std::uint32_t>(v); }
void fromJson(const json::value& v, std::int64_t& out) { out = readInteger<std::int64_t>(v); }
void fromJson(const json::value& v, Json& out) { out = transport::makeJson(v); }
void fromJson(const json::value&, std::nullptr_t& out) { out = nullptr; }

void fromJson(const json::value& v, transport::RequestId& out) {
  if (v.is_string()) out = std::string(v.get_string());
  else if (v.is_int64() || v.is_uint64()) out = readInteger<std::int64_t>(v);
  else mismatch("integer or string", v);
}

template <typename E>
E readEnum(const json::value& v, int lo, int hi) {
  const int n = readInteger<int>(v);
  if (n < lo || n > hi)
    throw ConversionError("expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " +
                          std::to_string(n));
  return static_cast<E>(n);
}

void fromJson(const json::value& v, FileChangeType& out) { out = readEnum<FileChangeType>(v, 1, 3); }
void fromJson(const json::value& v, MessageType& out) { out = readEnum<MessageType>(v, 1, 4); }
void fromJson(const json::value& v, DiagnosticSeverity& out) { out = readEnum<DiagnosticSeverity>(v, 1, 4); }
void fromJson(const json::value& v, TextDocumentSyncKind& out) { out = readEnum<TextDocumentSyncKind>(v, 0, 2); }

template <typename T>
void fromJson(const json::value& v, std::vector<T>& out) {
  if (!v.is_array()) mismatch("array", v);
  const json::array& a = v.get_array();
  out.clear();
  out.reserve(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    try {
      fromJson(a[i], out.emplace_back());
    } catch (ConversionError& e) {
      e.prependIndex(i);
      throw;
    }
  }
}

template <typename T>
void fromJson(const json::value& v, std::map<std::string, T>& out) {
  if (!v.is_object()) mismatch("object", v);
  out.clear();
  for (const auto& [key, value] : v.get_object()) {
    try {
      fromJson(value, out[std::string(key)]);
    } catch (ConversionError& e) {
      e.prependKey(key);
      throw;
    }
  }
}

template <typename T>
void fromJson(const json::value& v, std::optional<T>& out) {
  if (v.is_null()) {
    out.reset();
    return;
  }
  T value{};
  fromJson(v, value);
  out = std::move(value);
}

template <typename T>
  requires kIsStruct<T>
void fromJson(const json::value& v, T& out) {
  out = json::value_to<T>(v);
}

// Reads the fields of one JSON object. Optional fields that are absent or null keep their
// default, as LSP treats null like absence for optional properties.
class Reader {
 public:
  explicit Reader(const json::value& v) {
    if (!v.is_object()) mismatch("object", v);
    o_ = &v.get_object();
  }
  template <typename F>
  void req(std::string_view key, F& out) {
    const json::value* v = o_->if_contains(key);
    if (!v) {
      ConversionError e("required field missing");
      e.prependKey(key);
      throw e;
    }
    read(key, *v, out);
  }
  template <typename F>
  void opt(std::string_view key, F& out) {
    const json::value* v = o_->if_contains(key);
    if (!v || v->is_null()) return;
    read(key, *v, out);
  }
  const json::value* find(std::string_view key) const { return o_->if_contains(key); }

  template <typename F>
  static void read(std::string_view key, const json::value& v, F& out) {
    try {
      fromJson(v, out);
    } catch (ConversionError& e) {
      e.prependKey(key);
      throw;
    }
  }

 private:
  const json::object* o_ = nullptr;
};

// ---- Writing ------------------------------------------------------------------------------------

json::value toValue(const std::string& s);
json::value toValue(bool b);
json::value toValue(std::int32_t n);
json::value toValue(std::uint32_t n);
json::value toValue(std::int64_t n);
json::value toValue(const Json& j);
json::value toValue(std::nullptr_t);
json::value toValue(const transport::RequestId& id);
template <typename E>
  requires std::is_enum_v<E>
json::value toValue(E e);
template <typename T>
json::value toValue(const std::vector<T>& v);
template <typename T>
json::value toValue(const std::optional<T>& v);
template <typename T>
json::value toValue(const std::map<std::string, T>& v);
template <typename T>
  requires kIsStruct<T>
json::value toValue(const T& x);

json::value toValue(const std::string& s) { return json::value(s); }
json::value toValue(bool b) { return json::value(b); }
json::value toValue(std::int32_t n) { return json::value(n); }
json::value toValue(std::uint32_t n) { return json::value(n); }
json::value toValue(std::int64_t n) { return json::value(n); }
json::value toValue(const Json& j) { return transport::boostValue(j); }
json::value toValue(std::nullptr_t) { return json::value(nullptr); }
json::value toValue(const transport::RequestId& id) {
  if (const auto* n = std::get_if<std::int64_t>(&id)) return json::value(*n);
  return json::value(std::get<std::string>(id));
}

template <typename E>
  requires std::is_enum_v<E>
json::value toValue(E e) {
  return json::value(static_cast<int>(e));
}

template <typename T>
json::value toValue(const std::vector<T>& v) {
  json::array a;
  a.reserve(v.size());
  for (const auto& x : v) a.push_back(toValue(x));
  return a;
}

template <typename T>
json::value toValue(const std::map<std::string, T>& v) {
  json::object o;
  for (const auto& [key, value] : v) o[key] = toValue(value);
  return o;
}

template <typename T>
json::value toValue(const std::optional<T>& v) {
  return v ? toValue(*v) : json::value(nullptr);
}

template <typename T>
  requires kIsStruct<T>
json::value toValue(const T& x) {
  return json::value_from(x);
}

class Writer {
 public:
  template <typename F>
  void req(std::string_view key, const F& in) {
    o_[key] = toValue(in);
  }
  // Absent optionals and null JSON are left out; plain fields with defaults are always written.
  template <typename F>
  void opt(std::string_view key, const F& in) {
    if constexpr (std::is_same_v<F, Json>) {
      if (!in.isNull()) o_[key] = toValue(in);
    } else if constexpr (requires { in.has_value(); }) {
      if (in.has_value()) o_[key] = toValue(*in);
    } else {
      o_[key] = toValue(in);
    }
  }
  json::object& object() { return o_; }
  json::value take() { return std::move(o_); }

 private:
  json::object o_;
};

}  // namespace convert

using convert::Reader;
using convert::Writer;

#define ASPM_STRUCT(T, ...)                                                \
  T tag_invoke(json::value_to_tag<T>, const json::value& jv) {             \
    T x{};                                                                 \
    Reader io(jv);                                                         \
    __VA_ARGS__;                                                           \
    return x;                                                              \
  }                                                                        \
  void tag_invoke(json::value_from_tag, json::value& jv, const T& x) {     \
    Writer io;                                                             \
    __VA_ARGS__;                                                           \
    jv = io.take();                                                        \
  }

// ---- Basic structures -------------------------------------------------------------------------

ASPM_STRUCT(Position, io.req("line", x.line); io.req("character", x.character))
ASPM_STRUCT(Range, io.req("start", x.start); io.req("end", x.end))
ASPM_STRUCT(Location, io.req("uri", x.uri); io.req("range", x.range))
ASPM_STRUCT(TextDocumentIdentifier, io.req("uri", x.uri))
ASPM_STRUCT(VersionedTextDocumentIdentifier, io.req("uri", x.uri); io.req("version", x.version))
ASPM_STRUCT(TextDocumentItem, io.req("uri", x.uri); io.req("languageId", x.languageId); io.req("version", x.version);
            io.req("text", x.text))
ASPM_STRUCT(MarkupContent, io.req("kind", x.kind); io.req("value", x.value))

// ---- Lifecycle --------------------------------------------------------------------------------

ASPM_STRUCT(ClientInfo, io.req("name", x.name); io.opt("version", x.version))
ASPM_STRUCT(WorkspaceFolder, io.req("uri", x.uri); io.req("name", x.name))
ASPM_STRUCT(DidChangeWatchedFilesClientCapabilities, io.opt("dynamicRegistration", x.dynamicRegistration);
            io.opt("relativePatternSupport", x.relativePatternSupport))
ASPM_STRUCT(DiagnosticWorkspaceClientCapabilities, io.opt("refreshSupport", x.refreshSupport))
ASPM_STRUCT(WorkspaceClientCapabilities, io.opt("configuration", x.configuration);
            io.opt("workspaceFolders", x.workspaceFolders); io.opt("didChangeWatchedFiles", x.didChangeWatchedFiles);
            io.opt("diagnostics", x.diagnostics))
ASPM_STRUCT(PublishDiagnosticsClientCapabilities, io.opt("relatedInformation", x.relatedInformation);
            io.opt("versionSupport", x.versionSupport); io.opt("codeDescriptionSupport", x.codeDescriptionSupport);
            io.opt("dataSupport", x.dataSupport))
ASPM_STRUCT(HoverClientCapabilities, io.opt("contentFormat", x.contentFormat))
ASPM_STRUCT(DiagnosticClientCapabilities, io.opt("dynamicRegistration", x.dynamicRegistration);
            io.opt("relatedDocumentSupport", x.relatedDocumentSupport))
ASPM_STRUCT(CodeActionResolveSupport, io.opt("properties", x.properties))
ASPM_STRUCT(CodeActionClientCapabilities, io.opt("resolveSupport", x.resolveSupport); io.opt("dataSupport", x.dataSupport))
ASPM_STRUCT(TextDocumentClientCapabilities, io.opt("publishDiagnostics", x.publishDiagnostics);
            io.opt("codeAction", x.codeAction); io.opt("hover", x.hover); io.opt("diagnostic", x.diagnostic))
ASPM_STRUCT(WindowClientCapabilities, io.opt("workDoneProgress", x.workDoneProgress))
ASPM_STRUCT(GeneralClientCapabilities, io.opt("positionEncodings", x.positionEncodings))
ASPM_STRUCT(ClientCapabilities, io.opt("workspace", x.workspace); io.opt("textDocument", x.textDocument);
            io.opt("window", x.window); io.opt("general", x.general))
ASPM_STRUCT(InitializeParams, io.opt("processId", x.processId); io.opt("clientInfo", x.clientInfo);
            io.opt("rootPath", x.rootPath); io.opt("rootUri", x.rootUri);
            io.opt("initializationOptions", x.initializationOptions); io.req("capabilities", x.capabilities);
            io.opt("trace", x.trace); io.opt("workspaceFolders", x.workspaceFolders))
ASPM_STRUCT(SaveOptions, io.opt("includeText", x.includeText))
ASPM_STRUCT(TextDocumentSyncOptions, io.opt("openClose", x.openClose); io.opt("change", x.change);
            io.opt("save", x.save))
ASPM_STRUCT(DiagnosticOptions, io.opt("identifier", x.identifier);
            io.req("interFileDependencies", x.interFileDependencies);
            io.req("workspaceDiagnostics", x.workspaceDiagnostics))
ASPM_STRUCT(CodeActionOptions, io.opt("codeActionKinds", x.codeActionKinds); io.opt("resolveProvider", x.resolveProvider))
ASPM_STRUCT(ExecuteCommandOptions, io.req("commands", x.commands))
ASPM_STRUCT(CodeLensOptions, io.opt("resolveProvider", x.resolveProvider))
ASPM_STRUCT(ServerCapabilities, io.opt("positionEncoding", x.positionEncoding);
            io.opt("textDocumentSync", x.textDocumentSync); io.opt("hoverProvider", x.hoverProvider);
            io.opt("diagnosticProvider", x.diagnosticProvider); io.opt("codeActionProvider", x.codeActionProvider);
            io.opt("executeCommandProvider", x.executeCommandProvider); io.opt("codeLensProvider", x.codeLensProvider); io.opt("experimental", x.experimental))
ASPM_STRUCT(ServerInfo, io.req("name", x.name); io.opt("version", x.version))
ASPM_STRUCT(InitializeResult, io.req("capabilities", x.capabilities); io.opt("serverInfo", x.serverInfo))

InitializedParams tag_invoke(json::value_to_tag<InitializedParams>, const json::value& jv) {
  Reader io(jv);  // must be an object; its contents are unspecified
  return {};
}
void tag_invoke(json::value_from_tag, json::value& jv, const InitializedParams&) { jv = json::object(); }

ASPM_STRUCT(SetTraceParams, io.req("value", x.value))
ASPM_STRUCT(CancelParams, io.req("id", x.id))

// ---- Settings ---------------------------------------------------------------------------------

ASPM_STRUCT(StoreSettings, io.opt("url", x.url); io.opt("project", x.project); io.opt("token", x.token))

AspmSettings tag_invoke(json::value_to_tag<AspmSettings>, const json::value& jv) {
  AspmSettings x;
  Reader io(jv);
  // "sarif": "reports/*.sarif" is as natural to write as a one-element list.
  if (const json::value* s = io.find("sarif"); s && s->is_string()) x.sarif = std::vector<std::string>{std::string(s->get_string())};
  else io.opt("sarif", x.sarif);
  io.opt("minSeverity", x.minSeverity);
  io.opt("store", x.store);
  io.opt("policy", x.policy);
  io.opt("revision", x.revision);
  if (const json::value* c = io.find("codeLens"); c && c->is_bool()) x.codeLens = c->get_bool();
  else if (c && c->is_object()) {
    Reader lens(*c);
    lens.opt("enabled", x.codeLens);
  }
  return x;
}
void tag_invoke(json::value_from_tag, json::value& jv, const AspmSettings& x) {
  Writer io;
  io.opt("sarif", x.sarif);
  io.opt("minSeverity", x.minSeverity);
  io.opt("store", x.store);
  io.opt("policy", x.policy);
  io.opt("revision", x.revision);
  jv = io.take();
  if (x.codeLens) jv.as_object()["codeLens"] = json::object{{"enabled", *x.codeLens}};
}

ASPM_STRUCT(ConfigurationSettings, io.opt("aspm", x.aspm))

// ---- Workspace --------------------------------------------------------------------------------

ASPM_STRUCT(ConfigurationItem, io.opt("scopeUri", x.scopeUri); io.opt("section", x.section))
ASPM_STRUCT(ConfigurationParams, io.req("items", x.items))
ASPM_STRUCT(DidChangeConfigurationParams, io.opt("settings", x.settings))
ASPM_STRUCT(FileEvent, io.req("uri", x.uri); io.req("type", x.type))
ASPM_STRUCT(DidChangeWatchedFilesParams, io.req("changes", x.changes))
ASPM_STRUCT(FileSystemWatcher, io.req("globPattern", x.globPattern); io.opt("kind", x.kind))
ASPM_STRUCT(DidChangeWatchedFilesRegistrationOptions, io.req("watchers", x.watchers))
ASPM_STRUCT(Registration, io.req("id", x.id); io.req("method", x.method); io.opt("registerOptions", x.registerOptions))
ASPM_STRUCT(RegistrationParams, io.req("registrations", x.registrations))

// ---- Window -----------------------------------------------------------------------------------

ASPM_STRUCT(LogMessageParams, io.req("type", x.type); io.req("message", x.message))
ASPM_STRUCT(ShowMessageParams, io.req("type", x.type); io.req("message", x.message))
ASPM_STRUCT(WorkDoneProgressCreateParams, io.req("token", x.token))

// The three progress payloads are told apart by their "kind".
void requireKind(const Reader& io, std::string_view kind) {
  const json::value* k = io.find("kind");
  if (!k || !k->is_string() || k->get_string() != kind) {
    ConversionError e("expected \"" + std::string(kind) + "\"");
    e.prependKey("kind");
    throw e;
  }
}

WorkDoneProgressBegin tag_invoke(json::value_to_tag<WorkDoneProgressBegin>, const json::value& jv) {
  WorkDoneProgressBegin x;
  Reader io(jv);
  requireKind(io, "begin");
  io.req("title", x.title);
  io.opt("cancellable", x.cancellable);
  io.opt("message", x.message);
  io.opt("percentage", x.percentage);
  return x;
}
void tag_invoke(json::value_from_tag, json::value& jv, const WorkDoneProgressBegin& x) {
  Writer io;
  io.object()["kind"] = "begin";
  io.req("title", x.title);
  io.opt("cancellable", x.cancellable);
  io.opt("message", x.message);
  io.opt("percentage", x.percentage);
  jv = io.take();
}

WorkDoneProgressReport tag_invoke(json::value_to_tag<WorkDoneProgressReport>, const json::value& jv) {
  WorkDoneProgressReport x;
  Reader io(jv);
  requireKind(io, "report");
  io.opt("cancellable", x.cancellable);
  io.opt("message", x.message);
  io.opt("percentage", x.percentage);
  return x;
}
void tag_invoke(json::value_from_tag, json::value& jv, const WorkDoneProgressReport& x) {
  Writer io;
  io.object()["kind"] = "report";
  io.opt("cancellable", x.cancellable);
  io.opt("message", x.message);
  io.opt("percentage", x.percentage);
  jv = io.take();
}

WorkDoneProgressEnd tag_invoke(json::value_to_tag<WorkDoneProgressEnd>, const json::value& jv) {
  WorkDoneProgressEnd x;
  Reader io(jv);
  requireKind(io, "end");
  io.opt("message", x.message);
  return x;
}
void tag_invoke(json::value_from_tag, json::value& jv, const WorkDoneProgressEnd& x) {
  Writer io;
  io.object()["kind"] = "end";
  io.opt("message", x.message);
  jv = io.take();
}

ProgressParams tag_invoke(json::value_to_tag<ProgressParams>, const json::value& jv) {
  ProgressParams x;
  Reader io(jv);
  io.req("token", x.token);
  const json::value* value = io.find("value");
  const json::value* kind = value && value->is_object() ? value->get_object().if_contains("kind") : nullptr;
  const std::string_view k = kind && kind->is_string() ? std::string_view(kind->get_string()) : std::string_view();
  if (k == "begin") Reader::read("value", *value, std::get<0>(x.value = WorkDoneProgressBegin{}));
  else if (k == "report") Reader::read("value", *value, std::get<1>(x.value = WorkDoneProgressReport{}));
  else if (k == "end") Reader::read("value", *value, std::get<2>(x.value = WorkDoneProgressEnd{}));
  else {
    ConversionError e("expected a work done progress value with kind \"begin\", \"report\" or \"end\"");
    e.prependKey("value");
    throw e;
  }
  return x;
}
void tag_invoke(json::value_from_tag, json::value& jv, const ProgressParams& x) {
  Writer io;
  io.req("token", x.token);
  std::visit([&](const auto& v) { io.req("value", v); }, x.value);
  jv = io.take();
}

// ---- Text synchronisation ---------------------------------------------------------------------

ASPM_STRUCT(DidOpenTextDocumentParams, io.req("textDocument", x.textDocument))
ASPM_STRUCT(TextDocumentContentChangeEvent, io.opt("range", x.range); io.opt("rangeLength", x.rangeLength);
            io.req("text", x.text))
ASPM_STRUCT(DidChangeTextDocumentParams, io.req("textDocument", x.textDocument);
            io.req("contentChanges", x.contentChanges))
ASPM_STRUCT(DidSaveTextDocumentParams, io.req("textDocument", x.textDocument); io.opt("text", x.text))
ASPM_STRUCT(DidCloseTextDocumentParams, io.req("textDocument", x.textDocument))

// ---- Diagnostics ------------------------------------------------------------------------------

ASPM_STRUCT(CodeDescription, io.req("href", x.href))
ASPM_STRUCT(DiagnosticRelatedInformation, io.req("location", x.location); io.req("message", x.message))
ASPM_STRUCT(DiagnosticData, io.req("findingId", x.findingId))

Diagnostic tag_invoke(json::value_to_tag<Diagnostic>, const json::value& jv) {
  Diagnostic x;
  Reader io(jv);
  io.req("range", x.range);
  io.opt("severity", x.severity);
  if (const json::value* c = io.find("code"); c && (c->is_int64() || c->is_uint64())) {
    std::int64_t n = 0;
    Reader::read("code", *c, n);
    x.code = std::to_string(n);
  } else {
    io.opt("code", x.code);
  }
  io.opt("codeDescription", x.codeDescription);
  io.opt("source", x.source);
  io.req("message", x.message);
  io.opt("relatedInformation", x.relatedInformation);
  io.opt("data", x.data);
  return x;
}
void tag_invoke(json::value_from_tag, json::value& jv, const Diagnostic& x) {
  Writer io;
  io.req("range", x.range);
  io.opt("severity", x.severity);
  io.opt("code", x.code);
  io.opt("codeDescription", x.codeDescription);
  io.opt("source", x.source);
  io.req("message", x.message);
  io.opt("relatedInformation", x.relatedInformation);
  io.opt("data", x.data);
  jv = io.take();
}

ASPM_STRUCT(PublishDiagnosticsParams, io.req("uri", x.uri); io.opt("version", x.version);
            io.req("diagnostics", x.diagnostics))
ASPM_STRUCT(DocumentDiagnosticParams, io.req("textDocument", x.textDocument); io.opt("identifier", x.identifier);
            io.opt("previousResultId", x.previousResultId))

DocumentDiagnosticReport tag_invoke(json::value_to_tag<DocumentDiagnosticReport>, const json::value& jv) {
  DocumentDiagnosticReport x;
  Reader io(jv);
  io.req("kind", x.kind);
  if (x.kind == "full") {
    io.opt("resultId", x.resultId);
    io.req("items", x.items);
  } else if (x.kind == "unchanged") {
    io.req("resultId", x.resultId);
  } else {
    ConversionError e("expected \"full\" or \"unchanged\"");
    e.prependKey("kind");
    throw e;
  }
  return x;
}
void tag_invoke(json::value_from_tag, json::value& jv, const DocumentDiagnosticReport& x) {
  Writer io;
  io.req("kind", x.kind);
  io.opt("resultId", x.resultId);
  if (x.kind != "unchanged") io.req("items", x.items);
  jv = io.take();
}

// ---- Hover ------------------------------------------------------------------------------------

ASPM_STRUCT(HoverParams, io.req("textDocument", x.textDocument); io.req("position", x.position))
ASPM_STRUCT(Hover, io.req("contents", x.contents); io.opt("range", x.range))

// ---- Code actions, commands, edits ----------------------------------------------------------------

ASPM_STRUCT(TextEdit, io.req("range", x.range); io.req("newText", x.newText))
ASPM_STRUCT(WorkspaceEdit, io.opt("changes", x.changes))
ASPM_STRUCT(Command, io.req("title", x.title); io.req("command", x.command); io.opt("arguments", x.arguments))
ASPM_STRUCT(CodeActionContext, io.req("diagnostics", x.diagnostics); io.opt("only", x.only))
ASPM_STRUCT(CodeActionParams, io.req("textDocument", x.textDocument); io.req("range", x.range); io.req("context", x.context))
ASPM_STRUCT(CodeActionDisabled, io.req("reason", x.reason))
ASPM_STRUCT(CodeAction, io.req("title", x.title); io.opt("kind", x.kind); io.opt("diagnostics", x.diagnostics);
            io.opt("isPreferred", x.isPreferred); io.opt("disabled", x.disabled); io.opt("edit", x.edit);
            io.opt("command", x.command); io.opt("data", x.data))
ASPM_STRUCT(CodeActionData, io.req("uri", x.uri); io.req("range", x.range); io.req("findingId", x.findingId);
            io.req("action", x.action))
ASPM_STRUCT(CodeLensParams, io.req("textDocument", x.textDocument))
ASPM_STRUCT(CodeLens, io.req("range", x.range); io.opt("command", x.command))
ASPM_STRUCT(ExecuteCommandParams, io.req("command", x.command); io.opt("arguments", x.arguments))
ASPM_STRUCT(ApplyWorkspaceEditParams, io.opt("label", x.label); io.req("edit", x.edit))
ASPM_STRUCT(ApplyWorkspaceEditResult, io.req("applied", x.applied); io.opt("failureReason", x.failureReason))
ASPM_STRUCT(MessageActionItem, io.req("title", x.title))
ASPM_STRUCT(ShowMessageRequestParams, io.req("type", x.type); io.req("message", x.message); io.opt("actions", x.actions))

// ---- aspm's extensions ------------------------------------------------------------------------------

ASPM_STRUCT(FindingsParams, io.opt("textDocument", x.textDocument); io.opt("minSeverity", x.minSeverity);
            io.opt("query", x.query); io.opt("sort", x.sort); io.opt("offset", x.offset); io.opt("limit", x.limit);
            io.opt("includeHidden", x.includeHidden))
ASPM_STRUCT(WireRisk, io.req("score", x.score))
ASPM_STRUCT(WireTriage, io.req("status", x.status); io.opt("reason", x.reason); io.opt("author", x.author);
            io.opt("at", x.at); io.opt("expires", x.expires))
ASPM_STRUCT(WireFinding, io.req("id", x.id); io.req("ruleId", x.ruleId); io.req("tool", x.tool); io.req("message", x.message);
            io.req("severity", x.severity); io.req("bucket", x.bucket); io.req("risk", x.risk); io.req("state", x.state);
            io.req("location", x.location); io.opt("helpUri", x.helpUri); io.opt("cwe", x.cwe); io.req("triage", x.triage))
ASPM_STRUCT(FindingsResult, io.req("findings", x.findings); io.req("total", x.total))
ASPM_STRUCT(ExplainParams, io.req("findingId", x.findingId))
ASPM_STRUCT(ExplainResult, io.req("markdown", x.markdown))
ASPM_STRUCT(TriageArguments, io.req("findingId", x.findingId); io.req("status", x.status); io.opt("reason", x.reason);
            io.opt("expires", x.expires))
ASPM_STRUCT(InventoryParams, io.opt("refresh", x.refresh))
ASPM_STRUCT(WireEvidence, io.req("file", x.file); io.req("line", x.line); io.req("why", x.why))
ASPM_STRUCT(WireFindingCounts, io.req("critical", x.critical); io.req("high", x.high); io.req("medium", x.medium);
            io.req("low", x.low); io.req("info", x.info))
ASPM_STRUCT(WireAsset, io.req("name", x.name); io.req("kind", x.kind); io.req("path", x.path);
            io.req("languages", x.languages); io.req("manifests", x.manifests); io.req("exposure", x.exposure);
            io.req("criticality", x.criticality); io.req("scans", x.scans); io.req("evidence", x.evidence);
            io.req("exposureEvidence", x.exposureEvidence); io.req("criticalityEvidence", x.criticalityEvidence);
            io.req("images", x.images); io.req("findings", x.findings))
ASPM_STRUCT(InventoryResult, io.req("assets", x.assets))

#undef ASPM_STRUCT

// ---- Diagnostics as text ----------------------------------------------------------------------
// A file's diagnostics go out on every keystroke that moves them; they are written straight to
// text (json_text.h), member for member what the tag_invoke overloads above produce.

namespace {

void writeRange(JsonText& w, const Range& r) {
  w.beginObject();
  w.key("start");
  w.beginObject();
  w.key("line");
  w.number(r.start.line);
  w.key("character");
  w.number(r.start.character);
  w.endObject();
  w.key("end");
  w.beginObject();
  w.key("line");
  w.number(r.end.line);
  w.key("character");
  w.number(r.end.character);
  w.endObject();
  w.endObject();
}

void writeDiagnostic(JsonText& w, const Diagnostic& d) {
  w.beginObject();
  w.key("range");
  writeRange(w, d.range);
  if (d.severity) {
    w.key("severity");
    w.number(static_cast<std::int64_t>(*d.severity));
  }
  if (d.code) {
    w.key("code");
    w.string(*d.code);
  }
  if (d.codeDescription) {
    w.key("codeDescription");
    w.beginObject();
    w.key("href");
    w.string(d.codeDescription->href);
    w.endObject();
  }
  if (d.source) {
    w.key("source");
    w.string(*d.source);
  }
  w.key("message");
  w.string(d.message);
  if (d.relatedInformation) {
    w.key("relatedInformation");
    w.beginArray();
    for (const auto& r : *d.relatedInformation) {
      w.beginObject();
      w.key("location");
      w.beginObject();
      w.key("uri");
      w.string(r.location.uri);
      w.key("range");
      writeRange(w, r.location.range);
      w.endObject();
      w.key("message");
      w.string(r.message);
      w.endObject();
    }
    w.endArray();
  }
  if (d.data) {
    w.key("data");
    w.beginObject();
    w.key("findingId");
    w.string(d.data->findingId);
    w.endObject();
  }
  w.endObject();
}

void writeDiagnostics(JsonText& w, const std::vector<Diagnostic>& items) {
  // About 300 bytes a diagnostic: one allocation for the common case.
  w.reserve(256 + items.size() * 320);
  w.beginArray();
  for (const auto& d : items) writeDiagnostic(w, d);
  w.endArray();
}

Json asText(const PublishDiagnosticsParams& x) {
  JsonText w;
  w.beginObject();
  w.key("uri");
  w.string(x.uri);
  if (x.version) {
    w.key("version");
    w.number(*x.version);
  }
  w.key("diagnostics");
  writeDiagnostics(w, x.diagnostics);
  w.endObject();
  return Json::fromText(w.take());
}

Json asText(const DocumentDiagnosticReport& x) {
  JsonText w;
  w.beginObject();
  w.key("kind");
  w.string(x.kind);
  if (x.resultId) {
    w.key("resultId");
    w.string(*x.resultId);
  }
  if (x.kind != "unchanged") {
    w.key("items");
    writeDiagnostics(w, x.items);
  }
  w.endObject();
  return Json::fromText(w.take());
}

}  // namespace

// ---- Codec entry points -----------------------------------------------------------------------

template <typename T>
transport::Expected<T> decode(const Json& payload, std::string_view root) {
  try {
    T out{};
    const json::value& v = transport::boostValue(payload);
    if constexpr (convert::kIsStruct<T>) {
      // Absent params mean "no fields" for a params struct: required fields are then reported.
      if (v.is_null()) {
        static const json::value kEmpty = json::object();
        convert::fromJson(kEmpty, out);
        return out;
      }
    }
    convert::fromJson(v, out);
    return out;
  } catch (const ConversionError& e) {
    return transport::RpcError{transport::ErrorCode::InvalidParams, e.describe(root)};
  }
}

template <typename T>
Json encode(const T& value) {
  if constexpr (std::is_same_v<T, PublishDiagnosticsParams> || std::is_same_v<T, DocumentDiagnosticReport>)
    return asText(value);
  else
    return transport::makeJson(convert::toValue(value));
}

#define ASPM_PROTOCOL_INSTANTIATE_CODEC(T)                                     \
  template transport::Expected<T> decode<T>(const Json&, std::string_view); \
  template Json encode<T>(const T&);
ASPM_PROTOCOL_STRUCTS(ASPM_PROTOCOL_INSTANTIATE_CODEC)
ASPM_PROTOCOL_ALIASES(ASPM_PROTOCOL_INSTANTIATE_CODEC)
#undef ASPM_PROTOCOL_INSTANTIATE_CODEC

}  // namespace aspm::protocol
