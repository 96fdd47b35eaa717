// Discovery on the example estates of tests/data/estates: every asset with its kind, path,
// languages, manifests, exposure and the file:line that decided it, and the scans that cover it;
// bad manifests give problems that name the file and line while the rest is still found.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "inventory_testing.h"

namespace aspm::inventory {
namespace {

class ShopEstate : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { result_ = new support::WithProblems<Inventory>(discover(kEstates + "shop")); }
  static void TearDownTestSuite() {
    delete result_;
    result_ = nullptr;
  }
  static const Inventory& inv() { return result_->value; }
  static support::WithProblems<Inventory>* result_;
};
support::WithProblems<Inventory>* ShopEstate::result_ = nullptr;

TEST_F(ShopEstate, DiscoversEveryAssetAndNothingElse) {
  EXPECT_TRUE(result_->problems.empty()) << result_->problems.front().file << ": " << result_->problems.front().message;
  Strings got;
  for (const auto& a : inv().assets) got.push_back(std::string(idOf(a.kind)) + " " + a.path + " " + a.name);
  const Strings want{
      "service services/catalog catalog",
      "service services/orders orders",
      "service services/payments payments",
      "service services/storefront storefront",
      "service workers/mailer mailer",
      "library libs/pricing pricing",
      "pipeline .github/workflows/security.yml security",
      "pipeline .gitlab-ci.yml .gitlab-ci.yml",
      "infrastructure infra/terraform terraform",
      "api services/catalog catalog HTTP API",
      "api services/orders orders HTTP API",
      "api services/orders/openapi.yaml Orders API",
      "api services/payments payments HTTP API",
      "api services/storefront storefront HTTP API",
  };
  EXPECT_EQ(got, want);
}

TEST_F(ShopEstate, StorefrontIsInternetFacingThroughALoadBalancerService) {
  const Asset& a = find(inv(), AssetKind::Service, "services/storefront");
  EXPECT_EQ(a.languages, Strings{"javascript"});
  EXPECT_EQ(a.manifests, Strings{"services/storefront/package.json"});
  EXPECT_EQ(a.exposure, Exposure::Internet);
  EXPECT_EQ(exposureWhere(a), "deploy/k8s/storefront.yaml:26");
  EXPECT_NE(a.exposureEvidence->why.find("LoadBalancer"), std::string::npos);
  EXPECT_EQ(a.criticality, "high");
  ASSERT_TRUE(a.criticalityEvidence);
  EXPECT_EQ(a.criticalityEvidence->where(), "services/storefront/src/models/user.js:5");
  EXPECT_NE(a.criticalityEvidence->why.find("not a certainty"), std::string::npos);
  EXPECT_EQ(a.scans, (Strings{"sast", "sca", "secrets"}));
  EXPECT_EQ(a.images, (Strings{"ghcr.io/acme/storefront:1.4.0"}));
  EXPECT_TRUE(hasEvidence(a, "services/storefront/package.json:10", "Express"));
  EXPECT_TRUE(hasEvidence(a, "services/storefront/src/server.js:15", "starts an HTTP server"));
  EXPECT_TRUE(hasEvidence(a, "services/storefront/Dockerfile:10", "port 3000"));
  EXPECT_TRUE(hasEvidence(a, "services/storefront/Dockerfile:6", "built from node:20-alpine"));
  EXPECT_TRUE(hasEvidence(a, "docker-compose.yml:6", "publishes port 3000:3000"));
  EXPECT_TRUE(hasEvidence(a, "deploy/k8s/storefront.yaml:17", "runs image ghcr.io/acme/storefront:1.4.0"));
}

TEST_F(ShopEstate, OrdersIsInternetFacingThroughAnIngressAndHandlesCardData) {
  const Asset& a = find(inv(), AssetKind::Service, "services/orders");
  EXPECT_EQ(a.languages, Strings{"python"});
  EXPECT_EQ(a.manifests, (Strings{"services/orders/pyproject.toml", "services/orders/requirements.txt"}));
  EXPECT_EQ(a.exposure, Exposure::Internet);
  EXPECT_EQ(exposureWhere(a), "deploy/k8s/orders.yaml:42");
  EXPECT_NE(a.exposureEvidence->why.find("Ingress shop"), std::string::npos);
  EXPECT_EQ(a.criticality, "high");
  EXPECT_EQ(a.criticalityEvidence->where(), "services/orders/app/models.py:8");
  EXPECT_NE(a.criticalityEvidence->why.find("payment card"), std::string::npos);
  EXPECT_EQ(a.scans, (Strings{"sast", "sca", "secrets"}));
  // The compose port is weaker evidence than the Ingress, but it is kept.
  EXPECT_TRUE(hasEvidence(a, "docker-compose.yml:11", "publishes port 8000:8000"));
  EXPECT_TRUE(hasEvidence(a, "services/orders/pyproject.toml:6", "FastAPI"));
}

TEST_F(ShopEstate, PaymentsIsInternalBehindAClusterIpService) {
  const Asset& a = find(inv(), AssetKind::Service, "services/payments");
  EXPECT_EQ(a.languages, Strings{"java"});
  EXPECT_EQ(a.manifests, Strings{"services/payments/pom.xml"});
  EXPECT_EQ(a.exposure, Exposure::Internal);
  EXPECT_EQ(exposureWhere(a), "deploy/k8s/payments.yaml:23");
  EXPECT_EQ(a.criticality, "");
  EXPECT_EQ(a.scans, (Strings{"sast", "sca", "secrets"}));
  // Linked by the image name even though the manifest pins a digest.
  ASSERT_EQ(a.images.size(), 1u);
  EXPECT_TRUE(a.images[0].starts_with("registry.acme.example/payments@sha256:"));
  EXPECT_TRUE(hasEvidence(a, "services/payments/pom.xml:15", "Spring Boot"));
}

TEST_F(ShopEstate, CatalogIsInternetFacingThroughAGatewayRoute) {
  const Asset& a = find(inv(), AssetKind::Service, "services/catalog");
  EXPECT_EQ(a.languages, Strings{"go"});
  EXPECT_EQ(a.manifests, Strings{"services/catalog/go.mod"});
  EXPECT_EQ(a.exposure, Exposure::Internet);
  EXPECT_EQ(exposureWhere(a), "deploy/k8s/catalog.yaml:41");
  EXPECT_NE(a.exposureEvidence->why.find("HTTPRoute catalog"), std::string::npos);
  EXPECT_EQ(a.scans, (Strings{"sast", "sca", "secrets"}));
  EXPECT_TRUE(hasEvidence(a, "services/catalog/main.go:12", "ListenAndServe"));
}

TEST_F(ShopEstate, TheMailerWorkerHasNoNetworkExposure) {
  const Asset& a = find(inv(), AssetKind::Service, "workers/mailer");
  EXPECT_EQ(a.languages, Strings{"python"});
  EXPECT_EQ(a.manifests, Strings{"workers/mailer/pyproject.toml"});
  EXPECT_EQ(a.exposure, Exposure::None);
  EXPECT_EQ(exposureWhere(a), "deploy/k8s/mailer.yaml:2");
  EXPECT_NE(a.exposureEvidence->why.find("has no Service"), std::string::npos);
  EXPECT_EQ(a.scans, (Strings{"sast", "sca", "secrets"}));
  EXPECT_TRUE(hasEvidence(a, "docker-compose.yml:12", "docker-compose service mailer"));
}

TEST_F(ShopEstate, APackageWithoutServerOrImageIsALibrary) {
  const Asset& a = find(inv(), AssetKind::Library, "libs/pricing");
  EXPECT_EQ(a.languages, Strings{"rust"});
  EXPECT_EQ(a.manifests, Strings{"libs/pricing/Cargo.toml"});
  EXPECT_EQ(a.exposure, Exposure::Unknown);
  EXPECT_FALSE(a.exposureEvidence);
  EXPECT_EQ(a.scans, (Strings{"sast", "sca", "secrets"}));
}

TEST_F(ShopEstate, TerraformPublicResourcesAreInternetEvidence) {
  const Asset& a = find(inv(), AssetKind::Infrastructure, "infra/terraform");
  EXPECT_EQ(a.languages, Strings{"hcl"});
  EXPECT_EQ(a.manifests, (Strings{"infra/terraform/main.tf", "infra/terraform/storage.tf"}));
  EXPECT_EQ(a.exposure, Exposure::Internet);
  EXPECT_EQ(exposureWhere(a), "infra/terraform/main.tf:11");
  EXPECT_TRUE(hasEvidence(a, "infra/terraform/main.tf:11", "aws_lb.shop is internet-facing"));
  EXPECT_TRUE(hasEvidence(a, "infra/terraform/main.tf:23", "aws_security_group.web allows ingress from"));
  // Egress to 0.0.0.0/0 is not exposure.
  EXPECT_FALSE(hasEvidence(a, "infra/terraform/main.tf:30", ""));
  EXPECT_TRUE(hasEvidence(a, "infra/terraform/storage.tf:7", "public-read"));
  EXPECT_TRUE(hasEvidence(a, "infra/terraform/storage.tf:10", "API gateway aws_apigatewayv2_api.partners"));
  EXPECT_TRUE(hasEvidence(a, "infra/terraform/storage.tf:17", "aws_lb.internal_jobs is internal"));
  // checkov runs on this directory only.
  EXPECT_EQ(a.scans, (Strings{"iac", "sast", "sca", "secrets"}));
}

TEST_F(ShopEstate, PipelinesAndTheScanKindsTheyRun) {
  const Asset& gh = find(inv(), AssetKind::Pipeline, ".github/workflows/security.yml");
  EXPECT_EQ(gh.name, "security");
  EXPECT_EQ(gh.scans, (Strings{"sast", "sca", "secrets"}));
  EXPECT_TRUE(hasEvidence(gh, ".github/workflows/security.yml:12", "runs codeql (sast)"));
  EXPECT_TRUE(hasEvidence(gh, ".github/workflows/security.yml:17", "runs semgrep (sast)"));
  EXPECT_TRUE(hasEvidence(gh, ".github/workflows/security.yml:23", "runs trivy fs (sca)"));
  EXPECT_TRUE(hasEvidence(gh, ".github/workflows/security.yml:28", "runs gitleaks (secrets)"));

  const Asset& gl = find(inv(), AssetKind::Pipeline, ".gitlab-ci.yml");
  EXPECT_EQ(gl.scans, (Strings{"iac", "sast"}));
  EXPECT_TRUE(hasEvidence(gl, ".gitlab-ci.yml:8", "runs checkov (iac) on infra/terraform"));
  EXPECT_TRUE(hasEvidence(gl, ".gitlab-ci.yml:15", "runs bandit (sast) on services/orders"));
  // The job name, the job image and installing the tool are not runs.
  EXPECT_EQ(gl.evidence.size(), 2u);
}

TEST_F(ShopEstate, RoutesInCodeAndOpenApiDocumentsAreApis) {
  const Asset& storefront = find(inv(), AssetKind::Api, "services/storefront");
  EXPECT_EQ(storefront.exposure, Exposure::Internet);
  EXPECT_TRUE(hasEvidence(storefront, "services/storefront/src/server.js:8", "route GET /health (Express"));
  EXPECT_TRUE(hasEvidence(storefront, "services/storefront/src/server.js:9", "route GET /products/:id"));
  EXPECT_TRUE(hasEvidence(storefront, "services/storefront/src/server.js:10", "route POST /login"));
  EXPECT_EQ(std::count_if(storefront.evidence.begin(), storefront.evidence.end(),
                          [](const Evidence& e) { return e.why.starts_with("route "); }),
            3);

  const Asset& orders = find(inv(), AssetKind::Api, "services/orders");
  EXPECT_TRUE(hasEvidence(orders, "services/orders/app/main.py:9", "route GET /orders/{order_id} (Flask/FastAPI)"));
  EXPECT_TRUE(hasEvidence(orders, "services/orders/app/main.py:14", "route POST /orders"));

  const Asset& payments = find(inv(), AssetKind::Api, "services/payments");
  const std::string controller = "services/payments/src/main/java/com/acme/payments/PaymentController.java";
  EXPECT_EQ(payments.exposure, Exposure::Internal);
  EXPECT_TRUE(hasEvidence(payments, controller + ":10", "route GET /payments/{id} (Spring)"));
  EXPECT_TRUE(hasEvidence(payments, controller + ":15", "route POST /payments"));

  const Asset& catalog = find(inv(), AssetKind::Api, "services/catalog");
  EXPECT_TRUE(hasEvidence(catalog, "services/catalog/main.go:10", "route GET /catalog/items (Go net/http)"));
  EXPECT_TRUE(hasEvidence(catalog, "services/catalog/main.go:11", "route ANY /catalog/health"));

  const Asset& doc = find(inv(), AssetKind::Api, "services/orders/openapi.yaml");
  EXPECT_EQ(doc.name, "Orders API");
  EXPECT_EQ(doc.manifests, Strings{"services/orders/openapi.yaml"});
  EXPECT_EQ(doc.exposure, Exposure::Internet);
  EXPECT_EQ(exposureWhere(doc), "services/orders/openapi.yaml:6");
  EXPECT_TRUE(hasEvidence(doc, "services/orders/openapi.yaml:8", "operation POST /orders"));
  EXPECT_TRUE(hasEvidence(doc, "services/orders/openapi.yaml:11", "operation GET /orders/{order_id}"));
  EXPECT_EQ(doc.criticality, "high");
  EXPECT_EQ(doc.criticalityEvidence->where(), "services/orders/openapi.yaml:19");
}

TEST_F(ShopEstate, AFileBelongsToTheAssetWithTheLongestPathScope) {
  EXPECT_EQ(assetFor(inv(), "services/orders/app/main.py")->name, "orders");
  EXPECT_EQ(assetFor(inv(), "infra/terraform/main.tf")->kind, AssetKind::Infrastructure);
  EXPECT_EQ(assetFor(inv(), "services/ordersx/main.py"), nullptr);
  EXPECT_EQ(assetFor(inv(), "README.md"), nullptr);
}

TEST(TwinsEstate, SameCodeDifferentExposure) {
  const auto r = discover(kEstates + "twins");
  EXPECT_TRUE(r.problems.empty());
  const Asset& api = find(r.value, AssetKind::Service, "services/api");
  EXPECT_EQ(api.name, "accounts-api");
  EXPECT_EQ(api.exposure, Exposure::Internet);
  EXPECT_EQ(exposureWhere(api), "deploy/k8s.yaml:23");
  EXPECT_EQ(api.scans, (Strings{"sast", "sca"}));
  const Asset& worker = find(r.value, AssetKind::Service, "services/worker");
  EXPECT_EQ(worker.name, "accounts-worker");
  EXPECT_EQ(worker.languages, Strings{"python"});
  EXPECT_EQ(worker.exposure, Exposure::Internal);
  // The Service states no type: the evidence is its kind line.
  EXPECT_EQ(exposureWhere(worker), "deploy/k8s.yaml:48");
  const Asset& pipeline = find(r.value, AssetKind::Pipeline, "azure-pipelines.yml");
  EXPECT_EQ(pipeline.scans, (Strings{"sast", "sca"}));
  EXPECT_TRUE(hasEvidence(pipeline, "azure-pipelines.yml:10", "runs snyk (sca)"));
  EXPECT_EQ(r.value.assets.size(), 4u);  // two services, the pipeline, the accounts-api routes
}

TEST(BrokenEstate, BadFilesAreProblemsWithFileAndLineAndTheRestIsStillFound) {
  const auto r = discover(kEstates + "broken");
  std::vector<std::string> problems;
  for (const auto& p : r.problems) {
    EXPECT_EQ(p.severity, support::ProblemSeverity::Warning) << p.file;
    problems.push_back(p.file + " " + p.path);
  }
  std::sort(problems.begin(), problems.end());
  EXPECT_EQ(problems, (Strings{"api/openapi.json line 6", "k8s/web.yaml line 19", "services/web/package.json line 4",
                               "terraform/network.tf line 11"}));

  // package.json does not parse, but the code still shows a web server.
  const Asset& web = find(r.value, AssetKind::Service, "services/web");
  EXPECT_EQ(web.name, "web");
  EXPECT_EQ(web.manifests, Strings{"services/web/package.json"});
  EXPECT_EQ(web.languages, Strings{"javascript"});
  EXPECT_EQ(web.exposure, Exposure::Unknown);  // its Service is in the broken YAML stream
  EXPECT_EQ(web.scans, Strings{"secrets"});

  const Asset& billing = find(r.value, AssetKind::Service, "services/billing");
  EXPECT_EQ(billing.exposure, Exposure::Internet);
  EXPECT_EQ(exposureWhere(billing), "k8s/billing.yaml:20");
  EXPECT_NE(billing.exposureEvidence->why.find("NodePort"), std::string::npos);
  // gosec is limited to ./services/billing/...
  EXPECT_EQ(billing.scans, (Strings{"sast", "secrets"}));

  // Resources before the HCL syntax error are still read.
  const Asset& tf = find(r.value, AssetKind::Infrastructure, "terraform");
  EXPECT_EQ(tf.exposure, Exposure::Internet);
  EXPECT_EQ(exposureWhere(tf), "terraform/network.tf:6");

  const Asset& jenkins = find(r.value, AssetKind::Pipeline, "Jenkinsfile");
  EXPECT_EQ(jenkins.scans, (Strings{"sast", "secrets"}));
  EXPECT_TRUE(hasEvidence(jenkins, "Jenkinsfile:7", "runs gosec (sast) on services/billing"));

  const Asset& doc = find(r.value, AssetKind::Api, "api/openapi.json");
  EXPECT_EQ(doc.name, "openapi.json");
}

TEST(Discovery, SkipsDependencyAndBuildDirectoriesAndBoundsFileSizes) {
  TempDir repo;
  repo.write("package.json", "{\"name\": \"root-app\", \"dependencies\": {\"koa\": \"2\"}}\n");
  repo.write("node_modules/left-pad/package.json", "{\"name\": \"left-pad\"}\n");
  repo.write("vendor/lib/go.mod", "module example.com/lib\n");
  repo.write("build/gen/Cargo.toml", "[package]\nname = \"generated\"\n");
  repo.write("big/package.json", "{\"name\": \"big\", \"padding\": \"" + std::string(4096, 'x') + "\"}\n");
  DiscoverOptions options;
  options.maxFileBytes = 1024;
  const auto r = discover(repo.path(), options);
  ASSERT_EQ(r.value.assets.size(), 2u);
  EXPECT_EQ(r.value.assets[0].name, "root-app");
  EXPECT_EQ(r.value.assets[0].path, "");
  EXPECT_EQ(r.value.assets[0].kind, AssetKind::Service);
  EXPECT_EQ(r.value.assets[1].path, "big");
  EXPECT_EQ(r.value.assets[1].kind, AssetKind::Library);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].file, "big/package.json");
  EXPECT_NE(r.problems[0].message.find("larger than 1024 bytes"), std::string::npos);
}

