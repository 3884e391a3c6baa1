// `ctkit audit` over 10,000 certificate files, against the floor measured in the same run.
//
// Issue requirement: "Auditing 10,000 certificates from files: certificates/s, and the ratio to
// the ECDSA verify floor (SCT count x raw verify cost) measured in the same run. Goal: within
// 20% of the floor using both cores."
//
// Corpus, built at start-up with OpenSSL: a P-256 CA, two P-256 logs (LogSigner) of two
// operators in a log list (MakeLogListJson), and N final certificates (default 10,000;
// CTKIT_AUDIT_BENCH_CERTS overrides) each carrying two embedded SCTs, one per log, over the
// RFC 6962 §3.2 precert_entry. Each is written as a PEM file (leaf, then the CA) to a temporary
// directory, as a CA pipeline would leave them. Before measuring, a sample must audit as "pass".
//
// Method: one operation is a whole audit (RunAudit: read, parse, verify both SCTs, both
// policies, validity) of the directory with `jobs` workers, timed on the wall clock. Right after
// each audit, the floor: OpenSSL EVP_DigestVerify over every SCT's signed input, one thread,
// timed with the CPU clock. Counters:
//   certs_per_s    certificates audited per wall-clock second
//   floor_ms       single-core raw verify time for all SCTs of the corpus (the floor)
//   floor_ratio    the floor on the cores the audit uses (floor time / jobs: the raw verifies
//                  spread perfectly over `jobs` cores) / audit wall time. 1.0 means the audit
//                  runs at the floor's speed on those cores; the goal (within 20% of the floor
//                  using both cores) is floor_ratio >= 0.83 with 2 jobs
//   cpu_ms         CPU time of the whole process during the audit (all its threads)
// The machine's cores may be shared with other work: compare ratios from the same run only.

#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_runner.h"
#include "base/clock.h"
#include "base/sha256.h"
#include "ct/log_list.h"
#include "ct/log_list_writer.h"
#include "ct/log_signer.h"
#include "ct/sct.h"
#include "ct/sct_verify.h"

namespace ctkit {
namespace {

struct Signature {
  Bytes input;
  Bytes der;
  EVP_PKEY* key;
};

struct Corpus {
  std::string dir;
  size_t certs = 0;
  std::string list_json;
  std::vector<Signature> signatures;
  std::vector<EVP_PKEY*> log_keys;
};

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double ProcessCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void SetName(X509_NAME* name, const std::string& cn) {
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
}

std::string Pem(X509* cert) {
  std::unique_ptr<BIO, int (*)(BIO*)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

Corpus* BuildCorpus() {
  auto* corpus = new Corpus;
  const char* env = std::getenv("CTKIT_AUDIT_BENCH_CERTS");
  corpus->certs = env ? std::strtoul(env, nullptr, 10) : 10000;
  char dir[] = "/tmp/ctkit-audit-bench-XXXXXX";
  corpus->dir = mkdtemp(dir);
  int64_t now_ms = UnixNowMs();

  std::vector<std::shared_ptr<const LogSigner>> logs = {*LogSigner::Generate(),
                                                        *LogSigner::Generate()};
  std::vector<LogListEntry> entries;
  for (size_t i = 0; i < logs.size(); ++i) {
    entries.push_back({.operator_name = "Operator " + std::to_string(i),
                       .description = "Log " + std::to_string(i),
                       .url = "http://127.0.0.1:" + std::to_string(1000 + i) + "/",
                       .key_der = logs[i]->public_key_der()});
    const unsigned char* p = logs[i]->public_key_der().data();
    corpus->log_keys.push_back(
        d2i_PUBKEY(nullptr, &p, static_cast<long>(logs[i]->public_key_der().size())));
  }
  corpus->list_json = MakeLogListJson(entries, now_ms);

  EVP_PKEY* ca_key = EVP_EC_gen("P-256");
  X509* ca = X509_new();
  X509_set_version(ca, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(ca), 1);
  SetName(X509_get_subject_name(ca), "Bench CA");
  SetName(X509_get_issuer_name(ca), "Bench CA");
  X509_gmtime_adj(X509_getm_notBefore(ca), -86400);
  X509_gmtime_adj(X509_getm_notAfter(ca), 86400L * 3650);
  X509_set_pubkey(ca, ca_key);
  X509_sign(ca, ca_key, EVP_sha256());
  std::string ca_pem = Pem(ca);
  unsigned char* spki = nullptr;
  int spki_length = i2d_PUBKEY(ca_key, &spki);
  Sha256Digest issuer_key_hash = Sha256(ByteSpan(spki, static_cast<size_t>(spki_length)));
  OPENSSL_free(spki);

  EVP_PKEY* leaf_key = EVP_EC_gen("P-256");  // one key for all leaves: not what is measured
  ASN1_OBJECT* sct_oid = OBJ_txt2obj("1.3.6.1.4.1.11129.2.4.2", 1);
  for (size_t n = 0; n < corpus->certs; ++n) {
    X509* leaf = X509_new();
    X509_set_version(leaf, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(leaf), static_cast<long>(n + 2));
    std::string name = "host" + std::to_string(n) + ".example.com";
    SetName(X509_get_subject_name(leaf), name);
    X509_set_issuer_name(leaf, X509_get_subject_name(ca));
    X509_gmtime_adj(X509_getm_notBefore(leaf), -3600);
    X509_gmtime_adj(X509_getm_notAfter(leaf), 86400L * 90);
    X509_set_pubkey(leaf, leaf_key);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, ca, leaf, nullptr, nullptr, 0);
    std::string san = "DNS:" + name;
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san.c_str());
    X509_add_ext(leaf, ext, -1);
    X509_EXTENSION_free(ext);
    X509_sign(leaf, ca_key, EVP_sha256());  // fixes the signature algorithm inside the TBS
    unsigned char* tbs = nullptr;
    int tbs_length = i2d_re_X509_tbs(leaf, &tbs);
    Result<SignedEntry> entry =
        PrecertSignedEntry(issuer_key_hash, ByteSpan(tbs, static_cast<size_t>(tbs_length)));
    OPENSSL_free(tbs);
    std::vector<Bytes> scts;
    for (size_t i = 0; i < logs.size(); ++i) {
      SignedCertificateTimestamp sct;
      sct.log_id = logs[i]->log_id();
      sct.timestamp_ms = static_cast<uint64_t>(now_ms - 60'000);
      Bytes input = *BuildSctSignatureInput(sct, *entry);
      sct.signature = *logs[i]->Sign(input);
      corpus->signatures.push_back({input, sct.signature.signature, corpus->log_keys[i]});
      scts.push_back(*SerializeSct(sct));
    }
    // RFC 6962 §3.3: extnValue = OCTET STRING(SignedCertificateTimestampList), added last.
    Bytes list = *SerializeSctList(scts);
    ASN1_OCTET_STRING* inner = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(inner, list.data(), static_cast<int>(list.size()));
    unsigned char* inner_der = nullptr;
    int inner_length = i2d_ASN1_OCTET_STRING(inner, &inner_der);
    ASN1_OCTET_STRING* value = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(value, inner_der, inner_length);
    X509_EXTENSION* sct_ext = X509_EXTENSION_create_by_OBJ(nullptr, sct_oid, 0, value);
    X509_add_ext(leaf, sct_ext, -1);
    X509_sign(leaf, ca_key, EVP_sha256());
    char file[64];
    std::snprintf(file, sizeof(file), "/%05zu.pem", n);
    std::ofstream(corpus->dir + file) << Pem(leaf) << ca_pem;
    X509_EXTENSION_free(sct_ext);
    ASN1_OCTET_STRING_free(value);
    OPENSSL_free(inner_der);
    ASN1_OCTET_STRING_free(inner);
    X509_free(leaf);
  }
  ASN1_OBJECT_free(sct_oid);
  EVP_PKEY_free(leaf_key);
  X509_free(ca);
  EVP_PKEY_free(ca_key);
  return corpus;
}

}  // namespace
Corpus* built_corpus = nullptr;
namespace {

Corpus& TheCorpus() {
  if (built_corpus == nullptr) built_corpus = BuildCorpus();
  return *built_corpus;
}

double FloorSeconds(const Corpus& corpus) {
  double start = CpuSeconds();
  size_t ok = 0;
  for (const Signature& s : corpus.signatures) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, s.key);
    ok += EVP_DigestVerify(ctx, s.der.data(), s.der.size(), s.input.data(), s.input.size()) == 1;
    EVP_MD_CTX_free(ctx);
  }
  double elapsed = CpuSeconds() - start;
  if (ok != corpus.signatures.size()) std::fprintf(stderr, "floor: a signature did not verify\n");
  return elapsed;
}

