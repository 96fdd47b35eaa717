// An immutable view of the whole workspace at one moment: the reports and their findings, the
// open documents with their mappings, and the settings. Feature functions (features.h) read a
// snapshot without locks; the workspace publishes a new one after every change.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/document.h"
#include "engine/report.h"
#include "inventory/inventory.h"
#include "model/finding.h"

namespace aspm::engine {

struct Settings {
  // Report files: globs relative to the workspace root, or paths (files or directories).
  std::vector<std::string> reportGlobs = {".aspm/**/*.sarif", "**/*.sarif"};
  bool globsFromUser = false;  // warn about globs that match nothing only when the user set them
  // With the default globs, native reports (bandit JSON, cppcheck XML, ...) in .aspm/ are read
  // too; a file matched only by these is taken when its content is a report.
  std::vector<std::string> nativeReportGlobs = {".aspm/**/*.json", ".aspm/**/*.xml"};
  model::Severity minSeverity = model::Severity::Info;
  bool codeLens = true;  // counts above the declarations that have findings
  // The commit reports that name none were scanned at; "" leaves their findings where they say.
  std::string revision;
};

struct Snapshot {
  std::string root;  // absolute, normalised workspace root
  Settings settings;
  std::vector<std::shared_ptr<const Report>> reports;  // ordered by report file
  std::map<std::string, std::shared_ptr<const OpenDocument>, std::less<>> documents;
  std::uint64_t generation = 0;
  // Triage decisions by finding id (this machine's log, and the team's once synced), and the
  // time their expiry is judged at (RFC 3339, set when the decisions were installed).
  std::shared_ptr<const std::map<std::string, model::TriageDecision, std::less<>>> triage;
  std::string triageAsOf;
  // The estate discovered from the working tree (inventory/): once per full reload, where it also
  // feeds risk scoring, or on request; null until the first discovery.
  std::shared_ptr<const inventory::Inventory> inventory;

  const model::TriageDecision* triageOf(std::string_view findingId) const {
    if (!triage) return nullptr;
    auto it = triage->find(findingId);
    return it == triage->end() ? nullptr : &it->second;
  }

  // A finding's decision: under its id, else under an id it had before its file was renamed
  // (`Finding::previousIds`, newest name first); `via` is then set to that id and path.
  const model::TriageDecision* triageOf(const model::Finding& f, const model::PreviousId** via = nullptr) const {
    if (via) *via = nullptr;
    if (const model::TriageDecision* t = triageOf(f.id)) return t;
    for (const auto& p : f.previousIds) {
      if (const model::TriageDecision* t = triageOf(p.id)) {
        if (via) *via = &p;
        return t;
      }
    }
    return nullptr;
  }

  const OpenDocument* document(std::string_view path) const {
    auto it = documents.find(path);
    return it == documents.end() ? nullptr : it->second.get();
  }
};

}  // namespace aspm::engine
