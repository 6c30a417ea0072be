#include "cli/message_text.hpp"

#include <ctime>

#include "cli/safe_text.hpp"

namespace parley::cli {

std::string status_mark(const Message& m) {
  switch (m.state) {
    case MessageState::pending: return "(pending)";
    case MessageState::sent: return "(sent)";
    case MessageState::delivered: return "(delivered)";
    case MessageState::read: return "(read)";
    case MessageState::failed: return "(failed: " + shown(m.failure) + ")";
  }
  return "";
}

std::string sender_name(const Message& m, UserId me, const Names& names) { return sender_name(m.sender_id, me, names); }

std::string sender_name(UserId sender, UserId me, const Names& names) {
  if (sender == me) return "me";
  auto known = names.find(sender);
  return known != names.end() ? known->second : "user " + std::to_string(sender.value);
}

std::string local_time_text(TimestampMs at, const char* format) {
  const std::time_t seconds = static_cast<std::time_t>(at / 1000);
  std::tm local{};
  localtime_r(&seconds, &local);
  char text[64];
  return std::strftime(text, sizeof text, format, &local) > 0 ? text : "";
}

std::string attachment_label(const Message& m) {
  if (m.type == "text" || m.type == "system") return "";
  // Files show their seq: `parley download ROOM SEQ` fetches them.
  return "[" + shown(m.type) + (m.seq > 0 ? " #" + std::to_string(m.seq) : "") + "] " +
         (m.attachment ? shown(m.attachment->name) : "");
}

std::string reactions_text(const std::vector<Reaction>& reactions) {
  std::string out;
  for (const auto& r : reactions) {
    if (r.count <= 0) continue;
    std::string one = shown(r.emoji) + " " + std::to_string(r.count);
    out += (out.empty() ? "" : "  ") + (r.mine ? "[" + one + "]" : one);
  }
  return out;
}

std::string describe(const Message& m, UserId me, const Names& names) {
  if (m.type == "system") return "  * " + shown(m.text);
  const std::string who = sender_name(m, me, names) + ": ";
  if (m.deleted) return who + "message deleted";
  std::string body = m.type == "text" ? shown(m.text) : attachment_label(m) + (m.text.empty() ? "" : " " + shown(m.text));
  std::string line = who + (m.reply_to ? "↳ #" + std::to_string(*m.reply_to) + " " : "") + body;
  if (m.edited_at) line += " (edited)";
  if (const std::string reactions = reactions_text(m.reactions); !reactions.empty()) line += "  " + reactions;
  if (m.sender_id == me) line += "  " + status_mark(m);
  return line;
}

}  // namespace parley::cli
