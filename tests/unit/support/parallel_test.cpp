#include "support/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

namespace aspm::support {
namespace {

TEST(ForEachIndex, CallsEveryIndexOnceOnSeveralThreads) {
  for (const unsigned threads : {0u, 1u, 3u, 16u}) {
    std::vector<std::atomic<int>> calls(1000);
    forEachIndex(calls.size(), threads, [&](std::size_t i) { ++calls[i]; });
    for (std::size_t i = 0; i < calls.size(); ++i) ASSERT_EQ(calls[i].load(), 1) << "index " << i << ", threads " << threads;
  }
  forEachIndex(0, 0, [](std::size_t) { FAIL() << "no index to call"; });
}

TEST(ForEachIndex, RethrowsAFailureOnTheCallingThread) {
  for (const unsigned threads : {1u, 4u}) {
    try {
      forEachIndex(1000, threads, [](std::size_t i) {
        if (i == 3) throw std::runtime_error("index 3");
      });
      ADD_FAILURE() << "no exception with " << threads << " threads";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "index 3");
    }
  }
}

}  // namespace
}  // namespace aspm::support
