// What every scenario starts from: a server (started fresh or given), users registered over
// HTTP, rooms, WebSocket connections spread over loopback source addresses, and at the end
// the server's metrics and a written report.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "histogram.hpp"
#include "loop.hpp"
#include "metrics.hpp"
#include "report.hpp"
#include "server_process.hpp"
#include "ws_client.hpp"

namespace parley::bench {

struct CommonOptions {
  ServerOptions server;
  std::string results_dir = "bench/results";
  bool record = true;              // write the JSON report
  int source_addresses = 0;        // 127.0.0.1 .. 127.0.0.N; 0: as many as the ports need
  int connect_concurrency = 200;   // connection attempts in flight at once
  int http_parallel = 8;           // setup requests in flight at once
  std::string command;             // the exact command line, for the report
  // More nodes of the cluster --server belongs to (http://HOST:PORT each): WebSocket
  // connections are spread over all of them in turn, so that messages cross nodes. Setup and
  // metrics stay on --server.
  std::vector<std::string> other_nodes;
};

// Every user the bench registers shares one password; it only has to pass validation.
inline constexpr const char* kBenchPassword = "bench-password-1";

struct Account {
  std::int64_t id = 0;
  std::string username;
  std::string token;
};

struct ConnectResult {
  int ok = 0;
  int failed = 0;
  std::string first_error;
  double seconds = 0;    // from the first attempt until the last connection was ready
  Histogram latency;     // per connection: TCP connect + upgrade + authentication, µs
};

class Env {
 public:
  Env(CommonOptions options, std::string scenario);
  ~Env();

  // Starts (or reaches) the server and scrapes its metrics for the "before" side.
  void start();
  // Scrapes metrics again, stops a server the bench started, prints the report and writes it.
  // Returns whether every check passed.
  bool finish();
  // Takes the "after" metrics now, while the load's connections are still open (gauges such
  // as parley_connections mean something then); finish() scrapes itself otherwise.
  void take_metrics_after() { metrics_after_ = scrape(); metrics_after_taken_ = true; }

  [[nodiscard]] std::vector<Account> register_users(int count);
  // A group owned by members[0] holding all of `members`; beyond the 256 a new group may start
  // with, the rest are added one by one.
  [[nodiscard]] std::int64_t create_group(const std::vector<Account>& members);
  // Many groups at once, in parallel; groups[i] lists indices into `accounts`.
  [[nodiscard]] std::vector<std::int64_t> create_groups(const std::vector<Account>& accounts,
                                                        const std::vector<std::vector<int>>& groups);
  // The direct room of each pair (accounts[2i], accounts[2i+1]), in parallel.
  [[nodiscard]] std::vector<std::int64_t> direct_rooms(const std::vector<Account>& accounts);

  // Opens conns[i] for accounts[i] for every i in `which` (all when empty), at most
  // connect_concurrency at a time; prepare(i, conn) runs before each connects so that its
  // handlers see the first events. Returns when all are ready or failed, or after `timeout`.
  using Prepare = std::function<void(int index, WsConn& conn)>;
  ConnectResult connect(const std::vector<Account>& accounts, std::vector<std::unique_ptr<WsConn>>& conns,
                        const Prepare& prepare, std::vector<int> which = {},
                        std::chrono::milliseconds timeout = std::chrono::seconds(120));

  [[nodiscard]] std::optional<long> server_rss_kib() const { return server.rss_kib(); }
  [[nodiscard]] std::optional<double> server_cpu_seconds() const { return server.cpu_seconds(); }
  [[nodiscard]] std::optional<MetricsSnapshot> scrape() const { return scrape_metrics(server.host(), server.port()); }
  // Whether the server under test is still up; a crash is reported as a failed check.
  bool check_server_alive();

  const CommonOptions options;
  Loop loop;
  ServerProcess server;
  // --server and the other nodes, as host and port: where connection `i` goes is i % size.
  std::vector<std::pair<std::string, unsigned short>> nodes;
  Report report;

 private:
  [[nodiscard]] std::string source_address(int index, int total) const;

  std::string scenario_;
  std::string user_prefix_;
  int registered_ = 0;  // users register_users made so far: the next is numbered from here
  std::optional<MetricsSnapshot> metrics_before_;
  std::optional<MetricsSnapshot> metrics_after_;
  bool metrics_after_taken_ = false;
  bool started_ = false;
};

// The JSON text of a message: the scheduled send time, read back by receivers to measure.
[[nodiscard]] std::string stamp_text(std::int64_t scheduled_ns);
// 0 when the text is not a stamp.
[[nodiscard]] std::int64_t read_stamp(std::string_view text);

}  // namespace parley::bench
