// CWE extraction and the built-in tool tables. The tables map the rules of tools that do not
// state CWEs to the weakness their documentation describes; a rule missing here simply gets no
// CWE (and is then never merged across tools), which is the safe failure.
#include "correlate/cwe.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <unordered_map>

#include "correlate/correlate.h"

namespace aspm::correlate {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int cweNumber(std::string_view cwe) {
  if (cwe.size() < 5) return -1;
  int n = -1;
  auto [p, ec] = std::from_chars(cwe.data() + 4, cwe.data() + cwe.size(), n);
  return ec == std::errc() ? n : -1;
}

using Table = std::unordered_map<std::string_view, std::vector<std::string_view>>;

// bandit test ids (bandit's own documentation of each plugin's CWE).
const Table& banditTable() {
  static const Table t = {
      {"b101", {"CWE-703"}}, {"b102", {"CWE-78"}},  {"b103", {"CWE-732"}}, {"b104", {"CWE-605"}},
      {"b105", {"CWE-259"}}, {"b106", {"CWE-259"}}, {"b107", {"CWE-259"}}, {"b108", {"CWE-377"}},
      {"b110", {"CWE-703"}}, {"b112", {"CWE-703"}}, {"b113", {"CWE-400"}}, {"b201", {"CWE-94"}},
      {"b202", {"CWE-22"}},  {"b301", {"CWE-502"}}, {"b302", {"CWE-502"}}, {"b303", {"CWE-327"}},
      {"b304", {"CWE-327"}}, {"b305", {"CWE-327"}}, {"b306", {"CWE-377"}}, {"b307", {"CWE-78"}},
      {"b308", {"CWE-79"}},  {"b310", {"CWE-22"}},  {"b311", {"CWE-330"}}, {"b312", {"CWE-319"}},
      {"b313", {"CWE-20"}},  {"b314", {"CWE-20"}},  {"b315", {"CWE-20"}},  {"b316", {"CWE-20"}},
      {"b317", {"CWE-20"}},  {"b318", {"CWE-20"}},  {"b319", {"CWE-20"}},  {"b320", {"CWE-20"}},
      {"b321", {"CWE-319"}}, {"b323", {"CWE-295"}}, {"b324", {"CWE-327"}}, {"b401", {"CWE-319"}},
      {"b402", {"CWE-319"}}, {"b403", {"CWE-502"}}, {"b404", {"CWE-78"}},  {"b405", {"CWE-20"}},
      {"b406", {"CWE-20"}},  {"b407", {"CWE-20"}},  {"b408", {"CWE-20"}},  {"b409", {"CWE-20"}},
      {"b410", {"CWE-20"}},  {"b411", {"CWE-20"}},  {"b412", {"CWE-319"}}, {"b413", {"CWE-327"}},
      {"b501", {"CWE-295"}}, {"b502", {"CWE-327"}}, {"b503", {"CWE-327"}}, {"b504", {"CWE-327"}},
      {"b505", {"CWE-326"}}, {"b506", {"CWE-20"}},  {"b507", {"CWE-295"}}, {"b508", {"CWE-319"}},
      {"b509", {"CWE-319"}}, {"b601", {"CWE-78"}},  {"b602", {"CWE-78"}},  {"b603", {"CWE-78"}},
      {"b604", {"CWE-78"}},  {"b605", {"CWE-78"}},  {"b606", {"CWE-78"}},  {"b607", {"CWE-78"}},
      {"b608", {"CWE-89"}},  {"b609", {"CWE-78"}},  {"b610", {"CWE-89"}},  {"b611", {"CWE-89"}},
      {"b612", {"CWE-94"}},  {"b701", {"CWE-94"}},  {"b702", {"CWE-80"}},  {"b703", {"CWE-80"}},
  };
  return t;
}

// eslint-plugin-security rules (the "security/" prefix is stripped before lookup).
const Table& eslintSecurityTable() {
  static const Table t = {
      {"detect-child-process", {"CWE-78"}},
      {"detect-eval-with-expression", {"CWE-95"}},
      {"detect-non-literal-fs-filename", {"CWE-22"}},
      {"detect-non-literal-require", {"CWE-829"}},
      {"detect-non-literal-regexp", {"CWE-1333"}},
      {"detect-unsafe-regex", {"CWE-1333"}},
      {"detect-object-injection", {"CWE-915"}},
      {"detect-possible-timing-attacks", {"CWE-208"}},
      {"detect-pseudorandombytes", {"CWE-338"}},
      {"detect-buffer-noassert", {"CWE-119"}},
      {"detect-new-buffer", {"CWE-119"}},
      {"detect-disable-mustache-escape", {"CWE-79"}},
      {"detect-no-csrf-before-method-override", {"CWE-352"}},
      {"detect-bidi-characters", {"CWE-1007"}},
  };
  return t;
}

// clang static analyzer checkers (scan-build). Checkers that find several weaknesses
// (unix.Malloc) list them all; the message picks among them in builtinCwes().
const Table& clangTable() {
  static const Table t = {
      {"core.nulldereference", {"CWE-476"}},
      {"core.nonnullparamchecker", {"CWE-476"}},
      {"core.dividezero", {"CWE-369"}},
      {"core.uninitialized.assign", {"CWE-457"}},
      {"core.uninitialized.branch", {"CWE-457"}},
      {"core.uninitialized.undefreturn", {"CWE-457"}},
      {"core.uninitialized.arraysubscript", {"CWE-457"}},
      {"core.uninitialized.capturedblockvariable", {"CWE-457"}},
      {"core.callandmessage", {"CWE-457"}},
      {"core.undefinedbinaryoperatorresult", {"CWE-457"}},
      {"core.stackaddressescape", {"CWE-562"}},
      {"deadcode.deadstores", {"CWE-563"}},
      {"unix.malloc", {"CWE-401", "CWE-415", "CWE-416"}},
      {"unix.mismatcheddeallocator", {"CWE-762"}},
      {"unix.cstring.bufferoverlap", {"CWE-119"}},
      {"unix.cstring.nullarg", {"CWE-476"}},
      {"unix.api", {"CWE-687"}},
      {"cplusplus.newdelete", {"CWE-415", "CWE-416"}},
      {"cplusplus.newdeleteleaks", {"CWE-401"}},
      {"security.insecureapi.strcpy", {"CWE-120"}},
      {"security.insecureapi.gets", {"CWE-242"}},
      {"security.insecureapi.rand", {"CWE-338"}},
      {"security.insecureapi.mktemp", {"CWE-377"}},
      {"security.insecureapi.vfork", {"CWE-676"}},
      {"security.insecureapi.deprecatedorunsafebufferhandling", {"CWE-120"}},
      {"security.insecureapi.uncheckedreturn", {"CWE-252"}},
      {"security.floatloopcounter", {"CWE-1339"}},
      {"alpha.security.arraybound", {"CWE-119"}},
      {"alpha.security.arrayboundv2", {"CWE-119"}},
      {"alpha.security.returnptrrange", {"CWE-466"}},
      {"alpha.security.taint.taintpropagation", {"CWE-20"}},
      {"alpha.unix.stream", {"CWE-775"}},
  };
  return t;
}

// cppcheck ids, for reports written without the cwe attribute.
const Table& cppcheckTable() {
  static const Table t = {
      {"memleak", {"CWE-401"}},
      {"memleakonrealloc", {"CWE-401"}},
      {"resourceleak", {"CWE-775"}},
      {"nullpointer", {"CWE-476"}},
      {"nullpointerredundantcheck", {"CWE-476"}},
      {"ctunullpointer", {"CWE-476"}},
      {"uninitvar", {"CWE-457"}},
      {"uninitdata", {"CWE-457"}},
      {"doublefree", {"CWE-415"}},
      {"deallocuse", {"CWE-416"}},
      {"arrayindexoutofbounds", {"CWE-788"}},
      {"arrayindexoutofboundscond", {"CWE-788"}},
      {"bufferaccessoutofbounds", {"CWE-788"}},
      {"outofbounds", {"CWE-788"}},
      {"negativeindex", {"CWE-786"}},
      {"invalidprintfargtype_s", {"CWE-686"}},
      {"wrongprintfscanfargnum", {"CWE-685"}},
      {"zerodiv", {"CWE-369"}},
      {"mismatchallocdealloc", {"CWE-762"}},
      {"unreadvariable", {"CWE-563"}},
      {"invalidscanfformatwidth", {"CWE-119"}},
      {"dangerousscanf", {"CWE-119"}},
      {"obsoletefunctionsgets", {"CWE-242"}},
      {"getscalled", {"CWE-242"}},
  };
  return t;
}

// gcc warning options, "-W" stripped (the analyzer's own CWE metadata wins when present).
const Table& gccTable() {
  static const Table t = {
      {"analyzer-malloc-leak", {"CWE-401"}},
      {"analyzer-double-free", {"CWE-415"}},
      {"analyzer-use-after-free", {"CWE-416"}},
      {"analyzer-null-dereference", {"CWE-476"}},
      {"analyzer-possible-null-dereference", {"CWE-690"}},
      {"analyzer-null-argument", {"CWE-476"}},
      {"analyzer-possible-null-argument", {"CWE-690"}},
      {"analyzer-file-leak", {"CWE-775"}},
      {"analyzer-fd-leak", {"CWE-775"}},
      {"analyzer-double-fclose", {"CWE-1341"}},
      {"analyzer-use-of-uninitialized-value", {"CWE-457"}},
      {"analyzer-free-of-non-heap", {"CWE-590"}},
      {"analyzer-mismatching-deallocation", {"CWE-762"}},
      {"analyzer-tainted-array-index", {"CWE-129"}},
      {"analyzer-tainted-allocation-size", {"CWE-789"}},
      {"analyzer-out-of-bounds", {"CWE-787"}},
      {"analyzer-exposure-through-output-file", {"CWE-532"}},
      {"analyzer-unsafe-call-within-signal-handler", {"CWE-479"}},
      {"analyzer-use-of-pointer-in-stale-stack-frame", {"CWE-562"}},
      {"format", {"CWE-686"}},
      {"format=", {"CWE-686"}},
      {"format-security", {"CWE-134"}},
      {"format-nonliteral", {"CWE-134"}},
      {"format-overflow", {"CWE-787"}},
      {"format-overflow=", {"CWE-787"}},
      {"stringop-overflow", {"CWE-787"}},
      {"stringop-overflow=", {"CWE-787"}},
      {"stringop-truncation", {"CWE-170"}},
      {"array-bounds", {"CWE-119"}},
      {"aggressive-loop-optimizations", {"CWE-119"}},
      {"uninitialized", {"CWE-457"}},
      {"maybe-uninitialized", {"CWE-457"}},
      {"use-after-free", {"CWE-416"}},
      {"free-nonheap-object", {"CWE-590"}},
      {"mismatched-dealloc", {"CWE-762"}},
  };
  return t;
}

// ShellCheck codes whose finding is a security weakness.
const Table& shellcheckTable() {
  static const Table t = {
      {"sc2086", {"CWE-88"}},  {"sc2046", {"CWE-88"}},  {"sc2068", {"CWE-88"}},  {"sc2048", {"CWE-88"}},
      {"sc2091", {"CWE-78"}},  {"sc2029", {"CWE-78"}},  {"sc2294", {"CWE-78"}},  {"sc2115", {"CWE-73"}},
      {"sc2164", {"CWE-252"}}, {"sc2155", {"CWE-252"}}, {"sc2162", {"CWE-20"}},  {"sc2154", {"CWE-457"}},
      {"sc2087", {"CWE-78"}},  {"sc2216", {"CWE-20"}},  {"sc2038", {"CWE-88"}},  {"sc2002", {}},
  };
  return t;
}

void addUnique(std::vector<std::string>& out, std::string cwe) {
  if (!cwe.empty() && std::find(out.begin(), out.end(), cwe) == out.end()) out.push_back(std::move(cwe));
}

}  // namespace

