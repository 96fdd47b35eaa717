// Reachability of dependency findings over real source trees: imports found by the tree-sitter
// queries per language, package names matched per ecosystem, direct and transitive dependencies
// told apart by the project's manifests, monorepo projects kept apart by scope, and calls of the
// vulnerable functions found by each language's own import rules (JavaScript, Python, Go, Java,
// C#, Ruby, PHP), with same-named functions of other receivers and the project's own types kept
// apart.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "mapping/reachability.h"
#include "mapping/reachability_calls.h"

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

// "file:line symbol" of every call found, sorted (the directory walk's order is the file
// system's).
std::string callsOf(const Reachability& r) {
  std::vector<std::string> all;
  for (const auto& c : r.calls) all.push_back(c.file + ":" + std::to_string(c.line) + " " + c.symbol);
  std::sort(all.begin(), all.end());
  std::string out;
  for (const auto& c : all) out += (out.empty() ? "" : ", ") + c;
  return out;
}

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

TEST(Reachability, GoPackagesAreCalledThroughTheNameTheirImportBinds) {
  Tree t;
  t.write("go.mod",
          "module example.com/svc\n"
          "require (\n"
          "\tgopkg.in/yaml.v2 v2.2.2\n"
          "\tgithub.com/dgrijalva/jwt-go v3.2.0\n"
          "\tgithub.com/pelletier/go-toml/v2 v2.0.0\n"
          "\tgolang.org/x/text v0.3.0\n"
          "\tgithub.com/gin-gonic/gin v1.6.0\n"
          ")\n");
  t.write("main.go",
          "package main\n"                                  // 1
          "\n"                                              // 2
          "import (\n"                                      // 3
          "\t\"encoding/json\"\n"                           // 4
          "\t\"github.com/dgrijalva/jwt-go\"\n"             // 5
          "\ttoml \"github.com/pelletier/go-toml/v2\"\n"    // 6
          "\t\"gopkg.in/yaml.v2\"\n"                        // 7
          "\t_ \"golang.org/x/text\"\n"                     // 8
          ")\n"                                             // 9
          "\n"                                              // 10
          "func load(b []byte) error {\n"                   // 11
          "\tvar v map[string]any\n"                        // 12
          "\tif err := yaml.Unmarshal(b, &v); err != nil {\n"  // 13
          "\t\treturn err\n"                                // 14
          "\t}\n"                                           // 15
          "\td := yaml.NewDecoder(nil)\n"                   // 16
          "\td.Decode(&v)\n"                                // 17
          "\tjson.Unmarshal(b, &v)\n"                       // 18
          "\t_, err := jwt.Parse(\"t\", nil)\n"             // 19
          "\ttoml.Marshal(v)\n"                             // 20
          "\treturn err\n"                                  // 21
          "}\n"                                             // 22
          "\n"                                              // 23
          "func shadowed(yaml *json.Decoder) {\n"           // 24
          "\tyaml.Decode(nil)\n"                            // 25
          "}\n"                                             // 26
          "\n"                                              // 27
          "func chained() {\n"                              // 28
          "\tyaml.NewDecoder(nil).Decode(nil)\n"            // 29
          "}\n");
  t.write("dot.go",
          "package main\n"
          "\n"
          "import . \"gopkg.in/yaml.v2\"\n"
          "\n"
          "func helper() {}\n"
          "\n"
          "func viaDot(b []byte) {\n"
          "\tUnmarshal(b, nil)\n"  // 8
          "\thelper()\n"
          "}\n");
  const auto index = ImportIndex::build(t.root());

  // `yaml.Unmarshal`, not encoding/json's Unmarshal on line 18; the dot import's unqualified call.
  const auto unmarshal = index.reachabilityOf("go", "gopkg.in/yaml.v2", "", {"yaml.Unmarshal"});
  ASSERT_EQ(unmarshal.reach, Reach::Called) << unmarshal.why;
  EXPECT_EQ(callsOf(unmarshal), "dot.go:8 Unmarshal, main.go:13 Unmarshal");
  // A method, through the variable `yaml.NewDecoder` returns; line 25's `yaml` is a *json.Decoder.
  const auto decode = index.reachabilityOf("go", "gopkg.in/yaml.v2", "", {"Decoder.Decode"});
  ASSERT_EQ(decode.reach, Reach::Called) << decode.why;
  EXPECT_EQ(callsOf(decode), "main.go:17 Decoder.Decode, main.go:29 Decoder.Decode");
  // A package function named like the method is not the method, nor the other way round.
  EXPECT_EQ(index.reachabilityOf("go", "gopkg.in/yaml.v2", "", {"yaml.Decode"}).reach, Reach::ImportedNotCalled);
  EXPECT_EQ(index.reachabilityOf("go", "gopkg.in/yaml.v2", "", {"Decoder.Unmarshal"}).reach, Reach::ImportedNotCalled);
  const auto marshal = index.reachabilityOf("go", "gopkg.in/yaml.v2", "", {"yaml.Marshal"});
  EXPECT_EQ(marshal.reach, Reach::ImportedNotCalled) << marshal.why;
  EXPECT_NE(marshal.why.find("none of its vulnerable functions (yaml.Marshal)"), std::string::npos) << marshal.why;

  // "jwt-go" binds jwt; "go-toml/v2" binds toml (here aliased anyway).
  const auto jwt = index.reachabilityOf("go", "github.com/dgrijalva/jwt-go", "", {"github.com/dgrijalva/jwt-go.Parse"});
  ASSERT_EQ(jwt.reach, Reach::Called) << jwt.why;
  EXPECT_EQ(callsOf(jwt), "main.go:19 Parse");
  EXPECT_EQ(callsOf(index.reachabilityOf("go", "github.com/pelletier/go-toml/v2", "", {"Marshal"})), "main.go:20 Marshal");
  // A blank import runs the package's init only.
  EXPECT_EQ(index.reachabilityOf("go", "golang.org/x/text", "", {"language.Parse"}).reach, Reach::ImportedNotCalled);
  EXPECT_EQ(index.reachabilityOf("go", "github.com/gin-gonic/gin", "", {"Context.JSON"}).reach, Reach::NotImported);
}

