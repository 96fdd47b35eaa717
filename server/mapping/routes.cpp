// Route registrations from the routes queries, turned into (methods, path template) per
// framework, and the segment matcher that scores a request path against them.
#include "mapping/routes.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>
#include <set>

#include "mapping/reachability.h"
#include "support/file.h"
#include "syntax/document.h"
#include "syntax/query.h"

namespace aspm::mapping {
namespace {

namespace fs = std::filesystem;

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool isHttpMethod(std::string_view m) {
  static const std::set<std::string, std::less<>> kMethods = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"};
  return kMethods.contains(m);
}

// The string literals in a piece of source ("value = {\"/a\", '/b'}" -> /a, /b).
std::vector<std::string> stringLiterals(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char q = text[i];
    if (q != '"' && q != '\'') continue;
    std::string s;
    std::size_t j = i + 1;
    for (; j < text.size() && text[j] != q; ++j) {
      if (text[j] == '\\' && j + 1 < text.size()) ++j;
      s += text[j];
    }
    out.push_back(std::move(s));
    i = j;
  }
  return out;
}

// Top-level `key = value` parts of an argument list; a part without a key gets `positional`.
std::vector<std::pair<std::string, std::string>> arguments(std::string_view text, std::string_view positional) {
  if (text.size() >= 2 && text.front() == '(' && text.back() == ')') text = text.substr(1, text.size() - 2);
  std::vector<std::pair<std::string, std::string>> out;
  int depth = 0;
  char quote = 0;
  std::size_t start = 0;
  auto flush = [&](std::size_t end) {
    std::string_view part = text.substr(start, end - start);
    std::size_t eq = std::string_view::npos;
    int d = 0;
    char qq = 0;
    for (std::size_t i = 0; i < part.size(); ++i) {
      const char c = part[i];
      if (qq) {
        if (c == '\\') ++i;
        else if (c == qq) qq = 0;
      } else if (c == '"' || c == '\'') {
        qq = c;
      } else if (c == '(' || c == '[' || c == '{') {
        ++d;
      } else if (c == ')' || c == ']' || c == '}') {
        --d;
      } else if (c == '=' && d == 0 && (i + 1 >= part.size() || part[i + 1] != '=')) {
        eq = i;
        break;
      }
    }
    auto trim = [](std::string_view s) {
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
      return std::string(s);
    };
    if (eq == std::string_view::npos) out.emplace_back(std::string(positional), trim(part));
    else out.emplace_back(trim(part.substr(0, eq)), trim(part.substr(eq + 1)));
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      flush(i);
      start = i + 1;
    }
  }
  if (start < text.size()) flush(text.size());
  return out;
}

// HTTP method names written in `text` as words ("RequestMethod.GET", "['GET', 'post']").
std::vector<std::string> methodWords(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  auto take = [&] {
    const std::string m = upper(word);
    if (isHttpMethod(m) && std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    word.clear();
  };
  for (char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c))) word += c;
    else take();
  }
  take();
  return out;
}

std::string joinPath(std::string_view prefix, std::string_view path) {
  std::string p(prefix);
  while (!p.empty() && p.back() == '/') p.pop_back();
  if (path.empty()) return p.empty() ? "/" : p;
  if (path.front() != '/') p += '/';
  return p + std::string(path);
}

struct Captured {
  std::string_view name;
  std::string text;
  std::uint32_t line = 0;  // 0-based
  std::uint32_t startByte = 0;
  std::uint32_t endByte = 0;
};

const Captured* find(const std::vector<Captured>& cs, std::string_view name) {
  for (const auto& c : cs)
    if (c.name == name) return &c;
  return nullptr;
}

// JS receivers that are HTTP clients, not servers: `axios.get('/api/x')` requests a route.
bool clientObject(std::string_view object) {
  static const std::set<std::string, std::less<>> kClients = {"axios", "http", "https", "request", "superagent", "got",
                                                               "fetch", "$", "jQuery", "client", "ky", "needle", "supertest"};
  const auto dot = object.rfind('.');
  return kClients.contains(dot == std::string_view::npos ? object : object.substr(dot + 1));
}

