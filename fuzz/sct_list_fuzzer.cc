// libFuzzer target: SignedCertificateTimestampList and SCT parsing (RFC 6962 §3.2-3.3) and the
// static-ct-api extensions, on arbitrary bytes. This is the TLS extension carrier (RFC 6962 §3.3:
// the extension_data a TLS peer sends is the list itself); the certificate extension carrier is
// x509_certificate_fuzzer, the OCSP one ocsp_sct_fuzzer. Besides "no crash, no out-of-bounds
// read" (it runs under ASan/UBSan), it checks that whatever parses serializes back to the same
// bytes.
//
// Built by fuzz/CMakeLists.txt (`make fuzz`); seeds: testdata/sct/, testdata/malformed/ and
// testdata/fuzz/sct_list/.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "ct/sct.h"
#include "fuzz/fuzz_check.h"

namespace {

using ctkit::fuzz::Check;

void FuzzOneSct(ctkit::ByteSpan bytes) {
  auto sct = ctkit::ParseSct(bytes);
  if (!sct) return;
  auto again = ctkit::SerializeSct(*sct);
  Check(again.has_value() && std::equal(again->begin(), again->end(), bytes.begin(), bytes.end()));
  auto extensions = ctkit::ParseSctExtensions(sct->extensions);
  if (extensions && extensions->leaf_index) {
    Check(*extensions->leaf_index <= ctkit::kMaxLeafIndex);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ctkit::ByteSpan input(data, size);

  // The input as a list: every entry as an SCT, and the list back to the same bytes.
  auto list = ctkit::ParseSctList(input);
  if (list) {
    Check(!list->empty());
    for (const ctkit::Bytes& sct : *list) FuzzOneSct(sct);
    auto again = ctkit::SerializeSctList(*list);
    Check(again.has_value() && std::equal(again->begin(), again->end(), data, data + size));
  }

  // The input as one SCT, and as an extensions field.
  FuzzOneSct(input);
  (void)ctkit::ParseSctExtensions(input);
  return 0;
}
