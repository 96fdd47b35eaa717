// CVSS v3.x base score (specification section 7.1 formulas and 7.4 metric values).
#include "correlate/cvss.h"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <map>

namespace aspm::correlate {

double cvssRoundup(double x) noexcept {
  const auto i = static_cast<std::int64_t>(std::llround(x * 100000.0));
  if (i % 10000 == 0) return static_cast<double>(i) / 100000.0;
  return (std::floor(static_cast<double>(i) / 10000.0) + 1) / 10.0;
}

std::optional<Cvss> parseCvss3(std::string_view v) {
  if (!v.starts_with("CVSS:3.1/") && !v.starts_with("CVSS:3.0/")) return std::nullopt;
  std::string_view rest = v.substr(9);
  std::map<std::string, char> m;
  while (!rest.empty()) {
    auto slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    auto colon = part.find(':');
    if (colon == std::string_view::npos || colon + 2 != part.size()) return std::nullopt;
    std::string key(part.substr(0, colon));
    if (m.count(key)) return std::nullopt;
    m[key] = part[colon + 1];
  }
  auto get = [&](const char* k) -> char {
    auto it = m.find(k);
    return it == m.end() ? '\0' : it->second;
  };
  const char av = get("AV"), ac = get("AC"), pr = get("PR"), ui = get("UI"), s = get("S"), c = get("C"), i = get("I"),
             a = get("A");
  double AV, AC, PR, UI, C, I, A;
  switch (av) {
    case 'N': AV = 0.85; break;
    case 'A': AV = 0.62; break;
    case 'L': AV = 0.55; break;
    case 'P': AV = 0.2; break;
    default: return std::nullopt;
  }
  switch (ac) {
    case 'L': AC = 0.77; break;
    case 'H': AC = 0.44; break;
    default: return std::nullopt;
  }
  if (s != 'U' && s != 'C') return std::nullopt;
  const bool changed = s == 'C';
  switch (pr) {
    case 'N': PR = 0.85; break;
    case 'L': PR = changed ? 0.68 : 0.62; break;
    case 'H': PR = changed ? 0.5 : 0.27; break;
    default: return std::nullopt;
  }
  switch (ui) {
    case 'N': UI = 0.85; break;
    case 'R': UI = 0.62; break;
    default: return std::nullopt;
  }
  auto cia = [](char x, double& out) {
    switch (x) {
      case 'H': out = 0.56; return true;
      case 'L': out = 0.22; return true;
      case 'N': out = 0; return true;
      default: return false;
    }
  };
  if (!cia(c, C) || !cia(i, I) || !cia(a, A)) return std::nullopt;
  const double iss = 1 - ((1 - C) * (1 - I) * (1 - A));
  const double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  const double exploitability = 8.22 * AV * AC * PR * UI;
  double base = 0;
  if (impact > 0) {
    base = changed ? cvssRoundup(std::min(1.08 * (impact + exploitability), 10.0))
                   : cvssRoundup(std::min(impact + exploitability, 10.0));
  }
  // Only the base metrics are kept in `vector`, so it compares equal across tools.
  std::string canon = std::string(v.substr(0, 8));
  for (const char* k : {"AV", "AC", "PR", "UI", "S", "C", "I", "A"}) canon += std::string("/") + k + ":" + get(k);
  return Cvss{canon, base};
}

std::optional<Cvss> findCvss3(std::string_view text) {
  for (std::size_t pos = 0; (pos = text.find("CVSS:3.", pos)) != std::string_view::npos; ++pos) {
    std::size_t e = pos;
    while (e < text.size() && (std::isalnum(static_cast<unsigned char>(text[e])) || text[e] == ':' || text[e] == '/' ||
                               text[e] == '.'))
      ++e;
    std::string_view cand = text.substr(pos, e - pos);
    // Keep only the eight base metrics for parsing.
    std::size_t slashes = 0, cut = cand.size();
    for (std::size_t k = 0; k < cand.size(); ++k) {
      if (cand[k] == '/' && ++slashes == 9) {
        cut = k;
        break;
      }
    }
    if (auto c = parseCvss3(cand.substr(0, cut))) return c;
  }
  return std::nullopt;
}

}  // namespace aspm::correlate
