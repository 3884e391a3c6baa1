#include "ct/checkpoint.h"

#include <cstdint>
#include <optional>

#include "base/sha256.h"
#include "base/utf8.h"
#include "ct/tls_codec.h"

namespace ctkit {
namespace {

// signed-note "Signatures": em dash (U+2014), space.
constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";
// Largest decimal tree size: 2^64 - 1 has 20 digits.
constexpr size_t kMaxTreeSizeDigits = 20;

// Decodes the UTF-8 code point at text[*pos] (base/utf8.h, strict) and advances *pos; false
// for an invalid sequence.
bool NextCodePoint(std::string_view text, size_t* pos, char32_t* out) {
  size_t length = DecodeUtf8(text, *pos, out);
  *pos += length;
  return length != 0;
}

// The Unicode White_Space property (what Go's unicode.IsSpace, used by the reference note
// implementation, tests).
bool IsUnicodeSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

// signed-note "Format": "MUST be valid UTF-8 and MUST NOT contain any ASCII control characters
// (those below U+0020) other than newline".
Result<void> CheckNoteCharacters(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    size_t at = pos;
    char32_t c;
    if (!NextCodePoint(text, &pos, &c)) {
      return MakeError(ErrorCode::kMalformed, "invalid UTF-8 at byte " + std::to_string(at));
    }
    if (c < 0x20 && c != '\n') {
      return MakeError(ErrorCode::kMalformed, "control character at byte " + std::to_string(at));
    }
  }
  return {};
}

// One NoteSignature line without its newline.
Result<NoteSignature> ParseSignatureLine(std::string_view line) {
  if (!line.starts_with(kSignaturePrefix)) {
    return MakeError(ErrorCode::kMalformed, "signature line does not start with an em dash");
  }
  line.remove_prefix(kSignaturePrefix.size());
  size_t space = line.find(' ');
  if (space == std::string_view::npos) {
    return MakeError(ErrorCode::kMalformed, "signature line has no signature after the key name");
  }
  NoteSignature signature;
  signature.key_name = std::string(line.substr(0, space));
  if (!IsValidNoteKeyName(signature.key_name)) {
    return MakeError(ErrorCode::kMalformed,
                     "invalid key name " + QuoteUntrusted(signature.key_name));
  }
  Result<Bytes> decoded = Base64Decode(line.substr(space + 1));
  if (!decoded) {
    return std::unexpected(
        WithContext(decoded.error(), "signature of " + QuoteUntrusted(signature.key_name)));
  }
  // "Signatures are the base64 encoding of 4+n bytes", the key ID first.
  if (decoded->size() <= 4) {
    return MakeError(ErrorCode::kMalformed,
                     "signature of " + QuoteUntrusted(signature.key_name) + " is too short");
  }
  signature.key_id = (uint32_t{(*decoded)[0]} << 24) | (uint32_t{(*decoded)[1]} << 16) |
                     (uint32_t{(*decoded)[2]} << 8) | uint32_t{(*decoded)[3]};
  signature.signature.assign(decoded->begin() + 4, decoded->end());
  return signature;
}

// A decimal tree size: "no leading zeroes (unless the tree is empty ...)" (tlog-checkpoint).
Result<uint64_t> ParseTreeSize(std::string_view text) {
  if (text.empty() || text.size() > kMaxTreeSizeDigits || (text.size() > 1 && text[0] == '0')) {
    return MakeError(ErrorCode::kMalformed,
                     "tree size " + QuoteUntrusted(text) + " is not a decimal number");
  }
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return MakeError(ErrorCode::kMalformed,
                       "tree size " + QuoteUntrusted(text) + " is not a decimal number");
    }
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) {
      return MakeError(ErrorCode::kMalformed, "tree size " + QuoteUntrusted(text) + " overflows");
    }
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace

bool IsValidNoteKeyName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t pos = 0; pos < name.size();) {
    char32_t c;
    if (!NextCodePoint(name, &pos, &c)) return false;
    // Control characters are not allowed anywhere in a note; spaces and '+' not in key names.
    if (c < 0x20 || c == '+' || IsUnicodeSpace(c)) return false;
  }
  return true;
}

