// The CISA Known Exploited Vulnerabilities catalog (its JSON feed, read from a local file named
// in .aspm/config.yaml; never downloaded at run time). Parsed here because JSON belongs to the
// edge modules; the engine hands risk scoring the plain map.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "support/problem.h"

namespace aspm::ingest {

struct KevRecord {
  std::string dateAdded;
  bool ransomware = false;  // knownRansomwareCampaignUse == "Known"
};

struct KevCatalog {
  std::unordered_map<std::string, KevRecord> entries;  // by upper-case CVE id
  std::string version;        // catalogVersion
  std::string released;       // dateReleased
};

// {"catalogVersion", "dateReleased", "vulnerabilities": [{"cveID", "dateAdded",
// "knownRansomwareCampaignUse": "Known"|"Unknown", ...}]}. Bad entries are reported with their
// JSON path and skipped.
support::WithProblems<KevCatalog> parseKev(std::string_view json, const std::string& displayPath);
support::WithProblems<KevCatalog> readKev(const std::string& path);

}  // namespace aspm::ingest
