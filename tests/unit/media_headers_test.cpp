// Range, If-None-Match and Content-Disposition for downloads.
#include <gtest/gtest.h>

#include "server/gateway/media_headers.hpp"

namespace parley::gateway {
namespace {

using Kind = ByteRange::Kind;

TEST(MediaHeaders, ByteRanges) {
  auto r = parse_byte_range("bytes=10-19", 100);
  EXPECT_EQ(r.kind, Kind::partial);
  EXPECT_EQ(r.first, 10);
  EXPECT_EQ(r.last, 19);
  EXPECT_EQ(r.length(), 10);
  r = parse_byte_range("bytes=90-", 100);
  EXPECT_EQ(r.kind, Kind::partial);
  EXPECT_EQ(r.first, 90);
  EXPECT_EQ(r.last, 99);
  r = parse_byte_range("bytes=-30", 100);
  EXPECT_EQ(r.first, 70);
  EXPECT_EQ(r.last, 99);
  r = parse_byte_range("bytes=-300", 100);
  EXPECT_EQ(r.first, 0);
  r = parse_byte_range("bytes=50-500", 100);
  EXPECT_EQ(r.last, 99);
  EXPECT_EQ(parse_byte_range("bytes=100-", 100).kind, Kind::unsatisfiable);
  EXPECT_EQ(parse_byte_range("bytes=-0", 100).kind, Kind::unsatisfiable);
  EXPECT_EQ(parse_byte_range("bytes=0-", 0).kind, Kind::unsatisfiable);
  // Not understood, or several ranges: the whole file.
  EXPECT_EQ(parse_byte_range("", 100).kind, Kind::whole);
  EXPECT_EQ(parse_byte_range("items=0-1", 100).kind, Kind::whole);
  EXPECT_EQ(parse_byte_range("bytes=0-1,5-6", 100).kind, Kind::whole);
  EXPECT_EQ(parse_byte_range("bytes=9-3", 100).kind, Kind::whole);
  EXPECT_EQ(parse_byte_range("bytes=a-b", 100).kind, Kind::whole);
  EXPECT_EQ(parse_byte_range("bytes=99999999999999999999-", 100).kind, Kind::whole);
  // A sign is no digit: the last -5 bytes would end before they start.
  EXPECT_EQ(parse_byte_range("bytes=--5", 100).kind, Kind::whole);
  EXPECT_EQ(parse_byte_range("bytes=--9223372036854775808", 100).kind, Kind::whole);
  EXPECT_EQ(parse_byte_range("bytes=5--1", 100).kind, Kind::whole);
}

TEST(MediaHeaders, EtagMatching) {
  EXPECT_TRUE(etag_matches("\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("\"x\", W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("*", "\"abc\""));
  EXPECT_FALSE(etag_matches("\"abcd\"", "\"abc\""));
}

TEST(MediaHeaders, ContentDispositionQuotesAndEncodesTheName) {
  EXPECT_EQ(content_disposition(true, "cat.png"), "inline; filename=\"cat.png\"");
  EXPECT_EQ(content_disposition(false, "a \"b\".pdf"), "attachment; filename=\"a _b_.pdf\"");
  EXPECT_EQ(content_disposition(false, "r\xC3\xA9sum\xC3\xA9.pdf"),
            "attachment; filename=\"r__sum__.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
}

}  // namespace
}  // namespace parley::gateway
