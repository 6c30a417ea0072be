#pragma once
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "server/gateway/sign_in_limits.hpp"

namespace parley::gateway {

struct GatewayOptions {
  std::string host = "0.0.0.0";
  unsigned short port = 8080;
  std::size_t max_body_bytes = 1 << 20;
  // An upload's body (POST /v1/uploads) is streamed to disk, never held in memory, so its limit
  // is about disk space and transfer time, not memory.
  std::size_t max_upload_bytes = std::size_t{100} << 20;
  std::size_t max_frame_bytes = 64 << 10;
  // Frames between the limit and this many times it are read and refused with an error, so the
  // connection survives a client's mistake; larger ones cost too much to read and close it.
  std::size_t frame_hard_cap_factor = 16;
  double rate_per_second = 100;
  double rate_burst = 200;
  SignInLimitSettings sign_in;
  std::chrono::seconds ping_timeout{30};
  std::chrono::seconds auth_timeout{10};
  std::chrono::seconds http_read_timeout{30};
  // Frames queued for one WebSocket. A client that falls this far behind is disconnected
  // (close 4008) and catches up through history: one slow reader never costs the server
  // unbounded memory nor slows the others.
  std::size_t send_queue_frames = 4096;
  // The same limit in bytes, since frames vary from a typing event's 60 bytes to a history
  // page's megabyte or more. A frame that would take a non-empty queue past it closes the
  // connection with 4008; an empty queue takes any one frame, so a large reply still goes.
  // Over half of it the connection's requests are no longer read (its replies would only add
  // to the queue) until the queue is down to a quarter.
  std::size_t send_queue_bytes = std::size_t{8} << 20;
  // Other sites' pages that may use this server from a browser (origin_policy.hpp).
  std::vector<std::string> allowed_origins;
  // PEM files: with both set, the port speaks TLS only (HTTPS and WSS); with neither, plain.
  std::string tls_certificate;
  std::string tls_key;
  // Supabase Realtime connections (docs/supabase.md): the reference server's defaults. Over a
  // limit the request is refused with the reference server's words; the connection stays.
  struct RealtimeLimits {
    std::size_t channels_per_connection = 100;
    double joins_per_second = 100;
    double events_per_second = 100;
    // Presence track and untrack calls: 5 in any 30 seconds.
    double presence_calls_per_window = 5;
    std::chrono::seconds presence_window{30};
    // Live rows one connection holds, in bytes, while its channels read rooms from the store;
    // past it they are dropped, and read from the store when the read ends.
    std::size_t held_bytes = 1 << 20;
  } realtime;
  // The web client's files, served at /. Empty or missing: no web client.
  std::string web_dir = "./web";
};

}  // namespace parley::gateway
