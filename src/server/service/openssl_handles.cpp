#include "server/service/openssl_handles.hpp"

namespace parley::service::ossl {

std::shared_ptr<EVP_PKEY> key_from_params(const char* type, OSSL_PARAM_BLD* builder, int selection) {
  Params params(OSSL_PARAM_BLD_to_param(builder));
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, selection, params.get()) <= 0)
    return nullptr;
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

}  // namespace parley::service::ossl
