// Behaviour snapshot of the DER reader and CertificateView::Parse: what they accept, what they
// reject (and with which message), and what every accessor returns, over many hostile inputs.
//
// The reader and the parser are optimised by hand (a short-form header fast path, one header
// parse per element, no text on the success path); these tests pin their observable behaviour to
// a transcript recorded from the straightforward implementation they replaced, so an
// optimisation that changes any verdict, message or accessor output fails here. Each test builds
// a deterministic text transcript and compares its SHA-256 with the recorded one.
//
// A deliberate change of behaviour (a reworded message, say) changes the digest: dump the
// transcripts before and after with CTKIT_X509_TRANSCRIPT_DIR=<dir>, review the diff, and record
// the new digest.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>

#include "base/sha256.h"
#include "x509/certificate.h"
#include "x509/der.h"
#include "x509/oid.h"
#include "x509_test_util.h"

namespace ctkit {
namespace {

// A transcript hashed as it is written (it runs to tens of megabytes), and saved to
// $CTKIT_X509_TRANSCRIPT_DIR/<name>.txt when that is set.
class Transcript {
 public:
  explicit Transcript(std::string name) : name_(std::move(name)) {
    if (const char* dir = std::getenv("CTKIT_X509_TRANSCRIPT_DIR")) {
      dump_.open(std::string(dir) + "/" + name_ + ".txt", std::ios::binary);
    }
  }

  // Appends `text` and clears it, so callers can reuse one buffer.
  void Add(std::string& text) {
    hasher_.Update(AsBytes(text));
    if (dump_.is_open()) dump_ << text;
    size_ += text.size();
    text.clear();
  }

  void ExpectDigest(const std::string& expected_hex) {
    EXPECT_EQ(HexEncode(hasher_.Finish()), expected_hex)
        << name_ << ": behaviour differs from the recorded transcript (" << size_
        << " bytes); see the comment at the top of this file";
  }

