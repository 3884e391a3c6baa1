// A real PostgreSQL server for tests (docs/testing.md, "PostgreSQL"), started as a user would:
// Debian's initdb and pg_ctl from the newest /usr/lib/postgresql/<major>/bin, a data directory in
// a new temporary directory, trust authentication for the superuser "ctkit", a Unix socket in
// that directory and 127.0.0.1 on a port chosen at run time, and a database "ctkit".
//
//   Result<PostgresServer*> server = SharedPostgresServer();   // one per test process
//   ASSERT_TRUE(server) << server.error().message;
//   PostgresConnection::Connect((*server)->Uri());
//
//   Result<std::unique_ptr<PostgresServer>> own = PostgresServer::Start();  // one of its own
//   (*own)->Stop();  (*own)->Restart();                       // connections to it are lost
//
// PostgreSQL refuses to run as root: when the tests run as root, initdb, pg_ctl and the server
// run as the "postgres" account Debian's package creates (else "nobody"), through setpriv, and the
// temporary directory belongs to that account. A missing server fails the test naming the Debian
// package (postgresql, scripts/install-test-deps.sh); it is never skipped.
//
// Cost: initdb takes about 2 s, so it runs once per build tree, PostgreSQL major version and
// account, into a template (/tmp/ctkit-postgres-template-<major>-<uid>-<hash of the build tree's
// path>-v1: not beside the binary, which the server's account may not be allowed to reach), with
// the database already made; built under a lock, renamed into place when complete. Each
// server starts from a copy of it in /dev/shm (memory: on a busy disk the copy alone took 3 s).
// Start and stop then take about half a second (docs/testing.md, "PostgreSQL"). The server runs
// with fsync off: it survives a killed test, not a power cut.
//
// Cleanup: the destructor stops the server and removes the directory, also when the test fails.
// When the test process dies without it (a crash, a sanitizer abort, ctest's timeout), a watchdog
// process does the same: it waits on a pipe only the test process holds, in a session of its own.

#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "tests/run_command.h"
#include "tests/test_support.h"

namespace ctkit::testing {

class PostgresServer {
 public:
  // The superuser and the database every server has.
  static constexpr const char* kUser = "ctkit";
  static constexpr const char* kDatabase = "ctkit";

  // A new server, running. The error says what is missing or what failed, with the server's log.
  static Result<std::unique_ptr<PostgresServer>> Start() {
    std::unique_ptr<PostgresServer> server(new PostgresServer());
    RETURN_IF_ERROR(server->Init());
    return server;
  }

  ~PostgresServer() {
    if (running_) (void)Stop();
    RemoveTree(dir_);
    if (watchdog_pipe_ >= 0) close(watchdog_pipe_);
    if (watchdog_ > 0) waitpid(watchdog_, nullptr, 0);
  }
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // Over the Unix socket in the server's directory.
  std::string Uri(const std::string& database = kDatabase) const {
    return std::string("postgresql://") + kUser + "@/" + database + "?host=" + dir_ +
           "&port=" + std::to_string(port_);
  }
  // Over TCP on 127.0.0.1.
  std::string TcpUri(const std::string& database = kDatabase) const {
    return std::string("postgresql://") + kUser + "@127.0.0.1:" + std::to_string(port_) + "/" +
           database;
  }
  int port() const { return port_; }
  const std::string& dir() const { return dir_; }

  // `pg_ctl stop -m fast`: the server ends every session and exits; connections are lost.
  Result<void> Stop() {
    running_ = false;
    return Run(AsServerUser({bin_ + "/pg_ctl", "stop", "-D", data_, "-m", "fast", "-w"}),
               "pg_ctl stop");
  }
  // `pg_ctl start -w` again on the same data and port.
  Result<void> Restart() { return StartServer(); }

 private:
  PostgresServer() = default;

