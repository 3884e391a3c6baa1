// `ctkit ca issue`: a certificate from the mock CA (ca/mock_ca.h) written to files: the leaf
// followed by its chain as PEM, and its new private key (mode 0600, base/secret_file.h). "-" is
// standard output for either (base/output_file.h). Neither file replaces an existing one without
// `force`: a certificate goes with its key. The names and both files are checked before anything
// is issued, so a certificate is never issued (and logged) that cannot be written.
//
//   Result<IssuedFiles> files = IssueToFiles({.dir = "ca", .issue = {.names = {"www.example"}}},
//                                            &SubmitToLog, UnixNowMs());

#pragma once

#include <cstdint>
#include <string>

#include "base/error.h"
#include "ca/mock_ca.h"

namespace ctkit {

struct IssueFileSettings {
  std::string dir;      // the CA's directory
  IssueOptions issue;   // at least one name
  std::string out;      // the PEM file; "": the first name + ".pem"; "-": standard output
  std::string key_out;  // the key file; "": out + ".key" (the first name + ".key" for "-")
  bool force = false;   // replace existing files (never through a symbolic link)
};

struct IssuedFiles {
  IssuedCertificate issued;
  std::string out;  // as written
  std::string key_out;
};

// Opens the CA, issues (submitting through `submit`), writes the key, then the certificate.
// Errors: MockCa::Open's; kInvalidArgument "give at least one --name", a name that is not one
// (ca/certificate_name.h), or --out and --key-out naming one file; a file refused
// (CheckOutputPath: it exists without `force`, or is a symbolic link); MockCa::Issue's
// (kNetwork: too few logs returned a valid SCT); kIo when a file cannot be written.
Result<IssuedFiles> IssueToFiles(const IssueFileSettings& settings, const SctSubmitter& submit,
                                 int64_t now_ms);

}  // namespace ctkit
