// Process-wide settings the executables apply before they do any work.
#pragma once

namespace aspm::support {

enum class HeapPages { Default, Huge };

// Configures the C library's allocator for a process that builds a large model from several
// threads (docs/benchmarks.md, "The allocator"). Call it first thing in main(), with main's
// argv: it may re-execute the program. Returns whether the heap asks for huge pages.
//
// Top pad. glibc gives each thread after the first its own heap of 64 MiB, reserved and made
// writable as it fills: one mprotect call whenever the heap's top runs out, for as little as a
// page. Each call takes the process's memory-map lock for writing, which also stalls the other
// thread's page faults. Converting a 100k-result log on the second thread made about 22,500
// such calls, and cost a sixth of the ingest's CPU time (1.23 s against 1.03 s, median of
// nine interleaved runs). A top pad of 64 MiB makes each new heap writable at once (and grows
// the main heap in 64 MiB steps); untouched pages cost no memory, so resident memory does not
// grow. The price: up to 64 MiB of freed memory at the top of a heap stays with the process
// instead of 128 KiB, and a large block may be carved from a heap's free top instead of being
// mapped on its own (so it is not given back when freed while blocks above it live).
//
// Huge pages. Every byte of a model is fresh memory, and on a virtual machine a page fault is
// expensive: first touches were the largest cost left in a large ingest. When the kernel's
// transparent huge pages are in `madvise` mode (the common default), glibc (2.35 and later)
// can ask for them on its heaps, but only through GLIBC_TUNABLES=glibc.malloc.hugetlb=1, read
// at start-up. So the program re-executes itself once (/proc/self/exe, same pid, same file
// descriptors) with that tunable added, and the new image puts GLIBC_TUNABLES back as it was,
// so child processes do not inherit it. Not done when the tunable is already given, when
// huge pages are off or already on for all memory, under a sanitizer (it has its own
// allocator), or when ASPM_HUGE_PAGES=0; if the re-execution fails, the program goes on as it
// is. Resident memory grows by a few MiB (2 MiB granules at the heaps' tops).
//
// Only for executables: it changes the whole process. Off glibc, nothing is changed.
HeapPages tuneAllocator(char** argv) noexcept;

}  // namespace aspm::support
