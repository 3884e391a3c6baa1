// `ctkit log serve` as a user runs it: a real process on 127.0.0.1 with a port chosen at run
// time, spoken to over HTTP. Covers the RFC 6962 endpoints' answers and errors, kill -9 after
// SCTs were handed out (nothing lost), SIGTERM (clean exit) and the 429 rate limit.

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cert_factory.h"
#include "ct/log_entry.h"
#include "ct/sct_verify.h"
#include "ct/signed_tree_head.h"
#include "ct/tls_codec.h"
#include "logclient/log_client.h"
#include "logserver/log_process.h"
#include "merkle/compact_range.h"
#include "merkle/merkle_verify.h"
#include "raw_http.h"
#include "run_command.h"
#include "storage/sqlite.h"
#include "test_support.h"

namespace ctkit {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::LogProcess;
using testing::TestCa;

// Percent-encodes base64 for a query string ('+', '/' and '=' are not safe there).
std::string UrlEncode(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += c;
    } else {
      char buffer[4];
      std::snprintf(buffer, sizeof(buffer), "%%%02X", static_cast<unsigned char>(c));
      out += buffer;
    }
  }
  return out;
}

class LogServeCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("ctkit-serve");
    ASSERT_FALSE(dir_.empty());
    auto keygen = testing::RunCtkit({"log", "keygen", "--out", dir_ + "/log.key"});
    ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
    // The key file is never overwritten.
    EXPECT_EQ(testing::RunCtkit({"log", "keygen", "--out", dir_ + "/log.key"}).exit_code, 2);
    Result<std::shared_ptr<const LogSigner>> signer =
        LogSigner::FromPem(ReadFile(dir_ + "/log.key"));
    ASSERT_TRUE(signer);
    key_ = (*signer)->public_key();
    keyring_.Add(key_);
  }
  void TearDown() override { testing::RemoveTree(dir_); }

  static std::string ReadFile(const std::string& path) { return testing::ReadFile(path); }

  static httplib::Result Post(int port, const std::string& path, const std::string& body) {
    httplib::Client client("127.0.0.1", port);
    return client.Post(path.c_str(), body, "application/json");
  }
  static httplib::Result Get(int port, const std::string& path) {
    httplib::Client client("127.0.0.1", port);
    return client.Get(path.c_str());
  }
  static std::string ChainBody(const std::vector<Bytes>& chain) {
    json list = json::array();
    for (const Bytes& der : chain) list.push_back(Base64Encode(der));
    return json{{"chain", list}}.dump();
  }
  SignedTreeHead WaitForSize(int port, uint64_t size) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      httplib::Result res = Get(port, "/ct/v1/get-sth");
      if (res && res->status == 200) {
        Result<SignedTreeHead> head = ParseSthJson(res->body);
        EXPECT_TRUE(head);
        EXPECT_TRUE(VerifySignedTreeHead(*head, *key_));
        if (head->tree_size >= size) return *head;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "tree never reached size " << size;
    return {};
  }
  static SignedCertificateTimestamp SctFromResponse(const std::string& body) {
    json j = json::parse(body);
    SignedCertificateTimestamp sct;
    Bytes id = *Base64Decode(j["id"].get<std::string>());
    std::copy(id.begin(), id.end(), sct.log_id.begin());
    sct.timestamp_ms = j["timestamp"];
    sct.extensions = *Base64Decode(j["extensions"].get<std::string>());
    Bytes signature = *Base64Decode(j["signature"].get<std::string>());
    TlsReader reader(signature);
    sct.signature = *ReadDigitallySigned(reader);
    return sct;
  }

  std::string dir_;
  std::shared_ptr<const LogKey> key_;
  LogKeyring keyring_;
  testing::TestCa ca_{"Serve Test CA"};
};

