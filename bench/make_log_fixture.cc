// make_log_fixture: fills a `ctkit log serve` database with realistic entries for the monitor
// benchmark (bench/run-monitor-bench.sh).
//
//   make_log_fixture --key log.key --db log.db --entries 1000000 --matches 500 [--seed 1]
//
// Entries alternate certificates and precertificates of real size (P-256 keys, 1-10 SAN names
// under a few hundred unrelated domains), issued by one CA and submitted through LogService's
// own add-chain path (chain checks, SCT signatures, durable storage), then integrated into one
// signed tree. `--matches` of them, spread evenly, carry one name under example.com: the planted
// findings a monitor watching ".example.com" must report, no more and no fewer. Prints the
// planted count on the last line as "planted N".

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "ct/log_signer.h"
#include "logserver/log_service.h"
#include "tests/cert_factory.h"

namespace {

struct Flags {
  std::string key;
  std::string db;
  uint64_t entries = 0;
  uint64_t matches = 0;
  uint64_t seed = 1;
};

bool ParseFlags(int argc, char** argv, Flags& flags) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string name = argv[i], value = argv[i + 1];
    if (name == "--key")
      flags.key = value;
    else if (name == "--db")
      flags.db = value;
    else if (name == "--entries")
      flags.entries = std::strtoull(value.c_str(), nullptr, 10);
    else if (name == "--matches")
      flags.matches = std::strtoull(value.c_str(), nullptr, 10);
    else if (name == "--seed")
      flags.seed = std::strtoull(value.c_str(), nullptr, 10);
    else
      return false;
  }
  return !flags.key.empty() && !flags.db.empty() && flags.entries > 0 &&
         flags.matches <= flags.entries;
}

// The names of entry `index`: 1-10 names under unrelated domains, plus one planted name under
// example.com for every (entries / matches)-th entry.
std::vector<std::string> NamesFor(uint64_t index, bool planted, std::mt19937_64& random) {
  int count = 1 + static_cast<int>(random() % 10);
  std::vector<std::string> names;
  uint64_t domain = random() % 400;
  for (int k = 0; k < count; ++k) {
    std::string name = "h";
    name.append(std::to_string(index)).append("-").append(std::to_string(k));
    name.append(".d").append(std::to_string(domain)).append(".example.net");
    names.push_back(std::move(name));
  }
  if (planted) {
    std::string name = "m";
    name.append(std::to_string(index)).append(".example.com");
    names[random() % names.size()] = std::move(name);
  }
  return names;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) {
    std::fprintf(
        stderr,
        "usage: make_log_fixture --key FILE --db FILE --entries N --matches M [--seed S]\n");
    return 2;
  }
  std::ifstream key_file(flags.key);
  std::stringstream key_pem;
  key_pem << key_file.rdbuf();
  auto signer = ctkit::LogSigner::FromPem(key_pem.str());
  if (!signer) {
    std::fprintf(stderr, "make_log_fixture: %s\n", signer.error().message.c_str());
    return 2;
  }
  auto service =
      ctkit::LogService::Open(flags.db, *signer, {.accept_any_root = true}, ctkit::UnixNowMs());
  if (!service) {
    std::fprintf(stderr, "make_log_fixture: %s\n", service.error().message.c_str());
    return 2;
  }
  ctkit::testing::TestCa ca("Fixture CA");
  ctkit::Bytes ca_der = ca.der();
  uint64_t every = flags.matches ? flags.entries / flags.matches : 0;

  // Many threads make and submit certificates (LogService is thread-safe): every submission
  // waits for its group commit's fsync (logserver/log_database.h), so with only as many threads
  // as cores a group holds two entries and the run is fsync-bound; sixteen keep both cores busy.
  constexpr int kThreads = 16;
  std::vector<std::thread> threads;
  std::atomic<uint64_t> planted{0}, failed{0}, done{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 random(flags.seed * 1000 + t);
      for (uint64_t i = t; i < flags.entries; i += kThreads) {
        bool plant = every && i % every == 0 && i / every < flags.matches;
        bool precert = i % 2 == 1;
        ctkit::Bytes leaf =
            ca.IssueLeafForNames(NamesFor(i, plant, random), static_cast<long>(i + 1), precert);
        std::vector<ctkit::Bytes> chain = {std::move(leaf), ca_der};
        auto sct = (*service)->AddChain(chain, precert, ctkit::UnixNowMs());
        if (!sct) {
          if (failed++ == 0) std::fprintf(stderr, "add-chain: %s\n", sct.error().message.c_str());
          continue;
        }
        if (plant) ++planted;
        uint64_t n = ++done;
        if (n % 50000 == 0) std::fprintf(stderr, "  %llu entries\n", (unsigned long long)n);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  auto head = (*service)->Integrate(ctkit::UnixNowMs(), 0);
  if (!head || failed > 0) {
    std::fprintf(stderr, "make_log_fixture: %llu submissions failed%s%s\n",
                 (unsigned long long)failed.load(),
                 head ? "" : "; integrate: ", head ? "" : head.error().message.c_str());
    return 1;
  }
  std::printf("tree_size %llu\nplanted %llu\n", (unsigned long long)head->tree_size,
              (unsigned long long)planted.load());
  return 0;
}
