// Calls of imported packages, per language. Every language resolves a call's receiver through
// what the file imports and declares, never through types it would have to infer: a receiver is
// the package itself (Go, JavaScript, Python), an imported type (Java, C#, PHP), a variable
// whose declared type or constructor names one, or a Ruby constant. Where the language allows
// several readings (a namespace or wildcard import), the call is kept as a weak one that counts
// only when the advisory names the type as well.
#include "mapping/reachability_calls.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "support/file.h"
#include "syntax/query.h"

namespace aspm::mapping::detail {
namespace {

using syntax::Language;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool upperFirst(std::string_view s) { return !s.empty() && std::isupper(static_cast<unsigned char>(s.front())); }

bool identifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s.front()))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

std::string_view lastSegment(std::string_view s, std::string_view separators) {
  const auto cut = s.find_last_of(separators);
  return cut == std::string_view::npos ? s : s.substr(cut + 1);
}

// `List<Foo>` -> `List`, `Foo?` -> `Foo`: the type whose methods a call reaches.
std::string_view baseType(std::string_view s) {
  if (const auto lt = s.find('<'); lt != std::string_view::npos) s = s.substr(0, lt);
  while (!s.empty() && (s.back() == '?' || std::isspace(static_cast<unsigned char>(s.back())))) s.remove_suffix(1);
  return s;
}

// Whether the parenthesis at `open` closes at the end of `s`: `new T(a)`, not `new T(a).m(b)`.
bool closesAtEnd(std::string_view s, std::size_t open) {
  if (open == std::string_view::npos) return false;
  int depth = 0;
  for (std::size_t i = open; i < s.size(); ++i) {
    if (s[i] == '(') ++depth;
    else if (s[i] == ')' && --depth == 0) return i + 1 == s.size();
  }
  return false;
}

std::string_view textOf(const syntax::Document& doc, const syntax::Capture& c) {
  return std::string_view(doc.text()).substr(c.startByte, c.endByte - c.startByte);
}

struct Call {
  std::string receiver;  // "" for a plain call
  std::string name;      // the function, method or (for a constructor) type called
  std::string_view node;  // the @call node's type: tells constructors apart
  std::uint32_t line = 0;
  std::uint32_t at = 0;  // start byte
};

std::vector<Call> callsOf(const syntax::Document& doc, Language language) {
  std::vector<Call> out;
  const syntax::Query* query = syntax::queryFor(language, syntax::QueryKind::Calls);
  if (!query) return out;
  for (const auto& match : syntax::runQuery(*query, doc).matches) {
    Call call;
    for (const auto& c : match.captures) {
      if (c.name == "call.receiver") call.receiver = textOf(doc, c);
      else if (c.name == "call.name") call.name = textOf(doc, c);
      else if (c.name == "call") {
        call.line = c.startLine + 1;
        call.at = c.startByte;
        call.node = c.nodeType;
      }
    }
    if (!call.name.empty()) out.push_back(std::move(call));
  }
  return out;
}

// What the file itself declares: such a name is the project's, not an import's.
struct Declared {
  std::set<std::string, std::less<>> types;
  std::set<std::string, std::less<>> functions;
  // Byte ranges of functions and methods, by start (outer first), and each one's enclosing range.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> bodies;
  std::vector<std::size_t> parents;

  void sortBodies() {
    std::sort(bodies.begin(), bodies.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : a.second > b.second;
    });
    parents.assign(bodies.size(), kNone);
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < bodies.size(); ++i) {
      while (!open.empty() && bodies[open.back()].second <= bodies[i].first) open.pop_back();
      if (!open.empty()) parents[i] = open.back();
      open.push_back(i);
    }
  }

  // The innermost function around a byte, as the start of its range; kFile outside any. Ranges
  // nest or are disjoint, so it is the last one starting before the byte or one enclosing it.
  static constexpr std::uint32_t kFile = UINT32_MAX;
  std::uint32_t scopeOf(std::uint32_t at) const {
    auto it = std::upper_bound(bodies.begin(), bodies.end(), at, [](std::uint32_t x, const auto& r) { return x < r.first; });
    if (it == bodies.begin()) return kFile;
    for (std::size_t i = static_cast<std::size_t>(it - bodies.begin()) - 1; i != kNone; i = parents[i])
      if (at < bodies[i].second) return bodies[i].first;
    return kFile;
  }

 private:
  static constexpr std::size_t kNone = SIZE_MAX;
};

Declared declaredIn(const syntax::Document& doc, Language language) {
  Declared out;
  const syntax::Query* query = syntax::queryFor(language, syntax::QueryKind::Declarations);
  if (!query) return out;
  for (const auto& match : syntax::runQuery(*query, doc).matches) {
    std::string_view kind, name;
    std::pair<std::uint32_t, std::uint32_t> range;
    for (const auto& c : match.captures) {
      if (c.name.starts_with("definition.")) kind = c.name.substr(11), range = {c.startByte, c.endByte};
      else if (c.name == "name") name = textOf(doc, c);
    }
    if (name.empty()) continue;
    if (kind == "method" || kind == "function") {
      out.functions.emplace(name);
      out.bodies.push_back(range);
    }
    else if (kind != "namespace" && kind != "property") out.types.emplace(name);
  }
  out.sortBodies();
  return out;
}

