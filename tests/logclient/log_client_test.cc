// The RFC 6962 log client (logclient/log_client.h) against a fixture log served by cpp-httplib on
// 127.0.0.1: an in-memory MerkleTree signed by a fresh LogSigner, with faults injected per
// endpoint. Also the pure parts: response parsers (logclient/log_client_json.h), Retry-After,
// backoff and the token bucket.
//
// Only the loopback interface is used; ports are chosen at run time.

#include "logclient/log_client.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/token_bucket.h"
#include "ct/log_entry.h"
#include "ct/log_signer.h"
#include "ct/sct_verify.h"
#include "ct/signed_tree_head.h"
#include "ct/tls_codec.h"
#include "logclient/log_client_json.h"
#include "merkle/merkle_tree.h"
#include "merkle/merkle_verify.h"
#include "test_support.h"
#include "x509/pem.h"
#include "x509/precert.h"

namespace ctkit {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;
using std::chrono::milliseconds;

constexpr uint64_t kFixtureEntries = 21;  // not a power of two: proofs of every shape

Bytes FirstCertificateDer(const std::string& relative) {
  Result<std::vector<Bytes>> ders = DecodeCertificateInput(testing::ReadTestData(relative));
  EXPECT_TRUE(ders) << relative;
  return ders ? ders->front() : Bytes();
}

std::string SctJson(const SignedCertificateTimestamp& sct) {
  TlsBuilder signature;
  AddDigitallySigned(signature, sct.signature);
  return Json{{"sct_version", 0},
              {"id", Base64Encode(sct.log_id)},
              {"timestamp", sct.timestamp_ms},
              {"extensions", Base64Encode(sct.extensions)},
              {"signature", Base64Encode(*std::move(signature).Finish())}}
      .dump();
}

// An RFC 6962 log in memory, behind an HTTP server on 127.0.0.1. Handlers compute the honest
// answer, then a per-endpoint fault (set by a test) may rewrite it.
class FixtureLog {
 public:
  using Fault = std::function<void(const httplib::Request&, httplib::Response&)>;

  FixtureLog() {
    signer_ = *LogSigner::Generate();
    // Real certificates for a few entries (so CLI-style parsing has something to chew on),
    // synthetic bytes for the rest: the log does not parse what it logs.
    Bytes x509_cert = FirstCertificateDer("sct/ctlog/test-cert.pem");
    Bytes ca_cert = FirstCertificateDer("sct/ctlog/ca-cert.pem");
    Bytes precert = FirstCertificateDer("sct/ctlog/test-embedded-pre-cert.pem");
    for (uint64_t i = 0; i < kFixtureEntries; ++i) {
      uint64_t timestamp = 1700000000000 + i;
      if (i % 3 == 1) {
        Result<CertificateView> pre = CertificateView::Parse(precert);
        Result<CertificateView> ca = CertificateView::Parse(ca_cert);
        Result<SignedEntry> entry =
            BuildSignedEntry(LogEntryType::kPrecert, *pre, {.issuer = &*ca});
        EXPECT_TRUE(entry) << entry.error().message;
        AppendLocked(TimestampedEntry{timestamp, *entry, {}}, EntryChain{precert, {ca_cert}});
      } else {
        Bytes cert = i % 3 == 0 ? x509_cert : Bytes{0x30, 0x03, 0x02, 0x01, uint8_t(i)};
        AppendLocked(TimestampedEntry{timestamp, *X509SignedEntry(cert), {}},
                     EntryChain{{}, {ca_cert}});
      }
    }
    published_ = kFixtureEntries;
    roots_ = {ca_cert};
    Route("/ct/v1/get-sth", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(SthToJson(SthLocked(published_)), "application/json");
    });
    Route("/ct/v1/get-sth-consistency",
          [this](const httplib::Request& req, httplib::Response& res) {
            uint64_t first = std::stoull(req.get_param_value("first"));
            uint64_t second = std::stoull(req.get_param_value("second"));
            Result<std::vector<MerkleHash>> proof = tree_.ConsistencyProof(first, second);
            if (!proof || second > published_) return Fail(res, 400, "bad sizes");
            res.set_content(Json{{"consistency", Nodes(*proof)}}.dump(), "application/json");
          });
    Route("/ct/v1/get-proof-by-hash", [this](const httplib::Request& req, httplib::Response& res) {
      Result<Bytes> hash = Base64Decode(req.get_param_value("hash"));
      uint64_t size = std::stoull(req.get_param_value("tree_size"));
      if (!hash || size > published_) return Fail(res, 400, "bad request");
      for (uint64_t i = 0; i < size; ++i) {
        if (std::ranges::equal(entries_[i].leaf_hash, *hash)) {
          res.set_content(
              Json{{"leaf_index", i}, {"audit_path", Nodes(*tree_.InclusionProof(i, size))}}.dump(),
              "application/json");
          return;
        }
      }
      Fail(res, 404, "hash not found");
    });
    Route("/ct/v1/get-entries", [this](const httplib::Request& req, httplib::Response& res) {
      uint64_t start = std::stoull(req.get_param_value("start"));
      uint64_t end = std::stoull(req.get_param_value("end"));
      entries_requests_.emplace_back(start, end);
      if (start > end || start >= published_) return Fail(res, 400, "bad range");
      end = std::min({end, published_ - 1, start + entries_cap_ - 1});
      Json items = Json::array();
      for (uint64_t i = start; i <= end; ++i) items.push_back(EntryJson(i));
      res.set_content(Json{{"entries", items}}.dump(), "application/json");
    });
    Route("/ct/v1/get-entry-and-proof",
          [this](const httplib::Request& req, httplib::Response& res) {
            uint64_t index = std::stoull(req.get_param_value("leaf_index"));
            uint64_t size = std::stoull(req.get_param_value("tree_size"));
            if (index >= size || size > published_) return Fail(res, 400, "bad request");
            Json body = EntryJson(index);
            body["audit_path"] = Nodes(*tree_.InclusionProof(index, size));
            res.set_content(body.dump(), "application/json");
          });
    Route("/ct/v1/get-roots", [this](const httplib::Request&, httplib::Response& res) {
      Json certs = Json::array();
      for (const Bytes& root : roots_) certs.push_back(Base64Encode(root));
      res.set_content(Json{{"certificates", certs}}.dump(), "application/json");
    });
    auto add = [this](bool precert) {
      return [this, precert](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(mutex_);
        Json body = Json::parse(req.body, nullptr, false);
        if (!body.is_object() || !body["chain"].is_array() || body["chain"].empty()) {
          return Fail(res, 400, "no chain");
        }
        std::vector<Bytes> chain;
        for (const Json& cert : body["chain"])
          chain.push_back(*Base64Decode(cert.get<std::string>()));
        SignedEntry signed_entry;
        EntryChain stored;
        std::vector<CertificateView> views;  // what a precert_entry built from them points into
        if (precert) {
          for (const Bytes& der : chain) views.push_back(*CertificateView::Parse(der));
          Result<SignedEntry> entry = BuildSignedEntry(
              LogEntryType::kPrecert, views[0], IssuerChain::InOrder(std::span(views).subspan(1)));
          if (!entry) return Fail(res, 400, entry.error().message);
          signed_entry = std::move(*entry);
          stored.pre_certificate = chain[0];
        } else {
          signed_entry = *X509SignedEntry(chain[0]);
        }
        stored.chain.assign(chain.begin() + 1, chain.end());
        SignedCertificateTimestamp sct{.version = SctVersion::kV1,
                                       .log_id = signer_->log_id(),
                                       .timestamp_ms = 1700000001000 + entries_.size(),
                                       .extensions = {},
                                       .signature = {}};
        sct.signature = *signer_->Sign(*BuildSctSignatureInput(sct, signed_entry));
        AppendLocked(EntryForSct(sct, signed_entry), stored);
        res.set_content(SctJson(sct), "application/json");
      };
    };
    server_.Post("/ct/v1/add-chain", add(false));
    server_.Post("/ct/v1/add-pre-chain", add(true));

