// Signed notes, checkpoints and the static-ct-api RFC 6962 note signature (ct/checkpoint.h),
// against real checkpoints and tree heads of public logs and against our own signer.

#include "ct/checkpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ct/log_signer.h"

namespace ctkit {
namespace {

using ::testing::HasSubstr;

// A checkpoint served by the static-ct-api log Rome 2024h1 (https://rome.ct.filippo.io/2024h1/),
// with its public key, as published in transparency-dev/formats' note tests.
constexpr char kRomeOrigin[] = "rome.ct.filippo.io/2024h1";
constexpr char kRomeCheckpoint[] =
    "rome.ct.filippo.io/2024h1\n"
    "115474666\n"
    "2q1K6aiIJR+F7TyhiWOghoWOjY0/3dVBLsBbAvB4xCw=\n"
    "\n"
    "\xE2\x80\x94 rome.ct.filippo.io/2024h1 "
    "ePSrrgAAAY5+gVlSBAMARzBFAiEAv8bOMzo3Ed/"
    "GbU9fzzJvaStX6i8xTsmEF+NqvpGhIO0CIEn1X+zzVEerdix64GEn97XCXObA2G5JQ8UDDqCKdG5m\n";
constexpr char kRomeKey[] =
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEAXM8Ld9qn64g1zVFDh5FtgxS3zj5sqQDwYMs3wrBV3MCBiFhK/"
    "iRLxdKF4YsAcJaEglMlu4Lewvzxs0xO2uwEw==";
// An RFC 6962 get-sth of Google Argon 2024 and its key; its note key ID for the name below is
// 7deb49d0 (same source).
constexpr char kArgonName[] = "ct.googleapis.com/logs/us1/argon2024";
constexpr char kArgonSth[] =
    R"({"tree_size":1267285836,"timestamp":1711642477482,"sha256_root_hash":"SHySaYoaGIV5oCMANTytRfUjfzXb7wvO9xQiGkDJlfQ=","tree_head_signature":"BAMARzBFAiAQWbsL/MbJdeR4jk8xYKWDBDGHyDcntBim9Jr1BvwPnAIhAMedQo0YuBo+ajNd9xyVOMvhOdVAeJYgOhBLQn8rca94"})";
constexpr char kArgonKey[] =
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEHblsqctplMVc5ramA7vSuNxUQxcomQwGAVAdnWTAWUYr3MgDHQW0LagJ95"
    "lB"
    "7QT75Ve6JgT2EVLOFGU7L3YrwA==";

std::shared_ptr<const LogKey> Key(const char* base64) {
  Result<std::shared_ptr<const LogKey>> key = LogKey::FromSpkiDer(*Base64Decode(base64));
  EXPECT_TRUE(key) << key.error().message;
  return *key;
}

TEST(Rfc6962NoteKeyIdTest, MatchesPublicLogs) {
  // SHA-256(name || 0x0A || 0x05 || LogID)[:4], LogID = SHA-256(SPKI): the spec's derivation
  // gives the key IDs real logs and clients use.
  EXPECT_EQ(Rfc6962NoteKeyId(kRomeOrigin, Key(kRomeKey)->log_id()), 0x78f4abaeu);
  EXPECT_EQ(Rfc6962NoteKeyId(kArgonName, Key(kArgonKey)->log_id()), 0x7deb49d0u);
}

TEST(VerifyCheckpointTest, AcceptsARealStaticCtApiCheckpoint) {
  Result<SignedTreeHead> head = VerifyCheckpoint(kRomeCheckpoint, kRomeOrigin, *Key(kRomeKey));
  ASSERT_TRUE(head) << head.error().message;
  EXPECT_EQ(head->tree_size, 115474666u);
  EXPECT_EQ(Base64Encode(head->root_hash), "2q1K6aiIJR+F7TyhiWOghoWOjY0/3dVBLsBbAvB4xCw=");
  EXPECT_EQ(head->timestamp_ms, 0x18e7e815952u);
  // The same head verifies as an RFC 6962 STH: the two are one signature.
  EXPECT_TRUE(VerifySignedTreeHead(*head, *Key(kRomeKey)));
}

TEST(VerifyCheckpointTest, RejectsTamperingAndOtherLogs) {
  std::string note = kRomeCheckpoint;
  // A different size under the same signature.
  std::string bigger = note;
  bigger.replace(bigger.find("115474666"), 9, "115474667");
  Result<SignedTreeHead> tampered = VerifyCheckpoint(bigger, kRomeOrigin, *Key(kRomeKey));
  ASSERT_FALSE(tampered);
  EXPECT_EQ(tampered.error().code, ErrorCode::kVerificationFailed);
  // Another log's key: its signature is unknown here, so nothing verifies.
  Result<SignedTreeHead> other = VerifyCheckpoint(note, kRomeOrigin, *Key(kArgonKey));
  ASSERT_FALSE(other);
  EXPECT_THAT(other.error().message, HasSubstr("no signature"));
  // The origin a client expects is part of the check (the signature does not cover it).
  Result<SignedTreeHead> origin =
      VerifyCheckpoint(note, "rome.ct.filippo.io/2024h2", *Key(kRomeKey));
  ASSERT_FALSE(origin);
  EXPECT_EQ(origin.error().code, ErrorCode::kVerificationFailed);
  // Extension lines are not allowed with this signature type.
  std::string extended = note;
  extended.insert(extended.find("\n\n") + 1, "extension\n");
  Result<SignedTreeHead> with_extension = VerifyCheckpoint(extended, kRomeOrigin, *Key(kRomeKey));
  ASSERT_FALSE(with_extension);
  EXPECT_THAT(with_extension.error().message, HasSubstr("extension"));
}

TEST(VerifyCheckpointTest, IgnoresUnknownSignaturesButNotBadOnesFromTheKey) {
  std::string note = kRomeCheckpoint;
  // A witness cosignature (unknown key) before the log's: ignored.
  std::string cosigned = note;
  cosigned.insert(cosigned.find("\n\n") + 2,
                  "\xE2\x80\x94 witness.example/w1 AAAAAQAAAAAAAAAAAAAA\n");
  EXPECT_TRUE(VerifyCheckpoint(cosigned, kRomeOrigin, *Key(kRomeKey)));
  // A second line with the log's name and key ID whose signature is wrong rejects the note.
  Result<SignedNote> parsed = ParseSignedNote(note);
  ASSERT_TRUE(parsed);
  NoteSignature bad = parsed->signatures[0];
  bad.signature.back() ^= 1;
  parsed->signatures.push_back(bad);
  Result<std::string> doubled = FormatSignedNote(*parsed);
  ASSERT_TRUE(doubled);
  Result<SignedTreeHead> rejected = VerifyCheckpoint(*doubled, kRomeOrigin, *Key(kRomeKey));
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, ErrorCode::kVerificationFailed);
}

TEST(CheckpointFromSignedTreeHeadTest, ConvertsARealSthWithoutThePrivateKey) {
  Result<SignedTreeHead> sth = ParseSthJson(kArgonSth);
  ASSERT_TRUE(sth);
  std::shared_ptr<const LogKey> key = Key(kArgonKey);
  Result<std::string> note = CheckpointFromSignedTreeHead(*sth, kArgonName, key->log_id());
  ASSERT_TRUE(note) << note.error().message;
  EXPECT_THAT(*note,
              ::testing::StartsWith(std::string(kArgonName) +
                                    "\n1267285836\nSHySaYoaGIV5oCMANTytRfUjfzXb7wvO9xQiGkDJlfQ=\n\n"
                                    "\xE2\x80\x94 " +
                                    kArgonName + " fetJ0"));
  Result<SignedTreeHead> back = VerifyCheckpoint(*note, kArgonName, *key);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, *sth);
}

