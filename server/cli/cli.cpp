// Command dispatch and argument parsing for `aspm`.
#include "cli/cli.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <iostream>
#include <unordered_map>
#include <unordered_set>
#include <optional>
#include <sstream>

#include "cli/output.h"
#include "engine/analysis.h"
#include "engine/gate.h"
#include "engine/upload.h"
#include "support/file.h"

namespace aspm::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitViolated = 1;
constexpr int kExitUnusable = 2;

const char* const kUsage =
    "usage: aspm <command> [options]\n"
    "\n"
    "commands:\n"
    "  findings   ingest scanner reports, correlate, and print findings, highest risk first\n"
    "  gate       evaluate a policy over the findings for CI (exit 1 when violated in enforce mode)\n"
    "  inventory  discover the services, APIs, infrastructure and pipelines of the working tree\n"
    "  kpi        print a project's KPIs from the team's aspm-store\n"
    "\n"
    "  aspm findings [--repo DIR] [--sarif PATH]... [--config FILE] [--format table|json|sarif]\n"
    "  aspm gate --policy FILE [--repo DIR] [--sarif PATH]... [--config FILE]\n"
    "            [--format table|json|sarif|markdown]\n"
    "  aspm inventory [--repo DIR] [--format table|json]\n"
    "  aspm kpi --store URL --project P [--days N] [--format table|json]\n"
    "\n"
    "Run 'aspm <command> --help' for a command's options.\n"
    "options: --help, --version\n";

const char* const kInputsHelp =
    "  --repo DIR      repository whose working tree the findings are placed in (default: .)\n"
    "  --sarif PATH    a report file, directory or glob (repeatable; a bare argument counts too).\n"
    "                  Default: .aspm/**/*.sarif, **/*.sarif and native reports under .aspm/\n"
    "  --config FILE   project configuration: applications (criticality, exposure) and intel\n"
    "                  files (EPSS CSV, KEV JSON). Default: DIR/.aspm/config.yaml when present\n"
    "  --baseline FILE an earlier 'aspm findings --format json' output: findings whose id is not\n"
    "                  in it are new (baselineState, first seen today), the others unchanged\n"
    "                  (their firstSeen carried over when the baseline has one)\n"
    "  --revision REV  the commit reports that name none were scanned at (SARIF without\n"
    "                  versionControlProvenance); their findings are followed through the git\n"
    "                  history to the working tree like those of reports that name theirs\n"
    "  --store URL     the team's aspm-store (http://host:port): its triage decisions apply, with\n"
    "  --project P     this project; the token comes from ASPM_TOKEN. The local log\n"
    "                  DIR/.aspm/triage.db applies too. An unreachable store is a warning\n"
    "  --upload        also post the correlated findings to the store as one scan (needs --store,\n"
    "                  --project, ASPM_TOKEN); a failed upload is exit status 2\n"
    "  --repository R  the repository the scan is of, for the store (default: DIR's directory name)\n"
    "  --scan-kinds K  the kinds of scanner that ran, comma-separated (sast,sca,iac,secrets,other):\n"
    "                  the store marks open findings of these kinds that are absent as fixed.\n"
    "                  Default: the kinds of the findings uploaded\n";

const std::string kFindingsUsage = std::string(
    "usage: aspm findings [--repo DIR] [--sarif PATH]... [--config FILE] [--baseline FILE]\n"
    "                     [--format table|json|sarif]\n"
    "\n"
    "Ingests every report (SARIF 2.1.0, bandit JSON, cppcheck XML, ShellCheck JSON, gcc JSON),\n"
    "merges results of different tools that describe the same problem, scores risk with business\n"
    "context and prints the findings, highest risk first.\n"
    "\n") + kInputsHelp +
    "  --format F      table (default; colour on a terminal), json (docs/cli.md contract) or sarif\n"
    "                  (SARIF 2.1.0 with fingerprints, primaryLocationLineHash, correlationGuid)\n"
    "\n"
    "exit status: 0 success, 2 unusable input or bad usage\n";

