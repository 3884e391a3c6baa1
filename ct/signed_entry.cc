#include "ct/signed_entry.h"

#include <algorithm>
#include <string>

#include "x509/oid.h"
#include "x509/precert.h"

namespace ctkit {
namespace {

constexpr size_t kU24Max = 0xffffff;

// The TLS fields before the DER: issuer_key_hash (precert_entry) and the DER's 24-bit length
// (RFC 5246 §4.3, big-endian).
struct EncodingPrefix {
  uint8_t bytes[kSha256Size + 3];
  size_t size = 0;
};

EncodingPrefix PrefixOf(const SignedEntry& entry) {
  EncodingPrefix prefix;
  if (entry.type == LogEntryType::kPrecert) {
    std::copy(entry.issuer_key_hash.begin(), entry.issuer_key_hash.end(), prefix.bytes);
    prefix.size = kSha256Size;
  }
  const size_t length = entry.der_size();
  for (int shift : {16, 8, 0}) prefix.bytes[prefix.size++] = static_cast<uint8_t>(length >> shift);
  return prefix;
}

}  // namespace

Result<SignedEntry> SignedEntry::Assemble(LogEntryType type, const Sha256Digest& issuer_key_hash,
                                          size_t size, std::shared_ptr<const Bytes> own_der,
                                          std::vector<ByteSpan> ranges, std::vector<Bytes> parts) {
  if (size == 0 || size > kU24Max) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(type == LogEntryType::kX509 ? "ASN.1Cert" : "PreCert") + ": " +
                         std::to_string(size) + " bytes, outside <1..2^24-1>");
  }
  SignedEntry entry;
  entry.type = type;
  entry.issuer_key_hash = issuer_key_hash;
  entry.der_size_ = size;
  entry.own_der_ = std::move(own_der);
  entry.ranges_ = std::move(ranges);
  // Moving the vector keeps each element's buffer where it is: the ranges into them stay valid.
  if (!parts.empty()) entry.parts_ = std::make_shared<const std::vector<Bytes>>(std::move(parts));
  return entry;
}

Sha256Digest SignedEntry::DerSha256() const {
  Sha256Hasher hasher;
  ForEachDerRange([&](ByteSpan range) { hasher.Update(range); });
  return hasher.Finish();
}

Bytes SignedEntry::CopyDer() const {
  Bytes out;
  out.reserve(der_size_);
  ForEachDerRange([&](ByteSpan range) { out.insert(out.end(), range.begin(), range.end()); });
  return out;
}

std::shared_ptr<const Bytes> SignedEntry::SharedDer() const {
  return own_der_ ? own_der_ : std::make_shared<const Bytes>(CopyDer());
}

size_t SignedEntry::encoded_size() const { return PrefixOf(*this).size + der_size_; }

void SignedEntry::HashEncoding(Sha256Hasher& hasher) const {
  const EncodingPrefix prefix = PrefixOf(*this);
  hasher.Update(ByteSpan(prefix.bytes, prefix.size));
  ForEachDerRange([&](ByteSpan range) { hasher.Update(range); });
}

void SignedEntry::AppendEncoding(Bytes& out) const {
  const EncodingPrefix prefix = PrefixOf(*this);
  out.reserve(out.size() + prefix.size + der_size_);
  out.insert(out.end(), prefix.bytes, prefix.bytes + prefix.size);
  ForEachDerRange([&](ByteSpan range) { out.insert(out.end(), range.begin(), range.end()); });
}

Bytes SignedEntry::Encode() const {
  Bytes out;
  AppendEncoding(out);
  return out;
}

bool SignedEntry::operator==(const SignedEntry& other) const {
  if (type != other.type || der_size_ != other.der_size_) return false;
  if (type == LogEntryType::kPrecert && issuer_key_hash != other.issuer_key_hash) return false;
  return CopyDer() == other.CopyDer();
}

Result<SignedEntry> X509SignedEntry(ByteSpan certificate_der) {
  return SignedEntry::Assemble(
      LogEntryType::kX509, {}, certificate_der.size(),
      std::make_shared<const Bytes>(certificate_der.begin(), certificate_der.end()));
}

Result<SignedEntry> PrecertSignedEntry(const Sha256Digest& issuer_key_hash, ByteSpan tbs_der) {
  return SignedEntry::Assemble(LogEntryType::kPrecert, issuer_key_hash, tbs_der.size(),
                               std::make_shared<const Bytes>(tbs_der.begin(), tbs_der.end()));
}

