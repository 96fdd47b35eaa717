// `aspm inventory`: the JSON of the contract (docs/cli.md) on a real example estate, the table,
// and bad usage.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "cli_test_support.h"

namespace aspm::cli {
namespace {
using clitest::runCli;
namespace json = boost::json;

const std::string kShop = std::string(ASPM_SOURCE_DIR) + "/tests/data/estates/shop";

TEST(InventoryCli, JsonFollowsTheContract) {
  const auto r = runCli({"inventory", "--repo", kShop, "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const json::value doc = json::parse(r.out);
  const json::array& assets = doc.at("assets").as_array();
  ASSERT_EQ(assets.size(), 14u);
  const json::object* orders = nullptr;
  for (const auto& a : assets) {
    const json::object& o = a.as_object();
    for (const char* key : {"name", "kind", "path", "languages", "manifests", "exposure", "criticality", "scans", "evidence"})
      EXPECT_TRUE(o.contains(key)) << key;
    if (o.at("kind") == "service" && o.at("path") == "services/orders") orders = &o;
  }
  ASSERT_NE(orders, nullptr);
  EXPECT_EQ(orders->at("name"), "orders");
  EXPECT_EQ(orders->at("exposure"), "internet");
  EXPECT_EQ(orders->at("criticality"), "high");
  EXPECT_EQ(orders->at("languages"), (json::array{"python"}));
  EXPECT_EQ(orders->at("manifests"), (json::array{"services/orders/pyproject.toml", "services/orders/requirements.txt"}));
  EXPECT_EQ(orders->at("scans"), (json::array{"sast", "sca", "secrets"}));
  const json::object& why = orders->at("exposureEvidence").as_object();
  EXPECT_EQ(why.at("file"), "deploy/k8s/orders.yaml");
  EXPECT_EQ(why.at("line"), 42);
  bool ingress = false;
  for (const auto& e : orders->at("evidence").as_array())
    if (e.at("file") == "deploy/k8s/orders.yaml" && e.at("line") == 42) ingress = true;
  EXPECT_TRUE(ingress);
}

TEST(InventoryCli, TableListsEveryAssetWithItsExposureEvidence) {
  const auto r = runCli({"inventory", "--repo=" + kShop});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("deploy/k8s/storefront.yaml:26"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("infra/terraform/main.tf:11"), std::string::npos);
  EXPECT_NE(r.out.find("14 asset(s)"), std::string::npos);
}

TEST(InventoryCli, FindingsInTheInternetFacingServiceRankFirst) {
  // Two results of the same rule on the same code: one in a service behind a LoadBalancer, one in
  // a worker reachable only inside the cluster (tests/data/estates/twins).
  const auto r = runCli({"findings", "--repo", std::string(ASPM_SOURCE_DIR) + "/tests/data/estates/twins", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json::value doc = json::parse(r.out);
  const json::array& findings = doc.at("findings").as_array();
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].at("scan").at("uri"), "services/api/app/db.py");
  EXPECT_EQ(findings[1].at("scan").at("uri"), "services/worker/worker/db.py");
  EXPECT_GT(findings[0].at("risk").at("score").as_int64(), findings[1].at("risk").at("score").as_int64());
  for (const auto& e : findings[0].at("risk").at("explanation").as_array())
    if (e.at("factor") == "exposure") {
      EXPECT_EQ(e.at("value"), "internet-facing");
      EXPECT_TRUE(json::value_to<std::string>(e.at("source")).starts_with("deploy/k8s.yaml:23:"));
    }
}

TEST(InventoryCli, BadUsageExitsTwo) {
  EXPECT_EQ(runCli({"inventory", "--format", "sarif"}).code, 2);
  EXPECT_EQ(runCli({"inventory", "--bogus"}).code, 2);
  EXPECT_EQ(runCli({"inventory", "--repo"}).code, 2);
  EXPECT_EQ(runCli({"inventory", "--repo", kShop + "/no-such-dir"}).code, 2);
  const auto help = runCli({"inventory", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("usage: aspm inventory"), std::string::npos);
}

}  // namespace
}  // namespace aspm::cli
