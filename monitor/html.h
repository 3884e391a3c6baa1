// Escaping for the monitor's web page (monitor/monitor_http.h). Certificate names, issuers and
// log descriptions are attacker-controlled text: a CA can put "<script>" in a dNSName and a
// log will log it. Every value the page shows goes through HtmlEscape, and nothing else puts
// text into the page; values inside URLs go through UrlComponentEscape first and HtmlEscape
// second (the href is itself an attribute).
//
//   html += "<td>" + HtmlEscape(name) + "</td>";
//   html += "<a href=\"/?q=" + HtmlEscape(UrlComponentEscape(name)) + "\">";

#pragma once

#include <string>
#include <string_view>

namespace ctkit {

// Text safe in HTML element content and in quoted attribute values: & < > " ' become character
// references; bytes that are not valid UTF-8 and control characters other than tab, newline and
// carriage return become U+FFFD (a browser would otherwise guess, and NUL is a parse error).
std::string HtmlEscape(std::string_view text);

// Percent-encodes everything but the RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~), for
// a query parameter value or a path segment.
std::string UrlComponentEscape(std::string_view text);

}  // namespace ctkit
