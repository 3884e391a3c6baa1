// `ctkit proof inclusion` and `ctkit proof consistency`: verify Merkle proofs given on the
// command line or as JSON (get-proof-by-hash / get-sth-consistency responses plus sizes and
// roots). Exit 0 when the proof verifies, 1 when it does not, 2 on malformed input.

#include <cstdio>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/input.h"
#include "ct/json_input.h"
#include "ct/merkle_verify.h"

namespace ctkit::cli {
namespace {

using json = nlohmann::ordered_json;  // output keeps field order
using InputJson = nlohmann::json;

// Fields are looked up by every name they go by: ctkit's own output, RFC 6962 responses, and
// the ct-merkle-vectors format.
constexpr std::initializer_list<const char*> kLeafIndexNames = {"leaf_index", "index"};
constexpr std::initializer_list<const char*> kTreeSizeNames = {"tree_size"};
constexpr std::initializer_list<const char*> kLeafHashNames = {"leaf_hash"};
constexpr std::initializer_list<const char*> kRootNames = {"root_hash", "sha256_root_hash", "root"};
constexpr std::initializer_list<const char*> kAuditPathNames = {"audit_path", "proof"};
constexpr std::initializer_list<const char*> kOldSizeNames = {"old_size", "first", "size1"};
constexpr std::initializer_list<const char*> kNewSizeNames = {"new_size", "second", "size2"};
constexpr std::initializer_list<const char*> kOldRootNames = {"old_root", "first_root", "root1"};
constexpr std::initializer_list<const char*> kNewRootNames = {"new_root", "second_root", "root2"};
constexpr std::initializer_list<const char*> kConsistencyNames = {"consistency", "proof"};

const char* FindField(const InputJson& object, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (object.contains(name)) return name;
  }
  return nullptr;
}

// Fills `out` from the JSON field if the flag did not already set it.
Result<void> FillUint(const InputJson& object, std::initializer_list<const char*> names,
                      std::optional<uint64_t>& out) {
  const char* name = FindField(object, names);
  if (out || name == nullptr) return {};
  Result<uint64_t> value = JsonUint(object, name);
  if (!value) return std::unexpected(value.error());
  out = *value;
  return {};
}

Result<void> FillString(const InputJson& object, std::initializer_list<const char*> names,
                        std::string& out) {
  const char* name = FindField(object, names);
  if (!out.empty() || name == nullptr) return {};
  Result<std::string> value = JsonString(object, name);
  if (!value) return std::unexpected(value.error());
  out = *value;
  return {};
}

// A JSON array of hash strings becomes the same comma-separated form as the --proof flag.
Result<void> FillProof(const InputJson& object, std::initializer_list<const char*> names,
                       std::optional<std::string>& out) {
  const char* name = FindField(object, names);
  if (out || name == nullptr) return {};
  const InputJson& nodes = object[name];
  if (!nodes.is_array()) {
    return MakeError(ErrorCode::kMalformed, std::string("field \"") + name + "\" is not an array");
  }
  std::string joined;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].is_string()) {
      return MakeError(ErrorCode::kMalformed,
                       std::string("field \"") + name + "\" item " + std::to_string(i) +
                           " is not a string");
    }
    if (i > 0) joined += ',';
    joined += nodes[i].get<std::string>();
  }
  out = joined;
  return {};
}

Result<InputJson> ReadJsonObject(const std::string& path) {
  Result<Bytes> data = ReadInputFile(path);
  if (!data) return std::unexpected(data.error());
  Result<InputJson> value =
      ParseJson(std::string_view(reinterpret_cast<const char*>(data->data()), data->size()));
  if (!value) return std::unexpected(WithContext(value.error(), path));
  if (!value->is_object()) return MakeError(ErrorCode::kMalformed, path + ": not a JSON object");
  return value;
}

std::string Required(std::optional<uint64_t> value, const char* flag) {
  return value ? "" : std::string("missing ") + flag;
}

// The outcome of one proof check, printed as text or JSON.
struct Report {
  json fields;  // the inputs, echoed back
  Result<void> outcome;
};

int PrintReport(const Report& report, const std::string& kind, const std::string& format,
                const std::string& success_text) {
  if (format == "json") {
    json out = report.fields;
    out["type"] = kind;
    out["verified"] = report.outcome.has_value();
    out["error"] = report.outcome ? json(nullptr) : json(report.outcome.error().message);
    std::printf("%s\n", out.dump(2).c_str());
  } else if (report.outcome) {
    std::printf("OK: %s\n", success_text.c_str());
  } else {
    std::printf("FAILED: %s proof does not verify: %s\n", kind.c_str(),
                report.outcome.error().message.c_str());
  }
  return report.outcome ? kExitOk : kExitFailed;
}