const std::string kGateUsage = std::string(
    "usage: aspm gate --policy FILE [--repo DIR] [--sarif PATH]... [--config FILE] [--baseline FILE]\n"
    "                 [--format table|json|sarif|markdown] [--today YYYY-MM-DD]\n"
    "\n"
    "Evaluates a policy (docs/policy.md) over the correlated findings, for CI.\n"
    "\n"
    "  --policy FILE   the YAML policy (required)\n") + kInputsHelp +
    "  --format F      table (default), json, sarif (the violations) or markdown (a pull-request\n"
    "                  comment)\n"
    "  --today DATE    the date exceptions and triage decisions expire against and findings' age\n"
    "                  is counted to (default: today, UTC)\n"
    "\n"
    "A rule with an age condition (age: \">= 30d\") counts from the first-seen date the store keeps\n"
    "(--store, --project), else from the baseline's firstSeen; a finding neither knows counts as\n"
    "first seen today (age 0), and the output says how many did. A store that cannot be read\n"
    "fails an enforcing gate with status 2 rather than count every finding as new.\n"
    "\n"
    "exit status: 0 pass (or monitor mode), 1 policy violated in enforce mode,\n"
    "             2 unusable input, unusable policy, unreadable store for age conditions, or bad usage\n";

struct Args {
  std::string repo = ".";
  std::vector<std::string> inputs;
  std::string config;
  std::string revision;
  std::string format = "table";
  std::string policy;
  std::string today;
  std::string baseline;
  std::string store;
  std::string project;
  bool upload = false;
  std::string repository;
  std::vector<std::string> scanKinds;
  bool help = false;
};

std::vector<std::string> splitList(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const auto comma = s.find(',', start);
    std::string item = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// Parses "--name value" and "--name=value". Returns an error message on bad usage.
std::optional<std::string> parseArgs(const std::vector<std::string>& args, bool gate, Args& out) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string a = args[i];
    std::string value;
    bool hasValue = false;
    if (auto eq = a.find('='); a.starts_with("--") && eq != std::string::npos) {
      value = a.substr(eq + 1);
      a = a.substr(0, eq);
      hasValue = true;
    }
    auto take = [&](std::string& dst) -> std::optional<std::string> {
      if (hasValue) {
        dst = value;
        return std::nullopt;
      }
      if (i + 1 >= args.size()) return "option " + a + " needs a value";
      dst = args[++i];
      return std::nullopt;
    };
    std::optional<std::string> err;
    if (a == "--help" || a == "-h") out.help = true;
    else if (a == "--repo") err = take(out.repo);
    else if (a == "--sarif" || a == "--input") {
      std::string v;
      err = take(v);
      out.inputs.push_back(v);
    } else if (a == "--config") err = take(out.config);
    else if (a == "--revision") err = take(out.revision);
    else if (a == "--format") {
      err = take(out.format);
      const bool ok = out.format == "table" || out.format == "json" || out.format == "sarif" ||
                      (gate && out.format == "markdown");
      if (!err && !ok)
        err = "unknown format '" + out.format + (gate ? "' (expected table, json, sarif or markdown)" : "' (expected table, json or sarif)");
    } else if (a == "--baseline") err = take(out.baseline);
    else if (a == "--store") err = take(out.store);
    else if (a == "--project") err = take(out.project);
    else if (a == "--upload") out.upload = true;
    else if (a == "--repository") err = take(out.repository);
    else if (a == "--scan-kinds") {
      std::string v;
      err = take(v);
      out.scanKinds = splitList(v);
      for (const auto& k : out.scanKinds)
        if (!err && k != "sast" && k != "sca" && k != "iac" && k != "secrets" && k != "other")
          err = "unknown scan kind '" + k + "' (expected sast, sca, iac, secrets, other)";
    } else if (gate && a == "--policy") err = take(out.policy);
    else if (gate && a == "--today") err = take(out.today);
    else if (!a.starts_with("-")) out.inputs.push_back(a);
    else err = "unknown option " + a;
    if (err) return err;
  }
  return std::nullopt;
}

bool hasFatal(const support::Problems& ps) {
  for (const auto& p : ps)
    if (p.severity == support::ProblemSeverity::Fatal) return true;
  return false;
}

