#include "logclient/log_client.h"

#include <algorithm>
#include <cctype>

#include "base/plural.h"
#include "ct/sct_verify.h"
#include "ct/signed_entry.h"
#include "merkle/merkle_verify.h"
#include "x509/certificate.h"

namespace ctkit {
namespace {

// RFC 3986 §2.1 percent-encoding of a query value (base64 hashes carry '+', '/' and '=').
std::string QueryEscape(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

}  // namespace

// Answers that hold no entries (a tree head, a proof of at most 64 hashes, an SCT) are a few
// kilobytes at most; a log sending more is refused after this many bytes rather than after
// options.max_response_bytes, which is sized for get-entries pages.
constexpr size_t kSmallAnswerBytes = 64 << 10;

struct LogClient::Impl {
  std::string base_url;
  std::shared_ptr<const LogKey> key;
  LogClientOptions options;
  std::unique_ptr<HttpFetcher> http;  // retries, backoff, rate limit, keep-alive

  // One RFC 6962 call with retries: the body of a 2xx answer. Errors name `url`; the statuses
  // in `not_found` are kNotFound, other final statuses kNetwork.
  Result<std::string> Call(const std::string& url, const std::string* post_body,
                           std::initializer_list<long> not_found = {404}, size_t max_bytes = 0) {
    return http->Call(url, post_body, not_found, max_bytes);
  }

  std::string Url(std::string_view method, std::string_view query = {}) const {
    std::string url = base_url;
    url.append("ct/v1/").append(method);
    if (!query.empty()) url.append("?").append(query);
    return url;
  }

  Result<void> CheckHead(const SignedTreeHead& head, const char* which) const {
    if (!key) return {};
    if (Result<void> ok = VerifySignedTreeHead(head, *key); !ok) {
      return std::unexpected(
          WithContext(ok.error(), std::string(which) + " (log " + base_url + ")"));
    }
    return {};
  }

  // The SCT an add-chain call returned must be this log's signature over the entry sent.
  Result<void> CheckSct(const SignedCertificateTimestamp& sct, const SignedEntry& entry,
                        const std::string& url) const {
    if (!key) return {};
    if (sct.log_id != key->log_id()) {
      return MakeError(ErrorCode::kVerificationFailed,
                       "log " + url + ": SCT log id " + Base64Encode(sct.log_id) +
                           " is not the log's " + Base64Encode(key->log_id()));
    }
    ASSIGN_OR_RETURN(Bytes input, BuildSctSignatureInput(sct, entry), "log " + url);
    if (Result<void> ok = key->Verify(input, sct.signature); !ok) {
      return MakeError(ErrorCode::kVerificationFailed,
                       "log " + url + ": SCT signature: " + ok.error().message);
    }
    return {};
  }
};

LogClient::LogClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LogClient::~LogClient() = default;
LogClient::LogClient(LogClient&&) noexcept = default;
LogClient& LogClient::operator=(LogClient&&) noexcept = default;

Result<LogClient> LogClient::Create(std::string base_url, std::shared_ptr<const LogKey> key,
                                    LogClientOptions options) {
  RETURN_IF_ERROR(CheckLogUrl(base_url));
  RETURN_IF_ERROR(CheckLogClientOptions(options));
  if (!base_url.ends_with('/')) base_url += '/';
  auto impl = std::make_unique<Impl>();
  impl->base_url = std::move(base_url);
  impl->key = std::move(key);
  impl->options = std::move(options);
  ASSIGN_OR_RETURN(impl->http,
                   HttpFetcher::Create(impl->options, {.headers = {"Accept: application/json"}}));
  return LogClient(std::move(impl));
}

const std::string& LogClient::base_url() const { return impl_->base_url; }
const std::shared_ptr<const LogKey>& LogClient::key() const { return impl_->key; }

LogClientStats LogClient::http_stats() const { return impl_->http->stats(); }

Result<SignedTreeHead> LogClient::GetUnverifiedSth() {
  std::string url = impl_->Url("get-sth");
  ASSIGN_OR_RETURN(std::string body, impl_->Call(url, nullptr, {404}, kSmallAnswerBytes));
  ASSIGN_OR_RETURN(SignedTreeHead head, ParseSthJson(body), "log " + url);
  return head;
}

Result<SignedTreeHead> LogClient::GetSth() {
  if (!impl_->key) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log " + impl_->base_url + ": no log key to verify the tree head with");
  }
  Result<SignedTreeHead> head = GetUnverifiedSth();
  if (!head) return head;
  std::string url = impl_->Url("get-sth");
  if (Result<void> ok = VerifySignedTreeHead(*head, *impl_->key); !ok) {
    // The head is not returned, so the error carries it: a monitor's alert needs the head the
    // log signed badly as evidence, and tells one bad head from the next by it.
    Error error = WithContext(ok.error(), "log " + url);
    error.message += " (served head: " + SthToJson(*head) + ")";
    return std::unexpected(error);
  }
  return head;
}

Result<std::vector<MerkleHash>> LogClient::GetSthConsistency(uint64_t first, uint64_t second) {
  if (first == 0 || first > second) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log " + impl_->base_url + ": no consistency proof from size " +
                         std::to_string(first) + " to " + std::to_string(second));
  }
  if (first == second) return std::vector<MerkleHash>();
  std::string url = impl_->Url("get-sth-consistency", "first=" + std::to_string(first) +
                                                          "&second=" + std::to_string(second));
  ASSIGN_OR_RETURN(std::string body, impl_->Call(url, nullptr, {404}, kSmallAnswerBytes));
  ASSIGN_OR_RETURN(std::vector<MerkleHash> proof, ParseGetSthConsistencyResponse(body),
                   "log " + url);
  return proof;
}

