// Problem severity names, as printed by the CLI and sent in LSP logs.
#include "support/problem.h"

namespace aspm::support {

const char* toString(ProblemSeverity s) noexcept {
  switch (s) {
    case ProblemSeverity::Fatal: return "fatal";
    case ProblemSeverity::Error: return "error";
    case ProblemSeverity::Warning: return "warning";
  }
  return "error";
}

}  // namespace aspm::support
