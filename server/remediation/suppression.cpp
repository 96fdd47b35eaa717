// Suppression directives per tool: where each scanner looks, how it lists rules, and a small
// lexer that knows where a line's code ends, so that a trailing comment never lands inside a
// string, a block comment, a heredoc or a continued line.
#include "remediation/suppression.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/text.h"
#include "syntax/language.h"

namespace aspm::remediation {
namespace {

using support::LineIndex;

// ---------------------------------------------------------------------------------------------
// Small string helpers

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// Case-insensitive find. Candidates are found with find_first_of on the first character's two
// cases, so long lines without the needle cost one scan.
std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from = 0) {
  if (needle.empty() || hay.size() < needle.size()) return std::string_view::npos;
  const char first[] = {static_cast<char>(std::tolower(static_cast<unsigned char>(needle[0]))),
                        static_cast<char>(std::toupper(static_cast<unsigned char>(needle[0]))), '\0'};
  for (std::size_t i = hay.find_first_of(first, from); i != std::string_view::npos && i + needle.size() <= hay.size();
       i = hay.find_first_of(first, i + 1))
    if (iequals(hay.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

bool isWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
bool isSpace(char c) {
  return c == ' ' || c == '\t';
}

std::string_view leadingWhitespace(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && isSpace(line[i])) ++i;
  return line.substr(0, i);
}

std::string_view rtrim(std::string_view s) {
  while (!s.empty() && (isSpace(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Simple glob with '*' only, as clang-tidy's NOLINT(check-*) lists use.
bool globMatch(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// ---------------------------------------------------------------------------------------------
// Tools

enum class Tool {
  Semgrep,
  Bandit,
  ESLint,
  Flawfinder,
  Cppcheck,
  ClangTidy,
  ShellCheck,
  Gitleaks,
  Checkov,
  Trivy,
  Tfsec,
  CodeQL
};

std::string squash(std::string_view name) {
  std::string out;
  for (char c : name)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<Tool> toolFor(std::string_view name) {
  const std::string n = squash(name);
  struct Entry {
    std::string_view key;
    Tool tool;
  };
  static constexpr std::array kTools = {
      Entry{"semgrep", Tool::Semgrep},       Entry{"bandit", Tool::Bandit},     Entry{"eslint", Tool::ESLint},
      Entry{"flawfinder", Tool::Flawfinder}, Entry{"cppcheck", Tool::Cppcheck}, Entry{"clangtidy", Tool::ClangTidy},
      Entry{"shellcheck", Tool::ShellCheck}, Entry{"gitleaks", Tool::Gitleaks}, Entry{"checkov", Tool::Checkov},
      Entry{"tfsec", Tool::Tfsec},           Entry{"trivy", Tool::Trivy},       Entry{"codeql", Tool::CodeQL},
  };
  for (const auto& e : kTools)
    if (n.find(e.key) != std::string::npos) return e.tool;
  return std::nullopt;
}

std::string_view displayName(Tool tool) {
  switch (tool) {
    case Tool::Semgrep:
      return "semgrep";
    case Tool::Bandit:
      return "bandit";
    case Tool::ESLint:
      return "ESLint";
    case Tool::Flawfinder:
      return "Flawfinder";
    case Tool::Cppcheck:
      return "cppcheck";
    case Tool::ClangTidy:
      return "clang-tidy";
    case Tool::ShellCheck:
      return "ShellCheck";
    case Tool::Gitleaks:
      return "gitleaks";
    case Tool::Checkov:
      return "Checkov";
    case Tool::Trivy:
      return "Trivy";
    case Tool::Tfsec:
      return "tfsec";
    case Tool::CodeQL:
      return "CodeQL";
  }
  return "";
}

// Tools that are recognised but read no suppression comment at all.
std::string noCommentReason(std::string_view toolName) {
  const std::string n = squash(toolName);
  if (n.find("clang") != std::string::npos || n.find("scanbuild") != std::string::npos)
    return "the Clang static analyzer reads no suppression comments; exclude the code from "
           "analysis with #ifndef __clang_analyzer__ or fix the finding";
  if (n == "gcc" || n.find("gnuc") != std::string::npos || n.find("gcc") != std::string::npos)
    return "GCC reads no suppression comments; silence the warning with #pragma GCC diagnostic "
           "push/ignored/pop around the code or fix the finding";
  return std::string(toolName.empty() ? "this tool" : toolName) + " has no known in-source suppression comment";
}

// ---------------------------------------------------------------------------------------------
// Comment syntax and a line-state lexer

struct Lexing {
  std::string_view line;                // line comment marker, "" when the language has none
  std::string_view altLine;             // a second line marker (PHP '#', HCL '//')
  std::string_view open, close;         // block comment, "" when none
  bool hashAtWordStart = false;         // shell and YAML: '#' starts a comment only after a blank
  bool commentOnlyAtLineStart = false;  // Dockerfile, .properties: no trailing comments
  bool singleQuote = true;              // ' delimits strings
  bool singleQuoteEscapes = true;
  bool quotesMultiline = false;  // "..." and '...' may span lines
  bool backtick = false;         // `...` spans lines (JS templates, Go raw strings)
  bool tripleQuotes = false;     // Python
  bool heredocs = false;         // <<EOF (shell, HCL, Ruby)
  bool yaml = false;             // block scalars and context-sensitive quotes
  bool none = false;             // the format has no comments (JSON)
};

Lexing cLike() {
  return Lexing{"//", "", "/*", "*/"};
}
Lexing hashLike() {
  return Lexing{"#", "", "", ""};
}

std::string fileNameOf(std::string_view path) {
  const auto slash = path.find_last_of("/\\");
  return lower(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::optional<Lexing> lexingForPath(std::string_view path) {
  using syntax::Language;
  if (const auto language = syntax::languageForPath(path)) {
    Lexing l;
    switch (*language) {
      case Language::C:
      case Language::Cpp:
      case Language::CSharp:
      case Language::Java:
        return cLike();
      case Language::Go:
      case Language::JavaScript:
      case Language::TypeScript:
      case Language::Tsx:
        l = cLike();
        l.backtick = true;
        return l;
      case Language::Rust:
        l = cLike();
        l.singleQuote = false;  // lifetimes
        l.quotesMultiline = true;
        return l;
      case Language::Php:
        l = cLike();
        l.altLine = "#";
        l.quotesMultiline = true;
        return l;
      case Language::Python:
        l = hashLike();
        l.tripleQuotes = true;
        return l;
      case Language::Ruby:
        l = hashLike();
        l.quotesMultiline = true;
        l.heredocs = true;
        return l;
      case Language::Bash:
        l = hashLike();
        l.hashAtWordStart = true;
        l.quotesMultiline = true;
        l.singleQuoteEscapes = false;
        l.heredocs = true;
        return l;
      case Language::Hcl:
        l = hashLike();
        l.altLine = "//";
        l.open = "/*";
        l.close = "*/";
        l.singleQuote = false;
        l.heredocs = true;
        return l;
      case Language::Yaml:
        l = hashLike();
        l.hashAtWordStart = true;
        l.quotesMultiline = true;
        l.yaml = true;
        return l;
      case Language::Json:
        l.none = true;
        return l;
    }
  }
  const std::string name = fileNameOf(path);
  const auto dot = name.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : name.substr(dot);
  if (name == "dockerfile" || name == "containerfile" || name.rfind("dockerfile.", 0) == 0 || ext == ".dockerfile") {
    Lexing l = hashLike();
    l.commentOnlyAtLineStart = true;
    l.singleQuote = false;
    return l;
  }
  if (ext == ".properties") {
    Lexing l = hashLike();
    l.commentOnlyAtLineStart = true;
    l.singleQuote = false;
    return l;
  }
  static constexpr std::array kMarkup = {".xml",     ".html",   ".htm",    ".xhtml", ".csproj", ".props",
                                         ".targets", ".svg",    ".xsd",    ".xsl",   ".xslt",   ".jsp",
                                         ".fsproj",  ".vbproj", ".config", ".plist", ".pom"};
  for (auto e : kMarkup)
    if (ext == e) return Lexing{"", "", "<!--", "-->"};
  if (ext == ".css" || ext == ".scss" || ext == ".less") return Lexing{"", "", "/*", "*/"};
  if (ext == ".sql" || ext == ".lua") return Lexing{"--", "", ext == ".sql" ? "/*" : "", ext == ".sql" ? "*/" : ""};
  static constexpr std::array kCLike = {".kt",    ".kts", ".gradle", ".groovy", ".scala",
                                        ".swift", ".m",   ".mm",     ".dart",   ".proto"};
  for (auto e : kCLike)
    if (ext == e) return cLike();
  static constexpr std::array kHash = {".toml", ".r",   ".pl",  ".pm",  ".ps1", ".mk",  ".cmake", ".cfg",
                                       ".conf", ".env", ".tcl", ".nix", ".ex",  ".exs", ".jl"};
  for (auto e : kHash)
    if (ext == e) return hashLike();
  if (name == "makefile" || name == "gnumakefile" || name == "cmakelists.txt" || name == "jenkinsfile" ||
      name == "vagrantfile" || name == "podfile" || name == "brewfile") {
    if (name == "jenkinsfile") return cLike();
    return hashLike();
  }
  return std::nullopt;
}

enum class State : std::uint8_t { Code, BlockComment, String, Heredoc, YamlBlock };

struct LineInfo {
  State atStart = State::Code;
  State atEnd = State::Code;  // before any heredoc or block scalar opened on this line takes effect
  std::size_t commentStart = std::string_view::npos;  // first comment on the line (byte offset)
  bool continues = false;                             // ends with a backslash continuation
  int depthStart = 0;                                 // brace depth (code only)
  int depthEnd = 0;
};

std::size_t indentWidth(std::string_view line) {
  return leadingWhitespace(line).size();
}

// One pass over the file; every line gets the lexical state at its start and end.
std::vector<LineInfo> lexLines(std::string_view text, const LineIndex& index, const Lexing& lx) {
  std::vector<LineInfo> out(index.lineCount());
  State state = State::Code;
  std::string delim;  // string delimiter or heredoc word
  bool delimMultiline = false;
  bool delimEscapes = true;
  bool heredocDash = false;
  std::size_t yamlIndent = 0;
  int depth = 0;
  for (std::size_t i = 0; i < index.lineCount(); ++i) {
    const std::string_view line = support::lineText(text, index, i);
    LineInfo& info = out[i];
    info.atStart = state;
    info.depthStart = depth;
    if (state == State::Heredoc) {
      std::string_view word = line;
      if (heredocDash) word = word.substr(indentWidth(word));
      if (rtrim(word) == delim) state = State::Code;
      info.atEnd = State::Heredoc;
      info.depthEnd = depth;
      continue;
    }
    if (state == State::YamlBlock) {
      if (support::trim(line).empty() || indentWidth(line) > yamlIndent) {
        info.atEnd = State::YamlBlock;
        info.depthEnd = depth;
        continue;
      }
      state = State::Code;
      info.atStart = State::Code;
    }
    std::string pendingHeredoc;
    bool pendingDash = false;
    std::size_t pos = 0;
    auto startsWith = [&](std::string_view s) { return !s.empty() && line.substr(pos, s.size()) == s; };
    auto lineMarkerAt = [&](std::string_view marker) {
      if (!startsWith(marker)) return false;
      if (lx.commentOnlyAtLineStart && !support::trim(line.substr(0, pos)).empty()) return false;
      if (lx.hashAtWordStart && pos > 0 && !isSpace(line[pos - 1]) &&
          !(marker == "#" && !lx.yaml && std::string_view(";|&(").find(line[pos - 1]) != std::string_view::npos))
        return false;
      return true;
    };
    while (pos < line.size()) {
      if (state == State::BlockComment) {
        const auto close = line.find(lx.close, pos);
        if (close == std::string_view::npos) {
          pos = line.size();
        } else {
          pos = close + lx.close.size();
          state = State::Code;
        }
        continue;
      }
      if (state == State::String) {
        if (delimEscapes && line[pos] == '\\') {
          pos += 2;
          continue;
        }
        if (line.substr(pos, delim.size()) == delim) {
          pos += delim.size();
          state = State::Code;
          continue;
        }
        ++pos;
        continue;
      }
      // Code
      if (!lx.open.empty() && startsWith(lx.open)) {
        if (info.commentStart == std::string_view::npos) info.commentStart = pos;
        state = State::BlockComment;
        pos += lx.open.size();
        continue;
      }
      if ((!lx.line.empty() && lineMarkerAt(lx.line)) || (!lx.altLine.empty() && lineMarkerAt(lx.altLine))) {
        if (info.commentStart == std::string_view::npos) info.commentStart = pos;
        pos = line.size();
        break;
      }
      const char c = line[pos];
      if (lx.tripleQuotes && (startsWith("\"\"\"") || startsWith("'''"))) {
        delim = std::string(line.substr(pos, 3));
        delimMultiline = true;
        delimEscapes = true;
        state = State::String;
        pos += 3;
        continue;
      }
      if (c == '`' && lx.backtick) {
        delim = "`";
        delimMultiline = true;
        delimEscapes = true;
        state = State::String;
        ++pos;
        continue;
      }
      const bool quote = c == '"' || (c == '\'' && lx.singleQuote);
      if (quote) {
        bool opens = true;
        if (lx.yaml) {
          // In YAML a quote opens a scalar only where a scalar may start.
          std::size_t k = pos;
          while (k > 0 && isSpace(line[k - 1])) --k;
          opens = k == 0 || std::string_view(":-[{,?").find(line[k - 1]) != std::string_view::npos;
        }
        if (opens) {
          delim = std::string(1, c);
          delimMultiline = lx.quotesMultiline;
          delimEscapes = c == '"' || lx.singleQuoteEscapes;
          if (lx.yaml && c == '\'') delimEscapes = false;
          state = State::String;
          ++pos;
          continue;
        }
      }
      if (lx.heredocs && startsWith("<<") && !startsWith("<<<")) {
        std::size_t k = pos + 2;
        bool dash = false;
        if (k < line.size() && (line[k] == '-' || line[k] == '~')) {
          dash = true;
          ++k;
        }
        if (k < line.size() && line[k] == ' ' && !lx.yaml) {
          // "<< EOF" is a heredoc in shell only; elsewhere it is a shift operator.
          if (lx.hashAtWordStart) ++k;
        }
        char q = 0;
        if (k < line.size() && (line[k] == '\'' || line[k] == '"')) q = line[k++];
        const std::size_t w = k;
        while (k < line.size() && isWordChar(line[k])) ++k;
        const bool upperStart =
            w < line.size() && (std::isupper(static_cast<unsigned char>(line[w])) || line[w] == '_');
        if (k > w && (q != 0 || lx.hashAtWordStart || upperStart)) {
          pendingHeredoc = std::string(line.substr(w, k - w));
          pendingDash = dash;
          if (q != 0 && k < line.size() && line[k] == q) ++k;
          pos = k;
          continue;
        }
      }
      if (c == '{') ++depth;
      if (c == '}' && depth > 0) --depth;
      ++pos;
    }
    if (state == State::String && !delimMultiline) state = State::Code;
    info.atEnd = state;
    info.depthEnd = depth;
    const std::string_view trimmed = rtrim(line);
    info.continues = !trimmed.empty() && trimmed.back() == '\\' && state == State::Code &&
                     info.commentStart == std::string_view::npos;
    if (state == State::Code && !pendingHeredoc.empty()) {
      state = State::Heredoc;
      delim = pendingHeredoc;
      heredocDash = pendingDash;
    }
    if (state == State::Code && lx.yaml) {
      std::string_view code = line.substr(0, std::min(info.commentStart, line.size()));
      code = rtrim(code);
      std::size_t k = code.size();
      while (k > 0 &&
             (std::isdigit(static_cast<unsigned char>(code[k - 1])) || code[k - 1] == '+' || code[k - 1] == '-'))
        --k;
      if (k > 0 && (code[k - 1] == '|' || code[k - 1] == '>')) {
        std::size_t b = k - 1;
        while (b > 0 && isSpace(code[b - 1])) --b;
        if (b == 0 || code[b - 1] == ':' || code[b - 1] == '-') {
          state = State::YamlBlock;
          yamlIndent = indentWidth(line);
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Directives

enum class Place { Trailing, Above, InsideBlock };

struct Placement {
  Place place;
  std::string_view keyword;  // the directive word this placement uses
};

std::vector<Placement> placementsOf(Tool tool) {
  switch (tool) {
    case Tool::Semgrep:
      return {{Place::Trailing, "nosemgrep"}, {Place::Above, "nosemgrep"}};
    case Tool::Bandit:
      return {{Place::Trailing, "nosec"}};
    case Tool::ESLint:
      return {{Place::Above, "eslint-disable-next-line"}, {Place::Trailing, "eslint-disable-line"}};
    case Tool::Flawfinder:
      return {{Place::Above, "Flawfinder: ignore"}, {Place::Trailing, "Flawfinder: ignore"}};
    case Tool::Cppcheck:
      return {{Place::Above, "cppcheck-suppress"}, {Place::Trailing, "cppcheck-suppress"}};
    case Tool::ClangTidy:
      return {{Place::Trailing, "NOLINT"}, {Place::Above, "NOLINTNEXTLINE"}};
    case Tool::ShellCheck:
      return {{Place::Above, "shellcheck"}};
    case Tool::Gitleaks:
      return {{Place::Trailing, "gitleaks:allow"}};
    case Tool::Checkov:
      return {{Place::InsideBlock, "checkov:skip="}};
    case Tool::Trivy:
      return {{Place::Above, "trivy:ignore:"}};
    case Tool::Tfsec:
      return {{Place::Above, "tfsec:ignore:"}, {Place::Trailing, "tfsec:ignore:"}};
    case Tool::CodeQL:
      return {{Place::Trailing, "lgtm"}};
  }
  return {};
}

// ShellCheck reports "SC2086" or "2086"; its directives name "SC2086".
std::string shellcheckCode(std::string_view rule) {
  if (!rule.empty() &&
      std::all_of(rule.begin(), rule.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return "SC" + std::string(rule);
  return std::string(rule);
}

bool idMatches(Tool tool, std::string_view listed, std::string_view rule) {
  listed = support::trim(listed);
  if (listed.empty()) return false;
  switch (tool) {
    case Tool::Semgrep:
      // Registry rules are reported with their full dotted path; a comment may name the last part.
      return listed == rule || (rule.size() > listed.size() && rule.substr(rule.size() - listed.size()) == listed &&
                                rule[rule.size() - listed.size() - 1] == '.');
    case Tool::ClangTidy:
      return globMatch(listed, rule);
    case Tool::ShellCheck:
      return iequals(listed, "all") || iequals(shellcheckCode(listed), shellcheckCode(rule));
    case Tool::Trivy:
    case Tool::Tfsec:
      return listed == "*" || iequals(listed, rule);
    default:
      return iequals(listed, rule);
  }
}

// A directive found on one line: its rule list (empty with coversAll for a bare directive) and
// where a further rule would be written.
struct Directive {
  bool coversAll = false;
  std::vector<std::string> ids;
  std::size_t editBegin = std::string_view::npos;  // byte range in the line to replace ...
  std::size_t editEnd = std::string_view::npos;
  std::string insertPrefix;  // ... with prefix + rule + suffix (plus the replaced text's own ids)
  std::string keepBefore;    // replaced text kept in front of the new rule
  std::string insertSuffix;
};

std::vector<std::string> splitIds(std::string_view list, std::string_view separators) {
  std::vector<std::string> ids;
  std::size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && separators.find(list[i]) != std::string_view::npos) ++i;
    std::size_t j = i;
    while (j < list.size() && separators.find(list[j]) == std::string_view::npos) ++j;
    if (j > i) ids.emplace_back(support::trim(list.substr(i, j - i)));
    i = j;
  }
  return ids;
}

// Finds `keyword` in `line` as a whole word (case-sensitive for NOLINT, whose case matters).
std::size_t findKeyword(std::string_view line, std::string_view keyword, bool caseSensitive, std::size_t from = 0) {
  while (true) {
    const std::size_t at = caseSensitive ? line.find(keyword, from) : ifind(line, keyword, from);
    if (at == std::string_view::npos) return at;
    const bool wordBefore = at > 0 && (isWordChar(line[at - 1]) || line[at - 1] == '-');
    const std::size_t after = at + keyword.size();
    const char last = keyword.back();
    const bool wordAfter = isWordChar(last) && after < line.size() && (isWordChar(line[after]) || line[after] == '-');
    if (!wordBefore && !wordAfter) return at;
    from = at + 1;
  }
}

// Parses the directive of `tool` using `keyword` on `line`.
std::optional<Directive> findDirective(Tool tool, std::string_view keyword, std::string_view line) {
  const bool caseSensitive = tool == Tool::ClangTidy;
  std::size_t at = std::string_view::npos;
  if (tool == Tool::Flawfinder) {
    for (std::string_view word : {"Flawfinder:", "RATS:", "ITS4:"}) {
      std::size_t k = ifind(line, word);
      if (k == std::string_view::npos) continue;
      k += word.size();
      while (k < line.size() && isSpace(line[k])) ++k;
      if (iequals(line.substr(k, 6), "ignore")) return Directive{true, {}, {}, {}, {}, {}, {}};
    }
    return std::nullopt;
  }
  if (tool == Tool::Semgrep) {
    at = findKeyword(line, "nosemgrep", false);
    if (at == std::string_view::npos) at = findKeyword(line, "nosem", false);
  } else {
    at = findKeyword(line, keyword, caseSensitive);
  }
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t k = at + (tool == Tool::Semgrep ? (iequals(line.substr(at, 9), "nosemgrep") ? 9 : 5) : keyword.size());
  Directive d;
  auto skipSpaces = [&] {
    while (k < line.size() && isSpace(line[k])) ++k;
  };
  // Where a comment's closing marker starts, so lists never run into it.
  std::size_t end = line.size();
  for (std::string_view close : {"*/", "-->"}) {
    const std::size_t c = line.find(close, k);
    if (c != std::string_view::npos) end = std::min(end, c);
  }
  // A directive with a list of ids: an empty list covers every rule; otherwise a new id is
  // appended after the list.
  auto listEndingAt = [&](std::size_t insertAt) -> std::optional<Directive> {
    if (d.ids.empty()) {
      d.coversAll = true;
      return d;
    }
    d.editBegin = d.editEnd = insertAt;
    d.insertPrefix = ", ";
    return d;
  };
  switch (tool) {
    case Tool::Semgrep: {
      skipSpaces();
      if (k >= end || line[k] != ':') {
        d.coversAll = true;
        return d;
      }
      ++k;
      std::size_t e = k;
      while (e < end && line[e] != '#' && !(line[e] == '/' && e + 1 < end && line[e + 1] == '/')) ++e;
      const std::string_view list = rtrim(line.substr(k, e - k));
      d.ids = splitIds(list, ", \t");
      return listEndingAt(k + list.size());
    }
    case Tool::Bandit: {
      if (k < end && line[k] == ':') ++k;
      std::size_t e = k, lastEnd = k;
      while (true) {
        while (e < end && (isSpace(line[e]) || line[e] == ',')) ++e;
        const std::size_t s = e;
        while (e < end && (isWordChar(line[e]) || line[e] == '-' || line[e] == '.' || line[e] == '/')) ++e;
        if (e == s) break;
        d.ids.emplace_back(line.substr(s, e - s));
        lastEnd = e;
      }
      return listEndingAt(lastEnd);
    }
    case Tool::ESLint: {
      std::size_t e = k;
      const std::size_t dashes = line.find("--", k);
      if (dashes != std::string_view::npos && dashes < end) end = dashes;
      e = end;
      const std::string_view list = rtrim(line.substr(k, e - k));
      d.ids = splitIds(list, ", \t");
      return listEndingAt(k + list.size());
    }
    case Tool::Cppcheck: {
      skipSpaces();
      if (k < end && line[k] == '[') {
        const std::size_t close = line.find(']', k);
        if (close == std::string_view::npos || close > end) return std::nullopt;
        d.ids = splitIds(line.substr(k + 1, close - k - 1), ", \t");
        d.editBegin = d.editEnd = close;
        d.insertPrefix = ",";
        return d;
      }
      const std::size_t s = k;
      while (k < end && (isWordChar(line[k]) || line[k] == ':' || line[k] == '.' || line[k] == '-' || line[k] == '/'))
        ++k;
      if (k == s) return std::nullopt;
      d.ids.emplace_back(line.substr(s, k - s));
      d.editBegin = s;
      d.editEnd = k;
      d.keepBefore = "[" + d.ids.front();
      d.insertPrefix = ",";
      d.insertSuffix = "]";
      return d;
    }
    case Tool::ClangTidy:
    case Tool::CodeQL: {
      const char open = tool == Tool::ClangTidy ? '(' : '[';
      const char close = tool == Tool::ClangTidy ? ')' : ']';
      if (k >= end || line[k] != open) {
        d.coversAll = true;
        return d;
      }
      const std::size_t c = line.find(close, k);
      if (c == std::string_view::npos || c > end) {
        d.coversAll = true;  // clang-tidy treats an unclosed list as a bare NOLINT
        return d;
      }
      d.ids = splitIds(line.substr(k + 1, c - k - 1), ", \t");
      if (tool == Tool::ClangTidy && std::find(d.ids.begin(), d.ids.end(), "*") != d.ids.end()) d.coversAll = true;
      d.editBegin = d.editEnd = c;
      d.insertPrefix = tool == Tool::ClangTidy ? "," : ", ";
      return d;
    }
    case Tool::ShellCheck: {
      std::size_t dis = line.find("disable=", k);
      if (dis == std::string_view::npos || dis > end) return std::nullopt;
      dis += 8;
      std::size_t e = dis;
      while (e < end && !isSpace(line[e])) ++e;
      d.ids = splitIds(line.substr(dis, e - dis), ",");
      d.editBegin = d.editEnd = e;
      d.insertPrefix = ",";
      return d;
    }
    case Tool::Gitleaks:
      d.coversAll = true;
      return d;
    case Tool::Checkov:
    case Tool::Trivy:
    case Tool::Tfsec: {
      const std::size_t s = k;
      while (k < end && !isSpace(line[k]) && line[k] != ':' && line[k] != '[' && line[k] != ',') ++k;
      if (k == s) return std::nullopt;
      d.ids.emplace_back(line.substr(s, k - s));
      return d;  // one rule per comment; more rules get more comments
    }
    case Tool::Flawfinder:
      break;
  }
  return std::nullopt;
}

bool directiveCovers(Tool tool, const Directive& d, std::string_view rule) {
  if (d.coversAll) return true;
  return std::any_of(d.ids.begin(), d.ids.end(), [&](const std::string& id) { return idMatches(tool, id, rule); });
}

bool lineCovers(Tool tool, std::string_view keyword, std::string_view line, std::string_view rule) {
  if (tool == Tool::Flawfinder) {
    const auto d = findDirective(tool, keyword, line);
    return d && directiveCovers(tool, *d, rule);
  }
  // Every occurrence counts: the first one may sit in code or in another tool's comment.
  std::vector<std::string_view> keywords{keyword};
  if (tool == Tool::Trivy) keywords = {"trivy:ignore:", "tfsec:ignore:"};  // Trivy honours tfsec's too
  if (tool == Tool::Semgrep) keywords = {"nosem"};
  for (const std::string_view kw : keywords) {
    for (std::size_t from = 0;;) {
      const std::size_t at = tool == Tool::ClangTidy ? line.find(kw, from) : ifind(line, kw, from);
      if (at == std::string_view::npos) break;
      from = at + 1;
      if (at > 0 && isWordChar(kw.front()) && (isWordChar(line[at - 1]) || line[at - 1] == '-')) continue;
      const auto d = findDirective(tool, tool == Tool::Semgrep ? keyword : kw, line.substr(at));
      if (d && directiveCovers(tool, *d, rule)) return true;
    }
  }
  return false;
}

bool isCommentOnly(std::string_view line) {
  const std::string_view t = support::trim(line);
  return t.starts_with("#") || t.starts_with("//") || t.starts_with("/*") || t.starts_with("<!--") ||
         t.starts_with("--") || t.starts_with("*") || (t.starts_with("{/*") && t.ends_with("*/}"));
}

// The top-level block around `line` by indentation: from the nearest line above that starts at
// column 0 to the next line that does. Used where the lexer's brace depth is not available.
std::pair<std::size_t, std::size_t> topLevelBlock(std::string_view text, const LineIndex& index, std::size_t line) {
  auto startsAtColumn0 = [&](std::size_t l) {
    const std::string_view t = support::lineText(text, index, l);
    return !t.empty() && !isSpace(t[0]) && !isCommentOnly(t) && t[0] != '}' && t[0] != ']' && t[0] != ')';
  };
  std::size_t begin = line;
  while (begin > 0 && !startsAtColumn0(begin)) --begin;
  std::size_t end = line + 1;
  while (end < index.lineCount() && !startsAtColumn0(end)) ++end;
  return {begin, end};
}

// The block around `line`: by brace depth when the file was lexed as HCL (`braces`), else by
// indentation.
std::pair<std::size_t, std::size_t> blockAround(std::string_view text, const LineIndex& index, std::size_t line,
                                                const std::vector<LineInfo>* braces) {
  if (!braces || line >= braces->size()) return topLevelBlock(text, index, line);
  const std::vector<LineInfo>& lines = *braces;
  std::size_t opener = line;
  while (opener > 0 && lines[opener].depthStart > 0) --opener;
  std::size_t end = opener + 1;
  if (lines[opener].depthEnd > 0)
    while (end < lines.size() && lines[end - 1].depthEnd > 0) ++end;
  return {opener, std::max(end, line + 1)};
}

// Regions opened and closed by directives (eslint-disable/-enable, NOLINTBEGIN/END,
// cppcheck-suppress-begin/-end), replayed from the top of the file down to `line`.
bool regionCovers(Tool tool, std::string_view rule, std::string_view text, const LineIndex& index, std::size_t line,
                  std::string_view open, std::string_view close) {
  // Boyer-Moore-Horspool: the directives start with common letters, which makes a plain find()
  // stop at every 'e' or 'c' of a large file.
  const std::boyer_moore_horspool_searcher openSearch(open.begin(), open.end());
  const std::boyer_moore_horspool_searcher closeSearch(close.begin(), close.end());
  auto find = [&](const auto& searcher, std::size_t from) {
    if (from >= text.size()) return std::string_view::npos;
    const auto it = std::search(text.begin() + static_cast<std::ptrdiff_t>(from), text.end(), searcher);
    return it == text.end() ? std::string_view::npos : static_cast<std::size_t>(it - text.begin());
  };
  // Most files have no region at all; one scan of the text says so before any line is parsed.
  std::size_t o = find(openSearch, 0);
  if (o == std::string_view::npos) return false;
  bool all = false;
  std::vector<std::string> disabled, reenabled;
  auto matches = [&](const std::vector<std::string>& ids) {
    return std::any_of(ids.begin(), ids.end(), [&](const std::string& id) { return idMatches(tool, id, rule); });
  };
  // Walk the directives in text order, jumping between occurrences rather than reading lines.
  const std::size_t limit = line + 1 < index.lineCount() ? index.lineStart(line + 1) : text.size();
  std::size_t c = find(closeSearch, 0);
  while (true) {
    const bool opening = o != std::string_view::npos && (c == std::string_view::npos || o <= c);
    const std::size_t at = opening ? o : c;
    if (at == std::string_view::npos || at >= limit) break;
    const std::string_view keyword = opening ? open : close;
    if (opening)
      o = find(openSearch, o + 1);
    else
      c = find(closeSearch, c + 1);
    const std::size_t l = index.lineOf(at);
    const std::string_view lineText = support::lineText(text, index, l);
    const std::size_t inLine = at - index.lineStart(l);
    if (inLine > 0 && (isWordChar(lineText[inLine - 1]) || lineText[inLine - 1] == '-')) continue;
    const auto d = findDirective(tool, keyword, lineText.substr(inLine));
    if (!d || findKeyword(lineText.substr(inLine), keyword, true) != 0) continue;
    if (opening) {
      if (d->coversAll) {
        all = true;
        reenabled.clear();
      }
      disabled.insert(disabled.end(), d->ids.begin(), d->ids.end());
    } else if (d->coversAll) {
      all = false;
      disabled.clear();
      reenabled.clear();
    } else {
      for (const std::string& id : d->ids) {
        disabled.erase(std::remove(disabled.begin(), disabled.end(), id), disabled.end());
        if (all) reenabled.push_back(id);
      }
    }
  }
  return (all && !matches(reenabled)) || matches(disabled);
}

bool suppressedAt(Tool tool, std::string_view rule, std::string_view text, const LineIndex& index, std::size_t line,
                  const std::vector<LineInfo>* braces) {
  auto lineAt = [&](std::size_t l) { return support::lineText(text, index, l); };
  const std::string_view here = lineAt(line);
  // Consecutive comment lines directly above `l`.
  auto commentsAbove = [&](std::size_t l, std::string_view keyword) {
    while (l > 0 && isCommentOnly(lineAt(l - 1))) {
      --l;
      if (lineCovers(tool, keyword, lineAt(l), rule)) return true;
    }
    return false;
  };
  switch (tool) {
    case Tool::Semgrep:
      return lineCovers(tool, "nosemgrep", here, rule) ||
             (line > 0 && isCommentOnly(lineAt(line - 1)) && lineCovers(tool, "nosemgrep", lineAt(line - 1), rule));
    case Tool::Bandit:
      return lineCovers(tool, "nosec", here, rule);
    case Tool::ESLint:
      return lineCovers(tool, "eslint-disable-line", here, rule) ||
             (line > 0 && lineCovers(tool, "eslint-disable-next-line", lineAt(line - 1), rule)) ||
             regionCovers(tool, rule, text, index, line, "eslint-disable", "eslint-enable");
    case Tool::Flawfinder:
      return lineCovers(tool, "Flawfinder: ignore", here, rule) || commentsAbove(line, "Flawfinder: ignore");
    case Tool::Cppcheck: {
      if (lineCovers(tool, "cppcheck-suppress", here, rule) || commentsAbove(line, "cppcheck-suppress")) return true;
      if (text.find("cppcheck-suppress-file") != std::string_view::npos)
        for (std::size_t l = 0; l < index.lineCount(); ++l)
          if (lineCovers(tool, "cppcheck-suppress-file", lineAt(l), rule)) return true;
      return regionCovers(tool, rule, text, index, line, "cppcheck-suppress-begin", "cppcheck-suppress-end");
    }
    case Tool::ClangTidy: {
      if (lineCovers(tool, "NOLINT", here, rule)) return true;
      if (line > 0 && lineCovers(tool, "NOLINTNEXTLINE", lineAt(line - 1), rule)) return true;
      return regionCovers(tool, rule, text, index, line, "NOLINTBEGIN", "NOLINTEND");
    }
    case Tool::ShellCheck: {
      if (commentsAbove(line, "shellcheck")) return true;
      // A directive before the first command applies to the whole script.
      for (std::size_t l = 0; l < index.lineCount() && l < line; ++l) {
        const std::string_view t = support::trim(lineAt(l));
        if (t.empty()) continue;
        if (!t.starts_with("#")) break;
        if (lineCovers(tool, "shellcheck", t, rule)) return true;
      }
      return false;
    }
    case Tool::Gitleaks:
      return lineCovers(tool, "gitleaks:allow", here, rule);
    case Tool::Checkov: {
      // Inside the resource, or (for files without blocks) in the comments right above.
      const auto [b, e] = blockAround(text, index, line, braces);
      for (std::size_t l = b; l < e; ++l)
        if (lineCovers(tool, "checkov:skip=", lineAt(l), rule)) return true;
      return commentsAbove(line, "checkov:skip=") || commentsAbove(b, "checkov:skip=");
    }
    case Tool::Trivy:
    case Tool::Tfsec: {
      const std::string_view kw = tool == Tool::Trivy ? "trivy:ignore:" : "tfsec:ignore:";
      if (lineCovers(tool, kw, here, rule) || commentsAbove(line, kw)) return true;
      const auto [b, e] = blockAround(text, index, line, braces);
      (void)e;
      return b != line && (lineCovers(tool, kw, lineAt(b), rule) || commentsAbove(b, kw));
    }
    case Tool::CodeQL:
      return lineCovers(tool, "lgtm", here, rule);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Building the edit

std::string body(Tool tool, std::string_view rule, std::string_view reason, Place place) {
  switch (tool) {
    case Tool::Semgrep:
      return "nosemgrep: " + std::string(rule);
    case Tool::Bandit:
      return "nosec " + std::string(rule);
    case Tool::ESLint: {
      std::string s = place == Place::Above ? "eslint-disable-next-line " : "eslint-disable-line ";
      s += rule;
      if (!reason.empty()) s += " -- " + std::string(reason);
      return s;
    }
    case Tool::Flawfinder:
      return "Flawfinder: ignore";
    case Tool::Cppcheck:
      return "cppcheck-suppress " + std::string(rule);
    case Tool::ClangTidy:
      return (place == Place::Above ? "NOLINTNEXTLINE(" : "NOLINT(") + std::string(rule) + ")";
    case Tool::ShellCheck:
      return "shellcheck disable=" + shellcheckCode(rule);
    case Tool::Gitleaks:
      return "gitleaks:allow";
    case Tool::Checkov: {
      std::string s = "checkov:skip=" + std::string(rule);
      if (!reason.empty()) s += ":" + std::string(reason);
      return s;
    }
    case Tool::Trivy:
      return "trivy:ignore:" + std::string(rule);
    case Tool::Tfsec:
      return "tfsec:ignore:" + std::string(rule);
    case Tool::CodeQL:
      return "lgtm[" + std::string(rule) + "]";
  }
  return {};
}

// JSX children are rendered text: a "//" line there would show up on the page. A line is taken
// to be a JSX child when the code line above it ends a tag ("<div>", "/>", "</p>").
bool jsxLanguage(std::string_view path) {
  const auto language = syntax::languageForPath(path);
  return language == syntax::Language::JavaScript || language == syntax::Language::Tsx;
}

bool looksLikeJsxLine(std::string_view line) {
  const std::string_view t = support::trim(line);
  return t.size() > 2 && t.front() == '<' && t.back() == '>' &&
         (std::isalpha(static_cast<unsigned char>(t[1])) || t[1] == '/' || t[1] == '>');
}

bool jsxChildLine(std::string_view text, const LineIndex& index, std::size_t line) {
  std::size_t prev = line;
  while (prev > 0) {
    const std::string_view p = support::lineText(text, index, prev - 1);
    if (!support::trim(p).empty() && !isCommentOnly(p)) break;
    --prev;
  }
  if (prev == 0) return false;
  const std::string_view p = rtrim(support::lineText(text, index, prev - 1));
  if (p.empty() || p.back() != '>' || p.ends_with("=>") || p.ends_with("->")) return false;
  const std::string_view t = support::trim(support::lineText(text, index, line));
  return !t.empty() && t.front() != ')' && t.front() != ';' && t.front() != '}';
}

std::string renderComment(const Lexing& lx, Tool tool, const std::string& text, bool jsxChild = false) {
  if (jsxChild) return "{/* " + text + " */}";
  // Checkov, Trivy and tfsec document their directives glued to the marker ("#checkov:skip=").
  const bool glued = (tool == Tool::Checkov || tool == Tool::Trivy || tool == Tool::Tfsec) && lx.line == "#";
  if (!lx.line.empty()) return std::string(lx.line) + (glued ? "" : " ") + text;
  return std::string(lx.open) + " " + text + " " + std::string(lx.close);
}

std::string markerOf(const Lexing& lx) {
  return std::string(lx.line.empty() ? lx.open : lx.line);
}

std::string newTitle(Tool tool, std::string_view rule, const Lexing& lx, std::string_view keyword) {
  std::string what = markerOf(lx) + " " + std::string(support::trim(keyword));
  while (!what.empty() && (what.back() == ':' || what.back() == '=')) what.pop_back();
  const std::string name(displayName(tool));
  std::string title = "Suppress " + std::string(rule) + " with a ";
  if (ifind(keyword, name) == std::string_view::npos) title += name + " ";
  title += what + " comment";
  if (tool == Tool::CodeQL)
    title += " (legacy LGTM syntax: honoured only where alert suppression by comment is set up)";
  return title;
}

std::string eolOf(std::string_view text, const LineIndex& index, std::size_t line) {
  // The line's own terminator, else the file's first one, else "\n".
  const std::size_t end = line + 1 < index.lineCount() ? index.lineStart(line + 1) : text.size();
  if (end >= 2 && end > index.lineStart(line) && text[end - 1] == '\n') return text[end - 2] == '\r' ? "\r\n" : "\n";
  const std::size_t nl = text.find('\n');
  if (nl != std::string_view::npos && nl > 0 && text[nl - 1] == '\r') return "\r\n";
  return "\n";
}

struct Context {
  Tool tool;
  std::string rule;
  const SuppressionRequest& request;
  const Lexing& lx;
  std::string_view text;
  const LineIndex& index;
  const std::vector<LineInfo>& lines;
};

std::string unsafeEnd(const LineInfo& info, bool continues) {
  if (continues) return "the line continues on the next one (it ends with a backslash)";
  switch (info.atEnd) {
    case State::BlockComment:
      return "the line ends inside a block comment";
    case State::String:
      return "the line ends inside a string";
    case State::Heredoc:
      return "the line is inside a heredoc";
    case State::YamlBlock:
      return "the line is inside a YAML block scalar";
    case State::Code:
      break;
  }
  return {};
}

// Why no comment line can be inserted above `line`, or "" when one can.
std::string aboveProblem(const Context& c, std::size_t line) {
  if (line >= c.lines.size()) return "the line is past the end of the file";
  if (line == 0) return {};
  const LineInfo& prev = c.lines[line - 1];
  if (prev.continues) return "the line above continues onto this one (it ends with a backslash)";
  switch (c.lines[line].atStart) {
    case State::BlockComment:
      return "the line starts inside a block comment";
    case State::String:
      return "the line starts inside a string";
    case State::Heredoc:
      return "the line is inside a heredoc";
    case State::YamlBlock:
      return "the line is inside a YAML block scalar";
    case State::Code:
      break;
  }
  return {};
}

SuppressionEdit extendAt(const Context& c, std::size_t line, const Directive& d, std::string_view keyword) {
  const std::size_t start = c.index.lineStart(line);
  std::string newText = d.keepBefore + d.insertPrefix + c.rule + d.insertSuffix;
  SuppressionEdit out;
  out.edit = editForBytes(c.text, c.index, start + d.editBegin, start + d.editEnd, newText);
  const std::string_view lineText = support::lineText(c.text, c.index, line);
  std::string after(lineText.substr(0, d.editBegin));
  after += newText;
  after += lineText.substr(d.editEnd);
  const std::size_t comment = c.lines[line].commentStart;
  out.comment = std::string(support::trim(comment == std::string_view::npos ? std::string_view(after)
                                                                            : std::string_view(after).substr(comment)));
  std::string what = markerOf(c.lx) + " " + std::string(keyword);
  out.title = "Add " + c.rule + " to the existing " + what + " comment";
  return out;
}

Outcome<SuppressionEdit> trailing(const Context& c, std::size_t line, std::string_view keyword) {
  const LineInfo& info = c.lines[line];
  if (c.lx.commentOnlyAtLineStart)
    return Outcome<SuppressionEdit>::failure("comments in this file type must stand on their own line");
  const std::string_view lineText = support::lineText(c.text, c.index, line);
  if (const std::string problem = unsafeEnd(info, info.continues); !problem.empty())
    return Outcome<SuppressionEdit>::failure(problem);
  if (jsxLanguage(c.request.path) && looksLikeJsxLine(lineText))
    return Outcome<SuppressionEdit>::failure("the line is JSX, where a trailing comment would be rendered as text");
  if (info.commentStart != std::string_view::npos) {
    const std::string_view comment = lineText.substr(info.commentStart);
    if (const auto d = findDirective(c.tool, keyword, comment); d && d->editBegin != std::string_view::npos) {
      Directive shifted = *d;
      shifted.editBegin += info.commentStart;
      shifted.editEnd += info.commentStart;
      return Outcome<SuppressionEdit>::success(extendAt(c, line, shifted, keyword));
    }
  }
  const std::string comment = renderComment(c.lx, c.tool, body(c.tool, c.rule, c.request.reason, Place::Trailing));
  const std::string_view code = rtrim(lineText);
  const bool python = syntax::languageForPath(c.request.path) == syntax::Language::Python;
  const std::string gap = code.empty() ? "" : (python ? "  " : " ");
  const std::size_t start = c.index.lineStart(line);
  SuppressionEdit out;
  // Replace trailing blanks too, so the comment sits a fixed distance from the code.
  out.edit = editForBytes(c.text, c.index, start + code.size(), start + lineText.size(), gap + comment);
  out.comment = comment;
  out.title = newTitle(c.tool, c.rule, c.lx, keyword);
  return Outcome<SuppressionEdit>::success(std::move(out));
}

Outcome<SuppressionEdit> insertLineAt(const Context& c, std::size_t line, std::string indent, std::string_view keyword,
                                      Place place) {
  const bool jsxChild = place == Place::Above && jsxLanguage(c.request.path) && line < c.index.lineCount() &&
                        jsxChildLine(c.text, c.index, line);
  const std::string comment = renderComment(c.lx, c.tool, body(c.tool, c.rule, c.request.reason, place), jsxChild);
  SuppressionEdit out;
  const std::string eol = eolOf(c.text, c.index, line == 0 ? 0 : line - 1);
  if (line >= c.index.lineCount()) {
    // After the last line of a file without a final newline.
    out.edit = editForBytes(c.text, c.index, c.text.size(), c.text.size(), eol + indent + comment);
  } else {
    const std::size_t start = c.index.lineStart(line);
    out.edit = editForBytes(c.text, c.index, start, start, indent + comment + eol);
  }
  out.comment = comment;
  out.title = newTitle(c.tool, c.rule, c.lx, keyword);
  return Outcome<SuppressionEdit>::success(std::move(out));
}

Outcome<SuppressionEdit> above(const Context& c, std::size_t line, std::string_view keyword) {
  if (const std::string problem = aboveProblem(c, line); !problem.empty())
    return Outcome<SuppressionEdit>::failure(problem);
  const bool stacks = c.tool == Tool::Trivy || c.tool == Tool::Tfsec || c.tool == Tool::Checkov;
  if (line > 0 && !stacks) {
    const std::string_view prev = support::lineText(c.text, c.index, line - 1);
    const LineInfo& prevInfo = c.lines[line - 1];
    if (prevInfo.commentStart != std::string_view::npos && isCommentOnly(prev)) {
      const std::string_view comment = prev.substr(prevInfo.commentStart);
      if (const auto d = findDirective(c.tool, keyword, comment); d && d->editBegin != std::string_view::npos) {
        Directive shifted = *d;
        shifted.editBegin += prevInfo.commentStart;
        shifted.editEnd += prevInfo.commentStart;
        return Outcome<SuppressionEdit>::success(extendAt(c, line - 1, shifted, keyword));
      }
    }
  }
  const std::string indent(leadingWhitespace(support::lineText(c.text, c.index, line)));
  return insertLineAt(c, line, indent, keyword, Place::Above);
}

// Checkov reads skip comments anywhere inside the resource: the first line inside the block.
Outcome<SuppressionEdit> insideBlock(const Context& c, std::size_t line, std::string_view keyword) {
  const bool hcl = syntax::languageForPath(c.request.path) == syntax::Language::Hcl;
  const bool yaml = syntax::languageForPath(c.request.path) == syntax::Language::Yaml;
  auto lineAt = [&](std::size_t l) { return support::lineText(c.text, c.index, l); };
  if (hcl) {
    std::size_t opener = line;
    while (opener > 0 && c.lines[opener].depthStart > 0) --opener;
    if (c.lines[opener].depthStart == 0 && c.lines[opener].depthEnd > 0 && opener + 1 < c.lines.size()) {
      const std::size_t first = opener + 1;
      if (const std::string problem = aboveProblem(c, first); !problem.empty())
        return Outcome<SuppressionEdit>::failure(problem);
      const std::string_view next = lineAt(first);
      std::string indent;
      if (c.lines[first].depthStart > 0 && !support::trim(next).empty() && !support::trim(next).starts_with("}"))
        indent = std::string(leadingWhitespace(next));
      else
        indent = std::string(leadingWhitespace(lineAt(opener))) + "  ";
      return insertLineAt(c, first, indent, keyword, Place::InsideBlock);
    }
    return above(c, line, keyword);
  }
  if (yaml) {
    if (c.lines[line].atEnd != State::Code) return Outcome<SuppressionEdit>::failure(unsafeEnd(c.lines[line], false));
    const std::string_view here = lineAt(line);
    std::string indent = std::string(leadingWhitespace(here)) + "  ";
    if (line + 1 < c.lines.size()) {
      if (c.lines[line + 1].atStart != State::Code)
        return Outcome<SuppressionEdit>::failure("the next line is inside a YAML block scalar");
      const std::string_view next = lineAt(line + 1);
      if (!support::trim(next).empty() && indentWidth(next) > indentWidth(here)) indent = leadingWhitespace(next);
      if (support::trim(here).starts_with("- ")) indent = std::string(leadingWhitespace(here)) + "  ";
    }
    // Below the last line: append after it (the file may not end with a newline).
    if (line + 1 >= c.index.lineCount() ||
        (line + 2 == c.index.lineCount() && lineAt(line + 1).empty() && c.index.lineStart(line + 1) == c.text.size())) {
      if (line + 1 < c.index.lineCount()) return insertLineAt(c, line + 1, indent, keyword, Place::InsideBlock);
      return insertLineAt(c, c.index.lineCount(), indent, keyword, Place::InsideBlock);
    }
    return insertLineAt(c, line + 1, indent, keyword, Place::InsideBlock);
  }
  return above(c, line, keyword);
}

}  // namespace

Outcome<SuppressionEdit> suppressionFor(const SuppressionRequest& request) {
  using Result = Outcome<SuppressionEdit>;
  const auto tool = toolFor(request.tool);
  if (!tool) return Result::failure(noCommentReason(request.tool));
  if (request.ruleId.empty() && *tool != Tool::Flawfinder && *tool != Tool::Gitleaks)
    return Result::failure("the finding has no rule id to name in a suppression comment");
  const auto lx = lexingForPath(request.path);
  if (!lx) return Result::failure("no comment syntax is known for " + fileNameOf(request.path));
  if (lx->none) return Result::failure(fileNameOf(request.path) + " is JSON, which has no comments");
  if (*tool == Tool::Bandit && syntax::languageForPath(request.path) != syntax::Language::Python)
    return Result::failure("bandit reads # nosec comments in Python files only");
  const LineIndex index(request.fileText);
  const bool lastLineIsEmptyTail =
      index.lineCount() > 1 && index.lineStart(index.lineCount() - 1) == request.fileText.size();
  const std::size_t usable = lastLineIsEmptyTail ? index.lineCount() - 1 : index.lineCount();
  if (request.line >= usable)
    return Result::failure("line " + std::to_string(request.line + 1) + " is past the end of the file");
  const std::vector<LineInfo> lines = lexLines(request.fileText, index, *lx);
  const bool hcl = syntax::languageForPath(request.path) == syntax::Language::Hcl;
  if (suppressedAt(*tool, request.ruleId, request.fileText, index, request.line, hcl ? &lines : nullptr))
    return Result::failure(std::string(request.ruleId) + " is already suppressed here by a " +
                           std::string(displayName(*tool)) + " comment");
  const Context c{*tool,
                  *tool == Tool::ShellCheck ? shellcheckCode(request.ruleId) : std::string(request.ruleId),
                  request,
                  *lx,
                  request.fileText,
                  index,
                  lines};
  std::string problems;
  for (const Placement& p : placementsOf(*tool)) {
    Result r = p.place == Place::Trailing ? trailing(c, request.line, p.keyword)
               : p.place == Place::Above  ? above(c, request.line, p.keyword)
                                          : insideBlock(c, request.line, p.keyword);
    if (r) return r;
    if (problems.empty()) problems = r.error;
  }
  return Result::failure("no safe place for a " + std::string(displayName(*tool)) + " comment: " + problems);
}

bool suppressedInSource(std::string_view tool, std::string_view ruleId, std::string_view fileText, std::uint32_t line,
                        std::string_view path) {
  const auto t = toolFor(tool);
  if (!t) return false;
  const LineIndex index(fileText);
  if (line >= index.lineCount()) return false;
  if (!path.empty() && syntax::languageForPath(path) == syntax::Language::Hcl) {
    const auto lx = lexingForPath(path);
    const std::vector<LineInfo> lines = lexLines(fileText, index, *lx);
    return suppressedAt(*t, ruleId, fileText, index, line, &lines);
  }
  return suppressedAt(*t, ruleId, fileText, index, line, nullptr);
}

}  // namespace aspm::remediation
