#include "ct/log_key.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <atomic>
#include <cstring>
#include <string>
#include <vector>

namespace ctkit {
namespace {

// OpenSSL reports failures on a per-thread error queue; failed parses and verifications of
// untrusted input are expected here, so drop what they left rather than let it pile up.
std::string TakeOpenSslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof(buffer));
  return buffer;
}

// X.690 §10.1: a definite length in the fewest bytes. Reads the length after a tag.
bool ReadDerLength(ByteSpan& in, size_t& length) {
  if (in.empty()) return false;
  uint8_t first = in[0];
  in = in.subspan(1);
  if (first < 0x80) {
    length = first;
    return true;
  }
  size_t count = first & 0x7f;
  // 0x80 is BER's indefinite length; more than 2 length bytes is far beyond any signature.
  if (count == 0 || count > 2 || in.size() < count) return false;
  if (in[0] == 0) return false;  // leading zero byte: not minimal
  length = 0;
  for (size_t i = 0; i < count; ++i) length = (length << 8) | in[i];
  in = in.subspan(count);
  return length >= 0x80;  // short form would have done
}

// A DER INTEGER that is positive and minimally encoded (X.690 §8.3.2), of at most `max_size`
// content bytes.
bool ReadPositiveDerInteger(ByteSpan& in, size_t max_size) {
  if (in.empty() || in[0] != 0x02) return false;
  in = in.subspan(1);
  size_t length = 0;
  if (!ReadDerLength(in, length) || length == 0 || length > max_size || length > in.size()) {
    return false;
  }
  ByteSpan value = in.first(length);
  in = in.subspan(length);
  if (value[0] & 0x80) return false;  // negative
  if (value[0] == 0x00) {
    if (length == 1) return false;             // zero: r and s are in [1, n-1]
    if ((value[1] & 0x80) == 0) return false;  // needless leading zero
  }
  return true;
}

// Verify contexts per thread and key. EVP_PKEY_CTX_dup on every call allocated and copied a
// provider context per signature (measurable next to a ~40 us P-256 verify; see
// docs/PERFORMANCE.md); a context may be reused for any number of EVP_PKEY_verify calls, just not
// by two threads at once, so each thread keeps its own. A duplicate holds its own reference to
// the EVP_PKEY, so an entry outliving its LogKey is harmless; keys are identified by a serial
// number that is never reused, so a new key at a freed key's address never finds the old entry.
// The cache is small and bounded: a process verifies against a few dozen logs at most.
class ThreadVerifyContexts {
 public:
  ThreadVerifyContexts() = default;
  ThreadVerifyContexts(const ThreadVerifyContexts&) = delete;
  ThreadVerifyContexts& operator=(const ThreadVerifyContexts&) = delete;
  ~ThreadVerifyContexts() {
    for (const Entry& entry : entries_) EVP_PKEY_CTX_free(entry.context);
  }

  // This thread's context for key `serial`, duplicated from `verify_template` on first use, or
  // nullptr if OpenSSL cannot duplicate it.
  EVP_PKEY_CTX* Get(uint64_t serial, EVP_PKEY_CTX* verify_template) {
    for (size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i].serial != serial) continue;
      if (i != 0) {  // move one step forward: the busiest keys end up first, the idle ones last
        std::swap(entries_[i], entries_[i - 1]);
        --i;
      }
      return entries_[i].context;
    }
    EVP_PKEY_CTX* context = EVP_PKEY_CTX_dup(verify_template);
    if (context == nullptr) return nullptr;
    if (entries_.size() == kMaxEntries) {  // evict the least recently promoted
      EVP_PKEY_CTX_free(entries_.back().context);
      entries_.pop_back();
    }
    entries_.push_back({serial, context});
    return context;
  }

 private:
  static constexpr size_t kMaxEntries = 64;
  struct Entry {
    uint64_t serial;
    EVP_PKEY_CTX* context;
  };
  std::vector<Entry> entries_;
};

std::atomic<uint64_t> g_next_key_serial{1};

}  // namespace

bool IsStrictDerEcdsaSignature(ByteSpan signature, size_t max_integer_size) {
  ByteSpan in = signature;
  if (in.empty() || in[0] != 0x30) return false;  // SEQUENCE, constructed
  in = in.subspan(1);
  size_t length = 0;
  if (!ReadDerLength(in, length) || length != in.size()) return false;  // exact: no trailing
  return ReadPositiveDerInteger(in, max_integer_size) &&
         ReadPositiveDerInteger(in, max_integer_size) && in.empty();
}

Result<DigitallySigned> ReadDigitallySigned(TlsReader& reader) {
  TlsReader copy = reader;
  DigitallySigned out;
  ASSIGN_OR_RETURN(auto hash, copy.ReadU8(), "hash algorithm");
  auto signature_algorithm = copy.ReadU8();
  if (!signature_algorithm) {
    return std::unexpected(WithContext(signature_algorithm.error(), "signature algorithm"));
  }
  ASSIGN_OR_RETURN(auto signature, copy.ReadVector(0, 0xffff), "signature");
  out.hash_algorithm = static_cast<HashAlgorithm>(hash);
  out.signature_algorithm = static_cast<SignatureAlgorithm>(*signature_algorithm);
  out.signature.assign(signature.begin(), signature.end());
  reader = copy;
  return out;
}