TEST(Reachability, GoImportPathsBindTheirConventionalPackageName) {
  EXPECT_EQ(detail::goPackageName("github.com/go-yaml/yaml/v3"), "yaml");
  EXPECT_EQ(detail::goPackageName("gopkg.in/yaml.v2"), "yaml");
  EXPECT_EQ(detail::goPackageName("github.com/mattn/go-sqlite3"), "sqlite3");
  EXPECT_EQ(detail::goPackageName("github.com/dgrijalva/jwt-go"), "jwt");
  EXPECT_EQ(detail::goPackageName("github.com/satori/go.uuid"), "uuid");
  EXPECT_EQ(detail::goPackageName("net/http"), "http");
  EXPECT_EQ(detail::goPackageName("v2"), "v2");
}

TEST(Reachability, JavaCallsThroughImportsDeclaredTypesAndStaticImports) {
  Tree t;
  t.write("pom.xml",
          "<project><dependencies>"
          "<dependency><groupId>org.yaml</groupId><artifactId>snakeyaml</artifactId></dependency>"
          "<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId></dependency>"
          "<dependency><groupId>org.apache.commons</groupId><artifactId>commons-text</artifactId></dependency>"
          "<dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId></dependency>"
          "</dependencies></project>");
  t.write("src/main/java/app/Config.java",
          "package app;\n"                                                            // 1
          "\n"                                                                        // 2
          "import org.yaml.snakeyaml.Yaml;\n"                                         // 3
          "import org.apache.logging.log4j.*;\n"                                      // 4
          "import static org.apache.commons.text.StringEscapeUtils.escapeJava;\n"     // 5
          "\n"                                                                        // 6
          "class Config {\n"                                                          // 7
          "  private final Yaml yaml = new Yaml();\n"                                 // 8
          "  private static final Logger LOG = LogManager.getLogger(Config.class);\n" // 9
          "\n"                                                                        // 10
          "  Object read(String s) {\n"                                               // 11
          "    Object o = yaml.load(s);\n"                                            // 12
          "    LOG.error(escapeJava(s));\n"                                           // 13
          "    return o;\n"                                                           // 14
          "  }\n"                                                                     // 15
          "\n"                                                                        // 16
          "  Object other(Parser yaml) {\n"                                           // 17
          "    return yaml.load(\"x\");\n"                                            // 18
          "  }\n"                                                                     // 19
          "}\n");
  t.write("src/main/java/app/Chain.java",
          "package app;\n"
          "\n"
          "import org.yaml.snakeyaml.Yaml;\n"
          "\n"
          "class Chain {\n"
          "  Object first(String s) { return new Yaml().load(s).get(0); }\n"
          "}\n");
  t.write("src/main/java/app/Parser.java", "package app;\n\nclass Parser {\n  Object load(String s) { return s; }\n}\n");
  // The project's own Yaml, used without the import: not snakeyaml's.
  t.write("src/main/java/app/Yaml.java", "package app;\n\nclass Yaml {\n  Object load(String s) { return s; }\n}\n");
  t.write("src/main/java/app/Other.java",
          "package app;\n"
          "\n"
          "import java.util.List;\n"
          "\n"
          "class Other {\n"
          "  Object parse(String s) {\n"
          "    Yaml y = new Yaml();\n"
          "    return y.load(s);\n"
          "  }\n"
          "}\n");
  const auto index = ImportIndex::build(t.root());

  // Through the field declared `Yaml yaml`; line 18's `yaml` is a Parser, Other.java's a local Yaml.
  const auto load = index.reachabilityOf("maven", "org.yaml:snakeyaml", "", {"org.yaml.snakeyaml.Yaml.load"});
  ASSERT_EQ(load.reach, Reach::Called) << load.why;
  EXPECT_EQ(callsOf(load), "src/main/java/app/Chain.java:6 Yaml.load, src/main/java/app/Config.java:12 Yaml.load");
  // Constructors, as Snyk names them.
  EXPECT_EQ(callsOf(index.reachabilityOf("maven", "org.yaml:snakeyaml", "", {"org.yaml.snakeyaml.Yaml.<init>"})),
            "src/main/java/app/Chain.java:6 Yaml, src/main/java/app/Config.java:8 Yaml");
  // `get` is called on what load returns, not on snakeyaml's types.
  EXPECT_EQ(index.reachabilityOf("maven", "org.yaml:snakeyaml", "", {"get"}).reach, Reach::ImportedNotCalled);
  EXPECT_EQ(index.reachabilityOf("maven", "org.yaml:snakeyaml", "", {"Yaml.dump"}).reach, Reach::ImportedNotCalled);
  // Parameter lists as some advisories write them.
  EXPECT_EQ(index.reachabilityOf("maven", "org.yaml:snakeyaml", "", {"org.yaml.snakeyaml.Yaml.load(java.lang.String)"}).reach,
            Reach::Called);
  // A statically imported method, called unqualified.
  EXPECT_EQ(callsOf(index.reachabilityOf("maven", "org.apache.commons:commons-text", "",
                                         {"org.apache.commons.text.StringEscapeUtils.escapeJava"})),
            "src/main/java/app/Config.java:13 StringEscapeUtils.escapeJava");

  // Through a wildcard import: only when the advisory names the type (and its package matches).
  const auto getLogger = index.reachabilityOf("maven", "org.apache.logging.log4j:log4j-core", "",
                                              {"org.apache.logging.log4j.LogManager.getLogger"});
  ASSERT_EQ(getLogger.reach, Reach::Called) << getLogger.why;
  EXPECT_EQ(callsOf(getLogger), "src/main/java/app/Config.java:9 LogManager.getLogger");
  EXPECT_EQ(callsOf(index.reachabilityOf("maven", "org.apache.logging.log4j:log4j-core", "", {"Logger.error"})),
            "src/main/java/app/Config.java:13 Logger.error");
  EXPECT_EQ(index.reachabilityOf("maven", "org.apache.logging.log4j:log4j-core", "", {"getLogger"}).reach,
            Reach::ImportedNotCalled);
  EXPECT_EQ(index.reachabilityOf("maven", "org.apache.logging.log4j:log4j-core", "",
                                 {"org.apache.logging.log4j.spi.LogManager.getLogger"}).reach,
            Reach::ImportedNotCalled);
  EXPECT_EQ(index.reachabilityOf("maven", "com.google.guava:guava", "", {"Files.createTempDir"}).reach, Reach::NotImported);
  EXPECT_EQ(index.reachabilityOf("maven", "com.fasterxml.jackson.core:jackson-databind", "").reach, Reach::Unknown);

  // Packages whose name is not their group's: jackson-databind's is its sibling, guava's and
  // commons-io's are their own.
  t.write("src/main/java/app/Json.java",
          "package app;\n"
          "\n"
          "import com.fasterxml.jackson.databind.ObjectMapper;\n"
          "import com.google.common.io.Files;\n"
          "import org.apache.commons.io.FileUtils;\n"
          "\n"
          "class Json {\n"
          "  Object read(String s) throws Exception {\n"
          "    ObjectMapper mapper = new ObjectMapper();\n"
          "    Files.createTempDir();\n"
          "    return mapper.readValue(s, Object.class);\n"
          "  }\n"
          "}\n");
  {
    const auto json = ImportIndex::build(t.root());
    const auto readValue = json.reachabilityOf("maven", "com.fasterxml.jackson.core:jackson-databind", "",
                                               {"com.fasterxml.jackson.databind.ObjectMapper.readValue"});
    ASSERT_EQ(readValue.reach, Reach::Called) << readValue.why;
    EXPECT_EQ(callsOf(readValue), "src/main/java/app/Json.java:11 ObjectMapper.readValue");
    EXPECT_EQ(callsOf(json.reachabilityOf("maven", "com.google.guava:guava", "", {"com.google.common.io.Files.createTempDir"})),
              "src/main/java/app/Json.java:10 Files.createTempDir");
    EXPECT_EQ(json.reachabilityOf("maven", "commons-io:commons-io", "").reach, Reach::Imported);
  }

  // A project class of the same name shadows the wildcard import.
  t.write("src/main/java/app/LogManager.java", "package app;\n\nclass LogManager {\n  static Object getLogger(Class<?> c) { return c; }\n}\n");
  EXPECT_EQ(ImportIndex::build(t.root())
                .reachabilityOf("maven", "org.apache.logging.log4j:log4j-core", "", {"org.apache.logging.log4j.LogManager.getLogger"})
                .reach,
            Reach::ImportedNotCalled);
}