std::string parseCwe(std::string_view tag) {
  std::string t = lower(tag);
  auto pos = t.find("cwe");
  if (pos == std::string::npos) return {};
  // Require "cwe" to start a word: "external/cwe/cwe-78" and "CWE-78: ..." but not "xcwe1".
  if (pos > 0 && std::isalnum(static_cast<unsigned char>(t[pos - 1]))) return {};
  std::size_t i = pos + 3;
  if (std::string_view(t).substr(pos).starts_with("cwe/cwe-")) i = pos + 8;
  else if (i < t.size() && t[i] == '/') {
    auto again = t.find("cwe", i);
    if (again == std::string::npos) return {};
    i = again + 3;
  }
  while (i < t.size() && (t[i] == '-' || t[i] == '_' || t[i] == ' ' || t[i] == ':')) ++i;
  std::size_t start = i;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  if (i == start || i - start > 5) return {};
  std::string digits = t.substr(start, i - start);
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
  return "CWE-" + digits;
}

std::vector<std::string> cwesInText(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t pos = 0; (pos = text.find("CWE-", pos)) != std::string_view::npos; pos += 4) {
    if (pos > 0 && std::isalnum(static_cast<unsigned char>(text[pos - 1]))) continue;
    std::size_t e = pos + 4;
    while (e < text.size() && std::isdigit(static_cast<unsigned char>(text[e]))) ++e;
    if (e > pos + 4 && e - pos - 4 <= 5) addUnique(out, parseCwe(text.substr(pos, e - pos)));
  }
  // cwe.mitre.org/data/definitions/134.html
  static constexpr std::string_view kLink = "cwe.mitre.org/data/definitions/";
  for (std::size_t pos = 0; (pos = text.find(kLink, pos)) != std::string_view::npos; pos += kLink.size()) {
    std::size_t s = pos + kLink.size(), e = s;
    while (e < text.size() && std::isdigit(static_cast<unsigned char>(text[e]))) ++e;
    if (e > s && e - s <= 5) addUnique(out, "CWE-" + std::string(text.substr(s, e - s)));
  }
  return out;
}

