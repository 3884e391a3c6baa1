// A log's tree head as evidence a person keeps: fetched and shown even when its signature fails,
// saved to a file, and read back to prove a later head consistent with it (RFC 6962 §2.1.2).
//
//   Result<FetchedHead> fetched = FetchHead(*reader, endpoint);   // `ctkit log sth`
//   if (fetched->verified) Save(SavedHeadText(*fetched));         // `log sth --out FILE`
//   Result<SignedTreeHead> old = ParseSavedHead(Load(), endpoint, "--old-sth FILE");
//
// An RFC 6962 head is kept as get-sth JSON (RFC 6962 §4.3, ct/signed_tree_head.h); a
// static-ct-api head as the checkpoint the log served (c2sp.org/static-ct-api "Checkpoints"),
// its own signed format. A head read back from JSON is parsed, not verified: whoever proves
// consistency with it verifies its signature (logclient/log_reader.h VerifyConsistencyBetween).

#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "ct/checkpoint.h"
#include "ct/signed_tree_head.h"
#include "logclient/log_reader.h"
#include "logclient/log_target.h"

namespace ctkit {

// A log's latest head, as fetched.
struct FetchedHead {
  // RFC 6962: the head, whether or not it verified. static-ct-api: the head, once verified.
  std::optional<SignedTreeHead> head;
  std::optional<Checkpoint> checkpoint;  // static-ct-api: the served checkpoint, if it parses
  std::string note;                      // static-ct-api: the checkpoint as served
  Result<void> verified;                 // the signature (and origin) under the endpoint's key
};

// Fetches the latest head from `reader` (a client opened for `endpoint`, logclient/log_target.h)
// and verifies it under endpoint.key, keeping what the log served when it does not verify (or
// there is no key: `verified` is then kInvalidArgument, the head as served, unverified). The
// error of the fetch when the log cannot be read (kNetwork, kNotFound, kMalformed ...); a
// signature that fails is not an error but `verified`.
Result<FetchedHead> FetchHead(LogReader& reader, const LogEndpoint& endpoint);

// What to save of a verified head: a static-ct-api log's checkpoint note, else get-sth JSON and a
// newline.
std::string SavedHeadText(const FetchedHead& fetched);

// A saved head: get-sth JSON as SavedHeadText writes it, or the head `log sth --format json`
// prints (logclient/tree_head_json.h ParseHeadJson), parsed; or a
// checkpoint, verified under endpoint.key and endpoint.origin (else the origin it names).
// Errors name the file as `name` ("<name>: ..." for JSON, "<name> (checkpoint): ..."):
// kMalformed for text that parses as neither, kVerificationFailed for a checkpoint whose
// signature or origin fails, kInvalidArgument for a checkpoint and no key.
Result<SignedTreeHead> ParseSavedHead(std::string_view text, const LogEndpoint& endpoint,
                                      const std::string& name);

// The saved head in the file at `path` ("-": standard input), named "<flag> <path>" as
// ParseSavedHead names it. Errors: the file's after "<flag>: ", then ParseSavedHead's.
Result<SignedTreeHead> ReadSavedHead(const std::string& flag, const std::string& path,
                                     const LogEndpoint& endpoint);

}  // namespace ctkit
