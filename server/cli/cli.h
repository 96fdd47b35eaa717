// The `aspm` command line: findings, gate, ... over the engine. Output formats (table, json,
// sarif) are built here; the engine knows nothing about them.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace aspm::cli {

// Entry point for the `aspm` executable. Returns the process exit code.
int main(int argc, char** argv);

// Same, with explicit arguments and streams (tests call this in-process).
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace aspm::cli
