// `aspm findings --format json` over findings that are not about a line of code: a DAST report
// (hand-written ZAP SARIF, tests/data/dast) whose URLs are placed at the route handlers of an
// Express (with a router mounted from another file), Flask and Spring app, and a dependency
// finding whose import and call sites become related locations and move its reachability between
// "imported" and "reachable".
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>

#include "unit/cli/cli_test_support.h"

namespace aspm::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

using clitest::CliRun;
using clitest::runCli;
using clitest::TempRepo;

const json::object* byRule(const json::array& findings, std::string_view ruleId) {
  for (const auto& f : findings)
    if (f.as_object().at("ruleId").as_string() == ruleId) return &f.as_object();
  return nullptr;
}

std::string where(const json::object& f) {
  if (f.at("location").is_null()) return "null";
  const auto& l = f.at("location").as_object();
  return std::string(l.at("uri").as_string()) + ":" + std::to_string(l.at("startLine").as_int64());
}

TEST(Reach, ZapUrlsArePlacedAtTheirRouteHandlers) {
  TempRepo repo;
  const fs::path data = fs::path(ASPM_SOURCE_DIR) / "tests/data/dast";
  fs::copy(data / "app", repo.path(), fs::copy_options::recursive);
  fs::copy_file(data / "zap.sarif", repo.path("zap.sarif"));
  const CliRun r = runCli({"findings", "--repo", repo.path(), "--sarif", repo.path("zap.sarif"), "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json::value doc = json::parse(r.out);
  const auto& findings = doc.at("findings").as_array();
  ASSERT_EQ(findings.size(), 7u) << r.out;

  const std::map<std::string, std::string> expected = {
      {"10038", "web/server.js:8"},
      {"40012", "web/server.js:13"},
      {"40018", "reports/app.py:15"},
      {"10020", "reports/app.py:10"},
      {"90022", "orders/src/main/java/com/example/orders/OrderController.java:15"},
      {"10021", "null"},
      {"10037", "web/routes/account.js:6"},
  };
  for (const auto& [rule, at] : expected) {
    const json::object* f = byRule(findings, rule);
    ASSERT_TRUE(f) << rule;
    EXPECT_EQ(where(*f), at) << rule << ": " << json::serialize(*f);
    EXPECT_EQ(f->at("state").as_string(), at == "null" ? "stale" : "open") << rule;
  }
  const json::object& csp = *byRule(findings, "10038");
  const std::string note(csp.at("stateNote").as_string());
  EXPECT_NE(note.find("mapped from URL GET /users/42 to the route handler GET /users/:id (express, web/server.js:8)"),
            std::string::npos)
      << note;
  EXPECT_NE(note.find("http://localhost:3000/users/42"), std::string::npos) << note;
  EXPECT_EQ(csp.at("webRequest").at("method").as_string(), "GET");
  EXPECT_EQ(csp.at("scan").at("uri").as_string(), "http://localhost:3000/users/42");
  // The Spring handler was found through its class's @RequestMapping prefix.
  EXPECT_NE(std::string(byRule(findings, "90022")->at("stateNote").as_string()).find("GET /api/orders/{id} (spring get"),
            std::string::npos);
  // A router in another file, mounted by server.js with app.use('/account', require(...)): the
  // whole path is known, so the finding is placed by it, not by the URL's end.
  const std::string mounted(byRule(findings, "10037")->at("stateNote").as_string());
  EXPECT_NE(mounted.find("to the route handler GET /account/profile/:id (express, web/routes/account.js:6)"),
            std::string::npos)
      << mounted;
  EXPECT_EQ(mounted.find("matched on the path's end"), std::string::npos) << mounted;
  // Served by express.static, not a route: no location (stale), and the finding says so.
  const json::object& nosniff = *byRule(findings, "10021");
  EXPECT_EQ(nosniff.at("state").as_string(), "stale");
  EXPECT_NE(std::string(nosniff.at("stateNote").as_string()).find("no route handler in the workspace serves URL GET /static/logo.png"),
            std::string::npos)
      << json::serialize(nosniff);
}

// Snyk Open Source's shape, with the advisory's vulnerable functions in a rule property: a plain
// list for one rule, OSV's affected[].ecosystem_specific.imports[].symbols for the other.
const char* const kSnyk = R"({
  "version": "2.1.0",
  "runs": [{
    "tool": {"driver": {"name": "Snyk Open Source", "rules": [
      {"id": "SNYK-JS-LODASH-1040724", "shortDescription": {"text": "High severity - Command Injection vulnerability in lodash"},
       "fullDescription": {"text": "(CVE-2021-23337) lodash@4.17.4"},
       "help": {"text": "", "markdown": "* Package Manager: npm\n* Vulnerable module: lodash\n* Introduced through: lodash@4.17.4\n## Remediation\nUpgrade `lodash` to version 4.17.21 or higher."},
       "properties": {"tags": ["security", "CWE-78", "npm"], "security-severity": "7.2", "vulnerableFunctions": ["template"]}},
      {"id": "SNYK-JS-LODASH-1018905", "shortDescription": {"text": "Medium severity - ReDoS vulnerability in lodash"},
       "fullDescription": {"text": "(CVE-2020-28500) lodash@4.17.4"},
       "help": {"text": "", "markdown": "* Package Manager: npm\n* Vulnerable module: lodash\n* Introduced through: lodash@4.17.4"},
       "properties": {"tags": ["security", "CWE-400", "npm"], "security-severity": "5.3",
         "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
                       "ecosystem_specific": {"imports": [{"path": "lodash", "symbols": ["toNumber", "trim", "trimEnd"]}]}}]}}
    ]}},
    "results": [
      {"ruleId": "SNYK-JS-LODASH-1040724", "ruleIndex": 0, "level": "error",
       "message": {"text": "This file introduces a vulnerable lodash package with a high severity vulnerability."},
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "package.json"}, "region": {"startLine": 1}}}]},
      {"ruleId": "SNYK-JS-LODASH-1018905", "ruleIndex": 1, "level": "warning",
       "message": {"text": "This file introduces a vulnerable lodash package with a medium severity vulnerability."},
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "package.json"}, "region": {"startLine": 1}}}]}
    ]
  }]
})";

