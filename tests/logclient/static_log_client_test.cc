// The static-ct-api client (logclient/static_log_client.h), two ways:
//   - against a real `ctkit log serve --api both` (tests/logserver/log_process.h): the entries
//     read from data tiles equal those of the same log's RFC 6962 get-entries, the checkpoint
//     verifies (and a wrong key or origin does not), proofs built from hash tiles equal the
//     log's own and verify, partial tiles, the issuer cache;
//   - against a fixture log served by cpp-httplib, where every response can be broken: wrong
//     tile sizes, gzip (with and without Content-Encoding, corrupt, a bomb), oversized bodies,
//     bad checkpoints, issuers that do not match their fingerprint, a wrong leaf_index, deleted
//     partial tiles, and 429 with and without Retry-After.
// Also gzip (logclient/gzip.h). Only the loopback interface is used; ports are chosen at run time.

#include "logclient/static_log_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cert_factory.h"
#include "ct/checkpoint.h"
#include "ct/log_signer.h"
#include "ct/sct.h"
#include "ct/tile_leaf.h"
#include "ct/tile_path.h"
#include "logclient/gzip.h"
#include "logclient/log_client.h"
#include "logserver/log_process.h"
#include "merkle/compact_range.h"
#include "merkle/merkle_tree.h"
#include "merkle/merkle_verify.h"
#include "run_command.h"
#include "test_support.h"

namespace ctkit {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using testing::LogProcess;
using testing::TestCa;

constexpr char kOrigin[] = "localhost/ctkit-static-client-test";

// Options for tests: fast retries, short timeouts.
StaticLogClientOptions FastOptions(std::string origin = kOrigin) {
  StaticLogClientOptions options;
  options.origin = std::move(origin);
  options.http.backoff_base = milliseconds(5);
  options.http.backoff_max = milliseconds(20);
  options.http.connect_timeout = milliseconds(2000);
  options.http.total_timeout = milliseconds(10000);
  return options;
}

std::string TempDir() {
  char dir[] = "/tmp/ctkit-static-client-XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  return dir;
}

MerkleHash RootOf(const std::vector<LogEntry>& entries) {
  CompactRange range;
  for (const LogEntry& entry : entries) range.Append(entry.leaf_hash);
  return range.Root();
}

// --- gzip ---

TEST(GzipTest, RoundTripsAndBoundsOutput) {
  Bytes data(100000, 0x41);
  Result<Bytes> zipped = Gzip(data);
  ASSERT_TRUE(zipped);
  EXPECT_TRUE(HasGzipMagic(*zipped));
  EXPECT_LT(zipped->size(), data.size());
  Result<Bytes> plain = Gunzip(*zipped, data.size());
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(*plain, data);
  // One byte less room than needed: refused, not truncated.
  Result<Bytes> bounded = Gunzip(*zipped, data.size() - 1);
  ASSERT_FALSE(bounded);
  EXPECT_EQ(bounded.error().code, ErrorCode::kTooLarge);
  EXPECT_THAT(bounded.error().message, HasSubstr("inflates to more than"));
}

TEST(GzipTest, RejectsCorruptTruncatedAndTrailing) {
  Bytes data = {1, 2, 3, 4, 5, 6, 7, 8};
  Bytes zipped = *Gzip(data);
  Bytes truncated(zipped.begin(), zipped.end() - 5);
  EXPECT_FALSE(Gunzip(truncated, 1000));
  Bytes corrupt = zipped;
  corrupt[corrupt.size() - 6] ^= 0xff;  // the CRC-32
  EXPECT_FALSE(Gunzip(corrupt, 1000));
  Bytes trailing = zipped;
  trailing.push_back(0);
  EXPECT_FALSE(Gunzip(trailing, 1000));
  EXPECT_FALSE(Gunzip(data, 1000));  // no magic
  // Two members concatenated are one gzip file (RFC 1952 §2.2).
  Bytes two = zipped;
  two.insert(two.end(), zipped.begin(), zipped.end());
  Result<Bytes> both = Gunzip(two, 1000);
  ASSERT_TRUE(both) << both.error().message;
  EXPECT_EQ(both->size(), 2 * data.size());
}

// --- against a real `ctkit log serve` ---

class StaticLogClientServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(TempDir());
    auto keygen = testing::RunCtkit({"log", "keygen", "--out", *dir_ + "/log.key"});
    ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
    std::ifstream in(*dir_ + "/log.key");
    std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    signer_ = new std::shared_ptr<const LogSigner>(*LogSigner::FromPem(pem));
    log_ = new LogProcess(*dir_, {"--api", "both", "--origin", kOrigin});
    ASSERT_GT(log_->port(), 0);
    url_ = new std::string("http://127.0.0.1:" + std::to_string(log_->port()) + "/");
    // 100 entries, a checkpoint, then 200 more: one full level-0 tile, a partial one of width
    // 44, a partial level-1 tile of width 1; precertificates and two issuers among them.
    ca_a_ = new TestCa("Static Client CA A");
    ca_b_ = new TestCa("Static Client CA B");
    Result<LogClient> client = LogClient::Create(*url_, key());
    ASSERT_TRUE(client);
    auto submit = [&](size_t from, size_t to) {
      for (size_t n = from; n < to; ++n) {
        const TestCa& ca = n % 2 ? *ca_b_ : *ca_a_;
        bool precert = n % 7 == 3;
        std::vector<Bytes> chain = {
            ca.IssueLeaf("e" + std::to_string(n) + ".example.com", 1000 + long(n), precert),
            ca.der()};
        auto sct = precert ? client->AddPreChain(chain) : client->AddChain(chain);
        ASSERT_TRUE(sct) << sct.error().message;
      }
    };
    submit(0, 100);
    head100_ = new SignedTreeHead(WaitForSize(100));
    submit(100, 300);
    head300_ = new SignedTreeHead(WaitForSize(300));
  }
  static void TearDownTestSuite() {
    delete log_;
    (void)system(("rm -rf " + *dir_).c_str());
    delete dir_;
    delete url_;
    delete signer_;
    delete head100_;
    delete head300_;
    delete ca_a_;
    delete ca_b_;
  }

  static std::shared_ptr<const LogKey> key() { return (*signer_)->public_key(); }

  static SignedTreeHead WaitForSize(uint64_t size) {
    Result<StaticLogClient> client = StaticLogClient::Create(*url_, key(), FastOptions());
    EXPECT_TRUE(client);
    for (int attempt = 0; attempt < 200; ++attempt) {
      Result<SignedTreeHead> head = client->GetSth();
      EXPECT_TRUE(head) << head.error().message;
      if (head && head->tree_size >= size) return *head;
      std::this_thread::sleep_for(milliseconds(50));
    }
    ADD_FAILURE() << "checkpoint never reached " << size;
    return {};
  }

  StaticLogClient Client(StaticLogClientOptions options = FastOptions()) {
    Result<StaticLogClient> client = StaticLogClient::Create(*url_, key(), std::move(options));
    EXPECT_TRUE(client) << client.error().message;
    return std::move(*client);
  }

  static std::string* dir_;
  static std::string* url_;
  static std::shared_ptr<const LogSigner>* signer_;
  static LogProcess* log_;
  static SignedTreeHead* head100_;
  static SignedTreeHead* head300_;
  static TestCa* ca_a_;
  static TestCa* ca_b_;
};

