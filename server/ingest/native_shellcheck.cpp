// ShellCheck's JSON reports as a run: ShellCheck has no SARIF output, and unquoted variables and
// unchecked `cd`s in deploy scripts are where many command injections start. Reads `-f json1`
// ({"comments": [...]}, columns in characters with a tab counting one) and the older `-f json`
// (a bare array, tabs expanded to stops of 8), and keeps ShellCheck's suggested fixes.
#include <algorithm>
#include <utility>

#include <boost/json/value.hpp>

#include "ingest/native.h"
#include "ingest/native_common.h"
#include "ingest/native_json.h"

namespace aspm::ingest::native {
namespace {

using json::Need;

std::optional<model::Level> levelOf(std::string_view level) {
  if (level == "error") return model::Level::Error;
  if (level == "warning") return model::Level::Warning;
  if (level == "info" || level == "style") return model::Level::Note;
  return std::nullopt;
}

struct Reader {
  RunBuilder& run;
  LocationBuilder& locations;
  ProblemLog& log;
  ColumnUnit unit;

  // A [start, end) region from the line/column members of `f` (ends exclusive, as ShellCheck
  // writes them).
  model::Region region(json::Fields& f, const model::Location& loc, Need need) {
    model::Region r;
    auto line = f.position("line", need);
    if (!line) return r;
    r.startLine = *line;
    r.endLine = f.position("endLine").value_or(*line);
    if (r.endLine < r.startLine) {
      log.warning(f.pathOf("endLine"), "endLine is before line; it was ignored", "bad-range");
      r.endLine = r.startLine;
    }
    if (auto col = f.position("column")) r.startColumn = locations.column(loc, r.startLine, *col, unit);
    if (auto end = f.position("endColumn")) {
      const std::uint32_t endColumn = locations.column(loc, r.endLine, *end, unit);
      if (r.endLine > r.startLine || endColumn >= r.startColumn) r.endColumn = endColumn;
    }
    return r;
  }

  std::optional<model::Fix> fix(json::Fields& f, const model::Location& loc, const std::string& ruleId) {
    const boost::json::object* fixObject = f.objectAt("fix");
    if (fixObject == nullptr) return std::nullopt;
    json::Fields ff(*fixObject, f.pathOf("fix"), log);
    const boost::json::array* reps = ff.arrayAt("replacements");
    if (reps == nullptr || reps->empty()) return std::nullopt;
    model::ArtifactChange change;
    change.uri = loc.uri;
    change.resolved = loc.resolved;
    for (std::size_t i = 0; i < reps->size(); ++i) {
      const std::string path = json::child(ff.pathOf("replacements"), i);
      if (!(*reps)[i].is_object()) {
        log.warning(path,
                    std::string("expected an object, found ") + json::typeName((*reps)[i]) + "; the fix was dropped",
                    "fix");
        return std::nullopt;
      }
      json::Fields rf((*reps)[i].get_object(), path, log);
      model::Replacement rep;
      rep.deleted = region(rf, loc, Need::Optional);
      auto text = rf.text("replacement");
      // A fix with a part missing would corrupt the script: drop it whole.
      if (!rep.deleted.hasLines() || rep.deleted.startColumn == 0 || !text) {
        log.warning(path, "a replacement needs \"line\", \"column\" and \"replacement\"; the fix was dropped", "fix");
        return std::nullopt;
      }
      if (rep.deleted.endColumn == 0) rep.deleted.endColumn = rep.deleted.startColumn;
      rep.insertedContent = std::move(*text);
      change.replacements.push_back(std::move(rep));
    }
    // ShellCheck lists replacements by precedence; editors apply them by position.
    std::stable_sort(change.replacements.begin(), change.replacements.end(), [](const auto& a, const auto& b) {
      return std::pair(a.deleted.startLine, a.deleted.startColumn) <
             std::pair(b.deleted.startLine, b.deleted.startColumn);
    });
    model::Fix out;
    out.description = "Apply ShellCheck's fix for " + ruleId;
    out.changes.push_back(std::move(change));
    return out;
  }

