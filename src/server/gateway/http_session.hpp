#pragma once
// One HTTP connection: reads requests one at a time, routes them to operations, writes JSON
// answers; hands a WebSocket upgrade of /v1/ws over to a WsSession.
#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "server/gateway/gateway_context.hpp"

namespace parley::gateway {

// Starts serving an accepted socket; the session keeps itself alive.
void serve_http(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<GatewayContext> context);

}  // namespace parley::gateway
