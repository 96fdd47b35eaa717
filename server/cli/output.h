// Renderers for `aspm findings`: a ranked table for people, JSON per the published contract
// (docs/cli.md), and SARIF 2.1.0 for code-scanning uploads.
#pragma once

#include <iosfwd>

#include "engine/analysis.h"

namespace aspm::cli {

void writeTable(const engine::Analysis& analysis, std::ostream& out);
void writeJson(const engine::Analysis& analysis, std::ostream& out);
void writeSarif(const engine::Analysis& analysis, std::ostream& out);
void writeProblems(const support::Problems& problems, std::ostream& err);

}  // namespace aspm::cli
