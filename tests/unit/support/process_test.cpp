// support::tuneAllocator re-executes the program once with glibc's huge-page tunable and puts
// the environment back; these tests run a probe executable that calls it the way main() does.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

namespace {

std::map<std::string, std::string> probe(const std::string& env) {
  const std::string cmd = env + " " + ASPM_BIN_DIR "/support_process_probe one two 2>&1";
  std::map<std::string, std::string> out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  std::array<char, 512> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), p)) {
    std::string line = buf.data();
    if (!line.empty() && line.back() == '\n') line.pop_back();
    const auto eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  ::pclose(p);
  return out;
}

std::string thpMode() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  std::getline(in, modes);
  return modes;
}

bool sanitized() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#else
  return false;
#endif
}

TEST(TuneAllocator, ReexecutesOnceWithHugePagesAndPutsTheEnvironmentBack) {
  if (sanitized()) GTEST_SKIP() << "sanitizers bring their own allocator";
  if (thpMode().find("[madvise]") == std::string::npos)
    GTEST_SKIP() << "transparent huge pages are not in madvise mode here: " << thpMode();
  const auto unset = probe("env -u GLIBC_TUNABLES");
  EXPECT_EQ(unset.at("pages"), "huge");
  EXPECT_EQ(unset.at("tunables"), "(unset)");  // a child would not inherit the tunable
  EXPECT_EQ(unset.at("marker"), "unset");
  EXPECT_EQ(unset.at("args"), "3 one two");  // same arguments after the re-execution
  // The block the probe touches is backed by huge pages (2 MiB each, so not all of it: the
  // ends are not aligned).
  EXPECT_GE(std::stol(unset.at("huge_kb_gained")), 2048) << "a 32 MiB block got no huge page";

  const auto other = probe("GLIBC_TUNABLES=glibc.malloc.check=0");
  EXPECT_EQ(other.at("pages"), "huge");
  EXPECT_EQ(other.at("tunables"), "glibc.malloc.check=0");  // the caller's own, kept
}

TEST(TuneAllocator, LeavesAGivenTunableAndTheOptOutAlone) {
  const auto given = probe("GLIBC_TUNABLES=glibc.malloc.hugetlb=0");
  EXPECT_EQ(given.at("pages"), "default");
  EXPECT_EQ(given.at("tunables"), "glibc.malloc.hugetlb=0");
  EXPECT_EQ(given.at("huge_kb_gained"), "0");

  const auto off = probe("env -u GLIBC_TUNABLES ASPM_HUGE_PAGES=0");
  EXPECT_EQ(off.at("pages"), "default");
  EXPECT_EQ(off.at("tunables"), "(unset)");
  EXPECT_EQ(off.at("marker"), "unset");
  EXPECT_EQ(off.at("args"), "3 one two");
  EXPECT_EQ(off.at("huge_kb_gained"), "0");
}

}  // namespace