json HashArray(const std::vector<MerkleHash>& hashes) {
  json array = json::array();
  for (const MerkleHash& hash : hashes) array.push_back(HexEncode(hash));
  return array;
}

struct InclusionOptions {
  std::string leaf_hash;
  std::string leaf_data_file;
  std::optional<uint64_t> index;
  std::optional<uint64_t> tree_size;
  std::string root;
  std::optional<std::string> proof;
  std::string json_file;
  std::string format = "text";
};

int RunInclusion(InclusionOptions options) {
  if (!options.json_file.empty()) {
    Result<InputJson> object = ReadJsonObject(options.json_file);
    Result<void> filled = object ? FillUint(*object, kLeafIndexNames, options.index) : Result<void>();
    if (filled && object) filled = FillUint(*object, kTreeSizeNames, options.tree_size);
    if (filled && object && options.leaf_data_file.empty())
      filled = FillString(*object, kLeafHashNames, options.leaf_hash);
    if (filled && object) filled = FillString(*object, kRootNames, options.root);
    if (filled && object) filled = FillProof(*object, kAuditPathNames, options.proof);
    if (!object || !filled) {
      PrintError((object ? filled.error() : object.error()).message);
      return kExitUsage;
    }
  }
  for (const std::string& missing :
       {Required(options.index, "--index"), Required(options.tree_size, "--tree-size"),
        std::string(options.root.empty() ? "missing --root" : ""),
        std::string(options.leaf_hash.empty() && options.leaf_data_file.empty()
                        ? "missing --leaf-hash or --leaf-data"
                        : "")}) {
    if (!missing.empty()) {
      PrintError("proof inclusion: " + missing + " (see --help)");
      return kExitUsage;
    }
  }

  MerkleHash leaf_hash;
  if (!options.leaf_data_file.empty()) {
    Result<Bytes> data = ReadInputFile(options.leaf_data_file);
    if (!data) {
      PrintError(data.error().message);
      return kExitUsage;
    }
    leaf_hash = HashLeaf(*data);
  } else {
    Result<MerkleHash> parsed = ParseHashFlag("--leaf-hash", options.leaf_hash);
    if (!parsed) {
      PrintError(parsed.error().message);
      return kExitUsage;
    }
    leaf_hash = *parsed;
  }
  Result<MerkleHash> root = ParseHashFlag("--root", options.root);
  Result<std::vector<MerkleHash>> proof = ParseProofList("--proof", options.proof.value_or(""));
  if (!root || !proof) {
    PrintError((!root ? root.error() : proof.error()).message);
    return kExitUsage;
  }

  Report report{
      .fields = {{"leaf_index", *options.index},
                 {"tree_size", *options.tree_size},
                 {"leaf_hash", HexEncode(leaf_hash)},
                 {"root_hash", HexEncode(*root)},
                 {"audit_path", HashArray(*proof)}},
      .outcome = VerifyInclusion(leaf_hash, *options.index, *options.tree_size, *proof, *root)};
  return PrintReport(report, "inclusion", options.format,
                     "leaf " + std::to_string(*options.index) + " is in the tree of size " +
                         std::to_string(*options.tree_size) + " with root " + HexEncode(*root));
}

struct ConsistencyOptions {
  std::optional<uint64_t> old_size;
  std::optional<uint64_t> new_size;
  std::string old_root;
  std::string new_root;
  std::optional<std::string> proof;
  std::string json_file;
  std::string format = "text";
};

