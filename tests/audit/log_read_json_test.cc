// audit/log_read_json.h: a log entry and a proven leaf as `ctkit log entries` and `ctkit log
// inclusion` print them, against testdata/'s CT test log certificates.

#include "audit/log_read_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "audit/check_json.h"
#include "base/bytes.h"
#include "ct/log_entry.h"
#include "ct/log_key.h"
#include "tests/test_log_list.h"
#include "tests/test_support.h"
#include "x509/pem.h"

namespace ctkit::audit {
namespace {

using namespace testing::log_list_data;
using json = nlohmann::ordered_json;
using ::testing::Contains;

std::vector<CertificateView> Certificates(const std::string& relative) {
  return ParseCertificateInput(testing::ReadTestData(relative)).value();
}

// cryptography.io's 2018 certificate logged as an x509_entry at index 5.
LogEntry X509Entry() {
  CertificateView cert = Certificates(kCryptographyLeaf)[0];
  TimestampedEntry entry{.timestamp_ms = static_cast<uint64_t>(kX509SctMs),
                         .signed_entry = X509SignedEntry(cert.der()).value(),
                         .extensions = {}};
  return MakeLogEntry(5, SerializeMerkleTreeLeaf(entry).value(),
                      SerializeExtraData(LogEntryType::kX509, {}).value())
      .value();
}

TEST(LogReadJsonTest, AnX509EntryWithItsNames) {
  LogEntry entry = X509Entry();
  Result<CertificateView> cert = EntryCertificate(entry);
  ASSERT_TRUE(cert) << cert.error().message;
  EXPECT_EQ(cert->sha256(), Certificates(kCryptographyLeaf)[0].sha256());
  std::vector<std::string> names = DisplayNames(*cert);
  EXPECT_THAT(names, Contains("cryptography.io"));

  json out = EntryJson(entry, cert);
  EXPECT_EQ(out["index"], 5);
  EXPECT_EQ(out["timestamp"], kX509SctMs);
  EXPECT_EQ(out["entry_type"], "x509");
  EXPECT_EQ(out["leaf_hash"], HexEncode(entry.leaf_hash));
  EXPECT_EQ(out["names"], names);
  EXPECT_EQ(out["leaf_input"], Base64Encode(entry.leaf_input));
  EXPECT_FALSE(out.contains("issuer_key_hash"));
  EXPECT_FALSE(out.contains("certificate_error"));
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : ",") + name;
  EXPECT_EQ(EntryLine(entry, cert),
            "5 2013-04-05T17:04:16.089Z x509    " + HexEncode(entry.leaf_hash) + " " + joined);
}

TEST(LogReadJsonTest, AnUnparsedCertificateIsShownWithWhy) {
  LogEntry entry = X509Entry();
  Result<CertificateView> cert = MakeError(ErrorCode::kMalformed, "bad\nDER");
  json out = EntryJson(entry, cert);
  EXPECT_EQ(out["names"], json::array());
  EXPECT_EQ(out["certificate_error"], "bad\nDER");
  EXPECT_TRUE(EntryLine(entry, cert).ends_with(" (unparsed: bad\\x0aDER)"))
      << EntryLine(entry, cert);
}

TEST(LogReadJsonTest, AProvenLeafInJsonAndText) {
  std::shared_ptr<const LogKey> key =
      LogKey::FromSpkiDer(testing::SpkiOf("sct/ctlog/ct-server-key-public.pem")).value();
  PromisedLeaf leaf = PromisedLeafOf(Certificates("sct/ctlog/test-embedded-cert.pem")[0],
                                     Certificates("sct/ctlog/ca-cert.pem"), *key, "")
                          .value();
  SignedTreeHead sth{.tree_size = 10, .timestamp_ms = 1700000000000, .root_hash = leaf.leaf_hash};
  json out = InclusionJson({{"log", "https://log.example/"}}, "cert.pem", leaf, sth, uint64_t{4});
  EXPECT_EQ(out["log"], "https://log.example/");
  EXPECT_EQ(out["certificate"], "cert.pem");
  EXPECT_EQ(out["leaf_hash"], HexEncode(leaf.leaf_hash));
  EXPECT_EQ(out["sct_timestamp"], kEmbeddedSctMs);
  EXPECT_EQ(out["sct_signature"], "valid");
  EXPECT_EQ(out["tree_size"], 10);
  EXPECT_EQ(out["root_hash"], HexEncode(sth.root_hash));
  EXPECT_FALSE(out.contains("sha256_root_hash"));
  EXPECT_EQ(out["included"], true);
  EXPECT_EQ(out["leaf_index"], 4);

  json missing = InclusionJson(json::object(), "cert.pem", leaf, sth,
                               MakeError(ErrorCode::kNotFound, "not in the tree"));
  EXPECT_EQ(missing["included"], false);
  EXPECT_EQ(missing["reason"], "not in the tree");
  EXPECT_FALSE(missing.contains("error"));
  EXPECT_FALSE(missing.contains("leaf_index"));

  std::string text = InclusionText("https://log.example/", "cert.pem", leaf, sth, 4);
  EXPECT_EQ(text,
            "cert.pem: included in https://log.example/\n"
            "  leaf index: 4\n"
            "  leaf hash:  " +
                HexEncode(leaf.leaf_hash) +
                "\n"
                "  SCT:        2013-04-05T17:04:16.275Z, signature valid\n"
                "  tree head:  size 10, root " +
                Base64Encode(leaf.leaf_hash) + ", 2023-11-14T22:13:20Z (signature verified)\n");
}

}  // namespace
}  // namespace ctkit::audit
