// Helpers for engine tests: hand-built scan results (so feature tests do not depend on a
// reader), in-memory file contents, and a listener that records what the workspace announced.
#pragma once

#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "correlate/correlate.h"
#include "engine/report.h"
#include "engine/workspace.h"
#include "model/finding.h"

namespace aspm::engine::testing {

// A real folder for a workspace, removed with everything in it when the test ends.
class TempTree {
 public:
  explicit TempTree(const char* prefix) {
    std::string tmpl = (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    root_ = ::mkdtemp(tmpl.data());
  }
  ~TempTree() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;
  const std::filesystem::path& root() const noexcept { return root_; }
  void write(const std::string& rel, const std::string& text) const {
    std::filesystem::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel, std::ios::binary) << text;
  }
  std::string abs(const std::string& rel) const { return (root_ / rel).generic_string(); }

 private:
  std::filesystem::path root_;
};

class ScanBuilder {
 public:
  explicit ScanBuilder(std::string tool) {
    model::Run run;
    run.tool.name = std::move(tool);
    set_.runs.push_back(std::move(run));
  }

  model::Rule& rule(std::string id) {
    auto& rules = set_.runs[0].rules;
    for (auto& r : rules)
      if (r.id == id) return r;
    model::Rule r;
    r.id = std::move(id);
    rules.push_back(std::move(r));
    return rules.back();
  }

  // A result at 1-based `line` (columns 0 = not given), as a SARIF reader would produce it.
  model::Result& result(const std::string& ruleId, const std::string& path, std::uint32_t line,
                        std::uint32_t startColumn = 0, std::uint32_t endColumn = 0,
                        model::Level level = model::Level::Warning, std::string message = "") {
    rule(ruleId);
    model::Result res;
    res.run = 0;
    const auto& rules = set_.runs[0].rules;
    for (std::size_t i = 0; i < rules.size(); ++i)
      if (rules[i].id == ruleId) res.rule = static_cast<std::int32_t>(i);
    res.ruleId = ruleId;
    res.level = level;
    res.message = message.empty() ? ruleId + " at line " + std::to_string(line) : std::move(message);
    model::Location loc;
    loc.uri = path;
    loc.resolved = true;
    loc.region.startLine = line;
    loc.region.endLine = line;
    loc.region.startColumn = startColumn;
    loc.region.endColumn = endColumn;
    res.locations.push_back(std::move(loc));
    res.source.result = static_cast<std::uint32_t>(set_.results.size());
    set_.results.push_back(std::move(res));
    return set_.results.back();
  }

  model::ScanSet take() { return std::move(set_); }

 private:
  model::ScanSet set_;
};

inline correlate::ContentProvider contents(std::map<std::string, std::string> files) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(files));
  return [shared](const std::string& rel) -> std::shared_ptr<const std::string> {
    auto it = shared->find(rel);
    if (it == shared->end()) return nullptr;
    return std::make_shared<const std::string>(it->second);
  };
}

// Records listener calls; waitFor() blocks (with a deadline) until a condition on them holds.
class RecordingListener : public WorkspaceListener {
 public:
  struct Events {
    std::vector<std::string> started;
    std::vector<unsigned> progress;
    std::vector<LoadSummary> finished;
    support::Problems problems;
    std::vector<std::vector<std::string>> changed;
  };

  void onLoadStarted(const std::string& title, std::size_t) override {
    record([&](Events& e) { e.started.push_back(title); });
  }
  void onLoadProgress(unsigned percent, const std::string&) override {
    record([&](Events& e) { e.progress.push_back(percent); });
  }
  void onLoadFinished(const LoadSummary& s) override {
    record([&](Events& e) { e.finished.push_back(s); });
  }
  void onProblems(const support::Problems& p) override {
    record([&](Events& e) { e.problems.insert(e.problems.end(), p.begin(), p.end()); });
  }
  void onFindingsChanged(const std::vector<std::string>& paths) override {
    record([&](Events& e) { e.changed.push_back(paths); });
  }

  template <typename Pred>
  bool waitFor(Pred pred, std::chrono::seconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return pred(events_); });
  }
  Events events() {
    std::lock_guard lock(mu_);
    return events_;
  }
  void clear() {
    std::lock_guard lock(mu_);
    events_ = {};
  }

 private:
  template <typename F>
  void record(F f) {
    std::lock_guard lock(mu_);
    f(events_);
    cv_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  Events events_;
};

}  // namespace aspm::engine::testing
