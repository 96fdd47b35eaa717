// Keyed, debounced, cancellable jobs on one worker thread.
#include "engine/scheduler.h"

#include <algorithm>

#include "support/log.h"

namespace aspm::engine {

Scheduler::Scheduler() : worker_([this] { loop(); }) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::schedule(std::string key, Job job, std::chrono::milliseconds delay) {
  std::lock_guard lock(mu_);
  if (stopping_) return;
  pending_.remove_if([&](const Pending& p) { return p.key == key; });
  if (running_ && runningKey_ == key && runningCancel_) *runningCancel_ = true;
  pending_.push_back({std::move(key), std::move(job), Clock::now() + delay, seq_++});
  wake_.notify_all();
}

void Scheduler::dropPending(const std::function<bool(const std::string&)>& pred) {
  std::lock_guard lock(mu_);
  pending_.remove_if([&](const Pending& p) { return pred(p.key); });
  if (pending_.empty() && !running_) idle_.notify_all();
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    pending_.clear();
    if (runningCancel_) *runningCancel_ = true;
    wake_.notify_all();
  }
  if (worker_.joinable() && worker_.get_id() != std::this_thread::get_id()) worker_.join();
  idle_.notify_all();
}

bool Scheduler::waitIdle(Clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return idle_.wait_until(lock, deadline, [&] { return stopping_ || (pending_.empty() && !running_); });
}

void Scheduler::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (pending_.empty()) {
      wake_.wait(lock);
      continue;
    }
    // The job due first (FIFO among equals) runs when its time comes.
    auto next = std::min_element(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) {
      return a.due != b.due ? a.due < b.due : a.seq < b.seq;
    });
    if (next->due > Clock::now()) {
      // A copy: while waiting, schedule() may replace (and free) the pending job.
      const Clock::time_point due = next->due;
      wake_.wait_until(lock, due);
      continue;
    }
    Pending job = std::move(*next);
    pending_.erase(next);
    running_ = true;
    runningKey_ = job.key;
    runningCancel_ = std::make_shared<std::atomic<bool>>(false);
    auto cancel = runningCancel_;
    lock.unlock();
    try {
      job.job(*cancel);
    } catch (const std::exception& e) {
      support::logError("background job '" + job.key + "' failed: " + e.what());
    } catch (...) {
      support::logError("background job '" + job.key + "' failed");
    }
    lock.lock();
    running_ = false;
    runningKey_.clear();
    runningCancel_.reset();
    if (pending_.empty()) idle_.notify_all();
  }
}

}  // namespace aspm::engine