void AddDigitallySigned(TlsBuilder& builder, const DigitallySigned& value) {
  builder.AddU8(static_cast<uint8_t>(value.hash_algorithm))
      .AddU8(static_cast<uint8_t>(value.signature_algorithm))
      .AddVector(0, 0xffff, value.signature);
}

Result<Bytes> EncodeDigitallySigned(const DigitallySigned& value) {
  TlsBuilder builder;
  AddDigitallySigned(builder, value);
  return std::move(builder).Finish();
}

LogKey::~LogKey() = default;

Result<std::shared_ptr<const LogKey>> LogKey::FromSpkiDer(ByteSpan spki_der) {
  if (spki_der.empty() || spki_der.size() > 64 * 1024) {
    return MakeError(ErrorCode::kMalformed,
                     "public key: " + std::to_string(spki_der.size()) + " bytes");
  }
  const unsigned char* cursor = spki_der.data();
  UniquePtr<EVP_PKEY> pkey(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(spki_der.size())));
  if (!pkey) {
    return MakeError(ErrorCode::kMalformed,
                     "public key: not a SubjectPublicKeyInfo: " + TakeOpenSslError());
  }
  if (cursor != spki_der.data() + spki_der.size()) {
    return MakeError(ErrorCode::kMalformed, "public key: trailing bytes after the SPKI");
  }
  // The log_id hashes these exact bytes, so accept only the one DER encoding of the key: a BER
  // variant would name the same key under a different log_id.
  unsigned char* reencoded = nullptr;
  int reencoded_size = i2d_PUBKEY(pkey.get(), &reencoded);
  OpensslBuffer<unsigned char> reencoded_owner(reencoded);
  if (reencoded_size <= 0) {
    return MakeError(ErrorCode::kInternal, "public key: re-encoding: " + TakeOpenSslError());
  }
  if (static_cast<size_t>(reencoded_size) != spki_der.size() ||
      std::memcmp(reencoded, spki_der.data(), spki_der.size()) != 0) {
    return MakeError(ErrorCode::kMalformed, "public key: SPKI is not in DER");
  }

  std::shared_ptr<LogKey> key(new LogKey());
  switch (EVP_PKEY_get_base_id(pkey.get())) {
    case EVP_PKEY_EC: {
      char group[64] = {};
      size_t group_size = 0;
      if (EVP_PKEY_get_group_name(pkey.get(), group, sizeof(group), &group_size) != 1 ||
          OBJ_sn2nid(group) != NID_X9_62_prime256v1) {
        ERR_clear_error();
        return MakeError(ErrorCode::kUnsupported, std::string("public key: ECDSA curve ") +
                                                      (group[0] ? group : "(explicit)") +
                                                      " (RFC 6962 §2.1.4 allows only NIST P-256)");
      }
      key->algorithm_ = LogKeyAlgorithm::kEcdsaP256Sha256;
      break;
    }
    case EVP_PKEY_RSA: {
      int bits = EVP_PKEY_get_bits(pkey.get());
      if (bits < kMinRsaLogKeyBits || bits > kMaxRsaLogKeyBits) {
        return MakeError(ErrorCode::kUnsupported,
                         "public key: RSA-" + std::to_string(bits) +
                             " (allowed: " + std::to_string(kMinRsaLogKeyBits) + ".." +
                             std::to_string(kMaxRsaLogKeyBits) + " bits)");
      }
      key->algorithm_ = LogKeyAlgorithm::kRsaSha256;
      break;
    }
    default: {
      const char* type = OBJ_nid2sn(EVP_PKEY_get_base_id(pkey.get()));
      return MakeError(ErrorCode::kUnsupported,
                       std::string("public key: type ") + (type ? type : "unknown") +
                           " (RFC 6962 §2.1.4 allows ECDSA P-256 and RSA)");
    }
  }

  UniquePtr<EVP_PKEY_CTX> context(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!context || EVP_PKEY_verify_init(context.get()) != 1 ||
      EVP_PKEY_CTX_set_signature_md(context.get(), EVP_sha256()) != 1 ||
      (key->algorithm_ == LogKeyAlgorithm::kRsaSha256 &&
       EVP_PKEY_CTX_set_rsa_padding(context.get(), RSA_PKCS1_PADDING) != 1)) {
    return MakeError(ErrorCode::kInternal, "public key: verify context: " + TakeOpenSslError());
  }

  key->max_signature_size_ = static_cast<size_t>(EVP_PKEY_get_size(pkey.get()));
  key->spki_der_.assign(spki_der.begin(), spki_der.end());
  key->log_id_ = Sha256(spki_der);
  key->pkey_ = std::move(pkey);
  key->verify_template_ = std::move(context);
  key->serial_ = g_next_key_serial.fetch_add(1, std::memory_order_relaxed);
  return std::shared_ptr<const LogKey>(std::move(key));
}

