#pragma once
// The operations a client can call, by name (docs/protocol.md). HTTP routes and WebSocket
// frames both end here: decode the parameters, call a service, encode its answer.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <string_view>

#include "core/error.hpp"
#include "server/service/services.hpp"

namespace parley::gateway {

using Reply = std::function<void(Result<boost::json::value>)>;
// One operation: reads its parameters, calls a service, replies once.
using OperationHandler = void (*)(const service::Services&, const service::Caller&, const boost::json::object&, Reply);

class Operations {
 public:
  explicit Operations(service::Services services) : services_(services) {}

  // server: the server API's operations, for the app's backend with an API key
  // (server_operations.hpp), reached over HTTP only.
  enum class Access { authenticated, public_only, server };
  // Whether `op` exists with that access. Public operations (register, login, refresh,
  // logout) are reached over HTTP only.
  [[nodiscard]] bool has(std::string_view op, Access access) const;
  // `reply` runs on a service thread, once.
  void call(std::string_view op, const service::Caller& caller, const boost::json::object& params, Reply reply) const;

  [[nodiscard]] service::Services& services() { return services_; }

 private:
  service::Services services_;
};

}  // namespace parley::gateway