Result<InclusionProof> LogClient::GetProofByHash(const MerkleHash& leaf_hash, uint64_t tree_size) {
  if (tree_size == 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log " + impl_->base_url + ": no inclusion proof in the empty tree");
  }
  std::string url = impl_->Url("get-proof-by-hash", "hash=" + QueryEscape(Base64Encode(leaf_hash)) +
                                                        "&tree_size=" + std::to_string(tree_size));
  // RFC 6962 names no status for "not in this tree": Trillian answers 404, the original
  // google/certificate-transparency log (and ctkit's) 400. The request itself was checked.
  ASSIGN_OR_RETURN(std::string body, impl_->Call(url, nullptr, {400, 404}, kSmallAnswerBytes));
  ASSIGN_OR_RETURN(InclusionProof proof, ParseGetProofByHashResponse(body), "log " + url);
  if (proof.leaf_index >= tree_size) {
    return MakeError(ErrorCode::kMalformed, "log " + url + ": leaf_index " +
                                                std::to_string(proof.leaf_index) +
                                                " is not below tree_size");
  }
  return proof;
}

Result<std::vector<LogEntry>> LogClient::GetEntriesBatch(uint64_t start, uint64_t end) {
  if (start > end) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log " + impl_->base_url + ": get-entries start " + std::to_string(start) +
                         " after end " + std::to_string(end));
  }
  // Stop at the end of start's aligned batch: logs serve (and cache) pages on these
  // boundaries, and a request that straddles two is answered short anyway.
  uint64_t batch = impl_->options.batch_size;
  uint64_t batch_last = start - start % batch + (batch - 1);
  if (batch_last < start) batch_last = UINT64_MAX;  // wrapped at the top of the range
  uint64_t last = std::min(end, batch_last);
  uint64_t asked = last - start + 1;
  std::string url =
      impl_->Url("get-entries", "start=" + std::to_string(start) + "&end=" + std::to_string(last));
  ASSIGN_OR_RETURN(std::string body, impl_->Call(url, nullptr));
  Result<std::vector<RawLogEntry>> raw = ParseGetEntriesResponse(body, asked);
  if (!raw) {
    return std::unexpected(WithContext(
        raw.error(), "log " + url + " (asked for " + Count(asked, "entry", "entries") + ")"));
  }
  if (raw->empty()) {
    // RFC 6962 §4.6 lets a log return fewer entries, not none: an empty answer would make
    // callers loop forever, and for a range below a verified size it is a lie.
    return MakeError(ErrorCode::kMalformed, "log " + url + ": no entries in the response");
  }
  std::vector<LogEntry> entries;
  entries.reserve(raw->size());
  for (size_t i = 0; i < raw->size(); ++i) {
    uint64_t index = start + i;
    if (impl_->options.keep_malformed_entries) {
      entries.push_back(MakeLenientLogEntry(index, std::move((*raw)[i].leaf_input),
                                            std::move((*raw)[i].extra_data)));
      continue;
    }
    Result<LogEntry> entry =
        MakeLogEntry(index, std::move((*raw)[i].leaf_input), std::move((*raw)[i].extra_data));
    if (!entry) {
      return std::unexpected(WithContext(entry.error(), "log " + url + ": entries[" +
                                                            std::to_string(i) + "] (index " +
                                                            std::to_string(index) + ")"));
    }
    entries.push_back(std::move(*entry));
  }
  return entries;
}

