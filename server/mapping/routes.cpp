// Route registrations from the routes queries, turned into (methods, path template) per
// framework, and the segment matcher that scores a request path against them.
#include "mapping/routes.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
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

// ---- Prefixes added where a router is mounted -------------------------------------------------
//
// Each file contributes facts (variables bound to calls or strings, mounts, imports, exports,
// functions and their returns, registrations); resolveRoutes() joins them into a graph of router
// objects keyed by file, scope and name, follows aliases (imports, exports, function results)
// and mounts up to an application object, and gives every registration its full path(s).

struct FileFacts {
  std::string file;
  syntax::Language language = syntax::Language::JavaScript;
  struct Function {
    std::uint32_t start = 0, end = 0;
    std::string name;
  };
  struct Define {
    std::string name, value;
    std::uint32_t pos = 0, line = 0;
  };
  struct Mount {
    std::string object, verb, args, param;
    std::uint32_t pos = 0, line = 0;
    std::uint32_t scope = 0;  // the func literal's scope id (Go Route/Group), 0: none
  };
  struct Import {
    std::string name, source, member;  // member "": the default export
  };
  struct Named {
    std::string name;
    std::uint32_t pos = 0;
  };
  struct Registration {
    Route route;
    std::string object;
    std::uint32_t pos = 0;
  };
  std::vector<Function> functions;
  std::vector<Define> defines;
  std::vector<Mount> mounts;
  std::vector<Import> imports;
  std::vector<Named> exports, returns;
  std::vector<Registration> registrations;
  std::set<std::pair<std::uint32_t, std::string>, std::less<>> declared;  // (scope id, name)

  // Scope ids around `pos`, innermost first, ending with 0 (the file). A function's id is its
  // start byte + 1.
  std::vector<std::uint32_t> scopes(std::uint32_t pos) const {
    std::vector<const Function*> around;
    for (const auto& f : functions)
      if (f.start <= pos && pos < f.end) around.push_back(&f);
    std::sort(around.begin(), around.end(), [](const Function* a, const Function* b) { return a->start > b->start; });
    std::vector<std::uint32_t> out;
    for (const Function* f : around) out.push_back(f->start + 1);
    out.push_back(0);
    return out;
  }
  const Function* innermost(std::uint32_t pos) const {
    const Function* best = nullptr;
    for (const auto& f : functions)
      if (f.start <= pos && pos < f.end && (!best || f.start > best->start)) best = &f;
    return best;
  }
};

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

bool isIdentifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s.front()))) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; });
}

// The leading identifier of an expression: "r.With(mw)" -> "r".
std::string baseName(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && (std::isalnum(static_cast<unsigned char>(s[n])) || s[n] == '_' || s[n] == '$')) ++n;
  return std::string(s.substr(0, n));
}

