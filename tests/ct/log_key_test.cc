// Log keys: SPKI parsing, log_id, the algorithms RFC 6962 §2.1.4 allows, strict-DER ECDSA, and
// the keyring.

#include "ct/log_key.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "test_support.h"

namespace ctkit {
namespace {

using testing::Hex;

using nlohmann::json;

std::shared_ptr<const LogKey> LoadPem(const std::string& file) {
  auto key = LogKey::FromPem(testing::ReadTestDataText(file));
  EXPECT_TRUE(key) << file << ": " << key.error().message;
  return key ? *key : nullptr;
}

// --- OpenSSL, in tests only: generate keys and signatures to verify against. ---

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Bytes SpkiOf(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int size = i2d_PUBKEY(key, &der);
  Bytes out(der, der + size);
  OPENSSL_free(der);
  return out;
}

Bytes SignSha256(EVP_PKEY* key, ByteSpan message) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EXPECT_EQ(EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key), 1);
  size_t size = 0;
  EXPECT_EQ(EVP_DigestSign(context.get(), nullptr, &size, message.data(), message.size()), 1);
  Bytes signature(size);
  EXPECT_EQ(EVP_DigestSign(context.get(), signature.data(), &size, message.data(), message.size()),
            1);
  signature.resize(size);
  return signature;
}

// The signature-input vector (theno/ctutlz): a real Skydiver SCT's signed bytes and signature.
struct SignatureInputVector {
  std::shared_ptr<const LogKey> key = LoadPem("sct/signature-input/pubkey.pem");
  Bytes message = testing::ReadTestData("sct/signature-input/signature_input_valid.bin");
  DigitallySigned signature{HashAlgorithm::kSha256, SignatureAlgorithm::kEcdsa,
                            testing::ReadTestData("sct/signature-input/signature.der")};
};

// --- Loading keys ---

TEST(LogKeyTest, LoadsTheCtTestLogKeys) {
  auto ecdsa = LoadPem("sct/ctlog/ct-server-key-public.pem");
  ASSERT_TRUE(ecdsa);
  EXPECT_EQ(ecdsa->algorithm(), LogKeyAlgorithm::kEcdsaP256Sha256);
  EXPECT_EQ(ecdsa->log_id(), testing::IdFromBase64("3xwuwRUAlFJHqWFoMl3cXHlZ6PfG04j8AC4LvT9012Q="));
  EXPECT_EQ(ecdsa->log_id(), Sha256(ecdsa->spki_der()));

  auto rsa = LoadPem("sct/ctlog/ct-server-key-public-rsa.pem");
  ASSERT_TRUE(rsa);
  EXPECT_EQ(rsa->algorithm(), LogKeyAlgorithm::kRsaSha256);
  // The RSA SCT names its log by this key's log_id (bytes 1..32 of the serialized SCT).
  Bytes sct = testing::ReadTestData("sct/ctlog/test-cert-rsa.proof");
  EXPECT_TRUE(std::equal(rsa->log_id().begin(), rsa->log_id().end(), sct.begin() + 1));
}

TEST(LogKeyTest, PublicLogKeysGiveTheirPublishedLogIds) {
  // keys/*.pem hold keys from Google's log list; their SCTs name them by these log_ids.
  EXPECT_EQ(LoadPem("keys/google-icarus.pem")->log_id(),
            testing::IdFromBase64("KTxRllTIOWW6qlD8WAfUt2+/WHopctykwwz05UVH9Hg="));
  EXPECT_EQ(LoadPem("keys/google-pilot.pem")->log_id(),
            testing::IdFromBase64("pLkJkLQYWBSHuxOizGdwCjw1mAT5G9+443fNDsgN3BA="));
  for (const char* file :
       {"keys/google-aviator.pem", "keys/digicert-log-server.pem", "keys/sectigo-mammoth.pem"}) {
    auto key = LoadPem(file);
    ASSERT_TRUE(key) << file;
    EXPECT_EQ(key->algorithm(), LogKeyAlgorithm::kEcdsaP256Sha256) << file;
  }
}

