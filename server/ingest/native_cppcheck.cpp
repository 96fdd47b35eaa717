// cppcheck's XML report (`--xml --xml-version=2`, and the old version 1) as a run: cppcheck
// before 2.13 cannot write SARIF, and it is the C/C++ checker most build systems already run.
// Problems name the XML line, as XML has no JSON pointer.
#include <charconv>
#include <cstring>
#include <optional>
#include <utility>

#include <tinyxml2.h>

#include "ingest/native.h"
#include "ingest/native_common.h"
#include "support/text.h"

namespace aspm::ingest::native {
namespace {

std::string lineOf(const tinyxml2::XMLNode& node) {
  return "line " + std::to_string(node.GetLineNum());
}

// An attribute as valid UTF-8 (cppcheck copies source text into messages byte for byte).
std::optional<std::string> attr(const tinyxml2::XMLElement& e, const char* name, ProblemLog& log) {
  const char* v = e.Attribute(name);
  if (v == nullptr) return std::nullopt;
  const std::string_view s(v);
  if (support::isValidUtf8(s)) return std::string(s);
  log.warning(lineOf(e), std::string("invalid UTF-8 in attribute \"") + name + "\" replaced by U+FFFD", "invalid-utf8");
  return support::sanitizeUtf8(s);
}

// A non-negative integer attribute; a malformed value is a warning and reads as absent.
std::optional<std::uint32_t> number(const tinyxml2::XMLElement& e, const char* name, ProblemLog& log) {
  const char* v = e.Attribute(name);
  if (v == nullptr) return std::nullopt;
  const std::string_view s = support::trim(v);
  std::uint32_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size()) {
    log.warning(
        lineOf(e),
        std::string("attribute ") + name + "=\"" + support::sanitizeUtf8(s) + "\" is not a number; it was ignored",
        "bad-number");
    return std::nullopt;
  }
  return n;
}

// cppcheck's severities; style, performance and portability are advice, information is about
// the analysis itself (missing includes, too many configurations), not the code.
std::optional<model::Level> levelOf(std::string_view severity) {
  if (severity == "error") return model::Level::Error;
  if (severity == "warning") return model::Level::Warning;
  if (severity == "style" || severity == "performance" || severity == "portability") return model::Level::Note;
  if (severity == "information" || severity == "debug" || severity == "internal" || severity == "none")
    return model::Level::None;
  return std::nullopt;
}

bool isEntryEnd(std::string_view line) {
  line = support::trim(line);
  if (line.ends_with("</error>")) return true;
  if (line.starts_with("<error ") && line.ends_with("/>")) return true;
  if (line == "<errors>") return true;
  if (line.starts_with("<cppcheck ") && line.ends_with("/>")) return true;
  return line.starts_with("<results") && line.ends_with(">") && !line.ends_with("/>");
}

// cppcheck writes one element per line, streaming, so a killed run leaves a cut-off file. Keep the
// lines before `badLine` up to the last one that completes an entry and close the document.
std::string salvageText(std::string_view text, int badLine) {
  std::size_t keep = 0;
  bool sawErrors = false;
  bool sawResults = false;
  std::size_t pos = 0;
  for (int line = 1; pos < text.size() && (badLine <= 0 || line < badLine); ++line) {
    const auto nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    const std::string_view l = text.substr(pos, end - pos);
    if (isEntryEnd(l)) {
      keep = end;
      if (support::trim(l) == "<errors>") sawErrors = true;
      if (support::trim(l).starts_with("<results")) sawResults = true;
    }
    pos = end;
  }
  if (!sawResults) return {};
  std::string out(text.substr(0, keep));
  out += sawErrors ? "</errors>\n</results>\n" : "</results>\n";
  return out;
}

struct Reader {
  RunBuilder& run;
  LocationBuilder& locations;
  ProblemLog& log;

  std::optional<model::Location> location(const tinyxml2::XMLElement& e) {
    auto file = attr(e, "file", log);
    if (!file || file->empty()) {
      log.warning(lineOf(e), "a location without a file was ignored", "location-file");
      return std::nullopt;
    }
    model::Location loc = locations.locate(*file, lineOf(e));
    // cppcheck counts columns in bytes (a tab is one); 0 means "not given".
    if (auto line = number(e, "line", log); line && *line > 0) {
      loc.region.startLine = *line;
      if (auto col = number(e, "column", log); col && *col > 0) {
        loc.region.startColumn = locations.column(loc, *line, *col, ColumnUnit::Utf8Bytes);
      }
    }
    if (auto info = attr(e, "info", log)) loc.message = std::move(*info);
    return loc;
  }

