#include "ct/sct_ocsp.h"

#include <algorithm>
#include <string>

#include "x509/der.h"

namespace ctkit {
namespace {

// X.680 §8.6: ENUMERATED is universal tag 10.
constexpr DerTag kDerEnumerated{DerTagClass::kUniversal, false, 10};

// RFC 6960 §4.2.1: id-pkix-ocsp-basic, 1.3.6.1.5.5.7.48.1.1.
constexpr uint8_t kOcspBasicOid[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01};

bool SpanEquals(ByteSpan a, ByteSpan b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

std::unexpected<Error> Fail(const Error& error, const std::string& where) {
  return std::unexpected(WithContext(error, "OCSP " + where));
}

// Local shorthands for "read this, or return its error with context"; #undef'd at the end.
#define CTKIT_TRY(var, expr, where) \
  auto var = (expr);                \
  if (!var) return Fail(var.error(), where)

#define CTKIT_TRY_VOID(expr, where)                                \
  do {                                                             \
    auto ctkit_result_ = (expr);                                   \
    if (!ctkit_result_) return Fail(ctkit_result_.error(), where); \
  } while (0)

// Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension (RFC 5280 §4.1, used by RFC 6960). Returns
// the SCT extension's list, if present.
Result<std::optional<Bytes>> SctListFromExtensions(DerReader& explicit_wrapper) {
  CTKIT_TRY(extensions, explicit_wrapper.ReadSequence(), "singleExtensions");
  CTKIT_TRY_VOID(explicit_wrapper.ExpectEnd("singleExtensions"), "singleExtensions");
  if (extensions->empty()) {
    return MakeError(ErrorCode::kMalformed, "OCSP singleExtensions: empty (SIZE (1..MAX))");
  }
  std::optional<Bytes> list;
  while (!extensions->empty()) {
    CTKIT_TRY(extension, extensions->ReadSequence(), "extension");
    CTKIT_TRY(oid, extension->ReadOid(), "extension extnID");
    CTKIT_TRY(critical, extension->ReadOptionalElement(kDerBoolean), "extension critical");
    if (*critical) {
      // DER: a DEFAULT value is omitted (X.690 §11.5), so an explicit BOOLEAN must be TRUE.
      CTKIT_TRY(value, ParseDerBoolean((*critical)->contents), "extension critical");
      if (!*value) {
        return MakeError(ErrorCode::kMalformed, "OCSP extension: critical FALSE is not DER");
      }
    }
    CTKIT_TRY(value, extension->ReadOctetString(), "extension extnValue");
    CTKIT_TRY_VOID(extension->ExpectEnd("extension"), "extension");
    if (!SpanEquals(*oid, kOcspSctListOid)) continue;
    if (list) {
      return MakeError(ErrorCode::kMalformed, "OCSP: SCT list extension appears twice");
    }
    // extnValue holds the DER of SignedCertificateTimestampList ::= OCTET STRING.
    DerReader inner(*value);
    CTKIT_TRY(octets, inner.ReadOctetString(), "SCT list extension");
    CTKIT_TRY_VOID(inner.ExpectEnd("SCT list extension"), "SCT list extension");
    list = Bytes(octets->begin(), octets->end());
  }
  return list;
}

}  // namespace

Result<std::optional<Bytes>> ExtractOcspSctList(ByteSpan ocsp_response_der,
                                                ByteSpan certificate_serial) {
  // RFC 6960 §4.2.1:
  //   OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED,
  //                               responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }
  DerReader top(ocsp_response_der);
  CTKIT_TRY(response, top.ReadSequence(), "response");
  CTKIT_TRY_VOID(top.ExpectEnd("response"), "response");
  CTKIT_TRY(status, response->ReadElement(kDerEnumerated), "responseStatus");
  CTKIT_TRY_VOID(CheckDerInteger(*status), "responseStatus");
  if (status->size() != 1 || (*status)[0] != 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "OCSP responseStatus is not successful(0): no responses");
  }
  CTKIT_TRY(wrapper, response->ReadConstructed(DerContextTag(0, true)), "responseBytes");
  CTKIT_TRY_VOID(response->ExpectEnd("response"), "response");
  //   ResponseBytes ::= SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING }
  CTKIT_TRY(response_bytes, wrapper->ReadSequence(), "responseBytes");
  CTKIT_TRY_VOID(wrapper->ExpectEnd("responseBytes"), "responseBytes");
  CTKIT_TRY(type, response_bytes->ReadOid(), "responseType");
  if (!SpanEquals(*type, kOcspBasicOid)) {
    return MakeError(ErrorCode::kUnsupported, "OCSP responseType is not id-pkix-ocsp-basic");
  }
  CTKIT_TRY(basic_der, response_bytes->ReadOctetString(), "response");
  CTKIT_TRY_VOID(response_bytes->ExpectEnd("responseBytes"), "responseBytes");

