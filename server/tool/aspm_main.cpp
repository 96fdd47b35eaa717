// aspm: the command-line interface (findings, gate, ...).
#include "cli/cli.h"

int main(int argc, char** argv) { return aspm::cli::main(argc, argv); }
