// Building one report's findings and its by-file index.
#include "engine/report.h"

#include <algorithm>

#include "engine/document.h"
#include "engine/statements.h"
#include "mapping/reachability.h"
#include "mapping/remap.h"
#include "mapping/routes.h"
#include "mapping/scan_paths.h"
#include "remediation/suppression.h"
#include "support/text.h"

namespace aspm::engine {
namespace {

std::uint32_t utf16LineLength(const std::string& content, const support::LineIndex& lines, std::uint32_t line) {
  return static_cast<std::uint32_t>(support::utf16Length(support::lineText(content, lines, line)));
}

// Position of a UTF-16 code unit offset in a text.
Position positionOfUtf16Offset(const std::string& content, const support::LineIndex& lines, std::uint64_t offset) {
  for (std::uint32_t line = 0; line < lines.lineCount(); ++line) {
    const std::string_view lt = support::lineText(content, lines, line);
    const std::uint64_t len = support::utf16Length(lt);
    // The line terminator counts too ("\n" is one unit, "\r\n" two).
    const std::size_t end = line + 1 < lines.lineCount() ? lines.lineStart(line + 1) : content.size();
    const std::uint64_t terminator = end - lines.lineStart(line) - lt.size();
    if (offset <= len) return {line, static_cast<std::uint32_t>(offset)};
    if (offset < len + terminator || line + 1 == lines.lineCount()) return {line, static_cast<std::uint32_t>(len)};
    offset -= len + terminator;
  }
  return {};
}

}  // namespace

bool suppressedInText(const Report& report, const model::Finding& f, std::string_view text, std::uint32_t line,
                      std::string_view path) {
  for (std::uint32_t ri : f.results) {
    const model::Result& r = report.scans.results[ri];
    if (remediation::suppressedInSource(report.runOf(r).tool.name, r.ruleId, text, line, path)) return true;
  }
  return false;
}

const model::Rule* Report::ruleOf(const model::Result& r) const {
  const model::Run& run = scans.runs[r.run];
  if (r.rule < 0 || static_cast<std::size_t>(r.rule) >= run.rules.size()) return nullptr;
  return &run.rules[static_cast<std::size_t>(r.rule)];
}

Placement placeRegion(const model::Region& region, const std::string* content, const support::LineIndex* lines) {
  Placement p;
  if (!content) lines = nullptr;
  auto lineLength = [&](std::uint32_t line) -> std::uint32_t {
    return lines ? utf16LineLength(*content, *lines, line) : 0;
  };
  if (region.hasLines()) {
    const std::uint32_t sl = region.startLine - 1;
    const std::uint32_t el = std::max(region.endLine, region.startLine) - 1;
    p.range.start = {sl, region.startColumn > 0 ? region.startColumn - 1 : 0};
    p.range.end.line = el;
    if (region.startColumn == 0) {
      p.wholeLine = true;
      p.range.end.character = lineLength(el);
    } else if (region.endColumn > 0) {
      p.range.end.character = region.endColumn - 1;
    } else {
      // SARIF: an absent endColumn means the end of the end line.
      p.range.end.character = lines ? lineLength(el) : p.range.start.character;
    }
    if (el == sl && p.range.end.character < p.range.start.character) p.range.end.character = p.range.start.character;
    return p;
  }
  if (region.charOffset >= 0 && lines) {
    p.range.start = positionOfUtf16Offset(*content, *lines, static_cast<std::uint64_t>(region.charOffset));
    p.range.end = positionOfUtf16Offset(*content, *lines,
                                        static_cast<std::uint64_t>(region.charOffset + std::max<std::int64_t>(0, region.charLength)));
    return p;
  }
  // No usable region: the finding is about the file; show it on the first line.
  p.wholeLine = true;
  p.range.end.character = lineLength(0);
  return p;
}

std::shared_ptr<const Report> buildReport(std::string file, model::ScanSet scans, support::Problems problems,
                                          const correlate::ContentProvider& content, std::uint64_t bytes,
                                          const correlate::RiskContext* risk, const HistoryMapping* history) {
  auto report = std::make_shared<Report>();
  report->file = std::move(file);
  report->scans = std::move(scans);
  report->problems = std::move(problems);
  report->bytes = bytes;

  correlate::CorrelateOptions options;
  options.content = content;
  options.risk = risk;
  options.statements = statementProvider();
  if (history) {
    options.contentAt = mapping::scannedContent(history->root);
    auto paths = mapping::pathProviders(history->root);
    options.currentPath = std::move(paths.currentPath);
    options.pathHistory = std::move(paths.pathHistory);
  }
  report->findings = correlate::correlate(report->scans, options).findings;
  report->remapped.assign(report->findings.size(), false);
  if (history) {
    report->mappedAt = std::filesystem::file_time_type::clock::now();
    mapping::FindingRemap request;
    request.repoRoot = history->root;
    request.fallbackRevision = history->fallbackRevision;
    auto mapped = mapping::remapFindings(report->scans, report->findings, request);
    report->remapped = std::move(mapped.mapped);
    for (auto& message : mapped.problems)
      report->problems.push_back({history->root, "", std::move(message), support::ProblemSeverity::Warning});
  }
  if (risk) mapping::addDependencySites(report->scans, report->findings, risk->reachability);
  if (history) mapping::placeWebFindings(report->scans, report->findings, history->root);

  for (std::uint32_t i = 0; i < report->findings.size(); ++i) {
    const model::Finding& f = report->findings[i];
    if (f.location && f.location->resolved && !f.results.empty()) report->byPath[f.location->uri].push_back(i);
    if (f.kind == model::FindingKind::Sca)
      for (std::uint32_t k = 0; k < f.relatedLocations.size(); ++k)
        if (f.relatedLocations[k].resolved) report->sitesByPath[f.relatedLocations[k].uri].emplace_back(i, k);
  }
  // Placing needs each file's text and line index once, not once per finding.
  report->placements.resize(report->findings.size());
  for (auto& [path, indices] : report->byPath) {
    const std::shared_ptr<const std::string> text = content ? content(path) : nullptr;
    const std::optional<support::LineIndex> lines = text ? std::optional<support::LineIndex>(*text) : std::nullopt;
    const bool maySuppress = text && mayHaveSuppressionComment(*text);
    for (std::uint32_t i : indices) {
      report->placements[i] = placeRegion(report->findings[i].location->region, text.get(), lines ? &*lines : nullptr);
      model::Finding& f = report->findings[i];
      if (maySuppress && f.state != model::FindingState::Suppressed &&
          suppressedInText(*report, f, *text, report->placements[i].range.start.line, path)) {
        f.state = model::FindingState::Suppressed;
        f.stateNote = kSuppressedInSource;
      }
    }
    std::stable_sort(indices.begin(), indices.end(), [&](std::uint32_t a, std::uint32_t b) {
      return report->placements[a].range.start < report->placements[b].range.start;
    });
  }
  return report;
}

}  // namespace aspm::engine
