// Runs support::tuneAllocator as an executable does, then reports what the process ended up
// with: whether the heap asks for huge pages, the environment a child would inherit, and how
// much of a freshly touched 32 MiB block the kernel backs with huge pages.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "support/process.h"

namespace {

long anonHugeKb() {
  std::ifstream in("/proc/self/smaps_rollup");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("AnonHugePages:", 0) == 0) return std::strtol(line.c_str() + 14, nullptr, 10);
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  const auto pages = aspm::support::tuneAllocator(argv);
  const long before = anonHugeKb();
  constexpr std::size_t kBlock = std::size_t(32) << 20;
  auto* block = static_cast<char*>(std::malloc(kBlock));
  long sum = 0;
  if (block) {
    std::memset(block, 1, kBlock);
    for (std::size_t i = 0; i < kBlock; i += 4096) sum += block[i];  // keeps the block
  }
  const long after = anonHugeKb();
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  std::printf("pages=%s\n", pages == aspm::support::HeapPages::Huge ? "huge" : "default");
  std::printf("tunables=%s\n", tunables ? tunables : "(unset)");
  std::printf("marker=%s\n", std::getenv("ASPM_GLIBC_TUNABLES_WAS") ? "set" : "unset");
  std::printf("huge_kb_gained=%ld\n", after - before);
  std::printf("pages_touched=%ld\n", sum);
  std::printf("args=%d", argc);
  for (int i = 1; i < argc; ++i) std::printf(" %s", argv[i]);
  std::printf("\n");
  std::free(block);
  return 0;
}
