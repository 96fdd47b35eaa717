// bandit's JSON report (`bandit -f json`) as a run: Python SAST findings for teams whose bandit
// cannot write SARIF (Debian 12 ships bandit 1.6.2, which has no SARIF formatter and no CWE
// field), mapped to the same rules, levels and CWEs a newer bandit's SARIF output would carry.
#include <array>
#include <map>
#include <utility>

#include <boost/json/value.hpp>

#include "ingest/native.h"
#include "ingest/native_common.h"
#include "ingest/native_json.h"
#include "support/text.h"

namespace aspm::ingest::native {
namespace {

using json::Need;

// bandit >= 1.7.3 states each issue's CWE (`issue_cwe`); older releases do not. For those, the
// CWE that later bandit releases assign to the same test, so findings correlate by CWE whatever
// bandit version produced them. A stated `issue_cwe` always wins.
struct KnownCwe {
  std::string_view test;
  int cwe;
};
constexpr std::array kKnownCwes{
    KnownCwe{"B101", 703}, KnownCwe{"B102", 78},  KnownCwe{"B103", 732}, KnownCwe{"B104", 605}, KnownCwe{"B105", 259},
    KnownCwe{"B106", 259}, KnownCwe{"B107", 259}, KnownCwe{"B108", 377}, KnownCwe{"B110", 703}, KnownCwe{"B112", 703},
    KnownCwe{"B201", 94},  KnownCwe{"B301", 502}, KnownCwe{"B303", 327}, KnownCwe{"B304", 327}, KnownCwe{"B305", 327},
    KnownCwe{"B306", 377}, KnownCwe{"B307", 78},  KnownCwe{"B311", 330}, KnownCwe{"B324", 327}, KnownCwe{"B403", 502},
    KnownCwe{"B404", 78},  KnownCwe{"B501", 295}, KnownCwe{"B506", 20},  KnownCwe{"B602", 78},  KnownCwe{"B603", 78},
    KnownCwe{"B604", 78},  KnownCwe{"B605", 78},  KnownCwe{"B606", 78},  KnownCwe{"B607", 78},  KnownCwe{"B608", 89},
    KnownCwe{"B609", 78},  KnownCwe{"B701", 94},
};

std::string knownCwe(std::string_view test) {
  for (const KnownCwe& k : kKnownCwes)
    if (k.test == test) return cweId(k.cwe);
  return {};
}

// bandit rates every issue twice: severity (how bad if real) and confidence (how likely real).
// Level follows severity alone, as bandit's own SARIF output does: HIGH -> error,
// MEDIUM -> warning, LOW -> note.
//
// The security severity (0..10, the scale of SARIF's `security-severity`, where 9+ is critical,
// 7+ high, 4+ medium, above 0 low) keeps bandit's severity as the band and lets confidence
// order issues inside it, so a guess never outranks a certain issue of the same severity and
// never changes band:
//
//                 confidence HIGH   MEDIUM   LOW
//   severity HIGH            8.5      7.5     7.0
//   severity MEDIUM          6.5      5.5     4.5
//   severity LOW             3.5      2.5     1.5
//
// Severity or confidence UNDEFINED (or anything else) gives no security severity: ranking then
// falls back to the level.
int rating(std::string_view s) {
  const std::string l = asciiLower(s);
  if (l == "high") return 0;
  if (l == "medium") return 1;
  if (l == "low") return 2;
  return -1;
}

std::optional<double> securitySeverity(std::string_view severity, std::string_view confidence) {
  static constexpr double kTable[3][3] = {{8.5, 7.5, 7.0}, {6.5, 5.5, 4.5}, {3.5, 2.5, 1.5}};
  const int s = rating(severity);
  const int c = rating(confidence);
  if (s < 0 || c < 0) return std::nullopt;
  return kTable[s][c];
}

model::Level levelOf(std::string_view severity) {
  switch (rating(severity)) {
    case 0:
      return model::Level::Error;
    case 1:
      return model::Level::Warning;
    case 2:
      return model::Level::Note;
    default:
      return model::Level::Warning;
  }
}

// bandit's `code` is the flagged lines with context, each prefixed by its line number:
// "17     with open(path) as f:\n18         return yaml.load(f)\n".
std::map<std::uint32_t, std::string> codeLines(std::string_view code) {
  std::map<std::uint32_t, std::string> lines;
  while (!code.empty()) {
    const auto nl = code.find('\n');
    std::string_view line = code.substr(0, nl);
    code = nl == std::string_view::npos ? std::string_view() : code.substr(nl + 1);
    std::size_t i = 0;
    std::uint64_t n = 0;
    while (i < line.size() && i < 10 && line[i] >= '0' && line[i] <= '9')
      n = n * 10 + static_cast<unsigned>(line[i++] - '0');
    if (i == 0 || n == 0 || n > 0xFFFFFFFFU) return {};  // not the numbered format: keep nothing
    if (i < line.size() && line[i] == ' ') ++i;
    lines[static_cast<std::uint32_t>(n)] = std::string(line.substr(i));
  }
  return lines;
}

std::string joinLines(const std::map<std::uint32_t, std::string>& lines, std::uint32_t first, std::uint32_t last) {
  std::string out;
  for (auto it = lines.lower_bound(first); it != lines.end() && it->first <= last; ++it) {
    if (!out.empty()) out += '\n';
    out += it->second;
  }
  return out;
}

void readErrors(json::Fields& root, ProblemLog& log) {
  const boost::json::array* errors = root.arrayAt("errors");
  if (errors == nullptr) return;
  for (std::size_t i = 0; i < errors->size(); ++i) {
    const std::string path = json::child("/errors", i);
    const boost::json::value& e = (*errors)[i];
    if (!e.is_object()) {
      log.warning(path, std::string("expected an object, found ") + json::typeName(e));
      continue;
    }
    json::Fields f(e.get_object(), path, log);
    const std::string file = f.text("filename").value_or("?");
    const std::string reason = f.text("reason").value_or("no reason given");
    std::string message = "bandit could not scan ";
    message += file;
    message += ": ";
    message += reason;
    log.warning(path, std::move(message), "bandit-error");
  }
}

}  // namespace

support::WithProblems<model::ScanSet> readBandit(std::string_view bytes, const std::string& displayPath,
                                                 const IngestOptions& options) {
  support::WithProblems<model::ScanSet> out;
  ProblemLog log(displayPath, out.problems);
  std::optional<boost::json::value> doc = json::parseDocument(bytes, 2, log);
  if (doc && !doc->is_object()) {
    log.fatal("", std::string("not a bandit report: expected an object, found ") + json::typeName(*doc));
    doc.reset();
  }
  if (!doc) {
    log.finish();
    return out;
  }
  json::Fields root(doc->get_object(), "", log);
  const boost::json::array* results = root.arrayAt("results");
  if (results == nullptr) {
    log.fatal("/results", "not a bandit report: no \"results\" array");
    log.finish();
    return out;
  }

  RunBuilder run(out.value, displayPath, "bandit", "bandit");
  run.run().tool.informationUri = "https://github.com/PyCQA/bandit";
  LocationBuilder locations(options, log);

  for (std::size_t i = 0; i < results->size(); ++i) {
    const std::string path = json::child("/results", i);
    if (log.cancelled(options, path)) break;
    const boost::json::value& entry = (*results)[i];
    if (!entry.is_object()) {
      log.error(path, std::string("expected an object, found ") + json::typeName(entry) + "; the entry was skipped",
                "entry-type");
      continue;
    }
    json::Fields f(entry.get_object(), path, log);
    auto testId = f.text("test_id", Need::Required);
    auto filename = f.text("filename", Need::Required);
    if (!testId || !filename) continue;
    if (testId->empty()) {
      log.error(f.pathOf("test_id"), "empty test_id; the entry was skipped", "empty-id");
      continue;
    }

    const std::string severity = f.text("issue_severity").value_or("");
    const std::string confidence = f.text("issue_confidence").value_or("");
    const std::optional<std::string> text = f.text("issue_text");
    const std::optional<std::string> testName = f.text("test_name");
    const std::optional<std::string> moreInfo = f.text("more_info");
    std::string cwe;
    if (const boost::json::object* c = f.objectAt("issue_cwe")) {
      json::Fields cf(*c, f.pathOf("issue_cwe"), log);
      if (auto id = cf.integer("id")) cwe = cweId(*id);
    }
    if (cwe.empty()) cwe = knownCwe(*testId);

    model::Result r = run.newResult(static_cast<std::uint32_t>(i));
    r.ruleId = *testId;
    r.rule = run.rule(*testId, [&](model::Rule& rule) {
      rule.name = testName.value_or("");
      rule.shortDescription = text.value_or("");
      rule.helpUri = moreInfo.value_or("");
      rule.defaultLevel = levelOf(severity);
      rule.precision = rating(confidence) >= 0 ? asciiLower(confidence) : std::string();
      rule.tags.push_back("security");
    });
    addCwe(run.ruleAt(r.rule), cwe);
    r.level = levelOf(severity);
    r.securitySeverity = securitySeverity(severity, confidence);
    r.message = text.value_or(*testId);

    model::Location loc = locations.locate(*filename, f.pathOf("filename"));
    if (auto line = f.position("line_number")) {
      model::Region& region = loc.region;
      region.startLine = *line;
      region.endLine = *line;
      std::map<std::uint32_t, std::string> code;
      if (auto c = f.text("code")) code = codeLines(*c);
      if (const boost::json::array* range = f.arrayAt("line_range")) {
        for (const auto& v : *range) {
          auto n = json::asInteger(v);
          if (n && *n > static_cast<std::int64_t>(region.endLine) && *n <= 0xFFFFFFFF)
            region.endLine = static_cast<std::uint32_t>(*n);
        }
        // bandit 1.6 stretches an import's range over the blank line after it.
        while (region.endLine > region.startLine) {
          auto it = code.find(region.endLine);
          if (it == code.end() || !support::trim(it->second).empty()) break;
          --region.endLine;
        }
      }
      // Python's AST columns are 0-based UTF-8 byte offsets; the end is exclusive.
      if (auto col = f.position("col_offset", Need::Optional, 0)) {
        region.startColumn = locations.column(loc, region.startLine, *col + 1, ColumnUnit::Utf8Bytes);
      }
      if (auto end = f.position("end_col_offset", Need::Optional, 0)) {
        const std::uint32_t endColumn = locations.column(loc, region.endLine, *end + 1, ColumnUnit::Utf8Bytes);
        if (region.endLine > region.startLine || endColumn > region.startColumn) region.endColumn = endColumn;
      }
      if (!code.empty()) {
        region.snippet = joinLines(code, region.startLine, region.endLine);
        loc.contextRegion.startLine = code.begin()->first;
        loc.contextRegion.endLine = code.rbegin()->first;
        loc.contextRegion.snippet = joinLines(code, 0, 0xFFFFFFFFU);
      }
    }
    if (f.get("line_number") == nullptr) {
      log.warning(f.pathOf("line_number"), "no line number: the result points at the whole file", "no-line");
    }
    r.locations.push_back(std::move(loc));
    run.add(std::move(r));
  }
  readErrors(root, log);
  log.finish();
  return out;
}

}  // namespace aspm::ingest::native
