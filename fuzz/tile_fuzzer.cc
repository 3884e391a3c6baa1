// libFuzzer target: what a static-ct-api log serves besides its checkpoint (c2sp.org/tlog-tiles,
// c2sp.org/static-ct-api): tile paths, data tiles (TileLeaf entries), and the gzip that may wrap
// any tile. The first input byte chooses the view; the rest is the data.
//   - tile paths and indices that parse print back to the same text;
//   - a data tile that parses has exactly its width in entries and re-encodes to the same bytes,
//     and each entry has a computable leaf hash;
//   - gunzip never returns more than its bound, and what it returns survives gzip + gunzip.

#include <cstddef>
#include <cstdint>
#include <string>

#include "ct/log_entry.h"
#include "ct/tile_leaf.h"
#include "ct/tile_path.h"
#include "fuzz/fuzz_check.h"
#include "logclient/gzip.h"

namespace {

using ctkit::fuzz::Check;
using ctkit::fuzz::SameBytes;

void FuzzPaths(ctkit::ByteSpan input) {
  const std::string_view text = ctkit::fuzz::AsText(input);
  if (auto tile = ctkit::ParseTilePath(text)) {
    Check(tile->width >= 1 && tile->width <= ctkit::kTileWidth);
    Check(tile->level >= 0 && tile->level <= ctkit::kMaxTileLevel);
    Check(ctkit::TilePath(*tile) == text);
  }
  if (auto index = ctkit::ParseTileIndex(text)) Check(ctkit::EncodeTileIndex(*index) == text);
}

void FuzzDataTile(uint8_t width_byte, ctkit::ByteSpan input) {
  const size_t width = size_t{width_byte} + 1;  // 1..256
  auto leaves = ctkit::ParseDataTile(input, width);
  if (!leaves) return;
  Check(leaves->size() == width);
  ctkit::Bytes again;
  for (const ctkit::TileLeaf& leaf : *leaves) {
    Check(ctkit::AppendTileLeaf(leaf, again).has_value());
    Check(ctkit::LeafHashOf(leaf.timestamped_entry).has_value());
  }
  Check(SameBytes(again, input));
}

void FuzzGzip(uint8_t bound_byte, ctkit::ByteSpan input) {
  // Bounds from 0 to 2 MiB, to reach both "fits" and "too large".
  const size_t max_output = size_t{bound_byte} << 13;
  auto inflated = ctkit::Gunzip(input, max_output);
  if (!inflated) return;
  Check(ctkit::HasGzipMagic(input));
  Check(inflated->size() <= max_output);
  auto deflated = ctkit::Gzip(*inflated);
  Check(deflated.has_value());
  auto again = ctkit::Gunzip(*deflated, max_output);
  Check(again.has_value() && *again == *inflated);
}

void FuzzTreeGeometry(ctkit::ByteSpan input) {
  if (input.size() < 17) return;
  uint64_t tree_size = 0, index = 0;
  for (int i = 0; i < 8; ++i) tree_size = tree_size << 8 | input[i];
  for (int i = 8; i < 16; ++i) index = index << 8 | input[i];
  const int level = input[16] % (ctkit::kMaxTileLevel + 1);
  const uint32_t width = ctkit::TileWidthInTree(level, index, tree_size);
  Check(width <= ctkit::kTileWidth);
  const uint64_t hashes = ctkit::TileLevelHashCount(level, tree_size);
  // A tile exists exactly when the level has a hash at or after the tile's first position.
  const uint64_t tiles = hashes / ctkit::kTileWidth + (hashes % ctkit::kTileWidth != 0 ? 1 : 0);
  Check((width > 0) == (index < tiles));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const ctkit::ByteSpan rest(data + 2, size - 2);
  switch (data[0] % 4) {
    case 0:
      FuzzPaths(rest);
      break;
    case 1:
      FuzzDataTile(data[1], rest);
      break;
    case 2:
      FuzzGzip(data[1], rest);
      break;
    default:
      FuzzTreeGeometry(rest);
      break;
  }
  return 0;
}
