#pragma once
#include <memory>
#include <string>

#include "store/store.hpp"

namespace parley::store {

struct PostgresOptions {
  // A libpq connection string: "postgresql://user:password@host:5432/dbname?sslmode=..." or
  // "host=... port=... dbname=... user=...". The database must exist; migrate() creates the tables.
  std::string conninfo;
  // true: a commit returns once PostgreSQL has flushed it to its WAL (synchronous_commit=on),
  // so an acknowledged message survives power loss. false: synchronous_commit=off, which
  // survives a crash of parleyd but may lose the last commits if PostgreSQL itself goes down.
  bool durable = true;
};

[[nodiscard]] std::unique_ptr<Store> make_postgres_store(const PostgresOptions& options);

}  // namespace parley::store
