// Log server throughput, end to end: a load generator for a running `ctkit log serve`, and the
// machine limits it is judged against, measured in the same run. Driven by
// bench/run-logserver-bench.sh, which starts a fresh log for every repetition and prints the
// medians; see docs/PERFORMANCE.md "Log server throughput".
//
// Issue 5: under concurrent local load, get-entries must serve at least 50,000 entries/s and
// add-chain accept at least 2,000 submissions/s, each reported against raw machine limits.
//
// Phases, in order, each printed as fields of one JSON object on stdout:
//
//   floors       raw OpenSSL ECDSA P-256 sign rate over a message the size of an SCT's signed
//                input, on one thread and on every CPU at once (every submission needs one SCT
//                signature, so the all-CPU rate bounds submissions/s); raw P-256 verify rate
//                (the chain check verifies the leaf's signature: one per submission); write +
//                fdatasync rate of a 4 KiB file next to the log's database (one per commit:
//                the cost group commit shares); raw SHA-256 and memcpy bandwidth (context).
//   add-chain    `--submissions` distinct certificates posted by `--clients` threads, each with
//                one kept-alive connection (ctkit's HTTP client, logclient/http_fetcher.h); the
//                wall time from the first request to the last answer. Every answer must be 200 with
//                an SCT.
//   get-entries  after the log has integrated them, `--clients` threads fetch full pages
//                (`--page` entries, the server's --max-batch) round robin for `--seconds`.
//                Entries are counted in each body (the "leaf_input" keys); the first page is
//                also parsed as JSON and must match.
//   static page  the get-entries floor: this program serves the very bytes of one page from an
//                in-process cpp-httplib server configured as the log's (threads, keep-alive,
//                TCP_NODELAY), and the same clients fetch it for `--seconds`. That is what
//                serving those bytes over loopback HTTP costs on this machine with nothing
//                computed: the log cannot do better. Pages/s times entries per page is the
//                floor in entries/s.
//
// With `--server-pid`, the server's CPU time (utime + stime) over each phase is reported, so
// the cost per submission and per entry can be read without a profiler.
//
// Certificates are made here with OpenSSL (a P-256 CA; leaves with `--names` SAN dNSNames, about
// 1.1 KB at the default 24, close to public WebPKI certificates), so the entries have realistic
// sizes; leaves share one key, which changes nothing the log does.

#include <benchmark/benchmark.h>  // linked by bench/CMakeLists.txt; this program has its own main
#include <fcntl.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "base/bytes.h"
#include "logclient/http_fetcher.h"

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "logserver_bench: %s\n", message.c_str());
  std::exit(1);
}

struct Options {
  std::string url;  // http://127.0.0.1:PORT
  std::string dir = ".";
  long server_pid = 0;
  int submissions = 12000;
  int submit_clients = 32;
  int read_clients = 8;
  double seconds = 3;
  int page = 256;
  int names = 24;
  int threads = 64;  // the server's --threads, for the static page server
  // For profiling the server: "add-chain" runs only that phase; "get-entries" only that one, on
  // a log that already holds --submissions entries. Empty: everything.
  std::string only;
};

// ---- OpenSSL pieces --------------------------------------------------------------------------

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

ctkit::Bytes Der(X509* cert) {
  int length = i2d_X509(cert, nullptr);
  ctkit::Bytes der(static_cast<size_t>(length));
  unsigned char* out = der.data();
  i2d_X509(cert, &out);
  return der;
}

void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  if (extension == nullptr) Fail("cannot build extension " + value);
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

void SetCn(X509_NAME* name, const std::string& cn) {
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
}

struct Corpus {
  ctkit::Bytes ca_der;
  std::vector<ctkit::Bytes> leaves;
};

