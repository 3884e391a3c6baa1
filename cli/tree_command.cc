// `ctkit tree`: build the RFC 6962 Merkle tree whose leaves are the given files, in order, and
// print its root, or an inclusion or consistency proof in the JSON form `ctkit proof` reads
// (ct/proof_json.h). Useful to see how proofs work, and to produce test proofs without a log.

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "ct/tree_proof_json.h"
#include "merkle/merkle_tree.h"

namespace ctkit::cli {
namespace {

using json = nlohmann::ordered_json;

struct TreeOptions {
  std::vector<std::string> leaf_files;
  std::optional<uint64_t> inclusion_index;
  std::optional<uint64_t> consistency_old_size;
  std::optional<uint64_t> tree_size;
  std::string format = "text";
};

Outcome<int> RunTree(const TreeOptions& options) {
  MerkleTree tree;
  for (const std::string& path : options.leaf_files) {
    ASSIGN_OR_RETURN(Bytes data, OrExit(ReadInputFile(path), kExitUsage));
    tree.AppendLeafData(data);
  }
  ASSIGN_OR_RETURN(
      json out, OrExit(TreeProofJson(tree, {options.tree_size.value_or(tree.size()),
                                            options.inclusion_index, options.consistency_old_size}),
                       kExitUsage));
  if (options.format == "json") {
    PrintJson(out, JsonStyle::kDocument);
  } else {
    std::printf("%s", TreeProofText(out).c_str());
  }
  return kExitOk;
}

}  // namespace

void AddTreeCommand(CLI::App& app, Action& run) {
  auto options = std::make_shared<TreeOptions>();
  CLI::App* command = app.add_subcommand(
      "tree", "Build the Merkle tree of FILE... (one leaf per file) and print its root or a proof");
  command->add_option("FILE", options->leaf_files, "Leaf data files, in leaf order")->required();
  auto* inclusion = command
                        ->add_option("--prove-inclusion", options->inclusion_index,
                                     "Print the inclusion proof for this 0-based leaf index")
                        ->check(UnsignedInteger());
  auto* consistency = command
                          ->add_option("--prove-consistency", options->consistency_old_size,
                                       "Print the consistency proof from this older size")
                          ->check(UnsignedInteger());
  inclusion->excludes(consistency);
  command
      ->add_option("--tree-size", options->tree_size,
                   "Use the tree as it was at this size (default: all files)")
      ->check(UnsignedInteger());
  AddFormatFlag(command, options->format);
  command->footer(
      "The JSON printed with --prove-inclusion / --prove-consistency is what "
      "'ctkit proof inclusion --json' / 'ctkit proof consistency --json' read.");
  RunOnParse(command, run, options,
             [](const TreeOptions& parsed) { return Reported(RunTree(parsed)); });
}

}  // namespace ctkit::cli
