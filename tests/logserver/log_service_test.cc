// The log's logic in-process: submissions, SCTs, integration, proofs, restarts.

#include "logserver/log_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>

#include "cert_factory.h"
#include "ct/log_entry.h"
#include "ct/sct_verify.h"
#include "merkle/merkle_verify.h"
#include "storage/sqlite.h"
#include "test_support.h"
#include "x509/pem.h"
#include "x509/precert.h"

namespace ctkit {
namespace {

using ::testing::HasSubstr;
using testing::TestCa;

constexpr uint64_t kNow = 1800000000000;  // fixed clock for the service

class LogServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/ctkit-log-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    signer_ = *LogSigner::Generate();
    keyring_.Add(signer_->public_key());
    Reopen();
  }
  void TearDown() override {
    service_.reset();
    (void)system(("rm -rf " + dir_).c_str());
  }
  // Reopens the log: a staging log (accept_any_root) unless `options` names roots.
  void Reopen(LogServiceOptions options = {}, uint64_t now = kNow) {
    if (options.roots.empty()) options.accept_any_root = true;
    service_.reset();
    Result<std::unique_ptr<LogService>> opened =
        LogService::Open(dir_ + "/log.db", signer_, std::move(options), now);
    ASSERT_TRUE(opened) << opened.error().message;
    service_ = std::move(*opened);
  }
  SignedTreeHead Integrate(uint64_t now = kNow + 1000) {
    Result<SignedTreeHead> head = service_->Integrate(now, 0);
    EXPECT_TRUE(head) << head.error().message;
    EXPECT_TRUE(VerifySignedTreeHead(*head, *signer_->public_key()));
    return *head;
  }
  // Checks the SCT is the log's signature over `entry`, and that the log proves it included.
  void ExpectLogged(const SignedCertificateTimestamp& sct, const SignedEntry& entry,
                    const SignedTreeHead& head) {
    // Tests submit at kNow up to kNow + (a thread number): a minute later, every SCT is past.
    EXPECT_EQ(VerifySct(sct, entry, keyring_, kNow + 60'000), SctStatus::kValid);
    MerkleHash leaf_hash = *LeafHashOf(EntryForSct(sct, entry));
    Result<InclusionAnswer> proof = service_->ProofByHash(leaf_hash, head.tree_size);
    ASSERT_TRUE(proof) << proof.error().message;
    EXPECT_TRUE(VerifyInclusion(leaf_hash, proof->leaf_index, head.tree_size, proof->audit_path,
                                head.root_hash));
  }

  std::string dir_;
  std::shared_ptr<const LogSigner> signer_;
  LogKeyring keyring_;
  std::unique_ptr<LogService> service_;
  TestCa ca_{"Test CA"};
};

TEST_F(LogServiceTest, NewLogSignsAnEmptyTree) {
  Result<SignedTreeHead> head = service_->LatestHead();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->tree_size, 0u);
  EXPECT_EQ(head->root_hash, EmptyTreeRoot());
  EXPECT_TRUE(VerifySignedTreeHead(*head, *signer_->public_key()));
}

TEST_F(LogServiceTest, CertificateIsLoggedAndProvable) {
  Bytes leaf = ca_.IssueLeaf("www.example.com", 2);
  std::vector<Bytes> chain = {leaf, ca_.der()};
  Result<SignedCertificateTimestamp> sct = service_->AddChain(chain, false, kNow);
  ASSERT_TRUE(sct) << sct.error().message;
  EXPECT_EQ(sct->log_id, signer_->log_id());
  SignedTreeHead head = Integrate();
  EXPECT_EQ(head.tree_size, 1u);
  ExpectLogged(*sct, *X509SignedEntry(leaf), head);

  // The stored entry is the MerkleTreeLeaf and the chain, as get-entries serves them.
  Result<std::vector<StoredEntry>> entries = service_->Entries(0, 10);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1u);
  Result<TimestampedEntry> parsed = ParseMerkleTreeLeaf(entries->front().leaf_input);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->timestamp_ms, kNow);
  Result<EntryChain> extra = ParseExtraData(LogEntryType::kX509, entries->front().extra_data);
  ASSERT_TRUE(extra);
  EXPECT_EQ(extra->chain, std::vector<Bytes>{ca_.der()});
}

