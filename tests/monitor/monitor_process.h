// Helpers for tests that run `ctkit monitor` as a separate process against real `ctkit log serve`
// processes on 127.0.0.1: a local log with its key, a log list naming such logs, the monitor run
// (and SIGKILLed when a test says so), and reading what it wrote.

#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/logserver/log_process.h"
#include "tests/run_command.h"

namespace ctkit::testing {

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One JSON value a line (the monitor's --stdout sink, `monitor query --format json`).
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
      : dir(dir + "/" + name) {
    std::filesystem::create_directories(this->dir);
    EXPECT_EQ(RunCtkit({"log", "keygen", "--out", this->dir + "/log.key"}).exit_code, 0);
    process = std::make_unique<LogProcess>(this->dir, std::move(args));
    url = "http://127.0.0.1:" + std::to_string(process->port()) + "/";
  }
  std::string dir;
  std::unique_ptr<LogProcess> process;
  std::string url;
};

// Writes `out` (`ctkit log make-list`) naming `logs`, one operator each, plus `extra` (url, key
// file) entries.
inline void MakeLogList(const std::string& out, const std::vector<LocalLog*>& logs,
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
}

// Runs `ctkit args...` with stdout appended to `out_file`, and SIGKILLs it after `kill_after`
// (or lets it finish when negative). Returns its exit code, or -9 when killed.
inline int RunCtkitProcess(const std::vector<std::string>& args, const std::string& out_file,
                           std::chrono::microseconds kill_after) {
  pid_t pid = fork();
  if (pid == 0) {
    int out = open(out_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int null = open("/dev/null", O_WRONLY);
    dup2(out, 1);
    dup2(null, 2);
    std::vector<std::string> argv = {CTKIT_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (std::string& arg : argv) raw.push_back(arg.data());
    raw.push_back(nullptr);
    execv(raw[0], raw.data());
    _exit(127);
  }
  if (kill_after.count() >= 0) {
    std::this_thread::sleep_for(kill_after);
    kill(pid, SIGKILL);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

}  // namespace ctkit::testing
