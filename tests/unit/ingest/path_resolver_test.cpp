// PathResolver against a real directory tree: relative URIs, file URIs under the root, foreign
// absolute paths mapped by common suffix (and the learned base reused), Windows paths, ties and
// the directories the workspace listing skips.
#include <gtest/gtest.h>

#include <filesystem>

#include "sarif_test_helpers.h"
#include "support/uri.h"

namespace aspm::ingest {
namespace {
using testing::TempDir;

class PathResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ws.write("src/app/main.js", "x\n");
    ws.write("src/app/util.js", "x\n");
    ws.write("src/lib/util.js", "x\n");
    ws.write("docs/a b.md", "x\n");
    ws.write("README.md", "x\n");
    ws.write("pkg/README.md", "x\n");
    ws.write("cmd/server/Main.go", "x\n");
    ws.write(".git/objects/packed-refs.txt", "x\n");
    ws.write("node_modules/dep/index.js", "x\n");
  }
  TempDir ws;
};

TEST_F(PathResolverTest, RelativeUris) {
  PathResolver r(ws.str());
  auto a = r.resolve("src/app/main.js");
  EXPECT_TRUE(a.inside);
  EXPECT_TRUE(a.exists);
  EXPECT_EQ(a.path, "src/app/main.js");
  auto b = r.resolve("./src/../src/app/./util.js");
  EXPECT_EQ(b.path, "src/app/util.js");
  EXPECT_TRUE(b.exists);
  auto c = r.resolve("src/app/deleted.js");
  EXPECT_TRUE(c.inside);
  EXPECT_FALSE(c.exists);
  EXPECT_EQ(c.path, "src/app/deleted.js");
  auto d = r.resolve("docs/a%20b.md");
  EXPECT_EQ(d.path, "docs/a b.md");
  EXPECT_TRUE(d.exists);
}

TEST_F(PathResolverTest, FileUrisUnderTheRoot) {
  PathResolver r(ws.str());
  auto a = r.resolve(support::pathToFileUri(ws.str() + "/docs/a b.md"));
  EXPECT_TRUE(a.inside);
  EXPECT_TRUE(a.exists);
  EXPECT_EQ(a.path, "docs/a b.md");
  auto b = r.resolve(ws.str() + "/src/app/main.js");
  EXPECT_EQ(b.path, "src/app/main.js");
  EXPECT_EQ(r.root(), support::normalizePath(std::filesystem::absolute(ws.path()).generic_string()));
}

TEST_F(PathResolverTest, ForeignAbsolutePathsMapByLongestSuffixAndTheBaseIsLearned) {
  PathResolver r(ws.str());
  auto a = r.resolve("file:///home/runner/work/proj/proj/src/app/main.js");
  EXPECT_TRUE(a.inside);
  EXPECT_TRUE(a.exists);
  EXPECT_EQ(a.path, "src/app/main.js");
  // util.js exists twice; the learned base /home/runner/work/proj/proj -> "" picks the right one.
  auto b = r.resolve("file:///home/runner/work/proj/proj/src/lib/util.js");
  EXPECT_EQ(b.path, "src/lib/util.js");
  EXPECT_TRUE(b.exists);
  // A file deleted since the scan still maps through the learned base.
  auto c = r.resolve("file:///home/runner/work/proj/proj/src/gone.js");
  EXPECT_TRUE(c.inside);
  EXPECT_FALSE(c.exists);
  EXPECT_EQ(c.path, "src/gone.js");
  // Another machine, another prefix: a fresh match.
  auto d = r.resolve("/Users/dev/checkout/cmd/server/Main.go");
  EXPECT_EQ(d.path, "cmd/server/Main.go");
}

TEST_F(PathResolverTest, ScanRootBelowTheWorkspaceRoot) {
  PathResolver r(ws.str());
  // The tool ran in src/: its root maps to the workspace's src/.
  auto a = r.resolve("file:///ci/build/app/main.js");
  EXPECT_EQ(a.path, "src/app/main.js");
  auto b = r.resolve("file:///ci/build/lib/util.js");
  EXPECT_EQ(b.path, "src/lib/util.js") << "learned /ci/build -> src";
}

TEST_F(PathResolverTest, WindowsPaths) {
  PathResolver r(ws.str());
  auto a = r.resolve("C:\\agent\\_work\\1\\s\\cmd\\server\\main.go");
  EXPECT_TRUE(a.inside) << a.path;
  EXPECT_EQ(a.path, "cmd/server/Main.go") << "Windows paths compare case-insensitively";
  auto b = r.resolve("file:///C:/agent/_work/1/s/src/app/main.js");
  EXPECT_EQ(b.path, "src/app/main.js");
  auto c = r.resolve("C:\\agent\\_work\\1\\s\\src\\missing.js");
  EXPECT_TRUE(c.inside);
  EXPECT_FALSE(c.exists);
  EXPECT_EQ(c.path, "src/missing.js");
}

TEST_F(PathResolverTest, AmbiguousMatchesAreNotGuessed) {
  PathResolver r(ws.str());
  // util.js exists in src/app and src/lib; nothing else of the path matches either.
  auto a = r.resolve("/elsewhere/other/util.js");
  EXPECT_FALSE(a.inside);
  EXPECT_EQ(a.path, "/elsewhere/other/util.js");
  // README.md at the root and in pkg/: the whole-path match (the root one) wins the tie.
  auto b = r.resolve("/build/README.md");
  EXPECT_TRUE(b.inside);
  EXPECT_EQ(b.path, "README.md");
}

