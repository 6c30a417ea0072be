// What a scenario found: a table printed for people and a JSON file in the results directory
// holding the exact command, the machine, the server's settings, the parameters, the figures,
// the correctness checks and the server's metric deltas.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <vector>

#include "histogram.hpp"

namespace parley::bench {

class ServerProcess;

class Report {
 public:
  Report(std::string scenario, std::string command);

  boost::json::object& parameters() { return parameters_; }
  boost::json::object& figures() { return figures_; }

  // A figure in the JSON and a row of the table.
  void figure(const std::string& key, double value, const std::string& unit);
  void figure(const std::string& key, const std::string& text);
  // Latencies in µs under `key`, and a table row in milliseconds.
  void latency(const std::string& key, const Histogram& h);
  // A correctness check; any failed check fails the scenario (and the smoke test).
  void check(const std::string& name, bool ok, const std::string& detail);
  [[nodiscard]] bool passed() const;

  void server(const ServerProcess& server);
  void metrics(boost::json::value delta) { metrics_ = std::move(delta); }

  void print() const;
  // Writes <dir>/<scenario>-<date>.json and returns its path.
  std::string write(const std::string& dir) const;

 private:
  std::string scenario_;
  std::string command_;
  boost::json::object parameters_;
  boost::json::object figures_;
  boost::json::object server_;
  boost::json::array checks_;
  boost::json::value metrics_;
  std::vector<std::pair<std::string, std::string>> rows_;
  bool passed_ = true;
};

[[nodiscard]] boost::json::object latency_json(const Histogram& h);

}  // namespace parley::bench
