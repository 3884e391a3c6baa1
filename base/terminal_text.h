// Untrusted text made safe to print on a terminal or in a log line: certificate names, log
// descriptions, anything a log, a certificate or a network peer chose.
//
//   std::printf("  names: %s\n", TerminalSafe(name).c_str());
//
// A terminal obeys what it is sent: ESC starts a control sequence (colours, cursor moves, a new
// window title, OSC 8 links, on some terminals answer-back), CR and LF start a line that looks
// like ctkit's own output, and the Unicode bidirectional controls reorder what is shown
// ("Trojan Source", CVE-2021-42574). TerminalSafe writes each such character as a visible escape
// and keeps every other character as it is, so a name prints as exactly one inert line:
//
//   C0 controls U+0000..U+001F and DEL U+007F      \x1b  \x0a  \x7f
//   C1 controls U+0080..U+009F                     \u009b
//   bidi controls U+061C, U+200E, U+200F,          \u202e
//     U+202A..U+202E, U+2066..U+2069
//   line and paragraph separators U+2028, U+2029   \u2028
//   each byte of invalid UTF-8                     \xff
//
// The result is valid UTF-8 with no control character, and TerminalSafe leaves it unchanged.
// A backslash is kept as it is: the output is for people to read, not to decode (a name may
// spell "\x1b" itself). JSON output needs none of this (its encoder escapes controls); error
// messages quote untrusted text with QuoteUntrusted (base/error.h), which escapes the same way.

#pragma once

#include <string>
#include <string_view>

namespace ctkit {

// `text` with every character of the table above escaped; everything else unchanged.
std::string TerminalSafe(std::string_view text);

// True for the code points TerminalSafe escapes (the table above). x509/name.h escapes the same
// set in its RFC 4514 form.
bool IsTerminalControl(char32_t code_point);

}  // namespace ctkit