Result<EntryAndProof> LogClient::GetEntryAndProof(uint64_t index, uint64_t tree_size) {
  if (index >= tree_size) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log " + impl_->base_url + ": leaf index " + std::to_string(index) +
                         " is not below tree size " + std::to_string(tree_size));
  }
  std::string url =
      impl_->Url("get-entry-and-proof",
                 "leaf_index=" + std::to_string(index) + "&tree_size=" + std::to_string(tree_size));
  ASSIGN_OR_RETURN(std::string body, impl_->Call(url, nullptr));
  ASSIGN_OR_RETURN(RawEntryAndProof raw, ParseGetEntryAndProofResponse(body), "log " + url);
  Result<LogEntry> entry =
      MakeLogEntry(index, std::move(raw.entry.leaf_input), std::move(raw.entry.extra_data));
  if (!entry) return std::unexpected(WithContext(entry.error(), "log " + url));
  return EntryAndProof{std::move(*entry), std::move(raw.audit_path)};
}

Result<std::vector<Bytes>> LogClient::GetRoots() {
  std::string url = impl_->Url("get-roots");
  ASSIGN_OR_RETURN(std::string body, impl_->Call(url, nullptr));
  ASSIGN_OR_RETURN(std::vector<Bytes> roots, ParseGetRootsResponse(body), "log " + url);
  return roots;
}

// Both add-chain and add-pre-chain (RFC 6962 §4.1, §4.2): send, parse, and check the SCT
// against the entry the log must have signed.
Result<SignedCertificateTimestamp> LogClient::SubmitChain(const std::string& url,
                                                          std::span<const Bytes> chain_der,
                                                          const SignedEntry& entry) {
  std::string request = AddChainRequestJson(chain_der);
  ASSIGN_OR_RETURN(std::string body, impl_->Call(url, &request, {404}, kSmallAnswerBytes));
  ASSIGN_OR_RETURN(SignedCertificateTimestamp sct, ParseAddChainResponse(body), "log " + url);
  RETURN_IF_ERROR(impl_->CheckSct(sct, entry, url));
  return sct;
}

Result<SignedCertificateTimestamp> LogClient::AddChain(std::span<const Bytes> chain_der) {
  std::string url = impl_->Url("add-chain");
  if (chain_der.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "log " + url + ": empty chain");
  }
  // RFC 6962 §3.2: an SCT for a certificate signs an x509_entry over the leaf's DER.
  ASSIGN_OR_RETURN(SignedEntry entry, X509SignedEntry(chain_der.front()), "log " + url);
  return SubmitChain(url, chain_der, entry);
}

