// How deployment descriptors beyond plain Kubernetes manifests tie exposure to services, on the
// fleet estate (tests/data/estates/fleet) and on small repositories built by the tests: Helm
// charts' values.yaml (image, service type, ingress), Kubernetes namespaces (linking stays inside
// one; a name like `internal` is evidence, never exposure), and Terraform front ends (load
// balancers, gateways, forwarding rules, public IPs) linked through the resources that route to a
// service's container image or name.
#include <gtest/gtest.h>

#include <string>

#include "inventory/inventory.h"
#include "inventory_testing.h"

namespace aspm::inventory {
namespace {

class FleetEstate : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { result_ = new support::WithProblems<Inventory>(discover(kEstates + "fleet")); }
  static void TearDownTestSuite() {
    delete result_;
    result_ = nullptr;
  }
  static const Inventory& inv() { return result_->value; }
  static support::WithProblems<Inventory>* result_;
};
support::WithProblems<Inventory>* FleetEstate::result_ = nullptr;

TEST_F(FleetEstate, DiscoversEveryAssetAndNothingElse) {
  for (const auto& p : result_->problems) ADD_FAILURE() << p.file << " " << p.path << ": " << p.message;
  Strings got;
  for (const auto& a : inv().assets)
    got.push_back(std::string(idOf(a.kind)) + " " + a.path + " " + a.name + " " + std::string(idOf(a.exposure)));
  const Strings want{
      "service charts/status-page status-page internet",
      "service services/billing billing internet",
      "service services/gateway gateway internet",
      "service services/ledger ledger internet",
      "service services/notifier notifier internal",
      "service services/reports reports none",
      "service services/search search internet",
      "pipeline .github/workflows/ci.yml ci none",
      "infrastructure infra/aws aws internet",
      "infrastructure infra/gcp gcp internet",
      "api services/billing billing HTTP API internet",
      "api services/gateway gateway HTTP API internet",
      "api services/ledger ledger HTTP API internet",
      "api services/notifier notifier HTTP API internal",
  };
  EXPECT_EQ(got, want);
}

TEST_F(FleetEstate, AHelmChartWithALoadBalancerServiceExposesTheServiceRunningItsImage) {
  const Asset& a = find(inv(), AssetKind::Service, "services/gateway");
  EXPECT_EQ(a.languages, Strings{"go"});
  EXPECT_EQ(a.exposure, Exposure::Internet);
  EXPECT_EQ(exposureWhere(a), "charts/gateway/values.yaml:9");
  EXPECT_NE(a.exposureEvidence->why.find("Helm chart gateway sets service.type LoadBalancer"), std::string::npos);
  EXPECT_EQ(a.images, Strings{"ghcr.io/acme/gateway:3.1.0"});
  EXPECT_TRUE(hasEvidence(a, "charts/gateway/values.yaml:4", "Helm chart gateway runs image ghcr.io/acme/gateway:3.1.0"));
  // `ingress.enabled: false` is no evidence at all.
  EXPECT_FALSE(hasEvidence(a, "charts/gateway/values.yaml:13", ""));
}

TEST_F(FleetEstate, AnEnabledIngressOutweighsAClusterIpService) {
  const Asset& a = find(inv(), AssetKind::Service, "services/billing");
  EXPECT_EQ(a.exposure, Exposure::Internet);
  EXPECT_EQ(exposureWhere(a), "charts/billing/values.yaml:11");
  EXPECT_NE(a.exposureEvidence->why.find("enables ingress for billing.acme.example"), std::string::npos);
  // The registry, repository and tag of the chart convention make one image reference.
  EXPECT_EQ(a.images, Strings{"registry.acme.example/fleet/billing:2.0.0"});
  EXPECT_TRUE(hasEvidence(a, "charts/billing/values.yaml:7", "service.type ClusterIP: reachable only inside the network"));
}

TEST_F(FleetEstate, AChartOfAThirdPartyImageIsAServiceOfItsOwn) {
  const Asset& a = find(inv(), AssetKind::Service, "charts/status-page");
  EXPECT_EQ(a.name, "status-page");
  EXPECT_EQ(a.manifests, (Strings{"charts/status-page/Chart.yaml", "charts/status-page/values.yaml"}));
  EXPECT_EQ(a.exposure, Exposure::Internet);
  EXPECT_EQ(exposureWhere(a), "charts/status-page/values.yaml:6");
  EXPECT_EQ(a.images, Strings{"docker.io/library/nginx:1.25"});
  // Its container findings attach to it.
  EXPECT_EQ(assetFor(inv(), "docker.io/library/nginx (debian 12.5)"), &a);
}

TEST_F(FleetEstate, NamespacesAreEvidenceNotExposure) {
  const Asset& reports = find(inv(), AssetKind::Service, "services/reports");
  EXPECT_EQ(reports.exposure, Exposure::None);
  EXPECT_EQ(exposureWhere(reports), "k8s/reports.yaml:2");
  EXPECT_NE(reports.exposureEvidence->why.find("in namespace internal has no Service"), std::string::npos);
  EXPECT_TRUE(hasEvidence(reports, "k8s/reports.yaml:5", "runs in namespace internal (the name suggests an internal namespace"));

  // The Ingress of the edge namespace names a Service `notifier` of its own namespace: it does
  // not reach the notifier Deployment of the internal namespace.
  const Asset& notifier = find(inv(), AssetKind::Service, "services/notifier");
  EXPECT_EQ(notifier.exposure, Exposure::Internal);
  EXPECT_EQ(exposureWhere(notifier), "k8s/notifier.yaml:20");
  EXPECT_FALSE(hasEvidence(notifier, "k8s/notifier.yaml:47", ""));
  EXPECT_TRUE(hasEvidence(notifier, "k8s/notifier.yaml:5", "runs in namespace internal"));
}

TEST_F(FleetEstate, AnEcsTaskBehindAPublicLoadBalancerMakesItsServiceInternetFacing) {
  const Asset& a = find(inv(), AssetKind::Service, "services/ledger");
  EXPECT_EQ(a.exposure, Exposure::Internet);
  // The container image is the link, and the path from the load balancer is the explanation.
  EXPECT_EQ(exposureWhere(a), "infra/aws/main.tf:54");
  EXPECT_NE(a.exposureEvidence->why.find("container image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/fleet/ledger:2.4.0 "
                                         "of aws_ecs_task_definition.ledger is reached from the internet through "
                                         "aws_lb.public -> aws_lb_listener.https -> aws_lb_target_group.ledger -> "
                                         "aws_ecs_service.ledger -> aws_ecs_task_definition.ledger"),
            std::string::npos)
      << a.exposureEvidence->why;
  EXPECT_NE(a.exposureEvidence->why.find("infra/aws/main.tf:7"), std::string::npos);
  EXPECT_EQ(a.images, Strings{"123456789012.dkr.ecr.eu-west-1.amazonaws.com/fleet/ledger:2.4.0"});
  // The nearest resource that names the service says so too, once.
  EXPECT_TRUE(hasEvidence(a, "infra/aws/main.tf:24", "aws_lb_target_group.ledger is reached from the internet"));
  EXPECT_EQ(std::count_if(a.evidence.begin(), a.evidence.end(),
                          [](const Evidence& e) { return e.file == "infra/aws/main.tf"; }),
            2);
  // Terraform's own findings stay with the infrastructure.
  EXPECT_EQ(assetFor(inv(), "infra/aws/main.tf")->kind, AssetKind::Infrastructure);
}

TEST_F(FleetEstate, AGoogleLoadBalancerReachesCloudRunThroughItsBackendService) {
  const Asset& a = find(inv(), AssetKind::Service, "services/search");
  EXPECT_EQ(a.languages, Strings{"rust"});
  EXPECT_EQ(a.exposure, Exposure::Internet);
  EXPECT_EQ(exposureWhere(a), "infra/gcp/main.tf:45");
  EXPECT_NE(a.exposureEvidence->why.find("google_compute_global_forwarding_rule.search -> "
                                         "google_compute_target_https_proxy.search -> google_compute_url_map.search -> "
                                         "google_compute_backend_service.search -> "
                                         "google_compute_region_network_endpoint_group.search -> "
                                         "google_cloud_run_v2_service.search"),
            std::string::npos)
      << a.exposureEvidence->why;
  const Asset& gcp = find(inv(), AssetKind::Infrastructure, "infra/gcp");
  EXPECT_EQ(exposureWhere(gcp), "infra/gcp/main.tf:3");
  EXPECT_EQ(assetFor(inv(), "infra/gcp/main.tf"), &gcp);
}

// ---- Repositories built by the tests ------------------------------------------------------------

TEST(TerraformLinks, SharedClustersAndNetworksLinkNothingAndInternalLoadBalancersExposeNothing) {
  TempDir repo;
  for (const char* svc : {"ledger", "batch", "admin"})
    repo.write(std::string("services/") + svc + "/Dockerfile", "FROM python:3.12-slim\n");
  repo.write("infra/main.tf", R"(resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_ecs_cluster" "main" {
  name = "main"
}

resource "aws_lb" "public" {
  subnets = [aws_vpc.main.id]
}

resource "aws_lb_listener" "web" {
  load_balancer_arn = aws_lb.public.arn
  default_action {
    target_group_arn = aws_lb_target_group.ledger.arn
  }
}

resource "aws_lb_target_group" "ledger" {
  vpc_id = aws_vpc.main.id
}

resource "aws_ecs_service" "ledger" {
  cluster = aws_ecs_cluster.main.id
  load_balancer {
    target_group_arn = aws_lb_target_group.ledger.arn
  }
}

resource "aws_ecs_service" "batch" {
  cluster = aws_ecs_cluster.main.id
}

resource "aws_lb" "admin" {
  internal = true
}

resource "aws_lb_listener" "admin" {
  load_balancer_arn = aws_lb.admin.arn
  default_action {
    target_group_arn = aws_lb_target_group.admin.arn
  }
}

resource "aws_lb_target_group" "admin" {
  name = "admin-tg"
}
)");
  const auto r = discover(repo.path());
  EXPECT_TRUE(r.problems.empty());
  const Asset& ledger = find(r.value, AssetKind::Service, "services/ledger");
  EXPECT_EQ(ledger.exposure, Exposure::Internet);
  EXPECT_EQ(exposureWhere(ledger), "infra/main.tf:20");  // the target group named like the service
  EXPECT_NE(ledger.exposureEvidence->why.find("aws_lb.public -> aws_lb_listener.web -> aws_lb_target_group.ledger"),
            std::string::npos);
  // batch shares the cluster (and the load balancer shares the VPC): no traffic path.
  EXPECT_EQ(find(r.value, AssetKind::Service, "services/batch").exposure, Exposure::Unknown);
  // admin sits behind an internal load balancer.
  EXPECT_EQ(find(r.value, AssetKind::Service, "services/admin").exposure, Exposure::Unknown);
}

TEST(TerraformLinks, ApiGatewaysAzureAndLambdaImages) {
  TempDir repo;
  repo.write("services/orders/Dockerfile", "FROM node:20\n");
  repo.write("services/quotes/Dockerfile", "FROM node:20\n");
  repo.write("services/portal/Dockerfile", "FROM node:20\n");
  repo.write("services/jobs/Dockerfile", "FROM node:20\n");
  repo.write("aws/api.tf", R"(resource "aws_apigatewayv2_api" "public" {
  name          = "public"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "orders" {
  api_id           = aws_apigatewayv2_api.public.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.orders.invoke_arn
}

resource "aws_lambda_function" "orders" {
  function_name = "orders-handler"
  package_type  = "Image"
  image_uri     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:7"
}

resource "aws_api_gateway_rest_api" "private" {
  name = "quotes"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}
)");
  repo.write("azure/main.tf", R"(resource "azurerm_container_app_environment" "shared" {
  name = "shared"
}

resource "azurerm_container_app" "portal" {
  name                         = "portal"
  container_app_environment_id = azurerm_container_app_environment.shared.id
  ingress {
    external_enabled = true
    target_port      = 8080
  }
}

resource "azurerm_container_app" "jobs" {
  name                         = "jobs"
  container_app_environment_id = azurerm_container_app_environment.shared.id
  ingress {
    external_enabled = false
    target_port      = 8080
  }
}
)");
  const auto r = discover(repo.path());
  EXPECT_TRUE(r.problems.empty());
  const Asset& orders = find(r.value, AssetKind::Service, "services/orders");
  EXPECT_EQ(orders.exposure, Exposure::Internet);
  EXPECT_EQ(exposureWhere(orders), "aws/api.tf:15");
  EXPECT_NE(orders.exposureEvidence->why.find("aws_apigatewayv2_api.public -> aws_apigatewayv2_integration.orders -> "
                                              "aws_lambda_function.orders"),
            std::string::npos);
  // A private REST API is no entry point, whatever it is called.
  EXPECT_EQ(find(r.value, AssetKind::Service, "services/quotes").exposure, Exposure::Unknown);
  const Asset& portal = find(r.value, AssetKind::Service, "services/portal");
  EXPECT_EQ(portal.exposure, Exposure::Internet);
  EXPECT_EQ(exposureWhere(portal), "azure/main.tf:5");
  EXPECT_NE(portal.exposureEvidence->why.find("external_enabled = true"), std::string::npos);
  // jobs shares the environment with portal but takes no external traffic.
  EXPECT_EQ(find(r.value, AssetKind::Service, "services/jobs").exposure, Exposure::Unknown);
  EXPECT_EQ(find(r.value, AssetKind::Infrastructure, "azure").exposure, Exposure::Internet);
}

