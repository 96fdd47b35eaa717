// Code actions, the explanation of a finding and the findings list. Edits are computed against
// the text the editor has (the open buffer, else the file on disk), so a fix the scanner wrote
// for an older text is either moved to where that code is now or refused with the reason.
#include "engine/actions.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>

#include "engine/feature_entries.h"
#include "engine/location_mapper.h"
#include "remediation/guidance.h"
#include "remediation/manifest.h"
#include "remediation/suppression.h"
#include "support/file.h"
#include "support/text.h"
#include "support/time.h"
#include "syntax/anchor.h"
#include "syntax/document.h"
#include "syntax/language.h"

namespace aspm::engine {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kMaxFlowSteps = 20;  // an explanation lists at most this many data-flow steps

// The text an edit must apply to: the open buffer, else the file on disk.
struct Text {
  std::string text;
  bool open = false;
  const OpenDocument* doc = nullptr;
};

std::optional<std::string> diskText(const Snapshot& s, const std::string& path) {
  if (!path.empty() && path.front() == '/') return support::readFile(path);
  return support::readFile(s.root + "/" + path);
}

std::optional<Text> currentText(const Snapshot& s, const std::string& path) {
  if (const OpenDocument* doc = s.document(path)) return Text{doc->text, true, doc};
  if (auto t = diskText(s, path)) return Text{std::move(*t), false, nullptr};
  return std::nullopt;
}

// A SARIF deleted region on the disk text. Lines without columns cover whole lines including
// their terminators (SARIF 3.30: a region given by lines alone is the entire lines).
std::optional<std::pair<std::size_t, std::size_t>> regionBytes(const std::string& text, const support::LineIndex& lines,
                                                               const model::Region& region) {
  if (region.hasLines()) {
    const std::uint32_t sl = region.startLine - 1;
    const std::uint32_t el = std::max(region.endLine, region.startLine) - 1;
    if (sl >= lines.lineCount()) return std::nullopt;
    if (region.startColumn == 0) {
      const std::size_t begin = lines.lineStart(sl);
      const std::size_t end = el + 1 < lines.lineCount() ? lines.lineStart(el + 1) : text.size();
      return std::make_pair(begin, end);
    }
    const Placement p = placeRegion(region, &text, &lines);
    const std::size_t begin = byteOffset(text, lines, p.range.start);
    const std::size_t end = byteOffset(text, lines, p.range.end);
    return std::make_pair(begin, std::max(begin, end));
  }
  if (region.charOffset >= 0) {
    // Character offsets count UTF-16 units from the start of the file.
    const Placement p = placeRegion(region, &text, &lines);
    const std::size_t begin = byteOffset(text, lines, p.range.start);
    const std::size_t end = byteOffset(text, lines, p.range.end);
    return std::make_pair(begin, std::max(begin, end));
  }
  return std::nullopt;
}

std::string trimmed(std::string_view s) { return std::string(support::trim(s)); }

// Whether the file on disk still has the code the scanner saw at `region` (when it quoted it).
bool sameAsScanned(const std::string& disk, const support::LineIndex& lines, const model::Region& region) {
  const std::string snippet = trimmed(region.snippet);
  if (snippet.empty() || !region.hasLines()) return true;
  auto bytes = regionBytes(disk, lines, region);
  if (!bytes) return false;
  const std::string now = trimmed(std::string_view(disk).substr(bytes->first, bytes->second - bytes->first));
  if (now == snippet) return true;
  // Scanners quote the region or its whole lines.
  model::Region whole = region;
  whole.startColumn = whole.endColumn = 0;
  auto lineBytes = regionBytes(disk, lines, whole);
  return lineBytes && trimmed(std::string_view(disk).substr(lineBytes->first, lineBytes->second - lineBytes->first)) == snippet;
}

// The scanner's fix, moved onto the current text; or the reason it no longer applies.
FindingAction fixAction(const Snapshot& s, const model::Finding& f, const model::Result& result, const model::Fix& fix,
                        const std::string& toolName) {
  FindingAction a;
  a.kind = ActionKind::Fix;
  a.findingId = f.id;
  a.preferred = true;
  a.title = fix.description.empty() ? "Apply " + toolName + "'s fix" : fix.description;
  if (!fix.description.empty() && fix.description.find(toolName) == std::string::npos) a.title += " (" + toolName + ")";
  auto refuse = [&](std::string why) {
    a.edits.clear();
    a.disabledReason = std::move(why);
    return a;
  };
  if (f.state == model::FindingState::Stale || f.state == model::FindingState::Gone)
    return refuse("the code this finding points at has changed since the scan");
  if (fix.changes.empty()) return refuse("the fix has no changes");
  std::vector<std::string> replaced;  // the text each edit replaces
  for (const model::ArtifactChange& change : fix.changes) {
    if (!change.resolved) return refuse("the fix edits " + change.uri + ", which is not in this workspace");
    auto disk = diskText(s, change.uri);
    if (!disk) return refuse(change.uri + " does not exist any more");
    const support::LineIndex diskLines(*disk);
    for (const model::Location& loc : result.locations)
      if (loc.resolved && loc.uri == change.uri && !sameAsScanned(*disk, diskLines, loc.region))
        return refuse(change.uri + " changed since the scan: line " + std::to_string(loc.region.startLine) +
                      " is not what the scanner saw");
    const OpenDocument* doc = s.document(change.uri);
    for (const model::Replacement& rep : change.replacements) {
      auto bytes = regionBytes(*disk, diskLines, rep.deleted);
      if (!bytes) return refuse("the fix's region " + std::to_string(rep.deleted.startLine) + " is outside " + change.uri);
      const std::string_view was = std::string_view(*disk).substr(bytes->first, bytes->second - bytes->first);
      if (!rep.deleted.snippet.empty() && trimmed(rep.deleted.snippet) != trimmed(was))
        return refuse(change.uri + " changed since the scan: the code the fix replaces is not there any more");
      Range range{positionOf(*disk, diskLines, bytes->first), positionOf(*disk, diskLines, bytes->second)};
      if (doc) {
        // Carry the range through the editor's edits, then check the buffer still has that code.
        auto mapped = doc->mapping ? doc->mapping->map(range, doc->text) : std::optional<Range>(range);
        if (!mapped) return refuse("the code the fix replaces was edited in " + change.uri);
        const std::size_t b = byteOffset(doc->text, doc->lines, mapped->start);
        const std::size_t e = byteOffset(doc->text, doc->lines, mapped->end);
        if (e < b || std::string_view(doc->text).substr(b, e - b) != was)
          return refuse("the code the fix replaces was edited in " + change.uri);
        range = *mapped;
      }
      a.edits.push_back({change.uri, range, rep.insertedContent});
      replaced.emplace_back(was);
    }
  }
  // One short replacement reads best as what it does: "Replace `%d` with `%ld` (gcc)".
  auto shortText = [](std::string_view t) { return t.size() <= 40 && t.find('\n') == std::string_view::npos; };
  if (a.edits.size() == 1 && shortText(replaced.front()) && shortText(a.edits.front().newText)) {
    const std::string& by = a.edits.front().newText;
    const std::string& was = replaced.front();
    if (!was.empty() && !by.empty()) a.title = "Replace `" + was + "` with `" + by + "` (" + toolName + ")";
    else if (!by.empty()) a.title = "Insert `" + by + "` (" + toolName + ")";
    else if (!was.empty()) a.title = "Delete `" + was + "` (" + toolName + ")";
  }
  return a;
}

// "lodash@4.17.21" -> {"lodash", "4.17.21"}; "@scope/pkg@1.0.0" keeps the scope.
std::optional<std::pair<std::string, std::string>> splitFixGroup(const std::string& group) {
  const auto at = group.rfind('@');
  if (at == std::string::npos || at == 0) return std::nullopt;
  std::string version = group.substr(at + 1);
  if (version.empty() || version.front() == '(') return std::nullopt;  // "(no fix)"
  return std::make_pair(group.substr(0, at), std::move(version));
}

// One upgrade for every finding about a package: the highest fixed version among them, and how
// many findings it fixes.
struct PackageUpgrade {
  std::string version;
  std::size_t fixes = 0;
};
PackageUpgrade packageUpgrade(const Snapshot& s, const std::string& package) {
  PackageUpgrade out;
  for (const auto& report : s.reports)
    for (const auto& f : report->findings) {
      if (f.kind != model::FindingKind::Sca || f.fixGroup.empty() || !visible(s, f)) continue;
      auto parts = splitFixGroup(f.fixGroup);
      if (!parts || parts->first != package) continue;
      ++out.fixes;
      if (out.version.empty() || remediation::compareVersions(parts->second, out.version) > 0) out.version = parts->second;
    }
  return out;
}

std::string fixesSuffix(std::size_t n) { return n > 1 ? " (fixes " + std::to_string(n) + " findings)" : ""; }

// Manifests that may declare the package: the finding's own file when it is one, else the
// manifests beside it (an SCA finding often points at a lock file).
std::vector<std::string> manifestCandidates(const Snapshot& s, const std::string& path) {
  std::vector<std::string> out;
  if (remediation::isManifest(path)) out.push_back(path);
  const fs::path rel(path);
  const fs::path dir = rel.parent_path();
  std::error_code ec;
  std::vector<std::string> siblings;
  for (const auto& entry : fs::directory_iterator(fs::path(s.root) / dir, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    const std::string name = entry.path().filename().string();
    const std::string sibling = dir.empty() ? name : (dir / name).generic_string();
    if (sibling != path && remediation::isManifest(sibling)) siblings.push_back(sibling);
  }
  std::sort(siblings.begin(), siblings.end());
  out.insert(out.end(), siblings.begin(), siblings.end());
  return out;
}

std::optional<FindingAction> upgradeAction(const Snapshot& s, const model::Finding& f, bool lazy) {
  if (f.fixGroup.empty() || !f.location) return std::nullopt;
  auto parts = splitFixGroup(f.fixGroup);
  if (!parts) return std::nullopt;
  const PackageUpgrade upgrade = packageUpgrade(s, parts->first);
  if (!upgrade.version.empty()) parts->second = upgrade.version;
  const std::size_t fixes = upgrade.fixes;
  if (lazy) {
    // Listing only: which manifest declares the package, and how, is read when the editor
    // resolves the action.
    if (manifestCandidates(s, f.location->uri).empty()) return std::nullopt;
    FindingAction a;
    a.kind = ActionKind::Upgrade;
    a.findingId = f.id;
    a.preferred = true;
    a.resolvable = true;
    a.title = "Upgrade " + parts->first + " to " + parts->second + fixesSuffix(fixes);
    return a;
  }
  std::string lastError;
  for (const std::string& manifest : manifestCandidates(s, f.location->uri)) {
    auto text = currentText(s, manifest);
    if (!text) continue;
    auto edit = remediation::upgradeDependency(manifest, text->text, parts->first, parts->second);
    if (!edit) {
      lastError = edit.error;
      continue;
    }
    FindingAction a;
    a.kind = ActionKind::Upgrade;
    a.findingId = f.id;
    a.preferred = true;
    a.title = edit->title + fixesSuffix(fixes);
    a.note = edit->note;
    for (const auto& e : edit->edits)
      a.edits.push_back({manifest, Range{{e.startLine, e.startCharacter}, {e.endLine, e.endCharacter}}, e.newText});
    return a;
  }
  if (lastError.empty()) return std::nullopt;
  FindingAction a;
  a.kind = ActionKind::Upgrade;
  a.findingId = f.id;
  a.title = "Upgrade " + parts->first + " to " + parts->second;
  a.disabledReason = lastError;
  return a;
}

std::vector<FindingAction> suppressActions(const Snapshot& s, const Entry& e, const std::string& path) {
  std::vector<FindingAction> out;
  auto text = currentText(s, path);
  if (!text) return out;
  std::set<std::string> seen;
  for (std::uint32_t ri : e.finding->results) {
    const model::Result& r = e.report->scans.results[ri];
    const std::string& tool = e.report->runOf(r).tool.name;
    if (!seen.insert(tool + "\x1f" + r.ruleId).second) continue;
    remediation::SuppressionRequest req;
    req.tool = tool;
    req.ruleId = r.ruleId;
    req.path = path;
    req.fileText = text->text;
    req.line = e.range.start.line;
    auto edit = remediation::suppressionFor(req);
    if (!edit) continue;  // a tool without an in-source syntax: triage is the way to hide it
    FindingAction a;
    a.kind = ActionKind::Suppress;
    a.findingId = e.finding->id;
    a.title = edit->title;
    const auto& t = edit->edit;
    a.edits.push_back({path, Range{{t.startLine, t.startCharacter}, {t.endLine, t.endCharacter}}, t.newText});
    out.push_back(std::move(a));
  }
  return out;
}

void triageActions(const Snapshot& s, const model::Finding& f, std::vector<FindingAction>& out) {
  auto add = [&](std::string status, std::string title) {
    FindingAction a;
    a.kind = ActionKind::Triage;
    a.findingId = f.id;
    a.triageStatus = std::move(status);
    a.title = std::move(title);
    out.push_back(std::move(a));
  };
  const model::TriageDecision* t = s.triageOf(f);
  if (t && t->status != "open") {
    add("open", "Reopen finding (now: " + t->status + ")");
    return;
  }
  add("false_positive", "Mark as false positive");
  add("accepted_risk", "Accept risk…");
  add("wont_fix", "Mark as won't fix");
}

bool overlaps(const Range& a, const Range& b) {
  if (a.end.line < b.start.line || b.end.line < a.start.line) return false;
  return true;  // line granularity: a cursor anywhere on a finding's lines offers its actions
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int severityRank(model::Severity s) { return static_cast<int>(s); }

std::string stateOf(const Snapshot& s, const model::Finding& f) {
  if (const model::TriageDecision* t = s.triageOf(f); t && triageHides(*t, s.triageAsOf)) return "triaged";
  return model::toString(f.state);
}

std::string codeBlock(std::string_view text) {
  std::string fence = "```";
  while (text.find(fence) != std::string_view::npos) fence += '`';
  return fence + "\n" + std::string(text) + "\n" + fence;
}

}  // namespace

bool triageHides(const model::TriageDecision& d, std::string_view nowUtc) {
  if (d.status == "false_positive" || d.status == "wont_fix") return true;
  if (d.status == "accepted_risk") return d.expires.empty() || nowUtc.empty() || std::string_view(d.expires) > nowUtc;
  return false;
}

std::string nowRfc3339() { return support::utcTimestamp(std::chrono::system_clock::now()); }

std::vector<FindingAction> codeActionsAt(const Snapshot& snapshot, std::string_view path, Range range,
                                         const std::vector<std::string>& findingIds, bool withTriage, bool lazyUpgrades) {
  std::vector<FindingAction> out;
  const std::string key(path);
  std::set<std::string> done;
  std::set<std::string> upgradeGroups;
  std::vector<FindingAction> triage;
  for (const Entry& e : collect(snapshot, path)) {
    const model::Finding& f = *e.finding;
    if (!findingIds.empty() && std::find(findingIds.begin(), findingIds.end(), f.id) == findingIds.end()) continue;
    if (findingIds.empty() && !overlaps(e.range, range)) continue;
    if (!done.insert(f.id).second) continue;
    // The scanners' own fixes first: they are the most precise edit there is.
    std::set<std::string> fixTitles;
    for (std::uint32_t ri : f.results) {
      const model::Result& r = e.report->scans.results[ri];
      for (const model::Fix& fix : r.fixes) {
        if (fix.changes.empty()) continue;  // advice only: shown in the explanation, nothing to apply
        FindingAction a = fixAction(snapshot, f, r, fix, e.report->runOf(r).tool.name);
        if (fixTitles.insert(a.title).second) out.push_back(std::move(a));
      }
    }
    if (auto parts = f.kind == model::FindingKind::Sca ? splitFixGroup(f.fixGroup) : std::nullopt;
        parts && upgradeGroups.insert(parts->first).second)
      if (auto a = upgradeAction(snapshot, f, lazyUpgrades)) out.push_back(std::move(*a));
    for (auto& a : suppressActions(snapshot, e, key)) out.push_back(std::move(a));
    if (withTriage) triageActions(snapshot, f, triage);
  }
  // On a manifest: the upgrades of SCA findings about packages it declares, offered on the line
  // of the declaration (scanners often report them on the lock file or without a location).
  if (remediation::isManifest(key)) {
    if (auto text = currentText(snapshot, key)) {
      const std::string dir = fs::path(key).parent_path().generic_string();
      for (const auto& report : snapshot.reports) {
        for (const auto& f : report->findings) {
          if (f.kind != model::FindingKind::Sca || f.fixGroup.empty() || !visible(snapshot, f)) continue;
          if (f.location && fs::path(f.location->uri).parent_path().generic_string() != dir) continue;
          auto parts = splitFixGroup(f.fixGroup);
          if (!parts || upgradeGroups.contains(parts->first)) continue;
          const PackageUpgrade upgrade = packageUpgrade(snapshot, parts->first);
          parts->second = upgrade.version;
          auto edit = remediation::upgradeDependency(key, text->text, parts->first, parts->second);
          if (!edit || edit->edits.empty()) continue;
          const bool onRange = std::any_of(edit->edits.begin(), edit->edits.end(), [&](const remediation::TextEdit& e) {
            return e.startLine <= range.end.line && e.endLine >= range.start.line;
          });
          if (!onRange) continue;
          upgradeGroups.insert(parts->first);
          FindingAction a;
          a.kind = ActionKind::Upgrade;
          a.findingId = f.id;
          a.preferred = true;
          a.title = edit->title + fixesSuffix(upgrade.fixes);
          a.note = edit->note;
          for (const auto& e : edit->edits)
            a.edits.push_back({key, Range{{e.startLine, e.startCharacter}, {e.endLine, e.endCharacter}}, e.newText});
          out.push_back(std::move(a));
        }
      }
    }
  }
  for (auto& a : triage) out.push_back(std::move(a));
  return out;
}

std::optional<FindingAction> resolveUpgrade(const Snapshot& snapshot, std::string_view findingId) {
  auto ref = findFinding(snapshot, findingId);
  if (!ref || ref->finding->kind != model::FindingKind::Sca) return std::nullopt;
  return upgradeAction(snapshot, *ref->finding, false);
}

std::optional<FindingRef> findFinding(const Snapshot& snapshot, std::string_view findingId) {
  for (const auto& report : snapshot.reports)
    for (const auto& f : report->findings)
      if (f.id == findingId) return FindingRef{report.get(), &f};
  // An id the finding had before its file was renamed (a decision pulled under it, say).
  for (const auto& report : snapshot.reports)
    for (const auto& f : report->findings)
      for (const auto& p : f.previousIds)
        if (p.id == findingId) return FindingRef{report.get(), &f};
  return std::nullopt;
}

std::optional<std::string> explainFinding(const Snapshot& snapshot, std::string_view findingId,
                                          const std::vector<model::TriageDecision>& history) {
  auto ref = findFinding(snapshot, findingId);
  if (!ref) return std::nullopt;
  const Report& report = *ref->report;
  const model::Finding& f = *ref->finding;
  const model::Result& primary = report.primary(f);
  const model::Rule* primaryRule = report.ruleOf(primary);
  std::vector<std::string> tools;
  const std::string source = toolsOf(report, f, tools);

  std::string md = "## " + (primaryRule && !primaryRule->shortDescription.empty() ? primaryRule->shortDescription
                                                                                   : messageOf(report, primary));
  md += "\n\n**Severity** " + std::string(model::toString(f.severity)) + " · **Risk** " + std::to_string(f.risk.score) + "/1000";
  if (!f.risk.bucket.empty()) md += " (" + f.risk.bucket + ")";
  md += " · **Reported by** " + source + " · **State** " + stateOf(snapshot, f);
  if (f.location) md += "\n\n`" + f.location->uri + ":" + std::to_string(f.location->region.startLine) + "`";
  if (!f.stateNote.empty()) md += " — " + f.stateNote;

  if (!f.risk.explanation.empty()) {
    md += "\n\n### Risk\n\n| factor | value | effect | from |\n| --- | --- | --- | --- |";
    for (const auto& factor : f.risk.explanation)
      md += "\n| " + factor.name + " | " + factor.value + " | " + factor.effect + " | " + factor.source + " |";
  }

  md += "\n\n### What the tools said";
  std::set<std::string> shown;
  for (std::uint32_t ri : f.results) {
    const model::Result& r = report.scans.results[ri];
    const model::Run& run = report.runOf(r);
    if (!shown.insert(run.tool.name + "\x1f" + r.ruleId + "\x1f" + r.message).second) continue;
    const model::Rule* rule = report.ruleOf(r);
    md += "\n\n**" + run.tool.name + "** `" + r.ruleId + "`";
    if (rule && !rule->name.empty() && rule->name != r.ruleId) md += " " + rule->name;
    if (!r.locations.empty() && r.locations.front().region.hasLines())
      md += " at line " + std::to_string(r.locations.front().region.startLine);
    md += ": " + (r.messageMarkdown.empty() ? messageOf(report, r) : r.messageMarkdown);
    if (rule) {
      const std::string& help = !rule->helpMarkdown.empty() ? rule->helpMarkdown
                                : !rule->helpText.empty()   ? rule->helpText
                                                            : rule->fullDescription;
      if (!help.empty() && help != r.message) md += "\n\n" + help;
      if (!rule->helpUri.empty()) md += "\n\n[" + run.tool.name + " rule documentation](" + rule->helpUri + ")";
    }
    if (!r.suppressions.empty()) md += "\n\n*Suppressed in the report (" + r.suppressions.front().kind + ").*";
  }

  if (!f.cwes.empty()) {
    md += "\n\n### Weakness";
    for (const auto& cwe : f.cwes) {
      const std::string name = remediation::cweName(cwe);
      md += "\n- [" + cwe + (name.empty() ? "" : ": " + name) + "](" + remediation::cweUri(cwe) + ")";
    }
  }
  if (const remediation::Guidance* g = remediation::bestGuidance(f.cwes)) {
    const auto language = f.location ? syntax::languageForPath(f.location->uri) : std::nullopt;
    md += "\n\n### Remediation\n\n" + remediation::guidanceMarkdown(*g, language);
  }
  if (!f.fixGroup.empty()) md += "\n\n**Fix:** upgrade `" + f.fixGroup + "`.";
  for (std::uint32_t ri : f.results)
    for (const model::Fix& fix : report.scans.results[ri].fixes)
      if (!fix.description.empty())
        md += "\n\n**Suggested fix (" + report.runOf(report.scans.results[ri]).tool.name + "):** " + fix.description;

  if (!primary.codeFlows.empty() && !primary.codeFlows.front().threadFlows.empty()) {
    const auto& steps = primary.codeFlows.front().threadFlows.front();
    md += "\n\n### Data flow (" + std::to_string(steps.size()) + " steps)\n";
    for (std::size_t i = 0; i < steps.size() && i < kMaxFlowSteps; ++i) {
      const auto& st = steps[i];
      md += "\n" + std::to_string(i + 1) + ". `" + st.location.uri + ":" + std::to_string(st.location.region.startLine) + "`";
      if (!st.kind.empty()) md += " (" + st.kind + ")";
      if (!st.location.message.empty()) md += " " + st.location.message;
      if (!st.location.region.snippet.empty() && st.location.region.snippet.size() < 200)
        md += " — `" + trimmed(st.location.region.snippet) + "`";
    }
    if (steps.size() > kMaxFlowSteps) md += "\n\n… and " + std::to_string(steps.size() - kMaxFlowSteps) + " more steps.";
  }

  if (!history.empty()) {
    md += "\n\n### Triage history\n";
    for (const auto& d : history) {
      md += "\n- " + d.at + " **" + d.status + "**";
      if (!d.author.empty()) md += " by " + d.author;
      if (!d.reason.empty()) md += ": " + d.reason;
      if (!d.expires.empty()) md += " (until " + d.expires + ")";
    }
  }
  if (const model::PreviousId* via = nullptr; snapshot.triageOf(f, &via) && via)
    md += "\n\nThe decision was made on `" + via->path + "` before the rename (recorded under id `" + via->id + "`).";
  if (!f.location && !f.results.empty() && !primary.locations.empty())
    md += "\n\n" + codeBlock(primary.locations.front().region.snippet);
  return md;
}

std::vector<FindingLens> codeLensesFor(const Snapshot& snapshot, std::string_view path) {
  std::vector<FindingLens> out;
  if (!snapshot.settings.codeLens) return out;
  const auto language = syntax::languageForPath(path);
  if (!language) return out;
  const std::vector<Entry> entries = collect(snapshot, path);
  if (entries.empty()) return out;
  auto text = currentText(snapshot, std::string(path));
  if (!text) return out;
  const syntax::Document doc(*language, std::move(text->text));
  const auto declarations = syntax::declarationsOf(doc);
  struct Group {
    std::size_t count = 0;
    const model::Finding* top = nullptr;
  };
  std::map<std::size_t, Group> groups;  // innermost enclosing declaration -> its findings
  std::set<std::string> seen;
  for (const Entry& e : entries) {
    if (!seen.insert(e.finding->id).second) continue;
    const std::uint32_t line = e.range.start.line;
    std::optional<std::size_t> inner;
    for (std::size_t d = 0; d < declarations.size(); ++d)
      if (declarations[d].startLine <= line && line <= declarations[d].endLine &&
          (!inner || declarations[d].startLine >= declarations[*inner].startLine))
        inner = d;
    if (!inner) continue;
    Group& g = groups[*inner];
    ++g.count;
    if (!g.top || e.finding->risk.score > g.top->risk.score ||
        (e.finding->risk.score == g.top->risk.score && e.finding->severity > g.top->severity))
      g.top = e.finding;
  }
  for (const auto& [d, g] : groups) {
    FindingLens lens;
    const std::uint32_t line = declarations[d].startLine;
    lens.range = Range{{line, 0}, {line, 0}};
    lens.count = g.count;
    lens.topFindingId = g.top->id;
    lens.title = std::to_string(g.count) + (g.count == 1 ? " security finding" : " security findings") + " · top risk " +
                 std::to_string(g.top->risk.score) + " (" + model::toString(g.top->severity) + ")";
    out.push_back(std::move(lens));
  }
  return out;
}

FindingsPage listFindings(const Snapshot& snapshot, const FindingsQuery& query) {
  FindingsPage page;
  std::vector<std::pair<const Report*, const model::Finding*>> matched;
  const std::string needle = lower(query.text);
  for (const auto& report : snapshot.reports) {
    for (const auto& f : report->findings) {
      if (f.severity < query.minSeverity) continue;
      if (query.path && (!f.location || f.location->uri != *query.path)) continue;
      if (!query.includeHidden && !visible(snapshot, f)) continue;
      if (!needle.empty()) {
        const model::Result& r = report->primary(f);
        std::string hay = r.ruleId + "\n" + report->runOf(r).tool.name + "\n" + r.message + "\n" +
                          (f.location ? f.location->uri : std::string());
        for (const auto& c : f.cwes) hay += "\n" + c;
        if (lower(hay).find(needle) == std::string::npos) continue;
      }
      matched.emplace_back(report.get(), &f);
    }
  }
  auto pathOf = [](const model::Finding& f) { return f.location ? f.location->uri : std::string("\x7f"); };
  std::stable_sort(matched.begin(), matched.end(), [&](const auto& a, const auto& b) {
    const model::Finding& x = *a.second;
    const model::Finding& y = *b.second;
    switch (query.sort) {
      case FindingsQuery::Sort::Severity:
        if (x.severity != y.severity) return severityRank(x.severity) > severityRank(y.severity);
        return x.risk.score > y.risk.score;
      case FindingsQuery::Sort::Path:
        if (pathOf(x) != pathOf(y)) return pathOf(x) < pathOf(y);
        return (x.location ? x.location->region.startLine : 0) < (y.location ? y.location->region.startLine : 0);
      case FindingsQuery::Sort::Risk:
      default:
        if (x.risk.score != y.risk.score) return x.risk.score > y.risk.score;
        return severityRank(x.severity) > severityRank(y.severity);
    }
  });
  page.total = matched.size();
  const std::size_t begin = std::min(query.offset, matched.size());
  const std::size_t end = query.limit ? std::min(matched.size(), begin + query.limit) : matched.size();
  for (std::size_t i = begin; i < end; ++i) {
    const Report& report = *matched[i].first;
    const model::Finding& f = *matched[i].second;
    const model::Result& r = report.primary(f);
    FindingSummary s;
    s.id = f.id;
    s.ruleId = r.ruleId;
    std::vector<std::string> seen;
    s.tool = toolsOf(report, f, seen);
    s.message = messageOf(report, r);
    s.severity = f.severity;
    s.bucket = f.risk.bucket;
    s.riskScore = f.risk.score;
    s.state = stateOf(snapshot, f);
    if (f.location && f.location->resolved) {
      s.path = f.location->uri;
      const auto idx = static_cast<std::size_t>(&f - report.findings.data());
      const Placement& p = report.placements[idx];
      const OpenDocument* doc = snapshot.document(f.location->uri);
      s.range = onBuffer(p.range, p.wholeLine, doc, mappingFor(doc, report, f)).value_or(p.range);
    }
    if (const model::Rule* rule = report.ruleOf(r)) s.helpUri = rule->helpUri;
    s.cwes = f.cwes;
    if (const model::TriageDecision* t = snapshot.triageOf(f)) s.triage = *t;
    page.findings.push_back(std::move(s));
  }
  return page;
}

}  // namespace aspm::engine
