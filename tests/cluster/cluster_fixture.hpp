#pragma once
// Three parleyd nodes on one PostgreSQL database and one NATS server, as a deployment behind a
// load balancer runs them; each test gets a database and a NATS of its own.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "support/fixtures.hpp"
#include "support/nats_test_server.hpp"
#include "support/postgres_test_database.hpp"

namespace parley::test {

class ClusterTest : public ::testing::Test {
 protected:
  static constexpr int kNodes = 3;

  void SetUp() override;
  void TearDown() override;

  [[nodiscard]] TestServer& node(int i) { return *nodes_.at(static_cast<std::size_t>(i)); }

 private:
  [[nodiscard]] std::unique_ptr<TestServer> start_node();

  // Declared first so that they outlive the nodes that use them.
  std::unique_ptr<PostgresTestDatabase> database_;
  std::unique_ptr<NatsTestServer> nats_;
  std::filesystem::path shared_dir_;  // the signing key and the uploaded files every node shares
  std::vector<std::unique_ptr<TestServer>> nodes_;
};

// The seq of every `message` event of `room` that `ws` holds or receives within a quiet window.
[[nodiscard]] std::vector<std::int64_t> message_seqs(WsClient& ws, std::int64_t room);

// The `message` events of `room` that `ws` receives until it holds `distinct` different seqs,
// then whatever more arrives within a quiet window: duplicates show up as repeated seqs.
[[nodiscard]] std::vector<std::int64_t> receive_seqs(WsClient& ws, std::int64_t room, std::size_t distinct);

}  // namespace parley::test
