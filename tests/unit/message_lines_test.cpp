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
                                                    "23:59 me: done  (read)", "23:59 bob: [file #3] a.pdf see"}));
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

}  // namespace
}  // namespace parley::cli