Result<std::shared_ptr<const LogKey>> LogKey::FromPem(std::string_view pem) {
  if (pem.size() > 1024 * 1024) return MakeError(ErrorCode::kMalformed, "PEM: too large");
  UniquePtr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return MakeError(ErrorCode::kInternal, "PEM: " + TakeOpenSslError());
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long size = 0;
  int ok = PEM_read_bio(bio.get(), &name, &header, &data, &size);
  OpensslBuffer<char> name_owner(name);
  OpensslBuffer<char> header_owner(header);
  OpensslBuffer<unsigned char> data_owner(data);
  if (ok != 1) return MakeError(ErrorCode::kMalformed, "PEM: no block: " + TakeOpenSslError());
  if (std::string_view(name) != "PUBLIC KEY") {
    return MakeError(ErrorCode::kMalformed, std::string("PEM: expected PUBLIC KEY, found ") + name);
  }
  if (header != nullptr && header[0] != '\0') {
    return MakeError(ErrorCode::kMalformed, "PEM: unexpected headers in PUBLIC KEY block");
  }
  return FromSpkiDer(ByteSpan(data, static_cast<size_t>(size)));
}

bool IsRfc6962SignatureAlgorithm(const DigitallySigned& signature) {
  return signature.hash_algorithm == HashAlgorithm::kSha256 &&
         (signature.signature_algorithm == SignatureAlgorithm::kEcdsa ||
          signature.signature_algorithm == SignatureAlgorithm::kRsa);
}

Result<void> LogKey::Verify(ByteSpan message, const DigitallySigned& signature) const {
  return VerifyDigest(Sha256(message), signature);
}

Result<void> LogKey::VerifyDigest(const Sha256Digest& message_digest,
                                  const DigitallySigned& signature) const {
  if (!IsRfc6962SignatureAlgorithm(signature)) {
    return MakeError(ErrorCode::kUnsupported,
                     "hash algorithm " +
                         std::to_string(static_cast<int>(signature.hash_algorithm)) +
                         " with signature algorithm " +
                         std::to_string(static_cast<int>(signature.signature_algorithm)) +
                         " (RFC 6962 §2.1.4 allows only SHA-256 with ECDSA or RSA)");
  }
  SignatureAlgorithm expected = algorithm_ == LogKeyAlgorithm::kEcdsaP256Sha256
                                    ? SignatureAlgorithm::kEcdsa
                                    : SignatureAlgorithm::kRsa;
  if (signature.signature_algorithm != expected) {
    return MakeError(ErrorCode::kVerificationFailed,
                     "signature algorithm does not match the log's key type");
  }
  const Bytes& sig = signature.signature;
  if (algorithm_ == LogKeyAlgorithm::kEcdsaP256Sha256) {
    // P-256 scalars are 32 bytes, 33 with the sign byte.
    if (sig.size() > max_signature_size_ || !IsStrictDerEcdsaSignature(sig, 33)) {
      return MakeError(ErrorCode::kVerificationFailed, "ECDSA signature is not strict DER");
    }
  } else if (sig.size() != max_signature_size_) {
    // RFC 8017 §8.2.2: the signature is exactly as long as the modulus.
    return MakeError(ErrorCode::kVerificationFailed,
                     "RSA signature of " + std::to_string(sig.size()) + " bytes, key needs " +
                         std::to_string(max_signature_size_));
  }

  thread_local ThreadVerifyContexts contexts;
  EVP_PKEY_CTX* context = contexts.Get(serial_, verify_template_.get());
  if (context == nullptr) {
    return MakeError(ErrorCode::kInternal, "verify context: " + TakeOpenSslError());
  }
  int result = EVP_PKEY_verify(context, sig.data(), sig.size(), message_digest.data(),
                               message_digest.size());
  if (result != 1) {
    ERR_clear_error();
    return MakeError(ErrorCode::kVerificationFailed, "signature does not verify");
  }
  return {};
}

size_t LogKeyring::LogIdHash::operator()(const LogId& id) const {
  // log_ids are SHA-256 outputs: any 8 bytes of them are already uniformly distributed.
  size_t hash = 0;
  std::memcpy(&hash, id.data(), sizeof(hash));
  return hash;
}

bool LogKeyring::Add(std::shared_ptr<const LogKey> key) {
  if (!key) return false;
  LogId id = key->log_id();
  return keys_.emplace(id, std::move(key)).second;
}

const LogKey* LogKeyring::FindKey(const LogId& log_id) const {
  auto it = keys_.find(log_id);
  return it == keys_.end() ? nullptr : it->second.get();
}

}  // namespace ctkit
