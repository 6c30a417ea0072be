#pragma once
// `parleyd api-keys ...` run as an operator runs it: a process of its own against the store of a
// running TestServer (its data directory, or its PostgreSQL database).
#include "support/test_server.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace parley::test {

struct CliResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr, in the order written
};

// Runs `parleyd api-keys <args...>` with the store settings of `server`, waiting (bounded) for it.
[[nodiscard]] CliResult run_api_keys_cli(const TestServer& server, const std::vector<std::string>& args);

struct CreatedKey {
  std::int64_t id = 0;
  std::string key;  // the whole key, "pk_..."
};

// `api-keys create --name NAME`; requires exit 0 and a key in the output.
[[nodiscard]] CreatedKey create_api_key(const TestServer& server, const std::string& name);

// One row of `api-keys list`, its columns split at tabs: id, name, created, last_used, revoked.
[[nodiscard]] std::vector<std::vector<std::string>> list_api_keys(const TestServer& server);

}  // namespace parley::test
