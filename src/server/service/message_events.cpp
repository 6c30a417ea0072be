#include "server/service/message_events.hpp"

#include <algorithm>
#include <map>

#include "domain/limits.hpp"
#include "domain/validation.hpp"

namespace parley::service {
namespace {

Result<domain::Message> target_of(store::StoreSession& session, const domain::Message& event) {
  PARLEY_TRY(target, session.find_message_at(event.room_id, *event.relates_to));
  if (!target) return fail(ErrorCode::not_found, "no message " + std::to_string(*event.relates_to) + " in this room");
  if (!domain::is_content(target->type))
    return fail(ErrorCode::invalid_payload, "only a message people wrote can be edited, deleted or reacted to, not a " +
                                                std::string(domain::to_string(target->type)));
  if (target->deleted_at_ms && event.type != domain::MessageType::deletion)
    return fail(ErrorCode::conflict, "message " + std::to_string(target->seq) + " was deleted");
  return std::move(*target);
}

Result<EventOutcome> apply_edit(store::StoreSession& session, const domain::Message& target,
                                const domain::Message& edit, const MessageRules& rules) {
  if (target.sender_id != edit.sender_id) return fail(ErrorCode::forbidden, "only its sender can edit a message");
  if (rules.edit_window_ms <= 0) return fail(ErrorCode::conflict, "this server allows no edits (--edit-window 0)");
  if (edit.created_at_ms - target.created_at_ms > rules.edit_window_ms)
    return fail(ErrorCode::conflict, "message " + std::to_string(target.seq) + " is past the time for edits (" +
                                         std::to_string(rules.edit_window_ms / 1000) + " s)");
  if (target.type == domain::MessageType::text && (edit.text.empty() || domain::is_blank(edit.text)))
    return fail(ErrorCode::invalid_payload, "a text message needs non-blank text; delete it instead");
  PARLEY_CHECK(session.edit_message(target.room_id, target.seq, edit.text, edit.created_at_ms));
  return EventOutcome::applied;
}

Result<EventOutcome> apply_deletion(store::StoreSession& session, const RoomAccess& access,
                                    const domain::Message& target, const domain::Message& deletion) {
  const bool own = target.sender_id == deletion.sender_id;
  const bool group_admin = access.room.kind == domain::RoomKind::group && access.me.role == domain::Role::admin;
  if (!own && !group_admin)
    return fail(ErrorCode::forbidden, "only its sender, or an admin of the group, can delete a message");
  if (target.deleted_at_ms) return fail(ErrorCode::conflict, "message " + std::to_string(target.seq) + " was deleted");
  PARLEY_TRY(upload, session.delete_message(target.room_id, target.seq, deletion.created_at_ms));
  if (upload) PARLEY_CHECK(session.release_upload(*upload));
  return EventOutcome::applied;
}

Result<EventOutcome> apply_reaction(store::StoreSession& session, const domain::Message& target,
                                    const domain::Message& reaction) {
  if (reaction.type == domain::MessageType::reaction_removed) {
    PARLEY_TRY(removed, session.remove_reaction(target.room_id, target.seq, reaction.sender_id, reaction.text));
    return removed ? EventOutcome::applied : EventOutcome::unchanged;
  }
  PARLEY_TRY(tally, session.tally_reactions(target.room_id, target.seq, reaction.sender_id));
  if (tally.mine >= domain::limits::kReactionsPerMemberMax)
    return fail(ErrorCode::conflict, "one member can put at most 20 different reactions on a message");
  PARLEY_TRY(added, session.add_reaction(target.room_id, target.seq, reaction.sender_id, reaction.text,
                                         reaction.created_at_ms));
  if (!added) return EventOutcome::unchanged;
  // Counted after the insert, so that a reaction someone else already used never counts as new.
  PARLEY_TRY(after, session.tally_reactions(target.room_id, target.seq, reaction.sender_id));
  if (after.distinct > domain::limits::kDistinctReactionsMax)
    return fail(ErrorCode::conflict, "a message can hold at most 50 different reactions");
  return EventOutcome::applied;
}

}  // namespace

Result<EventOutcome> apply_event(store::StoreSession& session, const RoomAccess& access, const domain::Message& event,
                                 const MessageRules& rules) {
  PARLEY_TRY(target, target_of(session, event));
  switch (event.type) {
    case domain::MessageType::edit: return apply_edit(session, target, event, rules);
    case domain::MessageType::deletion: return apply_deletion(session, access, target, event);
    case domain::MessageType::reaction:
    case domain::MessageType::reaction_removed: return apply_reaction(session, target, event);
    default: return fail(ErrorCode::internal, "apply_event takes events only");
  }
}

namespace {

domain::ReplyPreview preview_of(const domain::Message& original) {
  return domain::ReplyPreview{.seq = original.seq,
                              .sender_id = original.sender_id,
                              .type = original.type,
                              .text = preview_text(original.text, domain::limits::kReplyPreviewChars),
                              .deleted = original.deleted_at_ms.has_value()};
}

}  // namespace

Result<domain::ReplyPreview> check_reply(store::StoreSession& session, const domain::Message& reply) {
  PARLEY_TRY(original, session.find_message_at(reply.room_id, *reply.reply_to));
  if (!original) return fail(ErrorCode::not_found, "no message " + std::to_string(*reply.reply_to) + " in this room");
  if (!domain::is_content(original->type))
    return fail(ErrorCode::invalid_payload, "a reply answers a message people wrote, not a " +
                                                std::string(domain::to_string(original->type)));
  return preview_of(*original);
}

std::string preview_text(const std::string& text, std::size_t chars) {
  std::size_t at = 0;
  for (std::size_t n = 0; at < text.size() && n < chars; ++n) {
    ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;  // continuation bytes
  }
  return text.substr(0, at);
}

Result<void> add_reply_previews(store::StoreSession& session, RoomId room, std::vector<domain::Message>& messages) {
  std::vector<Seq> replied;
  for (const auto& m : messages)
    if (m.reply_to) replied.push_back(*m.reply_to);
  if (replied.empty()) return {};
  std::sort(replied.begin(), replied.end());
  replied.erase(std::unique(replied.begin(), replied.end()), replied.end());
  std::map<Seq, domain::ReplyPreview> previews;
  for (std::size_t at = 0; at < replied.size(); at += 100) {
    const std::span<const Seq> chunk(replied.data() + at, std::min<std::size_t>(100, replied.size() - at));
    PARLEY_TRY(originals, session.list_messages_at(room, chunk));
    for (const auto& o : originals) previews[o.seq] = preview_of(o);
  }
  for (auto& m : messages)
    if (m.reply_to)
      if (auto p = previews.find(*m.reply_to); p != previews.end()) m.reply_preview = p->second;
  return {};
}

Result<void> add_reply_previews_and_reactions(store::StoreSession& session, RoomId room, UserId reader,
                                              std::vector<domain::Message>& messages) {
  if (messages.empty()) return {};
  PARLEY_CHECK(add_reply_previews(session, room, messages));
  Seq first = messages.front().seq;
  Seq last = messages.front().seq;
  for (const auto& m : messages) {
    first = std::min(first, m.seq);
    last = std::max(last, m.seq);
  }
  PARLEY_TRY(counts, session.count_reactions(room, first, last, reader));
  std::map<Seq, std::vector<domain::ReactionCount>> reactions;
  for (auto& c : counts) reactions[c.seq].push_back(std::move(c.count));
  for (auto& m : messages)
    if (auto r = reactions.find(m.seq); r != reactions.end()) m.reactions = std::move(r->second);
  return {};
}

}  // namespace parley::service
