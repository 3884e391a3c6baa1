// Test-only SCT signature check (RFC 6962 §3.2), written directly against OpenSSL so the x509
// tests can prove that the TBS bytes ctkit rebuilds are exactly the bytes real logs signed.
// This is an oracle for the tests, not the product's SCT code (that lives in ct/).

#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/sha256.h"
#include "x509/pem.h"
#include "x509_test_util.h"

namespace ctkit::x509_testing {

struct OracleSct {
  Bytes log_id;
  uint64_t timestamp = 0;
  Bytes extensions;
  Bytes signature;
};

// Big-endian reader that turns any overrun into nullopt.
class TlsIn {
 public:
  explicit TlsIn(ByteSpan data) : data_(data) {}
  std::optional<uint64_t> Uint(size_t n) {
    if (data_.size() - pos_ < n) return std::nullopt;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = v << 8 | data_[pos_++];
    return v;
  }
  std::optional<Bytes> Fixed(size_t n) {
    if (data_.size() - pos_ < n) return std::nullopt;
    Bytes out(data_.begin() + pos_, data_.begin() + pos_ + n);
    pos_ += n;
    return out;
  }
  std::optional<Bytes> Vector(size_t length_bytes) {
    auto n = Uint(length_bytes);
    if (!n) return std::nullopt;
    return Fixed(*n);
  }
  bool empty() const { return pos_ == data_.size(); }

 private:
  ByteSpan data_;
  size_t pos_ = 0;
};

// SignedCertificateTimestamp (RFC 6962 §3.2), v1 only.
inline std::optional<OracleSct> ParseOracleSct(ByteSpan data) {
  TlsIn in(data);
  OracleSct sct;
  auto version = in.Uint(1);
  auto log_id = in.Fixed(32);
  auto timestamp = in.Uint(8);
  auto extensions = in.Vector(2);
  auto hash = in.Uint(1);
  auto sig = in.Uint(1);
  auto signature = in.Vector(2);
  if (!version || *version != 0 || !log_id || !timestamp || !extensions || !hash || !sig ||
      !signature || !in.empty()) {
    return std::nullopt;
  }
  return OracleSct{*log_id, *timestamp, *extensions, *signature};
}

// SignedCertificateTimestampList (RFC 6962 §3.3).
inline std::vector<OracleSct> ParseOracleSctList(ByteSpan list) {
  TlsIn outer(list);
  auto body = outer.Vector(2);
  std::vector<OracleSct> scts;
  if (!body || !outer.empty()) return scts;
  TlsIn in(*body);
  while (!in.empty()) {
    auto serialized = in.Vector(2);
    if (!serialized) return {};
    auto sct = ParseOracleSct(*serialized);
    if (!sct) return {};
    scts.push_back(*sct);
  }
  return scts;
}

inline void PutUint(Bytes& out, uint64_t v, size_t n) {
  for (size_t i = n; i-- > 0;) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// The digitally-signed struct of RFC 6962 §3.2 for a precert_entry or an x509_entry.
inline Bytes SignedInput(const OracleSct& sct, uint16_t entry_type, ByteSpan entry) {
  Bytes out{0x00, 0x00};  // v1, certificate_timestamp
  PutUint(out, sct.timestamp, 8);
  PutUint(out, entry_type, 2);
  out.insert(out.end(), entry.begin(), entry.end());
  PutUint(out, sct.extensions.size(), 2);
  out.insert(out.end(), sct.extensions.begin(), sct.extensions.end());
  return out;
}

// RFC 6962 §3.2 PreCert: issuer_key_hash[32], then the TBSCertificate as opaque <1..2^24-1>.
inline Bytes PrecertEntryBytes(const Sha256Digest& issuer_key_hash, ByteSpan tbs_certificate) {
  Bytes out(issuer_key_hash.begin(), issuer_key_hash.end());
  PutUint(out, tbs_certificate.size(), 3);
  out.insert(out.end(), tbs_certificate.begin(), tbs_certificate.end());
  return out;
}

struct LogKey {
  Bytes spki;
  Bytes log_id;  // SHA-256 of the SPKI
};

inline std::vector<LogKey> LoadLogKeys(std::initializer_list<const char*> files) {
  std::vector<LogKey> keys;
  for (const char* file : files) {
    const Bytes pem = ReadTestFile(file);
    auto blocks =
        PemDecodeBlocks(std::string_view(reinterpret_cast<const char*>(pem.data()), pem.size()));
    EXPECT_TRUE(blocks.has_value() && blocks->size() == 1) << file;
    if (!blocks || blocks->empty()) continue;
    const Sha256Digest id = Sha256((*blocks)[0].data);
    keys.push_back(LogKey{(*blocks)[0].data, Bytes(id.begin(), id.end())});
  }
  return keys;
}

// Verifies `sct` over `signed_input` with the key whose log ID matches; false if none does.
inline bool VerifyWithLogKeys(const OracleSct& sct, ByteSpan signed_input,
                              const std::vector<LogKey>& keys) {
  for (const LogKey& key : keys) {
    if (key.log_id != sct.log_id) continue;
    const uint8_t* p = key.spki.data();
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
        d2i_PUBKEY(nullptr, &p, static_cast<long>(key.spki.size())), EVP_PKEY_free);
    if (!pkey) return false;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) != 1) {
      return false;
    }
    return EVP_DigestVerify(ctx.get(), sct.signature.data(), sct.signature.size(),
                            signed_input.data(), signed_input.size()) == 1;
  }
  return false;
}

inline bool VerifyPrecertSct(const OracleSct& sct, const Sha256Digest& issuer_key_hash,
                             ByteSpan tbs_certificate, const std::vector<LogKey>& keys) {
  return VerifyWithLogKeys(
      sct, SignedInput(sct, 1, PrecertEntryBytes(issuer_key_hash, tbs_certificate)), keys);
}

}  // namespace ctkit::x509_testing
