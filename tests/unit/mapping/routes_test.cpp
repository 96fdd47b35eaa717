// Route handlers found by the routes queries in Express, Flask, FastAPI, Spring and Go code, and
// the matcher that picks the handler serving a request: path parameters match one segment,
// literal segments beat parameters, methods filter, ties and misses stay unplaced.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "mapping/routes.h"

namespace aspm::mapping {
namespace {
namespace fs = std::filesystem;
using syntax::Language;

std::string describeAll(const std::vector<Route>& routes) {
  std::string out;
  for (const auto& r : routes) out += r.describe() + "\n";
  return out;
}

TEST(Routes, ExpressRegistrationsButNotHttpClientCalls) {
  const auto routes = routesInText(Language::JavaScript,
                                   "const express = require('express');\n"
                                   "const app = express();\n"
                                   "const router = express.Router();\n"
                                   "app.get('/users/:id', (req, res) => res.send(req.params.id));\n"
                                   "router.post(\"/orders\", createOrder);\n"
                                   "app.all('/health', ok);\n"
                                   "app.get('title');\n"
                                   "axios.get('/users/42', { timeout: 5 });\n"
                                   "fetchJson.get('/only-one-argument');\n",
                                   "src/app.js");
  ASSERT_EQ(routes.size(), 3u) << describeAll(routes);
  EXPECT_EQ(routes[0].describe(), "GET /users/:id (express, src/app.js:4)");
  EXPECT_EQ(routes[1].describe(), "POST /orders (express, src/app.js:5)");
  EXPECT_TRUE(routes[2].methods.empty());
}

TEST(Routes, FlaskAndFastApiDecoratorsPlaceTheHandlerFunction) {
  const auto flask = routesInText(Language::Python,
                                  "from flask import Flask, Blueprint\n"
                                  "app = Flask(__name__)\n"
                                  "@app.route('/items/<int:item_id>', methods=['GET', 'PUT'])\n"
                                  "@login_required\n"
                                  "def item(item_id):\n"
                                  "    return str(item_id)\n"
                                  "@app.route('/search')\n"
                                  "def search():\n"
                                  "    pass\n",
                                  "app.py");
  ASSERT_EQ(flask.size(), 2u) << describeAll(flask);
  EXPECT_EQ(flask[0].describe(), "GET|PUT /items/<int:item_id> (flask item, app.py:5)");
  EXPECT_EQ(flask[1].describe(), "GET|HEAD /search (flask search, app.py:8)");

  const auto fastapi = routesInText(Language::Python,
                                    "from fastapi import FastAPI\n"
                                    "app = FastAPI()\n"
                                    "@app.get(\"/items/{item_id}\")\n"
                                    "async def read_item(item_id: int):\n"
                                    "    return {}\n",
                                    "main.py");
  ASSERT_EQ(fastapi.size(), 1u);
  EXPECT_EQ(fastapi[0].describe(), "GET /items/{item_id} (fastapi read_item, main.py:4)");
}

TEST(Routes, SpringMappingsJoinTheClassPrefix) {
  const auto routes = routesInText(Language::Java,
                                   "@RestController\n"
                                   "@RequestMapping(\"/api/users\")\n"
                                   "public class UserController {\n"
                                   "  @GetMapping(\"/{id}\")\n"
                                   "  public User get(@PathVariable long id) { return null; }\n"
                                   "  @RequestMapping(value = \"/search\", method = RequestMethod.POST)\n"
                                   "  public List<User> search() { return null; }\n"
                                   "  @DeleteMapping(path = {\"/{id}\", \"/by-id/{id}\"})\n"
                                   "  public void remove(long id) {}\n"
                                   "  @GetMapping\n"
                                   "  public List<User> all() { return null; }\n"
                                   "}\n",
                                   "src/main/java/UserController.java");
  ASSERT_EQ(routes.size(), 5u) << describeAll(routes);
  EXPECT_EQ(routes[0].describe(), "GET /api/users/{id} (spring get, src/main/java/UserController.java:5)");
  EXPECT_EQ(routes[1].describe(), "POST /api/users/search (spring search, src/main/java/UserController.java:7)");
  EXPECT_EQ(routes[2].path, "/api/users/{id}");
  EXPECT_EQ(routes[3].path, "/api/users/by-id/{id}");
  EXPECT_EQ(routes[4].describe(), "GET /api/users (spring all, src/main/java/UserController.java:11)");
}

TEST(Routes, GoNetHttpPatternsWithMethodsAndSubtrees) {
  const auto routes = routesInText(Language::Go,
                                   "package main\n"
                                   "import \"net/http\"\n"
                                   "func main() {\n"
                                   "\tmux := http.NewServeMux()\n"
                                   "\tmux.HandleFunc(\"GET /users/{id}\", getUser)\n"
                                   "\thttp.Handle(\"/static/\", http.FileServer(nil))\n"
                                   "\tr.Post(`/orders`, createOrder)\n"
                                   "}\n",
                                   "main.go");
  ASSERT_EQ(routes.size(), 3u) << describeAll(routes);
  EXPECT_EQ(routes[0].describe(), "GET /users/{id} (net/http, main.go:5)");
  EXPECT_EQ(routes[1].describe(), "/static/ (net/http, main.go:6)");
  EXPECT_EQ(routes[2].describe(), "POST /orders (go, main.go:7)");
}

Route route(std::string methods, std::string path, std::string framework = "express") {
  Route r;
  if (!methods.empty()) r.methods = {std::move(methods)};
  r.path = std::move(path);
  r.framework = std::move(framework);
  r.file = "f";
  return r;
}

TEST(Routes, TheMatcherPrefersLiteralSegmentsAndFiltersMethods) {
  const auto index = RouteIndex::fromRoutes({route("GET", "/users/:id"), route("GET", "/users/me"),
                                             route("POST", "/users/:id"), route("GET", "/files/<path:rest>", "flask"),
                                             route("", "/static/", "net/http"), route("GET", "/items/{id}/reviews")});
  auto one = [&](std::string_view method, std::string_view path) -> std::string {
    const auto m = index.match(method, path);
    if (m.best.size() != 1) return std::to_string(m.best.size()) + " matches";
    return (m.bySuffix ? "suffix " : "") + m.best.front()->path + (m.best.front()->methods.empty() ? "" : " " + m.best.front()->methods[0]);
  };
  EXPECT_EQ(one("GET", "/users/42"), "/users/:id GET");
  EXPECT_EQ(one("GET", "/users/me"), "/users/me GET");
  EXPECT_EQ(one("POST", "/users/42"), "/users/:id POST");
  EXPECT_EQ(one("HEAD", "/users/42"), "/users/:id GET");
  EXPECT_EQ(one("", "/users/42"), "2 matches");  // GET and POST serve it equally
  EXPECT_EQ(one("GET", "/users/42/"), "/users/:id GET");
  EXPECT_EQ(one("GET", "/files/a/b/c.txt"), "/files/<path:rest> GET");
  EXPECT_EQ(one("GET", "/static/css/site.css"), "/static/");
  EXPECT_EQ(one("GET", "/items/7/reviews"), "/items/{id}/reviews GET");
  EXPECT_EQ(one("DELETE", "/users/42"), "0 matches");
  EXPECT_EQ(one("GET", "/nothing/here"), "0 matches");
  // Mounted under a prefix the code adds elsewhere: matched on the path's end, and said so.
  const auto mounted = index.match("GET", "/api/v1/items/7/reviews");
  ASSERT_EQ(mounted.best.size(), 1u);
  EXPECT_TRUE(mounted.bySuffix);
  EXPECT_EQ(mounted.unmatchedPrefix, "/api/v1");
}

TEST(Routes, UrlPaths) {
  EXPECT_EQ(urlPath("https://shop.example:8443/users/42?expand=1#top"), "/users/42");
  EXPECT_EQ(urlPath("http://localhost:3000"), "/");
  EXPECT_EQ(urlPath("http://localhost:3000?x=1"), "/");
  EXPECT_EQ(urlPath("/orders?id=1"), "/orders");
  EXPECT_EQ(urlPath("not a url"), "");
}

class Tree {
 public:
  Tree() {
    std::random_device rd;
    root_ = fs::temp_directory_path() / ("aspm-routes-" + std::to_string(rd()));
  }
  ~Tree() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel, std::ios::binary) << text;
  }
  std::string root() const { return root_.string(); }

