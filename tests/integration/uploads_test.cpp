// Uploads: files streamed in over HTTP, attached to image/file/audio/video messages, and
// downloaded (whole or by range) by the members of the rooms that hold them, and no one else.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

namespace parley::test {
namespace {

namespace json = boost::json;

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

// `size` bytes that start like a PNG file and differ for each seed.
std::string png_bytes(std::size_t size, unsigned seed = 1) {
  std::string bytes = "\x89PNG\r\n\x1A\n";
  std::uint32_t state = seed * 2654435761u;
  while (bytes.size() < size) {
    state = state * 1664525u + 1013904223u;
    bytes += static_cast<char>(state >> 24);
  }
  bytes.resize(size);
  return bytes;
}

HttpResponse upload(const TestServer& server, const Account& who, std::string_view bytes, std::string_view mime,
                    std::string_view query = "name=cat.png") {
  HttpRequest req;
  req.method = "POST";
  req.target = "/v1/uploads?" + std::string(query);
  req.body = std::string(bytes);
  req.bearer = who.access_token;
  req.headers = {{"Content-Type", std::string(mime)}};
  return send_http(server.port(), req);
}

json::object require_upload(const TestServer& server, const Account& who, std::string_view bytes,
                            std::string_view mime, std::string_view query = "name=cat.png") {
  auto res = upload(server, who, bytes, mime, query);
  if (res.status != 201) throw std::runtime_error("upload refused: " + std::to_string(res.status) + " " + res.body);
  return get_obj(res.object(), "upload");
}

HttpResponse download(const TestServer& server, const Account& who, std::string_view upload_id,
                      HttpHeaders headers = {}) {
  return http_request(server.port(), "GET", "/v1/uploads/" + std::string(upload_id), {}, who.access_token,
                      std::move(headers));
}

HttpResponse send_attachment(const TestServer& server, const Account& who, std::int64_t room, std::string_view type,
                             std::string_view upload_id, std::string_view client_msg_id) {
  json::object body{{"client_msg_id", client_msg_id},
                    {"type", type},
                    {"attachment", json::object{{"upload_id", upload_id}}}};
  return http_json(server.port(), "POST", "/v1/rooms/" + std::to_string(room) + "/messages", body, who.access_token);
}

std::int64_t direct_room_http(const TestServer& server, const Account& who, const Account& peer) {
  auto res = http_json(server.port(), "POST", "/v1/rooms/direct", {{"user_id", peer.id}}, who.access_token);
  return get_int(get_obj(res.object(), "room"), "id");
}

class UploadsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }
  TestServer server;
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");
  Account carol = register_user(server, "carol");
  std::int64_t room = direct_room_http(server, alice, bob);
};

