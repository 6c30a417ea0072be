#pragma once
// What every session of the gateway shares.
#include <atomic>
#include <cstdint>

#include "server/gateway/gateway_options.hpp"
#include "server/gateway/handoff.hpp"
#include "server/gateway/keepalive.hpp"
#include "server/gateway/operations.hpp"
#include "server/gateway/origin_policy.hpp"
#include "server/gateway/realtime/topic_registry.hpp"
#include "server/gateway/sign_in_limits.hpp"
#include "server/gateway/static_files.hpp"
#include "server/gateway/tls/server_certificate.hpp"
#include "server/hub/hub.hpp"

namespace parley::gateway {

struct GatewayContext {
  GatewayOptions options;
  Operations operations;
  hub::Hub& hub;
  // Connection ids start at a random point so that ids from different nodes do not collide.
  std::atomic<std::uint64_t> next_connection_id;
  std::atomic<bool> stopping{false};
  StaticFiles web;
  Keepalive keepalive;
  Handoff handoff;
  SignInLimits sign_in;
  OriginPolicy origins;
  // Supabase Realtime channels joined on this node, for broadcast and presence.
  realtime::TopicRegistry realtime_topics;
  // Set when the port speaks TLS (--tls-cert, --tls-key); null for plain HTTP.
  std::shared_ptr<tls::ServerCertificate> certificate;
};

}  // namespace parley::gateway
