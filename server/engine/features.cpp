// Diagnostics and hover over one snapshot. A request touches only the findings indexed under its
// file, so its cost does not grow with the size of the workspace.
#include "engine/features.h"
#include "engine/feature_entries.h"
#include "engine/actions.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <set>
#include <unordered_map>

#include "engine/location_mapper.h"
#include "gitmap/repository.h"
#include "remediation/guidance.h"
#include "syntax/language.h"
#include "support/hash.h"
#include "support/time.h"
#include "support/uri.h"

namespace aspm::engine {
bool visible(const Snapshot& s, const model::Finding& f, bool commentsOnBuffer) {
  const bool byComment = f.state == model::FindingState::Suppressed && f.stateNote == kSuppressedInSource;
  if (f.state == model::FindingState::Triaged) return false;
  if (f.state == model::FindingState::Suppressed && !(commentsOnBuffer && byComment)) return false;
  if (const model::TriageDecision* t = s.triageOf(f); t && triageHides(*t, s.triageAsOf)) return false;
  return f.severity >= s.settings.minSeverity;
}

// A range on the buffer when the document is open (mapped through its edits and clamped to its
// text), else the range on disk. nullopt when the mapper says the code is gone.
std::optional<Range> onBuffer(Range r, bool wholeLine, const OpenDocument* doc, const DocumentMapping* mapping) {
  if (!doc) return r;
  if (!mapping) mapping = doc->mapping.get();
  if (mapping) {
    auto m = mapping->map(r, doc->text);
    if (!m) return std::nullopt;
    r = *m;
  }
  const auto lastLine = static_cast<std::uint32_t>(doc->lines.lineCount() - 1);
  r.start.line = std::min(r.start.line, lastLine);
  r.end.line = std::clamp(r.end.line, r.start.line, lastLine);
  r.start.character = std::min(r.start.character, doc->lineLength16(r.start.line));
  const std::uint32_t endLength = doc->lineLength16(r.end.line);
  r.end.character = wholeLine ? endLength : std::min(r.end.character, endLength);
  if (r.end.line == r.start.line && r.end.character < r.start.character) r.end.character = r.start.character;
  return r;
}

const DocumentMapping* mappingFor(const OpenDocument* doc, const Report& report, const model::Finding& f) {
  if (!doc || !doc->savedMapping || !doc->savedAt || f.results.empty()) return doc ? doc->mapping.get() : nullptr;
  // A finding followed through the history sits on the file as it was when the report was built;
  // any other on the file as it was when its report was written.
  const auto index = static_cast<std::size_t>(&f - report.findings.data());
  if (index < report.remapped.size() && report.remapped[index] && report.mappedAt)
    return *report.mappedAt >= *doc->savedAt ? doc->savedMapping.get() : doc->mapping.get();
  auto it = report.writtenAt.find(report.runOf(report.primary(f)).file);
  if (it != report.writtenAt.end() && it->second >= *doc->savedAt) return doc->savedMapping.get();
  return doc->mapping.get();
}

std::vector<Entry> collect(const Snapshot& s, std::string_view path) {
  std::vector<Entry> out;
  const OpenDocument* doc = s.document(path);
  const std::string key(path);
  for (const auto& report : s.reports) {
    auto it = report->byPath.find(key);
    if (it == report->byPath.end()) continue;
    for (std::uint32_t i : it->second) {
      const model::Finding& f = report->findings[i];
      // On an open buffer, comments are judged on the buffer: added ones hide, removed ones show.
      if (!visible(s, f, doc != nullptr)) continue;
      const Placement& p = report->placements[i];
      auto r = onBuffer(p.range, p.wholeLine, doc, mappingFor(doc, *report, f));
      if (!r) continue;
      if (doc && doc->maySuppress && suppressedInText(*report, f, doc->text, r->start.line, key)) continue;
      out.push_back({report.get(), &f, *r, p.wholeLine});
    }
  }
  return out;
}

std::string toolsOf(const Report& report, const model::Finding& f, std::vector<std::string>& seen) {
  std::string out;
  for (std::uint32_t ri : f.results) {
    const std::string& name = report.runOf(report.scans.results[ri]).tool.name;
    if (name.empty() || std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
    seen.push_back(name);
  }
  for (const auto& n : seen) out += (out.empty() ? "" : "+") + n;
  return out;
}

std::string messageOf(const Report& report, const model::Result& r) {
  if (!r.message.empty()) return r.message;
  if (!r.messageMarkdown.empty()) return r.messageMarkdown;
  if (const model::Rule* rule = report.ruleOf(r)) {
    if (!rule->shortDescription.empty()) return rule->shortDescription;
    if (!rule->fullDescription.empty()) return rule->fullDescription;
  }
  return r.ruleId;
}

namespace {

constexpr std::size_t kMaxRelated = 64;  // code flows can have hundreds of steps

std::optional<RelatedLocation> relatedOf(const Snapshot& s, const model::Location& loc, std::string message) {
  RelatedLocation out;
  out.message = std::move(message);
  if (loc.resolved) {
    out.path = loc.uri;
    const Placement p = placeRegion(loc.region, nullptr, nullptr);
    auto r = onBuffer(p.range, p.wholeLine, s.document(loc.uri));
    if (!r) return std::nullopt;
    out.range = *r;
    return out;
  }
  // Outside the workspace: usable when it names an absolute file.
  if (auto path = support::fileUriToPath(loc.uri)) out.path = *path;
  else if (!loc.uri.empty() && loc.uri.front() == '/') out.path = loc.uri;
  else return std::nullopt;
  out.inWorkspace = false;
  out.range = placeRegion(loc.region, nullptr, nullptr).range;
  return out;
}

void addRelated(const Snapshot& s, const Report& report, const model::Finding& f, std::vector<RelatedLocation>& out) {
  auto push = [&](const model::Location& loc, std::string message) {
    if (out.size() >= kMaxRelated) return;
    if (auto r = relatedOf(s, loc, std::move(message))) out.push_back(std::move(*r));
  };
  const model::Result& primary = report.primary(f);
  for (std::size_t c = 0; c < primary.codeFlows.size(); ++c) {
    const model::CodeFlow& flow = primary.codeFlows[c];
    for (std::size_t t = 0; t < flow.threadFlows.size(); ++t) {
      const auto& steps = flow.threadFlows[t];
      for (std::size_t i = 0; i < steps.size(); ++i) {
        const model::ThreadFlowStep& step = steps[i];
        std::string label = "step " + std::to_string(i + 1);
        if (primary.codeFlows.size() > 1 || flow.threadFlows.size() > 1)
          label = "flow " + std::to_string(c + 1) + (flow.threadFlows.size() > 1 ? "." + std::to_string(t + 1) : "") + ", " + label;
        if (!step.kind.empty()) label += " (" + step.kind + ")";
        push(step.location, step.location.message.empty() ? label : label + ": " + step.location.message);
      }
    }
  }
  for (const model::Location& loc : primary.relatedLocations)
    push(loc, loc.message.empty() ? "related location" : loc.message);
  // Found by aspm: a dependency's import and call sites, a URL's candidate route handlers.
  for (const model::Location& loc : f.relatedLocations) push(loc, loc.message.empty() ? "related location" : loc.message);
  // The same finding as the other tools reported it.
  for (std::size_t k = 1; k < f.results.size(); ++k) {
    const model::Result& other = report.scans.results[f.results[k]];
    if (other.locations.empty()) continue;
    push(other.locations.front(), report.runOf(other).tool.name + " " + other.ruleId + ": " + messageOf(report, other));
  }
}

void hashRange(support::StableHasher& h, const Range& r) {
  // Little-endian bytes of the four numbers, so the id is the same on every platform.
  char bytes[16];
  const std::uint32_t v[4] = {r.start.line, r.start.character, r.end.line, r.end.character};
  for (int i = 0; i < 16; ++i) bytes[i] = static_cast<char>((v[i / 4] >> (8 * (i % 4))) & 0xff);
  h.add(std::string_view(bytes, sizeof bytes));
}

std::string cweLink(const std::string& cwe) {
  const std::string name = remediation::cweName(cwe);
  return "[" + cwe + (name.empty() ? "" : ": " + name) + "](" + remediation::cweUri(cwe) + ")";
}

constexpr std::size_t kHoverFlowSteps = 8;
constexpr std::size_t kHoverHelpChars = 1200;  // long rule help is cut; aspm/explain shows it all

std::string cut(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t end = text.rfind('\n', limit);
  if (end == std::string::npos || end < limit / 2) end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // not inside a UTF-8 sequence
  return text.substr(0, end) + "\n\n…";
}

// "Last changed by Ana Ruiz on 2026-10-02 (3f9c2a1)" for the lines under the hover, judged on
// the buffer (unsaved edits are "not committed yet"); "" outside a git repository.
std::string lastChangedBy(const gitmap::Repository& repo, const std::string& path, const OpenDocument* doc,
                          Range range) {
  const std::string* content = doc ? &doc->text : nullptr;
  auto lines = repo.blame(path, range.start.line + 1, std::max(range.start.line, range.end.line) + 1, content);
  if (!lines || lines.value().empty()) return {};
  const bool anyUncommitted =
      std::any_of(lines.value().begin(), lines.value().end(), [](const gitmap::BlameLine& l) { return !l.committed(); });
  auto owner = gitmap::ownerOf(lines.value());
  if (!owner) return anyUncommitted ? "Changed here, not committed yet." : std::string();
  const std::string date = support::utcDate(std::chrono::system_clock::from_time_t(static_cast<std::time_t>(owner->time)));
  std::string out = "Last changed by " + owner->authorName + " on " + date + " (" + owner->commit.substr(0, 7) + ")";
  if (anyUncommitted) out += "; edited since, not committed yet";
  return out + ".";
}

std::string hoverMarkdown(const Snapshot& snapshot, const Report& report, const model::Finding& f) {
  std::string md;
  std::vector<std::string> tools;
  const std::string source = toolsOf(report, f, tools);
  std::set<std::string> rulesShown;
  for (std::size_t k = 0; k < f.results.size(); ++k) {
    const model::Result& r = report.scans.results[f.results[k]];
    const model::Rule* rule = report.ruleOf(r);
    const std::string tool = report.runOf(r).tool.name;
    if (!rulesShown.insert(tool + "\x1f" + r.ruleId).second) continue;
    if (!md.empty()) md += "\n\n";
    md += "**" + (r.ruleId.empty() ? std::string("(no rule id)") : r.ruleId) + "**";
    if (rule && !rule->name.empty() && rule->name != r.ruleId) md += " " + rule->name;
    md += "\n\n" + tool;
    if (k == 0) {
      md += " · severity **" + std::string(model::toString(f.severity)) + "**";
      if (f.risk.score > 0) {
        md += " · risk **" + std::to_string(f.risk.score) + "**";
        if (!f.risk.bucket.empty()) md += " (" + f.risk.bucket + ")";
      }
      if (!f.cwes.empty()) {
        md += " ·";
        for (std::size_t c = 0; c < f.cwes.size(); ++c) md += (c ? ", " : " ") + cweLink(f.cwes[c]);
      }
    }
    md += "\n\n" + (r.messageMarkdown.empty() ? messageOf(report, r) : r.messageMarkdown);
    if (rule) {
      const std::string& help = !rule->helpMarkdown.empty() ? rule->helpMarkdown
                                : !rule->helpText.empty()   ? rule->helpText
                                                            : rule->fullDescription;
      if (!help.empty() && help != r.message) md += "\n\n" + cut(help, kHoverHelpChars);
      if (!rule->helpUri.empty()) md += "\n\n[Rule documentation](" + rule->helpUri + ")";
    }
  }
  if (tools.size() > 1) md += "\n\n*Reported by " + source + ".*";
  if (!f.risk.explanation.empty()) {
    // The hover names the inputs that moved the score; aspm/explain lists every input.
    md += "\n\n**Risk " + std::to_string(f.risk.score) + "/1000:**";
    std::size_t unknown = 0;
    for (const auto& factor : f.risk.explanation) {
      const bool neutral = factor.effect.starts_with("none") || factor.effect == "x1.00";
      if (neutral && factor.name != "severity") {
        ++unknown;
        continue;
      }
      md += " " + factor.name + " " + factor.value + " (" + factor.effect + ");";
    }
    md.back() = '.';
    if (unknown) md += " " + std::to_string(unknown) + " other inputs unknown or neutral.";
  }
  const model::Result& primary = report.primary(f);
  if (!primary.codeFlows.empty() && !primary.codeFlows.front().threadFlows.empty()) {
    const auto& steps = primary.codeFlows.front().threadFlows.front();
    md += "\n\n**Data flow:**";
    for (std::size_t i = 0; i < steps.size() && i < kHoverFlowSteps; ++i) {
      const auto& st = steps[i];
      md += "\n" + std::to_string(i + 1) + ". line " + std::to_string(st.location.region.startLine);
      if (!st.location.uri.empty() && (!f.location || st.location.uri != f.location->uri)) md += " of `" + st.location.uri + "`";
      if (!st.location.message.empty()) md += ": " + st.location.message;
    }
    if (steps.size() > kHoverFlowSteps) md += "\n\n… " + std::to_string(steps.size() - kHoverFlowSteps) + " more steps";
  }
  if (const remediation::Guidance* g = remediation::bestGuidance(f.cwes)) {
    const auto language = f.location ? syntax::languageForPath(f.location->uri) : std::nullopt;
    md += "\n\n---\n\n" + remediation::guidanceMarkdown(*g, language);
  }
  const model::PreviousId* via = nullptr;
  if (const model::TriageDecision* t = snapshot.triageOf(f, &via)) {
    md += "\n\n**Triage:** " + t->status;
    if (!t->author.empty()) md += " by " + t->author;
    if (!t->at.empty()) md += " on " + t->at.substr(0, 10);
    if (!t->reason.empty()) md += ": " + t->reason;
    if (via) md += " (decided on `" + via->path + "` before the rename)";
  }
  return md;
}

// Where a vulnerable dependency is imported or its vulnerable function called, as hints on the
// importing file, so a developer reading that code sees it. Advisories of one package at one
// line show as one hint (the highest-severity finding's, naming how many more there are).
void addDependencySiteHints(const Snapshot& s, std::string_view path, std::vector<FindingDiagnostic>& items) {
  const OpenDocument* doc = s.document(path);
  const std::string key(path);
  struct Group {
    FindingDiagnostic d;
    model::Severity top = model::Severity::Info;
    std::size_t more = 0;
  };
  std::map<std::pair<std::uint32_t, std::string>, Group> groups;
  for (const auto& report : s.reports) {
    auto it = report->sitesByPath.find(key);
    if (it == report->sitesByPath.end()) continue;
    for (const auto& [fi, k] : it->second) {
      const model::Finding& f = report->findings[fi];
      if (!visible(s, f)) continue;
      const model::Location& loc = f.relatedLocations[k];
      const Placement p = placeRegion(loc.region, nullptr, nullptr);
      auto r = onBuffer(p.range, p.wholeLine, doc);
      if (!r) continue;
      const std::string head = loc.message.substr(0, loc.message.find(';'));
      auto [g, fresh] = groups.try_emplace({r->start.line, head});
      if (!fresh) {
        ++g->second.more;
        if (f.severity <= g->second.top) continue;
      }
      const model::Result& primary = report->primary(f);
      FindingDiagnostic& d = g->second.d;
      g->second.top = f.severity;
      d.range = *r;
      d.severity = model::Severity::Info;
      d.ruleId = primary.ruleId;
      std::vector<std::string> seen;
      d.source = toolsOf(*report, f, seen);
      if (const model::Rule* rule = report->ruleOf(primary)) d.helpUri = rule->helpUri;
      d.message = loc.message;
      d.findingId = f.id;
      d.related.clear();
      if (f.location) {
        if (auto rel = relatedOf(s, *f.location, "the vulnerable dependency: " + messageOf(*report, primary)))
          d.related.push_back(std::move(*rel));
      }
    }
  }
  if (groups.empty()) return;
  // The findings' own diagnostics are in order already: only the hints are sorted, then merged
  // in (sorting everything moved every diagnostic's strings on every keystroke).
  const auto mid = static_cast<std::ptrdiff_t>(items.size());
  for (auto& [where, g] : groups) {
    if (g.more) g.d.message += " (and " + std::to_string(g.more) + " more advisories of this package here)";
    items.push_back(std::move(g.d));
  }
  auto byStart = [](const FindingDiagnostic& a, const FindingDiagnostic& b) { return a.range.start < b.range.start; };
  std::stable_sort(items.begin() + mid, items.end(), byStart);
  std::inplace_merge(items.begin(), items.begin() + mid, items.end(), byStart);
}

bool covers(const Entry& e, Position pos) {
  const Range& r = e.range;
  if (pos.line < r.start.line || pos.line > r.end.line) return false;
  if (e.wholeLine || r.start == r.end || r.start.line != r.end.line) return true;
  return pos.character >= r.start.character && pos.character <= r.end.character;
}

}  // namespace

FileDiagnostics diagnosticsFor(const Snapshot& snapshot, std::string_view path) {
  FileDiagnostics out;
  if (const OpenDocument* doc = snapshot.document(path)) out.version = doc->version;
  // Ordered before the diagnostics are built, so only small entries move.
  std::vector<Entry> entries = collect(snapshot, path);
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.range.start != b.range.start) return a.range.start < b.range.start;
    return a.report->primary(*a.finding).ruleId < b.report->primary(*b.finding).ruleId;
  });
  // The same finding in several reports shows once. Ids are unique within a report, so the
  // index by id (and the tool lists it merges) is needed only when several reports contribute.
  const bool severalReports = std::any_of(entries.begin(), entries.end(),
                                          [&](const Entry& e) { return e.report != entries.front().report; });
  std::unordered_map<std::string_view, std::size_t> byId;
  std::vector<std::vector<std::string>> tools;
  if (severalReports) {
    byId.reserve(entries.size());
    tools.reserve(entries.size());
  }
  out.items.reserve(entries.size());
  for (const Entry& e : entries) {
    const model::Finding& f = *e.finding;
    const model::Result& primary = e.report->primary(f);
    if (severalReports) {
      if (auto it = byId.find(f.id); it != byId.end()) {
        FindingDiagnostic& d = out.items[it->second];
        d.source = toolsOf(*e.report, f, tools[it->second]);
        addRelated(snapshot, *e.report, f, d.related);
        continue;
      }
      byId.emplace(f.id, out.items.size());
    }
    FindingDiagnostic d;
    d.range = e.range;
    d.severity = f.severity;
    d.ruleId = primary.ruleId;
    if (severalReports) {
      d.source = toolsOf(*e.report, f, tools.emplace_back());
    } else if (f.results.size() == 1) {
      d.source = e.report->runOf(primary).tool.name;  // one tool: nothing to join
    } else {
      std::vector<std::string> seen;
      d.source = toolsOf(*e.report, f, seen);
    }
    if (const model::Rule* rule = e.report->ruleOf(primary)) d.helpUri = rule->helpUri;
    d.message = messageOf(*e.report, primary);
    d.findingId = f.id;
    addRelated(snapshot, *e.report, f, d.related);
    out.items.push_back(std::move(d));
  }
  addDependencySiteHints(snapshot, path, out.items);
  support::StableHasher h;
  h.add("aspm-diagnostics-1");
  for (const auto& d : out.items) {
    hashRange(h, d.range);
    h.add(model::toString(d.severity)).add(d.ruleId).add(d.source).add(d.helpUri).add(d.message).add(d.findingId);
    for (const auto& r : d.related) {
      h.add(r.path).add(r.inWorkspace ? "w" : "a").add(r.message);
      hashRange(h, r.range);
    }
  }
  out.resultId = support::toHex(h.value());
  return out;
}