TEST_F(PathResolverTest, EscapingRelativePathsAreMatchedOrReportedOutside) {
  PathResolver r(ws.str());
  auto a = r.resolve("../../path/src/app/main.js");
  EXPECT_TRUE(a.inside);
  EXPECT_EQ(a.path, "src/app/main.js");
  auto b = r.resolve("../../etc/passwd");
  EXPECT_FALSE(b.inside);
  EXPECT_EQ(b.path, "../../etc/passwd");
}

TEST_F(PathResolverTest, ListingSkipsVcsAndVendoredDirectories) {
  PathResolver r(ws.str());
  auto a = r.resolve("/x/y/objects/packed-refs.txt");
  EXPECT_FALSE(a.inside) << ".git is not listed: " << a.path;
  auto b = r.resolve("/x/y/dep/index.js");
  EXPECT_FALSE(b.inside) << "node_modules is not listed: " << b.path;
  // Relative URIs into them still resolve directly.
  EXPECT_TRUE(r.resolve("node_modules/dep/index.js").exists);
}

TEST_F(PathResolverTest, PathsThatExistOutsideTheWorkspaceStayOutsideUnlessAnotherCheckoutOfIt) {
  TempDir other;
  other.write("src/app/main.js", "y\n");
  other.write("lib/util.js", "y\n");
  other.write("README.md", "y\n");
  other.write("vendor/zlib/zlib.h", "y\n");
  PathResolver r(ws.str());
  // Another checkout of the project (a CI clone on this machine): the workspace's whole path
  // ends the report's path, so the finding is about this workspace's file.
  auto a = r.resolve(other.str() + "/src/app/main.js");
  EXPECT_TRUE(a.inside);
  EXPECT_TRUE(a.exists);
  EXPECT_EQ(a.path, "src/app/main.js");
  // One shared segment is not enough: "lib/util.js" has two workspace candidates of which
  // neither is whole, and a lone "README.md" proves nothing by itself...
  EXPECT_FALSE(r.resolve(other.str() + "/lib/util.js").inside);
  // ...unless the base was learned from a strong match of the same report.
  auto readme = r.resolve(other.str() + "/README.md");
  EXPECT_TRUE(readme.inside);
  EXPECT_EQ(readme.path, "README.md");
  // A file the workspace does not have stays outside, under its real name.
  auto z = r.resolve(other.str() + "/vendor/zlib/zlib.h");
  EXPECT_FALSE(z.inside);
  EXPECT_EQ(z.path, support::normalizePath(other.str() + "/vendor/zlib/zlib.h"));
}

TEST_F(PathResolverTest, AnotherCheckoutNeedsAStrongMatchWithoutALearnedBase) {
  TempDir other;
  other.write("README.md", "y\n");
  other.write("app/util.js", "y\n");
  PathResolver r(ws.str());
  // No base learned yet: a one-segment match, or a partial one, keeps the path outside.
  EXPECT_FALSE(r.resolve(other.str() + "/README.md").inside);
  EXPECT_FALSE(r.resolve(other.str() + "/app/util.js").inside);
}

TEST(PathResolverSystem, InstalledFilesStayOutsideEvenWhenTheWorkspaceHasTheSamePath) {
  if (!std::filesystem::exists("/usr/include/stdio.h")) GTEST_SKIP() << "no /usr/include/stdio.h";
  TempDir ws;
  ws.write("include/stdio.h", "x\n");
  PathResolver r(ws.str());
  auto a = r.resolve("/usr/include/stdio.h");
  EXPECT_FALSE(a.inside);
  EXPECT_EQ(a.path, "/usr/include/stdio.h");
}

TEST_F(PathResolverTest, NonFileSchemesAreOutside) {
  PathResolver r(ws.str());
  auto a = r.resolve("https://example.com/src/app/main.js");
  EXPECT_FALSE(a.inside);
  EXPECT_EQ(a.path, "https://example.com/src/app/main.js");
  EXPECT_FALSE(r.resolve("").inside);
}

TEST_F(PathResolverTest, SymlinkedRoot) {
  TempDir links;
  std::filesystem::create_directory_symlink(ws.path(), links.path() / "ws");
  PathResolver r((links.path() / "ws").generic_string());
  // A URI through the real path resolves as well as one through the link.
  const std::string real = std::filesystem::canonical(ws.path()).generic_string();
  auto a = r.resolve(real + "/src/app/main.js");
  EXPECT_TRUE(a.inside);
  EXPECT_EQ(a.path, "src/app/main.js");
  auto b = r.resolve((links.path() / "ws/README.md").generic_string());
  EXPECT_EQ(b.path, "README.md");
  EXPECT_TRUE(b.exists);
}

TEST(PathResolverFiles, ExplicitFileListNeedsNoDisk) {
  PathResolver r("/nonexistent/root", {"src/a.py", "./lib/b.py", "../outside.py"});
  auto a = r.resolve("src/a.py");
  EXPECT_TRUE(a.exists);
  auto b = r.resolve("file:///ci/x/lib/b.py");
  EXPECT_TRUE(b.inside);
  EXPECT_EQ(b.path, "lib/b.py");
  auto c = r.resolve("src/none.py");
  EXPECT_TRUE(c.inside);
  EXPECT_FALSE(c.exists);
  EXPECT_FALSE(r.resolve("/ci/y/outside.py").inside) << "listed paths outside the root are ignored";
}

TEST(PathResolverFiles, EmptyRootKeepsUrisAsGiven) {
  PathResolver r("");
  EXPECT_EQ(r.root(), "");
  auto a = r.resolve("src/x.c");
  EXPECT_TRUE(a.inside);
  EXPECT_FALSE(a.exists);
  EXPECT_EQ(a.path, "src/x.c");
  auto b = r.resolve("file:///home/u/x.c");
  EXPECT_FALSE(b.inside);
  EXPECT_EQ(b.path, "/home/u/x.c");
}

}  // namespace
}  // namespace aspm::ingest
