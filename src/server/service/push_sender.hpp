#pragma once
// Sends `push_target` deliveries (PushFanout): each notification to the target it names.
//   http:    a POST to the target's push gateway in the shape of Matrix's Push Gateway API
//            (POST /_matrix/push/v1/notify), so that Sygnal and the like, in front of APNs and
//            FCM, work unchanged. A pushkey the gateway answers as `rejected`, or a 404 or 410,
//            removes the target: the app was uninstalled, the token replaced.
//   webpush: a POST to the browser's push service (RFC 8030), made by WebPush (web_push_request).
// The delivery's attempts are counted in metrics: sent, failed (each attempt), dropped.
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "domain/push.hpp"
#include "server/service/delivery_worker.hpp"
#include "server/service/read_pool.hpp"
#include "server/service/web_push.hpp"

namespace parley::service {

struct PushPost {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};
struct PushAnswer {
  int status = 0;
  std::string body;
};
// Sends a post; `done` gets the answer, or `unavailable` when none came (refused, timed out).
// It must bound each attempt by a timeout.
using PushTransport = std::function<void(PushPost, std::function<void(Result<PushAnswer>)>)>;

// The body Matrix's Push Gateway API expects for `notification` (PushFanout's kind-neutral
// JSON) sent to the gateway target `target`.
[[nodiscard]] Result<std::string> matrix_notify_body(const std::string& notification, const domain::PushTarget& target);
// The push keys a gateway's 200 answer lists as `rejected`: each to be forgotten.
[[nodiscard]] std::vector<std::string> rejected_pushkeys(const std::string& answer_body);

class PushSender final : public DeliverySender {
 public:
  // How long a push service keeps a notification for a browser that is not reachable: a day, so
  // that a laptop opened the next morning still shows what it missed.
  static constexpr std::chrono::seconds kWebPushTtl = std::chrono::hours(24);

  // `web_push`: signs and encrypts webpush notifications; null: they fail, said plainly.
  PushSender(ReadPool& reads, PushTransport transport, int max_attempts, const WebPushSigner* web_push)
      : reads_(reads), transport_(std::move(transport)), max_attempts_(max_attempts), web_push_(web_push) {}

  [[nodiscard]] std::string_view kind() const override;
  void attempt(const domain::Delivery& delivery, std::function<void(SendOutcome)> done) override;
  // After its worker stopped: no post is handed to the transport once this returns (a target's
  // look-up may still complete), so that the transport may go.
  void stop();

 private:
  void do_post(const domain::Delivery& delivery, const domain::PushTarget& target,
               std::function<void(SendOutcome)> done);
  // The request that delivers `delivery` to its target, by kind.
  [[nodiscard]] Result<PushPost> gateway_post(const domain::Delivery& delivery, const domain::PushTarget& target) const;
  [[nodiscard]] Result<PushPost> web_push_post(const domain::Delivery& delivery, const domain::PushTarget& target) const;
  // Counts the outcome in the metrics and hands it on.
  void finish(const domain::Delivery& delivery, SendOutcome outcome, const std::function<void(SendOutcome)>& done) const;

  ReadPool& reads_;
  PushTransport transport_;
  int max_attempts_;
  const WebPushSigner* web_push_;
  std::mutex mutex_;  // held while a post is handed to the transport
  bool stopped_ = false;
};

}  // namespace parley::service