TEST_F(LogServeCommandTest, KillNineAfterSctsLosesNothing) {
  std::vector<std::pair<SignedCertificateTimestamp, Bytes>> issued;
  {
    LogProcess log(dir_);
    ASSERT_GT(log.port(), 0);
    for (int i = 0; i < 20; ++i) {
      Bytes leaf = ca_.IssueLeaf("k" + std::to_string(i) + ".example.com", 10 + i);
      httplib::Result res = Post(log.port(), "/ct/v1/add-chain", ChainBody({leaf, ca_.der()}));
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 200) << res->body;
      issued.emplace_back(SctFromResponse(res->body), leaf);
    }
    EXPECT_EQ(log.Signal(SIGKILL), -SIGKILL);  // no chance to integrate or flush anything
  }
  LogProcess restarted(dir_);
  ASSERT_GT(restarted.port(), 0);
  SignedTreeHead head = WaitForSize(restarted.port(), 20);
  EXPECT_EQ(head.tree_size, 20u);
  for (const auto& [sct, leaf] : issued) {
    SignedEntry entry = *X509SignedEntry(leaf);
    EXPECT_EQ(VerifySct(sct, entry, keyring_, std::nullopt), SctStatus::kValid);
    MerkleHash leaf_hash = *LeafHashOf(EntryForSct(sct, entry));
    httplib::Result res = Get(restarted.port(), "/ct/v1/get-proof-by-hash?tree_size=20&hash=" +
                                                    UrlEncode(Base64Encode(leaf_hash)));
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    json proof = json::parse(res->body);
    std::vector<MerkleHash> path;
    for (const json& node : proof["audit_path"])
      path.push_back(*ParseMerkleHash(node.get<std::string>()));
    EXPECT_TRUE(
        VerifyInclusion(leaf_hash, proof["leaf_index"], head.tree_size, path, head.root_hash));
  }
  EXPECT_EQ(restarted.Signal(SIGTERM), 0);  // graceful shutdown exits 0
}

// The same under concurrent load, where submissions share group commits: every SCT a client
// got survives kill -9, and a certificate submitted by all clients at once is logged once.
TEST_F(LogServeCommandTest, KillNineDuringConcurrentSubmissionsLosesNothing) {
  constexpr int kClients = 8, kPerClient = 12;
  std::vector<std::vector<Bytes>> leaves(kClients);
  for (int c = 0; c < kClients; ++c) {
    for (int i = 0; i < kPerClient; ++i) {
      leaves[c].push_back(
          ca_.IssueLeaf("cc" + std::to_string(c) + "-" + std::to_string(i), 1000 + c * 100 + i));
    }
  }
  Bytes shared = ca_.IssueLeaf("everyone.example.com", 999);
  std::vector<std::vector<std::pair<SignedCertificateTimestamp, Bytes>>> issued(kClients);
  std::vector<std::string> shared_bodies(kClients);
  {
    LogProcess log(dir_);
    ASSERT_GT(log.port(), 0);
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        httplib::Client client("127.0.0.1", log.port());  // one kept-alive connection each
        for (int i = 0; i < kPerClient; ++i) {
          httplib::Result res = client.Post(
              "/ct/v1/add-chain", ChainBody({leaves[c][i], ca_.der()}), "application/json");
          if (!res || res->status != 200) return;  // shows as a short list below
          issued[c].emplace_back(SctFromResponse(res->body), leaves[c][i]);
          if (i == 0) {
            httplib::Result again =
                client.Post("/ct/v1/add-chain", ChainBody({shared, ca_.der()}), "application/json");
            if (again && again->status == 200) shared_bodies[c] = again->body;
          }
        }
      });
    }
    for (std::thread& client : clients) client.join();
    EXPECT_EQ(log.Signal(SIGKILL), -SIGKILL);
  }
  for (int c = 0; c < kClients; ++c) {
    ASSERT_EQ(issued[c].size(), static_cast<size_t>(kPerClient)) << "client " << c;
    ASSERT_FALSE(shared_bodies[c].empty()) << "client " << c;
  }
  SignedCertificateTimestamp shared_sct = SctFromResponse(shared_bodies[0]);
  for (int c = 1; c < kClients; ++c) EXPECT_EQ(SctFromResponse(shared_bodies[c]), shared_sct);
  issued[0].emplace_back(shared_sct, shared);

  LogProcess restarted(dir_);
  ASSERT_GT(restarted.port(), 0);
  uint64_t total = kClients * kPerClient + 1;
  SignedTreeHead head = WaitForSize(restarted.port(), total);
  EXPECT_EQ(head.tree_size, total);  // the shared certificate once
  httplib::Client client("127.0.0.1", restarted.port());
  for (const auto& list : issued) {
    for (const auto& [sct, leaf] : list) {
      SignedEntry entry = *X509SignedEntry(leaf);
      EXPECT_EQ(VerifySct(sct, entry, keyring_, std::nullopt), SctStatus::kValid);
      MerkleHash leaf_hash = *LeafHashOf(EntryForSct(sct, entry));
      httplib::Result res =
          client.Get(("/ct/v1/get-proof-by-hash?tree_size=" + std::to_string(total) +
                      "&hash=" + UrlEncode(Base64Encode(leaf_hash)))
                         .c_str());
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 200) << res->body;
      json proof = json::parse(res->body);
      std::vector<MerkleHash> path;
      for (const json& node : proof["audit_path"])
        path.push_back(*ParseMerkleHash(node.get<std::string>()));
      EXPECT_TRUE(
          VerifyInclusion(leaf_hash, proof["leaf_index"], head.tree_size, path, head.root_hash));
    }
  }
}

