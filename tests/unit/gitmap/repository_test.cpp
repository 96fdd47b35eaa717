// Repository and trace() against real repositories built with the git CLI: revisions, contents
// at each snapshot, rename detection across commits, the index and the working tree, unsaved
// buffers, blame, and a scanned commit that the repository does not have.
#include <gtest/gtest.h>

#include "git_fixture.h"
#include "gitmap/repository.h"
#include "gitmap/trace.h"

namespace aspm::gitmap {
namespace {

using testing::GitRepo;
using testing::numbered;

Repository openRepo(const GitRepo& g) {
  auto r = Repository::open(g.root().string());
  EXPECT_TRUE(r) << (r ? "" : r.error().describe());
  return std::move(r).value();
}

TEST(Repository, OpenResolveAndRead) {
  GitRepo g;
  g.write("src/a.c", "int a;\n");
  const std::string c1 = g.commit("one");
  g.write("src/a.c", "int a;\nint b;\n");
  const std::string c2 = g.commit("two");

  const Repository repo = openRepo(g);
  EXPECT_EQ(repo.workdir(), std::filesystem::canonical(g.root()).string() + "/");
  EXPECT_FALSE(repo.isShallow());
  EXPECT_EQ(repo.resolveCommit("HEAD").value(), c2);
  EXPECT_EQ(repo.resolveCommit(c1.substr(0, 10)).value(), c1);
  EXPECT_EQ(repo.fileAtCommit(c1, "src/a.c").value(), "int a;\n");
  EXPECT_EQ(repo.fileAtCommit(c2, "src/a.c").value(), "int a;\nint b;\n");
  EXPECT_EQ(repo.fileAtCommit(c1, "nope.c").value(), std::nullopt);
  EXPECT_EQ(repo.fileAtCommit(c1, "src").value(), std::nullopt);  // a tree, not a file

  const auto missing = repo.resolveCommit("0123456789abcdef0123456789abcdef01234567");
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().notFound());
  EXPECT_NE(missing.error().describe().find("0123456789abcdef"), std::string::npos);

