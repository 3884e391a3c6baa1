#include "x509/certificate.h"

#include <algorithm>
#include <mutex>
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

// Reads an AlgorithmIdentifier (RFC 5280 §4.1.1.2) and returns its element and OID octets.
Result<std::pair<ByteSpan, ByteSpan>> ReadAlgorithmIdentifier(DerReader& reader, const char* what) {
  ASSIGN_OR_RETURN(auto element, reader.ReadFullElement(kDerSequence), what);
  DerReader fields(element.contents, reader.depth() + 1);
  ASSIGN_OR_RETURN(auto oid, fields.ReadOid(), what);
  // parameters ANY DEFINED BY algorithm OPTIONAL: at most one element.
  if (!fields.empty()) {
    RETURN_IF_ERROR(fields.ReadAnyElement(), what);
  }
  RETURN_IF_ERROR(fields.ExpectEnd(what));
  return std::make_pair(element.encoded, oid);
}

// Through the streaming interface: the one-shot SHA256() of OpenSSL 3 fetches an EVP digest and
// allocates a context on every call.
Sha256Digest Sha256Of(ByteSpan data) { return Sha256Hasher().Update(data).Finish(); }

// Dotted text, or '#' and the hex of the octets for an OID with an arc too wide to print.
std::string OidText(ByteSpan oid) {
  auto dotted = OidToString(oid);
  return dotted ? std::move(*dotted) : "#" + HexEncode(oid);
}

}  // namespace

// Each group is computed by the first accessor that needs it. Parse already checked what they
// read (CheckName, CheckSubjectAltName, ...), so they cannot fail; the fallbacks below are for
// form's sake.
struct CertificateView::Lazy {
  std::once_flag names_once;
  std::string issuer;
  std::string subject;
  std::once_flag common_names_once;  // apart from the strings: a monitor reads CNs of every entry
  std::vector<std::string> subject_common_names;

  std::once_flag san_once;
  SubjectAltNames san;

  std::once_flag oids_once;
  std::string signature_algorithm_oid;
  std::string spki_algorithm_oid;
  std::vector<std::string> extended_key_usages;
  std::vector<Extension> extensions;  // extensions_ with oid_string

  std::once_flag sha256_once;
  Sha256Digest sha256{};

  std::once_flag spki_sha256_once;
  Sha256Digest spki_sha256{};
};

// The DER and the lazily computed state in one allocation, for the Parse overloads that own the
// buffer; der_ and lazy_ are aliasing pointers into it.
struct CertificateView::Owned {
  explicit Owned(Bytes bytes) : der(std::move(bytes)) {}
  const Bytes der;
  Lazy lazy;
};

Result<CertificateView> CertificateView::Parse(ByteSpan der) {
  return Parse(Bytes(der.begin(), der.end()));
}

Result<CertificateView> CertificateView::Parse(Bytes&& der) {
  auto owned = std::make_shared<Owned>(std::move(der));
  CertificateView view;
  view.der_ = std::shared_ptr<const Bytes>(owned, &owned->der);
  view.lazy_ = std::shared_ptr<Lazy>(std::move(owned), &owned->lazy);
  RETURN_IF_ERROR(view.ParseDer(), "certificate");
  return view;
}

Result<CertificateView> CertificateView::Parse(std::shared_ptr<const Bytes> der) {
  if (der == nullptr) return MakeError(ErrorCode::kInvalidArgument, "null certificate buffer");
  CertificateView view;
  view.der_ = std::move(der);
  view.lazy_ = std::make_shared<Lazy>();
  RETURN_IF_ERROR(view.ParseDer(), "certificate");
  return view;
}

Result<void> CertificateView::ParseDer() {
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
  DerReader outer(*der_);
  ASSIGN_OR_RETURN(auto cert, outer.ReadSequence());
  RETURN_IF_ERROR(outer.ExpectEnd("Certificate"));

  ASSIGN_OR_RETURN(auto tbs, cert.ReadFullElement(kDerSequence), "TBSCertificate");
  tbs_ = tbs.encoded;
  ASSIGN_OR_RETURN(auto algorithm, ReadAlgorithmIdentifier(cert, "signatureAlgorithm"));
  signature_algorithm_ = algorithm.first;
  signature_algorithm_oid_bytes_ = algorithm.second;
  ASSIGN_OR_RETURN(auto signature, cert.ReadBitString(), "signatureValue");
  if (signature.unused_bits != 0) return Malformed("signatureValue has unused bits");
  signature_ = signature.bytes;
  RETURN_IF_ERROR(cert.ExpectEnd("Certificate"));

  RETURN_IF_ERROR(ParseTbs(tbs_), "TBSCertificate");
  return ReadKnownExtensions();
}

