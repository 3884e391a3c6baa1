// One `ctkit audit` from settings to report (audit/audit_job.h), offline, over testdata/'s
// certificates: inputs refused before anything runs, and what the report says besides the
// results.

#include "audit/audit_job.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "ct/inventory_record.h"
#include "tests/test_log_list.h"
#include "tests/test_support.h"

namespace ctkit::audit {
namespace {

using namespace testing::log_list_data;

class AuditJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("ctkit-audit-job");
    settings_.targets = {testing::TestDataPath(kCryptographyLeaf)};
    settings_.at = "2018-10-01T00:00:00Z";
    settings_.jobs = 1;
    settings_.tool_version = "9.9";
    settings_.load_log_list = [this](const std::string& source) -> Result<LogList> {
      asked_.push_back(source);
      return LogList::Parse(testing::LogListJson(
          {{.key_file = kIcarusKey, .op = "Google"}, {.key_file = kMammothKey, .op = "Sectigo"}},
          Ms("2018-09-01T00:00:00Z")));
    };
  }
  void TearDown() override { testing::RemoveTree(dir_); }

  std::string dir_;
  AuditSettings settings_;
  std::vector<std::string> asked_;
};

TEST_F(AuditJobTest, TheReportSaysWhatWasCheckedWhenAndAgainstWhichList) {
  settings_.log_list = "logs.json";
  settings_.policy = "chrome";
  Result<AuditReport> report = RunAuditJob(settings_);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(asked_, std::vector<std::string>{"logs.json"});
  EXPECT_EQ(report->tool_version, "9.9");
  EXPECT_EQ(report->checked_at_ms, Ms("2018-10-01T00:00:00Z"));
  EXPECT_EQ(report->log_list_version, "1.0");
  EXPECT_EQ(report->policies, std::vector<std::string>{"chrome"});
  EXPECT_FALSE(report->online);
  ASSERT_EQ(report->results.size(), 1u);
  EXPECT_TRUE(report->warnings.empty());
}

TEST_F(AuditJobTest, InventoryRecordsThatMatchNothingAreAWarning) {
  // A certificate issued for another name, which no target holds.
  InventoryRecord other;
  other.sha256 = std::string(64, 'a');
  other.tbs_sha256 = std::string(64, 'b');
  other.names = {"other.example"};
  std::ofstream(dir_ + "/inventory.jsonl") << InventoryRecordToJson(other) << "\n";
  settings_.inventory = dir_ + "/inventory.jsonl";
  Result<AuditReport> report = RunAuditJob(settings_);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->warnings,
            std::vector<std::string>{"1 inventory record matched no audited certificate"});
}

TEST_F(AuditJobTest, BadInputsAreRefusedNamingTheFlagBeforeTheListIsLoaded) {
  AuditSettings bad_at = settings_;
  bad_at.at = "yesterday";
  EXPECT_THAT(RunAuditJob(bad_at).error().message, ::testing::StartsWith("--at: "));
  AuditSettings bad_spki = settings_;
  bad_spki.expect_spki = "zz";
  EXPECT_THAT(RunAuditJob(bad_spki).error().message, ::testing::StartsWith("--expect-spki: "));
  AuditSettings bad_issuer = settings_;
  bad_issuer.expect_issuer = dir_ + "/none.pem";
  EXPECT_THAT(RunAuditJob(bad_issuer).error().message, ::testing::StartsWith(dir_ + "/none.pem: "));
  AuditSettings bad_inventory = settings_;
  std::ofstream(dir_ + "/inventory.jsonl") << "{not json\n";
  bad_inventory.inventory = dir_ + "/inventory.jsonl";
  EXPECT_THAT(RunAuditJob(bad_inventory).error().message,
              ::testing::StartsWith(dir_ + "/inventory.jsonl: "));
  AuditSettings bad_target = settings_;
  bad_target.targets = {dir_ + "/missing.pem"};
  EXPECT_THAT(RunAuditJob(bad_target).error().message, ::testing::HasSubstr("missing.pem"));
  EXPECT_TRUE(asked_.empty());
}

TEST_F(AuditJobTest, AListThatCannotBeFetchedKeepsItsCode) {
  settings_.load_log_list = [](const std::string&) -> Result<LogList> {
    return MakeError(ErrorCode::kNetwork, "--log-list: no route");
  };
  Result<AuditReport> report = RunAuditJob(settings_);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kNetwork);
}

}  // namespace
}  // namespace ctkit::audit
