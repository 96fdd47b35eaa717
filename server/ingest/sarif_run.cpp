// SARIF 2.1.0 subtrees -> model, with the deferred linking described in sarif_run.h.
//
// The conversion is deliberately lenient: a value of the wrong type is reported with its JSON
// path and treated as absent, so one odd field never costs the whole result. Only a result that
// is not an object at all is dropped.
#include "ingest/sarif_run.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cctype>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>
#include <optional>
#include <utility>


#include "support/file.h"
#include "support/text.h"
#include "support/uri.h"

namespace aspm::ingest::sarif {
using support::ProblemSeverity;

namespace {

// --- small helpers ----------------------------------------------------------------------------

using support::isAscii;

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

const char* kindName(JsonValue v) noexcept {
  switch (v.kind()) {
    case JsonKind::Null: return "null";
    case JsonKind::Bool: return "a boolean";
    case JsonKind::Int64:
    case JsonKind::Uint64:
    case JsonKind::Double: return "a number";
    case JsonKind::String: return "a string";
    case JsonKind::Array: return "an array";
    case JsonKind::Object: return "an object";
  }
  return "a value";
}

bool isAbsoluteRef(std::string_view u) noexcept {
  if (u.empty()) return false;
  if (u[0] == '/' || u[0] == '\\') return true;
  if (u.size() >= 2 && u[1] == ':' && ((u[0] >= 'A' && u[0] <= 'Z') || (u[0] >= 'a' && u[0] <= 'z'))) return true;
  return support::hasScheme(u);
}

std::string joinUri(std::string_view base, std::string_view rel) {
  if (base.empty()) return std::string(rel);
  std::string out(base);
  if (out.back() != '/' && out.back() != '\\') out += '/';
  std::string_view r = rel;
  while (r.starts_with("./")) r.remove_prefix(2);
  out += r;
  return out;
}

std::optional<model::Level> parseLevel(std::string_view s) noexcept {
  if (s == "warning") return model::Level::Warning;
  if (s == "error") return model::Level::Error;
  if (s == "note") return model::Level::Note;
  if (s == "none") return model::Level::None;
  return std::nullopt;
}

std::optional<model::ResultKind> parseKind(std::string_view s) noexcept {
  if (s == "fail") return model::ResultKind::Fail;
  if (s == "pass") return model::ResultKind::Pass;
  if (s == "open") return model::ResultKind::Open;
  if (s == "review") return model::ResultKind::Review;
  if (s == "informational") return model::ResultKind::Informational;
  if (s == "notApplicable") return model::ResultKind::NotApplicable;
  return std::nullopt;
}

std::optional<model::BaselineState> parseBaseline(std::string_view s) noexcept {
  if (s == "new") return model::BaselineState::New;
  if (s == "unchanged") return model::BaselineState::Unchanged;
  if (s == "updated") return model::BaselineState::Updated;
  if (s == "absent") return model::BaselineState::Absent;
  return std::nullopt;
}

struct PendingLocation {
  std::uint32_t base = 0;       // 0: none, else index + 1 into State::baseNames
  std::int32_t artifact = -1;   // artifactLocation.index
  std::uint32_t uriNumber = 0;  // the uri's number in the log (UriNumbers), 0: not numbered
  std::uint32_t jsonIndex = 0;  // index in its JSON array (for problem paths)
};

struct PendingResult {
  std::int64_t ruleIndex = -1;
  ComponentRef component;
  std::string messageId;
  std::vector<std::string> arguments;  // kept only when messageId needs them
  bool levelGiven = false;
  // This result's entries in State::pendingLocations: one per model location, in the order
  // finish() visits them (locations, relatedLocations, code flow steps, fix changes).
  std::size_t locationStart = 0;
  std::uint32_t locationCount = 0;
  // Finished early (RunBuilder::finishReady), and what that filled in that the log did not
  // give, so it can be undone if a member it depended on changes later.
  bool finished = false;
  bool usedBase = false;  // a place was resolved against a uriBaseId
  bool ruleIdFilled = false;
  bool messageFilled = false;
  // Its entries in State::rawUris: the URIs its locations had before they were placed.
  std::uint32_t rawStart = 0;
  std::uint32_t rawCount = 0;
};

struct PendingRelationship {
  std::uint32_t rule = 0;
  ComponentRef taxonomy;
  std::string id;
};

struct Component {
  std::string name;
  std::string guid;
  std::uint32_t firstRule = 0;
  std::uint32_t ruleCount = 0;
  std::unordered_map<std::string, std::uint32_t> ruleById;  // id -> index in Run::rules
  std::unordered_map<std::string, std::string> globalMessageStrings;
};

// A message object read without copying: views into the tape (or into State::owned when a
// string had to be repaired). Arguments are in State::argViews until the next message is read.
struct MessageView {
  std::string_view text;
  std::string_view markdown;
  std::string_view id;
  bool present = false;
  JsonValue textValue;  // where `text` came from, when textValueSet
  bool textValueSet = false;
};

template <typename Args>
std::string formatWith(std::string_view tmpl, const Args& arguments);

void convertOffsets(model::Region& r, const SourceCache::Lines& lines, bool utf16, ProblemSink& sink,
                    const PathSeg* path);

// Which list of a result a place (a location or an artifact change) is in.
enum class Place : std::uint8_t { Primary, Related, FlowStep, FixChange };

// The regions of a place that name lines or offsets in its file.
template <typename F>
void forRegions(model::Location* loc, model::ArtifactChange* change, F&& f) {
  if (loc) {
    f(loc->region);
    f(loc->contextRegion);
  } else if (change) {
    for (auto& rep : change->replacements) f(rep.deleted);
  }
}

void addCwe(model::Rule& rule, std::string cwe) {
  if (cwe.empty()) return;
  if (std::find(rule.cwes.begin(), rule.cwes.end(), cwe) == rule.cwes.end()) rule.cwes.push_back(std::move(cwe));
}

// CWE id from a taxonomy reference id ("78", "CWE-78").
std::string cweFromTaxonId(std::string_view id) {
  const std::string_view t = support::trim(id);
  if (!t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return normalizeCwe(std::string("CWE-") + std::string(t));
  }
  return normalizeCwe(t);
}

}  // namespace

// --- state ------------------------------------------------------------------------------------

struct RunBuilder::State {
  ProblemSink& sink;
  std::string file;
  std::uint32_t indexInFile;
  model::Run run;
  // Results go straight into the output set (no moves); this run's are [firstResult, end).
  // The start is taken when the run's first result arrives (or when it ends without one): the
  // reader may construct the next run while the previous run's results are still converting.
  std::vector<model::Result>& results;
  static constexpr std::size_t kNotStarted = std::size_t(-1);
  std::size_t firstResult = kNotStarted;
  std::size_t first() noexcept {
    if (firstResult == kNotStarted) firstResult = results.size();
    return firstResult;
  }
  std::vector<PendingResult> pending;
  std::vector<Component> components;  // [0] driver, then tool.extensions
  bool toolSeen = false;
  std::vector<std::string> baseNames;
  std::unordered_map<std::string, std::uint32_t> baseIndex;
  struct BaseDef {
    std::string uri;
    std::string parent;
  };
  std::unordered_map<std::string, BaseDef> baseDefs;
  struct Artifact {
    std::string uri;
    std::uint32_t base = 0;
    std::uint32_t uriNumber = 0;
  };
  std::vector<Artifact> artifacts;
  struct Taxonomy {
    std::string name;
    std::string guid;
  };
  std::vector<Taxonomy> taxonomies;
  std::vector<PendingRelationship> pendingRelationships;
  bool utf16 = true;
  std::array<std::vector<PendingLocation>, 4> scratch;
  std::vector<std::string_view> argViews;  // arguments of the message read last
  std::deque<std::string> owned;           // repaired strings the views above point into
  std::vector<PendingLocation> pendingLocations;  // all results of the run, see PendingResult

  // --- finishing (see RunBuilder::finishReady and finish) ---
  // Bumped by every member that can change a result finished early: the tool (its rules and
  // message strings) and an artifact read a second time (a new artifact only adds an index no
  // finished result used). Results finished early under another value are finished again.
  // Base URIs count apart (`baseInputs`): they change only results whose places use a
  // uriBaseId (Trivy writes originalUriBaseIds after its results). columnKind counts not at
  // all: a result with offsets to convert is never finished early.
  std::uint32_t inputs = 0;
  std::uint32_t baseInputs = 0;
  std::uint32_t earlyInputs = 0;      // `inputs` when results were first finished early
  std::uint32_t earlyBaseInputs = 0;
  bool early = false;                 // some results were finished early
  bool earlyOff = false;              // an input changed after that: no more early finishing
  std::size_t earlyNext = 0;          // pending index of the next result to try early
  std::uint32_t earlyRunIndex = 0;    // the run's index in the output when finished early
  struct RawUri {
    std::size_t location;  // index into pendingLocations
    std::string uri;       // the location's uri before it was placed ("" when from an artifact)
  };
  std::vector<RawUri> rawUris;
  // Resolution: base URIs expanded once per uriBaseId, and raw URI -> resolved path per base.
  // Node-based maps, so references to entries stay valid while they grow. Valid for `cacheInputs`.
  std::uint64_t cacheInputs = 0;
  std::uint64_t inputKey() const noexcept { return (std::uint64_t(inputs) << 32) | baseInputs; }
  std::vector<std::optional<std::string>> bases;
  std::vector<char> basesDone;
  std::vector<std::unordered_map<std::string, PathResolver::Resolved>> cache;
  std::vector<std::vector<const PathResolver::Resolved*>> byNumber;  // per base, by UriNumbers number
  const std::string* lastRaw = nullptr;
  std::uint32_t lastBase = 0;
  const PathResolver::Resolved* last = nullptr;
  std::vector<const PathResolver::Resolved*> placed;  // per location of the result being finished

