#pragma once
// How an event (edit, deletion, reaction, reaction_removed) changes the message it names, the
// way the server changes it: so that the local store holds each message in its current state
// and history read offline shows it as the server would.
#include <string>

#include <parley/types.hpp>

namespace parley::client {

// Applies `event` to `target`, the message at its relates_to; `self` is the signed-in user
// (whose reactions are `mine`). False when the event is of no kind that changes a message.
bool apply_event(Message& target, const Message& event, UserId self);

// A reply's preview of the message it answers: that message's text cut to 100 characters, as
// the server cuts it (whole UTF-8 characters).
[[nodiscard]] std::string preview_text(const std::string& text);

}  // namespace parley::client
