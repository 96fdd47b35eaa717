// Dependency upgrades: every manifest format with a realistic file, the operator-keeping rules,
// transitive and unsupported declarations with their reasons, and one upgrade per package with
// a fixed version in the real SCA reports of the shared fixture corpus.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "remediation/manifest.h"
#include "support/text.h"

namespace aspm::remediation {
namespace {

// Applies edits (non-overlapping) from the last to the first, as an editor would.
std::string applyEdit(std::string_view text, std::vector<TextEdit> edits) {
  const support::LineIndex index(text);
  auto offset = [&](std::uint32_t line, std::uint32_t character) {
    return index.lineStart(line) + support::byteOffsetOfUtf16Column(support::lineText(text, index, line), character);
  };
  std::sort(edits.begin(), edits.end(), [](const TextEdit& a, const TextEdit& b) {
    return a.startLine != b.startLine ? a.startLine > b.startLine : a.startCharacter > b.startCharacter;
  });
  std::string out(text);
  for (const TextEdit& e : edits) {
    const std::size_t b = offset(e.startLine, e.startCharacter);
    const std::size_t end = offset(e.endLine, e.endCharacter);
    out.replace(b, end - b, e.newText);
  }
  return out;
}

struct Upgraded {
  std::string text;
  std::string title;
  std::string note;
  std::string error;
  std::size_t edits = 0;
};

Upgraded upgrade(std::string_view path, std::string_view text, std::string_view package, std::string_view fixed) {
  const auto r = upgradeDependency(path, text, package, fixed);
  if (!r) return Upgraded{{}, {}, {}, r.error, 0};
  return Upgraded{applyEdit(text, r->edits), r->title, r->note, {}, r->edits.size()};
}

// --- package.json

const char* const kPackageJson = R"({
  "name": "node-app",
  "version": "1.0.0",
  "scripts": { "lodash": "echo not a dependency" },
  "dependencies": {
    "express": "~4.16.0",
    "jquery": "3.3.9",
    "lodash": "^4.17.4",
    "lodash.merge": ">=4.6.0"
  },
  "devDependencies": {
    "lodash": "^4.17.4",
    "mocha": "*"
  }
}
)";

TEST(Manifest, PackageJsonEditsEveryDeclarationAndKeepsTheCaret) {
  const Upgraded u = upgrade("node-app/package.json", kPackageJson, "lodash", "4.17.21");
  ASSERT_TRUE(u.error.empty()) << u.error;
  EXPECT_EQ(u.edits, 2u);
  std::string expected = kPackageJson;
  for (std::size_t at = expected.find("\"lodash\": \"^4.17.4\""); at != std::string::npos;
       at = expected.find("\"lodash\": \"^4.17.4\"", at))
    expected.replace(at, 19, "\"lodash\": \"^4.17.21\"");
  EXPECT_EQ(u.text, expected);
  EXPECT_EQ(u.title, "Upgrade lodash to 4.17.21 in package.json (2 declarations)");
  // Scripts named like the package are not dependencies.
  EXPECT_NE(u.text.find("\"lodash\": \"echo not a dependency\""), std::string::npos);
}

TEST(Manifest, PackageJsonOperators) {
  auto one = [](std::string_view spec, std::string_view fixed) {
    const std::string text = "{\"dependencies\": {\"pkg\": \"" + std::string(spec) + "\"}}";
    const Upgraded u = upgrade("package.json", text, "pkg", fixed);
    if (!u.error.empty()) return "error: " + u.error;
    const auto b = u.text.find("\"pkg\": \"") + 8;
    return u.text.substr(b, u.text.find('"', b) - b);
  };
  EXPECT_EQ(one("^1.2.3", "1.2.5"), "^1.2.5");
  EXPECT_EQ(one("~1.2.3", "1.3.0"), "~1.3.0");
  EXPECT_EQ(one("1.2.3", "1.2.5"), "1.2.5");  // exact stays exact
  EXPECT_EQ(one("=1.2.3", "1.2.5"), "=1.2.5");
  EXPECT_EQ(one(">=1.2.3", "1.2.5"), ">=1.2.5");
  EXPECT_EQ(one(">1.2.3", "1.2.5"), ">=1.2.5");
  EXPECT_EQ(one("*", "1.2.5"), "^1.2.5");
  EXPECT_EQ(one("1.x", "1.2.5"), "^1.2.5");
  EXPECT_EQ(one(">=1.0.0 <2.0.0", "1.2.5"), "^1.2.5");
  EXPECT_EQ(one("^1.2.3", ">= 1.2.5"), "^1.2.5");  // a scanner's ">=" is not part of the version
  EXPECT_NE(one("^1.3.0", "1.2.5").find("already requires 1.2.5 or later"), std::string::npos);
  EXPECT_NE(one("git+https://github.com/x/pkg.git", "1.2.5").find("non-registry"), std::string::npos);
  EXPECT_NE(one("file:../pkg", "1.2.5").find("non-registry"), std::string::npos);
  EXPECT_NE(one("^1.2.3", "1.2.5, 2.0.1").find("not a single version"), std::string::npos);
}

TEST(Manifest, PackageJsonTransitiveAndInvalid) {
  const Upgraded t = upgrade("package.json", kPackageJson, "minimist", "1.2.6");
  EXPECT_NE(t.error.find("minimist is not declared directly in package.json"), std::string::npos) << t.error;
  EXPECT_NE(t.error.find("transitive"), std::string::npos);
  EXPECT_NE(t.error.find("overrides"), std::string::npos);
  // A dot in the name is a dot, not "any character".
  const Upgraded dot =
      upgrade("package.json", R"({"dependencies": {"lodashXmerge": "1.0.0"}})", "lodash.merge", "4.6.2");
  EXPECT_NE(dot.error.find("transitive"), std::string::npos);
  const Upgraded m = upgrade("package.json", kPackageJson, "lodash.merge", "4.6.2");
  EXPECT_NE(m.text.find("\"lodash.merge\": \">=4.6.2\""), std::string::npos);
  const Upgraded bad = upgrade("package.json", "{\"dependencies\": {\"a\": \"1\",}", "a", "2");
  EXPECT_NE(bad.error.find("not valid JSON"), std::string::npos) << bad.error;
}

TEST(Manifest, PackageJsonCrlfAndScopedNames) {
  const std::string text = "{\r\n  \"devDependencies\": {\r\n    \"@types/node\": \"^18.0.0\"\r\n  }\r\n}\r\n";
  const Upgraded u = upgrade("package.json", text, "@types/node", "18.19.3");
  EXPECT_EQ(u.text, "{\r\n  \"devDependencies\": {\r\n    \"@types/node\": \"^18.19.3\"\r\n  }\r\n}\r\n");
  EXPECT_EQ(u.title, "Upgrade @types/node from ^18.0.0 to ^18.19.3 in package.json");
}

