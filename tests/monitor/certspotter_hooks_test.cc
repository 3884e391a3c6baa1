// `ctkit monitor` as a drop-in for certspotter's hooks and email (docs/man/ctkit-hooks.5.scd):
// real `ctkit log serve` and `ctkit monitor` processes, hooks written as certspotter-script(8)
// describes them run by a real /bin/sh, JSON_FILENAME read by a real python3 as jq would, and a
// stand-in `sendmail` that records its arguments and the message. Every expected value is
// computed here from the certificate's DER with OpenSSL, never with ctkit's parser.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "logclient/log_client.h"
#include "tests/cert_factory.h"
#include "tests/monitor/local_logs.h"
#include "tests/monitor/openssl_view.h"
#include "tests/run_command.h"
#include "tests/test_support.h"
#include "x509/pem.h"

namespace ctkit {
namespace {

using ::ctkit::testing::LocalLog;
using ::ctkit::testing::ReadFile;
using ::ctkit::testing::RunCtkit;
using ::testing::HasSubstr;
using Json = nlohmann::json;

// NAME=VALUE lines as env(1) writes them.
std::map<std::string, std::string> ParseEnv(const std::string& text) {
  std::map<std::string, std::string> env;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const size_t equals = line.find('=');
    if (equals != std::string::npos) env[line.substr(0, equals)] = line.substr(equals + 1);
  }
  return env;
}

// Sets an environment variable for the scope (the ctkit processes inherit it).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    const char* old = getenv(name);
    if (old != nullptr) old_ = old;
    had_ = old != nullptr;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (had_) {
      setenv(name_, old_.c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

class CertspotterHooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("ctkit-certspotter-hooks");
    unsetenv("EMAIL");  // certspotter's sender variable: it would add -f to sendmail's arguments
  }
  void TearDown() override { testing::RemoveTree(dir_); }

  std::string Write(const std::string& name, const std::string& text, bool executable = false) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    if (executable) chmod(path.c_str(), 0755);
    return path;
  }

  // A stand-in sendmail in `dir`/NAME: the last call's arguments one a line in `dir`/NAME.args
  // and its stdin in `dir`/NAME.msg; every call's arguments as a line in NAME.calls and its stdin
  // appended to NAME.all; exits with `status`.
  std::string FakeSendmail(const std::string& dir, const std::string& name, int status = 0) {
    std::filesystem::create_directories(dir);
    const std::string path = dir + "/" + name;
    std::ofstream(path) << "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done > '" << path
                        << ".args'\necho \"call: $*\" >> '" << path << ".calls'\ncat > '" << path
                        << ".msg'\ncat '" << path << ".msg' >> '" << path << ".all'\nexit "
                        << status << "\n";
    chmod(path.c_str(), 0755);
    return path;
  }

  std::string dir_;
};