void BM_AuditFiles(benchmark::State& state) {
  Corpus& corpus = TheCorpus();
  Result<LogList> list = LogList::Parse(corpus.list_json);
  if (!list) {
    state.SkipWithError(list.error().message.c_str());
    return;
  }
  CertificateVerifier verifier(*list);
  audit::AuditOptions options;
  options.now_ms = UnixNowMs();
  std::vector<std::string> args = {corpus.dir};
  std::vector<audit::AuditTarget> targets = *audit::ExpandTargets(args);
  audit::AuditRunOptions run_options;
  run_options.jobs = static_cast<size_t>(state.range(0));

  // Sanity: a fast audit that fails everything measures nothing.
  std::vector<audit::AuditTarget> sample(targets.begin(), targets.begin() + 10);
  audit::AuditRun check = audit::RunAudit(sample, verifier, options, nullptr, nullptr, run_options);
  for (const audit::AuditResult& result : check.results) {
    if (result.verdict != audit::Verdict::kPass) {
      state.SkipWithError(("sample did not pass: " + result.problems.front()).c_str());
      return;
    }
  }

  double audit_seconds = 0, floor_seconds = 0, cpu_seconds = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    double cpu_start = ProcessCpuSeconds();
    audit::AuditRun run =
        audit::RunAudit(targets, verifier, options, nullptr, nullptr, run_options);
    cpu_seconds += ProcessCpuSeconds() - cpu_start;
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.SetIterationTime(elapsed);
    benchmark::DoNotOptimize(run.results.data());
    audit_seconds += elapsed;
    state.PauseTiming();
    floor_seconds += FloorSeconds(corpus);
    state.ResumeTiming();
  }
  double iterations = static_cast<double>(state.iterations());
  state.counters["certs"] = static_cast<double>(targets.size());
  state.counters["certs_per_s"] = static_cast<double>(targets.size()) * iterations / audit_seconds;
  state.counters["floor_ms"] = floor_seconds / iterations * 1000;
  state.counters["cpu_ms"] = cpu_seconds / iterations * 1000;
  state.counters["floor_ratio"] =
      floor_seconds / static_cast<double>(run_options.jobs) / audit_seconds;
}
BENCHMARK(BM_AuditFiles)
    ->Arg(1)
    ->Arg(2)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->MinTime(3);

}  // namespace
}  // namespace ctkit

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  // The corpus is 10,000 files in a temporary directory: do not leave it behind.
  if (ctkit::built_corpus != nullptr) std::filesystem::remove_all(ctkit::built_corpus->dir);
  return 0;
}
