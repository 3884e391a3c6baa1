// SCT verification, each benchmark reported against the machine's own floor: OpenSSL's raw
// signature verification of the very same signatures, measured in the same run.
//
// Issue requirement: "SCT verification rate on 10,000 certificates, as a ratio to OpenSSL's raw
// ECDSA P-256 verify rate measured in the same run (goal: at least 0.9)."
//
// Corpus. Built at start-up with OpenSSL, by code local to this file, so the input does not come
// from the certificate code being measured: a P-256 CA, two P-256 logs of two operators and one
// RSA-2048 log, and 10,000 distinct final certificates (1-10 SAN dNSNames, Let's Encrypt-like
// extensions, 1.0-1.5 KB) each carrying two embedded SCTs, one per P-256 log. Each SCT signs the
// RFC 6962 §3.2 precert_entry over SHA-256 of the CA's SPKI and the certificate's TBS without the
// SCT-list extension; the list is then added as the last extension (RFC 6962 §3.3) and the
// certificate signed. Of ctkit, only the SCT encoders build that input (PrecertSignedEntry,
// BuildSctSignatureInput, SerializeSct, SerializeSctList), as the issue asks. Before any
// benchmark runs, CertificateVerifier must find every SCT of a sample valid and both policies
// met, or the program stops: a fast verifier that rejects everything measures nothing.
//
// Method (as bench/merkle_bench.cc). The machine is shared and noisy, so the floor is not
// measured once: every batch of operations is immediately followed by OpenSSL verifying the
// batch's own signatures, both timed with the thread's CPU clock, and the ratio is taken over
// the paired totals. Two raw OpenSSL variants are paired with every batch:
//   EVP_PKEY_verify   on the precomputed SHA-256 of the signed input, through one verify context
//                     initialised once and reused: the curve (or modular) arithmetic alone.
//   EVP_DigestVerify  one-shot over the signed input, the context re-initialised per signature
//                     as OpenSSL documents it: hashing and context set-up included.
// The floor is the faster of the two over the run (counter floor_is_digest_verify says which; in
// practice EVP_PKEY_verify, which skips the hashing and the per-call set-up). So the floor does
// not include hashing the ~1.2 KB signed input, which VerifySct cannot avoid: the ratio is
// strict by that much (about 1% with SHA-NI).
//
// Counters:
//   sigs                   signatures one operation verifies (the floor's unit of work)
//   ns_per_op              CPU time of one operation
//   pkey_verify_ns         raw EVP_PKEY_verify time per signature, same run
//   digest_verify_ns       raw EVP_DigestVerify time per signature, same run
//   sigs_per_s             signatures (SCTs) verified per CPU second by the operation
//   certs_per_s            certificates verified per CPU second (certificate benchmarks only)
//   floor_ratio            floor time for those signatures / operation time; goal >= 0.9
//   floor_is_digest_verify 1 when EVP_DigestVerify was the faster variant
//
// CTKIT_SCT_BENCH_CERTS=N overrides the corpus size (e.g. a few hundred under valgrind).
// Run through bench/run-sct-bench.sh, which prints the medians for docs/PERFORMANCE.md.

#include <benchmark/benchmark.h>
#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/malloc_info.h"
#include "ct/certificate_verifier.h"
#include "ct/log_list.h"
#include "ct/sct.h"
#include "ct/sct_verify.h"
#include "x509/certificate.h"