// --- composer.json

TEST(Manifest, ComposerRequireAndRequireDev) {
  const std::string text = R"({
    "require": {
        "php": ">=7.2",
        "guzzlehttp/guzzle": "^6.2"
    },
    "require-dev": {
        "GuzzleHttp/Guzzle": "6.2.0",
        "phpunit/phpunit": "^8 || ^9"
    }
})";
  const Upgraded u = upgrade("php-app/composer.json", text, "guzzlehttp/guzzle", "6.2.1");
  ASSERT_TRUE(u.error.empty()) << u.error;
  EXPECT_NE(u.text.find("\"guzzlehttp/guzzle\": \"^6.2.1\""), std::string::npos);
  EXPECT_NE(u.text.find("\"GuzzleHttp/Guzzle\": \"6.2.1\""), std::string::npos);
  const Upgraded alt = upgrade("composer.json", text, "phpunit/phpunit", "9.5.1");
  EXPECT_NE(alt.text.find("\"phpunit/phpunit\": \"^9.5.1\""), std::string::npos);
  EXPECT_NE(
      upgrade("composer.json", R"({"require": {"a/b": "dev-master"}})", "a/b", "1.0").error.find("development branch"),
      std::string::npos);
  EXPECT_NE(upgrade("composer.json", text, "monolog/monolog", "2.0").error.find("transitive"), std::string::npos);
}

// --- requirements.txt

const char* const kRequirements =
    "# production pins\n"
    "-r base.txt\n"
    "--index-url https://pypi.org/simple\n"
    "Django==2.0.9  # web framework\n"
    "django_cors_headers>=2.5.2\n"
    "Jinja2[i18n]==2.10.1\n"
    "PyYAML>=5.1,<6\n"
    "urllib3==1.24.1 ; python_version >= \"3.6\"\n"
    "httplib2~=0.12.1\n"
    "requests\n"
    "zope.interface==4.6.0\n";

TEST(Manifest, RequirementsOperatorsExtrasMarkersAndNormalisedNames) {
  auto line = [](const Upgraded& u, std::string_view prefix) {
    const auto b = u.text.find(prefix);
    if (b == std::string::npos) return "error: " + u.error;
    return u.text.substr(b, u.text.find('\n', b) - b);
  };
  EXPECT_EQ(line(upgrade("requirements.txt", kRequirements, "django", "2.2.13"), "Django"),
            "Django==2.2.13  # web framework");
  EXPECT_EQ(line(upgrade("requirements.txt", kRequirements, "django-cors-headers", "3.0.0"), "django_cors"),
            "django_cors_headers>=3.0.0");
  EXPECT_EQ(line(upgrade("requirements.txt", kRequirements, "jinja2", "2.11.3"), "Jinja2"), "Jinja2[i18n]==2.11.3");
  EXPECT_EQ(line(upgrade("requirements.txt", kRequirements, "pyyaml", "5.4"), "PyYAML"), "PyYAML>=5.4,<6");
  // An upper bound that excludes the fix is dropped.
  EXPECT_EQ(line(upgrade("requirements.txt", kRequirements, "PyYAML", "6.0.1"), "PyYAML"), "PyYAML>=6.0.1");
  EXPECT_EQ(line(upgrade("requirements.txt", kRequirements, "urllib3", "1.25.9"), "urllib3"),
            "urllib3==1.25.9 ; python_version >= \"3.6\"");
  EXPECT_EQ(line(upgrade("requirements.txt", kRequirements, "httplib2", "0.19.0"), "httplib2"), "httplib2~=0.19.0");
  EXPECT_EQ(line(upgrade("requirements.txt", kRequirements, "requests", "2.31.0"), "requests"), "requests>=2.31.0");
  EXPECT_EQ(line(upgrade("requirements.txt", kRequirements, "zope-interface", "5.0"), "zope"), "zope.interface==5.0");
  const Upgraded t = upgrade("requirements.txt", kRequirements, "idna", "3.7");
  EXPECT_NE(t.error.find("idna is not declared directly in requirements.txt"), std::string::npos) << t.error;
  EXPECT_NE(t.error.find("transitive"), std::string::npos);
}

TEST(Manifest, RequirementsRulesForClauseLists) {
  auto spec = [](std::string_view req, std::string_view fixed) {
    const Upgraded u = upgrade("requirements/prod.txt", std::string(req) + "\n", "pkg", fixed);
    return u.error.empty() ? u.text.substr(0, u.text.size() - 1) : "error: " + u.error;
  };
  EXPECT_EQ(spec("pkg>=1.0, <2.0, !=1.5", "1.5"), "pkg>=1.5, <2.0");
  EXPECT_EQ(spec("pkg<2.0", "1.5"), "pkg>=1.5,<2.0");
  // A wildcard pin that admits the fix is kept, with the fix as the new floor; one that
  // excludes it goes.
  EXPECT_EQ(spec("pkg==1.*", "1.5"), "pkg>=1.5,==1.*");
  EXPECT_EQ(spec("pkg==1.*", "2.1"), "pkg>=2.1");
  EXPECT_EQ(spec("pkg===1.0", "1.1"), "pkg===1.1");
  EXPECT_EQ(spec("pkg (>=1.0)", "1.1"), "pkg (>=1.1)");
  EXPECT_NE(spec("pkg>=1.2", "1.1").find("already requires"), std::string::npos);
  EXPECT_NE(spec("pkg @ https://example.com/pkg-1.0.tar.gz", "1.1").find("URL"), std::string::npos);
}

TEST(Manifest, RequirementsWithHashesAndCrlf) {
  const std::string text =
      "cryptography==37.0.4 \\\r\n"
      "    --hash=sha256:1111\r\n"
      "gevent==23.7.0\r\n";
  const Upgraded u = upgrade("requirements.txt", text, "cryptography", "42.0.0");
  EXPECT_EQ(u.text, "cryptography==42.0.0 \\\r\n    --hash=sha256:1111\r\ngevent==23.7.0\r\n");
  EXPECT_NE(u.note.find("hashes"), std::string::npos);
}

// --- pyproject.toml

const char* const kPyproject = R"([build-system]
requires = ["setuptools>=61", "requests==1.0"]

[project]
name = "ghast"
dependencies = [
    "requests>=2.25",  # HTTP
    'cryptography==37.0.4',
    "paramiko[gssapi]>=2.0.0; sys_platform != 'win32'",
]

