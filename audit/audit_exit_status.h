// What an audit ends with as a CI gate (docs/ci.md): the exit status of `ctkit audit`, and why a
// run that checked nothing does not pass.
//
//   0  every certificate passed
//   1  any failed: a definite answer, which retrying would not change
//   2  bad usage or unreadable input (and nothing failed), or nothing to audit
//   3  an endpoint or log could not be reached (and nothing failed): CI may retry a 3, never a 1
//
//   if (std::optional<std::string> why = NothingAudited(report)) ...   // exit 2 with `why`
//   return AuditExitStatus(report);

#pragma once

#include <optional>
#include <string>

#include "audit/report.h"

namespace ctkit::audit {

// 0, 1, 3 or 2 as above, from the results' verdicts and error kinds.
int AuditExitStatus(const AuditReport& report);

// A CI gate pointed at the wrong directory, or at one holding only keys and CA certificates,
// must not pass: having checked nothing is not a pass. The message when `report` has no result
// ("nothing to audit: N files skipped, ..."); nullopt when it has.
std::optional<std::string> NothingAudited(const AuditReport& report);

}  // namespace ctkit::audit
