// `aspm gate` and the risk/correlation parts of `aspm findings` end to end in-process: real
// report files, a real .aspm/config.yaml with local EPSS and KEV files, real policy files.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "cli/cli.h"
#include "store/client/decision_log.h"
#include "unit/cli/cli_test_support.h"

namespace aspm::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

using Repo = clitest::TempRepo;
using Out = clitest::CliRun;
inline Out cli(const std::vector<std::string>& args) { return clitest::runCli(args); }

// Two tools reporting one command injection, plus a dependency finding with a KEV-listed CVE.
const char* const kSemgrep = R"({"version": "2.1.0", "runs": [{
  "tool": {"driver": {"name": "Semgrep OSS", "rules": [{"id": "subprocess-shell-true",
    "properties": {"tags": ["CWE-78: OS Command Injection"], "security-severity": "7.5"}}]}},
  "results": [{"ruleId": "subprocess-shell-true", "ruleIndex": 0, "message": {"text": "shell=True"},
    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "api/app.py"}, "region": {"startLine": 4}}}]}]}]})";
const char* const kCodeql = R"({"version": "2.1.0", "runs": [{
  "tool": {"driver": {"name": "CodeQL", "rules": [{"id": "py/command-line-injection",
    "properties": {"tags": ["security", "external/cwe/cwe-078"], "security-severity": "9.8", "precision": "high"}}]}},
  "results": [{"ruleId": "py/command-line-injection", "ruleIndex": 0, "message": {"text": "command built from user input"},
    "partialFingerprints": {"primaryLocationLineHash": "39fa2ee980eb94b0:1"},
    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "api/app.py"}, "region": {"startLine": 5}}}]}]}]})";
const char* const kTrivy = R"({"version": "2.1.0", "runs": [{
  "tool": {"driver": {"name": "Trivy", "rules": [{"id": "CVE-2021-44228", "help": {"text": "Vulnerability CVE-2021-44228",
    "markdown": "| CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H |"}}]}},
  "results": [{"ruleId": "CVE-2021-44228", "ruleIndex": 0, "level": "error",
    "message": {"text": "Package: log4j-core\nInstalled Version: 2.14.1\nVulnerability CVE-2021-44228\nFixed Version: 2.15.0"},
    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "api/pom.xml"}, "region": {"startLine": 1}}}]}]}]})";
const char* const kApp = "import subprocess\n\ndef run(cmd):\n    subprocess.call(cmd,\n                    shell=True)\n";

void populate(const Repo& repo) {
  repo.write("api/app.py", kApp);
  repo.write("api/pom.xml", "<project/>\n");
  repo.write(".aspm/semgrep.sarif", kSemgrep);
  repo.write(".aspm/codeql.sarif", kCodeql);
  repo.write(".aspm/trivy.sarif", kTrivy);
  repo.write(".aspm/config.yaml",
             "applications:\n  - name: api\n    paths: [\"api/**\"]\n    criticality: high\n    internet_facing: true\n"
             "intel:\n  epss: intel/epss.csv\n  kev: intel/kev.json\n");
  repo.write("intel/epss.csv", "#model_version:v2023.03.01,score_date:2024-05-01\ncve,epss,percentile\nCVE-2021-44228,0.97,0.999\n");
  repo.write("intel/kev.json", R"({"catalogVersion": "2024.05.01", "vulnerabilities": [
    {"cveID": "CVE-2021-44228", "dateAdded": "2021-12-10", "knownRansomwareCampaignUse": "Known"}]})");
}

