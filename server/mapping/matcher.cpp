// The matcher's passes over line-hash indexes of the scanned and current files. Files are split
// and hashed once, parsed only when a region needs its anchor or a tie needs its scope.
#include "mapping/matcher.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <numeric>
#include <set>
#include <thread>
#include <unordered_map>

#include "correlate/line_hash.h"
#include "mapping/assignment.h"
#include "support/hash.h"
#include "support/parallel.h"
#include "support/text.h"
#include "syntax/anchor.h"

namespace aspm::mapping {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

struct TextFile {
  std::string path;
  std::string content;
  std::vector<std::string_view> lines;  // 0-based, without terminators
  std::vector<std::uint64_t> norm;      // whitespace-free hash per line, 0 for blank lines
  std::vector<bool> claimed;            // first lines of placed regions
  // Syntax, built on demand: parsing is most of a remap's cost, so a file is parsed only when a
  // region needs its anchor or a tie needs a scope that the file can contain.
  bool parseTried = false;
  std::unique_ptr<syntax::Document> doc;
  std::optional<std::vector<syntax::Token>> tokenList;
  std::vector<syntax::Declaration> decls;
  std::optional<std::vector<std::string>> githubHashes;

  TextFile(std::string p, std::string c) : path(std::move(p)), content(std::move(c)) {
    std::string_view rest = content;
    while (!rest.empty()) {
      const auto nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      lines.push_back(line);
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
    norm.reserve(lines.size());
    for (const std::string_view line : lines) norm.push_back(normalizedLineHash(line));
    claimed.assign(lines.size(), false);
  }

  syntax::Document* parsed() {
    if (!parseTried) {
      parseTried = true;
      if (const auto lang = syntax::languageForPath(path)) {
        doc = std::make_unique<syntax::Document>(*lang, content);
        decls = syntax::declarationsOf(*doc);
      }
    }
    return doc.get();
  }

  // Tokens of the whole file (only anchor searches need them).
  const std::vector<syntax::Token>& tokens() {
    if (!tokenList) tokenList = parsed() ? syntax::tokensOf(*doc) : std::vector<syntax::Token>();
    return *tokenList;
  }

  bool prepared(bool withTokens) const { return parseTried && (!withTokens || tokenList); }

  // parsed() (and tokens()) on a helper thread. A failure (out of memory) leaves the file as if
  // never parsed, so the lazy call on the matcher's thread tries again and reports it there.
  void prepare(bool withTokens) noexcept {
    try {
      parsed();
      if (withTokens) tokens();
    } catch (...) {
      parseTried = false;
      doc.reset();
      decls.clear();
      tokenList.reset();
    }
  }

  std::string scopeAt(std::uint32_t first0, std::uint32_t last0) {
    if (!parsed()) return {};
    return syntax::scopeOf(decls, first0, last0);
  }
};

struct Candidate {
  TextFile* file = nullptr;
  std::uint32_t line0 = 0;  // 0-based first line
  std::uint32_t span = 1;
  Pass pass = Pass::Content;
  double score = 0;
  bool weak = false;
  bool scopePossible = true;  // false when the file cannot contain the region's scope
};

using Key = std::pair<const TextFile*, std::uint32_t>;

struct Work {
  const Site* site = nullptr;
  TextFile* old = nullptr;
  TextFile* own = nullptr;
  std::uint32_t estimate0 = 0;  // 0-based estimated current line
  std::vector<Candidate> candidates;
  std::string oldScope;                  // enclosing declarations at the scan, when candidates compete
  std::optional<syntax::Anchor> anchor;  // the region's tokens, when no line has its text
  std::vector<TextFile*> anchorTargets;  // targets of its language that may hold the anchor
  Placement result;
  bool done = false;
};

class Matcher {
 public:
  Matcher(const MatchInput& input, const MatchOptions& options) : input_(input), options_(options) {}

  std::vector<Placement> run(const std::vector<Site>& sites);

