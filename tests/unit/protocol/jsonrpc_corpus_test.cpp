// Replays every input of the JSON-RPC fuzz corpus (seeds and past crashes) through the fuzz
// target's own entry point, so a fixed crash stays fixed in ordinary test runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz/jsonrpc_fuzz.cpp"  // NOLINT: the fuzz target's entry point, compiled in

namespace {
namespace fs = std::filesystem;

TEST(JsonRpcFuzzCorpus, EveryInputRunsClean) {
  const fs::path dir = fs::path(ASPM_SOURCE_DIR) / "tests/fuzz/corpus/jsonrpc";
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string bytes = ss.str();
    SCOPED_TRACE(entry.path().filename().string());
    EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0);
    ++count;
  }
  EXPECT_GE(count, 10u) << "corpus missing under " << dir;
}

}  // namespace
