#include "logclient/log_client_json.h"

#include <nlohmann/json.hpp>

#include "ct/json_input.h"
#include "ct/tls_codec.h"
#include "logclient/get_entries_scanner.h"

namespace ctkit {
namespace {

using Json = nlohmann::json;

// Base64 characters that encode at most `max_bytes` bytes.
constexpr size_t Base64Length(size_t max_bytes) { return (max_bytes + 2) / 3 * 4; }

// `object[field]` as a string of base64 encoding at most `max_bytes` bytes; `path` names the
// field in errors ("entries[3].leaf_input").
Result<Bytes> JsonBase64(const Json& object, const std::string& field, size_t max_bytes,
                         const std::string& path) {
  if (!object.is_object() || !object.contains(field)) {
    return MakeError(ErrorCode::kMalformed, path + ": missing");
  }
  const Json& value = object[field];
  if (!value.is_string()) return MakeError(ErrorCode::kMalformed, path + ": not a string");
  const std::string& text = value.get_ref<const std::string&>();
  if (text.size() > Base64Length(max_bytes)) {
    return MakeError(ErrorCode::kTooLarge,
                     path + ": longer than " + std::to_string(max_bytes) + " bytes");
  }
  ASSIGN_OR_RETURN(Bytes bytes, Base64Decode(text), path);
  return bytes;
}

// `object[field]` as an array of at most `max_items` items.
Result<const Json*> JsonArray(const Json& object, const std::string& field, size_t max_items) {
  if (!object.is_object() || !object.contains(field)) {
    return MakeError(ErrorCode::kMalformed, field + ": missing");
  }
  const Json& value = object[field];
  if (!value.is_array()) return MakeError(ErrorCode::kMalformed, field + ": not an array");
  if (value.size() > max_items) {
    return MakeError(ErrorCode::kMalformed, field + ": " + std::to_string(value.size()) +
                                                " items, more than " + std::to_string(max_items));
  }
  return &value;
}

// A JSON array of base64 Merkle node hashes (32 bytes each).
Result<std::vector<MerkleHash>> ParseProofNodes(const Json& object, const std::string& field) {
  ASSIGN_OR_RETURN(const Json* nodes, JsonArray(object, field, kMaxProofNodes));
  std::vector<MerkleHash> proof;
  proof.reserve((nodes)->size());
  for (size_t i = 0; i < (nodes)->size(); ++i) {
    const Json& node = (*nodes)[i];
    std::string path = field + "[" + std::to_string(i) + "]";
    if (!node.is_string()) return MakeError(ErrorCode::kMalformed, path + ": not a string");
    const std::string& text = node.get_ref<const std::string&>();
    if (text.size() != Base64Length(kMerkleHashSize)) {
      return MakeError(ErrorCode::kMalformed, path + ": not a 32-byte hash in base64");
    }
    ASSIGN_OR_RETURN(Bytes bytes, Base64Decode(text), path);
    ASSIGN_OR_RETURN(MerkleHash hash, MerkleHashFromBytes(bytes), path);
    proof.push_back(hash);
  }
  return proof;
}

Result<Json> ParseObject(std::string_view body) {
  Result<Json> json = ParseJson(body);
  if (!json) return std::unexpected(json.error());
  if (!json->is_object()) return MakeError(ErrorCode::kMalformed, "response is not a JSON object");
  return json;
}

Result<RawLogEntry> ParseRawEntry(const Json& object, const std::string& path) {
  if (!object.is_object()) return MakeError(ErrorCode::kMalformed, path + ": not an object");
  std::string prefix = path.empty() ? "" : path + ".";
  Result<Bytes> leaf_input =
      JsonBase64(object, "leaf_input", kMaxLeafInputBytes, prefix + "leaf_input");
  if (!leaf_input) return std::unexpected(leaf_input.error());
  Result<Bytes> extra_data =
      JsonBase64(object, "extra_data", kMaxExtraDataBytes, prefix + "extra_data");
  if (!extra_data) return std::unexpected(extra_data.error());
  return RawLogEntry{std::move(*leaf_input), std::move(*extra_data)};
}

}  // namespace

Result<EntryChain> LogEntry::chain() const {
  if (!parse_error.empty()) return MakeError(ErrorCode::kMalformed, parse_error);
  return ParseExtraData(entry.signed_entry.type, extra_data);
}

ByteSpan LogEntry::pre_certificate() const {
  if (!parse_error.empty() || entry.signed_entry.type != LogEntryType::kPrecert) return {};
  Result<ByteSpan> precert = CheckExtraData(LogEntryType::kPrecert, extra_data);
  return precert ? *precert : ByteSpan();
}

Result<LogEntry> MakeLogEntry(uint64_t index, Bytes leaf_input, Bytes extra_data) {
  Result<TimestampedEntry> entry = ParseMerkleTreeLeaf(leaf_input);
  if (!entry) return std::unexpected(WithContext(entry.error(), "leaf_input"));
  if (Result<ByteSpan> chain = CheckExtraData(entry->signed_entry.type, extra_data); !chain) {
    return std::unexpected(WithContext(chain.error(), "extra_data"));
  }
  LogEntry result{.index = index,
                  .leaf_input = std::move(leaf_input),
                  .extra_data = std::move(extra_data),
                  .entry = std::move(*entry)};
  // leaf_input parsed strictly (no trailing bytes), so it is exactly the MerkleTreeLeaf whose
  // hash the tree holds (RFC 6962 §2.1: leaf hash = SHA-256(0x00 || MerkleTreeLeaf)).
  result.leaf_hash = HashLeaf(result.leaf_input);
  return result;
}

LogEntry MakeLenientLogEntry(uint64_t index, Bytes leaf_input, Bytes extra_data) {
  LogEntry result{.index = index};
  result.leaf_hash = HashLeaf(leaf_input);
  if (Result<TimestampedEntry> entry = ParseMerkleTreeLeaf(leaf_input); !entry) {
    result.parse_error = "leaf_input: " + entry.error().message;
  } else {
    result.entry = std::move(*entry);
    if (Result<ByteSpan> chain = CheckExtraData(result.entry.signed_entry.type, extra_data);
        !chain) {
      result.parse_error = "extra_data: " + chain.error().message;
    }
  }
  result.leaf_input = std::move(leaf_input);
  result.extra_data = std::move(extra_data);
  return result;
}

Result<std::vector<RawLogEntry>> ParseGetEntriesResponse(std::string_view body,
                                                         size_t max_entries) {
  // Nearly every body is canonical: scanned in one pass, it costs a fraction of a JSON tree.
  if (std::optional<std::vector<RawLogEntry>> entries =
          ScanCanonicalGetEntries(body, max_entries)) {
    return std::move(*entries);
  }
  return ParseGetEntriesResponseWithJsonTree(body, max_entries);
}

Result<std::vector<RawLogEntry>> ParseGetEntriesResponseWithJsonTree(std::string_view body,
                                                                     size_t max_entries) {
  ASSIGN_OR_RETURN(Json json, ParseObject(body));
  ASSIGN_OR_RETURN(const Json* items, JsonArray(json, "entries", max_entries));
  std::vector<RawLogEntry> entries;
  entries.reserve((items)->size());
  for (size_t i = 0; i < (items)->size(); ++i) {
    ASSIGN_OR_RETURN(RawLogEntry entry,
                     ParseRawEntry((*items)[i], "entries[" + std::to_string(i) + "]"));
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<std::vector<MerkleHash>> ParseGetSthConsistencyResponse(std::string_view body) {
  ASSIGN_OR_RETURN(Json json, ParseObject(body));
  return ParseProofNodes(json, "consistency");
}

Result<InclusionProof> ParseGetProofByHashResponse(std::string_view body) {
  ASSIGN_OR_RETURN(Json json, ParseObject(body));
  ASSIGN_OR_RETURN(uint64_t index, JsonUint(json, "leaf_index"));
  ASSIGN_OR_RETURN(std::vector<MerkleHash> path, ParseProofNodes(json, "audit_path"));
  return InclusionProof{index, std::move(path)};
}

Result<RawEntryAndProof> ParseGetEntryAndProofResponse(std::string_view body) {
  ASSIGN_OR_RETURN(Json json, ParseObject(body));
  ASSIGN_OR_RETURN(RawLogEntry entry, ParseRawEntry(json, ""));
  ASSIGN_OR_RETURN(std::vector<MerkleHash> path, ParseProofNodes(json, "audit_path"));
  return RawEntryAndProof{std::move(entry), std::move(path)};
}

Result<std::vector<Bytes>> ParseGetRootsResponse(std::string_view body) {
  ASSIGN_OR_RETURN(Json json, ParseObject(body));
  ASSIGN_OR_RETURN(const Json* items, JsonArray(json, "certificates", kMaxRoots));
  std::vector<Bytes> roots;
  roots.reserve((items)->size());
  for (size_t i = 0; i < (items)->size(); ++i) {
    std::string path = "certificates[" + std::to_string(i) + "]";
    const Json& item = (*items)[i];
    if (!item.is_string()) return MakeError(ErrorCode::kMalformed, path + ": not a string");
    const std::string& text = item.get_ref<const std::string&>();
    if (text.size() > Base64Length(kMaxRootCertificateBytes)) {
      return MakeError(
          ErrorCode::kMalformed,
          path + ": longer than " + std::to_string(kMaxRootCertificateBytes) + " bytes");
    }
    ASSIGN_OR_RETURN(Bytes der, Base64Decode(text), path);
    if (der.empty()) return MakeError(ErrorCode::kMalformed, path + ": empty");
    roots.push_back(std::move(der));
  }
  return roots;
}

Result<SignedCertificateTimestamp> ParseAddChainResponse(std::string_view body) {
  ASSIGN_OR_RETURN(Json json, ParseObject(body));
  ASSIGN_OR_RETURN(uint64_t version, JsonUint(json, "sct_version"));
  if (version != static_cast<uint64_t>(SctVersion::kV1)) {
    return MakeError(ErrorCode::kUnsupported,
                     "sct_version " + std::to_string(version) + " is not v1");
  }
  SignedCertificateTimestamp sct;
  ASSIGN_OR_RETURN(Bytes id, JsonBase64(json, "id", sct.log_id.size(), "id"));
  if (id.size() != sct.log_id.size()) {
    return MakeError(ErrorCode::kMalformed, "id: " + std::to_string(id.size()) + " bytes, not 32");
  }
  std::copy(id.begin(), id.end(), sct.log_id.begin());
  ASSIGN_OR_RETURN(uint64_t timestamp, JsonUint(json, "timestamp"));
  sct.timestamp_ms = timestamp;
  // RFC 6962 §3.2: CtExtensions is opaque<0..2^16-1>.
  Result<Bytes> extensions = JsonBase64(json, "extensions", 0xffff, "extensions");
  if (!extensions) return std::unexpected(extensions.error());
  sct.extensions = std::move(*extensions);
  // A DigitallySigned is 2 bytes of algorithms and an opaque<0..2^16-1> signature.
  Result<Bytes> signature = JsonBase64(json, "signature", 4 + 0xffff, "signature");
  if (!signature) return std::unexpected(signature.error());
  TlsReader reader(*signature);
  ASSIGN_OR_RETURN(DigitallySigned signed_value, ReadDigitallySigned(reader), "signature");
  if (Result<void> done = reader.ExpectEmpty("signature"); !done) {
    return std::unexpected(done.error());
  }
  sct.signature = std::move(signed_value);
  return sct;
}

std::string AddChainRequestJson(std::span<const Bytes> chain_der) {
  Json chain = Json::array();
  for (const Bytes& cert : chain_der) chain.push_back(Base64Encode(cert));
  return Json{{"chain", chain}}.dump();
}

}  // namespace ctkit
