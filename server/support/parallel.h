// Running independent pieces of work on several cores.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace aspm::support {

// Calls work(i) once for every i in [0, count): on the calling thread and on up to `threads - 1`
// more (0: one thread per core). The calls must not depend on each other; which thread runs
// which index is not fixed, so a caller that needs an order collects per index and applies
// afterwards. When no thread can be started the calling thread does it all. The first exception
// a call throws is rethrown here once every thread is done; the others stop taking indices.
template <typename Work>
void forEachIndex(std::size_t count, unsigned threads, Work&& work) {
  if (count == 0) return;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failureMutex;
  auto run = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < count;) {
      try {
        work(i);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(failureMutex);
        if (!failure) failure = std::current_exception();
        next = count;
      }
    }
  };
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < threads && t < count; ++t) {
    try {
      helpers.emplace_back(run);
    } catch (const std::system_error&) {
      break;  // no thread to be had: fewer helpers
    }
  }
  run();
  for (auto& h : helpers) h.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace aspm::support
