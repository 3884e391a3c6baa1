// What `ctkit ca issue` says of a certificate it wrote (ca/issue_files.h IssueToFiles), as text:
//
//   issued www.example (serial 01ab...) -> www.example.pem, key www.example.pem.key
//     CT logging: enabled, 2 SCTs embedded
//
// and the warnings for stderr: the CA's own (IssuedCertificate::warnings), then, for a certificate
// issued with CT logging disabled, what the opt-out costs in the words the audit and `verify` use
// (ct/ct_opt_out.h). With a PEM on standard output (--out - or --key-out -), the summary goes to
// stderr (IssuedToStandardOutput).

#pragma once

#include <string>
#include <vector>

#include "ca/issue_files.h"

namespace ctkit {

// The two summary lines, each ending in a newline.
std::string IssueSummaryText(const IssuedFiles& files);

// The warnings, one line each without "ctkit: warning: " or a newline, safe for a terminal
// (base/terminal_text.h).
std::vector<std::string> IssueWarnings(const IssuedCertificate& issued);

// Whether the certificate or its key went to standard output.
bool IssuedToStandardOutput(const IssuedFiles& files);

}  // namespace ctkit