std::string* StaticLogClientServeTest::dir_ = nullptr;
std::string* StaticLogClientServeTest::url_ = nullptr;
std::shared_ptr<const LogSigner>* StaticLogClientServeTest::signer_ = nullptr;
LogProcess* StaticLogClientServeTest::log_ = nullptr;
SignedTreeHead* StaticLogClientServeTest::head100_ = nullptr;
SignedTreeHead* StaticLogClientServeTest::head300_ = nullptr;
TestCa* StaticLogClientServeTest::ca_a_ = nullptr;
TestCa* StaticLogClientServeTest::ca_b_ = nullptr;

TEST_F(StaticLogClientServeTest, CheckpointIsTheVerifiedTreeHead) {
  StaticLogClient client = Client();
  Result<StaticCheckpoint> checkpoint = client.GetCheckpoint();
  ASSERT_TRUE(checkpoint) << checkpoint.error().message;
  EXPECT_EQ(checkpoint->origin, kOrigin);
  EXPECT_EQ(checkpoint->head.tree_size, 300u);
  EXPECT_EQ(checkpoint->head.root_hash, head300_->root_hash);
  EXPECT_TRUE(VerifySignedTreeHead(checkpoint->head, *key()));
  EXPECT_TRUE(checkpoint->note.starts_with(std::string(kOrigin) + "\n300\n"));
  // The same head as get-sth (the tree no longer grows).
  Result<LogClient> rfc = LogClient::Create(*url_, key());
  Result<SignedTreeHead> sth = rfc->GetSth();
  ASSERT_TRUE(sth);
  EXPECT_EQ(sth->root_hash, checkpoint->head.root_hash);
  // Without an expected origin, the checkpoint's own is taken (and still verified).
  Result<SignedTreeHead> any_origin = Client(FastOptions("")).GetSth();
  ASSERT_TRUE(any_origin) << any_origin.error().message;
  EXPECT_EQ(any_origin->root_hash, head300_->root_hash);
}

TEST_F(StaticLogClientServeTest, RequestsAreCountedThroughTheLogReaderInterface) {
  StaticLogClient client = Client();
  const LogReader& reader = client;
  EXPECT_EQ(reader.http_stats().requests, 0u);
  ASSERT_TRUE(client.GetSth());
  ASSERT_TRUE(client.GetEntriesBatch(0, 0));
  EXPECT_GE(reader.http_stats().requests, 2u);  // the checkpoint and a data tile, at least
  EXPECT_EQ(reader.http_stats().requests, client.stats().http.requests);
  EXPECT_EQ(reader.http_stats().connections, 1u);
}

