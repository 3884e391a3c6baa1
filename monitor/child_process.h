// The programs the alert sinks run (monitor/alert_sink.h hook scripts, monitor/email_sink.h
// sendmail): one way to start a child, feed it, bound it in time and read how it ended.
//
//   ChildProcess child{.path = "/bin/sh", .argv = {"sh", "-c", command},
//                      .environment = ChildEnvironment(kOurs, {{"EVENT", "error"}}),
//                      .what = "hook"};
//   if (Result<void> ran = RunChildProcess(child); !ran) log(ran.error().message);
//
// The child runs in its own process group with default signal dispositions and an empty signal
// mask (the daemon may ignore SIGPIPE or block signals; neither survives into the child), only
// descriptors 0-2 open: stdin is /dev/null or the given bytes, stdout goes to the daemon's
// stderr (a chatty child cannot corrupt JSON Lines on stdout), stderr is the daemon's. A child
// still running at the timeout is killed with its whole group (SIGKILL). The process must not
// set SIGCHLD to SIG_IGN (the exit status would be lost).

#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"

namespace ctkit {

struct ChildProcess {
  std::string path;                      // the program, run as it is (no $PATH search)
  std::vector<std::string> argv;         // argv[0] included
  std::vector<std::string> environment;  // NAME=VALUE: the child's whole environment
  // Written to the child's stdin, which is then closed; nullopt: stdin is /dev/null. A child
  // that exits without reading all of it is judged by its exit status alone.
  std::optional<std::string> stdin_data;
  std::chrono::milliseconds timeout{60000};
  std::string what = "hook";  // names the child in errors: "hook exited with status 3"
};

// Runs `child` and waits for it. Success is exit status 0; an error (kIo) names the exit status,
// the signal, or the timeout ("sendmail timed out after 120000 ms and was killed"), or why the
// program could not be started.
Result<void> RunChildProcess(const ChildProcess& child);

// The daemon's environment without any variable named in `remove` (so a child never mistakes a
// stale value for a current one), followed by `add` as NAME=VALUE.
std::vector<std::string> ChildEnvironment(
    std::span<const char* const> remove,
    const std::vector<std::pair<std::string, std::string>>& add);

// Whether `path` is a regular file this process may execute (symbolic links followed).
bool IsExecutableFile(const std::string& path);

// Where `program` is: itself when it holds a '/', else the first executable regular file of that
// name in the directories of `path_variable` ($PATH's form, empty entries meaning "."); nullopt
// when there is none.
std::optional<std::string> FindProgram(const std::string& program,
                                       const std::string& path_variable);

}  // namespace ctkit
