// libFuzzer target: the TLS-encoded structures a log serves (RFC 6962 §3.4, §4.6): MerkleTreeLeaf
// (get-entries leaf_input), the signed_entry inside it, extra_data for both entry types
// (certificate_chain, PrecertChainEntry), DigitallySigned (RFC 5246 §4.7, inside SCTs and STHs)
// and the RFC 6962 note signature of static-ct-api checkpoints. Whatever parses must serialize
// back to exactly the input bytes (so two encodings never mean the same thing), and a parsed
// entry must be usable: its leaf hash computes, its signed_entry decodes.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "ct/checkpoint.h"
#include "ct/log_entry.h"
#include "ct/log_key.h"
#include "ct/tls_codec.h"
#include "fuzz/fuzz_check.h"
#include "logclient/log_client_json.h"
#include "merkle/merkle_hash.h"

namespace {

using ctkit::fuzz::Check;
using ctkit::fuzz::SameBytes;

void FuzzMerkleTreeLeaf(ctkit::ByteSpan input) {
  auto entry = ctkit::ParseMerkleTreeLeaf(input);
  if (!entry) return;
  auto again = ctkit::SerializeMerkleTreeLeaf(*entry);
  Check(again.has_value() && SameBytes(*again, input));
  auto hash = ctkit::LeafHashOf(*entry);
  Check(hash.has_value() && *hash == ctkit::HashLeaf(input));
  // A leaf that parses has its signed_entry decoded into fields that encode back to the same
  // bytes of the input: after version, leaf_type, timestamp and entry_type (12 bytes).
  const ctkit::Bytes encoded = entry->signed_entry.Encode();
  Check(encoded.size() == entry->signed_entry.encoded_size());
  Check(input.size() >= 12 + encoded.size() &&
        SameBytes(encoded, input.subspan(12, encoded.size())));
}

void FuzzExtraData(ctkit::LogEntryType type, ctkit::ByteSpan input) {
  auto chain = ctkit::ParseExtraData(type, input);
  // The copying and the checking parser agree on every input, and on the precertificate.
  auto checked = ctkit::CheckExtraData(type, input);
  Check(chain.has_value() == checked.has_value());
  if (!chain) return;
  Check(SameBytes(chain->pre_certificate, *checked));
  auto again = ctkit::SerializeExtraData(type, *chain);
  Check(again.has_value() && SameBytes(*again, input));
}

void FuzzDigitallySigned(ctkit::ByteSpan input) {
  ctkit::TlsReader reader(input);
  auto signed_value = ctkit::ReadDigitallySigned(reader);
  if (!signed_value) return;
  ctkit::TlsBuilder builder;
  ctkit::AddDigitallySigned(builder, *signed_value);
  auto again = std::move(builder).Finish();
  const size_t consumed = input.size() - reader.remaining();
  Check(again.has_value() && SameBytes(*again, input.first(consumed)));
}

void FuzzNoteSignature(ctkit::ByteSpan input) {
  auto note = ctkit::ParseRfc6962NoteSignature(input);
  if (!note) return;
  auto again = ctkit::EncodeRfc6962NoteSignature(note->timestamp_ms, note->signature);
  Check(again.has_value() && SameBytes(*again, input));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ctkit::ByteSpan input(data, size);
  FuzzMerkleTreeLeaf(input);
  FuzzExtraData(ctkit::LogEntryType::kX509, input);
  FuzzExtraData(ctkit::LogEntryType::kPrecert, input);
  FuzzDigitallySigned(input);
  FuzzNoteSignature(input);

  // The pair a get-entries item carries: a 3-byte split point, then leaf_input and extra_data.
  // Strict and lenient entry construction agree on everything they both accept.
  if (size >= 3) {
    const size_t split =
        std::min<size_t>((size_t{data[0]} << 16 | size_t{data[1]} << 8 | data[2]), size - 3);
    const ctkit::ByteSpan rest = input.subspan(3);
    ctkit::Bytes leaf(rest.begin(), rest.begin() + split);
    ctkit::Bytes extra(rest.begin() + split, rest.end());
    ctkit::LogEntry lenient = ctkit::MakeLenientLogEntry(7, leaf, extra);
    Check(lenient.leaf_hash == ctkit::HashLeaf(leaf));
    auto strict = ctkit::MakeLogEntry(7, leaf, extra);
    Check(strict.has_value() == lenient.parse_error.empty());
    if (strict) {
      Check(strict->entry == lenient.entry && lenient.chain().has_value() &&
            strict->chain()->chain == lenient.chain()->chain);
    }
  }
  return 0;
}