TEST_F(LogServiceTest, PrecertificateSctVerifiesForTheFinalCertificate) {
  Bytes precert = ca_.IssueLeaf("pre.example.com", 3, /*precertificate=*/true);
  Result<SignedCertificateTimestamp> sct =
      service_->AddChain(std::vector<Bytes>{precert, ca_.der()}, true, kNow);
  ASSERT_TRUE(sct) << sct.error().message;
  CertificateView precert_view = *CertificateView::Parse(precert);
  CertificateView ca_view = *CertificateView::Parse(ca_.der());
  Result<SignedEntry> entry =
      BuildSignedEntry(LogEntryType::kPrecert, precert_view, {.issuer = &ca_view});
  ASSERT_TRUE(entry);
  ExpectLogged(*sct, *entry, Integrate());
}

TEST_F(LogServiceTest, RealPrecertificateSigningCertificateChain) {
  // The CT test data's precertificate issued by a Precertificate Signing Certificate.
  auto load = [](const char* file) {
    return ParseCertificateInput(testing::ReadTestData(std::string("sct/ctlog/") + file))->front();
  };
  CertificateView precert = load("test-embedded-with-preca-pre-cert.pem");
  CertificateView preca = load("ca-pre-cert.pem");
  CertificateView ca = load("ca-cert.pem");
  auto der = [](const CertificateView& c) { return Bytes(c.der().begin(), c.der().end()); };
  Result<SignedCertificateTimestamp> sct =
      service_->AddChain(std::vector<Bytes>{der(precert), der(preca), der(ca)}, true, kNow);
  ASSERT_TRUE(sct) << sct.error().message;
  const CertificateView chain[] = {preca, ca};
  Result<SignedEntry> entry =
      BuildSignedEntry(LogEntryType::kPrecert, precert, IssuerChain::InOrder(chain));
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->issuer_key_hash, ca.spki_sha256());
  ExpectLogged(*sct, *entry, Integrate());
}

TEST_F(LogServiceTest, ResubmissionReturnsTheSameSct) {
  std::vector<Bytes> chain = {ca_.IssueLeaf("a.example.com", 4), ca_.der()};
  Result<SignedCertificateTimestamp> first = service_->AddChain(chain, false, kNow);
  Result<SignedCertificateTimestamp> second = service_->AddChain(chain, false, kNow + 5000);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(Integrate().tree_size, 1u);
}

TEST_F(LogServiceTest, BadSubmissionsAreRejectedWithoutStateChange) {
  TestCa other("Other CA");
  Bytes leaf = ca_.IssueLeaf("b.example.com", 5);
  Bytes precert = ca_.IssueLeaf("c.example.com", 6, true);
  struct Case {
    std::vector<Bytes> chain;
    bool precertificate;
    std::string message;
  };
  std::vector<Case> cases = {
      {{}, false, "empty"},
      {{Bytes{0x30, 0x03, 0x01, 0x01, 0xff}}, false, "chain[0]: "},
      {{leaf, other.der()}, false, "not signed by"},
      {{precert, ca_.der()}, false, "use add-pre-chain"},
      {{leaf, ca_.der()}, true, "not a precertificate"},
      {{precert}, true, "issuer is missing"},
      {std::vector<Bytes>(11, leaf), false, "chain has 11 certificates, more than the 10"},
  };
  for (const Case& c : cases) {
    Result<SignedCertificateTimestamp> sct = service_->AddChain(c.chain, c.precertificate, kNow);
    ASSERT_FALSE(sct) << c.message;
    EXPECT_EQ(sct.error().code, ErrorCode::kInvalidArgument) << c.message;
    EXPECT_THAT(sct.error().message, HasSubstr(c.message));
  }
  EXPECT_EQ(Integrate().tree_size, 0u);
}

