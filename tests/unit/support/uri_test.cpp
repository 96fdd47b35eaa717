// File URIs, path normalisation and the LSP glob dialect.
#include <gtest/gtest.h>

#include "support/hash.h"
#include "support/uri.h"

namespace aspm::support {
namespace {

TEST(Uri, FileUriToPathDecodesAndHandlesDrives) {
  EXPECT_EQ(fileUriToPath("file:///home/a/b%20c.js"), "/home/a/b c.js");
  EXPECT_EQ(fileUriToPath("file:///C:/src/x.go"), "C:/src/x.go");
  EXPECT_EQ(fileUriToPath("file://localhost/etc/x"), "/etc/x");
  EXPECT_EQ(fileUriToPath("FILE:///x"), "/x");
  EXPECT_FALSE(fileUriToPath("https://example.com/x").has_value());
}

TEST(Uri, PathToFileUriEncodes) {
  EXPECT_EQ(pathToFileUri("/a b/c#d.txt"), "file:///a%20b/c%23d.txt");
  EXPECT_EQ(pathToFileUri("C:/x"), "file:///C%3A/x");
}

TEST(Uri, SchemeDetectionIgnoresDriveLetters) {
  EXPECT_TRUE(hasScheme("file:///x"));
  EXPECT_TRUE(hasScheme("https://x"));
  EXPECT_FALSE(hasScheme("C:/x"));
  EXPECT_FALSE(hasScheme("src/x.c"));
}

TEST(Path, Normalizes) {
  EXPECT_EQ(normalizePath("a/./b//c/../d"), "a/b/d");
  EXPECT_EQ(normalizePath("C:\\src\\x\\..\\y.go"), "C:/src/y.go");
  EXPECT_EQ(normalizePath("../x"), "../x");
  EXPECT_EQ(normalizePath("/a/../../b"), "/b");
  EXPECT_TRUE(isInsideRoot("a/b"));
  EXPECT_FALSE(isInsideRoot("../a"));
  EXPECT_FALSE(isInsideRoot("/etc/passwd"));
  EXPECT_EQ(relativeTo("/r/a/b", "/r"), "a/b");
  EXPECT_EQ(relativeTo("/r/a/b", "/r/"), "a/b");
  EXPECT_FALSE(relativeTo("/rx/a", "/r").has_value());
}

TEST(Glob, MatchesLspDialect) {
  EXPECT_TRUE(globMatch(".aspm/**/*.sarif", ".aspm/x.sarif"));
  EXPECT_TRUE(globMatch(".aspm/**/*.sarif", ".aspm/a/b/x.sarif"));
  EXPECT_FALSE(globMatch(".aspm/**/*.sarif", "other/x.sarif"));
  EXPECT_TRUE(globMatch("**/*.sarif", "x.sarif"));
  EXPECT_TRUE(globMatch("**/*.{sarif,json}", "a/b.json"));
  EXPECT_TRUE(globMatch("src/[a-c]?.c", "src/b1.c"));
  EXPECT_FALSE(globMatch("src/*.c", "src/a/b.c"));
}

TEST(Hash, StableAcrossRunsAndFieldBoundaries) {
  EXPECT_EQ(toHex(fnv1a64("")), "cbf29ce484222325");
  EXPECT_EQ(toHex(fnv1a64("a")), "af63dc4c8601ec8c");
  EXPECT_NE(StableHasher().add("ab").add("c").value(), StableHasher().add("a").add("bc").value());
}

}  // namespace
}  // namespace aspm::support