TEST_F(StaticLogClientServeTest, WrongKeyOriginOrNoKeyIsRejected) {
  std::shared_ptr<const LogKey> other = (*LogSigner::Generate())->public_key();
  Result<StaticLogClient> wrong_key = StaticLogClient::Create(*url_, other, FastOptions());
  ASSERT_TRUE(wrong_key);
  Result<SignedTreeHead> head = wrong_key->GetSth();
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().code, ErrorCode::kVerificationFailed);
  EXPECT_THAT(head.error().message, HasSubstr(*url_ + "checkpoint"));

  Result<SignedTreeHead> wrong_origin = Client(FastOptions("localhost/another-log")).GetSth();
  ASSERT_FALSE(wrong_origin);
  EXPECT_EQ(wrong_origin.error().code, ErrorCode::kVerificationFailed);
  EXPECT_THAT(wrong_origin.error().message, HasSubstr("origin"));

  Result<StaticLogClient> no_key = StaticLogClient::Create(*url_, nullptr, FastOptions());
  ASSERT_TRUE(no_key);
  Result<SignedTreeHead> unverified = no_key->GetSth();
  ASSERT_FALSE(unverified);
  EXPECT_EQ(unverified.error().code, ErrorCode::kInvalidArgument);
  // Entries need no key (they are unproven either way).
  Result<std::vector<LogEntry>> entries = no_key->GetEntriesBatch(0, 3);
  ASSERT_TRUE(entries) << entries.error().message;
  EXPECT_EQ(entries->size(), 4u);
}

TEST_F(StaticLogClientServeTest, EntriesEqualThoseOfTheRfc6962Api) {
  StaticLogClient tiles = Client();
  Result<LogClient> rfc = LogClient::Create(*url_, key());
  ASSERT_TRUE(rfc);
  Result<std::vector<LogEntry>> from_tiles = tiles.GetEntries(0, 299);
  ASSERT_TRUE(from_tiles) << from_tiles.error().message;
  Result<std::vector<LogEntry>> from_json = rfc->GetEntries(0, 299);
  ASSERT_TRUE(from_json) << from_json.error().message;
  ASSERT_EQ(from_tiles->size(), 300u);
  ASSERT_EQ(from_json->size(), 300u);
  size_t precerts = 0;
  for (size_t i = 0; i < 300; ++i) {
    SCOPED_TRACE(i);
    const LogEntry& a = (*from_tiles)[i];
    const LogEntry& b = (*from_json)[i];
    EXPECT_EQ(a.index, b.index);
    EXPECT_EQ(a.leaf_input, b.leaf_input);
    EXPECT_EQ(a.extra_data, b.extra_data);
    EXPECT_EQ(a.leaf_hash, b.leaf_hash);
    EXPECT_EQ(a.entry, b.entry);
    ASSERT_TRUE(a.chain() && b.chain());
    EXPECT_EQ(a.chain()->pre_certificate, b.chain()->pre_certificate);
    EXPECT_EQ(a.chain()->chain, b.chain()->chain);
    if (a.entry.signed_entry.type == LogEntryType::kPrecert) ++precerts;
  }
  EXPECT_GT(precerts, 0u);
  // What a monitor checks: the entries hash to the checkpoint's root.
  EXPECT_EQ(RootOf(*from_tiles), head300_->root_hash);
  // A batch ends at its data tile; the second tile is the partial one (width 44).
  Result<std::vector<LogEntry>> batch = tiles.GetEntriesBatch(250, 299);
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->size(), 6u);
  batch = tiles.GetEntriesBatch(256, 299);
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->size(), 44u);
  // Beyond the checkpoint: the caller's mistake.
  Result<std::vector<LogEntry>> beyond = tiles.GetEntriesBatch(290, 300);
  ASSERT_FALSE(beyond);
  EXPECT_EQ(beyond.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(StaticLogClientServeTest, ChecksDataTilesAgainstHashTilesWhenAsked) {
  StaticLogClientOptions options = FastOptions();
  options.check_data_tiles = true;
  StaticLogClient client = Client(options);
  Result<std::vector<LogEntry>> entries = client.GetEntries(0, 299);
  ASSERT_TRUE(entries) << entries.error().message;
  EXPECT_GE(client.stats().hash_tile_fetches, 2u);
}

TEST_F(StaticLogClientServeTest, ProofsFromTilesEqualTheLogsAndVerify) {
  StaticLogClient tiles = Client();
  Result<LogClient> rfc = LogClient::Create(*url_, key());
  ASSERT_TRUE(rfc);
  // Inclusion: full and partial tiles, in the current tree and in older ones (the partial tiles
  // of earlier sizes).
  for (uint64_t size : {1, 2, 100, 255, 256, 257, 299, 300}) {
    for (uint64_t index : {uint64_t{0}, size / 2, size - 1}) {
      SCOPED_TRACE("inclusion " + std::to_string(index) + " in " + std::to_string(size));
      Result<std::vector<MerkleHash>> from_tiles = tiles.GetInclusionProof(index, size);
      ASSERT_TRUE(from_tiles) << from_tiles.error().message;
      Result<EntryAndProof> from_log = rfc->GetEntryAndProof(index, size);
      ASSERT_TRUE(from_log) << from_log.error().message;
      EXPECT_EQ(*from_tiles, from_log->audit_path);
      Result<EntryAndProof> both = tiles.GetEntryAndProof(index, size);
      ASSERT_TRUE(both) << both.error().message;
      EXPECT_EQ(both->audit_path, from_log->audit_path);
      EXPECT_EQ(both->entry.leaf_input, from_log->entry.leaf_input);
      EXPECT_EQ(both->entry.extra_data, from_log->entry.extra_data);
    }
  }
  for (auto [first, second] : std::vector<std::pair<uint64_t, uint64_t>>{
           {1, 300}, {100, 300}, {255, 257}, {256, 300}, {7, 100}, {299, 300}}) {
    SCOPED_TRACE("consistency " + std::to_string(first) + " " + std::to_string(second));
    Result<std::vector<MerkleHash>> from_tiles = tiles.GetConsistencyProof(first, second);
    ASSERT_TRUE(from_tiles) << from_tiles.error().message;
    Result<std::vector<MerkleHash>> from_log = rfc->GetSthConsistency(first, second);
    ASSERT_TRUE(from_log) << from_log.error().message;
    EXPECT_EQ(*from_tiles, *from_log);
  }
  // The verifying calls.
  EXPECT_TRUE(tiles.VerifyConsistencyBetween(*head100_, *head300_));
  Result<std::vector<LogEntry>> entries = tiles.GetEntries(0, 299);
  ASSERT_TRUE(entries);
  for (uint64_t index : {0, 1, 99, 255, 256, 299}) {
    Result<void> proven = tiles.ProveEntry((*entries)[index], *head300_);
    EXPECT_TRUE(proven) << index << ": " << proven.error().message;
  }
  // An entry served at the wrong index does not prove.
  LogEntry moved = (*entries)[5];
  moved.index = 6;
  Result<void> wrong = tiles.ProveEntry(moved, *head300_);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kVerificationFailed);
  // A forged newer head (signed, but another root) is not consistent.
  SignedTreeHead forged =
      *SignTreeHead(300, head300_->timestamp_ms, head100_->root_hash, **signer_);
  Result<void> fork = tiles.VerifyConsistencyBetween(*head100_, forged);
  ASSERT_FALSE(fork);
  EXPECT_EQ(fork.error().code, ErrorCode::kVerificationFailed);
  // Hash tiles are cached: asking again costs no request.
  uint64_t requests = tiles.stats().http.requests;
  EXPECT_TRUE(tiles.GetConsistencyProof(100, 300));
  EXPECT_EQ(tiles.stats().http.requests, requests);
}