 private:
  TextFile* current(const std::string& path) {
    if (path.empty()) return nullptr;
    if (auto it = current_.find(path); it != current_.end()) return it->second.get();
    if (!tracedLoaded_) {
      tracedLoaded_ = true;
      // The last traced file (in scan path order) that ended up at a path gives its content.
      for (const auto& [scanPath, f] : input_.files)
        if (!f.path.empty() && f.content) tracedTo_[f.path] = scanPath;
    }
    std::optional<std::string> text;
    if (const auto t = tracedTo_.find(path); t != tracedTo_.end()) text = input_.files.at(t->second).content;
    if (!text && input_.readCandidate) text = input_.readCandidate(path);
    auto& slot = current_[path];
    if (text) slot = std::make_unique<TextFile>(path, std::move(*text));
    return slot.get();
  }

  TextFile* old(const std::string& scanPath) {
    if (auto it = old_.find(scanPath); it != old_.end()) return it->second.get();
    auto& slot = old_[scanPath];
    const auto f = input_.files.find(scanPath);
    if (f != input_.files.end() && f->second.scanContent)
      slot = std::make_unique<TextFile>(scanPath, *f->second.scanContent);
    return slot.get();
  }

  // Every current file a region may have moved to: traced files first, then changed files.
  const std::vector<TextFile*>& targets() {
    if (!targetsLoaded_) {
      targetsLoaded_ = true;
      std::set<std::string> seen;
      auto add = [&](const std::string& p) {
        if (p.empty() || !seen.insert(p).second) return;
        if (TextFile* t = current(p)) targets_.push_back(t);
      };
      for (const auto& [scanPath, f] : input_.files) add(f.path);
      for (const auto& p : input_.candidatePaths) add(p);
      for (TextFile* t : targets_)
        for (std::uint32_t i = 0; i < t->norm.size(); ++i)
          if (t->norm[i] != 0) index_[t->norm[i]].emplace_back(t, i);
    }
    return targets_;
  }

  void placeExact(Work& w);
  void collectCandidates(Work& w);
  void collectByContent(Work& w, const std::vector<std::uint64_t>& block, Pass samePlacePass);
  void makeAnchor(Work& w);
  void anchorFiles(Work& w, std::vector<TextFile*>& toParse);
  void collectByAnchor(Work& w);
  void prepareScoring(Work& w, std::vector<TextFile*>& toParse);
  void prepare(std::vector<TextFile*> files, bool withTokens);
  void collectByFingerprint(Work& w);
  double contextScore(const Work& w, const Candidate& c) const;
  void scoreCandidates(Work& w);
  void assign(std::vector<Work*>& open);
  void finish(Work& w, const Candidate& c);

