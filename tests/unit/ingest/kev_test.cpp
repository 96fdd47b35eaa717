// CISA KEV catalog reader: the real feed's shape, bad entries reported by JSON path.
#include <gtest/gtest.h>

#include "ingest/kev.h"

namespace aspm::ingest {
namespace {

TEST(Kev, ReadsCatalogEntries) {
  const char* text = R"({"title": "CISA Catalog of Known Exploited Vulnerabilities", "catalogVersion": "2024.05.01",
    "dateReleased": "2024-05-01T17:00:00.000Z", "count": 3, "vulnerabilities": [
      {"cveID": "CVE-2021-44228", "vendorProject": "Apache", "product": "Log4j2", "dateAdded": "2021-12-10",
       "knownRansomwareCampaignUse": "Known"},
      {"cveID": "cve-2020-8203", "dateAdded": "2022-01-01", "knownRansomwareCampaignUse": "Unknown"},
      {"vendorProject": "nobody"}]})";
  auto k = parseKev(text, "kev.json");
  ASSERT_EQ(k.value.entries.size(), 2u);
  EXPECT_TRUE(k.value.entries.at("CVE-2021-44228").ransomware);
  EXPECT_EQ(k.value.entries.at("CVE-2021-44228").dateAdded, "2021-12-10");
  EXPECT_FALSE(k.value.entries.at("CVE-2020-8203").ransomware);
  EXPECT_EQ(k.value.version, "2024.05.01");
  ASSERT_EQ(k.problems.size(), 1u);
  EXPECT_EQ(k.problems[0].path, "/vulnerabilities/2/cveID");
}

TEST(Kev, NotACatalogIsFatal) {
  auto k = parseKev(R"({"runs": []})", "x.json");
  ASSERT_EQ(k.problems.size(), 1u);
  EXPECT_EQ(k.problems[0].severity, support::ProblemSeverity::Fatal);
  EXPECT_EQ(parseKev("{", "x.json").problems.at(0).severity, support::ProblemSeverity::Fatal);
}

}  // namespace
}  // namespace aspm::ingest
