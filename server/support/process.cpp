#include "support/process.h"

#include <cstdlib>  // defines __GLIBC__ on glibc
#include <cstring>
#include <fstream>
#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#include <unistd.h>
#endif

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(__SANITIZE_MEMORY__)
#define ASPM_OWN_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define ASPM_OWN_ALLOCATOR 1
#endif
#endif

namespace aspm::support {

namespace {

#if defined(__GLIBC__) && !defined(ASPM_OWN_ALLOCATOR)
constexpr const char* kTunable = "glibc.malloc.hugetlb=1";
// Set by the image that re-executes, read by the one it becomes: GLIBC_TUNABLES as it was
// ("=" followed by the value), or "-" when it was not set.
constexpr const char* kWas = "ASPM_GLIBC_TUNABLES_WAS";

// Transparent huge pages are given to memory that asks for them, and only to it.
bool hugePagesOnRequest() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  std::getline(in, modes);
  return modes.find("[madvise]") != std::string::npos;
}

HeapPages hugeHeap(char** argv) {
  if (const char* was = std::getenv(kWas)) {
    // The re-executed image: glibc has read the tunable; put the environment back.
    const std::string before = was;
    ::unsetenv(kWas);
    if (before.size() > 0 && before[0] == '=') ::setenv("GLIBC_TUNABLES", before.c_str() + 1, 1);
    else ::unsetenv("GLIBC_TUNABLES");
    return HeapPages::Huge;
  }
  if (const char* off = std::getenv("ASPM_HUGE_PAGES"); off && std::strcmp(off, "0") == 0) return HeapPages::Default;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  // Given by whoever started the program: theirs to choose.
  if (tunables && std::strstr(tunables, "glibc.malloc.hugetlb")) return HeapPages::Default;
  if (!argv || !argv[0] || !hugePagesOnRequest()) return HeapPages::Default;
  const std::string before = tunables ? std::string("=") + tunables : std::string("-");
  const std::string with = tunables && *tunables ? std::string(tunables) + ":" + kTunable : std::string(kTunable);
  if (::setenv(kWas, before.c_str(), 1) != 0) return HeapPages::Default;
  if (::setenv("GLIBC_TUNABLES", with.c_str(), 1) == 0) ::execv("/proc/self/exe", argv);
  // Still here: the program goes on as it is.
  ::unsetenv(kWas);
  if (tunables) ::setenv("GLIBC_TUNABLES", before.c_str() + 1, 1);
  else ::unsetenv("GLIBC_TUNABLES");
  return HeapPages::Default;
}
#endif

}  // namespace

HeapPages tuneAllocator(char** argv) noexcept {
  HeapPages pages = HeapPages::Default;
#if defined(__GLIBC__) && !defined(ASPM_OWN_ALLOCATOR)
  try {
    pages = hugeHeap(argv);
  } catch (...) {
    pages = HeapPages::Default;  // out of memory this early: go on with what glibc has
  }
  // At least the size of a thread heap (HEAP_MAX_SIZE, 64 MiB on 64-bit), so a new heap is
  // made writable in one call.
  constexpr int kTopPad = 64 << 20;
  (void)::mallopt(M_TOP_PAD, kTopPad);
#else
  (void)argv;
#endif
  return pages;
}

}  // namespace aspm::support
