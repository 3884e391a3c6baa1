// logclient/log_list_source.h: a log list from the compiled-in snapshot, a file, or a URL, with
// errors that say which and codes that tell a failed fetch from bad input.

#include "logclient/log_list_source.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/test_log_list.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using namespace testing::log_list_data;

class LoadLogListTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::TempDir("ctkit-log-list-source"); }
  void TearDown() override { testing::RemoveTree(dir_); }
  std::string dir_;
};

TEST_F(LoadLogListTest, NoSourceIsTheCompiledInSnapshot) {
  Result<LogList> list = LoadLogList("");
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(list->version(), ParseDefaultLogList().value().version());
  EXPECT_FALSE(list->logs().empty());
}

TEST_F(LoadLogListTest, AFileIsParsed) {
  const std::string path = dir_ + "/logs.json";
  std::ofstream(path) << testing::LogListJson({{.key_file = kTestLogKey}}, kCtlogNow);
  Result<LogList> list = LoadLogList(path);
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->logs().size(), 1u);
  EXPECT_EQ(list->logs()[0].description, "Test log 0");
}

TEST_F(LoadLogListTest, AMissingOrMalformedFileSaysWhich) {
  Result<LogList> missing = LoadLogList(dir_ + "/none.json");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().code, ErrorCode::kNetwork);
  EXPECT_TRUE(missing.error().message.starts_with("--log-list: ")) << missing.error().message;

  const std::string path = dir_ + "/bad.json";
  std::ofstream(path) << "{not json";
  Result<LogList> bad = LoadLogList(path);
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().message.starts_with("--log-list " + path + ": ")) << bad.error().message;
}

TEST_F(LoadLogListTest, AnUnreachableUrlIsANetworkError) {
  Result<LogList> list = LoadLogList("http://127.0.0.1:1/log_list.json");
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().code, ErrorCode::kNetwork);
  EXPECT_TRUE(list.error().message.starts_with("--log-list: ")) << list.error().message;
}

}  // namespace
}  // namespace ctkit
