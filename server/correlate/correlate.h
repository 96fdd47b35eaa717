// Correlation: results -> findings. Computes each finding's stable fingerprint, normalised
// severity, kind and risk score (every factor kept for the explanation).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/finding.h"

namespace aspm::correlate {

// Supplies the current content of a workspace-relative file, or null when it does not exist.
using ContentProvider = std::function<std::shared_ptr<const std::string>(const std::string& relPath)>;

// "Semgrep OSS" -> "semgrep", "ESLint" -> "eslint", "Trivy" -> "trivy": the tool family used in
// fingerprints so that tool version or edition changes do not change ids.
std::string toolFamily(std::string_view driverName);

model::FindingKind inferKind(const model::Run& run, const model::Rule* rule, const model::Result& result);
model::Severity severityOf(const model::Run& run, const model::Result& result);

// Severity from a CVSS-like 0..10 score (CVSS v3 qualitative bands).
model::Severity severityFromScore(double score) noexcept;

// Whitespace-free content of the lines the region covers (at most 8 lines), from `content`.
std::string normalizedRegionText(std::string_view content, const model::Region& region);

// Stable fingerprint of one result: tool family, rule, path and normalised code content around
// the location (never the line number). `content` may be null (then the SARIF snippet or the
// message stands in for it).
std::string fingerprintOf(const model::ScanSet& scans, const model::Result& result, const std::string* content);

model::RiskScore scoreRisk(const model::ScanSet& scans, const model::Result& result, model::Severity severity);

// One finding per result, fingerprinted, scored and sorted by risk (highest first); identical
// fingerprints within the set get an occurrence suffix so ids stay unique.
std::vector<model::Finding> correlate(const model::ScanSet& scans, const ContentProvider& content);

}  // namespace aspm::correlate
