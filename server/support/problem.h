// Problems found in input: every reader returns its value together with the problems it met,
// so that bad input is reported precisely (file + JSON path or line) and never aborts a load.
#pragma once

#include <string>
#include <vector>

namespace aspm::support {

// Fatal: the whole input could not be used (missing, unknown format, not JSON, wrong version).
// Error: part of the input was skipped (one result, one location); the rest was kept.
// Warning: kept, but something was off (an unresolvable URI, a missing optional field).
enum class ProblemSeverity { Fatal, Error, Warning };
const char* toString(ProblemSeverity) noexcept;

struct Problem {
  std::string file;     // the input file as the user named it
  std::string path;     // JSON pointer ("/runs/0/results/3/locations") or "line N" for text formats
  std::string message;  // what is wrong, in words a user can act on
  ProblemSeverity severity = ProblemSeverity::Error;
};

using Problems = std::vector<Problem>;

// Value plus the problems met while producing it. A reader that meets bad input still returns
// everything valid it found.
template <typename T>
struct WithProblems {
  T value{};
  Problems problems;
};

}  // namespace aspm::support
