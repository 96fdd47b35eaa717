// Manifest readers that find where a package's version is written, and version-spec rewriting
// that keeps the author's operator. Each reader only locates byte ranges; nothing is
// re-serialised, so comments, key order, quoting and line endings stay exactly as they were.
#include "remediation/manifest.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/text.h"

namespace aspm::remediation {
namespace {

using support::trim;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return lower(a) == lower(b);
}
bool isSpace(char c) {
  return c == ' ' || c == '\t';
}
bool isWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
bool isDigit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

std::string fileNameOf(std::string_view path) {
  const auto slash = path.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// ---------------------------------------------------------------------------------------------
// Versions

// Numeric release parts and whether a pre-release tag follows ("1.2.0-rc1", "2.0b1").
struct Version {
  std::vector<long> parts;
  bool pre = false;
};

std::optional<Version> parseVersion(std::string_view s) {
  s = trim(s);
  if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) s.remove_prefix(1);
  Version v;
  std::size_t i = 0;
  while (i < s.size() && isDigit(s[i])) {
    long n = 0;
    while (i < s.size() && isDigit(s[i])) {
      if (n < 100000000) n = n * 10 + (s[i] - '0');
      ++i;
    }
    v.parts.push_back(n);
    if (i + 1 < s.size() && s[i] == '.' && isDigit(s[i + 1])) {
      ++i;
      continue;
    }
    break;
  }
  if (v.parts.empty()) return std::nullopt;
  std::string rest = lower(s.substr(i));
  while (!rest.empty() && (rest[0] == '-' || rest[0] == '.' || rest[0] == '_')) rest.erase(0, 1);
  for (std::string_view tag : {"alpha", "beta", "rc", "dev", "pre", "snapshot", "a", "b", "c", "m", "cr", "ea"})
    if (rest.rfind(tag, 0) == 0 &&
        (rest.size() == tag.size() || !std::isalpha(static_cast<unsigned char>(rest[tag.size()])) || tag.size() > 2)) {
      v.pre = true;
      break;
    }
  return v;
}

}  // namespace

// <0, 0, >0; unparsable versions compare as equal so that nothing is claimed about them.
int compareVersions(std::string_view a, std::string_view b) {
  const auto va = parseVersion(a), vb = parseVersion(b);
  if (!va || !vb) return 0;
  const std::size_t n = std::max(va->parts.size(), vb->parts.size());
  for (std::size_t i = 0; i < n; ++i) {
    const long x = i < va->parts.size() ? va->parts[i] : 0;
    const long y = i < vb->parts.size() ? vb->parts[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  if (va->pre != vb->pre) return va->pre ? -1 : 1;
  return 0;
}

namespace {

bool looksLikeVersion(std::string_view s) {
  s = trim(s);
  if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) s.remove_prefix(1);
  return !s.empty() && isDigit(s[0]) && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == '_';
  });
}

// One comparison: operator, the blanks after it, and the version.
struct Clause {
  std::string op;
  std::string gap;
  std::string version;
  std::string text() const { return op + gap + version; }
};

std::optional<Clause> parseClause(std::string_view s) {
  s = trim(s);
  static constexpr std::array kOps = {"===", "==", "~=", "~>", ">=", "<=", "!=", "^", "~", ">", "<", "="};
  Clause c;
  for (std::string_view op : kOps)
    if (s.substr(0, op.size()) == op) {
      c.op = std::string(op);
      break;
    }
  std::size_t i = c.op.size();
  while (i < s.size() && isSpace(s[i])) ++i;
  c.gap = std::string(s.substr(c.op.size(), i - c.op.size()));
  c.version = std::string(s.substr(i));
  if (c.version.empty()) return std::nullopt;
  return c;
}

bool isLowerBound(std::string_view op) {
  return op.empty() || op == "=" || op == "==" || op == "===" || op == "^" || op == "~" || op == "~=" || op == "~>" ||
         op == ">=" || op == ">";
}

struct Rewrite {
  std::string spec;
  bool already = false;  // the declaration already requires the fixed version or later
  std::string problem;   // set when the declaration cannot be rewritten
};

// npm, composer and Poetry single-clause specs: keep the operator, replace the version.
std::optional<Rewrite> rewriteSimple(std::string_view spec, std::string_view fixed) {
  const auto c = parseClause(spec);
  if (!c || !looksLikeVersion(c->version) || !isLowerBound(c->op)) return std::nullopt;
  if (c->version.find_first_of("xX*") != std::string::npos) return std::nullopt;
  Rewrite r;
  if (compareVersions(c->version, fixed) >= 0 && c->op != ">") {
    r.already = true;
    r.spec = std::string(trim(spec));
    return r;
  }
  const bool keepV = !c->version.empty() && (c->version[0] == 'v' || c->version[0] == 'V');
  r.spec = (c->op == ">" ? std::string(">=") : c->op) + c->gap + (keepV ? std::string(1, c->version[0]) : "") +
           std::string(fixed);
  return r;
}

// Comma-separated clause lists (PEP 440, Poetry, RubyGems requirement lists): raise the lower
// bounds, keep upper bounds and exclusions that still admit the fixed version, drop the rest.
Rewrite rewriteClauses(const std::vector<std::string>& clauses, std::string_view fixed, std::string_view newLowerGap,
                       std::vector<std::string>* outClauses) {
  Rewrite r;
  std::vector<std::string> out;
  bool hasLower = false, changed = false;
  for (const std::string& raw : clauses) {
    const auto c = parseClause(raw);
    if (!c) {
      changed = true;
      continue;
    }
    Clause n = *c;
    const bool wildcard = c->version.find('*') != std::string::npos;
    if ((c->op == "==" || c->op == "=" || c->op.empty()) && wildcard) {
      const std::string prefix = c->version.substr(0, c->version.find('*'));
      if (std::string(fixed).rfind(prefix, 0) == 0) {
        out.push_back(std::string(trim(raw)));
      } else {
        changed = true;
      }
      continue;
    }
    if (c->op == "<" || c->op == "<=") {
      const int cmp = compareVersions(fixed, c->version);
      if (cmp < 0 || (cmp == 0 && c->op == "<=")) {
        out.push_back(std::string(trim(raw)));
      } else {
        changed = true;
      }
      continue;
    }
    if (c->op == "!=") {
      if (compareVersions(fixed, c->version) != 0 || wildcard) {
        out.push_back(std::string(trim(raw)));
      } else {
        changed = true;
      }
      continue;
    }
    hasLower = true;
    if (compareVersions(c->version, fixed) >= 0 && c->op != ">") {
      out.push_back(std::string(trim(raw)));
      continue;
    }
    if (n.op == ">") n.op = ">=";
    n.version = std::string(fixed);
    out.push_back(n.text());
    changed = true;
  }
  if (!hasLower) {
    out.insert(out.begin(), ">=" + std::string(newLowerGap) + std::string(fixed));
    changed = true;
  }
  r.already = !changed;
  if (outClauses) *outClauses = out;
  return r;
}

