// The languages aspm parses and how a file is assigned to one. Keeping the registry in one place
// means the extension table, the grammar symbols and the query directories cannot drift apart.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace aspm::syntax {

enum class Language : std::uint8_t {
  C, Cpp, CSharp, Go, Java, JavaScript, TypeScript, Tsx, Python, Ruby, Php, Rust, Bash, Hcl, Yaml, Json
};

// Every supported language, in enum order.
std::span<const Language> allLanguages() noexcept;

// Stable lower-case id, also the query directory name: "c", "cpp", "c_sharp", "tsx", ...
std::string_view idOf(Language) noexcept;
std::optional<Language> languageFromId(std::string_view id) noexcept;

// By file name: extension (case-insensitive) or a well-known name (Rakefile, Gemfile, ...).
// ".h" is C: the C++ grammar rejects valid C that uses C++ keywords as identifiers.
std::optional<Language> languageForPath(std::string_view path) noexcept;

}  // namespace aspm::syntax
