// MerkleTreeLeaf / extra_data (ct/log_entry.h), log signing keys (ct/log_signer.h) and signed
// tree heads (ct/signed_tree_head.h).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ct/log_entry.h"
#include "ct/log_signer.h"
#include "ct/sct_verify.h"
#include "ct/signed_tree_head.h"
#include "logclient/log_client_json.h"
#include "test_support.h"
#include "x509/pem.h"

namespace ctkit {
namespace {

using ::testing::HasSubstr;

// The CT test log's SCT for test-cert.pem (RFC 6962 x509_entry).
struct RealEntry {
  Bytes certificate_der;
  SignedCertificateTimestamp sct;
};

RealEntry LoadRealEntry() {
  Result<std::vector<CertificateView>> certs =
      ParseCertificateInput(testing::ReadTestData("sct/ctlog/test-cert.pem"));
  EXPECT_TRUE(certs);
  Result<SignedCertificateTimestamp> sct =
      ParseSct(testing::ReadTestData("sct/ctlog/test-cert.proof"));
  EXPECT_TRUE(sct);
  ByteSpan der = certs->front().der();
  return {Bytes(der.begin(), der.end()), *sct};
}

TEST(MerkleTreeLeafTest, EqualsTheBytesTheSctSigns) {
  RealEntry real = LoadRealEntry();
  SignedEntry signed_entry = *X509SignedEntry(real.certificate_der);
  TimestampedEntry entry = EntryForSct(real.sct, signed_entry);
  Bytes leaf = *SerializeMerkleTreeLeaf(entry);
  EXPECT_EQ(leaf, *BuildSctSignatureInput(real.sct, signed_entry));
  EXPECT_EQ(*LeafHashOf(entry), HashLeaf(leaf));
  // The real SCT verifies over the leaf bytes: the log signed exactly this MerkleTreeLeaf.
  auto key = LogKey::FromPem(testing::ReadTestDataText("sct/ctlog/ct-server-key-public.pem"));
  ASSERT_TRUE(key);
  EXPECT_TRUE((*key)->Verify(leaf, real.sct.signature));
}

TEST(MerkleTreeLeafTest, RoundTripsAndDecodes) {
  RealEntry real = LoadRealEntry();
  TimestampedEntry entry = EntryForSct(real.sct, *X509SignedEntry(real.certificate_der));
  Bytes leaf = *SerializeMerkleTreeLeaf(entry);
  Result<TimestampedEntry> parsed = ParseMerkleTreeLeaf(leaf);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, entry);
  // Decoded once: the certificate is in the parsed entry as it is.
  EXPECT_EQ(parsed->signed_entry.type, LogEntryType::kX509);
  EXPECT_EQ(parsed->signed_entry.CopyDer(), real.certificate_der);

