#include "server/gateway/supabase/message_pages.hpp"

#include <algorithm>
#include <memory>

#include "server/gateway/supabase/message_row.hpp"

namespace parley::gateway::supabase {

namespace json = boost::json;

namespace {

// The largest page each operation serves (messages.history: 100, sync: 500 per room): asking
// for the most each time keeps a 1000-row answer to a few round trips to the store.
constexpr std::int64_t kHistoryPage = 100;
constexpr std::int64_t kSyncPage = 500;

class Reader : public std::enable_shared_from_this<Reader> {
 public:
  Reader(const Operations& operations, const service::Caller& caller, const MessageWindow& window, RowsDone done)
      : operations_(operations), caller_(caller), window_(window), done_(std::move(done)), skip_(window.offset) {
    // Descending reads start below the upper bound (history's `before` is exclusive, and 0
    // means "from the newest"); ascending ones above the lower bound.
    cursor_ = window.descending ? window.before.value_or(0) : window.after;
  }

  void start() {
    // An empty window needs no read: no rows wanted, or no seq between the bounds.
    if (window_.limit == 0 || (window_.before && *window_.before <= window_.after + 1)) return finish();
    next();
  }

 private:
  std::int64_t wanted() const { return skip_ + window_.limit - static_cast<std::int64_t>(rows_.size()); }

  void next() {
    if (wanted() <= 0) return finish();
    auto self = shared_from_this();
    if (window_.descending) {
      json::object params{{"room_id", window_.room_id}, {"limit", std::min(wanted(), kHistoryPage)}};
      if (cursor_ > 0) params["before"] = cursor_;
      return operations_.call("messages.history", caller_, params,
                              [self](Result<json::value> page) { self->on_history(std::move(page)); });
    }
    json::object params{{"rooms", json::array{json::object{{"room_id", window_.room_id}, {"after_seq", cursor_}}}},
                        {"limit", std::min(wanted(), kSyncPage)}};
    operations_.call("sync", caller_, params, [self](Result<json::value> page) { self->on_sync(std::move(page)); });
  }

  // A page of history is oldest first; this direction wants the newest first.
  void on_history(Result<json::value> page) {
    if (!page) return fail_with(page.error());
    const auto& body = page->as_object();
    const auto& messages = body.at("messages").as_array();
    for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
      const auto& message = it->as_object();
      if (message.at("seq").to_number<std::int64_t>() <= window_.after) return finish();
      if (!take(message)) return finish();
    }
    if (!body.at("has_more").as_bool()) return finish();
    cursor_ = body.at("next_before").to_number<std::int64_t>();
    next();
  }

  void on_sync(Result<json::value> answer) {
    if (!answer) return fail_with(answer.error());
    const auto& body = answer->as_object();
    // Sync names a room the caller is not in under `left` instead of refusing it; here that is
    // the same refusal as messages.history gives.
    for (const auto& left : body.at("left").as_array())
      if (left.to_number<std::int64_t>() == window_.room_id)
        return fail_with(Error{ErrorCode::not_found, "room not found"});
    for (const auto& room : body.at("catch_up").as_array()) {
      const auto& catch_up = room.as_object();
      if (catch_up.at("room_id").to_number<std::int64_t>() != window_.room_id) continue;
      for (const auto& item : catch_up.at("messages").as_array()) {
        const auto& message = item.as_object();
        cursor_ = message.at("seq").to_number<std::int64_t>();
        if (window_.before && cursor_ >= *window_.before) return finish();
        if (!take(message)) return finish();
      }
      if (!catch_up.at("has_more").as_bool()) return finish();
      return next();
    }
    finish();
  }

  // Skips the offset's rows, keeps the rest; false once the window is full.
  bool take(const json::object& message) {
    if (is_event_row(message)) return true;  // a change to another row, not a row
    if (skip_ > 0) {
      --skip_;
    } else {
      rows_.push_back(message_row(message));
    }
    return static_cast<std::int64_t>(rows_.size()) < window_.limit;
  }

  void fail_with(const Error& error) { done_(std::unexpected(from_parley(error))); }
  void finish() { done_(std::move(rows_)); }

  const Operations& operations_;
  service::Caller caller_;
  MessageWindow window_;
  RowsDone done_;
  std::int64_t skip_;
  std::int64_t cursor_ = 0;
  std::vector<json::object> rows_;
};

}  // namespace

void read_messages(const Operations& operations, const service::Caller& caller, const MessageWindow& window,
                   RowsDone done) {
  std::make_shared<Reader>(operations, caller, window, std::move(done))->start();
}

}  // namespace parley::gateway::supabase