// Variables by scope: a function or method body, or the file (fields, globals). A name declared
// in a function shadows the file's; a name declared twice in one scope with different (or
// unknown) types is left untyped there, so one declaration's type is never lent to another's uses.
class Variables {
 public:
  struct Typed {
    std::string type;
    std::string_view node;  // the node the type was read from
  };

  Variables(const syntax::Document& doc, const std::vector<syntax::Match>& matches, const Declared& declared)
      : declared_(&declared) {
    std::map<std::uint32_t, std::pair<std::string, Typed>> byNode;
    for (const auto& match : matches) {
      const syntax::Capture* name = nullptr;
      const syntax::Capture* type = nullptr;
      for (const auto& c : match.captures) {
        if (c.name == "variable.name") name = &c;
        else if (c.name == "variable.type") type = &c;
      }
      if (!name) continue;
      Typed t;
      if (type && textOf(doc, *type) != "var") t = {std::string(textOf(doc, *type)), type->nodeType};
      auto [it, inserted] = byNode.try_emplace(name->startByte, std::string(textOf(doc, *name)), t);
      if (!inserted && it->second.second.type.empty()) it->second.second = t;
    }
    std::set<Key> ambiguous;
    for (const auto& [at, entry] : byNode) {
      // PHP `$this->client`: a property, assigned in one method and used in others.
      Key key{entry.first.starts_with("$this->") ? Declared::kFile : declared.scopeOf(at), entry.first};
      if (ambiguous.contains(key)) continue;
      auto [it, inserted] = vars_.try_emplace(key, entry.second);
      if (!inserted && it->second.type != entry.second.type) ambiguous.insert(key);
    }
    for (const auto& key : ambiguous) vars_[key] = Typed{};
  }

  // The variable `name` seen from byte `at`: its type, "" when untyped or ambiguous; nullptr
  // when no variable of that name is in scope.
  const Typed* find(std::string_view name, std::uint32_t at) const {
    for (const std::uint32_t scope : {declared_->scopeOf(at), Declared::kFile}) {
      if (auto it = vars_.find(Key{scope, std::string(name)}); it != vars_.end()) return &it->second;
      if (scope == Declared::kFile) break;
    }
    return nullptr;
  }
  const Typed* typed(std::string_view name, std::uint32_t at) const {
    const Typed* t = find(name, at);
    return t && !t->type.empty() ? t : nullptr;
  }
 private:
  using Key = std::pair<std::uint32_t, std::string>;
  const Declared* declared_;
  std::map<Key, Typed> vars_;
};

std::vector<syntax::Match> bindingMatches(const syntax::Document& doc, Language language) {
  const syntax::Query* query = syntax::queryFor(language, syntax::QueryKind::Bindings);
  if (!query) return {};
  return syntax::runQuery(*query, doc).matches;
}

// JavaScript, TypeScript and Python: `@binding.local` names the module or one of its exports.
void moduleBindingCalls(const syntax::Document& doc, Language language, const std::string& rel,
                        std::vector<CallSite>& out) {
  struct Binding {
    std::string local, source, imported;
  };
  std::vector<Binding> bindings;
  for (const auto& match : bindingMatches(doc, language)) {
    Binding b;
    for (const auto& c : match.captures) {
      if (c.name == "binding.local") b.local = textOf(doc, c);
      else if (c.name == "binding.source") b.source = textOf(doc, c);
      else if (c.name == "binding.imported") b.imported = textOf(doc, c);
    }
    if (b.source.empty()) continue;
    if (b.local.empty()) b.local = b.imported.empty() ? b.source : b.imported;
    bindings.push_back(std::move(b));
  }
  if (bindings.empty()) return;
  for (const auto& call : callsOf(doc, language)) {
    for (const auto& b : bindings) {
      std::string symbol;
      if (!call.receiver.empty() && b.local == call.receiver) {
        // `_.template(x)`, `yaml.load(x)`; through a bound export: `constructor.load(x)`.
        symbol = b.imported.empty() ? call.name : b.imported + "." + call.name;
      } else if (call.receiver.empty() && b.local == call.name) {
        // `load(x)` after `from yaml import load`; a module that is itself the function:
        // `template(x)` after `require('lodash/template')`.
        if (!b.imported.empty()) symbol = b.imported;
        else if (const auto cut = b.source.find_last_of("/."); cut != std::string::npos) symbol = b.source.substr(cut + 1);
      }
      if (symbol.empty()) continue;
      out.push_back({rel, call.line, b.source, std::move(symbol)});
      break;
    }
  }
}