  Sha256Digest key_hash = Sha256(AsBytes("issuer key"));
  TimestampedEntry precert{.timestamp_ms = 7,
                           .signed_entry = *PrecertSignedEntry(key_hash, AsBytes("tbs bytes")),
                           .extensions = {0, 0, 5, 0, 0, 0, 0, 9}};
  Result<TimestampedEntry> reparsed = ParseMerkleTreeLeaf(*SerializeMerkleTreeLeaf(precert));
  ASSERT_TRUE(reparsed);
  EXPECT_EQ(*reparsed, precert);
  EXPECT_EQ(reparsed->signed_entry.issuer_key_hash, key_hash);
  EXPECT_TRUE(std::ranges::equal(reparsed->signed_entry.CopyDer(), AsBytes("tbs bytes")));
}

TEST(MerkleTreeLeafTest, RejectsEveryTruncationAndTrailingBytes) {
  RealEntry real = LoadRealEntry();
  Bytes leaf =
      *SerializeMerkleTreeLeaf(EntryForSct(real.sct, *X509SignedEntry(real.certificate_der)));
  for (size_t length = 0; length < leaf.size(); ++length) {
    EXPECT_FALSE(ParseMerkleTreeLeaf(ByteSpan(leaf).first(length))) << length;
  }
  Bytes longer = leaf;
  longer.push_back(0);
  EXPECT_FALSE(ParseMerkleTreeLeaf(longer));
  Bytes bad_version = leaf;
  bad_version[0] = 1;
  EXPECT_EQ(ParseMerkleTreeLeaf(bad_version).error().code, ErrorCode::kUnsupported);
  Bytes bad_type = leaf;
  bad_type[11] = 7;  // entry_type low byte
  EXPECT_THAT(ParseMerkleTreeLeaf(bad_type).error().message, HasSubstr("entry_type"));
}

TEST(ExtraDataTest, RoundTripsBothEntryTypes) {
  EntryChain x509{.pre_certificate = {}, .chain = {Bytes{1, 2, 3}, Bytes{4}}};
  Bytes encoded = *SerializeExtraData(LogEntryType::kX509, x509);
  Result<EntryChain> parsed = ParseExtraData(LogEntryType::kX509, encoded);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->chain, x509.chain);
  EntryChain precert{.pre_certificate = {9, 9}, .chain = {Bytes{1}}};
  Result<EntryChain> reparsed =
      ParseExtraData(LogEntryType::kPrecert, *SerializeExtraData(LogEntryType::kPrecert, precert));
  ASSERT_TRUE(reparsed);
  EXPECT_EQ(reparsed->pre_certificate, precert.pre_certificate);
  EXPECT_EQ(reparsed->chain, precert.chain);
  EXPECT_TRUE(ParseExtraData(LogEntryType::kX509, Bytes{0, 0, 0})->chain.empty());
  EXPECT_FALSE(ParseExtraData(LogEntryType::kX509, Bytes{0, 0, 4, 0, 0, 1}));
  EXPECT_FALSE(ParseExtraData(LogEntryType::kPrecert, Bytes{0, 0, 0}));
}

// CheckExtraData (no copies) and ParseExtraData (copies) accept and refuse the same inputs,
// with the same error, and CheckExtraData's precertificate is a view into the input.
TEST(ExtraDataTest, CheckingAgreesWithParsing) {
  EntryChain precert{.pre_certificate = {9, 9, 9}, .chain = {Bytes{1}, Bytes{2, 2}}};
  const Bytes valid = *SerializeExtraData(LogEntryType::kPrecert, precert);
  Result<ByteSpan> view = CheckExtraData(LogEntryType::kPrecert, valid);
  ASSERT_TRUE(view);
  EXPECT_EQ(Bytes(view->begin(), view->end()), precert.pre_certificate);
  EXPECT_EQ(view->data(), valid.data() + 3);
  EXPECT_TRUE(CheckExtraData(LogEntryType::kX509, Bytes{0, 0, 0})->empty());
  // Every truncation and every single-byte change of a valid encoding, as either type.
  for (LogEntryType type : {LogEntryType::kX509, LogEntryType::kPrecert}) {
    std::vector<Bytes> inputs;
    for (size_t n = 0; n <= valid.size(); ++n)
      inputs.emplace_back(valid.begin(), valid.begin() + n);
    for (size_t i = 0; i < valid.size(); ++i) {
      for (uint8_t v : {0x00, 0x01, 0x02, 0x03, 0x09, 0xff}) {
        Bytes changed = valid;
        changed[i] = v;
        inputs.push_back(changed);
      }
    }
    for (const Bytes& input : inputs) {
      Result<EntryChain> parsed = ParseExtraData(type, input);
      Result<ByteSpan> checked = CheckExtraData(type, input);
      ASSERT_EQ(parsed.has_value(), checked.has_value()) << HexEncode(input);
      if (parsed) {
        EXPECT_EQ(Bytes(checked->begin(), checked->end()), parsed->pre_certificate);
      } else {
        EXPECT_EQ(parsed.error().message, checked.error().message);
      }
    }
  }
}

