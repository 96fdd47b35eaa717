// What the aspm-store executable does, behind a small API so the main stays a thin argument
// parser: serve the API, or create a token.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aspm::store::server {

struct ServeOptions {
  std::string dbUrl;
  std::string listen = "127.0.0.1:8470";
  std::string tlsCert;  // PEM certificate chain and private key: serve HTTPS (both or neither)
  std::string tlsKey;
  std::size_t maxBodyBytes = 1024 * 1024;
  bool requireApproval = true;
  std::chrono::milliseconds heartbeat{15'000};  // keep-alive comment on idle event streams
  std::size_t eventQueueLimit = 1024;           // live events queued for one slow stream client
  std::vector<std::string> requiredScans = {"sast", "sca", "secrets"};  // KPI scan coverage
  std::string ticketingFile;  // ticketing rules (docs/store.md); empty: no tickets are opened
};

// Runs until SIGTERM/SIGINT. Prints "listening on ADDR:PORT" (the bound port when 0 was asked)
// on stdout once ready. Returns the process exit code.
int serve(const ServeOptions& options);

struct TokenOptions {
  std::string dbUrl;
  std::string project;
  std::string role;
  std::string name;                        // shown in the audit log; defaults to the role
  std::optional<std::int64_t> expiresAt;   // unix seconds
};

// Creates a token and returns its secret; the store keeps only the hash. Sets `error` on failure.
std::optional<std::string> createToken(const TokenOptions& options, std::string& error);

}  // namespace aspm::store::server
