// How `ctkit log` shows a log's tree head (docs/json-output.md, "log sth"): as JSON in ctkit's
// encodings (the root hash in hex, as every hash ctkit prints; the signature in base64), as a
// one-line summary, and a fetched head (logclient/tree_head_evidence.h FetchHead) with whether
// its signature verified, as JSON or as text. Text goes through TerminalSafe
// (base/terminal_text.h) where a log wrote it. The get-sth JSON (RFC 6962 §4.3, base64) that
// `log sth --out` saves is SthToJson's (ct/signed_tree_head.h).
//
//   std::printf("%s", FetchedHeadText(reader->base_url(), fetched, tiles, origin).c_str());

#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/error.h"
#include "ct/signed_tree_head.h"
#include "logclient/tree_head_evidence.h"

namespace ctkit {

// {"tree_size", "timestamp" (ms), "root_hash" (hex), "tree_head_signature" (base64 TLS
// DigitallySigned, as get-sth serves it)}.
nlohmann::ordered_json TreeHeadJson(const SignedTreeHead& head);

// A head read back from JSON: RFC 6962 get-sth JSON (ParseSthJson), or the head `log sth
// --format json` prints (TreeHeadJson's fields, its "root_hash" in hex, other fields ignored).
// kMalformed (naming the field) for anything else, or for both "root_hash" and
// "sha256_root_hash".
Result<SignedTreeHead> ParseHeadJson(std::string_view text);

// "size 10, root <base64>, 2026-01-02T03:04:05.000Z".
std::string TreeHeadSummary(const SignedTreeHead& head);

// `out` (the "log" and "api" of the command) with the head's fields: TreeHeadJson and
// "timestamp_rfc3339" of a head whose signature was read, or "tree_size" and "root_hash" of a
// checkpoint that did not verify; with `tiles`, "origin" and "checkpoint" (the note as served);
// "verified", and "reason" when it did not verify.
nlohmann::ordered_json FetchedHeadJson(nlohmann::ordered_json out, const FetchedHead& fetched,
                                       bool tiles, const std::string& origin);

// The lines of `ctkit log sth`: "log:", "api:" (with `tiles`), "tree size:", "timestamp:"
// (RFC 6962 heads), "root hash:" and "signature:" (verified, or INVALID and why), each ending in
// a newline.
std::string FetchedHeadText(const std::string& url, const FetchedHead& fetched, bool tiles,
                            const std::string& origin);

}  // namespace ctkit
