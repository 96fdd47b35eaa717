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
// such calls, and cost a fifth of the ingest's CPU time. A top pad of 64 MiB makes each new
// heap writable at once (and grows the main heap in 64 MiB steps); untouched pages cost no
// memory, so resident memory does not grow. Freed memory is handed back to the system above
// 64 MiB of free heap instead of above 128 KiB.
//
// Only for executables: it changes the whole process. A no-op off glibc.
void tuneAllocator() noexcept;

}  // namespace aspm::support
