// The CI pipeline `ctkit audit` is for, played end to end: the mock CA issues a batch over two
// real local logs (logged, opted out, one with a corrupted SCT, one logged to only one log);
// the audit fails with exactly the right failures in JUnit and JSON, and passes once the bad
// ones are removed. Then --online against the same logs: proofs, a broken promise, a dead log.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/audit/audit_fixture.h"
#include "tests/cert_factory.h"

namespace ctkit::testing {
namespace {

using nlohmann::json;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

size_t Count(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

// Flips a bit in the last byte of `pem_file`'s embedded SCT list (the last SCT's signature), so
// that SCT no longer verifies; the rest of the file stays as issued.
void CorruptEmbeddedSct(const std::string& pem_file) {
  Result<std::vector<Bytes>> chain = PemDecodeCertificates(ReadFile(pem_file));
  ASSERT_TRUE(chain) << chain.error().message;
  Result<CertificateView> leaf = CertificateView::Parse((*chain)[0]);
  ASSERT_TRUE(leaf);
  Result<ByteSpan> list = leaf->EmbeddedSctList();
  ASSERT_TRUE(list);
  size_t offset = static_cast<size_t>(list->data() + list->size() - 1 - leaf->der().data());
  (*chain)[0][offset] ^= 0x01;
  WriteFile(pem_file, PemEncode(*chain));
}

class AuditPipelineTest : public AuditEndToEndTest {};

TEST_F(AuditPipelineTest, BatchFailsExactlyTheBadCertificatesThenPasses) {
  LocalLog alpha(dir_, "alpha"), beta(dir_, "beta");
  std::string list = MakeList({&alpha, &beta});
  ASSERT_NO_FATAL_FAILURE(InitCa({&alpha, &beta}, list));
  std::string batch = dir_ + "/batch";
  std::filesystem::create_directories(batch + "/more");
  ASSERT_NO_FATAL_FAILURE(Issue("www.example.com", batch + "/www.pem"));
  ASSERT_NO_FATAL_FAILURE(Issue("api.example.com", batch + "/more/api.pem"));
  ASSERT_NO_FATAL_FAILURE(Issue("payments.internal.example.com", batch + "/payments.pem",
                                {"--ct-logging", "disabled"}));
  ASSERT_NO_FATAL_FAILURE(Issue("corrupt.example.com", batch + "/corrupt.pem"));
  ASSERT_NO_FATAL_FAILURE(
      Issue("single.example.com", batch + "/single.pem", {"--log", alpha.url, "--min-logs", "1"}));
  ASSERT_NO_FATAL_FAILURE(CorruptEmbeddedSct(batch + "/corrupt.pem"));
  std::string inventory = Inventory();

  std::vector<std::string> audit = {"audit",      batch, "--inventory", inventory,
                                    "--log-list", list,  "--policy",    "chrome"};
  // JUnit: five test cases, exactly two failures, named by file.
  std::vector<std::string> junit_args = audit;
  junit_args.insert(junit_args.end(), {"--format", "junit"});
  CommandResult junit = RunCtkit(junit_args);
  EXPECT_EQ(junit.exit_code, 1) << junit.err;
  EXPECT_THAT(junit.out, HasSubstr("<testsuites name=\"ctkit audit\" tests=\"5\" failures=\"2\" "
                                   "errors=\"0\">"));
  EXPECT_EQ(Count(junit.out, "<testcase "), 5u);
  EXPECT_EQ(Count(junit.out, "<failure "), 2u);
  size_t corrupt = junit.out.find("corrupt.pem (corrupt.example.com)");
  size_t single = junit.out.find("single.pem (single.example.com)");
  ASSERT_NE(corrupt, std::string::npos);
  ASSERT_NE(single, std::string::npos);
  EXPECT_THAT(junit.out.substr(corrupt, junit.out.find("</testcase>", corrupt) - corrupt),
              AllOf(HasSubstr("<failure"), HasSubstr("invalid_signature")));
  EXPECT_THAT(junit.out.substr(single, junit.out.find("</testcase>", single) - single),
              AllOf(HasSubstr("<failure"), HasSubstr("Chrome CT policy not met")));
  EXPECT_THAT(junit.out, HasSubstr("not logged by choice"));

  // JSON: the same verdicts, with the opted-out certificate passing as "disabled".
  std::vector<std::string> json_args = audit;
  json_args.insert(json_args.end(), {"--format", "json"});
  CommandResult json_run = RunCtkit(json_args);
  EXPECT_EQ(json_run.exit_code, 1) << json_run.err;
  json report = json::parse(json_run.out);
  EXPECT_EQ(report["summary"]["total"], 5);
  EXPECT_EQ(report["summary"]["passed"], 3);
  EXPECT_EQ(report["summary"]["failed"], 2);
  EXPECT_EQ(report["summary"]["errors"], 0);
  EXPECT_EQ(report["summary"]["skipped"], 0);  // the .key files are not *.pem
  std::map<std::string, json> by_name;
  for (const json& result : report["results"]) by_name[result["names"][0]] = result;
  ASSERT_EQ(by_name.size(), 5u);
  EXPECT_EQ(by_name["www.example.com"]["verdict"], "pass");
  EXPECT_EQ(by_name["www.example.com"]["ct_logging"], "enabled");
  EXPECT_EQ(by_name["www.example.com"]["scts"].size(), 2u);
  EXPECT_EQ(by_name["www.example.com"]["scts"][0]["status"], "valid");
  EXPECT_TRUE(by_name["www.example.com"]["policy"]["chrome"]["compliant"]);
  EXPECT_FALSE(by_name["www.example.com"]["policy"].contains("apple"));
  EXPECT_EQ(by_name["api.example.com"]["verdict"], "pass");
  EXPECT_EQ(by_name["payments.internal.example.com"]["verdict"], "pass");
  EXPECT_EQ(by_name["payments.internal.example.com"]["ct_logging"], "disabled");
  EXPECT_EQ(by_name["payments.internal.example.com"]["scts"].size(), 0u);
  const json& bad = by_name["corrupt.example.com"];
  EXPECT_EQ(bad["verdict"], "fail");
  EXPECT_EQ(bad["ct_logging"], "enabled");  // found in the inventory by its TBS hash
  ASSERT_EQ(bad["problems"].size(), 2u) << bad.dump(2);
  EXPECT_THAT(bad["problems"][0].get<std::string>(), HasSubstr("SCT #1 (embedded"));
  EXPECT_THAT(bad["problems"][0].get<std::string>(), HasSubstr("invalid_signature"));
  EXPECT_THAT(bad["problems"][1].get<std::string>(), HasSubstr("Chrome CT policy not met"));
  const json& one = by_name["single.example.com"];
  EXPECT_EQ(one["verdict"], "fail");
  ASSERT_EQ(one["problems"].size(), 1u) << one.dump(2);
  EXPECT_EQ(one["scts"].size(), 1u);
  EXPECT_EQ(one["scts"][0]["status"], "valid");

  // --require-ct also fails the opted-out certificate.
  std::vector<std::string> strict = json_args;
  strict.push_back("--require-ct");
  json strict_report = json::parse(RunCtkit(strict).out);
  EXPECT_EQ(strict_report["summary"]["failed"], 3);

  // Without the inventory the opted-out certificate is just a certificate without SCTs.
  CommandResult no_inventory =
      RunCtkit({"audit", batch + "/payments.pem", "--log-list", list, "--format", "json"});
  EXPECT_EQ(no_inventory.exit_code, 1);
  EXPECT_THAT(no_inventory.out, HasSubstr("carries no SCTs"));

  // Text: the table, details only for the failures, colourless when not on a TTY.
  CommandResult text = RunCtkit(audit);
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_THAT(text.out, HasSubstr("TARGET"));
  EXPECT_THAT(text.out, HasSubstr("5 certificates: 3 passed, 2 failed, 0 errors"));
  EXPECT_THAT(text.out, HasSubstr("FAIL " + batch + "/corrupt.pem"));
  EXPECT_THAT(text.out, Not(HasSubstr("\033[")));

  // The bad ones removed: the pipeline passes.
  std::filesystem::remove(batch + "/corrupt.pem");
  std::filesystem::remove(batch + "/single.pem");
  CommandResult clean = RunCtkit(junit_args);
  EXPECT_EQ(clean.exit_code, 0) << clean.out;
  EXPECT_THAT(clean.out, HasSubstr("tests=\"3\" failures=\"0\" errors=\"0\""));
  CommandResult sarif = RunCtkit({"audit", batch, "--inventory", inventory, "--log-list", list,
                                  "--policy", "chrome", "--format", "sarif"});
  EXPECT_EQ(sarif.exit_code, 0);
  json sarif_report = json::parse(sarif.out);
  EXPECT_EQ(sarif_report["version"], "2.1.0");
  // The opted-out certificate's note is a warning, not an error.
  for (const json& result : sarif_report["runs"][0]["results"])
    EXPECT_EQ(result["level"], "warning");
}

TEST_F(AuditPipelineTest, ExpectedIssuerAndSpki) {
  LocalLog alpha(dir_, "alpha"), beta(dir_, "beta");
  std::string list = MakeList({&alpha, &beta});
  ASSERT_NO_FATAL_FAILURE(InitCa({&alpha, &beta}, list));
  ASSERT_NO_FATAL_FAILURE(Issue("www.example.com", dir_ + "/www.pem"));
  std::string intermediate = ca_ + "/intermediate.pem";
  Result<std::vector<CertificateView>> issuer =
      ParseCertificateInput(AsBytes(ReadFile(intermediate)));
  ASSERT_TRUE(issuer);
  std::string spki = HexEncode(issuer->front().spki_sha256());

  CommandResult ok = RunCtkit({"audit", dir_ + "/www.pem", "--log-list", list, "--expect-issuer",
                               intermediate, "--expect-spki", spki});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  // The root did not sign the leaf, and its key is not the issuer's.
  CommandResult wrong = RunCtkit({"audit", dir_ + "/www.pem", "--log-list", list, "--expect-issuer",
                                  ca_ + "/root.pem", "--format", "json"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_THAT(wrong.out, HasSubstr("unexpected issuer"));
  std::string other_spki(64, '0');
  CommandResult wrong_key = RunCtkit({"audit", dir_ + "/www.pem", "--log-list", list,
                                      "--expect-spki", other_spki, "--format", "json"});
  EXPECT_EQ(wrong_key.exit_code, 1);
  EXPECT_THAT(wrong_key.out, HasSubstr("unexpected issuer key"));
  // Validity: audited a year later it has expired.
  CommandResult later = RunCtkit({"audit", dir_ + "/www.pem", "--log-list", list, "--policy",
                                  "none", "--at", std::to_string(time(nullptr) + 365 * 86400)});
  EXPECT_EQ(later.exit_code, 1);
  EXPECT_THAT(later.out, HasSubstr("expired on"));
  CommandResult soon = RunCtkit(
      {"audit", dir_ + "/www.pem", "--log-list", list, "--warn-days", "100", "--format", "json"});
  EXPECT_EQ(soon.exit_code, 0);
  EXPECT_THAT(soon.out, HasSubstr("expires in"));
}

TEST_F(AuditPipelineTest, OnlineProvesInclusionAndFindsBrokenPromises) {
  LocalLog alpha(dir_, "alpha"), beta(dir_, "beta");
  std::string list = MakeList({&alpha, &beta}, "1");  // MMD 1 s, so promises fall due quickly
  ASSERT_NO_FATAL_FAILURE(InitCa({&alpha, &beta}, list));
  ASSERT_NO_FATAL_FAILURE(Issue("www.example.com", dir_ + "/www.pem"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // both logs integrate (0.2 s)

  CommandResult online =
      RunCtkit({"audit", dir_ + "/www.pem", "--log-list", list, "--online", "--format", "json"});
  EXPECT_EQ(online.exit_code, 0) << online.out << online.err;
  json report = json::parse(online.out);
  EXPECT_TRUE(report["online"]);
  const json& inclusion = report["results"][0]["inclusion"];
  ASSERT_EQ(inclusion.size(), 2u);
  for (const json& check : inclusion) {
    EXPECT_EQ(check["status"], "included") << check.dump();
    EXPECT_EQ(check["leaf_index"], 0);
    EXPECT_GE(check["tree_size"].get<int>(), 1);
  }
  CommandResult text = RunCtkit({"audit", dir_ + "/www.pem", "--log-list", list, "--online"});
  EXPECT_THAT(text.out, HasSubstr("2/2 included"));

  // Beta is down: the audit cannot be completed, which is exit 3 (retry), not a failure.
  beta.process->Signal(SIGKILL);
  CommandResult down = RunCtkit({"audit", dir_ + "/www.pem", "--log-list", list, "--online",
                                 "--timeout", "2", "--format", "json"});
  EXPECT_EQ(down.exit_code, 3) << down.out;
  EXPECT_EQ(json::parse(down.out)["results"][0]["verdict"], "error");

  // Beta comes back with its database lost: its SCT is older than the MMD and not in its tree.
  std::filesystem::remove(beta.dir + "/log.db");
  std::filesystem::remove(beta.dir + "/log.db-wal");
  std::filesystem::remove(beta.dir + "/log.db-shm");
  beta.Start();
  std::string moved_list = MakeList({&alpha, &beta}, "1");  // beta's new port
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  CommandResult broken = RunCtkit(
      {"audit", dir_ + "/www.pem", "--log-list", moved_list, "--online", "--format", "json"});
  EXPECT_EQ(broken.exit_code, 1) << broken.out << broken.err;
  json broken_report = json::parse(broken.out);
  std::string problems = broken_report["results"][0]["problems"].dump();
  EXPECT_THAT(problems, HasSubstr("broken promise"));
  EXPECT_THAT(problems, HasSubstr("Log 2"));
}

TEST_F(AuditPipelineTest, OnlineProvesInclusionInAStaticCtApiLogByLeafIndex) {
  LocalLog tiled(dir_, "tiled", {"--api", "static"});
  std::string list = MakeList({&tiled}, "1", "static");
  ASSERT_NO_FATAL_FAILURE(InitCa({&tiled}, list));
  ASSERT_NO_FATAL_FAILURE(Issue("a.example.com", dir_ + "/a.pem", {"--min-logs", "1"}));
  ASSERT_NO_FATAL_FAILURE(Issue("b.example.com", dir_ + "/b.pem", {"--min-logs", "1"}));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // integrated (0.2 s)
  CommandResult online = RunCtkit({"audit", dir_ + "/b.pem", "--log-list", list, "--policy", "none",
                                   "--online", "--format", "json"});
  EXPECT_EQ(online.exit_code, 0) << online.out << online.err;
  json report = json::parse(online.out);
  const json& inclusion = report["results"][0]["inclusion"];
  ASSERT_EQ(inclusion.size(), 1u) << online.out;
  EXPECT_EQ(inclusion[0]["status"], "included") << inclusion.dump();
  EXPECT_EQ(inclusion[0]["leaf_index"], 1);  // from the SCT's leaf_index extension
  EXPECT_EQ(inclusion[0]["tree_size"], 2);

  // The log comes back without its database: the SCT's leaf_index is past its tree, and the
  // SCT is older than the MMD (1 s): a broken promise.
  tiled.process->Signal(SIGKILL);
  for (const char* file : {"/log.db", "/log.db-wal", "/log.db-shm"}) {
    std::filesystem::remove(tiled.dir + file);
  }
  tiled.Start();
  std::string moved_list = MakeList({&tiled}, "1", "static");  // its new port and origin
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  CommandResult broken = RunCtkit({"audit", dir_ + "/b.pem", "--log-list", moved_list, "--policy",
                                   "none", "--online", "--format", "json"});
  EXPECT_EQ(broken.exit_code, 1) << broken.out << broken.err;
  EXPECT_THAT(json::parse(broken.out)["results"][0]["problems"].dump(),
              HasSubstr("broken promise"));
}

TEST(AuditCommandTest, BadUsageIsExitTwoWithOneLine) {
  CommandResult missing = RunCtkit({"audit", "/nonexistent/cert.pem"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("/nonexistent/cert.pem"));
  EXPECT_EQ(Count(missing.err, "\n"), 1u) << missing.err;
  EXPECT_EQ(RunCtkit({"audit"}).exit_code, 2);
  EXPECT_EQ(RunCtkit({"audit", "x:1", "--format", "yaml"}).exit_code, 2);
  EXPECT_EQ(RunCtkit({"audit", "x:1", "--expect-spki", "zz"}).exit_code, 2);
  TempFile garbage(std::string("not a certificate"));
  CommandResult unreadable = RunCtkit({"audit", garbage.path(), "--format", "json"});
  EXPECT_EQ(unreadable.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(unreadable.out)["results"][0]["verdict"], "error");
  // An endpoint nobody listens on: exit 3, retryable.
  CommandResult refused = RunCtkit({"audit", "127.0.0.1:1", "--timeout", "2"});
  EXPECT_EQ(refused.exit_code, 3) << refused.out << refused.err;
}

// A CI gate pointed at the wrong directory must not go green: auditing nothing is exit 2, with
// one line saying how many files were passed over, whatever the output format.
TEST(AuditCommandTest, NothingToAuditIsExitTwo) {
  std::string empty = TempDir("ctkit-audit-empty");
  CommandResult run = RunCtkit({"audit", empty});
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_THAT(run.err, HasSubstr("nothing to audit: 0 files skipped"));
  EXPECT_EQ(Count(run.err, "\n"), 1u) << run.err;

  // Only a CA certificate (skipped) and a private key (not a certificate file name at all).
  std::string only_ca = TempDir("ctkit-audit-ca");
  TestCa ca("Audit Test CA");
  WriteFile(only_ca + "/ca.pem", PemEncode(std::vector<Bytes>{ca.der()}));
  WriteFile(only_ca + "/ca.key",
            "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n"
            "-----END PRIVATE KEY-----\n");
  for (const char* format : {"text", "json", "junit"}) {
    run = RunCtkit({"audit", only_ca, "--format", format});
    EXPECT_EQ(run.exit_code, 2) << format << ": " << run.out << run.err;
    EXPECT_THAT(run.err, HasSubstr("nothing to audit: 1 file skipped")) << format;
  }
  RemoveTree(empty);
  RemoveTree(only_ca);
}

}  // namespace
}  // namespace ctkit::testing