namespace ctkit {
namespace {

// ---- OpenSSL plumbing ----

template <auto kFree>
struct OpenSslDeleter {
  template <typename T>
  void operator()(T* object) const {
    kFree(object);
  }
};
struct OpenSslBufferFree {
  void operator()(unsigned char* buffer) const { OPENSSL_free(buffer); }
};
using Asn1OctetStringPtr =
    std::unique_ptr<ASN1_OCTET_STRING, OpenSslDeleter<ASN1_OCTET_STRING_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BN_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<EVP_MD_CTX_free>>;
using EvpMdPtr = std::unique_ptr<EVP_MD, OpenSslDeleter<EVP_MD_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;
using OpenSslBuffer = std::unique_ptr<unsigned char, OpenSslBufferFree>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, OpenSslDeleter<X509_NAME_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509_free>>;

// Corpus set-up cannot fail on a working OpenSSL; if it does, no figure would mean anything.
[[noreturn]] void Die(const std::string& what) {
  unsigned long code = ERR_get_error();
  char reason[256] = "";
  if (code != 0) ERR_error_string_n(code, reason, sizeof(reason));
  std::fprintf(stderr, "sct_bench: %s%s%s\n", what.c_str(), code != 0 ? ": " : "", reason);
  std::exit(1);
}

template <typename T>
T ValueOrDie(Result<T> result, const std::string& what) {
  if (!result) Die(what + ": " + result.error().message);
  return std::move(*result);
}

// Takes the output of an OpenSSL i2d-style call (`size` bytes at `der`, OpenSSL-allocated).
Bytes TakeDer(int size, unsigned char* der, const char* what) {
  OpenSslBuffer owner(der);
  if (size <= 0 || der == nullptr) Die(what);
  return Bytes(der, der + size);
}

Bytes SpkiDer(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int size = i2d_PUBKEY(key, &der);
  return TakeDer(size, der, "i2d_PUBKEY");
}

Sha256Digest Sha256Of(ByteSpan data) {
  Sha256Digest digest;
  SHA256(data.data(), data.size(), digest.data());
  return digest;
}

EvpPkeyPtr NewP256Key() {
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) Die("P-256 key generation");
  return key;
}

EvpPkeyPtr NewRsa2048Key() {
  EvpPkeyPtr key(EVP_RSA_gen(2048));
  if (!key) Die("RSA-2048 key generation");
  return key;
}

// SHA-256 signature over `message`: DER ECDSA-Sig-Value for EC keys, PKCS#1 v1.5 for RSA (the
// two forms RFC 6962 §2.1.4 allows).
Bytes SignSha256(EVP_PKEY* key, ByteSpan message) {
  EvpMdCtxPtr context(EVP_MD_CTX_new());
  size_t size = 0;
  if (!context || EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &size, message.data(), message.size()) != 1) {
    Die("signing");
  }
  Bytes signature(size);
  if (EVP_DigestSign(context.get(), signature.data(), &size, message.data(), message.size()) != 1) {
    Die("signing");
  }
  signature.resize(size);
  return signature;
}

// ---- Corpus ----

// Fixed times, so the corpus, the log states and the policies' verdicts are reproducible.
constexpr int64_t kFirstNotBefore = 1767571200;       // 2026-01-05T00:00:00Z
constexpr int64_t kLifetimeSeconds = 90 * 86400 - 1;  // 90 days: Chrome and Apple need 2 SCTs
constexpr int64_t kNowMs = 1772323200000;             // 2026-03-01T00:00:00Z, time of check
constexpr size_t kDefaultCertificates = 10000;
// RSA-2048 signing costs about a millisecond; a thousand distinct SCTs keep start-up short
// and are plenty for a verify rate (RSA verification has no per-input fast path).
constexpr size_t kRsaCertificates = 1000;

struct TestLog {
  std::string description;
  std::string operator_name;
  EvpPkeyPtr key;
  Bytes spki_der;
  LogId log_id{};
  SignatureAlgorithm algorithm = SignatureAlgorithm::kEcdsa;
};

// One SCT signature and what the raw OpenSSL baselines need to verify it.
struct SignatureCase {
  size_t certificate = 0;  // index into Corpus::certificates and Corpus::entries
  size_t log = 0;          // index into Corpus::logs
  SignedCertificateTimestamp sct;
  Bytes signed_input;     // RFC 6962 §3.2 digitally-signed struct: what EVP_DigestVerify hashes
  Sha256Digest digest{};  // its SHA-256: what EVP_PKEY_verify checks
};

struct Corpus {
  Corpus() = default;
  Corpus(const Corpus&) = delete;
  Corpus& operator=(const Corpus&) = delete;

  EvpPkeyPtr ca_key;
  X509Ptr ca_cert;
  std::vector<CertificateView> issuers;  // the CA, parsed once: what callers pass as `others`
  std::vector<TestLog> logs;             // [0], [1]: P-256, embedded; [2]: RSA-2048
  std::vector<Bytes> certificates;       // final certificates, DER
  std::vector<SignedEntry> entries;      // each certificate's precert_entry
  std::vector<SignatureCase> ecdsa;      // two per certificate, certificate-major
  std::vector<SignatureCase> rsa;        // one per certificate, the first kRsaCertificates
  std::optional<LogList> log_list;
  std::optional<CertificateVerifier> verifier;  // refers to *log_list: Corpus never moves
};

void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1) {
    Die(std::string("extension ") + OBJ_nid2sn(nid) + "=" + value);
  }
}

void SetName(X509_NAME* name, const std::vector<std::pair<const char*, std::string>>& entries) {
  for (const auto& [field, value] : entries) {
    if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                   0) != 1) {
      Die(std::string("name entry ") + field);
    }
  }
}

