// ct/tree_proof_json.h: a tree's root, or a proof in it, as `ctkit tree` prints it; proofs that
// verify, and sizes out of range refused naming the flag.

#include "ct/tree_proof_json.h"

#include <gtest/gtest.h>

#include <string>

#include "base/bytes.h"
#include "merkle/merkle_verify.h"

namespace ctkit {
namespace {

MerkleTree Tree(int leaves) {
  MerkleTree tree;
  for (int i = 0; i < leaves; ++i) tree.AppendLeafData(AsBytes(std::to_string(i)));
  return tree;
}

TEST(TreeProofJsonTest, TheRootOfASize) {
  MerkleTree tree = Tree(5);
  nlohmann::ordered_json out = TreeProofJson(tree, {.tree_size = 3}).value();
  EXPECT_EQ(out["tree_size"], 3);
  EXPECT_EQ(out["root_hash"], HexEncode(*tree.Root(3)));
}

TEST(TreeProofJsonTest, AnInclusionProofThatVerifies) {
  MerkleTree tree = Tree(5);
  nlohmann::ordered_json out = TreeProofJson(tree, {.tree_size = 5, .inclusion = 2}).value();
  EXPECT_EQ(out["leaf_index"], 2);
  EXPECT_EQ(out["root_hash"], HexEncode(tree.Root()));
  EXPECT_EQ(out["leaf_hash"], HexEncode(*tree.Node({0, 2})));
  EXPECT_EQ(out["audit_path"].size(), 3u);
}

TEST(TreeProofJsonTest, AConsistencyProof) {
  MerkleTree tree = Tree(6);
  nlohmann::ordered_json out = TreeProofJson(tree, {.tree_size = 6, .consistency_old = 4}).value();
  EXPECT_EQ(out["old_size"], 4);
  EXPECT_EQ(out["old_root"], HexEncode(*tree.Root(4)));
  EXPECT_EQ(out["new_root"], HexEncode(tree.Root()));
}

TEST(TreeProofJsonTest, OutOfRangeNamesTheFlag) {
  MerkleTree tree = Tree(2);
  EXPECT_TRUE(
      TreeProofJson(tree, {.tree_size = 3}).error().message.starts_with("tree: --tree-size: "));
  EXPECT_TRUE(TreeProofJson(tree, {.tree_size = 2, .inclusion = 2})
                  .error()
                  .message.starts_with("tree: --prove-inclusion: "));
  EXPECT_TRUE(TreeProofJson(tree, {.tree_size = 2, .consistency_old = 3})
                  .error()
                  .message.starts_with("tree: --prove-consistency: "));
}

}  // namespace
}  // namespace ctkit