[project.optional-dependencies]
dev = ["pytest~=7.0", "requests>=2.25"]

[tool.poetry.dependencies]
python = "^3.10"
gevent = { version = "23.7.0", extras = ["recommended"] }
langchain = "0.0.171"
Flask = "*"
my-lib = { git = "https://github.com/x/my-lib.git" }

[tool.poetry.group.dev.dependencies]
black = "^22.3"

[tool.poetry.dependencies.pygments]
version = "^2.3.1"
optional = true
)";

TEST(Manifest, PyprojectPep621AndPoetry) {
  const Upgraded req = upgrade("pyproject.toml", kPyproject, "requests", "2.31.0");
  ASSERT_TRUE(req.error.empty()) << req.error;
  EXPECT_EQ(req.edits, 2u);  // [project] dependencies and the dev extra, not the build requirement
  EXPECT_NE(req.text.find("\"requests>=2.31.0\",  # HTTP"), std::string::npos);
  EXPECT_NE(req.text.find("dev = [\"pytest~=7.0\", \"requests>=2.31.0\"]"), std::string::npos);
  EXPECT_NE(req.text.find("requires = [\"setuptools>=61\", \"requests==1.0\"]"), std::string::npos);

  EXPECT_NE(upgrade("pyproject.toml", kPyproject, "cryptography", "42.0.0").text.find("'cryptography==42.0.0',"),
            std::string::npos);
  EXPECT_NE(upgrade("pyproject.toml", kPyproject, "paramiko", "2.0.9")
                .text.find("\"paramiko[gssapi]>=2.0.9; sys_platform != 'win32'\""),
            std::string::npos);
  EXPECT_NE(upgrade("pyproject.toml", kPyproject, "gevent", "23.9.0")
                .text.find("gevent = { version = \"23.9.0\", extras = [\"recommended\"] }"),
            std::string::npos);
  EXPECT_NE(upgrade("pyproject.toml", kPyproject, "langchain", "0.0.329").text.find("langchain = \"0.0.329\""),
            std::string::npos);
  EXPECT_NE(upgrade("pyproject.toml", kPyproject, "flask", "2.2.5").text.find("Flask = \"^2.2.5\""), std::string::npos);
  EXPECT_NE(upgrade("pyproject.toml", kPyproject, "black", "24.3.0").text.find("black = \"^24.3.0\""),
            std::string::npos);
  EXPECT_NE(upgrade("pyproject.toml", kPyproject, "Pygments", "2.7.4").text.find("version = \"^2.7.4\""),
            std::string::npos);
  EXPECT_NE(upgrade("pyproject.toml", kPyproject, "my_lib", "1.0").error.find("without a version"), std::string::npos);
  EXPECT_NE(upgrade("pyproject.toml", kPyproject, "setuptools", "70.0").error.find("transitive"), std::string::npos);
}

// --- go.mod

const char* const kGoMod =
    "module github.com/acme/webhook_bridge\n"
    "\n"
    "go 1.21\n"
    "\n"
    "require github.com/gin-gonic/gin v1.9.0\n"
    "\n"
    "require (\n"
    "\tgithub.com/go-yaml/yaml v2.1.0+incompatible\n"
    "\tgolang.org/x/net v0.7.0 // indirect\n"
    "\tgolang.org/x/crypto v0.14.0\n"
    ")\n"
    "\n"
    "replace golang.org/x/crypto => golang.org/x/crypto v0.14.0\n";

TEST(Manifest, GoModSingleAndBlockRequires) {
  const Upgraded gin = upgrade("go.mod", kGoMod, "github.com/gin-gonic/gin", "1.9.1");
  EXPECT_NE(gin.text.find("require github.com/gin-gonic/gin v1.9.1\n"), std::string::npos) << gin.error;
  EXPECT_EQ(gin.title, "Upgrade github.com/gin-gonic/gin from v1.9.0 to v1.9.1 in go.mod");
  EXPECT_NE(gin.note.find("go mod tidy"), std::string::npos);
  const Upgraded net = upgrade("go.mod", kGoMod, "golang.org/x/net", "v0.17.0");
  EXPECT_NE(net.text.find("\tgolang.org/x/net v0.17.0 // indirect\n"), std::string::npos) << net.error;
  const Upgraded crypto = upgrade("go.mod", kGoMod, "golang.org/x/crypto", "0.17.0");
  EXPECT_NE(crypto.text.find("\tgolang.org/x/crypto v0.17.0\n"), std::string::npos);
  EXPECT_NE(crypto.note.find("replace"), std::string::npos);
  const Upgraded yaml = upgrade("go.mod", kGoMod, "github.com/go-yaml/yaml", "2.2.8");
  EXPECT_NE(yaml.text.find("\tgithub.com/go-yaml/yaml v2.2.8+incompatible\n"), std::string::npos) << yaml.error;
  // The replace line is left alone.
  EXPECT_NE(crypto.text.find("=> golang.org/x/crypto v0.14.0"), std::string::npos);
  EXPECT_NE(upgrade("go.mod", kGoMod, "golang.org/x/text", "0.3.8").error.find("go get golang.org/x/text@v0.3.8"),
            std::string::npos);
  EXPECT_NE(upgrade("go.mod", kGoMod, "github.com/gin-gonic/gin", "1.8.0").error.find("already"), std::string::npos);
  // Module paths are compared whole: a prefix is another module.
  EXPECT_NE(upgrade("go.mod", kGoMod, "golang.org/x/ne", "1.0.0").error.find("transitive"), std::string::npos);
}

// --- pom.xml

const char* const kPom = R"(<?xml version="1.0" encoding="UTF-8"?>
<project>
  <properties>
    <log4j.version>2.14.1</log4j.version>
    <jackson.version>2.9.8</jackson.version>
  </properties>
  <dependencies>
    <!-- <dependency><groupId>org.apache.commons</groupId><artifactId>commons-text</artifactId><version>1.0</version></dependency> -->
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>${log4j.version}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-api</artifactId>
      <version>${log4j.version}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.commons</groupId>
      <artifactId>commons-text</artifactId>
      <version>1.9</version>
      <exclusions>
        <exclusion>
          <groupId>org.apache.commons</groupId>
          <artifactId>commons-lang3</artifactId>
        </exclusion>
      </exclusions>
    </dependency>
    <dependency>
      <groupId>org.springframework</groupId>
      <artifactId>spring-core</artifactId>
    </dependency>
  </dependencies>
</project>
)";

