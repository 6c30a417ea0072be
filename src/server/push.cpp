#include "server/push.hpp"

namespace parley::server {
namespace {

// A gateway's answer is small JSON ({"rejected": [...]}): more is not read.
constexpr std::size_t kMaxAnswerBytes = 64 * 1024;

}  // namespace

void Push::stop_sending() {
  if (sender_worker) sender_worker->stop();
  if (fanout_worker) fanout_worker->stop();
  if (sender) sender->stop();
  fetcher.reset();
}

Push make_push(const ServerConfig& config, service::WriteQueue& writes, service::ReadPool& reads,
               service::EventPublisher& events, service::PresenceService& presence, service::PushInUse& in_use,
               const service::WebPushSigner& web_push) {
  Push push;
  const std::chrono::milliseconds timeout(config.push_timeout_ms);
  push.fetcher = std::make_unique<gateway::HttpFetcher>(
      gateway::HttpFetcher::Limits{.connect_timeout = timeout, .total_timeout = timeout, .max_body_bytes = kMaxAnswerBytes});
  service::PushTransport transport = [fetcher = push.fetcher.get()](service::PushPost post, auto done) {
    fetcher->send({.url = std::move(post.url), .headers = std::move(post.headers), .body = std::move(post.body)},
                  [done = std::move(done)](Result<gateway::HttpFetcher::Answer> answer) {
                    if (!answer) return done(std::unexpected(std::move(answer.error())));
                    done(service::PushAnswer{.status = answer->status, .body = std::move(answer->body)});
                  });
  };
  const service::DeliveryWorker::Limits limits{
      .max_in_flight = config.push_max_in_flight,
      .attempt_timeout = timeout,
      .max_attempts = config.push_max_attempts,
      .first_retry = std::chrono::milliseconds(config.push_retry_ms),
      .max_retry = std::chrono::milliseconds(config.push_retry_max_ms),
      .poll = std::chrono::milliseconds(config.webhook_poll_ms),
      .keep_finished = std::chrono::hours(config.webhook_keep_hours),
  };
  push.sender = std::make_unique<service::PushSender>(reads, std::move(transport), config.push_max_attempts, &web_push);
  push.sender_worker = std::make_unique<service::DeliveryWorker>(writes, *push.sender, limits);
  push.fanout = std::make_unique<service::PushFanout>(reads, presence,
                                                      [worker = push.sender_worker.get()] { worker->wake(); });
  // An expansion reads the store only: its timeout is the store's, not a gateway's.
  push.fanout_worker = std::make_unique<service::DeliveryWorker>(writes, *push.fanout, limits);
  push.outbox = std::make_unique<service::PushOutbox>(in_use);
  push.outbox->on_written([worker = push.fanout_worker.get()] { worker->wake(); });
  events.attach_outbox(*push.outbox);
  return push;
}

}  // namespace parley::server