std::optional<HoverInfo> hoverAt(const Snapshot& snapshot, std::string_view path, Position position,
                                 const TriageHistory& history) {
  std::optional<HoverInfo> out;
  std::set<std::string> shown;
  // Opened once per hover, and only for workspace files, when a finding is under the cursor.
  std::optional<gitmap::Result<gitmap::Repository>> repo;
  const std::string key(path);
  for (const Entry& e : collect(snapshot, path)) {
    if (!covers(e, position) || !shown.insert(e.finding->id).second) continue;
    if (!out) {
      out.emplace();
      out->range = e.range;
    } else {
      out->markdown += "\n\n---\n\n";
    }
    out->markdown += hoverMarkdown(snapshot, *e.report, *e.finding);
    if (!key.empty() && key.front() != '/') {
      if (!repo) repo.emplace(gitmap::Repository::open(snapshot.root));
      if (*repo) {
        const std::string who = lastChangedBy(repo->value(), key, snapshot.document(path), e.range);
        if (!who.empty()) out->markdown += "\n\n*" + who + "*";
      }
    }
    if (history) {
      const auto decisions = history(e.finding->id);
      if (!decisions.empty()) {
        out->markdown += "\n\n**Triage history:**";
        for (const auto& d : decisions) {
          out->markdown += "\n- " + d.at.substr(0, 10) + " " + d.status;
          if (!d.author.empty()) out->markdown += " by " + d.author;
          if (!d.reason.empty()) out->markdown += ": " + d.reason;
        }
      }
    }
  }
  return out;
}

std::vector<std::string> filesWithFindings(const Snapshot& snapshot) {
  std::set<std::string> paths;
  for (const auto& report : snapshot.reports) {
    for (const auto& [path, sites] : report->sitesByPath)
      if (std::any_of(sites.begin(), sites.end(), [&](const auto& site) { return visible(snapshot, report->findings[site.first]); }))
        paths.insert(path);
    for (const auto& [path, indices] : report->byPath) {
      if (paths.contains(path)) continue;
      if (std::any_of(indices.begin(), indices.end(),
                      [&](std::uint32_t i) { return visible(snapshot, report->findings[i]); }))
        paths.insert(path);
    }
  }
  return {paths.begin(), paths.end()};
}

std::vector<std::string> pathsOf(const Report& report) {
  std::vector<std::string> out;
  out.reserve(report.byPath.size());
  for (const auto& [path, indices] : report.byPath) out.push_back(path);
  for (const auto& [path, sites] : report.sitesByPath)
    if (!report.byPath.contains(path)) out.push_back(path);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace aspm::engine