void routesFromMatch(syntax::Language language, const std::vector<Captured>& cs, const std::string& file,
                     std::string_view text, std::vector<Route>& out) {
  using L = syntax::Language;
  const Captured* route = find(cs, "route");
  const Captured* verb = find(cs, "route.verb");
  const Captured* path = find(cs, "route.path");
  const Captured* handler = find(cs, "route.handler");
  if (!route || !verb) return;
  Route r;
  r.file = file;
  r.line = (handler ? handler->line : route->line) + 1;
  if (handler) r.handler = handler->text;
  switch (language) {
    case L::JavaScript:
    case L::TypeScript:
    case L::Tsx: {
      static const std::set<std::string, std::less<>> kVerbs = {"get", "post", "put", "delete", "del", "patch",
                                                                "options", "head", "all"};
      const Captured* object = find(cs, "route.object");
      if (!path || !kVerbs.contains(verb->text) || !path->text.starts_with('/')) return;
      if (object && clientObject(object->text)) return;
      // A server registration names a handler after the path; a client call's second argument
      // is data or options, seldom a function, so one-argument calls are skipped.
      const std::string_view call = text.substr(route->startByte, route->endByte - route->startByte);
      if (call.find(',', call.find(path->text) + path->text.size()) == std::string_view::npos) return;
      r.framework = "express";
      r.path = path->text;
      if (verb->text != "all") r.methods = {verb->text == "del" ? std::string("DELETE") : upper(verb->text)};
      out.push_back(std::move(r));
      return;
    }
    case L::Python: {
      static const std::set<std::string, std::less<>> kVerbs = {"route", "api_route", "get", "post", "put",
                                                                "delete", "patch", "options", "head"};
      if (!path || !kVerbs.contains(verb->text) || !path->text.starts_with('/')) return;
      r.framework = text.find("fastapi") != std::string_view::npos ? "fastapi" : "flask";
      r.path = path->text;
      if (verb->text == "route" || verb->text == "api_route") {
        if (const Captured* args = find(cs, "route.args"))
          for (const auto& [key, value] : arguments(args->text, ""))
            if (key == "methods") r.methods = methodWords(value);
        // Flask's route() answers GET (and HEAD) unless told otherwise.
        if (r.methods.empty() && verb->text == "route") r.methods = {"GET", "HEAD"};
      } else {
        r.methods = {upper(verb->text)};
      }
      out.push_back(std::move(r));
      return;
    }
    case L::Java: {
      static const std::set<std::string, std::less<>> kVerbs = {"GetMapping", "PostMapping", "PutMapping", "DeleteMapping",
                                                                "PatchMapping", "RequestMapping"};
      if (!kVerbs.contains(verb->text)) return;
      r.framework = "spring";
      std::vector<std::string> paths;
      if (const Captured* args = find(cs, "route.args")) {
        for (const auto& [key, value] : arguments(args->text, "value")) {
          if (key == "value" || key == "path")
            for (auto& s : stringLiterals(value)) paths.push_back(std::move(s));
          else if (key == "method") r.methods = methodWords(value);
        }
      }
      if (verb->text != "RequestMapping") r.methods = {upper(verb->text.substr(0, verb->text.size() - 7))};
      if (paths.empty()) paths.emplace_back();
      for (auto& p : paths) {
        Route each = r;
        each.path = std::move(p);  // the class prefix is applied by the caller
        out.push_back(std::move(each));
      }
      return;
    }
    case L::Go: {
      static const std::set<std::string, std::less<>> kVerbs = {"HandleFunc", "Handle", "GET", "POST", "PUT", "DELETE",
                                                                "PATCH", "OPTIONS", "HEAD", "Any", "Get", "Post",
                                                                "Put", "Delete", "Patch", "Options", "Head"};
      if (!path || !kVerbs.contains(verb->text) || path->text.size() < 2) return;
      std::string p = path->text.substr(1, path->text.size() - 2);
      if (verb->text == "HandleFunc" || verb->text == "Handle") {
        r.framework = "net/http";
        // Go 1.22 patterns: "[METHOD ][HOST]/PATH".
        if (const auto sp = p.find(' '); sp != std::string::npos && isHttpMethod(p.substr(0, sp))) {
          r.methods = {p.substr(0, sp)};
          p = p.substr(p.find_first_not_of(' ', sp) == std::string::npos ? p.size() : p.find_first_not_of(' ', sp));
        }
        if (!p.empty() && p.front() != '/') {
          const auto slash = p.find('/');
          p = slash == std::string::npos ? std::string() : p.substr(slash);
        }
      } else {
        r.framework = "go";
        if (verb->text != "Any") r.methods = {upper(verb->text)};
      }
      if (p.empty() || p.front() != '/') return;
      r.path = std::move(p);
      out.push_back(std::move(r));
      return;
    }
    default: return;
  }
}

