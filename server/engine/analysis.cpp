// Batch pipeline: inputs -> ScanSet -> findings. Used by `aspm findings` and as the language
// server's initial load.
#include "engine/analysis.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

#include "correlate/correlate.h"
#include "engine/actions.h"
#include "engine/statements.h"
#include "store/client/decision_log.h"
#include "store/client/fetch.h"
#include "ingest/ingest.h"
#include "ingest/kev.h"
#include "mapping/remap.h"
#include "mapping/reachability.h"
#include "mapping/routes.h"
#include "mapping/scan_paths.h"
#include "policy/config.h"
#include "support/file.h"
#include "support/uri.h"

namespace aspm::engine {
namespace fs = std::filesystem;
namespace {

bool isGlob(std::string_view s) { return s.find_first_of("*?[{") != std::string_view::npos; }

// Directories never searched for reports.
bool skippedDir(const std::string& name) {
  return name == ".git" || name == "node_modules" || name == ".hg" || name == ".svn" || name == "build" ||
         name == ".venv" || name == "__pycache__";
}

// Whether a file found by a directory walk looks like a report we can read.
bool looksLikeReport(const fs::path& p) {
  const std::string ext = p.extension().string();
  if (ext != ".sarif" && ext != ".json" && ext != ".xml") return false;
  std::string head;
  support::readFileChunks(p.string(), 4096, [&](std::string_view c) {
    head.assign(c);
    return false;
  });
  return ingest::detectFormat(head) != ingest::Format::Unknown;
}

void walk(const fs::path& dir, const std::function<void(const fs::path&, const std::string&)>& visit,
          const fs::path& base) {
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const auto& entry = *it;
    std::error_code ec2;
    if (entry.is_directory(ec2)) {
      if (skippedDir(entry.path().filename().string())) it.disable_recursion_pending();
      continue;
    }
    if (!entry.is_regular_file(ec2)) continue;
    visit(entry.path(), support::normalizePath(entry.path().lexically_relative(base).generic_string()));
  }
}


}  // namespace

// Business context and threat intelligence for risk scoring, from the project configuration.
// Relative intel paths are relative to the repository root.
correlate::RiskContext loadRiskContext(const std::string& repoRoot, const std::string& configFile,
                                       support::Problems& problems) {
  correlate::RiskContext risk;
  std::string configPath = configFile;
  std::error_code ec;
  if (configPath.empty()) {
    const std::string candidate = repoRoot + "/.aspm/config.yaml";
    if (!fs::exists(candidate, ec)) return risk;
    configPath = candidate;
  }
  auto config = policy::loadConfig(configPath);
  for (auto& p : config.problems) problems.push_back(std::move(p));
  risk.applications = std::move(config.value.applications);
  auto resolve = [&](const std::string& p) { return fs::path(p).is_absolute() ? p : repoRoot + "/" + p; };
  if (!config.value.epssFile.empty()) {
    std::string model;
    auto epss = correlate::readEpssCsv(resolve(config.value.epssFile), &model);
    for (auto& p : epss.problems) problems.push_back(std::move(p));
    risk.epss = std::move(epss.value);
    risk.epssSource = config.value.epssFile + (model.empty() ? "" : " (" + model + ")");
  }
  if (!config.value.kevFile.empty()) {
    auto kev = ingest::readKev(resolve(config.value.kevFile));
    for (auto& p : kev.problems) problems.push_back(std::move(p));
    for (auto& [cve, e] : kev.value.entries) risk.kev[cve] = correlate::KevEntry{e.dateAdded, e.ransomware};
    risk.kevSource = config.value.kevFile + (kev.value.version.empty() ? "" : " (catalog " + kev.value.version + ")");
  }
  return risk;
}

// The contract's SARIF globs, plus native reports (bandit/ShellCheck/GCC JSON, cppcheck XML)
// kept under .aspm/; those are only taken when their content is a supported report.
std::vector<std::string> defaultInputGlobs() {
  return {".aspm/**/*.sarif", "**/*.sarif", ".aspm/**/*.json", ".aspm/**/*.xml"};
}

