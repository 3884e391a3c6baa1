// ct/proof_report.h: whether a proof verified, added to its JSON or said in one line.

#include "ct/proof_report.h"

#include <gtest/gtest.h>

namespace ctkit {
namespace {

using json = nlohmann::ordered_json;

TEST(ProofReportTest, AVerifiedProof) {
  json out = ProofReportJson({{"tree_size", 4}}, Result<void>(), "inclusion");
  EXPECT_EQ(out.dump(), R"({"tree_size":4,"type":"inclusion","verified":true,"reason":null})");
  EXPECT_EQ(ProofReportText(Result<void>(), "inclusion", "leaf 1 is in the tree"),
            "OK: leaf 1 is in the tree\n");
}

TEST(ProofReportTest, AFailedProofSaysWhy) {
  Result<void> failed = MakeError(ErrorCode::kVerificationFailed, "root mismatch");
  json out = ProofReportJson(json::object(), failed, "consistency");
  EXPECT_EQ(out["type"], "consistency");
  EXPECT_EQ(out["verified"], false);
  EXPECT_EQ(out["reason"], "root mismatch");
  EXPECT_EQ(ProofReportText(failed, "consistency", "unused"),
            "FAILED: consistency proof does not verify: root mismatch\n");
}

}  // namespace
}  // namespace ctkit