  State(ProblemSink& s, const std::string& f, std::uint32_t i, std::vector<model::Result>& out)
      : sink(s), file(f), indexInFile(i), results(out) {}

  // --- typed accessors: wrong types are reported and read as absent ---

  std::string text(std::string_view v, const PathSeg* p) {
    if (isAscii(v) || support::isValidUtf8(v)) return std::string(v);
    sink.warning(p, "string is not valid UTF-8; invalid bytes were replaced by U+FFFD", "invalid-utf8");
    return support::sanitizeUtf8(v);
  }

  void typeError(JsonValue x, const PathSeg* p, const char* expected) {
    sink.error(p, std::string("expected ") + expected + ", found " + kindName(x) + "; value ignored", "type");
  }

  bool str(JsonValue x, const PathSeg* p, std::string& out) {
    if (x.isString()) {
      const std::string_view v = x.string();
      if (x.knownAscii() || isAscii(v) || support::isValidUtf8(v)) out = x.takeString();
      else out = text(v, p);
      return true;
    }
    if (!x.is_null()) typeError(x, p, "a string");
    return false;
  }

  std::optional<std::int64_t> integer(JsonValue x, const PathSeg* p) {
    switch (x.kind()) {
      case JsonKind::Int64: return x.int64();
      case JsonKind::Uint64:
        if (x.uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
          return static_cast<std::int64_t>(x.uint64());
        sink.error(p, "integer is out of range; value ignored", "range");
        return std::nullopt;
      case JsonKind::Double: {
        const double d = x.dbl();
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e15) return static_cast<std::int64_t>(d);
        break;
      }
      default: break;
    }
    if (!x.is_null()) typeError(x, p, "an integer");
    return std::nullopt;
  }

  std::optional<double> number(JsonValue x, const PathSeg* p) {
    if (x.is_number()) return x.number();
    if (!x.is_null()) typeError(x, p, "a number");
    return std::nullopt;
  }

  std::optional<ObjectView> object(JsonValue x, const PathSeg* p) {
    if (x.isObject()) return ObjectView(x);
    if (!x.is_null()) typeError(x, p, "an object");
    return std::nullopt;
  }

  std::optional<ArrayView> array(JsonValue x, const PathSeg* p) {
    if (x.isArray()) return ArrayView(x);
    if (!x.is_null()) typeError(x, p, "an array");
    return std::nullopt;
  }

  // "security-severity" is a string in CodeQL's output and a number in some others.
  std::optional<double> severityScore(JsonValue x, const PathSeg* p) {
    std::optional<double> v;
    if (x.is_number()) {
      v = x.number();
    } else if (x.isString()) {
      const std::string_view t = support::trim(x.string());
      double d = 0;
      const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
      if (ec == std::errc() && ptr == t.data() + t.size() && !t.empty()) v = d;
    }
    if (!v || !std::isfinite(*v) || *v < 0 || *v > 10) {
      if (!x.is_null())
        sink.warning(p, "security-severity must be a number from 0 to 10; value ignored", "security-severity");
      return std::nullopt;
    }
    return v;
  }

  std::uint32_t internBase(const std::string& name) {
    if (name.empty()) return 0;
    auto it = baseIndex.find(name);
    if (it != baseIndex.end()) return it->second;
    baseNames.push_back(name);
    const auto id = static_cast<std::uint32_t>(baseNames.size());
    baseIndex.emplace(name, id);
    return id;
  }

  void stringList(JsonValue x, const PathSeg* p, std::vector<std::string>& out) {
    auto a = array(x, p);
    if (!a) return;
    for (std::size_t i = 0; i < a->size(); ++i) {
      const PathSeg ip = p->at(i);
      std::string s;
      if (str((*a)[i], &ip, s)) out.push_back(std::move(s));
    }
  }

  // The vulnerable functions of a dependency advisory, from the property names tools and
  // OSV-style records use: a list of names, Snyk's `functions` ([{functionId: {className,
  // functionName}}]), or OSV's `affected[].ecosystem_specific.imports[].symbols`. Shapes not
  // recognised are ignored: the property is optional evidence, not a contract.
  bool vulnerableSymbols(std::string_view key, JsonValue x, const PathSeg* p, std::vector<std::string>& out) {
    auto add = [&](std::string v) {
      if (!v.empty() && v.size() < 256 && out.size() < 64 && std::find(out.begin(), out.end(), v) == out.end())
        out.push_back(std::move(v));
    };
    auto listOf = [&](JsonValue list, const PathSeg* lp) {
      auto a = list.if_array();  // other shapes: not ours to judge
      if (!a) return;
      for (std::size_t i = 0; i < a->size(); ++i) {
        const JsonValue item = (*a)[i];
        const PathSeg ip = lp->at(i);
        std::string name;
        if (item.isString()) {
          str(item, &ip, name);
        } else if (auto o = item.if_object()) {
          // Snyk: {"functionId": {"className": "...", "functionName": "template"}}
          JsonValue id = item;
          if (auto f = o->if_contains("functionId"); f && f->isObject()) id = *f;
          if (auto io = id.if_object()) {
            if (auto fn = io->if_contains("functionName"); fn && fn->isString()) name = text(fn->string(), &ip);
            else if (auto nm = io->if_contains("name"); nm && nm->isString()) name = text(nm->string(), &ip);
            if (auto cn = io->if_contains("className"); cn && cn->isString() && !name.empty() && !cn->string().empty())
              name = text(cn->string(), &ip) + "." + name;
          }
        }
        add(std::move(name));
      }
    };
    if (key == "vulnerableFunctions" || key == "vulnerableSymbols" || key == "functions" || key == "symbols") {
      listOf(x, p);
      return true;
    }
    if (key != "affected") return false;
    // OSV: affected[].ecosystem_specific.imports[].symbols
    auto affected = x.if_array();
    if (!affected) return true;
    for (std::size_t i = 0; i < affected->size(); ++i) {
      const PathSeg ap = p->at(i);
      auto ao = (*affected)[i].if_object();
      if (!ao) continue;
      auto es = ao->if_contains("ecosystem_specific");
      if (!es || !es->isObject()) continue;
      auto imports = es->if_object()->if_contains("imports");
      if (!imports || !imports->isArray()) continue;
      const PathSeg esp = ap.child("ecosystem_specific");
      const PathSeg ip = esp.child("imports");
      auto list = imports->if_array();
      for (std::size_t k = 0; k < list->size(); ++k) {
        auto io = (*list)[k].if_object();
        if (!io) continue;
        const PathSeg kp = ip.at(k);
        if (auto sym = io->if_contains("symbols")) {
          const PathSeg sp = kp.child("symbols");
          listOf(*sym, &sp);
        }
      }
    }
    return true;
  }

  // A string member as a view; invalid UTF-8 is repaired into `owned` (rare) and reported.
  bool view(JsonValue x, const PathSeg* p, std::string_view& out) {
    if (x.isString()) {
      const std::string_view v = x.string();
      if (isAscii(v) || support::isValidUtf8(v)) {
        out = v;
      } else {
        sink.warning(p, "string is not valid UTF-8; invalid bytes were replaced by U+FFFD", "invalid-utf8");
        out = owned.emplace_back(support::sanitizeUtf8(v));
      }
      return true;
    }
    if (!x.is_null()) typeError(x, p, "a string");
    return false;
  }

  MessageView message(JsonValue x, const PathSeg* p) {
    MessageView m;
    argViews.clear();
    owned.clear();
    auto o = object(x, p);
    if (!o) return m;
    m.present = true;
    for (const auto& kv : *o) {
      const std::string_view k = kv.key();
      const PathSeg kp = p->child(k);
      if (k == "text") {
        if (view(kv.value(), &kp, m.text)) {
          m.textValue = kv.value();
          m.textValueSet = true;
        }
      } else if (k == "markdown") {
        view(kv.value(), &kp, m.markdown);
      } else if (k == "id") {
        view(kv.value(), &kp, m.id);
      } else if (k == "arguments") {
        auto a = array(kv.value(), &kp);
        if (!a) continue;
        std::size_t i = 0;
        for (JsonValue e : kv.value().children()) {
          const PathSeg ip = kp.at(i++);
          std::string_view arg;
          view(e, &ip, arg);
          argViews.push_back(arg);  // a bad argument still holds its place
        }
      }
    }
    return m;
  }

  std::string messageText(JsonValue x, const PathSeg* p) {
    const MessageView m = message(x, p);
    if (m.text.empty()) return std::string(m.markdown);
    return formattedText(m);
  }

  // The message's text with its arguments substituted. Most texts have no placeholder: those are
  // taken from the tape as they are, without a copy when the recording thread prepared them.
  std::string formattedText(const MessageView& m) {
    if (!std::memchr(m.text.data(), '{', m.text.size()) && !std::memchr(m.text.data(), '}', m.text.size()) &&
        m.textValueSet && m.textValue.string().data() == m.text.data())
      return m.textValue.takeString();
    return formatWith(m.text, argViews);
  }

  std::optional<std::uint32_t> positive(JsonValue x, const PathSeg* p, std::int64_t min) {
    const auto v = integer(x, p);
    if (!v) return std::nullopt;
    if (*v < min || *v > std::numeric_limits<std::uint32_t>::max()) {
      sink.error(p, "value " + std::to_string(*v) + " is out of range (must be >= " + std::to_string(min) + "); ignored",
                 "region-range");
      return std::nullopt;
    }
    return static_cast<std::uint32_t>(*v);
  }