void SetSerial(X509* cert, std::mt19937_64& rng) {
  // 16 random octets, positive, as CAs issue them (CA/B Forum BRs: at least 64 random bits).
  std::array<uint8_t, 16> octets;
  for (uint8_t& octet : octets) octet = static_cast<uint8_t>(rng());
  octets[0] = static_cast<uint8_t>((octets[0] & 0x7f) | 0x01);
  BignumPtr value(BN_bin2bn(octets.data(), static_cast<int>(octets.size()), nullptr));
  if (!value || BN_to_ASN1_INTEGER(value.get(), X509_get_serialNumber(cert)) == nullptr) {
    Die("serial");
  }
}

void SetValidity(X509* cert, int64_t not_before) {
  if (ASN1_TIME_set(X509_getm_notBefore(cert), static_cast<time_t>(not_before)) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert), static_cast<time_t>(not_before + kLifetimeSeconds)) ==
          nullptr) {
    Die("validity");
  }
}

void SignCertificate(X509* cert, EVP_PKEY* ca_key) {
  if (X509_sign(cert, ca_key, EVP_sha256()) <= 0) Die("X509_sign");
}

Bytes CertificateDer(X509* cert) {
  unsigned char* der = nullptr;
  int size = i2d_X509(cert, &der);
  return TakeDer(size, der, "i2d_X509");
}

X509Ptr MakeCaCertificate(EVP_PKEY* ca_key, std::mt19937_64& rng) {
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) Die("X509_new");
  SetSerial(cert.get(), rng);
  X509NamePtr name(X509_NAME_new());
  if (!name) Die("X509_NAME_new");
  SetName(name.get(), {{"C", "US"}, {"O", "Example Corp"}, {"CN", "Example Corp Issuing CA E1"}});
  if (X509_set_subject_name(cert.get(), name.get()) != 1 ||
      X509_set_issuer_name(cert.get(), name.get()) != 1 ||
      X509_set_pubkey(cert.get(), ca_key) != 1) {
    Die("CA certificate fields");
  }
  SetValidity(cert.get(), kFirstNotBefore - 365 * 86400);
  if (ASN1_TIME_set(X509_getm_notAfter(cert.get()),
                    static_cast<time_t>(kFirstNotBefore + 5 * 365 * 86400)) == nullptr) {
    Die("CA validity");
  }
  AddExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  AddExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  AddExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  SignCertificate(cert.get(), ca_key);
  return cert;
}

// 1-10 DNS names under one registered domain, the first also the subject CN.
std::vector<std::string> MakeDnsNames(size_t index, std::mt19937_64& rng) {
  static constexpr const char* kLabels[] = {"www",  "api",   "mail",   "cdn",  "static",
                                            "app",  "login", "portal", "shop", "status",
                                            "auth", "docs",  "img",    "m",    "staging"};
  static constexpr const char* kWords[] = {"northwind", "contoso", "fabrikam", "tailspin",
                                           "adventure", "wingtip", "litware",  "proseware"};
  static constexpr const char* kSuffixes[] = {"com", "net", "org", "io", "de", "co.uk"};
  const std::string domain = std::string(kWords[rng() % std::size(kWords)]) + "-" +
                             std::to_string(index) + "." + kSuffixes[rng() % std::size(kSuffixes)];
  std::vector<std::string> labels(std::begin(kLabels), std::end(kLabels));
  std::shuffle(labels.begin(), labels.end(), rng);
  const size_t count = 1 + rng() % 10;
  std::vector<std::string> names = {domain};
  for (size_t i = 1; i < count; ++i) names.push_back(labels[i] + "." + domain);
  if (rng() % 4 == 0) names.back() = "*." + domain;  // some wildcards, as real corpora have
  return names;
}

SignatureCase SignSct(const Corpus& corpus, size_t certificate, size_t log, uint64_t timestamp_ms) {
  const TestLog& signer = corpus.logs[log];
  SignatureCase result;
  result.certificate = certificate;
  result.log = log;
  result.sct.log_id = signer.log_id;
  result.sct.timestamp_ms = timestamp_ms;
  result.sct.signature.hash_algorithm = HashAlgorithm::kSha256;
  result.sct.signature.signature_algorithm = signer.algorithm;
  result.signed_input = ValueOrDie(BuildSctSignatureInput(result.sct, corpus.entries[certificate]),
                                   "SCT signature input");
  result.digest = Sha256Of(result.signed_input);
  result.sct.signature.signature = SignSha256(signer.key.get(), result.signed_input);
  return result;
}

// Appends a non-critical extension whose extnValue content is `value_der`.
void AddDerExtension(X509* cert, int nid, ByteSpan value_der) {
  Asn1OctetStringPtr value(ASN1_OCTET_STRING_new());
  if (!value || ASN1_OCTET_STRING_set(value.get(), value_der.data(),
                                      static_cast<int>(value_der.size())) != 1) {
    Die(std::string("extnValue of ") + OBJ_nid2sn(nid));
  }
  X509ExtensionPtr extension(X509_EXTENSION_create_by_NID(nullptr, nid, 0, value.get()));
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1) {
    Die(std::string("extension ") + OBJ_nid2sn(nid));
  }
}

