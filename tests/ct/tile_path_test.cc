// Tile paths and tile geometry (ct/tile_path.h, c2sp.org/static-ct-api "Merkle Tree").

#include "ct/tile_path.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ctkit {
namespace {

TEST(TileIndexTest, EncodesThreeDigitGroups) {
  EXPECT_EQ(EncodeTileIndex(0), "000");
  EXPECT_EQ(EncodeTileIndex(1), "001");
  EXPECT_EQ(EncodeTileIndex(999), "999");
  EXPECT_EQ(EncodeTileIndex(1000), "x001/000");
  EXPECT_EQ(EncodeTileIndex(1234067), "x001/x234/067");  // the spec's example
  EXPECT_EQ(EncodeTileIndex(UINT64_MAX), "x018/x446/x744/x073/x709/x551/615");
}

TEST(TileIndexTest, ParsesWhatItEncodes) {
  for (uint64_t n : {0ull, 1ull, 999ull, 1000ull, 1001ull, 999999ull, 1000000ull, 1234067ull,
                     (1ull << 32) + 7, 999999999999999999ull}) {
    Result<uint64_t> parsed = ParseTileIndex(EncodeTileIndex(n));
    ASSERT_TRUE(parsed) << n << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, n);
  }
}

TEST(TileIndexTest, RejectsEveryOtherSpelling) {
  for (const char* bad : {"",
                          "0",
                          "00",
                          "0000",
                          "1",
                          "x001",
                          "001/000",
                          "x001/x000",
                          "x000/001",
                          "x001/00",
                          "x001/0000",
                          "x01/000",
                          "X001/000",
                          "x001//000",
                          "/000",
                          "000/",
                          "x001/000/",
                          "+01",
                          "-01",
                          "0x1",
                          "x0a1/000",
                          "１２３",
                          "x001/x002/x003/x004/x005/x006/007"}) {
    EXPECT_FALSE(ParseTileIndex(bad)) << bad;
  }
}

TEST(TilePathTest, FormatsAndParsesHashAndDataTiles) {
  struct Case {
    TileId tile;
    std::string path;
  };
  std::vector<Case> cases = {
      {{.level = 0, .index = 0}, "tile/0/000"},
      {{.level = 2, .index = 1234067, .width = 5}, "tile/2/x001/x234/067.p/5"},
      {{.level = 5, .index = 1000, .width = 255}, "tile/5/x001/000.p/255"},
      {{.is_data = true, .index = 7}, "tile/data/007"},
      {{.is_data = true, .index = 1000, .width = 1}, "tile/data/x001/000.p/1"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(TilePath(c.tile), c.path);
    Result<TileId> parsed = ParseTilePath(c.path);
    ASSERT_TRUE(parsed) << c.path << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, c.tile) << c.path;
  }
}

TEST(TilePathTest, RejectsMalformedPaths) {
  for (const char* bad :
       {"",
        "tile",
        "tile/",
        "tile/0",
        "tile/0/",
        "/tile/0/000",
        "tile/6/000",
        "tile/00/000",
        "tile/-1/000",
        "tile/01/000",
        "tile/a/000",
        "tile/entries/000",
        "tile/0/000.p/0",
        "tile/0/000.p/256",
        "tile/0/000.p/",
        "tile/0/000.p/05",
        "tile/0/000.p/5/",
        "tile/0/000.p/5.p/3",
        "tile/0/000.p",
        "tile/0/000p/5",
        "tile/data/000.p/1000",
        "tile/0/000?x=1",
        "tile/0/x001/x002/x003/x004/x005/x006/007",
        "tiles/0/000",
        "tile/0/0000000000000000000000000000000000000000000000000000000000000000"}) {
    EXPECT_FALSE(ParseTilePath(bad)) << bad;
  }
}

TEST(TileGeometryTest, MatchesTheSpecExamples) {
  // tlog-tiles "Partial Tiles": a tree of size 70,000 has 273 full level 0 tiles, a partial
  // level 0 tile of width 112, one full level 1 tile, a partial level 1 tile of width 17 and a
  // partial level 2 tile of width 1.
  uint64_t size = 70000;
  EXPECT_EQ(TileLevelHashCount(0, size), 70000u);
  EXPECT_EQ(TileWidthInTree(0, 272, size), kTileWidth);
  EXPECT_EQ(TileWidthInTree(0, 273, size), 112u);
  EXPECT_EQ(TileWidthInTree(0, 274, size), 0u);
  EXPECT_EQ(TileWidthInTree(1, 0, size), kTileWidth);
  EXPECT_EQ(TileWidthInTree(1, 1, size), 17u);
  EXPECT_EQ(TileWidthInTree(2, 0, size), 1u);
  EXPECT_EQ(TileWidthInTree(3, 0, size), 0u);
  // "a tree of size 256 will be represented by a full level 0 tile and a partial level 1 tile
  // of width 1"; and no empty level 0 tile after it.
  EXPECT_EQ(TileWidthInTree(0, 0, 256), kTileWidth);
  EXPECT_EQ(TileWidthInTree(0, 1, 256), 0u);
  EXPECT_EQ(TileWidthInTree(1, 0, 256), 1u);
  EXPECT_EQ(TileWidthInTree(0, 0, 0), 0u);
  EXPECT_EQ(TileWidthInTree(6, 0, UINT64_MAX), 0u);  // outside static-ct-api's levels
  EXPECT_EQ(TileWidthInTree(0, UINT64_MAX, UINT64_MAX), 0u);
}

}  // namespace
}  // namespace ctkit
