// The project configuration, `.aspm/config.yaml`: the applications findings belong to (by path
// globs, with business criticality, data sensitivity and internet exposure) and the local
// threat-intelligence files (EPSS CSV, CISA KEV JSON) risk scoring reads. Lives in policy/
// because policy/ owns the YAML library; the values it returns are plain structs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "correlate/risk.h"
#include "support/problem.h"

namespace aspm::policy {

struct Config {
  std::vector<correlate::Application> applications;
  std::string epssFile;  // as written (relative paths are relative to the repository root)
  std::string kevFile;
};

// Parse YAML text; problems name `displayPath` and "line N" (1-based).
support::WithProblems<Config> parseConfig(std::string_view yaml, const std::string& displayPath);

// Read and parse a file; an unreadable file is a Fatal problem.
support::WithProblems<Config> loadConfig(const std::string& path);

}  // namespace aspm::policy