// "2026-11-27" or an RFC 3339 timestamp starting with one (the store's first_seen).
bool looksLikeDate(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-' || (s.size() > 10 && s[10] != 'T')) return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

// Marks findings new or unchanged against an earlier JSON output (ids are stable fingerprints).
// A finding in the baseline keeps the baseline's firstSeen when it has one; a new one is first
// seen `today`, so a chain of baselines carries first-seen dates without a store.
void applyBaseline(const std::string& file, engine::Analysis& analysis, const std::string& today) {
  namespace json = boost::json;
  std::string error;
  auto text = support::readFile(file, &error);
  if (!text) {
    analysis.problems.push_back({file, "", "cannot read baseline: " + error, support::ProblemSeverity::Fatal});
    return;
  }
  boost::system::error_code ec;
  const json::value doc = json::parse(*text, ec);
  const json::object* root = ec ? nullptr : doc.if_object();
  const json::value* findings = root ? root->if_contains("findings") : nullptr;
  if (!findings || !findings->is_array()) {
    analysis.problems.push_back({file, "/findings", "not an 'aspm findings --format json' output", support::ProblemSeverity::Fatal});
    return;
  }
  std::unordered_map<std::string, std::string> ids;  // id -> firstSeen ("" when the baseline has none)
  const auto& arr = findings->get_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const json::object* f = arr[i].if_object();
    const json::value* id = f ? f->if_contains("id") : nullptr;
    if (!id || !id->is_string()) {
      analysis.problems.push_back({file, "/findings/" + std::to_string(i) + "/id", "finding without an id: ignored",
                                   support::ProblemSeverity::Warning});
      continue;
    }
    std::string firstSeen;
    if (const json::value* d = f->if_contains("firstSeen"); d && !d->is_null()) {
      if (d->is_string() && looksLikeDate(d->get_string()))
        firstSeen = std::string(d->get_string());
      else
        analysis.problems.push_back({file, "/findings/" + std::to_string(i) + "/firstSeen",
                                     "firstSeen is not a date (YYYY-MM-DD or RFC 3339): ignored", support::ProblemSeverity::Warning});
    }
    ids.emplace(std::string(id->get_string()), std::move(firstSeen));
  }
  for (auto& f : analysis.findings) {
    const auto it = ids.find(f.id);
    f.baseline = it != ids.end() ? model::BaselineState::Unchanged : model::BaselineState::New;
    f.firstSeen = it != ids.end() ? it->second : today;
  }
}

// The gate's first-seen dates for age conditions: the store's first_seen where it knows the
// fingerprint, else what the baseline gave (applyBaseline), else none (age 0). Returns the
// sentence the output prints; a store that cannot be read is an error in `problems`.
std::string assignFirstSeen(const Args& a, engine::Analysis& analysis, support::Problems& problems) {
  namespace json = boost::json;
  std::unordered_map<std::string, std::string> fromStore;
  std::string storeTrouble;
  if (!a.store.empty() && !a.project.empty()) {
    const char* token = std::getenv("ASPM_TOKEN");
    const auto reply = engine::fetchFindingHistory({a.store, a.project, token ? token : ""});
    // Without the store's dates every finding would look new and an age rule could not match:
    // an error, so an enforcing gate does not pass because the store was down.
    for (const auto& p : reply.problems) {
      problems.push_back({p.file, p.path, "first-seen dates for age conditions: " + p.message, support::ProblemSeverity::Error});
      storeTrouble = p.message;
    }
    boost::system::error_code ec;
    const json::value doc = reply.problems.empty() ? json::parse(reply.value, ec) : json::value();
    const json::object* root = doc.if_object();
    const json::value* list = root ? root->if_contains("findings") : nullptr;
    if (reply.problems.empty() && (!list || !list->is_array())) {
      storeTrouble = "the reply to GET /findings is not a finding history";
      problems.push_back({a.store, "/findings", "first-seen dates for age conditions: " + storeTrouble, support::ProblemSeverity::Error});
    }
    if (list && list->is_array()) {
      for (const auto& e : list->get_array()) {
        const json::object* o = e.if_object();
        const json::value* fp = o ? o->if_contains("fingerprint") : nullptr;
        const json::value* seen = o ? o->if_contains("firstSeen") : nullptr;
        if (fp && fp->is_string() && seen && seen->is_string())
          fromStore.emplace(std::string(fp->get_string()), std::string(seen->get_string()));
      }
    }
  }
  std::size_t store = 0, baseline = 0, unknown = 0;
  for (auto& f : analysis.findings) {
    if (const auto it = fromStore.find(f.id); it != fromStore.end()) {
      f.firstSeen = it->second;
      ++store;
    } else if (!f.firstSeen.empty()) {
      ++baseline;
    } else {
      ++unknown;
    }
  }
  std::string note;
  auto add = [&](const std::string& part) { note += (note.empty() ? "" : "; ") + part; };
  if (!a.store.empty() && !a.project.empty()) {
    if (!storeTrouble.empty()) add("the store " + a.store + " could not be read (" + storeTrouble + ")");
    else add("first seen from the store " + a.store + " for " + std::to_string(store) + " finding(s)");
  }
  if (!a.baseline.empty()) add("from the baseline " + a.baseline + " for " + std::to_string(baseline) + " finding(s)");
  if (a.baseline.empty() && (a.store.empty() || a.project.empty())) add("no --store and no --baseline");
  if (unknown > 0)
    add(std::to_string(unknown) + " finding(s) with no first-seen date count as first seen today (age 0)");
  return note;
}

