// Checkpoints: the signed tree heads of static-ct-api logs (c2sp.org/static-ct-api "Checkpoints").
//
// A checkpoint is a signed note (c2sp.org/signed-note) whose text is a tree head
// (c2sp.org/tlog-checkpoint "Note text"):
//
//   <origin>\n                 the log's submission prefix without scheme, e.g. ct.example/2026h1
//   <tree size>\n              decimal, no leading zeros
//   <base64 root hash>\n
//   \n
//   — <key name> <base64(key ID || signature)>\n    one or more signature lines
//
// A static-ct-api log signs with its RFC 6962 key, in the note signature type 0x05:
//   key name  = the origin
//   key ID    = SHA-256(key name || 0x0A || 0x05 || LogID)[:4], big-endian; LogID is the 32-byte
//               RFC 6962 log ID, SHA-256 of the DER SubjectPublicKeyInfo
//   signature = struct { uint64 timestamp; TreeHeadSignature signature; } RFC6962NoteSignature,
//               the TreeHeadSignature being the TLS DigitallySigned of get-sth
// The signature covers the RFC 6962 TreeHeadSignature, not the note text: the origin line is not
// authenticated, and a get-sth answer converts to a checkpoint and back without the private key.
//
// Parsing is strict and bounded (notes come from the network): valid UTF-8, no control
// characters but newline, at most kMaxNoteBytes and kMaxNoteSignatures.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "ct/log_key.h"
#include "ct/signed_tree_head.h"
#include "merkle/merkle_hash.h"

namespace ctkit {

// Bounds on untrusted notes. signed-note "Format": verifiers "MUST accept at least up to 16
// signatures", which may be post-quantum ones of nearly 5 kB.
inline constexpr size_t kMaxNoteBytes = 1 << 20;
inline constexpr size_t kMaxNoteSignatures = 64;

struct NoteSignature {
  std::string key_name;
  uint32_t key_id = 0;
  Bytes signature;  // after the key ID

  bool operator==(const NoteSignature&) const = default;
};

struct SignedNote {
  std::string text;  // ends in a newline; excludes the blank separator line
  std::vector<NoteSignature> signatures;

  bool operator==(const SignedNote&) const = default;
};

// signed-note "Format": key names are non-empty, valid UTF-8, without Unicode spaces or '+'.
bool IsValidNoteKeyName(std::string_view name);

// Splits a note into its text and signature lines (signatures are not verified). kMalformed
// names the problem.
Result<SignedNote> ParseSignedNote(std::string_view note);

// The note's encoding; kInvalidArgument if the text does not end in a newline, contains a
// control character or invalid UTF-8, or a key name is invalid.
Result<std::string> FormatSignedNote(const SignedNote& note);

// tlog-checkpoint "Note text".
struct Checkpoint {
  std::string origin;
  uint64_t tree_size = 0;
  MerkleHash root_hash{};
  std::vector<std::string> extension_lines;  // opaque, non-empty; none in static-ct-api

  bool operator==(const Checkpoint&) const = default;
};

// Parses a checkpoint's note text (as ParseSignedNote returns it). kMalformed names the line.
Result<Checkpoint> ParseCheckpointText(std::string_view text);

// The note text of `checkpoint`; kInvalidArgument for an empty origin or any line (origin,
// extension) that holds a newline or is empty.
Result<std::string> FormatCheckpointText(const Checkpoint& checkpoint);

// signed-note "Signature types": 0x05, "RFC 6962 TreeHeadSignatures, as specified by
// c2sp.org/static-ct-api".
inline constexpr uint8_t kNoteSignatureTypeRfc6962 = 0x05;

// SHA-256(key_name || 0x0A || 0x05 || log_id)[:4] as a big-endian integer.
uint32_t Rfc6962NoteKeyId(std::string_view key_name, const LogId& log_id);

// RFC6962NoteSignature: timestamp (8 bytes, big-endian) || TLS DigitallySigned.
Result<Bytes> EncodeRfc6962NoteSignature(uint64_t timestamp_ms, const DigitallySigned& signature);
struct Rfc6962NoteSignature {
  uint64_t timestamp_ms = 0;
  DigitallySigned signature;
};
Result<Rfc6962NoteSignature> ParseRfc6962NoteSignature(ByteSpan bytes);

// The checkpoint a static-ct-api log serves for `head` under `origin` (also the key name), signed
// by the head's own signature: no private key is needed. kInvalidArgument for an invalid origin.
Result<std::string> CheckpointFromSignedTreeHead(const SignedTreeHead& head,
                                                 std::string_view origin, const LogId& log_id);

// Verifies a static-ct-api checkpoint of the log with `key` and `origin`, and returns the signed
// tree head it carries (size, root, timestamp, signature; the signature verified). Per
// signed-note "Signatures", lines from other keys (other name or key ID) are ignored; a line of
// this key that does not verify rejects the note. Errors: kMalformed for a note or checkpoint
// that does not parse or that has extension lines (static-ct-api: "MUST NOT include any extension
// lines"); kVerificationFailed for another origin, no signature by this key, or a bad signature.
Result<SignedTreeHead> VerifyCheckpoint(std::string_view note, std::string_view origin,
                                        const LogKey& key);

}  // namespace ctkit
