// A real git repository in a temporary directory, driven by the git CLI, for the gitmap tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace aspm::gitmap::testing {

class GitRepo {
 public:
  GitRepo() {
    char tmpl[] = "/tmp/aspm-gitmap-XXXXXX";
    const char* dir = mkdtemp(tmpl);
    if (!dir) throw std::runtime_error("mkdtemp failed");
    root_ = dir;
    git("init -q -b main");
    git("config user.name 'Ada Lovelace'");
    git("config user.email ada@example.com");
    git("config commit.gpgsign false");
  }
  ~GitRepo() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  GitRepo(const GitRepo&) = delete;
  GitRepo& operator=(const GitRepo&) = delete;

  const std::filesystem::path& root() const { return root_; }

  void write(const std::string& rel, const std::string& text) const {
    const auto p = root_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  void remove(const std::string& rel) const { std::filesystem::remove(root_ / rel); }

  // Runs git in the repository; fails the test on a non-zero exit. Returns stdout.
  std::string git(const std::string& args) const {
    const std::string cmd = "git -C '" + root_.string() + "' " + args + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) throw std::runtime_error("popen failed");
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int rc = pclose(p);
    EXPECT_EQ(rc, 0) << cmd << "\n" << out;
    return out;
  }

  // Commits everything (as `author`, when given) and returns the new commit id.
  std::string commit(const std::string& message, const std::string& author = "") const {
    git("add -A");
    git("commit -q --allow-empty -m '" + message + "'" + (author.empty() ? "" : " --author='" + author + "'"));
    std::string id = git("rev-parse HEAD");
    id.erase(id.find_last_not_of("\n") + 1);
    return id;
  }

 private:
  std::filesystem::path root_;
};

// "line1\nline2\n..." with `n` numbered lines, each prefixed by `tag`.
inline std::string numbered(const std::string& tag, int n, int from = 1) {
  std::ostringstream s;
  for (int i = from; i < from + n; ++i) s << tag << " line " << i << "\n";
  return s.str();
}

}  // namespace aspm::gitmap::testing
