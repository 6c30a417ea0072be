#pragma once
// The server's counters, gauges and latency histograms, read by GET /metrics in Prometheus'
// text format. Lock-free: recording is an atomic add, cheap enough for every message.
#include <array>
#include <atomic>
#include <functional>
#include <chrono>
#include <cstdint>
#include <string>

namespace parley::metrics {

class Counter {
 public:
  void add(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void add(std::int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  [[nodiscard]] std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// Fixed buckets from 50 µs to 1 s: the range where a messaging server's latencies matter.
class LatencyHistogram {
 public:
  static constexpr std::array<double, 14> kBounds{0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                  0.01,    0.025,  0.05,    0.1,    0.25,  0.5,   1.0};
  void observe(std::chrono::nanoseconds elapsed);
  [[nodiscard]] std::string render(const std::string& name, const std::string& help) const;

 private:
  std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> buckets_{};  // the last is +Inf
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_ns_{0};
};

struct ServerMetrics {
  Gauge connections;              // open WebSocket connections
  Counter messages_committed;     // messages stored (duplicates excluded)
  Counter frames_sent;            // WebSocket frames written
  Counter commit_batches;         // write transactions committed
  Counter commit_jobs;            // operations committed in them
  LatencyHistogram commit_seconds;  // one batch: begin to commit returned (includes the disk sync)
  LatencyHistogram ack_seconds;     // messages.send: frame read until the reply is queued
  Counter slow_consumers_dropped;  // connections closed because their send queue was full
  Gauge send_queue_frames;        // frames waiting in all send queues
  Counter uploads_stored;         // uploads received and recorded
  Counter uploads_removed;        // unreferenced uploads removed by the sweeper
  Counter bus_published;          // events this node sent to the other nodes
  Counter bus_received;           // events this node received from the other nodes
  Counter bus_undecodable;        // messages from the bus this node could not read, dropped
  Gauge cluster_nodes;            // other nodes heard from within the time to live
  Counter bus_reconnects;         // times the connection to NATS came back after a break
  Counter bus_troubles;           // times events may have been lost (break, slow consumer, node death)
  Counter stream_gaps;            // times a room's messages arrived with a gap and were held back
  Counter stream_repaired;        // messages delivered from the store because the bus had not brought them
  Counter store_unavailable;      // store operations failed because the store could not be reached
  Counter store_failed;           // store operations failed for another reason (internal)
  Counter pushes_sent;            // push notifications a push gateway or service accepted
  Counter pushes_failed;          // attempts at a push notification that failed (each retry counts)
  Counter pushes_dropped;         // notifications given up: attempts ran out, or the target was gone
  Counter pushes_coalesced;       // notifications replaced, before they went, by a newer one for the same device and room
  // Bytes the store's embedded database holds on the heap (its page caches), read at each
  // scrape; unset without one. Lets the heap figure be split into the database and the rest.
  std::function<std::int64_t()> database_heap_bytes;

  [[nodiscard]] std::string render() const;
};

// The process's metrics.
ServerMetrics& server();

}  // namespace parley::metrics