  void region(JsonValue x, const PathSeg* p, model::Region& r) {
    auto o = object(x, p);
    if (!o) return;
    for (const auto& kv : *o) {
      const std::string_view k = kv.key();
      JsonValue v = kv.value();
      const PathSeg kp = p->child(k);
      if (k == "startLine") {
        if (auto n = positive(v, &kp, 1)) r.startLine = *n;
      } else if (k == "startColumn") {
        if (auto n = positive(v, &kp, 1)) r.startColumn = *n;
      } else if (k == "endLine") {
        if (auto n = positive(v, &kp, 1)) r.endLine = *n;
      } else if (k == "endColumn") {
        if (auto n = positive(v, &kp, 1)) r.endColumn = *n;
      } else if (k == "charOffset") {
        // -1 is the spec's "not given".
        if (auto n = integer(v, &kp)) {
          if (*n >= 0) r.charOffset = *n;
          else if (*n != -1) sink.error(&kp, "charOffset must be >= 0; ignored", "region-range");
        }
      } else if (k == "charLength") {
        if (auto n = integer(v, &kp)) {
          if (*n >= 0) r.charLength = *n;
          else sink.error(&kp, "charLength must be >= 0; ignored", "region-range");
        }
      } else if (k == "snippet") {
        if (auto s = object(v, &kp)) {
          if (auto t = s->if_contains("text")) {
            const PathSeg tp = kp.child("text");
            str(*t, &tp, r.snippet);
          }
        }
      }
    }
    // SARIF defaults (3.30.*): a region given by lines ends on its start line; a missing start
    // column is column 1; no columns at all means the whole line (kept as 0 = "not given").
    if (r.startLine > 0) {
      if (r.endLine == 0) {
        r.endLine = r.startLine;
      } else if (r.endLine < r.startLine) {
        sink.warning(p, "endLine is before startLine; the region was reduced to startLine", "region-order");
        r.endLine = r.startLine;
        r.endColumn = 0;
      }
      if (r.endColumn > 0 && r.startColumn == 0) r.startColumn = 1;
      if (r.endLine == r.startLine && r.endColumn > 0 && r.endColumn < r.startColumn) {
        sink.warning(p, "endColumn is before startColumn; the region was reduced to its start", "region-order");
        r.endColumn = r.startColumn;
      }
    } else if (r.endLine > 0 || r.startColumn > 0 || r.endColumn > 0) {
      sink.warning(p, "region has columns or endLine but no startLine; lines ignored", "region-no-start");
      r.endLine = r.startColumn = r.endColumn = 0;
    }
    if (r.charOffset >= 0 && r.charLength < 0) r.charLength = 0;
  }

  void artifactLocation(JsonValue x, const PathSeg* p, std::string& uri, PendingLocation& pl) {
    auto o = object(x, p);
    if (!o) return;
    for (const auto& kv : *o) {
      const std::string_view k = kv.key();
      const PathSeg kp = p->child(k);
      if (k == "uri") {
        if (str(kv.value(), &kp, uri)) pl.uriNumber = kv.value().uriNumber();
      } else if (k == "uriBaseId") {
        std::string b;
        if (str(kv.value(), &kp, b)) pl.base = internBase(b);
      } else if (k == "index") {
        if (auto n = integer(kv.value(), &kp)) {
          if (*n >= 0 && *n <= std::numeric_limits<std::int32_t>::max()) pl.artifact = static_cast<std::int32_t>(*n);
          else if (*n != -1) sink.error(&kp, "artifact index must be >= 0; ignored", "artifact-index");
        }
      }
    }
  }

  // Returns false when `x` is not a location object (nothing to keep).
  bool location(JsonValue x, const PathSeg* p, model::Location& loc, PendingLocation& pl) {
    auto o = object(x, p);
    if (!o) return false;
    for (const auto& kv : *o) {
      const std::string_view k = kv.key();
      const PathSeg kp = p->child(k);
      if (k == "physicalLocation") {
        auto pho = object(kv.value(), &kp);
        if (!pho) continue;
        for (const auto& m : *pho) {
          const std::string_view mk = m.key();
          const PathSeg mp = kp.child(mk);
          if (mk == "artifactLocation") artifactLocation(m.value(), &mp, loc.uri, pl);
          else if (mk == "region") region(m.value(), &mp, loc.region);
          else if (mk == "contextRegion") region(m.value(), &mp, loc.contextRegion);
        }
      } else if (k == "message") {
        loc.message = messageText(kv.value(), &kp);
      } else if (k == "logicalLocations") {
        auto a = array(kv.value(), &kp);
        if (!a || a->empty()) continue;
        const PathSeg ip = kp.at(0);
        if (auto ll = object((*a)[0], &ip)) {
          std::string name;
          for (const auto& m : *ll) {
            const PathSeg mp = ip.child(m.key());
            if (m.key() == "fullyQualifiedName") str(m.value(), &mp, loc.logicalName);
            else if (m.key() == "name") str(m.value(), &mp, name);
          }
          if (loc.logicalName.empty()) loc.logicalName = std::move(name);
        }
      }
    }
    return true;
  }

  void locationList(JsonValue x, const PathSeg* p, std::vector<model::Location>& out,
                    std::vector<PendingLocation>& pendingOut) {
    auto a = array(x, p);
    if (!a) return;
    out.reserve(a->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
      const PathSeg ip = p->at(i);
      model::Location& loc = out.emplace_back();
      PendingLocation pl;
      pl.jsonIndex = static_cast<std::uint32_t>(i);
      if (!location((*a)[i], &ip, loc, pl)) {
        out.pop_back();
        continue;
      }
      pendingOut.push_back(pl);
    }
  }

  void codeFlows(JsonValue x, const PathSeg* p, model::Result& r, std::vector<PendingLocation>& pendingOut) {
    auto flows = array(x, p);
    if (!flows) return;
    for (std::size_t fi = 0; fi < flows->size(); ++fi) {
      const PathSeg fp = p->at(fi);
      auto fo = object((*flows)[fi], &fp);
      if (!fo) continue;
      model::CodeFlow flow;
      for (const auto& kv : *fo) {
        const PathSeg kp = fp.child(kv.key());
        if (kv.key() == "message") {
          flow.message = messageText(kv.value(), &kp);
        } else if (kv.key() == "threadFlows") {
          auto tfs = array(kv.value(), &kp);
          if (!tfs) continue;
          for (std::size_t ti = 0; ti < tfs->size(); ++ti) {
            const PathSeg tp = kp.at(ti);
            auto to = object((*tfs)[ti], &tp);
            if (!to) continue;
            std::vector<model::ThreadFlowStep> steps;
            if (auto locs = to->if_contains("locations")) {
              const PathSeg lp = tp.child("locations");
              if (auto la = array(*locs, &lp)) {
                steps.reserve(la->size());
                for (std::size_t si = 0; si < la->size(); ++si) {
                  const PathSeg sp = lp.at(si);
                  auto so = object((*la)[si], &sp);
                  if (!so) continue;
                  model::ThreadFlowStep& step = steps.emplace_back();
                  PendingLocation pl;
                  pl.jsonIndex = static_cast<std::uint32_t>(si);
                  for (const auto& m : *so) {
                    const PathSeg mp = sp.child(m.key());
                    if (m.key() == "location") {
                      location(m.value(), &mp, step.location, pl);
                    } else if (m.key() == "kinds") {
                      std::vector<std::string> kinds;
                      stringList(m.value(), &mp, kinds);
                      for (auto& kd : kinds) {
                        if (!step.kind.empty()) step.kind += ',';
                        step.kind += kd;
                      }
                    } else if (m.key() == "nestingLevel") {
                      if (auto n = integer(m.value(), &mp)) {
                        if (*n >= 0 && *n <= std::numeric_limits<std::uint32_t>::max())
                          step.nestingLevel = static_cast<std::uint32_t>(*n);
                        else
                          sink.error(&mp, "nestingLevel must be >= 0; ignored", "range");
                      }
                    }
                  }
                  pendingOut.push_back(pl);
                }
              }
            }
            flow.threadFlows.push_back(std::move(steps));
          }
        }
      }
      r.codeFlows.push_back(std::move(flow));
    }
  }

  void fixes(JsonValue x, const PathSeg* p, model::Result& r, std::vector<PendingLocation>& pendingOut) {
    auto fa = array(x, p);
    if (!fa) return;
    for (std::size_t fi = 0; fi < fa->size(); ++fi) {
      const PathSeg fp = p->at(fi);
      auto fo = object((*fa)[fi], &fp);
      if (!fo) continue;
      model::Fix fix;
      for (const auto& kv : *fo) {
        const PathSeg kp = fp.child(kv.key());
        if (kv.key() == "description") {
          fix.description = messageText(kv.value(), &kp);
        } else if (kv.key() == "artifactChanges") {
          auto ca = array(kv.value(), &kp);
          if (!ca) continue;
          for (std::size_t ci = 0; ci < ca->size(); ++ci) {
            const PathSeg cp = kp.at(ci);
            auto co = object((*ca)[ci], &cp);
            if (!co) continue;
            model::ArtifactChange change;
            PendingLocation pl;
            pl.jsonIndex = static_cast<std::uint32_t>(ci);
            for (const auto& m : *co) {
              const PathSeg mp = cp.child(m.key());
              if (m.key() == "artifactLocation") {
                artifactLocation(m.value(), &mp, change.uri, pl);
              } else if (m.key() == "replacements") {
                auto ra = array(m.value(), &mp);
                if (!ra) continue;
                for (std::size_t ri = 0; ri < ra->size(); ++ri) {
                  const PathSeg rp = mp.at(ri);
                  auto ro = object((*ra)[ri], &rp);
                  if (!ro) continue;
                  model::Replacement rep;
                  bool hasDeleted = false;
                  for (const auto& rv : *ro) {
                    const PathSeg vp = rp.child(rv.key());
                    if (rv.key() == "deletedRegion") {
                      hasDeleted = true;
                      region(rv.value(), &vp, rep.deleted);
                    } else if (rv.key() == "insertedContent") {
                      if (auto ic = object(rv.value(), &vp)) {
                        if (auto t = ic->if_contains("text")) {
                          const PathSeg tp = vp.child("text");
                          str(*t, &tp, rep.insertedContent);
                        }
                      }
                    }
                  }
                  if (!hasDeleted) sink.warning(&rp, "replacement has no deletedRegion", "fix-no-region");
                  change.replacements.push_back(std::move(rep));
                }
              }
            }
            fix.changes.push_back(std::move(change));
            pendingOut.push_back(pl);
          }
        }
      }
      r.fixes.push_back(std::move(fix));
    }
  }

