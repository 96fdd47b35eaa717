// API tokens: random bearer secrets handed to people once and stored only as SHA-256 hashes, so
// a copy of the database does not leak working credentials.
#pragma once

#include <string>
#include <string_view>

namespace aspm::store::server {

// "aspm_" + 64 hex characters from the OpenSSL CSPRNG. Empty if the generator failed.
std::string generateToken();
// Lower-case hex SHA-256 of the token text.
std::string hashToken(std::string_view token);

}  // namespace aspm::store::server
