// Language registry: ids, file-name rules and the grammar entry points of the pinned packages.
#include "syntax/language.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "syntax/ts_handles.h"

extern "C" {
const TSLanguage* tree_sitter_c();
const TSLanguage* tree_sitter_cpp();
const TSLanguage* tree_sitter_c_sharp();
const TSLanguage* tree_sitter_go();
const TSLanguage* tree_sitter_java();
const TSLanguage* tree_sitter_javascript();
const TSLanguage* tree_sitter_typescript();
const TSLanguage* tree_sitter_tsx();
const TSLanguage* tree_sitter_python();
const TSLanguage* tree_sitter_ruby();
const TSLanguage* tree_sitter_php();
const TSLanguage* tree_sitter_rust();
const TSLanguage* tree_sitter_bash();
const TSLanguage* tree_sitter_hcl();
const TSLanguage* tree_sitter_yaml();
const TSLanguage* tree_sitter_json();
}

namespace aspm::syntax {
namespace {

struct Entry {
  Language language;
  std::string_view id;
  const TSLanguage* (*grammar)();
};

constexpr std::array kEntries = {
    Entry{Language::C, "c", tree_sitter_c},
    Entry{Language::Cpp, "cpp", tree_sitter_cpp},
    Entry{Language::CSharp, "c_sharp", tree_sitter_c_sharp},
    Entry{Language::Go, "go", tree_sitter_go},
    Entry{Language::Java, "java", tree_sitter_java},
    Entry{Language::JavaScript, "javascript", tree_sitter_javascript},
    Entry{Language::TypeScript, "typescript", tree_sitter_typescript},
    Entry{Language::Tsx, "tsx", tree_sitter_tsx},
    Entry{Language::Python, "python", tree_sitter_python},
    Entry{Language::Ruby, "ruby", tree_sitter_ruby},
    Entry{Language::Php, "php", tree_sitter_php},
    Entry{Language::Rust, "rust", tree_sitter_rust},
    Entry{Language::Bash, "bash", tree_sitter_bash},
    Entry{Language::Hcl, "hcl", tree_sitter_hcl},
    Entry{Language::Yaml, "yaml", tree_sitter_yaml},
    Entry{Language::Json, "json", tree_sitter_json},
};

constexpr std::array kLanguages = {Language::C,          Language::Cpp,    Language::CSharp, Language::Go,
                                   Language::Java,       Language::JavaScript, Language::TypeScript,
                                   Language::Tsx,        Language::Python, Language::Ruby,   Language::Php,
                                   Language::Rust,       Language::Bash,   Language::Hcl,    Language::Yaml,
                                   Language::Json};

struct Suffix {
  std::string_view suffix;
  Language language;
};

// Extensions (lower-case, with the dot) and whole file names.
constexpr std::array kSuffixes = {
    Suffix{".c", Language::C},           Suffix{".h", Language::C},
    Suffix{".cc", Language::Cpp},        Suffix{".cpp", Language::Cpp},
    Suffix{".cxx", Language::Cpp},       Suffix{".c++", Language::Cpp},
    Suffix{".hh", Language::Cpp},        Suffix{".hpp", Language::Cpp},
    Suffix{".hxx", Language::Cpp},       Suffix{".h++", Language::Cpp},
    Suffix{".ipp", Language::Cpp},       Suffix{".inl", Language::Cpp},
    Suffix{".cs", Language::CSharp},     Suffix{".go", Language::Go},
    Suffix{".java", Language::Java},     Suffix{".js", Language::JavaScript},
    Suffix{".mjs", Language::JavaScript}, Suffix{".cjs", Language::JavaScript},
    Suffix{".jsx", Language::JavaScript}, Suffix{".ts", Language::TypeScript},
    Suffix{".mts", Language::TypeScript}, Suffix{".cts", Language::TypeScript},
    Suffix{".tsx", Language::Tsx},       Suffix{".py", Language::Python},
    Suffix{".pyi", Language::Python},    Suffix{".pyw", Language::Python},
    Suffix{".rb", Language::Ruby},       Suffix{".rake", Language::Ruby},
    Suffix{".gemspec", Language::Ruby},  Suffix{".php", Language::Php},
    Suffix{".phtml", Language::Php},     Suffix{".rs", Language::Rust},
    Suffix{".sh", Language::Bash},       Suffix{".bash", Language::Bash},
    Suffix{".tf", Language::Hcl},        Suffix{".tfvars", Language::Hcl},
    Suffix{".hcl", Language::Hcl},       Suffix{".yml", Language::Yaml},
    Suffix{".yaml", Language::Yaml},     Suffix{".json", Language::Json},
};

constexpr std::array kFileNames = {
    Suffix{"rakefile", Language::Ruby}, Suffix{"gemfile", Language::Ruby},
    Suffix{".bashrc", Language::Bash},  Suffix{".bash_profile", Language::Bash},
    Suffix{".profile", Language::Bash},
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::span<const Language> allLanguages() noexcept { return kLanguages; }

std::string_view idOf(Language language) noexcept {
  for (const auto& e : kEntries)
    if (e.language == language) return e.id;
  return "";
}

std::optional<Language> languageFromId(std::string_view id) noexcept {
  for (const auto& e : kEntries)
    if (e.id == id) return e.language;
  return std::nullopt;
}

std::optional<Language> languageForPath(std::string_view path) noexcept {
  const auto slash = path.find_last_of("/\\");
  const std::string name = lower(slash == std::string_view::npos ? path : path.substr(slash + 1));
  for (const auto& f : kFileNames)
    if (name == f.suffix) return f.language;
  const auto dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0) return std::nullopt;
  const std::string_view ext = std::string_view(name).substr(dot);
  for (const auto& s : kSuffixes)
    if (ext == s.suffix) return s.language;
  return std::nullopt;
}

namespace detail {

const TSLanguage* grammarOf(Language language) noexcept {
  for (const auto& e : kEntries)
    if (e.language == language) return e.grammar();
  return nullptr;
}

ParserPtr makeParser(Language language) {
  ParserPtr parser(ts_parser_new());
  if (!parser || !ts_parser_set_language(parser.get(), grammarOf(language))) return nullptr;
  return parser;
}

}  // namespace detail
}  // namespace aspm::syntax