std::vector<std::string> builtinCwes(std::string_view family, std::string_view ruleId) {
  std::string id = lower(ruleId);
  const Table* table = nullptr;
  if (family == "bandit") table = &banditTable();
  else if (family == "eslint") {
    table = &eslintSecurityTable();
    if (id.starts_with("security/")) id.erase(0, 9);
  } else if (family == "clang") table = &clangTable();
  else if (family == "cppcheck") table = &cppcheckTable();
  else if (family == "gcc") {
    table = &gccTable();
    if (id.starts_with("-w")) id.erase(0, 2);
  } else if (family == "shellcheck") {
    table = &shellcheckTable();
    if (!id.starts_with("sc")) id = "sc" + id;
  }
  if (!table) return {};
  auto it = table->find(id);
  if (it == table->end()) return {};
  return {it->second.begin(), it->second.end()};
}

std::vector<std::string> cwesOf(const model::Run& run, const model::Rule* rule, const model::Result& result) {
  std::vector<std::string> out;
  if (rule) {
    for (const auto& c : rule->cwes) addUnique(out, parseCwe(c));
    for (const auto& t : rule->tags) addUnique(out, parseCwe(t));
  }
  for (const auto& t : result.tags) addUnique(out, parseCwe(t));
  if (out.empty() && rule) {
    for (auto& c : cwesInText(rule->shortDescription)) addUnique(out, std::move(c));
    for (auto& c : cwesInText(rule->fullDescription)) addUnique(out, std::move(c));
    for (auto& c : cwesInText(rule->helpUri)) addUnique(out, std::move(c));
  }
  if (out.empty()) {
    for (auto& c : cwesInText(result.message)) addUnique(out, std::move(c));
  }
  if (out.empty()) {
    auto builtin = builtinCwes(toolFamily(run.tool.name), result.ruleId);
    if (builtin.size() > 1) {
      // A checker covering several weaknesses: let the message choose when it can.
      const std::string msg = lower(result.message);
      std::vector<std::string> picked;
      for (const auto& c : builtin) {
        if ((c == "CWE-401" && (msg.find("leak") != std::string::npos)) ||
            (c == "CWE-415" && (msg.find("double") != std::string::npos || msg.find("free released") != std::string::npos ||
                                msg.find("released twice") != std::string::npos)) ||
            (c == "CWE-416" && msg.find("after") != std::string::npos && msg.find("free") != std::string::npos) ||
            (c == "CWE-416" && msg.find("use of released") != std::string::npos))
          picked.push_back(c);
      }
      if (!picked.empty()) builtin = std::move(picked);
    }
    for (auto& c : builtin) addUnique(out, std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) { return cweNumber(a) < cweNumber(b); });
  return out;
}