TEST_F(LogServiceTest, ChainSignaturesAreVerified) {
  // Same issuer name, different key: the names chain, the signature does not.
  TestCa impostor("Test CA");
  Result<SignedCertificateTimestamp> forged = service_->AddChain(
      std::vector<Bytes>{impostor.IssueLeaf("g.example.com", 10), ca_.der()}, false, kNow);
  ASSERT_FALSE(forged);
  EXPECT_THAT(forged.error().message, HasSubstr("not signed by"));
  // A damaged signature (the last byte of a certificate is the last of its signature value).
  Bytes damaged = ca_.IssueLeaf("h.example.com", 11);
  damaged.back() ^= 0x01;
  Result<SignedCertificateTimestamp> broken =
      service_->AddChain(std::vector<Bytes>{damaged, ca_.der()}, false, kNow);
  ASSERT_FALSE(broken);
  EXPECT_THAT(broken.error().message, HasSubstr("not signed by"));
  // The issuer's key is cached after the first check; it must still verify, and keep failing
  // what it did not sign.
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(service_->AddChain(
        std::vector<Bytes>{ca_.IssueLeaf("i" + std::to_string(i) + ".example.com", 12 + i),
                           ca_.der()},
        false, kNow));
  }
  EXPECT_FALSE(service_->AddChain(std::vector<Bytes>{damaged, ca_.der()}, false, kNow));
  EXPECT_EQ(Integrate().tree_size, 3u);
}

TEST_F(LogServiceTest, RootsAreEnforcedWhenConfigured) {
  TestCa other("Other CA");
  Reopen({.roots = {*CertificateView::Parse(ca_.der())}});
  EXPECT_TRUE(
      service_->AddChain(std::vector<Bytes>{ca_.IssueLeaf("d.example.com", 7)}, false, kNow));
  EXPECT_TRUE(service_->AddChain(std::vector<Bytes>{ca_.IssueLeaf("e.example.com", 8), ca_.der()},
                                 false, kNow));
  Result<SignedCertificateTimestamp> rejected = service_->AddChain(
      std::vector<Bytes>{other.IssueLeaf("f.example.com", 9), other.der()}, false, kNow);
  ASSERT_FALSE(rejected);
  EXPECT_THAT(rejected.error().message, HasSubstr("accepted root"));
}

TEST_F(LogServiceTest, ManyEntriesEveryProofVerifies) {
  std::vector<SignedTreeHead> heads;
  std::vector<MerkleHash> leaf_hashes;
  for (int i = 0; i < 150; ++i) {
    Bytes leaf = ca_.IssueLeaf("host" + std::to_string(i) + ".example.com", 100 + i);
    Result<SignedCertificateTimestamp> sct =
        service_->AddChain(std::vector<Bytes>{leaf}, false, kNow + i);
    ASSERT_TRUE(sct);
    leaf_hashes.push_back(*LeafHashOf(EntryForSct(*sct, *X509SignedEntry(leaf))));
    if (i % 37 == 0 || i == 149) heads.push_back(Integrate(kNow + 1000 + i));
  }
  const SignedTreeHead& last = heads.back();
  ASSERT_EQ(last.tree_size, 150u);
  for (uint64_t index = 0; index < last.tree_size; ++index) {
    Result<InclusionAnswer> proof = service_->ProofByHash(leaf_hashes[index], last.tree_size);
    ASSERT_TRUE(proof);
    EXPECT_EQ(proof->leaf_index, index);
    EXPECT_TRUE(VerifyInclusion(leaf_hashes[index], index, last.tree_size, proof->audit_path,
                                last.root_hash));
  }
  for (size_t a = 0; a < heads.size(); ++a) {
    for (size_t b = a; b < heads.size(); ++b) {
      if (heads[a].tree_size == 0) continue;
      Result<std::vector<MerkleHash>> proof =
          service_->ConsistencyProof(heads[a].tree_size, heads[b].tree_size);
      ASSERT_TRUE(proof);
      EXPECT_TRUE(VerifyConsistency(heads[a].tree_size, heads[b].tree_size, *proof,
                                    heads[a].root_hash, heads[b].root_hash));
    }
  }
  // get-entries is clamped to the batch limit and the tree.
  EXPECT_EQ(service_->Entries(0, 1000)->size(), 150u);
  Reopen({.max_get_entries = 32});
  EXPECT_EQ(service_->Entries(10, 1000)->size(), 32u);
  EXPECT_EQ(service_->Entries(140, 1000)->size(), 10u);
  EXPECT_FALSE(service_->Entries(150, 160));
  EXPECT_FALSE(service_->ConsistencyProof(10, 151));
  EXPECT_FALSE(service_->ProofByHash(leaf_hashes[0], 151));
}

