// Reading the certificates of a file a user named (PEM or DER, a leaf often followed by its
// chain; "-" for standard input), as ctkit's commands take them.
//
//   Result<std::vector<CertificateView>> chain = ReadCertificateFile("www.pem");

#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "x509/certificate.h"

namespace ctkit {

// Every certificate of the file, in order (x509/pem.h ParseCertificateInput). Errors name the
// file: kIo from base/input_file.h ReadInputFile ("PATH: No such file or directory"), else the
// parse error with the path before it ("PATH: certificate 2 of 3: ...").
Result<std::vector<CertificateView>> ReadCertificateFile(const std::string& path);

// The certificates of each file in `paths` that is not "", in order (a leaf's file, then its
// issuer's), read as ReadCertificateFile reads one; the first file's error.
Result<std::vector<CertificateView>> ReadCertificateFiles(const std::vector<std::string>& paths);

}  // namespace ctkit
