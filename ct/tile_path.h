// Tile coordinates and their URL paths in a static-ct-api log (c2sp.org/static-ct-api "Merkle
// Tree" and "Log entries", which follow c2sp.org/tlog-tiles).
//
// A tile is 256 consecutive hashes of one tree level (or, for a data tile, 256 consecutive
// entries). The hash tile at level L, index N holds, for i in [0, width),
//
//   MTH(D[(N * 256 + i) * 256^L : (N * 256 + i + 1) * 256^L])
//
// i.e. the perfect subtrees of 2^(8L) leaves (NodeId{8L, N * 256 + i}, merkle/merkle_proof_plan.h).
// A full tile has 256 of them; the rightmost tile of a level in a tree of size s is partial, with
// floor(s / 256^L) mod 256 hashes, and an empty tile does not exist (tlog-tiles "Partial Tiles").
// A data tile holds the entries whose leaf hashes make up the level 0 tile of the same index.
//
// Paths (static-ct-api "Merkle Tree"), relative to the monitoring prefix:
//   tile/<L>/<N>[.p/<W>]      hash tiles, L in 0..5
//   tile/data/<N>[.p/<W>]     data tiles
// N is written in 3-digit groups, every group but the last prefixed with 'x' (1234067 is
// "x001/x234/067"); W, the width of a partial tile, is 1..255. Numbers have no extra leading
// zeros, so every tile has exactly one path, and parsing rejects any other spelling.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"

namespace ctkit {

inline constexpr uint32_t kTileWidth = 256;  // hashes (entries) in a full tile
inline constexpr int kTileHeight = 8;        // tree levels a tile spans: 2^8 = 256
// static-ct-api "Merkle Tree": `<L>` "MUST be a decimal ASCII integer between 0 and 5".
inline constexpr int kMaxTileLevel = 5;

struct TileId {
  bool is_data = false;         // a data tile (tile/data/...), else a hash tile
  int level = 0;                // hash tiles: 0..kMaxTileLevel; 0 for data tiles
  uint64_t index = 0;           // N
  uint32_t width = kTileWidth;  // kTileWidth for a full tile, 1..255 for a partial one

  bool is_partial() const { return width < kTileWidth; }
  bool operator==(const TileId&) const = default;
};

// "x001/x234/067" for 1234067; "000" for 0.
std::string EncodeTileIndex(uint64_t index);

// The inverse of EncodeTileIndex, strictly: 3 digits per group, 'x' on all but the last group, no
// leading all-zero group, at most 6 groups. kMalformed otherwise.
Result<uint64_t> ParseTileIndex(std::string_view text);

// "tile/0/x001/234.p/5", "tile/data/000" (no leading slash). `tile` must be valid (level within
// 0..kMaxTileLevel, width 1..256).
std::string TilePath(const TileId& tile);

// Parses a path as TilePath writes it (no leading slash), rejecting every other spelling:
// kMalformed for anything that is not a tile path of static-ct-api.
Result<TileId> ParseTilePath(std::string_view path);

// Number of hashes of tile level `level` in a tree of `tree_size` leaves: floor(s / 256^level),
// the complete subtrees of 256^level leaves. For level 0 this is the number of entries.
uint64_t TileLevelHashCount(int level, uint64_t tree_size);

// The width the tile at (`level`, `index`) has in a tree of `tree_size`: kTileWidth when full,
// 1..255 when it is that tree's partial tile, 0 when the tree has no such tile. Data tiles have
// the widths of level 0.
uint32_t TileWidthInTree(int level, uint64_t index, uint64_t tree_size);

}  // namespace ctkit
