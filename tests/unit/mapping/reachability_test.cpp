// Reachability of dependency findings over real source trees: imports found by the tree-sitter
// queries per language, package names matched per ecosystem, direct and transitive dependencies
// told apart by the project's manifests, and monorepo projects kept apart by scope.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "mapping/reachability.h"

namespace aspm::mapping {
namespace {
namespace fs = std::filesystem;

class Tree {
 public:
  Tree() {
    std::random_device rd;
    root_ = fs::temp_directory_path() / ("aspm-reach-" + std::to_string(rd()));
    fs::create_directories(root_);
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

TEST(Reachability, JavaScriptImportsRequiresAndDynamicImports) {
  Tree t;
  t.write("package.json", R"({"dependencies": {"lodash": "4.17.15", "express": "4.17.1", "@babel/core": "7.0.0"}})");
  t.write("src/app.js", "const fp = require('lodash/fp');\nimport('@babel/core/lib/x');\n");
  t.write("src/util.ts", "import { x } from './local';\nimport _ from \"lodash\";\n");
  t.write("node_modules/express/index.js", "require('express')\n");  // dependencies' own code is not the project's
  const auto index = ImportIndex::build(t.root());
  EXPECT_EQ(index.files(), 2u);

  const auto lodash = index.reachabilityOf("npm", "lodash", "");
  EXPECT_EQ(lodash.reach, Reach::Imported);
  ASSERT_EQ(lodash.sites.size(), 2u);
  EXPECT_EQ(lodash.sites[0].file + ":" + std::to_string(lodash.sites[0].line), "src/app.js:1");
  EXPECT_EQ(lodash.sites[1].file + ":" + std::to_string(lodash.sites[1].line), "src/util.ts:2");
  EXPECT_NE(lodash.why.find("src/app.js:1"), std::string::npos) << lodash.why;

  EXPECT_EQ(index.reachabilityOf("npm", "@babel/core", "").reach, Reach::Imported);

  const auto express = index.reachabilityOf("npm", "express", "");
  EXPECT_EQ(express.reach, Reach::NotImported) << express.why;
  EXPECT_NE(express.why.find("declared"), std::string::npos) << express.why;

  // Not in package.json: a transitive dependency, which lodash or express may use.
  const auto minimist = index.reachabilityOf("npm", "minimist", "");
  EXPECT_EQ(minimist.reach, Reach::Unknown);
  EXPECT_NE(minimist.why.find("transitive"), std::string::npos) << minimist.why;
  // A package whose name merely starts like an imported one is not imported.
  t.write("package.json", R"({"dependencies": {"lodash": "4.17.15", "lodash.merge": "4.6.0"}})");
  EXPECT_EQ(ImportIndex::build(t.root()).reachabilityOf("npm", "lodash.merge", "").reach, Reach::NotImported);
}

TEST(Reachability, PythonModulesAndDistributionNames) {
  Tree t;
  t.write("requirements.txt", "PyYAML==5.3\nrequests>=2.0\nJinja2==2.10\n");
  t.write("app/main.py", "import os\nfrom yaml import load\nfrom . import sibling\nimport jinja2.sandbox\n");
  const auto index = ImportIndex::build(t.root());
  const auto yaml = index.reachabilityOf("pypi", "PyYAML", "");
  EXPECT_EQ(yaml.reach, Reach::Imported);
  ASSERT_FALSE(yaml.sites.empty());
  EXPECT_EQ(yaml.sites[0].line, 2u);
  EXPECT_EQ(index.reachabilityOf("pypi", "jinja2", "").reach, Reach::Imported);
  EXPECT_EQ(index.reachabilityOf("pypi", "requests", "").reach, Reach::NotImported);
}

TEST(Reachability, GoJavaAndCSharpByPathPrefix) {
  Tree t;
  t.write("go.mod", "module example.com/svc\nrequire github.com/gin-gonic/gin v1.6.0\nrequire golang.org/x/text v0.3.0\n");
  t.write("main.go", "package main\nimport (\n  \"fmt\"\n  \"github.com/gin-gonic/gin/binding\"\n)\n");
  t.write("pom.xml", "<project><dependencies><dependency><groupId>org.apache.logging.log4j</groupId>"
                     "<artifactId>log4j-core</artifactId></dependency></dependencies></project>");
  t.write("src/main/java/A.java", "package a;\nimport org.apache.logging.log4j.LogManager;\nclass A {}\n");
  t.write("Api.csproj", "<Project><ItemGroup><PackageReference Include=\"Newtonsoft.Json\" Version=\"12.0.1\" />"
                        "</ItemGroup></Project>");
  t.write("Program.cs", "using System;\nusing Newtonsoft.Json.Linq;\nclass P {}\n");
  const auto index = ImportIndex::build(t.root());
  const auto gin = index.reachabilityOf("golang", "github.com/gin-gonic/gin", "");
  EXPECT_EQ(gin.reach, Reach::Imported);
  ASSERT_FALSE(gin.sites.empty());
  EXPECT_EQ(gin.sites[0].line, 4u);
  EXPECT_EQ(index.reachabilityOf("go", "golang.org/x/text", "").reach, Reach::NotImported);
  EXPECT_EQ(index.reachabilityOf("maven", "org.apache.logging.log4j:log4j-core", "").reach, Reach::Imported);
  EXPECT_EQ(index.reachabilityOf("nuget", "Newtonsoft.Json", "").reach, Reach::Imported);
}

TEST(Reachability, EachProjectOfAMonorepoIsJudgedOnItsOwnCode) {
  Tree t;
  t.write("services/api/package.json", R"({"dependencies": {"lodash": "4.17.15"}})");
  t.write("services/api/index.js", "const _ = require('lodash');\n");
  t.write("services/worker/package.json", R"({"dependencies": {"lodash": "4.17.15"}})");
  t.write("services/worker/index.js", "const fs = require('fs');\n");
  const auto index = ImportIndex::build(t.root());
  EXPECT_EQ(index.reachabilityOf("npm", "lodash", "services/api").reach, Reach::Imported);
  EXPECT_EQ(index.reachabilityOf("npm", "lodash", "services/worker").reach, Reach::NotImported);
  // No code of the ecosystem at all in a scope: unknown, never "unreachable".
  t.write("tools/package.json", R"({"dependencies": {"lodash": "4.17.15"}})");
  EXPECT_EQ(ImportIndex::build(t.root()).reachabilityOf("npm", "lodash", "tools").reach, Reach::Unknown);
}

TEST(Reachability, TheOracleGivesTheRiskScorerValuesSourcesAndMultipliers) {
  Tree t;
  t.write("services/api/package.json", R"({"dependencies": {"lodash": "4.17.15", "qs": "6.0.0"}})");
  t.write("services/api/package-lock.json", "{}");
  t.write("services/api/index.js", "const _ = require('lodash');\n");
  const auto oracle = reachabilityOracle(t.root());
  const auto lodash = oracle("npm", "lodash", "services/api/package-lock.json", {});
  ASSERT_TRUE(lodash);
  EXPECT_EQ(lodash->value, "reachable");
  EXPECT_DOUBLE_EQ(lodash->multiplier, 1.0);
  EXPECT_NE(lodash->source.find("services/api/index.js:1"), std::string::npos) << lodash->source;
  const auto qs = oracle("npm", "qs", "services/api/package-lock.json", {});
  ASSERT_TRUE(qs);
  EXPECT_EQ(qs->value, "unreachable");
  EXPECT_DOUBLE_EQ(qs->multiplier, 0.5);
  // OS packages: not analysed.
  const auto deb = oracle("deb", "openssl", "", {});
  ASSERT_TRUE(deb);
  EXPECT_EQ(deb->value, "unknown");
}

TEST(Reachability, VulnerableFunctionsCalledThroughJavaScriptBindings) {
  Tree t;
  t.write("package.json", R"({"dependencies": {"lodash": "4.17.4", "minimist": "1.2.0", "qs": "6.0.0"}})");
  t.write("src/app.js",
          "const _ = require('lodash');\n"
          "const { parse: parseArgs } = require('minimist');\n"
          "function render(x) {\n"
          "  return _.template(x)();\n"
          "}\n"
          "parseArgs(process.argv);\n");
  t.write("src/util.ts", "import { merge as deepMerge } from 'lodash';\nimport * as qs from 'qs';\nexport const m = deepMerge({}, {});\n");
  const auto index = ImportIndex::build(t.root());

  const auto tpl = index.reachabilityOf("npm", "lodash", "", {"lodash.template"});
  ASSERT_EQ(tpl.reach, Reach::Called) << tpl.why;
  ASSERT_EQ(tpl.calls.size(), 1u);
  EXPECT_EQ(tpl.calls[0].file + ":" + std::to_string(tpl.calls[0].line), "src/app.js:4");
  EXPECT_EQ(tpl.calls[0].symbol, "template");
  EXPECT_NE(tpl.why.find("template at src/app.js:4"), std::string::npos) << tpl.why;

  // An aliased named import is found under its exported name.
  const auto merge = index.reachabilityOf("npm", "lodash", "", {"merge"});
  ASSERT_EQ(merge.reach, Reach::Called) << merge.why;
  EXPECT_EQ(merge.calls[0].file + ":" + std::to_string(merge.calls[0].line), "src/util.ts:3");

  // Imported, but the vulnerable function is never called.
  const auto zip = index.reachabilityOf("npm", "lodash", "", {"zipObjectDeep"});
  EXPECT_EQ(zip.reach, Reach::ImportedNotCalled) << zip.why;
  EXPECT_EQ(zip.sites.size(), 2u);
  EXPECT_NE(zip.why.find("none of its vulnerable functions (zipObjectDeep)"), std::string::npos) << zip.why;

  EXPECT_EQ(index.reachabilityOf("npm", "minimist", "", {"parse"}).reach, Reach::Called);
  EXPECT_EQ(index.reachabilityOf("npm", "qs", "", {"parse"}).reach, Reach::ImportedNotCalled);
  // No symbols named: imported is all that can be said.
  EXPECT_EQ(index.reachabilityOf("npm", "lodash", "").reach, Reach::Imported);
}

TEST(Reachability, DestructuredRequiresAndModulesThatAreTheFunction) {
  Tree t;
  t.write("package.json", R"({"dependencies": {"qs": "6.0.0", "lodash.template": "4.4.0", "lodash": "4.17.4"}})");
  t.write("index.js",
          "const { parse } = require('qs');\n"
          "const template = require('lodash/template');\n"
          "parse(location.search);\n"
          "template('<%= x %>');\n");
  const auto index = ImportIndex::build(t.root());
  const auto qs = index.reachabilityOf("npm", "qs", "", {"parse"});
  ASSERT_EQ(qs.reach, Reach::Called) << qs.why;
  EXPECT_EQ(qs.calls[0].line, 3u);
  const auto lodash = index.reachabilityOf("npm", "lodash", "", {"template"});
  ASSERT_EQ(lodash.reach, Reach::Called) << lodash.why;
  EXPECT_EQ(lodash.calls[0].line, 4u);
  EXPECT_EQ(index.reachabilityOf("npm", "qs", "", {"stringify"}).reach, Reach::ImportedNotCalled);
}

TEST(Reachability, VulnerableFunctionsCalledThroughPythonBindings) {
  Tree t;
  t.write("requirements.txt", "PyYAML==5.3\nJinja2==2.10\nrequests==2.0\n");
  t.write("app/config.py", "from yaml import load as yaml_load, dump\n\ndef read(s):\n    return yaml_load(s)\n");
  t.write("app/render.py", "import jinja2\nimport requests as rq\n\nenv = jinja2.Environment()\nrq.get('https://x')\n");
  const auto index = ImportIndex::build(t.root());
  const auto yaml = index.reachabilityOf("pypi", "PyYAML", "", {"yaml.load"});
  ASSERT_EQ(yaml.reach, Reach::Called) << yaml.why;
  EXPECT_EQ(yaml.calls[0].file + ":" + std::to_string(yaml.calls[0].line), "app/config.py:4");
  EXPECT_EQ(index.reachabilityOf("pypi", "PyYAML", "", {"full_load"}).reach, Reach::ImportedNotCalled);
  EXPECT_EQ(index.reachabilityOf("pypi", "jinja2", "", {"Environment"}).reach, Reach::Called);
  EXPECT_EQ(index.reachabilityOf("pypi", "jinja2", "", {"from_string"}).reach, Reach::ImportedNotCalled);
  EXPECT_EQ(index.reachabilityOf("pypi", "requests", "", {"requests.get"}).reach, Reach::Called);
}

TEST(Reachability, TheOracleScoresThreeLevelsAndGivesTheSites) {
  Tree t;
  t.write("package.json", R"({"dependencies": {"lodash": "4.17.4"}})");
  t.write("src/app.js", "const _ = require('lodash');\n_.template('x');\n");
  const auto oracle = reachabilityOracle(t.root());
  const auto called = oracle("npm", "lodash", "package.json", {"template"});
  ASSERT_TRUE(called);
  EXPECT_EQ(called->value, "reachable");
  EXPECT_DOUBLE_EQ(called->multiplier, 1.0);
  ASSERT_EQ(called->sites.size(), 2u);
  EXPECT_EQ(called->sites[0].uri, "src/app.js");
  EXPECT_EQ(called->sites[0].region.startLine, 1u);
  EXPECT_EQ(called->sites[0].logicalName, "");
  EXPECT_EQ(called->sites[1].region.startLine, 2u);
  EXPECT_EQ(called->sites[1].logicalName, "template");
  const auto notCalled = oracle("npm", "lodash", "package.json", {"zipObjectDeep"});
  ASSERT_TRUE(notCalled);
  EXPECT_EQ(notCalled->value, "imported");
  EXPECT_DOUBLE_EQ(notCalled->multiplier, 0.75);
  ASSERT_EQ(notCalled->sites.size(), 1u);
}

}  // namespace
}  // namespace aspm::mapping
