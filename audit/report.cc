#include "audit/report.h"

#include <map>

#include "audit/check_json.h"

namespace ctkit::audit {

AuditSummary AuditReport::Summary() const {
  AuditSummary summary;
  summary.total = results.size();
  for (const AuditResult& result : results) {
    switch (result.verdict) {
      case Verdict::kPass: ++summary.passed; break;
      case Verdict::kFail: ++summary.failed; break;
      case Verdict::kError: ++summary.errors; break;
    }
  }
  return summary;
}

std::string SafeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
      ++i;
      continue;
    }
    // A well-formed UTF-8 sequence (RFC 3629 §4): lead byte, then 1-3 continuation bytes; no
    // overlong forms, surrogates or code points above U+10FFFF.
    size_t length = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    bool ok = length != 0 && i + length <= text.size();
    for (size_t k = 1; ok && k < length; ++k) {
      ok = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
    }
    if (ok && length >= 3) {
      auto second = static_cast<unsigned char>(text[i + 1]);
      if (c == 0xe0 && second < 0xa0) ok = false;   // overlong
      if (c == 0xed && second >= 0xa0) ok = false;  // surrogate
      if (c == 0xf0 && second < 0x90) ok = false;   // overlong
      if (c == 0xf4 && second >= 0x90) ok = false;  // above U+10FFFF
    }
    if (!ok) {
      out += '?';
      ++i;
      continue;
    }
    // C1 controls (U+0080..U+009F) can act as terminal escapes too.
    if (length == 2 && c == 0xc2 && static_cast<unsigned char>(text[i + 1]) < 0xa0) {
      out += '?';
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

std::string NamesText(const AuditResult& result) {
  if (!result.leaf) return "-";
  std::string out;
  for (const std::string& name : DisplayNames(*result.leaf)) {
    out += (out.empty() ? "" : ", ") + name;
  }
  return out.empty() ? "-" : SafeText(out);
}

std::string SctsText(const AuditResult& result) {
  if (!result.leaf) return "-";
  if (result.check.scts.empty()) return "none";
  size_t valid = 0;
  for (const SctCheck& sct : result.check.scts) valid += sct.status == SctStatus::kValid;
  return std::to_string(valid) + "/" + std::to_string(result.check.scts.size()) + " valid";
}

std::string PolicyText(const AuditResult& result) {
  if (!result.leaf) return "-";
  if (result.ct_logging == CtLogging::kDisabled && result.check.scts.empty()) return "opted out";
  std::string out;
  auto add = [&](const char* name, const std::optional<PolicyVerdict>& verdict) {
    if (!verdict) return;
    out += (out.empty() ? "" : ", ") + std::string(name) + (verdict->compliant ? " ok" : " FAIL");
  };
  add("chrome", result.check.chrome);
  add("apple", result.check.apple);
  return out.empty() ? "-" : out;
}

std::string InclusionText(const AuditResult& result) {
  if (!result.online) return "-";
  if (result.inclusion.empty()) return "none";
  std::map<std::string_view, size_t> counts;
  for (const InclusionCheck& check : result.inclusion) ++counts[InclusionStatusName(check.status)];
  size_t included = counts["included"];
  std::string out = std::to_string(included) + "/" + std::to_string(result.inclusion.size()) +
                    " included";
  for (const auto& [name, count] : counts) {
    if (name != "included" && count > 0) out += ", " + std::to_string(count) + " " + std::string(name);
  }
  return out;
}

}  // namespace ctkit::audit