// kill -9 in the middle of concurrent submissions, several times over one database: every SCT a
// client received before a kill is for an entry in the tree after the restart (an SCT is a
// promise, RFC 6962 §3), and every tree head anyone saw before a kill is consistent with the
// tree after it (the log never rewrites history, RFC 6962 §2.1.2).
TEST_F(LogServeCommandTest, KillNineMidSubmissionsKeepsEverySctAndHistory) {
  uint32_t seed = std::random_device{}();
  std::cout << "kill schedule seed: " << seed << "\n";
  RecordProperty("seed", std::to_string(seed));
  std::mt19937 random(seed);
  constexpr int kClients = 6, kPerClient = 120, kRounds = 3;
  std::vector<std::pair<SignedCertificateTimestamp, Bytes>> promised;  // every SCT handed out
  std::vector<SignedTreeHead> seen;                                    // every head served
  long serial = 1;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::vector<Bytes>> leaves(kClients);
    for (auto& list : leaves) {
      for (int i = 0; i < kPerClient; ++i) {
        list.push_back(ca_.IssueLeaf("r" + std::to_string(serial) + ".example.com", serial));
        ++serial;
      }
    }
    LogProcess log(dir_);
    ASSERT_GT(log.port(), 0);
    std::mutex mutex;
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int c = 0; c < kClients; ++c) {
      threads.emplace_back([&, c] {
        httplib::Client client("127.0.0.1", log.port());
        for (const Bytes& leaf : leaves[c]) {
          httplib::Result res =
              client.Post("/ct/v1/add-chain", ChainBody({leaf, ca_.der()}), "application/json");
          if (!res || res->status != 200) return;  // the log is gone
          std::lock_guard lock(mutex);
          promised.emplace_back(SctFromResponse(res->body), leaf);
        }
      });
    }
    threads.emplace_back([&] {  // an observer collecting tree heads
      httplib::Client client("127.0.0.1", log.port());
      while (!stop.load()) {
        httplib::Result res = client.Get("/ct/v1/get-sth");
        if (!res || res->status != 200) return;
        Result<SignedTreeHead> head = ParseSthJson(res->body);
        if (!head) return;
        std::lock_guard lock(mutex);
        if (seen.empty() || !(seen.back() == *head)) seen.push_back(*head);
      }
    });
    // Kill while submissions, group commits and integrations are under way.
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(150, 700)(random)));
    EXPECT_EQ(log.Signal(SIGKILL), -SIGKILL);
    stop = true;
    for (std::thread& thread : threads) thread.join();
  }
  ASSERT_FALSE(promised.empty());
  std::cout << promised.size() << " of " << kRounds * kClients * kPerClient
            << " submissions answered before their round's kill; " << seen.size()
            << " distinct heads seen\n";

  LogProcess restarted(dir_);
  ASSERT_GT(restarted.port(), 0);
  SignedTreeHead head = WaitForSize(restarted.port(), promised.size());
  Result<LogClient> client =
      LogClient::Create("http://127.0.0.1:" + std::to_string(restarted.port()) + "/", key_, {});
  ASSERT_TRUE(client);
  for (const auto& [sct, leaf] : promised) {
    SignedEntry entry = *X509SignedEntry(leaf);
    ASSERT_EQ(VerifySct(sct, entry, keyring_, std::nullopt), SctStatus::kValid);
    Result<uint64_t> index = client->ProveInclusion(*LeafHashOf(EntryForSct(sct, entry)), head);
    EXPECT_TRUE(index) << index.error().message;
  }
  for (const SignedTreeHead& earlier : seen) {
    EXPECT_TRUE(VerifySignedTreeHead(earlier, *key_));
    Result<void> consistent = client->VerifyConsistencyBetween(earlier, head);
    EXPECT_TRUE(consistent) << "head of size " << earlier.tree_size << ": "
                            << consistent.error().message;
  }
}

