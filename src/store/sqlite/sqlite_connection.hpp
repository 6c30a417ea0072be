#pragma once
// The store's SQLite code uses the shared connection wrapper under its own names.
#include "sqlite/connection.hpp"
#include "sqlite/query.hpp"

namespace parley::store::sqlite {

using ::parley::sqlite::Connection;
using ::parley::sqlite::error_from_sqlite;
using ::parley::sqlite::fetch_all;
using ::parley::sqlite::fetch_int64;
using ::parley::sqlite::fetch_optional;
using ::parley::sqlite::Statement;

}  // namespace parley::store::sqlite