TEST(CheckpointFromSignedTreeHeadTest, RoundTripsOurOwnHeads) {
  std::shared_ptr<const LogSigner> signer = *LogSigner::Generate();
  for (uint64_t size : {0ull, 1ull, 1000ull}) {
    MerkleHash root = size == 0 ? EmptyTreeRoot() : HashLeaf(AsBytes(std::to_string(size)));
    Result<SignedTreeHead> head = SignTreeHead(size, 1800000000000 + size, root, *signer);
    ASSERT_TRUE(head);
    Result<std::string> note =
        CheckpointFromSignedTreeHead(*head, "localhost/ctkit-log", signer->log_id());
    ASSERT_TRUE(note);
    Result<SignedTreeHead> back =
        VerifyCheckpoint(*note, "localhost/ctkit-log", *signer->public_key());
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, *head);
  }
  SignedTreeHead head;
  for (const char* origin : {"", "two words", "a+b", "tab\there", "nbsp\xC2\xA0here", "line\n"}) {
    EXPECT_FALSE(CheckpointFromSignedTreeHead(head, origin, signer->log_id())) << origin;
  }
}

TEST(SignedNoteTest, ParsesTheSpecExample) {
  // signed-note's example: text with an empty line inside, split at the last blank line.
  std::string note =
      "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \xC3\xA8 subito "
      "sera.\n\n\xE2\x80\x94 quasimodo.example/salvatore "
      "NnugSzTjtVAewIS+Z/iJhUPeFDkO/"
      "5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
  Result<SignedNote> parsed = ParseSignedNote(note);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->text,
            "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \xC3\xA8 "
            "subito sera.\n");
  ASSERT_EQ(parsed->signatures.size(), 1u);
  EXPECT_EQ(parsed->signatures[0].key_name, "quasimodo.example/salvatore");
  EXPECT_EQ(parsed->signatures[0].key_id, 0x367ba04bu);
  EXPECT_EQ(parsed->signatures[0].signature.size(), 64u);
  EXPECT_EQ(*FormatSignedNote(*parsed), note);
}

