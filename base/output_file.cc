#include "base/output_file.h"

#include <cstdio>

namespace ctkit {

Result<void> WriteOutputFile(const std::string& path, std::string_view contents) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return MakeError(ErrorCode::kIo, path + ": cannot create");
  bool ok = std::fwrite(contents.data(), 1, contents.size(), file) == contents.size();
  ok = std::fclose(file) == 0 && ok;
  if (!ok) return MakeError(ErrorCode::kIo, path + ": write failed");
  return {};
}

}  // namespace ctkit