std::string cweClass(std::string_view cwe) {
  const int n = cweNumber(cwe);
  switch (n) {
    case 119: case 120: case 121: case 122: case 124: case 125: case 126: case 127: case 129: case 131:
    case 170: case 193: case 242: case 680: case 786: case 787: case 788: case 805: case 806:
      return "buffer";
    case 416: case 672: case 825:
      return "use-after-free";
    case 401: case 1325:
      return "memory-leak";
    case 400: case 772: case 775: case 404:
      return "resource-leak";
    case 476: case 690:
      return "null-dereference";
    case 457: case 824: case 908: case 909:
      return "uninitialized";
    case 77: case 78: case 88:
      return "command-injection";
    case 94: case 95:
      return "code-injection";
    case 22: case 23: case 36: case 73:
      return "path-traversal";
    case 79: case 80:
      return "xss";
    case 89: case 564:
      return "sql-injection";
    case 326: case 327: case 328: case 916:
      return "weak-crypto";
    case 330: case 338:
      return "weak-random";
    case 259: case 321: case 798:
      return "hardcoded-credential";
    case 362: case 367:
      return "race";
    case 685: case 686:
      return "format-arguments";
    case 1333: case 1336:
      return "redos";
    default:
      return std::string(cwe);
  }
}

}  // namespace aspm::correlate