  void suppressions(JsonValue x, const PathSeg* p, model::Result& r) {
    auto a = array(x, p);
    if (!a) return;
    for (std::size_t i = 0; i < a->size(); ++i) {
      const PathSeg ip = p->at(i);
      auto o = object((*a)[i], &ip);
      if (!o) continue;
      model::Suppression s;
      for (const auto& kv : *o) {
        const PathSeg kp = ip.child(kv.key());
        if (kv.key() == "kind") str(kv.value(), &kp, s.kind);
        else if (kv.key() == "status") str(kv.value(), &kp, s.status);
        else if (kv.key() == "justification") str(kv.value(), &kp, s.justification);
      }
      if (s.kind.empty()) sink.warning(&ip, "suppression has no kind", "suppression-kind");
      r.suppressions.push_back(std::move(s));
    }
  }

  void stringMap(JsonValue x, const PathSeg* p, std::map<std::string, std::string>& out) {
    auto o = object(x, p);
    if (!o) return;
    for (const auto& kv : *o) {
      const PathSeg kp = p->child(kv.key());
      std::string v;
      if (str(kv.value(), &kp, v)) {
        const std::string_view key = kv.key();
        out[isAscii(key) || support::isValidUtf8(key) ? std::string(key) : support::sanitizeUtf8(key)] = std::move(v);
      }
    }
  }

  ComponentRef componentRef(JsonValue x, const PathSeg* p) {
    ComponentRef c;
    auto o = object(x, p);
    if (!o) return c;
    // index, then guid, then name: the most specific reference wins.
    if (auto v = o->if_contains("index")) {
      const PathSeg kp = p->child("index");
      if (auto n = integer(*v, &kp); n && *n >= 0) {
        c.by = ComponentRef::By::Index;
        c.index = *n;
        return c;
      }
    }
    if (auto v = o->if_contains("guid")) {
      const PathSeg kp = p->child("guid");
      if (str(*v, &kp, c.key) && !c.key.empty()) {
        c.by = ComponentRef::By::Guid;
        return c;
      }
    }
    if (auto v = o->if_contains("name")) {
      const PathSeg kp = p->child("name");
      if (str(*v, &kp, c.key) && !c.key.empty()) {
        c.by = ComponentRef::By::Name;
        return c;
      }
    }
    c.key.clear();
    return c;
  }

  void ruleProperties(JsonValue x, const PathSeg* p, model::Rule& rule) {
    auto o = object(x, p);
    if (!o) return;
    for (const auto& kv : *o) {
      const std::string_view k = kv.key();
      const PathSeg kp = p->child(k);
      if (k == "security-severity") {
        rule.securitySeverity = severityScore(kv.value(), &kp);
      } else if (k == "precision") {
        str(kv.value(), &kp, rule.precision);
      } else if (k == "problem.severity") {
        str(kv.value(), &kp, rule.problemSeverity);
      } else if (k == "tags") {
        stringList(kv.value(), &kp, rule.tags);
      } else if (k == "cwe" || k == "cwes" || k == "CWE") {
        // Snyk and a few others list CWEs in a property of their own.
        if (kv.value().is_string()) {
          std::string s;
          str(kv.value(), &kp, s);
          addCwe(rule, cweFromTaxonId(s));
        } else if (kv.value().is_array()) {
          std::vector<std::string> list;
          stringList(kv.value(), &kp, list);
          for (const auto& s : list) addCwe(rule, cweFromTaxonId(s));
        }
      } else {
        vulnerableSymbols(k, kv.value(), &kp, rule.vulnerableSymbols);
      }
    }
  }

  void relationships(JsonValue x, const PathSeg* p, std::uint32_t ruleIdx) {
    auto a = array(x, p);
    if (!a) return;
    for (std::size_t i = 0; i < a->size(); ++i) {
      const PathSeg ip = p->at(i);
      auto o = object((*a)[i], &ip);
      if (!o) continue;
      auto t = o->if_contains("target");
      if (!t) {
        sink.warning(&ip, "relationship has no target", "relationship-target");
        continue;
      }
      const PathSeg tp = ip.child("target");
      auto to = object(*t, &tp);
      if (!to) continue;
      PendingRelationship rel;
      rel.rule = ruleIdx;
      if (auto id = to->if_contains("id")) {
        const PathSeg idp = tp.child("id");
        str(*id, &idp, rel.id);
      }
      if (auto tc = to->if_contains("toolComponent")) {
        const PathSeg cp = tp.child("toolComponent");
        rel.taxonomy = componentRef(*tc, &cp);
        // A name is enough to decide now; index and guid need run.taxonomies, which may come later.
        if (auto co = tc->if_object()) {
          if (auto n = co->if_contains("name"); n && n->is_string()) {
            rel.taxonomy.by = ComponentRef::By::Name;
            rel.taxonomy.key = std::string(n->string());
          }
        }
      }
      if (!rel.id.empty() && rel.taxonomy.by != ComponentRef::By::Default) pendingRelationships.push_back(std::move(rel));
    }
  }

  void rule(JsonValue x, const PathSeg* p, Component& comp) {
    model::Rule rule;
    const auto ruleIdx = static_cast<std::uint32_t>(run.rules.size());
    if (auto o = object(x, p)) {
      for (const auto& kv : *o) {
        const std::string_view k = kv.key();
        JsonValue v = kv.value();
        const PathSeg kp = p->child(k);
        if (k == "id") str(v, &kp, rule.id);
        else if (k == "name") str(v, &kp, rule.name);
        else if (k == "shortDescription") rule.shortDescription = messageText(v, &kp);
        else if (k == "fullDescription") rule.fullDescription = messageText(v, &kp);
        else if (k == "helpUri") str(v, &kp, rule.helpUri);
        else if (k == "help") {
          const MessageView m = message(v, &kp);
          rule.helpText = std::string(m.text);
          rule.helpMarkdown = std::string(m.markdown);
        } else if (k == "defaultConfiguration") {
          if (auto dc = object(v, &kp)) {
            for (const auto& m : *dc) {
              const PathSeg mp = kp.child(m.key());
              if (m.key() == "level") {
                std::string l;
                if (str(m.value(), &mp, l)) {
                  if (auto lv = parseLevel(l)) rule.defaultLevel = *lv;
                  else sink.warning(&mp, "unknown level \"" + l + "\"; using \"warning\"", "level");
                }
              } else if (m.key() == "enabled") {
                if (m.value().is_bool()) rule.defaultEnabled = m.value().get_bool();
                else typeError(m.value(), &mp, "a boolean");
              }
            }
          }
        } else if (k == "properties") {
          ruleProperties(v, &kp, rule);
        } else if (k == "messageStrings") {
          if (auto ms = object(v, &kp)) {
            for (const auto& m : *ms) {
              const PathSeg mp = kp.child(m.key());
              const MessageView msg = message(m.value(), &mp);
              rule.messageStrings[std::string(m.key())] = std::string(msg.text.empty() ? msg.markdown : msg.text);
            }
          }
        } else if (k == "relationships") {
          relationships(v, &kp, ruleIdx);
        }
      }
      if (rule.id.empty()) sink.warning(p, "rule has no id", "rule-id");
    }
    for (const auto& t : rule.tags) addCwe(rule, normalizeCwe(t));
    if (!rule.id.empty()) comp.ruleById.emplace(rule.id, ruleIdx);
    run.rules.push_back(std::move(rule));
  }

  void component(JsonValue x, const PathSeg* p, bool driver) {
    components.emplace_back();
    auto o = object(x, p);
    if (!o) return;
    // Read the scalar members first so `comp` is complete before rules refer to it.
    std::string version, semanticVersion;
    std::optional<JsonValue> rules;
    Component& comp = components.back();
    for (const auto& kv : *o) {
      const std::string_view k = kv.key();
      JsonValue v = kv.value();
      const PathSeg kp = p->child(k);
      if (k == "name") {
        str(v, &kp, comp.name);
      } else if (k == "guid") {
        str(v, &kp, comp.guid);
      } else if (k == "rules") {
        rules = v;
      } else if (k == "globalMessageStrings") {
        if (auto ms = object(v, &kp)) {
          for (const auto& m : *ms) {
            const PathSeg mp = kp.child(m.key());
            const MessageView msg = message(m.value(), &mp);
            comp.globalMessageStrings[std::string(m.key())] = std::string(msg.text.empty() ? msg.markdown : msg.text);
          }
        }
      } else if (driver) {
        if (k == "version") str(v, &kp, version);
        else if (k == "semanticVersion") str(v, &kp, semanticVersion);
        else if (k == "informationUri") str(v, &kp, run.tool.informationUri);
        else if (k == "organization") str(v, &kp, run.tool.organization);
      }
    }
    if (driver) {
      run.tool.name = comp.name;
      run.tool.version = !version.empty() ? std::move(version) : std::move(semanticVersion);
      if (comp.name.empty()) sink.warning(p, "tool.driver.name is missing", "driver-name");
    }
    comp.firstRule = static_cast<std::uint32_t>(run.rules.size());
    if (rules) {
      const PathSeg rp = p->child("rules");
      if (auto ra = array(*rules, &rp)) {
        run.rules.reserve(run.rules.size() + ra->size());
        for (std::size_t i = 0; i < ra->size(); ++i) {
          const PathSeg ip = rp.at(i);
          rule((*ra)[i], &ip, components.back());
        }
      }
    }
    Component& done = components.back();
    done.ruleCount = static_cast<std::uint32_t>(run.rules.size()) - done.firstRule;
  }

