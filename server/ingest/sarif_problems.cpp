// Rendering of lazily built JSON paths and the repetition cap for problems.
#include "ingest/sarif_problems.h"

#include <algorithm>
#include <vector>

namespace aspm::ingest::sarif {

std::string render(const PathSeg* p) {
  std::vector<const PathSeg*> chain;
  for (; p; p = p->parent) chain.push_back(p);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const PathSeg* s = *it;
    // The document root is a segment with neither key nor index.
    if (!s->isIndex && s->key.empty() && s->parent == nullptr) continue;
    out += '/';
    if (s->isIndex) {
      out += std::to_string(s->index);
      continue;
    }
    for (char c : s->key) {
      if (c == '~') out += "~0";
      else if (c == '/') out += "~1";
      else out += c;
    }
  }
  return out;
}

ProblemSink::ProblemSink(std::string file, support::Problems& out, std::size_t perCategoryLimit)
    : file_(std::move(file)), out_(out), limit_(perCategoryLimit) {}

bool ProblemSink::admit(support::ProblemSeverity severity, const std::string& key, const std::string& message) {
  auto& c = counters_[key];
  if (c.count == 0) {
    c.severity = severity;
    c.example = message;
  }
  ++c.count;
  return c.count <= limit_;
}

void ProblemSink::report(support::ProblemSeverity severity, const PathSeg* path, std::string message,
                         const char* category) {
  if (!admit(severity, category ? std::string(category) : message, message)) return;
  out_.push_back({file_, render(path), std::move(message), severity});
}

void ProblemSink::report(support::ProblemSeverity severity, std::string path, std::string message,
                         const char* category) {
  if (!admit(severity, category ? std::string(category) : message, message)) return;
  out_.push_back({file_, std::move(path), std::move(message), severity});
}

void ProblemSink::flushSummaries() {
  std::vector<std::pair<std::string, Counter>> over;
  for (auto& [key, c] : counters_)
    if (c.count > limit_) over.emplace_back(key, c);
  std::sort(over.begin(), over.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [key, c] : over) {
    out_.push_back({file_, "",
                    std::to_string(c.count - limit_) + " more problems like \"" + c.example + "\" were not listed",
                    c.severity});
  }
  counters_.clear();
}

}  // namespace aspm::ingest::sarif
