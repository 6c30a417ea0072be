#pragma once
// Which PostgreSQL server the tests create their databases on.
//
// A test run starts one server for all its test processes (the CTest fixture postgres.start,
// tests/support/postgres_fixture_main.cpp) and tells them where it is through the environment:
// PARLEY_TEST_POSTGRES_FILE names a file holding the server's admin URI.
#include <optional>
#include <string>

namespace parley::test {

inline constexpr const char* kPostgresFileVariable = "PARLEY_TEST_POSTGRES_FILE";

// The admin URI of the run's server, or nullopt when PARLEY_TEST_POSTGRES_FILE is not set.
// Throws when it is set but the file is missing or empty: the fixture failed, and the tests
// must fail rather than quietly run on something else.
[[nodiscard]] std::optional<std::string> run_postgres_admin_uri();

// The run's server when there is one; otherwise a server of this process's own, started on
// first use and stopped when the process exits. Throws when it cannot start.
[[nodiscard]] std::string postgres_admin_uri();

}  // namespace parley::test
