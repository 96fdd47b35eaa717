#include "support/process.h"

#include <cstdlib>  // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace aspm::support {

void tuneAllocator() noexcept {
#if defined(__GLIBC__)
  // At least the size of a thread heap (HEAP_MAX_SIZE, 64 MiB on 64-bit), so a new heap is
  // made writable in one call.
  constexpr int kTopPad = 64 << 20;
  (void)::mallopt(M_TOP_PAD, kTopPad);
#endif
}

}  // namespace aspm::support