TEST(HelmCharts, UmbrellaChartsConfigureEachSubchartAndBadValuesAreProblems) {
  TempDir repo;
  repo.write("api/go.mod", "module example.com/api\n");
  repo.write("api/main.go", "package main\n\nfunc main() { http.ListenAndServe(\":80\", nil) }\n");
  repo.write("worker/go.mod", "module example.com/worker\n");
  repo.write("worker/main.go", "package main\n\nfunc main() { http.ListenAndServe(\":80\", nil) }\n");
  repo.write("deploy/platform/Chart.yaml", "apiVersion: v2\nname: platform\nversion: 1.0.0\n");
  repo.write("deploy/platform/values.yaml",
             "api:\n  image: ghcr.io/acme/api:1.2\n  service:\n    type: NodePort\n"
             "worker:\n  image:\n    repository: ghcr.io/acme/worker\n  service:\n    type: LoadBalancer\n"
             "    annotations:\n      service.beta.kubernetes.io/aws-load-balancer-scheme: internal\n");
  repo.write("deploy/broken/Chart.yaml", "apiVersion: v2\nname: broken\n");
  repo.write("deploy/broken/values.yaml", "image:\n  repository: [unclosed\n");
  // A values.yaml without a Chart.yaml beside it is not a chart.
  repo.write("config/values.yaml", "service:\n  type: LoadBalancer\n");
  const auto r = discover(repo.path());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].file, "deploy/broken/values.yaml");
  EXPECT_EQ(r.problems[0].path, "line 3");
  const Asset& api = find(r.value, AssetKind::Service, "api");
  EXPECT_EQ(api.exposure, Exposure::Internet);
  EXPECT_EQ(exposureWhere(api), "deploy/platform/values.yaml:4");
  EXPECT_NE(api.exposureEvidence->why.find("Helm chart platform sets api.service.type NodePort"), std::string::npos);
  const Asset& worker = find(r.value, AssetKind::Service, "worker");
  EXPECT_EQ(worker.exposure, Exposure::Internal);
  EXPECT_NE(worker.exposureEvidence->why.find("with an internal load balancer"), std::string::npos);
  EXPECT_EQ(r.value.assets.size(), 2u);
}

}  // namespace
}  // namespace aspm::inventory