TEST(Manifest, PomLiteralPropertyAndManagedVersions) {
  const Upgraded text = upgrade("pom.xml", kPom, "org.apache.commons:commons-text", "1.10.0");
  ASSERT_TRUE(text.error.empty()) << text.error;
  EXPECT_EQ(text.edits, 1u);  // the commented-out declaration is not touched
  EXPECT_NE(text.text.find("<version>1.10.0</version>\n      <exclusions>"), std::string::npos);
  EXPECT_NE(text.text.find("<version>1.0</version></dependency> -->"), std::string::npos);

  const Upgraded log4j = upgrade("pom.xml", kPom, "org.apache.logging.log4j:log4j-core", "2.17.1");
  ASSERT_TRUE(log4j.error.empty()) << log4j.error;
  EXPECT_NE(log4j.text.find("<log4j.version>2.17.1</log4j.version>"), std::string::npos);
  EXPECT_EQ(log4j.edits, 1u);

  EXPECT_NE(upgrade("pom.xml", kPom, "org.springframework:spring-core", "5.3.18").error.find("parent POM"),
            std::string::npos);
  // An excluded artifact is not a declaration.
  EXPECT_NE(upgrade("pom.xml", kPom, "org.apache.commons:commons-lang3", "3.12.0").error.find("transitive"),
            std::string::npos);
  // Dots in the group are literal.
  EXPECT_NE(upgrade("pom.xml", kPom, "orgXapache.logging.log4j:log4j-core", "2.17.1").error.find("transitive"),
            std::string::npos);
  // Artifact id alone, when no group is given.
  EXPECT_TRUE(upgrade("pom.xml", kPom, "commons-text", "1.10.0").error.empty());
  EXPECT_NE(upgrade("pom.xml",
                    "<project><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId>"
                    "<version>${undefined.version}</version></dependency></dependencies></project>",
                    "g:a", "2.0")
                .error.find("does not define"),
            std::string::npos);
}

// --- Gradle

TEST(Manifest, GradleGroovyAndKotlinNotations) {
  const std::string groovy =
      "ext {\n"
      "    jacksonVersion = '2.9.8'\n"
      "}\n"
      "dependencies {\n"
      "    implementation 'org.apache.logging.log4j:log4j-core:2.14.1'\n"
      "    testImplementation \"junit:junit:4.12\"\n"
      "    implementation \"com.fasterxml.jackson.core:jackson-databind:$jacksonVersion\"\n"
      "    runtimeOnly group: 'org.postgresql', name: 'postgresql', version: '42.2.5'\n"
      "}\n";
  EXPECT_NE(upgrade("build.gradle", groovy, "org.apache.logging.log4j:log4j-core", "2.17.1")
                .text.find("implementation 'org.apache.logging.log4j:log4j-core:2.17.1'"),
            std::string::npos);
  EXPECT_NE(upgrade("build.gradle", groovy, "junit:junit", "4.13.1").text.find("\"junit:junit:4.13.1\""),
            std::string::npos);
  const Upgraded jackson = upgrade("build.gradle", groovy, "com.fasterxml.jackson.core:jackson-databind", "2.9.10.8");
  EXPECT_NE(jackson.text.find("jacksonVersion = '2.9.10.8'"), std::string::npos) << jackson.error;
  EXPECT_EQ(jackson.title,
            "Upgrade com.fasterxml.jackson.core:jackson-databind from 2.9.8 to 2.9.10.8 in build.gradle");
  EXPECT_NE(upgrade("build.gradle", groovy, "org.postgresql:postgresql", "42.2.26")
                .text.find("name: 'postgresql', version: '42.2.26'"),
            std::string::npos);

  const std::string kts =
      "dependencies {\n"
      "    implementation(\"org.yaml:snakeyaml:1.33\")\n"
      "    implementation(\"com.google.guava:guava:31.1-jre\")\n"
      "    implementation(platform(\"org.springframework.boot:spring-boot-dependencies:3.1.0\"))\n"
      "    implementation(\"org.springframework:spring-web\")\n"
      "}\n";
  EXPECT_NE(upgrade("app/build.gradle.kts", kts, "org.yaml:snakeyaml", "2.0").text.find("(\"org.yaml:snakeyaml:2.0\")"),
            std::string::npos);
  EXPECT_NE(upgrade("build.gradle.kts", kts, "com.google.guava:guava", "32.0.0-jre")
                .text.find("\"com.google.guava:guava:32.0.0-jre\""),
            std::string::npos);
  EXPECT_NE(upgrade("build.gradle.kts", kts, "org.springframework:spring-web", "6.0.5").error.find("without a version"),
            std::string::npos);
  const Upgraded missing = upgrade("build.gradle.kts", kts, "org.yaml:snake", "2.0");
  EXPECT_NE(missing.error.find("version catalog"), std::string::npos) << missing.error;
  EXPECT_NE(upgrade("build.gradle", "implementation \"a:b:$v\"\n", "a:b", "2.0").error.find("gradle.properties"),
            std::string::npos);
}

TEST(Manifest, GradleVersionCatalog) {
  const std::string toml =
      "[versions]\n"
      "log4j = \"2.14.1\"\n"
      "snakeyaml = { strictly = \"1.33\" }\n"
      "\n"
      "[libraries]\n"
      "log4j-core = { module = \"org.apache.logging.log4j:log4j-core\", version.ref = \"log4j\" }\n"
      "log4j-api = { group = \"org.apache.logging.log4j\", name = \"log4j-api\", version.ref = \"log4j\" }\n"
      "snakeyaml = { module = \"org.yaml:snakeyaml\", version.ref = \"snakeyaml\" }\n"
      "jackson = { module = \"com.fasterxml.jackson.core:jackson-databind\", version = \"2.9.8\" }\n"
      "guava = \"com.google.guava:guava:31.1-jre\"\n"
      "spring-web = { module = \"org.springframework:spring-web\" }\n"
      "broken = { module = \"g:a\", version.ref = \"missing\" }\n";
  const Upgraded log4j = upgrade("gradle/libs.versions.toml", toml, "org.apache.logging.log4j:log4j-core", "2.17.1");
  ASSERT_TRUE(log4j.error.empty()) << log4j.error;
  EXPECT_NE(log4j.text.find("log4j = \"2.17.1\"\n"), std::string::npos);
  EXPECT_EQ(log4j.edits, 1u);
  EXPECT_NE(upgrade("libs.versions.toml", toml, "org.apache.logging.log4j:log4j-api", "2.17.1")
                .text.find("log4j = \"2.17.1\""),
            std::string::npos);
  EXPECT_NE(upgrade("libs.versions.toml", toml, "org.yaml:snakeyaml", "2.0").text.find("{ strictly = \"2.0\" }"),
            std::string::npos);
  EXPECT_NE(upgrade("libs.versions.toml", toml, "com.fasterxml.jackson.core:jackson-databind", "2.9.10.8")
                .text.find("version = \"2.9.10.8\" }"),
            std::string::npos);
  EXPECT_NE(upgrade("libs.versions.toml", toml, "com.google.guava:guava", "32.0.0-jre")
                .text.find("\"com.google.guava:guava:32.0.0-jre\""),
            std::string::npos);
  EXPECT_NE(
      upgrade("libs.versions.toml", toml, "org.springframework:spring-web", "6.0.5").error.find("without a version"),
      std::string::npos);
  EXPECT_NE(upgrade("libs.versions.toml", toml, "g:a", "1.0").error.find("does not define"), std::string::npos);
  EXPECT_NE(upgrade("libs.versions.toml", toml, "org.yaml:snake", "2.0").error.find("transitive"), std::string::npos);
}