// A LogEntry parses its chain on demand: chain() copies, pre_certificate() views extra_data,
// and an entry whose extra_data does not parse says so in both makers.
TEST(LogEntryTest, ChainOnDemandAndMalformedExtraData) {
  TimestampedEntry precert{
      .timestamp_ms = 7,
      .signed_entry = *PrecertSignedEntry(Sha256(AsBytes("issuer key")), AsBytes("tbs bytes"))};
  const Bytes leaf = *SerializeMerkleTreeLeaf(precert);
  EntryChain chain{.pre_certificate = {9, 9, 9}, .chain = {Bytes{1}, Bytes{2, 2}}};
  const Bytes extra = *SerializeExtraData(LogEntryType::kPrecert, chain);

  Result<LogEntry> strict = MakeLogEntry(3, leaf, extra);
  ASSERT_TRUE(strict) << strict.error().message;
  LogEntry lenient = MakeLenientLogEntry(3, leaf, extra);
  for (const LogEntry* entry : {&*strict, &lenient}) {
    EXPECT_TRUE(entry->parse_error.empty());
    EXPECT_EQ(entry->entry, precert);
    EXPECT_EQ(entry->leaf_hash, HashLeaf(leaf));
    ASSERT_TRUE(entry->chain());
    EXPECT_EQ(entry->chain()->pre_certificate, chain.pre_certificate);
    EXPECT_EQ(entry->chain()->chain, chain.chain);
    EXPECT_EQ(Bytes(entry->pre_certificate().begin(), entry->pre_certificate().end()),
              chain.pre_certificate);
    EXPECT_EQ(entry->pre_certificate().data(), entry->extra_data.data() + 3);
  }

  // The same extra_data does not fit an x509_entry (its precertificate reads as a bad chain).
  const Bytes x509_leaf = *SerializeMerkleTreeLeaf(
      {.timestamp_ms = 7, .signed_entry = *X509SignedEntry(Bytes{0x30, 0x00})});
  Result<LogEntry> refused = MakeLogEntry(4, x509_leaf, extra);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("extra_data"));
  LogEntry kept = MakeLenientLogEntry(4, x509_leaf, extra);
  EXPECT_THAT(kept.parse_error, HasSubstr("extra_data: "));
  EXPECT_EQ(kept.leaf_hash, HashLeaf(x509_leaf));
  EXPECT_EQ(kept.extra_data, extra);
  ASSERT_FALSE(kept.chain());
  EXPECT_EQ(kept.chain().error().message, kept.parse_error);
  EXPECT_TRUE(kept.pre_certificate().empty());

  // A leaf_input that is no MerkleTreeLeaf: nothing parsed, no chain.
  LogEntry garbage = MakeLenientLogEntry(5, Bytes{0, 0, 1}, extra);
  EXPECT_THAT(garbage.parse_error, HasSubstr("leaf_input: "));
  EXPECT_FALSE(garbage.chain());
  EXPECT_TRUE(garbage.pre_certificate().empty());
}

TEST(LogSignerTest, SignsWhatItsPublicKeyVerifies) {
  Result<std::shared_ptr<const LogSigner>> signer = LogSigner::Generate();
  ASSERT_TRUE(signer);
  Result<DigitallySigned> signature = (*signer)->Sign(AsBytes("message"));
  ASSERT_TRUE(signature);
  EXPECT_TRUE(IsStrictDerEcdsaSignature(signature->signature));
  EXPECT_TRUE((*signer)->public_key()->Verify(AsBytes("message"), *signature));
  EXPECT_FALSE((*signer)->public_key()->Verify(AsBytes("massage"), *signature));
  EXPECT_EQ((*signer)->log_id(), Sha256((*signer)->public_key_der()));

  // The PEM round trip keeps the key.
  std::string pem = (*signer)->PrivateKeyPem();
  EXPECT_THAT(pem, HasSubstr("BEGIN PRIVATE KEY"));
  Result<std::shared_ptr<const LogSigner>> reloaded = LogSigner::FromPem(pem);
  ASSERT_TRUE(reloaded);
  EXPECT_EQ((*reloaded)->log_id(), (*signer)->log_id());
  EXPECT_FALSE(LogSigner::FromPem("not a key"));
}

