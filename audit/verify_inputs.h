// The certificates `ctkit verify` checks and the SCTs delivered for them, read from the files its
// flags name (docs/ctkit.md, "verify"): each CERT file's first certificate is checked, the rest
// of the file and the --issuer file are candidate issuers; --sct and --ocsp files deliver SCTs
// (ct/delivered_scts.h) for the one certificate.
//
//   ASSIGN_OR_RETURN(VerifyInputs inputs, LoadVerifyInputs({.cert_files = {"www.pem"}}));

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "ct/delivered_scts.h"
#include "x509/certificate.h"

namespace ctkit::audit {

// The files, as the flags name them ("-" for stdin).
struct VerifyFiles {
  std::vector<std::string> cert_files;  // at least one
  std::string issuer_file;              // "": none
  std::vector<std::string> sct_files;   // TLS: one SCT or a SignedCertificateTimestampList
  std::vector<std::string> ocsp_files;  // DER OCSP responses with the SCT extension
};

struct LoadedCertificate {
  std::string file;
  CertificateView leaf;
  std::vector<CertificateView> others;             // the rest of the file, then --issuer
  std::optional<CertificateView> asserted_issuer;  // the first --issuer certificate
};

struct VerifyInputs {
  std::vector<LoadedCertificate> certificates;  // one per CERT file, in order
  std::vector<DeliveredSct> delivered;          // for the one certificate
};

// Reads the --issuer file, each CERT file, then the --sct and the --ocsp files, stopping at the
// first failure. Errors: a file's (ReadCertificateFile, ReadInputFile: kIo, kNotFound,
// kMalformed, ...); an OCSP response's after "<file>: "; kInvalidArgument "--sct and --ocsp apply
// to one certificate; give only one CERT" when SCT files come with several CERT files.
Result<VerifyInputs> LoadVerifyInputs(const VerifyFiles& files);

}  // namespace ctkit::audit
