#pragma once
// Messages: send (ordered, deduplicated, acknowledged after the commit), history and search.
#include <optional>
#include <string>
#include <vector>

#include "domain/message.hpp"
#include "domain/limits.hpp"
#include "domain/message_status.hpp"
#include "server/service/message_events.hpp"
#include "domain/search_snippet.hpp"
#include "server/service/caller.hpp"
#include "server/service/committed.hpp"
#include "server/service/read_pool.hpp"
#include "server/service/typing_service.hpp"
#include "server/service/write_queue.hpp"

namespace parley::service {

struct SendResult {
  domain::Message message;
  bool duplicate = false;  // the client_msg_id was seen before: this is the original
  // A reaction already there, or not there to remove: nothing was stored, and `message` is the
  // message it names, as it stands.
  bool unchanged = false;
};

struct HistoryPage {
  std::vector<domain::Message> messages;  // oldest first
  // Beside each message: its status when the caller sent it, derived from the watermarks.
  std::vector<std::optional<domain::MessageStatus>> statuses;
  bool has_more = false;
  Seq next_before = 0;  // pass as `before` for the next older page
  Seq last_seq = 0;  // the room's newest seq as the page was read: every event up to it is applied
};

// One message a search found, with the part of it to show.
struct SearchResult {
  domain::Message message;
  domain::Snippet snippet;
};

struct SearchRequest {
  std::string query;  // as the user typed it
  std::optional<RoomId> room;  // unset: every room the caller is in
  std::optional<long long> limit;  // unset: the default page size
  std::optional<std::string> cursor;  // a next_cursor of the same search, for the page after it
};

struct SearchPage {
  std::vector<SearchResult> results;  // best first
  std::optional<std::string> next_cursor;  // set when a further page may hold more
};

class MessagesService {
 public:
  MessagesService(WriteQueue& writes, ReadPool& reads, EventPublisher& events, TypingService& typing,
                  MessageRules rules = {.edit_window_ms = domain::limits::kEditWindowDefaultSeconds * 1000})
      : writes_(writes), reads_(reads), events_(events), typing_(typing), rules_(rules) {}

  // `message` carries room_id, client_msg_id, type, text and attachment; the rest is set here.
  void send(const Caller& caller, domain::Message message, Done<SendResult> done);
  // `before` <= 0: from the newest. `limit` 0: the default page size.
  void history(const Caller& caller, RoomId room, Seq before, std::optional<long long> limit, Done<HistoryPage> done);
  // Who reacted to the message at `seq` with what (messages.reactions).
  void reactions(const Caller& caller, RoomId room, Seq seq, Done<std::vector<domain::Reaction>> done);
  // The earlier texts of an edited message, oldest first (messages.versions).
  void versions(const Caller& caller, RoomId room, Seq seq, Done<std::vector<domain::MessageVersion>> done);
  // Messages of the caller's rooms holding every word of the query (docs/protocol.md,
  // "messages.search"); a room the caller is not in is not_found, as in history.
  void search(const Caller& caller, SearchRequest request, Done<SearchPage> done);

 private:
  // Looks up the message `sender` stored as `client_msg_id` and answers with it as a duplicate;
  // answers `refused` when there is none.
  void answer_as_retry(UserId sender, std::string client_msg_id, Result<SendResult> refused, Done<SendResult> done);

  WriteQueue& writes_;
  ReadPool& reads_;
  EventPublisher& events_;
  TypingService& typing_;
  MessageRules rules_;
};

}  // namespace parley::service
