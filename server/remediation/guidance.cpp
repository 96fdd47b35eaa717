// Lookup and rendering for the remediation knowledge base. The entries themselves live in
// guidance_data.cpp so that editing advice never touches this logic; here they are indexed once
// by CWE number and rendered as the compact markdown an editor hover can show.
#include "remediation/guidance.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <unordered_map>

namespace aspm::remediation {
namespace {

// The CWE number of any accepted spelling, or -1.
int cweNumber(std::string_view cwe) {
  while (!cwe.empty() && std::isspace(static_cast<unsigned char>(cwe.front()))) cwe.remove_prefix(1);
  while (!cwe.empty() && std::isspace(static_cast<unsigned char>(cwe.back()))) cwe.remove_suffix(1);
  if (cwe.size() >= 3 && std::tolower(static_cast<unsigned char>(cwe[0])) == 'c' &&
      std::tolower(static_cast<unsigned char>(cwe[1])) == 'w' &&
      std::tolower(static_cast<unsigned char>(cwe[2])) == 'e') {
    cwe.remove_prefix(3);
    if (!cwe.empty() && (cwe.front() == '-' || cwe.front() == '_' || cwe.front() == ':' || cwe.front() == ' '))
      cwe.remove_prefix(1);
  }
  // Seven digits is far above the largest CWE id and keeps the value well inside an int.
  if (cwe.empty() || cwe.size() > 7) return -1;
  if (!std::all_of(cwe.begin(), cwe.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }))
    return -1;
  int n = 0;
  auto [end, ec] = std::from_chars(cwe.data(), cwe.data() + cwe.size(), n);
  if (ec != std::errc() || end != cwe.data() + cwe.size() || n <= 0) return -1;
  return n;
}

int entryNumber(const Guidance& g) {
  return cweNumber(g.cwe);
}

struct Index {
  std::vector<Guidance> entries;
  std::unordered_map<int, const Guidance*> byNumber;
  std::unordered_map<int, std::string_view> extraNames;
};

const Index& index() {
  static const Index idx = [] {
    Index i;
    i.entries = detail::makeGuidance();
    std::stable_sort(i.entries.begin(), i.entries.end(),
                     [](const Guidance& a, const Guidance& b) { return entryNumber(a) < entryNumber(b); });
    // A duplicate keeps the first entry; the unit test rejects duplicates, so this only matters
    // for a build whose data was edited without running it.
    for (const auto& g : i.entries) i.byNumber.emplace(entryNumber(g), &g);
    for (const auto& [n, name] : detail::extraNames()) i.extraNames.emplace(n, name);
    return i;
  }();
  return idx;
}

// Languages whose examples read well in place of another's, closest first.
std::vector<std::string_view> relatives(std::string_view id) {
  if (id == "c") return {"cpp"};
  if (id == "cpp") return {"c"};
  if (id == "javascript") return {"typescript", "tsx"};
  if (id == "typescript") return {"javascript", "tsx"};
  if (id == "tsx") return {"typescript", "javascript"};
  if (id == "java") return {"c_sharp"};
  if (id == "c_sharp") return {"java"};
  if (id == "json") return {"yaml"};
  return {};
}

// Markdown renderers know "csharp" but not the registry id "c_sharp".
std::string_view fenceTag(std::string_view id) {
  return id == "c_sharp" ? std::string_view("csharp") : id;
}

// "https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html"
// -> "OWASP SQL Injection Prevention Cheat Sheet"; other pages get their last path segment.
std::string linkTitle(std::string_view url) {
  std::string_view path = url;
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  auto slash = path.rfind('/');
  std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (last.ends_with(".html")) last.remove_suffix(5);
  std::string title(last);
  std::replace(title.begin(), title.end(), '_', ' ');
  if (url.find("owasp.org") != std::string_view::npos) title = "OWASP " + title;
  return title.empty() ? std::string(url) : title;
}

void appendExample(std::string& out, const Example& e, bool labelLanguage) {
  const std::string label = labelLanguage ? " (" + e.language + ")" : std::string();
  if (!e.unsafeCode.empty()) {
    out += "*Unsafe" + label + ":*\n```" + std::string(fenceTag(e.language)) + "\n" + e.unsafeCode;
    if (!e.unsafeCode.ends_with('\n')) out += '\n';
    out += "```\n\n";
  }
  out += "*Safe" + label + ":*\n```" + std::string(fenceTag(e.language)) + "\n" + e.safeCode;
  if (!e.safeCode.ends_with('\n')) out += '\n';
  out += "```\n\n";
}

const Example* pickExample(const Guidance& g, std::string_view id) {
  auto find = [&](std::string_view want) -> const Example* {
    for (const auto& e : g.examples)
      if (e.language == want) return &e;
    return nullptr;
  };
  if (const Example* e = find(id)) return e;
  for (auto rel : relatives(id))
    if (const Example* e = find(rel)) return e;
  return g.examples.empty() ? nullptr : &g.examples.front();
}

}  // namespace