  const MatchInput& input_;
  const MatchOptions& options_;
  std::map<std::string, std::unique_ptr<TextFile>> current_;
  std::map<std::string, std::unique_ptr<TextFile>> old_;
  std::vector<TextFile*> targets_;
  bool targetsLoaded_ = false;
  // Lines of every target by whitespace-free hash, in the order of targets() and then of lines:
  // the order in which candidates are collected (and cut off at maxCandidatesPerSite).
  std::unordered_map<std::uint64_t, std::vector<std::pair<TextFile*, std::uint32_t>>> index_;
  // Current path -> scan path of the traced files.
  std::map<std::string, std::string> tracedTo_;
  bool tracedLoaded_ = false;
  // scan path -> current path -> regions placed there by exact shifts: where a file's code went.
  std::map<std::string, std::map<std::string, double>> affinity_;
};

Placement stale(std::string note) {
  Placement p;
  p.state = model::FindingState::Stale;
  p.note = std::move(note);
  return p;
}

Placement gone(std::string note) {
  Placement p;
  p.state = model::FindingState::Gone;
  p.note = std::move(note);
  return p;
}

void Matcher::finish(Work& w, const Candidate& c) {
  const Site& s = *w.site;
  Placement& p = w.result;
  p.path = c.file->path;
  p.pass = c.pass;
  p.startLine = c.line0 + 1;
  p.endLine = c.line0 + c.span;
  p.state = (c.pass == Pass::ExactShift && p.path == s.scanPath) ? model::FindingState::Open
                                                                  : model::FindingState::Moved;
  const std::string_view newFirst = c.file->lines[c.line0];
  const std::string_view newLast = c.file->lines[c.line0 + c.span - 1];
  if (w.old && s.startLine >= 1 && s.startLine <= w.old->lines.size()) {
    const std::uint32_t endLine = std::min<std::uint32_t>(std::max(s.endLine, s.startLine), static_cast<std::uint32_t>(w.old->lines.size()));
    const std::string_view oldFirst = w.old->lines[s.startLine - 1];
    const std::string_view oldLast = w.old->lines[endLine - 1];
    p.startColumn = s.startColumn ? shiftColumn(oldFirst, newFirst, s.startColumn) : 0;
    p.endColumn = s.endColumn ? shiftColumn(oldLast, newLast, s.endColumn) : 0;
  } else {
    p.startColumn = s.startColumn;
    p.endColumn = s.endColumn;
  }
  if (c.pass != Pass::ExactShift && !input_.revisionNote.empty())
    p.note = "placed by content: " + input_.revisionNote;
  c.file->claimed[c.line0] = true;
  w.done = true;
}

void Matcher::placeExact(Work& w) {
  const Site& s = *w.site;
  const auto f = input_.files.find(s.scanPath);
  if (f == input_.files.end() || !f->second.lines || !w.own || !w.old) return;
  const std::uint32_t end = std::max(s.endLine, s.startLine);
  if (s.startLine == 0 || end > w.old->lines.size()) return;
  const auto mapped = f->second.lines->mapBlock(s.startLine, end);
  if (!mapped || *mapped + (end - s.startLine) > w.own->lines.size()) return;
  Candidate c;
  c.file = w.own;
  c.line0 = *mapped - 1;
  c.span = end - s.startLine + 1;
  c.pass = Pass::ExactShift;
  finish(w, c);
}

void Matcher::collectByContent(Work& w, const std::vector<std::uint64_t>& block, Pass samePlacePass) {
  // Anchor the search on the first non-blank line of the block.
  std::size_t lead = 0;
  while (lead < block.size() && block[lead] == 0) ++lead;
  if (lead == block.size()) return;
  targets();
  const auto hit = index_.find(block[lead]);
  if (hit == index_.end()) return;
  for (const auto& [t, at] : hit->second) {
    if (at < lead) continue;
    const std::uint32_t start = at - static_cast<std::uint32_t>(lead);
    if (start + block.size() > t->norm.size()) continue;
    if (!std::equal(block.begin(), block.end(), t->norm.begin() + start)) continue;
    if (t->claimed[start]) continue;
    Candidate c;
    c.file = t;
    c.line0 = start;
    c.span = static_cast<std::uint32_t>(block.size());
    c.pass = (t == w.own && start == w.estimate0) ? samePlacePass : Pass::Content;
    w.candidates.push_back(c);
    if (w.candidates.size() >= options_.maxCandidatesPerSite) return;
  }
}

void Matcher::makeAnchor(Work& w) {
  const Site& s = *w.site;
  syntax::Document* oldDoc = w.old->parsed();
  if (!oldDoc) return;
  const std::uint32_t end = std::max(s.endLine, s.startLine);
  w.anchor = syntax::anchorOf(*oldDoc, w.old->decls, s.startLine - 1, end - 1);
}

namespace {

std::string innermostOf(const std::string& scope) {
  return scope.substr(scope.rfind('.') == std::string::npos ? 0 : scope.rfind('.') + 1);
}

// Whether `text` contains `needle`, searched for in many files: Boyer-Moore-Horspool skips
// ahead by the needle's length where find() stops at every occurrence of its first character.
class Mentions {
 public:
  explicit Mentions(const std::string& needle) : needle_(needle), searcher_(needle_.begin(), needle_.end()) {}
  bool in(const std::string& text) const {
    return std::search(text.begin(), text.end(), searcher_) != text.end();
  }

