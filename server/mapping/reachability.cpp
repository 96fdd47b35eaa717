// ImportIndex: one pass over the working tree with the imports queries, then package names
// matched against what the code imports, per ecosystem's naming rules; the calls of the
// packages (reachability_calls.h) are found on the first question that names functions.
#include "mapping/reachability.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include "correlate/sca.h"
#include "mapping/reachability_calls.h"
#include "support/file.h"
#include "syntax/document.h"
#include "syntax/language.h"
#include "syntax/query.h"

namespace aspm::mapping {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}


const char* familyOf(syntax::Language l) {
  using L = syntax::Language;
  switch (l) {
    case L::JavaScript:
    case L::TypeScript:
    case L::Tsx: return "js";
    case L::Python: return "py";
    case L::Go: return "go";
    case L::Java: return "java";
    case L::Ruby: return "ruby";
    case L::CSharp: return "cs";
    case L::Rust: return "rust";
    case L::Php: return "php";
    default: return nullptr;
  }
}

// The code family and the package name as imports spell it, per ecosystem.
struct Target {
  std::string family;
  std::vector<std::string> names;      // lower-case
  std::vector<std::string> constants;  // Ruby: the gem's top-level constants
  std::string note;                    // how the names were found, when that is worth saying
  bool guessed = false;                // the names are a guess: not being imported proves little
  bool discovered = false;             // runs without an import (Laravel package discovery)
};

std::optional<Target> targetOf(std::string_view ecosystem, std::string_view package) {
  const std::string eco = lower(ecosystem);
  std::string name = lower(package);
  if (name.empty()) return std::nullopt;
  Target t;
  if (eco == "npm" || eco == "yarn" || eco == "pnpm" || eco == "node") {
    t.family = "js";
    t.names = {name};
  } else if (eco == "pypi" || eco == "pip" || eco == "python" || eco == "poetry" || eco == "pipenv") {
    t.family = "py";
    // Distribution names that differ from the module they install.
    static const std::map<std::string, std::vector<std::string>, std::less<>> kModules = {
        {"pyyaml", {"yaml"}}, {"beautifulsoup4", {"bs4"}}, {"pillow", {"pil"}}, {"scikit-learn", {"sklearn"}},
        {"python-dateutil", {"dateutil"}}, {"opencv-python", {"cv2"}}, {"opencv-python-headless", {"cv2"}},
        {"protobuf", {"google.protobuf", "google"}}, {"pyjwt", {"jwt"}}, {"psycopg2-binary", {"psycopg2"}},
        {"attrs", {"attr", "attrs"}}, {"pycryptodome", {"crypto"}}, {"pyopenssl", {"openssl"}},
        {"django-rest-framework", {"rest_framework"}}, {"djangorestframework", {"rest_framework"}},
        {"msgpack-python", {"msgpack"}}, {"python-jose", {"jose"}}, {"pymongo", {"pymongo", "bson", "gridfs"}}};
    if (auto it = kModules.find(name); it != kModules.end()) t.names = it->second;
    std::string module = name;
    std::replace(module.begin(), module.end(), '-', '_');
    std::replace(module.begin(), module.end(), '.', '_');
    t.names.push_back(module);
  } else if (eco == "go" || eco == "golang" || eco == "gomod") {
    t.family = "go";
    t.names = {name};
  } else if (eco == "maven" || eco == "gradle" || eco == "java") {
    t.family = "java";
    // "group:artifact" or "group/artifact": code imports the group's packages, or for artifacts
    // split out of a family, the package next to the group named after the artifact's last word
    // (com.fasterxml.jackson.core:jackson-databind -> com.fasterxml.jackson.databind); a few
    // old artifacts name no package at all.
    const auto sep = name.find_first_of(":/");
    const std::string group = sep == std::string::npos ? name : name.substr(0, sep);
    const std::string artifact = sep == std::string::npos ? std::string() : name.substr(sep + 1);
    t.names = {group};
    static const std::map<std::string, std::vector<std::string>, std::less<>> kPackages = {
        {"com.google.guava", {"com.google.common"}}, {"mysql", {"com.mysql"}},
        {"xerces", {"org.apache.xerces"}}, {"dom4j", {"org.dom4j"}}, {"bouncycastle", {"org.bouncycastle"}}};
    if (auto it = kPackages.find(group); it != kPackages.end()) t.names = it->second;
    if (group.starts_with("commons-")) t.names.push_back("org.apache.commons." + group.substr(8));  // commons-io
    if (std::count(group.begin(), group.end(), '.') >= 2 && !artifact.empty()) {
      const auto word = artifact.substr(artifact.find_last_of('-') + 1);
      const std::string sibling = group.substr(0, group.rfind('.')) + "." + word;
      if (!word.empty() && sibling != group && std::all_of(word.begin(), word.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }))
        t.names.push_back(sibling);
    }
  } else if (eco == "gem" || eco == "rubygems" || eco == "bundler" || eco == "ruby") {
    t.family = "ruby";
    std::string slashed = name;
    std::replace(slashed.begin(), slashed.end(), '-', '/');
    t.names = {name, slashed};
    t.constants = detail::rubyConstants(name);
  } else if (eco == "nuget" || eco == "dotnet") {
    t.family = "cs";
    t.names = {name};
  } else if (eco == "cargo" || eco == "crates.io" || eco == "rust") {
    t.family = "rust";
    std::replace(name.begin(), name.end(), '-', '_');
    t.names = {name};
  } else if (eco == "composer" || eco == "packagist" || eco == "php") {
    t.family = "php";  // the names are the package's namespaces, read by reachabilityOf
  } else {
    return std::nullopt;  // OS packages, ...
  }
  return t;
}

