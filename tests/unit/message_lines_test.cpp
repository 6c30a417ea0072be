// The chat screen's message lines, without a terminal: times, day lines, indents, states.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "cli/message_lines.hpp"

namespace parley::cli {
namespace {

constexpr TimestampMs kMonday0905 = 1796634300000;   // 2026-12-07 09:05 UTC
constexpr TimestampMs kTuesday2359 = 1796774340000;  // 2026-12-08 23:59 UTC
const UserId kMe{1};
const UserId kBob{2};

class MessageLines : public ::testing::Test {
 protected:
  // Times are shown in local time: the test's local time is UTC, whatever the machine's is.
  void SetUp() override {
    const char* tz = std::getenv("TZ");
    saved_tz_ = tz ? std::optional<std::string>(tz) : std::nullopt;
    setenv("TZ", "UTC0", 1);
    tzset();
  }
  void TearDown() override {
    if (saved_tz_) setenv("TZ", saved_tz_->c_str(), 1);
    else unsetenv("TZ");
    tzset();
  }

  static Message text(UserId from, TimestampMs at, std::string body) {
    Message m;
    m.sender_id = from;
    m.created_at = at;
    m.text = std::move(body);
    return m;
  }

  static std::vector<std::string> texts(const std::vector<ScreenLine>& lines) {
    std::vector<std::string> out;
    for (const auto& l : lines) out.push_back(l.text);
    return out;
  }

  const Names names_{{kBob, "bob"}};
  std::optional<std::string> saved_tz_;
};

TEST_F(MessageLines, TimesDaysAndTheStateOfOnesOwn) {
  Message mine = text(kMe, kTuesday2359, "done");
  mine.state = MessageState::read;
  Message file = text(kBob, kTuesday2359, "see");
  file.type = "file";
  file.seq = 3;
  file.attachment = Attachment{.upload_id = "u", .name = "a.pdf"};
  const auto lines = message_lines({text(kBob, kMonday0905, "hello"), mine, file}, kMe, names_, 40);
  EXPECT_EQ(texts(lines), (std::vector<std::string>{"-- Mon 2026-12-07 --", "09:05 bob: hello", "-- Tue 2026-12-08 --",
                                                    "23:59 me: done  (read)", "23:59 #3 bob: [file #3] a.pdf see"}));
  EXPECT_EQ(lines[0].kind, ScreenLine::Kind::day);
  EXPECT_EQ(lines[1].kind, ScreenLine::Kind::message);
}

TEST_F(MessageLines, LineBreaksAndWrappedLinesStartUnderTheText) {
  const auto lines = message_lines({text(kBob, kMonday0905, "first\nsecond line is longer than the pane")}, kMe, names_, 30);
  EXPECT_EQ(texts(lines), (std::vector<std::string>{"-- Mon 2026-12-07 --", "09:05 bob: first", "           second line is",
                                                    "           longer than the", "           pane"}));
}

TEST_F(MessageLines, ControlSequencesFromOthersAreShownNotObeyed) {
  const auto lines = message_lines({text(kBob, kMonday0905, "\x1b]2;pwned\x07")}, kMe, names_, 40);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].text, "09:05 bob: ^[]2;pwned^G");
}

TEST_F(MessageLines, EachMessageTheServerHasShowsItsSeqAsAHandleToTypeDimmed) {
  Message sent = text(kBob, kMonday0905, "hello");
  sent.seq = 42;
  Message pending = text(kMe, kMonday0905, "on its way");
  pending.state = MessageState::pending;
  const auto lines = message_lines({sent, pending}, kMe, names_, 40);
  EXPECT_EQ(texts(lines), (std::vector<std::string>{"-- Mon 2026-12-07 --", "09:05 #42 bob: hello", "09:05 me: on its way  (pending)"}));
  EXPECT_EQ(lines[1].text.substr(lines[1].handle_begin, lines[1].handle_end - lines[1].handle_begin), "#42");
  EXPECT_EQ(lines[1].seq, 42);
  EXPECT_EQ(lines[2].handle_begin, lines[2].handle_end);
}