std::vector<std::string> splitOn(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (b <= s.size()) {
    std::size_t e = s.find(sep, b);
    if (e == std::string_view::npos) e = s.size();
    const std::string_view part = trim(s.substr(b, e - b));
    if (!part.empty()) out.emplace_back(part);
    b = e + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

bool nonRegistrySpec(std::string_view spec) {
  spec = trim(spec);
  for (std::string_view p :
       {"file:", "link:", "git", "http:", "https:", "npm:", "workspace:", "github:", "portal:", "patch:"})
    if (spec.substr(0, p.size()) == p) return true;
  return spec.find('/') != std::string_view::npos;
}

Rewrite rewriteNpm(std::string_view spec, std::string_view fixed) {
  const std::string_view t = trim(spec);
  if (nonRegistrySpec(t)) return Rewrite{{}, false, "declared with a non-registry source (" + std::string(t) + ")"};
  if (auto r = rewriteSimple(t, fixed)) return *r;
  // Wildcards, ranges and alternatives: the caret range npm itself writes on install.
  return Rewrite{"^" + std::string(fixed), false, {}};
}

Rewrite rewriteComposer(std::string_view spec, std::string_view fixed) {
  const std::string_view t = trim(spec);
  if (t.substr(0, 4) == "dev-") return Rewrite{{}, false, "declared on a development branch (" + std::string(t) + ")"};
  if (auto r = rewriteSimple(t, fixed)) return *r;
  return Rewrite{"^" + std::string(fixed), false, {}};
}

Rewrite rewritePep440(std::string_view spec, std::string_view fixed) {
  const std::string_view t = trim(spec);
  if (t.empty()) return Rewrite{">=" + std::string(fixed), false, {}};
  std::vector<std::string> out;
  Rewrite r = rewriteClauses(splitOn(t, ','), fixed, "", &out);
  r.spec = r.already ? std::string(t) : join(out, t.find(", ") != std::string_view::npos ? ", " : ",");
  return r;
}

Rewrite rewritePoetry(std::string_view spec, std::string_view fixed) {
  const std::string_view t = trim(spec);
  if (t.empty() || t == "*") return Rewrite{"^" + std::string(fixed), false, {}};
  if (t.find("||") != std::string_view::npos || t.find('|') != std::string_view::npos)
    return Rewrite{"^" + std::string(fixed), false, {}};
  if (t.find(',') == std::string_view::npos)
    if (auto r = rewriteSimple(t, fixed)) return *r;
  return rewritePep440(t, fixed);
}

Rewrite rewriteGo(std::string_view current, std::string_view fixed) {
  const std::string_view t = trim(current);
  if (compareVersions(t, fixed) >= 0) return Rewrite{std::string(t), true, {}};
  // A v2+ module without a /vN path is only addressable as "+incompatible".
  const std::string_view incompatible = "+incompatible";
  const bool keep = t.size() > incompatible.size() && t.substr(t.size() - incompatible.size()) == incompatible &&
                    std::string_view(fixed).find('+') == std::string_view::npos;
  return Rewrite{"v" + std::string(fixed) + (keep ? std::string(incompatible) : std::string()), false, {}};
}

// Maven, Gradle and NuGet: a plain version (a minimum for NuGet) or a range/dynamic version,
// both replaced by the fixed version.
Rewrite rewriteExact(std::string_view current, std::string_view fixed) {
  std::string_view t = trim(current);
  std::string suffix;
  if (t.size() > 2 && t.substr(t.size() - 2) == "!!") {  // Gradle strict version
    suffix = "!!";
    t.remove_suffix(2);
  }
  const bool range = !t.empty() && (t[0] == '[' || t[0] == '(' || t.find('+') != std::string_view::npos ||
                                    t.substr(0, 7) == "latest.");
  if (!range && looksLikeVersion(t) && compareVersions(t, fixed) >= 0) return Rewrite{std::string(current), true, {}};
  return Rewrite{std::string(fixed) + suffix, false, {}};
}

// ---------------------------------------------------------------------------------------------
// Where versions are written

enum class Eco { Npm, Composer, Pep440, Poetry, Gem, Go, Exact };

// One declaration of the package: the byte range holding its version (empty to insert one).
struct Site {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string where;  // "dependencies", "[tool.poetry.dependencies]", "property log4j.version"
  Eco eco = Eco::Exact;
  std::string problem;  // declared, but no version here that an edit could change
  // Insert mode: text written around a new version (Gemfile `, '>= 1.2'`, a bare requirement).
  bool insert = false;
  std::string insertBefore, insertAfter;
  // Gemfile requirement lists: each string's quote char and the clause texts.
  char quote = '\'';
  std::vector<std::string> clauses;
};

// PEP 503: case-insensitive, runs of '-', '_' and '.' are one '-'.
std::string pep503(std::string_view name) {
  std::string out;
  bool sep = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      sep = true;
      continue;
    }
    if (sep && !out.empty()) out += '-';
    sep = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// --- JSON (package.json, composer.json): a strict-enough reader that keeps offsets.

class JsonScanner {
 public:
  explicit JsonScanner(std::string_view text) : t_(text) {
    if (t_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }
  bool failed() const { return failed_; }
  std::size_t pos() const { return pos_; }

  void ws() {
    while (pos_ < t_.size() && (t_[pos_] == ' ' || t_[pos_] == '\t' || t_[pos_] == '\n' || t_[pos_] == '\r')) ++pos_;
  }
  bool peek(char c) {
    ws();
    return pos_ < t_.size() && t_[pos_] == c;
  }
  bool expect(char c) {
    if (!peek(c)) return fail();
    ++pos_;
    return true;
  }
  // A string: its content range (without quotes) and a decoding good enough for names.
  bool string(std::size_t& begin, std::size_t& end, std::string& decoded) {
    if (!peek('"')) return fail();
    begin = ++pos_;
    decoded.clear();
    while (pos_ < t_.size() && t_[pos_] != '"') {
      if (t_[pos_] == '\\') {
        if (pos_ + 1 >= t_.size()) return fail();
        const char e = t_[pos_ + 1];
        decoded += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        pos_ += e == 'u' ? 6 : 2;
        continue;
      }
      if (t_[pos_] == '\n') return fail();
      decoded += t_[pos_++];
    }
    if (pos_ >= t_.size()) return fail();
    end = pos_++;
    return true;
  }
  bool skipValue(int depth = 0) {
    if (depth > 200) return fail();
    ws();
    if (pos_ >= t_.size()) return fail();
    const char c = t_[pos_];
    std::size_t b = 0, e = 0;
    std::string s;
    if (c == '"') return string(b, e, s);
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++pos_;
      if (peek(close)) {
        ++pos_;
        return true;
      }
      while (true) {
        if (c == '{') {
          if (!string(b, e, s) || !expect(':')) return false;
        }
        if (!skipValue(depth + 1)) return false;
        if (peek(',')) {
          ++pos_;
          continue;
        }
        return expect(close);
      }
    }
    const std::size_t start = pos_;
    while (pos_ < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[pos_])) || t_[pos_] == '-' ||
                                t_[pos_] == '+' || t_[pos_] == '.'))
      ++pos_;
    return pos_ > start || fail();
  }
  // Calls onMember(key, keyEnd) positioned at each member's value; it must consume the value.
  template <typename F>
  bool object(F&& onMember) {
    if (!expect('{')) return false;
    if (peek('}')) {
      ++pos_;
      return true;
    }
    while (true) {
      std::size_t b = 0, e = 0;
      std::string key;
      if (!string(b, e, key) || !expect(':')) return false;
      if (!onMember(key)) return false;
      if (peek(',')) {
        ++pos_;
        continue;
      }
      return expect('}');
    }
  }

 private:
  bool fail() {
    failed_ = true;
    return false;
  }
  std::string_view t_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

