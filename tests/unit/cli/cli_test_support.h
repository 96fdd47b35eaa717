// Shared by the CLI tests: a real temporary repository and an in-process `aspm` run.
#pragma once

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"

namespace aspm::cli::clitest {

class TempRepo {
 public:
  TempRepo() {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("aspm-cli-test-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
  }
  ~TempRepo() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempRepo(const TempRepo&) = delete;
  TempRepo& operator=(const TempRepo&) = delete;
  void write(const std::string& rel, const std::string& text) const {
    std::filesystem::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel, std::ios::binary) << text;
  }
  std::string path() const { return dir_.string(); }
  std::string path(const std::string& rel) const { return (dir_ / rel).string(); }

 private:
  std::filesystem::path dir_;
};

struct CliRun {
  int code;
  std::string out;
  std::string err;
};

inline CliRun runCli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = run(args, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace aspm::cli::clitest
