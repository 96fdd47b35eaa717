// File URI and path handling, including the glob dialect LSP uses for file watchers.
#include "support/uri.h"

#include <cctype>
#include <vector>

namespace aspm::support {
namespace {

int hexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool isWindowsDrive(std::string_view p) noexcept {
  return p.size() >= 2 && ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':';
}

// Expand the first {a,b} group; returns the list of patterns without that group.
std::vector<std::string> expandBraces(std::string_view pattern) {
  const auto open = pattern.find('{');
  if (open == std::string_view::npos) return {std::string(pattern)};
  int depth = 0;
  std::size_t close = std::string_view::npos;
  std::vector<std::size_t> commas;
  for (std::size_t i = open; i < pattern.size(); ++i) {
    if (pattern[i] == '{') ++depth;
    else if (pattern[i] == '}') {
      if (--depth == 0) { close = i; break; }
    } else if (pattern[i] == ',' && depth == 1) commas.push_back(i);
  }
  if (close == std::string_view::npos) return {std::string(pattern)};
  std::vector<std::string> out;
  std::size_t start = open + 1;
  commas.push_back(close);
  for (std::size_t c : commas) {
    std::string p(pattern.substr(0, open));
    p += pattern.substr(start, c - start);
    p += pattern.substr(close + 1);
    for (auto& e : expandBraces(p)) out.push_back(std::move(e));
    start = c + 1;
  }
  return out;
}

// Match one segment pattern (no '/') against one name.
bool matchSegment(std::string_view pat, std::string_view s) {
  std::size_t p = 0, i = 0, starP = std::string_view::npos, starI = 0;
  while (i < s.size()) {
    if (p < pat.size() && pat[p] == '[') {
      const auto close = pat.find(']', p + 1);
      if (close != std::string_view::npos) {
        bool neg = p + 1 < close && (pat[p + 1] == '!' || pat[p + 1] == '^');
        bool hit = false;
        for (std::size_t k = p + 1 + (neg ? 1 : 0); k < close; ++k) {
          if (k + 2 < close && pat[k + 1] == '-') {
            if (s[i] >= pat[k] && s[i] <= pat[k + 2]) hit = true;
            k += 2;
          } else if (pat[k] == s[i]) hit = true;
        }
        if (hit != neg) { p = close + 1; ++i; continue; }
      }
    } else if (p < pat.size() && (pat[p] == '?' || pat[p] == s[i])) {
      ++p; ++i; continue;
    } else if (p < pat.size() && pat[p] == '*') {
      starP = p++; starI = i; continue;
    }
    if (starP == std::string_view::npos) return false;
    p = starP + 1;
    i = ++starI;
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

std::vector<std::string_view> splitSegments(std::string_view p) {
  std::vector<std::string_view> out;
  std::size_t b = 0;
  while (b <= p.size()) {
    auto e = p.find('/', b);
    if (e == std::string_view::npos) e = p.size();
    out.push_back(p.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

bool matchSegments(const std::vector<std::string_view>& pat, std::size_t pi,
                   const std::vector<std::string_view>& path, std::size_t si) {
  while (pi < pat.size()) {
    if (pat[pi] == "**") {
      for (std::size_t k = si; k <= path.size(); ++k)
        if (matchSegments(pat, pi + 1, path, k)) return true;
      return false;
    }
    if (si >= path.size() || !matchSegment(pat[pi], path[si])) return false;
    ++pi;
    ++si;
  }
  return si == path.size();
}

}  // namespace

std::string percentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hexValue(s[i + 1]);
      const int lo = hexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::string percentEncodePath(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

bool hasScheme(std::string_view uri) noexcept {
  // RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" ; a Windows drive letter is
  // one character and is not taken as a scheme.
  std::size_t i = 0;
  while (i < uri.size()) {
    const char c = uri[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c == ':') return i >= 2;
    if (!(alpha || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))) return false;
    ++i;
  }
  return false;
}

std::optional<std::string> fileUriToPath(std::string_view uri) {
  constexpr std::string_view kFile = "file:";
  if (uri.size() < kFile.size()) return std::nullopt;
  for (std::size_t i = 0; i < kFile.size(); ++i)
    if (static_cast<char>(std::tolower(static_cast<unsigned char>(uri[i]))) != kFile[i]) return std::nullopt;
  std::string_view rest = uri.substr(kFile.size());
  if (rest.starts_with("//")) {
    rest.remove_prefix(2);
    const auto slash = rest.find('/');
    // Authority ("localhost" or empty) is dropped; other hosts are kept as a UNC-like prefix.
    std::string_view host = rest.substr(0, slash == std::string_view::npos ? rest.size() : slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    if (!host.empty() && host != "localhost") {
      return "//" + percentDecode(host) + percentDecode(rest);
    }
  }
  std::string path = percentDecode(rest);
  // "/C:/x" -> "C:/x"
  if (path.size() >= 3 && path[0] == '/' && isWindowsDrive(std::string_view(path).substr(1))) path.erase(0, 1);
  for (auto& c : path)
    if (c == '\\') c = '/';
  return path;
}

std::string pathToFileUri(std::string_view absolutePath) {
  std::string p(absolutePath);
  for (auto& c : p)
    if (c == '\\') c = '/';
  // Not p.insert(0, "/"): GCC 12 at -O3 reports a false -Wrestrict on it (GCC bug 105329).
  if (isWindowsDrive(p)) p = std::string("/").append(p);
  return "file://" + percentEncodePath(p);
}

std::string normalizePath(std::string_view path) {
  std::string p(path);
  for (auto& c : p)
    if (c == '\\') c = '/';
  const bool absolute = !p.empty() && p[0] == '/';
  std::string drive;
  std::string_view view = p;
  if (isWindowsDrive(view)) {
    drive = std::string(view.substr(0, 2));
    view.remove_prefix(2);
  }
  std::vector<std::string_view> out;
  for (auto seg : splitSegments(view)) {
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!out.empty() && out.back() != "..") out.pop_back();
      else if (!absolute && drive.empty()) out.push_back(seg);
      continue;
    }
    out.push_back(seg);
  }
  std::string r = drive;
  if (absolute || (!drive.empty() && !view.empty() && view[0] == '/')) r += '/';
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i) r += '/';
    r += out[i];
  }
  return r;
}

bool isInsideRoot(std::string_view rel) noexcept {
  if (rel.empty()) return true;
  if (rel[0] == '/' || isWindowsDrive(rel)) return false;
  return !(rel == ".." || rel.starts_with("../"));
}

std::optional<std::string> relativeTo(std::string_view path, std::string_view root) {
  std::string r(root);
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  if (path == r) return std::string();
  if (r == "/") return std::string(path.substr(1));
  if (path.size() > r.size() && path.starts_with(r) && path[r.size()] == '/')
    return std::string(path.substr(r.size() + 1));
  return std::nullopt;
}

bool globMatch(std::string_view pattern, std::string_view path) {
  for (const auto& p : expandBraces(pattern)) {
    if (matchSegments(splitSegments(p), 0, splitSegments(path), 0)) return true;
  }
  return false;
}

}  // namespace aspm::support
