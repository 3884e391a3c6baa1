#include "audit/audit_runner.h"

#include <atomic>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "ct/sct.h"
#include "ct/sct_ocsp.h"
#include "x509/pem.h"

namespace ctkit::audit {
namespace {

Result<Bytes> ReadBoundedFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kIo, path + ": cannot open");
  Bytes data;
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof(buffer));
    data.insert(data.end(), buffer, buffer + in.gcount());
    if (data.size() > kMaxCertificateFileBytes) {
      return MakeError(ErrorCode::kInvalidArgument, path + ": larger than " +
                                                        std::to_string(kMaxCertificateFileBytes) +
                                                        " bytes, not a certificate file");
    }
  }
  if (in.bad()) return MakeError(ErrorCode::kIo, path + ": read error");
  return data;
}

// PEM with a certificate block, or something that starts like DER.
bool LooksLikeCertificates(const Bytes& data) {
  if (!data.empty() && data[0] == 0x30) return true;
  std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
  return text.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos;
}

Result<std::optional<AuditSubject>> LoadFile(const AuditTarget& target) {
  Result<Bytes> data = ReadBoundedFile(target.name);
  if (!data) return std::unexpected(data.error());
  if (target.from_directory && !LooksLikeCertificates(*data)) return std::nullopt;
  Result<std::vector<CertificateView>> parsed = ParseCertificateInput(*data);
  if (!parsed) return std::unexpected(WithContext(parsed.error(), target.name));
  if (target.from_directory && parsed->front().basic_constraints() &&
      parsed->front().basic_constraints()->is_ca) {
    return std::nullopt;
  }
  AuditSubject subject{.target = target.name, .leaf = parsed->front(), .others = {}};
  subject.others.assign(parsed->begin() + 1, parsed->end());
  return subject;
}

// SCTs of a TLS extension or OCSP list; a list that does not parse is kept as one malformed SCT,
// so a server cannot hide a broken list (the verifier reports it).
void AddSctList(const Bytes& list, SctDelivery delivery, std::vector<DeliveredSct>& out) {
  Result<std::vector<Bytes>> items = ParseSctList(list);
  if (!items) {
    out.push_back({list, delivery});
    return;
  }
  for (Bytes& item : *items) out.push_back({std::move(item), delivery});
}

Result<std::optional<AuditSubject>> LoadEndpoint(const AuditTarget& target,
                                                 const TlsFetchOptions& tls) {
  Result<TlsFetchResult> fetched = FetchTlsEndpoint(target.endpoint, tls);
  if (!fetched) return std::unexpected(fetched.error());
  std::vector<CertificateView> chain;
  for (size_t i = 0; i < fetched->chain.size(); ++i) {
    Result<CertificateView> cert = CertificateView::Parse(std::move(fetched->chain[i]));
    if (!cert) {
      return std::unexpected(
          WithContext(cert.error(), target.name + ": served certificate " + std::to_string(i)));
    }
    chain.push_back(std::move(*cert));
  }
  AuditSubject subject{.target = target.name, .leaf = chain.front(), .others = {}};
  subject.others.assign(chain.begin() + 1, chain.end());
  if (fetched->sct_list) AddSctList(*fetched->sct_list, SctDelivery::kTlsExtension, subject.delivered);
  if (fetched->ocsp_response) {
    Result<std::optional<Bytes>> list =
        ExtractOcspSctList(*fetched->ocsp_response, subject.leaf.serial());
    if (!list) {
      subject.warnings.push_back("stapled OCSP response: " + list.error().message);
    } else if (*list) {
      AddSctList(**list, SctDelivery::kOcspResponse, subject.delivered);
    }
  }
  return subject;
}

}  // namespace

Result<std::optional<AuditSubject>> LoadTarget(const AuditTarget& target,
                                               const TlsFetchOptions& tls) {
  return target.kind == AuditTarget::Kind::kFile ? LoadFile(target) : LoadEndpoint(target, tls);
}

AuditRun RunAudit(std::span<const AuditTarget> targets, const CertificateVerifier& verifier,
                  const AuditOptions& options, const InventoryIndex* inventory,
                  InclusionProver* prover, const AuditRunOptions& run_options) {
  std::vector<std::optional<AuditResult>> slots(targets.size());
  std::atomic<size_t> next{0};
  std::atomic<size_t> skipped{0};
  std::mutex progress_mutex;
  size_t done = 0;
  auto work = [&] {
    for (size_t i = next++; i < targets.size(); i = next++) {
      const AuditTarget& target = targets[i];
      Result<std::optional<AuditSubject>> subject = LoadTarget(target, run_options.tls);
      if (!subject) {
        ErrorKind kind = subject.error().code == ErrorCode::kNetwork ? ErrorKind::kNetwork
                                                                      : ErrorKind::kInput;
        slots[i] = ErrorResult(target.name, kind, subject.error().message);
      } else if (!*subject) {
        ++skipped;
      } else {
        slots[i] = AuditCertificate(std::move(**subject), verifier, options, inventory, prover);
      }
      if (slots[i]) slots[i]->endpoint = target.kind == AuditTarget::Kind::kEndpoint;
      if (run_options.progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        run_options.progress(++done, targets.size());
      }
    }
  };
  size_t jobs = std::max<size_t>(1, std::min(run_options.jobs, targets.size()));
  std::vector<std::thread> workers;
  for (size_t j = 1; j < jobs; ++j) workers.emplace_back(work);
  work();
  for (std::thread& worker : workers) worker.join();

  AuditRun run;
  run.skipped = skipped;
  for (std::optional<AuditResult>& slot : slots) {
    if (slot) run.results.push_back(std::move(*slot));
  }
  return run;
}

}  // namespace ctkit::audit