TEST_F(UploadsTest, AnImageSentInAMessageReachesTheOtherMemberByteForByte) {
  // Several chunks' worth, so that streaming in and out is exercised.
  const std::string bytes = png_bytes(300'000);
  auto up = require_upload(server, alice, bytes, "image/png", "name=cat.png&width=640&height=480");
  EXPECT_EQ(get_str(up, "name"), "cat.png");
  EXPECT_EQ(get_str(up, "mime_type"), "image/png");
  EXPECT_EQ(get_int(up, "size"), 300'000);
  EXPECT_EQ(get_str(up, "sha256"), sha256_hex(bytes));
  EXPECT_EQ(get_int(up, "width"), 640);
  EXPECT_EQ(get_int(up, "height"), 480);
  const std::string id = get_str(up, "upload_id");

  auto sent = send_attachment(server, alice, room, "image", id, "img-1");
  ASSERT_EQ(sent.status, 200) << sent.body;
  const auto& attachment = get_obj(get_obj(sent.object(), "message"), "attachment");
  EXPECT_EQ(get_str(attachment, "upload_id"), id);
  EXPECT_EQ(get_str(attachment, "name"), "cat.png");
  EXPECT_EQ(get_str(attachment, "mime_type"), "image/png");
  EXPECT_EQ(get_int(attachment, "size"), 300'000);
  EXPECT_EQ(get_int(attachment, "width"), 640);

  auto got = download(server, bob, id);
  ASSERT_EQ(got.status, 200) << got.body.substr(0, 200);
  EXPECT_EQ(sha256_hex(got.body), sha256_hex(bytes));
  EXPECT_TRUE(got.body == bytes);
  EXPECT_EQ(got.header("Content-Type"), "image/png");
  EXPECT_EQ(got.header("Content-Length"), "300000");
  EXPECT_EQ(got.header("ETag"), "\"" + sha256_hex(bytes) + "\"");
  EXPECT_EQ(got.header("Cache-Control"), "private, max-age=31536000, immutable");
  EXPECT_EQ(got.header("Accept-Ranges"), "bytes");
  EXPECT_EQ(got.header("Content-Disposition"), "inline; filename=\"cat.png\"");
  EXPECT_EQ(got.header("X-Content-Type-Options"), "nosniff");
}

TEST_F(UploadsTest, AChunkedBodyOfManyPiecesIsStoredWhole) {
  // HTTP chunks of odd sizes, together more than the server's own chunks of a file, so that
  // its pieces straddle both.
  const std::string bytes = png_bytes(700'001, 3);
  std::string raw = "POST /v1/uploads?name=pieces.png HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                    alice.access_token +
                    "\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
  for (std::size_t at = 0, piece = 1; at < bytes.size(); at += piece, piece = piece * 3 + 7) {
    const std::size_t size = std::min(piece, bytes.size() - at);
    char length[32];
    std::snprintf(length, sizeof length, "%zx\r\n", size);
    raw += length + bytes.substr(at, size) + "\r\n";
  }
  raw += "0\r\n\r\n";
  auto res = send_raw_http(server.port(), raw);
  ASSERT_EQ(res.status, 201) << res.body;
  const auto& up = get_obj(res.object(), "upload");
  EXPECT_EQ(get_int(up, "size"), 700'001);
  EXPECT_EQ(get_str(up, "sha256"), sha256_hex(bytes));
  auto got = download(server, alice, get_str(up, "upload_id"));
  ASSERT_EQ(got.status, 200);
  EXPECT_TRUE(got.body == bytes);
}

TEST_F(UploadsTest, RangeRequestsReturnTheAskedSlice) {
  const std::string bytes = png_bytes(100'000, 2);
  const std::string id = get_str(require_upload(server, alice, bytes, "image/png"), "upload_id");
  ASSERT_EQ(send_attachment(server, alice, room, "image", id, "img-r").status, 200);

  auto middle = download(server, bob, id, {{"Range", "bytes=1000-1999"}});
  ASSERT_EQ(middle.status, 206);
  EXPECT_TRUE(middle.body == bytes.substr(1000, 1000));
  EXPECT_EQ(middle.header("Content-Range"), "bytes 1000-1999/100000");
  EXPECT_EQ(middle.header("Content-Length"), "1000");
  EXPECT_EQ(middle.header("Content-Type"), "image/png");

  auto tail = download(server, bob, id, {{"Range", "bytes=99990-"}});
  ASSERT_EQ(tail.status, 206);
  EXPECT_TRUE(tail.body == bytes.substr(99'990));
  EXPECT_EQ(tail.header("Content-Range"), "bytes 99990-99999/100000");

  auto suffix = download(server, bob, id, {{"Range", "bytes=-64"}});
  ASSERT_EQ(suffix.status, 206);
  EXPECT_TRUE(suffix.body == bytes.substr(100'000 - 64));
  EXPECT_EQ(suffix.header("Content-Range"), "bytes 99936-99999/100000");

  auto past_end = download(server, bob, id, {{"Range", "bytes=100000-"}});
  EXPECT_EQ(past_end.status, 416);
  EXPECT_EQ(past_end.header("Content-Range"), "bytes */100000");

  // The connection is still good for the next request after each of those.
  EXPECT_EQ(download(server, bob, id).status, 200);
}

TEST_F(UploadsTest, AMatchingEtagAnswersNotModified) {
  const std::string bytes = png_bytes(5'000, 3);
  const std::string id = get_str(require_upload(server, alice, bytes, "image/png"), "upload_id");
  auto first = download(server, alice, id);
  ASSERT_EQ(first.status, 200);
  auto again = download(server, alice, id, {{"If-None-Match", first.header("ETag")}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.header("ETag"), first.header("ETag"));
  EXPECT_EQ(download(server, alice, id, {{"If-None-Match", "\"something-else\""}}).status, 200);
}

TEST_F(UploadsTest, OutsidersCannotTellAnUploadExists) {
  const std::string id = get_str(require_upload(server, alice, png_bytes(2'000, 4), "image/png"), "upload_id");
  ASSERT_EQ(send_attachment(server, alice, room, "image", id, "img-o").status, 200);

  auto outsider = download(server, carol, id);
  auto missing = download(server, carol, "u_no_such_upload");
  EXPECT_TRUE(is_http_error(outsider, 404, "not_found"));
  EXPECT_EQ(outsider.body, missing.body);
  // Before the message, the other member could not see it either; now it can.
  EXPECT_EQ(download(server, bob, id).status, 200);
  EXPECT_TRUE(is_http_error(http_request(server.port(), "GET", "/v1/uploads/" + id), 401, "unauthorized"));
}

TEST_F(UploadsTest, AnUploadIsPrivateToItsOwnerUntilAMessageCarriesIt) {
  const std::string id = get_str(require_upload(server, alice, png_bytes(2'000, 5), "image/png"), "upload_id");
  EXPECT_EQ(download(server, alice, id).status, 200);
  EXPECT_TRUE(is_http_error(download(server, bob, id), 404, "not_found"));
}

TEST_F(UploadsTest, ContentThatIsNotWhatItClaimsIsRefused) {
  auto png_as_audio = upload(server, alice, png_bytes(1'000, 6), "audio/mpeg", "name=song.mp3");
  EXPECT_TRUE(is_http_error(png_as_audio, 415, "unsupported_media_type"));
  EXPECT_NE(get_str(get_obj(png_as_audio.object(), "error"), "message").find("PNG"), std::string::npos);

  std::string elf = "\x7F" "ELF\x02\x01\x01";
  elf.resize(4'096, '\0');
  auto elf_as_image = upload(server, alice, elf, "image/png", "name=cat.png");
  EXPECT_TRUE(is_http_error(elf_as_image, 415, "unsupported_media_type"));
  EXPECT_NE(get_str(get_obj(elf_as_image.object(), "error"), "message").find("ELF"), std::string::npos);

  // A file message may carry any bytes, as long as they do not claim to be media.
  EXPECT_EQ(upload(server, alice, elf, "application/octet-stream", "name=tool").status, 201);
  EXPECT_TRUE(is_http_error(upload(server, alice, "hello", "text/plain", ""), 400, "invalid_payload"));
}

TEST_F(UploadsTest, AMessageMayCarryOnlyItsSendersUploadOfTheRightKind) {
  const std::string alices = get_str(require_upload(server, alice, png_bytes(2'000, 7), "image/png"), "upload_id");
  EXPECT_TRUE(is_http_error(send_attachment(server, bob, room, "image", alices, "steal-1"), 404, "not_found"));
  EXPECT_TRUE(is_http_error(send_attachment(server, alice, room, "audio", alices, "wrong-kind"), 400, "invalid_payload"));
  EXPECT_TRUE(is_http_error(send_attachment(server, alice, room, "image", "u_missing", "missing-1"), 404, "not_found"));
  // A file message takes an upload of any type.
  EXPECT_EQ(send_attachment(server, alice, room, "file", alices, "as-file").status, 200);
}

class UploadLimitsTest : public ::testing::Test {
 protected:
  TestServer server{{"--max-upload-bytes", "4096"}};
  Account alice = register_user(server, "alice");
};

TEST_F(UploadLimitsTest, AnOversizedUploadIsRefusedBeforeItsBodyIsRead) {
  // Ten gigabytes announced and not one sent: the answer can only come from the header.
  const std::string raw = "POST /v1/uploads?name=huge.png HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                          alice.access_token +
                          "\r\nContent-Type: image/png\r\nContent-Length: 10737418240\r\n\r\n";
  auto res = send_raw_http(server.port(), raw, std::chrono::seconds(10));
  EXPECT_TRUE(is_http_error(res, 413, "payload_too_large"));
  EXPECT_EQ(res.header("Connection"), "close");

  EXPECT_TRUE(is_http_error(upload(server, alice, png_bytes(5'000), "image/png"), 413, "payload_too_large"));
  EXPECT_EQ(upload(server, alice, png_bytes(4'096), "image/png").status, 201);
}

TEST_F(UploadLimitsTest, AChunkedBodyIsCutOffAtTheLimit) {
  const std::string chunk(3'000, 'x');
  const std::string raw = "POST /v1/uploads?name=big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                          alice.access_token +
                          "\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "bb8\r\n" + chunk + "\r\nbb8\r\n" + chunk + "\r\n0\r\n\r\n";
  EXPECT_TRUE(is_http_error(send_raw_http(server.port(), raw), 413, "payload_too_large"));
  // The server is fine afterwards.
  EXPECT_EQ(http_request(server.port(), "GET", "/healthz").status, 200);
}

class UploadSweepTest : public ::testing::Test {
 protected:
  TestServer server{{"--upload-ttl", "1", "--upload-sweep-interval", "1"}};
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");
};

TEST_F(UploadSweepTest, UnreferencedUploadsGoAndReferencedOnesStay) {
  const std::string kept_bytes = png_bytes(3'000, 8), dropped_bytes = png_bytes(3'000, 9);
  const std::int64_t room = direct_room_http(server, alice, bob);
  const std::string kept = get_str(require_upload(server, alice, kept_bytes, "image/png"), "upload_id");
  ASSERT_EQ(send_attachment(server, alice, room, "image", kept, "keep-1").status, 200);
  const std::string dropped = get_str(require_upload(server, alice, dropped_bytes, "image/png"), "upload_id");

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (download(server, alice, dropped).status == 200 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(is_http_error(download(server, alice, dropped), 404, "not_found"));
  const std::string sha = sha256_hex(dropped_bytes);
  EXPECT_FALSE(std::filesystem::exists(server.data_dir() / "blobs" / sha.substr(0, 2) / sha.substr(2)));
  // Sending it now is too late.
  EXPECT_TRUE(is_http_error(send_attachment(server, alice, room, "image", dropped, "late-1"), 404, "not_found"));

  auto still = download(server, bob, kept);
  ASSERT_EQ(still.status, 200);
  EXPECT_TRUE(still.body == kept_bytes);
}

}  // namespace
}  // namespace parley::test