  void comment(const boost::json::value& entry, const std::string& path, std::uint32_t index) {
    if (!entry.is_object()) {
      log.error(path, std::string("expected an object, found ") + json::typeName(entry) + "; the entry was skipped",
                "entry-type");
      return;
    }
    json::Fields f(entry.get_object(), path, log);
    auto file = f.text("file", Need::Required);
    auto code = f.integer("code", Need::Required);
    if (!file || !code) return;
    if (*code <= 0) {
      log.error(f.pathOf("code"), std::to_string(*code) + " is not a ShellCheck code; the entry was skipped",
                "bad-code");
      return;
    }
    const std::string ruleId = "SC" + std::to_string(*code);
    const std::string levelText = f.text("level").value_or("");
    std::optional<model::Level> level = levelOf(levelText);
    if (!level) {
      log.warning(f.pathOf("level"), "unknown level \"" + levelText + "\"; taken as warning", "level");
      level = model::Level::Warning;
    }
    const std::optional<std::string> message = f.text("message");

    model::Result r = run.newResult(index);
    r.ruleId = ruleId;
    r.rule = run.rule(ruleId, [&](model::Rule& rule) {
      rule.name = ruleId;
      rule.shortDescription = message.value_or("");
      rule.helpUri = "https://www.shellcheck.net/wiki/" + ruleId;
      rule.defaultLevel = *level;
      if (!levelText.empty()) rule.tags.push_back(levelText);
    });
    r.level = *level;
    r.message = message.value_or(ruleId);
    model::Location loc = locations.locate(*file, f.pathOf("file"));
    loc.region = region(f, loc, Need::Optional);
    if (auto fx = fix(f, loc, ruleId)) r.fixes.push_back(std::move(*fx));
    r.locations.push_back(std::move(loc));
    run.add(std::move(r));
  }
};

}  // namespace

support::WithProblems<model::ScanSet> readShellCheck(std::string_view bytes, const std::string& displayPath,
                                                     const IngestOptions& options) {
  support::WithProblems<model::ScanSet> out;
  ProblemLog log(displayPath, out.problems);
  // `-f json` is a bare array of comments, `-f json1` an object holding one: the depth at which a
  // cut-off report is salvaged differs.
  const auto first = bytes.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  const bool bareArray = first != std::string_view::npos && bytes[first] == '[';
  std::optional<boost::json::value> doc = json::parseDocument(bytes, bareArray ? 1 : 2, log);
  const boost::json::array* comments = nullptr;
  std::string base;
  ColumnUnit unit = ColumnUnit::CodePoints;
  if (doc && doc->is_object()) {
    json::Fields root(doc->get_object(), "", log);
    comments = root.arrayAt("comments");
    base = "/comments";
    if (comments == nullptr) log.fatal("/comments", "not a ShellCheck json1 report: no \"comments\" array");
  } else if (doc && doc->is_array()) {
    comments = &doc->get_array();
    unit = ColumnUnit::TabStops8;
  } else if (doc) {
    log.fatal("", std::string("not a ShellCheck report: expected an object, found ") + json::typeName(*doc));
  }
  if (comments == nullptr) {
    log.finish();
    return out;
  }

  RunBuilder run(out.value, displayPath, "shellcheck", "ShellCheck");
  run.run().tool.informationUri = "https://www.shellcheck.net/";
  LocationBuilder locations(options, log);
  Reader reader{run, locations, log, unit};
  for (std::size_t i = 0; i < comments->size(); ++i) {
    const std::string path = json::child(base, i);
    if (log.cancelled(options, path)) break;
    reader.comment((*comments)[i], path, static_cast<std::uint32_t>(i));
  }
  log.finish();
  return out;
}

}  // namespace aspm::ingest::native