// Go: a package is called through the name its import binds; its types' methods through
// variables declared with the type (`var d yaml.Decoder`, `d *yaml.Decoder`), built by a
// composite literal, or holding the result of the package's `NewT` constructor, which by Go's
// convention returns a `*T`.
void goCalls(const syntax::Document& doc, const std::string& rel, const Declared& declared, std::vector<CallSite>& out) {
  struct Import {
    std::string local, path;
    bool dot = false;
  };
  std::vector<Import> imports;
  const auto matches = bindingMatches(doc, Language::Go);
  for (const auto& match : matches) {
    Import imp;
    for (const auto& c : match.captures) {
      if (c.name == "binding.source") imp.path = textOf(doc, c);
      else if (c.name == "binding.local") imp.local = textOf(doc, c);
      else if (c.name == "binding.dot") imp.dot = true;
    }
    if (imp.path.empty()) continue;  // a variable, or an empty path
    if (!imp.dot && imp.local.empty()) imp.local = goPackageName(imp.path);
    imports.push_back(std::move(imp));
  }
  if (imports.empty()) return;
  auto importNamed = [&](std::string_view local) -> const Import* {
    for (const auto& imp : imports)
      if (!imp.dot && imp.local == local) return &imp;
    return nullptr;
  };
  // `pkg.NewT(...)` (with or without the arguments) -> T.
  auto constructed = [](std::string_view fn) -> std::string {
    if (const auto paren = fn.find('('); paren != std::string_view::npos) fn = fn.substr(0, paren);
    if (fn.size() > 3 && fn.starts_with("New") && upperFirst(fn.substr(3)) && identifier(fn)) return std::string(fn.substr(3));
    return {};
  };
  const Variables vars(doc, matches, declared);
  // A variable's type as (package, type), when it is one of an imported package's.
  auto typeOf = [&](const Variables::Typed& v) -> std::pair<const Import*, std::string> {
    std::string_view t = v.type;
    while (!t.empty() && (t.front() == '*' || t.front() == '&')) t.remove_prefix(1);
    const auto dot = t.find('.');
    if (dot == std::string_view::npos) return {};
    const Import* imp = importNamed(t.substr(0, dot));
    if (!imp) return {};
    std::string type = v.node == "selector_expression" ? constructed(t.substr(dot + 1)) : std::string(t.substr(dot + 1));
    if (type.empty() || !identifier(type) || !upperFirst(type)) return {};
    return {imp, std::move(type)};
  };
  for (const auto& call : callsOf(doc, Language::Go)) {
    if (call.receiver.empty()) {
      // A dot import puts the package's exported names in the file's scope; the compiler rejects
      // a clash with the package's own declarations, so a capitalised call the file does not
      // declare is the imported package's.
      if (!upperFirst(call.name) || declared.functions.contains(call.name) || declared.types.contains(call.name)) continue;
      for (const auto& imp : imports)
        if (imp.dot) out.push_back({rel, call.line, imp.path, call.name});
      continue;
    }
    if (const Variables::Typed* v = vars.find(call.receiver, call.at)) {
      // A variable of the package's type, or one that shadows the package's name.
      if (auto [imp, type] = typeOf(*v); imp) out.push_back({rel, call.line, imp->path, type + "." + call.name});
      continue;
    }
    if (const Import* imp = importNamed(call.receiver)) {
      out.push_back({rel, call.line, imp->path, call.name});
      continue;
    }
    // `yaml.NewDecoder(r).Decode(&v)`
    const std::string_view r = call.receiver;
    if (const auto dot = r.find('.'); dot != std::string_view::npos && closesAtEnd(r, r.find('('))) {
      const Import* imp = importNamed(r.substr(0, dot));
      const std::string type = imp ? constructed(r.substr(dot + 1)) : std::string();
      if (!type.empty()) out.push_back({rel, call.line, imp->path, type + "." + call.name});
    }
  }
}

// A type a Java, C# or PHP call reaches, and the module (type or namespace) it comes from.
struct TypeRef {
  std::string source;
  std::string type;
  bool weak = false;
};

// Java and C#: a type is imported by name (Java `import a.b.T;`, C# `using A = N.T;`), reached
// through a wildcard or namespace import (Java `import a.b.*;`, C# `using N;`: weak), or written
// fully qualified. Types the file declares shadow every import.
struct TypeScope {
  Language language;
  std::map<std::string, std::string, std::less<>> named;  // simple name or alias -> qualified type
  std::map<std::string, std::string, std::less<>> members;  // Java `import static a.T.m;`: m -> a.T
  std::vector<std::string> staticTypes;  // Java `import static a.T.*;`, C# `using static N.T;`
  std::vector<std::string> namespaces;   // Java `import a.*;`, C# `using N;`
  const Declared* declared = nullptr;

  std::vector<TypeRef> resolve(std::string_view text) const {
    std::string_view t = baseType(text);
    if (t.empty() || t.ends_with("]")) return {};
    if (const auto dot = t.find('.'); dot != std::string_view::npos) {
      // A dotted name ending in a type, not an expression such as `Yaml.load(s)`, `a[0].b` or
      // `Yaml.class`.
      if (!upperFirst(lastSegment(t, "."))) return {};
      for (std::size_t at = 0; at <= t.size();) {
        const auto next = std::min(t.find('.', at), t.size());
        if (!identifier(t.substr(at, next - at))) return {};
        at = next + 1;
      }
      // C# `Alias.Type`; else a qualified name (`com.x.Foo`, `Newtonsoft.Json.JsonConvert`):
      // which module it names is decided by its prefix.
      if (auto it = named.find(t.substr(0, dot)); it != named.end())
        return {{it->second + std::string(t.substr(dot)), std::string(lastSegment(t, ".")), false}};
      return {{std::string(t), std::string(lastSegment(t, ".")), false}};
    }
    if (!identifier(t) || declared->types.contains(t)) return {};
    if (auto it = named.find(t); it != named.end()) return {{it->second, std::string(lastSegment(it->second, ".")), false}};
    if (!upperFirst(t)) return {};
    std::vector<TypeRef> out;
    for (const auto& ns : namespaces) out.push_back({ns, std::string(t), true});
    return out;
  }
};

