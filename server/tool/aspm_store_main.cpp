// aspm-store: the shared finding store. A thin argument parser over store/server/app.h.
#include <charconv>
#include <chrono>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>

#include "store/server/app.h"
#include "support/process.h"

namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  aspm-store serve --db sqlite:PATH|postgresql://... --listen ADDRESS:PORT\n"
    "                   [--tls-cert FILE --tls-key FILE] [--max-body BYTES] [--no-approval]\n"
    "                   [--heartbeat-ms MS] [--event-queue-limit EVENTS]\n"
    "                   [--required-scans sast,sca,secrets] [--ticketing RULES.yaml]\n"
    "  aspm-store token create --db URL --project P --role developer|security|admin\n"
    "                   [--name NAME] [--expires-at UNIX_SECONDS]\n";

int usage(std::string_view problem) {
  if (!problem.empty()) std::cerr << "aspm-store: " << problem << "\n";
  std::cerr << kUsage;
  return 2;
}

bool parseInt(std::string_view s, long long& out) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

}  // namespace

int main(int argc, char** argv) {
  aspm::support::tuneAllocator(argv);
  using namespace aspm::store::server;
  if (argc < 2) return usage("");
  const std::string_view cmd = argv[1];
  if (cmd == "--help" || cmd == "-h") {
    std::cout << kUsage;
    return 0;
  }
  int first = 2;
  if (cmd == "token") {
    if (argc < 3 || std::string_view(argv[2]) != "create") return usage("expected 'token create'");
    first = 3;
  } else if (cmd != "serve") {
    return usage("unknown command '" + std::string(cmd) + "'");
  }

  ServeOptions serveOptions;
  TokenOptions tokenOptions;
  for (int i = first; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    std::string v;
    if (arg == "--db") {
      if (!value(v)) return usage("--db needs a value");
      serveOptions.dbUrl = tokenOptions.dbUrl = v;
    } else if (cmd == "serve" && arg == "--listen") {
      if (!value(serveOptions.listen)) return usage("--listen needs a value");
    } else if (cmd == "serve" && arg == "--tls-cert") {
      if (!value(serveOptions.tlsCert)) return usage("--tls-cert needs a value");
    } else if (cmd == "serve" && arg == "--tls-key") {
      if (!value(serveOptions.tlsKey)) return usage("--tls-key needs a value");
    } else if (cmd == "serve" && arg == "--max-body") {
      long long n = 0;
      if (!value(v) || !parseInt(v, n) || n < 1) return usage("--max-body needs a positive number of bytes");
      serveOptions.maxBodyBytes = static_cast<std::size_t>(n);
    } else if (cmd == "serve" && arg == "--heartbeat-ms") {
      long long n = 0;
      if (!value(v) || !parseInt(v, n) || n < 10 || n > 3'600'000)
        return usage("--heartbeat-ms needs a number of milliseconds from 10 to 3600000");
      serveOptions.heartbeat = std::chrono::milliseconds(n);
    } else if (cmd == "serve" && arg == "--event-queue-limit") {
      long long n = 0;
      if (!value(v) || !parseInt(v, n) || n < 1 || n > 1'000'000)
        return usage("--event-queue-limit needs a number of events from 1 to 1000000");
      serveOptions.eventQueueLimit = static_cast<std::size_t>(n);
    } else if (cmd == "serve" && arg == "--required-scans") {
      if (!value(v)) return usage("--required-scans needs a comma-separated list of scan kinds");
      serveOptions.requiredScans.clear();
      std::string_view rest = v;
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string kind(rest.substr(0, comma));
        if (kind != "sast" && kind != "sca" && kind != "iac" && kind != "secrets" && kind != "other")
          return usage("--required-scans: unknown kind '" + kind + "' (expected sast, sca, iac, secrets, other)");
        serveOptions.requiredScans.push_back(kind);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      if (serveOptions.requiredScans.empty()) return usage("--required-scans needs at least one kind");
    } else if (cmd == "serve" && arg == "--ticketing") {
      if (!value(serveOptions.ticketingFile) || serveOptions.ticketingFile.empty())
        return usage("--ticketing needs the ticketing rules file");
    } else if (cmd == "serve" && arg == "--no-approval") {
      serveOptions.requireApproval = false;
    } else if (cmd == "token" && arg == "--project") {
      if (!value(tokenOptions.project)) return usage("--project needs a value");
    } else if (cmd == "token" && arg == "--role") {
      if (!value(tokenOptions.role)) return usage("--role needs a value");
    } else if (cmd == "token" && arg == "--name") {
      if (!value(tokenOptions.name)) return usage("--name needs a value");
    } else if (cmd == "token" && arg == "--expires-at") {
      long long n = 0;
      if (!value(v) || !parseInt(v, n)) return usage("--expires-at needs unix seconds");
      tokenOptions.expiresAt = n;
    } else {
      return usage("unknown option '" + std::string(arg) + "'");
    }
  }
  if (serveOptions.dbUrl.empty()) return usage("--db is required");

  if (cmd == "serve") return serve(serveOptions);
  std::string error;
  const auto token = createToken(tokenOptions, error);
  if (!token) {
    std::cerr << "aspm-store: " << error << "\n";
    return 1;
  }
  std::cout << *token << "\n";
  return 0;
}
