// monitor_floor: the monitor's own floor for bench/run-monitor-bench.sh — what ingesting the
// same entries costs with the network, JSON and storage taken away.
//
//   monitor_floor --log URL --key log.key.pub.der --watch .example.com
//
// Downloads every entry of the log (untimed, in slices of 65536), then times, per entry, exactly
// the work no monitor can skip: parse the MerkleTreeLeaf and the certificate (names), hash the
// leaf, append it to a compact range, match the names. Prints "floor_entries_per_second X",
// "floor_cpu_seconds Y" and "matches Z" (which must equal the planted count).

#include <time.h>

#include <cstdio>
#include <string>
#include <vector>

#include "logclient/log_client.h"
#include "logclient/log_client_json.h"
#include "merkle/compact_range.h"
#include "monitor/entry_certificate.h"
#include "monitor/watchlist.h"

namespace {

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  std::string url, watch = ".example.com";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--log") url = argv[i + 1];
    if (flag == "--watch") watch = argv[i + 1];
  }
  if (url.empty()) {
    std::fprintf(stderr, "usage: monitor_floor --log URL [--watch ITEM]\n");
    return 2;
  }
  ctkit::Result<ctkit::Watchlist> watchlist = ctkit::Watchlist::Parse(watch + "\n");
  ctkit::LogClientOptions options;
  options.batch_size = 1024;
  options.keep_malformed_entries = true;
  ctkit::Result<ctkit::LogClient> client = ctkit::LogClient::Create(url, nullptr, options);
  if (!watchlist || !client) return 2;
  ctkit::Result<ctkit::SignedTreeHead> head = client->GetUnverifiedSth();
  if (!head) {
    std::fprintf(stderr, "monitor_floor: %s\n", head.error().message.c_str());
    return 3;
  }
  ctkit::CompactRange range;
  uint64_t matches = 0, malformed = 0;
  double cpu = 0;
  constexpr uint64_t kSlice = 65536;
  for (uint64_t start = 0; start < head->tree_size; start += kSlice) {
    uint64_t end = std::min(head->tree_size, start + kSlice) - 1;
    ctkit::Result<std::vector<ctkit::LogEntry>> entries = client->GetEntries(start, end);
    if (!entries) {
      std::fprintf(stderr, "monitor_floor: %s\n", entries.error().message.c_str());
      return 3;
    }
    // Keep only the raw bytes, as a download would deliver them.
    std::vector<std::pair<ctkit::Bytes, ctkit::Bytes>> raw;
    raw.reserve(entries->size());
    for (ctkit::LogEntry& entry : *entries) {
      raw.emplace_back(std::move(entry.leaf_input), std::move(entry.extra_data));
    }
    entries->clear();
    double before = ThreadCpuSeconds();
    uint64_t index = start;
    for (auto& [leaf_input, extra_data] : raw) {
      ctkit::LogEntry entry =
          ctkit::MakeLenientLogEntry(index++, std::move(leaf_input), std::move(extra_data));
      range.Append(entry.leaf_hash);
      ctkit::Result<ctkit::EntryCertificate> cert = ctkit::CertificateFromEntry(entry);
      if (!cert) {
        ++malformed;
        continue;
      }
      if (!watchlist->Match(cert->names).empty()) ++matches;
    }
    cpu += ThreadCpuSeconds() - before;
  }
  if (range.Root() != head->root_hash) {
    std::fprintf(stderr, "monitor_floor: root mismatch\n");
    return 1;
  }
  std::printf(
      "floor_entries_per_second %.0f\nfloor_cpu_seconds %.3f\nmatches %llu\nmalformed %llu\n",
      static_cast<double>(head->tree_size) / cpu, cpu, (unsigned long long)matches,
      (unsigned long long)malformed);
  return 0;
}
