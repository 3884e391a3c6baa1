#include "x509/precert.h"

#include <optional>
#include <string>
#include <vector>

#include "x509/der.h"
#include "x509/der_writer.h"
#include "x509/oid.h"

namespace ctkit {
namespace {

// The pieces of a rebuilt TBSCertificate: an issuer (the original unless replaced) and the final
// list of Extension elements, each either a span of the original DER or a new encoding.
struct TbsEdit {
  std::optional<ByteSpan> issuer;
  std::vector<ByteSpan> extensions;
  // New encodings. Spans point at their heap buffers, which stay in place when the vector moves
  // its elements.
  std::vector<Bytes> owned;
};

TbsEdit StartEdit(const CertificateView& cert) {
  TbsEdit edit;
  edit.extensions.reserve(cert.raw_extensions().size() + 1);  // ApplySigningCert may add one
  for (const Extension& ext : cert.raw_extensions()) edit.extensions.push_back(ext.encoded);
  return edit;
}

// Identifier and length octets of an element with a one-octet tag (X.690 §8.1.2, §10.1).
size_t DerHeaderSize(size_t content_size) {
  size_t size = 2;
  if (content_size >= 0x80) {
    for (size_t n = content_size; n != 0; n >>= 8) ++size;
  }
  return size;
}

// Removes the extension element `encoded` (a span of cert's own DER) from the edit.
void RemoveElement(TbsEdit& edit, ByteSpan encoded) {
  std::erase_if(edit.extensions, [&](ByteSpan e) { return e.data() == encoded.data(); });
}

// Extension ::= SEQUENCE { extnID, critical (as encoded, possibly absent), extnValue }.
Bytes EncodeExtension(ByteSpan oid_encoded, ByteSpan critical_encoded, ByteSpan value) {
  Bytes contents(oid_encoded.begin(), oid_encoded.end());
  contents.insert(contents.end(), critical_encoded.begin(), critical_encoded.end());
  AppendDerElement(contents, kDerOctetString, value);
  Bytes out;
  AppendDerElement(out, kDerSequence, contents);
  return out;
}

// Appends `range` to `pieces`, merged with the last range when it continues it in memory (the
// concatenation is the same bytes either way).
void AddRange(TbsPieces& pieces, ByteSpan range) {
  if (range.empty()) return;
  pieces.size += range.size();
  if (!pieces.ranges.empty()) {
    ByteSpan& last = pieces.ranges.back();
    if (last.data() + last.size() == range.data()) {
      last = ByteSpan(last.data(), last.size() + range.size());
      return;
    }
  }
  pieces.ranges.push_back(range);
}

// Identifier and length octets of a one-octet tag with a length of up to 8 octets.
constexpr size_t kMaxDerHeaderSize = 2 + sizeof(size_t);

// Lays out the edited TBS: unchanged byte ranges are referenced, only the lengths of the
// enclosing TBS SEQUENCE, [3] and Extensions SEQUENCE are encoded anew (into one small buffer).
TbsPieces FinishEdit(const CertificateView& cert, TbsEdit edit) {
  const ByteSpan tbs = cert.tbs();
  const CertificateView::TbsLayout& layout = cert.tbs_layout();
  const ByteSpan before_issuer =
      tbs.subspan(layout.contents_offset, layout.issuer_offset - layout.contents_offset);
  const ByteSpan issuer =
      edit.issuer.value_or(tbs.subspan(layout.issuer_offset, layout.issuer_size));
  const size_t after_issuer_start = layout.issuer_offset + layout.issuer_size;
  const ByteSpan after_issuer =
      tbs.subspan(after_issuer_start, layout.extensions_offset - after_issuer_start);
  size_t list_size = 0;
  for (ByteSpan ext : edit.extensions) list_size += ext.size();
  const size_t sequence_size = DerHeaderSize(list_size) + list_size;
  // RFC 5280 §4.1: Extensions ::= SEQUENCE SIZE (1..MAX), so an empty list drops [3] entirely.
  const size_t extensions_size =
      edit.extensions.empty() ? 0 : DerHeaderSize(sequence_size) + sequence_size;
  const size_t contents_size =
      before_issuer.size() + issuer.size() + after_issuer.size() + extensions_size;

  TbsPieces pieces;
  pieces.owned = std::move(edit.owned);  // buffers stay in place: ranges into them stay valid
  Bytes headers;
  headers.reserve(3 * kMaxDerHeaderSize);  // never grows, so ranges into it stay valid
  AppendDerHeader(headers, kDerSequence, contents_size);
  const size_t tbs_header_size = headers.size();
  if (!edit.extensions.empty()) {
    AppendDerHeader(headers, DerContextTag(3, true), sequence_size);
    AppendDerHeader(headers, kDerSequence, list_size);
  }
  const ByteSpan header_bytes(headers.data(), headers.size());
  pieces.ranges.reserve(6 + edit.extensions.size());
  AddRange(pieces, header_bytes.first(tbs_header_size));
  AddRange(pieces, before_issuer);
  AddRange(pieces, issuer);
  AddRange(pieces, after_issuer);
  AddRange(pieces, header_bytes.subspan(tbs_header_size));
  for (ByteSpan ext : edit.extensions) AddRange(pieces, ext);
  pieces.owned.push_back(std::move(headers));
  return pieces;
}

// RFC 6962 §3.2 with a Precertificate Signing Certificate: issuer and AKI from `signer`.
void ApplySigningCert(const CertificateView& precert, const CertificateView& signer,
                      TbsEdit& edit) {
  edit.issuer = signer.issuer_der();
  const Extension* precert_aki = precert.FindRawExtension(oid::kAuthorityKeyIdentifier);
  const Extension* signer_aki = signer.FindRawExtension(oid::kAuthorityKeyIdentifier);
  if (precert_aki != nullptr && signer_aki == nullptr) {
    RemoveElement(edit, precert_aki->encoded);
  } else if (precert_aki != nullptr) {
    edit.owned.push_back(EncodeExtension(precert_aki->oid_encoded, precert_aki->critical_encoded,
                                         signer_aki->value));
    for (ByteSpan& ext : edit.extensions) {
      if (ext.data() == precert_aki->encoded.data()) ext = edit.owned.back();
    }
  } else if (signer_aki != nullptr) {
    edit.owned.push_back(EncodeExtension(signer_aki->oid_encoded, {}, signer_aki->value));
    edit.extensions.push_back(edit.owned.back());
  }
}

}  // namespace

Result<void> CheckPoisonExtension(const CertificateView& cert) {
  if (cert.FindRawExtension(oid::kCtPoison) != nullptr && !cert.IsPrecertificate()) {
    return MakeError(ErrorCode::kMalformed,
                     "poison extension must be critical with value ASN.1 NULL (RFC 6962 §3.1)");
  }
  return {};
}

Bytes TbsPieces::Concatenate() const {
  Bytes out;
  out.reserve(size);
  for (ByteSpan range : ranges) out.insert(out.end(), range.begin(), range.end());
  return out;
}

void TbsPieces::HashInto(Sha256Hasher& hasher) const {
  for (ByteSpan range : ranges) hasher.Update(range);
}

Result<TbsPieces> TbsPiecesWithoutExtension(const CertificateView& cert, ByteSpan oid) {
  const Extension* ext = cert.FindRawExtension(oid);
  if (ext == nullptr) {
    auto dotted = OidToString(oid);
    return MakeError(ErrorCode::kNotFound,
                     "certificate has no extension " + (dotted ? *dotted : HexEncode(oid)));
  }
  TbsEdit edit = StartEdit(cert);
  RemoveElement(edit, ext->encoded);
  return FinishEdit(cert, std::move(edit));
}

Result<Bytes> TbsWithoutExtension(const CertificateView& cert, ByteSpan oid) {
  ASSIGN_OR_RETURN(TbsPieces pieces, TbsPiecesWithoutExtension(cert, oid));
  return pieces.Concatenate();
}

Result<Bytes> EmbeddedSctTbs(const CertificateView& final_cert) {
  return TbsWithoutExtension(final_cert, oid::kCtSctList);
}

Result<Bytes> PrecertTbs(const CertificateView& precert,
                         const CertificateView* precert_signing_cert) {
  ASSIGN_OR_RETURN(TbsPieces pieces, PrecertTbsPieces(precert, precert_signing_cert));
  return pieces.Concatenate();
}

Result<TbsPieces> PrecertTbsPieces(const CertificateView& precert,
                                   const CertificateView* precert_signing_cert) {
  RETURN_IF_ERROR(CheckPoisonExtension(precert));
  if (!precert.IsPrecertificate()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "not a precertificate: no poison extension (RFC 6962 §3.1)");
  }
  TbsEdit edit = StartEdit(precert);
  RemoveElement(edit, precert.FindRawExtension(oid::kCtPoison)->encoded);
  if (precert_signing_cert != nullptr) {
    if (!precert_signing_cert->IsPrecertificateSigningCert()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "issuer lacks the Precertificate Signing EKU 1.3.6.1.4.1.11129.2.4.4");
    }
    ApplySigningCert(precert, *precert_signing_cert, edit);
  }
  return FinishEdit(precert, std::move(edit));
}

}  // namespace ctkit