TEST(LogKeyTest, EveryKeyOfTheLogListLoadsWithItsLogId) {
  // 181 real log keys (P-256 and RSA-2048), each with the log_id the list publishes: the SPKI
  // parser accepts what logs really use, and log_id = SHA-256(SPKI) as RFC 6962 §3.2 says.
  json list =
      json::parse(testing::ReadTestDataText("loglist/google_all_logs_list_v53.34_2025-05-05.json"));
  int ecdsa = 0;
  int rsa = 0;
  for (const json& op : list["operators"]) {
    for (const char* kind : {"logs", "tiled_logs"}) {
      if (!op.contains(kind)) continue;
      for (const json& log : op[kind]) {
        std::string description = log["description"];
        auto key = LogKey::FromSpkiDer(*Base64Decode(log["key"].get<std::string>()));
        ASSERT_TRUE(key) << description << ": " << key.error().message;
        EXPECT_EQ((*key)->log_id(), testing::IdFromBase64(log["log_id"].get<std::string>()))
            << description;
        ((*key)->algorithm() == LogKeyAlgorithm::kRsaSha256 ? rsa : ecdsa)++;
      }
    }
  }
  EXPECT_EQ(ecdsa, 178);
  EXPECT_EQ(rsa, 3);
}

TEST(LogKeyTest, P384IsUnsupported) {
  // RFC 6962 §2.1.4 allows only P-256 among curves.
  auto key = LogKey::FromPem(testing::ReadTestDataText("sct/sctrs/ecdsa-secp384r1-pub.pem"));
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, ErrorCode::kUnsupported);
}