    server_.set_keep_alive_max_count(1000);
    server_.set_keep_alive_timeout(1);
    port_ = server_.bind_to_any_port("127.0.0.1");
    EXPECT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }

  ~FixtureLog() {
    stopping_ = true;
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  const std::shared_ptr<const LogSigner>& signer() const { return signer_; }
  std::shared_ptr<const LogKey> key() const { return signer_->public_key(); }

  // What the log holds, for comparing with what the client reads.
  Bytes LeafInput(uint64_t i) {
    std::lock_guard lock(mutex_);
    return entries_[i].leaf_input;
  }
  Bytes ExtraData(uint64_t i) {
    std::lock_guard lock(mutex_);
    return entries_[i].extra_data;
  }
  uint64_t size() {
    std::lock_guard lock(mutex_);
    return entries_.size();
  }
  // The STH get-sth serves (the first `size` entries).
  void Publish(uint64_t size) {
    std::lock_guard lock(mutex_);
    published_ = size;
  }
  SignedTreeHead Sth(uint64_t size) {
    std::lock_guard lock(mutex_);
    return SthLocked(size);
  }
  void SetEntriesCap(uint64_t cap) {
    std::lock_guard lock(mutex_);
    entries_cap_ = cap;
  }
  void SetFault(const std::string& path, Fault fault) {
    std::lock_guard lock(mutex_);
    faults_[path] = std::move(fault);
  }
  std::vector<std::pair<uint64_t, uint64_t>> EntriesRequests() {
    std::lock_guard lock(mutex_);
    return entries_requests_;
  }
  int Calls(const std::string& path) {
    std::lock_guard lock(mutex_);
    return calls_[path];
  }
  size_t ClientConnections() {
    std::lock_guard lock(mutex_);
    return remote_ports_.size();
  }
  std::vector<std::chrono::steady_clock::time_point> CallTimes(const std::string& path) {
    std::lock_guard lock(mutex_);
    return call_times_[path];
  }
  // A sleep that ends early when the server shuts down.
  void SlowDown(milliseconds duration) {
    auto until = std::chrono::steady_clock::now() + duration;
    while (!stopping_ && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(milliseconds(20));
    }
  }

 private:
  struct Stored {
    Bytes leaf_input;
    Bytes extra_data;
    MerkleHash leaf_hash;
  };

  static Json Nodes(const std::vector<MerkleHash>& nodes) {
    Json out = Json::array();
    for (const MerkleHash& node : nodes) out.push_back(Base64Encode(node));
    return out;
  }

  static void Fail(httplib::Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_content(Json{{"error_message", message}}.dump(), "application/json");
  }

  void Route(const std::string& path, httplib::Server::Handler handler) {
    server_.Get(path, [this, path, handler](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      ++calls_[path];
      call_times_[path].push_back(std::chrono::steady_clock::now());
      remote_ports_.insert(req.remote_port);
      handler(req, res);
      if (auto fault = faults_.find(path); fault != faults_.end() && fault->second) {
        fault->second(req, res);
      }
    });
  }

  void AppendLocked(const TimestampedEntry& entry, const EntryChain& chain) {
    Stored stored{
        *SerializeMerkleTreeLeaf(entry), *SerializeExtraData(entry.signed_entry.type, chain), {}};
    stored.leaf_hash = HashLeaf(stored.leaf_input);
    tree_.AppendLeafHash(stored.leaf_hash);
    entries_.push_back(std::move(stored));
  }

  SignedTreeHead SthLocked(uint64_t size) {
    return *SignTreeHead(size, 1700000100000 + size, *tree_.Root(size), *signer_);
  }

  Json EntryJson(uint64_t i) const {
    return Json{{"leaf_input", Base64Encode(entries_[i].leaf_input)},
                {"extra_data", Base64Encode(entries_[i].extra_data)}};
  }

  std::mutex mutex_;  // guards the log and the bookkeeping; handlers run one at a time
  std::shared_ptr<const LogSigner> signer_;
  std::vector<Stored> entries_;
  std::vector<Bytes> roots_;
  MerkleTree tree_;
  uint64_t published_ = 0;
  uint64_t entries_cap_ = 1000;
  std::map<std::string, Fault> faults_;
  std::map<std::string, int> calls_;
  std::map<std::string, std::vector<std::chrono::steady_clock::time_point>> call_times_;
  std::set<int> remote_ports_;
  std::vector<std::pair<uint64_t, uint64_t>> entries_requests_;
  std::atomic<bool> stopping_{false};

  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
};

// Options that keep failing tests fast.
LogClientOptions FastOptions() {
  LogClientOptions options;
  options.connect_timeout = milliseconds(1000);
  options.total_timeout = milliseconds(5000);
  options.max_retries = 2;
  options.backoff_base = milliseconds(10);
  options.backoff_max = milliseconds(50);
  options.max_retry_after = milliseconds(2000);
  return options;
}

class LogClientTest : public ::testing::Test {
 protected:
  LogClient Client(LogClientOptions options = FastOptions()) {
    Result<LogClient> client = LogClient::Create(log_.url(), log_.key(), std::move(options));
    EXPECT_TRUE(client) << client.error().message;
    return std::move(*client);
  }