void typedCalls(const syntax::Document& doc, const std::string& rel, const TypeScope& scope, const Variables& vars,
                std::vector<CallSite>& out) {
  auto emit = [&](const std::vector<TypeRef>& refs, const std::string& method, std::uint32_t line) {
    for (const auto& ref : refs)
      out.push_back({rel, line, ref.source, method.empty() ? ref.type : ref.type + "." + method, ref.weak});
  };
  for (const auto& call : callsOf(doc, scope.language)) {
    if (call.node == "object_creation_expression") {
      emit(scope.resolve(call.name), "", call.line);
      continue;
    }
    if (call.receiver.empty()) {
      if (scope.declared->functions.contains(call.name)) continue;  // the class's own method
      if (auto it = scope.members.find(call.name); it != scope.members.end()) {
        out.push_back({rel, call.line, it->second, std::string(lastSegment(it->second, ".")) + "." + call.name});
        continue;
      }
      // Every method of a statically imported type is in scope; an inherited method of the same
      // name would be too, hence weak.
      for (const auto& type : scope.staticTypes) {
        const auto cut = type.rfind('.');
        if (cut == std::string::npos) continue;
        out.push_back({rel, call.line, type.substr(0, cut), type.substr(cut + 1) + "." + call.name, true});
      }
      continue;
    }
    std::string_view receiver = call.receiver;
    if (receiver.starts_with("this.")) receiver.remove_prefix(5);
    // `new Yaml().load(s)`
    if (receiver.starts_with("new ") && receiver.ends_with(")")) {
      const auto paren = receiver.find('(');
      if (closesAtEnd(receiver, paren)) emit(scope.resolve(receiver.substr(4, paren - 4)), call.name, call.line);
      continue;
    }
    if (const Variables::Typed* v = vars.find(receiver, call.at)) {
      if (!v->type.empty()) emit(scope.resolve(v->type), call.name, call.line);
      continue;
    }
    emit(scope.resolve(receiver), call.name, call.line);
  }
}

void javaCalls(const syntax::Document& doc, const std::string& rel, const Declared& declared, std::vector<CallSite>& out) {
  TypeScope scope{Language::Java, {}, {}, {}, {}, &declared};
  const auto matches = bindingMatches(doc, Language::Java);
  for (const auto& match : matches) {
    std::string source;
    bool isStatic = false, wildcard = false;
    for (const auto& c : match.captures) {
      if (c.name == "binding.source") source = textOf(doc, c);
      else if (c.name == "binding.static") isStatic = true;
      else if (c.name == "binding.wildcard") wildcard = true;
    }
    const auto cut = source.rfind('.');
    if (source.empty()) continue;
    if (isStatic && wildcard) scope.staticTypes.push_back(source);
    else if (isStatic && cut != std::string::npos) scope.members.emplace(source.substr(cut + 1), source.substr(0, cut));
    else if (wildcard) scope.namespaces.push_back(source);
    else scope.named.emplace(std::string(lastSegment(source, ".")), source);
  }
  if (scope.named.empty() && scope.members.empty() && scope.staticTypes.empty() && scope.namespaces.empty()) return;
  typedCalls(doc, rel, scope, Variables(doc, matches, declared), out);
}

void csharpCalls(const syntax::Document& doc, const std::string& rel, const Declared& declared, std::vector<CallSite>& out) {
  TypeScope scope{Language::CSharp, {}, {}, {}, {}, &declared};
  const auto matches = bindingMatches(doc, Language::CSharp);
  for (const auto& match : matches) {
    std::string source, local;
    bool isStatic = false;
    for (const auto& c : match.captures) {
      if (c.name == "binding.source") source = textOf(doc, c);
      else if (c.name == "binding.local") local = textOf(doc, c);
      else if (c.name == "binding.static") isStatic = true;
    }
    if (source.empty()) continue;
    if (!local.empty()) scope.named.emplace(local, source);
    else if (isStatic) scope.staticTypes.push_back(source);
    else scope.namespaces.push_back(source);
  }
  if (scope.named.empty() && scope.staticTypes.empty() && scope.namespaces.empty()) return;
  typedCalls(doc, rel, scope, Variables(doc, matches, declared), out);
}

