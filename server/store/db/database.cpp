// Chooses the backend from the --db URL, and the helpers every backend shares.
#include "store/db/database.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "store/db/postgres_database.h"
#include "store/db/sqlite_database.h"

namespace aspm::store::db {

std::unique_ptr<Database> open(const std::string& url, std::string& error) {
  if (url.starts_with("sqlite:")) {
    const std::string path = url.substr(7);
    if (path.empty()) {
      error = "--db sqlite: needs a file path (sqlite:/var/lib/aspm/store.db)";
      return nullptr;
    }
    return openSqlite(path, error);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return openPostgres(url, error);
  }
  error = "unknown --db URL '" + url + "': expected sqlite:PATH or postgresql://…";
  return nullptr;
}

std::string nowRfc3339() {
  const auto now = std::chrono::system_clock::now();
  const auto secs = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace aspm::store::db