  // --- linking at the end of the run ---

  const Component* findComponent(const ComponentRef& ref) const {
    switch (ref.by) {
      case ComponentRef::By::Default: return components.empty() ? nullptr : &components[0];
      case ComponentRef::By::Index:
        // toolComponentReference.index points into tool.extensions.
        if (ref.index >= 0 && static_cast<std::size_t>(ref.index) + 1 < components.size())
          return &components[static_cast<std::size_t>(ref.index) + 1];
        return nullptr;
      case ComponentRef::By::Name:
        for (const auto& c : components)
          if (c.name == ref.key) return &c;
        return nullptr;
      case ComponentRef::By::Guid:
        for (const auto& c : components)
          if (equalsIgnoreCase(c.guid, ref.key)) return &c;
        return nullptr;
    }
    return nullptr;
  }

  std::int32_t findRuleById(const Component* comp, const std::string& id) const {
    if (id.empty()) return -1;
    if (comp) {
      auto it = comp->ruleById.find(id);
      if (it != comp->ruleById.end()) return static_cast<std::int32_t>(it->second);
    }
    for (const auto& c : components) {
      auto it = c.ruleById.find(id);
      if (it != c.ruleById.end()) return static_cast<std::int32_t>(it->second);
    }
    // Hierarchical ids (3.27.5): "parent/child" reports under rule "parent".
    std::string_view prefix = id;
    while (true) {
      const auto slash = prefix.rfind('/');
      if (slash == std::string_view::npos || slash == 0) break;
      prefix = prefix.substr(0, slash);
      const std::string key(prefix);
      for (const auto& c : components) {
        auto it = c.ruleById.find(key);
        if (it != c.ruleById.end()) return static_cast<std::int32_t>(it->second);
      }
    }
    return -1;
  }

  // The rule of a result (-1: none). `tentative` (finishing early): gives up where it would
  // report a problem, since a member still to come may settle it.
  std::optional<std::int32_t> ruleFor(const model::Result& r, const PendingResult& pr, const PathSeg* rp,
                                      bool tentative) {
    const Component* comp = findComponent(pr.component);
    if (!comp && pr.component.by != ComponentRef::By::Default) {
      if (tentative) return std::nullopt;
      const PathSeg rulep = rp->child("rule");
      const PathSeg tp = rulep.child("toolComponent");
      sink.warning(&tp, "rule.toolComponent does not match any tool component; looking the rule up by id", "rule-component");
    }
    std::int32_t idx = -1;
    if (pr.ruleIndex >= 0) {
      if (comp && static_cast<std::uint64_t>(pr.ruleIndex) < comp->ruleCount) {
        idx = static_cast<std::int32_t>(comp->firstRule + static_cast<std::uint32_t>(pr.ruleIndex));
      } else if (comp || pr.component.by == ComponentRef::By::Default) {
        if (tentative) return std::nullopt;
        const PathSeg ip = rp->child("ruleIndex");
        sink.warning(&ip,
                   "ruleIndex " + std::to_string(pr.ruleIndex) + " is out of range (the tool component has " +
                       std::to_string(comp ? comp->ruleCount : 0) + " rules); looking the rule up by id",
                   "rule-index");
      }
    }
    if (idx >= 0 && !r.ruleId.empty()) {
      // A ruleIndex naming another rule than ruleId (older Trivy writes these) would take the
      // rule's help, severity and package from the wrong rule: the id wins when it names one.
      const std::string& indexed = run.rules[static_cast<std::size_t>(idx)].id;
      if (indexed != r.ruleId && !r.ruleId.starts_with(indexed + "/")) {
        const std::int32_t byId = findRuleById(comp, r.ruleId);
        if (byId >= 0) {
          if (tentative) return std::nullopt;
          const PathSeg ip = rp->child("ruleIndex");
          sink.warning(&ip, "ruleIndex " + std::to_string(pr.ruleIndex) + " names rule \"" + indexed + "\", not ruleId \"" +
                                r.ruleId + "\"; the rule is taken by its id",
                       "rule-index-mismatch");
          idx = byId;
        }
      }
    }
    if (idx < 0) idx = findRuleById(comp, r.ruleId);
    if (idx < 0 && !r.ruleId.empty() && !run.rules.empty()) {
      if (tentative) return std::nullopt;
      const PathSeg ip = rp->child("ruleId");
      sink.warning(&ip, "rule \"" + r.ruleId + "\" is not described by the tool", "rule-missing");
    }
    return idx;
  }

  void linkRule(model::Result& r, PendingResult& pr, std::int32_t idx) {
    if (idx >= 0 && r.ruleId.empty()) {
      r.ruleId = run.rules[static_cast<std::size_t>(idx)].id;
      pr.ruleIdFilled = true;
    }
    r.rule = idx;
  }

  // --- finishing ---

  // Sizes the resolution caches for the base ids seen so far; drops them when an input they
  // depend on changed.
  void prepareCache() {
    if (cacheInputs != inputKey()) {
      cache.clear();
      byNumber.clear();
      bases.clear();
      basesDone.clear();
      last = nullptr;
      lastRaw = nullptr;
      cacheInputs = inputKey();
    }
    const std::size_t n = baseNames.size() + 1;
    if (cache.size() < n) {
      cache.resize(n);
      byNumber.resize(n);
      bases.resize(n);
      basesDone.resize(n, 0);
    }
  }

  const PathResolver::Resolved& resolveUri(PathResolver& resolver, const std::string& raw, std::uint32_t base,
                                          std::uint32_t number) {
    if (number != 0) {
      auto& v = byNumber[base];
      if (number < v.size() && v[number]) return *v[number];
      const PathResolver::Resolved& res = resolveUri(resolver, raw, base, 0);
      if (number >= v.size()) v.resize(std::max<std::size_t>(number + 1, v.size() * 2), nullptr);
      v[number] = &res;
      return res;
    }
    // Consecutive locations mostly name the same file: check the last lookup before hashing.
    if (last && base == lastBase && raw == *lastRaw) return *last;
    if (!basesDone[base]) {
      if (base != 0) bases[base] = expandBase(base);
      basesDone[base] = 1;
    }
    auto& m = cache[base];
    auto it = m.find(raw);
    if (it == m.end()) {
      std::string expanded;
      if (base != 0 && bases[base] && !isAbsoluteRef(raw)) expanded = joinUri(*bases[base], raw);
      else expanded = raw;
      it = m.emplace(raw, resolver.resolve(expanded)).first;
    }
    lastRaw = &it->first;
    lastBase = base;
    last = &it->second;
    return it->second;
  }

  // The artifact a location names by index, when it names one in range.
  const Artifact* artifactOf(const PendingLocation& pl) const noexcept {
    if (pl.artifact < 0 || static_cast<std::size_t>(pl.artifact) >= artifacts.size()) return nullptr;
    return &artifacts[static_cast<std::size_t>(pl.artifact)];
  }

  // Fills uri/resolved of one location (or artifact change) from its pending data.
  const PathResolver::Resolved* place(PathResolver& resolver, std::string& uri, bool& resolved,
                                      const PendingLocation& pl, const PathSeg* where, bool report) {
    std::uint32_t base = pl.base;
    std::uint32_t number = pl.uriNumber;
    if (uri.empty() && pl.artifact >= 0) {
      if (const Artifact* a = artifactOf(pl)) {
        uri = a->uri;
        number = a->uriNumber;
        if (base == 0) base = a->base;
      } else if (where) {
        const PathSeg php = where->child("physicalLocation");
        const PathSeg alp = php.child("artifactLocation");
        const PathSeg ap = alp.child("index");
        sink.error(&ap,
                   "artifactLocation.index " + std::to_string(pl.artifact) + " is out of range (the run has " +
                       std::to_string(artifacts.size()) + " artifacts)",
                   "artifact-index");
      }
    } else if (base == 0) {
      if (const Artifact* a = artifactOf(pl)) base = a->base;
    }
    if (uri.empty()) return nullptr;
    const PathResolver::Resolved& res = resolveUri(resolver, uri, base, number);
    if (report && !res.inside && !resolver.root().empty() && where) {
      const PathSeg php = where->child("physicalLocation");
      const PathSeg alp = php.child("artifactLocation");
      const PathSeg up = alp.child("uri");
      sink.warning(&up, "\"" + uri + "\" is outside the workspace; the result is kept unplaced", "outside-workspace");
    }
    uri = res.path;
    resolved = res.inside;
    return &res;
  }

  void fixRegion(SourceCache& sources, model::Region& r, const PathResolver::Resolved* res, const PathSeg* where) {
    if (r.startLine > 0 || r.charOffset < 0 || !res || !res->inside || !res->exists) return;
    if (const SourceCache::Lines* lines = sources.lines(res->path)) convertOffsets(r, *lines, utf16, sink, where);
  }