Result<void> CertificateView::ParseTbs(ByteSpan tbs) {
  DerReader outer(tbs, 1);
  ASSIGN_OR_RETURN(auto fields, outer.ReadSequence());
  layout_.contents_offset = tbs.size() - fields.remaining();

  // version [0] EXPLICIT Version DEFAULT v1. An explicit v1 breaks the DER DEFAULT rule
  // (X.690 §11.5) but is unambiguous and accepted, like critical FALSE.
  ASSIGN_OR_RETURN(auto version, fields.ReadOptionalConstructed(DerContextTag(0, true)), "version");
  if (version.has_value()) {
    ASSIGN_OR_RETURN(auto value, (version)->ReadUint64(), "version");
    RETURN_IF_ERROR((version)->ExpectEnd("version"));
    if (value > 2)
      return MakeError(ErrorCode::kUnsupported, "unknown version " + std::to_string(value + 1));
    version_ = static_cast<int>(value) + 1;
  }

  ASSIGN_OR_RETURN(auto serial, fields.ReadInteger(), "serialNumber");
  serial_ = serial.bytes;

  ASSIGN_OR_RETURN(auto inner_algorithm, ReadAlgorithmIdentifier(fields, "signature"));
  // RFC 5280 §4.1.1.2: MUST contain the same algorithm identifier as signatureAlgorithm. CT logs
  // reject certificates where the two differ, so a verifier must not accept them either.
  if (!std::ranges::equal(inner_algorithm.first, signature_algorithm_)) {
    return Malformed("signature and signatureAlgorithm differ (RFC 5280 §4.1.1.2)");
  }

  ASSIGN_OR_RETURN(auto issuer, fields.ReadFullElement(kDerSequence), "issuer");
  issuer_der_ = issuer.encoded;
  layout_.issuer_offset = static_cast<size_t>(issuer_der_.data() - tbs.data());
  layout_.issuer_size = issuer_der_.size();
  RETURN_IF_ERROR(CheckName(issuer_der_), "issuer");

  ASSIGN_OR_RETURN(auto validity, fields.ReadSequence(), "validity");
  ASSIGN_OR_RETURN(auto not_before, validity.ReadTime(), "notBefore");
  ASSIGN_OR_RETURN(auto not_after, validity.ReadTime(), "notAfter");
  RETURN_IF_ERROR(validity.ExpectEnd("validity"));
  not_before_ = not_before;
  not_after_ = not_after;

  ASSIGN_OR_RETURN(auto subject, fields.ReadFullElement(kDerSequence), "subject");
  subject_der_ = subject.encoded;
  RETURN_IF_ERROR(CheckName(subject_der_), "subject");

  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING
  // }
  ASSIGN_OR_RETURN(auto spki, fields.ReadFullElement(kDerSequence), "subjectPublicKeyInfo");
  spki_ = spki.encoded;
  DerReader spki_fields(spki.contents, fields.depth() + 1);
  ASSIGN_OR_RETURN(auto key_algorithm,
                   ReadAlgorithmIdentifier(spki_fields, "subjectPublicKeyInfo algorithm"));
  spki_algorithm_oid_bytes_ = key_algorithm.second;
  RETURN_IF_ERROR(spki_fields.ReadBitString(), "subjectPublicKey");
  RETURN_IF_ERROR(spki_fields.ExpectEnd("subjectPublicKeyInfo"));

  // issuerUniqueID [1] IMPLICIT BIT STRING, subjectUniqueID [2] IMPLICIT BIT STRING: v2 or v3
  // only (RFC 5280 §4.1.2.8).
  for (uint32_t number : {1u, 2u}) {
    ASSIGN_OR_RETURN(auto unique_id, fields.ReadOptionalElement(DerContextTag(number, false)));
    if (!unique_id.has_value()) continue;
    if (version_ < 2) return Malformed("unique identifier in a v1 certificate");
    RETURN_IF_ERROR(ParseDerBitString(unique_id->contents), "unique identifier");
  }

  // extensions [3] EXPLICIT Extensions OPTIONAL: v3 only (RFC 5280 §4.1.2.9).
  layout_.extensions_offset = tbs.size();
  ASSIGN_OR_RETURN(auto extensions, fields.ReadOptionalElement(DerContextTag(3, true)));
  if (extensions.has_value()) {
    if (version_ != 3)
      return Malformed("extensions in a v" + std::to_string(version_) + " certificate");
    layout_.extensions_offset = static_cast<size_t>((extensions)->encoded.data() - tbs.data());
    ASSIGN_OR_RETURN(auto parsed,
                     ParseExtensionsWithoutText((extensions)->contents, tbs, fields.depth() + 1));
    extensions_ = std::move(parsed);
  }
  return fields.ExpectEnd("TBSCertificate");
}

