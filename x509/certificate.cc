#include "x509/certificate.h"

#include <algorithm>
#include <utility>

#include "x509/der.h"
#include "x509/name.h"
#include "x509/oid.h"

namespace ctkit {
namespace {

std::unexpected<Error> Malformed(std::string message) {
  return MakeError(ErrorCode::kMalformed, std::move(message));
}

// 2.5.4.3 id-at-commonName
constexpr std::array<uint8_t, 3> kOidCommonName{0x55, 0x04, 0x03};

// Reads an AlgorithmIdentifier (RFC 5280 §4.1.1.2) and returns its element and dotted OID.
Result<std::pair<ByteSpan, std::string>> ReadAlgorithmIdentifier(DerReader& reader,
                                                                 const char* what) {
  auto element = reader.ReadFullElement(kDerSequence);
  if (!element) return std::unexpected(WithContext(element.error(), what));
  DerReader fields(element->contents, reader.depth() + 1);
  auto oid = fields.ReadOid();
  if (!oid) return std::unexpected(WithContext(oid.error(), what));
  // parameters ANY DEFINED BY algorithm OPTIONAL: at most one element.
  if (!fields.empty()) {
    auto params = fields.ReadAnyElement();
    if (!params) return std::unexpected(WithContext(params.error(), what));
  }
  if (auto end = fields.ExpectEnd(what); !end) return std::unexpected(end.error());
  auto dotted = OidToString(*oid);
  return std::make_pair(element->encoded, dotted ? *dotted : "#" + HexEncode(*oid));
}

}  // namespace

Result<CertificateView> CertificateView::Parse(ByteSpan der) {
  return Parse(std::make_shared<const Bytes>(der.begin(), der.end()));
}

Result<CertificateView> CertificateView::Parse(Bytes&& der) {
  return Parse(std::make_shared<const Bytes>(std::move(der)));
}

Result<CertificateView> CertificateView::Parse(std::shared_ptr<const Bytes> der) {
  if (der == nullptr) return MakeError(ErrorCode::kInvalidArgument, "null certificate buffer");
  CertificateView view;
  view.der_ = std::move(der);
  if (auto ok = view.ParseDer(); !ok) {
    return std::unexpected(WithContext(ok.error(), "certificate"));
  }
  return view;
}

Result<void> CertificateView::ParseDer() {
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
  DerReader outer(*der_);
  auto cert = outer.ReadSequence();
  if (!cert) return std::unexpected(cert.error());
  if (auto end = outer.ExpectEnd("Certificate"); !end) return std::unexpected(end.error());

  auto tbs = cert->ReadFullElement(kDerSequence);
  if (!tbs) return std::unexpected(WithContext(tbs.error(), "TBSCertificate"));
  tbs_ = tbs->encoded;
  auto algorithm = ReadAlgorithmIdentifier(*cert, "signatureAlgorithm");
  if (!algorithm) return std::unexpected(algorithm.error());
  signature_algorithm_ = algorithm->first;
  signature_algorithm_oid_ = algorithm->second;
  auto signature = cert->ReadBitString();
  if (!signature) return std::unexpected(WithContext(signature.error(), "signatureValue"));
  if (signature->unused_bits != 0) return Malformed("signatureValue has unused bits");
  signature_ = signature->bytes;
  if (auto end = cert->ExpectEnd("Certificate"); !end) return std::unexpected(end.error());

  if (auto ok = ParseTbs(tbs_); !ok)
    return std::unexpected(WithContext(ok.error(), "TBSCertificate"));
  if (auto ok = ReadKnownExtensions(); !ok) return std::unexpected(ok.error());
  sha256_ = Sha256(*der_);
  spki_sha256_ = Sha256(spki_);
  return {};
}

Result<void> CertificateView::ParseTbs(ByteSpan tbs) {
  DerReader outer(tbs, 1);
  auto fields = outer.ReadSequence();
  if (!fields) return std::unexpected(fields.error());
  layout_.contents_offset = tbs.size() - fields->remaining();

  // version [0] EXPLICIT Version DEFAULT v1. An explicit v1 breaks the DER DEFAULT rule
  // (X.690 §11.5) but is unambiguous and accepted, like critical FALSE.
  auto version = fields->ReadOptionalConstructed(DerContextTag(0, true));
  if (!version) return std::unexpected(WithContext(version.error(), "version"));
  if (version->has_value()) {
    auto value = (*version)->ReadUint64();
    if (!value) return std::unexpected(WithContext(value.error(), "version"));
    if (auto end = (*version)->ExpectEnd("version"); !end) return std::unexpected(end.error());
    if (*value > 2)
      return MakeError(ErrorCode::kUnsupported, "unknown version " + std::to_string(*value + 1));
    version_ = static_cast<int>(*value) + 1;
  }

  auto serial = fields->ReadInteger();
  if (!serial) return std::unexpected(WithContext(serial.error(), "serialNumber"));
  serial_ = serial->bytes;

  auto inner_algorithm = ReadAlgorithmIdentifier(*fields, "signature");
  if (!inner_algorithm) return std::unexpected(inner_algorithm.error());
  // RFC 5280 §4.1.1.2: MUST contain the same algorithm identifier as signatureAlgorithm. CT logs
  // reject certificates where the two differ, so a verifier must not accept them either.
  if (!std::ranges::equal(inner_algorithm->first, signature_algorithm_)) {
    return Malformed("signature and signatureAlgorithm differ (RFC 5280 §4.1.1.2)");
  }

  auto issuer = fields->ReadFullElement(kDerSequence);
  if (!issuer) return std::unexpected(WithContext(issuer.error(), "issuer"));
  issuer_der_ = issuer->encoded;
  layout_.issuer_offset = static_cast<size_t>(issuer_der_.data() - tbs.data());
  layout_.issuer_size = issuer_der_.size();
  auto issuer_text = NameToString(issuer_der_);
  if (!issuer_text) return std::unexpected(WithContext(issuer_text.error(), "issuer"));
  issuer_ = std::move(*issuer_text);

  auto validity = fields->ReadSequence();
  if (!validity) return std::unexpected(WithContext(validity.error(), "validity"));
  auto not_before = validity->ReadTime();
  if (!not_before) return std::unexpected(WithContext(not_before.error(), "notBefore"));
  auto not_after = validity->ReadTime();
  if (!not_after) return std::unexpected(WithContext(not_after.error(), "notAfter"));
  if (auto end = validity->ExpectEnd("validity"); !end) return std::unexpected(end.error());
  not_before_ = *not_before;
  not_after_ = *not_after;

  auto subject = fields->ReadFullElement(kDerSequence);
  if (!subject) return std::unexpected(WithContext(subject.error(), "subject"));
  subject_der_ = subject->encoded;
  auto subject_text = NameToString(subject_der_);
  if (!subject_text) return std::unexpected(WithContext(subject_text.error(), "subject"));
  subject_ = std::move(*subject_text);
  auto common_names = NameAttributeValues(subject_der_, kOidCommonName);
  if (!common_names) return std::unexpected(WithContext(common_names.error(), "subject"));
  subject_common_names_ = std::move(*common_names);

  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING
  // }
  auto spki = fields->ReadFullElement(kDerSequence);
  if (!spki) return std::unexpected(WithContext(spki.error(), "subjectPublicKeyInfo"));
  spki_ = spki->encoded;
  DerReader spki_fields(spki->contents, fields->depth() + 1);
  auto key_algorithm = ReadAlgorithmIdentifier(spki_fields, "subjectPublicKeyInfo algorithm");
  if (!key_algorithm) return std::unexpected(key_algorithm.error());
  spki_algorithm_oid_ = key_algorithm->second;
  auto key = spki_fields.ReadBitString();
  if (!key) return std::unexpected(WithContext(key.error(), "subjectPublicKey"));
  if (auto end = spki_fields.ExpectEnd("subjectPublicKeyInfo"); !end)
    return std::unexpected(end.error());

  // issuerUniqueID [1] IMPLICIT BIT STRING, subjectUniqueID [2] IMPLICIT BIT STRING: v2 or v3
  // only (RFC 5280 §4.1.2.8).
  for (uint32_t number : {1u, 2u}) {
    auto unique_id = fields->ReadOptionalElement(DerContextTag(number, false));
    if (!unique_id) return std::unexpected(unique_id.error());
    if (!unique_id->has_value()) continue;
    if (version_ < 2) return Malformed("unique identifier in a v1 certificate");
    if (auto bits = ParseDerBitString((*unique_id)->contents); !bits) {
      return std::unexpected(WithContext(bits.error(), "unique identifier"));
    }
  }

  // extensions [3] EXPLICIT Extensions OPTIONAL: v3 only (RFC 5280 §4.1.2.9).
  layout_.extensions_offset = tbs.size();
  auto extensions = fields->ReadOptionalElement(DerContextTag(3, true));
  if (!extensions) return std::unexpected(extensions.error());
  if (extensions->has_value()) {
    if (version_ != 3)
      return Malformed("extensions in a v" + std::to_string(version_) + " certificate");
    layout_.extensions_offset = static_cast<size_t>((*extensions)->encoded.data() - tbs.data());
    auto parsed = ParseExtensions((*extensions)->contents, tbs, fields->depth() + 1);
    if (!parsed) return std::unexpected(parsed.error());
    extensions_ = std::move(*parsed);
  }
  return fields->ExpectEnd("TBSCertificate");
}

Result<void> CertificateView::ReadKnownExtensions() {
  if (const Extension* ext = FindExtension(oid::kSubjectAltName)) {
    auto san = ParseSubjectAltName(ext->value);
    if (!san) return std::unexpected(san.error());
    san_ = std::move(*san);
  }
  if (const Extension* ext = FindExtension(oid::kKeyUsage)) {
    auto usage = ParseKeyUsage(ext->value);
    if (!usage) return std::unexpected(usage.error());
    key_usage_ = *usage;
  }
  if (const Extension* ext = FindExtension(oid::kExtendedKeyUsage)) {
    auto purposes = ParseExtendedKeyUsage(ext->value);
    if (!purposes) return std::unexpected(purposes.error());
    extended_key_usage_oids_ = std::move(*purposes);
    for (ByteSpan purpose : extended_key_usage_oids_) {
      auto dotted = OidToString(purpose);
      extended_key_usages_.push_back(dotted ? *dotted : "#" + HexEncode(purpose));
    }
  }
  if (const Extension* ext = FindExtension(oid::kAuthorityKeyIdentifier)) {
    auto key_id = ParseAuthorityKeyIdentifier(ext->value);
    if (!key_id) return std::unexpected(key_id.error());
    authority_key_id_ = *key_id;
  }
  if (const Extension* ext = FindExtension(oid::kSubjectKeyIdentifier)) {
    auto key_id = ParseSubjectKeyIdentifier(ext->value);
    if (!key_id) return std::unexpected(key_id.error());
    subject_key_id_ = *key_id;
  }
  if (const Extension* ext = FindExtension(oid::kBasicConstraints)) {
    auto constraints = ParseBasicConstraints(ext->value);
    if (!constraints) return std::unexpected(constraints.error());
    basic_constraints_ = *constraints;
  }
  return {};
}

std::string CertificateView::serial_hex() const {
  ByteSpan bytes = serial_;
  if (bytes.size() > 1 && bytes[0] == 0x00) bytes = bytes.subspan(1);
  return HexEncode(bytes);
}

const Extension* CertificateView::FindExtension(ByteSpan oid) const {
  for (const Extension& ext : extensions_) {
    if (OidEquals(ext.oid, oid)) return &ext;
  }
  return nullptr;
}

bool CertificateView::HasExtendedKeyUsage(ByteSpan oid) const {
  return std::ranges::any_of(extended_key_usage_oids_,
                             [&](ByteSpan purpose) { return OidEquals(purpose, oid); });
}

std::optional<ByteSpan> CertificateView::authority_key_identifier_value() const {
  const Extension* ext = FindExtension(oid::kAuthorityKeyIdentifier);
  if (ext == nullptr) return std::nullopt;
  return ext->value;
}

bool CertificateView::IsPrecertificate() const {
  const Extension* poison = FindExtension(oid::kCtPoison);
  static constexpr uint8_t kAsn1Null[] = {0x05, 0x00};
  return poison != nullptr && poison->critical && std::ranges::equal(poison->value, kAsn1Null);
}

bool CertificateView::IsPrecertificateSigningCert() const {
  return HasExtendedKeyUsage(oid::kCtPrecertSigning);
}

Result<ByteSpan> CertificateView::EmbeddedSctList() const {
  const Extension* ext = FindExtension(oid::kCtSctList);
  if (ext == nullptr) {
    return MakeError(ErrorCode::kNotFound, "certificate has no embedded SCT list extension");
  }
  DerReader reader(ext->value);
  auto inner = reader.ReadOctetString();
  if (!inner) return std::unexpected(WithContext(inner.error(), "embedded SCT list extension"));
  if (auto end = reader.ExpectEnd("embedded SCT list extension"); !end) {
    return std::unexpected(end.error());
  }
  return *inner;
}

}  // namespace ctkit