std::string jsonSites(std::string_view text, std::string_view package, bool composer, std::vector<Site>& sites) {
  static constexpr std::array kNpm = {"dependencies", "devDependencies", "optionalDependencies", "peerDependencies"};
  static constexpr std::array kComposer = {"require", "require-dev"};
  JsonScanner js(text);
  const bool ok = js.object([&](const std::string& key) {
    bool section = false;
    if (composer) {
      section = std::find(kComposer.begin(), kComposer.end(), key) != kComposer.end();
    } else {
      section = std::find(kNpm.begin(), kNpm.end(), key) != kNpm.end();
    }
    if (!section || !js.peek('{')) return js.skipValue();
    return js.object([&](const std::string& name) {
      const bool match = composer ? iequals(name, package) : name == package;
      if (!match || !js.peek('"')) return js.skipValue();
      std::size_t b = 0, e = 0;
      std::string value;
      if (!js.string(b, e, value)) return false;
      Site s;
      s.begin = b;
      s.end = e;
      s.where = key;
      s.eco = composer ? Eco::Composer : Eco::Npm;
      sites.push_back(std::move(s));
      return true;
    });
  });
  if (!ok || js.failed()) return "is not valid JSON (near byte " + std::to_string(js.pos()) + ")";
  return {};
}

// --- PEP 508 requirement strings (requirements.txt lines, PEP 621 arrays).

// Parses "name[extras] spec ; marker" at text[b, e); adds a site when the name matches.
void pep508Site(std::string_view text, std::size_t b, std::size_t e, std::string_view package, const std::string& where,
                std::vector<Site>& sites) {
  std::size_t i = b;
  while (i < e && isSpace(text[i])) ++i;
  const std::size_t nameBegin = i;
  while (i < e &&
         (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '-' || text[i] == '_' || text[i] == '.'))
    ++i;
  if (i == nameBegin || pep503(text.substr(nameBegin, i - nameBegin)) != pep503(package)) return;
  std::size_t afterName = i;
  while (i < e && isSpace(text[i])) ++i;
  if (i < e && text[i] == '[') {
    const std::size_t close = text.find(']', i);
    if (close == std::string_view::npos || close >= e) return;
    i = afterName = close + 1;
    while (i < e && isSpace(text[i])) ++i;
  }
  Site s;
  s.where = where;
  s.eco = Eco::Pep440;
  if (i < e && text[i] == '@') {
    s.problem = "installed from a URL (" + std::string(trim(text.substr(i + 1, e - i - 1))) + ")";
    sites.push_back(std::move(s));
    return;
  }
  // The spec runs to a marker, a comment, an option or a continuation.
  std::size_t specEnd = i;
  while (specEnd < e && text[specEnd] != ';' && text[specEnd] != '\\' && text[specEnd] != '#') {
    if (isSpace(text[specEnd])) {
      std::size_t next = specEnd;
      while (next < e && isSpace(text[next])) ++next;
      if (next + 1 < e && text[next] == '-' && text[next + 1] == '-') break;
    }
    ++specEnd;
  }
  std::size_t trimmedEnd = specEnd;
  while (trimmedEnd > i && isSpace(text[trimmedEnd - 1])) --trimmedEnd;
  if (trimmedEnd == i) {
    s.insert = true;
    s.begin = s.end = afterName;
  } else {
    std::size_t sb = i, se = trimmedEnd;
    if (text[sb] == '(' && text[se - 1] == ')') {  // legacy "name (>=1.0)"
      ++sb;
      --se;
    }
    s.begin = sb;
    s.end = se;
  }
  sites.push_back(std::move(s));
}

std::string requirementsSites(std::string_view text, std::string_view package, std::vector<Site>& sites, bool& hashes) {
  const support::LineIndex index(text);
  for (std::size_t l = 0; l < index.lineCount(); ++l) {
    const std::string_view line = support::lineText(text, index, l);
    const std::string_view t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == '-') continue;
    const std::size_t b = index.lineStart(l);
    const std::size_t before = sites.size();
    pep508Site(text, b, b + line.size(), package, "requirements", sites);
    if (sites.size() > before) {
      // Hash-checking mode: the pins carry --hash options on this or the continued lines.
      for (std::size_t k = l; k < index.lineCount(); ++k) {
        const std::string_view cont = support::lineText(text, index, k);
        if (cont.find("--hash") != std::string_view::npos) hashes = true;
        if (trim(cont).empty() || trim(cont).back() != '\\') break;
      }
    }
  }
  return {};
}

// --- TOML (pyproject.toml): tables, keys, strings, arrays and one-line inline tables.

struct TomlString {
  std::size_t begin, end;  // content, without quotes
  std::string value;
};

// Reads a basic or literal string at text[i]; i is moved past it.
std::optional<TomlString> tomlString(std::string_view text, std::size_t& i) {
  if (i >= text.size() || (text[i] != '"' && text[i] != '\'')) return std::nullopt;
  const char q = text[i];
  if (text.substr(i, 3) == std::string(3, q)) return std::nullopt;  // multi-line strings hold no requirements
  TomlString s;
  s.begin = ++i;
  while (i < text.size() && text[i] != q && text[i] != '\n') {
    if (q == '"' && text[i] == '\\') ++i;
    ++i;
  }
  if (i >= text.size() || text[i] != q) return std::nullopt;
  s.end = i++;
  s.value = std::string(text.substr(s.begin, s.end - s.begin));
  return s;
}

// Strings of the array starting at text[i] == '['.
std::vector<TomlString> tomlArrayStrings(std::string_view text, std::size_t& i) {
  std::vector<TomlString> out;
  int depth = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      if (auto s = tomlString(text, i)) {
        out.push_back(*s);
        continue;
      }
      ++i;
      continue;
    }
    if (c == '[') ++depth;
    if (c == ']' && --depth == 0) {
      ++i;
      break;
    }
    ++i;
  }
  return out;
}

std::string unquoteKey(std::string_view k) {
  k = trim(k);
  if (k.size() >= 2 && (k.front() == '"' || k.front() == '\'') && k.back() == k.front()) k = k.substr(1, k.size() - 2);
  return std::string(k);
}

bool poetryDependencyTable(std::string_view table) {
  return table == "tool.poetry.dependencies" || table == "tool.poetry.dev-dependencies" ||
         (table.rfind("tool.poetry.group.", 0) == 0 && table.size() > 13 &&
          table.substr(table.size() - 13) == ".dependencies");
}

