#include "support/test_certificates.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <fstream>
#include <stdexcept>

namespace parley::test {

namespace {

[[noreturn]] void openssl_failed(const std::string& what) { throw std::runtime_error("test certificates: " + what); }

template <class T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Freer<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Freer<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Freer<BIO, BIO_free_all>>;

KeyPtr new_key() {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) openssl_failed("cannot make a P-256 key");
  return key;
}

void add_extension(X509* certificate, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (!extension || X509_add_ext(certificate, extension, -1) != 1) openssl_failed("cannot add an extension");
  X509_EXTENSION_free(extension);
}

CertPtr new_certificate(const std::string& common_name, EVP_PKEY* key, long serial) {
  CertPtr certificate(X509_new());
  X509_set_version(certificate.get(), 2);  // X.509 v3
  ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 24 * 3600);
  X509_set_pubkey(certificate.get(), key);
  X509_NAME* name = X509_get_subject_name(certificate.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                             -1, 0);
  return certificate;
}

std::string pem_of(X509* certificate) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), certificate);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string pem_of_key(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string spki_sha256_base64(X509* certificate) {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(X509_get0_pubkey(certificate), &der);
  if (length <= 0) openssl_failed("cannot encode a public key");
  unsigned char digest[32];
  unsigned int digest_length = 0;
  EVP_Digest(der, static_cast<std::size_t>(length), digest, &digest_length, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  unsigned char base64[64];
  const int base64_length = EVP_EncodeBlock(base64, digest, static_cast<int>(digest_length));
  return std::string(reinterpret_cast<char*>(base64), static_cast<std::size_t>(base64_length));
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  // Written beside, then renamed: a server reading the files at that moment sees the old or
  // the new, never half of one.
  auto temporary = path;
  temporary += ".new";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) openssl_failed("cannot write " + temporary.string());
  }
  std::filesystem::rename(temporary, path);
}

bool is_ip_address(const std::string& name) {
  unsigned char ignored[16];
  return inet_pton(AF_INET, name.c_str(), ignored) == 1 || inet_pton(AF_INET6, name.c_str(), ignored) == 1;
}

}  // namespace

struct TestCertificateAuthority::Keys {
  KeyPtr key;
  CertPtr certificate;
  long next_serial = 2;
};

TestCertificateAuthority::TestCertificateAuthority(const std::string& name) : keys_(std::make_unique<Keys>()) {
  keys_->key = new_key();
  keys_->certificate = new_certificate(name, keys_->key.get(), 1);
  X509* ca = keys_->certificate.get();
  X509_set_issuer_name(ca, X509_get_subject_name(ca));
  add_extension(ca, ca, NID_basic_constraints, "critical,CA:TRUE");
  add_extension(ca, ca, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(ca, ca, NID_subject_key_identifier, "hash");
  if (X509_sign(ca, keys_->key.get(), EVP_sha256()) <= 0) openssl_failed("cannot sign the CA certificate");
}

TestCertificateAuthority::~TestCertificateAuthority() = default;

std::string TestCertificateAuthority::certificate_pem() const { return pem_of(keys_->certificate.get()); }

ServerCertificateFiles TestCertificateAuthority::issue(const std::filesystem::path& dir, const std::string& stem,
                                                       const std::vector<std::string>& names) {
  KeyPtr key = new_key();
  CertPtr certificate = new_certificate(names.empty() ? stem : names.front(), key.get(), keys_->next_serial++);
  X509* leaf = certificate.get();
  X509* ca = keys_->certificate.get();
  X509_set_issuer_name(leaf, X509_get_subject_name(ca));
  std::string alternative_names;
  for (const auto& name : names)
    alternative_names += (alternative_names.empty() ? "" : ",") + std::string(is_ip_address(name) ? "IP:" : "DNS:") + name;
  add_extension(leaf, ca, NID_basic_constraints, "critical,CA:FALSE");
  add_extension(leaf, ca, NID_key_usage, "critical,digitalSignature");
  add_extension(leaf, ca, NID_ext_key_usage, "serverAuth");
  add_extension(leaf, ca, NID_authority_key_identifier, "keyid");
  if (!alternative_names.empty()) add_extension(leaf, ca, NID_subject_alt_name, alternative_names.c_str());
  if (X509_sign(leaf, keys_->key.get(), EVP_sha256()) <= 0) openssl_failed("cannot sign a server certificate");
  last_spki_ = spki_sha256_base64(leaf);

  std::filesystem::create_directories(dir);
  ServerCertificateFiles files{dir / (stem + ".crt"), dir / (stem + ".key")};
  write_file(files.private_key, pem_of_key(key.get()));
  write_file(files.certificate_chain, pem_of(leaf) + pem_of(ca));
  return files;
}

}  // namespace parley::test