const CertificateView* FindIssuer(const CertificateView& cert,
                                  std::span<const CertificateView> candidates) {
  const CertificateView* by_name = nullptr;
  for (const CertificateView& candidate : candidates) {
    if (!std::ranges::equal(candidate.subject_der(), cert.issuer_der())) continue;
    if (candidate.der().size() == cert.der().size() &&
        std::ranges::equal(candidate.der(), cert.der())) {
      continue;  // a certificate is not its own issuer here (self-signed roots are not leaves)
    }
    std::optional<ByteSpan> aki = cert.authority_key_id();
    std::optional<ByteSpan> ski = candidate.subject_key_id();
    if (aki && ski) {
      if (std::ranges::equal(*aki, *ski)) return &candidate;  // name and key id: certain
      continue;                                               // same name, another key
    }
    if (by_name == nullptr) by_name = &candidate;
  }
  return by_name;
}

IssuerChain IssuerChain::InOrder(std::span<const CertificateView> chain) {
  return {.issuer = chain.size() > 0 ? &chain[0] : nullptr,
          .issuer_of_issuer = chain.size() > 1 ? &chain[1] : nullptr};
}

IssuerChain IssuerChain::Find(const CertificateView& leaf,
                              std::span<const CertificateView> candidates,
                              const CertificateView* fallback) {
  IssuerChain found{.issuer = FindIssuer(leaf, candidates)};
  if (found.issuer == nullptr) found.issuer = fallback;
  if (found.issuer != nullptr && found.issuer->IsPrecertificateSigningCert()) {
    found.issuer_of_issuer = FindIssuer(*found.issuer, candidates);
  }
  return found;
}

Result<SignedEntry> BuildSignedEntry(LogEntryType type, const CertificateView& leaf,
                                     const IssuerChain& issuers) {
  if (type == LogEntryType::kX509) {
    // The certificate as it is, viewed where it lies.
    return SignedEntry::Assemble(LogEntryType::kX509, {}, leaf.der().size(), nullptr, {leaf.der()});
  }
  if (issuers.issuer == nullptr) {
    return MakeError(ErrorCode::kNotFound, "issuer \"" + leaf.issuer() + "\" not supplied");
  }
  RETURN_IF_ERROR(CheckPoisonExtension(leaf));
  const CertificateView& issuer = *issuers.issuer;
  const bool signing_cert = issuer.IsPrecertificateSigningCert();
  TbsPieces tbs;
  if (!leaf.IsPrecertificate()) {
    // RFC 6962 §3.1: a Precertificate Signing Certificate only ever signs precertificates.
    if (signing_cert) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          "a final certificate cannot be issued by a Precertificate Signing Certificate");
    }
    ASSIGN_OR_RETURN(tbs, TbsPiecesWithoutExtension(leaf, oid::kCtSctList));
  } else if (signing_cert) {
    // RFC 6962 §3.2: issuer_key_hash is the key of the CA that will issue the final
    // certificate, the one above the signing certificate.
    if (issuers.issuer_of_issuer == nullptr) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "precertificate issued by a Precertificate Signing Certificate: the chain "
                       "must also hold the CA that issued the signing certificate");
    }
    ASSIGN_OR_RETURN(tbs, PrecertTbsPieces(leaf, &issuer));
  } else {
    ASSIGN_OR_RETURN(tbs, PrecertTbsPieces(leaf));
  }
  const CertificateView& key_owner = signing_cert ? *issuers.issuer_of_issuer : issuer;
  return SignedEntry::Assemble(LogEntryType::kPrecert, key_owner.spki_sha256(), tbs.size, nullptr,
                               std::move(tbs.ranges), std::move(tbs.owned));
}

LogEntryType SignedEntryTypeFor(const CertificateView& leaf, SctDelivery delivery) {
  return leaf.IsPrecertificate() || delivery == SctDelivery::kEmbedded ? LogEntryType::kPrecert
                                                                       : LogEntryType::kX509;
}

Result<SignedEntry> SignedEntryForSct(const CertificateView& leaf,
                                      std::span<const CertificateView> others,
                                      SctDelivery delivery) {
  return BuildSignedEntry(SignedEntryTypeFor(leaf, delivery), leaf,
                          IssuerChain::Find(leaf, others));
}

Sha256Digest DeduplicationTbsHash(const CertificateView& cert) {
  // Hashed from the certificate's own bytes in pieces: no copy of the TBS (x509/precert.h).
  Result<TbsPieces> tbs = cert.IsPrecertificate()
                              ? PrecertTbsPieces(cert)
                              : TbsPiecesWithoutExtension(cert, oid::kCtSctList);
  if (!tbs) return Sha256(cert.tbs());  // no SCT list to remove (or a broken poison): as it is
  Sha256Hasher hasher;
  tbs->HashInto(hasher);
  return hasher.Finish();
}

}  // namespace ctkit
