#include "audit/verify_inputs.h"

#include <utility>

#include "base/input_file.h"
#include "x509/certificate_file.h"

namespace ctkit::audit {
namespace {

// Reads every certificate file; the first certificate of each is the one checked.
Result<std::vector<LoadedCertificate>> LoadCertificates(const VerifyFiles& files) {
  std::vector<CertificateView> issuers;
  if (!files.issuer_file.empty()) {
    ASSIGN_OR_RETURN(issuers, ReadCertificateFile(files.issuer_file));
  }
  std::vector<LoadedCertificate> loaded;
  for (const std::string& file : files.cert_files) {
    ASSIGN_OR_RETURN(std::vector<CertificateView> chain, ReadCertificateFile(file));
    LoadedCertificate item{.file = file, .leaf = chain.front(), .others = {}};
    item.others.assign(chain.begin() + 1, chain.end());
    item.others.insert(item.others.end(), issuers.begin(), issuers.end());
    if (!issuers.empty()) item.asserted_issuer = issuers.front();
    loaded.push_back(std::move(item));
  }
  return loaded;
}

// SCTs from --sct (TLS) and --ocsp files, for the certificate `leaf` (its serial, for OCSP).
Result<std::vector<DeliveredSct>> LoadDeliveredScts(const VerifyFiles& files,
                                                    const CertificateView& leaf) {
  std::vector<DeliveredSct> delivered;
  for (const std::string& file : files.sct_files) {
    ASSIGN_OR_RETURN(Bytes data, ReadInputFile(file));
    for (DeliveredSct& sct : SctsFromTlsExtension(data)) delivered.push_back(std::move(sct));
  }
  for (const std::string& file : files.ocsp_files) {
    ASSIGN_OR_RETURN(Bytes data, ReadInputFile(file));
    ASSIGN_OR_RETURN(std::vector<DeliveredSct> scts, SctsFromOcspResponse(data, leaf.serial()),
                     file);
    for (DeliveredSct& sct : scts) delivered.push_back(std::move(sct));
  }
  return delivered;
}

}  // namespace

Result<VerifyInputs> LoadVerifyInputs(const VerifyFiles& files) {
  VerifyInputs inputs;
  ASSIGN_OR_RETURN(inputs.certificates, LoadCertificates(files));
  if ((!files.sct_files.empty() || !files.ocsp_files.empty()) && inputs.certificates.size() > 1) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "--sct and --ocsp apply to one certificate; give only one CERT");
  }
  ASSIGN_OR_RETURN(inputs.delivered, LoadDeliveredScts(files, inputs.certificates.front().leaf));
  return inputs;
}

}  // namespace ctkit::audit