Result<void> CertificateView::ReadKnownExtensions() {
  // One pass over the extensions finds the six read here (all 2.5.29.x, RFC 5280 §4.2.1); they
  // are then checked in a fixed order, so a certificate with several bad ones always reports
  // the same one. Duplicates were rejected by ParseExtensionsWithoutText.
  const Extension* subject_alt_name = nullptr;
  const Extension* key_usage = nullptr;
  const Extension* extended_key_usage = nullptr;
  const Extension* authority_key_id = nullptr;
  const Extension* subject_key_id = nullptr;
  const Extension* basic_constraints = nullptr;
  const std::pair<ByteSpan, const Extension**> wanted[] = {
      {oid::kSubjectAltName, &subject_alt_name},
      {oid::kKeyUsage, &key_usage},
      {oid::kExtendedKeyUsage, &extended_key_usage},
      {oid::kAuthorityKeyIdentifier, &authority_key_id},
      {oid::kSubjectKeyIdentifier, &subject_key_id},
      {oid::kBasicConstraints, &basic_constraints},
  };
  for (const Extension& ext : extensions_) {
    if (ext.oid.size() != 3 || ext.oid[0] != 0x55 || ext.oid[1] != 0x1d) continue;
    for (const auto& [wanted_oid, slot] : wanted) {
      if (OidEquals(ext.oid, wanted_oid)) *slot = &ext;
    }
  }
  if (const Extension* ext = subject_alt_name) {
    RETURN_IF_ERROR(CheckSubjectAltName(ext->value));
    subject_alt_name_ = ext->value;
  }
  if (const Extension* ext = key_usage) {
    ASSIGN_OR_RETURN(auto usage, ParseKeyUsage(ext->value));
    key_usage_ = usage;
  }
  if (const Extension* ext = extended_key_usage) {
    RETURN_IF_ERROR(CheckExtendedKeyUsage(ext->value));
    extended_key_usage_ = ext->value;
  }
  if (const Extension* ext = authority_key_id) {
    ASSIGN_OR_RETURN(auto key_id, ParseAuthorityKeyIdentifier(ext->value));
    authority_key_id_ = key_id;
  }
  if (const Extension* ext = subject_key_id) {
    ASSIGN_OR_RETURN(auto key_id, ParseSubjectKeyIdentifier(ext->value));
    subject_key_id_ = key_id;
  }
  if (const Extension* ext = basic_constraints) {
    ASSIGN_OR_RETURN(auto constraints, ParseBasicConstraints(ext->value));
    basic_constraints_ = constraints;
  }
  return {};
}

const Sha256Digest& CertificateView::sha256() const {
  Lazy& lazy = *lazy_;
  std::call_once(lazy.sha256_once, [&] { lazy.sha256 = Sha256Of(*der_); });
  return lazy.sha256;
}

const Sha256Digest& CertificateView::spki_sha256() const {
  Lazy& lazy = *lazy_;
  std::call_once(lazy.spki_sha256_once, [&] { lazy.spki_sha256 = Sha256Of(spki_); });
  return lazy.spki_sha256;
}

CertificateView::Lazy& CertificateView::Names() const {
  Lazy& lazy = *lazy_;
  std::call_once(lazy.names_once, [&] {
    auto issuer = NameToString(issuer_der_);
    lazy.issuer = issuer ? std::move(*issuer) : "#" + HexEncode(issuer_der_);
    auto subject = NameToString(subject_der_);
    lazy.subject = subject ? std::move(*subject) : "#" + HexEncode(subject_der_);
  });
  return lazy;
}

std::vector<std::string> CertificateView::DecodeSubjectCommonNames() const {
  auto common_names = NameAttributeValues(subject_der_, kOidCommonName);
  return common_names ? std::move(*common_names) : std::vector<std::string>{};
}

CertificateView::Lazy& CertificateView::CommonNames() const {
  Lazy& lazy = *lazy_;
  std::call_once(lazy.common_names_once,
                 [&] { lazy.subject_common_names = DecodeSubjectCommonNames(); });
  return lazy;
}

const std::string& CertificateView::issuer() const { return Names().issuer; }
const std::string& CertificateView::subject() const { return Names().subject; }
const std::vector<std::string>& CertificateView::subject_common_names() const {
  return CommonNames().subject_common_names;
}

