// `ctkit log sth | entries | consistency | inclusion` end to end: the real binary against a real
// `ctkit log serve --api both` on 127.0.0.1, over RFC 6962 and over static-ct-api (by --static,
// and automatically for a log listed under tiled_logs), with exit codes 0/1/2/3 and the
// --format json fields.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cert_factory.h"
#include "ct/log_key.h"
#include "ct/log_signer.h"
#include "ct/sct.h"
#include "logclient/log_client.h"
#include "logserver/log_process.h"
#include "run_command.h"
#include "test_support.h"

namespace ctkit {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::LogProcess;
using testing::RunCtkit;
using ::testing::StartsWith;

constexpr char kOrigin[] = "localhost/ctkit-cli-test";
constexpr char kDescription[] = "CLI Test Log";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// Port 1 on loopback: nothing listens there, so connecting is refused at once.
constexpr char kNoLog[] = "http://127.0.0.1:1/";

class LogClientCommandsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char dir[] = "/tmp/ctkit-log-cli-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = new std::string(dir);
    auto keygen = RunCtkit({"log", "keygen", "--out", *dir_ + "/log.key"});
    ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
    auto signer = LogSigner::FromPem(ReadFile(*dir_ + "/log.key"));
    ASSERT_TRUE(signer);
    const Bytes& spki = (*signer)->public_key_der();
    WriteFile(*dir_ + "/key.der", std::string(spki.begin(), spki.end()));
    log_id_ = new std::string(Base64Encode((*signer)->log_id()));
    log_ = new LogProcess(*dir_, {"--api", "both", "--origin", kOrigin});
    ASSERT_GT(log_->port(), 0);
    url_ = new std::string("http://127.0.0.1:" + std::to_string(log_->port()) + "/");

    // An RFC 6962 list naming the log by its URL, and a list naming it as a tiled log: its
    // monitoring URL is the server, its submission URL gives the checkpoint origin.
    auto list = RunCtkit({"log", "make-list", "--out", *dir_ + "/list.json", "--log",
                          "operator=Test,url=" + *url_ + ",key=" + *dir_ + "/log.key" +
                              ",description=" + kDescription});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    json tiled = json::parse(ReadFile(*dir_ + "/list.json"));
    json log = tiled["operators"][0]["logs"][0];
    log.erase("url");
    log["submission_url"] = std::string("https://") + kOrigin + "/";
    log["monitoring_url"] = *url_;
    tiled["operators"][0]["logs"] = json::array();
    tiled["operators"][0]["tiled_logs"] = json::array({log});
    WriteFile(*dir_ + "/tiled.json", tiled.dump(2));

    // A CA whose certificates carry an SCT from the log (with the leaf_index extension, as the
    // log serves the static API).
    auto init = RunCtkit(
        {"ca", "init", "--dir", *dir_ + "/ca", "--log", *url_, "--log-list", *dir_ + "/list.json"});
    ASSERT_EQ(init.exit_code, 0) << init.out << init.err;
    auto issue = RunCtkit({"ca", "issue", "--dir", *dir_ + "/ca", "--name", "www.example.com",
                           "--min-logs", "1", "--out", *dir_ + "/www.pem"});
    ASSERT_EQ(issue.exit_code, 0) << issue.out << issue.err;
    // More entries, from two submitters, so there is something to page through.
    for (int i = 0; i < 5; ++i) {
      auto more = RunCtkit({"ca", "issue", "--dir", *dir_ + "/ca", "--name",
                            "e" + std::to_string(i) + ".example.com", "--min-logs", "1", "--out",
                            *dir_ + "/e" + std::to_string(i) + ".pem"});
      ASSERT_EQ(more.exit_code, 0) << more.out << more.err;
    }
    WaitForSize(6);
  }
  static void TearDownTestSuite() {
    delete log_;
    (void)system(("rm -rf " + *dir_).c_str());
    delete dir_;
    delete url_;
    delete log_id_;
  }

  // Polls `log sth` until the log's tree holds `size` entries.
  static void WaitForSize(uint64_t size) {
    for (int attempt = 0; attempt < 200; ++attempt) {
      auto sth =
          RunCtkit({"log", "sth", "--log", *url_, "--key", *dir_ + "/key.der", "--format", "json"});
      if (sth.exit_code == 0 && json::parse(sth.out)["tree_size"].get<uint64_t>() >= size) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "the log never reached size " << size;
  }

  std::string Path(const std::string& name) const { return *dir_ + "/" + name; }

  static std::string* dir_;
  static std::string* url_;
  static std::string* log_id_;
  static LogProcess* log_;
};

