// libFuzzer target: SCTs delivered in a stapled OCSP response (RFC 6962 §3.3, third carrier;
// the TLS extension carrier is sct_list_fuzzer, the certificate extension x509_certificate_fuzzer).
// A TLS peer chooses these bytes, so ExtractOcspSctList (RFC 6960 §4.2.1 structure) and the list
// inside must fail cleanly on anything.
//
// Input layout: one byte N (taken modulo 33), N bytes of certificate serial (INTEGER content
// octets, as CertificateView::serial() gives them), then the OCSP response DER. Seeds in
// testdata/fuzz/ocsp_sct/ follow it.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "ct/sct.h"
#include "ct/sct_ocsp.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using ctkit::fuzz::Check;
  if (size == 0) return 0;
  const size_t serial_size = std::min<size_t>(data[0] % 33, size - 1);
  const ctkit::ByteSpan serial(data + 1, serial_size);
  const ctkit::ByteSpan response(data + 1 + serial_size, size - 1 - serial_size);

  auto list = ctkit::ExtractOcspSctList(response, serial);
  if (!list) {
    Check(!list.error().message.empty());
    return 0;
  }
  if (!*list) return 0;
  // The list is the content of an OCTET STRING inside the response: never longer than it.
  Check((*list)->size() < response.size());
  auto scts = ctkit::ParseSctList(**list);
  if (scts) {
    for (const ctkit::Bytes& sct : *scts) (void)ctkit::ParseSct(sct);
    auto again = ctkit::SerializeSctList(*scts);
    Check(again.has_value() && *again == **list);
  }
  return 0;
}
