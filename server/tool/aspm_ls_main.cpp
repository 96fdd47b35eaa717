// aspm-ls: the language server executable. Editors start it and talk LSP over stdin/stdout;
// stdout carries only the protocol, everything else goes to stderr or window/logMessage.
#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>

#include "lsp/server.h"
#include "support/process.h"
#include "transport/stdio_transport.h"

namespace {

#ifndef ASPM_VERSION
#define ASPM_VERSION "0.0.0"
#endif

constexpr const char* kUsage =
    "usage: aspm-ls [options]\n"
    "\n"
    "The aspm language server: shows scanner findings (SARIF and native reports) as diagnostics.\n"
    "It speaks LSP 3.17 over stdin/stdout; editors start it. Settings come from the client\n"
    "(initializationOptions and the \"aspm\" configuration section).\n"
    "\n"
    "options:\n"
    "  --log=LEVEL               info (default) or verbose (debug messages, all log text also on stderr)\n"
    "  --max-message-bytes=N     skip incoming messages larger than N bytes (default 67108864)\n"
    "  --debounce-ms=N           wait N ms after a report file changes before re-reading it (default 150)\n"
    "  --version                 print the version and exit\n"
    "  --help                    print this help and exit\n";

bool parseNumber(std::string_view text, std::uint64_t& out) {
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

}  // namespace

int main(int argc, char** argv) {
  aspm::support::tuneAllocator(argv);
  aspm::lsp::ServerOptions options;
  options.version = ASPM_VERSION;
  aspm::transport::StdioOptions io;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    std::uint64_t n = 0;
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--version") {
      std::printf("aspm-ls %s\n", ASPM_VERSION);
      return 0;
    }
    if (arg == "--log=verbose") {
      options.verbose = true;
    } else if (arg == "--log=info") {
      options.verbose = false;
    } else if (arg.starts_with("--max-message-bytes=") && parseNumber(arg.substr(20), n) && n > 0) {
      io.limits.maxMessageBytes = n;
    } else if (arg.starts_with("--debounce-ms=") && parseNumber(arg.substr(14), n)) {
      options.debounce = std::chrono::milliseconds(n);
    } else if (arg == "--stdio") {
      // Accepted for clients that always pass it; stdio is the only transport.
    } else {
      std::fprintf(stderr, "aspm-ls: unknown or malformed option '%s'\n\n%s", argv[i], kUsage);
      return 2;
    }
  }
  aspm::transport::StdioTransport transport(io);
  aspm::lsp::Server server(transport, options);
  return server.run();
}