TEST_F(LogServiceTest, RestartResumesTheTreeAndIntegratesWhatWasAccepted) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(service_->AddChain(
        std::vector<Bytes>{ca_.IssueLeaf("r" + std::to_string(i), 200 + i)}, false, kNow));
  }
  SignedTreeHead before = Integrate();
  // Accepted but never integrated before the "crash": the SCTs were handed out.
  std::vector<std::pair<SignedCertificateTimestamp, Bytes>> unsequenced;
  for (int i = 0; i < 5; ++i) {
    Bytes leaf = ca_.IssueLeaf("late" + std::to_string(i), 300 + i);
    unsequenced.emplace_back(*service_->AddChain(std::vector<Bytes>{leaf}, false, kNow), leaf);
  }
  Reopen({}, kNow + 5000);  // Open integrates on start
  Result<SignedTreeHead> after = service_->LatestHead();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->tree_size, 15u);
  Result<std::vector<MerkleHash>> proof =
      service_->ConsistencyProof(before.tree_size, after->tree_size);
  ASSERT_TRUE(proof);
  EXPECT_TRUE(VerifyConsistency(before.tree_size, after->tree_size, *proof, before.root_hash,
                                after->root_hash));
  for (const auto& [sct, leaf] : unsequenced) ExpectLogged(sct, *X509SignedEntry(leaf), *after);
}

TEST_F(LogServiceTest, WrongKeyForTheDatabaseIsRefused) {
  service_.reset();
  Result<std::unique_ptr<LogService>> opened =
      LogService::Open(dir_ + "/log.db", *LogSigner::Generate(), {.accept_any_root = true}, kNow);
  ASSERT_FALSE(opened);
  EXPECT_THAT(opened.error().message, HasSubstr("key does not match"));
}

TEST_F(LogServiceTest, StaticCtApiSctsCarryTheLeafIndex) {
  Reopen({.sct_leaf_index = true});
  for (uint64_t i = 0; i < 3; ++i) {
    Result<SignedCertificateTimestamp> sct = service_->AddChain(
        std::vector<Bytes>{ca_.IssueLeaf("s" + std::to_string(i), 400 + i)}, false, kNow);
    ASSERT_TRUE(sct);
    Result<SctExtensions> extensions = ParseSctExtensions(sct->extensions);
    ASSERT_TRUE(extensions && extensions->leaf_index);
    EXPECT_EQ(*extensions->leaf_index, i);
  }
}

// A log refuses to start with no roots unless told to accept any (a staging log).
TEST_F(LogServiceTest, NoRootsIsRefusedUnlessAnyRootIsAccepted) {
  service_.reset();
  Result<std::unique_ptr<LogService>> opened =
      LogService::Open(dir_ + "/other.db", signer_, {}, kNow);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(opened.error().message, HasSubstr("no accepted roots"));
  EXPECT_TRUE(LogService::Open(dir_ + "/other.db", signer_, {.accept_any_root = true}, kNow));
}

// RFC 6962 §3.1: extra_data's chain ends at an accepted root, also when the submitter left it
// out; the static-ct-api serves it as an issuer like the rest of the chain.
TEST_F(LogServiceTest, ARootLessChainIsStoredWithItsRoot) {
  TestCa intermediate = ca_.IssueCa("Intermediate CA");
  Reopen({.roots = {*CertificateView::Parse(ca_.der())}});
  ASSERT_TRUE(service_->AddChain(
      std::vector<Bytes>{intermediate.IssueLeaf("www.example.com", 2), intermediate.der()}, false,
      kNow));
  ASSERT_TRUE(service_->AddChain(
      std::vector<Bytes>{intermediate.IssueLeaf("pre.example.com", 3, true), intermediate.der()},
      true, kNow));
  // The root no submission held is an issuer of the static-ct-api.
  Result<Bytes> root = service_->Issuer(Sha256(ca_.der()));
  ASSERT_TRUE(root) << root.error().message;
  EXPECT_EQ(*root, ca_.der());
  // Submitted with its root, a chain is stored as it came (the root once).
  ASSERT_TRUE(service_->AddChain(std::vector<Bytes>{intermediate.IssueLeaf("full.example.com", 4),
                                                    intermediate.der(), ca_.der()},
                                 false, kNow));
  Integrate();
  Result<std::vector<StoredEntry>> entries = service_->Entries(0, 2);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 3u);
  const std::vector<Bytes> expected = {intermediate.der(), ca_.der()};
  for (const StoredEntry& entry : *entries) {
    LogEntryType type = ParseMerkleTreeLeaf(entry.leaf_input)->signed_entry.type;
    Result<EntryChain> extra = ParseExtraData(type, entry.extra_data);
    ASSERT_TRUE(extra);
    EXPECT_EQ(extra->chain, expected) << "entry " << entry.index;
  }
}

