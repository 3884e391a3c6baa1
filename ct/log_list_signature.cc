#include "ct/log_list_signature.h"

#include <memory>

#include "ct/log_key.h"

namespace ctkit {

Result<void> VerifyLogListSignature(std::string_view json, ByteSpan signature,
                                    std::string_view key_pem) {
  ASSIGN_OR_RETURN(std::shared_ptr<const LogKey> key, LogKey::FromPem(key_pem),
                   "log list signing key");
  if (signature.empty() || signature.size() > kMaxLogListSignatureBytes) {
    return MakeError(
        ErrorCode::kVerificationFailed,
        "log list signature is " + std::to_string(signature.size()) + " bytes, not a signature");
  }
  DigitallySigned signed_by{.hash_algorithm = HashAlgorithm::kSha256,
                            .signature_algorithm = key->algorithm() == LogKeyAlgorithm::kRsaSha256
                                                       ? SignatureAlgorithm::kRsa
                                                       : SignatureAlgorithm::kEcdsa,
                            .signature = Bytes(signature.begin(), signature.end())};
  if (!key->Verify(AsBytes(json), signed_by)) {
    return MakeError(ErrorCode::kVerificationFailed, "log list signature does not verify");
  }
  return {};
}

}  // namespace ctkit
