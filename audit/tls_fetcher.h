// Fetching what a live TLS endpoint serves, for auditing: the certificate chain, SCTs from the
// signed_certificate_timestamp TLS extension (RFC 6962 §3.3) and the stapled OCSP response
// (RFC 6066 §8 status_request), whose SingleResponse may carry SCTs too (ct/sct_ocsp.h).
//
// The client is OpenSSL's, with SNI set to the host name (not for address literals), and it
// requests both the SCT extension (an empty extension 18 in the ClientHello, through
// SSL_CTX_add_custom_ext so the raw list reaches ctkit's own parser, in TLS 1.2's ServerHello
// and TLS 1.3's leaf CertificateEntry, RFC 8446 §4.4.2) and OCSP stapling.
//
// The chain's trust is NOT judged here: the audit is about CT and the expected issuer, and a
// certificate from a private CA is as auditable as a public one. Everything the peer sends is
// hostile: the chain is bounded (x509/pem.h kMaxCertificatesPerInput), the OCSP response by
// kMaxOcspResponseBytes, and nothing is parsed here beyond what OpenSSL must do to handshake.
//
// Errors: kNetwork for name resolution, connect and handshake failures and timeouts (the message
// says which), kMalformed for a peer that sends no certificate or too many.

#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "audit/targets.h"
#include "base/bytes.h"
#include "base/error.h"

namespace ctkit::audit {

inline constexpr size_t kMaxOcspResponseBytes = 1 << 20;

struct TlsFetchOptions {
  std::chrono::milliseconds connect_timeout{10'000};    // per address tried
  std::chrono::milliseconds handshake_timeout{10'000};  // from connected to handshake done
  std::string server_name;  // SNI; empty: the endpoint's host unless it is an address literal
};

struct TlsFetchResult {
  std::vector<Bytes> chain;            // DER as served, leaf first
  std::optional<Bytes> sct_list;       // the TLS extension's SignedCertificateTimestampList
  std::optional<Bytes> ocsp_response;  // the stapled OCSPResponse DER
  std::string protocol;                // "TLSv1.3", ...
  std::string address;                 // the address connected to
};

Result<TlsFetchResult> FetchTlsEndpoint(const Endpoint& endpoint,
                                        const TlsFetchOptions& options = {});

}  // namespace ctkit::audit
