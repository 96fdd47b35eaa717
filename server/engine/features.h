// The language features, as synchronous functions over one snapshot (clangd's style): no
// threads, no locks, no protocol. lsp/ turns their results into LSP messages.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/snapshot.h"
#include "engine/types.h"
#include "model/finding.h"

namespace aspm::engine {

struct RelatedLocation {
  std::string path;       // workspace-relative when `inWorkspace`, else an absolute path
  bool inWorkspace = true;
  Range range;
  std::string message;
};

// One finding as shown on a file.
struct FindingDiagnostic {
  Range range;
  model::Severity severity = model::Severity::Medium;
  std::string ruleId;
  std::string source;   // tool names, several joined with "+"
  std::string helpUri;  // the rule's help link, "" when none
  std::string message;
  std::string findingId;
  std::vector<RelatedLocation> related;  // code-flow steps, related locations, other tools' places
};

struct FileDiagnostics {
  std::vector<FindingDiagnostic> items;  // ordered by position
  std::string resultId;                  // changes exactly when the items change
  std::optional<std::int64_t> version;   // the open document's version, if open
};

// The findings on one workspace-relative path, placed on the open buffer when there is one,
// filtered by the settings' minimum severity; suppressed findings are left out.
FileDiagnostics diagnosticsFor(const Snapshot& snapshot, std::string_view path);

struct HoverInfo {
  Range range;
  std::string markdown;
};

// Rule documentation for the findings under `position` (nullopt when there are none).
// `history`, when given, returns the triage decisions recorded about a finding (oldest first),
// listed under it.
using TriageHistory = std::function<std::vector<model::TriageDecision>(const std::string& findingId)>;
std::optional<HoverInfo> hoverAt(const Snapshot& snapshot, std::string_view path, Position position,
                                 const TriageHistory& history = {});

// Every workspace-relative path that has findings, sorted.
std::vector<std::string> filesWithFindings(const Snapshot& snapshot);

// Paths whose findings differ between two report sets (used to republish only what changed).
std::vector<std::string> pathsOf(const Report& report);

}  // namespace aspm::engine
