#include "ct/sct.h"

#include <algorithm>
#include <string>

#include "ct/tls_codec.h"

namespace ctkit {
namespace {

constexpr uint64_t kU16Max = 0xffff;

template <typename T>
std::unexpected<Error> Context(const Result<T>& failed, const std::string& what) {
  return std::unexpected(WithContext(failed.error(), what));
}

}  // namespace

Result<SignedCertificateTimestamp> ParseSct(ByteSpan serialized) {
  TlsReader reader(serialized);
  SignedCertificateTimestamp sct;
  auto version = reader.ReadU8();
  if (!version) return Context(version, "SCT version");
  if (*version != static_cast<uint8_t>(SctVersion::kV1)) {
    // The rest of the structure is defined by that version; don't guess at it.
    return MakeError(ErrorCode::kUnsupported,
                     "SCT version " + std::to_string(*version) + " (only v1 = 0 is known)");
  }
  auto log_id = reader.ReadFixed(sct.log_id.size());
  if (!log_id) return Context(log_id, "SCT log_id");
  std::copy(log_id->begin(), log_id->end(), sct.log_id.begin());
  auto timestamp = reader.ReadU64();
  if (!timestamp) return Context(timestamp, "SCT timestamp");
  sct.timestamp_ms = *timestamp;
  auto extensions = reader.ReadVector(0, kU16Max);
  if (!extensions) return Context(extensions, "SCT extensions");
  sct.extensions.assign(extensions->begin(), extensions->end());
  auto signature = ReadDigitallySigned(reader);
  if (!signature) return Context(signature, "SCT signature");
  sct.signature = std::move(*signature);
  RETURN_IF_ERROR(reader.ExpectEmpty("SCT"));
  return sct;
}

Result<Bytes> SerializeSct(const SignedCertificateTimestamp& sct) {
  if (sct.version != SctVersion::kV1) {
    return MakeError(ErrorCode::kInvalidArgument, "SCT version is not v1");
  }
  TlsBuilder builder;
  builder.AddU8(static_cast<uint8_t>(sct.version))
      .AddFixed(sct.log_id)
      .AddU64(sct.timestamp_ms)
      .AddVector(0, kU16Max, sct.extensions);
  AddDigitallySigned(builder, sct.signature);
  return std::move(builder).Finish();
}

Result<std::vector<Bytes>> ParseSctList(ByteSpan list) {
  TlsReader outer(list);
  auto body = outer.ReadVector(1, kU16Max);
  if (!body) return Context(body, "SCT list");
  RETURN_IF_ERROR(outer.ExpectEmpty("SCT list"));
  std::vector<Bytes> scts;
  TlsReader reader(*body);
  while (!reader.empty()) {
    auto sct = reader.ReadVector(1, kU16Max);
    if (!sct) return Context(sct, "SCT list entry " + std::to_string(scts.size()));
    scts.emplace_back(sct->begin(), sct->end());
  }
  return scts;
}

Result<Bytes> SerializeSctList(std::span<const Bytes> serialized_scts) {
  TlsBuilder entries;
  for (const Bytes& sct : serialized_scts) entries.AddVector(1, kU16Max, sct);
  auto body = std::move(entries).Finish();
  if (!body) return Context(body, "SCT list");
  TlsBuilder list;
  list.AddVector(1, kU16Max, *body);
  auto out = std::move(list).Finish();
  if (!out) return Context(out, "SCT list");
  return out;
}

Result<SctExtensions> ParseSctExtensions(ByteSpan extensions) {
  TlsReader reader(extensions);
  SctExtensions out;
  // One flag per possible type, for the spec's "Duplicate extensions ... MUST NOT be included".
  bool seen[256] = {};
  while (!reader.empty()) {
    auto type = reader.ReadU8();
    if (!type) return Context(type, "SCT extension type");
    auto data = reader.ReadVector(0, kU16Max);
    if (!data) return Context(data, "SCT extension " + std::to_string(*type));
    if (seen[*type]) {
      return MakeError(ErrorCode::kMalformed,
                       "SCT extension " + std::to_string(*type) + " appears twice");
    }
    seen[*type] = true;
    if (*type == kSctExtensionLeafIndex) {
      TlsReader index(*data);
      auto value = index.ReadU40();
      if (!value || !index.empty()) {
        return MakeError(
            ErrorCode::kMalformed,
            "leaf_index extension: " + std::to_string(data->size()) + " bytes, must be 5 (uint40)");
      }
      out.leaf_index = *value;
    }
  }
  return out;
}

Result<Bytes> SerializeSctExtensions(const SctExtensions& extensions) {
  TlsBuilder builder;
  if (extensions.leaf_index) {
    if (*extensions.leaf_index > kMaxLeafIndex) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "leaf_index " + std::to_string(*extensions.leaf_index) + " exceeds 2^40-1");
    }
    TlsBuilder index;
    index.AddU40(*extensions.leaf_index);
    auto data = std::move(index).Finish();
    if (!data) return data;
    builder.AddU8(kSctExtensionLeafIndex).AddVector(0, kU16Max, *data);
  }
  return std::move(builder).Finish();
}

}  // namespace ctkit