  // One <error>: version 2 has its locations as children, version 1 its file/line as attributes.
  void error(const tinyxml2::XMLElement& e, std::uint32_t index, bool version2) {
    auto id = attr(e, "id", log);
    if (!id || id->empty()) {
      log.error(lineOf(e), "<error> without an id; the entry was skipped", "missing-id");
      return;
    }
    const std::string severity = attr(e, "severity", log).value_or("");
    const std::string msg = attr(e, "msg", log).value_or("");
    const std::optional<std::string> verbose = attr(e, "verbose", log);
    std::optional<model::Level> level = levelOf(severity);
    if (!level) {
      log.warning(lineOf(e), "unknown severity \"" + severity + "\"; taken as warning", "severity");
      level = model::Level::Warning;
    }

    model::Result r = run.newResult(index);
    r.ruleId = *id;
    r.rule = run.rule(*id, [&](model::Rule& rule) {
      rule.name = *id;
      rule.shortDescription = msg;
      if (verbose && *verbose != msg) rule.fullDescription = *verbose;
      rule.defaultLevel = *level;
      if (!severity.empty()) rule.tags.push_back(severity);
    });
    if (auto cwe = attr(e, "cwe", log)) {
      const std::string id2 = cweIdFromText(*cwe);
      if (id2.empty() && *cwe != "0")
        log.warning(lineOf(e), "cwe=\"" + *cwe + "\" is not a CWE number; it was ignored", "cwe");
      addCwe(run.ruleAt(r.rule), id2);
    }
    r.level = *level;
    r.message = msg.empty() ? verbose.value_or(*id) : msg;
    if (const char* inc = e.Attribute("inconclusive"); inc != nullptr && std::strcmp(inc, "true") == 0) {
      r.tags.push_back("inconclusive");
    }

    if (version2) {
      bool first = true;
      for (const tinyxml2::XMLElement* l = e.FirstChildElement("location"); l != nullptr;
           l = l->NextSiblingElement("location")) {
        // cppcheck lists the place of the error first, then the steps that lead to it.
        auto loc = location(*l);
        if (!loc) continue;
        (first ? r.locations : r.relatedLocations).push_back(std::move(*loc));
        first = false;
      }
    } else if (e.Attribute("file") != nullptr) {
      if (auto loc = location(e)) r.locations.push_back(std::move(*loc));
    }
    run.add(std::move(r));
  }
};

}  // namespace

support::WithProblems<model::ScanSet> readCppcheck(std::string_view bytes, const std::string& displayPath,
                                                   const IngestOptions& options) {
  support::WithProblems<model::ScanSet> out;
  ProblemLog log(displayPath, out.problems);
  tinyxml2::XMLDocument doc(true, tinyxml2::PRESERVE_WHITESPACE);
  if (support::trim(bytes).empty()) {
    log.fatal("", "the report is empty");
    log.finish();
    return out;
  }
  if (doc.Parse(bytes.data(), bytes.size()) != tinyxml2::XML_SUCCESS) {
    const int badLine = doc.ErrorLineNum();
    const std::string what = "line " + std::to_string(badLine);
    const std::string reason = support::sanitizeUtf8(doc.ErrorName());
    const std::string repaired = salvageText(bytes, badLine);
    doc.Clear();
    if (repaired.empty() || doc.Parse(repaired.data(), repaired.size()) != tinyxml2::XML_SUCCESS) {
      log.fatal(what, "not a usable XML report (" + reason + ")");
      log.finish();
      return out;
    }
    log.error(what, "the report is cut short or corrupt here (" + reason + "); entries from here on were not read");
  }
  const tinyxml2::XMLElement* root = doc.RootElement();
  if (root == nullptr || std::strcmp(root->Name(), "results") != 0) {
    log.fatal(root != nullptr ? lineOf(*root) : "line 1", "not a cppcheck report: the root element is not <results>");
    log.finish();
    return out;
  }
  const char* version = root->Attribute("version");
  // Version 1 reports have no version attribute and their entries directly under <results>.
  const bool version2 =
      (version != nullptr && std::strcmp(version, "1") != 0) || root->FirstChildElement("errors") != nullptr;
  if (version2 && version != nullptr && std::strcmp(version, "2") != 0) {
    log.warning(lineOf(*root),
                std::string("unknown report version \"") + support::sanitizeUtf8(version) + "\"; read as version 2");
  }

  RunBuilder run(out.value, displayPath, "cppcheck", "cppcheck");
  run.run().tool.informationUri = "https://cppcheck.sourceforge.io/";
  LocationBuilder locations(options, log);
  Reader reader{run, locations, log};

  const tinyxml2::XMLElement* errors = root;
  if (version2) {
    if (const tinyxml2::XMLElement* tool = root->FirstChildElement("cppcheck")) {
      run.run().tool.version = attr(*tool, "version", log).value_or("");
    }
    errors = root->FirstChildElement("errors");
    if (errors == nullptr) {
      log.fatal(lineOf(*root), "not a cppcheck version 2 report: no <errors> element");
      log.finish();
      return out;
    }
  }
  std::uint32_t index = 0;
  for (const tinyxml2::XMLElement* e = errors->FirstChildElement("error"); e != nullptr;
       e = e->NextSiblingElement("error")) {
    if (log.cancelled(options, lineOf(*e))) break;
    reader.error(*e, index++, version2);
  }
  log.finish();
  return out;
}

}  // namespace aspm::ingest::native