TEST(FindingsRisk, MergesToolsAndExplainsRiskInJson) {
  Repo repo;
  populate(repo);
  const Out r = cli({"findings", "--repo", repo.path(), "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json::value doc = json::parse(r.out);
  const auto& findings = doc.at("findings").as_array();
  ASSERT_EQ(findings.size(), 2u) << r.out;
  // The KEV-listed dependency on an internet-facing, high-criticality application comes first.
  const auto& top = findings[0].as_object();
  EXPECT_EQ(top.at("kind").as_string(), "sca");
  EXPECT_EQ(top.at("risk").at("bucket").as_string(), "immediate");
  EXPECT_GE(top.at("risk").at("score").as_int64(), 750);
  EXPECT_EQ(top.at("risk").at("factors").at("kev"), json::value(true));
  EXPECT_DOUBLE_EQ(top.at("risk").at("factors").at("severity").as_double(), 10.0);
  bool sawExposure = false;
  for (const auto& e : top.at("risk").at("explanation").as_array()) {
    EXPECT_FALSE(e.at("source").as_string().empty());
    if (e.at("factor") == "exposure") {
      sawExposure = true;
      EXPECT_EQ(e.at("value").as_string(), "internet-facing");
      EXPECT_NE(e.at("source").as_string().find("config.yaml:2"), std::string::npos);
    }
  }
  EXPECT_TRUE(sawExposure);
  EXPECT_EQ(top.at("fixGroup").as_string(), "log4j-core@2.15.0");
  // The command injection: one finding, two sources; CodeQL's own line hash kept.
  const auto& sast = findings[1].as_object();
  EXPECT_EQ(sast.at("sources").as_array().size(), 2u);
  EXPECT_EQ(sast.at("tool").as_string(), "CodeQL+Semgrep OSS");
  EXPECT_EQ(sast.at("fingerprints").at("primaryLocationLineHash").as_string(), "39fa2ee980eb94b0:1");
  EXPECT_EQ(sast.at("correlationGuid").as_string().size(), 36u);
  const auto& summary = doc.at("summary").as_object();
  EXPECT_EQ(summary.at("rawResults").as_int64(), 3);
  EXPECT_EQ(summary.at("findings").as_int64(), 2);
  EXPECT_EQ(summary.at("duplicatesMerged").as_int64(), 1);
  ASSERT_EQ(doc.at("groups").as_array().size(), 1u);
  EXPECT_EQ(doc.at("groups").at(0).at("fixedVersion").as_string(), "2.15.0");
}

TEST(FindingsRisk, SarifCarriesLineHashCorrelationGuidAndOccurrenceCount) {
  Repo repo;
  populate(repo);
  const Out r = cli({"findings", "--repo", repo.path(), "--format", "sarif"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json::value doc = json::parse(r.out);
  const auto& results = doc.at("runs").at(0).at("results").as_array();
  ASSERT_EQ(results.size(), 2u);
  for (const auto& res : results) {
    EXPECT_TRUE(res.as_object().contains("correlationGuid"));
    EXPECT_FALSE(res.at("partialFingerprints").at("primaryLocationLineHash").as_string().empty());
    EXPECT_TRUE(res.at("fingerprints").as_object().contains("aspm/v1"));
  }
  EXPECT_EQ(results[1].at("occurrenceCount").as_int64(), 2);
  // The SCA result's hash was computed from api/pom.xml, the file it points at.
  EXPECT_EQ(results[0].at("partialFingerprints").at("primaryLocationLineHash").as_string().back(), '1');
}

TEST(FindingsRisk, BadConfigIsReportedWithItsLine) {
  Repo repo;
  populate(repo);
  repo.write(".aspm/config.yaml", "applications:\n  - name: api\n    paths: [api/**]\n    internet_facing: perhaps\n");
  const Out r = cli({"findings", "--repo", repo.path(), "--format", "json"});
  EXPECT_NE(r.err.find("config.yaml: line 4"), std::string::npos) << r.err;
}

const char* const kPolicy = R"(version: 1
mode: enforce
rules:
  - id: no-kev
    description: nothing on the KEV catalog ships
    action: block
    when: {kev: true}
  - id: command-injection
    action: warn
    when: {cwe: CWE-78}
)";

TEST(Gate, EnforceModeFailsOnBlockingViolations) {
  Repo repo;
  populate(repo);
  repo.write("policy.yaml", kPolicy);
  const Out r = cli({"gate", "--policy", repo.path("policy.yaml"), "--repo", repo.path()});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAILED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no-kev"), std::string::npos);
  EXPECT_NE(r.out.find("1 blocking, 1 warning(s)"), std::string::npos) << r.out;
}

// A decision in the local triage log (what aspm-ls records, and syncs) exempts the finding: the
// KEV finding accepted as a risk until 2999 no longer blocks; findings JSON carries the decision.
TEST(Gate, HonoursTheLocalTriageLog) {
  Repo repo;
  populate(repo);
  repo.write("policy.yaml", kPolicy);
  const Out before = cli({"findings", "--repo", repo.path(), "--format", "json"});
  ASSERT_EQ(before.code, 0) << before.err;
  std::string kevId;
  const json::value beforeJson = json::parse(before.out);
  for (const auto& f : beforeJson.at("findings").as_array())
    if (f.at("ruleId").as_string() == "CVE-2021-44228") kevId = std::string(f.at("id").as_string());
  ASSERT_FALSE(kevId.empty());
  {
    auto log = store::client::DecisionLog::open(repo.path(".aspm/triage.db"));
    ASSERT_TRUE(log.value);
    ASSERT_TRUE(log.value->record(kevId, {"accepted_risk", "WAF rule in front; upgrade in sprint 12", "sec@example.com",
                                          "2026-11-01T10:00:00Z", "2999-01-01T00:00:00Z"}).error.empty());
  }
  const Out gate = cli({"gate", "--policy", repo.path("policy.yaml"), "--repo", repo.path()});
  EXPECT_EQ(gate.code, 0) << gate.out << gate.err;
  const Out after = cli({"findings", "--repo", repo.path(), "--format", "json"});
  bool seen = false;
  const json::value afterJson = json::parse(after.out);
  for (const auto& f : afterJson.at("findings").as_array()) {
    if (f.at("id").as_string() != kevId) continue;
    seen = true;
    EXPECT_EQ(f.at("state").as_string(), "triaged");
    EXPECT_EQ(f.at("triage").at("status").as_string(), "accepted_risk");
  }
  EXPECT_TRUE(seen);
  // A store that cannot be reached is a warning; the local decisions still apply.
  const Out offline = cli({"gate", "--policy", repo.path("policy.yaml"), "--repo", repo.path(), "--store",
                           "http://127.0.0.1:9", "--project", "shop"});
  EXPECT_EQ(offline.code, 0) << offline.out << offline.err;
  EXPECT_NE((offline.out + offline.err).find("store unreachable"), std::string::npos) << offline.out << offline.err;
}

TEST(Gate, MonitorModeAndExceptionsPass) {
  Repo repo;
  populate(repo);
  std::string monitor = kPolicy;
  monitor.replace(monitor.find("enforce"), 7, "monitor");
  repo.write("monitor.yaml", monitor);
  EXPECT_EQ(cli({"gate", "--policy", repo.path("monitor.yaml"), "--repo", repo.path()}).code, 0);
  repo.write("excepted.yaml", std::string(kPolicy) + "exceptions:\n  - rule: CVE-2021-44228\n    reason: patched in base image\n"
                                                    "    expires: 2030-01-01\n");
  const Out ok = cli({"gate", "--policy", repo.path("excepted.yaml"), "--repo", repo.path(), "--today", "2026-01-01"});
  EXPECT_EQ(ok.code, 0) << ok.out;
  const Out expired = cli({"gate", "--policy", repo.path("excepted.yaml"), "--repo", repo.path(), "--today", "2031-01-01"});
  EXPECT_EQ(expired.code, 1);
}

TEST(Gate, JsonSarifAndMarkdownOutputs) {
  Repo repo;
  populate(repo);
  repo.write("policy.yaml", kPolicy);
  const Out j = cli({"gate", "--policy", repo.path("policy.yaml"), "--repo", repo.path(), "--format", "json"});
  ASSERT_EQ(j.code, 1);
  const json::value doc = json::parse(j.out);
  EXPECT_EQ(doc.at("passed"), json::value(false));
  EXPECT_EQ(doc.at("blocking").as_int64(), 1);
  EXPECT_EQ(doc.at("violations").at(0).at("rule").as_string(), "no-kev");
  EXPECT_EQ(doc.at("violations").at(0).at("finding").at("kind").as_string(), "sca");

  const Out s = cli({"gate", "--policy", repo.path("policy.yaml"), "--repo", repo.path(), "--format", "sarif"});
  const json::value sarif = json::parse(s.out);
  const auto& results = sarif.at("runs").at(0).at("results").as_array();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].at("ruleId").as_string(), "policy/no-kev");
  EXPECT_EQ(results[0].at("level").as_string(), "error");

  const Out m = cli({"gate", "--policy", repo.path("policy.yaml"), "--repo", repo.path(), "--format", "markdown"});
  EXPECT_NE(m.out.find("## aspm gate: failed"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("| :x: | `no-kev` |"), std::string::npos) << m.out;
}

TEST(Gate, UnusablePolicyOrUsageExitsTwo) {
  Repo repo;
  populate(repo);
  repo.write("bad.yaml", "rules:\n  - id: x\n    action: maybe\n    when: {}\n");
  const Out bad = cli({"gate", "--policy", repo.path("bad.yaml"), "--repo", repo.path()});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("bad.yaml: line 3"), std::string::npos) << bad.err;
  EXPECT_EQ(cli({"gate", "--repo", repo.path()}).code, 2);                                   // no --policy
  EXPECT_EQ(cli({"gate", "--policy", repo.path("missing.yaml"), "--repo", repo.path()}).code, 2);
  EXPECT_EQ(cli({"gate", "--policy", "p", "--format", "xml"}).code, 2);
}

TEST(Help, EverySubcommandExplainsItself) {
  for (const char* cmd : {"findings", "gate"}) {
    const Out h = cli({cmd, "--help"});
    EXPECT_EQ(h.code, 0);
    EXPECT_NE(h.out.find(std::string("usage: aspm ") + cmd), std::string::npos) << h.out;
    EXPECT_NE(h.out.find("exit status"), std::string::npos);
  }
  EXPECT_NE(cli({"help", "gate"}).out.find("--policy FILE"), std::string::npos);
}

TEST(Table, ColourAndWidthOnlyOnATerminal) {
  Repo repo;
  populate(repo);
  std::ostringstream out, err;
  ASSERT_EQ(run({"findings", "--repo", repo.path()}, out, err, Terminal{true, 100}), 0);
  EXPECT_NE(out.str().find("\x1b["), std::string::npos);
  std::istringstream lines(out.str());
  std::string line;
  while (std::getline(lines, line)) {
    std::size_t visible = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\x1b') {
        while (i < line.size() && line[i] != 'm') ++i;
        continue;
      }
      if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++visible;
    }
    if (line.starts_with("noise:") || line.starts_with("upgrades:") || line.find(" findings (") != std::string::npos) continue;
    EXPECT_LE(visible, 100u) << line;
  }
  const Out plain = cli({"findings", "--repo", repo.path()});
  EXPECT_EQ(plain.out.find("\x1b["), std::string::npos);
}

}  // namespace
}  // namespace aspm::cli