std::string compact(std::string_view s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

// The value of a plain string literal ('x', "x", `x` without substitutions, Python r'x'), or
// nullopt for anything else (an f-string or template with substitutions is computed).
std::optional<std::string> literal(std::string_view e) {
  if (!e.empty() && (e.front() == 'r' || e.front() == 'u' || e.front() == 'R')) e.remove_prefix(1);
  if (e.size() < 2) return std::nullopt;
  const char q = e.front();
  if ((q != '"' && q != '\'' && q != '`') || e.back() != q) return std::nullopt;
  const std::string_view body = e.substr(1, e.size() - 2);
  if (body.find(q) != std::string_view::npos) return std::nullopt;  // "a" + "b"
  if (q == '`' && body.find("${") != std::string_view::npos) return std::nullopt;
  return std::string(body);
}

// Top-level parts of an argument list, keyed ("name=value") or not; JavaScript and Go have no
// keywords, so a part is rebuilt whole there.
std::vector<std::pair<std::string, std::string>> parts(std::string_view args, bool keywords) {
  auto out = arguments(args, "");
  if (!keywords)
    for (auto& [k, v] : out)
      if (!k.empty()) {
        v = k + "=" + v;
        k.clear();
      }
  return out;
}

FileFacts factsOf(syntax::Language language, std::string text, const std::string& file) {
  FileFacts f;
  f.file = file;
  f.language = language;
  const syntax::Query* query = syntax::queryFor(language, syntax::QueryKind::Routes);
  if (!query) return f;
  const syntax::Document doc(language, std::move(text));
  if (!doc.hasTree()) return f;
  struct Prefix {
    std::uint32_t start = 0, end = 0;
    std::string path;
  };
  std::vector<Prefix> prefixes;
  struct Pending {
    std::uint32_t start = 0;
    std::size_t first = 0, count = 0;
    std::string object;
  };
  std::vector<Pending> pending;
  std::vector<Route> routes;
  for (const auto& match : syntax::runQuery(*query, doc).matches) {
    std::vector<Captured> cs;
    for (const auto& c : match.captures)
      cs.push_back({c.name, doc.text().substr(c.startByte, c.endByte - c.startByte), c.startLine, c.startByte, c.endByte});
    auto capture = [&](std::string_view name) {
      const Captured* c = find(cs, name);
      return c ? c->text : std::string();
    };
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
    if (const Captured* d = find(cs, "define")) {
      f.defines.push_back({capture("define.name"), capture("define.value"), d->startByte, d->line + 1});
      continue;
    }
    if (const Captured* m = find(cs, "mount")) {
      FileFacts::Mount mount{capture("mount.object"), capture("mount.verb"), capture("mount.args"), capture("mount.param"),
                             m->startByte, m->line + 1, 0};
      if (const Captured* scope = find(cs, "mount.scope")) mount.scope = scope->startByte + 1;
      f.mounts.push_back(std::move(mount));
      continue;
    }
    if (find(cs, "import")) {
      FileFacts::Import imp{capture("import.name"), capture("import.source"), capture("import.member")};
      if (const Captured* spec = find(cs, "import.specifier")) {  // "a" or "a as b"
        const auto as = spec->text.find(" as ");
        imp.member = trimmed(spec->text.substr(0, as));
        imp.name = as == std::string::npos ? imp.member : trimmed(spec->text.substr(as + 4));
      }
      if (imp.name.empty()) imp.name = imp.member;
      if (!imp.name.empty() && imp.name.find('.') == std::string::npos) f.imports.push_back(std::move(imp));
      continue;
    }
    if (const Captured* e = find(cs, "export")) {
      f.exports.push_back({capture("export.name"), e->startByte});
      continue;
    }
    if (const Captured* fn = find(cs, "function")) {
      f.functions.push_back({fn->startByte, fn->endByte, capture("function.name")});
      continue;
    }
    if (const Captured* r = find(cs, "return")) {
      f.returns.push_back({capture("return.name"), r->startByte});
      continue;
    }
    const Captured* registration = find(cs, "route");
    if (!registration) continue;
    const std::size_t before = routes.size();
    routesFromMatch(language, cs, file, doc.text(), routes);
    if (routes.size() > before) pending.push_back({registration->startByte, before, routes.size() - before, capture("route.object")});
  }
  for (const auto& p : pending) {
    // Spring: a method's paths hang under its class's @RequestMapping (the innermost class).
    const Prefix* best = nullptr;
    for (const auto& pre : prefixes)
      if (pre.start <= p.start && p.start < pre.end && (!best || pre.start > best->start)) best = &pre;
    for (std::size_t i = p.first; i < p.first + p.count; ++i) {
      if (best || language == syntax::Language::Java) routes[i].path = joinPath(best ? best->path : "", routes[i].path);
      f.registrations.push_back({std::move(routes[i]), p.object, p.start});
    }
  }
  for (const auto& d : f.defines) f.declared.emplace(f.scopes(d.pos).front(), d.name);
  for (const auto& m : f.mounts)
    if (m.scope && !m.param.empty()) f.declared.emplace(m.scope, m.param);
  for (const auto& i : f.imports) f.declared.emplace(0, i.name);
  return f;
}

class PrefixResolver {
 public:
  PrefixResolver(const std::vector<FileFacts>& facts, bool contextPath) : facts_(facts), contextPath_(contextPath) {
    for (const auto& f : facts) byFile_[f.file] = &f;
  }

  std::vector<Route> resolve() {
    for (const auto& f : facts_) bindImports(f);
    for (const auto& f : facts_) {
      for (const auto& d : f.defines) define(f, d);
      for (const auto& e : f.exports) nodes_["export\n" + f.file].alias = lookup(f, e.name, e.pos);
      for (const auto& r : f.returns) {
        const FileFacts::Function* fn = f.innermost(r.pos);
        if (!fn || fn->name.empty()) continue;
        Node& n = nodes_[fnKey(f, fn->name)];
        if (n.alias.empty()) n.alias = lookup(f, r.name, r.pos);
      }
    }
    for (const auto& f : facts_)
      for (const auto& m : f.mounts) mount(f, m);
    std::vector<Route> out;
    std::set<std::string, std::less<>> seen;
    for (const auto& f : facts_) {
      for (const auto& reg : f.registrations) {
        std::vector<Prefix> ps;
        if (f.language == syntax::Language::Java)
          ps = {{"", !contextPath_, contextPath_ ? "a servlet context path is configured (server.servlet.context-path)" : ""}};
        else
          ps = prefixesOf(objectKey(f, reg.object, reg.pos), 0);
        for (const auto& p : ps) {
          Route r = reg.route;
          if (!p.path.empty()) r.path = r.path == "/" ? p.path : joinPath(p.path, r.path);
          r.rooted = p.known;
          r.unresolved = p.reason;
          std::string id = r.file + ":" + std::to_string(r.line) + " " + r.path;
          for (const auto& m : r.methods) id += " " + m;
          if (seen.insert(std::move(id)).second) out.push_back(std::move(r));
        }
      }
    }
    return out;
  }

 private:
  enum class Kind : std::uint8_t { Unknown, App, Router };
  struct Edge {
    std::string parent, prefix;
    bool hasPrefix = false;  // the mount names a prefix (Flask's overrides the blueprint's own)
    bool dynamic = false;    // the prefix is computed at run time
    std::string where;
  };
  struct Node {
    Kind kind = Kind::Unknown;
    char style = 0;  // 'f': Flask blueprint, 'a': FastAPI APIRouter
    std::string ownPrefix, label, alias;
    std::vector<Edge> edges;
  };
  struct Prefix {
    std::string path;
    bool known = false;
    std::string reason;
  };

  static std::string key(const FileFacts& f, std::uint32_t scope, std::string_view name) {
    return f.file + "\n" + std::to_string(scope) + "\n" + std::string(name);
  }
  // Go functions are shared by the files of a package (a directory); others are per file.
  static std::string fnKey(const FileFacts& f, std::string_view name) {
    const std::string unit =
        f.language == syntax::Language::Go ? fs::path(f.file).parent_path().generic_string() : f.file;
    return "fn\n" + unit + "\n" + std::string(name);
  }

  std::string lookup(const FileFacts& f, const std::string& name, std::uint32_t pos) const {
    for (const std::uint32_t scope : f.scopes(pos))
      if (f.declared.contains(std::pair<std::uint32_t, std::string>(scope, name))) return key(f, scope, name);
    return key(f, 0, name);
  }

  std::string objectKey(const FileFacts& f, const std::string& object, std::uint32_t pos) {
    const std::string base = baseName(object);
    // Go's http.HandleFunc registers on the default mux, which is served as it is.
    if (f.language == syntax::Language::Go && base == "http" && object == "http") {
      nodes_["go:http"].kind = Kind::App;
      return "go:http";
    }
    return lookup(f, base, pos);
  }

  // A file of the index by relative path.
  const FileFacts* file(const std::string& rel) const {
    const auto it = byFile_.find(rel);
    return it == byFile_.end() ? nullptr : it->second;
  }

  const FileFacts* jsModule(const FileFacts& from, const std::string& source) const {
    if (!source.starts_with('.')) return nullptr;
    const std::string base = (fs::path(from.file).parent_path() / source).lexically_normal().generic_string();
    std::vector<std::string> tries = {base};
    for (const char* ext : {".js", ".ts", ".mjs", ".cjs", ".jsx", ".tsx", "/index.js", "/index.ts", "/index.mjs"})
      tries.push_back(base + ext);
    if (base.ends_with(".js")) tries.push_back(base.substr(0, base.size() - 3) + ".ts");  // TS imports name the output
    for (const auto& t : tries)
      if (const FileFacts* f = file(t)) return f;
    return nullptr;
  }

  // A Python module ("pkg/mod") as a file of the index: relative to the importing file's
  // package, or, for an absolute name, any file whose path ends with it (the project may sit
  // below the repository root).
  const FileFacts* pyModule(const std::string& path) const {
    for (const std::string& t : {path + ".py", path + "/__init__.py"}) {
      if (const FileFacts* f = file(t)) return f;
      for (const auto& [rel, f] : byFile_)
        if (rel.ends_with("/" + t)) return f;
    }
    return nullptr;
  }

  void bindImports(const FileFacts& f) {
    for (const auto& imp : f.imports) {
      const std::string local = key(f, 0, imp.name);
      if (f.language != syntax::Language::Python) {
        const FileFacts* target = jsModule(f, imp.source);
        if (!target) continue;
        nodes_[local].alias = imp.member.empty() ? "export\n" + target->file : key(*target, 0, imp.member);
        continue;
      }
      // from .routers import items | from .routers.items import router | from app.users import bp
      std::string module = imp.source;
      std::string dir;
      if (module.starts_with('.')) {
        fs::path d = fs::path(f.file).parent_path();
        std::size_t dots = 0;
        while (dots < module.size() && module[dots] == '.') ++dots;
        for (std::size_t i = 1; i < dots; ++i) d = d.parent_path();
        module = module.substr(dots);
        dir = d.generic_string();
      }
      std::replace(module.begin(), module.end(), '.', '/');
      std::string path = dir;
      if (!module.empty()) path = path.empty() ? module : path + "/" + module;
      std::string member = imp.member;
      std::replace(member.begin(), member.end(), '.', '/');
      if (const FileFacts* m = pyModule(path.empty() ? member : path + "/" + member)) {
        modules_[f.file][imp.name] = m;  // the name is a module: `items.router`
      } else if (const FileFacts* owner = pyModule(path)) {
        nodes_[local].alias = key(*owner, 0, imp.member);
      }
    }
  }

  // The node an expression names: a variable, `require('./x')`, a function's result, or a
  // module's attribute (`items.router`).
  std::string expressionKey(const FileFacts& f, const std::string& expr, std::uint32_t pos) const {
    const std::string e = trimmed(expr);
    if (isIdentifier(e)) return lookup(f, e, pos);
    if (e.starts_with("require(")) {
      const auto lits = stringLiterals(e);
      const FileFacts* target = lits.empty() ? nullptr : jsModule(f, lits.front());
      return target ? "export\n" + target->file : std::string();
    }
    if (e.ends_with(')')) {
      const std::string callee = trimmed(e.substr(0, e.find('(')));
      const auto dot = callee.rfind('.');
      const std::string name = dot == std::string::npos ? callee : callee.substr(dot + 1);
      if (isIdentifier(name) && (dot == std::string::npos || f.language == syntax::Language::Go)) return fnKey(f, name);
      return {};
    }
    if (const auto dot = e.find('.'); dot != std::string::npos && f.language == syntax::Language::Python) {
      const std::string head = e.substr(0, dot), attr = e.substr(dot + 1);
      const auto mods = modules_.find(f.file);
      if (mods != modules_.end() && isIdentifier(attr))
        if (const auto m = mods->second.find(head); m != mods->second.end()) return key(*m->second, 0, attr);
    }
    return {};
  }

  std::string follow(std::string k) const {
    for (int hops = 0; hops < 32; ++hops) {
      const auto it = nodes_.find(k);
      if (it == nodes_.end() || it->second.alias.empty()) return k;
      k = it->second.alias;
    }
    return {};
  }

  // A prefix written as a string or as a constant bound to one.
  std::optional<std::string> prefixValue(const FileFacts& f, const std::string& expr, std::uint32_t pos) const {
    const std::string e = trimmed(expr);
    if (auto lit = literal(e)) return lit;
    if (!isIdentifier(e)) return std::nullopt;
    const auto it = consts_.find(follow(lookup(f, e, pos)));
    if (it == consts_.end()) return std::nullopt;
    return it->second;
  }

  void define(const FileFacts& f, const FileFacts::Define& d) {
    using L = syntax::Language;
    const std::string k = key(f, f.scopes(d.pos).front(), d.name);
    const std::string v = trimmed(d.value);
    const std::string c = compact(v);
    const std::string label = "`" + d.name + "` (" + f.file + ":" + std::to_string(d.line) + ")";
    if (auto lit = literal(v)) {
      consts_[k] = *lit;
      return;
    }
    Node& n = nodes_[k];
    n.label = label;
    auto startsWithAny = [&](std::initializer_list<std::string_view> ws) {
      return std::any_of(ws.begin(), ws.end(), [&](std::string_view w) { return c.starts_with(w); });
    };
    auto kwarg = [&](std::string_view name) -> std::string {
      const auto open = v.find('(');
      if (open == std::string::npos) return {};
      for (const auto& [key, value] : arguments(std::string_view(v).substr(open), ""))
        if (key == name)
          if (auto p = prefixValue(f, value, d.pos)) return *p;
      return {};
    };
    switch (f.language) {
      case L::JavaScript:
      case L::TypeScript:
      case L::Tsx:
        if (c == "express()" || c == "require('express')()" || c == "require(\"express\")()") {
          n.kind = Kind::App;
        } else if (startsWithAny({"express.Router(", "Router(", "newRouter(", "newexpress.Router(",
                                  "require('express').Router(", "require(\"express\").Router("})) {
          n.kind = Kind::Router;
          n.label = "router " + label;
        } else {
          n.alias = expressionKey(f, v, d.pos);
        }
        return;
      case L::Python:
        if (startsWithAny({"Flask(", "flask.Flask(", "FastAPI(", "fastapi.FastAPI("})) {
          n.kind = Kind::App;
        } else if (startsWithAny({"Blueprint(", "flask.Blueprint("})) {
          n.kind = Kind::Router;
          n.style = 'f';
          n.ownPrefix = kwarg("url_prefix");
          n.label = "blueprint " + label;
        } else if (startsWithAny({"APIRouter(", "fastapi.APIRouter("})) {
          n.kind = Kind::Router;
          n.style = 'a';
          n.ownPrefix = kwarg("prefix");
          n.label = "router " + label;
        } else {
          n.alias = expressionKey(f, v, d.pos);
        }
        return;
      case L::Go: {
        if (startsWithAny({"chi.NewRouter(", "chi.NewMux(", "http.NewServeMux(", "mux.NewRouter(", "gin.Default(",
                           "gin.New(", "echo.New(", "fiber.New("})) {
          n.kind = Kind::App;
          n.label = "router " + label;
          return;
        }
        // gin/echo/fiber `v1 := r.Group("/v1", ...)`, gorilla `r.PathPrefix("/api").Subrouter()`
        for (std::string_view call : {".Group(", ".PathPrefix("}) {
          const auto at = v.find(call);
          if (at == std::string::npos || !isIdentifier(v.substr(0, at))) continue;
          if (call == ".PathPrefix(" && c.find(").Subrouter()") == std::string::npos) continue;
          const auto args = arguments(std::string_view(v).substr(at + call.size() - 1, v.find(')', at) - at - call.size() + 2), "");
          if (args.empty()) continue;
          n.kind = Kind::Router;
          n.label = "group " + label;
          Edge e;
          e.parent = lookup(f, v.substr(0, at), d.pos);
          e.where = f.file + ":" + std::to_string(d.line);
          e.hasPrefix = true;
          if (auto p = prefixValue(f, args.front().second, d.pos)) e.prefix = *p;
          else e.dynamic = true;
          n.edges.push_back(std::move(e));
          return;
        }
        n.alias = expressionKey(f, v, d.pos);
        return;
      }
      default: return;
    }
  }

  void addEdge(const std::string& child, Edge e) {
    const std::string k = follow(child);
    if (k.empty()) return;
    nodes_[k].edges.push_back(std::move(e));
  }

  void mount(const FileFacts& f, const FileFacts::Mount& m) {
    using L = syntax::Language;
    Edge e;
    e.parent = objectKey(f, m.object, m.pos);
    e.where = f.file + ":" + std::to_string(m.line);
    switch (f.language) {
      case L::JavaScript:
      case L::TypeScript:
      case L::Tsx: {
        const auto ps = parts(m.args, false);
        if (ps.empty()) return;
        std::size_t first = 0;
        const std::string head = trimmed(ps.front().second);
        if (auto p = prefixValue(f, head, m.pos)) {
          e.prefix = *p;
          e.hasPrefix = true;
          first = 1;
        } else if (ps.size() > 1 && !head.ends_with(')') && !knownNonPrefix(f, head, m.pos)) {
          // `app.use(config.prefix, router)`, `app.use(`/${v}`, router)`: the prefix is computed.
          e.dynamic = true;
          first = 1;
        }
        for (std::size_t i = first; i < ps.size(); ++i)
          if (auto k = expressionKey(f, ps[i].second, m.pos); !k.empty()) addEdge(k, e);
        return;
      }
      case L::Python: {
        const auto ps = parts(m.args, true);
        std::string target;
        for (const auto& [k, v] : ps) {
          if (k.empty() && target.empty()) target = v;
          if ((m.verb == "register_blueprint" && k == "url_prefix") || (m.verb == "include_router" && k == "prefix")) {
            e.hasPrefix = true;
            if (auto p = prefixValue(f, v, m.pos)) e.prefix = *p;
            else e.dynamic = true;
          }
        }
        if (auto k = expressionKey(f, target, m.pos); !k.empty()) addEdge(k, e);
        return;
      }
      case L::Go: {
        const auto ps = parts(m.args, false);
        std::string child;
        if (m.scope) {
          child = key(f, m.scope, m.param);
        } else if (ps.size() >= 2) {
          child = expressionKey(f, ps[1].second, m.pos);
        }
        if (child.empty()) return;
        if (m.verb == "Route" || m.verb == "Mount") {
          if (ps.empty()) return;
          e.hasPrefix = true;
          if (auto p = prefixValue(f, ps.front().second, m.pos)) e.prefix = *p;
          else e.dynamic = true;
        }
        addEdge(child, e);
        return;
      }
      default: return;
    }
  }

  // A first argument of `use` that is clearly not a path: a router, an app or a function.
  bool knownNonPrefix(const FileFacts& f, const std::string& expr, std::uint32_t pos) const {
    if (!isIdentifier(expr)) return false;
    for (const auto& fn : f.functions)
      if (fn.name == expr) return true;
    for (const auto& d : f.defines)
      if (d.name == expr && (d.value.find("=>") != std::string::npos || trimmed(d.value).starts_with("function")))
        return true;
    const auto it = nodes_.find(follow(lookup(f, expr, pos)));
    return it != nodes_.end() && (it->second.kind != Kind::Unknown || !it->second.edges.empty());
  }

  std::vector<Prefix> prefixesOf(const std::string& start, int depth) const {
    if (depth > 24) return {{"", false, "the mounts nest too deep to follow"}};
    const std::string k = follow(start);
    const auto it = nodes_.find(k);
    if (k.empty() || it == nodes_.end()) return {{"", false, ""}};
    const Node& n = it->second;
    if (!n.edges.empty()) {
      std::vector<Prefix> out;
      for (const Edge& e : n.edges) {
        std::string own = e.prefix;
        if (n.style == 'f') own = e.hasPrefix ? e.prefix : n.ownPrefix;
        else if (n.style == 'a') own = joinPrefix(e.prefix, n.ownPrefix);
        if (e.dynamic) {
          const std::string known = n.style == 'a' ? n.ownPrefix : "";
          out.push_back({known, false, (n.label.empty() ? "a router" : n.label) + " is mounted with a prefix computed at run time at " + e.where});
          continue;
        }
        for (auto& p : prefixesOf(e.parent, depth + 1)) {
          out.push_back({joinPrefix(p.path, own), p.known, p.reason});
          if (out.size() >= 16) return out;
        }
      }
      return out;
    }
    if (n.kind == Kind::App) return {{"", true, ""}};
    if (n.kind == Kind::Router) return {{n.ownPrefix, false, n.label + " is not mounted anywhere in the repository"}};
    return {{"", false, ""}};
  }

  static std::string joinPrefix(const std::string& a, const std::string& b) {
    if (b.empty() || b == "/") return a;
    if (a.empty()) return b.front() == '/' ? b : "/" + b;
    return joinPath(a, b);
  }

  const std::vector<FileFacts>& facts_;
  bool contextPath_ = false;
  std::map<std::string, const FileFacts*, std::less<>> byFile_;
  std::map<std::string, Node, std::less<>> nodes_;
  std::map<std::string, std::string, std::less<>> consts_;
  std::map<std::string, std::map<std::string, const FileFacts*, std::less<>>, std::less<>> modules_;
};

std::vector<Route> resolveRoutes(const std::vector<FileFacts>& facts, bool contextPath) {
  return PrefixResolver(facts, contextPath).resolve();
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
  std::vector<FileFacts> facts;
  facts.push_back(factsOf(language, std::move(text), file));
  return resolveRoutes(facts, false);
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
  std::vector<FileFacts> facts;
  bool contextPath = false;
  for (auto it = fs::recursive_directory_iterator(base, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (cancel && cancel->load()) break;
    const std::string name = it->path().filename().string();
    if (it->is_directory(ec)) {
      if (skippedSourceDirectory(name)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    // Spring Boot serves every mapping under `server.servlet.context-path` when one is set.
    if (name.starts_with("application") &&
        (name.ends_with(".properties") || name.ends_with(".yml") || name.ends_with(".yaml"))) {
      if (it->file_size(ec) <= limits.maxFileBytes)
        if (auto text = support::readFile(it->path().string()); text && text->find("context-path") != std::string::npos)
          contextPath = true;
      continue;
    }
    const auto language = syntax::languageForPath(name);
    if (!language || !syntax::queryFor(*language, syntax::QueryKind::Routes)) continue;
    if (++files > limits.maxFiles) break;
    if (it->file_size(ec) > limits.maxFileBytes) continue;
    auto text = support::readFile(it->path().string());
    if (!text) continue;
    // Most files register or mount no route; the parse is skipped unless a framework word appears.
    static constexpr std::string_view kWords[] = {
        "Mapping", "route", "Route", "Handle", ".get", ".post", ".put", ".delete", ".patch", ".all", ".GET", ".Get",
        ".POST", ".Post", ".use(", "Blueprint", "register_blueprint", ".Mount(", ".Group(", "Flask(", "FastAPI(",
        "express("};
    if (std::none_of(std::begin(kWords), std::end(kWords),
                     [&](std::string_view w) { return text->find(w) != std::string::npos; }))
      continue;
    const std::string rel = fs::relative(it->path(), base, ec).generic_string();
    facts.push_back(factsOf(*language, std::move(*text), rel));
  }
  index.routes_ = resolveRoutes(facts, contextPath);
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
    // A route whose whole path is known beats an equal one whose prefix is not.
    const int ranked = *s * 2 + (r.rooted ? 1 : 0);
    if (ranked > best) {
      best = ranked;
      out.best.clear();
    }
    if (ranked == best) out.best.push_back(&r);
  }
  if (!out.best.empty()) return out;
  best = -1;
  // A route mounted under a prefix that could not be resolved: match the URL's last segments,
  // when the route has a literal segment of its own (a bare "/:id" would match anything).
  for (const auto& r : routes_) {
    if (r.rooted || !methodServes(r, method)) continue;
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
                    (m.bySuffix ? "; matched on the path's end, the prefix " + m.unmatchedPrefix + " is added elsewhere" +
                                       (r.unresolved.empty() ? std::string() : " (" + r.unresolved + ")")
                                 : std::string()) +
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