std::string normalizeCwe(std::string_view cwe) {
  const int n = cweNumber(cwe);
  return n < 0 ? std::string() : "CWE-" + std::to_string(n);
}

const Guidance* guidanceFor(std::string_view cwe) {
  const int n = cweNumber(cwe);
  if (n < 0) return nullptr;
  const auto& idx = index();
  auto it = idx.byNumber.find(n);
  return it == idx.byNumber.end() ? nullptr : it->second;
}

const Guidance* bestGuidance(std::span<const std::string> cwes) {
  // Broad parents whose advice is generic; a sibling CWE on the same finding says more.
  static constexpr std::array kBroad = {20, 74, 116, 200, 284, 285, 400, 664, 693, 703, 707, 710, 754, 770};
  const Guidance* fallback = nullptr;
  for (const auto& cwe : cwes) {
    const Guidance* g = guidanceFor(cwe);
    if (!g) continue;
    if (std::find(kBroad.begin(), kBroad.end(), entryNumber(*g)) == kBroad.end()) return g;
    if (!fallback) fallback = g;
  }
  return fallback;
}

std::string cweName(std::string_view cwe) {
  if (const Guidance* g = guidanceFor(cwe)) return g->name;
  const int n = cweNumber(cwe);
  if (n < 0) return {};
  const auto& names = index().extraNames;
  auto it = names.find(n);
  return it == names.end() ? std::string() : std::string(it->second);
}

std::string cweUri(std::string_view cwe) {
  const int n = cweNumber(cwe);
  return n < 0 ? std::string() : "https://cwe.mitre.org/data/definitions/" + std::to_string(n) + ".html";
}

std::string guidanceMarkdown(const Guidance& g, std::optional<syntax::Language> language) {
  std::string out;
  out.reserve(g.why.size() + g.fix.size() + 1024);
  out += "**[" + g.cwe + "](" + (g.uri.empty() ? cweUri(g.cwe) : g.uri) + "): " + g.name + "**\n\n";
  out += "**Why it is dangerous.** " + g.why + "\n\n";
  out += "**How to fix.** " + g.fix + "\n\n";
  if (language) {
    if (const Example* e = pickExample(g, syntax::idOf(*language))) appendExample(out, *e, false);
  } else {
    for (const auto& e : g.examples) appendExample(out, e, g.examples.size() > 1);
  }
  if (!g.references.empty()) {
    out += "**References:** ";
    for (std::size_t i = 0; i < g.references.size(); ++i) {
      if (i) out += " · ";
      out += "[" + linkTitle(g.references[i]) + "](" + g.references[i] + ")";
    }
    out += "\n";
  }
  while (out.ends_with("\n\n")) out.pop_back();
  return out;
}

std::string guidanceMarkdownForPath(const Guidance& g, std::string_view path) {
  return guidanceMarkdown(g, syntax::languageForPath(path));
}

std::span<const Guidance> allGuidance() {
  return index().entries;
}

}  // namespace aspm::remediation
