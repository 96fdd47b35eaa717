// Stable, non-cryptographic hashing used for fingerprints and content matching. Results must be
// identical on every platform and across releases, so std::hash is never used for persisted ids.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace aspm::support {

// 64-bit FNV-1a. Stable across platforms; used for content hashes that are persisted.
constexpr std::uint64_t fnv1a64(std::string_view data,
                                std::uint64_t seed = 0xcbf29ce484222325ULL) noexcept {
  std::uint64_t h = seed;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// Incremental builder: feed fields separated so that ("ab","c") and ("a","bc") differ.
class StableHasher {
 public:
  StableHasher& add(std::string_view field) noexcept {
    h_ = fnv1a64(field, h_);
    h_ = fnv1a64(std::string_view("\x1f", 1), h_);
    return *this;
  }
  std::uint64_t value() const noexcept { return h_; }

 private:
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

// Lower-case, zero-padded 16-digit hex.
std::string toHex(std::uint64_t v);

}  // namespace aspm::support
