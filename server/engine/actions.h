// What a developer can do about a finding from the editor, as engine values (lsp/ turns them into
// code actions and commands): apply the scanner's own fix where the code is now, upgrade the
// dependency an SCA finding names, add a suppression comment in the reporting tool's syntax, or
// triage it. Synchronous functions over one snapshot, like the other features.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/snapshot.h"
#include "engine/types.h"

namespace aspm::engine {

struct FileTextEdit {
  std::string path;  // workspace-relative
  Range range;       // on the buffer when the document is open, else on disk
  std::string newText;
};

enum class ActionKind { Fix, Upgrade, Suppress, Triage };

struct FindingAction {
  ActionKind kind = ActionKind::Fix;
  std::string title;
  std::string findingId;
  std::vector<FileTextEdit> edits;  // Fix, Upgrade, Suppress
  std::string triageStatus;         // Triage: the status the action sets
  bool preferred = false;
  // Non-empty when the action is offered but cannot be applied (the fix no longer matches the
  // code); the editor shows it greyed out with this reason.
  std::string disabledReason;
  std::string note;  // what else to do after the edit ("run npm install")
  bool resolvable = false;  // listed without its edits: resolveUpgrade() computes them
};

// The actions for the visible findings on `path` that overlap `range`; `findingIds`, when not
// empty, restricts them to those findings (the diagnostics the editor sent). Triage actions are
// included when `withTriage`.
// With `lazyUpgrades`, dependency upgrades at a finding are listed without reading the
// manifests (`resolvable`); resolveUpgrade() computes their edits when the editor asks.
std::vector<FindingAction> codeActionsAt(const Snapshot& snapshot, std::string_view path, Range range,
                                         const std::vector<std::string>& findingIds, bool withTriage = true,
                                         bool lazyUpgrades = false);

// The dependency upgrade of one SCA finding with its edits (or disabled with the reason);
// nullopt when the finding is gone or has no fixed version.
std::optional<FindingAction> resolveUpgrade(const Snapshot& snapshot, std::string_view findingId);

// One finding, located by id anywhere in the workspace.
struct FindingRef {
  const Report* report = nullptr;
  const model::Finding* finding = nullptr;
};
std::optional<FindingRef> findFinding(const Snapshot& snapshot, std::string_view findingId);

// The full explanation of one finding (markdown): risk with every factor, each tool's message,
// CWE, rule help, remediation guidance, data flow and triage history.
std::optional<std::string> explainFinding(const Snapshot& snapshot, std::string_view findingId,
                                          const std::vector<model::TriageDecision>& history = {});

// A page of findings for tree views and scripts (aspm/findings).
struct FindingsQuery {
  std::optional<std::string> path;            // only findings placed on this file
  model::Severity minSeverity = model::Severity::Info;
  std::string text;                           // case-insensitive match on rule, tool, message, path, CWE
  enum class Sort { Risk, Severity, Path } sort = Sort::Risk;
  bool includeHidden = true;                  // triaged and suppressed findings too
  std::size_t offset = 0;
  std::size_t limit = 0;                      // 0: all
};
struct FindingSummary {
  std::string id;
  std::string ruleId;
  std::string tool;
  std::string message;
  model::Severity severity = model::Severity::Medium;
  std::string bucket;
  int riskScore = 0;
  std::string state;
  std::optional<std::string> path;  // workspace-relative
  Range range;
  std::string helpUri;
  std::vector<std::string> cwes;
  std::optional<model::TriageDecision> triage;
};
struct FindingsPage {
  std::vector<FindingSummary> findings;
  std::size_t total = 0;  // matching findings before paging
};
FindingsPage listFindings(const Snapshot& snapshot, const FindingsQuery& query);

// Code lenses: one above each declaration (function, method, class, resource) that holds
// visible findings, with their count and the highest risk. Empty for files tree-sitter does not
// parse and when the setting is off.
struct FindingLens {
  Range range;                 // the declaration's first line
  std::string title;           // "2 security findings · top risk 612 (high)"
  std::string topFindingId;    // the highest-risk finding, for the lens's command
  std::size_t count = 0;
};
std::vector<FindingLens> codeLensesFor(const Snapshot& snapshot, std::string_view path);

// Whether a triage decision hides its finding now (false positive, won't fix, accepted risk that
// has not expired). `nowUtc` is RFC 3339 ("2026-11-27T10:00:00Z").
bool triageHides(const model::TriageDecision& decision, std::string_view nowUtc);
std::string nowRfc3339();

}  // namespace aspm::engine
