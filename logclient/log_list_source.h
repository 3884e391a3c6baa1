// Where a log list comes from, as `--log-list FILE|URL` names it: the lists compiled into ctkit
// (ct/log_list_snapshot.h, merged: ParseDefaultLogList) by default, a file, or a list fetched over
// http(s).
//
//   ASSIGN_OR_RETURN(LogList list, LoadLogList(flags.log_list));   // "" for the snapshots
//
// A fetched list (docs/ctkit.md, "Log lists"):
//   - Signature. The `.sig` beside the list (the URL with `.json` replaced by `.sig`, as Google
//     publishes log_list.sig and all_logs_list.sig) is fetched too, and when there is one it
//     must verify under Google's key (ct/log_list_signature.h): a list someone altered is never
//     used. A list from Google's host (www.gstatic.com) must have one: a missing `.sig` there is
//     an error. From any other URL (Apple's, which publishes none; your own list server) a
//     missing `.sig` (HTTP 404) means the list is unsigned, and it is used as it is.
//   - Merging. A list from a publisher (Google's www.gstatic.com, Apple's valid.apple.com) is
//     merged with the compiled-in snapshots (LogList::Merge, ct/log_list.h): the newest state of
//     each log wins, and the keys of logs the fetched list no longer names (Pilot, Aviator...)
//     stay known. A list from any other URL, or a file, is used alone: it is the user's choice of
//     logs.
// Both are errors of the list's source: kNetwork ("signature does not verify", "no signature"),
// so commands exit 3 as for a failed fetch.

#pragma once

#include <optional>
#include <string>

#include "base/error.h"
#include "ct/log_list.h"
#include "ct/log_list_signature.h"

namespace ctkit {

struct LogListLoadOptions {
  // The PEM public key a fetched list's `.sig` must verify under. Tests give their own.
  std::string signer_key_pem = std::string(kGoogleLogListKeyPem);
  // Whether a fetched list must come with a `.sig`; unset: only a list from Google's host.
  std::optional<bool> require_signature;
  // Whether a fetched list is merged with the compiled-in snapshots; unset: only a list from a
  // publisher's host.
  std::optional<bool> merge_with_snapshots;
};

// `source` empty: the snapshots, merged; "http://..." or "https://...": fetched with one GET,
// not retried, its signature checked and merged as the file comment says; anything else: a file
// path ("-" for stdin, base/input_file.h). Errors: kNetwork when the fetch or the signature fails,
// kTooLarge over kMaxLogListBytes, the file's error (kIo, kNotFound, ...), each after
// "--log-list: "; LogList::Parse's after "--log-list <source>: ".
Result<LogList> LoadLogList(const std::string& source);
Result<LogList> LoadLogListWith(const std::string& source, const LogListLoadOptions& options);

// True for a URL on Google's log list host (www.gstatic.com), whose lists are signed.
bool IsGoogleLogListUrl(const std::string& url);
// True for a URL on Google's or Apple's (valid.apple.com) log list host.
bool IsPublishedLogListUrl(const std::string& url);

}  // namespace ctkit
