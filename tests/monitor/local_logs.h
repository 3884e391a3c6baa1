// Helpers for end-to-end monitor tests: local logs (real `ctkit log serve` processes on
// 127.0.0.1, tests/logserver/log_process.h), a log list naming them (`ctkit log make-list`),
// and reading what `ctkit monitor` printed.

#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/logserver/log_process.h"
#include "tests/run_command.h"
#include "tests/test_support.h"

namespace ctkit::testing {

// One JSON value per non-empty line (`--stdout` alerts, `monitor query --format json`).
inline std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

// A local log: its key, a running `ctkit log serve`, and its URL.
struct LocalLog {
  LocalLog(const std::string& dir, const std::string& name, std::vector<std::string> args = {})
      : dir(dir + "/" + name), args(std::move(args)) {
    std::filesystem::create_directories(this->dir);
    EXPECT_EQ(RunCtkit({"log", "keygen", "--out", this->dir + "/log.key"}).exit_code, 0);
    process = std::make_unique<LogProcess>(this->dir, this->args);
    url = "http://127.0.0.1:" + std::to_string(process->port()) + "/";
  }
  // Kills the log process (SIGKILL): clients get "connection refused" until Restart().
  void Kill() { process.reset(); }
  // Starts it again on the same port, over the same database.
  void Restart() {
    std::vector<std::string> again = args;
    again.insert(again.end(), {"--listen", url.substr(7, url.size() - 8)});
    process = std::make_unique<LogProcess>(dir, again);
  }
  std::string dir;
  std::vector<std::string> args;
  std::unique_ptr<LogProcess> process;
  std::string url;
};

// `ctkit log make-list` into `out`: `logs`, one operator each, plus `extra` (url, key file)
// entries that no process serves.
inline std::string MakeLogList(const std::string& out, const std::vector<LocalLog*>& logs,
                               const std::vector<std::pair<std::string, std::string>>& extra = {},
                               const std::string& api = "rfc6962") {
  std::vector<std::string> args = {"log", "make-list", "--out", out};
  int n = 0;
  for (LocalLog* log : logs) {
    ++n;
    args.push_back("--log");
    args.push_back("operator=Operator " + std::to_string(n) + ",url=" + log->url + ",key=" +
                   log->dir + "/log.key,description=Log " + std::to_string(n) + ",api=" + api);
  }
  for (const auto& [url, key] : extra) {
    ++n;
    args.push_back("--log");
    args.push_back("operator=Operator " + std::to_string(n) + ",url=" + url + ",key=" + key +
                   ",description=Log " + std::to_string(n));
  }
  CommandResult made = RunCtkit(args);
  EXPECT_EQ(made.exit_code, 0) << made.err;
  return out;
}

}  // namespace ctkit::testing