 private:
  fs::path root_;
};

// "file:line" of the one route serving the request, "suffix file:line" when matched on the
// URL's end only, "N matches" otherwise.
std::string served(const RouteIndex& index, std::string_view method, std::string_view path) {
  const auto m = index.match(method, path);
  if (m.best.size() != 1) return std::to_string(m.best.size()) + " matches";
  return (m.bySuffix ? "suffix " : "") + m.best.front()->file + ":" + std::to_string(m.best.front()->line);
}

const Route* routeAt(const RouteIndex& index, std::string_view fileLine) {
  for (const auto& r : index.routes())
    if (r.file + ":" + std::to_string(r.line) == fileLine) return &r;
  return nullptr;
}

TEST(Routes, ExpressRoutersMountedAcrossFilesGetTheirPrefix) {
  Tree t;
  t.write("web/app.js",
          "const express = require('express');\n"
          "const users = require('./routes/users');\n"
          "const admin = require('./routes/admin');\n"
          "const legacy = require('./routes/legacy');\n"
          "const app = express();\n"
          "function requireAuth(req, res, next) { next(); }\n"
          "app.use('/api/users', users);\n"
          "app.use('/admin', requireAuth, admin);\n"
          "app.use(process.env.LEGACY_PREFIX, legacy);\n"
          "app.get('/health', (req, res) => res.send('ok'));\n");
  t.write("web/routes/users.js",
          "const express = require('express');\n"
          "const router = express.Router();\n"
          "router.get('/:id', (req, res) => res.json({}));\n"
          "router.get('/:id/orders', (req, res) => res.json([]));\n"
          "module.exports = router;\n");
  // ES modules, and a router mounted inside a router.
  t.write("web/routes/admin.js",
          "import { Router } from 'express';\n"
          "import v1 from './v1.js';\n"
          "import { reportsRouter as reports } from './reports';\n"
          "const router = Router();\n"
          "router.use('/v1', v1);\n"
          "router.use('/reports', reports);\n"
          "export default router;\n");
  t.write("web/routes/reports.js",
          "import express from 'express';\n"
          "export const reportsRouter = express.Router();\n"
          "reportsRouter.get('/:id', (req, res) => res.json({}));\n");
  t.write("web/routes/v1.js",
          "import express from 'express';\n"
          "const inner = express.Router();\n"
          "inner.get('/users/:id', (req, res) => res.json({}));\n"
          "export default inner;\n");
  t.write("web/routes/legacy.js",
          "const router = require('express').Router();\n"
          "router.get('/users/:id', (req, res) => res.json({}));\n"
          "module.exports = router;\n");
  t.write("web/routes/orphan.js",
          "const express = require('express');\n"
          "const reports = express.Router();\n"
          "reports.get('/reports/:id', (req, res) => res.json({}));\n");
  const auto index = RouteIndex::build(t.root());
  EXPECT_EQ(served(index, "GET", "/api/users/42"), "web/routes/users.js:3") << describeAll(index.routes());
  EXPECT_EQ(served(index, "GET", "/api/users/42/orders"), "web/routes/users.js:4");
  EXPECT_EQ(served(index, "GET", "/admin/v1/users/7"), "web/routes/v1.js:3");
  EXPECT_EQ(served(index, "GET", "/health"), "web/app.js:10");
  EXPECT_EQ(served(index, "GET", "/admin/reports/5"), "web/routes/reports.js:3");
  // The prefix is known: the route's path without it, or under another prefix, is not served.
  EXPECT_EQ(served(index, "GET", "/users/42/orders"), "0 matches");
  EXPECT_EQ(served(index, "GET", "/v1/users/7"), "suffix web/routes/legacy.js:2");
  const Route* users = routeAt(index, "web/routes/users.js:3");
  ASSERT_TRUE(users);
  EXPECT_EQ(users->path, "/api/users/:id");
  EXPECT_TRUE(users->rooted);
  // A prefix computed at run time: today's matching on the URL's end, and the reason.
  const Route* legacy = routeAt(index, "web/routes/legacy.js:2");
  ASSERT_TRUE(legacy);
  EXPECT_FALSE(legacy->rooted);
  EXPECT_NE(legacy->unresolved.find("computed at run time at web/app.js:9"), std::string::npos) << legacy->unresolved;
  EXPECT_EQ(served(index, "GET", "/old/users/7"), "suffix web/routes/legacy.js:2");
  const Route* orphan = routeAt(index, "web/routes/orphan.js:3");
  ASSERT_TRUE(orphan);
  EXPECT_NE(orphan->unresolved.find("`reports` (web/routes/orphan.js:2) is not mounted anywhere"), std::string::npos)
      << orphan->unresolved;
  EXPECT_EQ(served(index, "GET", "/internal/reports/3"), "suffix web/routes/orphan.js:3");
}