// A crash that also lost the unsynced tail of the WAL (a torn write): the log's database, killed
// with -9 and its WAL cut at random offsets, must pass PRAGMA integrity_check, start, and serve a
// tree that is a prefix of the one it had (consistent with the last head before the crash).
TEST_F(LogServeCommandTest, TornWalStartsWithAPrefixOfItsTree) {
  uint32_t seed = std::random_device{}();
  std::cout << "torn write seed: " << seed << "\n";
  std::mt19937 random(seed);
  constexpr int kEntries = 40;
  SignedTreeHead before;
  {
    LogProcess log(dir_);
    ASSERT_GT(log.port(), 0);
    httplib::Client client("127.0.0.1", log.port());
    for (int i = 0; i < kEntries; ++i) {  // one commit each: many WAL frames
      httplib::Result res =
          client.Post("/ct/v1/add-chain",
                      ChainBody({ca_.IssueLeaf("t" + std::to_string(i), 500 + i), ca_.der()}),
                      "application/json");
      ASSERT_TRUE(res && res->status == 200);
    }
    before = WaitForSize(log.port(), kEntries);
    EXPECT_EQ(log.Signal(SIGKILL), -SIGKILL);
  }
  namespace fs = std::filesystem;
  ASSERT_TRUE(fs::exists(dir_ + "/log.db-wal"));
  const uintmax_t wal_size = fs::file_size(dir_ + "/log.db-wal");
  std::vector<std::string> torn;
  for (int trial = 0; trial < 3; ++trial) {
    std::string copy = dir_ + "/torn" + std::to_string(trial);
    fs::create_directories(copy);
    for (const char* file : {"log.key", "log.db", "log.db-wal"}) {
      fs::copy_file(dir_ + "/" + file, copy + "/" + file);
    }
    fs::resize_file(copy + "/log.db-wal",
                    std::uniform_int_distribution<uintmax_t>(0, wal_size)(random));
    torn.push_back(copy);
  }
  // The untouched original is the reference: it proves each torn copy's tree is its prefix.
  LogProcess original(dir_);
  ASSERT_GT(original.port(), 0);
  Result<LogClient> reference =
      LogClient::Create("http://127.0.0.1:" + std::to_string(original.port()) + "/", key_, {});
  ASSERT_TRUE(reference);
  EXPECT_EQ(WaitForSize(original.port(), kEntries).tree_size, static_cast<uint64_t>(kEntries));
  for (const std::string& copy : torn) {
    SCOPED_TRACE(copy);
    {
      Result<SqliteDatabase> db = SqliteDatabase::Open(copy + "/log.db");
      ASSERT_TRUE(db) << db.error().message;
      Result<SqliteStatement> check = db->Prepare("PRAGMA integrity_check");
      ASSERT_TRUE(check);
      ASSERT_TRUE(*check->Step());
      EXPECT_EQ(check->ColumnText(0), "ok");
    }
    LogProcess log(copy);
    ASSERT_GT(log.port(), 0);
    SignedTreeHead head = WaitForSize(log.port(), 0);
    EXPECT_LE(head.tree_size, before.tree_size);
    std::cout << "torn copy serves " << head.tree_size << " of " << before.tree_size << "\n";
    Result<void> prefix = reference->VerifyConsistencyBetween(head, before);
    EXPECT_TRUE(prefix) << "torn copy's head of size " << head.tree_size << ": "
                        << prefix.error().message;
  }
}

