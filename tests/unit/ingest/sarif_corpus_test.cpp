// Replays every input kept in the SARIF fuzz corpus (seeds and past crashes) through the
// reader in the ordinary test build, so a regression shows without a fuzzing toolchain.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "ingest/ingest.h"
#include "support/file.h"

namespace aspm::ingest {
namespace {
namespace fs = std::filesystem;

TEST(SarifFuzzCorpus, EveryInputIngestsWithoutCrashing) {
  const fs::path dir = fs::path(ASPM_SOURCE_DIR) / "tests/fuzz/corpus/sarif";
  std::vector<fs::path> inputs;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) inputs.push_back(e.path());
  std::sort(inputs.begin(), inputs.end());
  ASSERT_GE(inputs.size(), 5u) << "corpus missing under " << dir;
  for (const auto& p : inputs) {
    SCOPED_TRACE(p.filename().string());
    const auto bytes = support::readFile(p.string());
    ASSERT_TRUE(bytes.has_value());
    PathResolver resolver("");
    IngestOptions o;
    o.resolver = &resolver;
    const auto r = ingestBytes(*bytes, "corpus-input", o);
    for (const auto& res : r.value.results) {
      ASSERT_LT(res.run, r.value.runs.size());
      if (res.rule >= 0) {
        EXPECT_LT(static_cast<std::size_t>(res.rule), r.value.runs[res.run].rules.size());
      }
    }
    for (const auto& prob : r.problems) EXPECT_EQ(prob.file, "corpus-input");
    // Seeds that are valid logs load with results; every input either loads or says why not.
    EXPECT_TRUE(!r.value.results.empty() || !r.problems.empty() || !r.value.runs.empty());
  }
}

}  // namespace
}  // namespace aspm::ingest
