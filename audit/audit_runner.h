// Runs an audit over many targets in parallel: each worker takes the next target, reads it (a
// file) or fetches it (a TLS endpoint, audit/tls_fetcher.h), and audits its leaf
// (audit/certificate_audit.h). Results come back in target order, whatever order the workers
// finished in, so reports are deterministic.
//
// Files found by walking a directory that hold no certificate (keys, CSRs) or whose first
// certificate is a CA certificate (basicConstraints cA) are skipped, not failed: a directory of
// issued certificates often holds the CA's own files. A file named explicitly is always audited.

#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

#include "audit/certificate_audit.h"
#include "audit/targets.h"
#include "audit/tls_fetcher.h"

namespace ctkit::audit {

// Certificate files larger than this are refused (no certificate chain is this big).
inline constexpr size_t kMaxCertificateFileBytes = 16 << 20;

struct AuditRunOptions {
  size_t jobs = 1;
  TlsFetchOptions tls;
  // Called after each target, from the worker that finished it (serialized by the runner).
  std::function<void(size_t done, size_t total)> progress;
};

struct AuditRun {
  std::vector<AuditResult> results;  // in target order; skipped targets have none
  size_t skipped = 0;
};

// Reads one target into what AuditCertificate needs; nullopt (with `skipped` set) for a
// directory file that is not an audit subject, an ErrorResult-worthy Error otherwise.
Result<std::optional<AuditSubject>> LoadTarget(const AuditTarget& target,
                                               const TlsFetchOptions& tls);

AuditRun RunAudit(std::span<const AuditTarget> targets, const CertificateVerifier& verifier,
                  const AuditOptions& options, const InventoryIndex* inventory,
                  InclusionProver* prover, const AuditRunOptions& run_options);

}  // namespace ctkit::audit
