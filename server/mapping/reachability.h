// Whether the code imports a vulnerable dependency: the import sites of every package, found by
// the per-language tree-sitter imports queries (grammars/queries/<language>/imports.scm) over the
// working tree. A dependency finding whose package the code never imports, though a manifest in
// its project declares it directly, is unlikely to be reachable; one whose package is imported
// names the places. Packages only present transitively stay unknown: another package may call
// them.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "correlate/risk.h"

namespace aspm::mapping {

struct ImportSite {
  std::string file;      // repo-relative
  std::uint32_t line = 0;  // 1-based
  std::string source;    // what the code imports ("lodash/fp", "yaml", "github.com/gin-gonic/gin")
};

enum class Reach : std::uint8_t {
  Imported,     // the code imports the package: see `sites`
  NotImported,  // declared directly by a manifest of the project, never imported
  Unknown,      // no code of the ecosystem's languages indexed, or the package is only transitive
};

struct Reachability {
  Reach reach = Reach::Unknown;
  std::vector<ImportSite> sites;  // capped; Imported only
  std::string why;                // for the risk explanation
};

struct ImportIndexLimits {
  std::size_t maxFiles = 20000;
  std::size_t maxFileBytes = 1u << 20;
  std::size_t maxSitesPerPackage = 20;
};

class ImportIndex {
 public:
  // Indexes the source files under `root` (dependency, build and VCS directories skipped).
  static ImportIndex build(const std::string& root, const ImportIndexLimits& limits = {},
                           const std::atomic<bool>* cancel = nullptr);

  // `ecosystem` as dependency scanners name it (npm, pypi, go/golang, maven, gem/rubygems, nuget,
  // cargo/crates.io, composer); `scope` the repo-relative directory of the project the finding
  // belongs to ("" for the whole repository).
  Reachability reachabilityOf(std::string_view ecosystem, std::string_view package, std::string_view scope) const;

  std::size_t files() const noexcept { return files_; }
  bool truncated() const noexcept { return truncated_; }

 private:
  std::string root_;
  std::size_t files_ = 0;
  bool truncated_ = false;
  ImportIndexLimits limits_;
  // By ecosystem family ("js", "py", "go", "java", "ruby", "cs", "rust", "php"): every import.
  std::map<std::string, std::vector<ImportSite>, std::less<>> imports_;
};

// The risk scorer's view: "reachable" (imported, x1), "unreachable" (declared, never imported,
// x0.5) or "unknown" (x1), with the sites or the reason. The index over `root` is built on the
// first question, so a scan set without dependency findings costs nothing; the project scope is
// the directory of the finding's manifest or lock file.
correlate::ReachabilityOracle reachabilityOracle(const std::string& root);

}  // namespace aspm::mapping