Result<SignedNote> ParseSignedNote(std::string_view note) {
  if (note.size() > kMaxNoteBytes) {
    return MakeError(ErrorCode::kMalformed,
                     "note is larger than " + std::to_string(kMaxNoteBytes) + " bytes");
  }
  if (Result<void> ok = CheckNoteCharacters(note); !ok) {
    return std::unexpected(WithContext(ok.error(), "note"));
  }
  if (!note.ends_with('\n'))
    return MakeError(ErrorCode::kMalformed, "note does not end in a newline");
  // signed-note "Format": "the text is separated from the signatures by the last empty line".
  size_t blank = note.rfind("\n\n");
  if (blank == std::string_view::npos) {
    return MakeError(ErrorCode::kMalformed, "note has no blank line before its signatures");
  }
  SignedNote parsed;
  parsed.text = std::string(note.substr(0, blank + 1));
  std::string_view lines = note.substr(blank + 2);
  if (lines.empty()) return MakeError(ErrorCode::kMalformed, "note has no signatures");
  while (!lines.empty()) {
    size_t end = lines.find('\n');  // present: the note ends in a newline
    if (parsed.signatures.size() == kMaxNoteSignatures) {
      return MakeError(ErrorCode::kMalformed,
                       "note has more than " + std::to_string(kMaxNoteSignatures) + " signatures");
    }
    Result<NoteSignature> signature = ParseSignatureLine(lines.substr(0, end));
    if (!signature) {
      return std::unexpected(WithContext(
          signature.error(), "note signature " + std::to_string(parsed.signatures.size())));
    }
    parsed.signatures.push_back(std::move(*signature));
    lines.remove_prefix(end + 1);
  }
  return parsed;
}

Result<std::string> FormatSignedNote(const SignedNote& note) {
  if (note.text.empty() || !note.text.ends_with('\n')) {
    return MakeError(ErrorCode::kInvalidArgument, "note text must end in a newline");
  }
  if (Result<void> ok = CheckNoteCharacters(note.text); !ok) {
    return MakeError(ErrorCode::kInvalidArgument, "note text: " + ok.error().message);
  }
  if (note.signatures.empty())
    return MakeError(ErrorCode::kInvalidArgument, "note has no signatures");
  std::string out = note.text + "\n";
  for (const NoteSignature& signature : note.signatures) {
    if (!IsValidNoteKeyName(signature.key_name)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "invalid key name " + QuoteUntrusted(signature.key_name));
    }
    Bytes body = {
        static_cast<uint8_t>(signature.key_id >> 24), static_cast<uint8_t>(signature.key_id >> 16),
        static_cast<uint8_t>(signature.key_id >> 8), static_cast<uint8_t>(signature.key_id)};
    body.insert(body.end(), signature.signature.begin(), signature.signature.end());
    out += kSignaturePrefix;
    out += signature.key_name;
    out += ' ';
    out += Base64Encode(body);
    out += '\n';
  }
  return out;
}

Result<Checkpoint> ParseCheckpointText(std::string_view text) {
  if (text.size() > kMaxNoteBytes) return MakeError(ErrorCode::kMalformed, "checkpoint too large");
  if (Result<void> ok = CheckNoteCharacters(text); !ok) {
    return std::unexpected(WithContext(ok.error(), "checkpoint"));
  }
  if (!text.ends_with('\n')) {
    return MakeError(ErrorCode::kMalformed, "checkpoint text does not end in a newline");
  }
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    size_t end = rest.find('\n');
    lines.push_back(rest.substr(0, end));
    rest.remove_prefix(end + 1);
  }
  // tlog-checkpoint "Note text": "at least three non-empty lines".
  if (lines.size() < 3)
    return MakeError(ErrorCode::kMalformed, "checkpoint has fewer than 3 lines");
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      return MakeError(ErrorCode::kMalformed,
                       "checkpoint line " + std::to_string(i + 1) + " is empty");
    }
  }
  Checkpoint checkpoint;
  checkpoint.origin = std::string(lines[0]);
  ASSIGN_OR_RETURN(uint64_t size, ParseTreeSize(lines[1]), "checkpoint");
  checkpoint.tree_size = size;
  Result<Bytes> root = Base64Decode(lines[2]);
  Result<MerkleHash> hash =
      root ? MerkleHashFromBytes(*root) : Result<MerkleHash>(std::unexpected(root.error()));
  if (!hash) return std::unexpected(WithContext(hash.error(), "checkpoint root hash"));
  checkpoint.root_hash = *hash;
  for (size_t i = 3; i < lines.size(); ++i) checkpoint.extension_lines.emplace_back(lines[i]);
  return checkpoint;
}

Result<std::string> FormatCheckpointText(const Checkpoint& checkpoint) {
  auto valid_line = [](std::string_view line) {
    return !line.empty() && line.find('\n') == std::string_view::npos;
  };
  if (!valid_line(checkpoint.origin)) {
    return MakeError(ErrorCode::kInvalidArgument, "checkpoint origin must be one non-empty line");
  }
  std::string text = checkpoint.origin + "\n" + std::to_string(checkpoint.tree_size) + "\n" +
                     Base64Encode(checkpoint.root_hash) + "\n";
  for (const std::string& line : checkpoint.extension_lines) {
    if (!valid_line(line)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "checkpoint extension lines must be non-empty lines");
    }
    text += line + "\n";
  }
  if (Result<void> ok = CheckNoteCharacters(text); !ok) {
    return MakeError(ErrorCode::kInvalidArgument, "checkpoint: " + ok.error().message);
  }
  return text;
}