TEST_F(LogServeCommandTest, EndpointsAnswerAndRejectBadRequestsWith400) {
  LogProcess log(dir_);
  ASSERT_GT(log.port(), 0);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(Post(log.port(), "/ct/v1/add-chain",
                   ChainBody({ca_.IssueLeaf("e" + std::to_string(i), 50 + i), ca_.der()}))
                  ->status,
              200);
  }
  SignedTreeHead head = WaitForSize(log.port(), 5);
  httplib::Result entries = Get(log.port(), "/ct/v1/get-entries?start=1&end=100");
  ASSERT_EQ(entries->status, 200);
  json list = json::parse(entries->body)["entries"];
  ASSERT_EQ(list.size(), 4u);  // clamped to the tree
  CompactRange range;
  httplib::Result all = Get(log.port(), "/ct/v1/get-entries?start=0&end=4");
  json all_entries = json::parse(all->body)["entries"];
  for (const json& e : all_entries) {
    range.Append(HashLeaf(*Base64Decode(e["leaf_input"].get<std::string>())));
  }
  EXPECT_EQ(range.Root(), head.root_hash);  // the entries served are exactly the signed tree
  httplib::Result consistency = Get(log.port(), "/ct/v1/get-sth-consistency?first=2&second=5");
  ASSERT_EQ(consistency->status, 200);
  // RFC 9162 §2.1.4.1: PROOF(2, D[5]) = [MTH(D[2:4]), MTH(D[4:5])].
  EXPECT_EQ(json::parse(consistency->body)["consistency"].size(), 2u);
  EXPECT_EQ(Get(log.port(), "/ct/v1/get-roots")->status, 200);

  struct Case {
    std::string method, path, body, message;
  };
  std::vector<Case> bad = {
      {"POST", "/ct/v1/add-chain", "not json", "JSON"},
      {"POST", "/ct/v1/add-chain", R"({"chain": "x"})", "chain"},
      {"POST", "/ct/v1/add-chain", R"({"chain": ["!!!"]})", "chain item 0"},
      {"POST", "/ct/v1/add-chain", ChainBody({Bytes{1, 2, 3}}), "chain[0]: "},
      {"POST", "/ct/v1/add-pre-chain", ChainBody({ca_.IssueLeaf("x", 99), ca_.der()}),
       "not a precertificate"},
      {"GET", "/ct/v1/get-entries?start=9&end=10", "", "beyond"},
      {"GET", "/ct/v1/get-entries?start=-1&end=10", "", "start"},
      {"GET", "/ct/v1/get-sth-consistency?first=1&second=99", "", "beyond"},
      {"GET", "/ct/v1/get-proof-by-hash?tree_size=5&hash=AAAA", "", "hash"},
      {"GET", "/ct/v1/get-entry-and-proof?leaf_index=7&tree_size=5", "", "not below"},
  };
  for (const Case& c : bad) {
    httplib::Result res =
        c.method == "POST" ? Post(log.port(), c.path, c.body) : Get(log.port(), c.path);
    ASSERT_TRUE(res) << c.path;
    EXPECT_EQ(res->status, 400) << c.path << " " << res->body;
    json error = json::parse(res->body, nullptr, false);
    ASSERT_FALSE(error.is_discarded()) << res->body;
    EXPECT_THAT(error["error_message"].get<std::string>(), HasSubstr(c.message)) << c.path;
  }
  // Oversized bodies are refused before they are read (tests/httpd/http_server_test.cc has the
  // chunked and compressed ones).
  testing::RawConnection huge(log.port());
  huge.Send("POST /ct/v1/add-chain HTTP/1.1\r\nHost: x\r\nContent-Length: 3145728\r\n\r\n");
  EXPECT_EQ(testing::StatusOf(huge.Read(std::chrono::milliseconds(5000), 12)), 413);
  // Nothing of the above changed the log.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(ParseSthJson(Get(log.port(), "/ct/v1/get-sth")->body)->tree_size, 5u);
}

TEST_F(LogServeCommandTest, RateLimitAnswers429WithRetryAfter) {
  LogProcess log(dir_, {"--rate-limit", "3"});
  ASSERT_GT(log.port(), 0);
  int limited = 0;
  for (int i = 0; i < 12; ++i) {
    httplib::Result res = Get(log.port(), "/ct/v1/get-sth");
    ASSERT_TRUE(res);
    if (res->status == 429) {
      ++limited;
      EXPECT_EQ(res->get_header_value("Retry-After"), "1");
    } else {
      EXPECT_EQ(res->status, 200);
    }
  }
  EXPECT_GE(limited, 5);
}

