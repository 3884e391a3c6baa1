#include "x509/pem.h"

#include <utility>

#include "x509/der.h"

namespace ctkit {
namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";

bool IsPemWhitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// True if `pos` starts a line (allowing a UTF-8 byte order mark before the first line).
bool AtLineStart(std::string_view text, size_t pos) {
  return pos == 0 || text[pos - 1] == '\n' || (pos == 3 && text.substr(0, 3) == "\xEF\xBB\xBF");
}

// Finds the next "-----BEGIN " at the start of a line, from `from`.
size_t FindBeginLine(std::string_view text, size_t from) {
  for (size_t pos = text.find(kBegin, from); pos != std::string_view::npos;
       pos = text.find(kBegin, pos + 1)) {
    if (AtLineStart(text, pos)) return pos;
  }
  return std::string_view::npos;
}

// The rest of the line from `pos` must be whitespace; returns the start of the next line.
Result<size_t> SkipLineEnd(std::string_view text, size_t pos, const std::string& what) {
  while (pos < text.size() && text[pos] != '\n') {
    if (!IsPemWhitespace(text[pos])) {
      return MakeError(ErrorCode::kMalformed, "PEM: unexpected text after " + what);
    }
    ++pos;
  }
  return pos < text.size() ? pos + 1 : pos;
}

// Decodes the blocks labelled `only_label` (every block when it is empty). Other blocks are
// delimited but not decoded, so an encrypted private key next to a certificate does not make
// the certificate unreadable.
Result<std::vector<PemBlock>> DecodeBlocks(std::string_view text, std::string_view only_label) {
  std::vector<PemBlock> blocks;
  size_t pos = 0;
  while ((pos = FindBeginLine(text, pos)) != std::string_view::npos) {
    if (blocks.size() >= kMaxCertificatesPerInput) {
      return MakeError(ErrorCode::kMalformed,
                       "PEM: more than " + std::to_string(kMaxCertificatesPerInput) + " blocks");
    }
    const size_t label_start = pos + kBegin.size();
    const size_t label_end = text.find(kDashes, label_start);
    const size_t line_end = text.find('\n', label_start);
    if (label_end == std::string_view::npos || label_end > line_end) {
      return MakeError(ErrorCode::kMalformed, "PEM: BEGIN line has no closing dashes");
    }
    PemBlock block;
    block.label = std::string(text.substr(label_start, label_end - label_start));
    const std::string begin_line = "BEGIN " + block.label;
    ASSIGN_OR_RETURN(auto body_start, SkipLineEnd(text, label_end + kDashes.size(), begin_line));

    const std::string end_marker = std::string(kEnd) + block.label + std::string(kDashes);
    size_t end_pos = text.find(end_marker, body_start);
    while (end_pos != std::string_view::npos && !AtLineStart(text, end_pos)) {
      end_pos = text.find(end_marker, end_pos + 1);
    }
    if (end_pos == std::string_view::npos) {
      return MakeError(ErrorCode::kMalformed, "PEM: no END line for " + begin_line);
    }
    ASSIGN_OR_RETURN(auto next,
                     SkipLineEnd(text, end_pos + end_marker.size(), "END " + block.label));
    pos = next;
    if (!only_label.empty() && block.label != only_label) continue;

    const std::string_view body = text.substr(body_start, end_pos - body_start);
    if (body.find(':') != std::string_view::npos) {
      return MakeError(
          ErrorCode::kMalformed,
          "PEM: " + block.label + " block has headers (encrypted PEM is not supported)");
    }
    if (body.find(kDashes) != std::string_view::npos) {
      return MakeError(ErrorCode::kMalformed,
                       "PEM: " + begin_line + " is not closed by its END line");
    }
    std::string base64;
    base64.reserve(body.size());
    for (char c : body) {
      if (!IsPemWhitespace(c)) base64 += c;
    }
    ASSIGN_OR_RETURN(block.data, Base64Decode(base64), "PEM " + block.label + " body");
    blocks.push_back(std::move(block));
  }
  return blocks;
}

}  // namespace

std::string PemEncode(std::string_view label, ByteSpan der) {
  const std::string body = Base64Encode(der);
  std::string pem = "-----BEGIN " + std::string(label) + "-----\n";
  for (size_t i = 0; i < body.size(); i += 64) pem += body.substr(i, 64) + "\n";
  return pem + "-----END " + std::string(label) + "-----\n";
}

Result<std::vector<PemBlock>> PemDecodeBlocks(std::string_view text) {
  return DecodeBlocks(text, "");
}

Result<std::vector<Bytes>> PemDecodeCertificates(std::string_view text) {
  ASSIGN_OR_RETURN(auto blocks, DecodeBlocks(text, "CERTIFICATE"));
  std::vector<Bytes> certificates;
  for (PemBlock& block : blocks) certificates.push_back(std::move(block.data));
  if (certificates.empty()) {
    return MakeError(ErrorCode::kMalformed, "PEM: no -----BEGIN CERTIFICATE----- block");
  }
  return certificates;
}

Result<std::vector<Bytes>> DecodeCertificateInput(ByteSpan input) {
  if (input.empty()) return MakeError(ErrorCode::kMalformed, "empty certificate input");
  Error der_error{ErrorCode::kMalformed, ""};
  if (input[0] == 0x30) {
    // DER: one or more concatenated SEQUENCE elements and nothing else.
    std::vector<Bytes> certificates;
    DerReader reader(input);
    while (!reader.empty() && certificates.size() < kMaxCertificatesPerInput) {
      auto element = reader.ReadFullElement(kDerSequence);
      if (!element) {
        der_error = WithContext(element.error(),
                                "DER certificate " + std::to_string(certificates.size() + 1));
        certificates.clear();
        break;
      }
      certificates.emplace_back(element->encoded.begin(), element->encoded.end());
    }
    if (!certificates.empty() && reader.empty()) return certificates;
    if (der_error.message.empty()) der_error.message = "too many DER certificates";
  }
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  if (FindBeginLine(text, 0) == std::string_view::npos && !der_error.message.empty()) {
    return std::unexpected(der_error);  // it looked like DER and is not PEM either
  }
  return PemDecodeCertificates(text);
}

Result<std::vector<CertificateView>> ParseCertificateInput(ByteSpan input) {
  ASSIGN_OR_RETURN(auto ders, DecodeCertificateInput(input));
  std::vector<CertificateView> certificates;
  certificates.reserve(ders.size());
  for (size_t i = 0; i < ders.size(); ++i) {
    ASSIGN_OR_RETURN(CertificateView cert, CertificateView::Parse(std::move(ders[i])),
                     "certificate " + std::to_string(i + 1) + " of " + std::to_string(ders.size()));
    certificates.push_back(std::move(cert));
  }
  return certificates;
}

}  // namespace ctkit