// --upload given without what it needs is bad usage, found before the (long) analysis.
std::optional<std::string> checkUpload(const Args& a) {
  if (!a.upload) return std::nullopt;
  if (a.store.empty() || a.project.empty()) return "--upload needs --store URL and --project P";
  const char* token = std::getenv("ASPM_TOKEN");
  if (!token || !*token) return "--upload needs the project's token in ASPM_TOKEN";
  return std::nullopt;
}

// Posts the findings as one scan; true when the store took it.
bool upload(const Args& a, const engine::Analysis& analysis, std::ostream& err) {
  std::string revision = a.revision;
  for (const auto& run : analysis.scans.runs)
    if (revision.empty() && !run.revision.empty()) revision = run.revision;
  std::string repository = a.repository;
  if (repository.empty()) {
    const std::string root = analysis.repoRoot.empty() ? a.repo : analysis.repoRoot;
    std::string trimmed = root;
    while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
    repository = trimmed.substr(trimmed.find_last_of('/') == std::string::npos ? 0 : trimmed.find_last_of('/') + 1);
    if (repository.empty()) repository = trimmed;
  }
  engine::StoreTarget store{a.store, a.project, std::getenv("ASPM_TOKEN") ? std::getenv("ASPM_TOKEN") : ""};
  const auto reply = engine::uploadScan(store, scanUploadJson(analysis, repository, revision, a.scanKinds));
  writeProblems(reply.problems, err);
  if (!reply.problems.empty()) return false;
  err << "aspm: " << scanUploadSummary(reply.value) << " (" << a.store << ", project " << a.project << ")\n";
  return true;
}

engine::Analysis analyze(const Args& a) {
  engine::AnalysisOptions opts;
  opts.repoRoot = a.repo;
  opts.inputs = a.inputs;
  opts.configFile = a.config;
  opts.revision = a.revision;
  opts.storeUrl = a.store;
  opts.storeProject = a.project;
  if (const char* token = std::getenv("ASPM_TOKEN")) opts.storeToken = token;
  engine::Analysis analysis = engine::analyze(opts);
  if (!a.baseline.empty()) applyBaseline(a.baseline, analysis, a.today.empty() ? engine::todayUtc() : a.today);
  return analysis;
}

int runFindings(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Terminal& term) {
  Args fa;
  if (auto e = parseArgs(args, false, fa)) {
    err << "aspm findings: " << *e << "\n\n" << kFindingsUsage;
    return kExitUnusable;
  }
  if (fa.help) {
    out << kFindingsUsage;
    return kExitOk;
  }
  if (auto e = checkUpload(fa)) {
    err << "aspm findings: " << *e << "\n";
    return kExitUnusable;
  }
  const engine::Analysis analysis = analyze(fa);
  if (fa.format == "json") writeJson(analysis, out);
  else if (fa.format == "sarif") writeSarif(analysis, out);
  else writeTable(analysis, out, TableStyle{term.color, term.width});
  writeProblems(analysis.problems, err);
  if (hasFatal(analysis.problems)) return kExitUnusable;
  // A scan whose reports could not all be read is not uploaded: its absent findings would be
  // marked fixed.
  if (fa.upload && !upload(fa, analysis, err)) return kExitUnusable;
  return kExitOk;
}

