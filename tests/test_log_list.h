// Synthetic log lists (the v3 schema ct/log_list.h reads) over the real log keys in testdata/,
// for tests that need a log in a given state, with a temporal interval or earlier operators, and
// the facts about testdata/'s SCT files those tests check against.
//
//   using namespace testing::log_list_data;
//   std::string json = LogListJson({{.key_file = kTestLogKey, .state = "retired"}}, kCtlogNow);

#pragma once

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "base/bytes.h"
#include "base/sha256.h"
#include "ct/rfc3339.h"
#include "test_support.h"
#include "x509/pem.h"

namespace ctkit::testing {

// Log keys, certificates and SCT timestamps of testdata/ (provenance in testdata/README.md),
// for `using namespace testing::log_list_data;`.
namespace log_list_data {

inline int64_t Ms(const char* rfc3339) { return ParseRfc3339(rfc3339).value(); }

inline constexpr char kTestLogKey[] = "sct/ctlog/ct-server-key-public.pem";
inline constexpr char kTestLogRsaKey[] = "sct/ctlog/ct-server-key-public-rsa.pem";
inline constexpr char kIcarusKey[] = "keys/google-icarus.pem";
inline constexpr char kMammothKey[] = "keys/sectigo-mammoth.pem";
inline constexpr char kCryptographyLeaf[] = "sct/realworld/cryptography.io-2018/leaf.pem";
inline constexpr char kCryptographyIssuer[] = "sct/realworld/cryptography.io-2018/issuer.pem";
inline constexpr int64_t kEmbeddedSctMs = 1365181456275;  // test-embedded-cert.pem's SCT
inline constexpr int64_t kX509SctMs = 1365181456089;      // test-cert.proof, test-cert-rsa.proof
inline constexpr int64_t kCryptographyIcarusMs = 1537995393769;
inline constexpr int64_t kCryptographyMammothMs = 1537995393904;
// The CT test CA's certificates expire 2022-06-01; their SCTs are from April 2013.
inline const int64_t kCtlogNow = Ms("2013-05-01T00:00:00Z");
inline const int64_t kLongAgo = Ms("2000-01-01T00:00:00Z");

}  // namespace log_list_data

// The DER SubjectPublicKeyInfo of a key file: a PEM "PUBLIC KEY" block (any text before it is
// ignored), or for sct/sctrs/*-pubkey.bin the bare uncompressed P-256 point, put behind the
// fixed RFC 5480 id-ecPublicKey/prime256v1 SPKI header.
inline Bytes SpkiOf(const std::string& relative) {
  if (relative.ends_with(".bin")) {
    Bytes spki = HexDecode("3059301306072a8648ce3d020106082a8648ce3d030107034200").value();
    Bytes point = ReadTestData(relative);
    spki.insert(spki.end(), point.begin(), point.end());
    return spki;
  }
  Result<std::vector<PemBlock>> blocks = PemDecodeBlocks(ReadTestDataText(relative));
  if (blocks) {
    for (const PemBlock& block : *blocks) {
      if (block.label == "PUBLIC KEY") return block.data;
    }
  }
  throw std::runtime_error(relative + ": no PUBLIC KEY block");
}

// One log of a list: key, operator, state and since when, optional temporal interval.
struct TestLog {
  std::string key_file;
  std::string op = "Test Operator";
  std::string state = "usable";  // "" for no state object
  int64_t since_ms = log_list_data::kLongAgo;
  std::optional<std::pair<int64_t, int64_t>> interval;  // [start_inclusive, end_exclusive)
  std::string description;                              // default: "Test log N"
  nlohmann::json previous_operators = nullptr;          // the list's array, as is
};

// The list, logs grouped under their operators in the order given; log N's URL is
// https://logN.example/.
inline std::string LogListJson(const std::vector<TestLog>& logs, int64_t list_timestamp_ms) {
  using nlohmann::json;
  json operators = json::array();
  for (size_t i = 0; i < logs.size(); ++i) {
    const TestLog& log = logs[i];
    Bytes key = SpkiOf(log.key_file);
    json entry{{"description",
                log.description.empty() ? "Test log " + std::to_string(i) : log.description},
               {"log_id", Base64Encode(Sha256(key))},
               {"key", Base64Encode(key)},
               {"url", "https://log" + std::to_string(i) + ".example/"},
               {"mmd", 86400}};
    if (!log.state.empty()) {
      json body{{"timestamp", FormatRfc3339(log.since_ms)}};
      if (log.state == "readonly") {
        body["final_tree_head"] = {{"sha256_root_hash", Base64Encode(Bytes(32, 0))},
                                   {"tree_size", 1}};
      }
      entry["state"] = {{log.state, body}};
    }
    if (log.interval) {
      entry["temporal_interval"] = {{"start_inclusive", FormatRfc3339(log.interval->first)},
                                    {"end_exclusive", FormatRfc3339(log.interval->second)}};
    }
    if (!log.previous_operators.is_null()) entry["previous_operators"] = log.previous_operators;
    auto found = std::find_if(operators.begin(), operators.end(),
                              [&](const json& o) { return o["name"] == log.op; });
    if (found == operators.end()) {
      operators.push_back(
          {{"name", log.op}, {"email", json::array({"ct@example.com"})}, {"logs", json::array()}});
      found = operators.end() - 1;
    }
    (*found)["logs"].push_back(entry);
  }
  return json{{"version", "1.0"},
              {"log_list_timestamp", FormatRfc3339(list_timestamp_ms)},
              {"operators", operators}}
      .dump(2);
}

}  // namespace ctkit::testing