// --- Gemfile

const char* const kGemfile =
    "source 'https://rubygems.org'\n"
    "\n"
    "gem 'rails', '~> 5.2.3'\n"
    "gem \"nokogiri\", \">= 1.10.3\", require: false\n"
    "gem 'rack'\n"
    "gem 'activerecord', '>= 5.2.3', '< 6.2'\n"
    "gem 'json', '= 2.2.0'\n"
    "gem 'loofah', git: 'https://github.com/flavorjones/loofah'\n"
    "group :development do\n"
    "  gem 'rake', '12.3.2'\n"
    "end\n";

TEST(Manifest, GemfileOperatorsAddedVersionsAndSources) {
  auto line = [](const Upgraded& u, std::string_view prefix) {
    const auto b = u.text.find(prefix);
    if (b == std::string::npos || !u.error.empty()) return "error: " + u.error;
    return u.text.substr(b, u.text.find('\n', b) - b);
  };
  EXPECT_EQ(line(upgrade("Gemfile", kGemfile, "rails", "5.2.4.3"), "gem 'rails'"), "gem 'rails', '~> 5.2.4.3'");
  EXPECT_EQ(line(upgrade("Gemfile", kGemfile, "nokogiri", "1.11.0"), "gem \"nokogiri\""),
            "gem \"nokogiri\", \">= 1.11.0\", require: false");
  EXPECT_EQ(line(upgrade("Gemfile", kGemfile, "rack", "2.1.4"), "gem 'rack'"), "gem 'rack', '>= 2.1.4'");
  EXPECT_EQ(line(upgrade("Gemfile", kGemfile, "activerecord", "5.2.4.5"), "gem 'activerecord'"),
            "gem 'activerecord', '>= 5.2.4.5', '< 6.2'");
  EXPECT_EQ(line(upgrade("Gemfile", kGemfile, "activerecord", "6.2.1"), "gem 'activerecord'"),
            "gem 'activerecord', '>= 6.2.1'");
  EXPECT_EQ(line(upgrade("Gemfile", kGemfile, "json", "2.3.0"), "gem 'json'"), "gem 'json', '= 2.3.0'");
  EXPECT_EQ(line(upgrade("Gemfile", kGemfile, "rake", "12.3.3"), "  gem 'rake'"), "  gem 'rake', '12.3.3'");
  EXPECT_NE(upgrade("Gemfile", kGemfile, "loofah", "2.3.1").error.find("git or path"), std::string::npos);
  EXPECT_NE(upgrade("Gemfile", kGemfile, "actionpack", "5.2.4.3").error.find("bundle update actionpack"),
            std::string::npos);
}

// --- MSBuild

TEST(Manifest, CsprojAttributeChildElementAndProperty) {
  const std::string text =
      "<Project Sdk=\"Microsoft.NET.Sdk\">\r\n"
      "  <PropertyGroup>\r\n"
      "    <NewtonsoftVersion>12.0.1</NewtonsoftVersion>\r\n"
      "  </PropertyGroup>\r\n"
      "  <ItemGroup>\r\n"
      "    <PackageReference Include=\"System.Text.Encodings.Web\" Version=\"4.5.0\" />\r\n"
      "    <PackageReference Include=\"Newtonsoft.Json\" Version=\"$(NewtonsoftVersion)\" />\r\n"
      "    <PackageReference Include=\"log4net\">\r\n"
      "      <Version>2.0.8</Version>\r\n"
      "    </PackageReference>\r\n"
      "    <PackageReference Include=\"Serilog\" />\r\n"
      "  </ItemGroup>\r\n"
      "</Project>\r\n";
  const Upgraded enc = upgrade("src/App/App.csproj", text, "system.text.encodings.web", "4.5.1");
  EXPECT_NE(enc.text.find("Include=\"System.Text.Encodings.Web\" Version=\"4.5.1\" />\r\n"), std::string::npos)
      << enc.error;
  EXPECT_NE(upgrade("App.csproj", text, "Newtonsoft.Json", "13.0.1").text.find("<NewtonsoftVersion>13.0.1<"),
            std::string::npos);
  EXPECT_NE(upgrade("App.csproj", text, "log4net", "2.0.10").text.find("<Version>2.0.10</Version>\r\n"),
            std::string::npos);
  EXPECT_NE(upgrade("App.csproj", text, "Serilog", "2.0").error.find("Directory.Packages.props"), std::string::npos);
  EXPECT_NE(upgrade("App.csproj", text, "System.Text.Json", "8.0.4").error.find("PackageReference"), std::string::npos);

  const std::string central =
      "<Project>\n  <ItemGroup>\n    <PackageVersion Include=\"Serilog\" Version=\"2.10.0\" />\n  "
      "</ItemGroup>\n</Project>\n";
  EXPECT_NE(upgrade("Directory.Packages.props", central, "Serilog", "2.12.0").text.find("Version=\"2.12.0\""),
            std::string::npos);
}

TEST(Manifest, IsManifest) {
  for (std::string_view p :
       {"package.json", "a/b/requirements.txt", "requirements-dev.txt", "requirements/prod.txt", "constraints.txt",
        "pyproject.toml", "go.mod", "pom.xml", "build.gradle", "app/build.gradle.kts", "gradle/libs.versions.toml",
        "Gemfile", "composer.json", "src/App/App.csproj", "C:\\src\\Lib.fsproj", "Directory.Packages.props"})
    EXPECT_TRUE(isManifest(p)) << p;
  for (std::string_view p : {"package-lock.json", "yarn.lock", "Pipfile.lock", "go.sum", "Gemfile.lock",
                             "composer.lock", "settings.gradle", "README.txt", "Cargo.toml", "main.go"})
    EXPECT_FALSE(isManifest(p)) << p;
  EXPECT_NE(upgrade("package-lock.json", "{}", "a", "1").error.find("not a dependency manifest"), std::string::npos);
}

