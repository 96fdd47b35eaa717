// The language server's view of findings that are not about a line of code: a dependency
// finding shows hints of its own where the package is imported and its vulnerable function
// called, and has those sites as related information; a ZAP finding shows on its route handler.
#include <gtest/gtest.h>

#include <filesystem>

#include "engine/features.h"
#include "engine/workspace.h"
#include "engine_test_support.h"

namespace aspm::engine {
namespace {
namespace fs = std::filesystem;

// Snyk's JSON names vulnerable functions as `functions: [{functionId: {...}}]`; here as a rule property.
const char* const kSnyk = R"({"version": "2.1.0", "runs": [{
  "tool": {"driver": {"name": "Snyk Open Source", "rules": [
    {"id": "SNYK-JS-LODASH-1040724", "shortDescription": {"text": "Command Injection in lodash"},
     "fullDescription": {"text": "(CVE-2021-23337) lodash@4.17.4"},
     "help": {"text": "", "markdown": "* Package Manager: npm\n* Vulnerable module: lodash\n* Introduced through: lodash@4.17.4"},
     "properties": {"tags": ["security", "CWE-78", "npm"], "security-severity": "7.2", "functions": [{"functionId": {"className": null, "filePath": "lodash.js", "functionName": "template"}}]}},
    {"id": "SNYK-JS-LODASH-1018905", "shortDescription": {"text": "ReDoS in lodash"},
     "fullDescription": {"text": "(CVE-2020-28500) lodash@4.17.4"},
     "help": {"text": "", "markdown": "* Package Manager: npm\n* Vulnerable module: lodash\n* Introduced through: lodash@4.17.4"},
     "properties": {"tags": ["security", "CWE-400", "npm"], "security-severity": "5.3"}}]}},
  "results": [
    {"ruleId": "SNYK-JS-LODASH-1040724", "ruleIndex": 0, "level": "error", "message": {"text": "vulnerable lodash"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "package.json"}, "region": {"startLine": 1}}}]},
    {"ruleId": "SNYK-JS-LODASH-1018905", "ruleIndex": 1, "level": "warning", "message": {"text": "vulnerable lodash"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "package.json"}, "region": {"startLine": 1}}}]}]}]})";

const char* const kZap = R"({"version": "2.1.0", "runs": [{
  "tool": {"driver": {"name": "ZAP", "rules": [{"id": "10038", "name": "Content Security Policy (CSP) Header Not Set"}]}},
  "results": [{"ruleId": "10038", "level": "warning", "message": {"text": "no CSP header"},
    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "http://localhost:3000/users/42"}, "region": {"startLine": 1}}}],
    "webRequest": {"protocol": "HTTP", "version": "1.1", "target": "http://localhost:3000/users/42", "method": "GET"}}]}]})";

TEST(ReachWorkspace, DependencySitesAreHintsAndRelatedInformation) {
  testing::TempTree tree("aspm-reach-ws");
  tree.write("package.json", "{\"dependencies\": {\"lodash\": \"4.17.4\"}}\n");
  tree.write("src/app.js", "const _ = require('lodash');\n\nmodule.exports = (s) => _.template(s);\n");
  tree.write(".aspm/snyk.sarif", kSnyk);
  tree.write("src/server.js", "const app = require('express')();\napp.get('/users/:id', (req, res) => res.end());\n");
  tree.write(".aspm/zap.sarif", kZap);
  testing::RecordingListener listener;
  Workspace ws(WorkspaceOptions{tree.root().string(), {}, std::chrono::milliseconds(0), nullptr, {}}, listener);
  ws.reloadAll();
  ASSERT_TRUE(ws.waitIdle(std::chrono::steady_clock::now() + std::chrono::seconds(30)));
  const auto snapshot = ws.snapshot();

  const auto app = diagnosticsFor(*snapshot, "src/app.js").items;
  ASSERT_EQ(app.size(), 2u);
  EXPECT_EQ(app[0].range.start.line, 0u);
  EXPECT_EQ(app[0].severity, model::Severity::Info);
  // Both advisories of the package at the import: one hint, the more severe one's.
  EXPECT_EQ(app[0].ruleId, "SNYK-JS-LODASH-1040724");
  EXPECT_TRUE(app[0].message.starts_with("lodash is imported here; vulnerable: CVE-2021-23337, SNYK-JS-LODASH-1040724")) << app[0].message;
  EXPECT_NE(app[0].message.find("(and 1 more advisories of this package here)"), std::string::npos) << app[0].message;
  ASSERT_EQ(app[0].related.size(), 1u);
  EXPECT_EQ(app[0].related[0].path, "package.json");
  EXPECT_EQ(app[1].range.start.line, 2u);
  EXPECT_TRUE(app[1].message.starts_with("template of lodash is called here")) << app[1].message;

  const auto manifest = diagnosticsFor(*snapshot, "package.json").items;
  ASSERT_EQ(manifest.size(), 2u);
  const auto& injection = manifest[0].ruleId == "SNYK-JS-LODASH-1040724" ? manifest[0] : manifest[1];
  ASSERT_EQ(injection.related.size(), 2u);
  EXPECT_EQ(injection.related[0].path, "src/app.js");
  EXPECT_EQ(injection.related[1].range.start.line, 2u);

  const auto files = filesWithFindings(*snapshot);
  EXPECT_NE(std::find(files.begin(), files.end(), "src/app.js"), files.end());

  const auto server = diagnosticsFor(*snapshot, "src/server.js").items;
  ASSERT_EQ(server.size(), 1u);
  EXPECT_EQ(server[0].ruleId, "10038");
  EXPECT_EQ(server[0].range.start.line, 1u);
}

}  // namespace
}  // namespace aspm::engine
