// Dynamic scanners (ZAP, Burp) report a URL, not a line of code: a finding about `GET
// /users/42` belongs to the handler that serves `/users/:id`. This file finds the route
// registrations of the working tree with the per-language tree-sitter routes queries
// (grammars/queries/<language>/routes.scm: Express-style `app.get(...)`, Flask and FastAPI
// decorators, Spring mapping annotations with their class prefix, Go net/http and chi/gin/echo
// registrations), resolves the prefixes added where a router is mounted rather than where its
// routes are registered (Express `app.use('/api', router)` across `require`/`import`, Flask
// blueprints, FastAPI `include_router`, chi `Route`/`Mount`, gin/echo `Group`), matches a
// request's method and path against them (path parameters match one segment, wildcards the rest)
// and places web findings at the one handler that serves the URL.
// A URL that several handlers serve equally well, or none, is left without a location, and the
// finding says so: a DAST finding is never placed on a guess.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/finding.h"
#include "syntax/language.h"

namespace aspm::mapping {

struct Route {
  std::string file;             // repo-relative
  std::uint32_t line = 0;       // 1-based: the handler (Python, Java) or the registration (JS, Go)
  std::vector<std::string> methods;  // upper-case; empty: any method
  std::string path;             // the template as registered, with a class prefix applied
  std::string framework;        // express | flask | fastapi | spring | net/http | go
  std::string handler;          // the handler's name when the registration names one
  // Whether `path` is the whole path the application serves: the route hangs on the application
  // itself, or on routers whose every mount was followed to it. Otherwise a prefix may be added
  // where this code cannot see it (a router mounted nowhere in the repository, a prefix computed
  // at run time) and the matcher also tries the URL's last segments; `unresolved` says why, when
  // known ("router `users` (routes/users.js:2) is mounted with a prefix computed at run time at
  // app.js:9").
  bool rooted = false;
  std::string unresolved;

  // "GET /users/:id (express, src/app.js:12)"
  std::string describe() const;
};

// The routes registered in one file's text (`file` is only copied into the routes), with the
// prefixes the same file adds; routers imported from other files need RouteIndex::build.
std::vector<Route> routesInText(syntax::Language language, std::string text, const std::string& file);

struct RouteMatch {
  std::vector<const Route*> best;  // the best-scoring routes; one when the match is unambiguous
  // Matched on the URL's trailing segments only, by routes whose prefix could not be resolved
  // (never by a route whose whole path is known). `unmatchedPrefix` is that part.
  bool bySuffix = false;
  std::string unmatchedPrefix;
};

class RouteIndex {
 public:
  struct Limits {
    std::size_t maxFiles = 20000;
    std::size_t maxFileBytes = 1u << 20;
  };
  // Indexes the source files under `root` (dependency, build and VCS directories skipped).
  static RouteIndex build(const std::string& root, const Limits& limits, const std::atomic<bool>* cancel = nullptr);
  static RouteIndex build(const std::string& root) { return build(root, Limits{}); }
  static RouteIndex fromRoutes(std::vector<Route> routes);

  // `method` "" matches any; `path` is a URL path ("/users/42"), without query or fragment.
  // Whole-path matches come first (a rooted route wins a tie with an unresolved one); the URL's
  // last segments are tried only against routes whose prefix is unresolved.
  RouteMatch match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const noexcept { return routes_; }

 private:
  std::vector<Route> routes_;
};

// The path of a URL or origin-form request target: "https://h:8080/a/b?x=1#f" -> "/a/b",
// percent-encoded bytes left as they are. "" when `url` has no path-like part.
std::string urlPath(std::string_view url);

// Whether a result describes an HTTP request rather than code: it carries `webRequest`, or its
// primary location is an http(s) URL. `method` and `url` are filled from whichever says.
bool webTarget(const model::Result& result, std::string& method, std::string& url);

// Places every finding whose primary result is a web request at the route handler serving it
// (state note "mapped from URL GET /users/42 to the route handler …"); one that no single handler
// serves gets no location and a note saying why, with the candidates as related locations. The
// index over `root` is built only when there is such a finding.
void placeWebFindings(const model::ScanSet& scans, std::vector<model::Finding>& findings, const std::string& root);

}  // namespace aspm::mapping