std::string pyprojectSites(std::string_view text, std::string_view package, std::vector<Site>& sites) {
  std::string table;
  std::size_t i = 0;
  const std::string wanted = pep503(package);
  while (i < text.size()) {
    // At a line start.
    std::size_t lineEnd = text.find('\n', i);
    if (lineEnd == std::string_view::npos) lineEnd = text.size();
    std::size_t k = i;
    while (k < lineEnd && isSpace(text[k])) ++k;
    if (k >= lineEnd || text[k] == '#' || text[k] == '\r') {
      i = lineEnd + 1;
      continue;
    }
    if (text[k] == '[') {
      const bool arrayTable = text.substr(k, 2) == "[[";
      const std::size_t close = text.find(']', k);
      if (close == std::string_view::npos || close > lineEnd) return "has a malformed table header";
      std::string raw(text.substr(k + (arrayTable ? 2 : 1), close - k - (arrayTable ? 2 : 1)));
      table.clear();
      for (char c : raw)
        if (!isSpace(c) && c != '"' && c != '\'') table += c;
      i = lineEnd + 1;
      continue;
    }
    const std::size_t eq = text.find('=', k);
    if (eq == std::string_view::npos || eq > lineEnd) {
      i = lineEnd + 1;
      continue;
    }
    const std::string key = unquoteKey(text.substr(k, eq - k));
    std::size_t v = eq + 1;
    while (v < text.size() && isSpace(text[v])) ++v;
    const bool pep621 = (table == "project" && key == "dependencies") || table == "project.optional-dependencies" ||
                        table == "dependency-groups";
    if (pep621 && v < text.size() && text[v] == '[') {
      const std::string where = table == "project" ? "[project] dependencies" : "[" + table + "] " + key;
      for (const TomlString& s : tomlArrayStrings(text, v)) pep508Site(text, s.begin, s.end, package, where, sites);
      i = v;
      const std::size_t nl = text.find('\n', i);
      i = nl == std::string_view::npos ? text.size() : nl + 1;
      continue;
    }
    const bool poetryTable = poetryDependencyTable(table);
    const bool poetrySubtable = table.rfind("tool.poetry.", 0) == 0 && !poetryTable &&
                                table.find(".dependencies.") != std::string::npos &&
                                pep503(table.substr(table.rfind('.') + 1)) == wanted && key == "version";
    if ((poetryTable && pep503(key) == wanted) || poetrySubtable) {
      Site s;
      s.eco = Eco::Poetry;
      s.where = "[" + table + "]";
      if (v < text.size() && (text[v] == '"' || text[v] == '\'')) {
        if (auto str = tomlString(text, v)) {
          s.begin = str->begin;
          s.end = str->end;
        } else {
          s.problem = "has a version string that could not be read";
        }
      } else if (v < text.size() && text[v] == '{') {
        const std::size_t close = text.find('}', v);
        const std::string_view inl = text.substr(v, (close == std::string_view::npos ? lineEnd : close) - v);
        std::size_t at = std::string_view::npos;
        for (std::size_t p = inl.find("version"); p != std::string_view::npos; p = inl.find("version", p + 1)) {
          if (p > 0 && (isWordChar(inl[p - 1]) || inl[p - 1] == '-')) continue;
          std::size_t q = p + 7;
          while (q < inl.size() && isSpace(inl[q])) ++q;
          if (q < inl.size() && inl[q] == '=') {
            ++q;
            while (q < inl.size() && isSpace(inl[q])) ++q;
            at = v + q;
            break;
          }
        }
        if (at != std::string_view::npos) {
          std::size_t q = at;
          if (auto str = tomlString(text, q)) {
            s.begin = str->begin;
            s.end = str->end;
          } else {
            s.problem = "has a version that could not be read";
          }
        } else {
          s.problem = "is declared without a version (a git, path or URL source)";
        }
      } else if (v < text.size() && text[v] == '[') {
        s.problem = "has several constraints (one per Python version or platform); edit them by hand";
      } else {
        s.problem = "has a version that could not be read";
      }
      sites.push_back(std::move(s));
    }
    // Skip the value, which may be a multi-line array.
    if (v < text.size() && text[v] == '[') {
      (void)tomlArrayStrings(text, v);
      const std::size_t nl = text.find('\n', v);
      i = nl == std::string_view::npos ? text.size() : nl + 1;
    } else {
      i = lineEnd + 1;
    }
  }
  return {};
}

// --- go.mod

std::string goModSites(std::string_view text, std::string_view package, std::vector<Site>& sites, std::string& note) {
  const support::LineIndex index(text);
  bool inRequire = false, inReplace = false;
  for (std::size_t l = 0; l < index.lineCount(); ++l) {
    const std::string_view line = support::lineText(text, index, l);
    const std::size_t base = index.lineStart(l);
    std::string_view code = line.substr(0, std::min(line.find("//"), line.size()));
    const std::string_view t = trim(code);
    if (t.empty()) continue;
    if (inRequire || inReplace) {
      if (t == ")") {
        inRequire = inReplace = false;
        continue;
      }
    }
    std::size_t pos = static_cast<std::size_t>(t.data() - line.data());
    bool single = false, replaceLine = inReplace;
    if (!inRequire && !inReplace) {
      if (t.rfind("require", 0) == 0 && (t.size() == 7 || isSpace(t[7]) || t[7] == '(')) {
        std::string_view rest = trim(t.substr(7));
        if (rest == "(") {
          inRequire = true;
          continue;
        }
        single = true;
        pos = static_cast<std::size_t>(rest.data() - line.data());
      } else if (t.rfind("replace", 0) == 0 && (t.size() == 7 || isSpace(t[7]) || t[7] == '(')) {
        std::string_view rest = trim(t.substr(7));
        if (rest == "(") {
          inReplace = true;
          continue;
        }
        replaceLine = true;
        pos = static_cast<std::size_t>(rest.data() - line.data());
      } else {
        continue;
      }
    }
    // Tokens: module path, version.
    std::size_t a = pos;
    std::size_t ae = a;
    while (ae < code.size() && !isSpace(code[ae])) ++ae;
    std::string module(code.substr(a, ae - a));
    if (module.size() >= 2 && module.front() == '"' && module.back() == '"')
      module = module.substr(1, module.size() - 2);
    if (module != package) continue;
    if (replaceLine) {
      note = "go.mod replaces " + std::string(package) +
             "; check that the replace directive does not override the upgrade";
      continue;
    }
    if (!inRequire && !single) continue;
    std::size_t vb = ae;
    while (vb < code.size() && isSpace(code[vb])) ++vb;
    std::size_t ve = vb;
    while (ve < code.size() && !isSpace(code[ve])) ++ve;
    Site s;
    s.eco = Eco::Go;
    s.where = "require";
    if (ve == vb) {
      s.problem = "is required without a version";
    } else {
      s.begin = base + vb;
      s.end = base + ve;
    }
    if (line.find("// indirect") != std::string_view::npos) s.where = "require (indirect)";
    sites.push_back(std::move(s));
  }
  return {};
}

// --- XML (pom.xml, *.csproj): tags found in a copy whose comments are blanked, so offsets match.

std::string blankXmlComments(std::string_view text) {
  std::string out(text);
  std::size_t i = 0;
  while ((i = out.find("<!--", i)) != std::string::npos) {
    std::size_t e = out.find("-->", i + 4);
    e = e == std::string::npos ? out.size() : e + 3;
    for (std::size_t k = i; k < e; ++k)
      if (out[k] != '\n' && out[k] != '\r') out[k] = ' ';
    i = e;
  }
  return out;
}

struct Element {
  std::size_t contentBegin = std::string::npos, contentEnd = std::string::npos;
};

// The first <name>content</name> inside [from, to).
Element childElement(std::string_view xml, std::string_view name, std::size_t from, std::size_t to) {
  const std::string open = "<" + std::string(name) + ">";
  const std::string close = "</" + std::string(name) + ">";
  const std::size_t o = xml.find(open, from);
  if (o == std::string_view::npos || o >= to) return {};
  const std::size_t c = xml.find(close, o);
  if (c == std::string_view::npos || c > to) return {};
  Element e;
  e.contentBegin = o + open.size();
  e.contentEnd = c;
  // Trim blanks inside the element.
  while (e.contentBegin < e.contentEnd && std::isspace(static_cast<unsigned char>(xml[e.contentBegin])))
    ++e.contentBegin;
  while (e.contentEnd > e.contentBegin && std::isspace(static_cast<unsigned char>(xml[e.contentEnd - 1])))
    --e.contentEnd;
  return e;
}

