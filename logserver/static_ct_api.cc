#include "logserver/static_ct_api.h"

#include "ct/checkpoint.h"
#include "ct/tile_path.h"

namespace ctkit {
namespace {

constexpr std::string_view kTilePrefix = "/tile/";
constexpr std::string_view kIssuerPrefix = "/issuer/";

StaticApiResponse Text(int status, std::string body) {
  return {.status = status,
          .content_type = "text/plain; charset=utf-8",
          .cache_control = kNoCacheControl,
          .body = std::move(body) + "\n"};
}

StaticApiResponse FromError(const Error& error) {
  // kNotFound and kInvalidArgument (a path that names nothing) are the client's; the rest ours.
  if (error.code == ErrorCode::kNotFound || error.code == ErrorCode::kInvalidArgument ||
      error.code == ErrorCode::kMalformed) {
    return Text(404, "not found: " + error.message);
  }
  return Text(500, "internal error: " + error.message);
}

StaticApiResponse Immutable(const char* content_type, const Bytes& body) {
  return {.status = 200,
          .content_type = content_type,
          .cache_control = kImmutableCacheControl,
          .body = std::string(body.begin(), body.end())};
}

// static-ct-api "Issuers": "<fingerprint> is the lowercase hex-encoded SHA-256 hash".
Result<Sha256Digest> ParseFingerprint(std::string_view text) {
  if (text.size() != 2 * kSha256Size ||
      text.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
    return MakeError(ErrorCode::kMalformed, "issuer fingerprint " + QuoteUntrusted(text) +
                                                " is not 64 lowercase hex digits");
  }
  ASSIGN_OR_RETURN(Bytes bytes, HexDecode(text));
  Sha256Digest digest;
  std::copy(bytes.begin(), bytes.end(), digest.begin());
  return digest;
}

}  // namespace

bool IsValidCheckpointOrigin(std::string_view origin) { return IsValidNoteKeyName(origin); }

StaticApiResponse ServeStaticCtApi(LogService& service, std::string_view origin,
                                   std::string_view path) {
  if (path == "/checkpoint") {
    Result<SignedTreeHead> head = service.LatestHead();
    if (!head) return FromError(head.error());
    Result<std::string> note =
        CheckpointFromSignedTreeHead(*head, origin, service.signer().log_id());
    if (!note) return Text(500, "internal error: " + note.error().message);
    return {.status = 200,
            .content_type = "text/plain; charset=utf-8",
            .cache_control = kNoCacheControl,
            .body = std::move(*note)};
  }
  if (path.starts_with(kTilePrefix)) {
    Result<TileId> tile = ParseTilePath(path.substr(1));
    if (!tile) return FromError(tile.error());
    Result<Bytes> body = tile->is_data ? service.DataTile(*tile) : service.HashTile(*tile);
    if (!body) return FromError(body.error());
    return Immutable("application/octet-stream", *body);
  }
  if (path.starts_with(kIssuerPrefix)) {
    Result<Sha256Digest> fingerprint = ParseFingerprint(path.substr(kIssuerPrefix.size()));
    if (!fingerprint) return FromError(fingerprint.error());
    Result<Bytes> der = service.Issuer(*fingerprint);
    if (!der) return FromError(der.error());
    return Immutable("application/pkix-cert", *der);
  }
  return Text(404, "not found");
}

}  // namespace ctkit
