// Helpers shared by the x509 tests: test data loading and a tiny independent DER encoder used as
// an oracle (deliberately not x509/der_writer.h, which is under test).

#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "tests/test_paths.h"
#include "x509/certificate.h"
#include "x509/pem.h"

namespace ctkit::x509_testing {

inline std::string TestDataPath(const std::string& relative) {
  return ::ctkit::testing::TestdataDir() + "/" + relative;
}

// Reads a test data file; an unreadable file fails the calling test.
inline Bytes ReadTestFile(const std::string& relative) {
  std::ifstream in(TestDataPath(relative), std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << TestDataPath(relative);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The first certificate of a PEM or DER test file.
inline Result<CertificateView> LoadCert(const std::string& relative) {
  auto certs = ParseCertificateInput(ReadTestFile(relative));
  if (!certs) return std::unexpected(WithContext(certs.error(), relative));
  return certs->front();
}

// DER of the first certificate of a test file.
inline Bytes LoadDer(const std::string& relative) {
  auto ders = DecodeCertificateInput(ReadTestFile(relative));
  EXPECT_TRUE(ders.has_value()) << relative << ": " << ders.error().message;
  return ders ? ders->front() : Bytes();
}

// Oracle encoder: tag byte (low tag numbers only) + minimal length + contents.
inline Bytes Tlv(uint8_t tag, const Bytes& contents) {
  Bytes out{tag};
  const size_t n = contents.size();
  if (n < 0x80) {
    out.push_back(static_cast<uint8_t>(n));
  } else if (n <= 0xff) {
    out.insert(out.end(), {0x81, static_cast<uint8_t>(n)});
  } else if (n <= 0xffff) {
    out.insert(out.end(), {0x82, static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n)});
  } else {
    out.insert(out.end(), {0x83, static_cast<uint8_t>(n >> 16), static_cast<uint8_t>(n >> 8),
                           static_cast<uint8_t>(n)});
  }
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

inline Bytes Concat(std::initializer_list<ByteSpan> parts) {
  Bytes out;
  for (ByteSpan part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

inline Bytes ToBytes(ByteSpan span) { return Bytes(span.begin(), span.end()); }

// A Certificate around `tbs` with `template_cert`'s signature algorithm and signature bits (the
// signature no longer verifies; the tests only need the structure).
inline Bytes WrapTbs(ByteSpan tbs, const CertificateView& template_cert) {
  Bytes signature{0x00};
  signature.insert(signature.end(), template_cert.signature().begin(),
                   template_cert.signature().end());
  return Tlv(0x30, Concat({tbs, template_cert.signature_algorithm(), Tlv(0x03, signature)}));
}

}  // namespace ctkit::x509_testing
