#include "cli/message_lines.hpp"

#include <unordered_map>

#include "cli/safe_text.hpp"
#include "cli/text_wrap.hpp"
#include "cli/utf8.hpp"

namespace parley::cli {
namespace {

// How much of the original a reply quotes, before the screen's width cuts it further.
constexpr std::size_t kQuoteChars = 60;

// A message's text by its own lines: a line break in it starts a new screen line (indented like
// a wrapped one) rather than showing as a symbol.
std::vector<std::string> paragraphs(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t at; (at = text.find('\n', start)) != std::string::npos; start = at + 1) out.push_back(shown(text.substr(start, at - start)));
  out.push_back(shown(text.substr(start)));
  return out;
}

// `text` on one line (its line breaks as spaces), at most `max_chars` characters, "…" where cut.
std::string one_line(const std::string& text, std::size_t max_chars) {
  std::string flat = text;
  for (char& c : flat)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  std::u32string chars = to_code_points(shown(flat));
  if (chars.size() <= max_chars) return to_utf8(chars);
  chars.resize(max_chars);
  // At a word's end when there is one in the second half.
  if (auto space = chars.rfind(U' '); space != std::u32string::npos && space > max_chars / 2) chars.resize(space);
  while (!chars.empty() && chars.back() == U' ') chars.pop_back();
  return to_utf8(chars) + "…";
}

}  // namespace

std::string reply_quote(const Message& reply, const Message* original, UserId me, const Names& names, std::size_t max_chars) {
  UserId sender;
  std::string type;
  std::string text;
  bool deleted = false;
  if (original) {
    sender = original->sender_id;
    type = original->type;
    text = original->text;
    deleted = original->deleted;
  } else if (reply.reply_preview) {
    sender = reply.reply_preview->sender_id;
    type = reply.reply_preview->type;
    text = reply.reply_preview->text;
    deleted = reply.reply_preview->deleted;
  } else {
    return "↳ #" + std::to_string(reply.reply_to.value_or(0));
  }
  std::string what = deleted ? "message deleted"
                     : !text.empty() ? one_line(text, max_chars)
                                     : "[" + shown(type) + "]";
  return "↳ " + sender_name(sender, me, names) + ": " + what;
}

std::vector<ScreenLine> message_lines(const std::vector<Message>& messages, UserId me, const Names& names, int width) {
  std::unordered_map<Seq, const Message*> by_seq;
  for (const auto& m : messages)
    if (m.seq > 0) by_seq[m.seq] = &m;
  std::vector<ScreenLine> lines;
  std::string shown_day;
  for (const auto& m : messages) {
    // A pending message has the time it was written; one without any time gets no day line.
    if (m.created_at > 0) {
      std::string day = local_time_text(m.created_at, "%a %Y-%m-%d");
      if (day != shown_day) {
        lines.push_back({ScreenLine::Kind::day, clip_to_width("-- " + day + " --", width)});
        shown_day = day;
      }
    }
    const std::string time = m.created_at > 0 ? local_time_text(m.created_at, "%H:%M ") : "      ";
    if (m.type == "system") {
      for (auto& line : wrap_with_prefix(time + "* ", shown(m.text), width))
        lines.push_back({ScreenLine::Kind::system, line, m.seq});
      continue;
    }
    if (m.reply_to && !m.deleted) {
      auto original = by_seq.find(*m.reply_to);
      const std::string quote = reply_quote(m, original != by_seq.end() ? original->second : nullptr, me, names, kQuoteChars);
      lines.push_back({ScreenLine::Kind::quote, clip_to_width(std::string(time.size(), ' ') + quote, width), m.seq});
    }
    // The handle commands take (/reply 42 ...): the room's seq, once the server has the message.
    const std::string handle = m.seq > 0 ? "#" + std::to_string(m.seq) : "";
    const std::string prefix = time + (handle.empty() ? "" : handle + " ") + sender_name(m, me, names) + ": ";
    const std::string indent(static_cast<std::size_t>(display_width(prefix)), ' ');
    const auto kind = m.deleted ? ScreenLine::Kind::deleted : ScreenLine::Kind::message;
    std::vector<std::string> text = m.deleted ? std::vector<std::string>{"message deleted"} : paragraphs(m.text);
    if (!m.deleted) {
      const std::string label = attachment_label(m);
      if (!label.empty()) text.front() = label + (text.front().empty() ? "" : " " + text.front());
      if (m.edited_at) text.back() += " (edited)";
      if (m.sender_id == me) text.back() += "  " + status_mark(m);
    }
    const std::size_t first_line = lines.size();
    for (std::size_t i = 0; i < text.size(); ++i) {
      // The later paragraphs are wrapped like continuation lines: under the text, not at column 0.
      for (auto& line : wrap_with_prefix(i == 0 ? prefix : indent, text[i], width))
        lines.push_back({kind, std::move(line), m.seq});
    }
    if (!handle.empty() && lines[first_line].text.size() >= time.size() + handle.size()) {
      lines[first_line].handle_begin = time.size();
      lines[first_line].handle_end = time.size() + handle.size();
    }
    if (const std::string reactions = reactions_text(m.reactions); !reactions.empty() && !m.deleted)
      for (auto& line : wrap_with_prefix(indent, reactions, width)) lines.push_back({kind, std::move(line), m.seq});
  }
  return lines;
}

}  // namespace parley::cli
