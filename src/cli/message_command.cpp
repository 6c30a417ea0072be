#include "cli/message_command.hpp"

#include <charconv>
#include <vector>

#include "cli/command_words.hpp"

namespace parley::cli {
namespace {

using Action = MessageCommand::Action;

struct Syntax {
  const char* name;
  Action action;
  const char* usage;
  bool takes_text;  // text after the seq: the rest of the line
  bool takes_word;  // one word after the seq (an emoji)
};

constexpr Syntax kSyntax[] = {
    {"/reply", Action::reply, "/reply SEQ TEXT", true, false},
    {"/edit", Action::edit, "/edit SEQ TEXT", true, false},
    {"/delete", Action::remove, "/delete SEQ", false, false},
    {"/react", Action::react, "/react SEQ EMOJI", false, true},
    {"/unreact", Action::unreact, "/unreact SEQ EMOJI", false, true},
    {"/versions", Action::versions, "/versions SEQ", false, false},
};

// "42" or "#42": a seq as the screen shows it.
std::optional<Seq> seq_of(std::string_view word) {
  if (word.starts_with('#')) word.remove_prefix(1);
  Seq seq = 0;
  auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), seq);
  if (error != std::errc{} || end != word.data() + word.size() || seq <= 0) return std::nullopt;
  return seq;
}

std::expected<MessageCommand, std::string> usage(const char* how) {
  return std::unexpected(std::string("usage: ") + how + " (SEQ: the #number before the sender)");
}

std::expected<MessageCommand, std::string> search(std::string_view line) {
  const auto words = words_of(line);
  const bool here = words.size() > 1 && words[1] == "-here";
  std::string query = rest_after(line, here ? 2 : 1);
  if (query.empty()) return std::unexpected(std::string("usage: /search [-here] WORDS"));
  return MessageCommand{.action = Action::search, .text = std::move(query), .this_room = here};
}

}  // namespace

std::optional<std::expected<MessageCommand, std::string>> parse_message_command(std::string_view line) {
  const auto words = words_of(line);
  if (words.empty()) return std::nullopt;
  if (words.front() == "/search") return search(line);
  for (const auto& s : kSyntax) {
    if (words.front() != s.name) continue;
    const std::size_t expected = s.takes_word ? 3 : 2;
    if (words.size() < 2 || (s.takes_text ? words.size() < 3 : words.size() != expected)) return usage(s.usage);
    const auto seq = seq_of(words[1]);
    if (!seq) return usage(s.usage);
    MessageCommand command{.action = s.action, .seq = *seq};
    if (s.takes_text) command.text = rest_after(line, 2);
    if (s.takes_word) command.text = words[2];
    return command;
  }
  return std::nullopt;
}

}  // namespace parley::cli