support::WithProblems<std::vector<std::string>> expandInputs(const std::vector<std::string>& inputs,
                                                             const std::string& repoRoot, bool explicitInputs) {
  support::WithProblems<std::vector<std::string>> out;
  std::vector<std::string> globs;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (isGlob(in)) {
      globs.push_back(in);
      continue;
    }
    const fs::path p(in);
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      walk(p, [&](const fs::path& f, const std::string&) {
        if (looksLikeReport(f)) found.push_back(f.generic_string());
      }, p);
      std::sort(found.begin(), found.end());
      if (found.empty() && explicitInputs)
        out.problems.push_back({in, "", "directory contains no SARIF or supported native report", support::ProblemSeverity::Warning});
      out.value.insert(out.value.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.value.push_back(in);
    } else {
      out.problems.push_back({in, "", "no such file or directory", support::ProblemSeverity::Fatal});
    }
  }
  if (!globs.empty()) {
    const fs::path root(repoRoot.empty() ? "." : repoRoot);
    std::vector<std::string> found;
    walk(root, [&](const fs::path& f, const std::string& rel) {
      for (const auto& g : globs) {
        if (!support::globMatch(g, rel)) continue;
        if (f.extension() == ".sarif" || looksLikeReport(f)) found.push_back(f.generic_string());
        break;
      }
    }, root);
    std::sort(found.begin(), found.end());
    if (found.empty() && explicitInputs) {
      for (const auto& g : globs) out.problems.push_back({g, "", "pattern matched no file", support::ProblemSeverity::Warning});
    }
    out.value.insert(out.value.end(), found.begin(), found.end());
  }
  // Keep the first occurrence of each file.
  std::vector<std::string> unique;
  for (auto& f : out.value) {
    const std::string n = support::normalizePath(f);
    if (std::none_of(unique.begin(), unique.end(), [&](const std::string& u) { return support::normalizePath(u) == n; }))
      unique.push_back(std::move(f));
  }
  out.value = std::move(unique);
  return out;
}

std::vector<correlate::Application> discoveredApplications(const inventory::Inventory& inv) {
  std::vector<const inventory::Asset*> assets;
  for (const auto& a : inv.assets) {
    using K = inventory::AssetKind;
    if (a.kind != K::Service && a.kind != K::Library && a.kind != K::Infrastructure) continue;
    if (a.exposure == inventory::Exposure::Unknown && a.criticality.empty()) continue;
    assets.push_back(&a);
  }
  std::stable_sort(assets.begin(), assets.end(),
                   [](const inventory::Asset* x, const inventory::Asset* y) { return x->path.size() > y->path.size(); });
  std::vector<correlate::Application> apps;
  for (const auto* a : assets) {
    correlate::Application app;
    app.name = a->name;
    app.paths = {a->path.empty() ? "**" : a->path + "/**"};
    // Container scanners name the image instead of a file ("ghcr.io/acme/orders (debian 12.5)",
    // with a leading '/' when the run's base is the root): those findings belong here too.
    for (const auto& image : a->images) {
      std::string name = image.substr(0, image.find('@'));
      if (auto colon = name.rfind(':'); colon != std::string::npos && name.find('/', colon) == std::string::npos)
        name.resize(colon);
      for (const char* prefix : {"", "/"}) {
        app.paths.push_back(prefix + name);
        app.paths.push_back(prefix + name + " (*)");
      }
    }
    app.criticality = a->criticality;
    if (a->exposure == inventory::Exposure::Internet) app.internetFacing = true;
    else if (a->exposure != inventory::Exposure::Unknown) app.internetFacing = false;
    const auto& why = a->exposureEvidence ? a->exposureEvidence : a->criticalityEvidence;
    app.source = why ? why->where() + ": " + why->why + " (discovered " + std::string(inventory::idOf(a->kind)) + ")"
                     : "discovered " + std::string(inventory::idOf(a->kind));
    if (a->exposureEvidence && a->criticalityEvidence)
      app.source += "; criticality " + a->criticality + " from " + a->criticalityEvidence->where();
    apps.push_back(std::move(app));
  }
  return apps;
}

support::WithProblems<inventory::Inventory> discoverInventory(const std::string& repoRoot) {
  return inventory::discover(repoRoot.empty() ? "." : repoRoot);
}

namespace {

// The team's decisions first, then this machine's log where it is newer (a decision made here
// may not have reached the store yet). Triaged findings keep their place in the list; policies
// and renderers read `triage`.
std::map<std::string, model::TriageDecision> loadTriage(const AnalysisOptions& options, Analysis& a) {
  std::map<std::string, model::TriageDecision> decisions;
  if (!options.storeUrl.empty()) {
    store::client::SyncConfig config;
    config.url = options.storeUrl;
    config.project = options.storeProject;
    config.token = options.storeToken;
    auto fetched = store::client::fetchDecisions(config);
    for (auto& p : fetched.problems) a.problems.push_back(std::move(p));
    for (auto& d : fetched.value)
      if (!d.pending) decisions[d.fingerprint] = std::move(d.decision);  // pending approval: not yet in force
  }
  const std::string logPath = options.triageLog.empty() ? a.repoRoot + "/.aspm/triage.db" : options.triageLog;
  std::error_code ec;
  if (fs::exists(logPath, ec)) {
    auto log = store::client::DecisionLog::open(logPath);
    for (auto& p : log.problems) {
      p.severity = support::ProblemSeverity::Warning;
      a.problems.push_back(std::move(p));
    }
    if (log.value)
      for (auto& [fp, d] : log.value->current()) {
        auto it = decisions.find(fp);
        if (it == decisions.end() || d.at >= it->second.at) decisions[fp] = std::move(d);
      }
  }
  return decisions;
}

void applyTriage(const std::map<std::string, model::TriageDecision>& decisions, Analysis& a) {
  if (decisions.empty()) return;
  const std::string now = nowRfc3339();
  for (auto& f : a.findings) {
    // By id, then by the ids the finding had before its file was renamed (newest name first).
    auto it = decisions.find(f.id);
    for (std::size_t k = 0; it == decisions.end() && k < f.previousIds.size(); ++k)
      if (it = decisions.find(f.previousIds[k].id); it != decisions.end()) f.triageKey = f.previousIds[k].id;
    if (it == decisions.end()) continue;
    f.triage = it->second;
    if (f.state != model::FindingState::Gone && triageHides(it->second, now)) f.state = model::FindingState::Triaged;
  }
}

}  // namespace

