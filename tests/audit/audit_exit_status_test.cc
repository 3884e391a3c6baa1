// audit/audit_exit_status.h: a failure is 1 whatever else happened, an unreachable target 3, an
// unreadable one 2, and an audit of nothing does not pass.

#include "audit/audit_exit_status.h"

#include <gtest/gtest.h>

namespace ctkit::audit {
namespace {

AuditResult Result(Verdict verdict, ErrorKind kind = ErrorKind::kNone) {
  AuditResult result;
  result.verdict = verdict;
  result.error_kind = kind;
  return result;
}

TEST(AuditExitStatusTest, AFailureOutranksAnUnreachableTarget) {
  AuditReport report;
  report.results = {Result(Verdict::kPass)};
  EXPECT_EQ(AuditExitStatus(report), 0);
  report.results.push_back(Result(Verdict::kError, ErrorKind::kInput));
  EXPECT_EQ(AuditExitStatus(report), 2);
  report.results.push_back(Result(Verdict::kError, ErrorKind::kNetwork));
  EXPECT_EQ(AuditExitStatus(report), 3);
  report.results.push_back(Result(Verdict::kFail));
  EXPECT_EQ(AuditExitStatus(report), 1);
}

TEST(AuditExitStatusTest, NothingAuditedIsSaid) {
  AuditReport report;
  report.skipped = 2;
  EXPECT_EQ(NothingAudited(report),
            "nothing to audit: 2 files skipped, no leaf certificate or precertificate among the "
            "targets");
  report.results = {Result(Verdict::kPass)};
  EXPECT_EQ(NothingAudited(report), std::nullopt);
}

}  // namespace
}  // namespace ctkit::audit
