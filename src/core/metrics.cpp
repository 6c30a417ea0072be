#include "core/metrics.hpp"

#include <cstdio>
#include <malloc.h>

#include <string>

namespace parley::metrics {
namespace {

std::string line(const std::string& name, const std::string& help, const char* type, double value) {
  char number[64];
  std::snprintf(number, sizeof number, "%.17g", value);
  return "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " + number + "\n";
}

}  // namespace

void LatencyHistogram::observe(std::chrono::nanoseconds elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  std::size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(elapsed.count()), std::memory_order_relaxed);
}

std::string LatencyHistogram::render(const std::string& name, const std::string& help) const {
  std::string out = "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
  std::uint64_t cumulative = 0;
  char buf[128];
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    if (i < kBounds.size())
      std::snprintf(buf, sizeof buf, "%s_bucket{le=\"%g\"} %llu\n", name.c_str(), kBounds[i],
                    static_cast<unsigned long long>(cumulative));
    else
      std::snprintf(buf, sizeof buf, "%s_bucket{le=\"+Inf\"} %llu\n", name.c_str(),
                    static_cast<unsigned long long>(cumulative));
    out += buf;
  }
  std::snprintf(buf, sizeof buf, "%s_sum %.9f\n%s_count %llu\n", name.c_str(),
                static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9, name.c_str(),
                static_cast<unsigned long long>(count_.load(std::memory_order_relaxed)));
  return out + buf;
}

std::string ServerMetrics::render() const {
  std::string out;
  out += line("parley_connections", "Open WebSocket connections.", "gauge", static_cast<double>(connections.value()));
  out += line("parley_messages_committed_total", "Messages stored (repeated sends excluded).", "counter",
              static_cast<double>(messages_committed.value()));
  out += line("parley_frames_sent_total", "WebSocket frames written.", "counter", static_cast<double>(frames_sent.value()));
  out += line("parley_commit_batches_total", "Write transactions committed (group commits).", "counter",
              static_cast<double>(commit_batches.value()));
  out += line("parley_commit_jobs_total", "Operations committed in those transactions.", "counter",
              static_cast<double>(commit_jobs.value()));
  out += commit_seconds.render("parley_commit_seconds", "Time to run and commit one batch, disk sync included.");
  out += ack_seconds.render("parley_ack_seconds", "messages.send: from reading the frame to queueing the acknowledgement.");
  out += line("parley_slow_consumers_dropped_total", "Connections closed because their send queue was full.", "counter",
              static_cast<double>(slow_consumers_dropped.value()));
  out += line("parley_send_queue_frames", "Frames waiting in all WebSocket send queues.", "gauge",
              static_cast<double>(send_queue_frames.value()));
  out += line("parley_uploads_stored_total", "Uploads received and recorded.", "counter",
              static_cast<double>(uploads_stored.value()));
  out += line("parley_uploads_removed_total", "Unreferenced uploads removed after their time to live.", "counter",
              static_cast<double>(uploads_removed.value()));
  out += line("parley_bus_published_total", "Events sent to the other nodes.", "counter",
              static_cast<double>(bus_published.value()));
  out += line("parley_bus_received_total", "Events received from the other nodes.", "counter",
              static_cast<double>(bus_received.value()));
  out += line("parley_bus_undecodable_total", "Bus messages that could not be read and were dropped.", "counter",
              static_cast<double>(bus_undecodable.value()));
  out += line("parley_cluster_nodes", "Other nodes heard from within the time to live.", "gauge",
              static_cast<double>(cluster_nodes.value()));
  out += line("parley_bus_reconnects_total", "Times the connection to the bus came back after a break.", "counter",
              static_cast<double>(bus_reconnects.value()));
  out += line("parley_bus_troubles_total",
              "Times events may have been lost on the bus (a break, a slow consumer, a node that died).", "counter",
              static_cast<double>(bus_troubles.value()));
  out += line("parley_stream_gaps_total", "Times a room's messages arrived with a gap and were held back.",
              "counter", static_cast<double>(stream_gaps.value()));
  out += line("parley_stream_repaired_total",
              "Messages delivered from the store because the bus had not brought them.", "counter",
              static_cast<double>(stream_repaired.value()));
  out += line("parley_pushes_sent_total", "Push notifications a push gateway or push service accepted.", "counter",
              static_cast<double>(pushes_sent.value()));
  out += line("parley_pushes_failed_total",
              "Attempts at a push notification that failed (refused, timed out, an error answer); each retry counts.",
              "counter", static_cast<double>(pushes_failed.value()));
  out += line("parley_pushes_dropped_total",
              "Push notifications given up: their attempts ran out, or their target was gone or not available.",
              "counter", static_cast<double>(pushes_dropped.value()));
  out += line("parley_pushes_coalesced_total",
              "Push notifications replaced, before they went, by a newer one for the same device and room.", "counter",
              static_cast<double>(pushes_coalesced.value()));
  // One metric with a label per kind, so the line helper (one unlabelled sample) does not fit.
  out += "# HELP parley_store_errors_total Store operations that failed, by kind: unavailable (the store out "
         "of reach) or internal (another fault).\n# TYPE parley_store_errors_total counter\n";
  out += "parley_store_errors_total{kind=\"unavailable\"} " + std::to_string(store_unavailable.value()) + "\n";
  out += "parley_store_errors_total{kind=\"internal\"} " + std::to_string(store_failed.value()) + "\n";
  // glibc's own count of the bytes handed out and not yet freed: unlike RSS, it leaves out
  // memory freed but kept by the allocator, so it shows what live objects cost.
  const struct mallinfo2 heap = mallinfo2();
  out += line("parley_heap_bytes", "Heap bytes in use (allocated and not freed), database included.", "gauge",
              static_cast<double>(heap.uordblks + heap.hblkhd));
  if (database_heap_bytes)
    out += line("parley_database_heap_bytes", "Heap bytes in use by the embedded database (SQLite's caches).", "gauge",
                static_cast<double>(database_heap_bytes()));
  return out;
}

ServerMetrics& server() {
  static ServerMetrics instance;
  return instance;
}

}  // namespace parley::metrics
