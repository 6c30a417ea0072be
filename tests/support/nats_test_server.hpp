#pragma once
// A real nats-server for a test of several parleyd nodes: a free loopback port, its log in a
// temporary directory, a child of the test that dies with it (child_process.hpp).
//
// Construction returns once the port accepts connections; a server that exits or never listens
// throws with its log. Create it on the thread that will destroy it.
#include "support/child_process.hpp"

#include <filesystem>
#include <string>

namespace parley::test {

class NatsTestServer {
 public:
  NatsTestServer();
  ~NatsTestServer();  // stops the server and deletes its directory
  NatsTestServer(const NatsTestServer&) = delete;
  NatsTestServer& operator=(const NatsTestServer&) = delete;

  // "nats://127.0.0.1:PORT", for parleyd's bus option.
  [[nodiscard]] std::string url() const;
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] bool running() const { return process_.running(); }

  // SIGTERM, then wait; killed after a bounded wait. Its exit status, as a shell reports it.
  int stop();
  // SIGKILL, then wait: the bus vanishes without a goodbye.
  void kill();
  // Starts again on the same port, stopping it first if it runs: clients reconnect to the
  // address they know.
  void restart();

  // Everything the server wrote so far, across restarts.
  [[nodiscard]] std::string log() const;

 private:
  void start();  // spawn and wait until the port accepts; throws on failure
  [[nodiscard]] bool spawn_and_wait_listening(std::string& failure);

  std::filesystem::path program_;
  std::filesystem::path directory_;
  std::filesystem::path log_path_;
  int port_ = 0;
  bool started_once_ = false;
  ChildProcess process_;
};

}  // namespace parley::test
