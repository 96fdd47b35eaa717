// Whether the code imports a vulnerable dependency: the import sites of every package, found by
// the per-language tree-sitter imports queries (grammars/queries/<language>/imports.scm) over the
// working tree. A dependency finding whose package the code never imports, though a manifest in
// its project declares it directly, is unlikely to be reachable; one whose package is imported
// names the places. Packages only present transitively stay unknown: another package may call
// them. Where the advisory names the package's vulnerable functions, the calls of those
// functions through what the imports bind are found too, by each language's rules
// (mapping/reachability_calls.h): `_.template(x)` after `require('lodash')`, `load(x)` after
// `from yaml import load`, `yaml.Unmarshal(b, &v)` in Go, `Yaml.load(s)` / `new Yaml()` /
// `y.load(s)` on a `Yaml y` in Java and C#, `Client::create()` / `$c->send()` in PHP,
// `Nokogiri::XML(s)` in Ruby. That gives three levels: not imported, imported (vulnerable
// functions not called), called.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
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

// A call of a function a package exports, through a binding of its import.
struct CallSite {
  std::string file;        // repo-relative
  std::uint32_t line = 0;  // 1-based
  std::string source;      // the module the binding imports ("lodash", "yaml")
  std::string symbol;      // the package's function called ("template", "load", "Decoder.Decode")
  // Attributed through a namespace or wildcard import only (C# `using N;`, Java `import p.*;`):
  // `source` is that namespace and `symbol` "Type.method"; it counts only when the advisory
  // names the type too, and when the project declares no type of that name.
  bool weak = false;
};

enum class Reach : std::uint8_t {
  Imported,     // the code imports the package: see `sites` (its vulnerable functions not known)
  Called,       // imported, and one of the vulnerable functions is called: see `calls`
  ImportedNotCalled,  // imported, but none of the vulnerable functions is called
  NotImported,  // declared directly by a manifest of the project, never imported
  Unknown,      // no code of the ecosystem's languages indexed, or the package is only transitive
};

struct Reachability {
  Reach reach = Reach::Unknown;
  std::vector<ImportSite> sites;  // capped; Imported, Called, ImportedNotCalled
  std::vector<CallSite> calls;    // capped; Called only
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
  // cargo/crates.io, composer: a Composer package's namespaces come from the project's
  // composer.lock or vendor/, else from its name, which the answer then calls a guess); `scope` the repo-relative directory of the project the finding
  // belongs to ("" for the whole repository); `symbols` the vulnerable functions when the
  // advisory names them ("template", "yaml.load": the last dotted part is compared).
  Reachability reachabilityOf(std::string_view ecosystem, std::string_view package, std::string_view scope,
                              const std::vector<std::string>& symbols = {}) const;

  std::size_t files() const noexcept { return files_; }
  bool truncated() const noexcept { return truncated_; }

 private:
  std::string root_;
  std::size_t files_ = 0;
  bool truncated_ = false;
  ImportIndexLimits limits_;
  // By ecosystem family ("js", "py", "go", "java", "ruby", "cs", "rust", "php"): every import.
  std::map<std::string, std::vector<ImportSite>, std::less<>> imports_;
  std::set<std::string, std::less<>> callFamilies_;  // families whose calls are analysed
  // The calls of imported packages, found on the first question that needs them: most
  // dependency findings name no vulnerable functions, and finding calls costs three more queries
  // per file. Shared so that the index stays movable; safe to fill from concurrent questions.
  struct Calls;
  std::shared_ptr<Calls> calls_;
};

// Directories that hold dependencies, build output or history rather than the project's code.
bool skippedSourceDirectory(const std::string& name);

// The risk scorer's view: "reachable" (imported, or a vulnerable function called, x1),
// "imported" (imported, none of the named vulnerable functions called, x0.75), "unreachable"
// (declared, never imported, x0.5) or "unknown" (x1), with the sites or the reason; the verdict's
// `sites` are the import and call sites as locations (`logicalName` = the function called, ""
// for an import). The index over `root` is built on the
// first question, so a scan set without dependency findings costs nothing; the project scope is
// the directory of the finding's manifest or lock file.
correlate::ReachabilityOracle reachabilityOracle(const std::string& root);

// Gives each dependency finding its import and call sites as related locations, each with a
// message naming the package, its version, the vulnerabilities and the fixed version ("lodash
// 4.17.4 is imported here; vulnerable: CVE-2021-23337, fixed in 4.17.21"). Asks `oracle` the
// same questions the risk scorer asked, so the answers come from its cache.
void addDependencySites(const model::ScanSet& scans, std::vector<model::Finding>& findings,
                        const correlate::ReachabilityOracle& oracle);

}  // namespace aspm::mapping
