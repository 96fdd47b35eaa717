// Discovered context feeds risk: the same rule firing on the same code ranks higher in the
// internet-facing service than in the internal worker, the explanation names the evidence
// file:line, and `.aspm/config.yaml` applications override what discovery concluded.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "engine/analysis.h"

namespace aspm {
namespace {

const std::string kTwins = std::string(ASPM_SOURCE_DIR) + "/tests/data/estates/twins";

const model::RiskFactor* factor(const model::Finding& f, const std::string& name) {
  for (const auto& e : f.risk.explanation)
    if (e.name == name) return &e;
  return nullptr;
}

std::string fileOf(const engine::Analysis& a, const model::Finding& f) {
  if (f.location) return f.location->uri;
  return a.scans.results[f.results.front()].locations.front().uri;
}

TEST(RiskContext, InternetFacingServiceOutranksTheInternalWorker) {
  engine::AnalysisOptions options;
  options.repoRoot = kTwins;
  const engine::Analysis a = engine::analyze(options);
  for (const auto& p : a.problems) ADD_FAILURE() << p.file << ": " << p.message;
  ASSERT_EQ(a.findings.size(), 2u);
  const model::Finding& first = a.findings[0];
  const model::Finding& second = a.findings[1];
  EXPECT_EQ(fileOf(a, first), "services/api/app/db.py");
  EXPECT_EQ(fileOf(a, second), "services/worker/worker/db.py");
  EXPECT_GT(first.risk.score, second.risk.score);

  const auto* internet = factor(first, "exposure");
  ASSERT_NE(internet, nullptr);
  EXPECT_EQ(internet->value, "internet-facing");
  EXPECT_TRUE(internet->source.starts_with("deploy/k8s.yaml:23: Service accounts-api of type LoadBalancer"))
      << internet->source;
  const auto* internal = factor(second, "exposure");
  ASSERT_NE(internal, nullptr);
  EXPECT_EQ(internal->value, "internal");
  EXPECT_TRUE(internal->source.starts_with("deploy/k8s.yaml:48: Service accounts-worker")) << internal->source;
  EXPECT_EQ(a.inventory.assets.size(), 4u);
}

// The same rule on the same code in three services of the fleet estate: billing is exposed by its
// Helm chart's ingress, ledger by a public AWS load balancer routing to its ECS task's image, and
// reports runs in a namespace called `internal` with no Service at all.
TEST(RiskContext, HelmAndTerraformExposureOutrankTheWorkerWithoutAService) {
  engine::AnalysisOptions options;
  options.repoRoot = std::string(ASPM_SOURCE_DIR) + "/tests/data/estates/fleet";
  const engine::Analysis a = engine::analyze(options);
  for (const auto& p : a.problems) ADD_FAILURE() << p.file << ": " << p.message;
  ASSERT_EQ(a.findings.size(), 3u);
  const model::Finding* billing = nullptr;
  const model::Finding* ledger = nullptr;
  const model::Finding* reports = nullptr;
  for (const auto& f : a.findings) {
    const std::string file = fileOf(a, f);
    (file == "services/billing/app/db.py" ? billing : file == "services/ledger/ledger/db.py" ? ledger : reports) = &f;
  }
  ASSERT_TRUE(billing && ledger && reports);
  EXPECT_EQ(fileOf(a, *reports), "services/reports/reports/db.py");
  EXPECT_GT(billing->risk.score, reports->risk.score);
  EXPECT_GT(ledger->risk.score, reports->risk.score);
  EXPECT_EQ(billing->risk.score, ledger->risk.score);
  EXPECT_EQ(fileOf(a, a.findings.back()), "services/reports/reports/db.py");

  EXPECT_EQ(factor(*billing, "exposure")->value, "internet-facing");
  EXPECT_TRUE(factor(*billing, "exposure")->source.starts_with("charts/billing/values.yaml:11: Helm chart billing enables ingress"))
      << factor(*billing, "exposure")->source;
  EXPECT_EQ(factor(*ledger, "exposure")->value, "internet-facing");
  EXPECT_TRUE(factor(*ledger, "exposure")->source.starts_with("infra/aws/main.tf:54: container image"))
      << factor(*ledger, "exposure")->source;
  EXPECT_NE(factor(*ledger, "exposure")->source.find("aws_lb.public -> aws_lb_listener.https"), std::string::npos);
  EXPECT_EQ(factor(*reports, "exposure")->value, "internal");
  EXPECT_TRUE(factor(*reports, "exposure")->source.starts_with("k8s/reports.yaml:2: Deployment reports in namespace internal"))
      << factor(*reports, "exposure")->source;
}

TEST(RiskContext, DiscoveryOffLeavesExposureUnknown) {
  engine::AnalysisOptions options;
  options.repoRoot = kTwins;
  options.discoverAssets = false;
  const engine::Analysis a = engine::analyze(options);
  ASSERT_EQ(a.findings.size(), 2u);
  EXPECT_EQ(a.findings[0].risk.score, a.findings[1].risk.score);
  EXPECT_EQ(factor(a.findings[0], "exposure")->value, "unknown");
  EXPECT_TRUE(a.inventory.assets.empty());
}

TEST(RiskContext, ConfiguredApplicationsOverrideDiscovery) {
  const auto dir = std::filesystem::temp_directory_path() / ("aspm-inventory-config-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  const std::string config = (dir / "config.yaml").string();
  std::ofstream(config) << "applications:\n"
                           "  - name: reconciliation\n"
                           "    paths: [\"services/worker/**\"]\n"
                           "    criticality: critical\n"
                           "    internet_facing: true\n";
  engine::AnalysisOptions options;
  options.repoRoot = kTwins;
  options.configFile = config;
  const engine::Analysis a = engine::analyze(options);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  for (const auto& p : a.problems) ADD_FAILURE() << p.file << ": " << p.message;
  ASSERT_EQ(a.findings.size(), 2u);
  EXPECT_EQ(fileOf(a, a.findings[0]), "services/worker/worker/db.py");
  const auto* exposure = factor(a.findings[0], "exposure");
  EXPECT_EQ(exposure->value, "internet-facing");
  EXPECT_NE(exposure->source.find("application reconciliation"), std::string::npos) << exposure->source;
  EXPECT_EQ(factor(a.findings[0], "criticality")->value, "critical");
  // The api keeps its discovered context.
  EXPECT_NE(factor(a.findings[1], "exposure")->source.find("deploy/k8s.yaml:23"), std::string::npos);
}

TEST(RiskContext, DiscoveredApplicationsAreOrderedLongestScopeFirst) {
  inventory::Inventory inv;
  inventory::Asset root;
  root.kind = inventory::AssetKind::Service;
  root.name = "monolith";
  root.exposure = inventory::Exposure::Internet;
  root.exposureEvidence = inventory::Evidence{"k8s.yaml", 7, "Service type LoadBalancer"};
  inventory::Asset nested = root;
  nested.name = "jobs";
  nested.path = "jobs/nightly";
  nested.exposure = inventory::Exposure::None;
  nested.exposureEvidence = inventory::Evidence{"k8s.yaml", 30, "no Service"};
  inventory::Asset unknown = root;
  unknown.name = "lib";
  unknown.path = "lib";
  unknown.exposure = inventory::Exposure::Unknown;
  unknown.exposureEvidence.reset();
  inv.assets = {root, nested, unknown};
  const auto apps = engine::discoveredApplications(inv);
  ASSERT_EQ(apps.size(), 2u);  // nothing known about lib: it must not mask anything
  EXPECT_EQ(apps[0].name, "jobs");
  EXPECT_EQ(apps[0].paths, std::vector<std::string>{"jobs/nightly/**"});
  EXPECT_EQ(apps[0].internetFacing, std::optional<bool>(false));
  EXPECT_EQ(apps[1].paths, std::vector<std::string>{"**"});
  EXPECT_EQ(apps[1].internetFacing, std::optional<bool>(true));
  EXPECT_TRUE(apps[1].source.starts_with("k8s.yaml:7: Service type LoadBalancer")) << apps[1].source;
}

TEST(RiskContext, ContainerFindingsAttachToTheServiceRunningTheImage) {
  inventory::Inventory inv;
  inventory::Asset svc;
  svc.kind = inventory::AssetKind::Service;
  svc.name = "orders";
  svc.path = "services/orders";
  svc.exposure = inventory::Exposure::Internet;
  svc.exposureEvidence = inventory::Evidence{"deploy/orders.yaml", 42, "Ingress shop routes external traffic"};
  svc.images = {"ghcr.io/acme/orders:2.3.1", "localhost:5000/orders@sha256:0123"};
  inv.assets = {svc};
  correlate::RiskContext ctx;
  ctx.applications = engine::discoveredApplications(inv);
  for (const char* uri : {"ghcr.io/acme/orders (debian 12.5)", "/ghcr.io/acme/orders (debian 12.5)",
                          "ghcr.io/acme/orders", "localhost:5000/orders (alpine 3.19)", "services/orders/app/main.py"}) {
    const auto* app = correlate::applicationFor(ctx, uri);
    ASSERT_NE(app, nullptr) << uri;
    EXPECT_EQ(app->name, "orders");
  }
  EXPECT_EQ(correlate::applicationFor(ctx, "ghcr.io/acme/orders-worker (debian 12.5)"), nullptr);
  EXPECT_EQ(correlate::applicationFor(ctx, "services/orders-v2/main.py"), nullptr);
}

}  // namespace
}  // namespace aspm
