#include "base/secret_file.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace ctkit {
namespace {

constexpr int kCreateFlags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;

Error IoError(const std::string& path, int error) {
  return Error{ErrorCode::kIo, path + ": " + std::strerror(error)};
}

Error ExistsError(const std::string& path) {
  return Error{ErrorCode::kInvalidArgument, path + " exists; --force to overwrite"};
}

// Writes all of `bytes` to `fd` and flushes them to disk; errno on failure.
int WriteAllAndSync(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t written = write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return fsync(fd) == 0 ? 0 : errno;
}

// Makes a file's creation or rename durable: fsync of the directory that holds `path`. Best
// effort (some file systems refuse it); the file itself is already on disk.
void SyncParentDirectory(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)fsync(fd);
  close(fd);
}

// Creates `path` (which must not exist) with `mode` and `bytes`; removes it again if the bytes
// cannot all be written. errno on failure (EEXIST when the name is taken, a link included).
int CreateExclusive(const std::string& path, std::string_view bytes, mode_t mode) {
  int fd = open(path.c_str(), kCreateFlags, mode);
  if (fd < 0) return errno;
  int error = WriteAllAndSync(fd, bytes);
  if (close(fd) != 0 && error == 0) error = errno;
  if (error != 0) unlink(path.c_str());
  return error;
}

// A name next to `path` that nothing uses yet is very likely: PATH.tmp-<16 random hex digits>.
std::string TemporaryNameFor(const std::string& path) {
  unsigned char random[8] = {};
  if (getrandom(random, sizeof(random), 0) != static_cast<ssize_t>(sizeof(random))) {
    // Unlikely; a clash is then caught by O_EXCL and another name tried.
    uint64_t fallback = static_cast<uint64_t>(getpid()) * 0x9e3779b97f4a7c15ULL ^
                        static_cast<uint64_t>(reinterpret_cast<uintptr_t>(&random));
    std::memcpy(random, &fallback, sizeof(random));
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name = path + ".tmp-";
  for (unsigned char byte : random) {
    name += kHex[byte >> 4];
    name += kHex[byte & 0x0f];
  }
  return name;
}

Result<void> ReplaceFile(const std::string& path, std::string_view bytes, mode_t mode) {
  if (Result<void> usable = CheckNewFilePath(path, true); !usable) return usable;
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::string temporary = TemporaryNameFor(path);
    int error = CreateExclusive(temporary, bytes, mode);
    if (error == EEXIST) continue;
    if (error != 0) return std::unexpected(IoError(temporary, error));
    // rename(2) replaces the directory entry: a link or file put at `path` since the lstat
    // above is replaced, never written through.
    if (rename(temporary.c_str(), path.c_str()) != 0) {
      error = errno;
      unlink(temporary.c_str());
      return std::unexpected(IoError(path, error));
    }
    SyncParentDirectory(path);
    return {};
  }
  return MakeError(ErrorCode::kIo, path + ": no free temporary file name next to it");
}

}  // namespace

Result<void> CheckNewFilePath(const std::string& path, bool overwrite) {
  struct stat existing;
  if (lstat(path.c_str(), &existing) != 0) {
    if (errno == ENOENT) return {};
    return std::unexpected(IoError(path, errno));
  }
  if (!overwrite) return std::unexpected(ExistsError(path));
  if (S_ISLNK(existing.st_mode)) {
    return MakeError(ErrorCode::kInvalidArgument, path + " is a symbolic link; not overwritten");
  }
  if (!S_ISREG(existing.st_mode)) {
    return MakeError(ErrorCode::kInvalidArgument, path + " is not a regular file; not overwritten");
  }
  return {};
}

Result<void> WriteNewFile(const std::string& path, std::string_view bytes, mode_t mode,
                          bool overwrite) {
  if (overwrite) return ReplaceFile(path, bytes, mode);
  int error = CreateExclusive(path, bytes, mode);
  if (error == EEXIST) return std::unexpected(ExistsError(path));
  if (error != 0) return std::unexpected(IoError(path, error));
  SyncParentDirectory(path);
  return {};
}

Result<void> WriteNewSecretFile(const std::string& path, std::string_view bytes, bool overwrite) {
  return WriteNewFile(path, bytes, 0600, overwrite);
}

}  // namespace ctkit