TEST(Manifest, NearestFixedVersionStaysOnTheReleaseLine) {
  EXPECT_EQ(nearestFixedVersion("2.0.9", "3.0.1, 2.2.9, 1.11.27"), "2.2.9");
  EXPECT_EQ(nearestFixedVersion("2.0.0", "2.0.8, 2.1.5, 2.2.3, 2.3.2, 2.4.1, 1.18.5, 1.17.6"), "2.0.8");
  EXPECT_EQ(nearestFixedVersion("1.10.3", ">= 1.10.5"), "1.10.5");
  EXPECT_EQ(nearestFixedVersion("3.7.2", "2.7.1, 2.12.3"), "");
  EXPECT_EQ(nearestFixedVersion("", "4.2.4, 5.3.1, 6.2.1"), "4.2.4");
  EXPECT_EQ(nearestFixedVersion("1.0", ""), "");
  EXPECT_LT(compareVersions("4.17.5", "4.17.12"), 0);
  EXPECT_LT(compareVersions("1.0.0-rc1", "1.0.0"), 0);
  EXPECT_EQ(compareVersions("v1.2", "1.2.0"), 0);
  EXPECT_GT(compareVersions("5.2.4.3", "5.2.4"), 0);
}

// --- Real SCA reports: every package with a fixed version gets its upgrade.

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The value after `key` up to the next JSON-escaped newline, quote or table bar.
std::string fieldAfter(std::string_view text, std::size_t at, std::string_view key, std::size_t limit) {
  const std::size_t k = text.find(key, at);
  if (k == std::string_view::npos || k > limit) return {};
  std::size_t b = k + key.size(), e = b;
  while (e < text.size() && text[e] != '\\' && text[e] != '"' && text[e] != '|') ++e;
  return std::string(support::trim(text.substr(b, e - b)));
}

// Trivy's "Package: / Installed Version: / Fixed Version:" records (help text and messages):
// for each package, the version that fixes all of its findings (the highest nearest fix).
std::map<std::string, std::pair<std::string, std::string>> trivyFixes(std::string_view text) {
  std::map<std::string, std::pair<std::string, std::string>> out;  // package -> installed, fix
  for (std::size_t at = text.find("Package: "); at != std::string_view::npos; at = text.find("Package: ", at + 1)) {
    const std::string name = fieldAfter(text, at, "Package: ", at);
    const std::size_t next = std::min(text.find("Package: ", at + 1), text.find("Link:", at));
    const std::string installed = fieldAfter(text, at, "Installed Version: ", next);
    const std::string fixedList = fieldAfter(text, at, "Fixed Version: ", next);
    if (name.empty() || installed.empty()) continue;
    const std::string fix = nearestFixedVersion(installed, fixedList);
    auto& entry = out[name];
    entry.first = installed;
    if (!fix.empty() && (entry.second.empty() || compareVersions(fix, entry.second) > 0)) entry.second = fix;
  }
  return out;
}

struct FixtureCase {
  const char* fixture;  // under real-sarif/
  const char* package;
  const char* manifest;  // file name
  const char* before;    // manifest text, {v} = installed version
  const char* after;     // expected text, {f} = the fix
};

std::string substitute(std::string s, std::string_view key, std::string_view value) {
  for (std::size_t at = s.find(key); at != std::string::npos; at = s.find(key, at + value.size()))
    s.replace(at, key.size(), value);
  return s;
}

class RealReport : public ::testing::TestWithParam<FixtureCase> {};

constexpr const char* kDemo = "trivy/trivy-sarif-demo__debug.sarif";
constexpr const char* kGhas = "trivy/trivy-test-ghas.sarif";

TEST_P(RealReport, UpgradesTheDeclaredPackageToTheFix) {
  const FixtureCase& c = GetParam();
  const std::string report = readFile(std::string(ASPM_SHARED_FIXTURES) + "/real-sarif/" + c.fixture);
  ASSERT_FALSE(report.empty()) << c.fixture;
  const auto fixes = trivyFixes(report);
  const auto it = fixes.find(c.package);
  ASSERT_NE(it, fixes.end()) << c.package << " not in " << c.fixture;
  const auto& [installed, fix] = it->second;
  const std::string before = substitute(c.before, "{v}", installed);
  if (fix.empty()) {
    // Every fix the report lists is older than the installed version: nothing to upgrade.
    EXPECT_STREQ(c.after, "");
    return;
  }
  const Upgraded u = upgrade(c.manifest, before, c.package, fix);
  ASSERT_TRUE(u.error.empty()) << u.error;
  EXPECT_EQ(u.text, substitute(c.after, "{f}", fix));
}