Result<SignedCertificateTimestamp> LogClient::AddPreChain(std::span<const Bytes> chain_der) {
  std::string url = impl_->Url("add-pre-chain");
  if (chain_der.size() < 2) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log " + url + ": a pre-chain needs the precertificate and its issuer");
  }
  // RFC 6962 §3.2: the SCT signs a precert_entry built from the precertificate and its issuer
  // (or, for a Precertificate Signing Certificate, the CA above it). Built before sending, so
  // a chain the log could not sign correctly is caught here.
  std::vector<CertificateView> certs;
  for (size_t i = 0; i < chain_der.size(); ++i) {
    Result<CertificateView> cert = CertificateView::Parse(chain_der[i]);
    if (!cert) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          "log " + url + ": chain certificate " + std::to_string(i) + ": " + cert.error().message);
    }
    certs.push_back(std::move(*cert));
  }
  Result<SignedEntry> entry =
      BuildSignedEntry(LogEntryType::kPrecert, certs.front(),
                       IssuerChain::InOrder(std::span<const CertificateView>(certs).subspan(1)));
  if (!entry) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log " + url + ": precertificate entry: " + entry.error().message);
  }
  return SubmitChain(url, chain_der, *entry);
}

Result<void> LogClient::VerifyConsistencyBetween(const SignedTreeHead& old_sth,
                                                 const SignedTreeHead& new_sth) {
  RETURN_IF_ERROR(impl_->CheckHead(old_sth, "old tree head"));
  RETURN_IF_ERROR(impl_->CheckHead(new_sth, "new tree head"));
  return VerifyHeadsConsistent(
      old_sth, new_sth, "log " + impl_->base_url, "consistency proof",
      [this](uint64_t first, uint64_t second) { return GetSthConsistency(first, second); });
}

Result<uint64_t> LogClient::ProveInclusion(const MerkleHash& leaf_hash, const SignedTreeHead& sth) {
  RETURN_IF_ERROR(impl_->CheckHead(sth, "tree head"));
  ASSIGN_OR_RETURN(InclusionProof proof, GetProofByHash(leaf_hash, sth.tree_size));
  if (Result<void> ok = VerifyInclusion(leaf_hash, proof.leaf_index, sth.tree_size,
                                        proof.audit_path, sth.root_hash);
      !ok) {
    return std::unexpected(
        ProofFailure(ok.error(), "log " + impl_->base_url + ": inclusion proof for leaf " +
                                     std::to_string(proof.leaf_index) + " in tree size " +
                                     std::to_string(sth.tree_size)));
  }
  return proof.leaf_index;
}

Result<void> LogClient::ProveEntry(const LogEntry& entry, const SignedTreeHead& sth) {
  if (Result<void> ok = impl_->CheckHead(sth, "tree head"); !ok) return ok;
  const std::string& log = impl_->base_url;
  if (entry.index >= sth.tree_size) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log " + log + ": entry " + std::to_string(entry.index) +
                         " is not below tree size " + std::to_string(sth.tree_size));
  }
  std::string what = "log " + log + ": entry " + std::to_string(entry.index) + " in tree size " +
                     std::to_string(sth.tree_size);
  ASSIGN_OR_RETURN(InclusionProof proof, GetProofByHash(entry.leaf_hash, sth.tree_size));
  std::vector<MerkleHash> path = std::move(proof.audit_path);
  if (proof.leaf_index != entry.index) {
    // The same leaf may sit at two indices; the log answers with one of them. Ask for the
    // proof at the index this entry was served as, and check it is the same leaf.
    ASSIGN_OR_RETURN(EntryAndProof at_index, GetEntryAndProof(entry.index, sth.tree_size));
    if (at_index.entry.leaf_hash != entry.leaf_hash) {
      return MakeError(ErrorCode::kVerificationFailed,
                       what + ": the log has another leaf at this index (this one is at " +
                           std::to_string(proof.leaf_index) + ")");
    }
    path = std::move(at_index.audit_path);
  }
  if (Result<void> ok =
          VerifyInclusion(entry.leaf_hash, entry.index, sth.tree_size, path, sth.root_hash);
      !ok) {
    return std::unexpected(ProofFailure(ok.error(), what));
  }
  return {};
}

}  // namespace ctkit
