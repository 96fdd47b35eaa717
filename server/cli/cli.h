// The `aspm` command line: findings, gate, ... over the engine. Output formats (table, json,
// sarif, markdown) are built here; the engine knows nothing about them.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace aspm::cli {

// What the output stream is: colour and width apply to the table only.
struct Terminal {
  bool color = false;  // a terminal that shows ANSI colour (and NO_COLOR unset)
  int width = 0;       // columns; 0 when not a terminal
};

// Entry point for the `aspm` executable. Returns the process exit code.
int main(int argc, char** argv);

// Same, with explicit arguments and streams (tests call this in-process).
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Terminal& terminal = {});

}  // namespace aspm::cli
