// Process-wide settings the executables apply before they do any work.
#pragma once

namespace aspm::support {

// Configures the C library's allocator for a process that builds a large model from several
// threads (docs/benchmarks.md, "The allocator").
//
// glibc gives each thread after the first its own heap of 64 MiB, reserved and made writable
// as it fills: one mprotect call whenever the heap's top runs out, for as little as a page.
// Each call takes the process's memory-map lock for writing, which also stalls the other
// thread's page faults. Converting a 100k-result log on the second thread made about 22,500
// such calls, and cost a sixth of the ingest's CPU time (1.23 s against 1.03 s, median of
// nine interleaved runs). A top pad of 64 MiB makes each new heap writable at once (and grows
// the main heap in 64 MiB steps); untouched pages cost no memory, so resident memory does not
// grow. The price: up to 64 MiB of freed memory at the top of a heap stays with the process
// instead of 128 KiB, and a large block may be carved from a heap's free top instead of being
// mapped on its own (so it is not given back when freed while blocks above it live).
//
// Only for executables: it changes the whole process. A no-op off glibc.
void tuneAllocator() noexcept;

}  // namespace aspm::support
