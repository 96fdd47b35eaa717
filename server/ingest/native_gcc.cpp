// gcc's JSON diagnostics (`-fdiagnostics-format=json`, gcc 10 to 12, which cannot write SARIF)
// as a run, including the static analyzer (-fanalyzer): its execution paths become code flows,
// its CWE metadata the rules' CWEs, and fix-it hints fixes.
//
// gcc prints one JSON array per translation unit, so a build that compiles several files leaves
// several arrays one after another; they are read as one report. Entries are numbered across all
// arrays (SourceRef.result). A top-level "note" that directly follows a diagnostic belongs to it
// (gcc emits some notes outside the diagnostic's group, as in "use after free" + "call to 'free'
// here") and becomes one of its related locations instead of a result of its own.
#include <map>
#include <utility>

#include <boost/json/value.hpp>

#include "ingest/native.h"
#include "ingest/native_common.h"
#include "ingest/native_json.h"

namespace aspm::ingest::native {
namespace {

using json::Need;

std::optional<model::Level> levelOf(std::string_view kind) {
  if (kind == "note") return model::Level::Note;
  if (kind == "warning" || kind == "pedwarn" || kind == "anachronism") return model::Level::Warning;
  if (kind.find("error") != std::string_view::npos || kind.find("sorry") != std::string_view::npos)
    return model::Level::Error;
  return std::nullopt;
}

// A position as gcc writes it: {"file", "line", "column", "byte-column", "display-column"}.
struct Position {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t byteColumn = 0;  // 1-based; 0 when not given
};

struct Reader {
  RunBuilder& run;
  LocationBuilder& locations;
  ProblemLog& log;

  std::optional<Position> position(const boost::json::value* v, const std::string& path, std::int64_t columnOrigin) {
    if (v == nullptr) return std::nullopt;
    if (!v->is_object()) {
      log.warning(path, std::string("expected an object, found ") + json::typeName(*v) + "; it was ignored",
                  "position-type");
      return std::nullopt;
    }
    json::Fields f(v->get_object(), path, log);
    Position p;
    auto file = f.text("file");
    auto line = f.position("line");
    if (!file || file->empty() || !line) {
      log.warning(path, "a position needs \"file\" and \"line\"; it was ignored", "position");
      return std::nullopt;
    }
    p.file = std::move(*file);
    p.line = *line;
    // "byte-column" (gcc 11+) is always 1-based; "column" follows -fdiagnostics-column-unit and
    // -fdiagnostics-column-origin, and counted bytes before gcc 11.
    if (auto b = f.position("byte-column")) {
      p.byteColumn = *b;
    } else if (auto c = f.position("column", Need::Optional, columnOrigin)) {
      p.byteColumn = static_cast<std::uint32_t>(*c + 1 - columnOrigin);
    }
    return p;
  }

  // A location spanning `start` to the inclusive `finish` (a range) or the single character at
  // `start`.
  model::Location location(const Position& start, const std::optional<Position>& finish, const std::string& path) {
    model::Location loc = locations.locate(start.file, path);
    model::Region& r = loc.region;
    r.startLine = start.line;
    r.startColumn = locations.column(loc, start.line, start.byteColumn, ColumnUnit::Utf8Bytes);
    r.endLine = start.line;
    const Position& last = (finish && finish->file == start.file && finish->line >= start.line) ? *finish : start;
    if (last.byteColumn > 0 && start.byteColumn > 0) {
      r.endLine = last.line;
      r.endColumn = locations.columnAfter(loc, last.line, last.byteColumn, ColumnUnit::Utf8Bytes);
    }
    return loc;
  }

  // One entry of "locations": {"caret", "start", "finish", "label"}.
  std::optional<model::Location> range(const boost::json::value& v, const std::string& path, std::int64_t origin) {
    if (!v.is_object()) {
      log.warning(path, std::string("expected an object, found ") + json::typeName(v) + "; it was ignored",
                  "location-type");
      return std::nullopt;
    }
    json::Fields f(v.get_object(), path, log);
    auto caret = position(f.get("caret"), f.pathOf("caret"), origin);
    auto start = position(f.get("start"), f.pathOf("start"), origin);
    auto finish = position(f.get("finish"), f.pathOf("finish"), origin);
    if (!start) start = caret;
    if (!start) {
      log.warning(path, "a location without \"caret\"; it was ignored", "location");
      return std::nullopt;
    }
    model::Location loc = location(*start, finish, path);
    if (auto label = f.text("label")) loc.message = std::move(*label);
    return loc;
  }

  std::vector<model::Location> ranges(json::Fields& f, std::int64_t origin) {
    std::vector<model::Location> out;
    const boost::json::array* locs = f.arrayAt("locations");
    if (locs == nullptr) return out;
    for (std::size_t i = 0; i < locs->size(); ++i) {
      if (auto l = range((*locs)[i], json::child(f.pathOf("locations"), i), origin)) out.push_back(std::move(*l));
    }
    return out;
  }

