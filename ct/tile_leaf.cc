#include "ct/tile_leaf.h"

#include <algorithm>
#include <string>

#include "ct/tile_path.h"
#include "ct/tls_codec.h"

namespace ctkit {
namespace {

constexpr uint64_t kU16Max = 0xffff;
constexpr uint64_t kU24Max = 0xffffff;
// MerkleTreeLeaf = version (v1 = 0) || leaf_type (timestamped_entry = 0) || TimestampedEntry.
constexpr size_t kMerkleTreeLeafHeader = 2;

// Reads one TimestampedEntry from a stream: its length is only known by walking its fields, then
// the bytes are parsed strictly as a MerkleTreeLeaf (ct/log_entry.h), so both paths share one
// parser.
Result<TimestampedEntry> ReadTimestampedEntry(TlsReader& reader) {
  TlsReader walk(reader.rest());
  Result<uint64_t> timestamp = walk.ReadU64();
  Result<uint16_t> type =
      timestamp ? walk.ReadU16() : Result<uint16_t>(std::unexpected(timestamp.error()));
  if (!type) return std::unexpected(WithContext(type.error(), "timestamped_entry"));
  if (*type == static_cast<uint16_t>(LogEntryType::kPrecert)) {
    if (Result<ByteSpan> key_hash = walk.ReadFixed(kSha256Size); !key_hash) {
      return std::unexpected(WithContext(key_hash.error(), "issuer_key_hash"));
    }
  } else if (*type != static_cast<uint16_t>(LogEntryType::kX509)) {
    return MakeError(ErrorCode::kMalformed, "unknown entry_type " + std::to_string(*type));
  }
  if (Result<ByteSpan> entry = walk.ReadVector(1, kU24Max); !entry) {
    return std::unexpected(WithContext(entry.error(), "signed_entry"));
  }
  if (Result<ByteSpan> extensions = walk.ReadVector(0, kU16Max); !extensions) {
    return std::unexpected(WithContext(extensions.error(), "extensions"));
  }
  size_t length = reader.remaining() - walk.remaining();
  ASSIGN_OR_RETURN(ByteSpan bytes, reader.ReadFixed(length));
  Bytes leaf(kMerkleTreeLeafHeader, 0);
  leaf.insert(leaf.end(), bytes.begin(), bytes.end());
  return ParseMerkleTreeLeaf(leaf);
}

Result<TileLeaf> ReadTileLeaf(TlsReader& reader) {
  TileLeaf leaf;
  ASSIGN_OR_RETURN(TimestampedEntry entry, ReadTimestampedEntry(reader));
  leaf.timestamped_entry = std::move(entry);
  if (leaf.timestamped_entry.signed_entry.type == LogEntryType::kPrecert) {
    ASSIGN_OR_RETURN(ByteSpan precert, reader.ReadVector(1, kU24Max), "pre_certificate");
    leaf.pre_certificate.assign(precert.begin(), precert.end());
  }
  ASSIGN_OR_RETURN(ByteSpan chain, reader.ReadVector(0, kU16Max), "certificate_chain");
  if (chain.size() % kSha256Size != 0) {
    return MakeError(ErrorCode::kMalformed, "certificate_chain is " + std::to_string(chain.size()) +
                                                " bytes, not a multiple of 32");
  }
  for (size_t offset = 0; offset < chain.size(); offset += kSha256Size) {
    Sha256Digest fingerprint;
    std::copy_n(chain.begin() + static_cast<std::ptrdiff_t>(offset), kSha256Size,
                fingerprint.begin());
    leaf.certificate_chain.push_back(fingerprint);
  }
  return leaf;
}

}  // namespace

Result<TileLeaf> TileLeafFromLogEntry(ByteSpan leaf_input, ByteSpan extra_data) {
  ASSIGN_OR_RETURN(TimestampedEntry entry, ParseMerkleTreeLeaf(leaf_input), "leaf_input");
  ASSIGN_OR_RETURN(EntryChain chain, ParseExtraData(entry.signed_entry.type, extra_data),
                   "extra_data");
  TileLeaf leaf;
  leaf.timestamped_entry = std::move(entry);
  leaf.pre_certificate = std::move(chain.pre_certificate);
  for (const Bytes& issuer : chain.chain) leaf.certificate_chain.push_back(Sha256(issuer));
  return leaf;
}

Result<void> AppendTileLeaf(const TileLeaf& leaf, Bytes& tile) {
  ASSIGN_OR_RETURN(Bytes merkle_leaf, SerializeMerkleTreeLeaf(leaf.timestamped_entry));
  Bytes fingerprints;
  fingerprints.reserve(leaf.certificate_chain.size() * kSha256Size);
  for (const Sha256Digest& fingerprint : leaf.certificate_chain) {
    fingerprints.insert(fingerprints.end(), fingerprint.begin(), fingerprint.end());
  }
  TlsBuilder builder;
  builder.AddFixed(ByteSpan(merkle_leaf).subspan(kMerkleTreeLeafHeader));
  if (leaf.timestamped_entry.signed_entry.type == LogEntryType::kPrecert) {
    builder.AddVector(1, kU24Max, leaf.pre_certificate);
  }
  builder.AddVector(0, kU16Max, fingerprints);
  ASSIGN_OR_RETURN(Bytes encoded, std::move(builder).Finish(), "TileLeaf");
  tile.insert(tile.end(), encoded.begin(), encoded.end());
  return {};
}

Result<std::vector<TileLeaf>> ParseDataTile(ByteSpan tile, size_t width) {
  if (width == 0 || width > kTileWidth) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "data tile width " + std::to_string(width) + " is outside 1..256");
  }
  TlsReader reader(tile);
  std::vector<TileLeaf> leaves;
  leaves.reserve(width);
  while (leaves.size() < width) {
    Result<TileLeaf> leaf = ReadTileLeaf(reader);
    if (!leaf) {
      return std::unexpected(
          WithContext(leaf.error(), "data tile entry " + std::to_string(leaves.size())));
    }
    leaves.push_back(std::move(*leaf));
  }
  if (Result<void> done = reader.ExpectEmpty("data tile"); !done)
    return std::unexpected(done.error());
  return leaves;
}

}  // namespace ctkit
