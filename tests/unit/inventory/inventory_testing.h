// What the inventory tests share: the example estates, lookups that fail the test with a
// readable message, and a throw-away directory for repositories a test builds itself.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "inventory/inventory.h"

namespace aspm::inventory {

inline const std::string kEstates = std::string(ASPM_SOURCE_DIR) + "/tests/data/estates/";
using Strings = std::vector<std::string>;

inline const Asset& find(const Inventory& inv, AssetKind kind, const std::string& path) {
  for (const auto& a : inv.assets)
    if (a.kind == kind && a.path == path) return a;
  static const Asset missing{};
  ADD_FAILURE() << "no " << idOf(kind) << " asset at '" << path << "'";
  return missing;
}

inline bool hasEvidence(const Asset& a, const std::string& where, const std::string& whyPart) {
  return std::any_of(a.evidence.begin(), a.evidence.end(), [&](const Evidence& e) {
    return e.where() == where && e.why.find(whyPart) != std::string::npos;
  });
}

inline std::string exposureWhere(const Asset& a) { return a.exposureEvidence ? a.exposureEvidence->where() : "-"; }

class TempDir {
 public:
  TempDir() : dir_(std::filesystem::temp_directory_path() / ("aspm-inventory-" + std::to_string(std::random_device{}()))) {
    std::filesystem::create_directories(dir_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  void write(const std::string& rel, const std::string& text) const {
    std::filesystem::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel, std::ios::binary) << text;
  }
  std::string path() const { return dir_.string(); }

 private:
  std::filesystem::path dir_;
};

}  // namespace aspm::inventory