TEST(Reachability, CSharpCallsThroughUsingAliasesAndNamespaces) {
  Tree t;
  t.write("Api.csproj",
          "<Project><ItemGroup><PackageReference Include=\"Newtonsoft.Json\" Version=\"12.0.1\" />"
          "<PackageReference Include=\"YamlDotNet\" Version=\"8.0.0\" /></ItemGroup></Project>");
  t.write("Program.cs",
          "using System;\n"                                                         // 1
          "using Newtonsoft.Json;\n"                                                // 2
          "using Y = YamlDotNet.Serialization.Deserializer;\n"                      // 3
          "\n"                                                                      // 4
          "namespace App\n"                                                         // 5
          "{\n"                                                                     // 6
          "    class Program\n"                                                     // 7
          "    {\n"                                                                 // 8
          "        static object Read(string s)\n"                                  // 9
          "        {\n"                                                             // 10
          "            var settings = new JsonSerializerSettings();\n"              // 11
          "            var o = JsonConvert.DeserializeObject<object>(s, settings);\n"  // 12
          "            var y = new Y();\n"                                          // 13
          "            y.Deserialize<object>(s);\n"                                 // 14
          "            Console.WriteLine(o);\n"                                     // 15
          "            return o;\n"                                                 // 16
          "        }\n"                                                             // 17
          "    }\n"                                                                 // 18
          "}\n");
  // The project's own JsonSerializer: a call of it is not Newtonsoft's.
  t.write("Helpers.cs",
          "using Newtonsoft.Json;\n"
          "\n"
          "namespace App\n"
          "{\n"
          "    static class JsonSerializer\n"
          "    {\n"
          "        public static object Deserialize(string s) { return s; }\n"
          "    }\n"
          "\n"
          "    class Helpers\n"
          "    {\n"
          "        object Go(string s) { return JsonSerializer.Deserialize(s); }\n"
          "    }\n"
          "}\n");
  const auto index = ImportIndex::build(t.root());

  const auto deserialize = index.reachabilityOf("nuget", "Newtonsoft.Json", "", {"Newtonsoft.Json.JsonConvert.DeserializeObject"});
  ASSERT_EQ(deserialize.reach, Reach::Called) << deserialize.why;
  EXPECT_EQ(callsOf(deserialize), "Program.cs:12 JsonConvert.DeserializeObject");
  EXPECT_EQ(callsOf(index.reachabilityOf("nuget", "Newtonsoft.Json", "",
                                         {"Newtonsoft.Json.JsonConvert.DeserializeObject<T>(string, JsonSerializerSettings)"})),
            "Program.cs:12 JsonConvert.DeserializeObject");
  EXPECT_EQ(callsOf(index.reachabilityOf("nuget", "Newtonsoft.Json", "", {"Newtonsoft.Json.JsonSerializerSettings..ctor"})),
            "Program.cs:11 JsonSerializerSettings");
  // `using Newtonsoft.Json;` cannot tell whose DeserializeObject an unnamed type would be.
  const auto untyped = index.reachabilityOf("nuget", "Newtonsoft.Json", "", {"DeserializeObject"});
  EXPECT_EQ(untyped.reach, Reach::ImportedNotCalled);
  EXPECT_NE(untyped.why.find("1 call of the same name through a namespace or wildcard import (first at Program.cs:12)"),
            std::string::npos)
      << untyped.why;
  EXPECT_EQ(index.reachabilityOf("nuget", "Newtonsoft.Json", "", {"Newtonsoft.Json.JsonSerializer.Deserialize"}).reach,
            Reach::ImportedNotCalled);

  // Through an alias of the type, and a variable constructed from it.
  const auto yaml = index.reachabilityOf("nuget", "YamlDotNet", "", {"YamlDotNet.Serialization.Deserializer.Deserialize"});
  ASSERT_EQ(yaml.reach, Reach::Called) << yaml.why;
  EXPECT_EQ(callsOf(yaml), "Program.cs:14 Deserializer.Deserialize");
  EXPECT_EQ(index.reachabilityOf("nuget", "YamlDotNet", "", {"Deserialize"}).reach, Reach::Called);
}

