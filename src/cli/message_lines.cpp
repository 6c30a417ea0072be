#include "cli/message_lines.hpp"

#include <ctime>

#include "cli/safe_text.hpp"
#include "cli/text_wrap.hpp"
#include "cli/utf8.hpp"

namespace parley::cli {
namespace {

std::tm local_time(TimestampMs at) {
  const std::time_t seconds = static_cast<std::time_t>(at / 1000);
  std::tm local{};
  localtime_r(&seconds, &local);
  return local;
}

std::string formatted(const std::tm& t, const char* format) {
  char text[64];
  return std::strftime(text, sizeof text, format, &t) > 0 ? text : "";
}

// A message's text by its own lines: a line break in it starts a new screen line (indented like
// a wrapped one) rather than showing as a symbol.
std::vector<std::string> paragraphs(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t at; (at = text.find('\n', start)) != std::string::npos; start = at + 1) out.push_back(shown(text.substr(start, at - start)));
  out.push_back(shown(text.substr(start)));
  return out;
}

}  // namespace

std::vector<ScreenLine> message_lines(const std::vector<Message>& messages, UserId me, const Names& names, int width) {
  std::vector<ScreenLine> lines;
  std::string shown_day;
  for (const auto& m : messages) {
    // A pending message has the time it was written; one without any time gets no day line.
    const std::tm when = local_time(m.created_at);
    if (m.created_at > 0) {
      std::string day = formatted(when, "%a %Y-%m-%d");
      if (day != shown_day) {
        lines.push_back({ScreenLine::Kind::day, clip_to_width("-- " + day + " --", width)});
        shown_day = day;
      }
    }
    const std::string time = m.created_at > 0 ? formatted(when, "%H:%M ") : "      ";
    if (m.type == "system") {
      for (auto& line : wrap_with_prefix(time + "* ", shown(m.text), width)) lines.push_back({ScreenLine::Kind::system, line});
      continue;
    }
    std::vector<std::string> text = paragraphs(m.text);
    const std::string label = attachment_label(m);
    if (!label.empty()) text.front() = label + (text.front().empty() ? "" : " " + text.front());
    if (m.sender_id == me) text.back() += "  " + status_mark(m);
    const std::string prefix = time + sender_name(m, me, names) + ": ";
    const std::string indent(static_cast<std::size_t>(display_width(prefix)), ' ');
    for (std::size_t i = 0; i < text.size(); ++i) {
      // The later paragraphs are wrapped like continuation lines: under the text, not at column 0.
      auto wrapped = wrap_with_prefix(i == 0 ? prefix : indent, text[i], width);
      for (auto& line : wrapped) lines.push_back({ScreenLine::Kind::message, std::move(line)});
    }
  }
  return lines;
}

}  // namespace parley::cli