 private:
  std::string needle_;
  std::boyer_moore_horspool_searcher<std::string::const_iterator> searcher_;
};

}  // namespace

// The targets an anchor search looks at, in order: files of the old file's language that are the
// region's own file or mention its innermost declaration. The first maxAnchorFiles of them are
// listed in `toParse` (the search parses no more unless one of them fails to parse).
void Matcher::anchorFiles(Work& w, std::vector<TextFile*>& toParse) {
  if (!w.anchor || w.anchor->empty()) return;
  const auto language = syntax::languageForPath(w.old->path);
  const std::string innermost = innermostOf(w.anchor->scope);
  const Mentions mentions(innermost);
  for (TextFile* t : targets()) {
    if (t != w.own && (innermost.empty() || !mentions.in(t->content))) continue;
    if (syntax::languageForPath(t->path) != language) continue;
    w.anchorTargets.push_back(t);
    if (w.anchorTargets.size() <= options_.maxAnchorFiles) toParse.push_back(t);
  }
}

void Matcher::collectByAnchor(Work& w) {
  if (!w.anchor || w.anchor->empty()) return;
  const syntax::Anchor& anchor = *w.anchor;
  std::size_t searched = 0;
  for (TextFile* t : w.anchorTargets) {
    if (searched >= options_.maxAnchorFiles) break;
    syntax::Document* doc = t->parsed();
    if (!doc) continue;
    ++searched;
    for (const auto& hit : syntax::findAnchor(*doc, t->tokens(), t->decls, anchor, options_.maxCandidatesPerSite)) {
      Candidate c;
      c.file = t;
      c.line0 = hit.firstLine;
      c.span = hit.lastLine - hit.firstLine + 1;
      c.pass = Pass::Anchor;
      const bool sameScope = hit.scope == anchor.scope;
      c.score = sameScope ? 3 : 0;
      c.weak = !sameScope && t != w.own;
      w.candidates.push_back(c);
    }
  }
}

void Matcher::collectByFingerprint(Work& w) {
  const Site& s = *w.site;
  if (!w.own) return;
  if (!s.lineHash.empty()) {
    if (!w.own->githubHashes) w.own->githubHashes = correlate::lineHashes(w.own->content);
    const auto& hashes = *w.own->githubHashes;
    const auto colon = s.lineHash.find(':');
    const std::string_view bare = std::string_view(s.lineHash).substr(0, colon);
    std::vector<std::uint32_t> exact, loose;
    for (std::uint32_t i = 0; i < hashes.size() && i < w.own->lines.size(); ++i) {
      if (hashes[i] == s.lineHash) exact.push_back(i);
      else if (std::string_view(hashes[i]).substr(0, hashes[i].find(':')) == bare) loose.push_back(i);
    }
    for (const std::uint32_t i : exact.empty() ? loose : exact) {
      Candidate c;
      c.file = w.own;
      c.line0 = i;
      c.span = std::max(s.endLine, s.startLine) - s.startLine + 1;
      if (c.line0 + c.span > w.own->lines.size()) c.span = 1;
      c.pass = Pass::Fingerprint;
      c.score = exact.empty() ? 0 : 1;
      w.candidates.push_back(c);
    }
  }
  if (w.candidates.empty() && !support::trim(s.snippet).empty()) {
    std::vector<std::uint64_t> block;
    std::string_view rest = s.snippet;
    while (!rest.empty()) {
      const auto nl = rest.find('\n');
      block.push_back(normalizedLineHash(rest.substr(0, nl)));
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
    while (!block.empty() && block.back() == 0) block.pop_back();
    collectByContent(w, block, Pass::LineAndContent);
    for (auto& c : w.candidates) c.pass = c.pass == Pass::Content ? Pass::Fingerprint : c.pass;
  }
}

// The text passes; the anchor search, which needs syntax, is run by run() for the regions this
// leaves without a candidate.
void Matcher::collectCandidates(Work& w) {
  const Site& s = *w.site;
  if (!w.old) {
    collectByFingerprint(w);
    return;
  }
  const std::uint32_t end = std::max(s.endLine, s.startLine);
  std::vector<std::uint64_t> block(w.old->norm.begin() + (s.startLine - 1), w.old->norm.begin() + end);
  collectByContent(w, block, Pass::LineAndContent);
}

// Drops claimed candidates and, when several compete, finds the region's scope at the scan and
// which candidates' files could have the same scope (those are listed to be parsed).
void Matcher::prepareScoring(Work& w, std::vector<TextFile*>& toParse) {
  std::erase_if(w.candidates, [&](const Candidate& c) { return c.file->claimed[c.line0]; });
  if (!w.old || w.candidates.size() <= 1) return;
  w.oldScope = w.old->scopeAt(w.site->startLine - 1, std::max(w.site->endLine, w.site->startLine) - 1);
  if (w.oldScope.empty()) return;
  // A scope is declaration names joined by '.', each name source text (line breaks become
  // spaces), so the scope's last part is text of the innermost name: a file that does not
  // contain it cannot have the same scope and need not be parsed to find out.
  const std::string lastPart = innermostOf(w.oldScope);
  const bool checkable = !lastPart.empty() && lastPart.find(' ') == std::string::npos;
  std::unordered_map<const TextFile*, bool> holds;
  const Mentions mentions(lastPart);
  for (auto& c : w.candidates) {
    if (c.pass == Pass::Anchor) continue;
    if (checkable) {
      auto [it, inserted] = holds.try_emplace(c.file, false);
      if (inserted) it->second = mentions.in(c.file->content);
      c.scopePossible = it->second;
    }
    if (c.scopePossible && !c.file->prepared(false)) toParse.push_back(c.file);
  }
}

// Parses files on up to options_.threads threads. Each file's parse depends on nothing else, so
// the outcome is that of parsing each one when first needed; only the wall time changes.
void Matcher::prepare(std::vector<TextFile*> files, bool withTokens) {
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  std::erase_if(files, [&](const TextFile* f) { return !f || f->prepared(withTokens); });
  if (files.empty()) return;
  unsigned threads = options_.threads;
  if (threads == 0) threads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  support::forEachIndex(files.size(), threads, [&](std::size_t i) { files[i]->prepare(withTokens); });
}

// Neighbouring lines that moved along with the region: evidence of a block move rather than
// the same line text appearing by coincidence.
double Matcher::contextScore(const Work& w, const Candidate& c) const {
  if (!w.old) return 0;
  const Site& s = *w.site;
  const std::int64_t oldFirst = s.startLine - 1;
  const std::int64_t oldLast = std::max(s.endLine, s.startLine) - 1;
  const std::int64_t newFirst = c.line0;
  const std::int64_t newLast = c.line0 + c.span - 1;
  double score = 0;
  const auto& on = w.old->norm;
  const auto& nn = c.file->norm;
  auto same = [&](std::int64_t o, std::int64_t n) {
    return o >= 0 && n >= 0 && o < static_cast<std::int64_t>(on.size()) && n < static_cast<std::int64_t>(nn.size()) &&
           on[o] != 0 && on[o] == nn[n];
  };
  for (std::int64_t k = 1; k <= options_.contextWindow; ++k) {
    if (same(oldFirst - k, newFirst - k)) score += 1;
    if (same(oldLast + k, newLast + k)) score += 1;
  }
  return score;
}

// Scores candidates after prepareScoring() (claimed lines dropped, the scan's scope known).
void Matcher::scoreCandidates(Work& w) {
  const std::string& oldScope = w.oldScope;
  for (auto& c : w.candidates) {
    const double context = contextScore(w, c);
    double score = c.score + context;
    if (c.file == w.own) {
      score += 2;
      const double distance = std::abs(static_cast<double>(c.line0) - static_cast<double>(w.estimate0));
      score += 1.0 / (1.0 + distance);
    }
    if (c.pass == Pass::LineAndContent) score += 3;
    // Where the rest of this file's code went is where its identical lines most likely went.
    if (const auto a = affinity_.find(w.site->scanPath); a != affinity_.end())
      if (const auto b = a->second.find(c.file->path); b != a->second.end()) score += b->second;
    if (c.pass == Pass::Content && context >= 2) c.pass = Pass::BlockMove;
    // Same text in another file with nothing around it in common: could be anyone's code.
    if (c.file != w.own && c.pass == Pass::Content && context == 0) c.weak = true;
    if (!oldScope.empty() && c.pass != Pass::Anchor && c.scopePossible) {
      if (c.file->scopeAt(c.line0, c.line0 + c.span - 1) == oldScope) {
        score += 3;
        c.weak = false;
      }
    }
    c.score = score;
  }
}

void Matcher::assign(std::vector<Work*>& open) {
  // Connected components: regions that share a candidate line compete with each other.
  std::map<Key, std::vector<std::size_t>> byKey;
  for (std::size_t i = 0; i < open.size(); ++i)
    for (const auto& c : open[i]->candidates) byKey[{c.file, c.line0}].push_back(i);
  std::vector<std::size_t> parent(open.size());
  std::iota(parent.begin(), parent.end(), 0);
  std::function<std::size_t(std::size_t)> find = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const auto& [key, users] : byKey)
    for (std::size_t k = 1; k < users.size(); ++k) parent[find(users[k])] = find(users[0]);
  std::map<std::size_t, std::vector<std::size_t>> components;
  for (std::size_t i = 0; i < open.size(); ++i) components[find(i)].push_back(i);

  for (const auto& [rootIndex, members] : components) {
    std::vector<Key> keys;
    std::map<Key, std::size_t> column;
    for (const std::size_t m : members)
      for (const auto& c : open[m]->candidates)
        if (column.emplace(Key{c.file, c.line0}, keys.size()).second) keys.push_back({c.file, c.line0});
    std::vector<int> chosen(members.size(), -1);
    if (members.size() <= 300 && keys.size() <= 600) {
      std::vector<std::vector<double>> scores(members.size(), std::vector<double>(keys.size(), -1));
      for (std::size_t r = 0; r < members.size(); ++r)
        for (const auto& c : open[members[r]]->candidates)
          scores[r][column[{c.file, c.line0}]] = std::max(scores[r][column[{c.file, c.line0}]], c.score);
      chosen = assignMaxScore(scores);
    } else {
      // Too large for the cubic algorithm: best pairs first.
      std::vector<std::tuple<double, std::size_t, std::size_t>> pairs;
      for (std::size_t r = 0; r < members.size(); ++r)
        for (const auto& c : open[members[r]]->candidates) pairs.emplace_back(c.score, r, column[{c.file, c.line0}]);
      std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
      std::vector<bool> taken(keys.size(), false);
      for (const auto& [score, r, col] : pairs)
        if (chosen[r] < 0 && !taken[col]) {
          chosen[r] = static_cast<int>(col);
          taken[col] = true;
        }
    }
    std::vector<bool> used(keys.size(), false);
    for (const int c : chosen)
      if (c >= 0) used[static_cast<std::size_t>(c)] = true;
    for (std::size_t r = 0; r < members.size(); ++r) {
      Work& w = *open[members[r]];
      if (chosen[r] < 0) {
        w.result = gone("its code now belongs to other findings");
        continue;
      }
      const Key key = keys[static_cast<std::size_t>(chosen[r])];
      const Candidate* best = nullptr;
      for (const auto& c : w.candidates)
        if (Key{c.file, c.line0} == key && (!best || c.score > best->score)) best = &c;
      // Identical code in several files with nothing to tell them apart: every one of them is
      // the same problem, so the finding is placed on one and the note says it was a choice.
      std::size_t alternatives = 0;
      for (const auto& c : w.candidates) {
        const Key k{c.file, c.line0};
        if (k != key && !used[column[k]] && c.score >= best->score - 0.01) ++alternatives;
      }
      {
        finish(w, *best);
        if (alternatives > 0 || best->weak)
          w.result.note = (w.result.note.empty() ? "" : w.result.note + "; ") + "placed on identical code with no other evidence (" +
                          std::to_string(alternatives + 1) + " equally good places)";
      }
    }
  }
}

std::vector<Placement> Matcher::run(const std::vector<Site>& sites) {
  std::vector<Work> work(sites.size());
  for (std::size_t i = 0; i < sites.size(); ++i) {
    Work& w = work[i];
    const Site& s = sites[i];
    w.site = &s;
    w.old = old(s.scanPath);
    const auto f = input_.files.find(s.scanPath);
    if (f != input_.files.end()) w.own = current(f->second.path);
    w.estimate0 = s.startLine > 0 ? s.startLine - 1 : 0;
    if (f != input_.files.end() && f->second.lines && s.startLine > 0)
      w.estimate0 = f->second.lines->approximate(s.startLine) - 1;
  }
  // Pass 1: exact shifts claim their lines before any content matching.
  for (auto& w : work) placeExact(w);
  for (const auto& w : work)
    if (w.done) affinity_[w.site->scanPath][w.result.path] += 1;
  for (auto& [scanPath, targets] : affinity_) {
    double total = 0;
    for (const auto& [path, n] : targets) total += n;
    for (auto& [path, n] : targets) n /= total;
  }

  // Every region's candidates are collected, then scored: neither step changes what another
  // region sees (only exact shifts and the final assignment claim lines), so the syntax the
  // anchors and scopes need can be parsed for all regions at once, in parallel, in between.
  std::vector<Work*> pending, anchored;
  std::vector<TextFile*> toParse;
  for (auto& w : work) {
    if (w.done) continue;
    const Site& s = *w.site;
    if (s.startLine == 0) {
      w.result = stale("the report gives no line");
      continue;
    }
    if (w.old && std::max(s.endLine, s.startLine) > w.old->lines.size()) {
      w.result = stale("the region lies outside the scanned file");
      continue;
    }
    collectCandidates(w);
    pending.push_back(&w);
    const bool anchor = w.old && w.candidates.empty() && options_.useAnchors;
    if (anchor) anchored.push_back(&w);
    if (anchor || (w.old && w.candidates.size() > 1)) toParse.push_back(w.old);
  }
  prepare(toParse, false);
  toParse.clear();
  for (Work* w : anchored) {
    makeAnchor(*w);
    anchorFiles(*w, toParse);
  }
  prepare(toParse, true);
  for (Work* w : anchored) collectByAnchor(*w);
  toParse.clear();
  for (Work* w : pending) prepareScoring(*w, toParse);
  prepare(toParse, false);

  std::vector<Work*> open;
  for (Work* pw : pending) {
    Work& w = *pw;
    scoreCandidates(w);
    if (!w.candidates.empty()) {
      open.push_back(&w);
    } else if (!w.old) {
      w.result = stale(input_.revisionNote.empty() ? "the scanned content is unknown and no fingerprint matches"
                                                   : input_.revisionNote + "; no fingerprint or snippet matches");
    } else {
      w.result = gone("the code was deleted or changed");
    }
  }
  assign(open);
  std::vector<Placement> out;
  out.reserve(work.size());
  for (auto& w : work) out.push_back(std::move(w.result));
  return out;
}

}  // namespace

const char* toString(Pass p) noexcept {
  switch (p) {
    case Pass::None: return "none";
    case Pass::ExactShift: return "exact-shift";
    case Pass::Fingerprint: return "fingerprint";
    case Pass::LineAndContent: return "line-and-content";
    case Pass::Content: return "content";
    case Pass::BlockMove: return "block-move";
    case Pass::Anchor: return "syntax-anchor";
  }
  return "?";
}

std::uint64_t normalizedLineHash(std::string_view line) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  bool any = false;
  for (const char c : line) {
    if (isSpace(c)) continue;
    any = true;
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return any ? (h == 0 ? 1 : h) : 0;
}

std::uint32_t shiftColumn(std::string_view oldLine, std::string_view newLine, std::uint32_t oldColumn) noexcept {
  if (oldColumn == 0) return 0;
  if (oldLine == newLine) return oldColumn;
  // Non-whitespace characters before the column in the old line...
  std::size_t before = 0;
  for (std::size_t i = 0; i + 1 < oldColumn && i < oldLine.size(); ++i)
    if (!isSpace(oldLine[i])) ++before;
  // ...and the position after as many in the new line (skipping whitespace up to the next one).
  std::size_t i = 0;
  for (std::size_t seen = 0; i < newLine.size(); ++i) {
    if (isSpace(newLine[i])) continue;
    if (seen == before) break;
    ++seen;
  }
  return static_cast<std::uint32_t>(std::min(i, newLine.size()) + 1);
}

std::vector<Placement> match(const std::vector<Site>& sites, const MatchInput& input, const MatchOptions& options) {
  Matcher m(input, options);
  return m.run(sites);
}

}  // namespace aspm::mapping