// A precertificate signed by a Precertificate Signing Certificate (RFC 6962 §3.1), under a CA
// whose pathlen:0 the PSC does not count against; the SCT is for the final certificate's TBS
// as that CA issues it (§3.2).
TEST_F(LogServiceTest, PrecertificateSignedByASigningCertificateIsAccepted) {
  TestCa issuing = ca_.IssueCa("Issuing CA", {.basic_constraints = "critical,CA:TRUE,pathlen:0",
                                              .key_usage = "critical,keyCertSign,cRLSign"});
  TestCa psc = issuing.IssueCa("Issuing CA Precertificate Signing",
                               {.extended_key_usage = "critical,1.3.6.1.4.1.11129.2.4.4"});
  Reopen({.roots = {*CertificateView::Parse(ca_.der())}});
  Bytes precert = psc.IssueLeaf("psc.example.com", 2, /*precertificate=*/true);
  Result<SignedCertificateTimestamp> sct =
      service_->AddChain(std::vector<Bytes>{precert, psc.der(), issuing.der()}, true, kNow);
  ASSERT_TRUE(sct) << sct.error().message;
  const CertificateView precert_view = *CertificateView::Parse(precert);
  const CertificateView chain[] = {*CertificateView::Parse(psc.der()),
                                   *CertificateView::Parse(issuing.der())};
  Result<SignedEntry> entry =
      BuildSignedEntry(LogEntryType::kPrecert, precert_view, IssuerChain::InOrder(chain));
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->issuer_key_hash, chain[1].spki_sha256());
  SignedTreeHead head = Integrate();
  ExpectLogged(*sct, *entry, head);
  Result<EntryChain> extra =
      ParseExtraData(LogEntryType::kPrecert, service_->Entries(0, 0)->front().extra_data);
  ASSERT_TRUE(extra);
  EXPECT_EQ(extra->chain, (std::vector<Bytes>{psc.der(), issuing.der(), ca_.der()}));
}

