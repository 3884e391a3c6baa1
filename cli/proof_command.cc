// `ctkit proof inclusion` and `ctkit proof consistency`: verify Merkle proofs given on the
// command line or as JSON (ct/proof_json.h: ctkit's own, get-proof-by-hash / get-sth-consistency
// responses plus sizes and roots, ct-merkle-vectors). Exit 0 when the proof verifies, 1 when it
// does not, 2 on malformed input.

#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "cli/command.h"
#include "ct/proof_check.h"
#include "ct/proof_report.h"

namespace ctkit::cli {
namespace {

// The proof (ct/proof_check.h) and whether it verified, as ct/proof_report.h writes them.
int PrintReport(Result<ProofCheck> check, const std::string& format) {
  if (!check) return Reported(Fail(kExitUsage, check.error().message));
  if (format == "json") {
    PrintJson(ProofReportJson(std::move(check->proof), check->verified, check->kind),
              JsonStyle::kDocument);
  } else {
    std::printf("%s", ProofReportText(check->verified, check->kind, check->success_text).c_str());
  }
  return check->verified ? kExitOk : kExitFailed;
}

struct InclusionOptions {
  InclusionProofFields proof;  // the flags; --json fills the rest
  std::string leaf_data_file;
  std::string json_file;
  std::string format = "text";
};

struct ConsistencyOptions {
  ConsistencyProofFields proof;  // the flags; --json fills the rest
  std::string json_file;
  std::string format = "text";
};

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
  RunOnParse(incl, run, inclusion, [](const InclusionOptions& options) {
    return PrintReport(
        CheckInclusionProof(options.proof, options.leaf_data_file, options.json_file),
        options.format);
  });
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
  RunOnParse(cons, run, consistency, [](const ConsistencyOptions& options) {
    return PrintReport(CheckConsistencyProof(options.proof, options.json_file), options.format);
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
