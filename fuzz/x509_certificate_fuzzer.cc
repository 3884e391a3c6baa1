// libFuzzer target for the x509 library: certificate parsing, PEM/DER input detection and the
// precertificate transforms, on arbitrary bytes. Any crash, sanitizer report or violated
// invariant below is a bug.
//
// Seeds: the certificates under testdata/sct (DER, or PEM which exercises the PEM path).
//
// Building: clang 14 cannot compile base/error.h (libstdc++ 12 only enables std::expected for
// compilers with C++20 conditionally trivial special members, which clang gets in version 16),
// so with the toolchain of this machine the target is built by g++ against clang's libFuzzer
// runtime, with comparison tracing for feedback (g++ has no trace-pc-guard):
//   g++ -std=c++23 -O1 -g -fsanitize=address,undefined -fsanitize-coverage=trace-cmp -I. \
//       fuzz/x509_certificate_fuzzer.cc x509/*.cc base/bytes.cc base/sha256.cc \
//       /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a -lcrypto \
//       -lpthread -o x509_certificate_fuzzer
//   ./x509_certificate_fuzzer -use_value_profile=1 corpus/
// With clang >= 16: clang++ -std=c++2b -fsanitize=fuzzer,address,undefined -I. <same sources>.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "x509/certificate.h"
#include "x509/der.h"
#include "x509/name.h"
#include "x509/pem.h"
#include "x509/precert.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

void ExerciseCertificate(const ctkit::CertificateView& cert,
                         const std::vector<ctkit::CertificateView>& chain) {
  // Every span a view hands out lies inside its own DER.
  const ctkit::ByteSpan der = cert.der();
  auto inside = [&](ctkit::ByteSpan span) {
    return span.empty() ||
           (span.data() >= der.data() && span.data() + span.size() <= der.data() + der.size());
  };
  Check(inside(cert.tbs()) && inside(cert.issuer_der()) && inside(cert.subject_der()) &&
        inside(cert.spki()) && inside(cert.serial()) && inside(cert.signature()));
  for (const ctkit::Extension& ext : cert.extensions()) {
    Check(inside(ext.encoded) && inside(ext.value));
    auto tbs = ctkit::TbsWithoutExtension(cert, ext.oid);
    Check(tbs.has_value());
    Check(tbs->size() < cert.tbs().size());
    Check(ctkit::ParseSingleDerElement(*tbs).has_value());
  }
  (void)cert.EmbeddedSctList();
  (void)cert.IsPrecertificate();
  (void)cert.IsPrecertificateSigningCert();
  (void)ctkit::EscapeForDisplay(cert.subject());
  if (auto entry = ctkit::BuildPrecertEntry(cert, chain)) {
    Check(ctkit::ParseSingleDerElement(entry->tbs_certificate).has_value());
  }
  if (!chain.empty()) {
    if (auto tbs = ctkit::PrecertTbs(cert, &chain[0])) {
      Check(ctkit::ParseSingleDerElement(*tbs).has_value());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ctkit::ByteSpan input(data, size);

  // The input as one DER certificate.
  if (auto cert = ctkit::CertificateView::Parse(input)) {
    Check(cert->der().size() == size);
    ExerciseCertificate(*cert, {});
    ExerciseCertificate(*cert, {*cert, *cert});
  }

  // The input as a file: PEM or DER, possibly a leaf followed by its chain.
  if (auto certs = ctkit::ParseCertificateInput(input)) {
    Check(!certs->empty());
    std::vector<ctkit::CertificateView> chain(certs->begin() + 1, certs->end());
    ExerciseCertificate(certs->front(), chain);
  }

  // The raw reader over arbitrary bytes.
  ctkit::DerReader reader(input);
  while (!reader.empty()) {
    auto element = reader.ReadAnyElement();
    if (!element) break;
    (void)ctkit::ParseName(element->encoded);
  }
  return 0;
}