TEST(Routes, TypeScriptRoutersInOneFileGetTheirPrefix) {
  for (const Language language : {Language::TypeScript, Language::Tsx}) {
    const auto routes = routesInText(language,
                                     "import express, { Router } from 'express';\n"
                                     "const app = express();\n"
                                     "const api: Router = express.Router();\n"
                                     "const PREFIX = '/api';\n"
                                     "api.get('/users/:id', (req, res) => res.json({}));\n"
                                     "app.use(PREFIX, api);\n",
                                     "src/server.ts");
    ASSERT_EQ(routes.size(), 1u) << describeAll(routes);
    EXPECT_EQ(routes[0].describe(), "GET /api/users/:id (express, src/server.ts:5)");
    EXPECT_TRUE(routes[0].rooted);
  }
}

TEST(Routes, FlaskBlueprintPrefixesAndTheRegistrationsThatOverrideThem) {
  Tree t;
  t.write("services/shop/app.py",
          "from flask import Flask\n"
          "from .views.users import bp as users_bp\n"
          "from shop.views import admin\n"
          "API = '/api'\n"
          "app = Flask(__name__)\n"
          "app.register_blueprint(users_bp, url_prefix='/api/users')\n"
          "app.register_blueprint(admin.bp)\n");
  t.write("services/shop/views/users.py",
          "from flask import Blueprint\n"
          "bp = Blueprint('users', __name__, url_prefix='/people')\n"
          "@bp.route('/<int:user_id>')\n"
          "def show(user_id):\n"
          "    return {}\n");
  t.write("services/shop/views/admin.py",
          "from flask import Blueprint\n"
          "bp = Blueprint('admin', __name__, url_prefix='/admin')\n"
          "@bp.get('/<int:user_id>')\n"
          "def show(user_id):\n"
          "    return {}\n"
          "audit = Blueprint('audit', __name__)\n"
          "@audit.get('/log')\n"
          "def log():\n"
          "    return []\n"
          "bp.register_blueprint(audit, url_prefix='/audit')\n");
  const auto index = RouteIndex::build(t.root());
  EXPECT_EQ(served(index, "GET", "/api/users/5"), "services/shop/views/users.py:4") << describeAll(index.routes());
  EXPECT_EQ(served(index, "GET", "/admin/5"), "services/shop/views/admin.py:4");
  // register_blueprint's url_prefix replaces the blueprint's own, as in Flask.
  EXPECT_EQ(served(index, "GET", "/people/5"), "0 matches");
  EXPECT_EQ(served(index, "GET", "/5"), "0 matches");
  // A blueprint registered on a blueprint (Flask 2): the prefixes join.
  EXPECT_EQ(served(index, "GET", "/admin/audit/log"), "services/shop/views/admin.py:8");
  EXPECT_EQ(served(index, "GET", "/audit/log"), "0 matches");
}