TEST(Reachability, RubyGemsAreCalledThroughTheirConstants) {
  Tree t;
  t.write("Gemfile",
          "source 'https://rubygems.org'\ngem 'nokogiri', '1.10.0'\ngem 'psych'\ngem 'rack'\ngem 'activesupport'\ngem 'config'\n");
  // The application's own Config, not the config gem's.
  t.write("app/models/config.rb", "class Config\n  def self.load(x)\n    x\n  end\nend\n");
  t.write("app/boot.rb", "Config.load('settings.yml')\n");
  t.write("app/parse.rb",
          "require 'nokogiri'\n"                     // 1
          "require 'yaml'\n"                         // 2
          "\n"                                       // 3
          "def parse(xml, text)\n"                   // 4
          "  doc = Nokogiri::XML(xml)\n"             // 5
          "  Nokogiri::XML::Document.parse(xml)\n"   // 6
          "  YAML.load(text)\n"                      // 7
          "  doc.xpath('//a')\n"                     // 8
          "  JSON.parse(text)\n"                     // 9
          "end\n");
  // No require: Bundler.require loads the Gemfile's gems.
  t.write("app/util.rb", "module Util\n  def self.decode(x)\n    ActiveSupport::JSON.decode(x)\n  end\nend\n");
  const auto index = ImportIndex::build(t.root());

  EXPECT_EQ(callsOf(index.reachabilityOf("gem", "nokogiri", "", {"Nokogiri::XML"})), "app/parse.rb:5 Nokogiri.XML");
  // Document.parse, not JSON.parse on line 9.
  const auto parse = index.reachabilityOf("gem", "nokogiri", "", {"Nokogiri::XML::Document.parse"});
  ASSERT_EQ(parse.reach, Reach::Called) << parse.why;
  EXPECT_EQ(callsOf(parse), "app/parse.rb:6 Nokogiri::XML::Document.parse");
  EXPECT_EQ(callsOf(index.reachabilityOf("gem", "nokogiri", "", {"XML::Document.parse"})), "app/parse.rb:6 Nokogiri::XML::Document.parse");
  // Instance methods are called on objects whose class is not known here.
  EXPECT_EQ(index.reachabilityOf("gem", "nokogiri", "", {"Nokogiri::XML::Node#xpath"}).reach, Reach::ImportedNotCalled);

  // psych defines YAML as well as Psych.
  const auto psych = index.reachabilityOf("gem", "psych", "", {"Psych.load"});
  ASSERT_EQ(psych.reach, Reach::Called) << psych.why;
  EXPECT_EQ(callsOf(psych), "app/parse.rb:7 YAML.load");
  const auto as = index.reachabilityOf("gem", "activesupport", "", {"ActiveSupport::JSON.decode"});
  ASSERT_EQ(as.reach, Reach::Called) << as.why;
  EXPECT_EQ(callsOf(as), "app/util.rb:3 ActiveSupport::JSON.decode");
  ASSERT_FALSE(as.sites.empty());
  EXPECT_EQ(as.sites[0].file + ":" + std::to_string(as.sites[0].line), "app/util.rb:3");
  EXPECT_NE(as.why.find("without a require"), std::string::npos) << as.why;
  EXPECT_EQ(index.reachabilityOf("gem", "rack", "", {"Rack::Utils.parse_nested_query"}).reach, Reach::NotImported);
  const auto config = index.reachabilityOf("gem", "config", "", {"Config.load"});
  EXPECT_EQ(config.reach, Reach::NotImported) << config.why;

  EXPECT_EQ(detail::rubyConstants("active_support"), std::vector<std::string>{"ActiveSupport"});
  EXPECT_EQ(detail::rubyConstants("net-http"), std::vector<std::string>{"Net::HTTP"});
  EXPECT_EQ(detail::rubyConstants("aws-sdk_core"), std::vector<std::string>{"Aws::SdkCore"});
}

