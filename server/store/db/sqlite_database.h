// Entry point of the SQLite backend; database.cpp picks it for "sqlite:" URLs.
#pragma once

#include <memory>
#include <string>

#include "store/db/database.h"

namespace aspm::store::db {

std::unique_ptr<Database> openSqlite(const std::string& path, std::string& error);

}  // namespace aspm::store::db