TEST(LogKeyTest, ShortRsaAndOtherKeyTypesAreUnsupported) {
  Pkey rsa1024(EVP_RSA_gen(1024));
  ASSERT_TRUE(rsa1024);
  auto short_rsa = LogKey::FromSpkiDer(SpkiOf(rsa1024.get()));
  ASSERT_FALSE(short_rsa);
  EXPECT_EQ(short_rsa.error().code, ErrorCode::kUnsupported);

  Pkey ed25519(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  ASSERT_TRUE(ed25519);
  auto eddsa = LogKey::FromSpkiDer(SpkiOf(ed25519.get()));
  ASSERT_FALSE(eddsa);
  EXPECT_EQ(eddsa.error().code, ErrorCode::kUnsupported);

  Pkey p521(EVP_EC_gen("P-521"));
  ASSERT_TRUE(p521);
  EXPECT_EQ(LogKey::FromSpkiDer(SpkiOf(p521.get())).error().code, ErrorCode::kUnsupported);
}

TEST(LogKeyTest, MalformedSpkiIsRejected) {
  auto key = LoadPem("sct/ctlog/ct-server-key-public.pem");
  ASSERT_TRUE(key);
  const Bytes& spki = key->spki_der();

  EXPECT_EQ(LogKey::FromSpkiDer({}).error().code, ErrorCode::kMalformed);
  Bytes trailing = spki;
  trailing.push_back(0);
  EXPECT_EQ(LogKey::FromSpkiDer(trailing).error().code, ErrorCode::kMalformed);
  for (size_t cut = 0; cut < spki.size(); ++cut) {
    Bytes prefix(spki.begin(), spki.begin() + cut);
    EXPECT_EQ(LogKey::FromSpkiDer(prefix).error().code, ErrorCode::kMalformed) << cut;
  }
  // The same key with the outer SEQUENCE length in long form: valid BER, not DER, and it would
  // hash to a different log_id.
  ASSERT_EQ(spki[0], 0x30);
  ASSERT_LT(spki[1], 0x80);
  Bytes long_form = {0x30, 0x81};
  long_form.insert(long_form.end(), spki.begin() + 1, spki.end());
  auto ber = LogKey::FromSpkiDer(long_form);
  ASSERT_FALSE(ber);
  EXPECT_EQ(ber.error().code, ErrorCode::kMalformed);
  // A point off the curve.
  Bytes off_curve = spki;
  off_curve.back() ^= 1;
  EXPECT_FALSE(LogKey::FromSpkiDer(off_curve));
}

TEST(LogKeyTest, PemMustHoldAPublicKey) {
  std::string pem = testing::ReadTestDataText("sct/ctlog/ct-server-key-public.pem");
  // Text before the block, as in `openssl -text` dumps, is skipped.
  auto with_preamble = LogKey::FromPem("Public-Key: (256 bit)\nsome text\n" + pem);
  ASSERT_TRUE(with_preamble);
  EXPECT_EQ((*with_preamble)->log_id(), LoadPem("sct/ctlog/ct-server-key-public.pem")->log_id());

  auto certificate = LogKey::FromPem(testing::ReadTestDataText("sct/ctlog/test-cert.pem"));
  ASSERT_FALSE(certificate);
  EXPECT_EQ(certificate.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(LogKey::FromPem("").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(
      LogKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").error().code,
      ErrorCode::kMalformed);
}

// --- Verification ---

TEST(LogKeyTest, VerifiesTheSignatureInputVector) {
  SignatureInputVector v;
  ASSERT_TRUE(v.key);
  auto verified = v.key->Verify(v.message, v.signature);
  EXPECT_TRUE(verified) << verified.error().message;
  EXPECT_TRUE(v.key->VerifyDigest(Sha256(v.message), v.signature));
}

TEST(LogKeyTest, AnyChangeToMessageOrSignatureFails) {
  SignatureInputVector v;
  for (size_t i = 0; i < v.message.size(); i += 97) {
    Bytes message = v.message;
    message[i] ^= 0x01;
    auto verified = v.key->Verify(message, v.signature);
    ASSERT_FALSE(verified) << i;
    EXPECT_EQ(verified.error().code, ErrorCode::kVerificationFailed);
  }
  for (size_t bit = 0; bit < v.signature.signature.size() * 8; ++bit) {
    DigitallySigned signature = v.signature;
    signature.signature[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(v.key->Verify(v.message, signature)) << "bit " << bit;
  }
}

TEST(LogKeyTest, AlgorithmsOutsideRfc6962AreUnsupported) {
  SignatureInputVector v;
  for (HashAlgorithm hash : {HashAlgorithm::kSha1, HashAlgorithm::kSha384, HashAlgorithm::kSha512,
                             HashAlgorithm::kNone, static_cast<HashAlgorithm>(200)}) {
    DigitallySigned signature = v.signature;
    signature.hash_algorithm = hash;
    EXPECT_EQ(v.key->Verify(v.message, signature).error().code, ErrorCode::kUnsupported);
  }
  DigitallySigned dsa = v.signature;
  dsa.signature_algorithm = SignatureAlgorithm::kDsa;
  EXPECT_EQ(v.key->Verify(v.message, dsa).error().code, ErrorCode::kUnsupported);
  // RSA is allowed, but not with an ECDSA key.
  DigitallySigned rsa = v.signature;
  rsa.signature_algorithm = SignatureAlgorithm::kRsa;
  EXPECT_EQ(v.key->Verify(v.message, rsa).error().code, ErrorCode::kVerificationFailed);
}

TEST(LogKeyTest, RsaKeyVerifiesRsaAndRejectsEcdsaSignatures) {
  Pkey rsa(EVP_RSA_gen(2048));
  ASSERT_TRUE(rsa);
  auto key = LogKey::FromSpkiDer(SpkiOf(rsa.get()));
  ASSERT_TRUE(key) << key.error().message;
  Bytes message = Hex("0001020304");
  DigitallySigned signature{HashAlgorithm::kSha256, SignatureAlgorithm::kRsa,
                            SignSha256(rsa.get(), message)};
  EXPECT_TRUE((*key)->Verify(message, signature));

  DigitallySigned as_ecdsa = signature;
  as_ecdsa.signature_algorithm = SignatureAlgorithm::kEcdsa;
  EXPECT_EQ((*key)->Verify(message, as_ecdsa).error().code, ErrorCode::kVerificationFailed);

  DigitallySigned short_signature = signature;
  short_signature.signature.pop_back();
  EXPECT_EQ((*key)->Verify(message, short_signature).error().code, ErrorCode::kVerificationFailed);
  DigitallySigned leading_zero = signature;
  leading_zero.signature.insert(leading_zero.signature.begin(), 0);
  EXPECT_FALSE((*key)->Verify(message, leading_zero));
}

// --- Strict DER ECDSA signatures ---

// Re-encodings of the same (r, s) that DER forbids (X.690 §10.1, §8.3.2), each built from a
// valid short-form signature SEQUENCE { INTEGER r, INTEGER s }.
std::vector<std::pair<std::string, Bytes>> NonDerVariants(const Bytes& der) {
  // Split the valid signature into its integers.
  EXPECT_EQ(der[0], 0x30);
  EXPECT_LT(der[1], 0x80);
  size_t r_length = der[3];
  Bytes r(der.begin() + 4, der.begin() + 4 + r_length);
  size_t s_offset = 4 + r_length;
  size_t s_length = der[s_offset + 1];
  Bytes s(der.begin() + s_offset + 2, der.begin() + s_offset + 2 + s_length);

  auto integer = [](Bytes value, bool long_form) {
    Bytes out = {0x02};
    if (long_form) out.push_back(0x81);
    out.push_back(static_cast<uint8_t>(value.size()));
    out.insert(out.end(), value.begin(), value.end());
    return out;
  };
  auto sequence = [](const Bytes& body, int form) {
    Bytes out = {0x30};
    if (form == 1) out.push_back(0x81);  // long form
    if (form == 2) out.push_back(0x80);  // BER indefinite length
    if (form != 2) out.push_back(static_cast<uint8_t>(body.size()));
    out.insert(out.end(), body.begin(), body.end());
    if (form == 2) out.insert(out.end(), {0x00, 0x00});
    return out;
  };
  auto cat = [](Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  Bytes padded_r = r;
  padded_r.insert(padded_r.begin(), 0x00);
  Bytes padded_s = s;
  padded_s.insert(padded_s.begin(), 0x00);

  std::vector<std::pair<std::string, Bytes>> out;
  out.emplace_back("extra leading zero in r",
                   sequence(cat(integer(padded_r, false), integer(s, false)), 0));
  out.emplace_back("extra leading zero in s",
                   sequence(cat(integer(r, false), integer(padded_s, false)), 0));
  out.emplace_back("long-form SEQUENCE length",
                   sequence(cat(integer(r, false), integer(s, false)), 1));
  out.emplace_back("long-form INTEGER length",
                   sequence(cat(integer(r, true), integer(s, false)), 0));
  out.emplace_back("indefinite length", sequence(cat(integer(r, false), integer(s, false)), 2));
  out.emplace_back("trailing byte", cat(der, {0x00}));
  Bytes inner_trailing = cat(cat(integer(r, false), integer(s, false)), {0x05, 0x00});
  out.emplace_back("NULL inside the SEQUENCE", sequence(inner_trailing, 0));
  return out;
}

TEST(LogKeyTest, NonDerEncodingsOfAValidSignatureAreRejected) {
  SignatureInputVector v;
  ASSERT_TRUE(IsStrictDerEcdsaSignature(v.signature.signature));
  for (const auto& [what, encoding] : NonDerVariants(v.signature.signature)) {
    EXPECT_FALSE(IsStrictDerEcdsaSignature(encoding)) << what;
    DigitallySigned signature = v.signature;
    signature.signature = encoding;
    auto verified = v.key->Verify(v.message, signature);
    ASSERT_FALSE(verified) << what;
    EXPECT_EQ(verified.error().code, ErrorCode::kVerificationFailed) << what;
  }
}

TEST(LogKeyTest, StrictDerChecksIntegers) {
  EXPECT_TRUE(IsStrictDerEcdsaSignature(Hex("3006 020101 020101")));
  EXPECT_TRUE(IsStrictDerEcdsaSignature(Hex("3008 02020080 02020081")));  // needed zero
  EXPECT_FALSE(IsStrictDerEcdsaSignature(Hex("3006 020100 020101")));     // r = 0
  EXPECT_FALSE(IsStrictDerEcdsaSignature(Hex("3006 020180 020101")));     // r < 0
  EXPECT_FALSE(IsStrictDerEcdsaSignature(Hex("3007 02020001 020101")));   // needless zero
  EXPECT_FALSE(IsStrictDerEcdsaSignature(Hex("3005 0200 020101")));       // empty INTEGER
  EXPECT_FALSE(IsStrictDerEcdsaSignature(Hex("3003 020101")));            // one INTEGER
  EXPECT_FALSE(IsStrictDerEcdsaSignature(Hex("3106 020101 020101")));     // SET
  EXPECT_FALSE(IsStrictDerEcdsaSignature(Hex("3006 030101 020101")));     // BIT STRING
  EXPECT_FALSE(IsStrictDerEcdsaSignature(Hex("3007 020101 020101")));     // length past end
  EXPECT_FALSE(IsStrictDerEcdsaSignature(Hex("")));
  // 34-byte integers exceed P-256's 33.
  Bytes big = Hex("3046 0222 01");
  big.resize(2 + 2 + 34, 0x11);
  big.insert(big.end(), {0x02, 0x01, 0x01});
  big[1] = static_cast<uint8_t>(big.size() - 2);
  EXPECT_FALSE(IsStrictDerEcdsaSignature(big));
  EXPECT_TRUE(IsStrictDerEcdsaSignature(big, 34));
}

TEST(LogKeyTest, GeneratedP256SignaturesVerifyAndTheirNonDerFormsDoNot) {
  Pkey p256(EVP_EC_gen("P-256"));
  ASSERT_TRUE(p256);
  auto key = LogKey::FromSpkiDer(SpkiOf(p256.get()));
  ASSERT_TRUE(key);
  for (int i = 0; i < 16; ++i) {
    Bytes message(static_cast<size_t>(i) * 13, static_cast<uint8_t>(i));
    DigitallySigned signature{HashAlgorithm::kSha256, SignatureAlgorithm::kEcdsa,
                              SignSha256(p256.get(), message)};
    ASSERT_TRUE((*key)->Verify(message, signature)) << i;
    if (signature.signature[1] >= 0x80) continue;  // always short form for P-256
    for (const auto& [what, encoding] : NonDerVariants(signature.signature)) {
      DigitallySigned variant = signature;
      variant.signature = encoding;
      EXPECT_FALSE((*key)->Verify(message, variant)) << what;
    }
  }
}

TEST(LogKeyTest, OneKeyVerifiesFromManyThreads) {
  SignatureInputVector v;
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        if (!v.key->Verify(v.message, v.signature)) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(failures[t], 0);
}

// --- The keyring ---

TEST(LogKeyringTest, FindsKeysByLogId) {
  LogKeyring keyring;
  auto ecdsa = LoadPem("sct/ctlog/ct-server-key-public.pem");
  auto rsa = LoadPem("sct/ctlog/ct-server-key-public-rsa.pem");
  EXPECT_TRUE(keyring.Add(ecdsa));
  EXPECT_TRUE(keyring.Add(rsa));
  EXPECT_FALSE(keyring.Add(LoadPem("sct/ctlog/ct-server-key-public.pem")));  // same log_id
  EXPECT_FALSE(keyring.Add(nullptr));
  EXPECT_EQ(keyring.size(), 2u);
  EXPECT_EQ(keyring.FindKey(ecdsa->log_id()), ecdsa.get());  // the first one stays
  EXPECT_EQ(keyring.FindKey(rsa->log_id()), rsa.get());
  EXPECT_EQ(keyring.FindKey(LogId{}), nullptr);
}

}  // namespace
}  // namespace ctkit
