// Shared set-up for the `ctkit audit` end-to-end tests: real `ctkit log serve` processes on
// 127.0.0.1 (ports chosen at run time), a log list naming them, and the mock CA (`ctkit ca`).

#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "tests/logserver/log_process.h"
#include "tests/run_command.h"
#include "tests/test_support.h"
#include "x509/certificate.h"
#include "x509/pem.h"

namespace ctkit::testing {

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// PEM "CERTIFICATE" blocks for DER certificates, 64 columns (RFC 7468 §2).
inline std::string PemEncode(const std::vector<Bytes>& ders) {
  std::string out;
  for (const Bytes& der : ders) {
    std::string body = Base64Encode(der);
    out += "-----BEGIN CERTIFICATE-----\n";
    for (size_t i = 0; i < body.size(); i += 64) out += body.substr(i, 64) + "\n";
    out += "-----END CERTIFICATE-----\n";
  }
  return out;
}

// A local log: its key, a running `ctkit log serve`, and its URL.
struct LocalLog {
  LocalLog(const std::string& parent, const std::string& name, std::vector<std::string> args = {})
      : dir(parent + "/" + name), args(std::move(args)) {
    std::filesystem::create_directories(dir);
    EXPECT_EQ(RunCtkit({"log", "keygen", "--out", dir + "/log.key"}).exit_code, 0);
    Start();
  }
  void Start() {
    process = std::make_unique<LogProcess>(dir, args);
    url = "http://127.0.0.1:" + std::to_string(process->port()) + "/";
  }
  std::string dir;
  std::vector<std::string> args;  // extra `ctkit log serve` flags
  std::unique_ptr<LogProcess> process;
  std::string url;
};

class AuditEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir("ctkit-audit");
    ca_ = dir_ + "/ca";
  }
  void TearDown() override { RemoveTree(dir_); }

  // A log list with one operator per log; `mmd` seconds for each.
  std::string MakeList(const std::vector<LocalLog*>& logs, const std::string& mmd = "86400",
                       const std::string& api = "rfc6962") {
    std::vector<std::string> args = {"log", "make-list", "--out", dir_ + "/logs.json"};
    int n = 0;
    for (LocalLog* log : logs) {
      ++n;
      args.push_back("--log");
      args.push_back("operator=Operator " + std::to_string(n) + ",url=" + log->url +
                     ",key=" + log->dir + "/log.key,description=Log " + std::to_string(n) +
                     ",mmd=" + mmd + ",api=" + api);
    }
    CommandResult made = RunCtkit(args);
    EXPECT_EQ(made.exit_code, 0) << made.err;
    return dir_ + "/logs.json";
  }

  void InitCa(const std::vector<LocalLog*>& logs, const std::string& list) {
    std::vector<std::string> args = {
        "ca", "init", "--dir", ca_, "--name", "Example Corp CA", "--log-list", list};
    for (LocalLog* log : logs) {
      args.push_back("--log");
      args.push_back(log->url);
    }
    CommandResult made = RunCtkit(args);
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }

  // `ctkit ca issue` for `name` into `out`, with extra flags.
  void Issue(const std::string& name, const std::string& out, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"ca", "issue", "--dir", ca_, "--name", name, "--out", out};
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult issued = RunCtkit(args);
    ASSERT_EQ(issued.exit_code, 0) << issued.err;
  }

  std::string Inventory() {
    CommandResult inventory = RunCtkit({"ca", "inventory", "--dir", ca_});
    EXPECT_EQ(inventory.exit_code, 0) << inventory.err;
    WriteFile(dir_ + "/inventory.jsonl", inventory.out);
    return dir_ + "/inventory.jsonl";
  }

  std::string dir_;
  std::string ca_;  // the mock CA directory
};

}  // namespace ctkit::testing
