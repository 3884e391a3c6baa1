// ct/proof_json.h: proofs print as the JSON `ctkit proof --json` reads back, and are read from
// every form they come in, fields already given winning over the file's.

#include "ct/proof_json.h"

#include <gtest/gtest.h>

#include <vector>

#include "merkle/merkle_hash.h"

namespace ctkit {
namespace {

MerkleHash H(const char* text) { return HashLeaf(AsBytes(text)); }

nlohmann::json Parse(const char* text) { return ParseJsonObject(text).value(); }

TEST(ProofJsonTest, WrittenInCtkitsOwnForm) {
  std::vector<MerkleHash> path = {H("a"), H("b")};
  nlohmann::ordered_json inclusion = InclusionProofJson(2, 7, H("leaf"), H("root"), path);
  EXPECT_EQ(inclusion.dump(), "{\"leaf_index\":2,\"tree_size\":7,\"leaf_hash\":\"" +
                                  HexEncode(H("leaf")) + "\",\"root_hash\":\"" +
                                  HexEncode(H("root")) + "\",\"audit_path\":[\"" +
                                  HexEncode(H("a")) + "\",\"" + HexEncode(H("b")) + "\"]}");
  nlohmann::ordered_json consistency = ConsistencyProofJson(3, 7, H("old"), H("new"), {});
  EXPECT_EQ(consistency.dump(), "{\"old_size\":3,\"new_size\":7,\"old_root\":\"" +
                                    HexEncode(H("old")) + "\",\"new_root\":\"" +
                                    HexEncode(H("new")) + "\",\"consistency\":[]}");
}

TEST(ProofJsonTest, WhatIsWrittenReadsBack) {
  std::vector<MerkleHash> path = {H("a"), H("b")};
  InclusionProofFields fields;
  ASSERT_TRUE(FillInclusionProof(
      Parse(InclusionProofJson(2, 7, H("leaf"), H("root"), path).dump().c_str()), fields));
  EXPECT_EQ(fields.leaf_index, 2u);
  EXPECT_EQ(fields.tree_size, 7u);
  EXPECT_EQ(fields.leaf_hash, HexEncode(H("leaf")));
  EXPECT_EQ(fields.root_hash, HexEncode(H("root")));
  EXPECT_EQ(fields.audit_path, HexEncode(H("a")) + "," + HexEncode(H("b")));
}

TEST(ProofJsonTest, ReadsRfc6962AndTestVectorNames) {
  InclusionProofFields inclusion;
  ASSERT_TRUE(FillInclusionProof(
      Parse(R"({"index": 1, "tree_size": 2, "sha256_root_hash": "r", "proof": []})"), inclusion));
  EXPECT_EQ(inclusion.leaf_index, 1u);
  EXPECT_EQ(inclusion.root_hash, "r");
  EXPECT_EQ(inclusion.audit_path, "");  // the empty proof

  ConsistencyProofFields consistency;
  ASSERT_TRUE(FillConsistencyProof(
      Parse(R"({"size1": 1, "second": 2, "root1": "x", "second_root": "y", "proof": ["p"]})"),
      consistency));
  EXPECT_EQ(consistency.old_size, 1u);
  EXPECT_EQ(consistency.new_size, 2u);
  EXPECT_EQ(consistency.old_root, "x");
  EXPECT_EQ(consistency.new_root, "y");
  EXPECT_EQ(consistency.proof, "p");
}

TEST(ProofJsonTest, FieldsAlreadyGivenWin) {
  InclusionProofFields fields{.leaf_index = 5, .root_hash = "flag", .audit_path = "n"};
  // The file's index and root are not even read, so their wrong types do not matter.
  ASSERT_TRUE(FillInclusionProof(
      Parse(R"({"leaf_index": "x", "root_hash": 3, "leaf_hash": "l", "audit_path": 4})"), fields));
  EXPECT_EQ(fields.leaf_index, 5u);
  EXPECT_EQ(fields.root_hash, "flag");
  EXPECT_EQ(fields.audit_path, "n");
  EXPECT_EQ(fields.leaf_hash, "l");

  InclusionProofFields without_leaf;
  ASSERT_TRUE(FillInclusionProof(Parse(R"({"leaf_hash": 1})"), without_leaf,
                                 /*with_leaf_hash=*/false));
  EXPECT_EQ(without_leaf.leaf_hash, "");
}

TEST(ProofJsonTest, WrongTypesNameTheField) {
  InclusionProofFields fields;
  Result<void> size = FillInclusionProof(Parse(R"({"tree_size": -1})"), fields);
  ASSERT_FALSE(size);
  EXPECT_EQ(size.error().message, "field \"tree_size\" is not a non-negative integer");
  Result<void> path = FillInclusionProof(Parse(R"({"audit_path": "x"})"), fields);
  ASSERT_FALSE(path);
  EXPECT_EQ(path.error().message, "field \"audit_path\" is not an array");
  Result<void> item = FillInclusionProof(Parse(R"({"proof": ["a", 1]})"), fields);
  ASSERT_FALSE(item);
  EXPECT_EQ(item.error().message, "field \"proof\" item 1 is not a string");
}

TEST(ProofJsonTest, OnlyAnObjectIsAProof) {
  EXPECT_EQ(ParseJsonObject("[1]").error().message, "not a JSON object");
  EXPECT_EQ(ParseJsonObject("{").error().code, ErrorCode::kMalformed);
}

}  // namespace
}  // namespace ctkit
