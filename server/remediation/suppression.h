// Suppression comments in each scanner's own syntax. A suppression only works when it is written
// exactly the way, and exactly where, the reporting tool reads it (bandit reads its own line,
// ESLint the line above, Checkov anywhere inside the resource block), so every tool has its own
// directive, placement and list syntax here. Tools that read no in-source comment get no edit:
// an invented syntax would look like a fix and silently do nothing. The same directive knowledge
// tells which findings the source already suppresses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "remediation/text_edit.h"

namespace aspm::remediation {

struct SuppressionRequest {
  std::string_view tool;      // the SARIF driver name as reported: "Semgrep OSS", "Bandit", ...
  std::string_view ruleId;    // "B602", "no-eval", "CKV_AWS_20", "cert-err34-c", ...
  std::string_view path;      // the file's path or URI; only its name decides the language
  std::string_view fileText;  // the whole current text of the file
  std::uint32_t line = 0;     // 0-based line of the finding
  std::string_view reason;    // optional justification; written where the tool has a place for it
};

struct SuppressionEdit {
  TextEdit edit;
  std::string title;    // "Suppress B602 with a bandit # nosec comment"
  std::string comment;  // the directive as it reads after the edit: "# nosec B602"
};

// The edit that suppresses the finding, or the reason there is none (unknown tool, a tool that
// reads no comments, a language without comments, a line where no safe place exists, a finding
// already suppressed).
Outcome<SuppressionEdit> suppressionFor(const SuppressionRequest& request);

// True when the source already carries a suppression of `tool` that covers `ruleId` for the
// 0-based `line`: on the line itself, on the line above for tools that read it, inside the
// enclosing block for Checkov (Trivy and tfsec also read the comments above that block). A
// directive without a rule list covers every rule of its tool. `path`, when given, lets HCL
// blocks be found by their braces rather than by indentation.
bool suppressedInSource(std::string_view tool, std::string_view ruleId, std::string_view fileText, std::uint32_t line,
                        std::string_view path = {});

}  // namespace aspm::remediation
