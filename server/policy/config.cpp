// Reading `.aspm/config.yaml` (format in docs/risk.md).
#include "policy/config.h"

#include "policy/yaml_util.h"
#include "support/file.h"

namespace aspm::policy {

support::WithProblems<Config> parseConfig(std::string_view text, const std::string& displayPath) {
  support::WithProblems<Config> out;
  yaml::Reader rd(displayPath, out.problems);
  const std::optional<YAML::Node> doc = yaml::parseDocument(text, displayPath, out.problems);
  if (!doc) return out;
  const YAML::Node& root = *doc;
  if (root.IsNull()) return out;
  if (!root.IsMap()) {
    rd.error(root, "the configuration must be a mapping (applications:, intel:)", support::ProblemSeverity::Fatal);
    return out;
  }
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>("");
    const YAML::Node& v = kv.second;
    if (key == "applications") {
      if (!v.IsSequence()) {
        rd.error(v, "applications: expected a list");
        continue;
      }
      for (const auto& a : v) {
        if (!a.IsMap()) {
          rd.error(a, "applications: each entry must be a mapping with name and paths");
          continue;
        }
        correlate::Application app;
        app.source = displayPath + ":" + std::to_string(a.Mark().line + 1);
        for (const auto& f : a) {
          const std::string k = f.first.as<std::string>("");
          if (k == "name") app.name = rd.string(f.second, "name").value_or("");
          else if (k == "paths") app.paths = rd.strings(f.second, "paths");
          else if (k == "criticality") {
            app.criticality = rd.string(f.second, "criticality").value_or("");
            if (app.criticality != "low" && app.criticality != "medium" && app.criticality != "high" &&
                app.criticality != "critical") {
              rd.error(f.second, "criticality: expected low, medium, high or critical");
              app.criticality.clear();
            }
          } else if (k == "data" || k == "data_sensitivity") app.dataSensitivity = rd.string(f.second, k).value_or("");
          else if (k == "internet_facing") app.internetFacing = rd.boolean(f.second, "internet_facing");
          else rd.error(f.first, "unknown application key '" + k + "' (name, paths, criticality, data, internet_facing)",
                        support::ProblemSeverity::Warning);
        }
        if (app.paths.empty()) rd.error(a, "application '" + app.name + "' has no paths: it matches nothing");
        out.value.applications.push_back(std::move(app));
      }
    } else if (key == "intel") {
      if (!v.IsMap()) {
        rd.error(v, "intel: expected a mapping (epss:, kev:)");
        continue;
      }
      for (const auto& f : v) {
        const std::string k = f.first.as<std::string>("");
        if (k == "epss") out.value.epssFile = rd.string(f.second, "epss").value_or("");
        else if (k == "kev") out.value.kevFile = rd.string(f.second, "kev").value_or("");
        else rd.error(f.first, "unknown intel key '" + k + "' (epss, kev)", support::ProblemSeverity::Warning);
      }
    } else {
      // Other sections belong to other features (store, sarif globs...): not ours to judge.
    }
  }
  return out;
}

support::WithProblems<Config> loadConfig(const std::string& path) {
  return yaml::loadFile<Config>(path, "configuration", parseConfig);
}

}  // namespace aspm::policy
