#include "ca/issue_files.h"

#include <utility>

#include "base/output_file.h"
#include "base/secret_file.h"
#include "ca/certificate_builder.h"

namespace ctkit {

Result<IssuedFiles> IssueToFiles(const IssueFileSettings& settings, const SctSubmitter& submit,
                                 int64_t now_ms) {
  ASSIGN_OR_RETURN(MockCa ca, MockCa::Open(settings.dir));
  if (settings.issue.names.empty()) {  // MockCa::Issue says so too, after the key file check
    return MakeError(ErrorCode::kInvalidArgument, "give at least one --name");
  }
  IssuedFiles files;
  files.out = settings.out.empty() ? settings.issue.names.front() + ".pem" : settings.out;
  files.key_out = settings.key_out.empty() ? files.out + ".key" : settings.key_out;
  RETURN_IF_ERROR(CheckNewFilePath(files.key_out, settings.force));
  ASSIGN_OR_RETURN(files.issued, ca.Issue(settings.issue, submit, now_ms));
  std::string pem = CertificateToPem(files.issued.certificate);
  for (const Bytes& cert : files.issued.chain) pem += CertificateToPem(cert);
  // The key first: a certificate is no use without it.
  RETURN_IF_ERROR(WriteNewSecretFile(files.key_out, files.issued.private_key_pem, settings.force));
  RETURN_IF_ERROR(WriteOutputFile(files.out, pem));
  return files;
}

}  // namespace ctkit
