#include "x509/certificate_file.h"

#include "base/input_file.h"
#include "x509/pem.h"

namespace ctkit {

Result<std::vector<CertificateView>> ReadCertificateFile(const std::string& path) {
  ASSIGN_OR_RETURN(Bytes data, ReadInputFile(path));
  ASSIGN_OR_RETURN(std::vector<CertificateView> certificates, ParseCertificateInput(data), path);
  return certificates;
}

Result<std::vector<CertificateView>> ReadCertificateFiles(const std::vector<std::string>& paths) {
  std::vector<CertificateView> all;
  for (const std::string& path : paths) {
    if (path.empty()) continue;
    ASSIGN_OR_RETURN(std::vector<CertificateView> read, ReadCertificateFile(path));
    all.insert(all.end(), read.begin(), read.end());
  }
  return all;
}

}  // namespace ctkit
