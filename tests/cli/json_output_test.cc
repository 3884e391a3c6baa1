// One JSON style for every `--format json` of ctkit (docs/json-output.md): the real binary, per
// command, against real inputs (files it made, a real `ctkit log serve` on 127.0.0.1, a CA issuing
// through it, a monitor database filled from it). Each output parses in the form stated for its
// command (one pretty-printed document, or JSON Lines of compact objects), every hash and ID
// field has the encoding documented for its name, and a command asked for JSON whose log cannot
// be reached (a loopback port with nothing listening, chosen at run time) prints the error object
// with code 3.

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "logserver/log_process.h"
#include "run_command.h"

namespace ctkit {
namespace {

using json = nlohmann::ordered_json;
using testing::CommandResult;
using ::testing::HasSubstr;
using testing::LogProcess;
using testing::RunCtkit;

enum class Form { kDocument, kLines };

// docs/json-output.md "Encodings": the encoding of each hash and ID field name, in every
// command's output (the monitor's alerts keep their own, and are not checked here).
const std::map<std::string, std::string>& FieldEncodings() {
  static const auto* encodings = new std::map<std::string, std::string>{
      {"leaf_hash", "hex"},
      {"root_hash", "hex"},
      {"old_root", "hex"},
      {"new_root", "hex"},
      {"audit_path", "hex"},
      {"consistency", "hex"},
      {"sha256", "hex"},
      {"tbs_sha256", "hex"},
      {"issuer_key_hash", "hex"},
      {"log_id", "base64-32"},
      {"sha256_root_hash", "base64-32"},
      {"leaf_input", "base64"},
      {"extra_data", "base64"},
      {"tree_head_signature", "base64"},
  };
  return *encodings;
}

bool HasEncoding(const std::string& value, const std::string& encoding) {
  static const std::regex hex("^[0-9a-f]{64}$");
  static const std::regex base64_32("^[A-Za-z0-9+/]{43}=$");
  static const std::regex base64("^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$");
  if (encoding == "hex") return std::regex_match(value, hex);
  if (encoding == "base64-32") return std::regex_match(value, base64_32);
  return !value.empty() && std::regex_match(value, base64);
}

// Checks every field of `value`, at any depth, whose name has a documented encoding (a string,
// or an array of strings; null where the field has no value); records the names seen.
void CheckEncodings(const json& value, const std::string& path, std::set<std::string>& seen) {
  if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      CheckEncodings(value[i], path + "[" + std::to_string(i) + "]", seen);
    }
    return;
  }
  if (!value.is_object()) return;
  for (const auto& [key, field] : value.items()) {
    auto encoding = FieldEncodings().find(key);
    if (encoding != FieldEncodings().end() && !field.is_null()) {
      seen.insert(key);
      std::vector<json> strings =
          field.is_array() ? field.get<std::vector<json>>() : std::vector<json>{field};
      for (const json& item : strings) {
        ASSERT_TRUE(item.is_string()) << path << "." << key << ": " << item.dump();
        EXPECT_TRUE(HasEncoding(item.get<std::string>(), encoding->second))
            << path << "." << key << " is not " << encoding->second << ": " << item.dump();
      }
      continue;
    }
    CheckEncodings(field, path + "." + key, seen);
  }
}

// The objects `out` holds, checked to be in `form`: one document pretty-printed with two spaces
// and a newline (exactly as it re-prints), or lines each one compact object.
std::vector<json> ParseForm(const std::string& out, Form form) {
  std::vector<json> objects;
  if (form == Form::kDocument) {
    json document = json::parse(out, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(document.is_object()) << "not one JSON document:\n" << out;
    if (!document.is_object()) return objects;
    EXPECT_EQ(out, document.dump(2) + "\n") << "not pretty-printed with 2 spaces";
    objects.push_back(std::move(document));
    return objects;
  }
  EXPECT_FALSE(out.empty());
  EXPECT_TRUE(out.empty() || out.back() == '\n') << out;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    json object = json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(object.is_object()) << "a line that is not a JSON object: " << line;
    if (!object.is_object()) continue;
    EXPECT_EQ(line, object.dump()) << "not compact";
    objects.push_back(std::move(object));
  }
  return objects;
}

