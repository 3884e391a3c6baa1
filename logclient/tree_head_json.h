// How `ctkit log` shows a log's tree head (docs/json-output.md, "log sth"): as get-sth JSON
// (RFC 6962 §4.3), as a one-line summary, and a fetched head (logclient/tree_head_evidence.h
// FetchHead) with whether its signature verified, as JSON or as text. Text goes through
// TerminalSafe (base/terminal_text.h) where a log wrote it.
//
//   std::printf("%s", FetchedHeadText(reader->base_url(), fetched, tiles, origin).c_str());

#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ct/signed_tree_head.h"
#include "logclient/tree_head_evidence.h"

namespace ctkit {

// The get-sth JSON of `head` (SthToJson) as a value: {"tree_size", "timestamp",
// "sha256_root_hash", "tree_head_signature"}.
nlohmann::ordered_json TreeHeadJson(const SignedTreeHead& head);

// "size 10, root <base64>, 2026-01-02T03:04:05.000Z".
std::string TreeHeadSummary(const SignedTreeHead& head);

// `out` (the "log" and "api" of the command) with the head's fields: the get-sth JSON and
// "timestamp_rfc3339" of an RFC 6962 head, or "tree_size" and "sha256_root_hash" of a
// checkpoint; with `tiles`, "origin" and "checkpoint" (the note as served); "verified", and
// "error" when it did not verify.
nlohmann::ordered_json FetchedHeadJson(nlohmann::ordered_json out, const FetchedHead& fetched,
                                       bool tiles, const std::string& origin);

// The lines of `ctkit log sth`: "log:", "api:" (with `tiles`), "tree size:", "timestamp:"
// (RFC 6962 heads), "root hash:" and "signature:" (verified, or INVALID and why), each ending in
// a newline.
std::string FetchedHeadText(const std::string& url, const FetchedHead& fetched, bool tiles,
                            const std::string& origin);

}  // namespace ctkit
