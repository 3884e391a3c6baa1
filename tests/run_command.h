// Runs a program (the real `ctkit` binary in CLI tests) with arguments, no shell involved,
// and captures its exit code, standard output and standard error.

#pragma once

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/test_paths.h"

namespace ctkit::testing {

struct CommandResult {
  int exit_code = -1;  // -1 if the program did not exit normally
  std::string out;
  std::string err;
};

// In a forked child: replaces the process with `argv[0]` run with `argv`, no shell involved;
// exits with 127 if it cannot be run.
[[noreturn]] inline void ExecOrExit(std::vector<std::string> argv) {
  std::vector<char*> args;
  for (std::string& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  execv(args[0], args.data());
  _exit(127);
}

inline CommandResult RunCommand(const std::vector<std::string>& argv,
                                const std::string& stdin_data = "") {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
    ExecOrExit(argv);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (!stdin_data.empty()) {
    ssize_t ignored = write(in_pipe[1], stdin_data.data(), stdin_data.size());
    (void)ignored;
  }
  close(in_pipe[1]);

  CommandResult result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  while (open_count > 0) {
    if (poll(fds, 2, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP)) == 0) continue;
      char buffer[4096];
      ssize_t n = read(fds[i].fd, buffer, sizeof(buffer));
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      } else {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// Runs the ctkit binary built alongside the tests.
inline CommandResult RunCtkit(std::vector<std::string> args, const std::string& stdin_data = "") {
  args.insert(args.begin(), CtkitBinary());
  return RunCommand(args, stdin_data);
}

}  // namespace ctkit::testing
