// The statement oracle correlation uses to merge two tools' reports of one multi-line statement
// (docs/fingerprints.md, "Correlation"): correlate/ may not see tree-sitter, so the engine hands it
// syntax/'s answer through CorrelateOptions::statements.
#pragma once

#include "correlate/correlate.h"

namespace aspm::engine {

correlate::StatementProvider statementProvider();

}  // namespace aspm::engine
