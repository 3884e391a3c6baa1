#include "ca/issue_files.h"

#include <utility>

#include "base/output_file.h"
#include "ca/certificate_builder.h"
#include "ca/certificate_name.h"

namespace ctkit {

Result<IssuedFiles> IssueToFiles(const IssueFileSettings& settings, const SctSubmitter& submit,
                                 int64_t now_ms) {
  ASSIGN_OR_RETURN(MockCa ca, MockCa::Open(settings.dir));
  if (settings.issue.names.empty()) {  // MockCa::Issue says so too, after the key file check
    return MakeError(ErrorCode::kInvalidArgument, "give at least one --name");
  }
  for (const std::string& name : settings.issue.names) {
    RETURN_IF_ERROR(CheckCertificateName(name));  // before a file is looked at
  }
  IssuedFiles files;
  const std::string& first = settings.issue.names.front();
  files.out = settings.out.empty() ? first + ".pem" : settings.out;
  if (!settings.key_out.empty()) {
    files.key_out = settings.key_out;
  } else {
    files.key_out = IsStandardOutput(files.out) ? first + ".key" : files.out + ".key";
  }
  if (files.out == files.key_out && !IsStandardOutput(files.out)) {
    return MakeError(ErrorCode::kInvalidArgument, "--out and --key-out name the same file");
  }
  RETURN_IF_ERROR(CheckOutputPath(files.key_out, settings.force));
  RETURN_IF_ERROR(CheckOutputPath(files.out, settings.force));
  ASSIGN_OR_RETURN(files.issued, ca.Issue(settings.issue, submit, now_ms));
  std::string pem = CertificateToPem(files.issued.certificate);
  for (const Bytes& cert : files.issued.chain) pem += CertificateToPem(cert);
  // The key first: a certificate is no use without it.
  RETURN_IF_ERROR(WriteSecretOutput(files.key_out, files.issued.private_key_pem, settings.force));
  RETURN_IF_ERROR(WriteNewOutputFile(files.out, pem, settings.force));
  return files;
}

}  // namespace ctkit