// A P-256 CA and `count` distinct leaves it signs, made on every CPU.
Corpus MakeCorpus(int count, int names) {
  Pkey ca_key(EVP_EC_gen("P-256")), leaf_key(EVP_EC_gen("P-256"));
  std::unique_ptr<X509, X509Free> ca(X509_new());
  X509_set_version(ca.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(ca.get()), 1);
  SetCn(X509_get_subject_name(ca.get()), "Bench Root CA");
  SetCn(X509_get_issuer_name(ca.get()), "Bench Root CA");
  X509_gmtime_adj(X509_getm_notBefore(ca.get()), -86400);
  X509_gmtime_adj(X509_getm_notAfter(ca.get()), 86400L * 3650);
  X509_set_pubkey(ca.get(), ca_key.get());
  AddExtension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
  X509_sign(ca.get(), ca_key.get(), EVP_sha256());

  Corpus corpus{.ca_der = Der(ca.get()), .leaves = std::vector<ctkit::Bytes>(count)};
  unsigned workers = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = static_cast<int>(w); i < count; i += static_cast<int>(workers)) {
        std::unique_ptr<X509, X509Free> leaf(X509_new());
        X509_set_version(leaf.get(), 2);
        ASN1_INTEGER_set(X509_get_serialNumber(leaf.get()), 1000 + i);
        std::string domain = "site" + std::to_string(i) + ".bench.example";
        SetCn(X509_get_subject_name(leaf.get()), domain);
        X509_set_issuer_name(leaf.get(), X509_get_subject_name(ca.get()));
        X509_gmtime_adj(X509_getm_notBefore(leaf.get()), -3600);
        X509_gmtime_adj(X509_getm_notAfter(leaf.get()), 86400L * 90);
        X509_set_pubkey(leaf.get(), leaf_key.get());
        AddExtension(leaf.get(), ca.get(), NID_authority_key_identifier, "keyid:always");
        std::string san = "DNS:" + domain;
        for (int n = 1; n < names; ++n) san += ",DNS:host" + std::to_string(n) + "." + domain;
        AddExtension(leaf.get(), ca.get(), NID_subject_alt_name, san);
        X509_sign(leaf.get(), ca_key.get(), EVP_sha256());
        corpus.leaves[static_cast<size_t>(i)] = Der(leaf.get());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return corpus;
}

// Runs `op` on `threads` threads for about `seconds`; returns operations per second in total.
template <typename Op>
double RateOnThreads(int threads, double seconds, Op op) {
  std::atomic<bool> stop = false;
  std::vector<uint64_t> counts(static_cast<size_t>(threads));
  std::vector<std::thread> workers;
  Clock::time_point start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      uint64_t n = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        op();
        ++n;
      }
      counts[static_cast<size_t>(t)] = n;
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (std::thread& worker : workers) worker.join();
  double elapsed = Seconds(start);
  uint64_t total = 0;
  for (uint64_t n : counts) total += n;
  return static_cast<double>(total) / elapsed;
}

json MeasureFloors(const Options& options, size_t signed_input_size) {
  int cpus = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  Pkey key(EVP_EC_gen("P-256"));
  std::vector<uint8_t> message(signed_input_size, 0x5a);
  // As ctkit's LogSigner does it: one-shot EVP_DigestSign, a fresh context per signature.
  auto sign = [&] {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    uint8_t signature[80];
    size_t length = sizeof(signature);
    if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), signature, &length, message.data(), message.size()) != 1) {
      Fail("raw sign failed");
    }
  };
  uint8_t signature[80];
  size_t signature_length = sizeof(signature);
  {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get());
    EVP_DigestSign(ctx.get(), signature, &signature_length, message.data(), message.size());
  }
  auto verify = [&] {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
        EVP_DigestVerify(ctx.get(), signature, signature_length, message.data(), message.size()) !=
            1) {
      Fail("raw verify failed");
    }
  };
  json floors;
  floors["cpus"] = cpus;
  floors["sign_per_s_1cpu"] = RateOnThreads(1, 0.7, sign);
  floors["sign_per_s"] = RateOnThreads(cpus, 0.7, sign);
  floors["verify_per_s"] = RateOnThreads(cpus, 0.7, verify);

  // One commit's fsync, where the database lives (the cost group commit shares).
  std::string path = options.dir + "/fsync-probe";
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) Fail("cannot create " + path);
  std::vector<uint8_t> block(4096, 1);
  floors["fsync_per_s"] = RateOnThreads(1, 0.7, [&] {
    if (pwrite(fd, block.data(), block.size(), 0) != static_cast<ssize_t>(block.size()) ||
        fdatasync(fd) != 0) {
      Fail("fsync probe failed");
    }
  });
  close(fd);
  unlink(path.c_str());

  std::vector<uint8_t> source(1 << 20, 7), target(1 << 20);
  floors["memcpy_bytes_per_s"] =
      RateOnThreads(1, 0.3,
                    [&] {
                      std::memcpy(target.data(), source.data(), source.size());
                      benchmark::DoNotOptimize(target.data());
                    }) *
      static_cast<double>(source.size());
  floors["sha256_bytes_per_s"] = RateOnThreads(1, 0.3,
                                               [&] {
                                                 uint8_t digest[32];
                                                 SHA256(source.data(), 64 * 1024, digest);
                                                 benchmark::DoNotOptimize(digest);
                                               }) *
                                 64 * 1024;
  return floors;
}

