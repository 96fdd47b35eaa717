// The one place that owns threads (TUScheduler's role): a worker that runs keyed jobs after a
// debounce delay. Scheduling a key again replaces its pending job and cancels its running one,
// so a burst of file-watcher events for one report ingests it once, and a reload started while
// another runs stops the old one early. Jobs see cancellation through an atomic flag (which
// ingest polls).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace aspm::engine {

class Scheduler {
 public:
  using Clock = std::chrono::steady_clock;
  using Job = std::function<void(const std::atomic<bool>& cancelled)>;

  Scheduler();
  ~Scheduler();  // stop()
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Runs `job` on the worker once `delay` has passed without another schedule() of `key`.
  void schedule(std::string key, Job job, std::chrono::milliseconds delay = std::chrono::milliseconds(0));
  // Drops pending jobs whose key matches `pred` (a running one is left alone).
  void dropPending(const std::function<bool(const std::string& key)>& pred);
  // Cancels the running and pending jobs, waits for the worker and stops it. Idempotent.
  void stop();
  // Waits until nothing is pending or running; false when the deadline passed first.
  bool waitIdle(Clock::time_point deadline);

 private:
  struct Pending {
    std::string key;
    Job job;
    Clock::time_point due;
    std::uint64_t seq = 0;
  };
  void loop();

  std::mutex mu_;
  std::condition_variable wake_;  // the worker waits for jobs
  std::condition_variable idle_;  // waitIdle() waits for the worker
  std::list<Pending> pending_;
  std::string runningKey_;
  std::shared_ptr<std::atomic<bool>> runningCancel_;
  bool running_ = false;
  bool stopping_ = false;
  std::uint64_t seq_ = 0;
  std::thread worker_;
};

}  // namespace aspm::engine
