// The static-ct-api read path (c2sp.org/static-ct-api) of `ctkit log serve --api static|both`,
// checked as a client would: the checkpoint verifies under the log's key and matches get-sth,
// hash tiles (full, partial, and the partial tiles of earlier checkpoints) rebuild the signed
// roots, data tiles hash to the level 0 tiles and hold the entries the SCTs promise (leaf_index
// included), issuers are served by fingerprint, and nothing outside the signed tree is served.
// In-process tests cover what a real process cannot show deterministically (entries accepted
// but not yet in a signed head) and the issuers backfill of databases from before the table.

#include "logserver/static_ct_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cert_factory.h"
#include "ct/checkpoint.h"
#include "ct/log_entry.h"
#include "ct/sct_verify.h"
#include "ct/tile_leaf.h"
#include "ct/tile_path.h"
#include "ct/tls_codec.h"
#include "logserver/log_process.h"
#include "logserver/log_service.h"
#include "merkle/compact_range.h"
#include "run_command.h"
#include "storage/sqlite.h"
#include "test_support.h"

namespace ctkit {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::LogProcess;
using ::testing::StartsWith;
using testing::TestCa;

constexpr char kOrigin[] = "localhost/ctkit-test";
constexpr char kImmutable[] = "public, max-age=31536000, immutable";

std::vector<MerkleHash> SplitHashes(const std::string& body) {
  EXPECT_EQ(body.size() % kMerkleHashSize, 0u);
  std::vector<MerkleHash> hashes(body.size() / kMerkleHashSize);
  for (size_t i = 0; i < hashes.size(); ++i) {
    std::copy_n(body.begin() + static_cast<std::ptrdiff_t>(i * kMerkleHashSize), kMerkleHashSize,
                hashes[i].begin());
  }
  return hashes;
}

MerkleHash RootOf(std::span<const MerkleHash> leaf_hashes) {
  CompactRange range;
  range.Append(leaf_hashes);
  return range.Root();
}

// What the test submitted, and what the log answered.
struct Submitted {
  Bytes leaf;  // the certificate or precertificate
  const TestCa* ca;
  bool precertificate;
  SignedCertificateTimestamp sct;
};

class StaticCtApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("ctkit-static");
    ASSERT_FALSE(dir_.empty());
    auto keygen = testing::RunCtkit({"log", "keygen", "--out", dir_ + "/log.key"});
    ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
    Result<std::shared_ptr<const LogSigner>> signer =
        LogSigner::FromPem(testing::ReadFile(dir_ + "/log.key"));
    ASSERT_TRUE(signer) << signer.error().message;
    signer_ = *signer;
    key_ = signer_->public_key();
    keyring_.Add(key_);
  }
  void TearDown() override { testing::RemoveTree(dir_); }

  static httplib::Result Get(int port, const std::string& path) {
    httplib::Client client("127.0.0.1", port);
    return client.Get(path.c_str());
  }
  // GET that must answer 200; returns the body.
  static std::string Fetch(int port, const std::string& path, const std::string& content_type,
                           const std::string& cache_control = kImmutable) {
    httplib::Result res = Get(port, path);
    EXPECT_TRUE(res) << path;
    if (!res) return {};
    EXPECT_EQ(res->status, 200) << path << ": " << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), content_type) << path;
    EXPECT_EQ(res->get_header_value("Cache-Control"), cache_control) << path;
    return res->body;
  }
  static void ExpectNotFound(int port, const std::string& path) {
    httplib::Result res = Get(port, path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path << ": " << res->body;
    EXPECT_NE(res->get_header_value("Cache-Control"), kImmutable) << path;
  }

  Submitted Submit(int port, const TestCa& ca, bool precertificate, const std::string& name,
                   long serial) {
    Submitted submitted{ca.IssueLeaf(name, serial, precertificate), &ca, precertificate, {}};
    json chain = json::array({Base64Encode(submitted.leaf), Base64Encode(ca.der())});
    httplib::Client client("127.0.0.1", port);
    httplib::Result res = client.Post(precertificate ? "/ct/v1/add-pre-chain" : "/ct/v1/add-chain",
                                      json{{"chain", chain}}.dump(), "application/json");
    EXPECT_TRUE(res);
    if (!res) return submitted;
    EXPECT_EQ(res->status, 200) << res->body;
    json j = json::parse(res->body);
    Bytes id = *Base64Decode(j["id"].get<std::string>());
    std::copy(id.begin(), id.end(), submitted.sct.log_id.begin());
    submitted.sct.timestamp_ms = j["timestamp"];
    submitted.sct.extensions = *Base64Decode(j["extensions"].get<std::string>());
    Bytes signature = *Base64Decode(j["signature"].get<std::string>());
    TlsReader reader(signature);
    submitted.sct.signature = *ReadDigitallySigned(reader);
    return submitted;
  }

  // Polls /checkpoint until the log's signed tree reaches `size`; returns the verified head.
  SignedTreeHead WaitForCheckpoint(int port, const std::string& origin, uint64_t size) {
    for (int attempt = 0; attempt < 200; ++attempt) {
      httplib::Result res = Get(port, "/checkpoint");
      if (res && res->status == 200) {
        Result<SignedTreeHead> head = VerifyCheckpoint(res->body, origin, *key_);
        EXPECT_TRUE(head) << head.error().message << "\n" << res->body;
        if (!head) return {};
        if (head->tree_size >= size) return *head;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "checkpoint never reached size " << size;
    return {};
  }

  std::string dir_;
  std::shared_ptr<const LogSigner> signer_;
  std::shared_ptr<const LogKey> key_;
  LogKeyring keyring_;
  TestCa ca_a_{"Static Test CA A"};
  TestCa ca_b_{"Static Test CA B"};
};

TEST_F(StaticCtApiTest, ServesTheSignedTreeAsCheckpointAndTiles) {
  LogProcess log(dir_, {"--api", "both", "--origin", kOrigin});
  ASSERT_GT(log.port(), 0);
  const int port = log.port();
  std::vector<Submitted> submitted;
  auto submit = [&](size_t count) {
    for (size_t i = 0; i < count; ++i) {
      size_t n = submitted.size();
      // Every 7th a precertificate; two issuers, so tiles name two fingerprints.
      submitted.push_back(Submit(port, n % 2 ? ca_b_ : ca_a_, n % 7 == 3,
                                 "e" + std::to_string(n) + ".example.com",
                                 1000 + static_cast<long>(n)));
    }
  };

  // A first checkpoint at 100 entries, then the tree grows to 300: one full level 0 tile, a
  // partial level 0 tile of width 44, a partial level 1 tile of width 1.
  submit(100);
  SignedTreeHead head100 = WaitForCheckpoint(port, kOrigin, 100);
  ASSERT_EQ(head100.tree_size, 100u);
  submit(200);
  SignedTreeHead head = WaitForCheckpoint(port, kOrigin, 300);
  ASSERT_EQ(head.tree_size, 300u);

  // The checkpoint is the RFC 6962 head: same size and root as get-sth (both read the latest
  // head; the tree no longer grows, only the timestamp may be refreshed).
  std::string note = Fetch(port, "/checkpoint", "text/plain; charset=utf-8", "no-store");
  EXPECT_THAT(note, StartsWith(std::string(kOrigin) + "\n300\n" + Base64Encode(head.root_hash) +
                               "\n\n\xE2\x80\x94 " + kOrigin + " "));
  Result<SignedTreeHead> sth =
      ParseSthJson(Fetch(port, "/ct/v1/get-sth", "application/json; charset=utf-8", ""));
  ASSERT_TRUE(sth);
  EXPECT_TRUE(VerifySignedTreeHead(*sth, *key_));
  EXPECT_EQ(sth->tree_size, head.tree_size);
  EXPECT_EQ(sth->root_hash, head.root_hash);

  // Hash tiles rebuild the root, from the leaves and from level 1.
  std::vector<MerkleHash> tile0 =
      SplitHashes(Fetch(port, "/tile/0/000", "application/octet-stream"));
  std::vector<MerkleHash> tile1 =
      SplitHashes(Fetch(port, "/tile/0/001.p/44", "application/octet-stream"));
  std::vector<MerkleHash> level1 =
      SplitHashes(Fetch(port, "/tile/1/000.p/1", "application/octet-stream"));
  ASSERT_EQ(tile0.size(), 256u);
  ASSERT_EQ(tile1.size(), 44u);
  ASSERT_EQ(level1.size(), 1u);
  std::vector<MerkleHash> leaves = tile0;
  leaves.insert(leaves.end(), tile1.begin(), tile1.end());
  EXPECT_EQ(RootOf(leaves), head.root_hash);
  EXPECT_EQ(level1[0], RootOf(tile0));  // a level 1 hash is the MTH of a full level 0 tile
  Result<CompactRange> from_level1 = CompactRange::FromFrontier(256, level1);
  ASSERT_TRUE(from_level1);
  from_level1->Append(tile1);
  EXPECT_EQ(from_level1->Root(), head.root_hash);
  // The partial tile of the earlier checkpoint is still served, is a prefix of the full tile,
  // and rebuilds that checkpoint's root.
  std::vector<MerkleHash> old_partial =
      SplitHashes(Fetch(port, "/tile/0/000.p/100", "application/octet-stream"));
  ASSERT_EQ(old_partial.size(), 100u);
  EXPECT_TRUE(std::equal(old_partial.begin(), old_partial.end(), tile0.begin()));
  EXPECT_EQ(RootOf(old_partial), head100.root_hash);

  // The RFC 6962 read API serves the same leaves.
  httplib::Result entries = Get(port, "/ct/v1/get-entries?start=0&end=255");
  ASSERT_TRUE(entries);
  json list = json::parse(entries->body)["entries"];
  ASSERT_EQ(list.size(), 256u);
  for (size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(HashLeaf(*Base64Decode(list[i]["leaf_input"].get<std::string>())), tile0[i]) << i;
  }

  // Data tiles hold the entries the level 0 tiles hash, and the SCTs' promises.
  std::string data0 = Fetch(port, "/tile/data/000", "application/octet-stream");
  std::string data1 = Fetch(port, "/tile/data/001.p/44", "application/octet-stream");
  Result<std::vector<TileLeaf>> leaves0 = ParseDataTile(AsBytes(data0), 256);
  ASSERT_TRUE(leaves0) << leaves0.error().message;
  Result<std::vector<TileLeaf>> leaves1 = ParseDataTile(AsBytes(data1), 44);
  ASSERT_TRUE(leaves1) << leaves1.error().message;
  std::vector<TileLeaf> tile_leaves = *leaves0;
  tile_leaves.insert(tile_leaves.end(), leaves1->begin(), leaves1->end());
  ASSERT_EQ(tile_leaves.size(), 300u);
  std::set<std::string> fingerprints;
  for (const Submitted& s : submitted) {
    // static-ct-api "SCT Extension": every SCT names its entry's index.
    Result<SctExtensions> extensions = ParseSctExtensions(s.sct.extensions);
    ASSERT_TRUE(extensions && extensions->leaf_index);
    uint64_t index = *extensions->leaf_index;
    ASSERT_LT(index, 300u);
    const TileLeaf& leaf = tile_leaves[index];
    EXPECT_EQ(*LeafHashOf(leaf.timestamped_entry), leaves[index]) << index;
    EXPECT_EQ(leaf.timestamped_entry.timestamp_ms, s.sct.timestamp_ms) << index;
    EXPECT_EQ(leaf.timestamped_entry.extensions, s.sct.extensions) << index;
    // The SCT verifies over the entry the tile holds (for a precertificate, the PreCert the log
    // built), so this is the entry the SCT promised.
    EXPECT_EQ(VerifySct(s.sct, leaf.timestamped_entry.signed_entry, keyring_, std::nullopt),
              SctStatus::kValid)
        << index;
    if (s.precertificate) {
      EXPECT_EQ(leaf.timestamped_entry.signed_entry.type, LogEntryType::kPrecert);
      EXPECT_EQ(leaf.pre_certificate, s.leaf) << index;
    } else {
      EXPECT_EQ(leaf.timestamped_entry.signed_entry, *X509SignedEntry(s.leaf)) << index;
      EXPECT_TRUE(leaf.pre_certificate.empty());
    }
    ASSERT_EQ(leaf.certificate_chain.size(), 1u);
    EXPECT_EQ(leaf.certificate_chain[0], Sha256(s.ca->der())) << index;
    fingerprints.insert(HexEncode(leaf.certificate_chain[0]));
  }
  // Submissions were sequential, so entries are in submission order.
  for (size_t i = 0; i < submitted.size(); ++i) {
    EXPECT_EQ(*ParseSctExtensions(submitted[i].sct.extensions), SctExtensions{.leaf_index = i});
  }

  // Issuers, by lowercase hex fingerprint.
  ASSERT_EQ(fingerprints.size(), 2u);
  for (const TestCa* ca : {&ca_a_, &ca_b_}) {
    Bytes der = ca->der();
    std::string body = Fetch(port, "/issuer/" + HexEncode(Sha256(der)), "application/pkix-cert");
    EXPECT_EQ(Bytes(body.begin(), body.end()), der);
  }

  // Nothing outside the signed tree, and no other spelling of a path.
  std::string upper = HexEncode(Sha256(ca_a_.der()));
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& path : std::vector<std::string>{
           "/tile/0/001",       // still partial: the full tile does not exist yet
           "/tile/0/001.p/45",  // wider than the tree
           "/tile/0/002.p/1",   // beyond the tree
           "/tile/1/000",       // level 1 is partial
           "/tile/1/000.p/2",
           "/tile/2/000.p/1",  // the tree has no level 2 hash
           "/tile/5/000.p/1",
           "/tile/6/000.p/1",  // static-ct-api levels are 0..5
           "/tile/data/001",
           "/tile/data/001.p/45",
           "/tile/data/002.p/1",
           "/tile/0/0",         // not 3 digits
           "/tile/0/x000/000",  // a second spelling of 0
           "/tile/0/000.p/0",
           "/tile/0/000.p/256",
           "/tile/0/000.p/010",
           "/tile/00/000",
           "/tile/data/000/",
           "/tile/entries/000",
           "/tile/",
           "/issuer/" + HexEncode(Sha256(AsBytes("not an issuer"))),
           "/issuer/" + upper,  // the spec says lowercase
           "/issuer/abc",
           "/checkpoint/",
       }) {
    ExpectNotFound(port, path);
  }
}

TEST_F(StaticCtApiTest, StaticOnlyWithDefaultOrigin) {
  LogProcess log(dir_, {"--api", "static"});
  ASSERT_GT(log.port(), 0);
  // The origin defaults to the submission prefix without scheme: the listening address.
  std::string origin = "127.0.0.1:" + std::to_string(log.port());
  Submitted first = Submit(log.port(), ca_a_, false, "only.example.com", 1);
  EXPECT_EQ(*ParseSctExtensions(first.sct.extensions), SctExtensions{.leaf_index = 0});
  SignedTreeHead head = WaitForCheckpoint(log.port(), origin, 1);
  EXPECT_EQ(head.tree_size, 1u);
  std::vector<MerkleHash> tile =
      SplitHashes(Fetch(log.port(), "/tile/0/000.p/1", "application/octet-stream"));
  ASSERT_EQ(tile.size(), 1u);
  EXPECT_EQ(tile[0], head.root_hash);
  // Submissions and get-roots stay (static-ct-api "Submission APIs"); RFC 6962 reads are off.
  EXPECT_EQ(Get(log.port(), "/ct/v1/get-roots")->status, 200);
  for (const char* path : {"/ct/v1/get-sth", "/ct/v1/get-entries?start=0&end=0",
                           "/ct/v1/get-sth-consistency?first=1&second=1"}) {
    EXPECT_EQ(Get(log.port(), path)->status, 404) << path;
  }
}

TEST_F(StaticCtApiTest, Rfc6962OnlyServesNoStaticApi) {
  LogProcess log(dir_);
  ASSERT_GT(log.port(), 0);
  Submitted first = Submit(log.port(), ca_a_, false, "rfc.example.com", 1);
  EXPECT_TRUE(first.sct.extensions.empty());  // RFC 6962 SCTs carry no extensions
  for (const char* path : {"/checkpoint", "/tile/0/000.p/1", "/tile/data/000.p/1"}) {
    EXPECT_EQ(Get(log.port(), path)->status, 404) << path;
  }
  EXPECT_EQ(Get(log.port(), "/ct/v1/get-sth")->status, 200);
}

TEST_F(StaticCtApiTest, BadOriginIsAUsageError) {
  for (const char* origin : {"two words", "a+b", "tab\there"}) {
    auto result =
        testing::RunCtkit({"log", "serve", "--key", dir_ + "/log.key", "--db", dir_ + "/x.db",
                           "--accept-any-root", "--api", "both", "--origin", origin});
    EXPECT_EQ(result.exit_code, 2) << origin;
  }
}

// In-process: the log and its static API without HTTP.
class StaticCtApiServiceTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kNow = 1800000000000;
  void SetUp() override {
    dir_ = testing::TempDir("ctkit-static-service");
    ASSERT_FALSE(dir_.empty());
    signer_ = *LogSigner::Generate();
    Open();
  }
  void TearDown() override {
    service_.reset();
    testing::RemoveTree(dir_);
  }
  void Open() {
    service_.reset();
    Result<std::unique_ptr<LogService>> opened = LogService::Open(
        dir_ + "/log.db", signer_, {.accept_any_root = true, .sct_leaf_index = true}, kNow);
    ASSERT_TRUE(opened) << opened.error().message;
    service_ = std::move(*opened);
  }
  void Add(const std::string& name, long serial) {
    ASSERT_TRUE(service_->AddChain(std::vector<Bytes>{ca_.IssueLeaf(name, serial), ca_.der()},
                                   false, kNow));
  }

  std::string dir_;
  std::shared_ptr<const LogSigner> signer_;
  std::unique_ptr<LogService> service_;
  TestCa ca_{"Service Test CA"};
};

