// CVSS v3.0/v3.1 base scores computed from the vector string, exactly as the FIRST specification
// defines them (including its Roundup), so a severity taken from a vector matches the score
// NVD and the advisory databases publish for it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aspm::correlate {

struct Cvss {
  std::string vector;  // as found ("CVSS:3.1/AV:N/AC:L/...")
  double baseScore = 0;
};

// Parse and score "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" (3.0 accepted; temporal and
// environmental metrics after the base ones are ignored). nullopt when a base metric is
// missing, repeated or has an unknown value.
std::optional<Cvss> parseCvss3(std::string_view vector);

// The first CVSS v3 vector found in free text (help markdown, descriptions), scored.
std::optional<Cvss> findCvss3(std::string_view text);

// The specification's Roundup: the smallest number with one decimal >= x, computed on integers
// so that 4.000000001 does not become 4.1 through floating-point error.
double cvssRoundup(double x) noexcept;

}  // namespace aspm::correlate
