// One report file's contribution to the workspace: what it said (ScanSet), the findings it
// yields, where each finding sits on disk in editor coordinates, and an index by file so that a
// request about one file touches only that file's findings. Built once on the scheduler's
// worker and immutable afterwards, so snapshots share it freely.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "correlate/correlate.h"
#include "engine/types.h"
#include "model/finding.h"
#include "support/problem.h"
#include "support/text.h"

namespace aspm::engine {

// Where a finding is on the file as on disk.
struct Placement {
  Range range;
  bool wholeLine = false;  // the report gave no columns: the range covers the whole line(s)
};

struct Report {
  // Absolute, normalised path of the report; for the workspace's correlated view, the workspace
  // root, with the report files it was built from in `inputs`.
  std::string file;
  std::vector<std::string> inputs;
  // When each report file was last written (by run file), to tell which text it describes.
  std::map<std::string, std::filesystem::file_time_type, std::less<>> writtenAt;
  model::ScanSet scans;
  std::vector<model::Finding> findings;
  std::vector<Placement> placements;  // parallel to findings; meaningful where location is set
  // Workspace-relative path -> indices into findings, ordered by start line.
  std::unordered_map<std::string, std::vector<std::uint32_t>> byPath;
  // Workspace-relative path -> (finding, index into its relatedLocations): where a vulnerable
  // dependency is imported or called, shown on that file as hints of their own.
  std::unordered_map<std::string, std::vector<std::pair<std::uint32_t, std::uint32_t>>> sitesByPath;
  support::Problems problems;
  std::uint64_t bytes = 0;
  // Findings placed through the git history (their scan named a revision): placed on the working
  // tree as it was when the report was built, at `mappedAt`, rather than as the report describes.
  std::vector<bool> remapped;  // parallel to findings
  std::optional<std::filesystem::file_time_type> mappedAt;

  const model::Result& primary(const model::Finding& f) const { return scans.results[f.results.front()]; }
  const model::Run& runOf(const model::Result& r) const { return scans.runs[r.run]; }
  const model::Rule* ruleOf(const model::Result& r) const;
};

// Following findings from the commit a scan saw to the working tree.
struct HistoryMapping {
  std::string root;              // the workspace, which must be the top of its git repository
  std::string fallbackRevision;  // for runs that name no revision; "" leaves them as scanned
};

// Correlates `scans` and indexes the findings. `content` supplies the text of workspace files
// (to place regions given by character offsets or without columns); it may return null. With
// `history`, fingerprints hash the code as scanned and findings of scans that name a revision are
// moved to where that code is in the working tree (or found gone); problems are appended.
std::shared_ptr<const Report> buildReport(std::string file, model::ScanSet scans, support::Problems problems,
                                          const correlate::ContentProvider& content, std::uint64_t bytes = 0,
                                          const correlate::RiskContext* risk = nullptr,
                                          const HistoryMapping* history = nullptr);

// The state note of findings a comment in the code suppresses (`# nosec B602`, ...).
inline constexpr const char* kSuppressedInSource = "suppressed in source";
// Whether a suppression comment of any of the finding's tools covers `line` (0-based) of `text`.
bool suppressedInText(const Report& report, const model::Finding& f, std::string_view text, std::uint32_t line,
                      std::string_view path);

// Places a SARIF region (1-based, columns in UTF-16 units) on a text (0-based, UTF-16). Without
// the text, regions given by character offsets fall back to the first line.
Placement placeRegion(const model::Region& region, const std::string* content, const support::LineIndex* lines);

}  // namespace aspm::engine
