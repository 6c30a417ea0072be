#include "client/message_events.hpp"

#include <algorithm>

namespace parley::client {

namespace {

constexpr std::size_t kPreviewCharacters = 100;

void add_reaction(Message& target, const std::string& emoji, bool mine) {
  auto it = std::ranges::find(target.reactions, emoji, &Reaction::emoji);
  if (it == target.reactions.end()) {
    target.reactions.push_back(Reaction{emoji, 1, mine});
    return;
  }
  // The server stores no second reaction of one user with one emoji: a repeat of one's own
  // (seen before, as the acknowledgement) is no new one.
  if (mine && it->mine) return;
  ++it->count;
  it->mine = it->mine || mine;
}

void remove_reaction(Message& target, const std::string& emoji, bool mine) {
  auto it = std::ranges::find(target.reactions, emoji, &Reaction::emoji);
  if (it == target.reactions.end() || (mine && !it->mine)) return;
  if (mine) it->mine = false;
  if (--it->count <= 0) target.reactions.erase(it);
}

}  // namespace

bool apply_event(Message& target, const Message& event, UserId self) {
  if (target.deleted) return false;  // nothing comes back to a deleted message
  const bool mine = event.sender_id == self;
  if (event.type == "edit") {
    target.text = event.text;
    target.edited_at = event.created_at;
  } else if (event.type == "deletion") {
    target.deleted = true;
    target.text.clear();
    target.attachment.reset();
    target.reactions.clear();
  } else if (event.type == "reaction") {
    add_reaction(target, event.text, mine);
  } else if (event.type == "reaction_removed") {
    remove_reaction(target, event.text, mine);
  } else {
    return false;
  }
  return true;
}

std::string preview_text(const std::string& text) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    // A UTF-8 character starts at every byte that is not a continuation byte (10xxxxxx).
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && characters++ == kPreviewCharacters) return text.substr(0, i);
  }
  return text;
}

}  // namespace parley::client