TEST(Routes, FastApiRouterPrefixesConcatenate) {
  Tree t;
  t.write("api/main.py",
          "from fastapi import FastAPI\n"
          "from .routers import items, users\n"
          "app = FastAPI()\n"
          "app.include_router(items.router, prefix='/api')\n"
          "app.include_router(users.router, prefix='/api/v2')\n");
  t.write("api/routers/items.py",
          "from fastapi import APIRouter\n"
          "router = APIRouter(prefix='/items')\n"
          "@router.get('/{item_id}')\n"
          "async def read_item(item_id: int):\n"
          "    return {}\n");
  t.write("api/routers/users.py",
          "from fastapi import APIRouter\n"
          "router = APIRouter()\n"
          "@router.get('/items/{item_id}')\n"
          "async def user_item(item_id: int):\n"
          "    return {}\n");
  const auto index = RouteIndex::build(t.root());
  EXPECT_EQ(served(index, "GET", "/api/items/3"), "api/routers/items.py:4") << describeAll(index.routes());
  EXPECT_EQ(served(index, "GET", "/api/v2/items/3"), "api/routers/users.py:4");
  EXPECT_EQ(served(index, "GET", "/items/3"), "0 matches");
  const Route* items = routeAt(index, "api/routers/items.py:4");
  ASSERT_TRUE(items);
  EXPECT_EQ(items->describe(), "GET /api/items/{item_id} (fastapi read_item, api/routers/items.py:4)");
}

