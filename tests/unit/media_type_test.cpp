// What the first bytes of an upload say it is, and whether that fits its declared type.
#include <gtest/gtest.h>

#include <string>

#include "domain/media_type.hpp"

namespace parley::domain {
namespace {

std::span<const unsigned char> bytes(const std::string& s) {
  return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

std::string padded(std::string head) {
  head.resize(64, '\0');
  return head;
}

TEST(MediaType, RecognisesCommonFormats) {
  EXPECT_TRUE(detect_content(bytes(padded("\x89PNG\r\n\x1A\n"))).image);
  EXPECT_TRUE(detect_content(bytes(padded("\xFF\xD8\xFF\xE0"))).image);
  EXPECT_TRUE(detect_content(bytes(padded("GIF89a"))).image);
  EXPECT_TRUE(detect_content(bytes(padded(std::string("RIFF\0\0\0\0WEBPVP8 ", 16)))).image);
  EXPECT_TRUE(detect_content(bytes(padded("ID3\x03"))).audio);
  EXPECT_TRUE(detect_content(bytes(padded("\xFF\xFB\x90\x00"))).audio);  // an MP3 frame without ID3
  EXPECT_TRUE(detect_content(bytes(padded("OggS"))).audio);
  EXPECT_TRUE(detect_content(bytes(padded(std::string("RIFF\0\0\0\0WAVEfmt ", 16)))).audio);
  EXPECT_TRUE(detect_content(bytes(padded("fLaC"))).audio);
  EXPECT_TRUE(detect_content(bytes(padded(std::string("\0\0\0\x20" "ftypM4A ", 12)))).audio);
  EXPECT_TRUE(detect_content(bytes(padded(std::string("\0\0\0\x20" "ftypisom", 12)))).video);
  EXPECT_TRUE(detect_content(bytes(padded("\x1A\x45\xDF\xA3"))).video);
  EXPECT_TRUE(detect_content(bytes(padded("\x7F" "ELF"))).executable);
  EXPECT_TRUE(detect_content(bytes(padded("MZ\x90"))).executable);
  EXPECT_TRUE(detect_content(bytes(padded("\xCF\xFA\xED\xFE"))).executable);
  EXPECT_TRUE(detect_content(bytes(padded("hello"))).format.empty());
}

TEST(MediaType, MediaTypesMustBeBackedByTheirBytes) {
  const std::string png = padded("\x89PNG\r\n\x1A\n");
  EXPECT_TRUE(check_content_matches("image/png", bytes(png)));
  auto as_audio = check_content_matches("audio/mpeg", bytes(png));
  ASSERT_FALSE(as_audio);
  EXPECT_EQ(as_audio.error().code, ErrorCode::unsupported_media_type);
  EXPECT_NE(as_audio.error().message.find("PNG"), std::string::npos);

  auto elf = check_content_matches("image/png", bytes(padded("\x7F" "ELF")));
  ASSERT_FALSE(elf);
  EXPECT_EQ(elf.error().code, ErrorCode::unsupported_media_type);
  EXPECT_FALSE(check_content_matches("video/mp4", bytes(std::string())));

  // Other types are taken as declared: a file message may carry anything.
  EXPECT_TRUE(check_content_matches("application/octet-stream", bytes(padded("\x7F" "ELF"))));
  EXPECT_TRUE(check_content_matches("text/plain", bytes(std::string("hello"))));
}

TEST(MediaType, DeclaredTypesAreNormalized) {
  EXPECT_EQ(*normalize_mime_type("Image/PNG"), "image/png");
  EXPECT_EQ(*normalize_mime_type("text/plain; charset=utf-8"), "text/plain");
  EXPECT_FALSE(normalize_mime_type(""));
  EXPECT_FALSE(normalize_mime_type("png"));
  EXPECT_FALSE(normalize_mime_type("image/"));
  EXPECT_FALSE(normalize_mime_type("a/b/c"));
}

}  // namespace
}  // namespace parley::domain
