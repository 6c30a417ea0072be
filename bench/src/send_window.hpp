// Sends many requests on one connection as fast as a window of requests in flight allows, and
// counts the answers: for scenarios that fill the store before they measure.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <functional>

#include "loop.hpp"
#include "ws_client.hpp"

namespace parley::bench {

struct SendTally {
  std::int64_t ok = 0;
  std::int64_t failed = 0;
};

// Requests frame_of(0) .. frame_of(count - 1) in order with at most `window` unanswered, and
// runs the loop until all are answered or `timeout` passes.
inline SendTally send_windowed(Loop& loop, WsConn& conn, std::int64_t count, int window,
                               const std::function<boost::json::object(std::int64_t)>& frame_of,
                               std::chrono::seconds timeout = std::chrono::seconds(3600)) {
  SendTally tally;
  std::int64_t next = 0;
  std::function<void()> send_more = [&] {
    while (next < count && next - tally.ok - tally.failed < window) {
      conn.request(frame_of(next++), [&](const boost::json::object& r) {
        ++(r.at("ok") == true ? tally.ok : tally.failed);
        send_more();
      });
    }
  };
  send_more();
  loop.run_until([&] { return tally.ok + tally.failed == count; }, timeout);
  return tally;
}

}  // namespace parley::bench
