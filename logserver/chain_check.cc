#include "logserver/chain_check.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/openssl_ptr.h"

namespace ctkit {
namespace {

UniquePtr<X509> ToOpenSsl(const CertificateView& cert) {
  const unsigned char* data = cert.der().data();
  return UniquePtr<X509>(d2i_X509(nullptr, &data, static_cast<long>(cert.der().size())));
}

bool SameCertificate(const CertificateView& a, const CertificateView& b) {
  return a.sha256() == b.sha256();
}

// The signature algorithms of nearly every WebPKI certificate (RFC 5758 §3.2, RFC 4055 §5),
// with the digest and the key type each requires. Anything else goes through X509_verify.
struct KnownAlgorithm {
  std::string_view oid;
  const EVP_MD* (*digest)();
  const char* key_type;
};
constexpr KnownAlgorithm kKnownAlgorithms[] = {
    {"1.2.840.10045.4.3.2", EVP_sha256, "EC"},     // ecdsa-with-SHA256
    {"1.2.840.10045.4.3.3", EVP_sha384, "EC"},     // ecdsa-with-SHA384
    {"1.2.840.10045.4.3.4", EVP_sha512, "EC"},     // ecdsa-with-SHA512
    {"1.2.840.113549.1.1.11", EVP_sha256, "RSA"},  // sha256WithRSAEncryption
    {"1.2.840.113549.1.1.12", EVP_sha384, "RSA"},  // sha384WithRSAEncryption
    {"1.2.840.113549.1.1.13", EVP_sha512, "RSA"},  // sha512WithRSAEncryption
};

// Issuer public keys, parsed once. A log sees the same few issuers over and over, and OpenSSL 3
// decodes a key through its provider decoders, which costs more than the signature check itself
// (and d2i_X509 decodes the key of every certificate it parses: that was half of a
// submission's CPU time). Bounded: cleared when full, the issuers in use come back at once.
class IssuerKeyCache {
 public:
  std::shared_ptr<EVP_PKEY> Get(const CertificateView& issuer) {
    {
      std::lock_guard lock(mutex_);
      auto found = keys_.find(issuer.spki_sha256());
      if (found != keys_.end()) return found->second;
    }
    const unsigned char* data = issuer.spki().data();
    std::shared_ptr<EVP_PKEY> key(
        d2i_PUBKEY(nullptr, &data, static_cast<long>(issuer.spki().size())), Deleter<EVP_PKEY>());
    if (!key) return nullptr;
    std::lock_guard lock(mutex_);
    if (keys_.size() >= kMaxKeys) keys_.clear();
    keys_.emplace(issuer.spki_sha256(), key);
    return key;
  }

