// libFuzzer target: the JSON bodies an RFC 6962 log answers with (§4.1-§4.8): get-sth,
// get-sth-consistency, get-proof-by-hash, get-entries, get-entry-and-proof, get-roots and
// add-chain. A log is not trusted (docs/security.md), so every parser must refuse what does
// not fit, within its bounds (kMaxProofNodes, kMaxLeafInputBytes, ...), and never crash.
// Each body goes through every parser; what parses is checked for the bounds it promises, and
// a tree head survives a JSON round trip. get-entries has two parsers, a one-pass scanner for
// canonical bodies and the JSON tree (logclient/get_entries_scanner.h): whatever the scanner
// accepts, the tree must accept with the same entries. The strict base64 (base/bytes.h) every field
// goes through must have exactly one encoding per byte string.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "ct/sct.h"
#include "ct/signed_tree_head.h"
#include "fuzz/fuzz_check.h"
#include "logclient/get_entries_scanner.h"
#include "logclient/log_client_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using ctkit::fuzz::Check;
  const std::string_view body = ctkit::fuzz::AsText({data, size});

  if (auto decoded = ctkit::Base64Decode(body)) Check(ctkit::Base64Encode(*decoded) == body);
  if (auto decoded = ctkit::HexDecode(body)) Check(decoded->size() * 2 == body.size());

  if (auto sth = ctkit::ParseSthJson(body)) {
    auto again = ctkit::ParseSthJson(ctkit::SthToJson(*sth));
    Check(again.has_value() && *again == *sth);
  }
  if (auto proof = ctkit::ParseGetSthConsistencyResponse(body)) {
    Check(proof->size() <= ctkit::kMaxProofNodes);
  }
  if (auto proof = ctkit::ParseGetProofByHashResponse(body)) {
    Check(proof->audit_path.size() <= ctkit::kMaxProofNodes);
  }
  constexpr size_t kMaxEntries = 32;
  if (auto scanned = ctkit::ScanCanonicalGetEntries(body, kMaxEntries)) {
    auto tree = ctkit::ParseGetEntriesResponseWithJsonTree(body, kMaxEntries);
    Check(tree.has_value() && *tree == *scanned);
  }
  if (auto entries = ctkit::ParseGetEntriesResponse(body, kMaxEntries)) {
    Check(entries->size() <= kMaxEntries);
    uint64_t index = 0;
    for (ctkit::RawLogEntry& raw : *entries) {
      Check(raw.leaf_input.size() <= ctkit::kMaxLeafInputBytes);
      Check(raw.extra_data.size() <= ctkit::kMaxExtraDataBytes);
      ctkit::LogEntry entry = ctkit::MakeLenientLogEntry(index++, raw.leaf_input, raw.extra_data);
      Check(entry.leaf_input == raw.leaf_input);
    }
  }
  if (auto entry = ctkit::ParseGetEntryAndProofResponse(body)) {
    Check(entry->audit_path.size() <= ctkit::kMaxProofNodes);
    (void)ctkit::MakeLogEntry(0, entry->entry.leaf_input, entry->entry.extra_data);
  }
  if (auto roots = ctkit::ParseGetRootsResponse(body)) {
    Check(roots->size() <= ctkit::kMaxRoots);
    for (const ctkit::Bytes& root : *roots) Check(root.size() <= ctkit::kMaxRootCertificateBytes);
  }
  if (auto sct = ctkit::ParseAddChainResponse(body)) {
    // An SCT accepted from JSON is one the TLS encoding can carry, and reads back the same.
    auto encoded = ctkit::SerializeSct(*sct);
    Check(encoded.has_value());
    auto again = ctkit::ParseSct(*encoded);
    Check(again.has_value() && *again == *sct);
  }
  return 0;
}
