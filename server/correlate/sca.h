// What a dependency (SCA) result is about: the package, its installed and fixed versions and the
// vulnerability ids it names (CVE, GHSA, OSV-style ids). SARIF has no standard place for these,
// so each scanner's habits are read: Trivy and Grype "Package:/Installed Version:/Fixed
// Version:" lines, Grype's "in <type> package: <name>, version <v>" messages, Snyk's
// "Vulnerable module:" help and "(CVE-…) name@version" descriptions, purls anywhere.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/finding.h"

namespace aspm::correlate {

struct PackageRef {
  std::string ecosystem;  // npm, pypi, deb, rpm, ... ("" when not stated)
  std::string name;       // as the ecosystem spells it, lower-cased for matching
  std::string version;
  std::string fixedVersion;        // the lowest fixed version stated ("" when none)
  std::vector<std::string> vulnIds;  // upper-case, without duplicates, ruleId's first
};

// Vulnerability ids mentioned in `text` ("CVE-2021-23337", "GHSA-35jh-r3h4-6jhm", "PYSEC-…",
// "GO-…", "RUSTSEC-…", "SNYK-…").
std::vector<std::string> vulnIdsInText(std::string_view text);

PackageRef packageOf(const model::Run& run, const model::Rule* rule, const model::Result& result);

// Match key for a package: ecosystem-independent, case-folded, '_' and '.' folded to '-' (PyPI
// normalisation), so "PyYAML" from one tool matches "pyyaml" from another.
std::string packageKey(std::string_view name);

}  // namespace aspm::correlate