  // "fixits": [{"start", "next", "string"}]: replace [start, next) by string. All hints of one
  // diagnostic belong together, so they make one fix.
  std::optional<model::Fix> fixits(json::Fields& f, std::int64_t origin, const std::string& description) {
    const boost::json::array* hints = f.arrayAt("fixits");
    if (hints == nullptr || hints->empty()) return std::nullopt;
    std::map<std::string, model::ArtifactChange> changes;
    std::vector<std::string> order;
    for (std::size_t i = 0; i < hints->size(); ++i) {
      const std::string path = json::child(f.pathOf("fixits"), i);
      if (!(*hints)[i].is_object()) {
        log.warning(path,
                    std::string("expected an object, found ") + json::typeName((*hints)[i]) + "; the fix was dropped",
                    "fix");
        return std::nullopt;
      }
      json::Fields hf((*hints)[i].get_object(), path, log);
      auto start = position(hf.get("start"), hf.pathOf("start"), origin);
      auto next = position(hf.get("next"), hf.pathOf("next"), origin);
      auto text = hf.text("string", Need::Required);
      // A fix with a part missing would corrupt the file: drop it whole.
      if (!start || !next || !text || start->byteColumn == 0 || next->byteColumn == 0 || next->file != start->file) {
        log.warning(path, "an incomplete fix-it hint; the fix was dropped", "fix");
        return std::nullopt;
      }
      const model::Location at = locations.locate(start->file, hf.pathOf("start"));
      model::Replacement rep;
      rep.deleted.startLine = start->line;
      rep.deleted.startColumn = locations.column(at, start->line, start->byteColumn, ColumnUnit::Utf8Bytes);
      rep.deleted.endLine = next->line;
      rep.deleted.endColumn = locations.column(at, next->line, next->byteColumn, ColumnUnit::Utf8Bytes);
      rep.insertedContent = std::move(*text);
      auto [it, inserted] = changes.try_emplace(at.uri);
      if (inserted) {
        it->second.uri = at.uri;
        it->second.resolved = at.resolved;
        order.push_back(at.uri);
      }
      it->second.replacements.push_back(std::move(rep));
    }
    model::Fix fix;
    fix.description = description;
    for (const auto& uri : order) fix.changes.push_back(std::move(changes[uri]));
    return fix;
  }

  // Analyzer "path": [{"location", "description", "depth", "function"}] -> one thread flow.
  std::optional<model::CodeFlow> flow(json::Fields& f, std::int64_t origin) {
    const boost::json::array* events = f.arrayAt("path");
    if (events == nullptr || events->empty()) return std::nullopt;
    std::vector<model::ThreadFlowStep> steps;
    for (std::size_t i = 0; i < events->size(); ++i) {
      const std::string path = json::child(f.pathOf("path"), i);
      if (!(*events)[i].is_object()) {
        log.warning(path,
                    std::string("expected an object, found ") + json::typeName((*events)[i]) + "; the step was ignored",
                    "event");
        continue;
      }
      json::Fields ef((*events)[i].get_object(), path, log);
      auto at = position(ef.get("location"), ef.pathOf("location"), origin);
      if (!at) continue;
      model::ThreadFlowStep step;
      step.location = location(*at, std::nullopt, ef.pathOf("location"));
      step.location.message = ef.text("description").value_or("");
      step.location.logicalName = ef.text("function").value_or("");
      if (auto depth = ef.integer("depth"); depth && *depth >= 0 && *depth <= 0xFFFF)
        step.nestingLevel = static_cast<std::uint32_t>(*depth);
      steps.push_back(std::move(step));
    }
    if (steps.empty()) return std::nullopt;
    model::CodeFlow cf;
    cf.threadFlows.push_back(std::move(steps));
    return cf;
  }

  // Children are notes grouped with the diagnostic: related locations, and their fix-its.
  void children(json::Fields& f, model::Result& r) {
    const boost::json::array* kids = f.arrayAt("children");
    if (kids == nullptr) return;
    for (std::size_t i = 0; i < kids->size(); ++i) {
      const std::string path = json::child(f.pathOf("children"), i);
      if (!(*kids)[i].is_object()) {
        log.warning(path, std::string("expected an object, found ") + json::typeName((*kids)[i]) + "; it was ignored",
                    "child");
        continue;
      }
      json::Fields cf((*kids)[i].get_object(), path, log);
      attach(cf, r);
    }
  }

