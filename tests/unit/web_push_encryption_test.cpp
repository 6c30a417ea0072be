// Web Push payload encryption against the worked examples of RFC 8188 (section 3.1) and RFC 8291
// (Appendix A): with their keys and salts, the exact bytes they print.
#include <gtest/gtest.h>

#include "server/service/jwt_parts.hpp"
#include "server/service/web_push_encryption.hpp"

namespace parley::service {
namespace {

[[nodiscard]] std::string bytes(std::string_view base64url) {
  auto decoded = base64url_decode(base64url);
  EXPECT_TRUE(decoded) << base64url;
  return decoded.value_or("");
}

TEST(WebPushEncryption, Rfc8188FirstExampleByteForByte) {
  const std::string ikm = bytes("yqdlZ-tYemfogSmv7Ws5PQ");
  const std::string salt = bytes("I1BsxtFttlv3u_Oo94xnmw");
  auto keys = derive_ece_keys(ikm, salt);
  ASSERT_TRUE(keys) << keys.error().message;
  EXPECT_EQ(base64url_encode(keys->prk), "zyeH5phsIsgUyd4oiSEIy35x-gIi4aM7y0hCF8mwn9g");
  EXPECT_EQ(base64url_encode(keys->cek), "_wniytB-ofscZDh4tbSjHw");
  EXPECT_EQ(base64url_encode(keys->nonce), "Bcs8gkIRKLI8GeI8");
  auto body = ece_encrypt_one_record(ikm, salt, "", 4096, "I am the walrus");
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(base64url_encode(*body), "I1BsxtFttlv3u_Oo94xnmwAAEAAA-NAVub2qFgBEuQKRapoZu-IxkIva3MEB1PD-ly8Thjg");
}

TEST(WebPushEncryption, RefusesAPlaintextLargerThanOneRecord) {
  const std::string ikm = bytes("yqdlZ-tYemfogSmv7Ws5PQ");
  const std::string salt = bytes("I1BsxtFttlv3u_Oo94xnmw");
  // 25 bytes: 8 of plaintext, the delimiter and the 16-byte tag fill it exactly.
  EXPECT_TRUE(ece_encrypt_one_record(ikm, salt, "", 25, "12345678"));
  EXPECT_FALSE(ece_encrypt_one_record(ikm, salt, "", 25, "123456789"));
  EXPECT_FALSE(ece_encrypt_one_record(ikm, "short", "", 4096, "x"));
}

constexpr std::string_view kUaPublic =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
constexpr std::string_view kAuthSecret = "BTBZMqHH6r4Tts7J_aSIgg";

TEST(WebPushEncryption, Rfc8291AppendixAByteForByte) {
  auto as_key = P256PrivateKey::from_private_bytes(bytes("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"));
  ASSERT_TRUE(as_key) << as_key.error().message;
  EXPECT_EQ(base64url_encode(as_key->public_point()),
            "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8");
  auto ua_key = P256PrivateKey::from_private_bytes(bytes("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"));
  ASSERT_TRUE(ua_key);
  EXPECT_EQ(base64url_encode(ua_key->public_point()), kUaPublic);

  auto body = encrypt_web_push_with(*as_key, bytes("DGv6ra1nlYgDCS1FRnbzlw"), bytes(kUaPublic), bytes(kAuthSecret),
                                    "When I grow up, I want to be a watermelon");
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(base64url_encode(*body),
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6"
            "PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN");
}

TEST(WebPushEncryption, EachPushHasItsOwnKeyAndSaltInTheHeader) {
  auto first = encrypt_web_push(bytes(kUaPublic), bytes(kAuthSecret), "hello");
  auto second = encrypt_web_push(bytes(kUaPublic), bytes(kAuthSecret), "hello");
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(second);
  // salt (16), record size 4096, key id length 65, the 65-byte key, then one record: 5 + 1 + 16.
  ASSERT_EQ(first->size(), 16u + 4 + 1 + 65 + 5 + 1 + 16);
  EXPECT_EQ(first->substr(16, 5), std::string("\x00\x00\x10\x00\x41", 5));
  EXPECT_EQ((*first)[21], '\x04');
  EXPECT_NE(first->substr(0, 16), second->substr(0, 16));
  EXPECT_NE(first->substr(21, 65), second->substr(21, 65));
}

TEST(WebPushEncryption, RefusesWhatABrowserWouldNotHaveSent) {
  const std::string ua = bytes(kUaPublic);
  const std::string auth = bytes(kAuthSecret);
  EXPECT_FALSE(encrypt_web_push(ua, auth.substr(0, 15), "x"));
  std::string off_curve = ua;
  off_curve[40] ^= 1;
  EXPECT_FALSE(encrypt_web_push(off_curve, auth, "x"));
  EXPECT_FALSE(encrypt_web_push(ua.substr(1), auth, "x"));
  EXPECT_TRUE(encrypt_web_push(ua, auth, std::string(kMaxWebPushPayloadBytes, 'a')));
  EXPECT_FALSE(encrypt_web_push(ua, auth, std::string(kMaxWebPushPayloadBytes + 1, 'a')));
}

TEST(P256Key, RefusesAScalarOutOfRange) {
  EXPECT_FALSE(P256PrivateKey::from_private_bytes(std::string(32, '\0')));
  EXPECT_FALSE(P256PrivateKey::from_private_bytes(std::string(32, '\xff')));
  EXPECT_FALSE(P256PrivateKey::from_private_bytes(std::string(31, '\x01')));
}

}  // namespace
}  // namespace parley::service
