// Discovery driver: walk the working tree once, hand each file to the reader that understands
// it, then assemble assets. Packages come from manifests; code adds languages, HTTP routes and
// sensitive-data hints; deployment facts (deploy.cpp) are attached to the package whose
// directory or image they name, and pipelines' scans to the assets they cover.
#include "inventory/inventory.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <system_error>

#include "inventory/collect.h"
#include "support/text.h"
#include "support/file.h"
#include "support/uri.h"
#include "syntax/language.h"

namespace aspm::inventory {
namespace fs = std::filesystem;

std::string_view idOf(AssetKind k) noexcept {
  switch (k) {
    case AssetKind::Service: return "service";
    case AssetKind::Library: return "library";
    case AssetKind::Pipeline: return "pipeline";
    case AssetKind::Infrastructure: return "infrastructure";
    case AssetKind::Api: return "api";
  }
  return "library";
}

std::string_view idOf(Exposure e) noexcept {
  switch (e) {
    case Exposure::Unknown: return "unknown";
    case Exposure::None: return "none";
    case Exposure::Internal: return "internal";
    case Exposure::Internet: return "internet";
  }
  return "unknown";
}

std::string Evidence::where() const { return line ? file + ":" + std::to_string(line) : file; }

namespace detail {

std::optional<std::string> Repo::read(const RepoFile& file) const {
  if (file.size > maxFileBytes) {
    problem(file.rel, 0, "larger than " + std::to_string(maxFileBytes) + " bytes; not read");
    return std::nullopt;
  }
  std::string error;
  auto text = support::readFile(root + "/" + file.rel, &error);
  if (!text) problem(file.rel, 0, "cannot read: " + error);
  return text;
}

void Repo::problem(const std::string& file, std::uint32_t line, std::string message) const {
  // Discovery only adds context: a bad file weakens it but never makes the run unusable.
  problems->push_back({file, line ? "line " + std::to_string(line) : "", std::move(message),
                       support::ProblemSeverity::Warning});
}

std::string dirOf(std::string_view rel) {
  const auto slash = rel.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(rel.substr(0, slash));
}

std::string baseName(std::string_view rel) {
  const auto slash = rel.rfind('/');
  return std::string(slash == std::string_view::npos ? rel : rel.substr(slash + 1));
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string joinPath(std::string_view dir, std::string_view rel) {
  std::string n = support::normalizePath(dir.empty() ? std::string(rel) : std::string(dir) + "/" + std::string(rel));
  if (n == ".") n.clear();
  while (n.starts_with("./")) n.erase(0, 2);
  return n;
}

std::string imageShortName(std::string_view image) {
  if (auto at = image.find('@'); at != std::string_view::npos) image = image.substr(0, at);
  const auto slash = image.rfind('/');
  std::string_view last = slash == std::string_view::npos ? image : image.substr(slash + 1);
  if (auto colon = last.find(':'); colon != std::string_view::npos) last = last.substr(0, colon);
  return std::string(last);
}

std::vector<std::string_view> splitLines(std::string_view text) { return support::splitLines(text); }

}  // namespace detail

namespace {
using namespace detail;

bool skippedDir(const std::string& name) {
  static const std::set<std::string> kSkipped{".git", ".hg", ".svn", "node_modules", "vendor", "build", "dist",
                                              "target", "out", "bin", "obj", ".venv", "venv", "__pycache__",
                                              ".terraform", ".gradle", ".idea", ".aspm", ".tox", ".mypy_cache"};
  return kSkipped.count(name) || name.starts_with("build-") || name.starts_with("cmake-build-");
}

enum class ManifestType { PackageJson, Python, GoMod, Maven, Gradle, Cargo, CSharp, Gemfile, Composer };

std::optional<ManifestType> manifestType(const std::string& base) {
  const std::string b = lower(base);
  if (b == "package.json") return ManifestType::PackageJson;
  if (b == "pyproject.toml" || b == "setup.py" || b == "pipfile" ||
      (b.starts_with("requirements") && b.ends_with(".txt")))
    return ManifestType::Python;
  if (b == "go.mod") return ManifestType::GoMod;
  if (b == "pom.xml") return ManifestType::Maven;
  if (b == "build.gradle" || b == "build.gradle.kts") return ManifestType::Gradle;
  if (b == "cargo.toml") return ManifestType::Cargo;
  if (b.ends_with(".csproj")) return ManifestType::CSharp;
  if (b == "gemfile") return ManifestType::Gemfile;
  if (b == "composer.json") return ManifestType::Composer;
  return std::nullopt;
}

// Dependencies that make a package a network server, per manifest type (lower-case needles).
struct ServerDep {
  ManifestType type;
  const char* needle;
  const char* framework;
};
constexpr std::array kServerDeps{
    ServerDep{ManifestType::PackageJson, "\"express\"", "Express"},
    ServerDep{ManifestType::PackageJson, "\"koa\"", "Koa"},
    ServerDep{ManifestType::PackageJson, "\"fastify\"", "Fastify"},
    ServerDep{ManifestType::PackageJson, "\"@nestjs/core\"", "NestJS"},
    ServerDep{ManifestType::PackageJson, "\"@hapi/hapi\"", "hapi"},
    ServerDep{ManifestType::PackageJson, "\"next\"", "Next.js"},
    ServerDep{ManifestType::Python, "flask", "Flask"},
    ServerDep{ManifestType::Python, "fastapi", "FastAPI"},
    ServerDep{ManifestType::Python, "django", "Django"},
    ServerDep{ManifestType::Python, "aiohttp", "aiohttp"},
    ServerDep{ManifestType::Python, "uvicorn", "uvicorn"},
    ServerDep{ManifestType::Python, "gunicorn", "gunicorn"},
    ServerDep{ManifestType::GoMod, "github.com/gin-gonic/gin", "Gin"},
    ServerDep{ManifestType::GoMod, "github.com/labstack/echo", "Echo"},
    ServerDep{ManifestType::GoMod, "github.com/go-chi/chi", "chi"},
    ServerDep{ManifestType::GoMod, "github.com/gorilla/mux", "gorilla/mux"},
    ServerDep{ManifestType::GoMod, "github.com/gofiber/fiber", "Fiber"},
    ServerDep{ManifestType::Maven, "spring-boot-starter-web", "Spring Boot"},
    ServerDep{ManifestType::Maven, "quarkus-resteasy", "Quarkus"},
    ServerDep{ManifestType::Gradle, "spring-boot-starter-web", "Spring Boot"},
    ServerDep{ManifestType::Gradle, "ktor-server", "Ktor"},
    ServerDep{ManifestType::Cargo, "actix-web", "actix-web"},
    ServerDep{ManifestType::Cargo, "axum", "axum"},
    ServerDep{ManifestType::Cargo, "rocket", "Rocket"},
    ServerDep{ManifestType::Cargo, "warp", "warp"},
    ServerDep{ManifestType::CSharp, "microsoft.net.sdk.web", "ASP.NET Core"},
    ServerDep{ManifestType::Gemfile, "'rails'", "Rails"},
    ServerDep{ManifestType::Gemfile, "\"rails\"", "Rails"},
    ServerDep{ManifestType::Gemfile, "sinatra", "Sinatra"},
    ServerDep{ManifestType::Composer, "laravel/framework", "Laravel"},
    ServerDep{ManifestType::Composer, "symfony/framework-bundle", "Symfony"},
    ServerDep{ManifestType::Composer, "slim/slim", "Slim"},
};

struct Package {
  std::string dir;
  std::string name;
  std::vector<std::string> manifests;
  std::set<std::string> languages;
  std::vector<Evidence> serverHints;  // why it is a service
  std::vector<Evidence> evidence;     // manifests, routes, sensitive-data hints
  std::vector<Evidence> routes;
  std::vector<Evidence> sensitive;
};

// The first capture of `re` on any line. Line by line and with a length bound, because
// libstdc++'s regex recurses per character and a hostile file must not exhaust the stack.
std::string firstLineMatch(std::string_view text, const std::regex& re) {
  for (std::string_view line : splitLines(text)) {
    if (line.size() > 1000) continue;
    std::match_results<std::string_view::const_iterator> m;
    if (std::regex_search(line.begin(), line.end(), m, re) && m.size() > 1) return m[1].str();
  }
  return "";
}

void readManifest(const Repo& repo, const RepoFile& file, ManifestType type, Package& pkg) {
  pkg.manifests.push_back(file.rel);
  auto text = repo.read(file);
  if (!text) return;
  pkg.evidence.push_back({file.rel, 0, "manifest " + baseName(file.rel)});
  std::string name;
  switch (type) {
    case ManifestType::PackageJson:
    case ManifestType::Composer:
      // JSON is YAML; yaml-cpp gives the line of a syntax error.
      try {
        const YAML::Node doc = YAML::Load(*text);
        if (doc.IsMap() && doc["name"] && doc["name"].IsScalar()) name = doc["name"].Scalar();
      } catch (const YAML::Exception& e) {
        repo.problem(file.rel, e.mark.line < 0 ? 0 : static_cast<std::uint32_t>(e.mark.line + 1), "invalid JSON: " + e.msg);
      }
      if (type == ManifestType::Composer) {
        if (auto slash = name.rfind('/'); slash != std::string::npos) name = name.substr(slash + 1);
      }
      break;
    case ManifestType::Python: {
      static const std::regex re(R"re(^\s*name\s*=\s*["']([^"']+)["'])re");
      name = firstLineMatch(*text, re);
      break;
    }
    case ManifestType::GoMod: {
      static const std::regex re(R"re(^module\s+(\S+))re");
      name = baseName(firstLineMatch(*text, re));
      break;
    }
    case ManifestType::Maven: {
      // The project's own artifactId follows the <parent> block when there is one.
      std::string_view t = *text;
      if (auto end = t.find("</parent>"); end != std::string_view::npos) t = t.substr(end);
      static const std::regex re(R"re(<artifactId>\s*([^<\s]+)\s*</artifactId>)re");
      name = firstLineMatch(t, re);
      break;
    }
    case ManifestType::Cargo: {
      // Line by line: a regex spanning the section would recurse once per character.
      static const std::regex re(R"re(^\s*name\s*=\s*"([^"]+)")re");
      bool inPackage = false;
      for (std::string_view line : splitLines(*text)) {
        if (line.starts_with("[")) inPackage = line.starts_with("[package]");
        std::match_results<std::string_view::const_iterator> m;
        if (inPackage && line.size() < 500 && std::regex_search(line.begin(), line.end(), m, re)) {
          name = m[1].str();
          break;
        }
      }
      break;
    }
    case ManifestType::CSharp: {
      std::string b = baseName(file.rel);
      name = b.substr(0, b.size() - 7);
      break;
    }
    case ManifestType::Gradle:
    case ManifestType::Gemfile: break;
  }
  if (pkg.name.empty() && !name.empty()) pkg.name = name;
  const auto lines = splitLines(*text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string l = lower(lines[i]);
    for (const auto& dep : kServerDeps) {
      if (dep.type != type || l.find(dep.needle) == std::string::npos) continue;
      pkg.serverHints.push_back({file.rel, static_cast<std::uint32_t>(i + 1),
                                 "depends on " + std::string(dep.framework) + ", a web server framework"});
      break;
    }
  }
}

// ---- Code: routes, server entry points, sensitive-data names ---------------------------------

struct RoutePattern {
  syntax::Language language;
  const char* prefilter;  // a line without it cannot match
  std::regex re;          // group 1: method (may be empty), group 2: path
  const char* framework;
};

const std::vector<RoutePattern>& routePatterns() {
  using L = syntax::Language;
  static const std::vector<RoutePattern> patterns = [] {
    std::vector<RoutePattern> p;
    const char* js = R"re(\b(?:app|router|api|server|fastify|routes)\.(get|post|put|patch|delete|all|head|options)\s*\(\s*['"`](/[^'"`]*)['"`])re";
    for (L l : {L::JavaScript, L::TypeScript, L::Tsx}) p.push_back({l, "(", std::regex(js), "Express/Koa/Fastify"});
    p.push_back({L::Python, "@", std::regex(R"re(@\s*[\w.]+\.(route|get|post|put|patch|delete|api_route)\s*\(\s*['"]([^'"]*)['"])re"), "Flask/FastAPI"});
    p.push_back({L::Python, "path(", std::regex(R"re(^\s*()(?:re_)?path\s*\(\s*r?['"]([^'"]*)['"])re"), "Django"});
    p.push_back({L::Java, "Mapping", std::regex(R"re(@(Get|Post|Put|Patch|Delete|Request)Mapping\s*\(\s*(?:(?:value|path)\s*=\s*)?\{?\s*"([^"]*)")re"), "Spring"});
    p.push_back({L::Go, "(\"", std::regex(R"re(\.(HandleFunc|Handle|GET|POST|PUT|PATCH|DELETE|Get|Post|Put|Patch|Delete)\s*\(\s*"((?:[A-Z]+ )?/[^"]*)")re"), "Go net/http"});
    p.push_back({L::CSharp, "(\"", std::regex(R"re(\[(?:Http)?(Get|Post|Put|Patch|Delete|Route)\s*\(\s*"([^"]*)")re"), "ASP.NET"});
    p.push_back({L::CSharp, "Map", std::regex(R"re(\.Map(Get|Post|Put|Patch|Delete)\s*\(\s*"([^"]*)")re"), "ASP.NET minimal API"});
    p.push_back({L::Ruby, " ", std::regex(R"re(^\s*(get|post|put|patch|delete|resources|resource)\s+['":]([\w/{}:.-]+))re"), "Rails"});
    p.push_back({L::Php, "Route::", std::regex(R"re(Route::(get|post|put|patch|delete|any)\s*\(\s*['"]([^'"]+)['"])re"), "Laravel"});
    return p;
  }();
  return patterns;
}

struct EntryPoint {
  syntax::Language language;
  const char* needle;
  const char* why;
};
constexpr std::array kEntryPoints{
    EntryPoint{syntax::Language::JavaScript, ".listen(", "starts an HTTP server (listen)"},
    EntryPoint{syntax::Language::TypeScript, ".listen(", "starts an HTTP server (listen)"},
    EntryPoint{syntax::Language::Go, "ListenAndServe", "starts an HTTP server (ListenAndServe)"},
    EntryPoint{syntax::Language::Python, "uvicorn.run(", "starts an ASGI server (uvicorn.run)"},
    EntryPoint{syntax::Language::Python, "app.run(", "starts a web server (app.run)"},
    EntryPoint{syntax::Language::Java, "SpringApplication.run(", "starts a Spring Boot application"},
    EntryPoint{syntax::Language::CSharp, "WebApplication.CreateBuilder", "starts an ASP.NET Core application"},
    EntryPoint{syntax::Language::Rust, "HttpServer::new", "starts an actix-web server"},
};

std::string normMethod(std::string m) {
  m = lower(m);
  if (m == "handlefunc" || m == "handle" || m == "route" || m == "request" || m == "all" || m == "any" ||
      m == "api_route" || m.empty())
    return "ANY";
  if (m == "resources" || m == "resource") return "RESOURCES";
  for (char& c : m) c = static_cast<char>(c - 'a' + 'A');
  return m;
}

// Names in models and schemas that suggest sensitive data; a hint raises criticality, it does not
// prove the data is there.
const std::regex& sensitiveRe() {
  static const std::regex re(
      R"re(\b(password|passwd|ssn|social_?security(?:_?number)?|card_?number|credit_?card|cvv|iban|date_?of_?birth|passport(?:_?number)?|tax_?id|bank_?account(?:_?number)?)\b)re",
      std::regex::icase);
  return re;
}

std::string sensitiveWhat(const std::string& word) {
  const std::string w = lower(word);
  if (w.find("card") != std::string::npos || w == "cvv") return "payment card data";
  if (w == "iban" || w.find("bank") != std::string::npos) return "bank account data";
  if (w.find("pass") == 0 && w.find("port") == std::string::npos) return "credentials";
  return "personal data";
}

bool looksLikeModel(const std::string& rel) {
  const std::string l = lower(rel);
  for (const char* part : {"model", "schema", "entity", "entities", "dto", "migration"})
    if (l.find(part) != std::string::npos) return true;
  return l.ends_with(".sql") || l.ends_with(".prisma") || l.ends_with(".graphql");
}

void scanSensitive(const std::string& rel, std::string_view line, std::uint32_t ln, Package& pkg) {
  if (pkg.sensitive.size() >= 8) return;
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_search(line.begin(), line.end(), m, sensitiveRe())) return;
  const std::string word = m[1].str();
  pkg.sensitive.push_back({rel, ln, "field '" + word + "' suggests " + sensitiveWhat(word) + " (a hint, not a certainty)"});
}

void scanCode(const RepoFile& file, syntax::Language language, const std::string& text, Package& pkg) {
  const bool model = looksLikeModel(file.rel);
  const bool djangoUrls = baseName(file.rel) == "urls.py";
  const bool railsRoutes = language == syntax::Language::Ruby && baseName(file.rel) == "routes.rb";
  const auto lines = splitLines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const auto ln = static_cast<std::uint32_t>(i + 1);
    if (line.size() > 2000) continue;  // minified or generated
    for (const auto& rp : routePatterns()) {
      if (rp.language != language || line.find(rp.prefilter) == std::string_view::npos) continue;
      if (std::string_view(rp.framework) == "Django" && !djangoUrls) continue;
      if (std::string_view(rp.framework) == "Rails" && !railsRoutes) continue;
      std::match_results<std::string_view::const_iterator> m;
      if (!std::regex_search(line.begin(), line.end(), m, rp.re)) continue;
      std::string path = m[2].str();
      std::string method = normMethod(m[1].str());
      if (auto sp = path.find(' '); sp != std::string::npos && method == "ANY") {  // Go 1.22 "GET /x"
        method = path.substr(0, sp);
        path = path.substr(sp + 1);
      }
      pkg.routes.push_back({file.rel, ln, "route " + method + " " + path + " (" + rp.framework + ")"});
      break;
    }
    for (const auto& ep : kEntryPoints) {
      if (ep.language == language && line.find(ep.needle) != std::string_view::npos) {
        pkg.serverHints.push_back({file.rel, ln, ep.why});
        break;
      }
    }
    if (model) scanSensitive(file.rel, line, ln, pkg);
  }
}

// ---- OpenAPI ----------------------------------------------------------------------------------

bool looksLikeOpenApi(const std::string& text) {
  const std::string head = text.substr(0, 512);
  static const std::regex re(R"re((?:^|\n)\s*"?(openapi|swagger)"?\s*:)re");
  return std::regex_search(head, re);
}

Asset readOpenApi(const Repo& repo, const RepoFile& file, const std::string& text, Package* owner) {
  Asset api;
  api.kind = AssetKind::Api;
  api.path = file.rel;
  api.manifests = {file.rel};
  api.name = baseName(file.rel);
  try {
    const YAML::Node doc = YAML::Load(text);
    const YAML::Node info = doc.IsMap() ? doc["info"] : YAML::Node();
    if (info && info.IsMap() && info["title"] && info["title"].IsScalar()) api.name = info["title"].Scalar();
    const YAML::Node paths = doc.IsMap() ? doc["paths"] : YAML::Node();
    if (paths && paths.IsMap())
      for (const auto& kv : paths) {
        std::vector<std::string> methods;
        if (kv.second.IsMap())
          for (const auto& op : kv.second) {
            const std::string m = lower(op.first.IsScalar() ? op.first.Scalar() : "");
            if (m == "get" || m == "post" || m == "put" || m == "patch" || m == "delete") methods.push_back(normMethod(m));
          }
        std::string joined;
        for (const auto& m : methods) joined += (joined.empty() ? "" : ",") + m;
        api.evidence.push_back({file.rel, static_cast<std::uint32_t>(kv.first.Mark().line + 1),
                                "operation " + (joined.empty() ? std::string("ANY") : joined) + " " +
                                    (kv.first.IsScalar() ? kv.first.Scalar() : std::string())});
      }
    const YAML::Node servers = doc.IsMap() ? doc["servers"] : YAML::Node();
    if (servers && servers.IsSequence())
      for (const auto& s : servers) {
        const YAML::Node url = s.IsMap() ? s["url"] : YAML::Node();
        if (!url || !url.IsScalar()) continue;
        const std::string u = lower(url.Scalar());
        const bool local = u.find("localhost") != std::string::npos || u.find("127.0.0.1") != std::string::npos ||
                           u.find(".internal") != std::string::npos || u.find(".local") != std::string::npos ||
                           u.find(".svc") != std::string::npos || !u.starts_with("https://");
        Evidence e{file.rel, static_cast<std::uint32_t>(url.Mark().line + 1),
                   "server URL " + url.Scalar() + (local ? " is not public" : " is a public endpoint")};
        api.evidence.push_back(e);
        if (!local && api.exposure != Exposure::Internet) {
          api.exposure = Exposure::Internet;
          api.exposureEvidence = e;
        }
      }
  } catch (const YAML::Exception& e) {
    repo.problem(file.rel, e.mark.line < 0 ? 0 : static_cast<std::uint32_t>(e.mark.line + 1),
                 "invalid OpenAPI document: " + e.msg);
  }
  Package scratch;
  const auto lines = splitLines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) scanSensitive(file.rel, lines[i], static_cast<std::uint32_t>(i + 1), scratch);
  if (!scratch.sensitive.empty()) {
    api.criticality = "high";
    api.criticalityEvidence = scratch.sensitive.front();
    api.evidence.insert(api.evidence.end(), scratch.sensitive.begin(), scratch.sensitive.end());
    if (owner) owner->sensitive.insert(owner->sensitive.end(), scratch.sensitive.begin(), scratch.sensitive.end());
  }
  return api;
}

// ---- Assembly ---------------------------------------------------------------------------------

bool within(std::string_view path, std::string_view dir) {
  return dir.empty() || path == dir || (path.starts_with(dir) && path.size() > dir.size() && path[dir.size()] == '/');
}

// The package whose directory is the longest prefix of `rel`.
template <typename Map>
auto ownerOf(Map& packages, std::string_view rel) -> decltype(&packages.begin()->second) {
  decltype(&packages.begin()->second) best = nullptr;
  std::size_t bestLen = 0;
  for (auto& [dir, pkg] : packages) {
    if (!within(rel, dir)) continue;
    if (!best || dir.size() >= bestLen) {
      best = &pkg;
      bestLen = dir.size();
    }
  }
  return best;
}

void raise(Asset& a, Exposure e, const Evidence& why) {
  if (e == Exposure::Unknown) return;
  if (!a.exposureEvidence || e > a.exposure) {
    a.exposure = e;
    a.exposureEvidence = why;
  }
}

}  // namespace

support::WithProblems<Inventory> discover(const std::string& repoRoot, const DiscoverOptions& options) {
  support::WithProblems<Inventory> result;
  Repo repo;
  std::error_code ec;
  const fs::path root = fs::absolute(repoRoot.empty() ? "." : repoRoot, ec);
  repo.root = support::normalizePath(root.generic_string());
  repo.rootName = root.filename().string();
  if (repo.rootName.empty() || repo.rootName == ".") repo.rootName = root.parent_path().filename().string();
  repo.maxFileBytes = options.maxFileBytes;
  repo.problems = &result.problems;
  if (!fs::is_directory(root, ec)) {
    result.problems.push_back({repoRoot, "", "not a directory", support::ProblemSeverity::Fatal});
    return result;
  }

  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::error_code ec2;
    const auto& entry = *it;
    const std::string rel = support::normalizePath(entry.path().lexically_relative(root).generic_string());
    if (entry.is_directory(ec2)) {
      if (skippedDir(entry.path().filename().string())) it.disable_recursion_pending();
      else repo.dirs.insert(rel);
      continue;
    }
    if (entry.is_symlink(ec2) || !entry.is_regular_file(ec2)) continue;
    if (repo.files.size() >= options.maxFiles) {
      repo.problem(rel, 0, "file limit of " + std::to_string(options.maxFiles) + " reached; the rest is not inventoried");
      break;
    }
    const auto size = entry.file_size(ec2);
    repo.files.push_back({rel, ec2 ? 0 : size});
  }
  std::sort(repo.files.begin(), repo.files.end(), [](const RepoFile& a, const RepoFile& b) { return a.rel < b.rel; });

  // Packages first: every other reader attributes to them.
  std::map<std::string, Package> packages;
  for (const auto& f : repo.files) {
    auto type = manifestType(baseName(f.rel));
    if (!type) continue;
    Package& pkg = packages[dirOf(f.rel)];
    pkg.dir = dirOf(f.rel);
    readManifest(repo, f, *type, pkg);
  }

  Collected col;
  std::map<std::string, std::vector<const RepoFile*>> terraform;
  std::map<std::string, const RepoFile*, std::less<>> byRel;
  for (const auto& f : repo.files) byRel.emplace(f.rel, &f);
  for (const auto& f : repo.files) {
    const std::string b = lower(baseName(f.rel));
    if (isPipelineFile(f.rel)) {
      if (auto text = repo.read(f)) collectPipeline(repo, f, *text, col);
      continue;
    }
    if (isDockerfile(f.rel)) {
      if (auto text = repo.read(f)) collectDockerfile(repo, f, *text, col);
      continue;
    }
    if (b.ends_with(".tf")) {
      terraform[dirOf(f.rel)].push_back(&f);
      continue;
    }
    if (manifestType(b)) continue;
    const bool yaml = b.ends_with(".yml") || b.ends_with(".yaml");
    if (isComposeFile(f.rel)) {
      if (auto text = repo.read(f)) collectCompose(repo, f, *text, col);
      continue;
    }
    if (yaml || b.ends_with(".json")) {
      if (f.size > repo.maxFileBytes) continue;
      auto text = repo.read(f);
      if (!text) continue;
      // A chart's values.yaml: plain YAML that says what the chart's templates will deploy.
      if (b == "values.yaml" || b == "values.yml") {
        if (auto chart = byRel.find(joinPath(dirOf(f.rel), "Chart.yaml")); chart != byRel.end()) {
          if (auto chartText = repo.read(*chart->second)) collectHelmValues(repo, f, *text, *chartText, col);
          continue;
        }
      }
      if (looksLikeOpenApi(*text)) {
        Package* owner = ownerOf(packages, f.rel);
        col.assets.push_back(readOpenApi(repo, f, *text, owner));
        if (owner) owner->serverHints.push_back({f.rel, 0, "publishes the OpenAPI document " + f.rel});
        continue;
      }
      // Helm templates are not YAML until rendered.
      if (yaml && text->find("{{") == std::string::npos && text->find("apiVersion") != std::string::npos &&
          text->find("kind") != std::string::npos)
        collectKubernetes(repo, f, *text, col);
      continue;
    }
    auto lang = syntax::languageForPath(f.rel);
    if (!lang || *lang == syntax::Language::Json || *lang == syntax::Language::Yaml || *lang == syntax::Language::Hcl ||
        *lang == syntax::Language::Bash)
      continue;
    Package* owner = ownerOf(packages, f.rel);
    if (!owner) continue;
    owner->languages.insert(std::string(syntax::idOf(*lang)));
    // Oversized code is generated or bundled: skipped without a warning, or every vendored bundle
    // would add noise to each `aspm findings` run.
    if (f.size > repo.maxFileBytes) continue;
    if (auto text = repo.read(f)) scanCode(f, *lang, *text, *owner);
  }
  for (const auto& [dir, files] : terraform) collectTerraform(repo, files, col);
  linkKubernetes(col);

  // A Dockerfile or compose build context without a manifest is still a deployable unit.
  for (const auto& dir : col.dockerDirs) {
    Package& pkg = packages[dir];
    pkg.dir = dir;
  }
  for (const auto& fact : col.facts)
    if (fact.hasDir && (fact.dir.empty() || repo.dirs.count(fact.dir))) packages[fact.dir].dir = fact.dir;

  // Assemble package assets.
  std::map<std::string, Asset> byDir;
  for (auto& [dir, pkg] : packages) {
    Asset a;
    a.path = dir;
    a.name = !pkg.name.empty() ? pkg.name : dir.empty() ? repo.rootName : baseName(dir);
    a.languages.assign(pkg.languages.begin(), pkg.languages.end());
    a.manifests = pkg.manifests;
    std::sort(a.manifests.begin(), a.manifests.end());
    a.evidence = pkg.evidence;
    a.evidence.insert(a.evidence.end(), pkg.serverHints.begin(), pkg.serverHints.end());
    a.evidence.insert(a.evidence.end(), pkg.routes.begin(), pkg.routes.end());
    a.kind = pkg.serverHints.empty() && pkg.routes.empty() && !col.dockerDirs.count(dir) ? AssetKind::Library
                                                                                          : AssetKind::Service;
    if (!pkg.sensitive.empty()) {
      a.criticality = "high";
      a.criticalityEvidence = pkg.sensitive.front();
      a.evidence.insert(a.evidence.end(), pkg.sensitive.begin(), pkg.sensitive.end());
    }
    byDir.emplace(dir, std::move(a));
  }

  // Deployment facts: by directory, else by image name (compose mapping, directory or package name).
  auto targetOf = [&](const Fact& f) -> Asset* {
    if (f.hasDir) {
      auto found = byDir.find(f.dir);
      return found == byDir.end() ? nullptr : &found->second;
    }
    const std::string shortName = imageShortName(f.image);
    if (auto m = col.imageDirs.find(shortName); m != col.imageDirs.end())
      if (auto found = byDir.find(m->second); found != byDir.end()) return &found->second;
    for (const std::string& key : {shortName, f.unitName}) {
      if (key.empty()) continue;
      for (auto& [dir, a] : byDir)
        if (a.kind == AssetKind::Service && (baseName(dir) == key || a.name == key)) return &a;
    }
    return nullptr;
  };
  // A Helm chart runs the service its image (or name) matches; a chart that matches none, such as
  // one deploying a third-party image, is a service of its own.
  for (auto& chart : col.charts) {
    for (auto& fact : chart.facts) {
      if (!targetOf(fact)) {
        auto [slot, fresh] = byDir.try_emplace(chart.dir);
        if (fresh) {
          Asset& a = slot->second;
          a.kind = AssetKind::Service;
          a.name = chart.name;
          a.path = chart.dir;
          a.languages = {"yaml"};
          a.manifests = chart.manifests;
          a.evidence.push_back({chart.manifests.front(), 0, "Helm chart " + chart.name});
        }
        fact.hasDir = true;
        fact.dir = chart.dir;
      }
      col.facts.push_back(std::move(fact));
    }
  }
  for (const auto& fact : col.facts) {
    Asset* a = targetOf(fact);
    if (!a) continue;
    a->kind = AssetKind::Service;
    if (!fact.image.empty() && std::find(a->images.begin(), a->images.end(), fact.image) == a->images.end())
      a->images.push_back(fact.image);
    if (std::none_of(a->evidence.begin(), a->evidence.end(), [&](const Evidence& e) {
          return e.file == fact.evidence.file && e.line == fact.evidence.line && e.why == fact.evidence.why;
        }))
      a->evidence.push_back(fact.evidence);
    raise(*a, fact.exposure, fact.evidence);
  }

  // APIs declared in code: one per service, as exposed as the service.
  for (auto& [dir, pkg] : packages) {
    if (pkg.routes.empty()) continue;
    const Asset& svc = byDir.at(dir);
    Asset api;
    api.kind = AssetKind::Api;
    api.name = svc.name + " HTTP API";
    api.path = dir;
    api.languages = svc.languages;
    api.manifests = svc.manifests;
    api.exposure = svc.exposure;
    api.exposureEvidence = svc.exposureEvidence;
    api.criticality = svc.criticality;
    api.criticalityEvidence = svc.criticalityEvidence;
    api.evidence = pkg.routes;
    result.value.assets.push_back(std::move(api));
  }
  for (auto& [dir, a] : byDir) result.value.assets.push_back(std::move(a));
  for (auto& a : col.assets) {
    // An OpenAPI document inherits its service's exposure when it states none itself.
    if (a.kind == AssetKind::Api && a.exposure == Exposure::Unknown) {
      if (const Asset* owner = assetFor(result.value, a.path); owner && owner->exposureEvidence) {
        a.exposure = owner->exposure;
        a.exposureEvidence = owner->exposureEvidence;
      }
    }
    result.value.assets.push_back(std::move(a));
  }

  // Scan coverage: a pipeline's scan covers every asset inside its scope.
  for (auto& a : result.value.assets) {
    if (a.kind == AssetKind::Pipeline) continue;
    std::set<std::string> kinds(a.scans.begin(), a.scans.end());
    for (const auto& s : col.scans) {
      if (!within(a.path, s.scope) && !within(s.scope, a.path)) continue;
      if (kinds.insert(s.kind).second)
        a.evidence.push_back({s.evidence.file, s.evidence.line, s.kind + " coverage: " + s.evidence.why});
    }
    a.scans.assign(kinds.begin(), kinds.end());
  }
  std::sort(result.value.assets.begin(), result.value.assets.end(), [](const Asset& x, const Asset& y) {
    return std::tie(x.kind, x.path, x.name) < std::tie(y.kind, y.path, y.name);
  });
  return result;
}

namespace {

// "ghcr.io/acme/orders:2.3.1@sha256:..." -> "ghcr.io/acme/orders" (a registry port is kept).
std::string_view imageWithoutTag(std::string_view image) {
  image = image.substr(0, image.find('@'));
  if (auto colon = image.rfind(':'); colon != std::string_view::npos && image.find('/', colon) == std::string_view::npos)
    image = image.substr(0, colon);
  return image;
}

}  // namespace

const Asset* assetFor(const Inventory& inventory, std::string_view path) {
  // A container scanner names the image, not a file: "ghcr.io/acme/orders (debian 12.5)", with a
  // leading '/' when the run's base is the root.
  std::string_view image = path;
  if (image.starts_with('/')) image.remove_prefix(1);
  if (auto paren = image.find(" ("); paren != std::string_view::npos && image.ends_with(')')) image = image.substr(0, paren);
  for (const auto& a : inventory.assets)
    for (const auto& i : a.images)
      if (imageWithoutTag(i) == image) return &a;
  const Asset* best = nullptr;
  for (const auto& a : inventory.assets) {
    if (a.kind != AssetKind::Service && a.kind != AssetKind::Library && a.kind != AssetKind::Infrastructure) continue;
    if (!within(path, a.path)) continue;
    if (!best || a.path.size() > best->path.size()) best = &a;
  }
  return best;
}

}  // namespace aspm::inventory