INSTANTIATE_TEST_SUITE_P(
    Trivy, RealReport,
    ::testing::Values(
        FixtureCase{kDemo, "jquery", "package.json", "{\n  \"dependencies\": {\"jquery\": \"{v}\"}\n}\n",
                    "{\n  \"dependencies\": {\"jquery\": \"{f}\"}\n}\n"},
        FixtureCase{kDemo, "lodash", "package.json", "{\"devDependencies\": {\"lodash\": \"^{v}\"}}",
                    "{\"devDependencies\": {\"lodash\": \"^{f}\"}}"},
        FixtureCase{kDemo, "guzzlehttp/guzzle", "composer.json", "{\"require\": {\"guzzlehttp/guzzle\": \"~{v}\"}}",
                    "{\"require\": {\"guzzlehttp/guzzle\": \"~{f}\"}}"},
        FixtureCase{kDemo, "django", "requirements.txt", "Django=={v}\n", "Django=={f}\n"},
        FixtureCase{kDemo, "django-cors-headers", "requirements.txt", "django_cors_headers>={v}\n",
                    "django_cors_headers>={f}\n"},
        FixtureCase{kDemo, "djangorestframework", "pyproject.toml",
                    "[project]\ndependencies = [\"djangorestframework=={v}\"]\n",
                    "[project]\ndependencies = [\"djangorestframework=={f}\"]\n"},
        FixtureCase{kDemo, "gunicorn", "pyproject.toml", "[tool.poetry.dependencies]\ngunicorn = \"^{v}\"\n",
                    "[tool.poetry.dependencies]\ngunicorn = \"^{f}\"\n"},
        FixtureCase{kDemo, "httplib2", "requirements.txt", "httplib2~={v}\n", "httplib2~={f}\n"},
        FixtureCase{kDemo, "jinja2", "requirements.txt", "Jinja2[i18n]=={v}  # templates\n",
                    "Jinja2[i18n]=={f}  # templates\n"},
        FixtureCase{kDemo, "pygments", "pyproject.toml",
                    "[tool.poetry.dependencies]\nPygments = {version = \">={v}\", optional = true}\n",
                    "[tool.poetry.dependencies]\nPygments = {version = \">={f}\", optional = true}\n"},
        FixtureCase{kDemo, "pyyaml", "requirements.txt", "PyYAML>={v},<6\n", "PyYAML>={f},<6\n"},
        FixtureCase{kDemo, "urllib3", "requirements.txt", "urllib3=={v}; python_version >= \"3.6\"\n",
                    "urllib3=={f}; python_version >= \"3.6\"\n"},
        FixtureCase{kDemo, "actionpack", "Gemfile", "gem 'actionpack', '~> {v}'\n", "gem 'actionpack', '~> {f}'\n"},
        FixtureCase{kDemo, "actionview", "Gemfile", "gem \"actionview\", \"{v}\"\n", "gem \"actionview\", \"{f}\"\n"},
        FixtureCase{kDemo, "activerecord", "Gemfile", "gem 'activerecord', '>= {v}', '< 6.2'\n",
                    "gem 'activerecord', '>= {f}', '< 6.2'\n"},
        FixtureCase{kDemo, "activestorage", "Gemfile", "gem 'activestorage'\n", "gem 'activestorage', '>= {f}'\n"},
        FixtureCase{kDemo, "activesupport", "Gemfile", "gem 'activesupport', '= {v}'\n",
                    "gem 'activesupport', '= {f}'\n"},
        FixtureCase{kDemo, "json", "Gemfile", "gem 'json', '~> {v}', platforms: :ruby\n",
                    "gem 'json', '~> {f}', platforms: :ruby\n"},
        FixtureCase{kDemo, "loofah", "Gemfile", "gem 'loofah', '>= {v}'\n", "gem 'loofah', '>= {f}'\n"},
        FixtureCase{kDemo, "nokogiri", "Gemfile", "gem 'nokogiri', '{v}'\n", "gem 'nokogiri', '{f}'\n"},
        FixtureCase{kDemo, "rack", "Gemfile", "gem 'rack', '~> {v}'\n", "gem 'rack', '~> {f}'\n"},
        FixtureCase{kDemo, "rails-html-sanitizer", "Gemfile", "gem 'rails-html-sanitizer', '{v}'\n",
                    "gem 'rails-html-sanitizer', '{f}'\n"},
        FixtureCase{kDemo, "rake", "Gemfile", "group :development do\n  gem 'rake', '~> {v}'\nend\n",
                    "group :development do\n  gem 'rake', '~> {f}'\nend\n"},
        FixtureCase{kDemo, "sprockets", "Gemfile", "gem 'sprockets', '{v}'\n", ""},
        FixtureCase{kDemo, "websocket-extensions", "Gemfile", "gem 'websocket-extensions', '{v}'\n",
                    "gem 'websocket-extensions', '{f}'\n"},
        FixtureCase{kGhas, "cryptography", "pyproject.toml", "[tool.poetry.dependencies]\ncryptography = \"^{v}\"\n",
                    "[tool.poetry.dependencies]\ncryptography = \"^{f}\"\n"},
        FixtureCase{kGhas, "gevent", "pyproject.toml",
                    "[tool.poetry.dependencies]\ngevent = { version = \"{v}\", extras = [\"recommended\"] }\n",
                    "[tool.poetry.dependencies]\ngevent = { version = \"{f}\", extras = [\"recommended\"] }\n"},
        FixtureCase{kGhas, "langchain", "pyproject.toml", "[tool.poetry.dependencies]\nlangchain = \"{v}\"\n",
                    "[tool.poetry.dependencies]\nlangchain = \"{f}\"\n"},
        FixtureCase{kGhas, "paramiko", "requirements.txt", "paramiko>={v}\n", "paramiko>={f}\n"}),
    [](const ::testing::TestParamInfo<FixtureCase>& tp) {
      std::string name = tp.param.package;
      for (char& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return name;
    });

TEST(RealReport, SnykLodashFixesAllItsFindingsWithOneUpgrade) {
  const std::string report =
      readFile(std::string(ASPM_SHARED_FIXTURES) + "/real-sarif/snyk/crispy-octo-happiness__oss.sarif");
  ASSERT_FALSE(report.empty());
  // Snyk states "lodash@4.15.0" and "Upgrade `lodash` to version X or higher." per finding.
  const std::string installedKey = "lodash@";
  const std::size_t at = report.find(installedKey);
  ASSERT_NE(at, std::string::npos);
  std::size_t e = at + installedKey.size();
  while (e < report.size() && (std::isdigit(static_cast<unsigned char>(report[e])) || report[e] == '.')) ++e;
  const std::string installed = report.substr(at + installedKey.size(), e - at - installedKey.size());
  std::string fix;
  std::size_t findings = 0;
  const std::string key = "Upgrade `lodash` to version ";
  for (std::size_t k = report.find(key); k != std::string::npos; k = report.find(key, k + 1)) {
    std::size_t b = k + key.size(), end = b;
    while (end < report.size() && (std::isdigit(static_cast<unsigned char>(report[end])) || report[end] == '.')) ++end;
    std::string v = report.substr(b, end - b);
    while (!v.empty() && v.back() == '.') v.pop_back();
    ++findings;
    if (fix.empty() || compareVersions(v, fix) > 0) fix = v;
  }
  EXPECT_EQ(installed, "4.15.0");
  EXPECT_EQ(findings, 9u);
  EXPECT_EQ(fix, "4.17.21");
  const Upgraded u = upgrade(
      "package.json", "{\n  \"dependencies\": {\n    \"lodash\": \"^" + installed + "\"\n  }\n}\n", "lodash", fix);
  EXPECT_EQ(u.text, "{\n  \"dependencies\": {\n    \"lodash\": \"^4.17.21\"\n  }\n}\n");
  EXPECT_EQ(u.title, "Upgrade lodash from ^4.15.0 to ^4.17.21 in package.json");
}

}  // namespace
}  // namespace aspm::remediation