 private:
  std::string name_;
  Sha256Hasher hasher_;
  std::ofstream dump_;
  size_t size_ = 0;
};

std::string Describe(const Error& error) {
  return "error " + std::to_string(static_cast<int>(error.code)) + " " + error.message;
}

std::string Describe(const DerTag& tag) {
  return std::to_string(static_cast<int>(tag.tag_class)) + "/" + (tag.constructed ? "c" : "p") +
         "/" + std::to_string(tag.number);
}

std::string Describe(const Result<DerElement>& element) {
  if (!element) return Describe(element.error());
  return Describe(element->tag) + " h" + std::to_string(element->header_size()) + " c" +
         std::to_string(element->contents.size());
}

// Every reader entry point on one input, each on a fresh reader, then a walk to the end.
void TranscribeReader(ByteSpan data, std::string& out) {
  {
    auto tag = DerReader(data).PeekTag();
    out += tag ? Describe(*tag) : Describe(tag.error());
    out += '|';
  }
  for (DerTag tag : {kDerSequence, kDerInteger, DerContextTag(3, true)}) {
    out += DerReader(data).PeekTagIs(tag) ? '1' : '0';
  }
  out += '|';
  out += Describe(DerReader(data).ReadAnyElement()) + '|';
  out += Describe(DerReader(data).ReadFullElement(kDerOctetString)) + '|';
  {
    auto element = DerReader(data).ReadElement(kDerSequence);
    out += element ? "c" + std::to_string(element->size()) : Describe(element.error());
    out += '|';
  }
  {
    DerReader reader(data, kMaxDerDepth - 1);
    auto child = reader.ReadConstructed(DerContextTag(0, true));
    out += child ? "d" + std::to_string(child->depth()) + " r" + std::to_string(child->remaining())
                 : Describe(child.error());
    out += '|';
  }
  {
    DerReader reader(data);
    auto optional = reader.ReadOptionalElement(kDerInteger);
    out += !optional               ? Describe(optional.error())
           : optional->has_value() ? "some " + Describe(**optional)
                                   : "none";
    out += " o" + std::to_string(reader.offset()) + '|';
  }
  {
    DerReader reader(data);
    auto optional = reader.ReadOptionalConstructed(kDerSet);
    out += !optional ? Describe(optional.error()) : optional->has_value() ? "some" : "none";
    out += " o" + std::to_string(reader.offset()) + '|';
  }
  {
    auto time = DerReader(data).ReadTime();
    out += time ? std::to_string(*time) : Describe(time.error());
    out += '|';
  }
  {
    auto integer = DerReader(data).ReadUint64();
    out += integer ? std::to_string(*integer) : Describe(integer.error());
    out += '|';
  }
  DerReader walker(data);
  while (!walker.empty()) {
    auto element = walker.ReadAnyElement();
    out += Describe(element) + ';';
    if (!element) break;
  }
  out += '\n';
}

TEST(ParseEquivalenceTest, DerReaderOnEveryIdentifier) {
  // Every identifier octet, then a length (or high tag number) octet, then tails that complete
  // short-form, long-form and high-tag-number headers in valid and invalid ways.
  const Bytes tails[] = {
      {},
      {0x00},
      {0x07, 0x68, 0x00},  // after 0x9f/0xbf 0x87: tag number 1000, length 0
      {0x82, 0x01, 0x00},
      Bytes(200, 0x80),  // 0x81 0x80: a valid long-form length of 128
  };
  // Second octets: every value after an identifier in the high tag number form (where it is a
  // base-128 tag group), and after the others the short lengths around the tails' sizes and
  // every long-form length octet up to 5 octets, the reserved 0xff and a few others.
  std::vector<uint8_t> length_octets = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x7e, 0x7f, 0x80,
                                        0x81, 0x82, 0x83, 0x84, 0x85, 0x87, 0xc8, 0xfe, 0xff};
  Transcript transcript("der_reader");
  std::string line;
  for (unsigned b0 = 0; b0 < 256; ++b0) {
    std::vector<uint8_t> all(256);
    for (unsigned b = 0; b < 256; ++b) all[b] = static_cast<uint8_t>(b);
    for (uint8_t b1 : (b0 & 0x1f) == 0x1f ? all : length_octets) {
      for (const Bytes& tail : tails) {
        Bytes data = {static_cast<uint8_t>(b0), static_cast<uint8_t>(b1)};
        data.insert(data.end(), tail.begin(), tail.end());
        TranscribeReader(data, line);
        transcript.Add(line);
      }
    }
  }
  // Times: every character of a UTCTime and a GeneralizedTime replaced by a digit, a letter
  // and 'Z' (the calendar and range checks of X.690 §11.7-11.8 and RFC 5280 §4.1.2.5).
  for (std::string time : {"\x17\x0d"
                           "491231235959Z",
                           "\x18\x0f"
                           "20240229120000Z"}) {
    for (size_t pos = 2; pos < time.size(); ++pos) {
      for (char c : {'0', '2', '3', '5', '9', 'A', 'Z'}) {
        std::string mutated = time;
        mutated[pos] = c;
        TranscribeReader(AsBytes(mutated), line);
        transcript.Add(line);
      }
    }
  }
  transcript.ExpectDigest("dc93dbe4b5733392380057652aab5e707f748d37368fd1abadcc08c81415dfae");
}

std::string Hex(ByteSpan bytes) { return HexEncode(bytes); }

std::string Optional(const std::optional<ByteSpan>& bytes) { return bytes ? Hex(*bytes) : "-"; }

// Every accessor of a parsed certificate, as text.
void TranscribeCertificate(const CertificateView& cert, std::string& out) {
  const auto offset = [&](ByteSpan part) {
    return std::to_string(part.data() - cert.der().data()) + "+" + std::to_string(part.size());
  };
  out += "v" + std::to_string(cert.version()) + " serial " + cert.serial_hex() +
         (cert.serial_is_negative() ? "-" : "+") + " tbs " + offset(cert.tbs());
  out += " sigalg " + offset(cert.signature_algorithm()) + " " + cert.signature_algorithm_oid();
  out += " sig " + offset(cert.signature());
  out += "\n issuer " + offset(cert.issuer_der()) + " " + cert.issuer();
  out += "\n subject " + offset(cert.subject_der()) + " " + cert.subject();
  out += "\n cn";
  for (const std::string& cn : cert.subject_common_names()) out += " [" + cn + "]";
  out +=
      "\n validity " + std::to_string(cert.not_before()) + " " + std::to_string(cert.not_after());
  out += "\n spki " + offset(cert.spki()) + " " + cert.spki_algorithm_oid();
  out += "\n dns";
  for (const std::string& name : cert.dns_names()) out += " [" + name + "]";
  out += "\n ip";
  for (const std::string& ip : cert.ip_addresses()) out += " " + ip;
  out += "\n eku";
  for (const std::string& eku : cert.extended_key_usages()) out += " " + eku;
  out += "\n ku " + (cert.key_usage() ? std::to_string(*cert.key_usage()) : std::string("-"));
  out += " aki " + Optional(cert.authority_key_id()) + " akv " +
         Optional(cert.authority_key_identifier_value());
  out += " ski " + Optional(cert.subject_key_id());
  if (auto bc = cert.basic_constraints()) {
    out += " bc " + std::to_string(bc->is_ca) + " " +
           (bc->path_len ? std::to_string(*bc->path_len) : std::string("-"));
  }
  out += " precert " + std::to_string(cert.IsPrecertificate()) +
         std::to_string(cert.IsPrecertificateSigningCert());
  auto scts = cert.EmbeddedSctList();
  out += " scts " + (scts ? offset(*scts) : Describe(scts.error()));
  const auto& layout = cert.tbs_layout();
  out += "\n layout " + std::to_string(layout.contents_offset) + " " +
         std::to_string(layout.issuer_offset) + " " + std::to_string(layout.issuer_size) + " " +
         std::to_string(layout.extensions_offset);
  for (const Extension& ext : cert.extensions()) {
    out += "\n ext " + ext.oid_string + " " + Hex(ext.oid) + " " + std::to_string(ext.critical) +
           " " + offset(ext.value) + " " + offset(ext.encoded) + " " +
           std::to_string(ext.offset_in_tbs) + " " + offset(ext.oid_encoded) + " " +
           (ext.critical_encoded.empty() ? "-" : offset(ext.critical_encoded));
    if (cert.FindExtension(ext.oid) != &ext) out += " find-mismatch";
  }
  out += '\n';
}

void TranscribeParse(ByteSpan der, std::string& out) {
  auto cert = CertificateView::Parse(der);
  if (cert) {
    TranscribeCertificate(*cert, out);
  } else {
    out += Describe(cert.error()) + '\n';
  }
}

// Real certificates of different shapes: an EV RSA leaf with a long subject and embedded SCTs,
// a precertificate, a CA that signs precertificates (basicConstraints, extKeyUsage).
const char* const kCertificates[] = {
    "sct/realworld/github.com-2016/leaf.der",
    "sct/ctlog/test-embedded-pre-cert.pem",
    "sct/ctlog/ca-pre-cert.pem",
};

TEST(ParseEquivalenceTest, CertificatesTruncatedAtEveryByte) {
  Transcript transcript("truncations");
  std::string text;
  for (const char* file : kCertificates) {
    const Bytes der = x509_testing::LoadDer(file);
    ASSERT_FALSE(der.empty()) << file;
    text += std::string("== ") + file + '\n';
    for (size_t length = 0; length <= der.size(); ++length) {
      text += std::to_string(length) + ": ";
      TranscribeParse(ByteSpan(der.data(), length), text);
      transcript.Add(text);
    }
    // Trailing bytes after the Certificate.
    Bytes longer = der;
    longer.push_back(0x00);
    TranscribeParse(longer, text);
    transcript.Add(text);
  }
  transcript.ExpectDigest("71cfad7066f907493b082d89631d5cf2a84d7246c1032cc7154bbd83f390becb");
}

TEST(ParseEquivalenceTest, CertificatesWithEveryByteMutated) {
  // Per byte: a low bit, the constructed bit, the class bit, and the values that switch a
  // header to the high-tag-number form (0x1f), indefinite length (0x80) and a long-form length.
  static constexpr uint8_t kXorMasks[] = {0x01, 0x20, 0x80};
  static constexpr uint8_t kValues[] = {0x1f, 0x80, 0x81};
  Transcript transcript("mutations");
  std::string text;
  for (const char* file : kCertificates) {
    const Bytes der = x509_testing::LoadDer(file);
    ASSERT_FALSE(der.empty()) << file;
    text += std::string("== ") + file + '\n';
    Bytes mutated = der;
    for (size_t pos = 0; pos < der.size(); ++pos) {
      for (uint8_t mask : kXorMasks) {
        mutated[pos] = der[pos] ^ mask;
        text += std::to_string(pos) + "^" + std::to_string(mask) + ": ";
        TranscribeParse(mutated, text);
        transcript.Add(text);
      }
      for (uint8_t value : kValues) {
        if (der[pos] == value) continue;
        mutated[pos] = value;
        text += std::to_string(pos) + "=" + std::to_string(value) + ": ";
        TranscribeParse(mutated, text);
        transcript.Add(text);
      }
      mutated[pos] = der[pos];
    }
  }
  transcript.ExpectDigest("9d5c92b180fdee8e44717a409a95bc36e3739079c8679a315326037429299972");
}

}  // namespace
}  // namespace ctkit
