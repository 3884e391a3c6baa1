// libFuzzer target for the x509 library: certificate parsing, PEM/DER input detection and the
// precertificate transforms, on arbitrary bytes. Any crash, sanitizer report or violated
// invariant below is a bug.
//
// It also covers the first SCT carrier of RFC 6962 §3.3, the certificate extension: an embedded
// list is parsed, and the TBS the SCTs sign (the list extension removed) is rebuilt.
//
// Built by fuzz/CMakeLists.txt (`make fuzz`); seeds: the certificates under testdata/sct and
// testdata/malformed (DER, or PEM which exercises the PEM path) and testdata/fuzz/x509_certificate.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/terminal_text.h"
#include "base/utf8.h"
#include "ct/sct.h"
#include "ct/signed_entry.h"
#include "fuzz/fuzz_check.h"
#include "x509/certificate.h"
#include "x509/der.h"
#include "x509/name.h"
#include "x509/pem.h"
#include "x509/precert.h"

namespace {

using ctkit::fuzz::Check;

// TerminalSafe(text) is printable, valid UTF-8, and left unchanged by TerminalSafe.
void CheckTerminalSafe(const std::string& text) {
  const std::string safe = ctkit::TerminalSafe(text);
  for (size_t i = 0; i < safe.size();) {
    char32_t code_point;
    size_t length = ctkit::DecodeUtf8(safe, i, &code_point);
    Check(length != 0 && !ctkit::IsTerminalControl(code_point));
    i += length;
  }
  Check(ctkit::TerminalSafe(safe) == safe);
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
  if (auto list = cert.EmbeddedSctList()) {
    Check(inside(*list));
    if (auto scts = ctkit::ParseSctList(*list)) {
      for (const ctkit::Bytes& sct : *scts) (void)ctkit::ParseSct(sct);
    }
    auto tbs = ctkit::EmbeddedSctTbs(cert);
    Check(tbs.has_value() && ctkit::ParseSingleDerElement(*tbs).has_value());
  }
  // The display forms, built lazily from the same hostile bytes.
  (void)cert.issuer();
  (void)cert.subject();
  (void)cert.subject_common_names();
  (void)cert.dns_names();
  (void)cert.ip_addresses();
  (void)cert.extended_key_usages();
  (void)cert.serial_hex();
  (void)cert.signature_algorithm_oid();
  (void)cert.spki_algorithm_oid();
  (void)cert.sha256();
  (void)cert.IsPrecertificate();
  (void)cert.IsPrecertificateSigningCert();
  // What a terminal is shown of hostile names: no control character, valid UTF-8, and already
  // safe (base/terminal_text.h).
  for (const std::string* text : {&cert.subject(), &cert.issuer()}) CheckTerminalSafe(*text);
  for (const std::string& name : cert.dns_names()) CheckTerminalSafe(name);
  for (const std::string& name : cert.subject_common_names()) CheckTerminalSafe(name);
  if (auto entry = ctkit::BuildSignedEntry(ctkit::LogEntryType::kPrecert, cert,
                                           ctkit::IssuerChain::InOrder(chain))) {
    Check(ctkit::ParseSingleDerElement(entry->CopyDer()).has_value());
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