TEST(Routes, GoChiRoutesMountsAndGinGroups) {
  Tree t;
  t.write("svc/main.go",
          "package main\n"
          "\n"
          "import (\n"
          "\t\"net/http\"\n"
          "\n"
          "\t\"github.com/go-chi/chi/v5\"\n"
          ")\n"
          "\n"
          "func main() {\n"
          "\tr := chi.NewRouter()\n"
          "\tr.Route(\"/api\", func(r chi.Router) {\n"
          "\t\tr.Get(\"/users/{id}\", getUser)\n"
          "\t})\n"
          "\tr.Mount(\"/admin\", adminRouter())\n"
          "\thttp.ListenAndServe(\":8080\", r)\n"
          "}\n");
  t.write("svc/admin.go",
          "package main\n"
          "\n"
          "import \"github.com/go-chi/chi/v5\"\n"
          "\n"
          "func adminRouter() http.Handler {\n"
          "\tr := chi.NewRouter()\n"
          "\tr.Get(\"/users/{id}\", adminUser)\n"
          "\treturn r\n"
          "}\n");
  t.write("gin/main.go",
          "package main\n"
          "\n"
          "import \"github.com/gin-gonic/gin\"\n"
          "\n"
          "func main() {\n"
          "\tr := gin.Default()\n"
          "\tv1 := r.Group(\"/v1\")\n"
          "\t{\n"
          "\t\tusers := v1.Group(\"/users\")\n"
          "\t\tusers.GET(\"/:id\", getUser)\n"
          "\t}\n"
          "\tr.GET(\"/health\", health)\n"
          "\tr.Run()\n"
          "}\n");
  t.write("gorilla/main.go",
          "package main\n"
          "\n"
          "func main() {\n"
          "\tr := mux.NewRouter()\n"
          "\tapi := r.PathPrefix(\"/api/v3\").Subrouter()\n"
          "\tapi.HandleFunc(\"/orders/{id}\", getOrder)\n"
          "}\n");
  const auto index = RouteIndex::build(t.root());
  EXPECT_EQ(served(index, "GET", "/api/users/1"), "svc/main.go:12") << describeAll(index.routes());
  EXPECT_EQ(served(index, "GET", "/api/v3/orders/1"), "gorilla/main.go:6");
  EXPECT_EQ(served(index, "GET", "/orders/1"), "0 matches");
  EXPECT_EQ(served(index, "GET", "/admin/users/1"), "svc/admin.go:7");
  EXPECT_EQ(served(index, "GET", "/v1/users/9"), "gin/main.go:10");
  EXPECT_EQ(served(index, "GET", "/health"), "gin/main.go:12");
  EXPECT_EQ(served(index, "GET", "/users/1"), "0 matches");
  EXPECT_EQ(served(index, "GET", "/9"), "0 matches");
}

