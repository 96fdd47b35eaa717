// Adapters for scanners that cannot write SARIF. Each turns its tool's native report into the
// same model a SARIF log gives (one Run per report, rules synthesised from what the report
// states), so later stages never know the difference. Internal to ingest/: callers use
// ingest.h, which detects the format from content and dispatches here.
#pragma once

#include <string>
#include <string_view>

#include "ingest/ingest.h"

namespace aspm::ingest::native {

// bandit `-f json`: {"results": [{"test_id", "test_name", "issue_text", "issue_severity",
// "issue_confidence", "issue_cwe": {"id", "link"}, "filename", "line_number", "line_range",
// "col_offset", "end_col_offset", "code", "more_info"}], "errors": [...], "metrics": {...}}
support::WithProblems<model::ScanSet> readBandit(std::string_view bytes, const std::string& displayPath,
                                                 const IngestOptions& options);

// cppcheck `--xml --xml-version=2`: <results><cppcheck version/><errors><error id severity msg
// verbose cwe file0><location file line column info/></error></errors></results>
support::WithProblems<model::ScanSet> readCppcheck(std::string_view bytes, const std::string& displayPath,
                                                   const IngestOptions& options);

// shellcheck `-f json1`: {"comments": [{"file", "line", "endLine", "column", "endColumn",
// "level", "code", "message", "fix": {"replacements": [...]}}]}
support::WithProblems<model::ScanSet> readShellCheck(std::string_view bytes, const std::string& displayPath,
                                                     const IngestOptions& options);

// gcc `-fdiagnostics-format=json` (incl. -fanalyzer): a JSON array of diagnostics with
// "kind", "message", "option", "option_url", "locations": [{"caret", "finish"}],
// "path" (analyzer events), "children", "metadata": {"cwe"}, "fixits".
support::WithProblems<model::ScanSet> readGcc(std::string_view bytes, const std::string& displayPath,
                                              const IngestOptions& options);

}  // namespace aspm::ingest::native
