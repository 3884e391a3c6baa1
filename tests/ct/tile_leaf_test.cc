// Data tile entries (ct/tile_leaf.h, c2sp.org/static-ct-api "Log entries").

#include "ct/tile_leaf.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ct/tls_codec.h"

namespace ctkit {
namespace {

using ::testing::HasSubstr;

TimestampedEntry X509Entry(uint64_t timestamp, Bytes cert) {
  return {.timestamp_ms = timestamp, .signed_entry = *X509SignedEntry(cert)};
}

TimestampedEntry PrecertEntry(uint64_t timestamp) {
  Sha256Digest key_hash;
  key_hash.fill(0xAB);
  return {.timestamp_ms = timestamp,
          .signed_entry = *PrecertSignedEntry(key_hash, Bytes{0x30, 0x03, 0x02, 0x01, 0x07}),
          .extensions = *SerializeSctExtensions({.leaf_index = 5})};
}

TEST(TileLeafTest, X509EntryLayout) {
  Sha256Digest issuer;
  issuer.fill(0x11);
  TileLeaf leaf{.timestamped_entry = X509Entry(0x0102030405060708, {0xC0, 0xFF, 0xEE}),
                .certificate_chain = {issuer}};
  Bytes tile;
  ASSERT_TRUE(AppendTileLeaf(leaf, tile));
  // timestamp, entry_type x509 (0), ASN.1Cert<1..2^24-1>, extensions<0..2^16-1>, then (no
  // pre_certificate) Fingerprint certificate_chain<0..2^16-1>.
  EXPECT_EQ(HexEncode(tile),
            "0102030405060708"
            "0000"
            "000003c0ffee"
            "0000"
            "0020" +
                std::string(64, '1'));
  Result<std::vector<TileLeaf>> parsed = ParseDataTile(tile, 1);
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0], leaf);
}

TEST(TileLeafTest, PrecertEntryCarriesThePrecertificate) {
  Sha256Digest a, b;
  a.fill(0x0A);
  b.fill(0x0B);
  TileLeaf precert{.timestamped_entry = PrecertEntry(42),
                   .pre_certificate = {0x30, 0x00, 0x99},
                   .certificate_chain = {a, b}};
  TileLeaf plain{.timestamped_entry = X509Entry(43, {0x01})};
  Bytes tile;
  ASSERT_TRUE(AppendTileLeaf(precert, tile));
  ASSERT_TRUE(AppendTileLeaf(plain, tile));
  Result<std::vector<TileLeaf>> parsed = ParseDataTile(tile, 2);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ((*parsed)[0], precert);
  EXPECT_EQ((*parsed)[1], plain);
  // The leaf hash follows from the TimestampedEntry alone, as for the MerkleTreeLeaf.
  EXPECT_EQ(*LeafHashOf((*parsed)[0].timestamped_entry),
            HashLeaf(*SerializeMerkleTreeLeaf(precert.timestamped_entry)));
}

TEST(TileLeafTest, FromLogEntryFingerprintsTheChain) {
  Bytes issuer = {0x30, 0x01, 0x01}, root = {0x30, 0x01, 0x02};
  TimestampedEntry entry = X509Entry(7, {0x05});
  Bytes leaf_input = *SerializeMerkleTreeLeaf(entry);
  Bytes extra_data = *SerializeExtraData(LogEntryType::kX509, {.chain = {issuer, root}});
  Result<TileLeaf> leaf = TileLeafFromLogEntry(leaf_input, extra_data);
  ASSERT_TRUE(leaf) << leaf.error().message;
  EXPECT_EQ(leaf->timestamped_entry, entry);
  EXPECT_TRUE(leaf->pre_certificate.empty());
  EXPECT_EQ(leaf->certificate_chain, (std::vector<Sha256Digest>{Sha256(issuer), Sha256(root)}));

  TimestampedEntry precert = PrecertEntry(8);
  Bytes precert_extra = *SerializeExtraData(LogEntryType::kPrecert,
                                            {.pre_certificate = {0x30, 0x00}, .chain = {issuer}});
  leaf = TileLeafFromLogEntry(*SerializeMerkleTreeLeaf(precert), precert_extra);
  ASSERT_TRUE(leaf);
  EXPECT_EQ(leaf->pre_certificate, (Bytes{0x30, 0x00}));
  EXPECT_EQ(leaf->certificate_chain, std::vector<Sha256Digest>{Sha256(issuer)});
  // extra_data of the wrong type does not parse.
  EXPECT_FALSE(TileLeafFromLogEntry(*SerializeMerkleTreeLeaf(precert), extra_data));
}

TEST(TileLeafTest, ParseIsStrict) {
  Bytes tile;
  ASSERT_TRUE(AppendTileLeaf({.timestamped_entry = X509Entry(1, {0x01})}, tile));
  ASSERT_TRUE(
      AppendTileLeaf({.timestamped_entry = PrecertEntry(2), .pre_certificate = {0x30}}, tile));
  EXPECT_TRUE(ParseDataTile(tile, 2));
  EXPECT_FALSE(ParseDataTile(tile, 1));  // trailing entry
  EXPECT_FALSE(ParseDataTile(tile, 3));  // missing entry
  EXPECT_FALSE(ParseDataTile(tile, 0));
  EXPECT_FALSE(ParseDataTile(tile, 257));
  for (size_t cut = 0; cut < tile.size(); ++cut) {
    EXPECT_FALSE(ParseDataTile(ByteSpan(tile).first(cut), 2)) << cut;
  }
  // A chain whose length is not a multiple of 32.
  Bytes odd;
  ASSERT_TRUE(AppendTileLeaf({.timestamped_entry = X509Entry(1, {0x01})}, odd));
  odd.resize(odd.size() - 2);
  odd.insert(odd.end(), {0x00, 0x05, 1, 2, 3, 4, 5});
  Result<std::vector<TileLeaf>> parsed = ParseDataTile(odd, 1);
  ASSERT_FALSE(parsed);
  EXPECT_THAT(parsed.error().message, HasSubstr("multiple of 32"));
  // An unknown entry type.
  Bytes unknown = tile;
  unknown[9] = 2;
  EXPECT_FALSE(ParseDataTile(unknown, 2));
}

}  // namespace
}  // namespace ctkit