Analysis analyze(const AnalysisOptions& options) {
  Analysis a;
  std::error_code ec;
  fs::path root = fs::absolute(options.repoRoot.empty() ? "." : options.repoRoot, ec);
  a.repoRoot = support::normalizePath(root.generic_string());

  const bool explicitInputs = !options.inputs.empty();
  auto expanded = expandInputs(explicitInputs ? options.inputs : defaultInputGlobs(), a.repoRoot, explicitInputs);
  a.problems = std::move(expanded.problems);
  a.inputFiles = std::move(expanded.value);

  std::uint64_t total = 0;
  std::vector<std::uint64_t> sizes;
  for (const auto& f : a.inputFiles) {
    const auto s = fs::file_size(f, ec);
    sizes.push_back(ec ? 0 : s);
    total += ec ? 0 : s;
  }

  ingest::PathResolver resolver(a.repoRoot);
  std::uint64_t done = 0;
  for (std::size_t i = 0; i < a.inputFiles.size(); ++i) {
    if (options.cancel && options.cancel->load()) break;
    ingest::IngestOptions io;
    io.resolver = &resolver;
    io.cancel = options.cancel;
    if (options.progress) {
      io.progress = [&, base = done](std::uint64_t read, std::uint64_t) { options.progress(base + read, total); };
    }
    auto r = ingest::ingestFile(a.inputFiles[i], io);
    ingest::append(a.scans, std::move(r.value));
    for (auto& p : r.problems) a.problems.push_back(std::move(p));
    done += sizes[i];
    if (options.progress) options.progress(done, total);
  }

  const std::string rootPath = a.repoRoot;
  correlate::RiskContext risk = loadRiskContext(a.repoRoot, options.configFile, a.problems);
  if (options.discoverAssets) {
    auto inv = inventory::discover(a.repoRoot);
    for (auto& p : inv.problems) a.problems.push_back(std::move(p));
    a.inventory = std::move(inv.value);
    // Configured applications come first: the config corrects what discovery concluded.
    for (auto& app : discoveredApplications(a.inventory)) risk.applications.push_back(std::move(app));
  }
  correlate::CorrelateOptions co;
  co.risk = &risk;
  co.content = [&](const std::string& rel) -> std::shared_ptr<const std::string> {
    auto text = support::readFile(rootPath + "/" + rel);
    if (!text) return nullptr;
    return std::make_shared<const std::string>(std::move(*text));
  };
  risk.reachability = mapping::reachabilityOracle(a.repoRoot);
  co.contentAt = mapping::scannedContent(a.repoRoot);
  auto paths = mapping::pathProviders(a.repoRoot);
  co.currentPath = std::move(paths.currentPath);
  // The file's earlier names cost a walk back through history; they only serve to find decisions.
  const auto decisions = loadTriage(options, a);
  if (!decisions.empty()) co.pathHistory = std::move(paths.pathHistory);
  co.statements = statementProvider();
  auto correlation = correlate::correlate(a.scans, co);
  a.findings = std::move(correlation.findings);
  a.fixGroups = std::move(correlation.fixGroups);
  a.noise = std::move(correlation.noise);
  mapping::FindingRemap remap;
  remap.repoRoot = a.repoRoot;
  remap.fallbackRevision = options.revision;
  for (auto& message : mapping::remapFindings(a.scans, a.findings, remap).problems)
    a.problems.push_back({a.repoRoot, "", std::move(message), support::ProblemSeverity::Warning});
  mapping::addDependencySites(a.scans, a.findings, risk.reachability);
  mapping::placeWebFindings(a.scans, a.findings, a.repoRoot);
  applyTriage(decisions, a);
  return a;
}

}  // namespace aspm::engine
