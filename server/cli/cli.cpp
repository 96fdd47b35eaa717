// Command dispatch and argument parsing for `aspm`.
#include "cli/cli.h"

#include <iostream>
#include <optional>
#include <sstream>

#include "cli/output.h"
#include "engine/analysis.h"

namespace aspm::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitUnusable = 2;

const char* const kUsage =
    "usage: aspm <command> [options]\n"
    "\n"
    "commands:\n"
    "  findings   ingest scanner reports, correlate, and print findings, highest risk first\n"
    "\n"
    "aspm findings [--repo DIR] [--sarif PATH]... [--config FILE] [--format table|json|sarif]\n"
    "  --repo DIR      repository whose working tree the findings are placed in (default: .)\n"
    "  --sarif PATH    a report file, directory or glob (repeatable; default: .aspm/**/*.sarif, **/*.sarif)\n"
    "  --config FILE   configuration file (default: DIR/.aspm/config.yaml when present)\n"
    "  --format F      table (default), json or sarif\n"
    "\n"
    "exit status: 0 success, 2 unusable input\n";

struct FindingsArgs {
  std::string repo = ".";
  std::vector<std::string> inputs;
  std::string config;
  std::string format = "table";
};

// Parses "--name value" and "--name=value". Returns an error message on bad usage.
std::optional<std::string> parseFindingsArgs(const std::vector<std::string>& args, std::size_t start,
                                             FindingsArgs& out) {
  for (std::size_t i = start; i < args.size(); ++i) {
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
    if (a == "--repo") err = take(out.repo);
    else if (a == "--sarif" || a == "--input") {
      std::string v;
      err = take(v);
      out.inputs.push_back(v);
    } else if (a == "--config") err = take(out.config);
    else if (a == "--format") {
      err = take(out.format);
      if (!err && out.format != "table" && out.format != "json" && out.format != "sarif")
        err = "unknown format '" + out.format + "' (expected table, json or sarif)";
    } else if (!a.starts_with("-")) out.inputs.push_back(a);
    else err = "unknown option " + a;
    if (err) return err;
  }
  return std::nullopt;
}

int runFindings(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  FindingsArgs fa;
  if (auto e = parseFindingsArgs(args, 1, fa)) {
    err << "aspm findings: " << *e << "\n\n" << kUsage;
    return kExitUnusable;
  }
  engine::AnalysisOptions opts;
  opts.repoRoot = fa.repo;
  opts.inputs = fa.inputs;
  const engine::Analysis analysis = engine::analyze(opts);

  bool unusable = false;
  for (const auto& p : analysis.problems) {
    if (p.severity == support::ProblemSeverity::Fatal) unusable = true;
  }
  if (fa.format == "json") writeJson(analysis, out);
  else if (fa.format == "sarif") writeSarif(analysis, out);
  else writeTable(analysis, out);
  writeProblems(analysis.problems, err);
  return unusable ? kExitUnusable : kExitOk;
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? kExitUnusable : kExitOk;
  }
  if (args[0] == "--version") {
    out << "aspm 0.1.0\n";
    return kExitOk;
  }
  if (args[0] == "findings") return runFindings(args, out, err);
  err << "aspm: unknown command '" << args[0] << "'\n\n" << kUsage;
  return kExitUnusable;
}

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::ios::sync_with_stdio(false);
  return run(args, std::cout, std::cerr);
}

}  // namespace aspm::cli