TEST(Discovery, ANestedPipelineCoversItsOwnDirectory) {
  TempDir repo;
  repo.write("teams/a/svc/go.mod", "module example.com/a\n");
  repo.write("teams/b/svc/go.mod", "module example.com/b\n");
  repo.write("teams/a/Jenkinsfile", "pipeline {\n  steps {\n    sh 'semgrep scan .'\n    sh 'gitleaks detect -s ../b'\n  }\n}\n");
  const auto r = discover(repo.path());
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(find(r.value, AssetKind::Library, "teams/a/svc").scans, Strings{"sast"});
  EXPECT_EQ(find(r.value, AssetKind::Library, "teams/b/svc").scans, Strings{"secrets"});
  const Asset& p = find(r.value, AssetKind::Pipeline, "teams/a/Jenkinsfile");
  EXPECT_TRUE(hasEvidence(p, "teams/a/Jenkinsfile:3", "runs semgrep (sast) on teams/a"));
  EXPECT_TRUE(hasEvidence(p, "teams/a/Jenkinsfile:4", "runs gitleaks (secrets) on teams/b"));
}

TEST(Discovery, AMissingRepositoryIsFatal) {
  const auto r = discover(kEstates + "no-such-estate");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].severity, support::ProblemSeverity::Fatal);
  EXPECT_TRUE(r.value.assets.empty());
}

