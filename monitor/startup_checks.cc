#include "monitor/startup_checks.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string_view>

#include "monitor/child_process.h"

namespace ctkit {

Result<void> CheckHookCommand(const std::string& command) {
  size_t start = command.find_first_not_of(" \t");
  if (start == std::string::npos)
    return MakeError(ErrorCode::kInvalidArgument, "--script is empty");
  size_t end = command.find_first_of(" \t\n", start);
  std::string program = command.substr(start, end == std::string::npos ? end : end - start);
  if (program.find_first_of("'\"$`\\|;&<>(){}*?[]~=") != std::string::npos) return {};
  // A shell keyword or builtin ("cd /x && ./hook", "exec hook", ". env; hook"): the shell
  // runs it itself, nothing to look for.
  static const std::set<std::string, std::less<>> kShellWords = {
      ".",      ":",     "[",     "alias",  "break", "case", "cd",      "command", "continue",
      "eval",   "exec",  "exit",  "export", "false", "for",  "if",      "read",    "readonly",
      "return", "set",   "shift", "test",   "times", "trap", "true",    "ulimit",  "umask",
      "unset",  "until", "wait",  "while",  "!",     "{",    "getopts", "type",    "hash"};
  if (kShellWords.contains(program)) return {};
  if (program.find('/') != std::string::npos) {
    if (access(program.c_str(), F_OK) != 0) {
      return MakeError(ErrorCode::kNotFound, "--script: " + program + ": no such file");
    }
    if (!IsExecutableFile(program)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "--script: " + program + ": not an executable file (chmod +x?)");
    }
    return {};
  }
  const char* path = std::getenv("PATH");
  if (FindProgram(program, path != nullptr ? path : "/usr/bin:/bin")) return {};
  return MakeError(ErrorCode::kNotFound,
                   "--script: " + program + ": not found in PATH (give its full path)");
}

Result<void> CheckWebhookUrl(const std::string& url) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.starts_with(scheme)) {
      std::string_view rest = std::string_view(url).substr(scheme.size());
      if (rest.empty() || rest.front() == '/' || rest.front() == ':') break;
      return {};
    }
  }
  // The URL itself is not repeated: it may hold a secret token (docs/monitor.md).
  return MakeError(ErrorCode::kInvalidArgument,
                   "--webhook: not an http:// or https:// URL with a host");
}

Result<void> CheckWritableDirectory(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return MakeError(ErrorCode::kIo, "cannot create directory " + dir + ": " + error.message());
  }
  std::string probe = dir + "/.ctkit-write-test-XXXXXX";
  int fd = mkstemp(probe.data());
  if (fd < 0) {
    return MakeError(ErrorCode::kIo, "directory " + dir + " is not writable");
  }
  close(fd);
  unlink(probe.c_str());
  return {};
}

Result<void> CheckWritableDatabase(const std::string& path) {
  std::filesystem::path file(path);
  std::string dir = file.has_parent_path() ? file.parent_path().string() : ".";
  if (access(dir.c_str(), F_OK) != 0) {
    return MakeError(ErrorCode::kNotFound, "--db: directory " + dir + " does not exist");
  }
  // SQLite writes a journal beside the database, so the directory must be writable too.
  if (access(dir.c_str(), W_OK) != 0) {
    return MakeError(ErrorCode::kIo, "--db: directory " + dir + " is not writable");
  }
  if (access(path.c_str(), F_OK) == 0 && access(path.c_str(), W_OK) != 0) {
    return MakeError(ErrorCode::kIo, "--db: " + path + " is not writable");
  }
  return {};
}

}  // namespace ctkit