// PHP: `use` imports a class (or with `use function`, a function) under its last segment or an
// alias; names are case-insensitive. Fully qualified names (`\GuzzleHttp\Client`) need no `use`.
void phpCalls(const syntax::Document& doc, const std::string& rel, const Declared& declared, std::vector<CallSite>& out) {
  std::map<std::string, std::string, std::less<>> classes, functions;  // lower-case local -> qualified
  const auto matches = bindingMatches(doc, Language::Php);
  std::set<std::string, std::less<>> declaredTypes;
  for (const auto& t : declared.types) declaredTypes.insert(lower(t));
  for (const auto& match : matches) {
    std::string source, local, prefix;
    std::string_view declaration;
    for (const auto& c : match.captures) {
      if (c.name == "binding.source") source = textOf(doc, c);
      else if (c.name == "binding.local") local = textOf(doc, c);
      else if (c.name == "binding.prefix") prefix = textOf(doc, c);
      else if (c.name == "binding") declaration = textOf(doc, c);
    }
    if (source.empty()) continue;
    if (!prefix.empty()) source = prefix + "\\" + source;
    if (source.starts_with("\\")) source.erase(0, 1);
    if (local.empty()) local = lastSegment(source, "\\");
    const std::string key = lower(local);
    std::string_view rest = declaration.substr(std::min<std::size_t>(3, declaration.size()));
    while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.front()))) rest.remove_prefix(1);
    if (rest.starts_with("function")) functions.emplace(key, source);
    else if (rest.starts_with("const")) continue;
    else if (!declaredTypes.contains(key)) classes.emplace(key, source);
  }
  auto resolve = [&](std::string_view name) -> std::optional<std::string> {
    if (name.starts_with("\\")) return std::string(name.substr(1));
    if (const auto cut = name.find('\\'); cut != std::string_view::npos) {
      // `Psr7\Request` after `use GuzzleHttp\Psr7;`
      if (auto it = classes.find(lower(name.substr(0, cut))); it != classes.end()) return it->second + std::string(name.substr(cut));
      return std::nullopt;
    }
    if (auto it = classes.find(lower(name)); it != classes.end()) return it->second;
    return std::nullopt;  // the file's own namespace or a global class
  };
  const Variables vars(doc, matches, declared);
  for (const auto& call : callsOf(doc, Language::Php)) {
    std::optional<std::string> target;
    std::string symbol;
    if (call.node == "object_creation_expression") {
      target = resolve(call.name);
      if (target) symbol = lastSegment(*target, "\\");
    } else if (call.node == "function_call_expression") {
      if (call.name.find('\\') != std::string::npos) target = resolve(call.name);
      else if (auto it = functions.find(lower(call.name)); it != functions.end()) target = it->second;
      if (target) symbol = lastSegment(*target, "\\");
    } else if (call.node == "scoped_call_expression") {
      target = resolve(call.receiver);
      if (target) symbol = std::string(lastSegment(*target, "\\")) + "." + call.name;
    } else if (const Variables::Typed* v = vars.typed(call.receiver, call.at)) {
      target = resolve(v->type);
      if (target) symbol = std::string(lastSegment(*target, "\\")) + "." + call.name;
    }
    if (target && !symbol.empty()) out.push_back({rel, call.line, std::move(*target), std::move(symbol)});
  }
}

// `Nokogiri`, `::Net::HTTP`, `Nokogiri::XML::Document`: a constant path, which names a module or
// class by itself, without an import.
bool constantPath(std::string_view s) {
  if (s.starts_with("::")) s.remove_prefix(2);
  if (s.empty()) return false;
  std::size_t at = 0;
  while (true) {
    const auto sep = s.find("::", at);
    const std::string_view part = s.substr(at, sep == std::string_view::npos ? std::string_view::npos : sep - at);
    if (!upperFirst(part) || !identifier(part)) return false;
    if (sep == std::string_view::npos) return true;
    at = sep + 2;
  }
}

// Ruby: a gem's code is reached through its constants, which every file sees once the gem is
// loaded (by `require` or Bundler.require): `Nokogiri::XML(s)`, `YAML.load(s)`,
// `Nokogiri::XML::Document.parse(s)`.
void rubyCalls(const syntax::Document& doc, const std::string& rel, std::vector<CallSite>& out) {
  for (const auto& call : callsOf(doc, Language::Ruby)) {
    if (!constantPath(call.receiver)) continue;
    std::string source = call.receiver.starts_with("::") ? call.receiver.substr(2) : call.receiver;
    std::string symbol = source + "." + call.name;
    out.push_back({rel, call.line, std::move(source), std::move(symbol)});
  }
}

// The parts of a vulnerable symbol as an advisory writes it.
struct Symbol {
  std::string name;       // the function or method ("load"; a constructor: the type)
  std::string qualifier;  // the last segment before it ("Decoder", "yaml", "Nokogiri::XML::Document" for Ruby)
  std::string prefix;     // Java/C#: the namespace before the type ("com.x" of "com.x.Foo.bar")
  bool type = false;      // the qualifier names a type: the function is a method
  bool instance = false;  // `Type#method`
};

