// libFuzzer target: static-ct-api checkpoints (ct/checkpoint.h): the signed note around them
// (c2sp.org/signed-note), the tree head text (c2sp.org/tlog-checkpoint), and their verification
// with a log key. A log chooses every byte of a checkpoint, so each step must refuse what it
// does not accept without crashing. Checked beyond that:
//   - a note or a checkpoint text that parses formats back to exactly the same text;
//   - a checkpoint that verifies (the seeds in testdata/fuzz/checkpoint/ are signed by the
//     throwaway key below) carries exactly the size and root its text says.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "ct/checkpoint.h"
#include "ct/log_key.h"
#include "fuzz/fuzz_check.h"

namespace {

using ctkit::fuzz::Check;

// testdata/fuzz/keys/seed-log-key.pub.pem: a throwaway P-256 key that signed the seeds, so that
// mutations of them reach signature verification. It belongs to no log.
constexpr char kSeedLogKey[] = R"(-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKStnuLYayL1i/TxklMIArf8iHUW4
HBrgWlVkJZ1tRwlcbKad691AghUYskoDGdZEbX00WnLHr8doIrn4CeLx+A==
-----END PUBLIC KEY-----
)";

const ctkit::LogKey& SeedKey() {
  static const std::shared_ptr<const ctkit::LogKey> key = [] {
    auto parsed = ctkit::LogKey::FromPem(kSeedLogKey);
    Check(parsed.has_value());
    return *parsed;
  }();
  return *key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = ctkit::fuzz::AsText({data, size});

  // The input as a whole note.
  if (auto note = ctkit::ParseSignedNote(input)) {
    Check(!note->signatures.empty() && note->signatures.size() <= ctkit::kMaxNoteSignatures);
    auto again = ctkit::FormatSignedNote(*note);
    Check(again.has_value() && *again == input);
    auto checkpoint = ctkit::ParseCheckpointText(note->text);
    for (const ctkit::NoteSignature& line : note->signatures) {
      Check(ctkit::IsValidNoteKeyName(line.key_name));
      (void)ctkit::ParseRfc6962NoteSignature(line.signature);
    }
    // Verified under the origin the note names (what a client that does not know the origin
    // does, logclient/static_log_client.h).
    if (checkpoint) {
      if (auto head = ctkit::VerifyCheckpoint(input, checkpoint->origin, SeedKey())) {
        Check(checkpoint->extension_lines.empty());
        Check(head->tree_size == checkpoint->tree_size && head->root_hash == checkpoint->root_hash);
        Check(!ctkit::VerifyCheckpoint(input, checkpoint->origin + "x", SeedKey()));
      }
    }
  } else {
    Check(!ctkit::VerifyCheckpoint(input, "", SeedKey()));
  }

  // The input as the note text alone.
  if (auto checkpoint = ctkit::ParseCheckpointText(input)) {
    auto again = ctkit::FormatCheckpointText(*checkpoint);
    Check(again.has_value() && *again == input);
  }
  (void)ctkit::IsValidNoteKeyName(input);
  return 0;
}
