#include "cluster/cluster_fixture.hpp"

#include <algorithm>
#include <functional>
#include <numeric>
#include <set>
#include <stdlib.h>

#include "support/live_state_fixtures.hpp"
#include "support/shared_postgres.hpp"

namespace parley::test {

void ClusterTest::SetUp() {
  if (own_postgres()) own_postgres_ = std::make_unique<PostgresTestServer>();
  database_ = std::make_unique<PostgresTestDatabase>(own_postgres_ ? own_postgres_->admin_uri() : postgres_admin_uri());
  nats_ = std::make_unique<NatsTestServer>();
  std::string pattern = (std::filesystem::temp_directory_path() / "parley-cluster-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  shared_dir_ = pattern;
  for (int i = 0; i < kNodes; ++i) nodes_.push_back(start_node());
}

void ClusterTest::TearDown() {
  nodes_.clear();
  nats_.reset();
  database_.reset();
  own_postgres_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(shared_dir_, ignored);
}

std::unique_ptr<TestServer> ClusterTest::start_node(std::vector<std::string> extra_flags) {
  TestServerOptions options;
  options.store_uri = database_->uri();
  // A short heartbeat and time to live, so that a dead node's users go offline soon in a test.
  options.extra_flags = {"--bus",
                         nats_->url(),
                         "--signing-key-file",
                         (shared_dir_ / "signing.key").string(),
                         "--blob-dir",
                         (shared_dir_ / "blobs").string(),
                         "--cluster-heartbeat-ms",
                         "200",
                         "--cluster-node-ttl-ms",
                         "1500"};
  options.extra_flags.insert(options.extra_flags.end(), extra_flags.begin(), extra_flags.end());
  return std::make_unique<TestServer>(options);
}

namespace {

std::function<bool(const Event&)> is_message_of(std::int64_t room) {
  return [room](const Event& e) {
    if (e.name != "message") return false;
    const auto* m = e.data.if_contains("message");
    return m && m->is_object() && m->get_object().at("room_id") == room;
  };
}

std::int64_t seq_of(const Event& e) { return e.data.at("message").at("seq").to_number<std::int64_t>(); }

}  // namespace

std::vector<std::int64_t> seqs_from(std::int64_t first, std::int64_t last) {
  std::vector<std::int64_t> out(static_cast<std::size_t>(std::max<std::int64_t>(0, last - first + 1)));
  std::iota(out.begin(), out.end(), first);
  return out;
}

bool strictly_increasing(const std::vector<std::int64_t>& seqs) {
  return std::adjacent_find(seqs.begin(), seqs.end(), std::greater_equal<>()) == seqs.end();
}

std::string listed(const std::vector<std::int64_t>& seqs) {
  std::string out;
  for (std::int64_t s : seqs) out += std::to_string(s) + " ";
  return out;
}

bool is_online_presence(const Event& e, std::int64_t user, bool online) {
  return is_presence_of(e, user) && e.data.at("online").as_bool() == online;
}

std::vector<std::int64_t> message_seqs(WsClient& ws, std::int64_t room) {
  std::vector<std::int64_t> seqs;
  for (const Event& e : collect_events(ws, is_message_of(room))) seqs.push_back(seq_of(e));
  return seqs;
}

std::vector<std::int64_t> receive_seqs(WsClient& ws, std::int64_t room, std::size_t distinct) {
  std::vector<std::int64_t> seqs;
  std::set<std::int64_t> seen;
  while (seen.size() < distinct) {
    seqs.push_back(seq_of(ws.wait_event(is_message_of(room))));
    seen.insert(seqs.back());
  }
  for (std::int64_t seq : message_seqs(ws, room)) seqs.push_back(seq);
  return seqs;
}

}  // namespace parley::test