TEST_F(MessageLines, AReplyQuotesTheOriginalAsItStandsAboveIt) {
  Message original = text(kBob, kMonday0905, "shall we move the meeting to Thursday afternoon, after the review of the figures?");
  original.seq = 5;
  Message reply = text(kMe, kMonday0905, "yes");
  reply.seq = 6;
  reply.reply_to = 5;
  reply.reply_preview = ReplyPreview{.seq = 5, .sender_id = kBob, .type = "text", .text = "the text when the reply was read"};
  auto lines = message_lines({original, reply}, kMe, names_, 200);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[2].kind, ScreenLine::Kind::quote);
  EXPECT_EQ(lines[2].text, "      ↳ bob: shall we move the meeting to Thursday afternoon, after the…");
  EXPECT_EQ(lines[3].text, "09:05 #6 me: yes  (sent)");

  // Edited since: the quote follows; deleted: it says so.
  original.text = "moved to Friday";
  original.edited_at = kMonday0905;
  lines = message_lines({original, reply}, kMe, names_, 200);
  EXPECT_EQ(lines[1].text, "09:05 #5 bob: moved to Friday (edited)");
  EXPECT_EQ(lines[2].text, "      ↳ bob: moved to Friday");
  original.deleted = true;
  original.text.clear();
  lines = message_lines({original, reply}, kMe, names_, 200);
  EXPECT_EQ(lines[2].text, "      ↳ bob: message deleted");

  // The original out of the screen's messages: the reply's preview, cut to the pane.
  lines = message_lines({reply}, kMe, names_, 24);
  EXPECT_EQ(lines[1].text, "      ↳ bob: the text wh");
}

TEST_F(MessageLines, ADeletedMessageIsATombstoneWithItsHandle) {
  Message gone = text(kBob, kMonday0905, "");
  gone.seq = 7;
  gone.deleted = true;
  const auto lines = message_lines({gone}, kMe, names_, 40);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].text, "09:05 #7 bob: message deleted");
  EXPECT_EQ(lines[1].kind, ScreenLine::Kind::deleted);
}

TEST_F(MessageLines, ReactionsFollowUnderTheTextOnesOwnInBrackets) {
  Message m = text(kBob, kMonday0905, "lunch?");
  m.seq = 9;
  m.reactions = {{.emoji = "👍", .count = 2, .mine = true}, {.emoji = "❤", .count = 1}};
  const auto lines = message_lines({m}, kMe, names_, 40);
  EXPECT_EQ(texts(lines), (std::vector<std::string>{"-- Mon 2026-12-07 --", "09:05 #9 bob: lunch?", "              [👍 2]  ❤ 1"}));
  EXPECT_EQ(lines[2].seq, 9);
}

TEST(ReactionsText, EmojiFromOthersAreMadeSafeToPrint) {
  EXPECT_EQ(reactions_text({{.emoji = "\x1b[2J", .count = 1}}), "^[[2J 1");
  EXPECT_EQ(reactions_text({}), "");
}

// `parley history`'s one line per message: a reply names what it answers, an edit and reactions
// show after the text, a deletion hides it.
TEST(HistoryLine, ShowsRepliesEditsReactionsAndDeletions) {
  const Names names{{kBob, "bob"}};
  Message m;
  m.sender_id = kBob;
  m.seq = 7;
  m.text = "lunch at one?";
  EXPECT_EQ(describe(m, kMe, names), "bob: lunch at one?");
  m.reply_to = 3;
  m.edited_at = 1000;
  m.reactions = {{.emoji = "👍", .count = 2, .mine = true}};
  EXPECT_EQ(describe(m, kMe, names), "bob: ↳ #3 lunch at one? (edited)  [👍 2]");
  m.deleted = true;
  m.text.clear();
  m.reactions.clear();
  EXPECT_EQ(describe(m, kMe, names), "bob: message deleted");
}

}  // namespace
}  // namespace parley::cli
