// What opting a certificate out of CT costs, said in the same words wherever the choice shows:
// `ctkit ca issue --ct-logging disabled` (cli/ca_command.cc), the audit's verdict on an
// opted-out inventory certificate (audit/certificate_audit.cc), and `ctkit verify` of a
// certificate without SCTs (cli/verify_command.cc).
//
// The browsers that enforce CT refuse such a certificate on public TLS:
//   - Chrome requires CT for certificates issued on or after 30 April 2018 (Chrome 68; the Chrome
//     Certificate Transparency Policy, ct/ct_policy.h);
//   - Apple (Safari) requires it for TLS server certificates issued after 15 October 2018 (Apple's
//     Certificate Transparency policy, https://support.apple.com/en-us/103214).
// A certificate from a private CA that no browser trusts is not concerned.

#pragma once

#include <string_view>

namespace ctkit {

// Lower case, no full stop: it follows "...: " in every message that says it.
inline constexpr std::string_view kNotLoggedConsequence =
    "certificates without SCTs are rejected by CT-enforcing browsers (Chrome since April 2018, "
    "Safari) on public TLS";

}  // namespace ctkit
