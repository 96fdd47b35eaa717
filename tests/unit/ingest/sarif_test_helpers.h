// Helpers shared by the SARIF reader tests: ingest inline documents and query problems.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>

#include "ingest/ingest.h"

namespace aspm::ingest::testing {

inline support::WithProblems<model::ScanSet> ingestText(std::string_view text, PathResolver* resolver = nullptr,
                                                        const std::string& name = "test.sarif") {
  IngestOptions o;
  o.resolver = resolver;
  return ingestBytes(text, name, o);
}

// A SARIF 2.1.0 log around the given run objects (comma-separated JSON).
inline std::string sarifLog(std::string_view runs) {
  return std::string(R"({"version":"2.1.0","$schema":"https://json.schemastore.org/sarif-2.1.0.json","runs":[)") +
         std::string(runs) + "]}";
}

// A run with a driver named "T" and the given results (comma-separated JSON objects).
inline std::string simpleRun(std::string_view results, std::string_view extra = "") {
  return std::string(R"({"tool":{"driver":{"name":"T"}},"results":[)") + std::string(results) + "]" +
         (extra.empty() ? "" : "," + std::string(extra)) + "}";
}

inline std::string describe(const support::Problems& ps) {
  std::string s;
  for (const auto& p : ps)
    s += std::string("  [") + support::toString(p.severity) + "] " + p.file + " " + p.path + ": " + p.message + "\n";
  return s.empty() ? "  (no problems)\n" : s;
}

// The first problem whose path equals `path` and whose message contains `text`, or null.
inline const support::Problem* findProblem(const support::Problems& ps, std::string_view path, std::string_view text) {
  for (const auto& p : ps)
    if (p.path == path && p.message.find(text) != std::string::npos) return &p;
  return nullptr;
}

inline bool hasFatal(const support::Problems& ps) {
  for (const auto& p : ps)
    if (p.severity == support::ProblemSeverity::Fatal) return true;
  return false;
}

// A fresh directory under the system temp dir, removed when the object goes away.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("aspm-ingest-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.generic_string(); }

  void write(const std::string& rel, std::string_view content) const {
    const auto p = path_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream f(p, std::ios::binary);
    f.write(content.data(), static_cast<std::streamsize>(content.size()));
  }

 private:
  std::filesystem::path path_;
};

}  // namespace aspm::ingest::testing