std::string_view contentOf(std::string_view xml, const Element& e) {
  if (e.contentBegin == std::string::npos) return {};
  return xml.substr(e.contentBegin, e.contentEnd - e.contentBegin);
}

// Resolves "${name}" (Maven) or "$(name)" (MSBuild) to the element <name> that defines it.
std::optional<Element> propertyElement(std::string_view xml, std::string_view name) {
  const Element e = childElement(xml, name, 0, xml.size());
  if (e.contentBegin == std::string::npos) return std::nullopt;
  return e;
}

std::string pomSites(std::string_view text, std::string_view package, std::vector<Site>& sites) {
  const std::string xml = blankXmlComments(text);
  const auto colon = package.find(':');
  const std::string_view group = colon == std::string_view::npos ? std::string_view{} : package.substr(0, colon);
  const std::string_view artifact = colon == std::string_view::npos ? package : package.substr(colon + 1);
  std::size_t i = 0;
  while ((i = xml.find("<dependency>", i)) != std::string::npos) {
    const std::size_t end = xml.find("</dependency>", i);
    if (end == std::string::npos) return "has an unclosed <dependency> element";
    // Exclusions name other artifacts; only look before them.
    std::size_t scopeEnd = end;
    const std::size_t excl = xml.find("<exclusions>", i);
    std::size_t afterExcl = std::string::npos;
    if (excl != std::string::npos && excl < end) {
      const std::size_t exclEnd = xml.find("</exclusions>", excl);
      afterExcl = exclEnd == std::string::npos ? end : exclEnd + 13;
      scopeEnd = excl;
    }
    auto child = [&](std::string_view name) {
      Element e = childElement(xml, name, i, scopeEnd);
      if (e.contentBegin == std::string::npos && afterExcl != std::string::npos)
        e = childElement(xml, name, afterExcl, end);
      return e;
    };
    const Element g = child("groupId"), a = child("artifactId"), v = child("version");
    const std::size_t next = end + 13;
    if (contentOf(xml, a) != artifact || (!group.empty() && contentOf(xml, g) != group)) {
      i = next;
      continue;
    }
    Site s;
    s.eco = Eco::Exact;
    s.where = "<dependency>";
    if (v.contentBegin == std::string::npos) {
      s.problem = "has no <version>: it is managed by the parent POM or an imported BOM (dependencyManagement)";
    } else {
      const std::string_view value = contentOf(xml, v);
      if (value.size() > 3 && value.substr(0, 2) == "${" && value.back() == '}') {
        const std::string prop(value.substr(2, value.size() - 3));
        const std::size_t props = xml.find("<properties>");
        const std::size_t propsEnd = props == std::string::npos ? std::string::npos : xml.find("</properties>", props);
        Element p;
        if (props != std::string::npos && propsEnd != std::string::npos) p = childElement(xml, prop, props, propsEnd);
        if (p.contentBegin == std::string::npos) {
          s.problem = "takes its version from ${" + prop + "}, which this pom.xml does not define";
        } else {
          s.begin = p.contentBegin;
          s.end = p.contentEnd;
          s.where = "property " + prop;
        }
      } else {
        s.begin = v.contentBegin;
        s.end = v.contentEnd;
      }
    }
    sites.push_back(std::move(s));
    i = next;
  }
  return {};
}

// Attribute value range of name="..." within a tag [b, e).
std::optional<std::pair<std::size_t, std::size_t>> attribute(std::string_view xml, std::size_t b, std::size_t e,
                                                             std::string_view name) {
  std::size_t i = b;
  while (true) {
    i = xml.find(name, i);
    if (i == std::string_view::npos || i >= e) return std::nullopt;
    const bool boundary = i > 0 && std::isspace(static_cast<unsigned char>(xml[i - 1]));
    std::size_t k = i + name.size();
    while (k < e && isSpace(xml[k])) ++k;
    if (boundary && k < e && xml[k] == '=') {
      ++k;
      while (k < e && isSpace(xml[k])) ++k;
      if (k < e && (xml[k] == '"' || xml[k] == '\'')) {
        const char q = xml[k];
        const std::size_t close = xml.find(q, k + 1);
        if (close == std::string_view::npos || close >= e) return std::nullopt;
        return std::make_pair(k + 1, close);
      }
    }
    i += name.size();
  }
}

std::string msbuildSites(std::string_view text, std::string_view package, std::vector<Site>& sites) {
  const std::string xml = blankXmlComments(text);
  for (std::string_view element : {"<PackageReference", "<PackageVersion"}) {
    std::size_t i = 0;
    while ((i = xml.find(element, i)) != std::string::npos) {
      const std::size_t tagEnd = xml.find('>', i);
      if (tagEnd == std::string::npos) return "has an unclosed " + std::string(element.substr(1)) + " element";
      const bool selfClosing = tagEnd > 0 && xml[tagEnd - 1] == '/';
      auto id = attribute(xml, i, tagEnd, "Include");
      if (!id) id = attribute(xml, i, tagEnd, "Update");
      const std::size_t next = tagEnd + 1;
      if (!id || !iequals(std::string_view(xml).substr(id->first, id->second - id->first), package)) {
        i = next;
        continue;
      }
      Site s;
      s.eco = Eco::Exact;
      s.where = std::string(element.substr(1));
      std::optional<std::pair<std::size_t, std::size_t>> version = attribute(xml, i, tagEnd, "Version");
      if (!version) version = attribute(xml, i, tagEnd, "VersionOverride");
      if (!version && !selfClosing) {
        const std::string close = "</" + std::string(element.substr(1)) + ">";
        const std::size_t closeAt = xml.find(close, tagEnd);
        if (closeAt != std::string::npos) {
          const Element v = childElement(xml, "Version", tagEnd, closeAt);
          if (v.contentBegin != std::string::npos) version = std::make_pair(v.contentBegin, v.contentEnd);
        }
      }
      if (!version) {
        s.problem = "has no Version: it is managed centrally (Directory.Packages.props)";
      } else {
        const std::string_view value = std::string_view(xml).substr(version->first, version->second - version->first);
        if (value.size() > 3 && value.substr(0, 2) == "$(" && value.back() == ')') {
          const std::string prop(value.substr(2, value.size() - 3));
          if (const auto p = propertyElement(xml, prop)) {
            s.begin = p->contentBegin;
            s.end = p->contentEnd;
            s.where = "property " + prop;
          } else {
            s.problem = "takes its version from $(" + prop + "), which this file does not define";
          }
        } else {
          s.begin = version->first;
          s.end = version->second;
        }
      }
      sites.push_back(std::move(s));
      i = next;
    }
  }
  return {};
}

// --- Gradle (Groovy and Kotlin DSL)

