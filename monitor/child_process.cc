#include "monitor/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <thread>

extern char** environ;

namespace ctkit {
namespace {

struct SpawnAttributes {
  posix_spawnattr_t attributes;
  posix_spawn_file_actions_t actions;
  SpawnAttributes() {
    posix_spawnattr_init(&attributes);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnAttributes() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
};

// A descriptor closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }
  int get() const { return fd_; }
  void Reset(int fd) {
    Close();
    fd_ = fd;
  }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Writes what it can of `data` from `*written` on without blocking. False once the child closed
// its end (EPIPE: no SIGPIPE thanks to MSG_NOSIGNAL) or on another error: stop writing.
bool Feed(int fd, std::string_view data, size_t* written) {
  while (*written < data.size()) {
    const ssize_t n =
        send(fd, data.data() + *written, data.size() - *written, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      *written += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
  return true;
}

}  // namespace

Result<void> RunChildProcess(const ChildProcess& child) {
  if (child.argv.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "cannot run " + child.what + ": no argv");
  }
  // stdin: a socket pair rather than a pipe, so that writing to a child that has gone raises
  // no SIGPIPE (send with MSG_NOSIGNAL) whatever the daemon's disposition of it.
  Fd ours, theirs;
  if (child.stdin_data) {
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
      return MakeError(ErrorCode::kIo, "cannot run " + child.what +
                                           ": socketpair: " + std::string(strerror(errno)));
    }
    ours.Reset(pair[0]);
    theirs.Reset(pair[1]);
  }

  SpawnAttributes spawn;
  // Its own process group, so a timeout kills the child and everything it started.
  short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  posix_spawnattr_setflags(&spawn.attributes, flags);
  posix_spawnattr_setpgroup(&spawn.attributes, 0);
  sigset_t signals;
  sigemptyset(&signals);
  posix_spawnattr_setsigmask(&spawn.attributes, &signals);
  // The daemon may ignore SIGPIPE (libcurl users do); ignored signals survive exec.
  sigaddset(&signals, SIGPIPE);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGCHLD);
  posix_spawnattr_setsigdefault(&spawn.attributes, &signals);
  if (child.stdin_data) {
    posix_spawn_file_actions_adddup2(&spawn.actions, theirs.get(), STDIN_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&spawn.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&spawn.actions, STDERR_FILENO, STDOUT_FILENO);
  // Descriptors the daemon opened without O_CLOEXEC (its database, sockets) stay out of reach.
  posix_spawn_file_actions_addclosefrom_np(&spawn.actions, STDERR_FILENO + 1);

  std::vector<std::string> args = child.argv;
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  envp.reserve(child.environment.size() + 1);
  for (const std::string& entry : child.environment) {
    envp.push_back(const_cast<char*>(entry.c_str()));
  }
  envp.push_back(nullptr);

  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, child.path.c_str(), &spawn.actions, &spawn.attributes,
                                  argv.data(), envp.data());
  if (spawned != 0) {
    return MakeError(ErrorCode::kIo, "cannot run " + child.what + " " + child.path + ": " +
                                         std::string(strerror(spawned)));
  }
  theirs.Close();

  const std::string_view input = child.stdin_data ? *child.stdin_data : std::string_view();
  size_t written = 0;
  bool feeding = child.stdin_data.has_value();
  const auto deadline = std::chrono::steady_clock::now() + child.timeout;
  auto pause = std::chrono::milliseconds(1);
  int status = 0;
  while (true) {
    if (feeding) {
      feeding = Feed(ours.get(), input, &written) && written < input.size();
      if (!feeding) ours.Close();  // all written (end of input), or the child is not reading
    }
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      return MakeError(ErrorCode::kInternal, "waitpid: " + std::string(strerror(errno)));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);  // in case setpgid had not happened yet
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return MakeError(ErrorCode::kIo, child.what + " timed out after " +
                                           std::to_string(child.timeout.count()) +
                                           " ms and was killed");
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  if (WIFEXITED(status)) {
    if (WEXITSTATUS(status) == 0) return {};
    return MakeError(ErrorCode::kIo,
                     child.what + " exited with status " + std::to_string(WEXITSTATUS(status)));
  }
  if (WIFSIGNALED(status)) {
    return MakeError(ErrorCode::kIo,
                     child.what + " killed by signal " + std::to_string(WTERMSIG(status)));
  }
  return MakeError(ErrorCode::kIo,
                   child.what + " ended with wait status " + std::to_string(status));
}

std::vector<std::string> ChildEnvironment(
    std::span<const char* const> remove,
    const std::vector<std::pair<std::string, std::string>>& add) {
  std::vector<std::string> environment;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::string_view name = text.substr(0, text.find('='));
    const bool removed = std::any_of(remove.begin(), remove.end(),
                                     [&](const char* variable) { return name == variable; });
    if (!removed) environment.emplace_back(text);
  }
  for (const auto& [name, value] : add) environment.push_back(name + "=" + value);
  return environment;
}

bool IsExecutableFile(const std::string& path) {
  struct stat st{};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

std::optional<std::string> FindProgram(const std::string& program,
                                       const std::string& path_variable) {
  if (program.empty()) return std::nullopt;
  if (program.find('/') != std::string::npos) return program;
  std::string_view dirs = path_variable;
  while (true) {
    const size_t colon = dirs.find(':');
    const std::string dir(dirs.substr(0, colon));
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (IsExecutableFile(candidate)) return candidate;
    if (colon == std::string_view::npos) return std::nullopt;
    dirs.remove_prefix(colon + 1);
  }
}

}  // namespace ctkit
