#include "x509/certificate_file.h"

#include "base/input_file.h"
#include "x509/pem.h"

namespace ctkit {

Result<std::vector<CertificateView>> ReadCertificateFile(const std::string& path) {
  ASSIGN_OR_RETURN(Bytes data, ReadInputFile(path));
  ASSIGN_OR_RETURN(std::vector<CertificateView> certificates, ParseCertificateInput(data), path);
  return certificates;
}

}  // namespace ctkit