// Runs `args` (with --format json where the command takes it), expecting `exit_code`, and checks
// the output's form and encodings; `fields` must all occur (so the check is not vacuous).
std::vector<json> RunJson(const std::vector<std::string>& args, Form form, int exit_code,
                          const std::set<std::string>& fields) {
  std::string command;
  for (const std::string& arg : args) command += arg + " ";
  SCOPED_TRACE(command);
  CommandResult result = RunCtkit(args);
  EXPECT_EQ(result.exit_code, exit_code) << result.out << result.err;
  std::vector<json> objects = ParseForm(result.out, form);
  std::set<std::string> seen;
  for (const json& object : objects) {
    EXPECT_FALSE(object.contains("error")) << "a result with a top-level error: " << object.dump();
    CheckEncodings(object, "", seen);
  }
  for (const std::string& field : fields) EXPECT_TRUE(seen.contains(field)) << field;
  return objects;
}

// Runs `args`, expecting it to fail with `code`, standard output being only the error object in
// `form` and one line on stderr.
void ExpectErrorObject(const std::vector<std::string>& args, Form form, int code,
                       const std::string& kind) {
  std::string command;
  for (const std::string& arg : args) command += arg + " ";
  SCOPED_TRACE(command);
  CommandResult result = RunCtkit(args);
  EXPECT_EQ(result.exit_code, code) << result.out << result.err;
  std::vector<json> objects = ParseForm(result.out, form);
  ASSERT_EQ(objects.size(), 1u) << result.out;
  const json& error = objects[0]["error"];
  ASSERT_TRUE(error.is_object()) << result.out;
  EXPECT_EQ(objects[0].size(), 1u) << result.out;
  EXPECT_EQ(error["code"], code);
  EXPECT_EQ(error["kind"], kind);
  ASSERT_TRUE(error["message"].is_string());
  // The same failure as the line on standard error (whose command prefix may be spelled
  // "ctkit monitor query: " rather than "ctkit: monitor query: ").
  const std::string message = error["message"].get<std::string>();
  const size_t colon = message.find(": ");
  EXPECT_THAT(result.err, HasSubstr(colon == std::string::npos ? message : message.substr(colon)));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// A loopback port nothing listens on: bound to learn a free one, then closed.
int DeadPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  close(fd);
  return ntohs(address.sin_port);
}

class JsonOutputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char dir[] = "/tmp/ctkit-json-output-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = new std::string(dir);
    ASSERT_EQ(RunCtkit({"log", "keygen", "--out", Path("log.key")}).exit_code, 0);
    log_ = new LogProcess(*dir_, {"--api", "both"});
    ASSERT_GT(log_->port(), 0);
    url_ = new std::string("http://127.0.0.1:" + std::to_string(log_->port()) + "/");
    dead_ = new std::string("http://127.0.0.1:" + std::to_string(DeadPort()) + "/");
    CommandResult list =
        RunCtkit({"log", "make-list", "--out", Path("list.json"), "--log",
                  "operator=Test,url=" + *url_ + ",key=" + Path("log.key") + ",description=Test"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    CommandResult init = RunCtkit(
        {"ca", "init", "--dir", Path("ca"), "--log", *url_, "--log-list", Path("list.json")});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    // One certificate issued in JSON (checked below), one in text.
    issued_ = new std::vector<json>(
        RunJson({"ca", "issue", "--dir", Path("ca"), "--name", "www.example.com", "--min-logs", "1",
                 "--out", Path("www.pem"), "--format", "json"},
                Form::kLines, 0, {"sha256", "tbs_sha256", "log_id"}));
    CommandResult more = RunCtkit({"ca", "issue", "--dir", Path("ca"), "--name", "api.example.com",
                                   "--min-logs", "1", "--out", Path("api.pem")});
    ASSERT_EQ(more.exit_code, 0) << more.err;
    // Until the log has integrated both.
    for (int attempt = 0; attempt < 200; ++attempt) {
      CommandResult sth = RunCtkit({"log", "sth", "--log", *url_, "--log-list", Path("list.json"),
                                    "--out", Path("head.json"), "--format", "json"});
      if (sth.exit_code == 0 && json::parse(sth.out)["tree_size"].get<uint64_t>() >= 2) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "the log never reached size 2";
  }
  static void TearDownTestSuite() {
    delete log_;
    (void)system(("rm -rf " + *dir_).c_str());
    delete dir_;
    delete url_;
    delete dead_;
    delete issued_;
  }

  static std::string Path(const std::string& name) { return *dir_ + "/" + name; }
  // --log URL --log-list LIST for the running log, or for the dead port.
  static std::vector<std::string> Log(const std::string& url) {
    return {"--log", url, "--log-list", Path("list.json"), "--key", Path("log.key")};
  }
  static std::vector<std::string> With(std::vector<std::string> args,
                                       const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  static std::string* dir_;
  static std::string* url_;
  static std::string* dead_;
  static std::vector<json>* issued_;
  static LogProcess* log_;
};

std::string* JsonOutputTest::dir_ = nullptr;
std::string* JsonOutputTest::url_ = nullptr;
std::string* JsonOutputTest::dead_ = nullptr;
std::vector<json>* JsonOutputTest::issued_ = nullptr;
LogProcess* JsonOutputTest::log_ = nullptr;

TEST_F(JsonOutputTest, CaIssuePrintsOneInventoryLine) {
  ASSERT_EQ(issued_->size(), 1u);
  EXPECT_EQ((*issued_)[0]["names"][0], "www.example.com");
  // The same object as its line of `ca inventory`.
  std::vector<json> inventory =
      RunJson({"ca", "inventory", "--dir", Path("ca")}, Form::kLines, 0, {"sha256", "log_id"});
  ASSERT_EQ(inventory.size(), 2u);
  EXPECT_EQ(inventory[0], (*issued_)[0]);
}

TEST_F(JsonOutputTest, ProofAndTreeAreDocumentsInHex) {
  for (const char* leaf : {"a", "b", "c", "d", "e"}) WriteFile(Path(leaf), leaf);
  std::vector<std::string> leaves = {Path("a"), Path("b"), Path("c"), Path("d"), Path("e")};
  RunJson(With({"tree", "--format", "json"}, leaves), Form::kDocument, 0, {"root_hash"});
  std::vector<json> inclusion =
      RunJson(With({"tree", "--format", "json", "--prove-inclusion", "3"}, leaves), Form::kDocument,
              0, {"leaf_hash", "root_hash", "audit_path"});
  std::vector<json> consistency =
      RunJson(With({"tree", "--format", "json", "--prove-consistency", "2"}, leaves),
              Form::kDocument, 0, {"old_root", "new_root", "consistency"});
  ASSERT_EQ(inclusion.size(), 1u);
  ASSERT_EQ(consistency.size(), 1u);
  WriteFile(Path("inclusion.json"), inclusion[0].dump());
  WriteFile(Path("consistency.json"), consistency[0].dump());
  std::vector<json> verified =
      RunJson({"proof", "inclusion", "--json", Path("inclusion.json"), "--format", "json"},
              Form::kDocument, 0, {"leaf_hash", "root_hash", "audit_path"});
  ASSERT_EQ(verified.size(), 1u);
  EXPECT_EQ(verified[0]["verified"], true);
  EXPECT_TRUE(verified[0]["reason"].is_null());
  RunJson({"proof", "consistency", "--json", Path("consistency.json"), "--format", "json"},
          Form::kDocument, 0, {"old_root", "new_root", "consistency"});
  // A proof that does not verify is a result (exit 1) saying why, not an error object.
  std::vector<json> wrong = RunJson(
      {"proof", "inclusion", "--json", Path("inclusion.json"), "--index", "2", "--format", "json"},
      Form::kDocument, 1, {"root_hash"});
  ASSERT_EQ(wrong.size(), 1u);
  EXPECT_EQ(wrong[0]["verified"], false);
  EXPECT_TRUE(wrong[0]["reason"].is_string());
  // Bad usage: the error object, code 2, also when CLI11 finds it.
  ExpectErrorObject({"proof", "inclusion", "--index", "1", "--format", "json"}, Form::kDocument, 2,
                    "usage");
  ExpectErrorObject({"tree", Path("missing"), "--format", "json"}, Form::kDocument, 2, "usage");
  ExpectErrorObject({"log", "sth", "--format", "json"}, Form::kDocument, 2, "usage");
  ExpectErrorObject({"log", "entries", "--format", "json", "--log", *url_}, Form::kLines, 2,
                    "usage");
}

TEST_F(JsonOutputTest, LogCommandsPrintHashesInHex) {
  std::vector<json> sth = RunJson(With({"log", "sth", "--format", "json"}, Log(*url_)),
                                  Form::kDocument, 0, {"root_hash", "tree_head_signature"});
  ASSERT_EQ(sth.size(), 1u);
  EXPECT_FALSE(sth[0].contains("sha256_root_hash"));
  // `--out` saves RFC 6962 get-sth JSON (base64), which `log consistency --old-sth` reads.
  json saved = json::parse(ReadFile(Path("head.json")));
  std::set<std::string> seen;
  CheckEncodings(saved, "head.json", seen);
  EXPECT_TRUE(seen.contains("sha256_root_hash"));

  RunJson(With({"log", "entries", "--format", "json", "--start", "0", "--end", "1"}, Log(*url_)),
          Form::kLines, 0, {"leaf_hash", "issuer_key_hash", "leaf_input", "extra_data"});
  RunJson(With({"log", "entries", "--format", "json", "--start", "0", "--end", "1", "--static"},
               Log(*url_)),
          Form::kLines, 0, {"leaf_hash", "leaf_input", "extra_data"});
  RunJson(
      With({"log", "consistency", "--format", "json", "--old-sth", Path("head.json")}, Log(*url_)),
      Form::kDocument, 0, {"root_hash", "tree_head_signature"});
  // The document `log sth --format json` printed is read back as a head too.
  WriteFile(Path("printed.json"), sth[0].dump(2));
  RunJson(With({"log", "consistency", "--format", "json", "--old-sth", Path("printed.json")},
               Log(*url_)),
          Form::kDocument, 0, {"root_hash"});
  std::vector<json> inclusion =
      RunJson(With({"log", "inclusion", "--format", "json", "--cert", Path("www.pem")}, Log(*url_)),
              Form::kDocument, 0, {"leaf_hash", "root_hash"});
  ASSERT_EQ(inclusion.size(), 1u);
  EXPECT_EQ(inclusion[0]["included"], true);
  EXPECT_FALSE(inclusion[0].contains("sha256_root_hash"));
}

TEST_F(JsonOutputTest, VerifyAndAuditAreDocuments) {
  RunJson({"verify", "--log-list", Path("list.json"), "--policy", "none", "--format", "json",
           Path("www.pem")},
          Form::kDocument, 0, {"sha256", "tbs_sha256", "log_id"});
  RunJson({"audit", "--log-list", Path("list.json"), "--policy", "none", "--format", "json",
           Path("www.pem"), Path("api.pem")},
          Form::kDocument, 0, {"sha256", "tbs_sha256", "log_id"});
}

TEST_F(JsonOutputTest, MonitorQueryIsLinesAndStatusADocument) {
  WriteFile(Path("watchlist.txt"), ".example.com\n");
  CommandResult monitor =
      RunCtkit({"monitor", "--once", "--watchlist", Path("watchlist.txt"), "--db", Path("m.db"),
                "--log-list", Path("list.json"), "--stdout"});
  EXPECT_EQ(monitor.exit_code, 1) << monitor.err;  // the certificates are unexpected: alerts
  // Alerts are JSON Lines too (their encodings are the monitor's schema, not checked here).
  EXPECT_EQ(ParseForm(monitor.out, Form::kLines).size(), 2u) << monitor.out;
  std::vector<json> findings =
      RunJson({"monitor", "query", "--db", Path("m.db"), "--format", "json"}, Form::kLines, 0,
              {"sha256", "tbs_sha256"});
  EXPECT_EQ(findings.size(), 2u);
  RunJson({"monitor", "status", "--db", Path("m.db"), "--format", "json"}, Form::kDocument, 0,
          {"log_id", "sha256_root_hash"});
  // A database that is not there: the error object, in each command's form.
  ExpectErrorObject({"monitor", "query", "--db", Path("none.db"), "--format", "json"}, Form::kLines,
                    2, "usage");
  ExpectErrorObject({"monitor", "status", "--db", Path("none.db"), "--format", "json"},
                    Form::kDocument, 2, "usage");
}

TEST_F(JsonOutputTest, ANetworkFailureIsTheErrorObjectWithCode3) {
  const std::vector<std::string> dead = {"--log", *dead_, "--key", Path("log.key")};
  ExpectErrorObject(With({"log", "sth", "--format", "json"}, dead), Form::kDocument, 3, "network");
  ExpectErrorObject(With({"log", "sth", "--format", "json", "--static"}, dead), Form::kDocument, 3,
                    "network");
  ExpectErrorObject(
      With({"log", "entries", "--format", "json", "--start", "0", "--end", "0"}, dead),
      Form::kLines, 3, "network");
  ExpectErrorObject(
      With({"log", "consistency", "--format", "json", "--old-sth", Path("head.json")}, dead),
      Form::kDocument, 3, "network");
  // The log's own key, so the certificate's SCT is from "this" log, at an address nobody answers.
  ExpectErrorObject(With({"log", "inclusion", "--format", "json", "--cert", Path("www.pem")}, dead),
                    Form::kDocument, 3, "network");
  const std::string dead_list = *dead_ + "list.json";
  ExpectErrorObject({"verify", "--log-list", dead_list, "--format", "json", Path("www.pem")},
                    Form::kDocument, 3, "network");
  ExpectErrorObject({"audit", "--log-list", dead_list, "--format", "json", Path("www.pem")},
                    Form::kDocument, 3, "network");
  ExpectErrorObject({"ca", "issue", "--dir", Path("ca"), "--name", "down.example.com", "--log",
                     *dead_, "--min-logs", "1", "--out", Path("down.pem"), "--format", "json"},
                    Form::kLines, 3, "network");
}

}  // namespace
}  // namespace ctkit
