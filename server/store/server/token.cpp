// Token generation and hashing on OpenSSL, which the store's server layer owns.
#include "store/server/token.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>

namespace aspm::store::server {
namespace {

std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[p[i] >> 4]);
    out.push_back(kDigits[p[i] & 0xf]);
  }
  return out;
}

}  // namespace

std::string generateToken() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return {};
  return "aspm_" + hex(bytes.data(), bytes.size());
}

std::string hashToken(std::string_view token) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(token.data(), token.size(), md.data(), &len, EVP_sha256(), nullptr) != 1) return {};
  return hex(md.data(), len);
}

}  // namespace aspm::store::server
