// Names of the model's enums as they appear in CLI output, SARIF and the LSP extensions.
#include "model/finding.h"

namespace aspm::model {

const char* toString(Level v) noexcept {
  switch (v) {
    case Level::None: return "none";
    case Level::Note: return "note";
    case Level::Warning: return "warning";
    case Level::Error: return "error";
  }
  return "warning";
}

const char* toString(FindingKind v) noexcept {
  switch (v) {
    case FindingKind::Sast: return "sast";
    case FindingKind::Sca: return "sca";
    case FindingKind::Iac: return "iac";
    case FindingKind::Secret: return "secret";
    case FindingKind::Other: return "other";
  }
  return "other";
}

const char* toString(Severity v) noexcept {
  switch (v) {
    case Severity::Info: return "info";
    case Severity::Low: return "low";
    case Severity::Medium: return "medium";
    case Severity::High: return "high";
    case Severity::Critical: return "critical";
  }
  return "medium";
}

const char* toString(FindingState v) noexcept {
  switch (v) {
    case FindingState::Open: return "open";
    case FindingState::Moved: return "moved";
    case FindingState::Stale: return "stale";
    case FindingState::Gone: return "gone";
    case FindingState::Suppressed: return "suppressed";
    case FindingState::Triaged: return "triaged";
  }
  return "open";
}

const char* toString(BaselineState v) noexcept {
  switch (v) {
    case BaselineState::None: return "none";
    case BaselineState::New: return "new";
    case BaselineState::Unchanged: return "unchanged";
    case BaselineState::Updated: return "updated";
    case BaselineState::Absent: return "absent";
  }
  return "none";
}

const char* toString(ResultKind v) noexcept {
  switch (v) {
    case ResultKind::Fail: return "fail";
    case ResultKind::Pass: return "pass";
    case ResultKind::Open: return "open";
    case ResultKind::Review: return "review";
    case ResultKind::Informational: return "informational";
    case ResultKind::NotApplicable: return "notApplicable";
  }
  return "fail";
}

std::optional<Severity> severityFromString(std::string_view s) noexcept {
  if (s == "info") return Severity::Info;
  if (s == "low") return Severity::Low;
  if (s == "medium") return Severity::Medium;
  if (s == "high") return Severity::High;
  if (s == "critical") return Severity::Critical;
  return std::nullopt;
}

}  // namespace aspm::model
