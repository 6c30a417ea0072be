#include <gtest/gtest.h>

#include "domain/validation.hpp"

namespace parley::domain {
namespace {

Message text_message(std::string text) {
  Message m;
  m.client_msg_id = "c-1";
  m.type = MessageType::text;
  m.text = std::move(text);
  return m;
}

Message media(MessageType type, std::string mime) {
  Message m = text_message("");
  m.type = type;
  m.attachment = Attachment{"", "file.bin", std::move(mime), 10, std::nullopt, std::nullopt, std::nullopt};
  return m;
}

TEST(Validation, UsernamesAreLowerCasedAndRestricted) {
  EXPECT_EQ(normalize_username("Alice_01").value(), "alice_01");
  EXPECT_FALSE(normalize_username("al").has_value());
  EXPECT_FALSE(normalize_username("alice smith").has_value());
  EXPECT_FALSE(normalize_username(std::string(33, 'a')).has_value());
  EXPECT_EQ(normalize_username("a b").error().code, ErrorCode::invalid_payload);
}

TEST(Validation, Passwords) {
  EXPECT_TRUE(validate_password("correct horse").has_value());
  EXPECT_FALSE(validate_password("short").has_value());
}

TEST(Validation, TextMessagesNeedText) {
  EXPECT_TRUE(validate_outgoing(text_message("hi")).has_value());
  EXPECT_EQ(validate_outgoing(text_message("   ")).error().code, ErrorCode::invalid_payload);
  EXPECT_EQ(validate_outgoing(text_message(std::string(16 * 1024 + 1, 'x'))).error().code,
            ErrorCode::payload_too_large);
  Message no_id = text_message("hi");
  no_id.client_msg_id.clear();
  EXPECT_EQ(validate_outgoing(no_id).error().code, ErrorCode::invalid_payload);
}

TEST(Validation, AttachmentsMatchTheirMessageType) {
  EXPECT_TRUE(validate_outgoing(media(MessageType::image, "image/png")).has_value());
  EXPECT_TRUE(validate_outgoing(media(MessageType::file, "application/pdf")).has_value());
  EXPECT_TRUE(validate_outgoing(media(MessageType::audio, "audio/ogg")).has_value());
  EXPECT_TRUE(validate_outgoing(media(MessageType::video, "video/mp4")).has_value());
  EXPECT_FALSE(validate_outgoing(media(MessageType::image, "audio/ogg")).has_value());
  EXPECT_FALSE(validate_outgoing(media(MessageType::video, "nonsense")).has_value());
  Message missing = text_message("");
  missing.type = MessageType::image;
  EXPECT_FALSE(validate_outgoing(missing).has_value());
  Message system = text_message("x");
  system.type = MessageType::system;
  EXPECT_FALSE(validate_outgoing(system).has_value());
}

TEST(Validation, HistoryPageSize) {
  EXPECT_EQ(history_page_size(std::nullopt).value(), 50);
  EXPECT_FALSE(history_page_size(0).has_value()) << "an empty page asked for is a mistake, not the default";
  EXPECT_EQ(history_page_size(100).value(), 100);
  EXPECT_FALSE(history_page_size(101).has_value());
  EXPECT_FALSE(history_page_size(-1).has_value());
}

TEST(Validation, Utf8) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii, longer than eight bytes"));
  EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));  // é € 😀
  EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));                            // U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("abc\xc3"));           // cut short
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation
  EXPECT_FALSE(is_valid_utf8("12345678\xff"));      // after a fast-path word
}


}  // namespace
}  // namespace parley::domain