// Hooks as certspotter-script(8) describes them run unchanged: the environment, JSON_FILENAME
// read as jq would, CERT_FILENAME's chain, TEXT_FILENAME mailed as certspotter's documentation
// suggests; two --script both run; --email hands sendmail `-i -- ADDRESS` and the message.
TEST_F(CertspotterHooksTest, CertspotterHooksAndEmailSeeCertspottersValues) {
  LocalLog alpha(dir_, "alpha");
  const std::string list = testing::MakeLogList(dir_ + "/logs.json", {&alpha});
  testing::TestCa root("Rogue Root");
  testing::TestCa intermediate = root.IssueCa("Rogue Intermediate");
  const Bytes leaf =
      intermediate.IssueLeafForNames({"login.example.com", "WWW.example.com"}, 0x5eed);
  Result<LogClient> client = LogClient::Create(alpha.url, nullptr, {});
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->AddChain(std::vector<Bytes>{leaf, intermediate.der(), root.der()}));
  usleep(600 * 1000);  // integrated (the log's MMD is 0.2 s)
  const std::string watchlist = Write("watchlist.txt", ".example.com\n");

  // Hook 1: what a certspotter user writes, testing $EVENT and keeping what it was given.
  const std::string env_file = dir_ + "/hook1.env";
  const std::string hook1 = Write("hook1.sh",
                                  "#!/bin/sh\n"
                                  "case \"$EVENT\" in\n"
                                  "  discovered_cert) env > '" +
                                      env_file +
                                      "' ;;\n"
                                      "  *) echo \"unknown event $EVENT\" >&2 ;;\n"
                                      "esac\n",
                                  true);
  // Hook 2: JSON_FILENAME read with python3 as `jq -r '.dns_names | join(",")'` etc. would, and
  // certspotter's documented way to mail TEXT_FILENAME through sendmail.
  const std::string jq_file = dir_ + "/hook2.json";
  const std::string hook2 =
      Write("hook2.sh",
            "#!/bin/sh\n"
            "python3 -c 'import json, os, sys\n"
            "d = json.load(open(os.environ[\"JSON_FILENAME\"]))\n"
            "json.dump({k: d[k] for k in (\"dns_names\", \"ip_addresses\", \"pubkey_sha256\", "
            "\"tbs_sha256\", \"not_before\", \"not_after\")}, sys.stdout)' > '" +
                jq_file +
                "'\n"
                "{ echo \"Subject: [certspotter] $SUMMARY\"; echo; cat \"$TEXT_FILENAME\"; } | "
                "sendmail -i hook@example.com\n",
            true);
  const std::string bin = dir_ + "/bin";
  FakeSendmail(bin, "sendmail");
  const char* path = getenv("PATH");
  ScopedEnv path_env("PATH", bin + ":" + (path != nullptr ? path : "/usr/bin:/bin"));
  unsetenv("SENDMAIL_PATH");

  testing::CommandResult run =
      RunCtkit({"monitor", "--once", "--watchlist", watchlist, "--db", dir_ + "/m.db", "--log-list",
                list, "--script", hook1, "--script", hook2, "--email", "security@example.com"});
  EXPECT_EQ(run.exit_code, 1) << run.err;  // an alert was raised, and delivered to every sink
  EXPECT_THAT(run.err, ::testing::Not(HasSubstr("pending delivery")));

  const testing::OpenSslView want = testing::ViewWithOpenSsl(leaf);
  std::map<std::string, std::string> env = ParseEnv(ReadFile(env_file));
  EXPECT_EQ(env["EVENT"], "discovered_cert");
  EXPECT_EQ(env["CTKIT_EVENT"], "unexpected_cert");
  EXPECT_EQ(env["WATCH_ITEM"], ".example.com");
  EXPECT_EQ(env["LOG_URI"], alpha.url);
  EXPECT_EQ(env["ENTRY_INDEX"], "0");
  EXPECT_EQ(env["CERT_SHA256"], want.cert_sha256);
  EXPECT_EQ(env["TBS_SHA256"], want.tbs_sha256);
  EXPECT_EQ(env["PUBKEY_SHA256"], want.pubkey_sha256);
  EXPECT_EQ(env["SERIAL"], "5eed");
  EXPECT_EQ(env["SERIAL"], want.serial);
  EXPECT_EQ(env["ISSUER_DN"], want.issuer_dn);
  EXPECT_EQ(env["ISSUER_DN"], "CN=Rogue Intermediate");
  EXPECT_EQ(env["SUBJECT_DN"], "CN=login.example.com");
  EXPECT_EQ(env["NOT_BEFORE_UNIXTIME"], std::to_string(want.not_before_unix));
  EXPECT_EQ(env["NOT_AFTER_UNIXTIME"], std::to_string(want.not_after_unix));
  EXPECT_EQ(env["NOT_BEFORE_RFC3339"], want.not_before);
  EXPECT_EQ(env["NOT_AFTER_RFC3339"], want.not_after);
  // Go's time.Time.String(), as certspotter prints NOT_BEFORE: "2006-01-02 15:04:05 +0000 UTC".
  std::string go_time = want.not_before;
  go_time[10] = ' ';
  go_time.pop_back();
  EXPECT_EQ(env["NOT_BEFORE"], go_time + " +0000 UTC");
  EXPECT_EQ(env["CERT_PARSEABLE"], "yes");
  EXPECT_EQ(env.count("PARSE_ERROR"), 0u);
  EXPECT_EQ(env["DNS_NAMES"], "login.example.com,www.example.com");

  // CERT_FILENAME: absolute, the certificate and then the issuer chain from the log entry.
  ASSERT_FALSE(env["CERT_FILENAME"].empty());
  EXPECT_EQ(env["CERT_FILENAME"][0], '/');
  Result<std::vector<Bytes>> pem = PemDecodeCertificates(ReadFile(env["CERT_FILENAME"]));
  ASSERT_TRUE(pem) << pem.error().message;
  ASSERT_GE(pem->size(), 3u);
  EXPECT_EQ((*pem)[0], leaf);
  EXPECT_EQ((*pem)[1], intermediate.der());
  EXPECT_EQ((*pem)[2], root.der());
  EXPECT_EQ(env["JSON_FILENAME"][0], '/');
  EXPECT_EQ(env["TEXT_FILENAME"][0], '/');
  EXPECT_THAT(ReadFile(env["TEXT_FILENAME"]), HasSubstr(want.cert_sha256 + ":\n"));

  // JSON_FILENAME as certspotter's: its fields at the top level, ctkit's alert under "ctkit".
  Json seen = Json::parse(ReadFile(jq_file));
  EXPECT_EQ(seen["dns_names"], Json::array({"login.example.com", "www.example.com"}));
  EXPECT_EQ(seen["ip_addresses"], Json::array());
  EXPECT_EQ(seen["pubkey_sha256"], want.pubkey_sha256);
  EXPECT_EQ(seen["tbs_sha256"], want.tbs_sha256);
  EXPECT_EQ(seen["not_before"], want.not_before);
  EXPECT_EQ(seen["not_after"], want.not_after);
  Json file = Json::parse(ReadFile(env["JSON_FILENAME"]));
  EXPECT_EQ(file["ctkit"]["event"], "unexpected_cert");
  EXPECT_EQ(file["entry_index"], "0");

  // Both mails went through the stand-in sendmail found on PATH: the hook's, as certspotter's
  // documentation writes it, and --email's, `sendmail -i -- ADDRESS`.
  const std::string calls = ReadFile(bin + "/sendmail.calls");
  EXPECT_THAT(calls, HasSubstr("call: -i -- security@example.com\n"));
  EXPECT_THAT(calls, HasSubstr("call: -i hook@example.com\n"));
  const std::string mail = ReadFile(bin + "/sendmail.all");
  EXPECT_THAT(mail, HasSubstr("Subject: [certspotter] UNEXPECTED certificate for"));
  EXPECT_THAT(mail, HasSubstr("Subject: [ctkit] UNEXPECTED certificate for"));
  EXPECT_THAT(mail, HasSubstr("DNS Name = login.example.com\n"));
  EXPECT_THAT(mail, HasSubstr(want.cert_sha256));
}