// The extnValue of 1.3.6.1.4.1.11129.2.4.2 is an OCTET STRING wrapping the TLS-encoded
// SignedCertificateTimestampList (RFC 6962 §3.3), so the DER extnValue holds one OCTET STRING
// inside the other. Appended last, as CAs do.
void AddSctListExtension(X509* cert, ByteSpan sct_list) {
  Asn1OctetStringPtr inner(ASN1_OCTET_STRING_new());
  if (!inner ||
      ASN1_OCTET_STRING_set(inner.get(), sct_list.data(), static_cast<int>(sct_list.size())) != 1) {
    Die("SCT list OCTET STRING");
  }
  unsigned char* der = nullptr;
  int size = i2d_ASN1_OCTET_STRING(inner.get(), &der);
  AddDerExtension(cert, NID_ct_precert_scts, TakeDer(size, der, "i2d_ASN1_OCTET_STRING"));
}

// Issues certificate `index`: its precert TBS, the two P-256 logs' SCTs over it, and the final
// certificate with those SCTs embedded. Appends to corpus.entries, .ecdsa and .certificates.
void IssueCertificate(Corpus& corpus, size_t index, EVP_PKEY* subject_key,
                      const Bytes& issuer_key_hash, std::mt19937_64& rng) {
  X509* ca = corpus.ca_cert.get();
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) Die("X509_new");
  SetSerial(cert.get(), rng);
  const std::vector<std::string> names = MakeDnsNames(index, rng);
  X509NamePtr subject(X509_NAME_new());
  if (!subject) Die("X509_NAME_new");
  SetName(subject.get(), {{"CN", names[0]}});
  // A minute apart: distinct validity periods and SCT timestamps across the corpus.
  const int64_t not_before = kFirstNotBefore + static_cast<int64_t>(index) * 60;
  if (X509_set_subject_name(cert.get(), subject.get()) != 1 ||
      X509_set_issuer_name(cert.get(), X509_get_subject_name(ca)) != 1 ||
      X509_set_pubkey(cert.get(), subject_key) != 1) {
    Die("certificate fields");
  }
  SetValidity(cert.get(), not_before);
  const bool rsa_subject = EVP_PKEY_get_base_id(subject_key) == EVP_PKEY_RSA;
  AddExtension(
      cert.get(), ca, NID_key_usage,
      rsa_subject ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature");
  AddExtension(cert.get(), ca, NID_ext_key_usage, "serverAuth,clientAuth");
  AddExtension(cert.get(), ca, NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(cert.get(), ca, NID_subject_key_identifier, "hash");
  AddExtension(cert.get(), ca, NID_authority_key_identifier, "keyid:always");
  AddExtension(cert.get(), ca, NID_info_access,
               "OCSP;URI:http://e1.o.example-corp-ca.test,"
               "caIssuers;URI:http://e1.i.example-corp-ca.test/issuing-ca-e1.der");
  std::string san;
  for (const std::string& name : names) san += (san.empty() ? "DNS:" : ",DNS:") + name;
  AddExtension(cert.get(), ca, NID_subject_alt_name, san);
  // certificatePolicies { policyIdentifier 2.23.140.1.2.1 (CA/B Forum domain-validated) }, as
  // DER: OpenSSL's text form of this extension needs a config database.
  static constexpr uint8_t kDvPolicy[] = {0x30, 0x0a, 0x30, 0x08, 0x06, 0x06,
                                          0x67, 0x81, 0x0c, 0x01, 0x02, 0x01};
  AddDerExtension(cert.get(), NID_certificate_policies, kDvPolicy);
  AddExtension(cert.get(), ca, NID_crl_distribution_points,
               "URI:http://e1.c.example-corp-ca.test/" + std::to_string(index % 128) + ".crl");

  // Signing fills in the TBS `signature` AlgorithmIdentifier, which the precert TBS must carry
  // exactly as the final certificate will; this first signature is then discarded.
  SignCertificate(cert.get(), corpus.ca_key.get());
  unsigned char* tbs_der = nullptr;
  int tbs_size = i2d_re_X509_tbs(cert.get(), &tbs_der);
  const Bytes tbs = TakeDer(tbs_size, tbs_der, "i2d_re_X509_tbs");
  Sha256Digest key_hash;
  std::copy(issuer_key_hash.begin(), issuer_key_hash.end(), key_hash.begin());
  corpus.entries.push_back(ValueOrDie(PrecertSignedEntry(key_hash, tbs), "precert_entry"));

  // Logs answer within seconds of submission; the CA backdates notBefore by an hour.
  const uint64_t submitted_ms = static_cast<uint64_t>(not_before + 3600) * 1000;
  std::vector<Bytes> serialized;
  for (size_t log = 0; log < 2; ++log) {
    SignatureCase sct = SignSct(corpus, index, log, submitted_ms + 700 + 900 * log);
    serialized.push_back(ValueOrDie(SerializeSct(sct.sct), "SerializeSct"));
    corpus.ecdsa.push_back(std::move(sct));
  }
  AddSctListExtension(cert.get(), ValueOrDie(SerializeSctList(serialized), "SerializeSctList"));
  SignCertificate(cert.get(), corpus.ca_key.get());
  corpus.certificates.push_back(CertificateDer(cert.get()));
}

// A v3 log list (ct/log_list.h) naming the three logs, each usable and under its own operator.
std::string MakeLogListJson(const std::vector<TestLog>& logs) {
  nlohmann::json operators = nlohmann::json::array();
  for (const TestLog& log : logs) {
    nlohmann::json entry = {
        {"description", log.description},
        {"log_id", Base64Encode(log.log_id)},
        {"key", Base64Encode(log.spki_der)},
        {"url", "https://" + log.description + ".example-logs.test/"},
        {"mmd", 86400},
        {"state", {{"usable", {{"timestamp", "2025-06-01T00:00:00Z"}}}}},
    };
    operators.push_back({{"name", log.operator_name},
                         {"email", nlohmann::json::array({"ct@example-logs.test"})},
                         {"logs", nlohmann::json::array({entry})},
                         {"tiled_logs", nlohmann::json::array()}});
  }
  nlohmann::json list = {
      {"version", "1.0"}, {"log_list_timestamp", "2026-02-20T00:00:00Z"}, {"operators", operators}};
  return list.dump();
}

// Verifies a sample with the code under test, policies on, and stops the program on any
// surprise: the benchmarks below only mean something if every SCT is valid.
void CheckCorpus(const Corpus& corpus) {
  const size_t step = std::max<size_t>(1, corpus.certificates.size() / 100);
  for (size_t i = 0; i < corpus.certificates.size(); i += step) {
    CertificateView leaf = ValueOrDie(CertificateView::Parse(ByteSpan(corpus.certificates[i])),
                                      "certificate " + std::to_string(i) + " does not parse");
    CertificateCheck check =
        corpus.verifier->Verify(leaf, corpus.issuers, {}, kNowMs, PolicyChoice{true, true});
    std::string problem;
    if (check.scts.size() != 2) problem = std::to_string(check.scts.size()) + " SCTs, not 2";
    for (const SctCheck& sct : check.scts) {
      if (sct.status != SctStatus::kValid) {
        problem = "an SCT is " + std::string(SctStatusName(sct.status));
      }
    }
    for (const auto* verdict : {&check.chrome, &check.apple}) {
      if (problem.empty() && (!*verdict || !(*verdict)->compliant)) {
        problem = (*verdict ? (*verdict)->policy : "a policy") + " policy not met: " +
                  (*verdict && !(*verdict)->reasons.empty() ? (*verdict)->reasons[0] : "");
      }
    }
    for (const std::string& note : check.notes) problem += " (note: " + note + ")";
    if (!check.AllSctsValid() || !check.Passed() || !problem.empty()) {
      Die("CertificateVerifier rejects certificate " + std::to_string(i) + ": " + problem);
    }
  }
  for (size_t i = 0; i < corpus.rsa.size(); i += step) {
    const SignatureCase& c = corpus.rsa[i];
    SctStatus status = VerifySct(c.sct, corpus.entries[c.certificate], corpus.verifier->keyring(),
                                 static_cast<uint64_t>(kNowMs));
    if (status != SctStatus::kValid) {
      Die("VerifySct rejects RSA SCT " + std::to_string(i) + ": " +
          std::string(SctStatusName(status)));
    }
  }
}

size_t CorpusSize() {
  const char* text = std::getenv("CTKIT_SCT_BENCH_CERTS");
  if (text == nullptr || *text == '\0') return kDefaultCertificates;
  char* end = nullptr;
  unsigned long value = std::strtoul(text, &end, 10);
  if (*end != '\0' || value < 1 || value > 1000000) Die("CTKIT_SCT_BENCH_CERTS: 1..1000000");
  return value;
}

std::unique_ptr<Corpus> BuildCorpus(size_t count) {
  auto corpus = std::make_unique<Corpus>();
  std::mt19937_64 rng(20260301);
  corpus->ca_key = NewP256Key();
  corpus->ca_cert = MakeCaCertificate(corpus->ca_key.get(), rng);
  corpus->issuers.push_back(
      ValueOrDie(CertificateView::Parse(CertificateDer(corpus->ca_cert.get())), "CA certificate"));
  // RFC 6962 §3.2: issuer_key_hash is SHA-256 of the issuer's DER SubjectPublicKeyInfo.
  const Sha256Digest ca_key_hash = Sha256Of(SpkiDer(corpus->ca_key.get()));
  const Bytes issuer_key_hash(ca_key_hash.begin(), ca_key_hash.end());

  struct LogSpec {
    const char* description;
    const char* operator_name;
    bool rsa;
  };
  for (const LogSpec& spec : {LogSpec{"bench-argon2026", "Bench Operator A", false},
                              LogSpec{"bench-xenon2026", "Bench Operator B", false},
                              LogSpec{"bench-rsa2026", "Bench Operator C", true}}) {
    TestLog log;
    log.description = spec.description;
    log.operator_name = spec.operator_name;
    log.key = spec.rsa ? NewRsa2048Key() : NewP256Key();
    log.spki_der = SpkiDer(log.key.get());
    log.log_id = Sha256Of(log.spki_der);  // RFC 6962 §3.2: LogID = SHA-256(SPKI)
    log.algorithm = spec.rsa ? SignatureAlgorithm::kRsa : SignatureAlgorithm::kEcdsa;
    corpus->logs.push_back(std::move(log));
  }

  // Subject keys: a fresh P-256 key for three certificates in four, RSA-2048 for the rest,
  // drawn from a small pool (RSA key generation would dominate start-up; key reuse across
  // certificates changes nothing that is measured).
  std::vector<EvpPkeyPtr> rsa_subject_keys;
  for (int i = 0; i < 4; ++i) rsa_subject_keys.push_back(NewRsa2048Key());
  corpus->certificates.reserve(count);
  corpus->entries.reserve(count);
  corpus->ecdsa.reserve(2 * count);
  for (size_t i = 0; i < count; ++i) {
    EvpPkeyPtr fresh;
    EVP_PKEY* subject_key;
    if (i % 4 == 3) {
      subject_key = rsa_subject_keys[(i / 4) % rsa_subject_keys.size()].get();
    } else {
      fresh = NewP256Key();
      subject_key = fresh.get();
    }
    IssueCertificate(*corpus, i, subject_key, issuer_key_hash, rng);
  }
  for (size_t i = 0; i < std::min(count, kRsaCertificates); ++i) {
    const SignatureCase& ecdsa = corpus->ecdsa[2 * i];
    corpus->rsa.push_back(SignSct(*corpus, i, 2, ecdsa.sct.timestamp_ms + 1500));
  }

  corpus->log_list = ValueOrDie(LogList::Parse(MakeLogListJson(corpus->logs)), "log list");
  corpus->verifier.emplace(*corpus->log_list);
  if (corpus->verifier->keyring().size() != corpus->logs.size()) Die("log keys not loaded");
  CheckCorpus(*corpus);
  return corpus;
}

const Corpus* g_corpus = nullptr;

// ---- Raw OpenSSL floors ----

// The two ways OpenSSL alone verifies one log's signatures (see the file comment).
class RawVerifier {
 public:
  explicit RawVerifier(const TestLog& log) : key_(log.key.get()) {
    const bool rsa = log.algorithm == SignatureAlgorithm::kRsa;
    verify_context_.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, key_, nullptr));
    if (!verify_context_ || EVP_PKEY_verify_init(verify_context_.get()) != 1 ||
        EVP_PKEY_CTX_set_signature_md(verify_context_.get(), EVP_sha256()) != 1 ||
        (rsa && EVP_PKEY_CTX_set_rsa_padding(verify_context_.get(), RSA_PKCS1_PADDING) != 1)) {
      Die("raw verify context");
    }
    // Fetched once: EVP_sha256() would make every EVP_DigestVerifyInit fetch it again.
    sha256_.reset(EVP_MD_fetch(nullptr, "SHA256", nullptr));
    digest_context_.reset(EVP_MD_CTX_new());
    if (!sha256_ || !digest_context_) Die("raw digest context");
  }

  // Same context for every call: OpenSSL allows repeated EVP_PKEY_verify after one init.
  bool VerifyDigest(const SignatureCase& c) {
    const Bytes& signature = c.sct.signature.signature;
    return EVP_PKEY_verify(verify_context_.get(), signature.data(), signature.size(),
                           c.digest.data(), c.digest.size()) == 1;
  }

  bool DigestVerify(const SignatureCase& c) {
    const Bytes& signature = c.sct.signature.signature;
    EVP_MD_CTX_reset(digest_context_.get());
    return EVP_DigestVerifyInit(digest_context_.get(), nullptr, sha256_.get(), nullptr, key_) ==
               1 &&
           EVP_DigestVerify(digest_context_.get(), signature.data(), signature.size(),
                            c.signed_input.data(), c.signed_input.size()) == 1;
  }

 private:
  EVP_PKEY* key_;
  EvpPkeyCtxPtr verify_context_;
  EvpMdPtr sha256_;
  EvpMdCtxPtr digest_context_;
};

