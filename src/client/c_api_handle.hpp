#pragma once
// What a parley_client handle is: a parley::Client, the threads that run its requests, and the
// stream of updates and answers the app receives.
#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>

#include <parley/client.hpp>

#include "client/c_api_dispatch.hpp"
#include "client/c_api_options.hpp"
#include "client/c_api_update_queue.hpp"
#include "client/c_api_workers.hpp"

struct parley_client {
  // Requests run by threads of the `any` lane at once. Four keep a few slow calls (a download, a
  // wait_online) from holding up the rest, without a thread per request.
  static constexpr std::size_t kRequestThreads = 4;
  // Requests waiting for a thread; beyond this, send answers rate_limited (Workers).
  static constexpr std::size_t kMaxQueuedRequests = 1000;

  [[nodiscard]] static parley::Result<std::unique_ptr<parley_client>> open(parley::c_api::OpenOptions options);
  explicit parley_client(std::size_t max_update_bytes) : updates(max_update_bytes) {}

  void send(const char* request_json);
  [[nodiscard]] std::string execute(const char* request_json);
  [[nodiscard]] std::optional<std::string> receive(double timeout_seconds);

  // Declared first, destroyed last: the client's own thread pushes updates until it stops.
  parley::c_api::UpdateQueue updates;
  std::unique_ptr<parley::Client> client;
  // Declared last, destroyed first: running requests use the client.
  parley::c_api::Workers workers{kRequestThreads, kMaxQueuedRequests};

 private:
  void push(const boost::json::object& update);
  [[nodiscard]] parley::c_api::RequestContext context_for(const parley::c_api::Request& request);
  [[nodiscard]] static parley::c_api::Workers::Lane lane_of(const parley::c_api::Request& request);
  // After updates were lost: the connection state and every local room again.
  void announce_state();
};