bool importsPackage(const std::string& family, std::string_view source, const std::string& name) {
  std::string s = lower(source);
  if (family == "js") {
    if (s.starts_with(".") || s.starts_with("/")) return false;
    if (s.starts_with("node:")) return false;
    // "@scope/pkg/sub" -> "@scope/pkg"; "pkg/sub" -> "pkg".
    std::size_t cut = s.find('/');
    if (s.starts_with("@") && cut != std::string::npos) cut = s.find('/', cut + 1);
    return s.substr(0, cut) == name;
  }
  if (family == "py") {
    if (s.starts_with(".")) return false;  // relative import: the project's own module
    return s == name || s.starts_with(name + ".");
  }
  if (family == "go") {
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    return s == name || s.starts_with(name + "/");
  }
  if (family == "java" || family == "cs") {
    if (s.starts_with("static ")) s = s.substr(7);
    return s == name || s.starts_with(name + ".");
  }
  if (family == "ruby") return s == name || s.starts_with(name + "/");
  if (family == "php") {
    if (s.starts_with("\\")) s.erase(0, 1);
    return s == name || s.starts_with(name + "\\");
  }
  if (family == "rust") {
    if (s.starts_with("::")) s = s.substr(2);
    return s == name || s.starts_with(name + "::") || s.starts_with("{" + name);
  }
  return false;
}

bool underScope(std::string_view file, std::string_view scope) {
  if (scope.empty()) return true;
  return file.size() > scope.size() && file.starts_with(scope) && file[scope.size()] == '/';
}

// Whether a manifest in the project's directory declares the package itself (not a lock file:
// those list transitive packages too).
bool declaredDirectly(const std::string& root, std::string_view scope, const Target& t, std::string_view package) {
  static const char* const kManifests[] = {"package.json", "requirements.txt", "requirements.in", "pyproject.toml", "Pipfile",
                                           "setup.py", "setup.cfg", "go.mod", "pom.xml", "build.gradle", "build.gradle.kts",
                                           "Gemfile", "Cargo.toml", "packages.config", "Directory.Packages.props",
                                           "composer.json"};
  const fs::path dir = scope.empty() ? fs::path(root) : fs::path(root) / std::string(scope);
  std::vector<fs::path> files;
  for (const char* m : kManifests) files.push_back(dir / m);
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
    if (it->path().extension() == ".csproj" || it->path().extension() == ".fsproj") files.push_back(it->path());
  const std::string name = lower(package);
  // The artifact for Maven coordinates, the name itself otherwise.
  std::string needle = name;
  if (t.family == "java")
    if (auto sep = name.find_first_of(":/"); sep != std::string::npos) needle = name.substr(sep + 1);
  for (const auto& f : files) {
    auto text = support::readFile(f.string());
    if (!text) continue;
    const std::string l = lower(*text);
    for (std::size_t at = l.find(needle); at != std::string::npos; at = l.find(needle, at + 1)) {
      // A whole name: not part of a longer identifier.
      auto part = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; };
      const bool startOk = at == 0 || !part(l[at - 1]) || l[at - 1] == '/';
      const bool endOk = at + needle.size() >= l.size() || !part(l[at + needle.size()]);
      if (startOk && endOk) return true;
    }
  }
  return false;
}

}  // namespace