std::vector<RawVerifier>& RawVerifiers() {
  static auto* verifiers = [] {
    auto* out = new std::vector<RawVerifier>();
    for (const TestLog& log : g_corpus->logs) out->emplace_back(log);
    return out;
  }();
  return *verifiers;
}

enum class RawVariant { kPkeyVerify, kDigestVerify };

// Verifies cases [first, first + count) (wrapping around) the raw way. A raw failure means the
// corpus is wrong, and no ratio against it would mean anything.
void RawVerify(std::span<const SignatureCase> cases, size_t first, size_t count,
               RawVariant variant) {
  std::vector<RawVerifier>& verifiers = RawVerifiers();
  size_t index = first % cases.size();
  for (size_t i = 0; i < count; ++i) {
    const SignatureCase& c = cases[index];
    bool ok = variant == RawVariant::kPkeyVerify ? verifiers[c.log].VerifyDigest(c)
                                                 : verifiers[c.log].DigestVerify(c);
    if (!ok) Die("raw OpenSSL verify failed on signature " + std::to_string(index));
    if (++index == cases.size()) index = 0;
  }
}

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Runs `op(i)` for consecutive operation indices i (rotating over the corpus), in batches; after
// every batch OpenSSL verifies the batch's own signatures, cases [i * sigs_per_op, ...), with
// both raw variants. `op` returns whether everything it verified was valid.
template <typename Op>
void RunAgainstFloor(benchmark::State& state, std::span<const SignatureCase> cases,
                     size_t sigs_per_op, size_t ops_per_batch, bool per_certificate, Op op) {
  const size_t op_count = cases.size() / sigs_per_op;
  size_t next = 0;
  bool all_valid = true;
  double op_seconds = 0, pkey_seconds = 0, digest_seconds = 0;
  for (auto _ : state) {
    const size_t first = next;
    double t0 = ThreadCpuSeconds();
    for (size_t i = 0; i < ops_per_batch; ++i) {
      all_valid &= op(next);
      if (++next == op_count) next = 0;
    }
    double t1 = ThreadCpuSeconds();
    state.PauseTiming();
    double t2 = ThreadCpuSeconds();
    RawVerify(cases, first * sigs_per_op, ops_per_batch * sigs_per_op, RawVariant::kPkeyVerify);
    double t3 = ThreadCpuSeconds();
    RawVerify(cases, first * sigs_per_op, ops_per_batch * sigs_per_op, RawVariant::kDigestVerify);
    double t4 = ThreadCpuSeconds();
    state.ResumeTiming();
    op_seconds += t1 - t0;
    pkey_seconds += t3 - t2;
    digest_seconds += t4 - t3;
  }
  if (!all_valid) {
    state.SkipWithError("an SCT did not verify as valid");
    return;
  }
  const double ops = static_cast<double>(state.iterations() * ops_per_batch);
  const double sigs = ops * static_cast<double>(sigs_per_op);
  state.counters["sigs"] = static_cast<double>(sigs_per_op);
  state.counters["ns_per_op"] = op_seconds * 1e9 / ops;
  state.counters["pkey_verify_ns"] = pkey_seconds * 1e9 / sigs;
  state.counters["digest_verify_ns"] = digest_seconds * 1e9 / sigs;
  state.counters["sigs_per_s"] = sigs / op_seconds;
  if (per_certificate) state.counters["certs_per_s"] = ops / op_seconds;
  state.counters["floor_ratio"] = std::min(pkey_seconds, digest_seconds) / op_seconds;
  state.counters["floor_is_digest_verify"] = digest_seconds < pkey_seconds ? 1 : 0;
}

