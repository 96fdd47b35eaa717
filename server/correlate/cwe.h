// CWE ids for results, from everything a report says (rule CWE list, rule and result tags,
// taxa relationships already resolved into the rule by ingest, "CWE-120" in descriptions and
// messages, cwe.mitre.org help links) and, for tools that state none, from a built-in table
// keyed by tool family and rule id. Correlation needs CWEs on both sides of a pair, so a tool
// without them would never be merged with anything.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/finding.h"

namespace aspm::correlate {

// "external/cwe/cwe-78", "CWE-78: OS Command Injection", "cwe_78", "CWE78" -> "CWE-78";
// "" when `tag` does not name a CWE.
std::string parseCwe(std::string_view tag);

// Every "CWE-<n>" mentioned in free text, in order of first mention, without duplicates.
std::vector<std::string> cwesInText(std::string_view text);

// The built-in mapping for tools that do not state CWEs (bandit test ids, eslint-plugin-security
// rules, clang analyzer checkers, cppcheck ids, gcc warning options, ShellCheck codes).
// `family` is correlate::toolFamily() of the driver name. Empty when unknown.
std::vector<std::string> builtinCwes(std::string_view family, std::string_view ruleId);

// All CWEs of one result, normalised, sorted by number, without duplicates.
std::vector<std::string> cwesOf(const model::Run& run, const model::Rule* rule, const model::Result& result);

// The weakness class a CWE belongs to for matching across tools: tools describe one problem
// with sibling CWEs (strcpy overflow: CWE-120 from flawfinder, CWE-787 from gcc, CWE-788 from
// cppcheck), so pairs are matched on classes. Unlisted CWEs are their own class.
std::string cweClass(std::string_view cwe);

}  // namespace aspm::correlate
