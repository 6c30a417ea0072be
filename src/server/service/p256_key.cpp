#include "server/service/p256_key.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/obj_mac.h>

#include "server/service/openssl_handles.hpp"

namespace parley::service {
namespace {

constexpr const char* kGroupName = "prime256v1";

}  // namespace

Result<P256PrivateKey> P256PrivateKey::generate() {
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (!raw) return fail(ErrorCode::internal, "cannot generate a P-256 key");
  std::shared_ptr<EVP_PKEY> key(raw, EVP_PKEY_free);
  BIGNUM* scalar = nullptr;
  if (EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_PRIV_KEY, &scalar) != 1)
    return fail(ErrorCode::internal, "cannot read a generated P-256 key");
  ossl::Bignum owner(scalar);
  std::string bytes(kP256PrivateKeyBytes, '\0');
  if (BN_bn2binpad(scalar, reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size())) < 0)
    return fail(ErrorCode::internal, "cannot read a generated P-256 key");
  // One path for every key: the point is computed from the scalar as for a key read from a file.
  auto made = from_private_bytes(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return made;
}

Result<P256PrivateKey> P256PrivateKey::from_private_bytes(std::string_view scalar) {
  if (scalar.size() != kP256PrivateKeyBytes) return fail(ErrorCode::invalid_payload, "a P-256 private key is 32 bytes");
  ossl::EcGroup group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  ossl::Bignum d(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(scalar.data()), static_cast<int>(scalar.size()), nullptr));
  if (!group || !d) return fail(ErrorCode::internal, "out of memory");
  if (BN_is_zero(d.get()) || BN_cmp(d.get(), EC_GROUP_get0_order(group.get())) >= 0)
    return fail(ErrorCode::invalid_payload, "not a P-256 private key: the scalar is out of range");
  ossl::EcPoint point(EC_POINT_new(group.get()));
  std::string encoded(kP256PublicPointBytes, '\0');
  if (!point || EC_POINT_mul(group.get(), point.get(), d.get(), nullptr, nullptr, nullptr) != 1 ||
      EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED,
                         reinterpret_cast<unsigned char*>(encoded.data()), encoded.size(), nullptr) != encoded.size())
    return fail(ErrorCode::internal, "cannot compute a P-256 public key");
  ossl::ParamBuilder bld(OSSL_PARAM_BLD_new());
  if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, kGroupName, 0) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, encoded.data(), encoded.size()))
    return fail(ErrorCode::internal, "out of memory");
  auto key = ossl::key_from_params("EC", bld.get(), EVP_PKEY_KEYPAIR);
  if (!key) return fail(ErrorCode::internal, "OpenSSL refused a P-256 key pair");
  P256PrivateKey made;
  made.scalar_ = std::string(scalar);
  made.point_ = std::move(encoded);
  made.key_ = std::move(key);
  return made;
}

Result<std::shared_ptr<EVP_PKEY>> p256_public_key(std::string_view point) {
  if (point.size() != kP256PublicPointBytes || point.front() != '\x04')
    return fail(ErrorCode::invalid_payload, "a P-256 public key is an uncompressed point of 65 bytes");
  ossl::ParamBuilder bld(OSSL_PARAM_BLD_new());
  if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, kGroupName, 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()))
    return fail(ErrorCode::internal, "out of memory");
  // fromdata checks that the point lies on the curve.
  auto key = ossl::key_from_params("EC", bld.get(), EVP_PKEY_PUBLIC_KEY);
  if (!key) return fail(ErrorCode::invalid_payload, "not a point on P-256");
  return key;
}

Result<std::string> p256_ecdh(const P256PrivateKey& own, EVP_PKEY* peer) {
  ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, own.openssl_key(), nullptr));
  std::size_t size = 0;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), peer) != 1 ||
      EVP_PKEY_derive(ctx.get(), nullptr, &size) != 1)
    return fail(ErrorCode::invalid_payload, "ECDH with the subscription's key failed");
  std::string secret(size, '\0');
  if (EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(secret.data()), &size) != 1)
    return fail(ErrorCode::invalid_payload, "ECDH with the subscription's key failed");
  secret.resize(size);
  return secret;
}

Result<std::string> es256_sign(const P256PrivateKey& key, std::string_view input) {
  ossl::MdCtx ctx(EVP_MD_CTX_new());
  std::size_t size = 0;
  if (!ctx || EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, key.openssl_key(), nullptr) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
    return fail(ErrorCode::internal, "ES256 signing failed");
  std::string der(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
    return fail(ErrorCode::internal, "ES256 signing failed");
  // OpenSSL writes DER; JWS wants r and s side by side, each padded to 32 bytes.
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  ossl::EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(size)));
  if (!sig) return fail(ErrorCode::internal, "ES256 signing gave no signature");
  std::string raw(2 * kP256PrivateKeyBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, kP256PrivateKeyBytes) < 0 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + kP256PrivateKeyBytes, kP256PrivateKeyBytes) < 0)
    return fail(ErrorCode::internal, "ES256 signing gave a signature too long for P-256");
  return raw;
}

}  // namespace parley::service
