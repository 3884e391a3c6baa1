#include "audit/check_text.h"

#include <cstdint>
#include <cstdio>

#include "audit/check_json.h"
#include "base/bytes.h"
#include "base/terminal_text.h"
#include "ct/rfc3339.h"

namespace ctkit {
namespace {

std::string PolicyText(const PolicyVerdict& verdict) {
  std::string text = "  " + verdict.policy +
                     " policy: " + (verdict.compliant ? "compliant" : "NOT COMPLIANT") + "\n";
  for (const std::string& reason : verdict.reasons) text += "    " + TerminalSafe(reason) + "\n";
  return text;
}

// `text` left-aligned in `width` columns, as printf's "%-*s".
std::string Padded(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

}  // namespace

std::string CertificateCheckText(const std::string& file, const CertificateView& cert,
                                 const CertificateCheck& check) {
  std::string names;
  for (const std::string& name : DisplayNames(cert)) names += (names.empty() ? "" : ", ") + name;
  std::string text = TerminalSafe(file) + ": " + (check.Passed() ? "OK" : "FAILED") + "\n";
  text += "  subject:  " + TerminalSafe(cert.subject()) + "\n";
  text += "  issuer:   " + TerminalSafe(cert.issuer()) + "\n";
  text += "  names:    " + TerminalSafe(names) + "\n";
  text += "  validity: " + FormatRfc3339(cert.not_before() * 1000) + " .. " +
          FormatRfc3339(cert.not_after() * 1000) + "\n";
  text += "  sha256:   " + HexEncode(cert.sha256()) +
          (check.is_precertificate ? " (precertificate)" : "") + "\n";
  if (check.scts.empty()) text += "  SCTs:     none\n";
  for (size_t i = 0; i < check.scts.size(); ++i) {
    const SctCheck& sct = check.scts[i];
    std::string when = sct.sct ? FormatRfc3339(static_cast<int64_t>(sct.sct->timestamp_ms)) : "-";
    text += "  SCT #" + std::to_string(i) + " " +
            Padded(std::string(SctDeliveryName(sct.delivery)), 9) + " " +
            Padded(std::string(SctStatusName(sct.status)), 22) + " " +
            TerminalSafe(SctLogLabel(sct)) + ", " + when + "\n";
  }
  for (const std::string& note : check.notes) text += "  note: " + TerminalSafe(note) + "\n";
  if (check.chrome) text += PolicyText(*check.chrome);
  if (check.apple) text += PolicyText(*check.apple);
  return text;
}

}  // namespace ctkit