Symbol parseSymbol(std::string_view family, std::string_view s) {
  Symbol out;
  // `Yaml.load(java.lang.String)`, `JsonConvert.DeserializeObject<T>(string)`: the parameters and
  // type arguments do not name the function.
  if (const auto paren = s.find('('); paren != std::string_view::npos) s = s.substr(0, paren);
  while (s.ends_with(">")) {
    const auto open = s.rfind('<');
    // `Yaml.<init>` is a name, not type arguments.
    if (open == std::string_view::npos || open == 0 || std::string_view(".#:").find(s[open - 1]) != std::string_view::npos) break;
    s = s.substr(0, open);
  }
  const auto cut = s.find_last_of(".#:\\");
  out.name = cut == std::string_view::npos ? s : s.substr(cut + 1);
  if (cut == std::string_view::npos) return out;
  const char separator = s[cut];
  out.instance = separator == '#';
  std::string_view rest = s.substr(0, cut);
  while (!rest.empty() && (rest.back() == ':' || rest.back() == '.' || rest.back() == '-' || rest.back() == '>')) rest.remove_suffix(1);
  if (family == "ruby") {
    out.qualifier = rest;
    out.type = upperFirst(lastSegment(rest, ":"));
    return out;
  }
  out.qualifier = lastSegment(rest, ".:\\/");
  // PHP: `Ns\function` is a namespaced function, `Class::method` a method.
  out.type = family == "php" ? separator != '\\' : upperFirst(out.qualifier);
  if (!out.type) out.prefix = rest;
  else if (const auto before = rest.size() - out.qualifier.size(); before > 0) out.prefix = rest.substr(0, before - 1);
  // Constructors are matched as calls of the type itself.
  if (out.type && (out.name == "<init>" || out.name == "ctor" || out.name == "__construct" || out.name == out.qualifier)) {
    out.name = out.qualifier;
    out.qualifier.clear();
    out.type = false;
  }
  return out;
}

bool equalNames(std::string_view family, std::string_view a, std::string_view b) {
  return family == "php" ? lower(a) == lower(b) : a == b;
}

}  // namespace

bool analysesCalls(Language language) {
  return language == Language::Ruby || syntax::queryFor(language, syntax::QueryKind::Bindings) != nullptr;
}

void findCalls(const syntax::Document& doc, Language language, const std::string& rel, std::vector<CallSite>& calls,
               std::set<std::string, std::less<>>& types) {
  switch (language) {
    case Language::Ruby:
      for (const auto& t : declaredIn(doc, language).types) types.insert(t);
      rubyCalls(doc, rel, calls);
      return;
    case Language::Go:
    case Language::Java:
    case Language::CSharp:
    case Language::Php: {
      const Declared declared = declaredIn(doc, language);
      for (const auto& t : declared.types) types.insert(language == Language::Php ? lower(t) : t);
      if (language == Language::Go) goCalls(doc, rel, declared, calls);
      else if (language == Language::Java) javaCalls(doc, rel, declared, calls);
      else if (language == Language::CSharp) csharpCalls(doc, rel, declared, calls);
      else phpCalls(doc, rel, declared, calls);
      return;
    }
    default: moduleBindingCalls(doc, language, rel, calls); return;
  }
}

