// `ctkit proof inclusion` and `ctkit proof consistency`: verify Merkle proofs given on the
// command line or as JSON (ct/proof_json.h: ctkit's own, get-proof-by-hash / get-sth-consistency
// responses plus sizes and roots, ct-merkle-vectors). Exit 0 when the proof verifies, 1 when it
// does not, 2 on malformed input.

#include <cstdio>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/command.h"
#include "cli/input.h"
#include "ct/proof_json.h"
#include "ct/proof_report.h"
#include "merkle/merkle_verify.h"

namespace ctkit::cli {
namespace {

// A --json file: a JSON object.
Outcome<nlohmann::json> ReadJsonFile(const std::string& path) {
  ASSIGN_OR_RETURN(Bytes data, OrExit(ReadInputFile(path), kExitUsage));
  return OrExit(
      ParseJsonObject(std::string_view(reinterpret_cast<const char*>(data.data()), data.size())),
      kExitUsage, path);
}

// Fails with "<command>: missing <flag> (see --help)" for the first flag not given.
Outcome<void> RequireFlags(const char* command,
                           std::initializer_list<std::pair<bool, const char*>> flags) {
  for (const auto& [given, flag] : flags) {
    if (!given) {
      return Fail(kExitUsage, std::string(command) + ": missing " + flag + " (see --help)");
    }
  }
  return {};
}

// The proof (as ct/proof_json.h writes it), whether it verified, and on success `success_text`.
int PrintReport(nlohmann::ordered_json out, const Result<void>& outcome, const std::string& kind,
                const std::string& format, const std::string& success_text) {
  if (format == "json") {
    PrintJson(ProofReportJson(std::move(out), outcome, kind), JsonStyle::kDocument);
  } else {
    std::printf("%s", ProofReportText(outcome, kind, success_text).c_str());
  }
  return outcome ? kExitOk : kExitFailed;
}

struct InclusionOptions {
  InclusionProofFields proof;  // the flags; --json fills the rest
  std::string leaf_data_file;
  std::string json_file;
  std::string format = "text";
};

Outcome<MerkleHash> LeafHash(const InclusionOptions& options) {
  if (options.leaf_data_file.empty()) {
    return OrExit(ParseHashFlag("--leaf-hash", options.proof.leaf_hash), kExitUsage);
  }
  ASSIGN_OR_RETURN(Bytes data, OrExit(ReadInputFile(options.leaf_data_file), kExitUsage));
  return HashLeaf(data);
}

Outcome<int> RunInclusion(InclusionOptions options) {
  InclusionProofFields& proof = options.proof;
  if (!options.json_file.empty()) {
    ASSIGN_OR_RETURN(nlohmann::json object, ReadJsonFile(options.json_file));
    RETURN_IF_ERROR(
        OrExit(FillInclusionProof(object, proof, options.leaf_data_file.empty()), kExitUsage));
  }
  RETURN_IF_ERROR(
      RequireFlags("proof inclusion", {{proof.leaf_index.has_value(), "--index"},
                                       {proof.tree_size.has_value(), "--tree-size"},
                                       {!proof.root_hash.empty(), "--root"},
                                       {!proof.leaf_hash.empty() || !options.leaf_data_file.empty(),
                                        "--leaf-hash or --leaf-data"}}));
  ASSIGN_OR_RETURN(MerkleHash leaf_hash, LeafHash(options));
  ASSIGN_OR_RETURN(MerkleHash root, OrExit(ParseHashFlag("--root", proof.root_hash), kExitUsage));
  ASSIGN_OR_RETURN(std::vector<MerkleHash> path,
                   OrExit(ParseProofList("--proof", proof.audit_path.value_or("")), kExitUsage));
  const uint64_t index = *proof.leaf_index;
  const uint64_t size = *proof.tree_size;
  return PrintReport(InclusionProofJson(index, size, leaf_hash, root, path),
                     VerifyInclusion(leaf_hash, index, size, path, root), "inclusion",
                     options.format,
                     "leaf " + std::to_string(index) + " is in the tree of size " +
                         std::to_string(size) + " with root " + HexEncode(root));
}

struct ConsistencyOptions {
  ConsistencyProofFields proof;  // the flags; --json fills the rest
  std::string json_file;
  std::string format = "text";
};

Outcome<int> RunConsistency(ConsistencyOptions options) {
  ConsistencyProofFields& proof = options.proof;
  if (!options.json_file.empty()) {
    ASSIGN_OR_RETURN(nlohmann::json object, ReadJsonFile(options.json_file));
    RETURN_IF_ERROR(OrExit(FillConsistencyProof(object, proof), kExitUsage));
  }
  RETURN_IF_ERROR(RequireFlags("proof consistency", {{proof.old_size.has_value(), "--old-size"},
                                                     {proof.new_size.has_value(), "--new-size"},
                                                     {!proof.old_root.empty(), "--old-root"},
                                                     {!proof.new_root.empty(), "--new-root"}}));
  ASSIGN_OR_RETURN(MerkleHash old_root,
                   OrExit(ParseHashFlag("--old-root", proof.old_root), kExitUsage));
  ASSIGN_OR_RETURN(MerkleHash new_root,
                   OrExit(ParseHashFlag("--new-root", proof.new_root), kExitUsage));
  ASSIGN_OR_RETURN(std::vector<MerkleHash> nodes,
                   OrExit(ParseProofList("--proof", proof.proof.value_or("")), kExitUsage));
  const uint64_t old_size = *proof.old_size;
  const uint64_t new_size = *proof.new_size;
  return PrintReport(ConsistencyProofJson(old_size, new_size, old_root, new_root, nodes),
                     VerifyConsistency(old_size, new_size, nodes, old_root, new_root),
                     "consistency", options.format,
                     "the tree of size " + std::to_string(old_size) +
                         " is a prefix of the tree of size " + std::to_string(new_size));
}

void AddInclusionCommand(CLI::App* proof, Action& run) {
  auto inclusion = std::make_shared<InclusionOptions>();
  CLI::App* incl = proof->add_subcommand(
      "inclusion", "Verify that a leaf is in a tree of a given size and root (RFC 9162 §2.1.3)");
  auto* leaf_hash = incl->add_option("--leaf-hash", inclusion->proof.leaf_hash,
                                     "Leaf hash SHA-256(0x00 || leaf), hex or base64");
  auto* leaf_data =
      incl->add_option("--leaf-data", inclusion->leaf_data_file,
                       "File holding the leaf itself (e.g. a MerkleTreeLeaf); - for stdin");
  leaf_hash->excludes(leaf_data);
  incl->add_option("--index", inclusion->proof.leaf_index, "0-based leaf index")
      ->check(UnsignedInteger());
  incl->add_option("--tree-size", inclusion->proof.tree_size, "Tree size the proof is for")
      ->check(UnsignedInteger());
  incl->add_option("--root", inclusion->proof.root_hash, "Expected root hash of the tree");
  incl->add_option("--proof", inclusion->proof.audit_path,
                   "Audit path: HEX[,HEX...]; '' for an empty proof");
  incl->add_option("--json", inclusion->json_file,
                   "JSON file with leaf_index, tree_size, leaf_hash, root_hash, audit_path "
                   "(flags override its fields)");
  AddFormatFlag(incl, inclusion->format);
  RunOnParse(incl, run, inclusion,
             [](InclusionOptions options) { return Reported(RunInclusion(std::move(options))); });
}

void AddConsistencyCommand(CLI::App* proof, Action& run) {
  auto consistency = std::make_shared<ConsistencyOptions>();
  CLI::App* cons = proof->add_subcommand(
      "consistency", "Verify that an older tree is a prefix of a newer one (RFC 9162 §2.1.4)");
  cons->add_option("--old-size", consistency->proof.old_size, "Size of the older tree (> 0)")
      ->check(UnsignedInteger());
  cons->add_option("--new-size", consistency->proof.new_size, "Size of the newer tree")
      ->check(UnsignedInteger());
  cons->add_option("--old-root", consistency->proof.old_root, "Root hash of the older tree");
  cons->add_option("--new-root", consistency->proof.new_root, "Root hash of the newer tree");
  cons->add_option("--proof", consistency->proof.proof,
                   "Consistency proof: HEX[,HEX...]; '' for an empty proof");
  cons->add_option("--json", consistency->json_file,
                   "JSON file with old_size, new_size, old_root, new_root, consistency "
                   "(flags override its fields)");
  AddFormatFlag(cons, consistency->format);
  RunOnParse(cons, run, consistency, [](ConsistencyOptions options) {
    return Reported(RunConsistency(std::move(options)));
  });
}

}  // namespace

void AddProofCommand(CLI::App& app, Action& run) {
  CLI::App* proof = app.add_subcommand("proof", "Verify Merkle inclusion and consistency proofs");
  proof->require_subcommand(1);
  proof->footer(
      "Hashes are 64 hex digits or 44 base64 characters; proof nodes are comma-separated in "
      "RFC 6962/9162 order; indices are 0-based. Exit 0 verified, 1 not verified, 2 bad input.");
  AddInclusionCommand(proof, run);
  AddConsistencyCommand(proof, run);
}

}  // namespace ctkit::cli
