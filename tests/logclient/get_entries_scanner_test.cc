// The get-entries fast path (logclient/get_entries_scanner.h) against the JSON-tree parser: on
// every body, the scanner either declines or returns exactly what the tree parser returns, and
// ParseGetEntriesResponse agrees with the tree parser on the outcome and the entries.

#include "logclient/get_entries_scanner.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "logclient/log_client_json.h"

namespace ctkit {
namespace {

std::string Entry(const Bytes& leaf, const Bytes& extra) {
  return R"({"leaf_input":")" + Base64Encode(leaf) + R"(","extra_data":")" + Base64Encode(extra) +
         R"("})";
}

Bytes Filled(size_t size, uint8_t seed) {
  Bytes bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(seed + i * 7);
  return bytes;
}

std::string CanonicalBody(size_t count) {
  std::string body = R"({"entries":[)";
  for (size_t i = 0; i < count; ++i) {
    if (i) body += ",";
    body += Entry(Filled(100 + i, static_cast<uint8_t>(i)), Filled(i % 5, 3));
  }
  return body + "]}";
}

// The property both paths must share on `body`.
void ExpectAgreement(const std::string& body, size_t max_entries) {
  SCOPED_TRACE(body.substr(0, 200));
  Result<std::vector<RawLogEntry>> tree = ParseGetEntriesResponseWithJsonTree(body, max_entries);
  std::optional<std::vector<RawLogEntry>> scanned = ScanCanonicalGetEntries(body, max_entries);
  if (scanned) {
    ASSERT_TRUE(tree.has_value()) << "scanner accepted what the tree parser rejects: "
                                  << tree.error().message;
    EXPECT_EQ(*scanned, *tree);
  }
  Result<std::vector<RawLogEntry>> combined = ParseGetEntriesResponse(body, max_entries);
  ASSERT_EQ(combined.has_value(), tree.has_value());
  if (tree) {
    EXPECT_EQ(*combined, *tree);
  } else {
    EXPECT_EQ(combined.error().message, tree.error().message);
  }
}

TEST(GetEntriesScannerTest, TakesCanonicalBodies) {
  for (size_t count : {0, 1, 2, 17}) {
    std::string body = CanonicalBody(count);
    std::optional<std::vector<RawLogEntry>> scanned = ScanCanonicalGetEntries(body, 32);
    ASSERT_TRUE(scanned.has_value()) << count;
    ASSERT_EQ(scanned->size(), count);
    if (count > 1) {
      EXPECT_EQ(scanned->at(1).leaf_input, Filled(101, 1));
    }
    ExpectAgreement(body, 32);
  }
}

TEST(GetEntriesScannerTest, TakesWhitespaceAndEitherKeyOrder) {
  std::string leaf = Base64Encode(Filled(40, 9)), extra = Base64Encode(Filled(3, 1));
  std::string body = " {\n \"entries\" : [ { \"extra_data\" : \"" + extra +
                     "\" ,\t\"leaf_input\":\"" + leaf + "\" } ]\r\n} ";
  std::optional<std::vector<RawLogEntry>> scanned = ScanCanonicalGetEntries(body, 4);
  ASSERT_TRUE(scanned.has_value());
  EXPECT_EQ(scanned->at(0).leaf_input, Filled(40, 9));
  ExpectAgreement(body, 4);
}

TEST(GetEntriesScannerTest, DeclinesWhatOnlyTheTreeParserMayJudge) {
  std::string leaf = Base64Encode(Filled(40, 9)), extra = Base64Encode(Filled(3, 1));
  const std::vector<std::string> bodies = {
      // Valid JSON the scanner leaves to the tree parser ("\/" is an escaped '/').
      R"({"entries":[{"leaf_input":")" + leaf.substr(0, 4) + "\\/" + leaf.substr(5) +
          R"(","extra_data":")" + extra + R"("}]})",
      R"({"entries":[{"leaf_input":")" + leaf + R"(","extra_data":")" + extra + R"(","other":1}]})",
      R"({"more":true,"entries":[]})",
      // Invalid: the tree parser's error must come through unchanged.
      R"({"entries":[{"leaf_input":")" + leaf + R"(","leaf_input":")" + leaf + R"("}]})",
      R"({"entries":[{"leaf_input":")" + leaf + R"("}]})",
      R"({"entries":[{"leaf_input":"AA=","extra_data":""}]})",
      R"({"entries":[{"leaf_input":"A===","extra_data":""}]})",
      R"({"entries":[{"leaf_input":"AB==","extra_data":""}]})",
      R"({"entries":[{"leaf_input":"","extra_data":""},]})",
      R"({"entries":[{"leaf_input":"","extra_data":""}]}x)",
      R"({"entries":[{"leaf_input":"","extra_data":""}])",
      R"({"entries":{}})",
      R"([])",
      "",
  };
  for (const std::string& body : bodies) ExpectAgreement(body, 4);
  EXPECT_FALSE(ScanCanonicalGetEntries(bodies[0], 4).has_value());
  EXPECT_FALSE(ParseGetEntriesResponse(bodies[3], 4).has_value());
}

TEST(GetEntriesScannerTest, MoreEntriesThanAskedIsTheTreeParsersError) {
  std::string body = CanonicalBody(3);
  EXPECT_FALSE(ScanCanonicalGetEntries(body, 2).has_value());
  Result<std::vector<RawLogEntry>> parsed = ParseGetEntriesResponse(body, 2);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message.find("more than 2"), std::string::npos);
}

// Random single-byte edits, insertions and cuts of canonical bodies: the two paths never
// disagree (a fuzzer explores further).
TEST(GetEntriesScannerTest, MutatedBodiesAgree) {
  std::mt19937 random(6962);
  const std::string alphabet = "{}[]\",: \\/=+Aa0_eqx\n";
  std::string base = CanonicalBody(3);
  for (int round = 0; round < 3000; ++round) {
    std::string body = base;
    int edits = 1 + static_cast<int>(random() % 3);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      size_t at = random() % body.size();
      switch (random() % 3) {
        case 0:
          body[at] = alphabet[random() % alphabet.size()];
          break;
        case 1:
          body.insert(at, 1, alphabet[random() % alphabet.size()]);
          break;
        default:
          body.resize(at);
          break;
      }
    }
    ExpectAgreement(body, 3);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace ctkit