  // The message template a result names by id, from its rule or else the tool's components.
  const std::string* messageTemplate(const model::Rule* rule, const std::string& id) const {
    if (rule) {
      auto it = rule->messageStrings.find(id);
      if (it != rule->messageStrings.end()) return &it->second;
    }
    for (const auto& c : components) {
      auto it = c.globalMessageStrings.find(id);
      if (it != c.globalMessageStrings.end()) return &it->second;
    }
    return nullptr;
  }

  // Default level, message id lookup and a message for results that have none; after linkRule.
  void finishMessage(model::Result& r, PendingResult& pr, const PathSeg* rp) {
    const model::Rule* rule = r.rule >= 0 ? &run.rules[static_cast<std::size_t>(r.rule)] : nullptr;
    if (!pr.levelGiven) {
      if (r.kind != model::ResultKind::Fail) r.level = model::Level::None;
      else r.level = rule ? rule->defaultLevel : model::Level::Warning;
    }
    if (!pr.messageId.empty()) {
      if (const std::string* tmpl = messageTemplate(rule, pr.messageId)) {
        if (r.message.empty()) pr.messageFilled = true;
        r.message = formatMessage(*tmpl, pr.arguments);
      } else if (r.message.empty() && rp) {
        const PathSeg msgp = rp->child("message");
        const PathSeg mp = msgp.child("id");
        sink.warning(&mp, "message id \"" + pr.messageId + "\" is not defined by the rule or the tool", "message-id");
      }
    }
    // A result always reads as something: some tools leave the message empty and describe the
    // finding only through the rule.
    if (!r.message.empty()) return;
    pr.messageFilled = true;
    if (!r.messageMarkdown.empty()) {
      r.message = r.messageMarkdown;
      return;
    }
    if (rule) {
      for (const std::string* alt : {&rule->shortDescription, &rule->fullDescription, &rule->name}) {
        if (!alt->empty()) {
          r.message = *alt;
          return;
        }
      }
    }
    r.message = r.ruleId;
  }

  // Calls f(uri, resolved, pending location index, kind, location or null, change or null) for
  // every place of a result, in the order result() built its pending list.
  template <typename F>
  void forEachPlace(model::Result& r, const PendingResult& pr, F&& f) {
    std::size_t k = pr.locationStart;
    const std::size_t end = pr.locationStart + pr.locationCount;
    auto visit = [&](std::string& uri, bool& resolved, Place kind, model::Location* loc, model::ArtifactChange* ch) {
      // A place without a pending entry (there is always one; defensive) is left as it is.
      if (k < end) f(uri, resolved, k++, kind, loc, ch);
    };
    for (auto& loc : r.locations) visit(loc.uri, loc.resolved, Place::Primary, &loc, nullptr);
    for (auto& loc : r.relatedLocations) visit(loc.uri, loc.resolved, Place::Related, &loc, nullptr);
    for (auto& flow : r.codeFlows)
      for (auto& thread : flow.threadFlows)
        for (auto& step : thread) visit(step.location.uri, step.location.resolved, Place::FlowStep, &step.location, nullptr);
    for (auto& fix : r.fixes)
      for (auto& change : fix.changes) visit(change.uri, change.resolved, Place::FixChange, nullptr, &change);
  }

  // Finishing a result early, before the run ends (RunBuilder::finishReady). It happens only
  // when nothing would be reported: anything a later member of the run could still change
  // (an unknown rule or message id, an artifact index out of range, a path outside the
  // workspace, offsets to convert) leaves the result to finish(), which reports it then.
  bool finishEarly(model::Result& r, PendingResult& pr, std::uint32_t runIndex, PathResolver& resolver) {
    const std::optional<std::int32_t> idx = ruleFor(r, pr, nullptr, true);
    if (!idx) return false;
    if (!pr.messageId.empty()) {
      const model::Rule* rule = *idx >= 0 ? &run.rules[static_cast<std::size_t>(*idx)] : nullptr;
      if (!r.message.empty() || !messageTemplate(rule, pr.messageId)) return false;
    }
    placed.clear();
    bool ok = true;
    forEachPlace(r, pr, [&](std::string& uri, bool&, std::size_t k, Place kind, model::Location* loc,
                            model::ArtifactChange* change) {
      if (!ok) return;
      const PendingLocation& pl = pendingLocations[k];
      std::uint32_t base = pl.base;
      const std::string* u = &uri;
      const Artifact* a = artifactOf(pl);
      if (pl.artifact >= 0 && !a) {
        ok = false;
        return;
      }
      std::uint32_t number = pl.uriNumber;
      if (uri.empty() && a) {
        u = &a->uri;
        number = a->uriNumber;
      }
      if (base == 0 && a) base = a->base;
      if (base != 0) pr.usedBase = true;
      bool offsets = false;
      forRegions(loc, change, [&](model::Region& g) { offsets |= g.startLine == 0 && g.charOffset >= 0; });
      if (offsets) {
        ok = false;
        return;
      }
      if (u->empty()) {
        placed.push_back(nullptr);
        return;
      }
      const PathResolver::Resolved& res = resolveUri(resolver, *u, base, number);
      if (kind == Place::Primary && !res.inside && !resolver.root().empty()) {
        ok = false;
        return;
      }
      placed.push_back(&res);
    });
    if (!ok) {
      pr.usedBase = false;
      return false;
    }

    r.run = runIndex;
    linkRule(r, pr, *idx);
    finishMessage(r, pr, nullptr);
    pr.rawStart = static_cast<std::uint32_t>(rawUris.size());
    std::size_t j = 0;
    forEachPlace(r, pr, [&](std::string& uri, bool& resolved, std::size_t k, Place, model::Location*,
                            model::ArtifactChange*) {
      const PathResolver::Resolved* res = placed[j++];
      if (!res) return;
      if (uri != res->path) {
        rawUris.push_back({k, std::move(uri)});
        uri = res->path;
      }
      resolved = res->inside;
    });
    pr.rawCount = static_cast<std::uint32_t>(rawUris.size() - pr.rawStart);
    pr.finished = true;
    return true;
  }

  // Undoes finishEarly.
  void unfinish(model::Result& r, PendingResult& pr) {
    if (pr.ruleIdFilled) r.ruleId.clear();
    if (pr.messageFilled) r.message.clear();
    r.rule = -1;
    std::size_t j = pr.rawStart;
    const std::size_t end = pr.rawStart + pr.rawCount;
    forEachPlace(r, pr, [&](std::string& uri, bool& resolved, std::size_t k, Place, model::Location*,
                            model::ArtifactChange*) {
      resolved = false;
      if (j < end && rawUris[j].location == k) uri = std::move(rawUris[j++].uri);
    });
    pr.finished = pr.usedBase = pr.ruleIdFilled = pr.messageFilled = false;
    pr.rawCount = 0;
  }