  //   BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData, signatureAlgorithm,
  //                                    signature, certs [0] OPTIONAL }
  // Only tbsResponseData is needed; the rest is left unread.
  DerReader basic_outer(*basic_der);
  CTKIT_TRY(basic, basic_outer.ReadSequence(), "BasicOCSPResponse");
  CTKIT_TRY_VOID(basic_outer.ExpectEnd("BasicOCSPResponse"), "BasicOCSPResponse");
  //   ResponseData ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, responderID ResponderID,
  //     producedAt GeneralizedTime, responses SEQUENCE OF SingleResponse,
  //     responseExtensions [1] EXPLICIT Extensions OPTIONAL }
  CTKIT_TRY(data, basic->ReadSequence(), "ResponseData");
  CTKIT_TRY(version, data->ReadOptionalConstructed(DerContextTag(0, true)), "version");
  CTKIT_TRY(responder, data->ReadAnyElement(), "responderID");
  // ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }, explicitly tagged.
  if (responder->tag != DerContextTag(1, true) && responder->tag != DerContextTag(2, true)) {
    return MakeError(ErrorCode::kMalformed,
                     "OCSP responderID: unexpected " + responder->tag.ToString());
  }
  CTKIT_TRY(produced_at, data->ReadElement(kDerGeneralizedTime), "producedAt");
  CTKIT_TRY(responses, data->ReadSequence(), "responses");
  CTKIT_TRY(response_extensions, data->ReadOptionalConstructed(DerContextTag(1, true)),
            "responseExtensions");
  CTKIT_TRY_VOID(data->ExpectEnd("ResponseData"), "ResponseData");

  std::optional<std::optional<Bytes>> found;
  while (!responses->empty()) {
    //   SingleResponse ::= SEQUENCE { certID CertID, certStatus CertStatus,
    //     thisUpdate GeneralizedTime, nextUpdate [0] EXPLICIT GeneralizedTime OPTIONAL,
    //     singleExtensions [1] EXPLICIT Extensions OPTIONAL }
    CTKIT_TRY(single, responses->ReadSequence(), "SingleResponse");
    //   CertID ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, issuerNameHash OCTET STRING,
    //     issuerKeyHash OCTET STRING, serialNumber CertificateSerialNumber }
    CTKIT_TRY(cert_id, single->ReadSequence(), "CertID");
    CTKIT_TRY(hash_algorithm, cert_id->ReadSequence(), "CertID hashAlgorithm");
    CTKIT_TRY(name_hash, cert_id->ReadOctetString(), "CertID issuerNameHash");
    CTKIT_TRY(key_hash, cert_id->ReadOctetString(), "CertID issuerKeyHash");
    CTKIT_TRY(serial, cert_id->ReadInteger(), "CertID serialNumber");
    CTKIT_TRY_VOID(cert_id->ExpectEnd("CertID"), "CertID");
    // CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo,
    //                         unknown [2] IMPLICIT UnknownInfo }
    CTKIT_TRY(cert_status, single->ReadAnyElement(), "certStatus");
    if (cert_status->tag.tag_class != DerTagClass::kContextSpecific ||
        cert_status->tag.number > 2) {
      return MakeError(ErrorCode::kMalformed,
                       "OCSP certStatus: unexpected " + cert_status->tag.ToString());
    }
    CTKIT_TRY(this_update, single->ReadElement(kDerGeneralizedTime), "thisUpdate");
    CTKIT_TRY(next_update, single->ReadOptionalConstructed(DerContextTag(0, true)), "nextUpdate");
    CTKIT_TRY(extensions, single->ReadOptionalConstructed(DerContextTag(1, true)),
              "singleExtensions");
    CTKIT_TRY_VOID(single->ExpectEnd("SingleResponse"), "SingleResponse");

    std::optional<Bytes> list;
    if (*extensions) {
      CTKIT_TRY(from_extensions, SctListFromExtensions(**extensions), "SingleResponse");
      list = std::move(*from_extensions);
    }
    // The first SingleResponse for the serial is the certificate's; the rest is still checked
    // for well-formedness so that a broken response never yields SCTs.
    if (!found && SpanEquals(serial->bytes, certificate_serial)) found = std::move(list);
  }
  if (!found) {
    return MakeError(ErrorCode::kNotFound, "OCSP response has no SingleResponse for the serial");
  }
  return *found;
}

#undef CTKIT_TRY
#undef CTKIT_TRY_VOID

}  // namespace ctkit