// ---- HTTP clients ----------------------------------------------------------------------------

// One kept-alive connection, through ctkit's own HTTP client. No retries: every failure counts.
// Bodies as stored (no Accept-Encoding), so the static page floor serves the log's very bytes.
using HttpClient = std::unique_ptr<ctkit::HttpFetcher>;

HttpClient Connect() {
  ctkit::HttpOptions options;
  options.max_retries = 0;
  options.accept_compressed = false;
  ctkit::Result<HttpClient> client = ctkit::HttpFetcher::Create(options, {.what = "bench"});
  if (!client) Fail(client.error().message);
  return std::move(*client);
}

size_t CountEntries(const std::string& body) {
  static const std::string kKey = "\"leaf_input\"";
  size_t count = 0;
  for (size_t at = body.find(kKey); at != std::string::npos;
       at = body.find(kKey, at + kKey.size())) {
    ++count;
  }
  return count;
}

// Server CPU seconds so far (utime + stime of /proc/PID/stat), or -1.
double ServerCpuSeconds(long pid) {
  if (pid <= 0) return -1;
  FILE* file = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (file == nullptr) return -1;
  char buffer[2048];
  size_t n = std::fread(buffer, 1, sizeof(buffer) - 1, file);
  std::fclose(file);
  buffer[n] = 0;
  const char* after_name = std::strrchr(buffer, ')');  // the name may hold spaces
  if (after_name == nullptr) return -1;
  unsigned long utime = 0, stime = 0;
  // Fields after ")": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
  // utime stime (man 5 proc, fields 14 and 15).
  if (std::sscanf(after_name + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime,
                  &stime) != 2) {
    return -1;
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// `clients` threads fetch pages round robin for `seconds`; returns {entries/s, requests/s}.
std::pair<double, double> FetchPages(const std::string& base, int clients, double seconds, int page,
                                     uint64_t tree_size, std::atomic<int>& errors) {
  uint64_t pages = std::max<uint64_t>(1, tree_size / static_cast<uint64_t>(page));
  std::atomic<bool> stop = false;
  std::atomic<uint64_t> entries = 0, requests = 0;
  std::vector<std::thread> threads;
  Clock::time_point start = Clock::now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      HttpClient client = Connect();
      for (uint64_t k = static_cast<uint64_t>(c); !stop.load(std::memory_order_relaxed);
           k += static_cast<uint64_t>(clients)) {
        uint64_t first = (k % pages) * static_cast<uint64_t>(page);
        std::string url = base + "/ct/v1/get-entries?start=" + std::to_string(first) +
                          "&end=" + std::to_string(first + static_cast<uint64_t>(page) - 1);
        ctkit::Result<std::string> body = client->Get(url);
        if (!body) {
          ++errors;
          continue;
        }
        entries += CountEntries(*body);
        ++requests;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (std::thread& thread : threads) thread.join();
  double elapsed = Seconds(start);
  return {static_cast<double>(entries) / elapsed, static_cast<double>(requests) / elapsed};
}

uint64_t TreeSize(HttpClient& client, const std::string& base) {
  ctkit::Result<std::string> body = client->Get(base + "/ct/v1/get-sth");
  if (!body) return 0;
  json sth = json::parse(*body, nullptr, false);
  return sth.is_object() && sth.contains("tree_size") ? sth["tree_size"].get<uint64_t>() : 0;
}

// Makes the certificates, measures the floors (unless profiling) and runs add-chain.
void RunAddChain(const Options& options, json& out) {
  std::fprintf(stderr, "logserver_bench: making %d certificates\n", options.submissions);
  Corpus corpus = MakeCorpus(options.submissions, options.names);
  size_t leaf_bytes = 0;
  for (const ctkit::Bytes& leaf : corpus.leaves) leaf_bytes += leaf.size();
  out["leaf_bytes_avg"] =
      static_cast<double>(leaf_bytes) / static_cast<double>(corpus.leaves.size());
  out["ca_bytes"] = corpus.ca_der.size();

  if (options.only.empty()) {
    std::fprintf(stderr, "logserver_bench: raw floors\n");
    // An SCT's signed input for an x509 entry: 12 bytes of header, the certificate, 2 bytes of
    // (empty) extensions (RFC 6962 §3.2).
    out["floors"] = MeasureFloors(
        options, 12 + 3 + static_cast<size_t>(out["leaf_bytes_avg"].get<double>()) + 2);
  }

  // add-chain.
  std::vector<std::string> bodies;
  bodies.reserve(corpus.leaves.size());
  std::string ca_base64 = ctkit::Base64Encode(corpus.ca_der);
  for (const ctkit::Bytes& leaf : corpus.leaves) {
    bodies.push_back("{\"chain\":[\"" + ctkit::Base64Encode(leaf) + "\",\"" + ca_base64 + "\"]}");
  }
  std::fprintf(stderr, "logserver_bench: add-chain, %d clients\n", options.submit_clients);
  std::atomic<size_t> next = 0;
  std::atomic<int> errors = 0, accepted = 0;
  std::string add_url = options.url + "/ct/v1/add-chain";
  std::string sample_sct;
  double cpu_before = ServerCpuSeconds(options.server_pid);
  Clock::time_point start = Clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < options.submit_clients; ++c) {
    clients.emplace_back([&, c] {
      HttpClient client = Connect();
      for (size_t i = next++; i < bodies.size(); i = next++) {
        ctkit::Result<std::string> sct = client->Post(add_url, bodies[i]);
        if (!sct || sct->find("\"signature\"") == std::string::npos) {
          if (errors++ < 3) {
            std::fprintf(stderr, "add-chain: %s\n",
                         sct ? sct->substr(0, 200).c_str() : sct.error().message.c_str());
          }
          continue;
        }
        ++accepted;
        if (c == 0 && i < static_cast<size_t>(options.submit_clients)) sample_sct = *sct;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  double add_seconds = Seconds(start);
  double cpu_after = ServerCpuSeconds(options.server_pid);
  if (errors > 0) Fail(std::to_string(errors.load()) + " submissions failed");
  json sct = json::parse(sample_sct, nullptr, false);
  if (!sct.is_object() || !sct.contains("id") || !sct.contains("timestamp"))
    Fail("bad SCT response");
  out["add_chain"] = {{"submissions", accepted.load()},
                      {"clients", options.submit_clients},
                      {"seconds", add_seconds},
                      {"per_s", accepted.load() / add_seconds}};
  if (cpu_before >= 0 && cpu_after >= 0) {
    out["add_chain"]["server_cpu_us_per_submission"] =
        (cpu_after - cpu_before) * 1e6 / accepted.load();
  }
}

// get-entries once everything is integrated (the sequencer runs every MMD/4), then the
// static-page floor (unless profiling).
void RunGetEntries(const Options& options, json& out) {
  HttpClient control = Connect();
  uint64_t tree_size = 0;
  for (int attempt = 0; attempt < 600 && tree_size < static_cast<uint64_t>(options.submissions);
       ++attempt) {
    tree_size = TreeSize(control, options.url);
    if (tree_size < static_cast<uint64_t>(options.submissions)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  if (tree_size < static_cast<uint64_t>(options.submissions))
    Fail("the log never integrated the submissions");
  std::string first_page_url =
      options.url + "/ct/v1/get-entries?start=0&end=" + std::to_string(options.page - 1);
  ctkit::Result<std::string> first_page = control->Get(first_page_url);
  if (!first_page) Fail("get-entries failed: " + first_page.error().message);
  std::string page_body = std::move(*first_page);
  json page = json::parse(page_body, nullptr, false);
  if (!page.is_object() || !page["entries"].is_array() ||
      page["entries"].size() != static_cast<size_t>(options.page) ||
      CountEntries(page_body) != static_cast<size_t>(options.page)) {
    Fail("get-entries did not return a full page of " + std::to_string(options.page) +
         " (is the server's --max-batch smaller?)");
  }
  std::fprintf(stderr, "logserver_bench: get-entries, %d clients, %.0f s\n", options.read_clients,
               options.seconds);
  std::atomic<int> errors = 0;
  double cpu_before = ServerCpuSeconds(options.server_pid);
  auto [entries_per_s, pages_per_s] = FetchPages(options.url, options.read_clients, options.seconds,
                                                 options.page, tree_size, errors);
  double cpu_after = ServerCpuSeconds(options.server_pid);
  if (errors > 0) Fail(std::to_string(errors.load()) + " get-entries requests failed");
  out["get_entries"] = {{"clients", options.read_clients}, {"page", options.page},
                        {"page_bytes", page_body.size()},  {"tree_size", tree_size},
                        {"per_s", entries_per_s},          {"pages_per_s", pages_per_s}};
  if (cpu_before >= 0 && cpu_after >= 0 && entries_per_s > 0) {
    out["get_entries"]["server_cpu_us_per_entry"] =
        (cpu_after - cpu_before) * 1e6 / (entries_per_s * options.seconds);
  }

  if (!options.only.empty()) return;
  // The floor: the same bytes, served by cpp-httplib with nothing computed.
  std::fprintf(stderr, "logserver_bench: static page floor\n");
  httplib::Server server;
  server.new_task_queue = [threads = options.threads] { return new httplib::ThreadPool(threads); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1000);
  server.Get("/ct/v1/get-entries", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.body = page_body;  // a copy per request, as the log builds a new body per request
    res.set_header("Content-Type", "application/json");
  });
  int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) Fail("cannot bind the static page server");
  std::thread serving([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  errors = 0;
  auto [static_entries_per_s, static_pages_per_s] =
      FetchPages("http://127.0.0.1:" + std::to_string(port), options.read_clients, options.seconds,
                 options.page, tree_size, errors);
  server.stop();
  serving.join();
  if (errors > 0) Fail("static page server failed");
  out["static_page"] = {{"per_s", static_entries_per_s}, {"pages_per_s", static_pages_per_s}};
}

int Run(const Options& options) {
  json out;
  if (options.only != "get-entries") RunAddChain(options, out);
  if (options.only != "add-chain") RunGetEntries(options, out);
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Fail(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--url")
      options.url = value();
    else if (arg == "--dir")
      options.dir = value();
    else if (arg == "--server-pid")
      options.server_pid = std::stol(value());
    else if (arg == "--submissions")
      options.submissions = std::stoi(value());
    else if (arg == "--submit-clients")
      options.submit_clients = std::stoi(value());
    else if (arg == "--read-clients")
      options.read_clients = std::stoi(value());
    else if (arg == "--seconds")
      options.seconds = std::stod(value());
    else if (arg == "--page")
      options.page = std::stoi(value());
    else if (arg == "--names")
      options.names = std::stoi(value());
    else if (arg == "--only")
      options.only = value();
    else if (arg == "--threads")
      options.threads = std::stoi(value());
    else
      Fail("unknown argument " + arg);
  }
  if (options.url.empty()) {
    Fail(
        "usage: logserver_bench --url http://127.0.0.1:PORT [--dir DB_DIR] [--server-pid PID] "
        "[--submissions N] [--submit-clients N] [--read-clients N] [--seconds S] [--page N] "
        "[--names N] [--threads N] [--only add-chain|get-entries]");
  }
  return Run(options);
}