enum class SegmentKind : std::uint8_t { Literal, Param, Rest };

SegmentKind kindOf(std::string_view seg) {
  if (seg == "*" || seg == "**" || seg.starts_with("*") || seg.starts_with("<path:") ||
      (seg.starts_with("{") && (seg.ends_with("...}") || seg.ends_with(":path}") || seg.ends_with("*}"))) ||
      (seg.starts_with(":") && seg.ends_with("*")))
    return SegmentKind::Rest;
  if (seg.starts_with(":") || (seg.starts_with("{") && seg.ends_with("}")) || (seg.starts_with("<") && seg.ends_with(">")))
    return SegmentKind::Param;
  return SegmentKind::Literal;
}

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const std::string_view seg = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (!seg.empty()) out.push_back(seg);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

// How well `route` serves `path` (segments), or nullopt. Literal segments weigh most, so
// "/users/me" beats "/users/:id" for "/users/me".
std::optional<int> score(const Route& route, const std::vector<std::string_view>& path) {
  const auto tpl = segments(route.path);
  // Go net/http: a pattern ending in "/" serves its whole subtree ("{$}" ends it exactly).
  const bool subtree = route.framework == "net/http" && route.path.ends_with('/');
  int s = 0;
  std::size_t i = 0;
  for (; i < tpl.size(); ++i) {
    const std::string_view t = tpl[i];
    if (t == "{$}") return i == path.size() ? std::optional<int>(s + 1) : std::nullopt;
    const SegmentKind k = kindOf(t);
    if (k == SegmentKind::Rest) return s + 1;
    if (i >= path.size()) {
      // Express ":id?" may be absent.
      if (k == SegmentKind::Param && t.ends_with("?")) continue;
      return std::nullopt;
    }
    if (k == SegmentKind::Literal) {
      if (t != path[i]) return std::nullopt;
      s += 4;
    } else {
      s += 2;
    }
  }
  if (i == path.size()) return s + 1;  // an exact end beats a subtree
  if (subtree) return s;
  return std::nullopt;
}

bool methodServes(const Route& r, std::string_view method) {
  if (method.empty() || r.methods.empty()) return true;
  for (const auto& m : r.methods)
    if (m == method || (method == "HEAD" && m == "GET")) return true;
  return false;
}

}  // namespace

std::string Route::describe() const {
  std::string out;
  for (std::size_t i = 0; i < methods.size(); ++i) out += (i ? "|" : "") + methods[i];
  out += (out.empty() ? "" : " ") + path;
  out += " (" + framework + (handler.empty() ? "" : " " + handler) + ", " + file + ":" + std::to_string(line) + ")";
  return out;
}