std::string* LogClientCommandsTest::dir_ = nullptr;
std::string* LogClientCommandsTest::url_ = nullptr;
std::string* LogClientCommandsTest::log_id_ = nullptr;
LogProcess* LogClientCommandsTest::log_ = nullptr;

TEST_F(LogClientCommandsTest, SthOverBothApis) {
  auto rfc = RunCtkit({"log", "sth", "--log", *url_, "--key", Path("key.der"), "--format", "json"});
  ASSERT_EQ(rfc.exit_code, 0) << rfc.err;
  json a = json::parse(rfc.out);
  EXPECT_EQ(a["api"], "rfc6962");
  EXPECT_EQ(a["verified"], true);
  EXPECT_FALSE(a.contains("checkpoint"));

  auto tiles = RunCtkit({"log", "sth", "--log", *url_, "--key", Path("key.der"), "--static",
                         "--origin", kOrigin, "--format", "json"});
  ASSERT_EQ(tiles.exit_code, 0) << tiles.err;
  json b = json::parse(tiles.out);
  EXPECT_EQ(b["api"], "static-ct-api");
  EXPECT_EQ(b["verified"], true);
  EXPECT_EQ(b["origin"], kOrigin);
  EXPECT_THAT(b["checkpoint"].get<std::string>(), StartsWith(std::string(kOrigin) + "\n"));
  EXPECT_EQ(b["tree_size"], a["tree_size"]);
  EXPECT_EQ(b["root_hash"], a["root_hash"]);
  EXPECT_EQ(a["root_hash"].get<std::string>().size(), 64u);  // hex (docs/json-output.md)
  for (const char* field : {"log", "timestamp", "tree_head_signature", "timestamp_rfc3339"}) {
    EXPECT_TRUE(b.contains(field)) << field;
  }

  auto text = RunCtkit({"log", "sth", "--log", *url_, "--key", Path("key.der"), "--static"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("api:        static-ct-api (origin " + std::string(kOrigin)));
  EXPECT_THAT(text.out, HasSubstr("signature:  verified"));
}

TEST_F(LogClientCommandsTest, TiledLogsFromTheListAreReadOverStaticCtApi) {
  // By description, by log ID and by monitoring URL; the origin comes from submission_url.
  for (const std::string& name : {std::string(kDescription), *log_id_, *url_}) {
    SCOPED_TRACE(name);
    auto sth = RunCtkit(
        {"log", "sth", "--log", name, "--log-list", Path("tiled.json"), "--format", "json"});
    ASSERT_EQ(sth.exit_code, 0) << sth.err;
    json out = json::parse(sth.out);
    EXPECT_EQ(out["api"], "static-ct-api");
    EXPECT_EQ(out["origin"], kOrigin);
    EXPECT_EQ(out["log"], *url_);
  }
  // The RFC 6962 list by description: RFC 6962.
  auto rfc = RunCtkit(
      {"log", "sth", "--log", kDescription, "--log-list", Path("list.json"), "--format", "json"});
  ASSERT_EQ(rfc.exit_code, 0) << rfc.err;
  EXPECT_EQ(json::parse(rfc.out)["api"], "rfc6962");
  // A name the list does not have, or no list entry and no key: bad usage.
  auto unknown = RunCtkit({"log", "sth", "--log", "No Such Log", "--log-list", Path("tiled.json")});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("No Such Log"));
  auto no_key = RunCtkit({"log", "sth", "--log", kNoLog, "--static"});
  EXPECT_EQ(no_key.exit_code, 2) << no_key.err;
}

TEST_F(LogClientCommandsTest, SthFailures) {
  // Another log's key: the checkpoint (or head) does not verify.
  auto other = LogSigner::Generate();
  ASSERT_TRUE(other);
  const Bytes& spki = (*other)->public_key_der();
  WriteFile(Path("other.der"), std::string(spki.begin(), spki.end()));
  for (bool is_static : {false, true}) {
    SCOPED_TRACE(is_static);
    std::vector<std::string> args = {"log",      "sth", "--log", *url_, "--key", Path("other.der"),
                                     "--format", "json"};
    if (is_static) args.push_back("--static");
    auto wrong = RunCtkit(args);
    EXPECT_EQ(wrong.exit_code, 1) << wrong.err;
    json out = json::parse(wrong.out);
    EXPECT_EQ(out["verified"], false);
    EXPECT_TRUE(out["reason"].is_string());
    EXPECT_FALSE(out.contains("error"));  // a result, not the error object
  }
  // A wrong origin.
  auto origin = RunCtkit({"log", "sth", "--log", *url_, "--key", Path("key.der"), "--static",
                          "--origin", "localhost/other"});
  EXPECT_EQ(origin.exit_code, 1);
  EXPECT_THAT(origin.err, HasSubstr("origin"));
  // Nothing listening: the network failed.
  auto down = RunCtkit({"log", "sth", "--log", kNoLog, "--key", Path("key.der"), "--static"});
  EXPECT_EQ(down.exit_code, 3) << down.err;
  EXPECT_THAT(down.err, HasSubstr("checkpoint"));
  // An unreadable key file.
  auto bad_key = RunCtkit({"log", "sth", "--log", *url_, "--key", Path("missing.der")});
  EXPECT_EQ(bad_key.exit_code, 2);
}