int runGate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Terminal& term) {
  Args ga;
  if (auto e = parseArgs(args, true, ga)) {
    err << "aspm gate: " << *e << "\n\n" << kGateUsage;
    return kExitUnusable;
  }
  if (ga.help) {
    out << kGateUsage;
    return kExitOk;
  }
  if (ga.policy.empty()) {
    err << "aspm gate: --policy FILE is required\n\n" << kGateUsage;
    return kExitUnusable;
  }
  if (auto e = checkUpload(ga)) {
    err << "aspm gate: " << *e << "\n";
    return kExitUnusable;
  }
  engine::Analysis analysis = analyze(ga);
  support::Problems ageProblems;
  const engine::Gate gate = engine::runGate(analysis, ga.policy, ga.today, [&](engine::Analysis& an) {
    return assignFirstSeen(ga, an, ageProblems);
  });
  // A policy with errors is not applied half-read: the gate would pass for the wrong reason.
  bool policyUnusable = false;
  for (const auto& p : gate.problems)
    if (p.severity != support::ProblemSeverity::Warning) policyUnusable = true;
  writeProblems(gate.problems, err);
  writeProblems(analysis.problems, err);
  writeProblems(ageProblems, err);
  if (policyUnusable) {
    err << "aspm gate: the policy " << ga.policy << " cannot be used; fix the problems above\n";
    return kExitUnusable;
  }
  if (ga.format == "json") writeGateJson(analysis, gate.policy, gate.result, out);
  else if (ga.format == "sarif") writeGateSarif(analysis, gate.policy, gate.result, out);
  else if (ga.format == "markdown") writeGateMarkdown(analysis, gate.policy, gate.result, out);
  else writeGateTable(analysis, gate.policy, gate.result, out, TableStyle{term.color, term.width});
  if (hasFatal(analysis.problems)) return kExitUnusable;
  const bool ageUnknown = std::any_of(ageProblems.begin(), ageProblems.end(), [](const support::Problem& p) {
    return p.severity != support::ProblemSeverity::Warning;
  });
  if (ageUnknown && gate.policy.mode == policy::Mode::Enforce) {
    err << "aspm gate: the policy's age conditions could not be evaluated (the store gave no first-seen dates);"
           " not passing on that\n";
    return kExitUnusable;
  }
  if (ga.upload && !upload(ga, analysis, err)) return kExitUnusable;
  return gate.result.exitCode() == 1 ? kExitViolated : kExitOk;
}

const char* const kInventoryUsage =
    "usage: aspm inventory [--repo DIR] [--format table|json]\n"
    "\n"
    "Discovers the estate from the working tree, without network access: services and libraries\n"
    "(manifests), how they ship and run (Dockerfiles, docker-compose, Kubernetes, Terraform), the\n"
    "HTTP APIs they declare, the scanners CI pipelines run, and hints of sensitive data. Each\n"
    "conclusion names the file and line it comes from (docs/inventory.md).\n"
    "\n"
    "  --repo DIR      repository to inventory (default: .)\n"
    "  --format F      table (default) or json (docs/inventory.md)\n"
    "\n"
    "exit status: 0 success, 2 unusable repository or bad usage\n";

int runInventory(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Terminal& term) {
  std::string repo = ".";
  std::string format = "table";
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string a = args[i];
    std::optional<std::string> value;
    if (auto eq = a.find('='); a.starts_with("--") && eq != std::string::npos) {
      value = a.substr(eq + 1);
      a = a.substr(0, eq);
    }
    if (a == "--help" || a == "-h") {
      out << kInventoryUsage;
      return kExitOk;
    }
    if (a != "--repo" && a != "--format") {
      err << "aspm inventory: unknown option " << a << "\n\n" << kInventoryUsage;
      return kExitUnusable;
    }
    if (!value && i + 1 >= args.size()) {
      err << "aspm inventory: option " << a << " needs a value\n\n" << kInventoryUsage;
      return kExitUnusable;
    }
    (a == "--repo" ? repo : format) = value ? *value : args[++i];
  }
  if (format != "table" && format != "json") {
    err << "aspm inventory: unknown format '" << format << "' (expected table or json)\n\n" << kInventoryUsage;
    return kExitUnusable;
  }
  const auto inventory = engine::discoverInventory(repo);
  if (format == "json") writeInventoryJson(inventory.value, out);
  else writeInventoryTable(inventory.value, out, TableStyle{term.color, term.width});
  writeProblems(inventory.problems, err);
  return hasFatal(inventory.problems) ? kExitUnusable : kExitOk;
}

