// A real `ctkit log serve` process for end-to-end tests: started on 127.0.0.1 with a port chosen
// at run time (read from the first line it prints), killed when the object goes away.

#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "run_command.h"

namespace ctkit::testing {

// A running `ctkit log serve`, its port read from the first line it prints. A staging log
// (--accept-any-root) unless extra_args name --roots. Its stderr goes to `stderr_path`, or
// nowhere. With --test-faults or --test-faults-enabled among extra_args it runs `ctkit-faults`,
// the test build with fault injection (faults/).
class LogProcess {
 public:
  LogProcess(const std::string& dir, std::vector<std::string> extra_args = {},
             const std::string& stderr_path = "") {
    int out[2];
    EXPECT_EQ(pipe(out), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      int err = stderr_path.empty() ? open("/dev/null", O_WRONLY)
                                    : open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(err, 2);
      close(out[0]);
      close(out[1]);
      auto has = [&](const char* flag) {
        return std::find(extra_args.begin(), extra_args.end(), flag) != extra_args.end();
      };
      bool faults = has("--test-faults") || has("--test-faults-enabled");
      std::vector<std::string> args = {faults ? CtkitFaultsBinary() : CtkitBinary(),
                                       "log",
                                       "serve",
                                       "--key",
                                       dir + "/log.key",
                                       "--db",
                                       dir + "/log.db",
                                       "--mmd",
                                       "0.2"};
      // A "--listen" among extra_args (e.g. to come back on the same port) replaces the default.
      if (!has("--listen")) args.insert(args.end(), {"--listen", "127.0.0.1:0"});
      if (!has("--roots") && !has("--accept-any-root")) args.push_back("--accept-any-root");
      args.insert(args.end(), extra_args.begin(), extra_args.end());
      ExecOrExit(std::move(args));
    }
    close(out[1]);
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    size_t colon = line.rfind(':');
    if (line.rfind("listening on ", 0) == 0 && colon != std::string::npos) {
      port_ = std::stoi(line.substr(colon + 1));
    }
  }
  ~LogProcess() {
    if (pid_ > 0) Signal(SIGKILL);
  }
  int port() const { return port_; }
  // Sends `signal` and returns the exit status (or -signal if killed).
  int Signal(int signal) {
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  int port_ = -1;
};

}  // namespace ctkit::testing