TEST(SignedNoteTest, RejectsMalformedNotes) {
  const std::string sig = "\xE2\x80\x94 name AAAAAAE=\n";
  struct Case {
    std::string note, message;
  };
  std::vector<Case> cases = {
      {"text\n\n" + sig.substr(0, sig.size() - 1), "newline"},
      {"text\n" + sig, "blank line"},
      {"text\n\n", "no signatures"},
      {"text\n\n" + sig + "\n", "no signatures"},
      {"text\n\n- name AAAAAAE=\n", "em dash"},
      {"text\n\n\xE2\x80\x94 nameAAAAAAE=\n", "no signature"},
      {"text\n\n\xE2\x80\x94 a+b AAAAAAE=\n", "key name"},
      {"text\n\n\xE2\x80\x94  AAAAAAE=\n", "key name"},
      {"text\n\n\xE2\x80\x94 name AAAA\n", "too short"},
      {"text\n\n\xE2\x80\x94 name AAAAAAE\n", "base64"},
      {"text\n\n\xE2\x80\x94 name AAAAAAE= \n", "base64"},
      {"te\rxt\n\n" + sig, "control character"},
      {"te\xC0\xAFxt\n\n" + sig, "UTF-8"},      // overlong '/'
      {"te\xED\xA0\x80xt\n\n" + sig, "UTF-8"},  // a surrogate
      {"text\xE2\x80\n\n" + sig, "UTF-8"},      // truncated
  };
  for (const Case& c : cases) {
    Result<SignedNote> parsed = ParseSignedNote(c.note);
    ASSERT_FALSE(parsed) << c.note;
    EXPECT_EQ(parsed.error().code, ErrorCode::kMalformed);
    EXPECT_THAT(parsed.error().message, HasSubstr(c.message)) << c.note;
  }
  std::string many = "text\n\n";
  for (size_t i = 0; i <= kMaxNoteSignatures; ++i) many += sig;
  EXPECT_FALSE(ParseSignedNote(many));
  EXPECT_FALSE(ParseSignedNote(std::string(kMaxNoteBytes, 'a') + "\n\n" + sig));
}

TEST(CheckpointTextTest, ParsesAndFormats) {
  Checkpoint checkpoint{.origin = "example.com/log", .tree_size = 20852163};
  checkpoint.root_hash =
      *MerkleHashFromBytes(*Base64Decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="));
  Result<std::string> text = FormatCheckpointText(checkpoint);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "example.com/log\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  EXPECT_EQ(*ParseCheckpointText(*text), checkpoint);
  checkpoint.extension_lines = {"ext one", "ext two"};
  text = FormatCheckpointText(checkpoint);
  ASSERT_TRUE(text);
  EXPECT_EQ(*ParseCheckpointText(*text), checkpoint);
  EXPECT_EQ(ParseCheckpointText("o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")->tree_size,
            0u);
  EXPECT_EQ(
      ParseCheckpointText("o\n18446744073709551615\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
          ->tree_size,
      UINT64_MAX);

  const std::string root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  for (const std::string& bad : std::vector<std::string>{
           "o\n1\n" + root,                            // no final newline
           "o\n1\n",                                   // two lines
           "\n1\n" + root + "\n",                      // empty origin
           "o\n01\n" + root + "\n",                    // leading zero
           "o\n-1\n" + root + "\n",                    // sign
           "o\n 1\n" + root + "\n",                    // space
           "o\n18446744073709551616\n" + root + "\n",  // 2^64
           "o\n1\nAAAA\n",                             // short hash
           "o\n1\n" + root + "\n\n",                   // empty extension line
       }) {
    EXPECT_FALSE(ParseCheckpointText(bad)) << bad;
  }
  EXPECT_FALSE(FormatCheckpointText({.origin = ""}));
  EXPECT_FALSE(FormatCheckpointText({.origin = "a\nb"}));
  EXPECT_FALSE(FormatCheckpointText({.origin = "o", .extension_lines = {""}}));
}

TEST(Rfc6962NoteSignatureTest, EncodesTimestampThenDigitallySigned) {
  DigitallySigned signature{.signature = {0x30, 0x01, 0x02}};
  Result<Bytes> encoded = EncodeRfc6962NoteSignature(0x0102030405060708, signature);
  ASSERT_TRUE(encoded);
  EXPECT_EQ(HexEncode(*encoded),
            "0102030405060708"
            "0403"
            "0003"
            "300102");
  Result<Rfc6962NoteSignature> parsed = ParseRfc6962NoteSignature(*encoded);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->timestamp_ms, 0x0102030405060708u);
  EXPECT_EQ(parsed->signature, signature);
  encoded->push_back(0);
  EXPECT_FALSE(ParseRfc6962NoteSignature(*encoded));
  EXPECT_FALSE(ParseRfc6962NoteSignature(Bytes(7, 0)));
}

}  // namespace
}  // namespace ctkit