  Result<void> Init() {
    ASSIGN_OR_RETURN(bin_, FindBinDir());
    RETURN_IF_ERROR(ChooseUser());
    ASSIGN_OR_RETURN(std::string template_dir, Template());
    dir_ = MemoryTempDir();
    if (dir_.empty()) return MakeError(ErrorCode::kIo, "cannot make a temporary directory");
    data_ = dir_ + "/data";
    if (drop_ && chown(dir_.c_str(), uid_, gid_) != 0) {
      return MakeError(ErrorCode::kIo, "chown " + dir_ + " to " + user_);
    }
    RETURN_IF_ERROR(StartWatchdog());
    RETURN_IF_ERROR(Run({"/bin/cp", "-a", template_dir, data_}, "copying the template"));
    for (int attempt = 0;; ++attempt) {
      ASSIGN_OR_RETURN(port_, FreePort());
      std::ofstream conf(data_ + "/postgresql.conf", std::ios::app);
      conf << "\n# tests/postgres_server.h\nlisten_addresses = '127.0.0.1'\nport = " << port_
           << "\nunix_socket_directories = '" << dir_
           << "'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
              "max_connections = 20\n";
      conf.close();
      if (!conf) return MakeError(ErrorCode::kIo, "cannot write " + data_ + "/postgresql.conf");
      Result<void> started = StartServer();
      if (started) return {};
      // Another process took the port between FreePort and the server's bind: try another.
      if (attempt == 4 ||
          ReadFile(dir_ + "/server.log").find("could not bind") == std::string::npos) {
        return started;
      }
    }
  }

  // A new directory in /dev/shm, where copying the template and starting the server take a
  // tenth of the time they take on a busy disk; under /tmp where there is no /dev/shm.
  static std::string MemoryTempDir() {
    std::string pattern = "/dev/shm/ctkit-postgres-XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) return pattern;
    return TempDir("ctkit-postgres");
  }

  Result<void> StartServer() {
    RETURN_IF_ERROR(Run(AsServerUser({bin_ + "/pg_ctl", "start", "-D", data_, "-l",
                                      dir_ + "/server.log", "-w", "-t", "60"}),
                        "pg_ctl start"));
    running_ = true;
    return {};
  }

  // The newest /usr/lib/postgresql/<major>/bin holding initdb and pg_ctl.
  static Result<std::string> FindBinDir() {
    int best = -1;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", error)) {
      const std::string name = entry.path().filename().string();
      if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
      const std::string bin = entry.path().string() + "/bin";
      if (access((bin + "/initdb").c_str(), X_OK) != 0 ||
          access((bin + "/pg_ctl").c_str(), X_OK) != 0) {
        continue;
      }
      best = std::max(best, std::stoi(name.substr(0, 6)));
    }
    if (best < 0) {
      return MakeError(ErrorCode::kNotFound,
                       "no PostgreSQL server: no /usr/lib/postgresql/<version>/bin/initdb and "
                       "pg_ctl; install Debian's postgresql package "
                       "(scripts/install-test-deps.sh)");
    }
    return "/usr/lib/postgresql/" + std::to_string(best) + "/bin";
  }

  // Root: the server runs as "postgres" (Debian's package makes it) or else "nobody".
  Result<void> ChooseUser() {
    uid_ = geteuid();
    gid_ = getegid();
    if (uid_ != 0) return {};
    for (const char* name : {"postgres", "nobody"}) {
      if (const passwd* entry = getpwnam(name); entry != nullptr && entry->pw_uid != 0) {
        drop_ = true;
        user_ = name;
        uid_ = entry->pw_uid;
        gid_ = entry->pw_gid;
        break;
      }
    }
    if (!drop_) {
      return MakeError(ErrorCode::kNotFound,
                       "running as root and no postgres or nobody account to run PostgreSQL as");
    }
    if (access("/usr/bin/setpriv", X_OK) != 0) {
      return MakeError(ErrorCode::kNotFound, "no /usr/bin/setpriv; install Debian's util-linux");
    }
    return {};
  }

  // `argv` run as the server's account, in the temporary directory (the test's working
  // directory may be closed to that account).
  std::vector<std::string> AsServerUser(std::vector<std::string> argv) const {
    std::vector<std::string> prefix;
    if (drop_) {
      prefix = {"/usr/bin/setpriv", "--reuid=" + std::to_string(uid_),
                "--regid=" + std::to_string(gid_), "--clear-groups"};
    }
    prefix.insert(prefix.end(), {"/usr/bin/env", "-C", dir_.empty() ? "/" : dir_});
    argv.insert(argv.begin(), prefix.begin(), prefix.end());
    return argv;
  }

  static Result<void> Run(const std::vector<std::string>& argv, const std::string& what,
                          const std::string& input = "") {
    CommandResult result = RunCommand(argv, input);
    if (result.exit_code == 0) return {};
    std::string message = what + " failed (exit " + std::to_string(result.exit_code) +
                          "): " + result.out + result.err;
    return MakeError(ErrorCode::kIo, message);
  }