  // Replaces one top-level field of the JSON body.
  static FixtureLog::Fault SetField(const std::string& field, Json value) {
    return [field, value](const httplib::Request&, httplib::Response& res) {
      Json body = Json::parse(res.body);
      body[field] = value;
      res.body = body.dump();
    };
  }

  template <typename T>
  static void ExpectError(const Result<T>& result, ErrorCode code, const std::string& text) {
    ASSERT_FALSE(result) << "expected an error containing " << text;
    EXPECT_EQ(result.error().code, code) << result.error().message;
    EXPECT_THAT(result.error().message, HasSubstr(text));
  }

  FixtureLog log_;
};

// --- Good paths. ---

TEST_F(LogClientTest, GetSthVerifiesTheSignature) {
  LogClient client = Client();
  Result<SignedTreeHead> sth = client.GetSth();
  ASSERT_TRUE(sth) << sth.error().message;
  EXPECT_EQ(sth->tree_size, kFixtureEntries);
  SignedTreeHead expected = log_.Sth(kFixtureEntries);  // ECDSA: same head, another signature
  EXPECT_EQ(sth->timestamp_ms, expected.timestamp_ms);
  EXPECT_EQ(sth->root_hash, expected.root_hash);
  EXPECT_TRUE(VerifySignedTreeHead(*sth, *log_.key()));
}

TEST_F(LogClientTest, BaseUrlWithOrWithoutTrailingSlash) {
  std::string url = log_.url();
  url.pop_back();
  Result<LogClient> client = LogClient::Create(url, log_.key(), FastOptions());
  ASSERT_TRUE(client);
  EXPECT_EQ(client->base_url(), log_.url());
  EXPECT_TRUE(client->GetSth());
  EXPECT_EQ(LogClient::Create("ftp://127.0.0.1/", nullptr).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(LogClient::Create(log_.url() + "?x=1", nullptr).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(LogClientTest, ReadsEveryEntryAndProvesItsInclusion) {
  LogClient client = Client();
  SignedTreeHead sth = *client.GetSth();
  Result<std::vector<LogEntry>> entries = client.GetEntries(0, sth.tree_size - 1);
  ASSERT_TRUE(entries) << entries.error().message;
  ASSERT_EQ(entries->size(), sth.tree_size);
  for (uint64_t i = 0; i < sth.tree_size; ++i) {
    const LogEntry& entry = (*entries)[i];
    EXPECT_EQ(entry.index, i);
    EXPECT_EQ(entry.leaf_input, log_.LeafInput(i));
    EXPECT_EQ(entry.extra_data, log_.ExtraData(i));
    EXPECT_EQ(entry.leaf_hash, HashLeaf(log_.LeafInput(i)));
    EXPECT_EQ(entry.leaf_hash, *LeafHashOf(entry.entry));
    EXPECT_EQ(entry.entry.timestamp_ms, 1700000000000 + i);
    EXPECT_EQ(entry.entry.signed_entry.type,
              i % 3 == 1 ? LogEntryType::kPrecert : LogEntryType::kX509);
    Result<EntryChain> chain = entry.chain();
    ASSERT_TRUE(chain) << chain.error().message;
    if (i % 3 == 1) {
      EXPECT_FALSE(chain->pre_certificate.empty());
      EXPECT_TRUE(std::ranges::equal(entry.pre_certificate(), chain->pre_certificate));
    } else {
      EXPECT_TRUE(entry.pre_certificate().empty());
    }
    EXPECT_EQ(chain->chain.size(), 1u);
    Result<void> proved = client.ProveEntry(entry, sth);
    EXPECT_TRUE(proved) << i << ": " << proved.error().message;
    Result<uint64_t> index = client.ProveInclusion(entry.leaf_hash, sth);
    ASSERT_TRUE(index) << index.error().message;
    EXPECT_EQ(*index, i);
  }
}

TEST_F(LogClientTest, GetEntryAndProofVerifies) {
  LogClient client = Client();
  SignedTreeHead sth = *client.GetSth();
  for (uint64_t i : {uint64_t{0}, uint64_t{7}, sth.tree_size - 1}) {
    Result<EntryAndProof> got = client.GetEntryAndProof(i, sth.tree_size);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->entry.index, i);
    EXPECT_EQ(got->entry.leaf_input, log_.LeafInput(i));
    EXPECT_TRUE(
        VerifyInclusion(got->entry.leaf_hash, i, sth.tree_size, got->audit_path, sth.root_hash));
  }
  EXPECT_EQ(client.GetEntryAndProof(sth.tree_size, sth.tree_size).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(LogClientTest, ConsistencyBetweenTwoHeads) {
  LogClient client = Client();
  log_.Publish(6);
  SignedTreeHead old_sth = *client.GetSth();
  log_.Publish(kFixtureEntries);
  SignedTreeHead new_sth = *client.GetSth();
  ASSERT_EQ(old_sth.tree_size, 6u);
  Result<void> consistent = client.VerifyConsistencyBetween(old_sth, new_sth);
  EXPECT_TRUE(consistent) << consistent.error().message;
  EXPECT_EQ(log_.Calls("/ct/v1/get-sth-consistency"), 1);

  // Every pair of sizes, proofs straight from GetSthConsistency.
  for (uint64_t first = 1; first <= kFixtureEntries; first += 4) {
    for (uint64_t second = first; second <= kFixtureEntries; second += 3) {
      SignedTreeHead a = log_.Sth(first), b = log_.Sth(second);
      Result<std::vector<MerkleHash>> proof = client.GetSthConsistency(first, second);
      ASSERT_TRUE(proof) << proof.error().message;
      EXPECT_TRUE(VerifyConsistency(first, second, *proof, a.root_hash, b.root_hash))
          << first << " " << second;
    }
  }

  // Equal sizes: equal roots, no request.
  int calls = log_.Calls("/ct/v1/get-sth-consistency");
  EXPECT_TRUE(client.VerifyConsistencyBetween(new_sth, new_sth));
  // Old size 0: nothing to prove, no request.
  EXPECT_TRUE(client.VerifyConsistencyBetween(log_.Sth(0), new_sth));
  EXPECT_EQ(log_.Calls("/ct/v1/get-sth-consistency"), calls);

  // A head the log did not sign, a different root at the same size, a smaller new head.
  SignedTreeHead forged = new_sth;
  forged.root_hash[0] ^= 1;
  ExpectError(client.VerifyConsistencyBetween(old_sth, forged), ErrorCode::kVerificationFailed,
              "new tree head");
  SignedTreeHead other = *SignTreeHead(new_sth.tree_size, 1, forged.root_hash, *log_.signer());
  ExpectError(client.VerifyConsistencyBetween(new_sth, other), ErrorCode::kVerificationFailed,
              "two different roots");
  ExpectError(client.VerifyConsistencyBetween(new_sth, old_sth), ErrorCode::kVerificationFailed,
              "shrank");
  // A wrong root at the new size that the log signed: the proof does not reproduce it.
  SignedTreeHead lying = *SignTreeHead(new_sth.tree_size, 1, forged.root_hash, *log_.signer());
  ExpectError(client.VerifyConsistencyBetween(old_sth, lying), ErrorCode::kVerificationFailed,
              "consistency proof");
}

TEST_F(LogClientTest, GetRootsAddChainAndAddPreChain) {
  LogClient client = Client();
  Result<std::vector<Bytes>> roots = client.GetRoots();
  ASSERT_TRUE(roots) << roots.error().message;
  ASSERT_EQ(roots->size(), 1u);
  EXPECT_EQ(roots->front(), FirstCertificateDer("sct/ctlog/ca-cert.pem"));

  Bytes cert = FirstCertificateDer("sct/ctlog/test-cert.pem");
  Bytes ca = FirstCertificateDer("sct/ctlog/ca-cert.pem");
  std::vector<Bytes> chain = {cert, ca};
  Result<SignedCertificateTimestamp> sct = client.AddChain(chain);
  ASSERT_TRUE(sct) << sct.error().message;
  EXPECT_EQ(sct->log_id, log_.signer()->log_id());

  std::vector<Bytes> pre_chain = {FirstCertificateDer("sct/ctlog/test-embedded-pre-cert.pem"), ca};
  Result<SignedCertificateTimestamp> pre_sct = client.AddPreChain(pre_chain);
  ASSERT_TRUE(pre_sct) << pre_sct.error().message;

  // The submitted certificate is now in the log, at the leaf the SCT promises.
  uint64_t size = log_.size();
  log_.Publish(size);
  SignedTreeHead sth = *client.GetSth();
  TimestampedEntry promised = EntryForSct(*sct, *X509SignedEntry(cert));
  Result<uint64_t> index = client.ProveInclusion(*LeafHashOf(promised), sth);
  ASSERT_TRUE(index) << index.error().message;
  EXPECT_EQ(*index, size - 2);

  // An SCT signed by someone else, or with another log's id, is refused.
  std::shared_ptr<const LogSigner> stranger = *LogSigner::Generate();
  Result<LogClient> wrong_key =
      LogClient::Create(log_.url(), stranger->public_key(), FastOptions());
  ASSERT_TRUE(wrong_key);
  ExpectError(wrong_key->AddChain(chain), ErrorCode::kVerificationFailed, "log id");

  EXPECT_EQ(client.AddChain({}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(client.AddPreChain(chain).error().code, ErrorCode::kInvalidArgument);  // not a precert
}

TEST_F(LogClientTest, KeepsOneConnectionAlive) {
  LogClient client = Client();
  SignedTreeHead sth = *client.GetSth();
  ASSERT_TRUE(client.GetEntries(0, 4));
  ASSERT_TRUE(client.GetSthConsistency(3, sth.tree_size));
  ASSERT_TRUE(client.GetRoots());
  ASSERT_TRUE(client.AddChain(std::vector<Bytes>{FirstCertificateDer("sct/ctlog/test-cert.pem")}));
  ASSERT_TRUE(client.GetSth());
  EXPECT_EQ(client.http_stats().requests, 6u);
  EXPECT_EQ(client.http_stats().connections, 1u);
  EXPECT_EQ(log_.ClientConnections(), 1u);
}

TEST_F(LogClientTest, WithoutKeyGetSthRefusesAndUnverifiedIsExplicit) {
  Result<LogClient> client = LogClient::Create(log_.url(), nullptr, FastOptions());
  ASSERT_TRUE(client);
  ExpectError(client->GetSth(), ErrorCode::kInvalidArgument, "no log key");
  Result<SignedTreeHead> head = client->GetUnverifiedSth();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->tree_size, kFixtureEntries);
}

// --- get-entries: batches, short reads, ranges. ---

TEST_F(LogClientTest, LoopsOnShortReadsWithAlignedBatches) {
  log_.SetEntriesCap(5);
  LogClientOptions options = FastOptions();
  options.batch_size = 8;
  LogClient client = Client(options);
  Result<std::vector<LogEntry>> entries = client.GetEntries(3, 18);
  ASSERT_TRUE(entries) << entries.error().message;
  ASSERT_EQ(entries->size(), 16u);
  for (size_t i = 0; i < entries->size(); ++i) {
    EXPECT_EQ((*entries)[i].index, 3 + i);
    EXPECT_EQ((*entries)[i].leaf_input, log_.LeafInput(3 + i));
  }
  using Range = std::pair<uint64_t, uint64_t>;
  // 3..7 (batch 0..7), 8..15 capped to 8..12, 13..15, 16..18 (never past 18).
  EXPECT_EQ(log_.EntriesRequests(), (std::vector<Range>{{3, 7}, {8, 15}, {13, 15}, {16, 18}}));
  for (auto [start, end] : log_.EntriesRequests()) {
    EXPECT_EQ(start / 8, end / 8) << "request straddles a batch: " << start << ".." << end;
    EXPECT_LE(end, 18u);
  }
}

TEST_F(LogClientTest, SingleEntryAndStartAfterEnd) {
  LogClient client = Client();
  Result<std::vector<LogEntry>> one = client.GetEntries(20, 20);
  ASSERT_TRUE(one);
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->front().index, 20u);
  EXPECT_EQ(client.GetEntries(5, 4).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(LogClientTest, MoreEntriesThanAskedIsMalformed) {
  log_.SetFault("/ct/v1/get-entries", [](const httplib::Request&, httplib::Response& res) {
    Json body = Json::parse(res.body);
    body["entries"].push_back(body["entries"][0]);
    res.body = body.dump();
  });
  LogClient client = Client();
  Result<std::vector<LogEntry>> entries = client.GetEntries(0, 3);
  ASSERT_FALSE(entries);
  ExpectError(entries, ErrorCode::kMalformed, "more than 4");
  EXPECT_THAT(entries.error().message, HasSubstr(log_.url() + "ct/v1/get-entries?start=0&end=3"));
}

TEST_F(LogClientTest, EmptyAnswerIsMalformed) {
  log_.SetFault("/ct/v1/get-entries", [](const httplib::Request&, httplib::Response& res) {
    res.body = R"({"entries":[]})";
  });
  LogClient client = Client();
  ExpectError(client.GetEntries(0, 3), ErrorCode::kMalformed, "no entries");
}

TEST_F(LogClientTest, EntriesFromElsewhereFailTheirProof) {
  // The log serves entries one position later than asked: the count fits, so only the Merkle
  // proof against the signed head can tell.
  log_.SetFault("/ct/v1/get-entries", [](const httplib::Request&, httplib::Response& res) {
    Json body = Json::parse(res.body);
    Json shifted = Json::array();
    for (size_t i = 1; i < body["entries"].size(); ++i) shifted.push_back(body["entries"][i]);
    body["entries"] = shifted;
    res.body = body.dump();
  });
  LogClient client = Client();
  SignedTreeHead sth = *client.GetSth();
  Result<std::vector<LogEntry>> entries = client.GetEntriesBatch(4, 7);
  ASSERT_TRUE(entries);
  ASSERT_FALSE(entries->empty());
  ExpectError(client.ProveEntry(entries->front(), sth), ErrorCode::kVerificationFailed,
              "another leaf at this index");
}

// --- Malformed responses: typed errors naming the URL and the field. ---

TEST_F(LogClientTest, BadSthSignature) {
  log_.SetFault("/ct/v1/get-sth", [](const httplib::Request&, httplib::Response& res) {
    Json body = Json::parse(res.body);
    body["tree_size"] = body["tree_size"].get<uint64_t>() + 1;  // signature no longer covers it
    res.body = body.dump();
  });
  LogClient client = Client();
  Result<SignedTreeHead> sth = client.GetSth();
  ASSERT_FALSE(sth);
  ExpectError(sth, ErrorCode::kVerificationFailed, log_.url() + "ct/v1/get-sth");
  EXPECT_EQ(client.http_stats().requests, 1u);  // not retried
}

TEST_F(LogClientTest, SthFromAnotherKey) {
  std::shared_ptr<const LogSigner> stranger = *LogSigner::Generate();
  Result<LogClient> client = LogClient::Create(log_.url(), stranger->public_key(), FastOptions());
  ASSERT_TRUE(client);
  EXPECT_EQ(client->GetSth().error().code, ErrorCode::kVerificationFailed);
}

TEST_F(LogClientTest, EmptyTreeWithAnotherRoot) {
  log_.Publish(0);
  log_.SetFault("/ct/v1/get-sth", [this](const httplib::Request&, httplib::Response& res) {
    res.body = SthToJson(*SignTreeHead(0, 5, HashLeaf(AsBytes("x")), *log_.signer()));
  });
  LogClient client = Client();
  ExpectError(client.GetSth(), ErrorCode::kVerificationFailed, "size 0");
}

TEST_F(LogClientTest, TruncatedJson) {
  auto truncate = [](const httplib::Request&, httplib::Response& res) {
    res.body.resize(res.body.size() / 2);
  };
  for (const char* path : {"/ct/v1/get-sth", "/ct/v1/get-entries", "/ct/v1/get-proof-by-hash",
                           "/ct/v1/get-sth-consistency", "/ct/v1/get-roots"}) {
    log_.SetFault(path, truncate);
  }
  LogClient client = Client();
  ExpectError(client.GetUnverifiedSth(), ErrorCode::kMalformed, "not valid JSON");
  Result<std::vector<LogEntry>> entries = client.GetEntries(0, 9);
  ExpectError(entries, ErrorCode::kMalformed, log_.url() + "ct/v1/get-entries");
  SignedTreeHead sth = log_.Sth(kFixtureEntries);
  ExpectError(client.ProveInclusion(HashLeaf(log_.LeafInput(3)), sth), ErrorCode::kMalformed,
              "get-proof-by-hash");
  ExpectError(client.GetSthConsistency(3, 9), ErrorCode::kMalformed,
              "get-sth-consistency?first=3&second=9");
  ExpectError(client.GetRoots(), ErrorCode::kMalformed, "get-roots");
}

TEST_F(LogClientTest, WrongTypes) {
  log_.SetFault("/ct/v1/get-sth", SetField("tree_size", "21"));
  log_.SetFault("/ct/v1/get-proof-by-hash", SetField("leaf_index", -1));
  log_.SetFault("/ct/v1/get-sth-consistency", SetField("consistency", "AAAA"));
  log_.SetFault("/ct/v1/get-entries", SetField("entries", Json::object()));
  LogClient client = Client();
  ExpectError(client.GetSth(), ErrorCode::kMalformed, "tree_size");
  ExpectError(client.GetProofByHash(HashLeaf(log_.LeafInput(0)), 21), ErrorCode::kMalformed,
              "leaf_index");
  ExpectError(client.GetSthConsistency(3, 9), ErrorCode::kMalformed, "consistency: not an array");
  ExpectError(client.GetEntries(0, 1), ErrorCode::kMalformed, "entries: not an array");
}

TEST_F(LogClientTest, BadBase64) {
  log_.SetFault("/ct/v1/get-entries", [](const httplib::Request&, httplib::Response& res) {
    Json body = Json::parse(res.body);
    body["entries"][1]["leaf_input"] = "AAA!";
    res.body = body.dump();
  });
  log_.SetFault("/ct/v1/get-sth-consistency", [](const httplib::Request&, httplib::Response& res) {
    Json body = Json::parse(res.body);
    body["consistency"][0] = "AAAA";  // base64, but not 32 bytes
    res.body = body.dump();
  });
  LogClient client = Client();
  Result<std::vector<LogEntry>> entries = client.GetEntries(0, 3);
  ExpectError(entries, ErrorCode::kMalformed, "entries[1].leaf_input");
  ExpectError(client.GetSthConsistency(3, 9), ErrorCode::kMalformed, "consistency[0]");
}

TEST_F(LogClientTest, LeafInputThatIsNotAMerkleTreeLeaf) {
  log_.SetFault("/ct/v1/get-entries", [](const httplib::Request&, httplib::Response& res) {
    Json body = Json::parse(res.body);
    body["entries"][0]["leaf_input"] = Base64Encode(Bytes{0, 0, 1, 2});
    res.body = body.dump();
  });
  LogClient client = Client();
  ExpectError(client.GetEntries(2, 3), ErrorCode::kMalformed, "(index 2): leaf_input");
}

TEST_F(LogClientTest, OversizedResponseAndOversizedField) {
  LogClientOptions options = FastOptions();
  options.max_response_bytes = 4096;
  LogClient small = Client(options);
  // Twenty-one entries with certificates are well over 4 KiB.
  Result<std::vector<LogEntry>> entries = small.GetEntries(0, 20);
  ExpectError(entries, ErrorCode::kTooLarge, "larger than 4096 bytes");
  EXPECT_EQ(small.http_stats().requests, 1u);  // not retried

  log_.SetFault("/ct/v1/get-entries", [](const httplib::Request&, httplib::Response& res) {
    Json body = Json::parse(res.body);
    body["entries"][0]["leaf_input"] = std::string((kMaxLeafInputBytes + 3 + 2) / 3 * 4, 'A');
    res.body = body.dump();
  });
  LogClient client = Client();
  ExpectError(client.GetEntries(0, 0), ErrorCode::kTooLarge, "entries[0].leaf_input: longer than");
}

// --- Transport: retries, Retry-After, timeouts, refused connections, HTTP errors. ---

FixtureLog::Fault FailFirst(int times, int status, std::string retry_after) {
  auto count = std::make_shared<int>(0);
  return [count, times, status, retry_after](const httplib::Request&, httplib::Response& res) {
    if ((*count)++ >= times) return;
    res.status = status;
    res.body = "slow down";
    if (!retry_after.empty()) res.set_header("Retry-After", retry_after);
  };
}

TEST_F(LogClientTest, Status429WithRetryAfterIsHonoured) {
  log_.SetFault("/ct/v1/get-sth", FailFirst(1, 429, "1"));
  LogClientOptions options = FastOptions();
  options.backoff_base = milliseconds(1);  // the wait below can only come from Retry-After
  options.backoff_max = milliseconds(1);
  LogClient client = Client(options);
  ASSERT_TRUE(client.GetSth());
  EXPECT_EQ(client.http_stats().retries, 1u);
  std::vector<std::chrono::steady_clock::time_point> times = log_.CallTimes("/ct/v1/get-sth");
  ASSERT_EQ(times.size(), 2u);
  // A lower bound only: sleeping guarantees at least the time asked for.
  EXPECT_GE(times[1] - times[0], milliseconds(900));
}

TEST_F(LogClientTest, RetryAfterAsHttpDateAndTheCap) {
  // A date an hour ahead would stall the client; max_retry_after caps the wait.
  log_.SetFault("/ct/v1/get-sth", FailFirst(1, 503, "Wed, 21 Oct 2099 07:28:00 GMT"));
  LogClientOptions options = FastOptions();
  options.max_retry_after = milliseconds(100);
  LogClient client = Client(options);
  ASSERT_TRUE(client.GetSth());
  EXPECT_EQ(client.http_stats().retries, 1u);
}

TEST_F(LogClientTest, Status429WithoutRetryAfterBacksOff) {
  log_.SetFault("/ct/v1/get-sth", FailFirst(2, 429, ""));
  LogClient client = Client();
  ASSERT_TRUE(client.GetSth());
  EXPECT_EQ(client.http_stats().retries, 2u);
  EXPECT_EQ(log_.Calls("/ct/v1/get-sth"), 3);
}

TEST_F(LogClientTest, Status503ThenSuccess) {
  log_.SetFault("/ct/v1/get-entries", FailFirst(1, 503, ""));
  LogClient client = Client();
  Result<std::vector<LogEntry>> entries = client.GetEntries(0, 2);
  ASSERT_TRUE(entries) << entries.error().message;
  EXPECT_EQ(entries->size(), 3u);
  EXPECT_EQ(client.http_stats().retries, 1u);
}

TEST_F(LogClientTest, GivesUpAfterMaxRetries) {
  log_.SetFault("/ct/v1/get-sth", FailFirst(100, 503, "0"));
  LogClient client = Client();  // max_retries 2
  Result<SignedTreeHead> sth = client.GetSth();
  ASSERT_FALSE(sth);
  ExpectError(sth, ErrorCode::kNetwork, "HTTP status 503");
  EXPECT_THAT(sth.error().message, HasSubstr("after 3 attempts"));
  EXPECT_THAT(sth.error().message, HasSubstr(log_.url() + "ct/v1/get-sth"));
  EXPECT_EQ(log_.Calls("/ct/v1/get-sth"), 3);
}

TEST_F(LogClientTest, ClientErrorsAreNotRetried) {
  log_.SetFault("/ct/v1/get-roots", FailFirst(100, 400, ""));
  LogClient client = Client();
  ExpectError(client.GetRoots(), ErrorCode::kNetwork, "HTTP status 400");
  EXPECT_EQ(log_.Calls("/ct/v1/get-roots"), 1);
  // 404: the log does not know the leaf.
  ExpectError(client.GetProofByHash(HashLeaf(AsBytes("unknown")), 21), ErrorCode::kNotFound, "404");
  // 400 means the same from get-proof-by-hash (Google's original log, ctkit's), and only there.
  log_.SetFault("/ct/v1/get-proof-by-hash", FailFirst(100, 400, ""));
  ExpectError(client.GetProofByHash(HashLeaf(log_.LeafInput(0)), 21), ErrorCode::kNotFound,
              "HTTP status 400");
}

TEST_F(LogClientTest, SlowResponseHitsTheTotalTimeout) {
  log_.SetFault("/ct/v1/get-sth", [this](const httplib::Request&, httplib::Response&) {
    log_.SlowDown(milliseconds(3000));
  });
  LogClientOptions options = FastOptions();
  options.total_timeout = milliseconds(1000);
  options.max_retries = 0;
  LogClient client = Client(options);
  Result<SignedTreeHead> sth = client.GetSth();
  ASSERT_FALSE(sth);
  ExpectError(sth, ErrorCode::kNetwork, log_.url() + "ct/v1/get-sth");
  EXPECT_THAT(sth.error().message, HasSubstr("imed out"));
}

TEST(LogClientNetworkTest, ConnectionRefused) {
  // A port that was just free: bound, then closed without listening.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  socklen_t length = sizeof(address);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  int port = ntohs(address.sin_port);
  close(fd);

  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
  Result<LogClient> client = LogClient::Create(url, nullptr, FastOptions());
  ASSERT_TRUE(client);
  Result<std::vector<Bytes>> roots = client->GetRoots();
  ASSERT_FALSE(roots);
  EXPECT_EQ(roots.error().code, ErrorCode::kNetwork);
  EXPECT_THAT(roots.error().message, HasSubstr(url + "ct/v1/get-roots"));
  EXPECT_THAT(roots.error().message, HasSubstr("after 3 attempts"));
  EXPECT_EQ(client->http_stats().requests, 3u);
}

TEST_F(LogClientTest, RateCapStillServesEveryRequest) {
  LogClientOptions options = FastOptions();
  options.requests_per_second = 50;
  LogClient client = Client(options);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.GetSth());
  std::vector<std::chrono::steady_clock::time_point> times = log_.CallTimes("/ct/v1/get-sth");
  ASSERT_EQ(times.size(), 5u);
  // A burst of 50 is allowed, so nothing to wait for here; the pacing itself is TokenBucket's
  // test below.
}

TEST_F(LogClientTest, ConcurrentCallsShareTheClient) {
  LogClient client = Client();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&client, &ok, t] {
      for (int i = 0; i < 5; ++i) {
        if (client.GetEntries(t, t + 3)) ++ok;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 20);
  EXPECT_EQ(client.http_stats().connections, 1u);
}

// --- Pure building blocks. ---

TEST(LogClientJsonTest, ParsesEachResponse) {
  MerkleHash node = HashLeaf(AsBytes("n"));
  std::string b64 = Base64Encode(node);
  Result<std::vector<MerkleHash>> consistency =
      ParseGetSthConsistencyResponse(R"({"consistency":[")" + b64 + R"("]})");
  ASSERT_TRUE(consistency);
  EXPECT_EQ(*consistency, std::vector<MerkleHash>{node});
  Result<InclusionProof> proof =
      ParseGetProofByHashResponse(R"({"leaf_index":3,"audit_path":[")" + b64 + R"("]})");
  ASSERT_TRUE(proof);
  EXPECT_EQ(proof->leaf_index, 3u);
  EXPECT_TRUE(ParseGetProofByHashResponse(R"({"leaf_index":0,"audit_path":[]})"));
  EXPECT_TRUE(ParseGetRootsResponse(R"({"certificates":["AQID"]})"));
  EXPECT_EQ(AddChainRequestJson(std::vector<Bytes>{{1, 2, 3}}), R"({"chain":["AQID"]})");
}

TEST(LogClientJsonTest, RejectsWhatIsNotTheRfcFormat) {
  std::string node = Base64Encode(HashLeaf(AsBytes("n")));
  std::string nodes;
  for (size_t i = 0; i <= kMaxProofNodes; ++i) nodes += (i ? ",\"" : "\"") + node + "\"";
  struct Case {
    Result<void> result;
    const char* text;
  };
  auto check = [](auto result) -> Result<void> {
    if (!result) return std::unexpected(result.error());
    return {};
  };
  std::vector<Case> cases = {
      {check(ParseGetSthConsistencyResponse("[]")), "not a JSON object"},
      {check(ParseGetSthConsistencyResponse(R"({"consistency":[)" + nodes + "]}")), "more than"},
      {check(ParseGetSthConsistencyResponse(R"({"consistency":[1]})")),
       "consistency[0]: not a string"},
      {check(ParseGetProofByHashResponse(R"({"leaf_index":1.5,"audit_path":[]})")), "leaf_index"},
      {check(ParseGetProofByHashResponse(R"({"leaf_index":1})")), "audit_path: missing"},
      {check(ParseGetEntriesResponse(R"({"entries":[{"leaf_input":"AA=="}]})", 5)),
       "entries[0].extra_data: missing"},
      {check(ParseGetEntriesResponse(R"({"entries":[1]})", 5)), "entries[0]: not an object"},
      {check(ParseGetEntryAndProofResponse(R"({"leaf_input":"AA==","extra_data":"AA==="})")),
       "extra_data"},
      {check(ParseGetRootsResponse(R"({"certificates":[""]})")), "certificates[0]: empty"},
      {check(ParseAddChainResponse(R"({"sct_version":0,"id":"AAAA","timestamp":1,)"
                                   R"("extensions":"","signature":"BAMAAA=="})")),
       "id: 3 bytes, not 32"},
      {check(ParseAddChainResponse(R"({"sct_version":0,"id":")" + node +
                                   R"(","timestamp":1,"extensions":"",)"
                                   R"("signature":"BAMAAAA="})")),
       "signature"},
  };
  for (const Case& c : cases) {
    ASSERT_FALSE(c.result) << c.text;
    EXPECT_EQ(c.result.error().code, ErrorCode::kMalformed) << c.result.error().message;
    EXPECT_THAT(c.result.error().message, HasSubstr(c.text));
  }
  EXPECT_EQ(ParseAddChainResponse(R"({"sct_version":1})").error().code, ErrorCode::kUnsupported);
}

TEST(LogClientJsonTest, AddChainResponseRoundTrip) {
  std::shared_ptr<const LogSigner> signer = *LogSigner::Generate();
  SignedCertificateTimestamp sct{.version = SctVersion::kV1,
                                 .log_id = signer->log_id(),
                                 .timestamp_ms = 1234,
                                 .extensions = {0, 0, 5, 0, 0, 0, 0, 7},
                                 .signature = *signer->Sign(AsBytes("x"))};
  Result<SignedCertificateTimestamp> parsed = ParseAddChainResponse(SctJson(sct));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, sct);
}

TEST(LogClientBlocksTest, ParseRetryAfter) {
  auto now = std::chrono::system_clock::from_time_t(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
  using std::chrono::seconds;
  EXPECT_EQ(ParseRetryAfter("120", now), seconds(120));
  EXPECT_EQ(ParseRetryAfter(" 0 ", now), seconds(0));
  EXPECT_EQ(ParseRetryAfter("99999999999999999999", now), seconds(86400));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:29:00 GMT", now), seconds(60));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now), seconds(0));
  EXPECT_EQ(ParseRetryAfter("", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("soon", now), std::nullopt);
}

TEST(LogClientBlocksTest, BackoffGrowsWithJitterAndIsCapped) {
  milliseconds base(100), max(1000);
  EXPECT_EQ(BackoffDelay(0, base, max, 0.0), milliseconds(50));
  EXPECT_EQ(BackoffDelay(0, base, max, 1.0), milliseconds(100));
  EXPECT_EQ(BackoffDelay(2, base, max, 0.0), milliseconds(200));
  EXPECT_EQ(BackoffDelay(2, base, max, 0.5), milliseconds(300));
  EXPECT_EQ(BackoffDelay(10, base, max, 1.0), milliseconds(1000));
  EXPECT_EQ(BackoffDelay(200, base, max, 0.0), milliseconds(500));
  for (int retry = 0; retry < 70; ++retry) {
    milliseconds delay = BackoffDelay(retry, base, max, 0.7);
    EXPECT_GE(delay, milliseconds(0));
    EXPECT_LE(delay, max);
  }
}

TEST(LogClientBlocksTest, TokenBucketPacesRequests) {
  using Clock = TokenBucket::Clock;
  Clock::time_point t0{};
  TokenBucket bucket(2.0, t0);  // 2 a second, burst of 2
  EXPECT_EQ(bucket.Reserve(t0), Clock::duration::zero());
  EXPECT_EQ(bucket.Reserve(t0), Clock::duration::zero());
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(bucket.Reserve(t0)), milliseconds(500));
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(bucket.Reserve(t0)), milliseconds(1000));
  // Two seconds later the debt is paid and one token is back.
  EXPECT_EQ(bucket.Reserve(t0 + std::chrono::seconds(2)), Clock::duration::zero());
  TokenBucket unlimited(0, t0);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(unlimited.Reserve(t0), Clock::duration::zero());
  TokenBucket slow(0.5, t0);  // burst of 1
  EXPECT_EQ(slow.Reserve(t0), Clock::duration::zero());
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(slow.Reserve(t0)), milliseconds(2000));
}

}  // namespace
}  // namespace ctkit
