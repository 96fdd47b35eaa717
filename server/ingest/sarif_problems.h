// JSON paths and problem collection for the SARIF reader.
//
// Every problem must name the file and the JSON pointer of the offending value, but building a
// pointer string for every value visited would cost more than the parse itself. A path is
// therefore a chain of stack-allocated segments that is only rendered when a problem is
// reported. The sink also caps how often one kind of problem is repeated, so a 2 GB log whose
// every result is off in the same way yields a readable list rather than millions of entries.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "support/problem.h"

namespace aspm::ingest::sarif {

struct PathSeg {
  const PathSeg* parent = nullptr;
  std::string_view key;  // member name (unused when isIndex)
  std::size_t index = 0;
  bool isIndex = false;

  PathSeg child(std::string_view k) const noexcept { return PathSeg{this, k, 0, false}; }
  PathSeg at(std::size_t i) const noexcept { return PathSeg{this, {}, i, true}; }
};

// JSON pointer (RFC 6901) of `p`: "/runs/0/results/3"; "" for the document itself.
std::string render(const PathSeg* p);

class ProblemSink {
 public:
  ProblemSink(std::string file, support::Problems& out, std::size_t perCategoryLimit = 25);

  // `category` groups repetitions (a short literal such as "outside-workspace"); when null the
  // message itself is the category.
  void report(support::ProblemSeverity severity, const PathSeg* path, std::string message,
              const char* category = nullptr);
  void report(support::ProblemSeverity severity, std::string path, std::string message,
              const char* category = nullptr);

  void error(const PathSeg* path, std::string message, const char* category = nullptr) {
    report(support::ProblemSeverity::Error, path, std::move(message), category);
  }
  void warning(const PathSeg* path, std::string message, const char* category = nullptr) {
    report(support::ProblemSeverity::Warning, path, std::move(message), category);
  }

  // Add one summary problem per category that hit the limit. Call once, at the end.
  void flushSummaries();

  const std::string& file() const noexcept { return file_; }
  support::Problems& problems() noexcept { return out_; }

 private:
  struct Counter {
    std::size_t count = 0;
    support::ProblemSeverity severity = support::ProblemSeverity::Warning;
    std::string example;
  };
  bool admit(support::ProblemSeverity severity, const std::string& key, const std::string& message);

  std::string file_;
  support::Problems& out_;
  std::size_t limit_;
  std::unordered_map<std::string, Counter> counters_;
};

}  // namespace aspm::ingest::sarif
