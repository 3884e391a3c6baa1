// Helpers for tests that run `ctkit monitor` as a separate process and SIGKILL it when a test
// says so; local logs, log lists and reading output are in tests/monitor/local_logs.h.

#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/monitor/local_logs.h"
#include "tests/run_command.h"

namespace ctkit::testing {

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
    std::vector<std::string> argv = {CtkitBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    ExecOrExit(std::move(argv));
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