// A leaf's key signing a certificate for another name gets no SCT (RFC 6962 §3.1 logs chains
// that validate; this one does not: `openssl verify` says "invalid CA certificate").
TEST_F(LogServiceTest, ACertificateSignedByALeafGetsNoSct) {
  TestCa leaf = ca_.IssueCa("attacker.example", {.basic_constraints = "critical,CA:FALSE",
                                                 .key_usage = "critical,digitalSignature",
                                                 .extended_key_usage = "serverAuth"});
  Reopen({.roots = {*CertificateView::Parse(ca_.der())}});
  Result<SignedCertificateTimestamp> sct = service_->AddChain(
      std::vector<Bytes>{leaf.IssueLeaf("login.victim-bank.com", 2), leaf.der(), ca_.der()}, false,
      kNow);
  ASSERT_FALSE(sct);
  EXPECT_EQ(sct.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(sct.error().message, "chain[1]: not a CA (basicConstraints cA is FALSE)");
  EXPECT_EQ(Integrate().tree_size, 0u);
}

// Caps on a submission: certificates per chain and bytes per certificate, both configurable.
TEST_F(LogServiceTest, SubmissionsOverTheCapsAreRejected) {
  // A real chain of 11: root, 9 intermediates, leaf.
  std::vector<TestCa> cas;
  cas.push_back(ca_.IssueCa("Intermediate 1"));
  for (int i = 2; i <= 9; ++i) {
    cas.push_back(cas.back().IssueCa("Intermediate " + std::to_string(i)));
  }
  auto chain_of = [&](size_t intermediates, const std::string& name, long serial) {
    std::vector<Bytes> chain = {cas[intermediates - 1].IssueLeaf(name, serial)};
    for (size_t i = intermediates; i > 0; --i) chain.push_back(cas[i - 1].der());
    chain.push_back(ca_.der());
    return chain;
  };
  std::vector<Bytes> eleven = chain_of(9, "eleven.example.com", 2);
  ASSERT_EQ(eleven.size(), 11u);
  Result<SignedCertificateTimestamp> too_long = service_->AddChain(eleven, false, kNow);
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(too_long.error().message, "chain has 11 certificates, more than the 10 allowed");
  EXPECT_TRUE(service_->AddChain(chain_of(8, "ten.example.com", 3), false, kNow));

  // A certificate over 64 KiB: a valid one, made big by its names.
  std::vector<std::string> names;
  for (int i = 0; i < 2500; ++i) names.push_back("name-" + std::to_string(i) + ".big.example.com");
  Bytes big = ca_.IssueLeafForNames(names, 4);
  ASSERT_GT(big.size(), 64u * 1024);
  Result<SignedCertificateTimestamp> too_big =
      service_->AddChain(std::vector<Bytes>{big, ca_.der()}, false, kNow);
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(too_big.error().message, "chain[0]: certificate of " + std::to_string(big.size()) +
                                         " bytes, more than the 65536 allowed");
  EXPECT_EQ(Integrate().tree_size, 1u);

  // Both caps are options.
  Reopen({.max_chain_length = 11, .max_cert_bytes = 1 << 20});
  EXPECT_TRUE(service_->AddChain(eleven, false, kNow));
  EXPECT_TRUE(service_->AddChain(std::vector<Bytes>{big, ca_.der()}, false, kNow));
}

// RFC 6962 §4.6: a get-entries answer may hold fewer entries than asked; this log stops at a
// byte budget of leaf_input and extra_data, but always answers with at least one entry.
TEST_F(LogServiceTest, GetEntriesIsBoundedByBytes) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(service_->AddChain(
        std::vector<Bytes>{ca_.IssueLeaf("b" + std::to_string(i) + ".example.com", 20 + i),
                           ca_.der()},
        false, kNow));
  }
  Integrate();
  Result<std::vector<StoredEntry>> all = service_->Entries(0, 4);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 5u);
  auto bytes = [&](size_t count) {
    size_t total = 0;
    for (size_t i = 0; i < count; ++i) {
      total += (*all)[i].leaf_input.size() + (*all)[i].extra_data.size();
    }
    return total;
  };
  Reopen({.max_get_entries_bytes = bytes(3)});
  EXPECT_EQ(service_->Entries(0, 4)->size(), 3u);
  Reopen({.max_get_entries_bytes = bytes(3) - 1});
  EXPECT_EQ(service_->Entries(0, 4)->size(), 2u);
  Reopen({.max_get_entries_bytes = 1});
  Result<std::vector<StoredEntry>> one = service_->Entries(1, 4);
  ASSERT_TRUE(one);
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->front().index, 1u);
}

}  // namespace
}  // namespace ctkit

namespace ctkit {
namespace {

// Concurrent submissions: every SCT is for a distinct entry at a distinct index, and the tree
// holds exactly them.
TEST_F(LogServiceTest, ConcurrentSubmissionsAllLandOnce) {
  constexpr int kThreads = 4, kPerThread = 15;
  std::vector<std::vector<Bytes>> leaves(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      leaves[t].push_back(
          ca_.IssueLeaf("c" + std::to_string(t) + "-" + std::to_string(i), 1000 + t * 100 + i));
    }
  }
  std::vector<std::vector<SignedCertificateTimestamp>> scts(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (const Bytes& leaf : leaves[t]) {
        // Each leaf twice: the duplicate must return the first SCT, not a new entry.
        Result<SignedCertificateTimestamp> sct =
            service_->AddChain(std::vector<Bytes>{leaf}, false, kNow);
        Result<SignedCertificateTimestamp> again =
            service_->AddChain(std::vector<Bytes>{leaf}, false, kNow + 1);
        if (sct && again && *sct == *again) scts[t].push_back(*sct);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  SignedTreeHead head = Integrate();
  EXPECT_EQ(head.tree_size, static_cast<uint64_t>(kThreads * kPerThread));
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(scts[t].size(), static_cast<size_t>(kPerThread));
    for (int i = 0; i < kPerThread; ++i)
      ExpectLogged(scts[t][i], *X509SignedEntry(leaves[t][i]), head);
  }
}

}  // namespace
}  // namespace ctkit