// ---- Benchmarks ----

// The floor against itself: the ratio's noise level on this machine (ideally 1.0), and the two
// raw variants side by side.
void BM_RawEcdsaP256Verify(benchmark::State& state) {
  std::span<const SignatureCase> cases = g_corpus->ecdsa;
  RunAgainstFloor(state, cases, 1, 32, false,
                  [&](size_t i) { return RawVerifiers()[cases[i].log].VerifyDigest(cases[i]); });
}
BENCHMARK(BM_RawEcdsaP256Verify);

// VerifySct over prebuilt (SCT, precert_entry) pairs, all 20,000 SCTs in turn: key look-up,
// hashing the ~1.2 KB signed input, strict-DER check and the verify.
void BM_VerifySct(benchmark::State& state) {
  const Corpus& corpus = *g_corpus;
  const LogKeyring& keyring = corpus.verifier->keyring();
  std::span<const SignatureCase> cases = corpus.ecdsa;
  RunAgainstFloor(state, cases, 1, 32, false, [&](size_t i) {
    const SignatureCase& c = cases[i];
    return VerifySct(c.sct, corpus.entries[c.certificate], keyring,
                     static_cast<uint64_t>(kNowMs)) == SctStatus::kValid;
  });
}
BENCHMARK(BM_VerifySct);

