#include "monitor/entry_certificate.h"

#include "ct/certificate_verifier.h"
#include "monitor/watchlist.h"
#include "x509/der.h"
#include "x509/der_writer.h"

namespace ctkit {
namespace {

// A precert_entry carries a bare TBSCertificate. CertificateView parses whole certificates, so
// wrap it as one: SEQUENCE { tbs, the TBS's own signature AlgorithmIdentifier, BIT STRING {} }.
// The signature is empty and never checked; the view is used for names and fields only.
Result<Bytes> WrapTbs(ByteSpan tbs) {
  DerReader outer(tbs);
  Result<DerReader> fields = outer.ReadSequence();
  if (!fields) return std::unexpected(WithContext(fields.error(), "TBSCertificate"));
  if (Result<void> end = outer.ExpectEnd("TBSCertificate"); !end) {
    return std::unexpected(end.error());
  }
  if (Result<std::optional<DerElement>> version =
          fields->ReadOptionalElement(DerContextTag(0, true));
      !version) {
    return std::unexpected(version.error());
  }
  if (Result<DerInteger> serial = fields->ReadInteger(); !serial) {
    return std::unexpected(WithContext(serial.error(), "TBSCertificate serial"));
  }
  Result<DerElement> algorithm = fields->ReadFullElement(kDerSequence);
  if (!algorithm) return std::unexpected(WithContext(algorithm.error(), "TBSCertificate signature"));
  Bytes contents(tbs.begin(), tbs.end());
  contents.insert(contents.end(), algorithm->encoded.begin(), algorithm->encoded.end());
  const uint8_t empty_bit_string[] = {0x00};  // no unused bits, no signature
  AppendDerElement(contents, kDerBitString, empty_bit_string);
  Bytes wrapped;
  AppendDerElement(wrapped, kDerSequence, contents);
  return wrapped;
}

}  // namespace

Result<EntryCertificate> CertificateFromEntry(const LogEntry& entry) {
  if (!entry.parse_error.empty()) return MakeError(ErrorCode::kMalformed, entry.parse_error);
  Result<DecodedSignedEntry> decoded = DecodeSignedEntry(entry.entry.signed_entry);
  if (!decoded) return std::unexpected(decoded.error());
  bool precert = entry.entry.signed_entry.type == LogEntryType::kPrecert;
  Result<CertificateView> view = precert ? [&]() -> Result<CertificateView> {
    Result<Bytes> wrapped = WrapTbs(decoded->tbs_certificate);
    if (!wrapped) return std::unexpected(wrapped.error());
    return CertificateView::Parse(std::move(*wrapped));
  }()
                                         : CertificateView::Parse(decoded->certificate);
  if (!view) {
    return std::unexpected(
        WithContext(view.error(), precert ? "precertificate TBS" : "certificate"));
  }
  EntryCertificate result{.view = std::move(*view), .precertificate = precert};
  result.names = CertificateNames(result.view);
  if (precert) {
    result.tbs_sha256 = Sha256(decoded->tbs_certificate);
    result.served_der = entry.chain.pre_certificate;
    result.sha256 = Sha256(result.served_der);
  } else {
    result.tbs_sha256 = DeduplicationTbsHash(result.view);
    result.served_der.assign(decoded->certificate.begin(), decoded->certificate.end());
    result.sha256 = result.view.sha256();
  }
  return result;
}

}  // namespace ctkit