  // Opening from a subdirectory finds the repository; outside any repository is an error value.
  EXPECT_TRUE(Repository::open((g.root() / "src").string()));
  const auto none = Repository::open("/proc/self");
  ASSERT_FALSE(none);
  EXPECT_FALSE(none.error().message.empty());
}

TEST(Repository, RenamesAcrossCommitsIndexAndWorkdir) {
  GitRepo g;
  g.write("a.py", numbered("a", 40));
  g.write("b.py", numbered("b", 40));
  g.write("c.py", numbered("c", 40));
  const std::string scan = g.commit("scan");
  std::filesystem::create_directories(g.root() / "lib");
  g.git("mv a.py lib/a_renamed.py");
  g.write("lib/a_renamed.py", "# new header\n" + numbered("a", 40));
  const std::string head = g.commit("rename a");
  g.git("mv b.py staged_b.py");  // staged rename, not committed
  std::filesystem::rename(g.root() / "c.py", g.root() / "moved_c.py");  // plain mv, untracked

  const Repository repo = openRepo(g);
  const auto committed = repo.changesBetween(scan, head);
  ASSERT_TRUE(committed);
  ASSERT_EQ(committed.value().size(), 1u);
  EXPECT_EQ(committed.value()[0].kind, PathChange::Kind::Renamed);
  EXPECT_EQ(committed.value()[0].oldPath, "a.py");
  EXPECT_EQ(committed.value()[0].newPath, "lib/a_renamed.py");

  TraceOptions options;
  options.scanRevision = scan.substr(0, 12);
  const auto t = trace(repo, {"a.py", "b.py", "c.py"}, options);
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(t.value().revision, RevisionStatus::Found);
  EXPECT_EQ(t.value().scanCommit, scan);
  EXPECT_EQ(t.value().targetCommit, head);
  const auto& a = t.value().files.at("a.py");
  EXPECT_EQ(a.path, "lib/a_renamed.py");
  EXPECT_TRUE(a.renamed());
  ASSERT_TRUE(a.lines);
  EXPECT_EQ(a.lines->map(1), 2u);
  EXPECT_EQ(a.lines->map(40), 41u);
  EXPECT_EQ(t.value().files.at("b.py").path, "staged_b.py");
  EXPECT_EQ(t.value().files.at("c.py").path, "moved_c.py");
  EXPECT_EQ(t.value().files.at("c.py").source, ContentSource::WorkingTree);
}

TEST(Repository, WorkingTreeEditsBuffersAndDeletions) {
  GitRepo g;
  g.write("main.c", numbered("m", 20));
  g.write("gone.c", numbered("g", 5));
  g.write("other.c", "int x;\n");
  const std::string scan = g.commit("scan");
  g.write("main.c", "#include <x.h>\n" + numbered("m", 20));  // unstaged edit
  g.remove("gone.c");
  g.write("new_helper.c", "void moved(void) {}\n");  // untracked file: a place code can move to

  const Repository repo = openRepo(g);
  TraceOptions options;
  options.scanRevision = scan;
  auto t = trace(repo, {"main.c", "gone.c"}, options);
  ASSERT_TRUE(t);
  EXPECT_EQ(t.value().files.at("main.c").lines->map(1), 2u);
  EXPECT_EQ(t.value().files.at("gone.c").path, "");
  EXPECT_FALSE(t.value().files.at("gone.c").content);
  EXPECT_TRUE(t.value().files.at("gone.c").scanContent);
  const auto& changed = t.value().changedPaths;
  EXPECT_NE(std::find(changed.begin(), changed.end(), "new_helper.c"), changed.end());
  EXPECT_EQ(std::find(changed.begin(), changed.end(), "main.c"), changed.end()) << "traced files are not candidates";

  // An unsaved buffer wins over the working tree.
  options.buffers["main.c"] = "// a\n// b\n// c\n" + numbered("m", 20);
  t = trace(repo, {"main.c"}, options);
  ASSERT_TRUE(t);
  EXPECT_EQ(t.value().files.at("main.c").source, ContentSource::Buffer);
  EXPECT_EQ(t.value().files.at("main.c").lines->map(1), 4u);

  // Mapping onto a commit ignores the working tree.
  options.buffers.clear();
  options.targetRevision = scan;
  t = trace(repo, {"main.c", "gone.c"}, options);
  ASSERT_TRUE(t);
  EXPECT_TRUE(t.value().files.at("main.c").lines->identity());
  EXPECT_EQ(t.value().files.at("gone.c").path, "gone.c");
}

TEST(Repository, MissingScanRevisionIsReportedNotGuessed) {
  GitRepo g;
  g.write("app.js", "eval(x);\n");
  g.commit("only");
  const Repository repo = openRepo(g);
  TraceOptions options;
  options.scanRevision = "feedfacefeedfacefeedfacefeedfacefeedface";
  const auto t = trace(repo, {"app.js"}, options);
  ASSERT_TRUE(t);
  EXPECT_EQ(t.value().revision, RevisionStatus::Missing);
  EXPECT_NE(t.value().note.find("feedface"), std::string::npos);
  const auto& f = t.value().files.at("app.js");
  EXPECT_FALSE(f.scanContent);
  EXPECT_FALSE(f.lines);
  EXPECT_EQ(f.content, "eval(x);\n");

  options.scanRevision.clear();
  EXPECT_EQ(trace(repo, {"app.js"}, options).value().revision, RevisionStatus::NotGiven);
}

TEST(Repository, ShallowCloneLacksOldCommits) {
  GitRepo g;
  g.write("f.py", "a = 1\n");
  const std::string first = g.commit("first");
  g.write("f.py", "a = 2\n");
  g.commit("second");
  GitRepo clone;  // reuse the fixture for a temp dir, then clone into a subdirectory
  const auto dest = clone.root() / "shallow";
  const std::string cmd = "git clone -q --depth 1 file://" + g.root().string() + " " + dest.string() + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  auto repo = Repository::open(dest.string());
  ASSERT_TRUE(repo);
  EXPECT_TRUE(repo.value().isShallow());
  TraceOptions options;
  options.scanRevision = first;
  const auto t = trace(repo.value(), {"f.py"}, options);
  ASSERT_TRUE(t);
  EXPECT_EQ(t.value().revision, RevisionStatus::Missing);
  EXPECT_NE(t.value().note.find("shallow"), std::string::npos);
}

TEST(Repository, BlameNamesTheAuthorOfEachLine) {
  GitRepo g;
  g.write("s.rb", "a\nb\nc\n");
  const std::string c1 = g.commit("one", "Grace Hopper <grace@example.com>");
  g.write("s.rb", "a\nB\nc\n");
  const std::string c2 = g.commit("two", "Alan Turing <alan@example.com>");
  const Repository repo = openRepo(g);

  const auto lines = repo.blame("s.rb", 1, 3);
  ASSERT_TRUE(lines) << lines.error().describe();
  ASSERT_EQ(lines.value().size(), 3u);
  EXPECT_EQ(lines.value()[0].authorEmail, "grace@example.com");
  EXPECT_EQ(lines.value()[0].commit, c1);
  EXPECT_EQ(lines.value()[1].authorName, "Alan Turing");
  EXPECT_EQ(lines.value()[1].commit, c2);
  const auto owner = ownerOf(lines.value());
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->authorEmail, "grace@example.com");

  // Unsaved content: the new line is not committed by anyone yet.
  const std::string edited = "a\nB\nnew\nc\n";
  const auto buffer = repo.blame("s.rb", 3, 4, &edited);
  ASSERT_TRUE(buffer) << buffer.error().describe();
  ASSERT_EQ(buffer.value().size(), 2u);
  EXPECT_FALSE(buffer.value()[0].committed());
  EXPECT_EQ(buffer.value()[1].authorEmail, "grace@example.com");

  EXPECT_FALSE(repo.blame("s.rb", 50, 60));
  EXPECT_FALSE(repo.blame("no/such/file", 1, 1));
}

}  // namespace
}  // namespace aspm::gitmap
