// Chooses the backend from the --db URL, and the helpers every backend shares.
#include "store/db/database.h"

#include <chrono>

#include "store/db/postgres_database.h"
#include "store/db/sqlite_database.h"
#include "support/time.h"

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

std::string joinKinds(const std::vector<std::string>& kinds) {
  std::string out;
  for (const auto& k : kinds) out += (out.empty() ? "" : ",") + k;
  return out;
}

std::vector<std::string> splitKinds(const std::string& column) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < column.size()) {
    const auto comma = column.find(',', start);
    out.push_back(column.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string nowRfc3339() { return support::utcTimestamp(std::chrono::system_clock::now(), true); }

}  // namespace aspm::store::db