const char* const kKpiUsage =
    "usage: aspm kpi --store URL --project P [--days N] [--format table|json]\n"
    "\n"
    "Prints the project's KPIs as the team's aspm-store computes them from uploaded scans and\n"
    "triage decisions (docs/store.md): MTTR for critical and high findings, exploitable open\n"
    "findings, risk, triage, false-positive and fix rates, scan coverage.\n"
    "\n"
    "  --store URL     the aspm-store (http://host:port); the token comes from ASPM_TOKEN\n"
    "  --project P     the project\n"
    "  --days N        the window, 1 to 366 days (default 30)\n"
    "  --format F      table (default) or json (the store's reply, docs/openapi.yaml)\n"
    "\n"
    "exit status: 0 success, 2 store unreachable or refusing, or bad usage\n";

int runKpi(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string store, project, format = "table", days = "30";
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string a = args[i];
    std::optional<std::string> value;
    if (auto eq = a.find('='); a.starts_with("--") && eq != std::string::npos) {
      value = a.substr(eq + 1);
      a = a.substr(0, eq);
    }
    if (a == "--help" || a == "-h") {
      out << kKpiUsage;
      return kExitOk;
    }
    std::string* dst = a == "--store" ? &store : a == "--project" ? &project : a == "--format" ? &format
                     : a == "--days" ? &days : nullptr;
    if (!dst) {
      err << "aspm kpi: unknown option " << a << "\n\n" << kKpiUsage;
      return kExitUnusable;
    }
    if (!value && i + 1 >= args.size()) {
      err << "aspm kpi: option " << a << " needs a value\n\n" << kKpiUsage;
      return kExitUnusable;
    }
    *dst = value ? *value : args[++i];
  }
  if (store.empty() || project.empty()) {
    err << "aspm kpi: --store and --project are required\n\n" << kKpiUsage;
    return kExitUnusable;
  }
  if (format != "table" && format != "json") {
    err << "aspm kpi: unknown format '" << format << "' (expected table or json)\n\n" << kKpiUsage;
    return kExitUnusable;
  }
  int n = 0;
  const auto [p, ec] = std::from_chars(days.data(), days.data() + days.size(), n);
  if (ec != std::errc() || p != days.data() + days.size() || n < 1 || n > 366) {
    err << "aspm kpi: --days must be a number from 1 to 366\n";
    return kExitUnusable;
  }
  const char* token = std::getenv("ASPM_TOKEN");
  const auto reply = engine::fetchKpis({store, project, token ? token : ""}, n);
  writeProblems(reply.problems, err);
  if (!reply.problems.empty()) return kExitUnusable;
  std::string error;
  const bool ok = format == "json" ? writeKpiJson(reply.value, out, error) : writeKpiTable(reply.value, out, error);
  if (!ok) {
    err << "aspm kpi: " << error << "\n";
    return kExitUnusable;
  }
  return kExitOk;
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Terminal& terminal) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    if (args.size() > 1 && args[0] == "help") return run({args[1], "--help"}, out, err, terminal);
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? kExitUnusable : kExitOk;
  }
  if (args[0] == "--version") {
    out << "aspm 0.1.0\n";
    return kExitOk;
  }
  if (args[0] == "findings") return runFindings(args, out, err, terminal);
  if (args[0] == "gate") return runGate(args, out, err, terminal);
  if (args[0] == "inventory") return runInventory(args, out, err, terminal);
  if (args[0] == "kpi") return runKpi(args, out, err);
  err << "aspm: unknown command '" << args[0] << "'\n\n" << kUsage;
  return kExitUnusable;
}

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::ios::sync_with_stdio(false);
  Terminal term;
  if (::isatty(STDOUT_FILENO)) {
    const char* noColor = std::getenv("NO_COLOR");
    const char* termName = std::getenv("TERM");
    term.color = (!noColor || !*noColor) && !(termName && std::string_view(termName) == "dumb");
    winsize ws{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) term.width = ws.ws_col;
  }
  if (term.width == 0) {
    if (const char* cols = std::getenv("COLUMNS")) term.width = std::atoi(cols);
  }
  return run(args, std::cout, std::cerr, term);
}

}  // namespace aspm::cli
