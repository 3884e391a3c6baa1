#include "base/output_file.h"

#include <cstdio>

#include "base/secret_file.h"

namespace ctkit {
namespace {

Result<void> WriteStandardOutput(std::string_view contents) {
  bool ok = std::fwrite(contents.data(), 1, contents.size(), stdout) == contents.size();
  ok = std::fflush(stdout) == 0 && ok;
  if (!ok) return MakeError(ErrorCode::kIo, "standard output: write failed");
  return {};
}

}  // namespace

Result<void> WriteOutputFile(const std::string& path, std::string_view contents) {
  if (IsStandardOutput(path)) return WriteStandardOutput(contents);
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return MakeError(ErrorCode::kIo, path + ": cannot create");
  bool ok = std::fwrite(contents.data(), 1, contents.size(), file) == contents.size();
  ok = std::fclose(file) == 0 && ok;
  if (!ok) return MakeError(ErrorCode::kIo, path + ": write failed");
  return {};
}

Result<void> WriteNewOutputFile(const std::string& path, std::string_view contents,
                                bool overwrite) {
  if (IsStandardOutput(path)) return WriteStandardOutput(contents);
  return WriteNewFile(path, contents, 0644, overwrite);
}

Result<void> WriteSecretOutput(const std::string& path, std::string_view contents, bool overwrite) {
  if (IsStandardOutput(path)) return WriteStandardOutput(contents);
  return WriteNewSecretFile(path, contents, overwrite);
}

Result<void> CheckOutputPath(const std::string& path, bool overwrite) {
  if (IsStandardOutput(path)) return {};
  return CheckNewFilePath(path, overwrite);
}

}  // namespace ctkit
