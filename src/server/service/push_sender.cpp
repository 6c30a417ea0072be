#include "server/service/push_sender.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>

#include "core/metrics.hpp"
#include "server/service/push_fanout.hpp"

namespace parley::service {
namespace {

namespace json = boost::json;

// Matrix's msgtype for each of Parley's message types.
std::string_view msgtype(std::string_view type) {
  if (type == "image") return "m.image";
  if (type == "file") return "m.file";
  if (type == "audio") return "m.audio";
  if (type == "video") return "m.video";
  return "m.text";
}

std::string text_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t int_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : 0;
}

SendOutcome target_gone(int status, std::string note, const domain::PushTarget& target) {
  return SendOutcome{.status = status,
                     .give_up = true,
                     .note = std::move(note),
                     .with_outcome = [kind = target.kind, app_id = target.app_id,
                                      pushkey = target.pushkey](store::StoreSession& session) -> Result<void> {
                       PARLEY_TRY(removed, session.delete_push_target_by_key(kind, app_id, pushkey));
                       (void)removed;  // gone already (the device unregistered): just as well
                       return {};
                     }};
}

}  // namespace

Result<std::string> matrix_notify_body(const std::string& notification, const domain::PushTarget& target) {
  boost::system::error_code ec;
  const json::value value = json::parse(notification, ec);
  if (ec || !value.is_object()) return fail(ErrorCode::internal, "a notification's payload cannot be read");
  const json::object& n = value.get_object();
  json::object out{{"event_id", std::to_string(int_of(n, "message_id"))},
                   {"room_id", std::to_string(int_of(n, "room_id"))},
                   {"type", "m.room.message"},
                   {"sender", std::to_string(int_of(n, "sender_id"))},
                   {"sender_display_name", text_of(n, "sender_name")},
                   {"prio", "high"},
                   {"counts", json::object{{"unread", int_of(n, "unread")}}},
                   // Parley's own: the message's place in its room, for the app to open it at.
                   {"seq", int_of(n, "seq")}};
  if (n.contains("room_name")) out["room_name"] = text_of(n, "room_name");
  // Without a body (the member hides message text) there is no content at all, as Matrix's
  // event_id_only format sends it.
  if (n.contains("body")) out["content"] = json::object{{"msgtype", msgtype(text_of(n, "type"))}, {"body", text_of(n, "body")}};
  out["devices"] = json::array{json::object{{"app_id", target.app_id},
                                            {"pushkey", target.pushkey},
                                            {"pushkey_ts", target.created_at_ms / 1000},
                                            {"data", json::object{}}}};
  return json::serialize(json::object{{"notification", std::move(out)}});
}

std::vector<std::string> rejected_pushkeys(const std::string& answer_body) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  const json::value value = json::parse(answer_body, ec);
  const json::object* o = ec ? nullptr : value.if_object();
  const json::value* rejected = o ? o->if_contains("rejected") : nullptr;
  if (!rejected || !rejected->is_array()) return out;
  for (const auto& key : rejected->get_array())
    if (key.is_string()) out.emplace_back(key.get_string());
  return out;
}

std::string_view PushSender::kind() const { return PushFanout::kTargetKind; }

void PushSender::stop() {
  std::lock_guard lock(mutex_);
  stopped_ = true;
}

void PushSender::finish(const domain::Delivery& delivery, SendOutcome outcome,
                        const std::function<void(SendOutcome)>& done) const {
  const bool accepted = outcome.status && *outcome.status >= 200 && *outcome.status < 300;
  auto& m = metrics::server();
  if (accepted && !outcome.give_up) {
    m.pushes_sent.add();
  } else {
    m.pushes_failed.add();
    if (outcome.give_up || delivery.attempts >= max_attempts_) m.pushes_dropped.add();
  }
  done(std::move(outcome));
}

void PushSender::attempt(const domain::Delivery& delivery, std::function<void(SendOutcome)> done) {
  std::int64_t id = 0;
  std::from_chars(delivery.target.data(), delivery.target.data() + delivery.target.size(), id);
  reads_.submit<std::optional<domain::PushTarget>>(
      [id](store::StoreSession& session) { return session.find_push_target(id); },
      [this, delivery, done = std::move(done)](Result<std::optional<domain::PushTarget>> target) mutable {
        if (!target) return finish(delivery, SendOutcome{.status = std::unexpected(target.error())}, done);
        if (!*target) {
          // Removed since (by its device, or as rejected): nobody is left to notify there.
          return finish(delivery, SendOutcome{.status = fail(ErrorCode::not_found, "the push target was removed"), .give_up = true}, done);
        }
        do_post(delivery, **target, std::move(done));
      });
}

Result<PushPost> PushSender::gateway_post(const domain::Delivery& delivery, const domain::PushTarget& target) const {
  PARLEY_TRY(body, matrix_notify_body(delivery.payload, target));
  return PushPost{.url = target.url, .headers = {{"content-type", "application/json"}}, .body = std::move(body)};
}

Result<PushPost> PushSender::web_push_post(const domain::Delivery& delivery, const domain::PushTarget& target) const {
  // ---- Web Push: the one place a `webpush` target becomes a request ------------------------
  // WebPushSigner::request (web_push.hpp) encrypts the notification (delivery.payload, the JSON
  // the web client's service worker reads, docs/web-push.md) for the subscription (aes128gcm,
  // RFC 8291) and signs the request (VAPID, RFC 8292), with kWebPushTtl and the room's id
  // (delivery.order_key) as Topic, so that the push service replaces an older notification of
  // the room still waiting there. Its answer is read as a gateway's is (do_post): 2xx sent, 404
  // or 410 the subscription gone.
  if (!web_push_) return fail(ErrorCode::unavailable, "Web Push is not available on this server");
  PARLEY_TRY(request, web_push_->request(WebPushSubscription{.endpoint = target.pushkey, .p256dh = target.p256dh,
                                                                 .auth = target.auth},
                                         delivery.payload, kWebPushTtl, delivery.order_key.value_or("")));
  return PushPost{.url = std::move(request.url), .headers = std::move(request.headers), .body = std::move(request.body)};
}

void PushSender::do_post(const domain::Delivery& delivery, const domain::PushTarget& target,
                         std::function<void(SendOutcome)> done) {
  auto post = target.kind == domain::PushKind::webpush ? web_push_post(delivery, target) : gateway_post(delivery, target);
  if (!post) {
    // A request that cannot be made now cannot be made later either: no retry.
    std::string why = post.error().message;
    return finish(delivery, SendOutcome{.status = std::unexpected(post.error()), .give_up = true, .note = std::move(why)},
                  done);
  }
  std::lock_guard lock(mutex_);
  // Stopped: not attempted now; its lease runs out and it is attempted again (at least once).
  if (stopped_) return;
  transport_(std::move(*post), [this, delivery, target, done = std::move(done)](Result<PushAnswer> answer) {
    if (!answer) return finish(delivery, SendOutcome{.status = std::unexpected(answer.error())}, done);
    if (answer->status == 404 || answer->status == 410)
      return finish(delivery, target_gone(answer->status, "the push service answered " + std::to_string(answer->status), target), done);
    if (answer->status == 200) {
      const auto rejected = rejected_pushkeys(answer->body);
      if (std::find(rejected.begin(), rejected.end(), target.pushkey) != rejected.end())
        return finish(delivery, target_gone(200, "the push gateway rejected the pushkey", target), done);
    }
    finish(delivery, SendOutcome{.status = answer->status}, done);
  });
}

}  // namespace parley::service
