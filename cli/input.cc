#include "cli/input.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "base/terminal_text.h"

namespace ctkit::cli {

Result<Bytes> ReadInputFile(const std::string& path) {
  FILE* file = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return MakeError(ErrorCode::kIo, path + ": " + std::strerror(errno));
  }
  std::unique_ptr<FILE, int (*)(FILE*)> closer(file, path == "-" ? +[](FILE*) { return 0; }
                                                                 : &std::fclose);
  Bytes data;
  uint8_t buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    if (data.size() + n > kMaxInputFileSize) {
      return MakeError(ErrorCode::kIo, path + ": larger than " +
                                           std::to_string(kMaxInputFileSize) + " bytes");
    }
    data.insert(data.end(), buffer, buffer + n);
  }
  if (std::ferror(file)) return MakeError(ErrorCode::kIo, path + ": read error");
  return data;
}

Result<MerkleHash> ParseHashFlag(std::string_view flag, std::string_view text) {
  Result<MerkleHash> hash = ParseMerkleHash(text);
  if (!hash) return std::unexpected(WithContext(hash.error(), std::string(flag)));
  return hash;
}

Result<std::vector<MerkleHash>> ParseProofList(std::string_view flag, std::string_view text) {
  std::vector<MerkleHash> nodes;
  if (text.empty()) return nodes;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string_view item = text.substr(start, comma == std::string_view::npos ? comma : comma - start);
    Result<MerkleHash> hash = ParseMerkleHash(item);
    if (!hash) {
      return std::unexpected(WithContext(
          hash.error(), std::string(flag) + " node " + std::to_string(nodes.size())));
    }
    nodes.push_back(*hash);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return nodes;
}

void PrintError(std::string_view message) {
  // Messages quote what logs, certificates and files said: one inert line whatever they hold.
  std::string line = TerminalSafe(message);
  std::fprintf(stderr, "ctkit: %s\n", line.c_str());
}

}  // namespace ctkit::cli
