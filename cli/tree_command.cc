// `ctkit tree`: build the RFC 6962 Merkle tree whose leaves are the given files, in order, and
// print its root, or an inclusion or consistency proof in the JSON form `ctkit proof` reads.
// Useful to see how proofs work, and to produce test proofs without a log.

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/input.h"
#include "ct/merkle_tree.h"

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

json HashArray(const std::vector<MerkleHash>& hashes) {
  json array = json::array();
  for (const MerkleHash& hash : hashes) array.push_back(HexEncode(hash));
  return array;
}

void PrintObject(const json& object, const std::string& format) {
  if (format == "json") {
    std::printf("%s\n", object.dump(2).c_str());
    return;
  }
  for (const auto& [key, value] : object.items()) {
    if (value.is_array()) {
      std::string joined;
      for (const json& item : value) joined += (joined.empty() ? "" : ",") + item.get<std::string>();
      std::printf("%s: %s\n", key.c_str(), joined.c_str());
    } else if (value.is_string()) {
      std::printf("%s: %s\n", key.c_str(), value.get<std::string>().c_str());
    } else {
      std::printf("%s: %s\n", key.c_str(), value.dump().c_str());
    }
  }
}

int RunTree(const TreeOptions& options) {
  MerkleTree tree;
  for (const std::string& path : options.leaf_files) {
    Result<Bytes> data = ReadInputFile(path);
    if (!data) {
      PrintError(data.error().message);
      return kExitUsage;
    }
    tree.AppendLeafData(*data);
  }
  uint64_t tree_size = options.tree_size.value_or(tree.size());
  Result<MerkleHash> root = tree.Root(tree_size);
  if (!root) {
    PrintError("tree: --tree-size: " + root.error().message);
    return kExitUsage;
  }

  json out;
  if (options.inclusion_index) {
    uint64_t index = *options.inclusion_index;
    Result<std::vector<MerkleHash>> proof = tree.InclusionProof(index, tree_size);
    if (!proof) {
      PrintError("tree: --prove-inclusion: " + proof.error().message);
      return kExitUsage;
    }
    out = {{"leaf_index", index},
           {"tree_size", tree_size},
           {"leaf_hash", HexEncode(*tree.Node({0, index}))},
           {"root_hash", HexEncode(*root)},
           {"audit_path", HashArray(*proof)}};
  } else if (options.consistency_old_size) {
    uint64_t old_size = *options.consistency_old_size;
    Result<std::vector<MerkleHash>> proof = tree.ConsistencyProof(old_size, tree_size);
    if (!proof) {
      PrintError("tree: --prove-consistency: " + proof.error().message);
      return kExitUsage;
    }
    out = {{"old_size", old_size},
           {"new_size", tree_size},
           {"old_root", HexEncode(*tree.Root(old_size))},
           {"new_root", HexEncode(*root)},
           {"consistency", HashArray(*proof)}};
  } else {
    out = {{"tree_size", tree_size}, {"root_hash", HexEncode(*root)}};
  }
  PrintObject(out, options.format);
  return kExitOk;
}

}  // namespace

void AddTreeCommand(CLI::App& app, Action& run) {
  auto options = std::make_shared<TreeOptions>();
  CLI::App* command = app.add_subcommand(
      "tree", "Build the Merkle tree of FILE... (one leaf per file) and print its root or a proof");
  command->add_option("FILE", options->leaf_files, "Leaf data files, in leaf order")->required();
  auto* inclusion = command->add_option("--prove-inclusion", options->inclusion_index,
                                        "Print the inclusion proof for this 0-based leaf index")
      ->check(UnsignedInteger());
  auto* consistency = command->add_option("--prove-consistency", options->consistency_old_size,
                                          "Print the consistency proof from this older size")
      ->check(UnsignedInteger());
  inclusion->excludes(consistency);
  command->add_option("--tree-size", options->tree_size,
                      "Use the tree as it was at this size (default: all files)")
      ->check(UnsignedInteger());
  AddFormatFlag(command, options->format);
  command->footer(
      "The JSON printed with --prove-inclusion / --prove-consistency is what "
      "'ctkit proof inclusion --json' / 'ctkit proof consistency --json' read.");
  command->callback([options, &run] { run = [options] { return RunTree(*options); }; });
}

}  // namespace ctkit::cli
