// What a new user of `ctkit` meets first, end to end on the real binary: an unknown command is
// named, --help shows values rather than CLI11's type tags, a repeatable flag takes one value,
// "-" is standard output for every --out, `ca issue` checks its names, files and flags and says
// what opting out of CT costs (in the words `verify` and `audit` use), the CA's log list is found
// from its own directory, and a log's key from `log keygen` is usable wherever a key is asked for.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ct/ct_opt_out.h"
#include "ct/log_signer.h"
#include "logserver/log_process.h"
#include "run_command.h"
#include "test_support.h"

namespace ctkit {
namespace {

using nlohmann::json;
using testing::CommandResult;
using ::testing::HasSubstr;
using testing::LogProcess;
using ::testing::Not;
using testing::RunCommand;
using testing::RunCtkit;

bool Exists(const std::string& path) {
  struct stat info;
  return lstat(path.c_str(), &info) == 0;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// ctkit run in the working directory `dir` (env -C), for what depends on it.
CommandResult RunCtkitIn(const std::string& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"/usr/bin/env", "-C", dir, testing::CtkitBinary()});
  return RunCommand(args);
}

std::string Describe(const CommandResult& run) {
  return "exit " + std::to_string(run.exit_code) + "\nstdout:\n" + run.out + "\nstderr:\n" +
         run.err;
}

size_t Lines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

TEST(FirstStepsTest, AnUnknownCommandIsNamed) {
  CommandResult top = RunCtkit({"bogus"});
  EXPECT_EQ(top.exit_code, 2);
  EXPECT_EQ(top.err, "ctkit: unknown command \"bogus\" (see ctkit --help)\n");
  CommandResult nested = RunCtkit({"log", "bogus", "--log", "x"});
  EXPECT_EQ(nested.exit_code, 2);
  EXPECT_EQ(nested.err, "ctkit: unknown command \"log bogus\" (see ctkit log --help)\n");
  CommandResult missing = RunCtkit({"log"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("ctkit: missing command after \"ctkit log\": one of keygen, "
                                     "pubkey, serve"));
  EXPECT_THAT(missing.err, HasSubstr("(see ctkit log --help)\n"));
  // A known command with a bad flag is still CLI11's message about the flag.
  CommandResult flag = RunCtkit({"verify", "--bogus", "x.pem"});
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_THAT(flag.err, HasSubstr("--bogus"));
}

TEST(FirstStepsTest, HelpShowsValuesAndDefaultsNotTypeTags) {
  const std::vector<std::vector<std::string>> commands = {{"monitor"},
                                                          {"verify"},
                                                          {"audit"},
                                                          {"log", "serve"},
                                                          {"log", "entries"},
                                                          {"log", "keygen"},
                                                          {"log", "pubkey"},
                                                          {"ca", "issue"},
                                                          {"ca", "init"},
                                                          {"proof", "inclusion"},
                                                          {"tree"}};
  for (std::vector<std::string> command : commands) {
    command.push_back("--help");
    CommandResult help = RunCtkit(command);
    ASSERT_EQ(help.exit_code, 0) << Describe(help);
    // CLI11's tags: "--db TEXT REQUIRED", "--threads INT:INT in [1 - 1024]=64", "TEXT:{a,b}=a".
    for (const char* tag :
         {" TEXT ", " TEXT\n", "UINT", "FLOAT", " INT", "REQUIRED", ":{", "]=", " in ["}) {
      EXPECT_THAT(help.out, Not(HasSubstr(tag))) << command.front() << " --help";
    }
  }
  CommandResult monitor = RunCtkit({"monitor", "--help"});
  EXPECT_THAT(monitor.out, HasSubstr("--poll-interval SECONDS (default 60)"));
  CommandResult serve = RunCtkit({"log", "serve", "--help"});
  EXPECT_THAT(serve.out, HasSubstr("--accept-any-root (excludes --roots)"));
  CommandResult issue = RunCtkit({"ca", "issue", "--help"});
  EXPECT_THAT(issue.out, HasSubstr("--dir DIR (required)"));
  EXPECT_THAT(issue.out, HasSubstr("--ct-logging enabled|disabled (default enabled)"));
  EXPECT_THAT(issue.out, HasSubstr("--out FILE "));
}

TEST(FirstStepsTest, SctTakesOneFileSoTheCertificateStaysACertificate) {
  const std::string sct = testing::TestDataPath("sct/ctlog/test-cert.proof");
  const std::string rsa_sct = testing::TestDataPath("sct/ctlog/test-cert-rsa.proof");
  const std::string cert = testing::TestDataPath("sct/ctlog/test-cert.pem");
  const std::string other = testing::TestDataPath("sct/ctlog/test-embedded-cert.pem");
  // Before, --sct took every file but the last: test-cert.pem went as an SCT file, and only
  // the other certificate was checked. Now both are certificates, which --sct refuses.
  CommandResult two = RunCtkit({"verify", "--policy", "none", "--sct", sct, cert, other});
  EXPECT_EQ(two.exit_code, 2) << Describe(two);
  EXPECT_THAT(two.err, HasSubstr("give only one CERT"));
  // Repeated, each --sct brings its own file; the certificate after them is the one checked.
  CommandResult twice = RunCtkit(
      {"verify", "--policy", "none", "--format", "json", "--sct", sct, "--sct", rsa_sct, cert});
  json out = json::parse(twice.out, nullptr, false);
  ASSERT_TRUE(out.is_object()) << Describe(twice);
  ASSERT_EQ(out["certificates"].size(), 1u) << Describe(twice);
  EXPECT_THAT(out["certificates"][0]["file"].get<std::string>(), HasSubstr("test-cert.pem"));
  EXPECT_EQ(out["certificates"][0]["scts"].size(), 2u) << Describe(twice);
}

// A CA (no logs) in a temporary directory.
class CaIssueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("ctkit-first-steps");
    CommandResult init = RunCtkit({"ca", "init", "--dir", Path("ca")});
    ASSERT_EQ(init.exit_code, 0) << Describe(init);
  }
  void TearDown() override { testing::RemoveTree(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  CommandResult IssueOptedOut(std::vector<std::string> extra) {
    std::vector<std::string> args = {"ca",       "issue",        "--dir",
                                     Path("ca"), "--ct-logging", "disabled"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCtkit(args);
  }

  std::string dir_;
};

TEST_F(CaIssueTest, ANameMustBeADnsNameOrAnIpAddress) {
  CommandResult bad = IssueOptedOut({"--name", "not a name!", "--out", Path("bad.pem")});
  EXPECT_EQ(bad.exit_code, 2) << Describe(bad);
  EXPECT_THAT(bad.err, HasSubstr("--name \"not a name!\": not a DNS name or an IP address"));
  EXPECT_EQ(Lines(bad.err), 1u) << bad.err;
  EXPECT_FALSE(Exists(Path("bad.pem")));
  EXPECT_FALSE(Exists(Path("bad.pem.key")));
  // A comma would have slipped a second name of another type into the certificate.
  CommandResult comma = IssueOptedOut({"--name", "a.example,IP:10.0.0.1", "--out", Path("c.pem")});
  EXPECT_EQ(comma.exit_code, 2) << Describe(comma);

  CommandResult good =
      IssueOptedOut({"--name", "*.example.com", "--name", "192.0.2.7", "--name", "2001:db8::1",
                     "--out", Path("good.pem"), "--format", "json"});
  ASSERT_EQ(good.exit_code, 0) << Describe(good);
  json record = json::parse(good.out);
  EXPECT_EQ(record["names"], json({"*.example.com", "192.0.2.7", "2001:db8::1"}));
}

TEST_F(CaIssueTest, AnExistingOutIsReplacedOnlyWithForce) {
  WriteFile(Path("www.pem"), "keep me\n");
  CommandResult refused =
      IssueOptedOut({"--name", "www.example", "--out", Path("www.pem"), "--key-out", Path("k")});
  EXPECT_EQ(refused.exit_code, 2) << Describe(refused);
  EXPECT_THAT(refused.err, HasSubstr("www.pem exists; --force to overwrite"));
  EXPECT_EQ(testing::ReadFile(Path("www.pem")), "keep me\n");
  EXPECT_FALSE(Exists(Path("k")));  // checked before anything was issued or written

  CommandResult forced = IssueOptedOut(
      {"--name", "www.example", "--out", Path("www.pem"), "--key-out", Path("k"), "--force"});
  ASSERT_EQ(forced.exit_code, 0) << Describe(forced);
  EXPECT_THAT(testing::ReadFile(Path("www.pem")), HasSubstr("-----BEGIN CERTIFICATE-----"));
}

TEST_F(CaIssueTest, LogFlagsConflictWithCtLoggingDisabled) {
  for (std::vector<std::string> flag : std::vector<std::vector<std::string>>{
           {"--log", "http://127.0.0.1:1/"}, {"--min-logs", "1"}, {"--add-chain"}}) {
    flag.insert(flag.end(), {"--name", "www.example", "--out", Path("www.pem")});
    CommandResult run = IssueOptedOut(flag);
    EXPECT_EQ(run.exit_code, 2) << Describe(run);
    EXPECT_THAT(run.err, HasSubstr(flag.front() + " needs --ct-logging enabled"));
    EXPECT_FALSE(Exists(Path("www.pem")));
  }
  CommandResult both = IssueOptedOut({"--name", "www.example", "--out", "-", "--format", "json"});
  EXPECT_EQ(both.exit_code, 2) << Describe(both);
}

TEST_F(CaIssueTest, TheOptOutsPriceIsSaidInTheSameWordsByIssueVerifyAndAudit) {
  const std::string price(kNotLoggedConsequence);
  CommandResult issue = IssueOptedOut({"--name", "www.example", "--out", Path("www.pem")});
  ASSERT_EQ(issue.exit_code, 0) << Describe(issue);
  EXPECT_EQ(issue.err, "ctkit: warning: --ct-logging disabled: " + price + "\n");

  CommandResult verify = RunCtkit({"verify", Path("www.pem")});
  EXPECT_EQ(verify.exit_code, 1) << Describe(verify);
  EXPECT_THAT(verify.out, HasSubstr("note: " + price));

  CommandResult inventory = RunCtkit({"ca", "inventory", "--dir", Path("ca")});
  ASSERT_EQ(inventory.exit_code, 0) << Describe(inventory);
  WriteFile(Path("inventory.jsonl"), inventory.out);
  CommandResult audit =
      RunCtkit({"audit", "--inventory", Path("inventory.jsonl"), Path("www.pem")});
  EXPECT_EQ(audit.exit_code, 0) << Describe(audit);
  EXPECT_THAT(audit.out,
              HasSubstr("not logged by choice (inventory: ct_logging disabled): " + price));
}

TEST_F(CaIssueTest, DashIsStandardOutputForEveryOut) {
  CommandResult issue =
      IssueOptedOut({"--name", "www.example", "--out", "-", "--key-out", Path("www.key")});
  ASSERT_EQ(issue.exit_code, 0) << Describe(issue);
  EXPECT_TRUE(issue.out.starts_with("-----BEGIN CERTIFICATE-----")) << issue.out;
  EXPECT_THAT(issue.err, HasSubstr("issued www.example"));  // the summary moved to stderr
  EXPECT_TRUE(Exists(Path("www.key")));

  CommandResult keygen = RunCtkitIn(dir_, {"log", "keygen", "--out", "-"});
  ASSERT_EQ(keygen.exit_code, 0) << Describe(keygen);
  EXPECT_TRUE(keygen.out.starts_with("-----BEGIN PRIVATE KEY-----")) << keygen.out;
  EXPECT_TRUE(LogSigner::FromPem(keygen.out).has_value());
  EXPECT_THAT(keygen.err, HasSubstr("log ID:"));
  EXPECT_FALSE(Exists(Path("-")));
  EXPECT_FALSE(Exists(Path("www.example.key")));  // --out - of ca issue wrote no such default
}

// A real log, and a CA whose log list was given relative to the working directory of `ca init`.
TEST(CaLogListTest, TheLogListIsFoundFromTheCaDirectoryAndKeygenKeysWorkEverywhere) {
  const std::string dir = testing::TempDir("ctkit-first-steps-log");
  CommandResult keygen = RunCtkit({"log", "keygen", "--out", dir + "/log.key"});
  ASSERT_EQ(keygen.exit_code, 0) << Describe(keygen);
  LogProcess log(dir);
  ASSERT_GT(log.port(), 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(log.port()) + "/";

  // `log pubkey`: the public key PEM and the log ID (RFC 6962 §3.2), as keygen printed it.
  CommandResult pubkey = RunCtkit({"log", "pubkey", dir + "/log.key"});
  ASSERT_EQ(pubkey.exit_code, 0) << Describe(pubkey);
  auto signer = LogSigner::FromPem(testing::ReadFile(dir + "/log.key"));
  ASSERT_TRUE(signer);
  EXPECT_TRUE(pubkey.out.starts_with("-----BEGIN PUBLIC KEY-----\n")) << pubkey.out;
  EXPECT_THAT(pubkey.out, HasSubstr("log ID (base64): " + Base64Encode((*signer)->log_id())));
  EXPECT_THAT(pubkey.out, HasSubstr("log ID (hex):    " + HexEncode((*signer)->log_id())));
  EXPECT_THAT(keygen.out, HasSubstr(Base64Encode((*signer)->log_id())));
  WriteFile(dir + "/log.pub", pubkey.out);
  CommandResult again = RunCtkit({"log", "pubkey", dir + "/log.pub"});
  EXPECT_EQ(again.out, pubkey.out);

  // keygen's private key, and pubkey's output, as the --key of a client command.
  for (const char* key : {"/log.key", "/log.pub"}) {
    CommandResult sth = RunCtkit({"log", "sth", "--log", url, "--key", dir + key});
    EXPECT_EQ(sth.exit_code, 0) << key << "\n" << Describe(sth);
  }

  // The list is given relative to `dir`, the working directory of `ca init`; `ca issue` runs
  // elsewhere and must still find it (relative to the CA's directory).
  CommandResult list = RunCtkitIn(dir, {"log", "make-list", "--out", "list.json", "--log",
                                        "operator=Test,url=" + url + ",key=log.key"});
  ASSERT_EQ(list.exit_code, 0) << Describe(list);
  CommandResult init =
      RunCtkitIn(dir, {"ca", "init", "--dir", "ca", "--log", url, "--log-list", "list.json"});
  ASSERT_EQ(init.exit_code, 0) << Describe(init);
  CommandResult issue =
      RunCtkitIn("/", {"ca", "issue", "--dir", dir + "/ca", "--name", "www.example.com",
                       "--min-logs", "1", "--out", dir + "/www.pem"});
  ASSERT_EQ(issue.exit_code, 0) << Describe(issue);
  EXPECT_THAT(issue.out, HasSubstr("CT logging: enabled, 1 SCT embedded\n"));
  testing::RemoveTree(dir);
}

}  // namespace
}  // namespace ctkit