TEST(Reachability, ComposerPackagesByTheirAutoloadNamespaces) {
  Tree t;
  t.write("composer.json",
          R"({"require": {"guzzlehttp/guzzle": "^6.5", "monolog/monolog": "^2.0", "twig/twig": "^3.0",)"
          R"( "league/flysystem": "^1.0", "barryvdh/laravel-debugbar": "^3.0", "psr/log": "^1.0"}})");
  t.write("composer.lock", R"({
    "packages": [
        {
            "name": "guzzlehttp/guzzle",
            "version": "6.5.0",
            "autoload": {
                "psr-4": {
                    "GuzzleHttp\\": "src/"
                },
                "files": ["src/functions_include.php"]
            },
            "authors": [{"name": "Michael Dowling"}]
        },
        {
            "name": "psr/log",
            "autoload": {"psr-4": {"Psr\\Log\\": "Psr/Log/"}}
        },
        {
            "name": "league/flysystem",
            "autoload": {"psr-4": {"League\\Flysystem\\": "src"}}
        },
        {
            "name": "barryvdh/laravel-debugbar",
            "autoload": {"psr-4": {"Barryvdh\\Debugbar\\": "src/"}},
            "extra": {"laravel": {"providers": ["Barryvdh\\Debugbar\\ServiceProvider"]}}
        }
    ]
})");
  t.write("vendor/monolog/monolog/composer.json",
          R"({"name": "monolog/monolog", "autoload": {"psr-4": {"Monolog\\": "src/Monolog"}}, "autoload-dev": {"psr-4": {"Monolog\\Test\\": "tests"}}})");
  t.write("src/Api.php",
          "<?php\n"                                                          // 1
          "namespace App;\n"                                                 // 2
          "\n"                                                               // 3
          "use GuzzleHttp\\Client;\n"                                        // 4
          "use Monolog\\Logger as Log;\n"                                    // 5
          "\n"                                                               // 6
          "class Api\n"                                                      // 7
          "{\n"                                                              // 8
          "    public function __construct()\n"                              // 9
          "    {\n"                                                          // 10
          "        $this->client = new Client(['base_uri' => 'https://x']);\n"  // 11
          "    }\n"                                                          // 12
          "\n"                                                               // 13
          "    public function fetch(Log $log)\n"                            // 14
          "    {\n"                                                          // 15
          "        $log->info('fetch');\n"                                   // 16
          "        $response = $this->client->request('GET', '/');\n"        // 17
          "        $other = new Cache();\n"                                  // 18
          "        $other->request('GET', '/');\n"                           // 19
          "        return \\GuzzleHttp\\json_encode($response);\n"           // 20
          "    }\n"                                                          // 21
          "}\n");
  t.write("src/Cache.php", "<?php\nnamespace App;\n\nclass Cache\n{\n    public function request($m, $u) {}\n}\n");
  // A qualified name needs no `use`.
  t.write("src/Files.php", "<?php\nnamespace App;\n\nfunction disk($adapter)\n{\n    return new \\League\\Flysystem\\Filesystem($adapter);\n}\n");
  const auto index = ImportIndex::build(t.root());

  // $this->client holds a Client; $other's request is the project's Cache.
  const auto request = index.reachabilityOf("composer", "guzzlehttp/guzzle", "", {"GuzzleHttp\\Client::request"});
  ASSERT_EQ(request.reach, Reach::Called) << request.why;
  EXPECT_EQ(callsOf(request), "src/Api.php:17 Client.request");
  EXPECT_NE(request.why.find("namespace GuzzleHttp\\ from composer.lock"), std::string::npos) << request.why;
  // The `use`, and a qualified function name.
  ASSERT_EQ(request.sites.size(), 2u);
  EXPECT_EQ(request.sites[0].file + ":" + std::to_string(request.sites[0].line), "src/Api.php:4");
  EXPECT_EQ(request.sites[1].file + ":" + std::to_string(request.sites[1].line), "src/Api.php:20");
  EXPECT_EQ(callsOf(index.reachabilityOf("composer", "guzzlehttp/guzzle", "", {"GuzzleHttp\\Client::__construct"})),
            "src/Api.php:11 Client");
  EXPECT_EQ(callsOf(index.reachabilityOf("composer", "guzzlehttp/guzzle", "", {"GuzzleHttp\\json_encode"})),
            "src/Api.php:20 json_encode");
  EXPECT_EQ(index.reachabilityOf("composer", "guzzlehttp/guzzle", "", {"GuzzleHttp\\Client::sendAsync"}).reach,
            Reach::ImportedNotCalled);

  // An aliased import, through a typed parameter; the namespace read from vendor/.
  const auto info = index.reachabilityOf("composer", "monolog/monolog", "", {"Monolog\\Logger::info"});
  ASSERT_EQ(info.reach, Reach::Called) << info.why;
  EXPECT_EQ(callsOf(info), "src/Api.php:16 Logger.info");
  EXPECT_NE(info.why.find("from vendor/monolog/monolog/composer.json"), std::string::npos) << info.why;

  // Neither in the lock file nor in vendor/: the namespace is a guess, and says so.
  // Not being imported under a guessed namespace proves nothing: unknown, not unreachable.
  const auto twig = index.reachabilityOf("composer", "twig/twig", "", {"Twig\\Environment::render"});
  EXPECT_EQ(twig.reach, Reach::Unknown) << twig.why;
  EXPECT_NE(twig.why.find("namespace Twig\\ guessed from the package name"), std::string::npos) << twig.why;

  const auto flysystem = index.reachabilityOf("composer", "league/flysystem", "", {"League\\Flysystem\\Filesystem::__construct"});
  ASSERT_EQ(flysystem.reach, Reach::Called) << flysystem.why;
  ASSERT_EQ(flysystem.sites.size(), 1u);
  EXPECT_EQ(flysystem.sites[0].file + ":" + std::to_string(flysystem.sites[0].line), "src/Files.php:6");
  EXPECT_EQ(callsOf(flysystem), "src/Files.php:6 Filesystem");
  // Declared and read from the lock file, never imported: unreachable, unless Laravel registers it.
  EXPECT_EQ(index.reachabilityOf("composer", "psr/log", "").reach, Reach::NotImported);
  const auto debugbar = index.reachabilityOf("composer", "barryvdh/laravel-debugbar", "");
  EXPECT_EQ(debugbar.reach, Reach::Unknown) << debugbar.why;
  EXPECT_NE(debugbar.why.find("package discovery"), std::string::npos) << debugbar.why;
  EXPECT_EQ(detail::phpNamespaces(t.root(), "", "symfony/http-foundation").namespaces.front(),
            "Symfony\\Component\\HttpFoundation");
}

