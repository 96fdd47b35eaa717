// Conversion of SARIF subtrees into the model, one run at a time.
//
// The streaming reader hands over one recorded subtree at a time (sarif_tape.h: one result, the
// tool, one artifact, the originalUriBaseIds ...). Real logs put these in any order: gosec writes
// results before the tool, Trivy writes originalUriBaseIds after the results, and Bandit writes
// `version` after the runs. So everything that depends on another part of the run (the rule a
// result points at, the artifact or base URI a location points at, message strings) is recorded
// as small pending data and linked when the run ends, in `RunBuilder::finish`. On a large log
// most results are linked earlier, batch by batch, when nothing is left to report about them
// (`finishReady`); finish() undoes and redoes those that a later member changes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>


#include "ingest/ingest.h"
#include "ingest/sarif_problems.h"
#include "ingest/sarif_tape.h"
#include "model/finding.h"

namespace aspm::ingest::sarif {

// A reference to a tool component (driver, extension or taxonomy) as SARIF spells it.
struct ComponentRef {
  enum class By : std::uint8_t { Default, Index, Name, Guid };
  By by = By::Default;
  std::int64_t index = -1;
  std::string key;  // name or guid
};

// Caches shared by all runs of one ingest call: source files read to convert charOffset regions.
class SourceCache {
 public:
  explicit SourceCache(std::string root) : root_(std::move(root)) {}
  // Line starts of a workspace file, counted in UTF-16 code units (or code points); null when
  // the file cannot be read.
  struct Lines {
    std::vector<std::uint64_t> starts16;
    std::vector<std::uint64_t> startsCp;
  };
  const Lines* lines(const std::string& relativePath);

 private:
  std::string root_;
  std::unordered_map<std::string, std::unique_ptr<Lines>> cache_;
  std::uint64_t bytesRead_ = 0;
};

class RunBuilder {
 public:
  // Results are appended to `out.results` as they are read; the run is added by finish().
  RunBuilder(const std::string& file, std::uint32_t indexInFile, ProblemSink& sink, model::ScanSet& out);
  ~RunBuilder();
  RunBuilder(const RunBuilder&) = delete;
  RunBuilder& operator=(const RunBuilder&) = delete;

  // Members of the run object, each given with its JSON path.
  void tool(JsonValue v, const PathSeg* path);
  void result(JsonValue v, std::uint32_t index, const PathSeg* path);
  void artifact(JsonValue v, std::uint32_t index, const PathSeg* path);
  void originalUriBaseIds(JsonValue v, const PathSeg* path);
  void versionControlProvenance(JsonValue v, const PathSeg* path);
  void automationDetails(JsonValue v, const PathSeg* path);
  void taxonomies(JsonValue v, const PathSeg* path);
  void columnKind(JsonValue v, const PathSeg* path);

  // Link rules, expand base URIs, resolve paths, format messages and add the run to `out`.
  void finish(PathResolver& resolver, SourceCache& sources);

  // Does the same for the results read so far, where nothing is left to report, while they
  // are fresh in the cache and while the parser reads on: finish() then has only the rest to
  // do. Results finished here are finished again by finish() if a member they depend on (the
  // tool, an artifact, base URIs, columnKind) comes later in the run.
  void finishReady(PathResolver& resolver);

  std::size_t resultCount() const noexcept;

  // Capacity hint: the reader's estimate of how many results this run holds. Reserving avoids
  // moving every result on each growth of the vector (and the transient double footprint);
  // reserved but untouched pages cost no resident memory, so a generous estimate is cheap.
  void expectResults(std::size_t n);

  struct State;

 private:
  std::unique_ptr<State> s_;
  model::ScanSet& out_;
};

// Format a SARIF message template: "{0}" takes arguments[0], "{{" and "}}" are literal braces;
// a placeholder without an argument is kept as written.
std::string formatMessage(std::string_view tmpl, const std::vector<std::string>& arguments);

}  // namespace aspm::ingest::sarif
