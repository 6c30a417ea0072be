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
#include "support/postgres_test_server.hpp"

namespace parley::test {

class ClusterTest : public ::testing::Test {
 protected:
  static constexpr int kNodes = 3;

  void SetUp() override;
  void TearDown() override;

  [[nodiscard]] TestServer& node(int i) { return *nodes_.at(static_cast<std::size_t>(i)); }
  [[nodiscard]] NatsTestServer& nats() { return *nats_; }
  // The PostgreSQL server of this test alone, for a test that stops it; see own_postgres().
  [[nodiscard]] PostgresTestServer& postgres() { return *own_postgres_; }
  // One more node, beside the three, started with `extra_flags` as well.
  [[nodiscard]] std::unique_ptr<TestServer> start_node(std::vector<std::string> extra_flags = {});

  // True: the nodes share a PostgreSQL server started for this test, which it may stop,
  // rather than the run's shared one.
  [[nodiscard]] virtual bool own_postgres() const { return false; }

 private:
  // Declared first so that they outlive the nodes that use them.
  std::unique_ptr<PostgresTestServer> own_postgres_;
  std::unique_ptr<PostgresTestDatabase> database_;
  std::unique_ptr<NatsTestServer> nats_;
  std::filesystem::path shared_dir_;  // the signing key and the uploaded files every node shares
  std::vector<std::unique_ptr<TestServer>> nodes_;
};

// first, first + 1, ..., last
[[nodiscard]] std::vector<std::int64_t> seqs_from(std::int64_t first, std::int64_t last);
// Each after the one before: in order, and none twice.
[[nodiscard]] bool strictly_increasing(const std::vector<std::int64_t>& seqs);
// "1 2 3 ", for failure messages.
[[nodiscard]] std::string listed(const std::vector<std::int64_t>& seqs);
// A `presence` event of `user` saying `online`.
[[nodiscard]] bool is_online_presence(const Event& e, std::int64_t user, bool online);

// The seq of every `message` event of `room` that `ws` holds or receives within a quiet window.
[[nodiscard]] std::vector<std::int64_t> message_seqs(WsClient& ws, std::int64_t room);

// The `message` events of `room` that `ws` receives until it holds `distinct` different seqs,
// then whatever more arrives within a quiet window: duplicates show up as repeated seqs.
[[nodiscard]] std::vector<std::int64_t> receive_seqs(WsClient& ws, std::int64_t room, std::size_t distinct);

}  // namespace parley::test
