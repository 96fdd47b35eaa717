// Exact line shifts from content diffs: unchanged lines move by the sum of the hunks above them,
// changed lines map to nothing, and blocks must stay contiguous.
#include <gtest/gtest.h>

#include "git_fixture.h"
#include "gitmap/line_map.h"
#include "gitmap/repository.h"

namespace aspm::gitmap {
namespace {

using testing::numbered;

TEST(LineMap, HunkArithmetic) {
  // Insert 2 lines after line 3; replace lines 10-11 by 1 line; delete line 20.
  const LineMap map({{3, 0, 4, 2}, {10, 2, 12, 1}, {20, 1, 20, 0}});
  EXPECT_EQ(map.map(1), 1u);
  EXPECT_EQ(map.map(3), 3u);
  EXPECT_EQ(map.map(4), 6u);
  EXPECT_EQ(map.map(9), 11u);
  EXPECT_EQ(map.map(10), std::nullopt);
  EXPECT_EQ(map.map(11), std::nullopt);
  EXPECT_EQ(map.map(12), 13u);
  EXPECT_EQ(map.map(19), 20u);
  EXPECT_EQ(map.map(20), std::nullopt);
  EXPECT_EQ(map.map(21), 21u);
  EXPECT_EQ(map.map(0), std::nullopt);
  EXPECT_EQ(map.mapBlock(4, 9), 6u);
  EXPECT_EQ(map.mapBlock(9, 10), std::nullopt);
  // Lines 3 and 4 are both unchanged but two lines were inserted between them.
  EXPECT_EQ(map.mapBlock(3, 4), std::nullopt);
  EXPECT_TRUE(LineMap().identity());
  EXPECT_EQ(LineMap().map(7), 7u);
}

TEST(LineMap, FromRealDiffs) {
  const std::string old = numbered("a", 30);
  std::string now = "// header\n// more\n" + old;
  now.replace(now.find("a line 15\n"), 10, "changed 15\n");
  auto map = diffLines(old, now);
  ASSERT_TRUE(map) << map.error().describe();
  EXPECT_EQ(map.value().map(1), 3u);
  EXPECT_EQ(map.value().map(14), 16u);
  EXPECT_EQ(map.value().map(15), std::nullopt);
  EXPECT_EQ(map.value().map(30), 32u);

  auto same = diffLines(old, old);
  ASSERT_TRUE(same);
  EXPECT_TRUE(same.value().identity());

  // No trailing newline and CRLF text still diff line by line.
  auto crlf = diffLines("a\r\nb\r\nc", "x\r\na\r\nb\r\nc");
  ASSERT_TRUE(crlf);
  EXPECT_EQ(crlf.value().map(3), 4u);
}

}  // namespace
}  // namespace aspm::gitmap