TEST_F(StaticCtApiServiceTest, TilesWaitForTheSignedHead) {
  Add("a.example.com", 1);
  Add("b.example.com", 2);
  // Accepted (the entries are stored) but not yet in a signed head: not served.
  TileId data{.is_data = true, .index = 0, .width = 1};
  TileId hashes{.level = 0, .index = 0, .width = 1};
  Result<Bytes> early = service_->DataTile(data);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kNotFound);
  Result<Bytes> early_hashes = service_->HashTile(hashes);
  ASSERT_FALSE(early_hashes);
  EXPECT_EQ(early_hashes.error().code, ErrorCode::kNotFound);
  StaticApiResponse response = ServeStaticCtApi(*service_, "o", "/tile/data/000.p/1");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.cache_control, "no-store");

  ASSERT_TRUE(service_->Integrate(kNow + 1, 0));
  EXPECT_TRUE(service_->DataTile(data));
  EXPECT_TRUE(service_->DataTile({.is_data = true, .index = 0, .width = 2}));
  EXPECT_FALSE(service_->DataTile({.is_data = true, .index = 0, .width = 3}));
  EXPECT_FALSE(service_->DataTile({.is_data = true, .index = 0}));  // full
  response = ServeStaticCtApi(*service_, "o", "/tile/0/000.p/2");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.cache_control, kImmutable);
  EXPECT_EQ(response.body.size(), 64u);
  response = ServeStaticCtApi(*service_, "o", "/checkpoint");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; charset=utf-8");
  Result<SignedTreeHead> head = VerifyCheckpoint(response.body, "o", *signer_->public_key());
  ASSERT_TRUE(head) << head.error().message;
  EXPECT_EQ(head->tree_size, 2u);
  EXPECT_EQ(ServeStaticCtApi(*service_, "o", "/elsewhere").status, 404);
}