namespace aspm::remediation {
namespace {

// Generated manifests: any declaration that gets an edit is, after the edit, one that already
// requires the fix (the upgrade is idempotent); garbage of every format gets a reason, not a crash.
TEST(Manifest, UpgradesAreIdempotentAndGarbageIsRefused) {
  struct Format {
    std::string_view path;
    std::string_view before, after;  // around the declaration
    std::vector<std::string_view> declarations;
  };
  const std::vector<Format> formats = {
      {"package.json",
       "{\"dependencies\": {\"other\": \"1.0.0\", ",
       "}, \"devDependencies\": {\"pkg\": \"^1.0.0\"}}",
       {"\"pkg\": \"^1.2.3\"", "\"pkg\": \"~1.2.3\"", "\"pkg\": \"1.2.3\"", "\"pkg\": \">=1.2.3\"", "\"pkg\": \"*\"",
        "\"pkg\": \"1.x\"", "\"pkg\": \">=1.0.0 <2.0.0\"", "\"pkg\": \"latest\"", "\"pkg\": \"^1.0.0 || ^2.0.0\"",
        "\"pkg\": \"v1.2.3\"", "\"pkg\": \">1.2.3\"", "\"pkg\": \"1.2.3-rc.1\"", "\"pkg\": \"\""}},
      {"requirements.txt",
       "# pins\r\nother==1.0\r\n",
       "\r\n",
       {"pkg==1.2.3", "PKG>=1.2.3", "pkg~=1.2", "pkg>=1.0,<2.0", "pkg>=1.0, <1.2.4", "pkg!=1.2.5", "pkg==1.*", "pkg",
        "pkg[extra]==1.2.3", "pkg<2.0 ; python_version<'3'", "pkg===1.2.3  # exact", "pkg (>=1.0)"}},
      {"pyproject.toml",
       "[tool.poetry.dependencies]\npython = \"^3.10\"\n",
       "\n",
       {"pkg = \"^1.2.3\"", "pkg = \"~1.2.3\"", "pkg = \"1.2.3\"", "pkg = \"*\"", "pkg = \">=1.0,<2.0\"",
        "pkg = \"^1.0 || ^2.0\"", "pkg = { version = \"^1.2\", optional = true }", "Pkg = '>=1.2'"}},
      {"Gemfile",
       "source 'https://rubygems.org'\n",
       "\n",
       {"gem 'pkg', '~> 1.2'", "gem 'pkg', '>= 1.0', '< 2.0'", "gem 'pkg'", "gem \"pkg\", \"1.2.3\"",
        "gem 'pkg', '!= 1.2.4', '>= 1.0'", "gem 'pkg', '= 1.2.3', require: false"}},
      {"go.mod",
       "module x\n\nrequire (\n",
       "\n)\n",
       {"\texample.com/pkg v1.2.3", "\texample.com/pkg v1.2.3 // indirect", "\texample.com/pkg v2.0.0+incompatible"}},
      {"pom.xml",
       "<project><dependencies>",
       "</dependencies></project>",
       {"<dependency><groupId>g</groupId><artifactId>pkg</artifactId><version>1.2.3</version></dependency>",
        "<dependency><groupId>g</groupId><artifactId>pkg</artifactId><version>[1.0,2.0)</version></dependency>"}},
      {"build.gradle",
       "dependencies {\n",
       "\n}\n",
       {"  implementation 'g:pkg:1.2.3'", "  implementation \"g:pkg:1.+\"", "  implementation 'g:pkg:1.2.3!!'",
        "  implementation 'g:pkg:[1.0,2.0)'"}},
      {"gradle/libs.versions.toml",
       "[versions]\nv = \"1.2.3\"\n[libraries]\n",
       "\n",
       {"x = { module = \"g:pkg\", version.ref = \"v\" }", "x = \"g:pkg:1.2.3\"",
        "x = { group = \"g\", name = \"pkg\", version = { strictly = \"1.2.3\" } }"}},
      {"App.csproj",
       "<Project><ItemGroup>",
       "</ItemGroup></Project>",
       {"<PackageReference Include=\"pkg\" Version=\"1.2.3\" />",
        "<PackageReference Include=\"Pkg\" Version=\"[1.0,2.0)\" />",
        "<PackageReference Include=\"pkg\"><Version>1.2.3</Version></PackageReference>"}},
  };
  const std::vector<std::string_view> fixes = {"1.2.5", "2.0.0", "1.2.3", "0.9.0", "1.2.4"};
  std::size_t edited = 0;
  for (const Format& f : formats) {
    const bool maven = f.path == "pom.xml" || f.path == "build.gradle" || f.path.ends_with("libs.versions.toml");
    const std::string package = f.path == "go.mod" ? "example.com/pkg" : maven ? "g:pkg" : "pkg";
    for (std::string_view decl : f.declarations) {
      for (std::string_view fix : fixes) {
        const std::string text = std::string(f.before) + std::string(decl) + std::string(f.after);
        const auto r = upgradeDependency(f.path, text, package, fix);
        if (!r) {
          EXPECT_FALSE(r.error.empty());
          continue;
        }
        ++edited;
        const std::string once = applyEdit(text, r->edits);
        const auto again = upgradeDependency(f.path, once, package, fix);
        EXPECT_FALSE(again) << f.path << ": " << decl << " -> " << fix << "\n" << once;
        if (!again) {
          EXPECT_NE(again.error.find("already requires"), std::string::npos) << again.error << "\n" << once;
        }
      }
    }
  }
  EXPECT_GT(edited, 100u);

  // Garbage: random bytes and fragments for every format.
  const std::vector<std::string_view> pieces = {"{",
                                                "}",
                                                "[",
                                                "]",
                                                "\"",
                                                "'",
                                                ":",
                                                ",",
                                                "\n",
                                                "\r\n",
                                                "pkg",
                                                "g:pkg:",
                                                "<dependency>",
                                                "</dependency>",
                                                "<version>",
                                                "</version>",
                                                "gem ",
                                                "require (",
                                                ")",
                                                "==",
                                                "^",
                                                "1.2.3",
                                                "${p}",
                                                "$(p)",
                                                "<!--",
                                                "-->",
                                                "[tool.poetry.dependencies]",
                                                "=",
                                                "\\",
                                                "\xFF",
                                                " ",
                                                "#",
                                                "<PackageReference Include=\"pkg\""};
  std::uint32_t seed = 7;
  auto next = [&] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const std::size_t n = next() % 40;
    for (std::size_t i = 0; i < n; ++i) text += pieces[next() % pieces.size()];
    const Format& f = formats[next() % formats.size()];
    const auto r = upgradeDependency(f.path, text, round % 2 ? "pkg" : "g:pkg", "1.2.5");
    if (!r) {
      EXPECT_FALSE(r.error.empty());
      continue;
    }
    for (const TextEdit& e : r->edits) {
      const support::LineIndex index(text);
      EXPECT_LT(e.startLine, index.lineCount());
      EXPECT_LT(e.endLine, index.lineCount());
    }
  }
}

}  // namespace
}  // namespace aspm::remediation
