// How engine results look on the wire: engine coordinates and findings to protocol structs.
// Kept apart from the server so the mapping rules (severity, source, code, data) are in one
// place and testable without a client.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "engine/features.h"
#include "engine/types.h"
#include "model/finding.h"
#include "protocol/types.h"

namespace aspm::lsp {

inline protocol::Position toProtocol(engine::Position p) { return {p.line, p.character}; }
inline protocol::Range toProtocol(const engine::Range& r) { return {toProtocol(r.start), toProtocol(r.end)}; }
inline engine::Position toEngine(protocol::Position p) { return {p.line, p.character}; }
inline engine::Range toEngine(const protocol::Range& r) { return {toEngine(r.start), toEngine(r.end)}; }

// critical/high -> Error, medium -> Warning, low -> Information, info -> Hint.
protocol::DiagnosticSeverity toDiagnosticSeverity(model::Severity severity);

// Turns a workspace-relative path (or an absolute one) into the URI to publish.
using UriFor = std::function<std::string(const std::string& path, bool inWorkspace)>;

// Taken by value: a caller done with `d` moves it in, and its strings move rather than copy.
protocol::Diagnostic toDiagnostic(engine::FindingDiagnostic d, const UriFor& uriFor);

}  // namespace aspm::lsp
