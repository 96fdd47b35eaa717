// Shared machinery of the native report adapters (bandit, cppcheck, shellcheck, gcc): problem
// reporting, the one Run each report becomes, rules synthesised on first sight, and locations
// resolved into the workspace with their columns converted to the model's unit.
//
// The four formats count columns differently (Python AST byte offsets, cppcheck and gcc byte
// columns, shellcheck code points) while the model counts UTF-16 code units like SARIF. The
// conversion needs the line's text, so the location builder reads the scanned file from the
// workspace when the resolver found it there; when it cannot, the column is kept as given, which
// is exact for ASCII lines, the common case.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ingest/ingest.h"
#include "model/finding.h"
#include "support/problem.h"

namespace aspm::ingest::native {

// Collects problems for one report. Repetitions of one kind of problem are capped so that a
// report whose every entry is off in the same way stays readable; a summary says how many were
// left out.
class ProblemLog {
 public:
  ProblemLog(std::string file, support::Problems& out, std::size_t perKindLimit = 20);
  ProblemLog(const ProblemLog&) = delete;
  ProblemLog& operator=(const ProblemLog&) = delete;

  // Adds one summary per kind of problem that hit the limit. Call once, at the end.
  void finish();

  // `kind` groups repetitions; when empty the message is its own kind.
  void add(support::ProblemSeverity severity, std::string path, std::string message, std::string_view kind = {});
  void fatal(std::string path, std::string message) {
    add(support::ProblemSeverity::Fatal, std::move(path), std::move(message));
  }
  void error(std::string path, std::string message, std::string_view kind = {}) {
    add(support::ProblemSeverity::Error, std::move(path), std::move(message), kind);
  }
  void warning(std::string path, std::string message, std::string_view kind = {}) {
    add(support::ProblemSeverity::Warning, std::move(path), std::move(message), kind);
  }

  const std::string& file() const noexcept { return file_; }
  // True when the caller asked to stop; the first time, a problem at `path` says where.
  bool cancelled(const IngestOptions& options, const std::string& path);

 private:
  struct Count {
    std::size_t seen = 0;
    support::ProblemSeverity severity = support::ProblemSeverity::Warning;
    std::string message;
  };
  std::string file_;
  support::Problems& out_;
  std::size_t limit_;
  std::map<std::string, Count, std::less<>> counts_;
  bool cancelReported_ = false;
};

// The run a report becomes, with its rules indexed by id.
class RunBuilder {
 public:
  RunBuilder(model::ScanSet& scans, const std::string& displayPath, std::string format, std::string toolName);

  model::Run& run() noexcept { return scans_.runs.front(); }
  // Index of the rule `id`, creating it with `init` on first sight. `init` receives the new rule
  // with only its id set.
  template <typename Init>
  std::int32_t rule(const std::string& id, Init&& init) {
    if (auto it = ruleIndex_.find(id); it != ruleIndex_.end()) return it->second;
    model::Rule r;
    r.id = id;
    init(r);
    run().rules.push_back(std::move(r));
    const auto index = static_cast<std::int32_t>(run().rules.size() - 1);
    ruleIndex_.emplace(id, index);
    return index;
  }
  model::Rule& ruleAt(std::int32_t index) { return run().rules[static_cast<std::size_t>(index)]; }

  // A new result of this run traced to entry `entryIndex` of the report.
  model::Result newResult(std::uint32_t entryIndex) const;
  void add(model::Result&& result) { scans_.results.push_back(std::move(result)); }

 private:
  model::ScanSet& scans_;
  std::string displayPath_;
  std::unordered_map<std::string, std::int32_t> ruleIndex_;
};

// How a report counts columns: bytes, characters, or characters with tabs expanded to the next
// multiple of 8 (what a terminal shows; shellcheck's plain `json` format).
enum class ColumnUnit : std::uint8_t { Utf8Bytes, CodePoints, TabStops8 };

// Builds model locations from the paths and positions a report states.
class LocationBuilder {
 public:
  LocationBuilder(const IngestOptions& options, ProblemLog& log);
  ~LocationBuilder();
  LocationBuilder(const LocationBuilder&) = delete;
  LocationBuilder& operator=(const LocationBuilder&) = delete;

  // A location for the file path `reported` (relative or absolute, as the tool wrote it),
  // resolved into the workspace when a resolver is set. `problemPath` names the field in
  // problems (an empty path, or one outside the workspace, is reported once per distinct path).
  model::Location locate(std::string_view reported, const std::string& problemPath);

  // Model column (1-based, UTF-16 code units) of the 1-based `column` counted in `unit` on
  // 1-based `line` of `loc`'s file. Kept as given when the file's text is unavailable.
  std::uint32_t column(const model::Location& loc, std::uint32_t line, std::uint32_t column, ColumnUnit unit);
  // Model column just after the character that starts at `column` (turns an inclusive end into
  // the model's exclusive one).
  std::uint32_t columnAfter(const model::Location& loc, std::uint32_t line, std::uint32_t column, ColumnUnit unit);

 private:
  struct Source;
  const Source* source(const model::Location& loc);

  const IngestOptions& options_;
  ProblemLog& log_;
  std::unordered_map<std::string, model::Location> resolved_;
  std::unordered_map<std::string, std::unique_ptr<Source>> sources_;
};

// "CWE-<n>" for a positive CWE number, "" otherwise.
std::string cweId(std::int64_t number);
// "CWE-<n>" from text such as "401", "CWE-401" or "cwe_401"; "" when it is no CWE number.
std::string cweIdFromText(std::string_view text);

// Appends `cwe` to `rule.cwes` unless empty or already there.
void addCwe(model::Rule& rule, const std::string& cwe);

// Lower-cases ASCII.
std::string asciiLower(std::string_view s);

}  // namespace aspm::ingest::native