  // The initdb'd data directory each server copies (see the top of this file).
  Result<std::string> Template() {
    std::error_code error;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) return MakeError(ErrorCode::kIo, "cannot read /proc/self/exe");
    const std::string major = std::filesystem::path(bin_).parent_path().filename().string();
    // Under /tmp, not beside the binary: the server's account must reach every directory above
    // it, and a checkout under /root (mode 0700) would refuse it. One per build tree (the hash of
    // its path), major version and account.
    const std::string path = "/tmp/ctkit-postgres-template-" + major + "-" + std::to_string(uid_) +
                             "-" + std::to_string(std::hash<std::string>{}(exe.parent_path())) +
                             "-v1";  // how it was made: a template made otherwise is never reused
    const int lock = open((path + ".lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (lock < 0 || flock(lock, LOCK_EX) != 0) {
      if (lock >= 0) close(lock);
      return MakeError(ErrorCode::kIo, "cannot lock " + path + ".lock");
    }
    Result<void> made = {};
    if (access((path + "/PG_VERSION").c_str(), F_OK) != 0) {
      const std::string fresh = path + ".new";
      std::filesystem::remove_all(fresh, error);
      std::filesystem::remove_all(path, error);
      if (mkdir(fresh.c_str(), 0700) != 0 || (drop_ && chown(fresh.c_str(), uid_, gid_) != 0)) {
        made = MakeError(ErrorCode::kIo, "cannot make " + fresh);
      } else {
        // 1 MB WAL segments instead of 16: less to copy. The database is made in single-user
        // mode, which needs no socket or port.
        made = Run(AsServerUser({bin_ + "/initdb", "-D", fresh, "-U", kUser, "--auth=trust",
                                 "--no-locale", "-E", "UTF8", "--no-sync", "--wal-segsize=1"}),
                   "initdb");
        if (made) {
          made = Run(AsServerUser({bin_ + "/postgres", "--single", "-D", fresh, "-c", "fsync=off",
                                   "template1"}),
                     "creating the database", std::string("CREATE DATABASE ") + kDatabase + ";\n");
        }
        if (made && std::rename(fresh.c_str(), path.c_str()) != 0) {
          made = MakeError(ErrorCode::kIo, "cannot rename " + fresh + " to " + path);
        }
        if (!made) std::filesystem::remove_all(fresh, error);
      }
    }
    close(lock);
    RETURN_IF_ERROR(made);
    return path;
  }

  // A TCP port free on 127.0.0.1 now (the kernel's choice).
  static Result<int> FreePort() {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof(address);
    const bool ok = fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&address), size) == 0 &&
                    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0;
    if (fd >= 0) close(fd);
    if (!ok) return MakeError(ErrorCode::kIo, "cannot find a free port on 127.0.0.1");
    return ntohs(address.sin_port);
  }

  // The watchdog: a shell in its own session reading a pipe only this process holds (the end is
  // close-on-exec). EOF means this process is gone, normally or not: it stops the server and
  // removes the directory, which after a normal destructor is already done.
  Result<void> StartWatchdog() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return MakeError(ErrorCode::kIo, "pipe");
    std::vector<std::string> argv = {
        "/bin/sh", "-c", "exec >/dev/null 2>&1; read -r _; d=$1; shift; \"$@\"; rm -rf -- \"$d\"",
        "ctkit-postgres-watchdog", dir_};
    for (std::string& arg :
         AsServerUser({bin_ + "/pg_ctl", "stop", "-D", data_, "-m", "immediate", "-w"})) {
      argv.push_back(std::move(arg));
    }
    std::vector<char*> args;
    for (std::string& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    const pid_t pid = fork();
    if (pid < 0) {
      close(fds[0]);
      close(fds[1]);
      return MakeError(ErrorCode::kIo, "fork");
    }
    if (pid == 0) {
      dup2(fds[0], 0);
      setsid();
      execv(args[0], args.data());
      _exit(127);
    }
    close(fds[0]);
    watchdog_ = pid;
    watchdog_pipe_ = fds[1];
    return {};
  }

  std::string bin_, dir_, data_, user_;
  bool drop_ = false;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  int port_ = 0;
  bool running_ = false;
  pid_t watchdog_ = -1;
  int watchdog_pipe_ = -1;
};

// One server for the whole test process, started by the first test that asks and stopped when
// the process exits. Under ctest each test is a process of its own (docs/testing.md, "Test
// runs"), so a test gets a fresh server there; tests sharing it use tables of their own. A test
// that stops its server starts one of its own (PostgresServer::Start) instead.
inline Result<PostgresServer*> SharedPostgresServer() {
  static Result<std::unique_ptr<PostgresServer>> server = PostgresServer::Start();
  if (!server) return std::unexpected(server.error());
  return server->get();
}

}  // namespace ctkit::testing
