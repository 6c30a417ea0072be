// The server's Prometheus metrics (GET /metrics, text exposition format), scraped before and
// after a scenario so that its own figures sit beside the server's counters.
#pragma once

#include <boost/json/value.hpp>

#include <map>
#include <optional>
#include <string>

namespace parley::bench {

struct MetricsSnapshot {
  std::map<std::string, double> samples;     // "name{labels}" -> value, as exposed
  std::map<std::string, std::string> types;  // family -> counter, gauge, histogram, ...
};

// nullopt when the server has no /metrics (or it does not answer 200).
[[nodiscard]] std::optional<MetricsSnapshot> scrape_metrics(const std::string& host, unsigned short port);

// Counters and histogram series as raw deltas (after - before), gauges as their value after;
// null when either scrape is missing.
[[nodiscard]] boost::json::value metrics_delta(const std::optional<MetricsSnapshot>& before,
                                               const std::optional<MetricsSnapshot>& after);

// One counter's delta (summed over its label sets), or nullopt.
[[nodiscard]] std::optional<double> counter_delta(const std::optional<MetricsSnapshot>& before,
                                                  const std::optional<MetricsSnapshot>& after,
                                                  const std::string& name);

}  // namespace parley::bench