TEST(Routes, SpringMappingsAreWholePathsUnlessAContextPathIsConfigured) {
  Tree t;
  t.write("src/main/java/UserController.java",
          "@RestController\n"
          "@RequestMapping(\"/api/users\")\n"
          "public class UserController {\n"
          "  @GetMapping(\"/{id}\")\n"
          "  public User get(@PathVariable long id) { return null; }\n"
          "}\n");
  {
    const auto index = RouteIndex::build(t.root());
    EXPECT_EQ(served(index, "GET", "/api/users/1"), "src/main/java/UserController.java:5");
    EXPECT_EQ(served(index, "GET", "/shop/api/users/1"), "0 matches");
  }
  t.write("src/main/resources/application.properties", "server.servlet.context-path=/shop\n");
  const auto index = RouteIndex::build(t.root());
  EXPECT_EQ(served(index, "GET", "/shop/api/users/1"), "suffix src/main/java/UserController.java:5");
  ASSERT_EQ(index.routes().size(), 1u);
  EXPECT_NE(index.routes()[0].unresolved.find("context path"), std::string::npos);
}

TEST(Routes, AWholePathBeatsAnEqualUnresolvedOneAndIsNeverMatchedBySuffix) {
  Route rooted = route("GET", "/users/:id");
  rooted.rooted = true;
  rooted.file = "rooted";
  const auto index = RouteIndex::fromRoutes({route("GET", "/users/:id"), rooted});
  EXPECT_EQ(served(index, "GET", "/users/1"), "rooted:0");
  EXPECT_EQ(served(index, "GET", "/api/users/1"), "suffix f:0");
  const auto only = RouteIndex::fromRoutes({rooted});
  EXPECT_EQ(served(only, "GET", "/api/users/1"), "0 matches");
}

TEST(Routes, WebFindingsArePlacedAtTheHandlerOrSayWhyNot) {
  Tree t;
  t.write("web/app.js", "const app = require('express')();\n\napp.get('/users/:id', (req, res) => res.json({}));\n");
  t.write("api/main.py", "from fastapi import FastAPI\napp = FastAPI()\n@app.post('/items')\ndef create():\n    pass\n");
  t.write("node_modules/x/index.js", "app.get('/vendored', h);\n");
  t.write("web/admin.js", "const express = require('express');\nconst admin = express.Router();\nadmin.get('/audit/:id', h);\n");
  model::ScanSet scans;
  scans.runs.emplace_back();
  auto result = [&](std::string method, std::string target) {
    model::Result r;
    r.webRequest = std::make_shared<const model::WebRequest>(model::WebRequest{std::move(method), target});
    model::Location loc;
    loc.uri = target;
    r.locations.push_back(loc);
    scans.results.push_back(std::move(r));
    model::Finding f;
    f.results = {static_cast<std::uint32_t>(scans.results.size() - 1)};
    f.location = loc;
    return f;
  };
  std::vector<model::Finding> findings = {result("GET", "http://localhost:3000/users/42?debug=1"),
                                          result("POST", "https://api.example/items"),
                                          result("GET", "http://localhost:3000/vendored"),
                                          result("GET", "http://localhost:3000/internal/audit/3")};
  placeWebFindings(scans, findings, t.root());
  ASSERT_TRUE(findings[0].location);
  EXPECT_EQ(findings[0].location->uri, "web/app.js");
  EXPECT_EQ(findings[0].location->region.startLine, 3u);
  EXPECT_NE(findings[0].stateNote.find("mapped from URL GET /users/42 to the route handler GET /users/:id"),
            std::string::npos)
      << findings[0].stateNote;
  EXPECT_NE(findings[0].stateNote.find("http://localhost:3000/users/42?debug=1"), std::string::npos);
  ASSERT_TRUE(findings[1].location);
  EXPECT_EQ(findings[1].location->uri, "api/main.py");
  EXPECT_EQ(findings[1].location->region.startLine, 4u);
  EXPECT_FALSE(findings[2].location);
  EXPECT_NE(findings[2].stateNote.find("no route handler in the workspace serves URL GET /vendored"), std::string::npos)
      << findings[2].stateNote;
  // A router mounted nowhere in the tree: placed by the URL's end, and the note says why.
  ASSERT_TRUE(findings[3].location);
  EXPECT_EQ(findings[3].location->uri, "web/admin.js");
  EXPECT_NE(findings[3].stateNote.find("the prefix /internal is added elsewhere (router `admin` (web/admin.js:2) is not "
                                       "mounted anywhere in the repository)"),
            std::string::npos)
      << findings[3].stateNote;
}

}  // namespace
}  // namespace aspm::mapping