namespace aspm::cli {
namespace {

TEST(Gate, NewSinceBaselineOnly) {
  Repo repo;
  populate(repo);
  // Baseline: today's findings except the dependency one, which is therefore new.
  const Out base = cli({"findings", "--repo", repo.path(), "--format", "json"});
  json::value doc = json::parse(base.out);
  auto& arr = doc.as_object()["findings"].as_array();
  arr.erase(arr.begin());  // the SCA finding ranks first
  repo.write("baseline.json", json::serialize(doc));
  repo.write("new-only.yaml", "rules:\n  - id: new-findings\n    action: block\n    when: {new: true}\n");
  const Out g = cli({"gate", "--policy", repo.path("new-only.yaml"), "--repo", repo.path(), "--baseline",
                     repo.path("baseline.json"), "--format", "json"});
  ASSERT_EQ(g.code, 1) << g.err;
  const json::value r = json::parse(g.out);
  ASSERT_EQ(r.at("violations").as_array().size(), 1u);
  EXPECT_EQ(r.at("violations").at(0).at("finding").at("kind").as_string(), "sca");
  EXPECT_EQ(r.at("violations").at(0).at("finding").at("baselineState").as_string(), "new");
  EXPECT_EQ(cli({"gate", "--policy", repo.path("new-only.yaml"), "--repo", repo.path(), "--baseline",
                 repo.path("nope.json")}).code, 2);
}

TEST(Gate, AgeFromBaselineDatesCarriedAcrossRuns) {
  Repo repo;
  populate(repo);
  // A first baseline without dates (as older outputs are); the next run against it dates the
  // finding it did not contain (the SCA one) with --today and leaves the others unknown.
  const Out first = cli({"findings", "--repo", repo.path(), "--format", "json"});
  json::value doc = json::parse(first.out);
  EXPECT_FALSE(doc.at("findings").at(0).as_object().contains("firstSeen"));
  doc.as_object()["findings"].as_array().erase(doc.as_object()["findings"].as_array().begin());
  repo.write("base1.json", json::serialize(doc));
  const Out second = cli({"findings", "--repo", repo.path(), "--format", "json", "--baseline", repo.path("base1.json")});
  ASSERT_EQ(second.code, 0) << second.err;
  doc = json::parse(second.out);
  for (const auto& f : doc.at("findings").as_array()) {
    if (f.at("kind") == "sca") {
      EXPECT_EQ(f.at("firstSeen").as_string().size(), 10u);  // today
    } else {
      EXPECT_FALSE(f.as_object().contains("firstSeen"));
    }
  }
  // A baseline where the SAST finding was first seen on 2026-01-10 and the SCA one on 2026-03-01.
  for (auto& f : doc.as_object()["findings"].as_array())
    f.as_object()["firstSeen"] = f.at("kind") == "sca" ? "2026-03-01" : "2026-01-10T09:30:00.000Z";
  repo.write("base2.json", json::serialize(doc));
  repo.write("age.yaml", "rules:\n  - id: overdue\n    action: block\n    when: {age: \">= 60d\"}\n");
  const Out g = cli({"gate", "--policy", repo.path("age.yaml"), "--repo", repo.path(), "--baseline", repo.path("base2.json"),
                     "--format", "json", "--today", "2026-03-20"});
  ASSERT_EQ(g.code, 1) << g.err << g.out;
  const json::value r = json::parse(g.out);
  ASSERT_EQ(r.at("violations").as_array().size(), 1u);
  EXPECT_EQ(r.at("violations").at(0).at("finding").at("kind").as_string(), "sast");
  EXPECT_EQ(r.at("violations").at(0).at("ageDays"), json::value(69));
  EXPECT_NE(std::string(r.at("age").as_string()).find("from the baseline"), std::string::npos) << r.at("age");
  // The table says it too, with the age on the violation.
  const Out table = cli({"gate", "--policy", repo.path("age.yaml"), "--repo", repo.path(), "--baseline",
                         repo.path("base2.json"), "--today", "2026-03-20"});
  EXPECT_NE(table.out.find("[age 69d]"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("age: from the baseline"), std::string::npos) << table.out;
  // Ten days earlier nothing is 60 days old; without any dates nothing is either.
  EXPECT_EQ(cli({"gate", "--policy", repo.path("age.yaml"), "--repo", repo.path(), "--baseline", repo.path("base2.json"),
                 "--today", "2026-03-01"}).code, 0);
  const Out none = cli({"gate", "--policy", repo.path("age.yaml"), "--repo", repo.path(), "--format", "markdown"});
  EXPECT_EQ(none.code, 0);
  EXPECT_NE(none.out.find("count as first seen today (age 0)"), std::string::npos) << none.out;
  // A bad date in a baseline is a warning naming its JSON path, and the finding has none.
  doc.as_object()["findings"].as_array()[0].as_object()["firstSeen"] = "last week";
  repo.write("base3.json", json::serialize(doc));
  const Out bad = cli({"gate", "--policy", repo.path("age.yaml"), "--repo", repo.path(), "--baseline", repo.path("base3.json"),
                       "--today", "2026-03-20"});
  EXPECT_NE(bad.err.find("/findings/0/firstSeen"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace aspm::cli
