// The terminal client's commands on one message, and /search, as typed.
#include <gtest/gtest.h>

#include "cli/command_words.hpp"
#include "cli/message_command.hpp"

namespace parley::cli {
namespace {

using Action = MessageCommand::Action;

MessageCommand parsed(std::string_view line) {
  auto command = parse_message_command(line);
  EXPECT_TRUE(command.has_value()) << line;
  EXPECT_TRUE(command && command->has_value()) << line << ": " << (command && !*command ? command->error() : "");
  return command && *command ? **command : MessageCommand{};
}

std::string usage_of(std::string_view line) {
  auto command = parse_message_command(line);
  EXPECT_TRUE(command && !command->has_value()) << line;
  return command && !*command ? command->error() : "";
}

void expect_parsed(std::string_view line, Action action, Seq seq, std::string_view text) {
  const auto command = parsed(line);
  EXPECT_EQ(command.action, action) << line;
  EXPECT_EQ(command.seq, seq) << line;
  EXPECT_EQ(command.text, text) << line;
}

TEST(MessageCommand, ReplyAndEditTakeTheRestOfTheLineAsTyped) {
  expect_parsed("/reply 42 sure,  see you   there", Action::reply, 42, "sure,  see you   there");
  expect_parsed("/edit #7 café à deux", Action::edit, 7, "café à deux");
}

TEST(MessageCommand, DeleteVersionsReactAndUnreact) {
  expect_parsed("/delete 3", Action::remove, 3, "");
  expect_parsed("/versions #3", Action::versions, 3, "");
  expect_parsed("/react 3 👍🏽", Action::react, 3, "👍🏽");
  expect_parsed("/unreact  #3  ❤", Action::unreact, 3, "❤");
}

TEST(MessageCommand, ABadSeqOrMissingPartsGiveTheUsage) {
  EXPECT_TRUE(usage_of("/reply").starts_with("usage: /reply SEQ TEXT"));
  EXPECT_TRUE(usage_of("/reply 42").starts_with("usage: /reply SEQ TEXT"));
  EXPECT_TRUE(usage_of("/edit x hello").starts_with("usage: /edit SEQ TEXT"));
  EXPECT_TRUE(usage_of("/delete 0").starts_with("usage: /delete SEQ"));
  EXPECT_TRUE(usage_of("/delete -3").starts_with("usage: /delete SEQ"));
  EXPECT_TRUE(usage_of("/delete 3 4").starts_with("usage: /delete SEQ"));
  EXPECT_TRUE(usage_of("/react 3").starts_with("usage: /react SEQ EMOJI"));
  EXPECT_TRUE(usage_of("/react 3 two words").starts_with("usage: /react SEQ EMOJI"));
  EXPECT_TRUE(usage_of("/versions 12abc").starts_with("usage: /versions SEQ"));
}

TEST(MessageCommand, SearchEverywhereOrInTheOpenRoom) {
  auto all = parsed("/search quarterly  report");
  EXPECT_EQ(all.action, Action::search);
  EXPECT_EQ(all.text, "quarterly  report");
  EXPECT_FALSE(all.this_room);
  auto here = parsed("/search -here report");
  EXPECT_TRUE(here.this_room);
  EXPECT_EQ(here.text, "report");
  EXPECT_EQ(usage_of("/search"), "usage: /search [-here] WORDS");
  EXPECT_EQ(usage_of("/search -here"), "usage: /search [-here] WORDS");
}

TEST(MessageCommand, OtherCommandsAreNotTheirs) {
  EXPECT_FALSE(parse_message_command("/join 3").has_value());
  EXPECT_FALSE(parse_message_command("/replying 3 x").has_value());
  EXPECT_FALSE(parse_message_command("").has_value());
}

TEST(CommandWords, RestAfterKeepsTheSpacingAsTyped) {
  EXPECT_EQ(words_of("  /file  a.txt  the  caption "), (std::vector<std::string>{"/file", "a.txt", "the", "caption"}));
  EXPECT_EQ(rest_after("/file a.txt  the  caption", 2), "the  caption");
  EXPECT_EQ(rest_after("/file", 2), "");
}

}  // namespace
}  // namespace parley::cli