std::vector<Route> routesInText(syntax::Language language, std::string text, const std::string& file) {
  std::vector<Route> out;
  const syntax::Query* query = syntax::queryFor(language, syntax::QueryKind::Routes);
  if (!query) return out;
  const syntax::Document doc(language, std::move(text));
  if (!doc.hasTree()) return out;
  struct Prefix {
    std::uint32_t start = 0, end = 0;
    std::string path;
  };
  std::vector<Prefix> prefixes;
  struct Pending {
    std::uint32_t start = 0;
    std::size_t first = 0, count = 0;
  };
  std::vector<Pending> pending;
  for (const auto& match : syntax::runQuery(*query, doc).matches) {
    std::vector<Captured> cs;
    for (const auto& c : match.captures)
      cs.push_back({c.name, doc.text().substr(c.startByte, c.endByte - c.startByte), c.startLine, c.startByte, c.endByte});
    if (const Captured* body = find(cs, "prefix.body")) {
      const Captured* verb = find(cs, "prefix.verb");
      const Captured* args = find(cs, "prefix.args");
      if (!verb || verb->text != "RequestMapping" || !args) continue;
      for (const auto& [key, value] : arguments(args->text, "value")) {
        if (key != "value" && key != "path") continue;
        auto paths = stringLiterals(value);
        if (!paths.empty()) prefixes.push_back({body->startByte, body->endByte, paths.front()});
      }
      continue;
    }
    const Captured* registration = find(cs, "route");
    if (!registration) continue;
    const std::size_t before = out.size();
    routesFromMatch(language, cs, file, doc.text(), out);
    if (out.size() > before) pending.push_back({registration->startByte, before, out.size() - before});
  }
  // Spring: a method's paths hang under its class's @RequestMapping (the innermost class).
  for (const auto& p : pending) {
    const Prefix* best = nullptr;
    for (const auto& pre : prefixes)
      if (pre.start <= p.start && p.start < pre.end && (!best || pre.start > best->start)) best = &pre;
    for (std::size_t i = p.first; i < p.first + p.count; ++i)
      if (best || language == syntax::Language::Java) out[i].path = joinPath(best ? best->path : "", out[i].path);
  }
  return out;
}

RouteIndex RouteIndex::fromRoutes(std::vector<Route> routes) {
  RouteIndex index;
  index.routes_ = std::move(routes);
  return index;
}

