// The static-ct-api monitoring endpoints (c2sp.org/static-ct-api "Monitoring APIs") of the log,
// independent of the HTTP library: logserver/http_server.h routes GET requests for these paths
// here when the static API is on.
//
//   /checkpoint                 text/plain; charset=utf-8     the latest head as a checkpoint
//                                                             (ct/checkpoint.h), not cached
//   /tile/<L>/<N>[.p/<W>]       application/octet-stream      hash tiles (ct/tile_path.h)
//   /tile/data/<N>[.p/<W>]      application/octet-stream      data tiles (ct/tile_leaf.h)
//   /issuer/<hex SHA-256>       application/pkix-cert         chain certificates
//
// Tiles and issuers never change once they exist, so they are served as immutable
// ("This endpoint is immutable, so its caching headers SHOULD be long-lived"); the checkpoint is
// mutable ("SHOULD prevent caching beyond a few seconds"). Anything not (yet) in the tree of the
// latest head, and any path that is not exactly one of the above (ParseTilePath is strict), is
// 404, which is never cached: a tile missing now appears once the tree grows.

#pragma once

#include <string>
#include <string_view>

#include "logserver/log_service.h"

namespace ctkit {

struct StaticApiResponse {
  int status = 200;
  std::string content_type;
  std::string cache_control;
  std::string body;
};

// Cache-Control values (static-ct-api "Checkpoints", "Merkle Tree", "Log entries", "Issuers").
inline constexpr char kImmutableCacheControl[] = "public, max-age=31536000, immutable";
inline constexpr char kNoCacheControl[] = "no-store";

// The answer to GET `path` ("/checkpoint", "/tile/...", "/issuer/..."; the query is not part of
// it). `origin` is the checkpoint origin and key name (ct/checkpoint.h).
StaticApiResponse ServeStaticCtApi(LogService& service, std::string_view origin,
                                   std::string_view path);

// A valid checkpoint origin: a valid note key name (non-empty, no spaces, '+' or control
// characters), as static-ct-api makes the origin the key name.
bool IsValidCheckpointOrigin(std::string_view origin);

}  // namespace ctkit
