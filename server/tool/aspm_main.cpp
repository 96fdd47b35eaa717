// aspm: the command-line interface (findings, gate, ...).
#include "cli/cli.h"
#include "support/process.h"

int main(int argc, char** argv) {
  aspm::support::tuneAllocator(argv);
  return aspm::cli::main(argc, argv);
}
