// PEM (RFC 7468) decoding of certificates, and loading of certificate files that may be PEM or
// DER. Files often hold a leaf followed by its chain, or are `openssl x509 -text` dumps with the
// PEM block after the text; everything outside the blocks is ignored.

#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "x509/certificate.h"

namespace ctkit {

// Bounds on hostile input: more certificates than this in one file is not a chain.
inline constexpr size_t kMaxCertificatesPerInput = 1000;

struct PemBlock {
  std::string label;  // "CERTIFICATE", "PUBLIC KEY", ...
  Bytes data;         // the decoded body
};

// Every "-----BEGIN <label>-----" ... "-----END <label>-----" block in `text`, in order. The
// BEGIN line must start a line; the END label must match. Inside the body, whitespace (line
// breaks included) is ignored and the rest must be strict base64 (base/bytes.h). Bodies with
// RFC 1421 headers ("Proc-Type: ...", i.e. encrypted PEM) are refused.
Result<std::vector<PemBlock>> PemDecodeBlocks(std::string_view text);

// `der` as one PEM block "-----BEGIN <label>-----", base64 in lines of 64, "-----END <label>-----"
// (RFC 7468 §2), ending with a newline.
std::string PemEncode(std::string_view label, ByteSpan der);

// The DER of each CERTIFICATE block, in order. Other blocks (keys, encrypted keys, CRLs) are
// skipped without decoding them. kMalformed when there is no CERTIFICATE block.
Result<std::vector<Bytes>> PemDecodeCertificates(std::string_view text);

// Auto-detects the encoding: input starting with a DER SEQUENCE (0x30) that parses as one or more
// concatenated DER elements is DER, anything else is read as PEM text. Returns each
// certificate's DER (not yet parsed as a certificate).
Result<std::vector<Bytes>> DecodeCertificateInput(ByteSpan input);

// DecodeCertificateInput, then CertificateView::Parse on each; the error names the position of
// the certificate that failed ("certificate 2 of 3: ...").
Result<std::vector<CertificateView>> ParseCertificateInput(ByteSpan input);

}  // namespace ctkit