 private:
  static constexpr size_t kMaxKeys = 1024;
  std::mutex mutex_;
  std::map<Sha256Digest, std::shared_ptr<EVP_PKEY>> keys_;
};

IssuerKeyCache& IssuerKeys() {
  static IssuerKeyCache* cache = new IssuerKeyCache();  // never destroyed: used by any thread
  return *cache;
}

Error InvalidAt(size_t position, const std::string& what) {
  return Error{ErrorCode::kInvalidArgument, "chain[" + std::to_string(position) + "]: " + what};
}

// RFC 5280 §3.3 "self-issued": issuer and subject are the same name (compared as encoded).
bool IsSelfIssued(const CertificateView& cert) {
  return std::ranges::equal(cert.issuer_der(), cert.subject_der());
}

// RFC 6962 §3.1: chain[position] signed the precertificate below it as a Precertificate Signing
// Certificate.
bool SignsAsPrecertSigner(std::span<const CertificateView> chain, size_t position) {
  return position == 1 && chain[0].IsPrecertificate() && chain[1].IsPrecertificateSigningCert();
}

// RFC 6962 §3.1, §4.1: the accepted root `chain` ends at, when the submitter left it out (the
// root that signed the last certificate); nullopt when the last certificate is an accepted root.
Result<std::optional<CertificateView>> MissingRoot(std::span<const CertificateView> chain,
                                                   std::span<const CertificateView> roots) {
  const CertificateView& last = chain.back();
  for (const CertificateView& root : roots) {
    if (SameCertificate(last, root)) return std::nullopt;
  }
  for (const CertificateView& root : roots) {
    if (IsSignedBy(last, root)) return root;
  }
  return std::unexpected(
      InvalidAt(chain.size() - 1, "not an accepted root, nor issued by one (RFC 6962 §4.1)"));
}

// RFC 5280 §4.2.1.9, §4.2.1.3 (§6.1.4 (k), (n)): the certificate may issue certificates.
Result<void> CheckIsCa(const CertificateView& cert, size_t position) {
  std::optional<BasicConstraints> constraints = cert.basic_constraints();
  if (!constraints) return std::unexpected(InvalidAt(position, "not a CA (no basicConstraints)"));
  if (!constraints->is_ca) {
    return std::unexpected(InvalidAt(position, "not a CA (basicConstraints cA is FALSE)"));
  }
  std::optional<uint16_t> key_usage = cert.key_usage();
  if (key_usage && (*key_usage & kKeyUsageKeyCertSign) == 0) {
    return std::unexpected(InvalidAt(position, "not a CA (keyUsage without keyCertSign)"));
  }
  return {};
}

// RFC 5280 §4.2.1.9, §6.1.4 (l), (m): at most pathLenConstraint non-self-issued intermediates
// below chain[position]. A Precertificate Signing Certificate does not count (RFC 6962 §3.1).
Result<void> CheckPathLength(std::span<const CertificateView> chain, size_t position) {
  std::optional<uint64_t> limit = chain[position].basic_constraints()->path_len;
  if (!limit) return {};
  uint64_t below = 0;
  for (size_t i = 1; i < position; ++i) {
    if (!IsSelfIssued(chain[i]) && !SignsAsPrecertSigner(chain, i)) ++below;
  }
  if (below <= *limit) return {};
  return std::unexpected(InvalidAt(position, "pathLenConstraint " + std::to_string(*limit) +
                                                 " exceeded (" + std::to_string(below) +
                                                 (below == 1 ? " intermediate" : " intermediates") +
                                                 " below it)"));
}

// RFC 6962 §3.1: a Precertificate Signing Certificate only signs the precertificate directly
// below it, and "MUST be directly certified by the (root or intermediate) CA certificate that
// will ultimately sign the end-entity TBSCertificate", which the chain must hold.
Result<void> CheckPrecertSigner(std::span<const CertificateView> chain, size_t position) {
  if (!chain[position].IsPrecertificateSigningCert()) return {};
  if (!SignsAsPrecertSigner(chain, position)) {
    return std::unexpected(
        InvalidAt(position, "a Precertificate Signing Certificate may only sign a precertificate"));
  }
  if (position + 1 == chain.size()) {
    return std::unexpected(
        InvalidAt(position, "Precertificate Signing Certificate without the CA that issued it"));
  }
  return {};
}

// What chain[position], a certificate above the leaf, must be to issue what is below it.
Result<void> CheckIssuer(std::span<const CertificateView> chain, size_t position) {
  if (Result<void> ok = CheckIsCa(chain[position], position); !ok) return ok;
  if (Result<void> ok = CheckPathLength(chain, position); !ok) return ok;
  return CheckPrecertSigner(chain, position);
}

}  // namespace

bool IsSignedBy(const CertificateView& cert, const CertificateView& issuer) {
  if (!std::ranges::equal(cert.issuer_der(), issuer.subject_der())) return false;
  const KnownAlgorithm* algorithm = nullptr;
  for (const KnownAlgorithm& known : kKnownAlgorithms) {
    if (cert.signature_algorithm_oid() == known.oid) algorithm = &known;
  }
  if (algorithm != nullptr) {
    // What X509_verify does for these algorithms, on the bytes x509/ already delimited: the
    // signature over the TBSCertificate (RFC 5280 §4.1.1.3). CertificateView::Parse has checked
    // that the outer and inner algorithm identifiers match and that the signature has no unused
    // bits; the key must be of the algorithm's type, and ECDSA signatures must be strict DER
    // (OpenSSL's ECDSA verify re-encodes and compares).
    std::shared_ptr<EVP_PKEY> key = IssuerKeys().Get(issuer);
    if (!key || !EVP_PKEY_is_a(key.get(), algorithm->key_type)) return false;
    UniquePtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
    return ctx &&
           EVP_DigestVerifyInit(ctx.get(), nullptr, algorithm->digest(), nullptr, key.get()) == 1 &&
           EVP_DigestVerify(ctx.get(), cert.signature().data(), cert.signature().size(),
                            cert.tbs().data(), cert.tbs().size()) == 1;
  }
  UniquePtr<X509> subject = ToOpenSsl(cert);
  UniquePtr<X509> signer = ToOpenSsl(issuer);
  if (!subject || !signer) return false;
  UniquePtr<EVP_PKEY> key(X509_get_pubkey(signer.get()));
  return key && X509_verify(subject.get(), key.get()) == 1;
}

Result<std::vector<CertificateView>> CheckChain(std::span<const CertificateView> chain,
                                                std::span<const CertificateView> roots) {
  if (chain.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty chain");
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    if (!IsSignedBy(chain[i], chain[i + 1])) {
      return std::unexpected(InvalidAt(i, "not signed by chain[" + std::to_string(i + 1) + "]"));
    }
  }
  std::vector<CertificateView> full(chain.begin(), chain.end());
  if (!roots.empty()) {
    ASSIGN_OR_RETURN(std::optional<CertificateView> root, MissingRoot(chain, roots));
    if (root) full.push_back(std::move(*root));
  }
  for (size_t i = 1; i < full.size(); ++i) {
    RETURN_IF_ERROR(CheckIssuer(full, i));
  }
  return full;
}

}  // namespace ctkit