int RunConsistency(ConsistencyOptions options) {
  if (!options.json_file.empty()) {
    Result<InputJson> object = ReadJsonObject(options.json_file);
    Result<void> filled = object ? FillUint(*object, kOldSizeNames, options.old_size) : Result<void>();
    if (filled && object) filled = FillUint(*object, kNewSizeNames, options.new_size);
    if (filled && object) filled = FillString(*object, kOldRootNames, options.old_root);
    if (filled && object) filled = FillString(*object, kNewRootNames, options.new_root);
    if (filled && object) filled = FillProof(*object, kConsistencyNames, options.proof);
    if (!object || !filled) {
      PrintError((object ? filled.error() : object.error()).message);
      return kExitUsage;
    }
  }
  for (const std::string& missing :
       {Required(options.old_size, "--old-size"), Required(options.new_size, "--new-size"),
        std::string(options.old_root.empty() ? "missing --old-root" : ""),
        std::string(options.new_root.empty() ? "missing --new-root" : "")}) {
    if (!missing.empty()) {
      PrintError("proof consistency: " + missing + " (see --help)");
      return kExitUsage;
    }
  }
  Result<MerkleHash> old_root = ParseHashFlag("--old-root", options.old_root);
  Result<MerkleHash> new_root = ParseHashFlag("--new-root", options.new_root);
  Result<std::vector<MerkleHash>> proof = ParseProofList("--proof", options.proof.value_or(""));
  for (const Error* error : {old_root ? nullptr : &old_root.error(),
                             new_root ? nullptr : &new_root.error(),
                             proof ? nullptr : &proof.error()}) {
    if (error != nullptr) {
      PrintError(error->message);
      return kExitUsage;
    }
  }

  Report report{.fields = {{"old_size", *options.old_size},
                           {"new_size", *options.new_size},
                           {"old_root", HexEncode(*old_root)},
                           {"new_root", HexEncode(*new_root)},
                           {"consistency", HashArray(*proof)}},
                .outcome = VerifyConsistency(*options.old_size, *options.new_size, *proof,
                                             *old_root, *new_root)};
  return PrintReport(report, "consistency", options.format,
                     "the tree of size " + std::to_string(*options.old_size) +
                         " is a prefix of the tree of size " + std::to_string(*options.new_size));
}

}  // namespace

void AddProofCommand(CLI::App& app, Action& run) {
  CLI::App* proof = app.add_subcommand("proof", "Verify Merkle inclusion and consistency proofs");
  proof->require_subcommand(1);
  proof->footer(
      "Hashes are 64 hex digits or 44 base64 characters; proof nodes are comma-separated in "
      "RFC 6962/9162 order; indices are 0-based. Exit 0 verified, 1 not verified, 2 bad input.");

  auto inclusion = std::make_shared<InclusionOptions>();
  CLI::App* incl = proof->add_subcommand(
      "inclusion", "Verify that a leaf is in a tree of a given size and root (RFC 9162 §2.1.3)");
  auto* leaf_hash = incl->add_option("--leaf-hash", inclusion->leaf_hash,
                                     "Leaf hash SHA-256(0x00 || leaf), hex or base64");
  auto* leaf_data = incl->add_option("--leaf-data", inclusion->leaf_data_file,
                                     "File holding the leaf itself (e.g. a MerkleTreeLeaf); - for stdin");
  leaf_hash->excludes(leaf_data);
  incl->add_option("--index", inclusion->index, "0-based leaf index")
      ->check(UnsignedInteger());
  incl->add_option("--tree-size", inclusion->tree_size, "Tree size the proof is for")
      ->check(UnsignedInteger());
  incl->add_option("--root", inclusion->root, "Expected root hash of the tree");
  incl->add_option("--proof", inclusion->proof, "Audit path: HEX[,HEX...]; '' for an empty proof");
  incl->add_option("--json", inclusion->json_file,
                   "JSON file with leaf_index, tree_size, leaf_hash, root_hash, audit_path "
                   "(flags override its fields)");
  AddFormatFlag(incl, inclusion->format);
  incl->callback([inclusion, &run] { run = [inclusion] { return RunInclusion(*inclusion); }; });

  auto consistency = std::make_shared<ConsistencyOptions>();
  CLI::App* cons = proof->add_subcommand(
      "consistency", "Verify that an older tree is a prefix of a newer one (RFC 9162 §2.1.4)");
  cons->add_option("--old-size", consistency->old_size, "Size of the older tree (> 0)")
      ->check(UnsignedInteger());
  cons->add_option("--new-size", consistency->new_size, "Size of the newer tree")
      ->check(UnsignedInteger());
  cons->add_option("--old-root", consistency->old_root, "Root hash of the older tree");
  cons->add_option("--new-root", consistency->new_root, "Root hash of the newer tree");
  cons->add_option("--proof", consistency->proof,
                   "Consistency proof: HEX[,HEX...]; '' for an empty proof");
  cons->add_option("--json", consistency->json_file,
                   "JSON file with old_size, new_size, old_root, new_root, consistency "
                   "(flags override its fields)");
  AddFormatFlag(cons, consistency->format);
  cons->callback(
      [consistency, &run] { run = [consistency] { return RunConsistency(*consistency); }; });
}

}  // namespace ctkit::cli
