// Mapping report URIs onto the workspace.
//
// Scanners run in CI containers, on laptops and on Windows agents, so the paths in their logs are
// rarely the paths of the developer's checkout: `file:///home/runner/work/app/app/src/x.js`,
// `C:\agent\_work\1\s\src\x.js`, `../../src/x.js`. When such a path is not under the workspace
// root, the resolver finds the workspace file sharing the longest trailing run of path segments
// with it, and remembers the two prefixes that differed ("/home/runner/work/app/app" is the
// workspace root) so every later URI of the same log, and of the next log, maps without a search.
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <unordered_map>
#include <unordered_set>

#include "ingest/ingest.h"
#include "support/uri.h"

namespace aspm::ingest {
namespace fs = std::filesystem;
namespace {

bool isDrivePath(std::string_view p) noexcept {
  return p.size() >= 2 && p[1] == ':' && ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z'));
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> segments(std::string_view p) {
  std::vector<std::string_view> out;
  std::size_t b = 0;
  while (b < p.size()) {
    auto e = p.find('/', b);
    if (e == std::string_view::npos) e = p.size();
    if (e > b) out.push_back(p.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

bool segEqual(std::string_view a, std::string_view b, bool foldCase) noexcept {
  if (a.size() != b.size()) return false;
  if (!foldCase) return a == b;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// Directories never listed for suffix matching: version-control metadata and vendored packages.
bool skippedDir(const std::string& name) {
  return name == ".git" || name == ".hg" || name == ".svn" || name == "node_modules";
}

constexpr std::size_t kMaxListedFiles = 500000;

// Installed software, never a checkout of the project: headers and libraries a finding's path or
// data flow may pass through.
bool systemPath(std::string_view p) noexcept {
  for (std::string_view prefix : {"/usr/", "/lib/", "/lib32/", "/lib64/", "/opt/", "/nix/", "/etc/", "/proc/",
                                  "/sys/", "/dev/", "/gnu/", "/snap/"})
    if (p.starts_with(prefix)) return true;
  return false;
}

}  // namespace

struct PathResolver::Impl {
  std::string root;       // normalised absolute root, no trailing '/'
  std::string realRoot;   // the root with symlinks resolved, when different
  bool explicitFiles = false;
  bool listed = false;
  std::vector<std::string> files;
  std::unordered_set<std::string> fileSet;
  std::unordered_map<std::string, std::vector<std::uint32_t>> byName;  // lower-case basename -> files
  std::unordered_map<std::string, bool> existsCache;
  struct Base {
    std::string foreign;  // prefix on the scanning machine, normalised, no trailing '/'
    std::string local;    // the workspace-relative directory it corresponds to ("" = the root)
    bool foldCase = false;
  };
  std::vector<Base> learned;
  std::mutex mutex;

  void index() {
    byName.clear();
    for (std::uint32_t i = 0; i < files.size(); ++i) {
      const std::string& f = files[i];
      const auto slash = f.rfind('/');
      byName[lower(slash == std::string::npos ? f : f.substr(slash + 1))].push_back(i);
    }
  }

  void list() {
    if (listed) return;
    listed = true;
    if (explicitFiles || root.empty()) return;
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end && files.size() < kMaxListedFiles; it.increment(ec)) {
      std::error_code ec2;
      if (it->is_directory(ec2)) {
        if (skippedDir(it->path().filename().string())) it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file(ec2)) continue;
      files.push_back(support::normalizePath(it->path().lexically_relative(root).generic_string()));
    }
    index();
  }

  bool exists(const std::string& rel) {
    if (explicitFiles) return fileSet.count(rel) > 0;
    auto it = existsCache.find(rel);
    if (it != existsCache.end()) return it->second;
    struct stat st {};
    const bool ok = ::stat((root + "/" + rel).c_str(), &st) == 0 && S_ISREG(st.st_mode);
    existsCache.emplace(rel, ok);
    return ok;
  }

  Resolved inside(std::string rel) {
    Resolved r;
    r.exists = exists(rel);
    r.path = std::move(rel);
    r.inside = true;
    return r;
  }

  // `p` is absolute (or a relative path escaping the root), normalised. `existsHere`: `p` names a
  // file on this machine, outside the workspace; it is placed in the workspace only on strong
  // evidence (a learned base, or the workspace file's whole path of two or more segments ending
  // `p`), else it stays outside.
  Resolved foreign(const std::string& p, bool foldCase, bool existsHere = false) {
    // 1. A base learned from an earlier URI.
    const Base* best = nullptr;
    std::string mapped;
    for (const auto& b : learned) {
      if (b.foldCase != foldCase) continue;
      const bool prefix = p.size() > b.foreign.size() && p[b.foreign.size()] == '/' &&
                          segEqual(std::string_view(p).substr(0, b.foreign.size()), b.foreign, foldCase);
      if (prefix && (!best || b.foreign.size() > best->foreign.size())) best = &b;
    }
    if (best) {
      std::string rest = p.substr(best->foreign.size() + 1);
      mapped = best->local.empty() ? rest : best->local + "/" + rest;
      if (exists(mapped)) return inside(mapped);
    }
    // 2. The longest common suffix with a workspace file.
    list();
    const auto segs = segments(p);
    if (!segs.empty()) {
      auto it = byName.find(lower(segs.back()));
      if (it != byName.end()) {
        std::size_t bestLen = 0, bestCount = 0;
        std::uint32_t bestFile = 0;
        bool bestWhole = false;
        for (std::uint32_t fi : it->second) {
          const auto fsegs = segments(files[fi]);
          std::size_t k = 0;
          while (k < fsegs.size() && k < segs.size() &&
                 segEqual(fsegs[fsegs.size() - 1 - k], segs[segs.size() - 1 - k], foldCase))
            ++k;
          if (k == 0) continue;
          // Ties go to the file whose whole path matched (the scan root was the workspace root).
          const bool whole = k == fsegs.size();
          if (k > bestLen || (k == bestLen && whole && !bestWhole)) {
            bestLen = k;
            bestCount = 1;
            bestFile = fi;
            bestWhole = whole;
          } else if (k == bestLen && whole == bestWhole) {
            ++bestCount;
          }
        }
        if (bestCount == 1 && (!existsHere || (bestWhole && bestLen >= 2))) {
          const std::string& f = files[bestFile];
          const auto fsegs = segments(f);
          Base b;
          b.foldCase = foldCase;
          // Foreign prefix: p without its last bestLen segments.
          std::size_t cut = p.size();
          for (std::size_t i = 0; i < bestLen; ++i) {
            if (cut == 0 || cut == std::string::npos) {
              cut = std::string::npos;
              break;
            }
            cut = p.rfind('/', cut - 1);
          }
          b.foreign = cut == std::string::npos ? std::string() : p.substr(0, cut);
          std::string local;
          for (std::size_t i = 0; i + bestLen < fsegs.size(); ++i) {
            if (!local.empty()) local += '/';
            local += fsegs[i];
          }
          b.local = std::move(local);
          if (!b.foreign.empty()) learned.push_back(std::move(b));
          return inside(f);
        }
      }
    }
    if (best && !existsHere) {
      // The learned base still places it: a file deleted since the scan.
      Resolved r;
      r.path = std::move(mapped);
      r.inside = true;
      r.exists = false;
      return r;
    }
    Resolved r;
    r.path = p;
    return r;
  }

  Resolved resolve(std::string_view uri) {
    if (uri.empty()) return {};
    std::string path;
    bool foldCase = false;
    if (support::hasScheme(uri)) {
      auto p = support::fileUriToPath(uri);
      if (!p) return Resolved{std::string(uri), false, false};  // https:, pkg:, ...
      path = std::move(*p);
    } else if (uri.find('\\') != std::string_view::npos) {
      path = std::string(uri);  // a raw Windows path, not a URI: no percent-decoding
    } else {
      path = support::percentDecode(uri);
    }
    if (path.find('\\') != std::string::npos || isDrivePath(path)) foldCase = true;
    std::string n = support::normalizePath(path);
    if (root.empty()) {
      Resolved r;
      r.inside = support::isInsideRoot(n);
      r.path = std::move(n);
      return r;
    }
    const bool absolute = (!n.empty() && n[0] == '/') || isDrivePath(n);
    if (!absolute) {
      if (support::isInsideRoot(n)) return inside(std::move(n));
      // "../../src/x.js": the scan ran below some other directory; drop the climb and match.
      std::string_view rest = n;
      while (rest.starts_with("../")) rest.remove_prefix(3);
      Resolved r = foreign("/" + std::string(rest), foldCase);
      if (!r.inside) r.path = n;
      return r;
    }
    if (auto rel = support::relativeTo(n, root)) return inside(std::move(*rel));
    if (!realRoot.empty())
      if (auto rel = support::relativeTo(n, realRoot)) return inside(std::move(*rel));
    // A path that exists on this machine outside the workspace: a system header or another
    // project stays outside; another checkout of this project (a CI clone, a second worktree)
    // is placed in the workspace when the match is unambiguous.
    if (!foldCase && n.starts_with("/")) {
      struct stat st {};
      if (::stat(n.c_str(), &st) == 0) {
        if (systemPath(n)) return Resolved{n, false, false};
        Resolved r = foreign(n, foldCase, true);
        if (!r.inside) r.path = n;
        return r;
      }
    }
    return foreign(n, foldCase);
  }
};

PathResolver::PathResolver(std::string root, std::vector<std::string> files) : impl_(std::make_unique<Impl>()) {
  if (!root.empty()) {
    std::error_code ec;
    fs::path abs = fs::absolute(fs::path(root), ec);
    impl_->root = support::normalizePath(ec ? root : abs.generic_string());
    while (impl_->root.size() > 1 && impl_->root.back() == '/') impl_->root.pop_back();
    const fs::path real = fs::canonical(abs, ec);
    if (!ec) {
      std::string r = support::normalizePath(real.generic_string());
      if (r != impl_->root) impl_->realRoot = std::move(r);
    }
  }
  if (!files.empty()) {
    impl_->explicitFiles = true;
    impl_->listed = true;
    for (auto& f : files) {
      std::string n = support::normalizePath(f);
      if (n.empty() || !support::isInsideRoot(n)) continue;
      impl_->fileSet.insert(n);
      impl_->files.push_back(std::move(n));
    }
    impl_->index();
  }
}

PathResolver::~PathResolver() = default;

PathResolver::Resolved PathResolver::resolve(std::string_view uri) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->resolve(uri);
}

const std::string& PathResolver::root() const noexcept { return impl_->root; }

}  // namespace aspm::ingest
