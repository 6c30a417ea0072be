#include "server/service/messages_service.hpp"

#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "domain/shared_watermarks.hpp"
#include "domain/validation.hpp"
#include "server/service/message_events.hpp"
#include "server/service/read_snapshot.hpp"
#include "server/service/publish_then_reply.hpp"
#include "server/service/room_access.hpp"

namespace parley::service {
namespace {

// Fills the attachment in from the upload it names: name, type and size are the server's record,
// never the client's say; dimensions and duration come from the upload when it has them. Only
// the uploader may attach an upload; to anyone else it does not exist.
Result<void> attach_upload(store::StoreSession& session, UserId sender, domain::Message& message) {
  domain::Attachment& a = *message.attachment;
  PARLEY_TRY(upload, session.find_upload(a.upload_id));
  if (!upload || upload->owner != sender) return fail(ErrorCode::not_found, "upload not found");
  a.name = upload->name;
  a.mime_type = upload->mime_type;
  a.size = upload->size_bytes;
  if (upload->width) a.width = upload->width;
  if (upload->height) a.height = upload->height;
  if (upload->duration_ms) a.duration_ms = upload->duration_ms;
  return domain::validate_attachment(message.type, a);
}

}  // namespace

void MessagesService::send(const Caller& caller, domain::Message message, Done<SendResult> done) {
  if (auto ok = domain::validate_outgoing(message); !ok) return done(std::unexpected(ok.error()));
  message.sender_id = caller.user;
  const std::int64_t room_lock = message.room_id.value;
  // Copied before the call: the order in which a call's arguments are evaluated is unspecified,
  // and the first lambda below moves `message` (clang evaluates it first, GCC last).
  std::string client_msg_id = message.client_msg_id;
  submit_change<SendResult>(
      writes_, events_,
      [caller, message = std::move(message), rules = rules_](store::StoreSession& session) mutable
      -> Result<Committed<SendResult>> {
        Committed<SendResult> out;
        // A retry of a send that already committed is found by the unique index on the insert,
        // not by a look-up ahead of every send: it fails as a conflict, and the completion below
        // answers with the original. A sender who has lost access since still gets it back.
        auto access = authorize_room(session, message.room_id, caller.user, domain::Action::send_message);
        if (!access) {
          PARLEY_TRY(original, session.find_message_by_client_id(caller.user, message.client_msg_id));
          if (!original) return std::unexpected(std::move(access.error()));
          out.reply = SendResult{std::move(*original), true};
          return out;
        }
        message.created_at_ms = now_ms();
        if (domain::is_event(message.type)) {
          // An event changes its target before it is stored, so a retry must be found first:
          // applied twice, an edit would keep its own text as an earlier version.
          PARLEY_TRY(original, session.find_message_by_client_id(caller.user, message.client_msg_id));
          if (original) {
            out.reply = SendResult{std::move(*original), true};
            return out;
          }
          PARLEY_TRY(outcome, apply_event(session, *access, message, rules));
          if (outcome == EventOutcome::unchanged) {
            PARLEY_TRY(target, session.find_message_at(message.room_id, *message.relates_to));
            out.reply = SendResult{std::move(*target), false, true};
            return out;
          }
        }
        // The original is read once, here: the reply and its live event carry what it shows.
        if (message.reply_to) {
          PARLEY_TRY(preview, check_reply(session, message));
          message.reply_preview = std::move(preview);
        }
        const bool carries_upload = message.attachment && !message.attachment->upload_id.empty();
        if (carries_upload) PARLEY_CHECK(attach_upload(session, caller.user, message));
        PARLEY_TRY(stored, session.append_message(message));
        if (carries_upload) PARLEY_CHECK(session.mark_upload_referenced(message.attachment->upload_id, message.created_at_ms));
        out.events.message(stored, caller.connection);
        out.reply = SendResult{std::move(stored), false};
        return out;
      },
      [this, sender = caller.user, client_msg_id = std::move(client_msg_id),
       done = std::move(done)](Result<SendResult> result) mutable {
        // The unique index refused a second copy of a send: a retry, or the same send stored by
        // another node or earlier in the same batch. Answer with the original.
        if (!result && result.error().code == ErrorCode::conflict && !client_msg_id.empty())
          return answer_as_retry(sender, std::move(client_msg_id), std::move(result), std::move(done));
        // Sending a message ends the sender's typing in that room.
        if (result && !result->duplicate) {
          metrics::server().messages_committed.add();
          typing_.message_sent(result->message.sender_id, result->message.room_id);
        }
        done(std::move(result));
      },
      room_lock);
}

void MessagesService::answer_as_retry(UserId sender, std::string client_msg_id, Result<SendResult> refused,
                                      Done<SendResult> done) {
  reads_.submit<SendResult>(
      [sender, client_msg_id = std::move(client_msg_id), refused = std::move(refused)](
          store::StoreSession& session) -> Result<SendResult> {
        PARLEY_TRY(original, session.find_message_by_client_id(sender, client_msg_id));
        if (!original) return refused;  // a conflict of another kind
        return SendResult{std::move(*original), true};
      },
      std::move(done));
}

void MessagesService::history(const Caller& caller, RoomId room, Seq before, std::optional<long long> limit,
                              Done<HistoryPage> done) {
  auto page_size = domain::history_page_size(limit);
  if (!page_size) return done(std::unexpected(page_size.error()));
  if (before < 0) return done(fail(ErrorCode::invalid_payload, "before must not be negative"));
  reads_.submit<HistoryPage>(
      [caller, room, before, size = *page_size](store::StoreSession& session) -> Result<HistoryPage> {
        return in_read_snapshot(session, [&]() -> Result<HistoryPage> {
          PARLEY_TRY(access, authorize_room(session, room, caller.user, domain::Action::read_room));
          // One more than asked tells whether an older page exists without a second query.
          PARLEY_TRY(messages, session.list_messages_before(room, before, size + 1));
          HistoryPage page;
          page.last_seq = access.room.last_seq;
          page.has_more = static_cast<int>(messages.size()) > size;
          if (page.has_more) messages.erase(messages.begin());
          PARLEY_CHECK(add_reply_previews_and_reactions(session, room, caller.user, messages));
          page.next_before = messages.empty() ? 0 : messages.front().seq;
          PARLEY_TRY(members, session.list_members(room));
          const auto seen = domain::as_seen_by(std::move(members), caller.user);
          for (const auto& m : messages)
            page.statuses.push_back(m.sender_id == caller.user && domain::is_content(m.type)
                                        ? std::optional(domain::status_of(m, seen))
                                        : std::nullopt);
          page.messages = std::move(messages);
          return page;
        });
      },
      std::move(done));
}

namespace {

// The message a read about one message names: one people wrote, in a room the caller is in.
Result<domain::Message> readable_message(store::StoreSession& session, const Caller& caller, RoomId room, Seq seq) {
  PARLEY_CHECK(authorize_room(session, room, caller.user, domain::Action::read_room));
  PARLEY_TRY(message, session.find_message_at(room, seq));
  if (!message || !domain::is_content(message->type))
    return fail(ErrorCode::not_found, "no message " + std::to_string(seq) + " in this room");
  return std::move(*message);
}

}  // namespace

void MessagesService::reactions(const Caller& caller, RoomId room, Seq seq, Done<std::vector<domain::Reaction>> done) {
  reads_.submit<std::vector<domain::Reaction>>(
      [caller, room, seq](store::StoreSession& session) -> Result<std::vector<domain::Reaction>> {
        PARLEY_CHECK(readable_message(session, caller, room, seq));
        return session.list_reactions(room, seq);
      },
      std::move(done));
}

void MessagesService::versions(const Caller& caller, RoomId room, Seq seq,
                               Done<std::vector<domain::MessageVersion>> done) {
  reads_.submit<std::vector<domain::MessageVersion>>(
      [caller, room, seq](store::StoreSession& session) -> Result<std::vector<domain::MessageVersion>> {
        PARLEY_CHECK(readable_message(session, caller, room, seq));
        return session.list_message_versions(room, seq);
      },
      std::move(done));
}

}  // namespace parley::service
