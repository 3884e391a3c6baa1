#include "ct/log_signer.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace ctkit {
namespace {

bool IsP256(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return false;
  char group[64] = {0};
  size_t length = 0;
  if (EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof(group), &length) != 1) {
    return false;
  }
  return std::string_view(group, length) == "prime256v1";
}

}  // namespace

LogSigner::~LogSigner() = default;

Result<std::shared_ptr<const LogSigner>> LogSigner::FromPkey(EVP_PKEY* key) {
  UniquePtr<EVP_PKEY> owned(key);
  if (!IsP256(key)) {
    return MakeError(ErrorCode::kUnsupported, "log signing key is not an ECDSA P-256 key");
  }
  int length = i2d_PUBKEY(key, nullptr);
  if (length <= 0) return MakeError(ErrorCode::kInternal, "cannot encode the public key");
  Bytes spki(static_cast<size_t>(length));
  unsigned char* out = spki.data();
  i2d_PUBKEY(key, &out);
  ASSIGN_OR_RETURN(std::shared_ptr<const LogKey> public_key, LogKey::FromSpkiDer(spki));

  std::shared_ptr<LogSigner> signer(new LogSigner());
  signer->pkey_ = std::move(owned);
  signer->public_key_der_ = std::move(spki);
  signer->log_id_ = (public_key)->log_id();
  signer->public_key_ = public_key;
  return std::shared_ptr<const LogSigner>(std::move(signer));
}

Result<std::shared_ptr<const LogSigner>> LogSigner::Generate() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (key == nullptr) return MakeError(ErrorCode::kInternal, "P-256 key generation failed");
  return FromPkey(key);
}

Result<std::shared_ptr<const LogSigner>> LogSigner::FromPem(std::string_view pem) {
  UniquePtr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return MakeError(ErrorCode::kInternal, "out of memory");
  // No password callback: an encrypted key is refused rather than prompting.
  EVP_PKEY* key = PEM_read_bio_PrivateKey(
      bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr);
  if (key == nullptr) {
    return MakeError(ErrorCode::kMalformed,
                     "not an unencrypted PEM private key (PKCS#8 or EC PRIVATE KEY)");
  }
  return FromPkey(key);
}

std::string LogSigner::PrivateKeyPem() const {
  UniquePtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr,
                                            nullptr) != 1) {
    return "";
  }
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

Result<DigitallySigned> LogSigner::Sign(ByteSpan message) const {
  UniquePtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey_.get()) != 1) {
    return MakeError(ErrorCode::kInternal, "cannot initialise ECDSA signing");
  }
  size_t length = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &length, message.data(), message.size()) != 1) {
    return MakeError(ErrorCode::kInternal, "ECDSA signing failed");
  }
  DigitallySigned signature{.hash_algorithm = HashAlgorithm::kSha256,
                            .signature_algorithm = SignatureAlgorithm::kEcdsa,
                            .signature = Bytes(length)};
  if (EVP_DigestSign(ctx.get(), signature.signature.data(), &length, message.data(),
                     message.size()) != 1) {
    return MakeError(ErrorCode::kInternal, "ECDSA signing failed");
  }
  signature.signature.resize(length);  // DER signatures vary in length; OpenSSL emits strict DER
  return signature;
}

}  // namespace ctkit
