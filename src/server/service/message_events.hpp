#pragma once
// What an edit, a deletion, a reaction or a reply may do to the message it names, checked
// against that message as stored, and the change an event makes, inside the send's write
// transaction (docs/protocol.md, "A message's life").
#include <cstdint>

#include "domain/message.hpp"
#include "server/service/room_access.hpp"
#include "store/store.hpp"

namespace parley::service {

struct MessageRules {
  // How long after sending a message its sender may edit it.
  std::int64_t edit_window_ms = 0;
};

enum class EventOutcome {
  applied,    // the event changes the message: it is stored and delivered
  unchanged,  // a reaction already there, or one not there to remove: nothing to store
};

// Checks the event against its target and the sender's place in the room, then applies the
// change to the target (its text, deletion, or reactions). `event.created_at_ms` is set.
[[nodiscard]] Result<EventOutcome> apply_event(store::StoreSession& session, const RoomAccess& access,
                                               const domain::Message& event, const MessageRules& rules);

// The message a reply names must be a message of the room that people wrote; returns what the
// reply shows of it.
[[nodiscard]] Result<domain::ReplyPreview> check_reply(store::StoreSession& session, const domain::Message& reply);

// Fills in the preview of the messages they reply to, as it stands now: what a message carries
// beside its row for every reader alike, live or read.
[[nodiscard]] Result<void> add_reply_previews(store::StoreSession& session, RoomId room,
                                              std::vector<domain::Message>& messages);

// Fills in what messages read for `reader` carry beside their rows: the preview of the
// messages they reply to, and their reactions counted per emoji.
[[nodiscard]] Result<void> add_reply_previews_and_reactions(store::StoreSession& session, RoomId room,
                                                            UserId reader, std::vector<domain::Message>& messages);

// The start of a text: at most `chars` code points, cut at a code point's boundary.
[[nodiscard]] std::string preview_text(const std::string& text, std::size_t chars);

}  // namespace parley::service
