#include "base/secret_input.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace ctkit {
namespace {

// A URL with a token fits in far less; more is not a secret line but the wrong file.
constexpr size_t kMaxSecretLine = 8192;

std::string TrimTrailingSpace(std::string_view text) {
  size_t end = text.find_last_not_of(" \t\r\n\v\f");
  return std::string(text.substr(0, end == std::string_view::npos ? 0 : end + 1));
}

}  // namespace

Result<std::string> ReadSecretFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return MakeError(ErrorCode::kIo, path + ": " + std::strerror(errno));
  std::string text;
  char buffer[4096];
  while (text.size() <= kMaxSecretLine && text.find('\n') == std::string::npos) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      close(fd);
      return MakeError(ErrorCode::kIo, path + ": " + std::strerror(error));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  size_t newline = text.find('\n');
  if ((newline == std::string::npos ? text.size() : newline) > kMaxSecretLine) {
    return MakeError(ErrorCode::kInvalidArgument, path + ": first line longer than " +
                                                      std::to_string(kMaxSecretLine) + " bytes");
  }
  std::string line = TrimTrailingSpace(std::string_view(text).substr(0, newline));
  if (line.empty()) return MakeError(ErrorCode::kInvalidArgument, path + ": first line is empty");
  return line;
}

Result<std::string> TakeSecretFromEnvironment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument, "environment variable " + name + " is not set");
  }
  std::string secret = TrimTrailingSpace(value);
  unsetenv(name.c_str());
  if (secret.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "environment variable " + name + " is empty");
  }
  return secret;
}

}  // namespace ctkit
