#include "ct/tile_path.h"

#include <vector>

namespace ctkit {
namespace {

// 6 groups of 3 digits reach 10^18 - 1, above the 2^56 tiles a 2^64-leaf tree could have, and
// cannot overflow a uint64_t.
constexpr size_t kMaxIndexGroups = 6;
constexpr std::string_view kPartialSuffix = ".p/";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A decimal number in [min, max] without extra leading zeros ("0" is fine, "05" is not).
Result<uint64_t> ParseSmallDecimal(std::string_view text, uint64_t min, uint64_t max,
                                   const char* what) {
  if (text.empty() || text.size() > 3 || (text.size() > 1 && text[0] == '0')) {
    return MakeError(ErrorCode::kMalformed, std::string(what) + " " + QuoteUntrusted(text) +
                                                " is not a decimal number without leading zeros");
  }
  uint64_t value = 0;
  for (char c : text) {
    if (!IsDigit(c)) {
      return MakeError(ErrorCode::kMalformed,
                       std::string(what) + " " + QuoteUntrusted(text) + " is not a decimal number");
    }
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value < min || value > max) {
    return MakeError(ErrorCode::kMalformed, std::string(what) + " " + std::to_string(value) +
                                                " is outside " + std::to_string(min) + ".." +
                                                std::to_string(max));
  }
  return value;
}

}  // namespace

std::string EncodeTileIndex(uint64_t index) {
  std::vector<unsigned> groups;  // least significant first
  do {
    groups.push_back(static_cast<unsigned>(index % 1000));
    index /= 1000;
  } while (index > 0);
  std::string out;
  for (size_t i = groups.size(); i-- > 0;) {
    if (i > 0) out += 'x';
    unsigned group = groups[i];
    out += static_cast<char>('0' + group / 100);
    out += static_cast<char>('0' + group / 10 % 10);
    out += static_cast<char>('0' + group % 10);
    if (i > 0) out += '/';
  }
  return out;
}

Result<uint64_t> ParseTileIndex(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return MakeError(ErrorCode::kMalformed, "tile index " + QuoteUntrusted(text) + ": " + why);
  };
  if (text.size() > kMaxIndexGroups * 5) return bad("too long");
  uint64_t value = 0;
  size_t groups = 0;
  std::string_view rest = text;
  while (true) {
    size_t slash = rest.find('/');
    bool last = slash == std::string_view::npos;
    std::string_view group = last ? rest : rest.substr(0, slash);
    // static-ct-api "Merkle Tree": "All but the last path element MUST begin with an x".
    if (!last) {
      if (group.empty() || group[0] != 'x') return bad("every group but the last starts with 'x'");
      group.remove_prefix(1);
    }
    if (group.size() != 3 || !IsDigit(group[0]) || !IsDigit(group[1]) || !IsDigit(group[2])) {
      return bad("groups are 3 digits");
    }
    if (++groups > kMaxIndexGroups) return bad("too many groups");
    uint64_t digits =
        static_cast<uint64_t>((group[0] - '0') * 100 + (group[1] - '0') * 10 + (group[2] - '0'));
    // A leading "x000" group would give a second spelling of the same index.
    if (groups == 1 && !last && digits == 0) return bad("leading zero group");
    value = value * 1000 + digits;
    if (last) break;
    rest.remove_prefix(slash + 1);
  }
  return value;
}

std::string TilePath(const TileId& tile) {
  std::string path = "tile/";
  path += tile.is_data ? std::string("data") : std::to_string(tile.level);
  path += '/';
  path += EncodeTileIndex(tile.index);
  if (tile.is_partial()) {
    path += kPartialSuffix;
    path += std::to_string(tile.width);
  }
  return path;
}

Result<TileId> ParseTilePath(std::string_view path) {
  auto bad = [&](const std::string& why) {
    return MakeError(ErrorCode::kMalformed, "tile path " + QuoteUntrusted(path) + ": " + why);
  };
  // "tile/data/" + 6 groups + ".p/255" is well under 64 characters.
  if (path.size() > 64) return bad("too long");
  constexpr std::string_view kPrefix = "tile/";
  if (!path.starts_with(kPrefix)) return bad("does not start with tile/");
  std::string_view rest = path.substr(kPrefix.size());
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return bad("no tile index");
  std::string_view level_text = rest.substr(0, slash);
  rest.remove_prefix(slash + 1);

  TileId tile;
  if (level_text == "data") {
    tile.is_data = true;
  } else {
    Result<uint64_t> level = ParseSmallDecimal(level_text, 0, kMaxTileLevel, "level");
    if (!level) return std::unexpected(WithContext(level.error(), "tile path"));
    tile.level = static_cast<int>(*level);
  }
  std::string_view index_text = rest;
  if (size_t partial = rest.find(kPartialSuffix); partial != std::string_view::npos) {
    index_text = rest.substr(0, partial);
    Result<uint64_t> width =
        ParseSmallDecimal(rest.substr(partial + kPartialSuffix.size()), 1, kTileWidth - 1, "width");
    if (!width) return std::unexpected(WithContext(width.error(), "tile path"));
    tile.width = static_cast<uint32_t>(*width);
  }
  Result<uint64_t> index = ParseTileIndex(index_text);
  if (!index) return std::unexpected(index.error());
  tile.index = *index;
  return tile;
}

uint64_t TileLevelHashCount(int level, uint64_t tree_size) {
  if (level < 0 || level > kMaxTileLevel) return 0;
  return tree_size >> (kTileHeight * level);
}

uint32_t TileWidthInTree(int level, uint64_t index, uint64_t tree_size) {
  uint64_t count = TileLevelHashCount(level, tree_size);
  uint64_t full_tiles = count / kTileWidth;
  if (index < full_tiles) return kTileWidth;
  if (index == full_tiles) return static_cast<uint32_t>(count % kTileWidth);  // 0: no tile
  return 0;
}

}  // namespace ctkit