// --email alone, so its message is the one recorded: the arguments, the headers and a body that
// names the certificate: names, issuer, serial, validity, SHA-256, log and index.
TEST_F(CertspotterHooksTest, EmailGoesToSendmailOnPathWithTheCertificate) {
  LocalLog alpha(dir_, "alpha");
  const std::string list = testing::MakeLogList(dir_ + "/logs.json", {&alpha});
  testing::TestCa rogue("Rogue CA");
  const Bytes leaf = rogue.IssueLeaf("login.example.com", 0x77);
  Result<LogClient> client = LogClient::Create(alpha.url, nullptr, {});
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->AddChain(std::vector<Bytes>{leaf, rogue.der()}));
  usleep(600 * 1000);
  const std::string watchlist = Write("watchlist.txt", ".example.com\n");
  const std::string bin = dir_ + "/bin";
  FakeSendmail(bin, "sendmail");
  const char* path = getenv("PATH");
  ScopedEnv path_env("PATH", bin + ":" + (path != nullptr ? path : "/usr/bin:/bin"));
  unsetenv("SENDMAIL_PATH");

  testing::CommandResult run =
      RunCtkit({"monitor", "--once", "--watchlist", watchlist, "--db", dir_ + "/m.db", "--log-list",
                list, "--email", "security@example.com", "--email", "ops@example.org"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(ReadFile(bin + "/sendmail.args"), "-i\n--\nsecurity@example.com\nops@example.org\n");
  const testing::OpenSslView want = testing::ViewWithOpenSsl(leaf);
  const std::string message = ReadFile(bin + "/sendmail.msg");
  EXPECT_THAT(message, HasSubstr("To: security@example.com, ops@example.org\n"));
  EXPECT_THAT(message, HasSubstr("Subject: [ctkit] UNEXPECTED certificate for login.example.com"));
  EXPECT_THAT(message, HasSubstr("Content-Type: text/plain; charset=UTF-8\n"));
  const std::string body = message.substr(message.find("\n\n") + 2);
  EXPECT_THAT(body, HasSubstr("DNS Name = login.example.com\n"));
  EXPECT_THAT(body, HasSubstr("Issuer = " + want.issuer_dn + "\n"));
  EXPECT_THAT(body, HasSubstr("Serial = " + want.serial + "\n"));
  EXPECT_THAT(body, HasSubstr(want.cert_sha256));
  EXPECT_THAT(body, HasSubstr("Log Entry = 0 @ " + alpha.url + "\n"));
  EXPECT_THAT(body, HasSubstr("Not Before = "));
  EXPECT_THAT(body, HasSubstr("Not After = "));
}

// $SENDMAIL_PATH comes first; a sendmail that fails is a delivery error said by the sink's name;
// a failing --script does not keep the next from running.
TEST_F(CertspotterHooksTest, SendmailPathAndFailuresOfOneSinkDoNotStopTheOthers) {
  const std::string bin = dir_ + "/bin";
  FakeSendmail(bin, "sendmail");  // on PATH, but $SENDMAIL_PATH names another
  const std::string chosen = FakeSendmail(dir_ + "/other", "mailer");
  const char* path = getenv("PATH");
  ScopedEnv path_env("PATH", bin + ":" + (path != nullptr ? path : "/usr/bin:/bin"));
  {
    ScopedEnv sendmail_env("SENDMAIL_PATH", chosen);
    const std::string marker = dir_ + "/second-ran";
    testing::CommandResult sent =
        RunCtkit({"monitor", "test-alert", "--email", "ops@example.com", "--script", "exit 3",
                  "--script", "touch '" + marker + "'"});
    EXPECT_EQ(sent.exit_code, 3) << sent.err;  // one sink failed
    EXPECT_THAT(sent.err, HasSubstr("script:exit 3 failed"));
    EXPECT_THAT(sent.err, HasSubstr("email accepted the test alert"));
    EXPECT_TRUE(std::filesystem::exists(marker));
    EXPECT_EQ(ReadFile(chosen + ".args"), "-i\n--\nops@example.com\n");
    EXPECT_THAT(ReadFile(chosen + ".msg"), HasSubstr("To: ops@example.com\n"));
    EXPECT_FALSE(std::filesystem::exists(bin + "/sendmail.args"));
  }
  const std::string failing = FakeSendmail(dir_ + "/broken", "sendmail", 75);
  ScopedEnv sendmail_env("SENDMAIL_PATH", failing);
  testing::CommandResult failed = RunCtkit({"monitor", "test-alert", "--email", "ops@example.com"});
  EXPECT_EQ(failed.exit_code, 3) << failed.err;
  EXPECT_THAT(failed.err, HasSubstr("email failed: email sink: sendmail exited with status 75"));
  // Addresses that could become a flag or a header are refused before anything runs.
  testing::CommandResult refused = RunCtkit({"monitor", "test-alert", "--email", "-oi"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
}

// --alert-expected: a certificate an inventory lists gets the hooks too (certspotter's
// behaviour); without it, only unexpected certificates do.
TEST_F(CertspotterHooksTest, AlertExpectedHooksAnExpectedCertificate) {
  LocalLog alpha(dir_, "alpha");
  const std::string list = testing::MakeLogList(dir_ + "/logs.json", {&alpha});
  const std::string ca = dir_ + "/example-ca";
  ASSERT_EQ(RunCtkit({"ca", "init", "--dir", ca, "--name", "Example Corp CA", "--log", alpha.url,
                      "--log-list", list})
                .exit_code,
            0);
  testing::CommandResult issued = RunCtkit({"ca", "issue", "--dir", ca, "--name", "www.example.com",
                                            "--min-logs", "1", "--out", dir_ + "/www.pem"});
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  const std::string inventory =
      Write("inventory.jsonl", RunCtkit({"ca", "inventory", "--dir", ca}).out);
  const std::string watchlist = Write("watchlist.txt", ".example.com\n");
  usleep(600 * 1000);
  const std::string env_file = dir_ + "/hook.env";
  const std::string hook = Write("hook.sh", "#!/bin/sh\nenv > '" + env_file + "'\n", true);

  std::vector<std::string> args = {"monitor",    "--once", "--watchlist", watchlist,
                                   "--log-list", list,     "--inventory", inventory,
                                   "--script",   hook};
  std::vector<std::string> quiet = args;
  quiet.insert(quiet.end(), {"--db", dir_ + "/quiet.db"});
  testing::CommandResult without = RunCtkit(quiet);
  EXPECT_EQ(without.exit_code, 0) << without.err;  // expected: no alert
  EXPECT_FALSE(std::filesystem::exists(env_file));

  std::vector<std::string> loud = args;
  loud.insert(loud.end(), {"--db", dir_ + "/loud.db", "--alert-expected"});
  testing::CommandResult with = RunCtkit(loud);
  EXPECT_EQ(with.exit_code, 1) << with.err;
  std::map<std::string, std::string> env = ParseEnv(ReadFile(env_file));
  EXPECT_EQ(env["EVENT"], "discovered_cert");
  EXPECT_EQ(env["CTKIT_EVENT"], "expected_cert");
  EXPECT_EQ(env["CTKIT_EXPECTED"], "yes");
  EXPECT_EQ(env["WATCH_ITEM"], ".example.com");
  EXPECT_THAT(env["DNS_NAMES"], HasSubstr("www.example.com"));
  // The log holds the CA's precertificate: CERT_FILENAME has it and its issuer chain.
  Result<std::vector<Bytes>> pem = PemDecodeCertificates(ReadFile(env["CERT_FILENAME"]));
  ASSERT_TRUE(pem) << pem.error().message;
  EXPECT_GE(pem->size(), 2u);
}

}  // namespace
}  // namespace ctkit