TEST(SignedTreeHeadTest, SignVerifyAndJsonRoundTrip) {
  std::shared_ptr<const LogSigner> signer = *LogSigner::Generate();
  MerkleHash root = HashLeaf(AsBytes("root"));
  Result<SignedTreeHead> head = SignTreeHead(42, 1700000000000, root, *signer);
  ASSERT_TRUE(head);
  EXPECT_TRUE(VerifySignedTreeHead(*head, *signer->public_key()));

  Result<SignedTreeHead> parsed = ParseSthJson(SthToJson(*head));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, *head);

  for (auto tamper :
       {+[](SignedTreeHead& h) { h.tree_size++; }, +[](SignedTreeHead& h) { h.timestamp_ms--; },
        +[](SignedTreeHead& h) { h.root_hash[0] ^= 1; }}) {
    SignedTreeHead bad = *head;
    tamper(bad);
    Result<void> verified = VerifySignedTreeHead(bad, *signer->public_key());
    ASSERT_FALSE(verified);
    EXPECT_EQ(verified.error().code, ErrorCode::kVerificationFailed);
  }
  std::shared_ptr<const LogSigner> other = *LogSigner::Generate();
  EXPECT_FALSE(VerifySignedTreeHead(*head, *other->public_key()));
}

// RFC 6962 §2.1: a head of size 0 carries the empty tree's root; signed over any other root it
// is still no tree head (ct/signed_tree_head.h, the one place the rule lives; checkpoints verify
// through it too).
TEST(SignedTreeHeadTest, SizeZeroOnlyWithTheEmptyTreesRoot) {
  Result<std::shared_ptr<const LogSigner>> signer = LogSigner::Generate();
  ASSERT_TRUE(signer);
  Result<SignedTreeHead> empty = SignTreeHead(0, 1000, EmptyTreeRoot(), **signer);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(VerifySignedTreeHead(*empty, *(*signer)->public_key()));
  MerkleHash other = EmptyTreeRoot();
  other[0] ^= 1;
  Result<SignedTreeHead> forged = SignTreeHead(0, 1000, other, **signer);
  ASSERT_TRUE(forged);
  Result<void> verified = VerifySignedTreeHead(*forged, *(*signer)->public_key());
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, ErrorCode::kVerificationFailed);
  EXPECT_THAT(verified.error().message, ::testing::HasSubstr("size 0 with a root other"));
  Result<SignedTreeHead> one = SignTreeHead(1, 1000, other, **signer);
  EXPECT_TRUE(VerifySignedTreeHead(*one, *(*signer)->public_key()));
}

TEST(SignedTreeHeadTest, MalformedJsonIsRejectedWithTheField) {
  std::shared_ptr<const LogSigner> signer = *LogSigner::Generate();
  std::string good = SthToJson(*SignTreeHead(1, 2, HashLeaf({}), *signer));
  EXPECT_TRUE(ParseSthJson(good));
  struct Case {
    std::string json;
    std::string field;
  };
  for (const Case& c : std::vector<Case>{
           {"{}", "tree_size"},
           {R"({"tree_size": -1})", "tree_size"},
           {R"({"tree_size": 1, "timestamp": "x"})", "timestamp"},
           {R"({"tree_size": 1, "timestamp": 2, "sha256_root_hash": "AAAA"})", "sha256_root_hash"},
           {R"({"tree_size": 1, "timestamp": 2, "sha256_root_hash": "not base64!"})",
            "sha256_root_hash"},
           {R"({"tree_size": 1, "timestamp": 2, "sha256_root_hash": ")" +
                Base64Encode(HashLeaf({})) + R"(", "tree_head_signature": "BAM="})",
            "tree_head_signature"},
           {"[1,2]", "tree_size"},
           {"not json", "JSON"},
       }) {
    Result<SignedTreeHead> parsed = ParseSthJson(c.json);
    ASSERT_FALSE(parsed) << c.json;
    EXPECT_THAT(parsed.error().message, HasSubstr(c.field)) << c.json;
  }
}

}  // namespace
}  // namespace ctkit