// The value range of a Gradle/Kotlin variable assignment `name = '1.0'` (ext, def, val, var).
std::optional<std::pair<std::size_t, std::size_t>> gradleVariable(std::string_view text, std::string_view name) {
  for (std::size_t i = text.find(name); i != std::string_view::npos; i = text.find(name, i + 1)) {
    if (i > 0 && (isWordChar(text[i - 1]) || text[i - 1] == '$' || text[i - 1] == '{')) continue;
    std::size_t k = i + name.size();
    if (k < text.size() && isWordChar(text[k])) continue;
    if (k < text.size() && (text[k] == '"' || text[k] == '\'')) ++k;  // set("name", "1.0") / extra["name"]
    while (k < text.size() && (isSpace(text[k]) || text[k] == ']' || text[k] == ',')) ++k;
    if (k >= text.size() || (text[k] != '=' && text[k] != '"' && text[k] != '\'')) continue;
    if (text[k] == '=') {
      ++k;
      while (k < text.size() && isSpace(text[k])) ++k;
    }
    if (k < text.size() && (text[k] == '"' || text[k] == '\'')) {
      const char q = text[k];
      const std::size_t close = text.find(q, k + 1);
      if (close == std::string_view::npos) return std::nullopt;
      if (text.substr(k + 1, close - k - 1).find('\n') != std::string_view::npos) continue;
      return std::make_pair(k + 1, close);
    }
  }
  return std::nullopt;
}

void gradleVersionSite(std::string_view text, std::size_t vb, std::size_t ve, std::vector<Site>& sites,
                       const std::string& where) {
  Site s;
  s.eco = Eco::Exact;
  s.where = where;
  std::string_view value = text.substr(vb, ve - vb);
  if (!value.empty() && value[0] == '$') {
    std::string_view name = value.substr(1);
    if (!name.empty() && name.front() == '{' && name.back() == '}') name = name.substr(1, name.size() - 2);
    if (const auto var = gradleVariable(text, name)) {
      s.begin = var->first;
      s.end = var->second;
      s.where = "variable " + std::string(name);
    } else {
      s.problem = "takes its version from $" + std::string(name) +
                  ", which is defined outside this file (gradle.properties or a version catalog)";
    }
  } else {
    s.begin = vb;
    s.end = ve;
  }
  sites.push_back(std::move(s));
}

std::string gradleSites(std::string_view text, std::string_view package, std::vector<Site>& sites) {
  const auto colon = package.find(':');
  if (colon == std::string_view::npos) return "needs the package as group:artifact";
  const std::string coordinate = std::string(package) + ":";
  // String notation: 'g:a:1.0', "g:a:1.0", "g:a:1.0:classifier", 'g:a:1.0@jar'.
  for (std::size_t i = text.find(coordinate); i != std::string_view::npos; i = text.find(coordinate, i + 1)) {
    if (i == 0 || (text[i - 1] != '\'' && text[i - 1] != '"')) continue;
    const char q = text[i - 1];
    const std::size_t vb = i + coordinate.size();
    std::size_t ve = vb;
    while (ve < text.size() && text[ve] != q && text[ve] != ':' && text[ve] != '@' && text[ve] != '\n') ++ve;
    if (ve >= text.size() || text[ve] == '\n') continue;
    if (ve == vb) {
      Site s;
      s.where = "dependencies";
      s.problem = "is declared without a version (a platform/BOM or constraint supplies it)";
      sites.push_back(std::move(s));
      continue;
    }
    gradleVersionSite(text, vb, ve, sites, "dependencies");
  }
  // "g:a" alone: a platform, a BOM or a constraint supplies the version.
  for (const char q : {'\'', '"'}) {
    const std::string bare = q + std::string(package) + q;
    for (std::size_t i = text.find(bare); i != std::string_view::npos; i = text.find(bare, i + 1)) {
      Site s;
      s.where = "dependencies";
      s.problem = "is declared without a version (a platform/BOM or constraint supplies it)";
      sites.push_back(std::move(s));
    }
  }
  // Map notation: group: 'g', name: 'a', version: '1.0' (Groovy) or group = "g", ... (Kotlin).
  const std::string_view group = package.substr(0, colon), artifact = package.substr(colon + 1);
  auto valueOf = [&](std::size_t from, std::size_t to,
                     std::string_view key) -> std::optional<std::pair<std::size_t, std::size_t>> {
    for (std::size_t k = text.find(key, from); k != std::string_view::npos && k < to; k = text.find(key, k + 1)) {
      if (k > 0 && isWordChar(text[k - 1])) continue;
      std::size_t p = k + key.size();
      while (p < to && isSpace(text[p])) ++p;
      if (p >= to || (text[p] != ':' && text[p] != '=')) continue;
      ++p;
      while (p < to && isSpace(text[p])) ++p;
      if (p < to && (text[p] == '\'' || text[p] == '"')) {
        const std::size_t close = text.find(text[p], p + 1);
        if (close == std::string_view::npos || close > to) return std::nullopt;
        return std::make_pair(p + 1, close);
      }
    }
    return std::nullopt;
  };
  const support::LineIndex index(text);
  for (std::size_t l = 0; l < index.lineCount(); ++l) {
    const std::size_t b = index.lineStart(l);
    const std::size_t e = b + support::lineText(text, index, l).size();
    const auto g = valueOf(b, e, "group");
    const auto n = valueOf(b, e, "name");
    if (!g || !n || text.substr(g->first, g->second - g->first) != group ||
        text.substr(n->first, n->second - n->first) != artifact)
      continue;
    if (const auto v = valueOf(b, e, "version")) {
      gradleVersionSite(text, v->first, v->second, sites, "dependencies");
    } else {
      Site s;
      s.where = "dependencies";
      s.problem = "is declared without a version (a platform/BOM or constraint supplies it)";
      sites.push_back(std::move(s));
    }
  }
  return {};
}

// --- Gradle version catalog (gradle/libs.versions.toml)

