// Certificate parsing: CertificateView::Parse, and the two name groups the monitor reads for
// every log entry (monitor/watchlist.cc CertificateNames: dns_names() and
// subject_common_names()).
//
// Corpus. Built at start-up: the real certificates of testdata/ (github.com and cryptography.io
// leaves with embedded SCTs and their RSA issuers, the certificate-transparency test chain) and
// N leaves issued by tests/cert_factory.h's TestCa as bench/make_log_fixture.cc issues them for
// the monitor benchmark (P-256 keys, 1-10 SAN dNSNames, every other one a precertificate). Every
// certificate must parse before anything is timed, or the program stops: a parser that rejects
// everything would be fast.
//
// Benchmarks (per certificate, averaged over the corpus):
//   BM_Parse          CertificateView::Parse(ByteSpan) alone (copies the DER, as the monitor does)
//   BM_ParseAndNames  Parse, then dns_names() and subject_common_names()
//
// Counters: time_per_cert (CPU seconds per certificate), certs_per_s.
//
// Environment:
//   CTKIT_X509_BENCH_CERTS=N       generated leaves (default 2000)
//   CTKIT_X509_BENCH_ITERATIONS=K  run each benchmark exactly K passes over the corpus, for
//                                  instruction counts under callgrind (docs/PERFORMANCE.md):
//     CTKIT_X509_BENCH_CERTS=200 CTKIT_X509_BENCH_ITERATIONS=5 valgrind --tool=callgrind \
//       --toggle-collect='*ParseAndReadNames*' build/bench/x509_parse_bench \
//       --benchmark_filter=BM_ParseAndNames
//   then instructions per certificate = total Ir / (K * corpus size); the program prints the
//   corpus size.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "tests/cert_factory.h"
#include "x509/certificate.h"
#include "x509/pem.h"

namespace ctkit {
namespace {

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "x509_parse_bench: cannot read %s\n", path.c_str());
    std::exit(1);
  }
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

size_t EnvSize(const char* name, size_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::strtoull(value, nullptr, 10) : fallback;
}

// The real certificates of testdata/: a PEM file may hold several, or an openssl text dump
// before its PEM block (testdata/README.md).
void AddTestdataCertificates(std::vector<Bytes>& corpus) {
  const std::string dir = CTKIT_TESTDATA_DIR;
  corpus.push_back([&] {
    auto der = ReadFileOrDie(dir + "/sct/realworld/github.com-2016/leaf.der");
    return Bytes(der.begin(), der.end());
  }());
  for (const char* pem :
       {"/sct/realworld/github.com-2016/issuer.pem", "/sct/realworld/cryptography.io-2018/leaf.pem",
        "/sct/realworld/cryptography.io-2018/issuer.pem", "/sct/ctlog/test-cert.pem",
        "/sct/ctlog/test-embedded-cert.pem", "/sct/ctlog/ca-cert.pem",
        "/sct/ctlog/intermediate-cert.pem",
        "/sct/ctlog/test-embedded-with-intermediate-cert.pem"}) {
    auto certificates = PemDecodeCertificates(ReadFileOrDie(dir + pem));
    if (!certificates || certificates->empty()) {
      std::fprintf(stderr, "x509_parse_bench: no certificate in %s\n", pem);
      std::exit(1);
    }
    for (Bytes& der : *certificates) corpus.push_back(std::move(der));
  }
}

// Leaves like the monitor benchmark's log entries (bench/make_log_fixture.cc NamesFor).
void AddGeneratedLeaves(std::vector<Bytes>& corpus, size_t count) {
  testing::TestCa ca("Bench CA");
  std::mt19937_64 random(1);
  for (size_t i = 0; i < count; ++i) {
    const size_t names = 1 + random() % 10;
    const uint64_t domain = random() % 400;
    std::vector<std::string> dns_names;
    for (size_t k = 0; k < names; ++k) {
      dns_names.push_back("h" + std::to_string(i) + "-" + std::to_string(k) + ".d" +
                          std::to_string(domain) + ".example.net");
    }
    corpus.push_back(ca.IssueLeafForNames(dns_names, static_cast<long>(i + 1), i % 2 == 1));
  }
}

const std::vector<Bytes>& Corpus() {
  static const std::vector<Bytes> corpus = [] {
    std::vector<Bytes> certificates;
    AddTestdataCertificates(certificates);
    AddGeneratedLeaves(certificates, EnvSize("CTKIT_X509_BENCH_CERTS", 2000));
    size_t names = 0, bytes = 0;
    for (const Bytes& der : certificates) {
      auto view = CertificateView::Parse(der);
      if (!view) {
        std::fprintf(stderr, "x509_parse_bench: corpus certificate rejected: %s\n",
                     view.error().message.c_str());
        std::exit(1);
      }
      names += view->dns_names().size() + view->subject_common_names().size();
      bytes += der.size();
    }
    std::printf("corpus: %zu certificates, %zu bytes, %zu names\n", certificates.size(), bytes,
                names);
    return certificates;
  }();
  return corpus;
}

// Out of line so callgrind can count exactly these instructions (--toggle-collect).
[[gnu::noinline]] size_t ParseAndReadNames(const Bytes& der) {
  auto view = CertificateView::Parse(der);
  if (!view) return 0;
  return view->dns_names().size() + view->subject_common_names().size();
}

[[gnu::noinline]] size_t ParseOnly(const Bytes& der) {
  auto view = CertificateView::Parse(der);
  return view ? view->serial().size() : 0;
}

template <size_t (*kOp)(const Bytes&)>
void RunOverCorpus(benchmark::State& state) {
  const std::vector<Bytes>& corpus = Corpus();
  size_t sink = 0;
  for (auto _ : state) {
    for (const Bytes& der : corpus) sink += kOp(der);
  }
  benchmark::DoNotOptimize(sink);
  const double certs = static_cast<double>(state.iterations()) * corpus.size();
  // CPU seconds per certificate (printed with an SI prefix: "850n" is 850 ns).
  state.counters["time_per_cert"] =
      benchmark::Counter(certs, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["certs_per_s"] = benchmark::Counter(certs, benchmark::Counter::kIsRate);
}

void Register() {
  const size_t iterations = EnvSize("CTKIT_X509_BENCH_ITERATIONS", 0);
  auto* parse = benchmark::RegisterBenchmark("BM_Parse", RunOverCorpus<ParseOnly>);
  auto* names = benchmark::RegisterBenchmark("BM_ParseAndNames", RunOverCorpus<ParseAndReadNames>);
  for (auto* bench : {parse, names}) {
    if (iterations > 0) bench->Iterations(static_cast<benchmark::IterationCount>(iterations));
  }
}

}  // namespace
}  // namespace ctkit

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  ctkit::Register();
  (void)ctkit::Corpus();  // built and checked before any timing
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
