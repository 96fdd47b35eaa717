// Command dispatch and argument parsing for `aspm`.
#include "cli/cli.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <iostream>
#include <unordered_set>
#include <optional>
#include <sstream>

#include "cli/output.h"
#include "engine/analysis.h"
#include "engine/gate.h"
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
    "\n"
    "  aspm findings [--repo DIR] [--sarif PATH]... [--config FILE] [--format table|json|sarif]\n"
    "  aspm gate --policy FILE [--repo DIR] [--sarif PATH]... [--config FILE]\n"
    "            [--format table|json|sarif|markdown]\n"
    "  aspm inventory [--repo DIR] [--format table|json]\n"
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
    "                  in it are new (baselineState), the others unchanged\n"
    "  --revision REV  the commit reports that name none were scanned at (SARIF without\n"
    "                  versionControlProvenance); their findings are followed through the git\n"
    "                  history to the working tree like those of reports that name theirs\n"
    "  --store URL     the team's aspm-store (http://host:port): its triage decisions apply, with\n"
    "  --project P     this project; the token comes from ASPM_TOKEN. The local log\n"
    "                  DIR/.aspm/triage.db applies too. An unreachable store is a warning\n";

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
    "  --today DATE    the date exceptions and triage decisions expire against (default: today, UTC)\n"
    "\n"
    "exit status: 0 pass (or monitor mode), 1 policy violated in enforce mode,\n"
    "             2 unusable input, unusable policy or bad usage\n";

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
  bool help = false;
};

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
    else if (gate && a == "--policy") err = take(out.policy);
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

// Marks findings new or unchanged against an earlier JSON output (ids are stable fingerprints).
void applyBaseline(const std::string& file, engine::Analysis& analysis) {
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
  std::unordered_set<std::string> ids;
  const auto& arr = findings->get_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const json::object* f = arr[i].if_object();
    const json::value* id = f ? f->if_contains("id") : nullptr;
    if (id && id->is_string()) ids.emplace(id->get_string());
    else analysis.problems.push_back({file, "/findings/" + std::to_string(i) + "/id", "finding without an id: ignored",
                                      support::ProblemSeverity::Warning});
  }
  for (auto& f : analysis.findings) f.baseline = ids.count(f.id) ? model::BaselineState::Unchanged : model::BaselineState::New;
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
  if (!a.baseline.empty()) applyBaseline(a.baseline, analysis);
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
  const engine::Analysis analysis = analyze(fa);
  if (fa.format == "json") writeJson(analysis, out);
  else if (fa.format == "sarif") writeSarif(analysis, out);
  else writeTable(analysis, out, TableStyle{term.color, term.width});
  writeProblems(analysis.problems, err);
  return hasFatal(analysis.problems) ? kExitUnusable : kExitOk;
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
  const engine::Analysis analysis = analyze(ga);
  const engine::Gate gate = engine::runGate(analysis, ga.policy, ga.today);
  // A policy with errors is not applied half-read: the gate would pass for the wrong reason.
  bool policyUnusable = false;
  for (const auto& p : gate.problems)
    if (p.severity != support::ProblemSeverity::Warning) policyUnusable = true;
  writeProblems(gate.problems, err);
  writeProblems(analysis.problems, err);
  if (policyUnusable) {
    err << "aspm gate: the policy " << ga.policy << " cannot be used; fix the problems above\n";
    return kExitUnusable;
  }
  if (ga.format == "json") writeGateJson(analysis, gate.policy, gate.result, out);
  else if (ga.format == "sarif") writeGateSarif(analysis, gate.policy, gate.result, out);
  else if (ga.format == "markdown") writeGateMarkdown(analysis, gate.policy, gate.result, out);
  else writeGateTable(analysis, gate.policy, gate.result, out, TableStyle{term.color, term.width});
  if (hasFatal(analysis.problems)) return kExitUnusable;
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
