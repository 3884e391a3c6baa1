// Merkle proof verification and compact-range append, each reported against the machine's own
// floor: the raw OpenSSL SHA-256 rate on 65-byte inputs (one interior node, 0x01||left||right).
//
// The machine is shared and noisy, so the floor is not measured once: every batch of operations
// is immediately followed by a batch of raw SHA-256 calls of the same hash count, both timed with
// the thread's CPU clock, and the ratio is taken over the paired totals.
//
// Counters:
//   hashes       node hashes one operation must compute (the floor's unit of work)
//   floor_ratio  raw SHA-256 time for those hashes / measured time of the operation: 1.0 means the
//                code costs exactly its hashes; the goal is >= 0.9 (within 10% of the floor).
//
// Run through bench/run-merkle-bench.sh, which prints the medians for docs/PERFORMANCE.md.

#define OPENSSL_SUPPRESS_DEPRECATED
#include <benchmark/benchmark.h>
#include <openssl/sha.h>
#include <time.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <random>
#include <vector>

#include "merkle/compact_range.h"
#include "merkle/merkle_proof_plan.h"
#include "merkle/merkle_tree.h"
#include "merkle/merkle_verify.h"

namespace ctkit {
namespace {

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// `count` raw SHA-256 digests of a 65-byte buffer, each depending on the previous one.
void RawSha256Chain(uint64_t count) {
  static uint8_t buffer[65] = {0x01};
  uint8_t out[32];
  for (uint64_t i = 0; i < count; ++i) {
    SHA256(buffer, sizeof(buffer), out);
    buffer[1 + (i & 31)] = out[0];
  }
  benchmark::DoNotOptimize(buffer);
}

// Runs `op` in batches, each followed by the raw hashes it should cost, and reports the ratio.
template <typename Op>
void RunAgainstFloor(benchmark::State& state, double hashes_per_op, int ops_per_batch, Op op) {
  double op_seconds = 0, raw_seconds = 0;
  uint64_t raw_per_batch = static_cast<uint64_t>(hashes_per_op * ops_per_batch);
  for (auto _ : state) {
    double t0 = ThreadCpuSeconds();
    for (int i = 0; i < ops_per_batch; ++i) op();
    double t1 = ThreadCpuSeconds();
    state.PauseTiming();
    double t2 = ThreadCpuSeconds();
    RawSha256Chain(raw_per_batch);
    double t3 = ThreadCpuSeconds();
    state.ResumeTiming();
    op_seconds += t1 - t0;
    raw_seconds += t3 - t2;
  }
  state.counters["hashes"] = hashes_per_op;
  state.counters["ns_per_op"] =
      op_seconds * 1e9 / static_cast<double>(state.iterations() * ops_per_batch);
  state.counters["raw_ns_per_hash"] =
      raw_seconds * 1e9 / static_cast<double>(state.iterations() * raw_per_batch);
  state.counters["floor_ratio"] = raw_seconds / op_seconds;
}

MerkleHash RandomHash(std::mt19937_64& rng) {
  MerkleHash hash;
  for (uint8_t& byte : hash) byte = static_cast<uint8_t>(rng());
  return hash;
}

std::vector<MerkleHash> RandomHashes(std::mt19937_64& rng, size_t count) {
  std::vector<MerkleHash> hashes(count);
  for (MerkleHash& hash : hashes) hash = RandomHash(rng);
  return hashes;
}

// The floor against itself: the ratio's noise level on this machine (ideally 1.0).
void BM_RawSha256_65Bytes(benchmark::State& state) {
  RunAgainstFloor(state, 64, 1, [] { RawSha256Chain(64); });
}
BENCHMARK(BM_RawSha256_65Bytes);

void BM_HashChildren(benchmark::State& state) {
  std::mt19937_64 rng(1);
  MerkleHash left = RandomHash(rng), right = RandomHash(rng);
  RunAgainstFloor(state, 64, 1, [&] {
    for (int i = 0; i < 64; ++i) left = HashChildren(left, right);
    benchmark::DoNotOptimize(left);
  });
}
BENCHMARK(BM_HashChildren);

// Inclusion proofs in trees of 2^k + 1 leaves (so the proof also has a border part). The proof
// nodes are random and the root is computed from them, so the proof is valid by construction
// for any size, 2^40 included, without building the tree. Cost floor: one hash per node.
void BM_VerifyInclusion(benchmark::State& state) {
  uint64_t tree_size = (uint64_t{1} << state.range(0)) + 1;
  std::mt19937_64 rng(2);
  uint64_t index = rng() % tree_size;
  MerkleHash leaf = RandomHash(rng);
  std::vector<MerkleHash> proof = RandomHashes(rng, InclusionProofSize(index, tree_size));
  MerkleHash root = *RootFromInclusionProof(leaf, index, tree_size, proof);
  RunAgainstFloor(state, static_cast<double>(proof.size()), 16, [&] {
    Result<void> ok = VerifyInclusion(leaf, index, tree_size, proof, root);
    if (!ok) state.SkipWithError("proof did not verify");
  });
}
BENCHMARK(BM_VerifyInclusion)->DenseRange(10, 40, 10);

// The old root a consistency proof implies (RFC 9162 §2.1.4.2, the fr chain), and how many
// hashes that chain takes. Only the benchmark needs these: they let random proof nodes form a
// valid proof for any pair of sizes.
struct OldChain {
  MerkleHash root;
  size_t hashes = 0;
};
OldChain OldRootFromConsistencyProof(uint64_t first, uint64_t second, std::vector<MerkleHash> path,
                                     const MerkleHash& seed) {
  if (std::has_single_bit(first)) path.insert(path.begin(), seed);
  uint64_t fn = first - 1, sn = second - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  OldChain chain{path[0]};
  for (size_t i = 1; i < path.size(); ++i) {
    if ((fn & 1) == 1 || fn == sn) {
      chain.root = HashChildren(path[i], chain.root);
      ++chain.hashes;
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    }
    fn >>= 1;
    sn >>= 1;
  }
  return chain;
}

// Consistency proofs from a random old size to a new size of about 2^k. Cost floor: one hash
// per node for the new root plus the old root's left-sibling chain.
void BM_VerifyConsistency(benchmark::State& state) {
  uint64_t new_size = (uint64_t{1} << state.range(0)) + 3;
  std::mt19937_64 rng(3);
  uint64_t old_size = 1 + rng() % (new_size - 1);
  size_t length = PlanConsistencyProof(old_size, new_size)->element_ends.size();
  std::vector<MerkleHash> proof = RandomHashes(rng, length);
  OldChain old_chain = OldRootFromConsistencyProof(old_size, new_size, proof, RandomHash(rng));
  Result<MerkleHash> new_root = RootFromConsistencyProof(old_size, new_size, proof, old_chain.root);
  if (!new_root) {
    state.SkipWithError(new_root.error().message.c_str());
    return;
  }
  size_t new_chain = proof.size() - (std::has_single_bit(old_size) ? 0 : 1);
  RunAgainstFloor(state, static_cast<double>(old_chain.hashes + new_chain), 16, [&] {
    Result<void> ok = VerifyConsistency(old_size, new_size, proof, old_chain.root, *new_root);
    if (!ok) state.SkipWithError("proof did not verify");
  });
}
BENCHMARK(BM_VerifyConsistency)->DenseRange(10, 40, 10);

// Appending 2^16 leaf hashes to an empty compact range: 2^16 - 1 node hashes, plus the root.
void BM_CompactRangeAppend(benchmark::State& state) {
  std::mt19937_64 rng(4);
  std::vector<MerkleHash> leaves = RandomHashes(rng, size_t{1} << 16);
  RunAgainstFloor(state, static_cast<double>(leaves.size() - 1), 1, [&] {
    CompactRange range;
    range.Append(leaves);
    benchmark::DoNotOptimize(range.frontier().data());
  });
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * leaves.size()));
}
BENCHMARK(BM_CompactRangeAppend)->Unit(benchmark::kMillisecond);

// Proof generation from an in-memory tree of 2^20 leaves: O(log n) node reads per proof, and
// the one right-border element folded from its perfect subtrees (a few hashes).
void BM_GenerateInclusionProof(benchmark::State& state) {
  static MerkleTree* tree = [] {
    auto* t = new MerkleTree();
    std::mt19937_64 rng(5);
    for (int i = 0; i < (1 << 20); ++i) t->AppendLeafHash(RandomHash(rng));
    return t;
  }();
  std::mt19937_64 rng(6);
  uint64_t tree_size = tree->size() - 7;
  for (auto _ : state) {
    Result<std::vector<MerkleHash>> proof = tree->InclusionProof(rng() % tree_size, tree_size);
    benchmark::DoNotOptimize(proof);
  }
}
BENCHMARK(BM_GenerateInclusionProof);

}  // namespace
}  // namespace ctkit

BENCHMARK_MAIN();
