// `ctkit verify` end to end: the real binary on the certificates and SCTs of testdata/ (every
// certificate SCT case of MANIFEST.json), chain shapes, log-list trust at the SCT's time, the
// Chrome/Apple policies at fixed times, the JSON schema, exit codes, and SCTs from OCSP responses
// built with OpenSSL. The test logs' keys are in no public log list and ctkit trusts only keys
// from a list, so the tests write small v3 log lists (ct/log_list.h) of their own.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/sha256.h"
#include "ct/rfc3339.h"
#include "ct/sct.h"
#include "ocsp_response.h"
#include "run_command.h"
#include "test_log_list.h"
#include "test_support.h"
#include "x509/pem.h"

namespace ctkit {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::LogListJson;
using ::testing::Not;
using testing::ReadTestData;
using testing::ReadTestDataText;
using testing::RunCtkit;
using testing::TempFile;
using testing::TestDataPath;
using testing::TestLog;

// testdata/ facts shared with the verifier's own tests (test_log_list.h), and this file's own.
using namespace testing::log_list_data;
const char kTestLogId[] = "3xwuwRUAlFJHqWFoMl3cXHlZ6PfG04j8AC4LvT9012Q=";
const char kTestLogRsaId[] = "oCQsumIkVhezsKvGJ+spTJIM9H+jy/OdvSGDIX0VsgY=";
const char kIcarusId[] = "KTxRllTIOWW6qlD8WAfUt2+/WHopctykwwz05UVH9Hg=";
const char kMammothId[] = "b1N2rDHwMRnYmQCkURX/dxUcEdkCwQApBo2yCJo32RM=";
const char kGithubLeaf[] = "sct/realworld/github.com-2016/leaf.der";
const char kGithubIssuer[] = "sct/realworld/github.com-2016/issuer.pem";
// cryptography.io: issued 2018-09-26, 90 days.
const int64_t kCryptographyNow = Ms("2018-10-01T00:00:00Z");

std::string Path(const std::string& relative) { return TestDataPath(relative); }
std::string Ctlog(const std::string& name) { return Path("sct/ctlog/" + name); }

// --- running ctkit verify ---

struct VerifyRun {
  int exit_code = -1;
  json out;  // discarded when stdout is not JSON
  std::string raw_out;
  std::string err;
};

VerifyRun RunVerify(std::vector<std::string> args, const std::string& stdin_data = "") {
  args.insert(args.begin(), "verify");
  args.insert(args.end(), {"--format", "json"});
  testing::CommandResult result = RunCtkit(args, stdin_data);
  VerifyRun run{.exit_code = result.exit_code, .raw_out = result.out, .err = result.err};
  run.out = json::parse(result.out, nullptr, /*allow_exceptions=*/false);
  return run;
}

// ctkit verify with a list of `logs`, checked at `now_ms` (the list is dated then too, so no
// staleness warning), judged by `policy`.
VerifyRun VerifyWith(const std::vector<TestLog>& logs, int64_t now_ms,
                     std::vector<std::string> args, const std::string& policy = "none") {
  TempFile list(LogListJson(logs, now_ms));
  args.insert(args.end(),
              {"--log-list", list.path(), "--at", FormatRfc3339(now_ms), "--policy", policy});
  return RunVerify(args);
}

std::string Describe(const VerifyRun& run) {
  return "exit " + std::to_string(run.exit_code) + "\nstdout:\n" + run.raw_out + "\nstderr:\n" +
         run.err;
}

// A copy of the only certificate's JSON (an empty object, and a test failure, if there is not
// exactly one). A copy, so that tests index it with the non-const operator[], which yields null
// for a missing key instead of asserting.
json OnlyCertificate(const VerifyRun& run) {
  if (!run.out.is_object() || !run.out.contains("certificates") ||
      !run.out["certificates"].is_array() || run.out["certificates"].size() != 1) {
    ADD_FAILURE() << "expected one certificate\n" << Describe(run);
    return json::object();
  }
  return run.out["certificates"][0];
}

std::vector<std::string> Statuses(const json& certificate) {
  std::vector<std::string> out;
  if (!certificate.is_object()) return out;
  for (const json& sct : certificate.value("scts", json::array())) {
    out.push_back(sct.value("status", "?"));
  }
  return out;
}

std::vector<std::string> Sources(const json& certificate) {
  std::vector<std::string> out;
  if (!certificate.is_object()) return out;
  for (const json& sct : certificate.value("scts", json::array())) {
    out.push_back(sct.value("source", "?"));
  }
  return out;
}

size_t LineCount(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

// The SCT status name a manifest result word stands for (testdata/README.md).
std::string ManifestStatus(const std::string& word) {
  if (word == "invalid") return "invalid_signature";
  if (word == "timestamp_in_future") return "future_timestamp";
  // SHA-384 with P-384: RFC 6962 §2.1.4 allows neither, and ctkit is the strict verifier the
  // README mentions. The P-384 key is not even loadable (ct/log_key.h: kUnsupported), but the
  // status is still unsupported_algorithm rather than unknown_log: an SCT of no usable log
  // signed with an algorithm no log may use is said as such (ct/sct_verify.h).
  if (word == "valid_nonstandard_alg") return "unsupported_algorithm";
  return word;  // valid, unknown_log, malformed, unsupported_version
}

std::string Concat(std::initializer_list<std::string> relatives) {
  std::string out;
  for (const std::string& relative : relatives) out += ReadTestDataText(relative) + "\n";
  return out;
}

// A TLS SignedCertificateTimestampList (RFC 6962 §3.3) of the given SCT files.
Bytes SctListOf(std::initializer_list<std::string> relatives) {
  std::vector<Bytes> scts;
  for (const std::string& relative : relatives) scts.push_back(ReadTestData(relative));
  return SerializeSctList(scts).value();
}

// ============================== MANIFEST.json ==============================

// Every case of kind sct_embedded, sct_x509, sct_precert and sct_embedded_single, through
// `ctkit verify` with a log list holding exactly the case's log keys.
TEST(VerifyCommandManifestTest, EveryCertificateSctCase) {
  json manifest = json::parse(ReadTestDataText("MANIFEST.json"));
  std::map<std::string, int> checked;
  for (const json& c : manifest["cases"]) {
    const std::string kind = c["kind"];
    if (kind != "sct_embedded" && kind != "sct_x509" && kind != "sct_precert" &&
        kind != "sct_embedded_single") {
      continue;
    }
    const std::string id = c["id"];
    SCOPED_TRACE(id);
    const json& files = c["files"];
    std::vector<TestLog> logs;
    std::vector<std::string> keys;
    if (files.contains("log_key")) keys.push_back(files["log_key"].get<std::string>());
    if (files.contains("log_keys")) {
      for (const json& key : files["log_keys"]) keys.push_back(key.get<std::string>());
    }
    for (size_t i = 0; i < keys.size(); ++i) {
      logs.push_back({.key_file = keys[i], .op = "Operator " + std::to_string(i)});
    }
    // Without params.now_ms, time is not part of the case: check at a time after every SCT.
    int64_t now = Ms("2025-01-01T00:00:00Z");
    if (c.contains("params") && c["params"].contains("now_ms")) {
      now = c["params"]["now_ms"].get<int64_t>();
    }
    const std::string expected = ManifestStatus(c["expected"]["result"]);

    if (kind == "sct_embedded") {
      VerifyRun run =
          VerifyWith(logs, now, {Path(files["cert"]), "--issuer", Path(files["issuer"])});
      json cert = OnlyCertificate(run);
      std::vector<std::string> want;
      for (const json& sct : c["expected"]["scts"]) want.push_back(ManifestStatus(sct["result"]));
      EXPECT_EQ(Statuses(cert), want) << Describe(run);
      if (cert.is_object() && cert["scts"].size() == c["expected"]["scts"].size()) {
        for (size_t i = 0; i < cert["scts"].size(); ++i) {
          const json& expected_sct = c["expected"]["scts"][i];
          EXPECT_EQ(cert["scts"][i]["log_id"], expected_sct["log_id"]);
          EXPECT_EQ(cert["scts"][i]["source"], "embedded");
          if (expected_sct.contains("timestamp")) {
            EXPECT_EQ(cert["scts"][i]["timestamp"], expected_sct["timestamp"]);
          }
        }
      }
      EXPECT_EQ(run.exit_code, expected == "valid" ? 0 : 1) << Describe(run);
    } else if (kind == "sct_x509" && files["cert"] == "sct/sctrs/cert.bin") {
      // The sct.rs vectors sign the 4 bytes "cert", which is no certificate: ctkit verify
      // cannot take it (exit 2, naming the file). Their signatures are checked in
      // tests/ct/certificate_verifier_test.cc. Results that do not depend on the signed entry
      // are still checked here, with the SCT delivered for another certificate.
      VerifyRun refused = VerifyWith(logs, now, {Path(files["cert"]), "--sct", Path(files["sct"])});
      EXPECT_EQ(refused.exit_code, 2) << Describe(refused);
      EXPECT_THAT(refused.err, HasSubstr("cert.bin"));
      if (expected == "malformed" || expected == "unsupported_version" ||
          expected == "unknown_log" || expected == "unsupported_algorithm") {
        VerifyRun run =
            VerifyWith(logs, now, {Ctlog("test-cert.pem"), "--sct", Path(files["sct"])});
        EXPECT_THAT(Statuses(OnlyCertificate(run)), ElementsAre(expected)) << Describe(run);
        EXPECT_EQ(run.exit_code, 1);
      }
    } else if (kind == "sct_x509") {
      VerifyRun run = VerifyWith(logs, now, {Path(files["cert"]), "--sct", Path(files["sct"])});
      json cert = OnlyCertificate(run);
      EXPECT_THAT(Statuses(cert), ElementsAre(expected)) << Describe(run);
      EXPECT_THAT(Sources(cert), ElementsAre("tls"));
      EXPECT_EQ(run.exit_code, expected == "valid" ? 0 : 1) << Describe(run);
    } else if (kind == "sct_precert") {
      std::vector<std::string> issuers = {files["issuer"].get<std::string>()};
      if (files.contains("precert_signing_cert")) {
        issuers.push_back(files["precert_signing_cert"].get<std::string>());
      }
      std::string chain;
      for (const std::string& issuer : issuers) chain += ReadTestDataText(issuer) + "\n";
      TempFile issuer_file(chain);
      VerifyRun run = VerifyWith(
          logs, now,
          {Path(files["precert"]), "--sct", Path(files["sct"]), "--issuer", issuer_file.path()});
      json cert = OnlyCertificate(run);
      EXPECT_THAT(Statuses(cert), ElementsAre(expected)) << Describe(run);
      EXPECT_EQ(cert["precertificate"], true);
      EXPECT_EQ(run.exit_code, expected == "valid" ? 0 : 1) << Describe(run);
    } else {  // sct_embedded_single
      // The CLI delivers an SCT file as a TLS SCT, i.e. an x509_entry for a final certificate;
      // the case's own reading (a precert_entry for this certificate) is checked in
      // tests/ct/certificate_verifier_test.cc. The bit-flipped SCT is invalid either way.
      VerifyRun run = VerifyWith(
          logs, now,
          {Path(files["cert"]), "--issuer", Path(files["issuer"]), "--sct", Path(files["sct"])});
      json cert = OnlyCertificate(run);
      ASSERT_TRUE(cert.is_object());
      ASSERT_FALSE(cert["scts"].empty());
      EXPECT_EQ(cert["scts"].back()["source"], "tls");
      EXPECT_EQ(cert["scts"].back()["status"], expected) << Describe(run);
      EXPECT_EQ(run.exit_code, 1);
    }
    ++checked[kind];
  }
  EXPECT_EQ(checked["sct_embedded"], 7);
  EXPECT_EQ(checked["sct_x509"], 14);
  EXPECT_EQ(checked["sct_precert"], 2);
  EXPECT_EQ(checked["sct_embedded_single"], 1);
}

// ============================== chain shapes ==============================

class VerifyChainTest : public ::testing::Test {
 protected:
  std::vector<TestLog> logs_ = {{.key_file = kTestLogKey}};

  VerifyRun Run(std::vector<std::string> args) { return VerifyWith(logs_, kCtlogNow, args); }
  void ExpectValid(const VerifyRun& run) {
    EXPECT_THAT(Statuses(OnlyCertificate(run)), ElementsAre("valid")) << Describe(run);
    EXPECT_EQ(run.exit_code, 0) << Describe(run);
  }
};

TEST_F(VerifyChainTest, DirectIssuerByFlag) {
  ExpectValid(Run({Ctlog("test-embedded-cert.pem"), "--issuer", Ctlog("ca-cert.pem")}));
}

TEST_F(VerifyChainTest, DirectIssuerAppendedInTheSameFile) {
  TempFile chain(Concat({"sct/ctlog/test-embedded-cert.pem", "sct/ctlog/ca-cert.pem"}));
  ExpectValid(Run({chain.path()}));
}

TEST_F(VerifyChainTest, IntermediateByFlagAndAppendedInAnyOrder) {
  ExpectValid(Run({Ctlog("test-embedded-with-intermediate-cert.pem"), "--issuer",
                   Ctlog("intermediate-cert.pem")}));
  // The whole chain in the file, root before the intermediate.
  TempFile out_of_order(Concat({"sct/ctlog/test-embedded-with-intermediate-cert.pem",
                                "sct/ctlog/ca-cert.pem", "sct/ctlog/intermediate-cert.pem"}));
  ExpectValid(Run({out_of_order.path()}));
  // --issuer holding root and intermediate, in that order.
  TempFile issuers(Concat({"sct/ctlog/ca-cert.pem", "sct/ctlog/intermediate-cert.pem"}));
  ExpectValid(Run({Ctlog("test-embedded-with-intermediate-cert.pem"), "--issuer", issuers.path()}));
}

TEST_F(VerifyChainTest, PrecertificateSigningCertificateInAnyOrder) {
  const std::string precert = "sct/ctlog/test-embedded-with-preca-pre-cert.pem";
  const std::string preca = "sct/ctlog/ca-pre-cert.pem";
  const std::string ca = "sct/ctlog/ca-cert.pem";
  const std::string sct = Ctlog("test-embedded-with-preca-pre-cert.proof");
  {
    SCOPED_TRACE("file: precert, PreCA, CA");
    TempFile file(Concat({precert, preca, ca}));
    ExpectValid(Run({file.path(), "--sct", sct}));
  }
  {
    SCOPED_TRACE("file: precert, CA, PreCA");
    TempFile file(Concat({precert, ca, preca}));
    ExpectValid(Run({file.path(), "--sct", sct}));
  }
  {
    SCOPED_TRACE("--issuer: PreCA, CA");
    TempFile issuers(Concat({preca, ca}));
    ExpectValid(Run({Path(precert), "--sct", sct, "--issuer", issuers.path()}));
  }
  {
    SCOPED_TRACE("--issuer: CA, PreCA");
    TempFile issuers(Concat({ca, preca}));
    ExpectValid(Run({Path(precert), "--sct", sct, "--issuer", issuers.path()}));
  }
  {
    SCOPED_TRACE("file: precert, CA; --issuer: PreCA");
    TempFile file(Concat({precert, ca}));
    ExpectValid(Run({file.path(), "--sct", sct, "--issuer", Path(preca)}));
  }
}

TEST_F(VerifyChainTest, PrecertificateSigningCertificateWithoutTheCaAboveIt) {
  VerifyRun run =
      Run({Ctlog("test-embedded-with-preca-pre-cert.pem"), "--sct",
           Ctlog("test-embedded-with-preca-pre-cert.proof"), "--issuer", Ctlog("ca-pre-cert.pem")});
  json cert = OnlyCertificate(run);
  EXPECT_THAT(Statuses(cert), ElementsAre("unverifiable_no_issuer")) << Describe(run);
  EXPECT_THAT(cert["notes"], Not(IsEmpty()));
  EXPECT_EQ(run.exit_code, 1);
}

// No test data has an intermediate together with a Precertificate Signing Certificate: the
// ctlog PreCA is issued by the root CA and no precertificate in testdata/ comes from a PreCA
// under the intermediate, so that chain shape is not covered.

TEST_F(VerifyChainTest, MissingIssuerIsUnverifiableAndFails) {
  VerifyRun run = Run({Ctlog("test-embedded-cert.pem")});
  json cert = OnlyCertificate(run);
  EXPECT_THAT(Statuses(cert), ElementsAre("unverifiable_no_issuer")) << Describe(run);
  ASSERT_TRUE(cert.is_object());
  EXPECT_EQ(cert["scts"][0]["log_id"], kTestLogId);  // still parsed and attributed
  EXPECT_EQ(cert["scts"][0]["log"], "Test log 0");
  EXPECT_THAT(cert["notes"].dump(), HasSubstr("--issuer"));
  EXPECT_EQ(cert["verdict"], "fail");
  EXPECT_EQ(run.exit_code, 1);
}

TEST_F(VerifyChainTest, WrongIssuerIsInvalidSignature) {
  // MANIFEST ctlog-embedded-wrong-issuer: "valid cert, but the wrong issuer is supplied, so
  // issuer_key_hash differs and the signature must fail" -> invalid (README: "a signature,
  // issuer binding or proof check fails").
  VerifyRun run =
      Run({Ctlog("test-embedded-cert.pem"), "--issuer", Ctlog("intermediate-cert.pem")});
  EXPECT_THAT(Statuses(OnlyCertificate(run)), ElementsAre("invalid_signature")) << Describe(run);
  EXPECT_EQ(run.exit_code, 1);
}

TEST_F(VerifyChainTest, EmbeddedSctOfAnotherPrecertificateIsInvalid) {
  VerifyRun run = Run({Ctlog("test-invalid-embedded-cert.pem"), "--issuer", Ctlog("ca-cert.pem")});
  EXPECT_THAT(Statuses(OnlyCertificate(run)), ElementsAre("invalid_signature")) << Describe(run);
  EXPECT_EQ(run.exit_code, 1);
}

// ============================== SCTs delivered with --sct ==============================

class VerifySctFileTest : public VerifyChainTest {
 protected:
  VerifySctFileTest() {
    logs_ = {{.key_file = kTestLogKey, .op = "EC Operator", .description = "EC log"},
             {.key_file = kTestLogRsaKey, .op = "RSA Operator", .description = "RSA log"}};
  }
};

TEST_F(VerifySctFileTest, SingleSctFile) {
  VerifyRun run = Run({Ctlog("test-cert.pem"), "--sct", Ctlog("test-cert.proof")});
  json cert = OnlyCertificate(run);
  EXPECT_THAT(Statuses(cert), ElementsAre("valid")) << Describe(run);
  ASSERT_TRUE(cert.is_object());
  const json& sct = cert["scts"][0];
  EXPECT_EQ(sct["source"], "tls");
  EXPECT_EQ(sct["log"], "EC log");
  EXPECT_EQ(sct["operator"], "EC Operator");
  EXPECT_EQ(sct["log_id"], kTestLogId);
  EXPECT_EQ(sct["timestamp"], kX509SctMs);
  EXPECT_EQ(run.exit_code, 0);
}

TEST_F(VerifySctFileTest, RsaLog) {
  VerifyRun run = Run({Ctlog("test-cert.pem"), "--sct", Ctlog("test-cert-rsa.proof")});
  json cert = OnlyCertificate(run);
  EXPECT_THAT(Statuses(cert), ElementsAre("valid")) << Describe(run);
  EXPECT_EQ(cert["scts"][0]["operator"], "RSA Operator");
  EXPECT_EQ(cert["scts"][0]["log_id"], kTestLogRsaId);
  EXPECT_EQ(run.exit_code, 0);
}

TEST_F(VerifySctFileTest, SctListFileAndRepeatedFlag) {
  TempFile list(SctListOf({"sct/ctlog/test-cert.proof", "sct/ctlog/test-cert-rsa.proof"}));
  VerifyRun run = Run({Ctlog("test-cert.pem"), "--sct", list.path()});
  json cert = OnlyCertificate(run);
  EXPECT_THAT(Statuses(cert), ElementsAre("valid", "valid")) << Describe(run);
  EXPECT_THAT(Sources(cert), ElementsAre("tls", "tls"));
  EXPECT_EQ(run.exit_code, 0);

  VerifyRun twice = Run({Ctlog("test-cert.pem"), "--sct", Ctlog("test-cert-rsa.proof"), "--sct",
                         Ctlog("test-cert.proof")});
  json again = OnlyCertificate(twice);
  EXPECT_THAT(Statuses(again), ElementsAre("valid", "valid")) << Describe(twice);
  EXPECT_EQ(again["scts"][0]["log_id"], kTestLogRsaId);  // in the order given
  EXPECT_EQ(again["scts"][1]["log_id"], kTestLogId);
}

TEST_F(VerifySctFileTest, TamperedSctIsInvalidSignature) {
  VerifyRun run = Run({Ctlog("test-cert.pem"), "--sct", Ctlog("test-cert.proof"), "--sct",
                       Path("malformed/ctlog-test-cert-tampered-timestamp.proof")});
  json cert = OnlyCertificate(run);
  EXPECT_THAT(Statuses(cert), ElementsAre("valid", "invalid_signature")) << Describe(run);
  EXPECT_EQ(cert["scts"][1]["timestamp"], 1234567);
  EXPECT_EQ(cert["verdict"], "fail");
  EXPECT_EQ(run.exit_code, 1);
}

TEST_F(VerifySctFileTest, SctForAnotherCertificateIsInvalidSignature) {
  // test-cert.proof signs test-cert.pem, not test-embedded-cert.pem.
  VerifyRun run = Run({Ctlog("test-embedded-cert.pem"), "--issuer", Ctlog("ca-cert.pem"), "--sct",
                       Ctlog("test-cert.proof")});
  EXPECT_THAT(Statuses(OnlyCertificate(run)), ElementsAre("valid", "invalid_signature"))
      << Describe(run);
  EXPECT_THAT(Sources(OnlyCertificate(run)), ElementsAre("embedded", "tls"));
  EXPECT_EQ(run.exit_code, 1);
}

TEST_F(VerifySctFileTest, KeyMissingFromTheListIsUnknownLog) {
  logs_ = {{.key_file = kTestLogKey}};
  VerifyRun run = Run({Ctlog("test-cert.pem"), "--sct", Ctlog("test-cert-rsa.proof")});
  json cert = OnlyCertificate(run);
  EXPECT_THAT(Statuses(cert), ElementsAre("unknown_log")) << Describe(run);
  ASSERT_TRUE(cert.is_object());
  EXPECT_EQ(cert["scts"][0]["log_id"], kTestLogRsaId);
  EXPECT_TRUE(cert["scts"][0]["log"].is_null());
  EXPECT_TRUE(cert["scts"][0]["operator"].is_null());
  EXPECT_EQ(run.exit_code, 1);
}

TEST_F(VerifySctFileTest, TestLogKeysAreNotTrustedByTheDefaultList) {
  // No --log-list: only the compiled-in public list is trusted.
  VerifyRun run = RunVerify({Ctlog("test-cert.pem"), "--sct", Ctlog("test-cert.proof"), "--policy",
                             "none", "--at", FormatRfc3339(kCtlogNow)});
  EXPECT_THAT(Statuses(OnlyCertificate(run)), ElementsAre("unknown_log")) << Describe(run);
  EXPECT_EQ(run.exit_code, 1);
}

TEST_F(VerifySctFileTest, MalformedSctListFiles) {
  // A file that is neither a SignedCertificateTimestampList nor one SCT is one malformed SCT.
  TempFile empty("");
  for (const std::string file : {Path("malformed/cryptography.io-sctlist.outer-length-plus1.bin"),
                                 Path("malformed/cryptography.io-sctlist.empty-list.bin"),
                                 Path("sct/sctrs/ecdsa_p256-junk-sct.bin"), empty.path()}) {
    SCOPED_TRACE(file);
    VerifyRun run = Run({Ctlog("test-cert.pem"), "--sct", file});
    json cert = OnlyCertificate(run);
    EXPECT_THAT(Statuses(cert), ElementsAre("malformed")) << Describe(run);
    ASSERT_TRUE(cert.is_object());
    EXPECT_TRUE(cert["scts"][0]["log_id"].is_null());
    EXPECT_TRUE(cert["scts"][0]["timestamp"].is_null());
    EXPECT_EQ(run.exit_code, 1);
  }
}

TEST_F(VerifySctFileTest, PrecertSctsDeliveredInTlsAreX509Entries) {
  // cryptography.io's embedded SCTs were signed over the precertificate; delivered in TLS they
  // are checked as x509_entry SCTs over the final certificate, which the logs never signed.
  logs_ = {{.key_file = kIcarusKey, .op = "Google"}, {.key_file = kMammothKey, .op = "Sectigo"}};
  VerifyRun run = VerifyWith(logs_, kCryptographyNow,
                             {Path(kCryptographyLeaf), "--issuer", Path(kCryptographyIssuer),
                              "--sct", Path("malformed/cryptography.io-sctlist.bin")});
  json cert = OnlyCertificate(run);
  EXPECT_THAT(Statuses(cert),
              ElementsAre("valid", "valid", "invalid_signature", "invalid_signature"))
      << Describe(run);
  EXPECT_THAT(Sources(cert), ElementsAre("embedded", "embedded", "tls", "tls"));
  EXPECT_EQ(run.exit_code, 1);
}

TEST_F(VerifySctFileTest, FutureTimestamp) {
  VerifyRun early = VerifyWith(logs_, kX509SctMs - 1,
                               {Ctlog("test-cert.pem"), "--sct", Ctlog("test-cert.proof")});
  EXPECT_THAT(Statuses(OnlyCertificate(early)), ElementsAre("future_timestamp")) << Describe(early);
  EXPECT_EQ(early.exit_code, 1);
  VerifyRun exact =
      VerifyWith(logs_, kX509SctMs, {Ctlog("test-cert.pem"), "--sct", Ctlog("test-cert.proof")});
  EXPECT_THAT(Statuses(OnlyCertificate(exact)), ElementsAre("valid")) << Describe(exact);
  EXPECT_EQ(exact.exit_code, 0);
  // --at in Unix seconds.
  TempFile list(LogListJson(logs_, kCtlogNow));
  VerifyRun seconds =
      RunVerify({Ctlog("test-cert.pem"), "--sct", Ctlog("test-cert.proof"), "--log-list",
                 list.path(), "--policy", "none", "--at", std::to_string(kX509SctMs / 1000)});
  EXPECT_THAT(Statuses(OnlyCertificate(seconds)), ElementsAre("future_timestamp"))
      << Describe(seconds);
  EXPECT_EQ(seconds.out["checked_at"], FormatRfc3339(kX509SctMs / 1000 * 1000));
}

TEST_F(VerifySctFileTest, P384LogIsUnsupportedAlgorithmWhetherListedOrNot) {
  // The sct.rs P-384 SCT (SHA-384) over the 4-byte "cert": for this certificate the signature
  // could not verify anyway, but the algorithm is refused first (see ManifestStatus).
  const std::string sct = Path("sct/sctrs/ecdsa_p384-basic-sct.bin");
  logs_ = {{.key_file = kTestLogKey},
           {.key_file = "sct/sctrs/ecdsa-secp384r1-pub.pem", .op = "P384"}};
  VerifyRun listed = Run({Ctlog("test-cert.pem"), "--sct", sct});
  json cert = OnlyCertificate(listed);
  EXPECT_THAT(Statuses(cert), ElementsAre("unsupported_algorithm")) << Describe(listed);
  EXPECT_EQ(cert["scts"][0]["operator"], "P384");
  EXPECT_EQ(listed.exit_code, 1);
  logs_ = {{.key_file = kTestLogKey}};
  VerifyRun unlisted = Run({Ctlog("test-cert.pem"), "--sct", sct});
  EXPECT_THAT(Statuses(OnlyCertificate(unlisted)), ElementsAre("unsupported_algorithm"))
      << Describe(unlisted);
}

// ============================== embedded SCTs, real world ==============================

TEST(VerifyRealWorldTest, TamperedEmbeddedSctFailsAloneTheOtherVerifies) {
  std::vector<TestLog> logs = {{.key_file = kIcarusKey, .op = "Google"},
                               {.key_file = kMammothKey, .op = "Sectigo"}};
  VerifyRun run = VerifyWith(logs, kCryptographyNow,
                             {Path("malformed/cryptography.io-embedded-sct-tampered.der"),
                              "--issuer", Path(kCryptographyIssuer)});
  json cert = OnlyCertificate(run);
  EXPECT_THAT(Statuses(cert), ElementsAre("invalid_signature", "valid")) << Describe(run);
  EXPECT_EQ(cert["scts"][0]["log_id"], kIcarusId);
  EXPECT_EQ(cert["scts"][1]["log_id"], kMammothId);
  EXPECT_EQ(run.exit_code, 1);
}

TEST(VerifyRealWorldTest, DefaultListAndNoPolicyPass) {
  // The compiled-in list holds Icarus, Mammoth, Pilot, Aviator and DigiCert Log Server; they were
  // rejected years after these SCTs, so the SCTs are valid (policies judge today's trust).
  struct Case {
    std::string leaf, issuer;
    std::vector<std::string> logs, operators;
    std::vector<int64_t> timestamps;
  };
  std::vector<Case> cases = {
      {kCryptographyLeaf,
       kCryptographyIssuer,
       {"Google 'Icarus' log", "Sectigo 'Mammoth' CT log"},
       {"Google", "Sectigo"},
       {kCryptographyIcarusMs, kCryptographyMammothMs}},
      {kGithubLeaf,
       kGithubIssuer,
       {"Google 'Pilot' log", "Google 'Aviator' log", "DigiCert Log Server"},
       {"Google", "Google", "DigiCert"},
       {1457630341662, 1457630341607, 1457630341785}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.leaf);
    VerifyRun run = RunVerify({Path(c.leaf), "--issuer", Path(c.issuer), "--policy", "none"});
    json cert = OnlyCertificate(run);
    ASSERT_TRUE(cert.is_object()) << Describe(run);
    ASSERT_EQ(cert["scts"].size(), c.logs.size()) << Describe(run);
    for (size_t i = 0; i < c.logs.size(); ++i) {
      EXPECT_EQ(cert["scts"][i]["status"], "valid");
      EXPECT_EQ(cert["scts"][i]["log"], c.logs[i]);
      EXPECT_EQ(cert["scts"][i]["operator"], c.operators[i]);
      EXPECT_EQ(cert["scts"][i]["timestamp"], c.timestamps[i]);
    }
    EXPECT_EQ(cert["policy"], json::object());
    EXPECT_EQ(cert["verdict"], "pass");
    EXPECT_EQ(run.exit_code, 0) << Describe(run);
    // The same in text mode.
    auto text = RunCtkit({"verify", Path(c.leaf), "--issuer", Path(c.issuer), "--policy", "none"});
    EXPECT_EQ(text.exit_code, 0) << text.out << text.err;
    EXPECT_THAT(text.out, HasSubstr(": OK"));
  }
}

// ============================== untrusted_at_time ==============================

struct TrustCase {
  const char* name;
  std::string state;
  int64_t since_ms;
  std::optional<std::pair<int64_t, int64_t>> interval;
  const char* expected;
};

TEST(VerifyTrustTest, LogStateAndTemporalIntervalAtTheSctsTime) {
  // test-embedded-cert.pem: embedded SCT at kEmbeddedSctMs, notAfter 2022-06-01T00:00:00Z.
  const int64_t t = kEmbeddedSctMs;
  auto interval = [](const char* start, const char* end) {
    return std::optional<std::pair<int64_t, int64_t>>({Ms(start), Ms(end)});
  };
  std::vector<TrustCase> cases = {
      {"pending since before the SCT", "pending", t - 1000, std::nullopt, "untrusted_at_time"},
      {"pending since after the SCT", "pending", t + 1000, std::nullopt, "valid"},
      {"retired since before the SCT", "retired", t - 1000, std::nullopt, "untrusted_at_time"},
      {"retired since after the SCT", "retired", t + 1000, std::nullopt, "valid"},
      {"rejected since before the SCT", "rejected", t - 1000, std::nullopt, "untrusted_at_time"},
      {"rejected since after the SCT", "rejected", t + 1000, std::nullopt, "valid"},
      {"usable", "usable", t - 1000, std::nullopt, "valid"},
      {"qualified", "qualified", t - 1000, std::nullopt, "valid"},
      {"readonly", "readonly", t - 1000, std::nullopt, "valid"},
      {"interval holding notAfter", "usable", kLongAgo,
       interval("2022-01-01T00:00:00Z", "2022-07-01T00:00:00Z"), "valid"},
      {"interval starting at notAfter", "usable", kLongAgo,
       interval("2022-06-01T00:00:00Z", "2022-07-01T00:00:00Z"), "valid"},
      {"interval ending at notAfter", "usable", kLongAgo,
       interval("2022-01-01T00:00:00Z", "2022-06-01T00:00:00Z"), "untrusted_at_time"},
      {"interval after notAfter", "usable", kLongAgo,
       interval("2023-01-01T00:00:00Z", "2023-07-01T00:00:00Z"), "untrusted_at_time"},
  };
  for (const TrustCase& c : cases) {
    SCOPED_TRACE(c.name);
    VerifyRun run = VerifyWith({{.key_file = kTestLogKey,
                                 .state = c.state,
                                 .since_ms = c.since_ms,
                                 .interval = c.interval}},
                               Ms("2014-06-01T00:00:00Z"),
                               {Ctlog("test-embedded-cert.pem"), "--issuer", Ctlog("ca-cert.pem")});
    EXPECT_THAT(Statuses(OnlyCertificate(run)), ElementsAre(c.expected)) << Describe(run);
    EXPECT_EQ(run.exit_code, std::string(c.expected) == "valid" ? 0 : 1);
  }
}

TEST(VerifyTrustTest, DeliveredSctFromARetiredLog) {
  VerifyRun run =
      VerifyWith({{.key_file = kTestLogKey, .state = "retired", .since_ms = kX509SctMs - 1}},
                 kCtlogNow, {Ctlog("test-cert.pem"), "--sct", Ctlog("test-cert.proof")});
  EXPECT_THAT(Statuses(OnlyCertificate(run)), ElementsAre("untrusted_at_time")) << Describe(run);
  EXPECT_EQ(run.exit_code, 1);
}

// ============================== policies ==============================

class VerifyPolicyTest : public ::testing::Test {
 protected:
  // Icarus (Google) and Mammoth (Sectigo), usable since before the certificate.
  std::vector<TestLog> two_operators_ = {
      {.key_file = kIcarusKey, .op = "Google", .since_ms = Ms("2018-01-01T00:00:00Z")},
      {.key_file = kMammothKey, .op = "Sectigo", .since_ms = Ms("2018-01-01T00:00:00Z")}};
  std::vector<TestLog> one_operator_ = {
      {.key_file = kIcarusKey, .op = "Google", .since_ms = Ms("2018-01-01T00:00:00Z")},
      {.key_file = kMammothKey, .op = "Google", .since_ms = Ms("2018-01-01T00:00:00Z")}};

  VerifyRun Run(const std::vector<TestLog>& logs, const std::string& policy) {
    return VerifyWith(logs, kCryptographyNow,
                      {Path(kCryptographyLeaf), "--issuer", Path(kCryptographyIssuer)}, policy);
  }
};

TEST_F(VerifyPolicyTest, DefaultListIn2024RejectsTheOldLogs) {
  struct Case {
    std::string leaf, issuer;
  };
  for (const Case& c :
       {Case{kCryptographyLeaf, kCryptographyIssuer}, Case{kGithubLeaf, kGithubIssuer}}) {
    SCOPED_TRACE(c.leaf);
    VerifyRun run =
        RunVerify({Path(c.leaf), "--issuer", Path(c.issuer), "--at", "2024-06-01T00:00:00Z"});
    json cert = OnlyCertificate(run);
    ASSERT_TRUE(cert.is_object()) << Describe(run);
    for (const std::string& status : Statuses(cert)) EXPECT_EQ(status, "valid");
    EXPECT_EQ(cert["policy"]["chrome"]["compliant"], false);
    EXPECT_EQ(cert["policy"]["apple"]["compliant"], false);
    EXPECT_THAT(cert["policy"]["chrome"]["reasons"].dump(), HasSubstr("rejected"));
    EXPECT_EQ(cert["verdict"], "fail");
    EXPECT_EQ(run.exit_code, 1) << Describe(run);
  }
}

TEST_F(VerifyPolicyTest, TwoOperatorsAreChromeCompliant) {
  VerifyRun run = Run(two_operators_, "chrome");
  json cert = OnlyCertificate(run);
  EXPECT_THAT(Statuses(cert), ElementsAre("valid", "valid")) << Describe(run);
  EXPECT_EQ(cert["policy"]["chrome"]["compliant"], true) << Describe(run);
  EXPECT_EQ(cert["scts"][0]["operator"], "Google");
  EXPECT_EQ(cert["scts"][1]["operator"], "Sectigo");
  EXPECT_EQ(run.exit_code, 0);
}

TEST_F(VerifyPolicyTest, OneOperatorForBothLogsIsNotCompliant) {
  VerifyRun run = Run(one_operator_, "chrome");
  json cert = OnlyCertificate(run);
  EXPECT_THAT(Statuses(cert), ElementsAre("valid", "valid")) << Describe(run);
  EXPECT_EQ(cert["policy"]["chrome"]["compliant"], false) << Describe(run);
  bool operator_rule_failed = false;
  for (const json& reason : cert["policy"]["chrome"]["reasons"]) {
    std::string text = reason;
    if (text.starts_with("fail") && text.find("operator") != std::string::npos) {
      operator_rule_failed = true;
    }
  }
  EXPECT_TRUE(operator_rule_failed) << cert["policy"].dump(2);
  EXPECT_EQ(cert["verdict"], "fail");
  EXPECT_EQ(run.exit_code, 1);
}

TEST_F(VerifyPolicyTest, PolicyFlagChoosesExactlyThoseKeysAndTheExitCode) {
  struct Case {
    std::string policy;
    std::set<std::string> keys;
  };
  std::vector<Case> cases = {
      {"none", {}}, {"chrome", {"chrome"}}, {"apple", {"apple"}}, {"both", {"chrome", "apple"}}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.policy);
    for (bool compliant_list : {true, false}) {
      SCOPED_TRACE(compliant_list ? "two operators" : "one operator");
      VerifyRun run = Run(compliant_list ? two_operators_ : one_operator_, c.policy);
      json cert = OnlyCertificate(run);
      ASSERT_TRUE(cert.is_object()) << Describe(run);
      ASSERT_TRUE(cert["policy"].is_object());
      std::set<std::string> keys;
      for (const auto& [key, value] : cert["policy"].items()) {
        keys.insert(key);
        EXPECT_TRUE(value["compliant"].is_boolean());
        EXPECT_EQ(value["compliant"], compliant_list);
        EXPECT_TRUE(value["reasons"].is_array());
        EXPECT_FALSE(value["reasons"].empty());
        for (const json& reason : value["reasons"]) EXPECT_TRUE(reason.is_string());
      }
      EXPECT_EQ(keys, c.keys);
      // Policy "none" judges only the SCTs, which are all valid either way.
      int want = (compliant_list || c.policy == "none") ? 0 : 1;
      EXPECT_EQ(run.exit_code, want) << Describe(run);
    }
  }
}

TEST_F(VerifyPolicyTest, DefaultPolicyIsBoth) {
  TempFile list(LogListJson(two_operators_, kCryptographyNow));
  VerifyRun run = RunVerify({Path(kCryptographyLeaf), "--issuer", Path(kCryptographyIssuer),
                             "--log-list", list.path(), "--at", FormatRfc3339(kCryptographyNow)});
  json cert = OnlyCertificate(run);
  ASSERT_TRUE(cert.is_object()) << Describe(run);
  EXPECT_TRUE(cert["policy"].contains("chrome"));
  EXPECT_TRUE(cert["policy"].contains("apple"));
  EXPECT_EQ(run.exit_code, 0) << Describe(run);
}

// ============================== JSON schema ==============================

TEST(VerifyJsonTest, DocumentedFieldsAndTypes) {
  std::vector<TestLog> logs = {{.key_file = kIcarusKey, .op = "Google"},
                               {.key_file = kMammothKey, .op = "Sectigo"}};
  VerifyRun run =
      VerifyWith(logs, kCryptographyNow,
                 {Path(kCryptographyLeaf), "--issuer", Path(kCryptographyIssuer)}, "both");
  ASSERT_TRUE(run.out.is_object()) << Describe(run);
  ASSERT_TRUE(run.out["certificates"].is_array());
  json cert = OnlyCertificate(run);
  ASSERT_TRUE(cert.is_object());
  for (const char* field : {"file", "sha256", "tbs_sha256", "subject", "not_before", "not_after"}) {
    ASSERT_TRUE(cert.contains(field)) << field;
    EXPECT_TRUE(cert[field].is_string()) << field;
  }
  EXPECT_EQ(cert["file"], Path(kCryptographyLeaf));
  // sha256 is the fingerprint of the DER certificate.
  Bytes der = PemDecodeCertificates(ReadTestDataText(kCryptographyLeaf)).value().at(0);
  EXPECT_EQ(cert["sha256"], HexEncode(Sha256(der)));
  EXPECT_EQ(cert["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(cert["tbs_sha256"].get<std::string>().size(), 64u);
  EXPECT_NE(cert["tbs_sha256"], cert["sha256"]);
  EXPECT_EQ(cert["subject"], "CN=cryptography.io");
  EXPECT_EQ(cert["names"], json::array({"cryptography.io"}));
  EXPECT_EQ(cert["not_before"], "2018-09-26T19:56:33Z");
  EXPECT_EQ(cert["not_after"], "2018-12-25T19:56:33Z");

  ASSERT_TRUE(cert["scts"].is_array());
  ASSERT_EQ(cert["scts"].size(), 2u);
  for (const json& sct : cert["scts"]) {
    for (const char* field : {"log_id", "log", "operator", "source", "status"}) {
      ASSERT_TRUE(sct.contains(field)) << field;
      EXPECT_TRUE(sct[field].is_string()) << field;
    }
    ASSERT_TRUE(sct.contains("timestamp"));
    EXPECT_TRUE(sct["timestamp"].is_number_integer());
    Result<Bytes> id = Base64Decode(sct["log_id"].get<std::string>());
    ASSERT_TRUE(id);
    EXPECT_EQ(id->size(), 32u);
    EXPECT_EQ(sct["source"], "embedded");
  }
  EXPECT_EQ(cert["scts"][0]["log_id"], kIcarusId);
  EXPECT_EQ(cert["scts"][0]["timestamp"], kCryptographyIcarusMs);
  EXPECT_EQ(cert["scts"][1]["log_id"], kMammothId);
  EXPECT_EQ(cert["scts"][1]["timestamp"], kCryptographyMammothMs);

  ASSERT_TRUE(cert["policy"].is_object());
  for (const char* policy : {"chrome", "apple"}) {
    ASSERT_TRUE(cert["policy"].contains(policy)) << policy;
    EXPECT_EQ(cert["policy"][policy]["compliant"], true) << policy;
    ASSERT_TRUE(cert["policy"][policy]["reasons"].is_array());
  }
  EXPECT_EQ(run.exit_code, 0) << Describe(run);
}

TEST(VerifyJsonTest, PrecertificateAndFinalCertificateShareTbsHash) {
  std::vector<TestLog> logs = {{.key_file = kTestLogKey}};
  VerifyRun both = VerifyWith(logs, kCtlogNow,
                              {Ctlog("test-embedded-pre-cert.pem"), Ctlog("test-embedded-cert.pem"),
                               Ctlog("test-cert.pem"), "--issuer", Ctlog("ca-cert.pem")});
  ASSERT_TRUE(both.out.is_object()) << Describe(both);
  json certs = both.out["certificates"];
  ASSERT_EQ(certs.size(), 3u);
  EXPECT_EQ(certs[0]["precertificate"], true);
  EXPECT_EQ(certs[1]["precertificate"], false);
  EXPECT_EQ(certs[0]["tbs_sha256"], certs[1]["tbs_sha256"]);
  EXPECT_NE(certs[0]["sha256"], certs[1]["sha256"]);
  EXPECT_NE(certs[2]["tbs_sha256"], certs[1]["tbs_sha256"]);
}

// ============================== several certificates, stdin ==============================

TEST(VerifyInputTest, SeveralCertificatesInOneRun) {
  std::vector<TestLog> logs = {{.key_file = kTestLogKey}};
  // --issuer serves every certificate; each keeps its file name and order.
  VerifyRun pass = VerifyWith(logs, kCtlogNow,
                              {Ctlog("test-embedded-cert.pem"), Ctlog("test-embedded-cert.pem"),
                               "--issuer", Ctlog("ca-cert.pem")});
  ASSERT_TRUE(pass.out.is_object()) << Describe(pass);
  ASSERT_EQ(pass.out["certificates"].size(), 2u);
  EXPECT_EQ(pass.exit_code, 0) << Describe(pass);

  // One passes, one fails (--issuer names a certificate that is not its issuer, so its SCT
  // cannot verify against it): exit 1, both reported.
  VerifyRun mixed = VerifyWith(
      logs, kCtlogNow,
      {Ctlog("test-embedded-cert.pem"), Ctlog("test-embedded-with-intermediate-cert.pem"),
       "--issuer", Ctlog("ca-cert.pem")});
  ASSERT_TRUE(mixed.out.is_object()) << Describe(mixed);
  json certs = mixed.out["certificates"];
  ASSERT_EQ(certs.size(), 2u);
  EXPECT_EQ(certs[0]["file"], Ctlog("test-embedded-cert.pem"));
  EXPECT_EQ(certs[1]["file"], Ctlog("test-embedded-with-intermediate-cert.pem"));
  EXPECT_THAT(Statuses(certs[0]), ElementsAre("valid"));
  EXPECT_THAT(Statuses(certs[1]), ElementsAre("invalid_signature"));
  EXPECT_THAT(certs[1]["notes"].dump(), HasSubstr("is not the certificate's issuer"));
  EXPECT_EQ(certs[0]["verdict"], "pass");
  EXPECT_EQ(certs[1]["verdict"], "fail");
  EXPECT_EQ(mixed.exit_code, 1);

  // Text mode prints every certificate.
  TempFile list(LogListJson(logs, kCtlogNow));
  auto text = RunCtkit({"verify", "--log-list", list.path(), "--at", FormatRfc3339(kCtlogNow),
                        "--policy", "none", Ctlog("test-embedded-cert.pem"),
                        Ctlog("test-embedded-with-intermediate-cert.pem"), "--issuer",
                        Ctlog("ca-cert.pem")});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_THAT(text.out, HasSubstr("test-embedded-cert.pem: OK"));
  EXPECT_THAT(text.out, HasSubstr("test-embedded-with-intermediate-cert.pem: FAILED"));
}

TEST(VerifyInputTest, SctFlagWithSeveralCertificatesIsUsageError) {
  std::vector<TestLog> logs = {{.key_file = kTestLogKey}};
  VerifyRun run = VerifyWith(
      logs, kCtlogNow,
      {Ctlog("test-cert.pem"), Ctlog("test-cert.pem"), "--sct", Ctlog("test-cert.proof")});
  EXPECT_EQ(run.exit_code, 2) << Describe(run);
  EXPECT_EQ(LineCount(run.err), 1u) << run.err;
  EXPECT_THAT(run.err, HasSubstr("--sct"));
}

TEST(VerifyInputTest, CertificateFromStdin) {
  std::vector<TestLog> logs = {{.key_file = kTestLogKey}};
  TempFile list(LogListJson(logs, kCtlogNow));
  std::vector<std::string> args = {"-",         "--issuer", Ctlog("ca-cert.pem"),     "--log-list",
                                   list.path(), "--at",     FormatRfc3339(kCtlogNow), "--policy",
                                   "none"};
  VerifyRun pem = RunVerify(args, ReadTestDataText("sct/ctlog/test-embedded-cert.pem"));
  json cert = OnlyCertificate(pem);
  EXPECT_THAT(Statuses(cert), ElementsAre("valid")) << Describe(pem);
  EXPECT_EQ(cert["file"], "-");
  EXPECT_EQ(pem.exit_code, 0);

  // DER on stdin, with its chain appended (PEM) in the --issuer file.
  Bytes der = ReadTestData(kGithubLeaf);
  VerifyRun github = RunVerify({"-", "--issuer", Path(kGithubIssuer), "--policy", "none"},
                               std::string(der.begin(), der.end()));
  EXPECT_THAT(Statuses(OnlyCertificate(github)), ElementsAre("valid", "valid", "valid"))
      << Describe(github);
  EXPECT_EQ(github.exit_code, 0);
}

TEST(VerifyInputTest, DerChainInOneFileAndDerIssuer) {
  Bytes leaf = ReadTestData(kGithubLeaf);
  Bytes issuer = PemDecodeCertificates(ReadTestDataText(kGithubIssuer)).value().at(0);
  Bytes chain = leaf;
  chain.insert(chain.end(), issuer.begin(), issuer.end());
  TempFile chain_file(chain);
  VerifyRun run = RunVerify({chain_file.path(), "--policy", "none"});
  EXPECT_THAT(Statuses(OnlyCertificate(run)), ElementsAre("valid", "valid", "valid"))
      << Describe(run);
  EXPECT_EQ(run.exit_code, 0);
  TempFile issuer_file(issuer);
  VerifyRun separate =
      RunVerify({Path(kGithubLeaf), "--issuer", issuer_file.path(), "--policy", "none"});
  EXPECT_THAT(Statuses(OnlyCertificate(separate)), ElementsAre("valid", "valid", "valid"))
      << Describe(separate);
}

TEST(VerifyInputTest, HelpListsTheOptions) {
  auto help = RunCtkit({"verify", "--help"});
  EXPECT_EQ(help.exit_code, 0) << help.err;
  for (const char* option :
       {"--issuer", "--log-list", "--policy", "--at", "--sct", "--ocsp", "--format"}) {
    EXPECT_THAT(help.out, HasSubstr(option));
  }
}

// ============================== bad input: exit 2, one line ==============================

TEST(VerifyBadInputTest, ExitTwoWithOneLineNamingTheInput) {
  std::vector<TestLog> logs = {{.key_file = kTestLogKey}};
  TempFile list(LogListJson(logs, kCtlogNow));
  TempFile garbage("this is not a certificate\n");
  std::string pem = ReadTestDataText("sct/ctlog/test-embedded-cert.pem");
  TempFile no_end(pem.substr(0, pem.find("-----END")));
  size_t begin = pem.find("-----BEGIN");
  TempFile cut_body(pem.substr(0, begin + 200) + "\n-----END CERTIFICATE-----\n");
  Bytes der = ReadTestData(kGithubLeaf);
  TempFile truncated_der(std::string(der.begin(), der.begin() + 300));
  TempFile not_json("this is not JSON {");
  TempFile empty("");

  const std::string leaf = Ctlog("test-embedded-cert.pem");
  struct Case {
    std::string name;
    std::vector<std::string> args;
    std::string names;  // what stderr must mention
  };
  std::vector<Case> cases = {
      {"nonexistent certificate", {"/nonexistent/cert.pem"}, "/nonexistent/cert.pem"},
      {"garbage certificate", {garbage.path()}, garbage.path()},
      {"empty certificate file", {empty.path()}, empty.path()},
      {"PEM without END line", {no_end.path()}, no_end.path()},
      {"PEM with a cut body", {cut_body.path()}, cut_body.path()},
      {"truncated DER", {truncated_der.path()}, truncated_der.path()},
      {"one bad file among good ones", {leaf, garbage.path(), leaf}, garbage.path()},
      {"nonexistent --issuer",
       {leaf, "--issuer", "/nonexistent/issuer.pem"},
       "/nonexistent/issuer.pem"},
      {"garbage --issuer", {leaf, "--issuer", garbage.path()}, garbage.path()},
      {"nonexistent --sct", {leaf, "--sct", "/nonexistent/sct.bin"}, "/nonexistent/sct.bin"},
      {"nonexistent --ocsp", {leaf, "--ocsp", "/nonexistent/ocsp.der"}, "/nonexistent/ocsp.der"},
      {"garbage --ocsp", {leaf, "--ocsp", garbage.path()}, garbage.path()},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> args = {"verify", "--log-list", list.path(), "--at",
                                     FormatRfc3339(kCtlogNow)};
    args.insert(args.end(), c.args.begin(), c.args.end());
    for (const char* format : {"text", "json"}) {
      SCOPED_TRACE(format);
      std::vector<std::string> with_format = args;
      with_format.insert(with_format.end(), {"--format", format});
      auto result = RunCtkit(with_format);
      EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
      EXPECT_EQ(LineCount(result.err), 1u) << result.err;
      EXPECT_THAT(result.err, HasSubstr(c.names));
      if (std::string(format) == "text") {
        EXPECT_EQ(result.out, "");
      } else {  // the error object (docs/json-output.md "Errors"), and nothing else
        json out = json::parse(result.out, nullptr, /*allow_exceptions=*/false);
        EXPECT_EQ(out["error"]["code"], 2) << result.out;
        EXPECT_EQ(out["error"]["kind"], "usage") << result.out;
        EXPECT_THAT(out["error"]["message"].get<std::string>(), HasSubstr(c.names));
      }
    }
  }
}

TEST(VerifyBadInputTest, BadLogListAtAndPolicy) {
  const std::string leaf = Ctlog("test-embedded-cert.pem");
  TempFile not_json("this is not JSON {");
  TempFile wrong_schema(R"({"operators": []})");
  std::vector<TestLog> logs = {{.key_file = kTestLogKey}};
  TempFile list(LogListJson(logs, kCtlogNow));
  struct Case {
    std::string name;
    std::vector<std::string> args;
    std::string names;
  };
  std::vector<Case> cases = {
      {"log list not JSON", {leaf, "--log-list", not_json.path()}, not_json.path()},
      {"log list without timestamp",
       {leaf, "--log-list", wrong_schema.path()},
       wrong_schema.path()},
      {"nonexistent log list",
       {leaf, "--log-list", "/nonexistent/list.json"},
       "/nonexistent/list.json"},
      {"bad --at", {leaf, "--log-list", list.path(), "--at", "yesterday"}, "--at"},
      {"--at out of range",
       {leaf, "--log-list", list.path(), "--at", "2013-02-30T00:00:00Z"},
       "--at"},
      {"--policy bogus", {leaf, "--log-list", list.path(), "--policy", "bogus"}, "--policy"},
      {"no CERT", {"--log-list", list.path()}, "CERT"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> args = {"verify"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto result = RunCtkit(args);
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_EQ(LineCount(result.err), 1u) << result.err;
    EXPECT_THAT(result.err, HasSubstr(c.names));
  }
}

TEST(VerifyBadInputTest, OneLineEvenWhenTheListIsStale) {
  // docs/ctkit.md, EXIT STATUS: exit 2 comes with one line on standard error. With the compiled-in
  // list checked at a time when it is over 70 days old, the staleness warning must not add a second
  // line to the error about an input that could not even be read.
  auto result = RunCtkit({"verify", "/nonexistent/cert.pem", "--at", "2026-01-01T00:00:00Z"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("/nonexistent/cert.pem"));
  EXPECT_EQ(LineCount(result.err), 1u) << result.err;
}

// ============================== OCSP ==============================
//
// No OCSP response with SCTs is in testdata/; as tests/ct/sct_test.cc does, build one with
// OpenSSL: a basic response for test-cert.pem (issuer ca-cert.pem) whose SingleResponse carries
// extension 1.3.6.1.4.1.11129.2.4.5 = OCTET STRING(TLS SCT list), signed by a throwaway
// responder (ctkit does not check the responder's signature, and need not for SCTs).

using testing::X509Ptr;

X509Ptr LoadX509(const std::string& relative) {
  return testing::X509FromPem(ReadTestDataText(relative));
}

Bytes OcspResponse(X509* subject, X509* issuer, const std::optional<Bytes>& sct_list) {
  return testing::BuildOcspResponse(subject, issuer, sct_list);
}

class VerifyOcspTest : public VerifyChainTest {
 protected:
  VerifyOcspTest() {
    logs_ = {{.key_file = kTestLogKey, .op = "EC Operator"},
             {.key_file = kTestLogRsaKey, .op = "RSA Operator"}};
  }
  X509Ptr leaf_ = LoadX509("sct/ctlog/test-cert.pem");
  X509Ptr ca_ = LoadX509("sct/ctlog/ca-cert.pem");
};

TEST_F(VerifyOcspTest, SctsFromTheOcspResponse) {
  ASSERT_TRUE(leaf_ && ca_);
  TempFile ocsp(
      OcspResponse(leaf_.get(), ca_.get(),
                   SctListOf({"sct/ctlog/test-cert.proof", "sct/ctlog/test-cert-rsa.proof"})));
  VerifyRun run = Run({Ctlog("test-cert.pem"), "--ocsp", ocsp.path()});
  json cert = OnlyCertificate(run);
  EXPECT_THAT(Statuses(cert), ElementsAre("valid", "valid")) << Describe(run);
  EXPECT_THAT(Sources(cert), ElementsAre("ocsp", "ocsp"));
  EXPECT_EQ(cert["scts"][0]["log_id"], kTestLogId);
  EXPECT_EQ(cert["scts"][1]["log_id"], kTestLogRsaId);
  EXPECT_EQ(run.exit_code, 0);
}

TEST_F(VerifyOcspTest, OcspAndTlsTogether) {
  ASSERT_TRUE(leaf_ && ca_);
  TempFile ocsp(OcspResponse(leaf_.get(), ca_.get(), SctListOf({"sct/ctlog/test-cert.proof"})));
  VerifyRun run =
      Run({Ctlog("test-cert.pem"), "--ocsp", ocsp.path(), "--sct", Ctlog("test-cert-rsa.proof")});
  json cert = OnlyCertificate(run);
  EXPECT_THAT(Statuses(cert), ElementsAre("valid", "valid")) << Describe(run);
  EXPECT_THAT(Sources(cert), ElementsAre("tls", "ocsp"));
  EXPECT_EQ(run.exit_code, 0);
}

TEST_F(VerifyOcspTest, TamperedSctInOcspIsInvalid) {
  ASSERT_TRUE(leaf_ && ca_);
  TempFile ocsp(OcspResponse(leaf_.get(), ca_.get(),
                             SctListOf({"malformed/ctlog-test-cert-tampered-timestamp.proof"})));
  VerifyRun run = Run({Ctlog("test-cert.pem"), "--ocsp", ocsp.path()});
  EXPECT_THAT(Statuses(OnlyCertificate(run)), ElementsAre("invalid_signature")) << Describe(run);
  EXPECT_THAT(Sources(OnlyCertificate(run)), ElementsAre("ocsp"));
  EXPECT_EQ(run.exit_code, 1);
}

TEST_F(VerifyOcspTest, MalformedSctListInOcspIsOneMalformedSct) {
  ASSERT_TRUE(leaf_ && ca_);
  TempFile ocsp(
      OcspResponse(leaf_.get(), ca_.get(),
                   ReadTestData("malformed/cryptography.io-sctlist.outer-length-plus1.bin")));
  VerifyRun run = Run({Ctlog("test-cert.pem"), "--ocsp", ocsp.path()});
  EXPECT_THAT(Statuses(OnlyCertificate(run)), ElementsAre("malformed")) << Describe(run);
  EXPECT_THAT(Sources(OnlyCertificate(run)), ElementsAre("ocsp"));
  EXPECT_EQ(run.exit_code, 1);
}

TEST_F(VerifyOcspTest, ResponseWithoutSctsAddsNone) {
  ASSERT_TRUE(leaf_ && ca_);
  TempFile ocsp(OcspResponse(leaf_.get(), ca_.get(), std::nullopt));
  VerifyRun run =
      Run({Ctlog("test-cert.pem"), "--ocsp", ocsp.path(), "--sct", Ctlog("test-cert.proof")});
  json cert = OnlyCertificate(run);
  EXPECT_THAT(Sources(cert), ElementsAre("tls")) << Describe(run);
  EXPECT_EQ(run.exit_code, 0);
}

TEST_F(VerifyOcspTest, ResponseForAnotherCertificateIsUnreadableInput) {
  // A response about test-embedded-cert.pem (serial 07), given for test-cert.pem (serial 06).
  ASSERT_TRUE(leaf_ && ca_);
  X509Ptr other = LoadX509("sct/ctlog/test-embedded-cert.pem");
  ASSERT_TRUE(other);
  TempFile ocsp(OcspResponse(other.get(), ca_.get(), SctListOf({"sct/ctlog/test-cert.proof"})));
  VerifyRun run = Run({Ctlog("test-cert.pem"), "--ocsp", ocsp.path()});
  EXPECT_EQ(run.exit_code, 2) << Describe(run);
  EXPECT_EQ(LineCount(run.err), 1u) << run.err;
  EXPECT_THAT(run.err, HasSubstr(ocsp.path()));
}

}  // namespace
}  // namespace ctkit