namespace ctkit {
namespace {

// Group commit through the service, in both SCT forms (RFC 6962: signed by the submitter before
// queueing; static-ct-api: signed by the writer once the index is known). Many submitters at
// once, each also submitting one certificate every other thread submits too. The moment an SCT
// is returned, a connection of the test's own (which only sees committed transactions) must
// find it stored: an SCT is never handed out before its batch is durable.
class GroupCommitTest : public LogServiceTest, public ::testing::WithParamInterface<bool> {};

TEST_P(GroupCommitTest, ManySubmittersEverySctCommittedWhenReturned) {
  bool leaf_index = GetParam();
  Reopen({.sct_leaf_index = leaf_index});
  constexpr int kThreads = 12, kPerThread = 6;
  std::vector<std::vector<Bytes>> leaves(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      leaves[t].push_back(
          ca_.IssueLeaf("g" + std::to_string(t) + "-" + std::to_string(i), 5000 + t * 100 + i));
    }
  }
  Bytes shared = ca_.IssueLeaf("shared.example.com", 4999);
  std::vector<std::vector<SignedCertificateTimestamp>> scts(kThreads);
  std::vector<SignedCertificateTimestamp> shared_scts(kThreads);
  std::atomic<int> not_durable = 0, failed = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Result<SqliteDatabase> observer = SqliteDatabase::Open(dir_ + "/log.db");
      if (!observer) return (void)++failed;
      auto committed = [&](const SignedCertificateTimestamp& sct) {
        Result<SqliteStatement> query =
            observer->Prepare("SELECT COUNT(*) FROM entries WHERE sct = ?1");
        Result<Bytes> encoded = SerializeSct(sct);
        if (!query || !encoded) return false;
        query->BindBlob(1, *encoded);
        Result<bool> row = query->Step();
        return row && *row && query->ColumnInt(0) == 1;
      };
      for (int i = 0; i < kPerThread; ++i) {
        Result<SignedCertificateTimestamp> sct =
            service_->AddChain(std::vector<Bytes>{leaves[t][i]}, false, kNow);
        if (!sct) return (void)++failed;
        if (!committed(*sct)) ++not_durable;
        scts[t].push_back(*sct);
        if (i == kPerThread / 2) {
          Result<SignedCertificateTimestamp> again =
              service_->AddChain(std::vector<Bytes>{shared}, false, kNow + t);
          if (!again) return (void)++failed;
          if (!committed(*again)) ++not_durable;
          shared_scts[t] = *again;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(failed.load(), 0);
  EXPECT_EQ(not_durable.load(), 0);
  for (int t = 1; t < kThreads; ++t) EXPECT_EQ(shared_scts[t], shared_scts[0]);  // one SCT

  SignedTreeHead head = Integrate();
  ASSERT_EQ(head.tree_size, static_cast<uint64_t>(kThreads * kPerThread + 1));
  ExpectLogged(shared_scts[0], *X509SignedEntry(shared), head);
  std::set<uint64_t> indices;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(scts[t].size(), static_cast<size_t>(kPerThread));
    for (int i = 0; i < kPerThread; ++i) {
      ExpectLogged(scts[t][i], *X509SignedEntry(leaves[t][i]), head);
      if (leaf_index) {
        // static-ct-api: the SCT names the index the entry really has.
        Result<SctExtensions> extensions = ParseSctExtensions(scts[t][i].extensions);
        ASSERT_TRUE(extensions && extensions->leaf_index);
        Result<std::vector<StoredEntry>> stored =
            service_->Entries(*extensions->leaf_index, *extensions->leaf_index);
        ASSERT_TRUE(stored && stored->size() == 1);
        EXPECT_EQ(stored->front().sct, *SerializeSct(scts[t][i]));
        EXPECT_TRUE(indices.insert(*extensions->leaf_index).second);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(SctForms, GroupCommitTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "StaticCtApiLeafIndex" : "Rfc6962";
                         });

}  // namespace
}  // namespace ctkit