TEST(Reachability, TheOracleScoresAGoCallAndAnUncalledImport) {
  Tree t;
  t.write("svc/go.mod", "module example.com/svc\nrequire gopkg.in/yaml.v2 v2.2.2\n");
  t.write("svc/main.go", "package main\n\nimport \"gopkg.in/yaml.v2\"\n\nfunc main() {\n\tyaml.Unmarshal(nil, nil)\n}\n");
  const auto oracle = reachabilityOracle(t.root());
  const auto called = oracle("Go", "gopkg.in/yaml.v2", "svc/go.mod", {"gopkg.in/yaml.v2.Unmarshal"});
  ASSERT_TRUE(called);
  EXPECT_EQ(called->value, "reachable");
  EXPECT_DOUBLE_EQ(called->multiplier, 1.0);
  ASSERT_EQ(called->sites.size(), 2u);
  EXPECT_EQ(called->sites[0].uri, "svc/main.go");
  EXPECT_EQ(called->sites[0].region.startLine, 3u);
  EXPECT_EQ(called->sites[1].region.startLine, 6u);
  EXPECT_EQ(called->sites[1].logicalName, "Unmarshal");
  const auto notCalled = oracle("Go", "gopkg.in/yaml.v2", "svc/go.mod", {"Decoder.Decode"});
  ASSERT_TRUE(notCalled);
  EXPECT_EQ(notCalled->value, "imported");
  EXPECT_DOUBLE_EQ(notCalled->multiplier, 0.75);
}

TEST(Reachability, ConcurrentQuestionsFindTheCallsOnce) {
  Tree t;
  t.write("go.mod", "module example.com/svc\nrequire gopkg.in/yaml.v2 v2.2.2\n");
  for (int i = 0; i < 20; ++i)
    t.write("pkg" + std::to_string(i) + "/a.go",
            "package p\n\nimport \"gopkg.in/yaml.v2\"\n\nfunc F() {\n\tyaml.Unmarshal(nil, nil)\n}\n");
  const auto index = ImportIndex::build(t.root());
  std::vector<std::size_t> found(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < found.size(); ++i)
    threads.emplace_back([&, i] { found[i] = index.reachabilityOf("go", "gopkg.in/yaml.v2", "", {"Unmarshal"}).calls.size(); });
  for (auto& th : threads) th.join();
  for (const std::size_t n : found) EXPECT_EQ(n, 20u);
}

}  // namespace
}  // namespace aspm::mapping
