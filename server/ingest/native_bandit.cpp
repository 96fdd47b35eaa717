// bandit native report adapter (pending).
#include "ingest/native.h"

namespace aspm::ingest::native {

support::WithProblems<model::ScanSet> readBandit(std::string_view, const std::string& displayPath, const IngestOptions&) {
  support::WithProblems<model::ScanSet> out;
  out.problems.push_back({displayPath, "", "bandit reports are not supported yet", support::ProblemSeverity::Fatal});
  return out;
}

}  // namespace aspm::ingest::native
