// UTC timestamps as the project writes them (RFC 3339 with a Z, or a plain date), in one place so
// triage decisions, expiries, gates and the store agree on the format.
#pragma once

#include <chrono>
#include <string>

namespace aspm::support {

// "2026-11-27T10:00:00Z"; with `millis`, "2026-11-27T10:00:00.123Z".
std::string utcTimestamp(std::chrono::system_clock::time_point t, bool millis = false);
// "2026-11-27".
std::string utcDate(std::chrono::system_clock::time_point t);

}  // namespace aspm::support
