// The offline remediation knowledge base: for the weaknesses scanners report most often (SAST,
// SCA, IaC and secrets findings), why the weakness matters, how to fix it and a short unsafe/safe
// example per relevant language. Hover and `aspm/explain` render it next to the tool's own text,
// which is often a one-line message; the text is built in so it works without network access.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "syntax/language.h"

namespace aspm::remediation {

struct Example {
  std::string language;  // syntax::idOf() of the language the code is written in
  std::string unsafeCode;
  std::string safeCode;
};

struct Guidance {
  std::string cwe;   // "CWE-78"
  std::string name;  // the official CWE name
  std::string uri;   // https://cwe.mitre.org/data/definitions/78.html
  std::string why;   // why it is dangerous: what an attacker gains
  std::string fix;   // how to fix it, most effective measure first
  std::vector<Example> examples;
  std::vector<std::string> references;  // OWASP cheat sheets and similar, https URLs
};

// The entry for a CWE written as "CWE-78", "cwe-78", "CWE-078", "CWE78" or "78"; nullptr when the
// id is malformed or has no entry. Pointers stay valid for the life of the program.
const Guidance* guidanceFor(std::string_view cwe);

// The entry to show for a finding that carries several CWEs (CodeQL tags ReDoS with CWE-1333,
// CWE-730 and CWE-400): the first one with an entry that is not a broad parent such as CWE-20,
// CWE-74 or CWE-400, else the first one with an entry; nullptr when none has one.
const Guidance* bestGuidance(std::span<const std::string> cwes);

// The official name of a CWE; also known for some CWEs without guidance. "" when unknown.
std::string cweName(std::string_view cwe);

// The MITRE definition page of any well-formed CWE id, with or without an entry; "" when
// `cwe` is not a CWE id.
std::string cweUri(std::string_view cwe);

// "CWE-<n>" for any accepted spelling, "" when `cwe` is not a CWE id.
std::string normalizeCwe(std::string_view cwe);

// Markdown for a hover or explain panel: the CWE with its link, "Why it is dangerous", "How to
// fix", examples as fenced code blocks tagged with the language id, and references. With a
// language, at most one example is shown: the one in that language, else one in a close
// relative (TypeScript for JavaScript, C++ for C, ...), else the first. Without a language every
// example is shown.
std::string guidanceMarkdown(const Guidance& guidance, std::optional<syntax::Language> language);

// guidanceMarkdown() with the example chosen by the language of the finding's file (`path`, as
// syntax::languageForPath() knows it), for callers that have a path but no language, such as the
// store's ticket bodies.
std::string guidanceMarkdownForPath(const Guidance& guidance, std::string_view path);

// Every entry, sorted by CWE number.
std::span<const Guidance> allGuidance();

namespace detail {
// The entries as written in guidance_data.cpp, in any order; guidance.cpp indexes them.
std::vector<Guidance> makeGuidance();
// Official names of CWEs that have no entry but appear in scanner output often enough that a
// hover should name them.
std::vector<std::pair<int, std::string_view>> extraNames();
}  // namespace detail

}  // namespace aspm::remediation