TEST(Discovery, GarbageNeverCrashes) {
  TempDir repo;
  repo.write("svc/package.json", std::string("\x00\xff{[\"", 5));
  repo.write("svc/Dockerfile", "FROM\nEXPOSE\n");
  repo.write("k8s/x.yaml", "apiVersion: v1\nkind: Service\nspec: [1, 2\n");
  repo.write("k8s/y.yaml", "apiVersion: v1\nkind: [Deployment]\nmetadata: 3\nspec:\n  template: 4\n");
  repo.write("tf/main.tf", "resource \"aws_lb\" {{{{ \"\n");
  repo.write("docker-compose.yml", "services:\n  a: 1\n  b:\n    build: {context: 7}\n    ports: [{}]\n");
  repo.write(".github/workflows/x.yml", ":\n- - -\n  {");
  // Long lines and long runs of blank lines must not exhaust the regex engine's stack.
  repo.write("rs/Cargo.toml", "[package]\n" + std::string(300000, 'x') + "\nname = \"long-lines\"\n");
  repo.write("py/pyproject.toml", std::string(400000, '\n') + "name = \"blank-lines\"\n");
  const auto r = discover(repo.path());
  EXPECT_FALSE(r.problems.empty());
  for (const auto& p : r.problems) EXPECT_FALSE(p.file.empty());
  EXPECT_EQ(find(r.value, AssetKind::Library, "rs").name, "long-lines");
  EXPECT_EQ(find(r.value, AssetKind::Library, "py").name, "blank-lines");
  EXPECT_TRUE(std::any_of(r.value.assets.begin(), r.value.assets.end(),
                          [](const Asset& a) { return a.path == "svc" && a.kind == AssetKind::Service; }));
}

}  // namespace
}  // namespace aspm::inventory
