// Dependency-result parsing: see sca.h for the scanner habits it reads.
#include "correlate/sca.h"

#include <algorithm>
#include <cctype>

namespace aspm::correlate {
namespace {

bool isIdChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void addUnique(std::vector<std::string>& v, std::string s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

// "Label: value" on one line (markdown bullets, bold and table pipes tolerated).
std::string valueAfter(std::string_view text, std::string_view label) {
  for (std::size_t pos = 0; (pos = text.find(label, pos)) != std::string_view::npos; pos += label.size()) {
    if (pos > 0 && std::isalpha(static_cast<unsigned char>(text[pos - 1]))) continue;
    std::size_t s = pos + label.size();
    while (s < text.size() && (text[s] == ' ' || text[s] == '*' || text[s] == '`')) ++s;
    std::size_t e = text.find('\n', s);
    std::string_view v = text.substr(s, e == std::string_view::npos ? std::string_view::npos : e - s);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\r' || v.back() == '*' || v.back() == '`' || v.back() == '|'))
      v.remove_suffix(1);
    if (!v.empty()) return std::string(v);
  }
  return {};
}

// "pkg:npm/lodash@4.17.20" -> ecosystem npm, name lodash, version 4.17.20.
bool parsePurl(std::string_view text, PackageRef& out) {
  auto pos = text.find("pkg:");
  if (pos == std::string_view::npos) return false;
  std::size_t e = pos + 4;
  while (e < text.size() && !std::isspace(static_cast<unsigned char>(text[e])) && text[e] != '"' && text[e] != ',') ++e;
  std::string_view purl = text.substr(pos + 4, e - pos - 4);
  auto slash = purl.find('/');
  if (slash == std::string_view::npos) return false;
  out.ecosystem = std::string(purl.substr(0, slash));
  std::string_view rest = purl.substr(slash + 1);
  if (auto q = rest.find_first_of("?#"); q != std::string_view::npos) rest = rest.substr(0, q);
  if (auto at = rest.rfind('@'); at != std::string_view::npos && at > 0) {
    out.version = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
  }
  if (auto ns = rest.rfind('/'); ns != std::string_view::npos && out.ecosystem != "npm" && out.ecosystem != "golang")
    rest = rest.substr(ns + 1);
  out.name = std::string(rest);
  return !out.name.empty();
}

}  // namespace

std::vector<std::string> vulnIdsInText(std::string_view text) {
  static constexpr std::string_view kPrefixes[] = {"CVE-", "GHSA-", "PYSEC-", "RUSTSEC-", "GO-", "SNYK-", "OSV-"};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && isIdChar(text[i - 1])) continue;
    for (auto p : kPrefixes) {
      if (text.size() - i < p.size() + 4) continue;
      bool match = true;
      for (std::size_t k = 0; k < p.size(); ++k)
        if (std::toupper(static_cast<unsigned char>(text[i + k])) != p[k]) match = false;
      if (!match) continue;
      std::size_t e = i + p.size();
      while (e < text.size() && isIdChar(text[e])) ++e;
      std::string id = upper(text.substr(i, e - i));
      while (!id.empty() && id.back() == '-') id.pop_back();
      // CVE ids are exactly CVE-YYYY-NNNN+; a scanner's "CVE-1999-0001-package-1" rule id
      // names the package after the id.
      if (p == "CVE-") {
        std::size_t d = 4;
        while (d < id.size() && std::isdigit(static_cast<unsigned char>(id[d]))) ++d;
        if (d != 8 || d >= id.size() || id[d] != '-') break;
        std::size_t d2 = d + 1;
        while (d2 < id.size() && std::isdigit(static_cast<unsigned char>(id[d2]))) ++d2;
        if (d2 - d - 1 < 4) break;
        id.resize(d2);
      }
      if (id.size() > p.size() + 2) addUnique(out, std::move(id));
      i = e;
      break;
    }
  }
  return out;
}

std::string packageKey(std::string_view name) {
  std::string out;
  for (char c : name) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out += (l == '_' || l == '.') ? '-' : l;
  }
  return out;
}

PackageRef packageOf(const model::Run& run, const model::Rule* rule, const model::Result& result) {
  (void)run;
  PackageRef p;
  for (auto& id : vulnIdsInText(result.ruleId)) addUnique(p.vulnIds, std::move(id));
  std::string texts = result.message;
  if (rule) {
    texts += "\n" + rule->shortDescription + "\n" + rule->fullDescription + "\n" + rule->helpText + "\n" + rule->helpMarkdown;
  }
  for (const auto& loc : result.locations) texts += "\n" + loc.logicalName + "\n" + loc.message;
  // Ids: message and descriptions, plus the first line of the help (reference lists further
  // down name unrelated advisories).
  std::string idText = result.message;
  if (rule) {
    idText += "\n" + rule->shortDescription + "\n" + rule->fullDescription;
    idText += "\n" + rule->helpText.substr(0, rule->helpText.find('\n'));
  }
  for (auto& id : vulnIdsInText(idText)) addUnique(p.vulnIds, std::move(id));

  if (!parsePurl(texts, p)) {
    p.name = valueAfter(texts, "Package: ");
    if (p.name.empty()) p.name = valueAfter(texts, "Vulnerable module: ");
    if (p.name.empty()) {
      // Grype: "A low vulnerability in rpm package: package-1, version 1.1.1 was found at: ..."
      auto pos = result.message.find(" package: ");
      if (pos != std::string::npos) {
        auto start = pos + 10;
        auto comma = result.message.find(',', start);
        p.name = result.message.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        auto in = result.message.rfind(" in ", pos);
        if (in != std::string::npos) p.ecosystem = result.message.substr(in + 4, pos - in - 4);
        auto ver = result.message.find("version ", start);
        if (ver != std::string::npos) {
          auto ve = result.message.find(' ', ver + 8);
          p.version = result.message.substr(ver + 8, ve == std::string::npos ? std::string::npos : ve - ver - 8);
        }
      }
    }
    if (p.name.empty()) {
      // Older Trivy rule ids: "CVE-2018-14618/curl".
      if (auto slash = result.ruleId.find('/'); slash != std::string::npos && !p.vulnIds.empty())
        p.name = result.ruleId.substr(slash + 1);
    }
    if (p.name.empty() && rule) {
      // Snyk: "(CVE-2020-28500) lodash@4.15.0"
      std::string_view fd = rule->fullDescription;
      if (auto close = fd.find(") "); close != std::string_view::npos) {
        std::string_view rest = fd.substr(close + 2);
        if (auto at = rest.rfind('@'); at != std::string_view::npos && at > 0) {
          p.name = std::string(rest.substr(0, at));
          p.version = std::string(rest.substr(at + 1));
        }
      }
    }
  }
  if (p.version.empty()) p.version = valueAfter(texts, "Installed Version: ");
  if (p.version.empty()) p.version = valueAfter(texts, "Version: ");
  if (p.ecosystem.empty()) p.ecosystem = valueAfter(texts, "Package Manager: ");
  if (p.ecosystem.empty()) p.ecosystem = valueAfter(texts, "Type: ");
  std::string fix = valueAfter(texts, "Fixed Version: ");
  if (fix.empty()) fix = valueAfter(texts, "Fix Version: ");
  if (fix.empty()) {
    // Snyk: "Upgrade `lodash` to version 4.17.21 or higher."
    auto pos = texts.find(" to version ");
    if (pos != std::string::npos && texts.rfind("Upgrade", pos) != std::string::npos) {
      auto s = pos + 12, e = s;
      while (e < texts.size() && !std::isspace(static_cast<unsigned char>(texts[e])) && texts[e] != ';') ++e;
      fix = texts.substr(s, e - s);
    }
  }
  if (auto comma = fix.find(','); comma != std::string::npos) fix.resize(comma);
  while (!fix.empty() && (fix.back() == '.' || fix.back() == ' ')) fix.pop_back();
  p.fixedVersion = fix;
  p.name = std::string(p.name.substr(0, p.name.find_first_of(" |")));
  return p;
}

}  // namespace aspm::correlate
