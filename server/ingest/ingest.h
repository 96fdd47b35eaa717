// Ingest: scanner reports (SARIF 2.1.0 and native formats) -> model::ScanSet, with problems.
//
// The public entry point detects the format from content (never from the file name), streams
// the bytes (a 2 GB file is never held as one DOM), and returns every valid result together
// with a problem for each piece of bad input (file + JSON path).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/finding.h"
#include "support/problem.h"

namespace aspm::ingest {

enum class Format { Unknown, Sarif, Bandit, Cppcheck, ShellCheck, Gcc };
const char* toString(Format) noexcept;

// Detect the format from the first bytes of a file.
Format detectFormat(std::string_view head) noexcept;

// Maps artifact URIs from reports to workspace-relative paths. Handles relative URIs,
// uriBaseId chains, file:// URIs from the scanning machine (learned by the longest common path
// suffix with a file in the workspace; the learned base is remembered for the next URIs), and
// reports URIs outside the workspace.
class PathResolver {
 public:
  // `root`: absolute workspace root ("" disables resolution: URIs are kept as given).
  // `files`: workspace-relative paths of the files that exist (used for suffix matching); when
  // empty, the resolver lists the workspace itself lazily (bounded walk, skipping .git etc.).
  explicit PathResolver(std::string root, std::vector<std::string> files = {});
  ~PathResolver();
  PathResolver(const PathResolver&) = delete;
  PathResolver& operator=(const PathResolver&) = delete;

  struct Resolved {
    std::string path;       // workspace-relative when `inside`, else the URI/path as best known
    bool inside = false;    // resolved to a path inside the workspace
    bool exists = false;    // that path exists in the workspace
  };
  // `uri` is the artifact URI after uriBaseId expansion (may still be relative).
  Resolved resolve(std::string_view uri);

  const std::string& root() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct IngestOptions {
  PathResolver* resolver = nullptr;          // null: URIs kept as given
  std::uint64_t maxFileBytes = 4ULL << 30;   // larger files are refused with a problem
  // Called with (bytesRead, totalBytes) at most every few MB.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  const std::atomic<bool>* cancel = nullptr;  // set to stop early (a problem says so)
  // Convert SARIF results into the model on a second thread while the parser reads on (when
  // the machine has a second core and the log more than a batch of results). The output is the
  // same either way.
  bool convertInParallel = true;
};

// Ingest one file. `displayPath` is the path as the user named it (used in problems and in
// SourceRef.file). Results are appended with `run` indices relative to the returned ScanSet.
support::WithProblems<model::ScanSet> ingestFile(const std::string& path, const IngestOptions& options);

// Ingest bytes already in memory (used by tests, fuzzers and unsaved buffers).
support::WithProblems<model::ScanSet> ingestBytes(std::string_view bytes, const std::string& displayPath,
                                                  const IngestOptions& options);

// Append `more` into `into`, rebasing run indices.
void append(model::ScanSet& into, model::ScanSet&& more);

// Normalise CWE ids found in tags/properties ("external/cwe/cwe-78", "CWE-78: ...", "cwe_78")
// to "CWE-78"; nullopt-like empty string when the tag is not a CWE.
std::string normalizeCwe(std::string_view tag);

}  // namespace aspm::ingest
