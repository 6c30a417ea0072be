#pragma once
#include <boost/asio/steady_timer.hpp>
// The network edge of parleyd: HTTP routes and WebSocket sessions on one port.
#include <boost/asio/io_context.hpp>
#include <memory>

#include "server/gateway/gateway_options.hpp"
#include "server/hub/hub.hpp"
#include "server/service/services.hpp"

namespace parley::gateway {

struct GatewayContext;
class Listener;

class Gateway {
 public:
  Gateway(boost::asio::io_context& io, GatewayOptions options, service::Services services, hub::Hub& hub);
  ~Gateway();

  // Reads the TLS certificate when there is one, binds and starts accepting. Returns the bound
  // port (useful with port 0).
  [[nodiscard]] Result<unsigned short> start();
  // Reads the TLS certificate and key again for the connections accepted from now on; those
  // open keep theirs. On failure, the certificate in use stays. Without TLS, does nothing.
  Result<void> reload_certificate();
  // Stops accepting connections and new requests; what was already accepted runs to its end.
  void stop_accepting();
  // Closes every WebSocket with 1001 once its queued frames are sent.
  void close_connections();

 private:
  // Every period, this node's Realtime presences are announced to the other nodes again, and
  // theirs that went unannounced for three periods leave (realtime/topic_registry.hpp).
  void refresh_realtime_presence();

  boost::asio::io_context& io_;
  std::shared_ptr<GatewayContext> context_;
  std::shared_ptr<Listener> listener_;
  std::unique_ptr<boost::asio::steady_timer> presence_timer_;
};

}  // namespace parley::gateway
