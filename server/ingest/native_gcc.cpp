// gcc native report adapter (pending).
#include "ingest/native.h"

namespace aspm::ingest::native {

support::WithProblems<model::ScanSet> readGcc(std::string_view, const std::string& displayPath, const IngestOptions&) {
  support::WithProblems<model::ScanSet> out;
  out.problems.push_back({displayPath, "", "gcc reports are not supported yet", support::ProblemSeverity::Fatal});
  return out;
}

}  // namespace aspm::ingest::native