// The leaf hash of an entry a monitor cannot read, from proofs alone, through both APIs: equal
// to the hash of the entry as read, at tile edges and in trees of one and two leaves.
TEST_F(StaticLogClientServeTest, LeafHashWithoutEntryIsTheEntrysLeafHash) {
  StaticLogClient tiles = Client();
  Result<LogClient> rfc = LogClient::Create(*url_, key());
  ASSERT_TRUE(rfc);
  Result<std::vector<LogEntry>> entries = tiles.GetEntries(0, 299);
  ASSERT_TRUE(entries);
  for (LogReader* reader : std::vector<LogReader*>{&tiles, &*rfc}) {
    for (uint64_t index : {0, 1, 2, 3, 7, 64, 99, 254, 255, 256, 257, 298, 299}) {
      SCOPED_TRACE(reader->base_url() + " entry " + std::to_string(index));
      Result<MerkleHash> hash = reader->LeafHashWithoutEntry(index, *head300_);
      ASSERT_TRUE(hash) << hash.error().message;
      EXPECT_EQ(*hash, (*entries)[index].leaf_hash);
    }
    // Entry 0 when the tree is the one leaf: the root. Out of the tree: an error.
    SignedTreeHead one{.tree_size = 1, .root_hash = (*entries)[0].leaf_hash};
    EXPECT_EQ(reader->LeafHashWithoutEntry(0, one), (*entries)[0].leaf_hash);
    Result<MerkleHash> outside = reader->LeafHashWithoutEntry(300, *head300_);
    ASSERT_FALSE(outside);
    EXPECT_EQ(outside.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST_F(StaticLogClientServeTest, IssuersAreCachedInMemoryAndOnDisk) {
  std::string cache = TempDir() + "/issuers";
  StaticLogClientOptions options = FastOptions();
  options.issuer_cache_dir = cache;
  {
    StaticLogClient client = Client(options);
    ASSERT_TRUE(client.GetEntries(0, 299));
    // Two CAs, each fetched once for 300 entries.
    EXPECT_EQ(client.stats().issuer_fetches, 2u);
    EXPECT_EQ(client.stats().issuer_disk_hits, 0u);
  }
  std::string hex_a = HexEncode(Sha256(ca_a_->der()));
  std::string hex_b = HexEncode(Sha256(ca_b_->der()));
  ASSERT_TRUE(std::filesystem::exists(cache + "/" + hex_a));
  ASSERT_TRUE(std::filesystem::exists(cache + "/" + hex_b));
  {
    StaticLogClient client = Client(options);
    ASSERT_TRUE(client.GetEntries(0, 299));
    EXPECT_EQ(client.stats().issuer_fetches, 0u);
    EXPECT_EQ(client.stats().issuer_disk_hits, 2u);
  }
  // A cache file that is not what its name says is ignored and the issuer refetched.
  {
    std::ofstream(cache + "/" + hex_a, std::ios::binary | std::ios::trunc) << "tampered";
    StaticLogClient client = Client(options);
    Result<Bytes> der = client.GetIssuer(Sha256(ca_a_->der()));
    ASSERT_TRUE(der);
    EXPECT_EQ(*der, ca_a_->der());
    EXPECT_EQ(client.stats().issuer_fetches, 1u);
  }
  std::filesystem::remove_all(std::filesystem::path(cache).parent_path());
  // An unknown fingerprint is the log's 404.
  Result<Bytes> missing = Client().GetIssuer(Sha256(AsBytes("no such issuer")));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(missing.error().message, HasSubstr(*url_ + "issuer/"));
}

// --- against a fixture log whose answers can be broken ---

// A static-ct-api log of `size` synthetic entries in memory: checkpoint, hash tiles (every
// partial width up to the tree's), data tiles and one issuer. Tests replace any path's answer.
class FixtureStaticLog {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  explicit FixtureStaticLog(uint64_t size, uint64_t checkpoint_size = 0) {
    signer_ = *LogSigner::Generate();
    issuer_ = ca_.der();
    Sha256Digest fingerprint = Sha256(issuer_);
    for (uint64_t i = 0; i < size; ++i) {
      TileLeaf leaf;
      leaf.timestamped_entry.timestamp_ms = 1700000000000 + i;
      Bytes cert = {0x30, 0x04, 0x02, 0x02, uint8_t(i >> 8), uint8_t(i)};
      leaf.timestamped_entry.signed_entry = *X509SignedEntry(cert);
      leaf.timestamped_entry.extensions = *SerializeSctExtensions({.leaf_index = i});
      leaf.certificate_chain = {fingerprint};
      tree_.AppendLeafHash(*LeafHashOf(leaf.timestamped_entry));
      leaves_.push_back(std::move(leaf));
    }
    checkpoint_size_ = checkpoint_size == 0 ? size : checkpoint_size;
    SignedTreeHead head =
        *SignTreeHead(checkpoint_size_, 1700000001000, *tree_.Root(checkpoint_size_), *signer_);
    checkpoint_ = *CheckpointFromSignedTreeHead(head, kOrigin, signer_->log_id());
    server_.Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
      Handler handler;
      {
        std::lock_guard lock(mutex_);
        ++hits_[req.path];
        auto it = overrides_.find(req.path);
        if (it != overrides_.end()) handler = it->second;
      }
      if (handler) return handler(req, res);
      Serve(req.path, res);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FixtureStaticLog() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  std::shared_ptr<const LogKey> key() const { return signer_->public_key(); }
  const LogSigner& signer() const { return *signer_; }
  const MerkleTree& tree() const { return tree_; }
  std::vector<TileLeaf>& leaves() { return leaves_; }
  const Bytes& issuer() const { return issuer_; }

  void Override(const std::string& path, Handler handler) {
    std::lock_guard lock(mutex_);
    overrides_[path] = std::move(handler);
  }
  // Serves `body` at `path`, with Content-Encoding when given.
  void ServeBody(const std::string& path, std::string body, std::string encoding = "") {
    Override(path, [body, encoding](const httplib::Request&, httplib::Response& res) {
      if (!encoding.empty()) res.set_header("Content-Encoding", encoding);
      res.set_content(body, "application/octet-stream");
    });
  }
  int hits(const std::string& path) {
    std::lock_guard lock(mutex_);
    return hits_[path];
  }

  // The honest body of a path (the checkpoint, a tile or the issuer), or nullopt.
  std::optional<std::string> Honest(const std::string& path) const {
    if (path == "/checkpoint") return checkpoint_;
    if (path == "/issuer/" + HexEncode(Sha256(issuer_))) {
      return std::string(issuer_.begin(), issuer_.end());
    }
    Result<TileId> tile = ParseTilePath(path.substr(1));
    if (!tile) return std::nullopt;
    uint64_t count = tile->is_data ? tree_.size() : TileLevelHashCount(tile->level, tree_.size());
    if (tile->index * kTileWidth + tile->width > count) return std::nullopt;
    std::string body;
    for (uint32_t i = 0; i < tile->width; ++i) {
      uint64_t n = tile->index * kTileWidth + i;
      if (tile->is_data) {
        Bytes bytes;
        EXPECT_TRUE(AppendTileLeaf(leaves_[n], bytes));
        body.append(bytes.begin(), bytes.end());
      } else {
        MerkleHash hash = *tree_.Node({static_cast<uint8_t>(8 * tile->level), n});
        body.append(hash.begin(), hash.end());
      }
    }
    return body;
  }

 private:
  void Serve(const std::string& path, httplib::Response& res) const {
    std::optional<std::string> body = Honest(path);
    if (!body) {
      res.status = 404;
      res.set_content("not found", "text/plain");
      return;
    }
    res.set_content(*body, "application/octet-stream");
  }

  TestCa ca_{"Fixture Static CA"};
  std::shared_ptr<const LogSigner> signer_;
  Bytes issuer_;
  MerkleTree tree_;
  std::vector<TileLeaf> leaves_;
  uint64_t checkpoint_size_ = 0;
  std::string checkpoint_;
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::mutex mutex_;
  std::map<std::string, Handler> overrides_;
  std::map<std::string, int> hits_;
};

StaticLogClient FixtureClient(const FixtureStaticLog& log,
                              StaticLogClientOptions options = FastOptions()) {
  Result<StaticLogClient> client = StaticLogClient::Create(log.url(), log.key(), options);
  EXPECT_TRUE(client) << client.error().message;
  return std::move(*client);
}

std::string ToString(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }
Bytes ToBytes(const std::string& text) { return Bytes(text.begin(), text.end()); }

TEST(StaticLogClientFixtureTest, ReadsAnHonestLog) {
  FixtureStaticLog log(300);
  StaticLogClient client = FixtureClient(log);
  Result<SignedTreeHead> head = client.GetSth();
  ASSERT_TRUE(head) << head.error().message;
  EXPECT_EQ(head->tree_size, 300u);
  Result<std::vector<LogEntry>> entries = client.GetEntries(0, 299);
  ASSERT_TRUE(entries) << entries.error().message;
  EXPECT_EQ(RootOf(*entries), head->root_hash);
  ASSERT_TRUE((*entries)[7].chain());
  EXPECT_EQ((*entries)[7].chain()->chain, std::vector<Bytes>{log.issuer()});
  EXPECT_TRUE(client.ProveEntry((*entries)[299], *head));
}

TEST(StaticLogClientFixtureTest, AcceptsGzipWithAndWithoutContentEncoding) {
  FixtureStaticLog log(300);
  std::string data0 = *log.Honest("/tile/data/000");
  std::string hashes0 = *log.Honest("/tile/0/000");
  // Data tile: stored gzip served as is (no Content-Encoding); hash tile: Content-Encoding gzip
  // (libcurl inflates it); checkpoint: stored gzip too.
  log.ServeBody("/tile/data/000", ToString(*Gzip(ToBytes(data0))));
  log.ServeBody("/tile/0/000", ToString(*Gzip(ToBytes(hashes0))), "gzip");
  log.ServeBody("/checkpoint", ToString(*Gzip(ToBytes(*log.Honest("/checkpoint")))));
  StaticLogClientOptions options = FastOptions();
  options.check_data_tiles = true;
  StaticLogClient client = FixtureClient(log, options);
  Result<SignedTreeHead> head = client.GetSth();
  ASSERT_TRUE(head) << head.error().message;
  Result<std::vector<LogEntry>> entries = client.GetEntries(0, 299);
  ASSERT_TRUE(entries) << entries.error().message;
  EXPECT_EQ(RootOf(*entries), head->root_hash);
  EXPECT_TRUE(client.ProveEntry((*entries)[3], *head));
}

TEST(StaticLogClientFixtureTest, MalformedTilesAreTypedErrorsNamingTheUrl) {
  FixtureStaticLog log(300);
  std::string hashes0 = *log.Honest("/tile/0/000");
  std::string data0 = *log.Honest("/tile/data/000");
  struct Case {
    std::string path;
    std::string body;
    std::string encoding;
    std::string message;
  };
  std::vector<Case> cases = {
      {"/tile/0/000", hashes0.substr(0, hashes0.size() - 1), "", "hash tile of 8191 bytes"},
      {"/tile/0/000", hashes0 + "x", "", "hash tile of 8193 bytes"},
      {"/tile/data/000", data0.substr(0, data0.size() - 3), "", "data tile"},
      {"/tile/data/000", data0 + data0.substr(0, 40), "", "data tile"},
      {"/tile/data/000", "\x1f\x8b garbage, not deflate", "", "gzip"},
      {"/tile/data/000", ToString(*Gzip(ToBytes(data0))).substr(0, 100), "", "gzip"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path + " " + c.message);
    log.ServeBody(c.path, c.body, c.encoding);
    StaticLogClient client = FixtureClient(log);
    Result<SignedTreeHead> head = client.GetSth();
    ASSERT_TRUE(head);
    Result<void> result;
    if (c.path.starts_with("/tile/data/")) {
      Result<std::vector<LogEntry>> entries = client.GetEntriesBatch(0, 10);
      result = entries ? Result<void>() : std::unexpected(entries.error());
    } else {
      result = client.ProveInclusionAt(log.tree().Node({0, 3}).value(), 3, *head);
    }
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kMalformed) << result.error().message;
    EXPECT_THAT(result.error().message, HasSubstr("log " + log.url() + c.path.substr(1)));
    EXPECT_THAT(result.error().message, HasSubstr(c.message));
    log.Override(c.path, nullptr);
  }
}

TEST(StaticLogClientFixtureTest, OversizedBodiesAndGzipBombsAreRefused) {
  FixtureStaticLog log(300);
  StaticLogClientOptions options = FastOptions();
  options.http.max_response_bytes = 64 * 1024;
  // Larger than the bound on the wire.
  log.ServeBody("/tile/data/000", std::string(200 * 1024, 'x'));
  {
    StaticLogClient client = FixtureClient(log, options);
    Result<std::vector<LogEntry>> entries = client.GetEntriesBatch(0, 0);
    ASSERT_FALSE(entries);
    EXPECT_EQ(entries.error().code, ErrorCode::kTooLarge);
    EXPECT_THAT(entries.error().message, HasSubstr("larger than"));
    EXPECT_THAT(entries.error().message, HasSubstr(log.url() + "tile/data/000"));
  }
  // Small on the wire, far larger inflated: with and without Content-Encoding.
  std::string bomb = ToString(*Gzip(Bytes(8 << 20, 0)));
  for (std::string encoding : {"", "gzip"}) {
    SCOPED_TRACE("encoding " + encoding);
    log.ServeBody("/tile/data/000", bomb, encoding);
    StaticLogClient client = FixtureClient(log, options);
    Result<std::vector<LogEntry>> entries = client.GetEntriesBatch(0, 0);
    ASSERT_FALSE(entries);
    EXPECT_EQ(entries.error().code, ErrorCode::kTooLarge);
    EXPECT_THAT(entries.error().message, HasSubstr(log.url() + "tile/data/000"));
  }
}

TEST(StaticLogClientFixtureTest, BadCheckpointsAreRejected) {
  FixtureStaticLog log(20);
  std::string honest = *log.Honest("/checkpoint");
  auto other_signer = *LogSigner::Generate();
  SignedTreeHead forged_head =
      *SignTreeHead(20, 1700000001000, *log.tree().Root(20), *other_signer);
  struct Case {
    std::string body;
    ErrorCode code;
  };
  std::vector<Case> cases = {
      {"not a note", ErrorCode::kMalformed},
      {honest.substr(0, honest.size() - 1), ErrorCode::kMalformed},  // no final newline
      // Signed by another key under the same origin: no signature by this log's key.
      {*CheckpointFromSignedTreeHead(forged_head, kOrigin, other_signer->log_id()),
       ErrorCode::kVerificationFailed},
      // This log's signature, but over another size.
      {[&] {
         std::string note = honest;
         note.replace(note.find("\n20\n"), 4, "\n21\n");
         return note;
       }(),
       ErrorCode::kVerificationFailed},
      // Another origin.
      {*CheckpointFromSignedTreeHead(
           *SignTreeHead(20, 1700000001000, *log.tree().Root(20), log.signer()), "localhost/other",
           log.signer().log_id()),
       ErrorCode::kVerificationFailed},
      // An extension line.
      {[&] {
         std::string note = honest;
         note.insert(note.find("\n\n") + 1, "extension\n");
         return note;
       }(),
       ErrorCode::kMalformed},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(i);
    log.ServeBody("/checkpoint", cases[i].body);
    StaticLogClient client = FixtureClient(log);
    Result<SignedTreeHead> head = client.GetSth();
    ASSERT_FALSE(head);
    EXPECT_EQ(head.error().code, cases[i].code) << head.error().message;
    EXPECT_THAT(head.error().message, HasSubstr("log " + log.url() + "checkpoint"));
  }
  // A size-0 checkpoint must carry the empty tree's root.
  SignedTreeHead empty = *SignTreeHead(0, 1700000001000, *log.tree().Root(20), log.signer());
  log.ServeBody("/checkpoint",
                *CheckpointFromSignedTreeHead(empty, kOrigin, log.signer().log_id()));
  Result<SignedTreeHead> head = FixtureClient(log).GetSth();
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().code, ErrorCode::kVerificationFailed);
}

TEST(StaticLogClientFixtureTest, EntriesThatLieAreRejected) {
  FixtureStaticLog log(20);
  // An issuer that does not hash to its fingerprint.
  std::string issuer_path = "/issuer/" + HexEncode(Sha256(log.issuer()));
  log.ServeBody(issuer_path, "another certificate");
  {
    Result<std::vector<LogEntry>> entries = FixtureClient(log).GetEntriesBatch(0, 3);
    ASSERT_FALSE(entries);
    EXPECT_EQ(entries.error().code, ErrorCode::kVerificationFailed);
    EXPECT_THAT(entries.error().message, HasSubstr(log.url() + issuer_path.substr(1)));
  }
  log.Override(issuer_path, nullptr);
  // An entry whose leaf_index extension names another position.
  log.leaves()[5].timestamped_entry.extensions = *SerializeSctExtensions({.leaf_index = 6});
  {
    Result<std::vector<LogEntry>> entries = FixtureClient(log).GetEntriesBatch(0, 19);
    ASSERT_FALSE(entries);
    EXPECT_EQ(entries.error().code, ErrorCode::kVerificationFailed);
    EXPECT_THAT(entries.error().message, HasSubstr("leaf_index"));
  }
  // The entries no longer hash to the level 0 tile (the tree was built from the honest ones):
  // only seen with check_data_tiles, else by the caller's compact range.
  log.leaves()[5].timestamped_entry.extensions = *SerializeSctExtensions({.leaf_index = 5});
  log.leaves()[5].timestamped_entry.timestamp_ms += 1;
  {
    StaticLogClient client = FixtureClient(log);
    Result<std::vector<LogEntry>> entries = client.GetEntriesBatch(0, 19);
    ASSERT_TRUE(entries) << entries.error().message;
    EXPECT_NE(RootOf(*entries), client.GetSth()->root_hash);
    StaticLogClientOptions options = FastOptions();
    options.check_data_tiles = true;
    Result<std::vector<LogEntry>> checked = FixtureClient(log, options).GetEntriesBatch(0, 19);
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().code, ErrorCode::kVerificationFailed);
    EXPECT_THAT(checked.error().message, HasSubstr("tile/data/000.p/20"));
  }
}

TEST(StaticLogClientFixtureTest, DeletedPartialTilesAreReadFromTheFullTile) {
  // The log holds 512 entries; the client works with an older size of 300, whose partial tiles
  // (tile/0/001.p/44, tile/data/001.p/44) the log has deleted.
  FixtureStaticLog log(512, 300);
  auto gone = [](const httplib::Request&, httplib::Response& res) { res.status = 404; };
  log.Override("/tile/0/001.p/44", gone);
  log.Override("/tile/data/001.p/44", gone);
  StaticLogClient client = FixtureClient(log);
  Result<SignedTreeHead> head = client.GetSth();
  ASSERT_TRUE(head);
  ASSERT_EQ(head->tree_size, 300u);
  Result<std::vector<LogEntry>> entries = client.GetEntries(256, 299);
  ASSERT_TRUE(entries) << entries.error().message;
  EXPECT_EQ(entries->size(), 44u);
  EXPECT_EQ(log.hits("/tile/data/001.p/44"), 1);
  EXPECT_EQ(log.hits("/tile/data/001"), 1);
  EXPECT_TRUE(client.ProveEntry(entries->back(), *head));
  EXPECT_GE(log.hits("/tile/0/001"), 1);
}

TEST(StaticLogClientFixtureTest, RetriesOn429WithAndWithoutRetryAfter) {
  FixtureStaticLog log(20);
  std::string honest = *log.Honest("/checkpoint");
  for (bool retry_after : {true, false}) {
    SCOPED_TRACE(retry_after ? "Retry-After: 1" : "no Retry-After");
    auto calls = std::make_shared<std::atomic<int>>(0);
    log.Override("/checkpoint", [=](const httplib::Request&, httplib::Response& res) {
      if (calls->fetch_add(1) == 0) {
        res.status = 429;
        if (retry_after) res.set_header("Retry-After", "1");
        res.set_content("slow down", "text/plain");
        return;
      }
      res.set_content(honest, "text/plain");
    });
    StaticLogClient client = FixtureClient(log);
    Result<SignedTreeHead> head = client.GetSth();
    ASSERT_TRUE(head) << head.error().message;
    EXPECT_EQ(calls->load(), 2);
    EXPECT_EQ(client.stats().http.retries, 1u);
    EXPECT_EQ(client.stats().http.connections, 1u);  // kept alive across the retry
  }
  // Always 429: a network error after the retries, naming the URL and the attempts.
  log.Override("/checkpoint", [](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_content("slow down", "text/plain");
  });
  StaticLogClientOptions options = FastOptions();
  options.http.max_retries = 2;
  StaticLogClient client = FixtureClient(log, options);
  Result<SignedTreeHead> head = client.GetSth();
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().code, ErrorCode::kNetwork);
  EXPECT_THAT(head.error().message, HasSubstr("log " + log.url() + "checkpoint: HTTP status 429"));
  EXPECT_THAT(head.error().message, HasSubstr("after 3 attempts"));
}

TEST(StaticLogClientFixtureTest, RejectsBadUrlsAndOptions) {
  EXPECT_FALSE(StaticLogClient::Create("ftp://log.example/", nullptr));
  EXPECT_FALSE(StaticLogClient::Create("https://log.example/?x", nullptr));
  StaticLogClientOptions options;
  options.origin = "has space";
  EXPECT_FALSE(StaticLogClient::Create("https://log.example/", nullptr, options));
  options = {};
  options.http.max_retries = -1;
  EXPECT_FALSE(StaticLogClient::Create("https://log.example/", nullptr, options));
  Result<StaticLogClient> client = StaticLogClient::Create("https://log.example", nullptr);
  ASSERT_TRUE(client);
  EXPECT_EQ(client->base_url(), "https://log.example/");
  EXPECT_EQ(OriginFromSubmissionUrl("https://log.example/2026h1/"), "log.example/2026h1");
  EXPECT_EQ(OriginFromSubmissionUrl("https://log.example"), "log.example");
}

}  // namespace
}  // namespace ctkit
