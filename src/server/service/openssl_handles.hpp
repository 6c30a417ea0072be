#pragma once
// Owning handles for the OpenSSL objects the services' cryptography uses, each released by its
// own free function, and the one way keys are built from parameters.
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>

#include <memory>

namespace parley::service::ossl {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* object) const {
    Free(object);
  }
};

// BN_clear_free: a BIGNUM may hold a private scalar.
using Bignum = std::unique_ptr<BIGNUM, Deleter<&BN_clear_free>>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, Deleter<&OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<&OSSL_PARAM_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<&EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<&EVP_MD_CTX_free>>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, Deleter<&EVP_CIPHER_CTX_free>>;
using Kdf = std::unique_ptr<EVP_KDF, Deleter<&EVP_KDF_free>>;
using KdfCtx = std::unique_ptr<EVP_KDF_CTX, Deleter<&EVP_KDF_CTX_free>>;
using EcGroup = std::unique_ptr<EC_GROUP, Deleter<&EC_GROUP_free>>;
using EcPoint = std::unique_ptr<EC_POINT, Deleter<&EC_POINT_free>>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, Deleter<&ECDSA_SIG_free>>;

// The key of `type` ("RSA", "EC") that OpenSSL builds from the parameters in `builder`, with
// `selection` (EVP_PKEY_PUBLIC_KEY, EVP_PKEY_KEYPAIR); nullptr when they do not make one (a
// point off the curve, say).
[[nodiscard]] std::shared_ptr<EVP_PKEY> key_from_params(const char* type, OSSL_PARAM_BLD* builder, int selection);

}  // namespace parley::service::ossl
