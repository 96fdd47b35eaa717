// The per-language half of dependency reachability: which calls of a file go to an imported
// package, and under which symbol, by each language's own import rules (JavaScript and Python
// bindings, Go package names, Java and C# imports and declared types, PHP `use`, Ruby
// constants), and how a call's symbol is compared with the functions an advisory names.
// Internal to mapping/; reachability.h is the interface.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/reachability.h"
#include "syntax/document.h"
#include "syntax/language.h"

namespace aspm::mapping::detail {

// Whether calls of `language` are looked for (a bindings query, or Ruby's constants).
bool analysesCalls(syntax::Language language);

// Appends the calls of `doc` attributed to an imported module (CallSite::source = the module,
// namespace or constant) and adds the names of the types the file declares to `types`.
void findCalls(const syntax::Document& doc, syntax::Language language, const std::string& rel,
               std::vector<CallSite>& calls, std::set<std::string, std::less<>>& types);

// The name a Go import path binds when the import names none: the last path element without a
// `/vN` major version or gopkg.in `.vN` suffix, and without a `go-`/`go.` prefix or `-go`/`.go`
// suffix ("github.com/go-yaml/yaml/v3" -> "yaml", "github.com/mattn/go-sqlite3" -> "sqlite3").
std::string goPackageName(std::string_view path);

// The top-level Ruby constants a gem defines, by the usual naming convention and a table of
// exceptions ("nokogiri" -> Nokogiri, "net-http" -> Net::HTTP, "psych" -> Psych and YAML).
std::vector<std::string> rubyConstants(std::string_view gem);

// The PHP namespaces a Composer package's code lives in: the autoload keys of its entry in the
// project's composer.lock or of vendor/<vendor>/<package>/composer.json, else a guess from the
// package's name (`guessed` set).
struct PhpNamespaces {
  std::vector<std::string> namespaces;  // without leading or trailing backslash
  bool guessed = false;
  std::string from;  // the file read, "" when guessed
  // Laravel's package discovery registers the package's service providers (its
  // `extra.laravel.providers`): its code runs at boot without the application importing it.
  bool discovered = false;
};
PhpNamespaces phpNamespaces(const std::string& root, std::string_view scope, std::string_view package);

// Whether `call` is a call of the vulnerable function `vulnerable` as the advisory spells it
// ("template", "yaml.load", "Decoder.Decode", "org.x.Yaml.load", "GuzzleHttp\\Client::send",
// "Nokogiri::XML::Document.parse"), by the rules of the language family ("js", "py", "go", ...).
bool symbolMatches(std::string_view family, std::string_view vulnerable, const CallSite& call);

// The type a call's symbol names ("Decoder" for "Decoder.Decode", "Client" for a constructor
// call "Client"), "" for a package-level function.
std::string calledType(std::string_view family, const CallSite& call);

}  // namespace aspm::mapping::detail