  // Attaches a note (a child, or a top-level note following `r`) to `r`.
  void attach(json::Fields& note, model::Result& r) {
    const std::int64_t origin = note.integer("column-origin").value_or(1);
    const std::string message = note.text("message").value_or("");
    std::vector<model::Location> locs = ranges(note, origin);
    if (!locs.empty()) {
      locs.front().message = locs.front().message.empty() ? message : message + " (" + locs.front().message + ")";
      r.relatedLocations.push_back(std::move(locs.front()));
    }
    if (auto fx = fixits(note, origin, message)) r.fixes.push_back(std::move(*fx));
  }

  // Returns whether a result was added.
  bool diagnostic(json::Fields& f, std::uint32_t index) {
    auto kind = f.text("kind", Need::Required);
    auto message = f.text("message", Need::Required);
    if (!kind || !message) return false;
    std::optional<model::Level> level = levelOf(*kind);
    if (!level) {
      log.warning(f.pathOf("kind"), "unknown kind \"" + *kind + "\"; taken as warning", "kind");
      level = model::Level::Warning;
    }
    const std::int64_t origin = f.integer("column-origin").value_or(1);
    const std::optional<std::string> option = f.text("option");
    const std::optional<std::string> optionUrl = f.text("option_url");
    std::string cwe;
    if (const boost::json::object* meta = f.objectAt("metadata")) {
      json::Fields mf(*meta, f.pathOf("metadata"), log);
      if (auto n = mf.integer("cwe")) cwe = cweId(*n);
    }

    // gcc's own SARIF output names rules by the option ("-Wanalyzer-use-after-free"), and by the
    // kind for diagnostics no option controls; so do we, so both formats key alike.
    const std::string ruleId = option && !option->empty() ? *option : *kind;
    model::Result r = run.newResult(index);
    r.ruleId = ruleId;
    r.rule = run.rule(ruleId, [&](model::Rule& rule) {
      rule.name = ruleId;
      rule.helpUri = optionUrl.value_or("");
      rule.defaultLevel = *level;
      if (ruleId.starts_with("-Wanalyzer-")) rule.tags.push_back("analyzer");
    });
    addCwe(run.ruleAt(r.rule), cwe);
    r.level = *level;
    r.message = *message;
    std::vector<model::Location> locs = ranges(f, origin);
    for (std::size_t i = 0; i < locs.size(); ++i)
      (i == 0 ? r.locations : r.relatedLocations).push_back(std::move(locs[i]));
    children(f, r);
    if (auto cf = flow(f, origin)) r.codeFlows.push_back(std::move(*cf));
    if (auto fx = fixits(f, origin, *message)) r.fixes.insert(r.fixes.begin(), std::move(*fx));
    run.add(std::move(r));
    return true;
  }
};

}  // namespace

support::WithProblems<model::ScanSet> readGcc(std::string_view bytes, const std::string& displayPath,
                                              const IngestOptions& options) {
  support::WithProblems<model::ScanSet> out;
  ProblemLog log(displayPath, out.problems);
  std::vector<json::SequenceValue> arrays = json::parseSequence(bytes, 1, log);
  if (!arrays.empty() && !arrays.front().value.is_array()) {
    log.fatal("", std::string("not a gcc JSON report: expected an array of diagnostics, found ") +
                      json::typeName(arrays.front().value));
    arrays.clear();
  }
  if (arrays.empty()) {
    log.finish();
    return out;
  }
  RunBuilder run(out.value, displayPath, "gcc", "gcc");
  run.run().tool.informationUri = "https://gcc.gnu.org/";
  LocationBuilder locations(options, log);
  Reader reader{run, locations, log};

  std::uint32_t index = 0;
  bool cancelled = false;
  for (const json::SequenceValue& seq : arrays) {
    if (!seq.value.is_array()) {
      log.error(seq.pointerPrefix, std::string("expected an array of diagnostics, found ") + json::typeName(seq.value) +
                                       "; it was skipped");
      continue;
    }
    bool previousAdded = false;
    const boost::json::array& diags = seq.value.get_array();
    for (std::size_t i = 0; i < diags.size(); ++i, ++index) {
      const std::string path = json::child(seq.pointerPrefix, i);
      if (log.cancelled(options, path)) {
        cancelled = true;
        break;
      }
      if (!diags[i].is_object()) {
        log.error(path,
                  std::string("expected an object, found ") + json::typeName(diags[i]) + "; the entry was skipped",
                  "entry-type");
        previousAdded = false;
        continue;
      }
      json::Fields f(diags[i].get_object(), path, log);
      const boost::json::value* kind = f.get("kind");
      const bool isNote = kind != nullptr && kind->is_string() && kind->get_string() == "note";
      if (isNote && previousAdded) {
        reader.attach(f, out.value.results.back());
        continue;
      }
      previousAdded = reader.diagnostic(f, index);
    }
    if (cancelled) break;
  }
  log.finish();
  return out;
}

}  // namespace aspm::ingest::native
