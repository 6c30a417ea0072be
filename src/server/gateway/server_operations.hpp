#pragma once
// The server API's operations (docs/server-api.md): what the app's backend may do with an API
// key. They act through the same services as a user's requests, so every rule, every event to
// connected clients and every node of a cluster sees them alike. Where an operation is done by
// someone (adding a member, sending, reading history), the request names that user, and the
// rules apply as to them: the backend speaks for its users, it does not stand above them.
#include <span>
#include <string_view>

#include "server/gateway/operations.hpp"

namespace parley::gateway {

struct NamedOperation {
  std::string_view name;
  OperationHandler handler;
};

[[nodiscard]] std::span<const NamedOperation> server_operations();

}  // namespace parley::gateway