bool skippedSourceDirectory(const std::string& name) {
  static const std::set<std::string, std::less<>> kSkip = {
      ".git", ".hg", ".svn", "node_modules", "bower_components", "vendor", ".venv", "venv", "env", "__pycache__",
      "site-packages", ".tox", "dist", "build", "target", "bin", "obj", ".aspm", ".next", ".cache", "coverage"};
  return kSkip.contains(name);
}

struct ImportIndex::Calls {
  struct File {
    std::string rel;
    syntax::Language language;
  };
  std::map<std::string, std::vector<File>, std::less<>> files;  // by family
  struct Family {
    std::once_flag once;
    std::vector<CallSite> calls;
    std::set<std::string, std::less<>> types;  // the type names the project declares
  };
  std::map<std::string, Family, std::less<>> families;  // every key made by build()

  // The family's calls and types, found on first use; null when it has no such files.
  const Family* of(const std::string& root, std::string_view family, std::size_t maxFileBytes);
};

ImportIndex ImportIndex::build(const std::string& root, const ImportIndexLimits& limits, const std::atomic<bool>* cancel) {
  ImportIndex index;
  index.calls_ = std::make_shared<Calls>();
  index.root_ = root;
  index.limits_ = limits;
  std::error_code ec;
  const fs::path base(root);
  for (auto it = fs::recursive_directory_iterator(base, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (cancel && cancel->load()) break;
    const std::string name = it->path().filename().string();
    if (it->is_directory(ec)) {
      if (skippedSourceDirectory(name)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    const auto language = syntax::languageForPath(name);
    if (!language) continue;
    const char* family = familyOf(*language);
    if (!family) continue;
    const syntax::Query* query = syntax::queryFor(*language, syntax::QueryKind::Imports);
    if (!query) continue;
    if (index.files_ >= limits.maxFiles) {
      index.truncated_ = true;
      break;
    }
    if (it->file_size(ec) > limits.maxFileBytes) continue;
    auto text = support::readFile(it->path().string());
    if (!text) continue;
    ++index.files_;
    const std::string rel = fs::relative(it->path(), base, ec).generic_string();
    const syntax::Document doc(*language, std::move(*text));
    if (!doc.hasTree()) continue;
    auto& sites = index.imports_[family];
    const std::size_t before = sites.size();
    for (const auto& match : syntax::runQuery(*query, doc).matches) {
      for (const auto& c : match.captures) {
        if (c.name != "import.source") continue;
        std::string source = doc.text().substr(c.startByte, c.endByte - c.startByte);
        sites.push_back({rel, c.startLine + 1, std::move(source)});
      }
    }
    if (detail::analysesCalls(*language)) {
      index.callFamilies_.insert(family);
      // Files without imports matter too: Ruby constants and PHP qualified names reach a package
      // without one, and the types a Java or C# file declares shadow other files' namespace
      // imports. JavaScript, Python and Go calls only go through an import of the file.
      const bool bindingsOnly = *language == syntax::Language::Go || std::string_view(family) == "js" ||
                                std::string_view(family) == "py";
      if (!bindingsOnly || sites.size() > before) index.calls_->files[family].push_back({rel, *language});
    }
  }
  for (const auto& [family, files] : index.calls_->files) index.calls_->families[family];
  return index;
}

const ImportIndex::Calls::Family* ImportIndex::Calls::of(const std::string& root, std::string_view family,
                                                          std::size_t maxFileBytes) {
  auto it = families.find(family);
  if (it == families.end()) return nullptr;
  Family& f = it->second;
  std::call_once(f.once, [&] {
    const auto list = files.find(family);
    if (list == files.end()) return;
    for (const auto& file : list->second) {
      // Read again: the file may have changed since the index was built, and keeping every
      // parse tree would cost more than parsing the few files again.
      const fs::path path = fs::path(root) / file.rel;
      std::error_code ec;
      if (fs::file_size(path, ec) > maxFileBytes || ec) continue;
      auto text = support::readFile(path.string());
      if (!text) continue;
      const syntax::Document doc(file.language, std::move(*text));
      if (doc.hasTree()) detail::findCalls(doc, file.language, file.rel, f.calls, f.types);
    }
  });
  return &f;
}

Reachability ImportIndex::reachabilityOf(std::string_view ecosystem, std::string_view package, std::string_view scope,
                                         const std::vector<std::string>& symbols) const {
  Reachability out;
  auto target = targetOf(ecosystem, package);
  if (!target) {
    out.why = "imports of " + std::string(ecosystem.empty() ? "this" : ecosystem) + " packages are not analysed";
    return out;
  }
  if (target->family == "php") {
    const auto ns = detail::phpNamespaces(root_, scope, package);
    if (ns.namespaces.empty()) {
      out.why = "the namespace of Composer package " + std::string(package) + " is not known";
      return out;
    }
    std::string list;
    for (const auto& n : ns.namespaces) {
      target->names.push_back(lower(n));
      list += (list.empty() ? "" : ", ") + n + "\\";
    }
    target->guessed = ns.guessed;
    target->discovered = ns.discovered;
    target->note = ns.guessed ? "namespace " + list + " guessed from the package name (no composer.lock or vendor/" +
                                    lower(package) + "/composer.json to read)"
                              : "namespace " + list + " from " + ns.from;
  }
  auto ofPackage = [&](const CallSite& call) {
    if (target->family == "ruby")
      return std::any_of(target->constants.begin(), target->constants.end(), [&](const std::string& c) {
        return call.source == c || call.source.starts_with(c + "::");
      });
    return std::any_of(target->names.begin(), target->names.end(),
                       [&](const std::string& n) { return importsPackage(target->family, call.source, n); });
  };
  auto it = imports_.find(target->family);
  bool anyCode = false;
  if (it != imports_.end()) {
    for (const auto& site : it->second) {
      if (!underScope(site.file, scope)) continue;
      anyCode = true;
      for (const auto& name : target->names) {
        if (!importsPackage(target->family, site.source, name)) continue;
        if (out.sites.size() < limits_.maxSitesPerPackage) out.sites.push_back(site);
        out.reach = Reach::Imported;
        break;
      }
    }
  }
  const Calls::Family* calls = nullptr;
  auto familyCalls = [&] {
    if (!calls && calls_) calls = calls_->of(root_, target->family, limits_.maxFileBytes);
    return calls;
  };
  bool usedWithoutRequire = false;
  if (out.reach != Reach::Imported && target->family == "ruby" && familyCalls()) {
    // Bundler.require (every Rails application) loads the Gemfile's gems without a `require` in
    // the code: a use of the gem's constant is the evidence then, unless the project defines a
    // class or module of that name itself (`gem 'config'` and the app's own `Config`).
    auto ownConstant = [&](const CallSite& call) {
      const auto root = call.source.substr(0, call.source.find("::"));
      return calls->types.contains(root) || calls->types.contains(call.source);
    };
    for (const auto& call : calls->calls) {
      if (!underScope(call.file, scope) || !ofPackage(call) || ownConstant(call)) continue;
      if (out.sites.size() < limits_.maxSitesPerPackage) out.sites.push_back({call.file, call.line, call.source});
      out.reach = Reach::Imported;
      usedWithoutRequire = true;
    }
  }
  const std::string where = scope.empty() ? std::string("the repository") : std::string(scope) + "/";
  const std::string note = target->note.empty() ? std::string() : "; " + target->note;
  if (out.reach == Reach::Imported) {
    out.why = usedWithoutRequire ? "used through its constants without a require of it (Bundler.require loads a Gemfile's gems) at " : "imported at ";
    for (std::size_t i = 0; i < out.sites.size() && i < 3; ++i)
      out.why += (i ? ", " : "") + out.sites[i].file + ":" + std::to_string(out.sites[i].line);
    if (out.sites.size() > 3) out.why += " and " + std::to_string(out.sites.size() - 3) + " more";
    out.why += note;
    if (symbols.empty()) return out;
    std::string names;
    for (std::size_t i = 0; i < symbols.size() && i < 5; ++i) names += (i ? ", " : "") + symbols[i];
    if (symbols.size() > 5) names += ", …";
    if (!callFamilies_.contains(target->family)) {
      out.why += "; calls of its vulnerable functions (" + names + ") are not analysed for this language";
      return out;
    }
    std::set<std::string, std::less<>> unattributed;  // weak calls of a vulnerable name, type not named
    if (familyCalls()) {
      std::set<std::string, std::less<>> seen;  // a weak call is recorded once per namespace imported
      for (const auto& call : calls->calls) {
        if (!underScope(call.file, scope) || !ofPackage(call)) continue;
        if (call.weak && calls->types.contains(detail::calledType(target->family, call))) continue;
        const bool vulnerable = std::any_of(symbols.begin(), symbols.end(), [&](const std::string& s) {
          return detail::symbolMatches(target->family, s, call);
        });
        const std::string at = call.file + ":" + std::to_string(call.line);
        if (!vulnerable && call.weak) {
          const auto method = call.symbol.substr(call.symbol.rfind('.') + 1);
          if (std::any_of(symbols.begin(), symbols.end(), [&](const std::string& s) {
                const auto cut = s.find_last_of(".#:");
                return (cut == std::string::npos ? s : s.substr(cut + 1)) == method;
              }))
            unattributed.insert(at);
        }
        if (!vulnerable || !seen.insert(at + ":" + call.symbol).second) continue;
        if (out.calls.size() < limits_.maxSitesPerPackage) out.calls.push_back(call);
      }
    }
    if (out.calls.empty()) {
      out.reach = Reach::ImportedNotCalled;
      out.why += ", but none of its vulnerable functions (" + names + ") is called";
      if (!unattributed.empty())
        out.why += "; " + std::to_string(unattributed.size()) + " call" + (unattributed.size() == 1 ? "" : "s") +
                   " of the same name through a namespace or wildcard import (first at " + *unattributed.begin() +
                   ") cannot be told apart without the advisory naming the type";
      return out;
    }
    out.reach = Reach::Called;
    std::string called;
    for (std::size_t i = 0; i < out.calls.size() && i < 3; ++i)
      called += (i ? ", " : "") + out.calls[i].symbol + " at " + out.calls[i].file + ":" + std::to_string(out.calls[i].line);
    if (out.calls.size() > 3) called += " and " + std::to_string(out.calls.size() - 3) + " more";
    out.why = "vulnerable function called: " + called + " (" + out.why + ")";
    return out;
  }
  if (!anyCode) {
    out.why = "no code importing packages of this ecosystem found in " + where;
    return out;
  }
  if (truncated_) {
    out.why = "not imported in the first " + std::to_string(files_) + " files indexed (index truncated)";
    return out;
  }
  if (target->discovered) {
    out.why = "not imported by the code in " + where +
              ", but Laravel's package discovery registers its service providers, which run without an import" + note;
    return out;
  }
  if (target->guessed) {
    out.why = "not imported by the code in " + where + " under the namespace guessed for it" + note;
    return out;
  }
  if (!declaredDirectly(root_, scope, *target, package)) {
    out.why = "not imported by the code in " + where + "; only a transitive dependency, which another package may use" + note;
    return out;
  }
  out.reach = Reach::NotImported;
  out.why = "declared in a manifest of " + where + " but imported by none of its " + target->family + " files" + note;
  return out;
}

correlate::ReachabilityOracle reachabilityOracle(const std::string& root) {
  struct State {
    std::once_flag once;
    std::optional<ImportIndex> index;
    std::mutex mu;
    // One answer per package, manifest and symbol list: a report lists many vulnerabilities of
    // one package, and each answer may read the project's manifests.
    std::map<std::string, correlate::ReachabilityVerdict, std::less<>> answers;
  };
  auto state = std::make_shared<State>();
  return [state, root](const std::string& ecosystem, const std::string& package, const std::string& path,
                       const std::vector<std::string>& symbols) -> std::optional<correlate::ReachabilityVerdict> {
    std::call_once(state->once, [&] { state->index = ImportIndex::build(root); });
    std::string key = ecosystem + '\x1f' + package + '\x1f' + path;
    for (const auto& s : symbols) key += '\x1f' + s;
    {
      std::lock_guard lock(state->mu);
      if (auto it = state->answers.find(key); it != state->answers.end()) return it->second;
    }
    std::string scope;
    std::error_code ec;
    if (!path.empty() && fs::is_regular_file(fs::path(root) / path, ec)) {
      scope = fs::path(path).parent_path().generic_string();
    }
    const Reachability r = state->index->reachabilityOf(ecosystem, package, scope, symbols);
    correlate::ReachabilityVerdict v;
    v.source = r.why;
    switch (r.reach) {
      case Reach::Imported:
      case Reach::Called: v.value = "reachable"; break;
      case Reach::ImportedNotCalled:
        v.value = "imported";
        v.multiplier = 0.75;
        break;
      case Reach::NotImported:
        v.value = "unreachable";
        v.multiplier = 0.5;
        break;
      case Reach::Unknown: v.value = "unknown"; break;
    }
    for (const auto& site : r.sites) {
      model::Location loc;
      loc.uri = site.file;
      loc.resolved = true;
      loc.region.startLine = loc.region.endLine = site.line;
      v.sites.push_back(std::move(loc));
    }
    for (const auto& call : r.calls) {
      model::Location loc;
      loc.uri = call.file;
      loc.resolved = true;
      loc.region.startLine = loc.region.endLine = call.line;
      loc.logicalName = call.symbol;
      v.sites.push_back(std::move(loc));
    }
    std::lock_guard lock(state->mu);
    state->answers.emplace(key, v);
    return v;
  };
}

void addDependencySites(const model::ScanSet& scans, std::vector<model::Finding>& findings,
                        const correlate::ReachabilityOracle& oracle) {
  if (!oracle) return;
  for (auto& f : findings) {
    if (f.kind != model::FindingKind::Sca || f.results.empty()) continue;
    const model::Result& primary = scans.results[f.results.front()];
    const model::Run& run = scans.runs[primary.run];
    const model::Rule* rule = primary.rule >= 0 && static_cast<std::size_t>(primary.rule) < run.rules.size()
                                  ? &run.rules[static_cast<std::size_t>(primary.rule)]
                                  : nullptr;
    const correlate::PackageRef pkg = correlate::packageOf(run, rule, primary);
    if (pkg.name.empty()) continue;
    const std::string at = f.location ? f.location->uri : primary.locations.empty() ? std::string() : primary.locations.front().uri;
    const auto& symbols = !primary.vulnerableSymbols.empty() || !rule ? primary.vulnerableSymbols : rule->vulnerableSymbols;
    const auto verdict = oracle(pkg.ecosystem, pkg.name, at, symbols);
    if (!verdict || verdict->sites.empty()) continue;
    std::string what = pkg.name + (pkg.version.empty() ? "" : " " + pkg.version);
    // CVE ids first: they are what people search for; the tool's own ids follow.
    std::vector<std::string> ids = pkg.vulnIds;
    std::stable_partition(ids.begin(), ids.end(), [](const std::string& id) { return id.starts_with("CVE-"); });
    std::string vulnerable;
    for (std::size_t i = 0; i < ids.size() && i < 3; ++i) vulnerable += (i ? ", " : "") + ids[i];
    if (ids.size() > 3) vulnerable += ", …";
    std::string tail = vulnerable.empty() ? std::string() : "; vulnerable: " + vulnerable;
    if (!pkg.fixedVersion.empty()) tail += ", fixed in " + pkg.fixedVersion;
    for (model::Location loc : verdict->sites) {
      loc.message = loc.logicalName.empty() ? what + " is imported here" + tail
                                            : loc.logicalName + " of " + what + " is called here" + tail;
      f.relatedLocations.push_back(std::move(loc));
    }
  }
}

}  // namespace aspm::mapping