// "SCT verification rate on 10,000 certificates": what `ctkit verify` does per certificate —
// parse the DER, find the issuer, rebuild the precert TBS, parse and verify both embedded SCTs,
// check the logs' states — with or without the Chrome and Apple policy evaluations.
void VerifyCertificates(benchmark::State& state, PolicyChoice policies) {
  const Corpus& corpus = *g_corpus;
  RunAgainstFloor(state, corpus.ecdsa, 2, 16, true, [&](size_t i) {
    Result<CertificateView> leaf = CertificateView::Parse(ByteSpan(corpus.certificates[i]));
    if (!leaf) return false;
    CertificateCheck check = corpus.verifier->Verify(*leaf, corpus.issuers, {}, kNowMs, policies);
    benchmark::DoNotOptimize(check);
    return check.scts.size() == 2 && check.Passed();
  });
}

void BM_VerifyCertificateEmbeddedScts(benchmark::State& state) {
  VerifyCertificates(state, PolicyChoice{false, false});
}
BENCHMARK(BM_VerifyCertificateEmbeddedScts);

void BM_VerifyCertificateEmbeddedSctsWithPolicies(benchmark::State& state) {
  VerifyCertificates(state, PolicyChoice{true, true});
}
BENCHMARK(BM_VerifyCertificateEmbeddedSctsWithPolicies);

