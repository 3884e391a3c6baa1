#include "audit/audit_runner.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <mutex>
#include <optional>
#include <thread>

#include "ct/sct.h"
#include "ct/sct_ocsp.h"
#include "x509/pem.h"

namespace ctkit::audit {
namespace {

// Reads `path` into `data` (replacing its contents, keeping its capacity). With plain POSIX
// calls into a buffer each worker reuses: an std::ifstream allocates its own 8 KB buffer per
// file and the data grew in steps, and such large allocations per certificate also slow down
// OpenSSL's small ones during the signature checks that follow (docs/PERFORMANCE.md, Audit).
Result<void> ReadBoundedFile(const std::string& path, Bytes& data) {
  data.clear();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return MakeError(ErrorCode::kIo, path + ": cannot open");
  // The first read asks for the size the file says it has, plus one byte to see its end, into
  // the buffer; the file is read until end of file whatever the size said (it may change
  // meanwhile), the rest through a stack buffer, so that a certificate-sized file needs no more
  // room than its size.
  struct stat info{};
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0 &&
      static_cast<uint64_t>(info.st_size) < kMaxCertificateFileBytes) {
    data.resize(static_cast<size_t>(info.st_size) + 1);
  }
  Result<void> outcome;
  size_t filled = 0;  // of data's first data.size() bytes, those read
  uint8_t chunk[1 << 14];
  while (true) {
    const bool into_data = filled < data.size();
    uint8_t* target = into_data ? data.data() + filled : chunk;
    const size_t room = into_data ? data.size() - filled : sizeof(chunk);
    ssize_t got = ::read(fd, target, room);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      outcome = MakeError(ErrorCode::kIo, path + ": read error");
      break;
    }
    if (got == 0) break;
    if (into_data) {
      filled += static_cast<size_t>(got);
    } else {
      data.insert(data.end(), chunk, chunk + got);
      filled = data.size();
    }
    if (filled > kMaxCertificateFileBytes) {
      outcome = MakeError(ErrorCode::kInvalidArgument,
                          path + ": larger than " + std::to_string(kMaxCertificateFileBytes) +
                              " bytes, not a certificate file");
      break;
    }
  }
  data.resize(filled);
  ::close(fd);
  return outcome;
}

// PEM with a certificate block, or something that starts like DER.
bool LooksLikeCertificates(const Bytes& data) {
  if (!data.empty() && data[0] == 0x30) return true;
  std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
  return text.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos;
}

Result<std::optional<AuditSubject>> LoadFile(const AuditTarget& target) {
  // The file's bytes are only needed until its certificates are decoded, so each worker thread
  // reads every file into the same buffer; one that grew for a huge file is given back after.
  thread_local Bytes data;
  struct ShrinkAfterUse {
    ~ShrinkAfterUse() {
      if (data.capacity() > (1 << 20)) Bytes().swap(data);
    }
  } shrink;
  if (Result<void> read = ReadBoundedFile(target.name, data); !read) {
    return std::unexpected(read.error());
  }
  if (target.from_directory && !LooksLikeCertificates(data)) return std::nullopt;
  ASSIGN_OR_RETURN(std::vector<CertificateView> parsed, ParseCertificateInput(data), target.name);
  if (target.from_directory && parsed.front().basic_constraints() &&
      parsed.front().basic_constraints()->is_ca) {
    return std::nullopt;
  }
  AuditSubject subject{.target = target.name, .leaf = parsed.front(), .others = {}};
  subject.others.assign(parsed.begin() + 1, parsed.end());
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
  ASSIGN_OR_RETURN(TlsFetchResult fetched, FetchTlsEndpoint(target.endpoint, tls));
  std::vector<CertificateView> chain;
  for (size_t i = 0; i < fetched.chain.size(); ++i) {
    Result<CertificateView> cert = CertificateView::Parse(std::move(fetched.chain[i]));
    if (!cert) {
      return std::unexpected(
          WithContext(cert.error(), target.name + ": served certificate " + std::to_string(i)));
    }
    chain.push_back(std::move(*cert));
  }
  AuditSubject subject{.target = target.name, .leaf = chain.front(), .others = {}};
  subject.others.assign(chain.begin() + 1, chain.end());
  if (fetched.sct_list)
    AddSctList(*fetched.sct_list, SctDelivery::kTlsExtension, subject.delivered);
  if (fetched.ocsp_response) {
    Result<std::optional<Bytes>> list =
        ExtractOcspSctList(*fetched.ocsp_response, subject.leaf.serial());
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
        ErrorKind kind =
            subject.error().code == ErrorCode::kNetwork ? ErrorKind::kNetwork : ErrorKind::kInput;
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
  run.results.reserve(targets.size() - run.skipped);
  for (std::optional<AuditResult>& slot : slots) {
    if (slot) run.results.push_back(std::move(*slot));
  }
  return run;
}

}  // namespace ctkit::audit
