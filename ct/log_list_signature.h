// A published log list's signature. Google signs each list it publishes at
// https://www.gstatic.com/ct/log_list/v3/ (`log_list.json`, `all_logs_list.json`) and serves the
// signature beside it with the same name ending in `.sig` (`log_list.sig`, `all_logs_list.sig`):
// RSASSA-PKCS1-v1_5 with SHA-256 over the JSON bytes exactly as served, under the RSA key served
// beside them as `log_list_pubkey.pem`; the check is the one
//   openssl dgst -sha256 -verify log_list_pubkey.pem -signature log_list.sig log_list.json
// makes. Apple publishes no signature for its list.
//
//   RETURN_IF_ERROR(VerifyLogListSignature(json, sig, kGoogleLogListKeyPem));
//
// Where a signature is required and which key checks it: logclient/log_list_source.h.

#pragma once

#include <cstddef>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"

namespace ctkit {

// Google's log list signing key (https://www.gstatic.com/ct/log_list/v3/log_list_pubkey.pem, RSA
// 4096 bits), compiled in. Transcribed from two independent public copies that agree byte for
// byte (see docs/ctkit.md, "Log lists"); SHA-256 of its DER: f1d8b68e...1d8562e6fd85.
inline constexpr std::string_view kGoogleLogListKeyPem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAsu0BHGnQ++W2CTdyZyxv\n"
    "HHRALOZPlnu/VMVgo2m+JZ8MNbAOH2cgXb8mvOj8flsX/qPMuKIaauO+PwROMjiq\n"
    "fUpcFm80Kl7i97ZQyBDYKm3MkEYYpGN+skAR2OebX9G2DfDqFY8+jUpOOWtBNr3L\n"
    "rmVcwx+FcFdMjGDlrZ5JRmoJ/SeGKiORkbbu9eY1Wd0uVhz/xI5bQb0OgII7hEj+\n"
    "i/IPbJqOHgB8xQ5zWAJJ0DmG+FM6o7gk403v6W3S8qRYiR84c50KppGwe4YqSMkF\n"
    "bLDleGQWLoaDSpEWtESisb4JiLaY4H+Kk0EyAhPSb+49JfUozYl+lf7iFN3qRq/S\n"
    "IXXTh6z0S7Qa8EYDhKGCrpI03/+qprwy+my6fpWHi6aUIk4holUCmWvFxZDfixox\n"
    "K0RlqbFDl2JXMBquwlQpm8u5wrsic1ksIv9z8x9zh4PJqNpCah0ciemI3YGRQqSe\n"
    "/mRRXBiSn9YQBUPcaeqCYan+snGADFwHuXCd9xIAdFBolw9R9HTedHGUfVXPJDiF\n"
    "4VusfX6BRR/qaadB+bqEArF/TzuDUr6FvOR4o8lUUxgLuZ/7HO+bHnaPFKYHHSm+\n"
    "+z1lVDhhYuSZ8ax3T0C3FZpb7HMjZtpEorSV5ElKJEJwrhrBCMOD8L01EoSPrGlS\n"
    "1w22i9uGHMn/uGQKo28u7AsCAwEAAQ==\n"
    "-----END PUBLIC KEY-----\n";

// A signature is one RSA block (512 bytes for Google's key); anything longer is not one.
inline constexpr size_t kMaxLogListSignatureBytes = 1024;

// Checks `signature` over the bytes of `json` under the PEM public key `key_pem` (RSA, PKCS#1
// v1.5, SHA-256; a P-256 key, as a test may use, takes an ECDSA SHA-256 signature). Errors:
// kVerificationFailed "log list signature does not verify"; the key's parse error (ct/log_key.h)
// after "log list signing key: ".
Result<void> VerifyLogListSignature(std::string_view json, ByteSpan signature,
                                    std::string_view key_pem);

}  // namespace ctkit
