#pragma once
// `parleyd api-keys create|list|revoke` (docs/operations.md): what an operator runs to give the
// app's backend a key for the server API, see which keys exist, and take one back.
#include <ostream>

#include "server/server_config.hpp"
#include "store/store.hpp"

namespace parley::server {

// The exit code: 0 done, 1 the store failed or no such key, 2 a bad argument. create prints
// the key alone on `out` (for a script to take), the rest goes to `err`.
[[nodiscard]] int run_api_key_command(const ApiKeyCommand& command, store::StoreSession& session, std::ostream& out,
                                      std::ostream& err);

}  // namespace parley::server