RouteIndex RouteIndex::build(const std::string& root, const Limits& limits, const std::atomic<bool>* cancel) {
  RouteIndex index;
  std::error_code ec;
  const fs::path base(root);
  std::size_t files = 0;
  for (auto it = fs::recursive_directory_iterator(base, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (cancel && cancel->load()) break;
    const std::string name = it->path().filename().string();
    if (it->is_directory(ec)) {
      if (skippedSourceDirectory(name)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    const auto language = syntax::languageForPath(name);
    if (!language || !syntax::queryFor(*language, syntax::QueryKind::Routes)) continue;
    if (++files > limits.maxFiles) break;
    if (it->file_size(ec) > limits.maxFileBytes) continue;
    auto text = support::readFile(it->path().string());
    if (!text) continue;
    // Most files register no route; the parse is skipped unless a framework word appears.
    if (text->find("Mapping") == std::string::npos && text->find("route") == std::string::npos &&
        text->find("Handle") == std::string::npos && text->find(".get") == std::string::npos &&
        text->find(".post") == std::string::npos && text->find(".put") == std::string::npos &&
        text->find(".delete") == std::string::npos && text->find(".patch") == std::string::npos &&
        text->find(".all") == std::string::npos && text->find(".GET") == std::string::npos &&
        text->find(".Get") == std::string::npos && text->find(".POST") == std::string::npos &&
        text->find(".Post") == std::string::npos)
      continue;
    const std::string rel = fs::relative(it->path(), base, ec).generic_string();
    for (auto& r : routesInText(*language, std::move(*text), rel)) index.routes_.push_back(std::move(r));
  }
  return index;
}

RouteMatch RouteIndex::match(std::string_view method, std::string_view path) const {
  RouteMatch out;
  const auto segs = segments(path);
  int best = -1;
  for (const auto& r : routes_) {
    if (!methodServes(r, method)) continue;
    const auto s = score(r, segs);
    if (!s) continue;
    if (*s > best) {
      best = *s;
      out.best.clear();
    }
    if (*s == best) out.best.push_back(&r);
  }
  if (!out.best.empty()) return out;
  // A route mounted under a prefix registered elsewhere: match the URL's last segments, when
  // the route has a literal segment of its own (a bare "/:id" would match anything).
  for (const auto& r : routes_) {
    if (!methodServes(r, method)) continue;
    const auto tpl = segments(r.path);
    if (tpl.empty() || tpl.size() >= segs.size()) continue;
    if (std::none_of(tpl.begin(), tpl.end(), [](std::string_view t) { return kindOf(t) == SegmentKind::Literal; }))
      continue;
    if (std::any_of(tpl.begin(), tpl.end(), [](std::string_view t) { return kindOf(t) == SegmentKind::Rest; })) continue;
    const std::vector<std::string_view> tail(segs.end() - static_cast<std::ptrdiff_t>(tpl.size()), segs.end());
    const auto s = score(r, tail);
    if (!s) continue;
    if (*s > best) {
      best = *s;
      out.best.clear();
    }
    if (*s == best) out.best.push_back(&r);
  }
  if (!out.best.empty()) {
    out.bySuffix = true;
    const auto n = segments(out.best.front()->path).size();
    for (std::size_t i = 0; i + n < segs.size(); ++i) out.unmatchedPrefix += "/" + std::string(segs[i]);
  }
  return out;
}

std::string urlPath(std::string_view url) {
  std::string_view s = url;
  if (const auto scheme = s.find("://"); scheme != std::string_view::npos) {
    s = s.substr(scheme + 3);
    const auto slash = s.find_first_of("/?#");
    if (slash == std::string_view::npos) return "/";
    s = s.substr(slash);
  }
  s = s.substr(0, s.find_first_of("?#"));
  if (s.empty() || s.front() != '/') return s.empty() && url.find("://") != std::string_view::npos ? "/" : "";
  return std::string(s);
}

bool webTarget(const model::Result& result, std::string& method, std::string& url) {
  auto isUrl = [](std::string_view u) {
    const std::string l = lower(u.substr(0, 8));
    return l.starts_with("http://") || l.starts_with("https://");
  };
  method.clear();
  url.clear();
  if (result.webRequest) {
    method = result.webRequest->method;
    url = result.webRequest->target;
  }
  if (url.empty() && !result.locations.empty() && isUrl(result.locations.front().uri)) url = result.locations.front().uri;
  return !url.empty() && (result.webRequest || isUrl(url));
}

void placeWebFindings(const model::ScanSet& scans, std::vector<model::Finding>& findings, const std::string& root) {
  std::optional<RouteIndex> index;
  std::string method, url;
  for (auto& f : findings) {
    if (f.results.empty()) continue;
    const model::Result& primary = scans.results[f.results.front()];
    if (!webTarget(primary, method, url)) continue;
    if (!index) index = RouteIndex::build(root);
    const std::string path = urlPath(url);
    const std::string request = (method.empty() ? std::string() : method + " ") + (path.empty() ? url : path);
    const RouteMatch m = path.empty() ? RouteMatch{} : index->match(method, path);
    f.location.reset();
    // Triage and suppression stay as they are; otherwise placed is open, unplaced is stale (the
    // contract's state for a finding that cannot be placed with confidence).
    const bool settled = f.state == model::FindingState::Suppressed || f.state == model::FindingState::Triaged;
    if (!settled) f.state = m.best.size() == 1 ? model::FindingState::Open : model::FindingState::Stale;
    if (m.best.size() == 1) {
      const Route& r = *m.best.front();
      model::Location loc;
      loc.uri = r.file;
      loc.resolved = true;
      loc.region.startLine = loc.region.endLine = r.line;
      loc.message = "route handler for " + request;
      f.location = std::move(loc);
      f.stateNote = "mapped from URL " + request + " to the route handler " + r.describe() +
                    (m.bySuffix ? "; matched on the path's end, the prefix " + m.unmatchedPrefix + " is added elsewhere" : "") +
                    " (scanned " + url + ")";
      continue;
    }
    if (m.best.empty()) {
      f.stateNote = index->routes().empty()
                        ? "no route handler found in the workspace for URL " + request + " (scanned " + url + ")"
                        : "no route handler in the workspace serves URL " + request + " (scanned " + url + "; " +
                              std::to_string(index->routes().size()) + " routes indexed)";
      continue;
    }
    f.stateNote = "URL " + request + " matches " + std::to_string(m.best.size()) +
                  " route handlers equally well; not placed (scanned " + url + ")";
    for (const Route* r : m.best) {
      if (f.relatedLocations.size() >= 20) break;
      model::Location loc;
      loc.uri = r->file;
      loc.resolved = true;
      loc.region.startLine = loc.region.endLine = r->line;
      loc.message = "may serve " + request + ": " + r->describe();
      f.relatedLocations.push_back(std::move(loc));
    }
  }
}

}  // namespace aspm::mapping
