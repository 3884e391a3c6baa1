// `ctkit audit --online`: did each log keep its SCT's promise? RFC 6962 §3 obliges a log to
// incorporate a certificate within its Maximum Merge Delay of the SCT's timestamp, so for every
// valid SCT from a listed log this fetches a fresh tree head (signature verified, once per log
// per audit) and asks the log to prove the SCT's entry is in it:
//   - RFC 6962 logs: get-proof-by-hash with the leaf hash the SCT promises (ct/log_entry.h
//     EntryForSct + LeafHashOf), the audit path verified against the head (§2.1.1).
//   - static-ct-api logs: the entry at the SCT's leaf_index extension, read from the data tile
//     (StaticLogClient, logclient/static_log_client.h), must hash to the promised leaf hash, and
//     its audit path from the hash tiles must verify against the checkpoint's root.
// An entry that is not in a head signed at least one MMD after the SCT's timestamp is a broken
// promise (kMissing, a failure); a younger SCT not yet in the head is kPending (not a failure).
//
// Thread safety: Prove() may be called from many threads; each log has one client and one head.

#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ct/certificate_verifier.h"
#include "ct/log_list.h"
#include "ct/signed_tree_head.h"
#include "logclient/log_client.h"
#include "x509/certificate.h"

namespace ctkit::audit {

enum class InclusionStatus {
  kIncluded,     // proven in the log's verified head
  kPending,      // not in the head, but the head is younger than the SCT's time + MMD
  kMissing,      // not in a head signed an MMD or more after the SCT: a broken promise
  kFailed,       // the log answered with something that does not verify (misbehaviour)
  kUnreachable,  // the log could not be asked (network): retry later
  kUnsupported,  // no way to ask this log yet (static-ct-api, see the file comment)
};

// "included", "pending", "missing", "failed", "unreachable", "unsupported".
std::string_view InclusionStatusName(InclusionStatus status);

struct InclusionCheck {
  size_t sct_index = 0;  // into CertificateCheck::scts
  std::string log;       // description from the log list
  std::string log_url;
  InclusionStatus status = InclusionStatus::kUnsupported;
  std::optional<uint64_t> leaf_index;
  std::optional<uint64_t> tree_size;  // of the head asked against
  std::string message;                // why, for anything but kIncluded
};

class InclusionProver {
 public:
  InclusionProver(const LogList& log_list, LogClientOptions client_options = {});
  ~InclusionProver();

  // One InclusionCheck for every SCT of `check` that is valid and from a listed log.
  std::vector<InclusionCheck> Prove(const CertificateView& leaf,
                                    std::span<const CertificateView> others,
                                    const CertificateCheck& check);

 private:
  struct LogSession;
  LogSession& SessionFor(const LogInfo& log);

  const LogList& log_list_;
  LogClientOptions client_options_;
  std::mutex mutex_;
  std::map<LogId, std::unique_ptr<LogSession>> sessions_;
};

}  // namespace ctkit::audit
