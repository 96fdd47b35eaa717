// Entry point of the PostgreSQL backend; database.cpp picks it for "postgresql://" URLs.
#pragma once

#include <memory>
#include <string>

#include "store/db/database.h"

namespace aspm::store::db {

std::unique_ptr<Database> openPostgres(const std::string& url, std::string& error);

}  // namespace aspm::store::db
