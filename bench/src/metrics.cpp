#include "metrics.hpp"

#include "http_client.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <sstream>

namespace parley::bench {
namespace {

// The family a sample belongs to: histogram series carry suffixes after the family name.
std::string family_of(const std::string& name, const std::map<std::string, std::string>& types) {
  if (types.contains(name)) return name;
  for (const char* suffix : {"_bucket", "_sum", "_count", "_total", "_created"}) {
    std::string_view s(suffix);
    if (name.size() > s.size() && name.ends_with(s)) {
      std::string base = name.substr(0, name.size() - s.size());
      if (types.contains(base)) return base;
    }
  }
  return name;
}

std::string metric_name(const std::string& key) { return key.substr(0, key.find('{')); }

}  // namespace

std::optional<MetricsSnapshot> scrape_metrics(const std::string& host, unsigned short port) {
  HttpClient client(host, port);
  auto res = client.request("GET", "/metrics", {}, {}, std::chrono::seconds(10));
  if (res.status != 200) return std::nullopt;
  MetricsSnapshot snap;
  std::istringstream in(res.body);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line.starts_with("# TYPE ")) {
      std::istringstream t(line.substr(7));
      std::string family, type;
      t >> family >> type;
      snap.types[family] = type;
      continue;
    }
    if (line[0] == '#') continue;
    // name{labels} value [timestamp]; label values may hold spaces, so split after the '}'.
    const auto close = line.find('}');
    const auto sep = line.find(' ', close == std::string::npos ? 0 : close);
    if (sep == std::string::npos) continue;
    std::string key = line.substr(0, sep);
    std::string value = line.substr(sep + 1);
    value = value.substr(0, value.find(' '));
    try {
      snap.samples[key] = std::stod(value);  // handles +Inf, NaN
    } catch (...) {
    }
  }
  return snap;
}

boost::json::value metrics_delta(const std::optional<MetricsSnapshot>& before, const std::optional<MetricsSnapshot>& after) {
  if (!before || !after) return nullptr;
  boost::json::object deltas, gauges;
  for (const auto& [key, value] : after->samples) {
    const std::string family = family_of(metric_name(key), after->types);
    auto type = after->types.contains(family) ? after->types.at(family) : std::string("untyped");
    if (type == "gauge") {
      gauges[key] = value;
    } else {
      auto it = before->samples.find(key);
      deltas[key] = value - (it == before->samples.end() ? 0.0 : it->second);
    }
  }
  return boost::json::object{{"deltas", std::move(deltas)}, {"gauges_after", std::move(gauges)}};
}

std::optional<double> counter_delta(const std::optional<MetricsSnapshot>& before, const std::optional<MetricsSnapshot>& after,
                                    const std::string& name) {
  if (!before || !after) return std::nullopt;
  double sum = 0;
  bool found = false;
  for (const auto& [key, value] : after->samples) {
    if (metric_name(key) != name) continue;
    found = true;
    auto it = before->samples.find(key);
    sum += value - (it == before->samples.end() ? 0.0 : it->second);
  }
  return found ? std::optional<double>(sum) : std::nullopt;
}

}  // namespace parley::bench