// The string value of `key = "..."` inside an inline table text[b, e), as a range.
std::optional<std::pair<std::size_t, std::size_t>> inlineValue(std::string_view text, std::size_t b, std::size_t e,
                                                               std::string_view key) {
  for (std::size_t k = text.find(key, b); k != std::string_view::npos && k < e; k = text.find(key, k + 1)) {
    if (k > 0 && (isWordChar(text[k - 1]) || text[k - 1] == '.' || text[k - 1] == '-')) continue;
    std::size_t p = k + key.size();
    while (p < e && isSpace(text[p])) ++p;
    if (p >= e || text[p] != '=') continue;
    ++p;
    while (p < e && isSpace(text[p])) ++p;
    if (auto str = tomlString(text, p); str && str->end <= e) return std::make_pair(str->begin, str->end);
    if (p < e && text[p] == '{') {  // version = { strictly = "1.0" }, { require = ... }, { prefer = ... }
      const std::size_t close = text.find('}', p);
      const std::size_t end = close == std::string_view::npos || close > e ? e : close;
      for (std::string_view rich : {"strictly", "require", "prefer"})
        if (auto v = inlineValue(text, p + 1, end, rich)) return v;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

std::string catalogSites(std::string_view text, std::string_view package, std::vector<Site>& sites) {
  const auto colon = package.find(':');
  if (colon == std::string_view::npos) return "needs the package as group:artifact";
  const std::string_view group = package.substr(0, colon), artifact = package.substr(colon + 1);
  const support::LineIndex index(text);
  std::string table;
  // [versions] entries, by alias: where their value is written.
  std::vector<std::pair<std::string, std::pair<std::size_t, std::size_t>>> versions;
  for (std::size_t l = 0; l < index.lineCount(); ++l) {
    const std::string_view line = support::lineText(text, index, l);
    const std::size_t base = index.lineStart(l);
    const std::string_view t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (t[0] == '[') {
      table = std::string(trim(t.substr(1, t.find(']') == std::string_view::npos ? 0 : t.find(']') - 1)));
      continue;
    }
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string key = unquoteKey(line.substr(0, eq));
    const std::size_t e = base + line.size();
    std::size_t v = base + eq + 1;
    while (v < e && isSpace(text[v])) ++v;
    if (table == "versions") {
      std::size_t q = v;
      if (auto str = tomlString(text, q))
        versions.emplace_back(key, std::make_pair(str->begin, str->end));
      else if (v < e && text[v] == '{')
        if (auto rich = inlineValue(text, v, e, "strictly"); rich || (rich = inlineValue(text, v, e, "require")))
          versions.emplace_back(key, *rich);
      continue;
    }
    if (table != "libraries" && table != "plugins") continue;
    Site s;
    s.eco = Eco::Exact;
    s.where = "[" + table + "] " + key;
    std::size_t q = v;
    if (auto str = tomlString(text, q)) {  // "group:artifact:version"
      const std::string prefix = std::string(package) + ":";
      if (str->value.rfind(prefix, 0) != 0) continue;
      s.begin = str->begin + prefix.size();
      s.end = str->end;
      if (s.begin == s.end) s.problem = "is declared without a version";
      sites.push_back(std::move(s));
      continue;
    }
    if (v >= e || text[v] != '{') continue;
    const auto module = inlineValue(text, v, e, "module");
    const auto g = inlineValue(text, v, e, "group");
    const auto n = inlineValue(text, v, e, "name");
    const bool match = (module && text.substr(module->first, module->second - module->first) == package) ||
                       (g && n && text.substr(g->first, g->second - g->first) == group &&
                        text.substr(n->first, n->second - n->first) == artifact);
    if (!match) continue;
    if (const auto ref = inlineValue(text, v, e, "version.ref")) {
      s.where = "[versions] " + std::string(text.substr(ref->first, ref->second - ref->first));
      s.begin = s.end = std::string::npos;  // resolved below, once [versions] is read
    } else if (const auto ver = inlineValue(text, v, e, "version")) {
      s.begin = ver->first;
      s.end = ver->second;
    } else {
      s.problem = "is declared without a version (a platform/BOM supplies it)";
    }
    sites.push_back(std::move(s));
  }
  for (Site& s : sites) {
    if (s.begin != std::string::npos || !s.problem.empty()) continue;
    const std::string alias = s.where.substr(std::string("[versions] ").size());
    const auto it = std::find_if(versions.begin(), versions.end(), [&](const auto& v) { return v.first == alias; });
    if (it == versions.end()) {
      s.begin = s.end = 0;
      s.problem = "refers to version alias \"" + alias + "\", which [versions] does not define";
    } else {
      s.begin = it->second.first;
      s.end = it->second.second;
    }
  }
  return {};
}

// --- Gemfile

std::string gemfileSites(std::string_view text, std::string_view package, std::vector<Site>& sites) {
  const support::LineIndex index(text);
  for (std::size_t l = 0; l < index.lineCount(); ++l) {
    const std::string_view line = support::lineText(text, index, l);
    const std::size_t base = index.lineStart(l);
    std::size_t i = line.find_first_not_of(" \t");
    if (i == std::string_view::npos || line.substr(i, 3) != "gem" || i + 3 >= line.size() ||
        (!isSpace(line[i + 3]) && line[i + 3] != '('))
      continue;
    i += 4;
    while (i < line.size() && isSpace(line[i])) ++i;
    if (i >= line.size() || (line[i] != '\'' && line[i] != '"')) continue;
    const char q = line[i];
    const std::size_t nameEnd = line.find(q, i + 1);
    if (nameEnd == std::string_view::npos || line.substr(i + 1, nameEnd - i - 1) != package) continue;
    Site s;
    s.eco = Eco::Gem;
    s.where = "Gemfile";
    s.quote = q;
    // Version strings follow the name; options (require:, git:, path:, platforms:) end them.
    std::size_t k = nameEnd + 1;
    std::size_t firstBegin = std::string_view::npos, lastEnd = std::string_view::npos;
    while (true) {
      std::size_t p = k;
      while (p < line.size() && isSpace(line[p])) ++p;
      if (p >= line.size() || line[p] != ',') break;
      ++p;
      while (p < line.size() && isSpace(line[p])) ++p;
      if (p >= line.size() || (line[p] != '\'' && line[p] != '"')) break;
      const std::size_t close = line.find(line[p], p + 1);
      if (close == std::string_view::npos) break;
      const std::string_view value = line.substr(p + 1, close - p - 1);
      if (!parseClause(value) || !looksLikeVersion(parseClause(value)->version)) break;
      if (firstBegin == std::string_view::npos) firstBegin = p;
      lastEnd = close + 1;
      s.clauses.emplace_back(value);
      k = close + 1;
    }
    const std::string_view rest = line.substr(k);
    const std::string_view code = rest.substr(0, std::min(rest.find('#'), rest.size()));
    for (std::string_view source : {"git:", "github:", "path:", ":git", ":github", ":path"})
      if (code.find(source) != std::string_view::npos) s.problem = "comes from a git or path source, not a gem server";
    if (s.problem.empty()) {
      if (s.clauses.empty()) {
        s.insert = true;
        s.begin = s.end = base + nameEnd + 1;
      } else {
        s.begin = base + firstBegin;
        s.end = base + lastEnd;
      }
    }
    sites.push_back(std::move(s));
  }
  return {};
}

// ---------------------------------------------------------------------------------------------

enum class Kind { PackageJson, Composer, Requirements, Pyproject, GoMod, Pom, Gradle, GradleCatalog, Gemfile, MsBuild };

std::optional<Kind> kindOf(std::string_view path) {
  const std::string name = lower(fileNameOf(path));
  if (name == "package.json") return Kind::PackageJson;
  if (name == "composer.json") return Kind::Composer;
  if (name == "pyproject.toml") return Kind::Pyproject;
  if (name == "go.mod") return Kind::GoMod;
  if (name == "pom.xml") return Kind::Pom;
  if (name == "build.gradle" || name == "build.gradle.kts") return Kind::Gradle;
  if (name.size() > 14 && name.substr(name.size() - 14) == ".versions.toml") return Kind::GradleCatalog;
  if (name == "gemfile" || name == "gems.rb") return Kind::Gemfile;
  if (name == "directory.packages.props") return Kind::MsBuild;
  for (std::string_view ext : {".csproj", ".fsproj", ".vbproj"})
    if (name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext) return Kind::MsBuild;
  const bool txt = name.size() > 4 && (name.substr(name.size() - 4) == ".txt" || name.substr(name.size() - 3) == ".in");
  if (txt && (name.find("requirements") != std::string::npos || name.find("constraints") != std::string::npos))
    return Kind::Requirements;
  const std::string p = lower(path);
  if (txt && (p.find("requirements/") != std::string::npos || p.find("requirements\\") != std::string::npos))
    return Kind::Requirements;
  return std::nullopt;
}

std::string transitiveAdvice(Kind kind, std::string_view package, std::string_view fixed) {
  const std::string pkg(package), ver(fixed);
  switch (kind) {
    case Kind::PackageJson:
      return "upgrade the dependency that brings it in, or pin it with \"overrides\" (npm) or \"resolutions\" (yarn)";
    case Kind::Composer:
      return "upgrade the package that requires it, or run composer update " + pkg + " --with-dependencies";
    case Kind::Requirements:
    case Kind::Pyproject:
      return "upgrade the package that requires it, or add a constraint " + pkg + ">=" + ver;
    case Kind::GoMod:
      return "run go get " + pkg + "@v" + ver + " to add a requirement on the fixed version";
    case Kind::Pom:
      return "pin it in <dependencyManagement>, or upgrade the dependency that brings it in";
    case Kind::Gradle:
    case Kind::GradleCatalog:
      return "add a dependency constraint, upgrade the dependency that brings it in, or edit the version catalog "
             "(gradle/libs.versions.toml) if it is declared there";
    case Kind::Gemfile:
      return "run bundle update " + pkg + ", or upgrade the gem that depends on it";
    case Kind::MsBuild:
      return "add a direct PackageReference to pin it, or upgrade the package that brings it in";
  }
  return {};
}

// "4.17.21", not ">= 4.17.21", "v4.17.21" or a list of alternatives.
std::optional<std::string> normalizeFixed(std::string_view fixed) {
  std::string_view t = trim(fixed);
  while (!t.empty() && (t[0] == '>' || t[0] == '=' || isSpace(t[0]))) t.remove_prefix(1);
  if (!t.empty() && (t[0] == 'v' || t[0] == 'V') && t.size() > 1 && isDigit(t[1])) t.remove_prefix(1);
  if (!looksLikeVersion(t)) return std::nullopt;
  return std::string(t);
}

Rewrite rewriteFor(const Site& site, std::string_view current, std::string_view fixed) {
  switch (site.eco) {
    case Eco::Npm:
      return rewriteNpm(current, fixed);
    case Eco::Composer:
      return rewriteComposer(current, fixed);
    case Eco::Pep440:
      return rewritePep440(current, fixed);
    case Eco::Poetry:
      return rewritePoetry(current, fixed);
    case Eco::Go:
      return rewriteGo(current, fixed);
    case Eco::Exact:
      return rewriteExact(current, fixed);
    case Eco::Gem: {
      std::vector<std::string> out;
      Rewrite r = rewriteClauses(site.clauses, fixed, " ", &out);
      const std::string q(1, site.quote);
      std::string spec;
      for (std::size_t i = 0; i < out.size(); ++i) spec += (i ? ", " : "") + q + out[i] + q;
      r.spec = spec;
      return r;
    }
  }
  return {};
}

}  // namespace

bool isManifest(std::string_view path) {
  return kindOf(path).has_value();
}

std::string nearestFixedVersion(std::string_view installed, std::string_view fixedVersions) {
  const bool known = parseVersion(installed).has_value();
  std::string best;
  for (const std::string& part : splitOn(fixedVersions, ',')) {
    const auto v = normalizeFixed(part);
    if (!v) continue;
    if (known && compareVersions(*v, installed) <= 0) continue;
    if (best.empty() || compareVersions(*v, best) < 0) best = *v;
  }
  return best;
}

Outcome<ManifestEdit> upgradeDependency(std::string_view manifestPath, std::string_view text, std::string_view package,
                                        std::string_view fixedVersion) {
  using Result = Outcome<ManifestEdit>;
  const std::string file = fileNameOf(manifestPath);
  const auto kind = kindOf(manifestPath);
  if (!kind) return Result::failure(file + " is not a dependency manifest aspm can edit");
  if (trim(package).empty()) return Result::failure("no package name given");
  const auto fixed = normalizeFixed(fixedVersion);
  if (!fixed) return Result::failure("\"" + std::string(fixedVersion) + "\" is not a single version to upgrade to");

  std::vector<Site> sites;
  std::string error, note;
  bool hashes = false;
  switch (*kind) {
    case Kind::PackageJson:
      error = jsonSites(text, package, false, sites);
      break;
    case Kind::Composer:
      error = jsonSites(text, package, true, sites);
      break;
    case Kind::Requirements:
      error = requirementsSites(text, package, sites, hashes);
      break;
    case Kind::Pyproject:
      error = pyprojectSites(text, package, sites);
      break;
    case Kind::GoMod:
      error = goModSites(text, package, sites, note);
      break;
    case Kind::Pom:
      error = pomSites(text, package, sites);
      break;
    case Kind::Gradle:
      error = gradleSites(text, package, sites);
      break;
    case Kind::GradleCatalog:
      error = catalogSites(text, package, sites);
      break;
    case Kind::Gemfile:
      error = gemfileSites(text, package, sites);
      break;
    case Kind::MsBuild:
      error = msbuildSites(text, package, sites);
      break;
  }
  if (!error.empty()) return Result::failure(file + " " + error);
  if (sites.empty())
    return Result::failure(std::string(package) + " is not declared directly in " + file +
                           ": it is a transitive dependency; " + transitiveAdvice(*kind, package, *fixed));

  // Several declarations may share one property or variable: edit each range once.
  std::sort(sites.begin(), sites.end(), [](const Site& a, const Site& b) { return a.begin < b.begin; });
  const support::LineIndex index(text);
  ManifestEdit out;
  std::vector<std::pair<std::string, std::string>> changes;  // from, to
  std::string firstProblem;
  std::size_t already = 0;
  std::size_t lastBegin = std::string::npos;
  for (const Site& s : sites) {
    if (!s.problem.empty()) {
      if (firstProblem.empty()) firstProblem = std::string(package) + " in " + file + " " + s.problem;
      continue;
    }
    if (s.begin == lastBegin && !s.insert) continue;
    lastBegin = s.begin;
    const std::string_view current = text.substr(s.begin, s.end - s.begin);
    Rewrite r = rewriteFor(s, s.insert ? std::string_view{} : current, *fixed);
    if (!r.problem.empty()) {
      if (firstProblem.empty()) firstProblem = std::string(package) + " in " + file + " is " + r.problem;
      continue;
    }
    if (r.already) {
      ++already;
      continue;
    }
    std::string newText = r.spec;
    if (s.insert) {
      if (s.eco == Eco::Gem)
        newText = ", " + std::string(1, s.quote) + ">= " + *fixed + std::string(1, s.quote);
      else
        newText = ">=" + *fixed;
    }
    out.edits.push_back(editForBytes(text, index, s.begin, s.end, newText));
    changes.emplace_back(s.insert ? std::string{} : std::string(current), s.insert ? newText : r.spec);
  }
  if (out.edits.empty()) {
    if (already > 0 && firstProblem.empty())
      return Result::failure(std::string(package) + " in " + file + " already requires " + *fixed + " or later");
    if (!firstProblem.empty()) return Result::failure(firstProblem);
    return Result::failure(std::string(package) + " in " + file + " already requires " + *fixed + " or later");
  }
  if (changes.size() == 1 && !changes.front().first.empty())
    out.title = "Upgrade " + std::string(package) + " from " + changes.front().first + " to " + changes.front().second +
                " in " + file;
  else if (changes.size() == 1)
    out.title = "Upgrade " + std::string(package) + " to " + *fixed + " in " + file;
  else
    out.title = "Upgrade " + std::string(package) + " to " + *fixed + " in " + file + " (" +
                std::to_string(changes.size()) + " declarations)";
  if (hashes) note = "the requirements pin hashes: regenerate them (pip-compile --generate-hashes) after the upgrade";
  if (*kind == Kind::GoMod && note.empty()) note = "run go mod tidy to update go.sum";
  if (!firstProblem.empty()) note += (note.empty() ? "" : "; ") + firstProblem;
  out.note = note;
  return Result::success(std::move(out));
}

}  // namespace aspm::remediation