std::string goPackageName(std::string_view path) {
  std::string_view last = lastSegment(path, "/");
  auto majorVersion = [](std::string_view s) {
    return s.size() >= 2 && s.front() == 'v' &&
           std::all_of(s.begin() + 1, s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  };
  if (majorVersion(last) && last.size() < path.size()) last = lastSegment(path.substr(0, path.size() - last.size() - 1), "/");
  if (const auto dot = last.rfind('.'); dot != std::string_view::npos && majorVersion(last.substr(dot + 1)))
    last = last.substr(0, dot);  // gopkg.in/yaml.v2
  for (std::string_view p : {"go-", "go."})
    if (last.size() > p.size() && last.starts_with(p)) last.remove_prefix(p.size());
  for (std::string_view p : {"-go", ".go"})
    if (last.size() > p.size() && last.ends_with(p)) last.remove_suffix(p.size());
  return std::string(last);
}

std::vector<std::string> rubyConstants(std::string_view gem) {
  static const std::map<std::string, std::vector<std::string>, std::less<>> kKnown = {
      {"psych", {"Psych", "YAML"}}, {"json", {"JSON"}}, {"activesupport", {"ActiveSupport"}},
      {"activerecord", {"ActiveRecord", "Arel"}}, {"actionpack", {"ActionController", "ActionDispatch", "AbstractController"}},
      {"actionview", {"ActionView"}}, {"activemodel", {"ActiveModel"}}, {"activestorage", {"ActiveStorage"}},
      {"actionmailer", {"ActionMailer"}}, {"activejob", {"ActiveJob"}}, {"railties", {"Rails"}}, {"rails", {"Rails"}},
      {"rexml", {"REXML"}}, {"httparty", {"HTTParty"}}, {"jwt", {"JWT"}}, {"rest-client", {"RestClient"}},
      {"uri", {"URI"}}, {"openssl", {"OpenSSL"}}, {"erb", {"ERB"}}, {"cgi", {"CGI"}}, {"webrick", {"WEBrick"}},
      {"omniauth", {"OmniAuth"}}, {"rubyzip", {"Zip"}}, {"bcrypt", {"BCrypt"}}, {"net-http", {"Net::HTTP"}},
      {"net-imap", {"Net::IMAP"}}, {"net-smtp", {"Net::SMTP"}}, {"net-ftp", {"Net::FTP"}}, {"net-pop", {"Net::POP3"}},
      {"yaml", {"YAML", "Psych"}}, {"oj", {"Oj"}}, {"ox", {"Ox"}}, {"rack-cors", {"Rack::Cors"}},
      {"ruby-saml", {"OneLogin::RubySaml"}}, {"mini_magick", {"MiniMagick"}}, {"xmlrpc", {"XMLRPC"}}};
  const std::string name = lower(gem);
  if (auto it = kKnown.find(name); it != kKnown.end()) return it->second;
  // `active_support` -> ActiveSupport, `aws-sdk-s3` -> Aws::Sdk::S3: `_` joins words, `-` nests.
  std::string constant;
  bool startWord = true;
  for (char c : name) {
    if (c == '_') {
      startWord = true;
    } else if (c == '-' || c == '/') {
      constant += "::";
      startWord = true;
    } else {
      constant += startWord ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      startWord = false;
    }
  }
  return {constant};
}

namespace {

void skipSpace(std::string_view s, std::size_t& i) {
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
}

// A JSON string at s[i] (a quote), unescaped; i moves past it.
std::optional<std::string> jsonString(std::string_view s, std::size_t& i) {
  if (i >= s.size() || s[i] != '"') return std::nullopt;
  std::string out;
  for (++i; i < s.size(); ++i) {
    if (s[i] == '"') {
      ++i;
      return out;
    }
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return std::nullopt;
}

// The keys of the `"psr-4"` and `"psr-0"` objects in s[from, to): the namespaces a Composer
// package autoloads. composer.json and composer.lock are generated JSON; a file that does not
// read as expected yields nothing, and the caller falls back to a guess.
std::vector<std::string> autoloadNamespaces(std::string_view s, std::size_t from, std::size_t to) {
  std::vector<std::string> out;
  for (std::string_view key : {"\"psr-4\"", "\"psr-0\""}) {
    const auto at = s.find(key, from);
    if (at == std::string_view::npos || at >= to) continue;
    std::size_t i = at + key.size();
    skipSpace(s, i);
    if (i >= s.size() || s[i] != ':') continue;
    ++i;
    skipSpace(s, i);
    if (i >= s.size() || s[i] != '{') continue;
    ++i;
    while (i < to) {
      skipSpace(s, i);
      auto name = jsonString(s, i);
      if (!name) break;
      skipSpace(s, i);
      if (i >= s.size() || s[i] != ':') break;
      ++i;
      skipSpace(s, i);
      if (i < s.size() && s[i] == '"') {
        if (!jsonString(s, i)) break;
      } else if (i < s.size() && s[i] == '[') {
        for (++i; i < s.size() && s[i] != ']';) {
          if (s[i] == '"') {
            if (!jsonString(s, i)) return out;
          } else {
            ++i;
          }
        }
        ++i;
      } else {
        break;
      }
      while (name->ends_with('\\')) name->pop_back();
      while (name->starts_with('\\')) name->erase(0, 1);
      if (!name->empty()) out.push_back(std::move(*name));
      skipSpace(s, i);
      if (i >= s.size() || s[i] != ',') break;
      ++i;
    }
  }
  return out;
}

// Whether s[from, to) declares Laravel service providers (`"extra": {"laravel": {"providers"`).
bool laravelProviders(std::string_view s, std::size_t from, std::size_t to) {
  const auto laravel = s.find("\"laravel\"", from);
  if (laravel == std::string_view::npos || laravel >= to) return false;
  const auto providers = s.find("\"providers\"", laravel);
  return providers != std::string_view::npos && providers < to;
}

std::string studly(std::string_view s) {
  std::string out;
  bool start = true;
  for (char c : s) {
    if (c == '-' || c == '_' || c == '.') {
      start = true;
      continue;
    }
    out += start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    start = false;
  }
  return out;
}

}  // namespace

PhpNamespaces phpNamespaces(const std::string& root, std::string_view scope, std::string_view package) {
  PhpNamespaces out;
  const std::string name = lower(package);
  const auto slash = name.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == name.size()) return out;
  std::vector<std::string> dirs;
  if (!scope.empty()) dirs.push_back(root + "/" + std::string(scope));
  dirs.push_back(root);
  for (const auto& dir : dirs) {
    if (auto text = support::readFile(dir + "/vendor/" + name + "/composer.json")) {
      const std::string_view s = *text;
      const auto from = s.find("\"autoload\"");
      if (from != std::string_view::npos) {
        auto to = s.find("\"autoload-dev\"", from);
        out.namespaces = autoloadNamespaces(s, from, to == std::string_view::npos ? s.size() : to);
        out.discovered = laravelProviders(s, 0, s.size());
        if (!out.namespaces.empty()) {
          out.from = (scope.empty() || dir == root ? std::string() : std::string(scope) + "/") + "vendor/" + name + "/composer.json";
          return out;
        }
      }
    }
    if (auto text = support::readFile(dir + "/composer.lock")) {
      // The package's entry: from its `"name": "vendor/pkg"` to the next package's name.
      const std::string l = lower(*text);
      const std::string quoted = "\"" + name + "\"";
      for (auto at = l.find(quoted); at != std::string::npos; at = l.find(quoted, at + 1)) {
        std::size_t k = at;
        while (k > 0 && std::isspace(static_cast<unsigned char>(l[k - 1]))) --k;
        if (k == 0 || l[k - 1] != ':') continue;
        --k;
        while (k > 0 && std::isspace(static_cast<unsigned char>(l[k - 1]))) --k;
        if (k < 6 || l.compare(k - 6, 6, "\"name\"") != 0) continue;
        std::size_t to = l.size();
        for (auto next = l.find("\"name\"", at + quoted.size()); next != std::string::npos; next = l.find("\"name\"", next + 1)) {
          std::size_t i = next + 6;
          skipSpace(l, i);
          if (i >= l.size() || l[i] != ':') continue;
          ++i;
          skipSpace(l, i);
          auto value = jsonString(l, i);
          if (value && value->find('/') != std::string::npos) {
            to = next;
            break;
          }
        }
        out.namespaces = autoloadNamespaces(*text, at, to);
        out.discovered = laravelProviders(*text, at, to);
        if (!out.namespaces.empty()) {
          out.from = (scope.empty() || dir == root ? std::string() : std::string(scope) + "/") + "composer.lock";
          return out;
        }
        break;
      }
    }
  }
  // No lock file or installed package to read: the usual layouts.
  static const std::map<std::string, std::vector<std::string>, std::less<>> kKnown = {
      {"guzzlehttp/guzzle", {"GuzzleHttp"}}, {"laravel/framework", {"Illuminate"}},
      {"phpseclib/phpseclib", {"phpseclib3", "phpseclib"}}, {"symfony/symfony", {"Symfony"}},
      {"phpmailer/phpmailer", {"PHPMailer\\PHPMailer"}}, {"firebase/php-jwt", {"Firebase\\JWT"}},
      {"league/commonmark", {"League\\CommonMark"}}, {"phpunit/phpunit", {"PHPUnit"}}};
  out.guessed = true;
  if (auto it = kKnown.find(name); it != kKnown.end()) {
    out.namespaces = it->second;
    return out;
  }
  const std::string vendor = name.substr(0, slash);
  std::string pkg = name.substr(slash + 1);
  if (pkg.starts_with("php-") && pkg.size() > 4) pkg.erase(0, 4);
  if (pkg.ends_with("-php") && pkg.size() > 4) pkg.resize(pkg.size() - 4);
  if (vendor == "symfony") out.namespaces = {"Symfony\\Component\\" + studly(pkg), "Symfony\\Bridge\\" + studly(pkg)};
  else if (vendor == pkg) out.namespaces = {studly(vendor)};
  else out.namespaces = {studly(vendor) + "\\" + studly(pkg)};
  return out;
}

std::string calledType(std::string_view family, const CallSite& call) {
  const std::string_view s = call.symbol;
  if (family == "ruby") return {};
  const auto dot = s.rfind('.');
  if (dot != std::string_view::npos) return std::string(s.substr(0, dot));
  // A constructor call names the type itself.
  if ((family == "java" || family == "cs" || family == "php") && upperFirst(s)) return std::string(s);
  return {};
}

bool symbolMatches(std::string_view family, std::string_view vulnerable, const CallSite& call) {
  const std::string_view called = call.symbol;
  const auto lastOf = [](std::string_view x) { return lastSegment(x, ".#:"); };
  if (family == "js" || family == "py" || family == "rust") return lastOf(vulnerable) == lastOf(called);
  const Symbol v = parseSymbol(family, vulnerable);
  if (v.name.empty()) return false;
  if (family == "ruby") {
    // Constant calls reach singleton methods, not `Type#method` instance methods.
    const auto dot = called.rfind('.');
    if (v.instance || dot == std::string_view::npos || v.name != called.substr(dot + 1)) return false;
    if (v.qualifier.empty()) return true;
    auto canonical = [](std::string q) {
      if (q == "YAML" || q.starts_with("YAML::")) q.replace(0, 4, "Psych");
      return q;
    };
    const std::string want = canonical(v.qualifier);
    const std::string have = canonical(std::string(called.substr(0, dot)));
    return have == want || have.ends_with("::" + want);
  }
  const auto dot = called.rfind('.');
  const std::string_view name = dot == std::string_view::npos ? called : called.substr(dot + 1);
  const std::string_view type = dot == std::string_view::npos ? std::string_view() : called.substr(0, dot);
  if (!equalNames(family, v.name, name)) return false;
  if (v.type) {
    if (!equalNames(family, v.qualifier, type)) return false;
  } else if (family == "go") {
    // `yaml.Unmarshal` / `Unmarshal` is a package function, not a method of some type.
    if (!type.empty()) return false;
  } else if (call.weak && !(type.empty() && upperFirst(name))) {
    return false;  // a namespace import's call counts only when the advisory names its type
  }
  // A weak call's namespace must be the one the advisory names, when it names one.
  if (call.weak && !v.prefix.empty() && lower(v.prefix) != lower(call.source)) return false;
  return true;
}

}  // namespace aspm::mapping::detail