uint32_t Rfc6962NoteKeyId(std::string_view key_name, const LogId& log_id) {
  const uint8_t separator[] = {0x0A, kNoteSignatureTypeRfc6962};
  Sha256Digest digest =
      Sha256Hasher().Update(AsBytes(key_name)).Update(separator).Update(log_id).Finish();
  return (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) | (uint32_t{digest[2]} << 8) |
         uint32_t{digest[3]};
}

Result<Bytes> EncodeRfc6962NoteSignature(uint64_t timestamp_ms, const DigitallySigned& signature) {
  TlsBuilder builder;
  builder.AddU64(timestamp_ms);
  AddDigitallySigned(builder, signature);
  return std::move(builder).Finish();
}

Result<Rfc6962NoteSignature> ParseRfc6962NoteSignature(ByteSpan bytes) {
  TlsReader reader(bytes);
  Rfc6962NoteSignature parsed;
  Result<uint64_t> timestamp = reader.ReadU64();
  if (!timestamp)
    return std::unexpected(WithContext(timestamp.error(), "RFC6962NoteSignature timestamp"));
  parsed.timestamp_ms = *timestamp;
  Result<DigitallySigned> signature = ReadDigitallySigned(reader);
  if (!signature) return std::unexpected(WithContext(signature.error(), "RFC6962NoteSignature"));
  parsed.signature = std::move(*signature);
  if (Result<void> done = reader.ExpectEmpty("RFC6962NoteSignature"); !done) {
    return std::unexpected(done.error());
  }
  return parsed;
}

Result<std::string> CheckpointFromSignedTreeHead(const SignedTreeHead& head,
                                                 std::string_view origin, const LogId& log_id) {
  // static-ct-api "Checkpoints": "The key name of the signature line MUST match the checkpoint
  // origin line", so the origin must be a valid key name too.
  if (!IsValidNoteKeyName(origin)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "checkpoint origin " + QuoteUntrusted(origin) +
                         " must be non-empty, without spaces, '+' or control characters");
  }
  Result<std::string> text = FormatCheckpointText(
      {.origin = std::string(origin), .tree_size = head.tree_size, .root_hash = head.root_hash});
  if (!text) return std::unexpected(text.error());
  Result<Bytes> signature = EncodeRfc6962NoteSignature(head.timestamp_ms, head.signature);
  if (!signature) return std::unexpected(signature.error());
  return FormatSignedNote({.text = std::move(*text),
                           .signatures = {{.key_name = std::string(origin),
                                           .key_id = Rfc6962NoteKeyId(origin, log_id),
                                           .signature = std::move(*signature)}}});
}

Result<SignedTreeHead> VerifyCheckpoint(std::string_view note, std::string_view origin,
                                        const LogKey& key) {
  ASSIGN_OR_RETURN(SignedNote parsed, ParseSignedNote(note), "checkpoint");
  Result<Checkpoint> checkpoint = ParseCheckpointText(parsed.text);
  if (!checkpoint) return std::unexpected(checkpoint.error());
  if (checkpoint->origin != origin) {
    return MakeError(ErrorCode::kVerificationFailed, "checkpoint origin " +
                                                         QuoteUntrusted(checkpoint->origin) +
                                                         " is not " + QuoteUntrusted(origin));
  }
  if (!checkpoint->extension_lines.empty()) {
    return MakeError(ErrorCode::kMalformed,
                     "checkpoint has extension lines, which an RFC 6962 note signature forbids");
  }
  uint32_t key_id = Rfc6962NoteKeyId(origin, key.log_id());
  std::optional<SignedTreeHead> verified;
  for (const NoteSignature& line : parsed.signatures) {
    // signed-note "Signatures": ignore unknown keys, even if they share the name or the ID.
    if (line.key_name != origin || line.key_id != key_id) continue;
    Result<Rfc6962NoteSignature> signature = ParseRfc6962NoteSignature(line.signature);
    if (!signature) {
      return MakeError(ErrorCode::kVerificationFailed,
                       "checkpoint signature: " + signature.error().message);
    }
    SignedTreeHead head{.tree_size = checkpoint->tree_size,
                        .timestamp_ms = signature->timestamp_ms,
                        .root_hash = checkpoint->root_hash,
                        .signature = std::move(signature->signature)};
    // "If a signature from a known key fails to verify, clients SHOULD reject the whole note."
    if (Result<void> ok = VerifySignedTreeHead(head, key); !ok) {
      return MakeError(ErrorCode::kVerificationFailed, "checkpoint: " + ok.error().message);
    }
    if (!verified) verified = std::move(head);
  }
  if (!verified) {
    return MakeError(ErrorCode::kVerificationFailed,
                     "checkpoint has no signature by the log's key for " + QuoteUntrusted(origin));
  }
  return *verified;
}

}  // namespace ctkit