TEST_F(LogClientCommandsTest, EntriesAreTheSameOverBothApis) {
  auto rfc = RunCtkit(
      {"log", "entries", "--log", *url_, "--start", "0", "--end", "5", "--format", "json"});
  ASSERT_EQ(rfc.exit_code, 0) << rfc.err;
  // Static without a key (tile widths from the unverified checkpoint), and from the tiled list.
  auto tiles = RunCtkit({"log", "entries", "--log", *url_, "--static", "--start", "0", "--end", "5",
                         "--format", "json"});
  ASSERT_EQ(tiles.exit_code, 0) << tiles.err;
  auto listed = RunCtkit({"log", "entries", "--log", kDescription, "--log-list", Path("tiled.json"),
                          "--start", "0", "--end", "5", "--format", "json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(tiles.out, rfc.out);
  EXPECT_EQ(listed.out, rfc.out);
  std::istringstream lines(tiles.out);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    json entry = json::parse(line);
    EXPECT_EQ(entry["index"], count);
    for (const char* field :
         {"timestamp", "entry_type", "leaf_hash", "names", "leaf_input", "extra_data"}) {
      EXPECT_TRUE(entry.contains(field)) << field;
    }
    ++count;
  }
  EXPECT_EQ(count, 6);
  // Text output names the certificates.
  auto text =
      RunCtkit({"log", "entries", "--log", *url_, "--static", "--start", "0", "--end", "0"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("www.example.com"));
  // Beyond the checkpoint is bad usage; --start after --end too; no log is a network failure.
  auto beyond =
      RunCtkit({"log", "entries", "--log", *url_, "--static", "--start", "0", "--end", "100000"});
  EXPECT_EQ(beyond.exit_code, 2) << beyond.err;
  auto reversed =
      RunCtkit({"log", "entries", "--log", *url_, "--static", "--start", "3", "--end", "2"});
  EXPECT_EQ(reversed.exit_code, 2);
  auto down =
      RunCtkit({"log", "entries", "--log", kNoLog, "--static", "--start", "0", "--end", "0"});
  EXPECT_EQ(down.exit_code, 3);
}

TEST_F(LogClientCommandsTest, EntriesPastTheTreeAreBadUsageOverBothApis) {
  auto sth = RunCtkit({"log", "sth", "--log", *url_, "--key", Path("key.der"), "--format", "json"});
  ASSERT_EQ(sth.exit_code, 0) << sth.err;
  const uint64_t size = json::parse(sth.out)["tree_size"].get<uint64_t>();
  const std::string end = std::to_string(size + 2);
  const std::string said = "--end " + end + " is past the log's tree: its tree size is " +
                           std::to_string(size) + ", so the last entry is " +
                           std::to_string(size - 1) + "\n";
  // Checked against the head before any entry is fetched: nothing printed, one line, exit 2,
  // the same over RFC 6962 (with and without a key) and over static-ct-api.
  for (std::vector<std::string> extra :
       std::vector<std::vector<std::string>>{{}, {"--key", Path("key.der")}, {"--static"}}) {
    std::vector<std::string> args = {"log",     "entries", "--log", *url_,
                                     "--start", "0",       "--end", end};
    args.insert(args.end(), extra.begin(), extra.end());
    auto run = RunCtkit(args);
    EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
    EXPECT_EQ(run.out, "");
    EXPECT_EQ(run.err, "ctkit: log entries: " + said);
  }
  // The last entry itself is fine.
  auto last = RunCtkit({"log", "entries", "--log", *url_, "--start", std::to_string(size - 1),
                        "--end", std::to_string(size - 1)});
  EXPECT_EQ(last.exit_code, 0) << last.err;
}

TEST_F(LogClientCommandsTest, SthOutDashIsStandardOutputAndKeygenKeysAreKeys) {
  // --key takes the log's private key as `log keygen` wrote it.
  auto saved = RunCtkit({"log", "sth", "--log", *url_, "--key", Path("log.key"), "--out", "-"});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  // The saved head (get-sth JSON) on stdout, the text summary on stderr.
  json head = json::parse(saved.out, nullptr, false);
  ASSERT_TRUE(head.is_object()) << saved.out;
  EXPECT_TRUE(head.contains("sha256_root_hash"));
  EXPECT_THAT(saved.err, HasSubstr("signature:  verified"));
}

TEST_F(LogClientCommandsTest, ConsistencyFromSavedHeads) {
  // Save a checkpoint (static) and a get-sth head (RFC 6962), then grow the log.
  auto saved = RunCtkit({"log", "sth", "--log", kDescription, "--log-list", Path("tiled.json"),
                         "--out", Path("old.checkpoint")});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  EXPECT_THAT(ReadFile(Path("old.checkpoint")), StartsWith(std::string(kOrigin) + "\n"));
  auto saved_json =
      RunCtkit({"log", "sth", "--log", *url_, "--key", Path("key.der"), "--out", Path("old.json")});
  ASSERT_EQ(saved_json.exit_code, 0) << saved_json.err;
  uint64_t old_size = json::parse(ReadFile(Path("old.json")))["tree_size"];
  auto issue = RunCtkit({"ca", "issue", "--dir", Path("ca"), "--name", "later.example.com",
                         "--min-logs", "1", "--out", Path("later.pem")});
  ASSERT_EQ(issue.exit_code, 0) << issue.err;
  WaitForSize(old_size + 1);

  // Both head formats, over both APIs.
  for (const std::string& old_file : {Path("old.checkpoint"), Path("old.json")}) {
    for (bool is_static : {true, false}) {
      SCOPED_TRACE(old_file + (is_static ? " static" : " rfc6962"));
      std::vector<std::string> args = {"log",      "consistency",   "--log",     *url_,
                                       "--key",    Path("key.der"), "--old-sth", old_file,
                                       "--format", "json"};
      if (is_static) args.insert(args.end(), {"--static", "--origin", kOrigin});
      auto result = RunCtkit(args);
      ASSERT_EQ(result.exit_code, 0) << result.err;
      json out = json::parse(result.out);
      EXPECT_EQ(out["consistent"], true);
      EXPECT_EQ(out["api"], is_static ? "static-ct-api" : "rfc6962");
      EXPECT_EQ(out["old"]["tree_size"], old_size);
      EXPECT_GT(out["new"]["tree_size"].get<uint64_t>(), old_size);
    }
  }
  // A checkpoint whose size was edited: its signature fails (1). Garbage: unreadable (2).
  std::string note = ReadFile(Path("old.checkpoint"));
  size_t line = note.find('\n') + 1;
  note.replace(line, note.find('\n', line) - line, std::to_string(old_size + 1000));
  WriteFile(Path("edited.checkpoint"), note);
  auto edited = RunCtkit({"log", "consistency", "--log", kDescription, "--log-list",
                          Path("tiled.json"), "--old-sth", Path("edited.checkpoint")});
  EXPECT_EQ(edited.exit_code, 1) << edited.err;
  WriteFile(Path("garbage.checkpoint"), "not a head\n");
  auto garbage = RunCtkit({"log", "consistency", "--log", kDescription, "--log-list",
                           Path("tiled.json"), "--old-sth", Path("garbage.checkpoint")});
  EXPECT_EQ(garbage.exit_code, 2) << garbage.err;
  auto down = RunCtkit({"log", "consistency", "--log", kNoLog, "--key", Path("key.der"), "--static",
                        "--origin", kOrigin, "--old-sth", Path("old.checkpoint")});
  EXPECT_EQ(down.exit_code, 3) << down.err;
}

TEST_F(LogClientCommandsTest, InclusionOverBothApis) {
  for (const std::vector<std::string>& target :
       {std::vector<std::string>{"--log", kDescription, "--log-list", Path("tiled.json")},
        std::vector<std::string>{"--log", *url_, "--key", Path("key.der")}}) {
    SCOPED_TRACE(target[1]);
    std::vector<std::string> args = {"log",           "inclusion", "--cert",
                                     Path("www.pem"), "--format",  "json"};
    args.insert(args.end(), target.begin(), target.end());
    auto result = RunCtkit(args);
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    json out = json::parse(result.out);
    EXPECT_EQ(out["included"], true);
    EXPECT_EQ(out["leaf_index"], 0);
    EXPECT_EQ(out["sct_signature"], "valid");
    EXPECT_EQ(out["api"], target[1] == kDescription ? "static-ct-api" : "rfc6962");
  }
  auto text = RunCtkit({"log", "inclusion", "--log", kDescription, "--log-list", Path("tiled.json"),
                        "--cert", Path("e2.pem")});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("leaf index: 3"));
  // A certificate with no SCT from this log (the log's own key is another's): 1.
  auto other = LogSigner::Generate();
  const Bytes& spki = (*other)->public_key_der();
  WriteFile(Path("other2.der"), std::string(spki.begin(), spki.end()));
  auto no_sct = RunCtkit({"log", "inclusion", "--log", *url_, "--key", Path("other2.der"),
                          "--static", "--cert", Path("www.pem")});
  EXPECT_EQ(no_sct.exit_code, 1) << no_sct.err;
  // An unreadable certificate: 2. No log: 3.
  auto unreadable = RunCtkit({"log", "inclusion", "--log", kDescription, "--log-list",
                              Path("tiled.json"), "--cert", Path("missing.pem")});
  EXPECT_EQ(unreadable.exit_code, 2);
  auto down = RunCtkit({"log", "inclusion", "--log", kNoLog, "--key", Path("key.der"), "--static",
                        "--cert", Path("www.pem")});
  EXPECT_EQ(down.exit_code, 3) << down.err;
}

// A certificate whose precertificate a Precertificate Signing Certificate signed (RFC 6962 §3.1):
// the log signed an entry with the signing certificate's issuer and AKI in the TBS and the key
// hash of the CA above it (§3.2); `log inclusion --cert` rebuilds the same entry from the final
// certificate and that CA, and finds it in the log.
TEST(LogInclusionThroughASigningCertificateTest, TheFinalCertificateIsFoundInTheLog) {
  char dir_template[] = "/tmp/ctkit-log-cli-psc-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  ASSERT_EQ(RunCtkit({"log", "keygen", "--out", dir + "/log.key"}).exit_code, 0);
  auto signer = LogSigner::FromPem(ReadFile(dir + "/log.key"));
  ASSERT_TRUE(signer);
  const Bytes& spki = (*signer)->public_key_der();
  WriteFile(dir + "/key.der", std::string(spki.begin(), spki.end()));
  LogProcess log(dir);
  ASSERT_GT(log.port(), 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(log.port()) + "/";

  const testing::TestCa ca("PSC Test CA", {.key_usage = "critical,keyCertSign,cRLSign"});
  const testing::TestCa signing =
      ca.IssueCa("PSC Test CA Precertificate Signing",
                 {.extended_key_usage = "critical,1.3.6.1.4.1.11129.2.4.4"});
  const Bytes precert = signing.IssueLeaf("psc.example.com", 7, /*precertificate=*/true);
  auto key = LogKey::FromSpkiDer(spki);
  ASSERT_TRUE(key);
  auto client = LogClient::Create(url, *key);
  ASSERT_TRUE(client) << client.error().message;
  // The client checks the SCT against the entry it built through the signing certificate.
  auto sct = client->AddPreChain(std::vector<Bytes>{precert, signing.der(), ca.der()});
  ASSERT_TRUE(sct) << sct.error().message;
  const Bytes list = *SerializeSctList(std::vector<Bytes>{*SerializeSct(*sct)});
  const Bytes final_cert = ca.IssueFromPrecertificate(precert, list);
  const Bytes ca_der = ca.der();
  Bytes file = final_cert;
  file.insert(file.end(), ca_der.begin(), ca_der.end());  // DER, the issuer after the leaf
  WriteFile(dir + "/final.der", std::string(file.begin(), file.end()));

  testing::CommandResult result;
  for (int attempt = 0; attempt < 100; ++attempt) {  // until the log has integrated it
    result = RunCtkit({"log", "inclusion", "--log", url, "--key", dir + "/key.der", "--cert",
                       dir + "/final.der", "--format", "json"});
    if (result.exit_code == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  json out = json::parse(result.out);
  EXPECT_EQ(out["included"], true);
  EXPECT_EQ(out["leaf_index"], 0);
  EXPECT_EQ(out["sct_signature"], "valid");
  (void)system(("rm -rf " + dir).c_str());
}

}  // namespace
}  // namespace ctkit