  std::optional<std::string> expandBase(std::uint32_t baseId) {
    if (baseId == 0) return std::nullopt;
    std::string name = baseNames[baseId - 1];
    std::string suffix;
    for (int depth = 0; depth < 16; ++depth) {
      auto it = baseDefs.find(name);
      if (it == baseDefs.end()) {
        // An undefined base (typically %SRCROOT%) is the workspace root.
        return suffix;
      }
      const auto& def = it->second;
      std::string cur = joinUri(def.uri, suffix);
      if (def.uri.empty()) cur = suffix;
      if (isAbsoluteRef(def.uri) || def.parent.empty()) return cur;
      suffix = std::move(cur);
      name = def.parent;
    }
    return suffix;  // cycle: give up on the chain and use what was collected
  }
};

// --- RunBuilder -------------------------------------------------------------------------------

RunBuilder::RunBuilder(const std::string& file, std::uint32_t indexInFile, ProblemSink& sink, model::ScanSet& out)
    : s_(std::make_unique<State>(sink, file, indexInFile, out.results)), out_(out) {
  s_->run.file = file;
  s_->run.index = indexInFile;
}

RunBuilder::~RunBuilder() = default;

std::size_t RunBuilder::resultCount() const noexcept {
  return s_->firstResult == State::kNotStarted ? 0 : s_->results.size() - s_->firstResult;
}

void RunBuilder::expectResults(std::size_t n) {
  const std::size_t first = s_->first();
  if (first + n > s_->results.capacity()) s_->results.reserve(first + n);
  if (n > s_->pending.capacity()) s_->pending.reserve(n);
}

void RunBuilder::tool(JsonValue v, const PathSeg* path) {
  State& s = *s_;
  ++s.inputs;
  if (s.toolSeen) {
    s.sink.warning(path, "run has more than one tool member; the later one was ignored");
    return;
  }
  s.toolSeen = true;
  auto o = s.object(v, path);
  if (!o) return;
  auto driver = o->if_contains("driver");
  const PathSeg dp = path->child("driver");
  if (!driver) {
    s.sink.warning(path, "tool.driver is missing", "driver-missing");
    s.components.emplace_back();
  } else {
    s.component(*driver, &dp, true);
  }
  if (auto ext = o->if_contains("extensions")) {
    const PathSeg ep = path->child("extensions");
    if (auto ea = s.array(*ext, &ep)) {
      for (std::size_t i = 0; i < ea->size(); ++i) {
        const PathSeg ip = ep.at(i);
        s.component((*ea)[i], &ip, false);
      }
    }
  }
}

void RunBuilder::result(JsonValue v, std::uint32_t index, const PathSeg* path) {
  State& s = *s_;
  auto o = v.if_object();
  if (!o) {
    s.sink.error(path, std::string("result must be an object, found ") + kindName(v) + "; result skipped", "result-type");
    return;
  }
  // Built in place: a Result is large, and moving one per result showed in profiles.
  s.first();
  model::Result& r = s.results.emplace_back();
  PendingResult& pr = s.pending.emplace_back();
  r.source.file = s.file;
  r.source.run = s.indexInFile;
  r.source.result = index;
  bool hasMessage = false;
  std::optional<model::Level> level;
  // Members come in any order; the pending list follows the model's visiting order
  // (locations, relatedLocations, codeFlows, fixes), so collect per kind and join at the end.
  // The scratch lists live in the builder so their storage is reused from result to result.
  auto& pLocations = s.scratch[0];
  auto& pRelated = s.scratch[1];
  auto& pFlows = s.scratch[2];
  auto& pFixes = s.scratch[3];
  for (auto& list : s.scratch) list.clear();
  for (const auto& kv : *o) {
    const std::string_view k = kv.key();
    JsonValue x = kv.value();
    const PathSeg kp = path->child(k);
    switch (k.size() ? k[0] : '\0') {
      case 'b':
        if (k == "baselineState") {
          std::string b;
          if (s.str(x, &kp, b)) {
            if (auto bs = parseBaseline(b)) r.baselineState = *bs;
            else s.sink.warning(&kp, "unknown baselineState \"" + b + "\"", "baseline");
          }
        }
        break;
      case 'c':
        if (k == "codeFlows") s.codeFlows(x, &kp, r, pFlows);
        else if (k == "correlationGuid") s.str(x, &kp, r.correlationGuid);
        break;
      case 'f':
        if (k == "fixes") s.fixes(x, &kp, r, pFixes);
        else if (k == "fingerprints") s.stringMap(x, &kp, r.fingerprints);
        break;
      case 'g':
        if (k == "guid") s.str(x, &kp, r.guid);
        break;
      case 'k':
        if (k == "kind") {
          std::string kd;
          if (s.str(x, &kp, kd)) {
            if (auto rk = parseKind(kd)) r.kind = *rk;
            else s.sink.warning(&kp, "unknown kind \"" + kd + "\"; using \"fail\"", "kind");
          }
        }
        break;
      case 'l':
        if (k == "level") {
          std::string l;
          if (s.str(x, &kp, l)) {
            if (auto lv = parseLevel(l)) level = *lv;
            else s.sink.warning(&kp, "unknown level \"" + l + "\"; using the default", "level");
          }
        } else if (k == "locations") {
          s.locationList(x, &kp, r.locations, pLocations);
        }
        break;
      case 'm':
        if (k == "message") {
          const MessageView m = s.message(x, &kp);
          hasMessage = m.present;
          if (!m.text.empty()) r.message = s.formattedText(m);
          if (!m.markdown.empty()) r.messageMarkdown = formatWith(m.markdown, s.argViews);
          if (!m.id.empty()) {
            pr.messageId = std::string(m.id);
            pr.arguments.assign(s.argViews.begin(), s.argViews.end());
          }
        }
        break;
      case 'p':
        if (k == "partialFingerprints") {
          s.stringMap(x, &kp, r.partialFingerprints);
        } else if (k == "properties") {
          if (auto po = s.object(x, &kp)) {
            for (const auto& m : *po) {
              const PathSeg mp = kp.child(m.key());
              if (m.key() == "tags") s.stringList(m.value(), &mp, r.tags);
              else if (m.key() == "security-severity") r.securitySeverity = s.severityScore(m.value(), &mp);
              else s.vulnerableSymbols(m.key(), m.value(), &mp, r.vulnerableSymbols);
            }
          }
        }
        break;
      case 'r':
        if (k == "ruleId") {
          s.str(x, &kp, r.ruleId);
        } else if (k == "ruleIndex") {
          if (auto n = s.integer(x, &kp)) {
            if (*n >= 0) pr.ruleIndex = *n;
            else if (*n != -1) s.sink.error(&kp, "ruleIndex must be >= 0; ignored", "rule-index");
          }
        } else if (k == "rule") {
          if (auto ro = s.object(x, &kp)) {
            for (const auto& m : *ro) {
              const PathSeg mp = kp.child(m.key());
              if (m.key() == "id") {
                std::string id;
                if (s.str(m.value(), &mp, id) && r.ruleId.empty()) r.ruleId = std::move(id);
              } else if (m.key() == "index") {
                if (auto n = s.integer(m.value(), &mp); n && *n >= 0 && pr.ruleIndex < 0) pr.ruleIndex = *n;
              } else if (m.key() == "toolComponent") {
                pr.component = s.componentRef(m.value(), &mp);
              }
            }
          }
        } else if (k == "relatedLocations") {
          s.locationList(x, &kp, r.relatedLocations, pRelated);
        } else if (k == "rank") {
          if (auto d = s.number(x, &kp)) {
            if (*d >= 0 && *d <= 100) r.rank = *d;
            else if (*d != -1) s.sink.warning(&kp, "rank must be from 0 to 100; ignored", "rank");
          }
        }
        break;
      case 's':
        if (k == "suppressions") s.suppressions(x, &kp, r);
        break;
      case 'w':
        // DAST (ZAP, Burp): the request that showed the problem; its URL places the finding at
        // the route handler that serves it (mapping/routes.h).
        if (k == "webRequest") {
          if (auto wo = s.object(x, &kp)) {
            model::WebRequest w;
            for (const auto& m : *wo) {
              const PathSeg mp = kp.child(m.key());
              if (m.key() == "method") s.str(m.value(), &mp, w.method);
              else if (m.key() == "target") s.str(m.value(), &mp, w.target);
            }
            for (char& c : w.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            if (!w.method.empty() || !w.target.empty()) r.webRequest = std::make_shared<const model::WebRequest>(std::move(w));
          }
        }
        break;
      default: break;
    }
  }
  if (!hasMessage) s.sink.warning(path, "result has no message", "no-message");
  if (level) {
    r.level = *level;
    pr.levelGiven = true;
  }
  pr.locationStart = s.pendingLocations.size();
  for (auto* part : {&pLocations, &pRelated, &pFlows, &pFixes})
    s.pendingLocations.insert(s.pendingLocations.end(), part->begin(), part->end());
  pr.locationCount = static_cast<std::uint32_t>(s.pendingLocations.size() - pr.locationStart);
}

void RunBuilder::artifact(JsonValue v, std::uint32_t index, const PathSeg* path) {
  State& s = *s_;
  // Artifacts come in index order, so a new one never changes a location that names an index
  // already read; one read again (a second artifacts array) may.
  if (index < s.artifacts.size()) ++s.inputs;
  if (s.artifacts.size() <= index) s.artifacts.resize(static_cast<std::size_t>(index) + 1);
  auto o = s.object(v, path);
  if (!o) return;
  if (auto loc = o->if_contains("location")) {
    const PathSeg lp = path->child("location");
    PendingLocation pl;
    s.artifactLocation(*loc, &lp, s.artifacts[index].uri, pl);
    s.artifacts[index].base = pl.base;
    s.artifacts[index].uriNumber = pl.uriNumber;
  }
}

void RunBuilder::originalUriBaseIds(JsonValue v, const PathSeg* path) {
  State& s = *s_;
  ++s.baseInputs;
  auto o = s.object(v, path);
  if (!o) return;
  for (const auto& kv : *o) {
    const PathSeg kp = path->child(kv.key());
    auto bo = s.object(kv.value(), &kp);
    if (!bo) continue;
    State::BaseDef def;
    for (const auto& m : *bo) {
      const PathSeg mp = kp.child(m.key());
      if (m.key() == "uri") s.str(m.value(), &mp, def.uri);
      else if (m.key() == "uriBaseId") s.str(m.value(), &mp, def.parent);
    }
    s.baseDefs[std::string(kv.key())] = std::move(def);
  }
}

void RunBuilder::versionControlProvenance(JsonValue v, const PathSeg* path) {
  State& s = *s_;
  auto a = s.array(v, path);
  if (!a) return;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const PathSeg ip = path->at(i);
    auto o = s.object((*a)[i], &ip);
    if (!o) continue;
    std::string revision, repo, branch;
    for (const auto& kv : *o) {
      const PathSeg kp = ip.child(kv.key());
      if (kv.key() == "revisionId") s.str(kv.value(), &kp, revision);
      else if (kv.key() == "repositoryUri") s.str(kv.value(), &kp, repo);
      else if (kv.key() == "branch") s.str(kv.value(), &kp, branch);
    }
    if (repo.empty()) s.sink.warning(&ip, "versionControlProvenance entry has no repositoryUri", "vcp-repo");
    // The first entry describes the scanned repository; later ones are usually dependencies.
    if (s.run.repositoryUri.empty() && s.run.revision.empty()) {
      s.run.revision = std::move(revision);
      s.run.repositoryUri = std::move(repo);
      s.run.branch = std::move(branch);
    }
  }
}

void RunBuilder::automationDetails(JsonValue v, const PathSeg* path) {
  State& s = *s_;
  auto o = s.object(v, path);
  if (!o) return;
  if (auto id = o->if_contains("id")) {
    const PathSeg ip = path->child("id");
    s.str(*id, &ip, s.run.automationId);
  }
}

void RunBuilder::taxonomies(JsonValue v, const PathSeg* path) {
  State& s = *s_;
  auto a = s.array(v, path);
  if (!a) return;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const PathSeg ip = path->at(i);
    State::Taxonomy t;
    if (auto o = s.object((*a)[i], &ip)) {
      for (const auto& kv : *o) {
        const PathSeg kp = ip.child(kv.key());
        if (kv.key() == "name") s.str(kv.value(), &kp, t.name);
        else if (kv.key() == "guid") s.str(kv.value(), &kp, t.guid);
      }
    }
    s.taxonomies.push_back(std::move(t));
  }
}