TEST_F(LogServeCommandTest, BadFlagsExitTwo) {
  auto serve = [&](std::vector<std::string> flags) {
    std::vector<std::string> args = {"log", "serve", "--accept-any-root", "--db", dir_ + "/x.db"};
    args.insert(args.end(), flags.begin(), flags.end());
    return testing::RunCtkit(args).exit_code;
  };
  EXPECT_EQ(serve({"--key", dir_ + "/missing.key"}), 2);
  EXPECT_EQ(serve({"--key", dir_ + "/log.key", "--listen", "nonsense"}), 2);
  EXPECT_EQ(serve({"--key", dir_ + "/log.key", "--api", "sunlight"}), 2);
  EXPECT_EQ(serve({"--key", dir_ + "/log.key", "--api", "both", "--origin", "two words"}), 2);
  EXPECT_EQ(serve({"--key", dir_ + "/log.key", "--roots", dir_ + "/log.key"}), 2);  // exclusive
  EXPECT_EQ(serve({"--key", dir_ + "/log.key", "--max-cert-bytes", "0"}), 2);
  EXPECT_EQ(serve({"--key", dir_ + "/log.key", "--max-chain-length", "0"}), 2);
  auto help = testing::RunCtkit({"log", "serve", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--mmd"));
}

// Without --roots a log would log anything for anyone: it must be asked for by name.
TEST_F(LogServeCommandTest, WithoutRootsItRefusesToStartUnlessAnyRootIsAccepted) {
  auto refused = testing::RunCtkit({"log", "serve", "--key", dir_ + "/log.key", "--db",
                                    dir_ + "/x.db", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("--roots"));
  EXPECT_THAT(refused.err, HasSubstr("--accept-any-root"));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/x.db"));

  LogProcess log(dir_, {"--accept-any-root"}, dir_ + "/serve.err");
  ASSERT_GT(log.port(), 0);
  EXPECT_THAT(ReadFile(dir_ + "/serve.err"), HasSubstr("--accept-any-root: accepting any chain"));
  TestCa stranger("Anyone's CA");
  EXPECT_EQ(Post(log.port(), "/ct/v1/add-chain",
                 ChainBody({stranger.IssueLeaf("any.example.com", 2), stranger.der()}))
                ->status,
            200);
}

// With --roots, a chain submitted without its root is stored with it (RFC 6962 §3.1), and a
// chain to another root is refused.
TEST_F(LogServeCommandTest, RootLessChainIsServedWithItsRoot) {
  {
    std::ofstream roots(dir_ + "/roots.der", std::ios::binary);
    Bytes root = ca_.der();
    roots.write(reinterpret_cast<const char*>(root.data()),
                static_cast<std::streamsize>(root.size()));
  }
  LogProcess log(dir_, {"--roots", dir_ + "/roots.der"});
  ASSERT_GT(log.port(), 0);
  TestCa intermediate = ca_.IssueCa("Serve Test Intermediate");
  ASSERT_EQ(Post(log.port(), "/ct/v1/add-chain",
                 ChainBody({intermediate.IssueLeaf("r.example.com", 2), intermediate.der()}))
                ->status,
            200);
  TestCa stranger("Anyone's CA");
  httplib::Result refused =
      Post(log.port(), "/ct/v1/add-chain",
           ChainBody({stranger.IssueLeaf("s.example.com", 3), stranger.der()}));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  WaitForSize(log.port(), 1);
  httplib::Result entries = Get(log.port(), "/ct/v1/get-entries?start=0&end=0");
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->status, 200);
  Bytes extra_data =
      *Base64Decode(json::parse(entries->body)["entries"][0]["extra_data"].get<std::string>());
  Result<EntryChain> chain = ParseExtraData(LogEntryType::kX509, extra_data);
  ASSERT_TRUE(chain);
  EXPECT_EQ(chain->chain, (std::vector<Bytes>{intermediate.der(), ca_.der()}));
}

// Over --max-cert-bytes (64 KiB) or --max-chain-length (10): HTTP 400 with one message.
TEST_F(LogServeCommandTest, SubmissionsOverTheCapsGet400) {
  std::vector<std::string> names;
  for (int i = 0; i < 2500; ++i) names.push_back("name-" + std::to_string(i) + ".big.example.com");
  std::string big = ChainBody({ca_.IssueLeafForNames(names, 2), ca_.der()});
  std::vector<Bytes> eleven = {ca_.IssueLeaf("eleven.example.com", 3)};
  for (int i = 0; i < 10; ++i) eleven.push_back(ca_.der());  // a self-signed root, repeated
  std::string long_chain = ChainBody(eleven);
  {
    LogProcess log(dir_);
    ASSERT_GT(log.port(), 0);
    for (const auto& [body, message] :
         {std::pair{big, std::string("chain[0]: certificate of ")},
          std::pair{long_chain,
                    std::string("chain has 11 certificates, more than the 10 allowed")}}) {
      httplib::Result res = Post(log.port(), "/ct/v1/add-chain", body);
      ASSERT_TRUE(res);
      EXPECT_EQ(res->status, 400) << res->body;
      EXPECT_THAT(json::parse(res->body)["error_message"].get<std::string>(), HasSubstr(message));
    }
  }
  // The flags raise the caps: both are then logged.
  LogProcess log(dir_, {"--max-cert-bytes", "131072", "--max-chain-length", "11"});
  ASSERT_GT(log.port(), 0);
  for (const std::string& body : {big, long_chain}) {
    httplib::Result res = Post(log.port(), "/ct/v1/add-chain", body);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
  }
}

}  // namespace
}  // namespace ctkit
