// Precertificate transforms (RFC 6962 §3.1-§3.3): the TBSCertificate bytes a log signs in a
// precert_entry, rebuilt from a final certificate (embedded SCTs) or from a precertificate. The
// entry itself (which transform, which issuer's key hash) is built in ct/signed_entry.h.
//
// Everything works on the raw DER: the extension being removed is spliced out, every other
// extension is copied byte for byte and in order, and only the lengths of the enclosing elements
// (extensions SEQUENCE, [3] tag, TBSCertificate SEQUENCE) are re-encoded, in minimal form. When
// the last extension goes, the whole [3] field goes with it. Names are never re-serialized: an
// issuer that is swapped in is copied byte for byte from the certificate that carries it.
//
// Precertificate Signing Certificates (RFC 6962 §3.1, EKU 1.3.6.1.4.1.11129.2.4.4): when one
// issued the precertificate, §3.2 has the log sign the TBS "as if" the real CA had issued it:
// the issuer becomes the signing certificate's issuer (the real CA's subject) and the
// authorityKeyIdentifier the signing certificate's own authorityKeyIdentifier. RFC 6962 does not
// say what to do when one side lacks that extension; ctkit does what certificate-transparency-go
// (BuildPrecertTBS) and the original google/certificate-transparency C++ (Cert::CopyIssuerFrom)
// do, so its TBS matches what those logs signed:
//   * precert has AKI, signing cert has AKI: replace the extnValue, keeping the precert's
//     extnID and critical encoding and the extension's position;
//   * precert has AKI, signing cert has none: remove the precert's AKI extension;
//   * precert has no AKI, signing cert has one: append a non-critical AKI with its value last;
//   * neither has one: nothing to do.

#pragma once

#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "base/sha256.h"
#include "x509/certificate.h"

namespace ctkit {

// A rebuilt TBSCertificate as the byte ranges that, concatenated in order, are its DER: ranges of
// the certificates it was built from (which must outlive it) and of its own re-encoded headers.
// Hashing the ranges (the SCT hot path: the TBS is hashed once for the deduplication hash and once
// per SCT) needs no copy of the ~1 KB TBS, and so no large allocation per certificate. Moving a
// TbsPieces keeps its ranges valid: they point into heap buffers, which stay in place.
struct TbsPieces {
  std::vector<ByteSpan> ranges;  // adjacent ranges of one buffer are merged
  size_t size = 0;               // total bytes
  std::vector<Bytes> owned;      // the new encodings that some ranges point into

  // The TBS in one buffer.
  Bytes Concatenate() const;
  // Feeds the ranges, in order, to `hasher`.
  void HashInto(Sha256Hasher& hasher) const;
};

// The TBSCertificate of `cert` without the extension `oid` (content octets, x509/oid.h).
// kNotFound if the certificate has no such extension.
Result<Bytes> TbsWithoutExtension(const CertificateView& cert, ByteSpan oid);

// RFC 6962 §3.3: TBS of a final certificate with its embedded SCT list extension
// (1.3.6.1.4.1.11129.2.4.2) removed. kNotFound if it has none.
Result<Bytes> EmbeddedSctTbs(const CertificateView& final_cert);

// RFC 6962 §3.2: TBS of a precertificate with the poison extension removed. When
// `precert_signing_cert` is given (it must carry the Precertificate Signing EKU), the issuer and
// authorityKeyIdentifier are also taken from it as described above. kInvalidArgument if
// `precert` is not a precertificate (IsPrecertificate()) or the signing certificate lacks the EKU.
Result<Bytes> PrecertTbs(const CertificateView& precert,
                         const CertificateView* precert_signing_cert = nullptr);

// As TbsWithoutExtension and PrecertTbs, without copying the certificate (see TbsPieces).
Result<TbsPieces> TbsPiecesWithoutExtension(const CertificateView& cert, ByteSpan oid);
Result<TbsPieces> PrecertTbsPieces(const CertificateView& precert,
                                   const CertificateView* precert_signing_cert = nullptr);

// RFC 6962 §3.1: the poison extension, where a certificate has one, is critical with value ASN.1
// NULL; kMalformed otherwise. A certificate without it passes.
Result<void> CheckPoisonExtension(const CertificateView& cert);

}  // namespace ctkit