TEST_F(StaticCtApiServiceTest, IssuersOfOlderDatabasesAreBackfilled) {
  Add("a.example.com", 1);
  Add("b.example.com", 2);
  ASSERT_TRUE(service_->Integrate(kNow + 1, 0));
  Sha256Digest fingerprint = Sha256(ca_.der());
  ASSERT_TRUE(service_->Issuer(fingerprint));
  service_.reset();
  {
    // Turn the database back into schema version 1, from before the issuers table.
    Result<SqliteDatabase> db = SqliteDatabase::Open(dir_ + "/log.db");
    ASSERT_TRUE(db);
    ASSERT_TRUE(
        db->Execute("DROP TABLE issuers; DROP TABLE issuer_backfill; PRAGMA user_version = 1;"));
  }
  Open();
  Result<Bytes> issuer = service_->Issuer(fingerprint);
  ASSERT_TRUE(issuer) << issuer.error().message;
  EXPECT_EQ(*issuer, ca_.der());
  Result<Bytes> unknown = service_->Issuer(Sha256(AsBytes("nobody")));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  // The data tile names it.
  Result<Bytes> tile = service_->DataTile({.is_data = true, .index = 0, .width = 2});
  ASSERT_TRUE(tile);
  Result<std::vector<TileLeaf>> leaves = ParseDataTile(*tile, 2);
  ASSERT_TRUE(leaves);
  EXPECT_EQ((*leaves)[1].certificate_chain, std::vector<Sha256Digest>{fingerprint});
}

}  // namespace
}  // namespace ctkit