// RSA-2048 logs (RFC 6962 §2.1.4 allows them): the floor here is raw RSA-2048 verification.
void BM_RawRsa2048Verify(benchmark::State& state) {
  std::span<const SignatureCase> cases = g_corpus->rsa;
  RunAgainstFloor(state, cases, 1, 32, false,
                  [&](size_t i) { return RawVerifiers()[cases[i].log].VerifyDigest(cases[i]); });
}
BENCHMARK(BM_RawRsa2048Verify);

void BM_VerifySctRsa2048(benchmark::State& state) {
  const Corpus& corpus = *g_corpus;
  const LogKeyring& keyring = corpus.verifier->keyring();
  std::span<const SignatureCase> cases = corpus.rsa;
  RunAgainstFloor(state, cases, 1, 32, false, [&](size_t i) {
    const SignatureCase& c = cases[i];
    return VerifySct(c.sct, corpus.entries[c.certificate], keyring,
                     static_cast<uint64_t>(kNowMs)) == SctStatus::kValid;
  });
}
BENCHMARK(BM_VerifySctRsa2048);

}  // namespace

// Builds and checks the corpus before any benchmark, and records what it is in the report.
void SetUpCorpus() {
  const auto start = std::chrono::steady_clock::now();
  static std::unique_ptr<Corpus> corpus = BuildCorpus(CorpusSize());
  g_corpus = corpus.get();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  size_t total = 0, smallest = SIZE_MAX, largest = 0;
  for (const Bytes& der : corpus->certificates) {
    total += der.size();
    smallest = std::min(smallest, der.size());
    largest = std::max(largest, der.size());
  }
  const std::string description =
      std::to_string(corpus->certificates.size()) + " certificates, DER " +
      std::to_string(smallest) + ".." + std::to_string(largest) + " bytes (mean " +
      std::to_string(total / corpus->certificates.size()) + "), 2 embedded P-256 SCTs each; " +
      std::to_string(corpus->rsa.size()) + " RSA-2048 SCTs";
  benchmark::AddCustomContext("corpus", description);
  benchmark::AddCustomContext("openssl", OpenSSL_version(OPENSSL_VERSION));
  // The floor and the code under test share this process and so this malloc (base/malloc_info.h).
  const MallocInfo malloc = CurrentMalloc();
  benchmark::AddCustomContext("malloc", malloc.name + " " + malloc.version);
  std::fprintf(stderr, "sct_bench: corpus of %s built and checked in %.1f s\n", description.c_str(),
               seconds);
}

}  // namespace ctkit

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  ctkit::SetUpCorpus();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