TEST(Reach, DependencyImportAndCallSitesAreRelatedLocations) {
  TempRepo repo;
  repo.write("package.json", R"({"name": "shop", "dependencies": {"lodash": "4.17.4"}})" "\n");
  repo.write("src/app.js", "const _ = require('lodash');\n\nfunction page(src, data) {\n  return _.template(src)(data);\n}\n");
  repo.write("snyk.sarif", kSnyk);
  const CliRun r = runCli({"findings", "--repo", repo.path(), "--sarif", repo.path("snyk.sarif"), "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json::value doc = json::parse(r.out);
  const auto& findings = doc.at("findings").as_array();

  const json::object* injection = byRule(findings, "SNYK-JS-LODASH-1040724");
  ASSERT_TRUE(injection);
  EXPECT_EQ(injection->at("risk").at("factors").at("reachability").as_double(), 1.0);
  const auto& related = injection->at("relatedLocations").as_array();
  ASSERT_EQ(related.size(), 2u) << json::serialize(*injection);
  EXPECT_EQ(related[0].at("uri").as_string(), "src/app.js");
  EXPECT_EQ(related[0].at("startLine").as_int64(), 1);
  const std::string imported(related[0].at("message").as_string());
  EXPECT_TRUE(imported.starts_with("lodash is imported here; vulnerable: CVE-2021-23337, SNYK-JS-LODASH-1040724")) << imported;
  EXPECT_EQ(related[1].at("startLine").as_int64(), 4);
  EXPECT_TRUE(std::string(related[1].at("message").as_string()).starts_with("template of lodash is called here"));
  std::string reachSource;
  for (const auto& e : injection->at("risk").at("explanation").as_array())
    if (e.at("factor").as_string() == "reachability") reachSource = e.at("source").as_string();
  EXPECT_NE(reachSource.find("template at src/app.js:4"), std::string::npos) << reachSource;

  // Imported, but none of trim, trimEnd, toNumber (the OSV-style symbols) is called: x0.75.
  const json::object* redos = byRule(findings, "SNYK-JS-LODASH-1018905");
  ASSERT_TRUE(redos);
  EXPECT_EQ(redos->at("risk").at("factors").at("reachability").as_double(), 0.75);
  ASSERT_EQ(redos->at("relatedLocations").as_array().size(), 1u);

  // The SARIF output carries them as SARIF relatedLocations.
  const CliRun s = runCli({"findings", "--repo", repo.path(), "--sarif", repo.path("snyk.sarif"), "--format", "sarif"});
  ASSERT_EQ(s.code, 0) << s.err;
  const json::value log = json::parse(s.out);
  bool found = false;
  for (const auto& res : log.at("runs").at(0).at("results").as_array()) {
    if (res.at("ruleId").as_string() != "SNYK-JS-LODASH-1040724") continue;
    const auto& rel = res.at("relatedLocations").as_array();
    ASSERT_EQ(rel.size(), 2u);
    EXPECT_EQ(rel[1].at("physicalLocation").at("artifactLocation").at("uri").as_string(), "src/app.js");
    EXPECT_EQ(rel[1].at("physicalLocation").at("region").at("startLine").as_int64(), 4);
    found = true;
  }
  EXPECT_TRUE(found) << s.out;
}

}  // namespace
}  // namespace aspm::cli
