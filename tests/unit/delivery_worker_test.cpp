// The delivery worker and the deliveries service over a real SQLite store, with a transport the
// test scripts: attempts until they run out, then `failed`; listing shows the outcome; a
// redelivery sends the same delivery (same webhook-id) again.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include <boost/json/parse.hpp>

#include "server/service/committed.hpp"
#include "server/service/delivery_worker.hpp"
#include "server/service/integration_events.hpp"
#include "server/service/read_pool.hpp"
#include "server/service/webhook_deliveries_service.hpp"
#include "server/service/webhook_sender.hpp"
#include "server/service/webhook_signature.hpp"
#include "scratch_sqlite_store.hpp"

namespace parley::service {
namespace {

using namespace std::chrono_literals;
constexpr std::string_view kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view kUrl = "http://127.0.0.1:9/hook";

// Answers every post with `status`, on a thread of its own as a real transport does.
class ScriptedTransport {
 public:
  ScriptedTransport() : thread_([this] { run(); }) {}
  ~ScriptedTransport() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  std::atomic<int> status{500};

  WebhookTransport transport() {
    return [this](WebhookPost post, std::function<void(Result<int>)> done) {
      std::lock_guard lock(mutex_);
      posts_.push_back(post);
      queue_.push_back(std::move(done));
      wake_.notify_one();
    };
  }
  std::vector<WebhookPost> posts() {
    std::lock_guard lock(mutex_);
    return posts_;
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      auto done = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      done(status.load());
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void(Result<int>)>> queue_;
  std::vector<WebhookPost> posts_;
  bool stopping_ = false;
  std::thread thread_;
};

template <class T>
T wait_for(std::function<void(Done<T>)> start) {
  std::promise<Result<T>> promise;
  start([&promise](Result<T> r) { promise.set_value(std::move(r)); });
  auto result = promise.get_future().get();
  if (!result) throw std::runtime_error(result.error().message);
  return std::move(*result);
}

class DeliveryWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    writes_ = std::make_unique<WriteQueue>(store_.open_session(), WriteQueue::Limits{});
    std::vector<std::unique_ptr<store::StoreSession>> readers;
    readers.push_back(store_.open_session());
    reads_ = std::make_unique<ReadPool>(std::move(readers));
    auto key = decode_webhook_secret(kSecret);
    ASSERT_TRUE(key);
    outbox_ = std::make_unique<WebhookOutbox>(
        std::vector<WebhookEndpoint>{{.url = std::string(kUrl), .events = {"user.created"}, .key = *key}});
    sender_ = std::make_unique<WebhookSender>(*outbox_, transport_->transport());
    worker_ = std::make_unique<DeliveryWorker>(*writes_, *sender_,
                                               DeliveryWorker::Limits{.max_attempts = 3,
                                                                      .first_retry = 1ms,
                                                                      .max_retry = 2ms,
                                                                      .poll = 5ms});
    deliveries_ = std::make_unique<WebhookDeliveriesService>(*writes_, *reads_, [this] { worker_->wake(); });
  }
  void TearDown() override {
    if (worker_) worker_->stop();
    transport_.reset();  // no answer comes after this
    if (writes_) writes_->stop();
    if (reads_) reads_->stop();
    worker_.reset();
  }

  // Writes a user.created through the outbox, as a service's transaction does.
  void record_event() {
    wait_for<int>([this](Done<int> done) {
      writes_->submit<int>(
          [this](store::StoreSession& session) -> Result<int> {
            PendingEvents events;
            events.integration(user_created(domain::User{.id = UserId(7), .username = "ada", .display_name = "Ada"}));
            PARLEY_TRY(written, outbox_->record(session, events));
            return static_cast<int>(written);
          },
          std::move(done));
    });
  }

  // The newest delivery once `status` holds for it (bounded: a stuck worker fails the test).
  domain::Delivery wait_status(domain::DeliveryStatus status) {
    for (int i = 0; i < 6000; ++i) {
      auto page = wait_for<DeliveryPage>([this](Done<DeliveryPage> done) { deliveries_->list(0, 0, std::move(done)); });
      if (!page.deliveries.empty() && page.deliveries.front().status == status) return page.deliveries.front();
      std::this_thread::sleep_for(5ms);
    }
    throw std::runtime_error("the delivery never reached " + std::string(domain::to_string(status)));
  }

