// The text of a certificate check, as `ctkit verify` prints it (docs/ctkit.md, "verify"): the
// certificate, each SCT with its delivery, status, log and time, the notes and each policy
// verdict with its reasons. Everything a certificate or the log list says goes through
// TerminalSafe (base/terminal_text.h), so each line prints inert.
//
//   std::printf("%s", CertificateCheckText(file, cert, check).c_str());

#pragma once

#include <string>

#include "ct/certificate_verifier.h"
#include "x509/certificate.h"

namespace ctkit {

// "<file>: OK|FAILED", then indented subject, issuer, names, validity, sha256, SCT, note and
// policy lines, each ending in a newline.
std::string CertificateCheckText(const std::string& file, const CertificateView& cert,
                                 const CertificateCheck& check);

}  // namespace ctkit