SubjectAltNames CertificateView::DecodeSubjectAltNames() const {
  if (!subject_alt_name_) return {};
  auto san = ParseSubjectAltName(*subject_alt_name_);
  return san ? std::move(*san) : SubjectAltNames{};
}

CertificateView::Lazy& CertificateView::SanNames() const {
  Lazy& lazy = *lazy_;
  std::call_once(lazy.san_once, [&] { lazy.san = DecodeSubjectAltNames(); });
  return lazy;
}

const std::vector<std::string>& CertificateView::dns_names() const {
  return SanNames().san.dns_names;
}
const std::vector<std::string>& CertificateView::ip_addresses() const {
  return SanNames().san.ip_addresses;
}

CertificateView::Lazy& CertificateView::OidTexts() const {
  Lazy& lazy = *lazy_;
  std::call_once(lazy.oids_once, [&] {
    lazy.signature_algorithm_oid = OidText(signature_algorithm_oid_bytes_);
    lazy.spki_algorithm_oid = OidText(spki_algorithm_oid_bytes_);
    ForEachExtendedKeyUsage([&](ByteSpan purpose) {
      lazy.extended_key_usages.push_back(OidText(purpose));
      return false;
    });
    lazy.extensions = extensions_;
    for (Extension& ext : lazy.extensions) {
      auto dotted = OidToString(ext.oid);
      ext.oid_string = dotted ? std::move(*dotted) : "";
    }
  });
  return lazy;
}

const std::string& CertificateView::signature_algorithm_oid() const {
  return OidTexts().signature_algorithm_oid;
}
const std::string& CertificateView::spki_algorithm_oid() const {
  return OidTexts().spki_algorithm_oid;
}
const std::vector<std::string>& CertificateView::extended_key_usages() const {
  return OidTexts().extended_key_usages;
}
const std::vector<Extension>& CertificateView::extensions() const { return OidTexts().extensions; }

template <typename Visit>
bool CertificateView::ForEachExtendedKeyUsage(Visit visit) const {
  if (!extended_key_usage_) return false;
  // Checked by ParseExtendedKeyUsage when parsing: a SEQUENCE of OIDs, so nothing fails here.
  DerReader outer(*extended_key_usage_);
  auto list = outer.ReadSequence();
  while (list && !list->empty()) {
    auto purpose = list->ReadOid();
    if (!purpose) break;
    if (visit(*purpose)) return true;
  }
  return false;
}

std::string CertificateView::serial_hex() const {
  ByteSpan bytes = serial_;
  if (bytes.size() > 1 && bytes[0] == 0x00) bytes = bytes.subspan(1);
  return HexEncode(bytes);
}

const Extension* CertificateView::FindRawExtension(ByteSpan oid) const {
  for (const Extension& ext : extensions_) {
    if (OidEquals(ext.oid, oid)) return &ext;
  }
  return nullptr;
}

const Extension* CertificateView::FindExtension(ByteSpan oid) const {
  const Extension* raw = FindRawExtension(oid);
  if (raw == nullptr) return nullptr;
  return &extensions()[static_cast<size_t>(raw - extensions_.data())];
}

bool CertificateView::HasExtendedKeyUsage(ByteSpan oid) const {
  return ForEachExtendedKeyUsage([&](ByteSpan purpose) { return OidEquals(purpose, oid); });
}

std::optional<ByteSpan> CertificateView::authority_key_identifier_value() const {
  const Extension* ext = FindRawExtension(oid::kAuthorityKeyIdentifier);
  if (ext == nullptr) return std::nullopt;
  return ext->value;
}

bool CertificateView::IsPrecertificate() const {
  const Extension* poison = FindRawExtension(oid::kCtPoison);
  static constexpr uint8_t kAsn1Null[] = {0x05, 0x00};
  return poison != nullptr && poison->critical && std::ranges::equal(poison->value, kAsn1Null);
}

bool CertificateView::IsPrecertificateSigningCert() const {
  return HasExtendedKeyUsage(oid::kCtPrecertSigning);
}

Result<ByteSpan> CertificateView::EmbeddedSctList() const {
  const Extension* ext = FindRawExtension(oid::kCtSctList);
  if (ext == nullptr) {
    return MakeError(ErrorCode::kNotFound, "certificate has no embedded SCT list extension");
  }
  DerReader reader(ext->value);
  ASSIGN_OR_RETURN(auto inner, reader.ReadOctetString(), "embedded SCT list extension");
  RETURN_IF_ERROR(reader.ExpectEnd("embedded SCT list extension"));
  return inner;
}

}  // namespace ctkit
