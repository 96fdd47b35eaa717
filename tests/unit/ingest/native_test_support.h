// Helpers shared by the native adapter tests: a throw-away workspace on disk (the adapters read
// scanned files from it to convert columns) and lookups into problem lists.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "support/problem.h"

namespace aspm::testing_native {

// A directory under the system temp dir, removed with everything in it on destruction.
class TempWorkspace {
 public:
  TempWorkspace() {
    static std::atomic<int> counter{0};
    root_ = std::filesystem::temp_directory_path() /
            ("aspm-native-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  ~TempWorkspace() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TempWorkspace(const TempWorkspace&) = delete;
  TempWorkspace& operator=(const TempWorkspace&) = delete;

  std::string root() const { return root_.string(); }

  void write(const std::string& relative, std::string_view content) const {
    const auto path = root_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
  }

 private:
  std::filesystem::path root_;
};

// The first problem whose path is `path`, or null.
inline const support::Problem* problemAt(const support::Problems& problems, std::string_view path) {
  for (const auto& p : problems)
    if (p.path == path) return &p;
  return nullptr;
}

inline bool hasFatal(const support::Problems& problems) {
  for (const auto& p : problems)
    if (p.severity == support::ProblemSeverity::Fatal) return true;
  return false;
}

}  // namespace aspm::testing_native
