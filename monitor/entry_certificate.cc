#include "monitor/entry_certificate.h"

#include "ct/signed_entry.h"
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
  ASSIGN_OR_RETURN(DerReader fields, outer.ReadSequence(), "TBSCertificate");
  if (Result<void> end = outer.ExpectEnd("TBSCertificate"); !end) {
    return std::unexpected(end.error());
  }
  if (Result<std::optional<DerElement>> version =
          fields.ReadOptionalElement(DerContextTag(0, true));
      !version) {
    return std::unexpected(version.error());
  }
  if (Result<DerInteger> serial = fields.ReadInteger(); !serial) {
    return std::unexpected(WithContext(serial.error(), "TBSCertificate serial"));
  }
  ASSIGN_OR_RETURN(DerElement algorithm, fields.ReadFullElement(kDerSequence),
                   "TBSCertificate signature");
  const uint8_t empty_bit_string[] = {0x03, 0x01, 0x00};  // BIT STRING: no unused bits, no bits
  size_t content_size = tbs.size() + algorithm.encoded.size() + sizeof(empty_bit_string);
  Bytes wrapped;
  wrapped.reserve(content_size + 6);  // one copy: header, TBS, algorithm, BIT STRING
  AppendDerHeader(wrapped, kDerSequence, content_size);
  wrapped.insert(wrapped.end(), tbs.begin(), tbs.end());
  wrapped.insert(wrapped.end(), algorithm.encoded.begin(), algorithm.encoded.end());
  wrapped.insert(wrapped.end(), std::begin(empty_bit_string), std::end(empty_bit_string));
  return wrapped;
}

Result<CertificateView> ParseTbs(ByteSpan tbs) {
  ASSIGN_OR_RETURN(Bytes wrapped, WrapTbs(tbs));
  return CertificateView::Parse(std::move(wrapped));
}

}  // namespace

Result<EntryCertificate> CertificateFromEntry(const LogEntry& entry) {
  if (!entry.parse_error.empty()) return MakeError(ErrorCode::kMalformed, entry.parse_error);
  const SignedEntry& signed_entry = entry.entry.signed_entry;
  const bool precert = signed_entry.type == LogEntryType::kPrecert;
  // The leaf's certificate or TBS, held by the entry: shared, not copied.
  const std::shared_ptr<const Bytes> der = signed_entry.SharedDer();
  Result<CertificateView> view = precert ? ParseTbs(*der) : CertificateView::Parse(der);
  if (!view) {
    return std::unexpected(
        WithContext(view.error(), precert ? "precertificate TBS" : "certificate"));
  }
  EntryCertificate result{.view = std::move(*view), .precertificate = precert};
  result.names = CertificateNames(result.view);
  return result;
}

void AddFingerprints(EntryCertificate& cert, const LogEntry& entry) {
  if (cert.precertificate) {
    // The wrapped TBS is the one in leaf_input, byte for byte: the precertificate's with the
    // poison removed (and, through a Precertificate Signing Certificate, the issuer the final
    // certificate will have), which is the final certificate's TBS without its SCT list.
    cert.tbs_sha256 = Sha256(cert.view.tbs());
    ByteSpan served = entry.pre_certificate();
    cert.served_der.assign(served.begin(), served.end());
    cert.sha256 = Sha256(cert.served_der);
  } else {
    cert.tbs_sha256 = DeduplicationTbsHash(cert.view);
    ByteSpan der = cert.view.der();
    cert.served_der.assign(der.begin(), der.end());
    cert.sha256 = cert.view.sha256();
  }
}

}  // namespace ctkit