void RunBuilder::columnKind(JsonValue v, const PathSeg* path) {
  State& s = *s_;
  std::string k;
  if (!s.str(v, path, k)) return;
  if (k == "utf16CodeUnits") s.utf16 = true;
  else if (k == "unicodeCodePoints") s.utf16 = false;
  else s.sink.warning(path, "unknown columnKind \"" + k + "\"; using utf16CodeUnits");
}

// --- finishing ---------------------------------------------------------------------------------

namespace {

void convertOffsets(model::Region& r, const SourceCache::Lines& lines, bool utf16, ProblemSink& sink,
                    const PathSeg* path) {
  const auto& starts = utf16 ? lines.starts16 : lines.startsCp;
  if (starts.size() < 2) return;
  const std::uint64_t total = starts.back();  // sentinel: units in the whole file
  const auto begin = static_cast<std::uint64_t>(r.charOffset);
  const std::uint64_t end = begin + static_cast<std::uint64_t>(std::max<std::int64_t>(r.charLength, 0));
  if (end > total) {
    sink.warning(path, "charOffset/charLength run past the end of the file; offsets kept as given", "offset-range");
    return;
  }
  auto place = [&](std::uint64_t off, std::uint32_t& line, std::uint32_t& col) {
    // starts[0..n-2] are line starts, starts[n-1] the sentinel.
    auto it = std::upper_bound(starts.begin(), starts.end() - 1, off);
    const auto li = static_cast<std::size_t>(it - starts.begin()) - 1;
    line = static_cast<std::uint32_t>(li + 1);
    col = static_cast<std::uint32_t>(off - starts[li] + 1);
  };
  place(begin, r.startLine, r.startColumn);
  place(end, r.endLine, r.endColumn);
}

}  // namespace

const SourceCache::Lines* SourceCache::lines(const std::string& relativePath) {
  auto it = cache_.find(relativePath);
  if (it != cache_.end()) return it->second.get();
  std::unique_ptr<Lines> out;
  // Bounded: offsets are converted for a handful of files, never for a whole checkout's worth.
  constexpr std::uint64_t kMaxFile = 64ULL << 20;
  constexpr std::uint64_t kMaxTotal = 512ULL << 20;
  if (!root_.empty() && bytesRead_ < kMaxTotal) {
    std::string text;
    bool tooBig = false;
    const auto err = support::readFileChunks(root_ + "/" + relativePath, 1 << 20, [&](std::string_view c) {
      if (text.size() + c.size() > kMaxFile) {
        tooBig = true;
        return false;
      }
      text.append(c);
      return true;
    });
    if (!err && !tooBig) {
      bytesRead_ += text.size();
      out = std::make_unique<Lines>();
      std::uint64_t u16 = 0, cp = 0;
      out->starts16.push_back(0);
      out->startsCp.push_back(0);
      for (std::size_t i = 0; i < text.size(); ++i) {
        const auto b = static_cast<unsigned char>(text[i]);
        if ((b & 0xC0) != 0x80) {  // not a continuation byte: one code point starts here
          ++cp;
          u16 += (b >= 0xF0 && b <= 0xF7) ? 2 : 1;
        }
        if (b == '\n') {
          out->starts16.push_back(u16);
          out->startsCp.push_back(cp);
        }
      }
      out->starts16.push_back(u16);
      out->startsCp.push_back(cp);
    }
  }
  const Lines* p = out.get();
  cache_.emplace(relativePath, std::move(out));
  return p;
}

void RunBuilder::finishReady(PathResolver& resolver) {
  State& s = *s_;
  if (s.earlyOff || !s.toolSeen || s.firstResult == State::kNotStarted) return;
  if (s.early && (s.inputs != s.earlyInputs || s.baseInputs != s.earlyBaseInputs)) {
    s.earlyOff = true;  // finish() undoes and redoes what this changed
    return;
  }
  const auto runIndex = static_cast<std::uint32_t>(out_.runs.size());
  if (!s.early) {
    s.early = true;
    s.earlyInputs = s.inputs;
    s.earlyBaseInputs = s.baseInputs;
    s.earlyRunIndex = runIndex;
  }
  s.prepareCache();
  for (; s.earlyNext < s.pending.size(); ++s.earlyNext)
    s.finishEarly(s.results[s.firstResult + s.earlyNext], s.pending[s.earlyNext], runIndex, resolver);
}

void RunBuilder::finish(PathResolver& resolver, SourceCache& sources) {
  State& s = *s_;
  model::ScanSet& out = out_;
  ProblemSink& sink = s.sink;
  const PathSeg root{};
  const PathSeg runsSeg = root.child("runs");
  const PathSeg runSeg = runsSeg.at(s.indexInFile);
  const PathSeg resultsSeg = runSeg.child("results");

  if (!s.toolSeen) {
    sink.warning(&runSeg, "run has no tool", "no-tool");
    s.components.emplace_back();
  }

  // CWE relationships that name their taxonomy by index or guid.
  for (auto& rel : s.pendingRelationships) {
    std::string name;
    if (rel.taxonomy.by == ComponentRef::By::Name) {
      name = rel.taxonomy.key;
    } else if (rel.taxonomy.by == ComponentRef::By::Index) {
      if (rel.taxonomy.index >= 0 && static_cast<std::size_t>(rel.taxonomy.index) < s.taxonomies.size())
        name = s.taxonomies[static_cast<std::size_t>(rel.taxonomy.index)].name;
    } else if (rel.taxonomy.by == ComponentRef::By::Guid) {
      for (const auto& t : s.taxonomies)
        if (equalsIgnoreCase(t.guid, rel.taxonomy.key)) name = t.name;
    }
    if (equalsIgnoreCase(name, "CWE")) addCwe(s.run.rules[rel.rule], cweFromTaxonId(rel.id));
  }

  s.prepareCache();
  const std::uint32_t runIndex = static_cast<std::uint32_t>(out.runs.size());
  if (s.early) {
    // A member that finishing depends on came after results were finished early: undo what it
    // changes and finish it again below, with everything known.
    const bool all = s.inputs != s.earlyInputs || s.earlyRunIndex != runIndex;
    const bool based = s.baseInputs != s.earlyBaseInputs;
    if (all || based) {
      for (std::size_t j = 0; j < s.pending.size(); ++j) {
        PendingResult& pr = s.pending[j];
        if (pr.finished && (all || pr.usedBase)) s.unfinish(s.results[s.firstResult + j], pr);
      }
    }
  }

  for (std::size_t i = s.first(); i < s.results.size(); ++i) {
    PendingResult& pr = s.pending[i - s.firstResult];
    if (pr.finished) {
      pr = PendingResult{};
      continue;
    }
    model::Result& r = s.results[i];
    const PathSeg rp = resultsSeg.at(r.source.result);
    r.run = runIndex;
    s.linkRule(r, pr, *s.ruleFor(r, pr, &rp, false));
    s.finishMessage(r, pr, &rp);

    // Visit every location in the order the pending list was built (see result()).
    const PathSeg locsSeg = rp.child("locations");
    const PathSeg relSeg = rp.child("relatedLocations");
    s.forEachPlace(r, pr, [&](std::string& uri, bool& resolved, std::size_t k, Place kind, model::Location* loc,
                              model::ArtifactChange* change) {
      const PendingLocation& pl = s.pendingLocations[k];
      std::optional<PathSeg> lp;
      if (kind == Place::Primary) lp.emplace(locsSeg.at(pl.jsonIndex));
      else if (kind == Place::Related) lp.emplace(relSeg.at(pl.jsonIndex));
      const PathSeg* where = lp ? &*lp : nullptr;
      const auto* res = s.place(resolver, uri, resolved, pl, where, kind == Place::Primary);
      forRegions(loc, change, [&](model::Region& g) { s.fixRegion(sources, g, res, where); });
    });
    pr = PendingResult{};  // release pending memory as we go
  }

  out.runs.push_back(std::move(s.run));
  s.pending = {};
  s.pendingLocations = {};
}

namespace {

// `Args` is a vector of std::string or of std::string_view.
template <typename Args>
std::string formatWith(std::string_view tmpl, const Args& arguments) {
  if (tmpl.empty()) return {};
  if (!std::memchr(tmpl.data(), '{', tmpl.size()) && !std::memchr(tmpl.data(), '}', tmpl.size()))
    return std::string(tmpl);
  std::string out;
  out.reserve(tmpl.size() + 16);
  std::size_t i = 0;
  while (i < tmpl.size()) {
    std::size_t plain = i;
    while (plain < tmpl.size() && tmpl[plain] != '{' && tmpl[plain] != '}') ++plain;
    out.append(tmpl.data() + i, plain - i);
    i = plain;
    if (i >= tmpl.size()) break;
    const char c = tmpl[i];
    if (i + 1 < tmpl.size() && tmpl[i + 1] == c) {  // "{{" or "}}"
      out += c;
      i += 2;
      continue;
    }
    if (c == '{') {
      std::size_t j = i + 1;
      std::size_t n = 0;
      while (j < tmpl.size() && tmpl[j] >= '0' && tmpl[j] <= '9' && j - i <= 9) {
        n = n * 10 + static_cast<std::size_t>(tmpl[j] - '0');
        ++j;
      }
      if (j > i + 1 && j < tmpl.size() && tmpl[j] == '}' && n < arguments.size()) {
        out += arguments[n];
        i = j + 1;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

}  // namespace

std::string formatMessage(std::string_view tmpl, const std::vector<std::string>& arguments) {
  return formatWith(tmpl, arguments);
}

}  // namespace aspm::ingest::sarif