  testing::ScratchSqliteStore store_{"parley-delivery"};
  std::unique_ptr<WriteQueue> writes_;
  std::unique_ptr<ReadPool> reads_;
  std::unique_ptr<WebhookOutbox> outbox_;
  std::unique_ptr<ScriptedTransport> transport_ = std::make_unique<ScriptedTransport>();
  std::unique_ptr<WebhookSender> sender_;
  std::unique_ptr<DeliveryWorker> worker_;
  std::unique_ptr<WebhookDeliveriesService> deliveries_;
};

TEST_F(DeliveryWorkerTest, AttemptsRunOutThenFailedAndARedeliveryGoesAgainUnderTheSameId) {
  record_event();
  auto failed = wait_status(domain::DeliveryStatus::failed);
  EXPECT_EQ(failed.attempts, 3);
  EXPECT_EQ(failed.last_http_status, 500);
  EXPECT_EQ(failed.last_error, "HTTP 500");
  EXPECT_EQ(failed.event_type, "user.created");
  EXPECT_EQ(transport_->posts().size(), 3u);

  transport_->status = 204;
  auto requeued = wait_for<domain::Delivery>(
      [&](Done<domain::Delivery> done) { deliveries_->redeliver(failed.id, std::move(done)); });
  EXPECT_EQ(requeued.attempts, 0);
  auto delivered = wait_status(domain::DeliveryStatus::delivered);
  EXPECT_EQ(delivered.attempts, 1);
  EXPECT_EQ(delivered.last_http_status, 204);

  const auto posts = transport_->posts();
  ASSERT_EQ(posts.size(), 4u);
  for (const auto& post : posts) {
    EXPECT_EQ(post.url, kUrl);
    std::map<std::string, std::string> headers(post.headers.begin(), post.headers.end());
    EXPECT_EQ(headers["webhook-id"], failed.id);
    auto key = decode_webhook_secret(kSecret);
    EXPECT_EQ(headers["webhook-signature"],
              webhook_signature(*key, failed.id, std::stoll(headers["webhook-timestamp"]), post.body));
    const auto payload = boost::json::parse(post.body).as_object();
    EXPECT_EQ(payload.at("type").as_string(), "user.created");
    EXPECT_TRUE(payload.contains("timestamp"));
    EXPECT_EQ(payload.at("data").at("user").at("username").as_string(), "ada");
  }
}

TEST_F(DeliveryWorkerTest, RedeliveringWhatDoesNotExistIsNotFound) {
  std::promise<Result<domain::Delivery>> promise;
  deliveries_->redeliver("msg_nope", [&](Result<domain::Delivery> r) { promise.set_value(std::move(r)); });
  auto result = promise.get_future().get();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::not_found);
}

// A sender of its own kind that gives every delivery up at once (a receiver that is gone), and
// records a delivery of another kind with the outcome, as the push fan-out does.
class GivingUpSender final : public DeliverySender {
 public:
  [[nodiscard]] std::string_view kind() const override { return "test"; }
  void attempt(const domain::Delivery& delivery, std::function<void(SendOutcome)> done) override {
    done(SendOutcome{.status = 410,
                     .give_up = true,
                     .note = "the receiver is gone",
                     .with_outcome =
                         [id = delivery.id](store::StoreSession& session) {
                           return session.insert_delivery({.id = id + "-next", .kind = "test_next", .target = "t",
                                                           .event_type = "e", .payload = "{}", .created_at_ms = 1});
                         },
                     .after_commit = [this] { committed = true; }});
  }
  std::atomic<bool> committed{false};
};

TEST_F(DeliveryWorkerTest, ASenderThatGivesUpEndsTheDeliveryFailedAndWhatItRecordedCommitsWithIt) {
  GivingUpSender sender;
  DeliveryWorker worker(*writes_, sender, DeliveryWorker::Limits{.max_attempts = 5, .poll = 5ms});
  wait_for<std::monostate>([this](Done<std::monostate> done) {
    writes_->submit<std::monostate>(
        [](store::StoreSession& session) -> Result<std::monostate> {
          PARLEY_CHECK(session.insert_delivery({.id = "d1", .kind = "test", .target = "t", .event_type = "e",
                                                .payload = "{}", .created_at_ms = 1}));
          return std::monostate{};
        },
        std::move(done));
  });
  worker.wake();
  auto list = [this](std::string kind) {
    return wait_for<std::vector<domain::Delivery>>([&](Done<std::vector<domain::Delivery>> done) {
      reads_->submit<std::vector<domain::Delivery>>(
          [kind](store::StoreSession& session) { return session.list_deliveries(kind, 0, 10); }, std::move(done));
    });
  };
  for (int i = 0; i < 6000 && !(sender.committed && list("test").front().status == domain::DeliveryStatus::failed); ++i)
    std::this_thread::sleep_for(5ms);
  worker.stop();
  const auto ended = list("test");
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended.front().status, domain::DeliveryStatus::failed);
  EXPECT_EQ(ended.front().attempts, 1) << "given up: never retried";
  EXPECT_EQ(ended.front().last_http_status, 410);
  EXPECT_EQ(ended.front().last_error, "the receiver is gone");
  const auto next = list("test_next");
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next.front().id, "d1-next");
  EXPECT_TRUE(sender.committed);
}

TEST(DeliveryBackoff, DoublesFromTheFirstWaitUpToTheLongest) {
  DeliveryWorker::Limits limits{.first_retry = 100ms, .max_retry = 1000ms};
  EXPECT_EQ(DeliveryWorker::backoff(limits, 1), 100ms);
  EXPECT_EQ(DeliveryWorker::backoff(limits, 2), 200ms);
  EXPECT_EQ(DeliveryWorker::backoff(limits, 4), 800ms);
  EXPECT_EQ(DeliveryWorker::backoff(limits, 5), 1000ms);
  EXPECT_EQ(DeliveryWorker::backoff(limits, 60), 1000ms);
}

}  // namespace
}  // namespace parley::service
