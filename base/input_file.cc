#include "base/input_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace ctkit {

Result<Bytes> ReadInputFile(const std::string& path) {
  FILE* file = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return MakeError(ErrorCode::kIo, path + ": " + std::strerror(errno));
  }
  std::unique_ptr<FILE, int (*)(FILE*)> closer(
      file, path == "-" ? +[](FILE*) { return 0; } : &std::fclose);
  Bytes data;
  uint8_t buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    if (data.size() + n > kMaxInputFileSize) {
      return MakeError(ErrorCode::kIo,
                       path + ": larger than " + std::to_string(kMaxInputFileSize) + " bytes");
    }
    data.insert(data.end(), buffer, buffer + n);
  }
  if (std::ferror(file)) return MakeError(ErrorCode::kIo, path + ": read error");
  return data;
}

}  // namespace ctkit
