// `ctkit log make-list --log` descriptions into a log list (ct/log_list_spec.h).

#include "ct/log_list_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ct/log_key.h"
#include "ct/log_list.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using ::testing::HasSubstr;

std::string KeyFile() { return testing::TestDataPath("keys/google-icarus.pem"); }

TEST(LogListSpecTest, FieldsBecomeAnEntryWithDefaults) {
  Result<LogListEntry> entry =
      ParseLogListSpec("operator=Me,url=http://127.0.0.1:8080/,key=" + KeyFile());
  ASSERT_TRUE(entry) << entry.error().message;
  EXPECT_EQ(entry->operator_name, "Me");
  EXPECT_EQ(entry->url, "http://127.0.0.1:8080/");
  EXPECT_EQ(entry->description, "log at 127.0.0.1:8080");  // not the URL again
  EXPECT_EQ(entry->mmd_seconds, 86400u);
  EXPECT_FALSE(entry->tiled);
  Result<std::shared_ptr<const LogKey>> key =
      LogKey::FromPem(testing::ReadTestDataText("keys/google-icarus.pem"));
  ASSERT_TRUE(key);
  EXPECT_EQ(entry->key_der, (*key)->spki_der());

  entry = ParseLogListSpec("operator=Me,url=https://t.example/,key=" + KeyFile() +
                           ",description=Tiles,mmd=60,api=static");
  ASSERT_TRUE(entry) << entry.error().message;
  EXPECT_EQ(entry->description, "Tiles");
  EXPECT_EQ(entry->mmd_seconds, 60u);
  EXPECT_TRUE(entry->tiled);
}

TEST(LogListSpecTest, MistakesAreRefusedWithOneLine) {
  const std::string key = ",key=" + KeyFile();
  std::vector<std::pair<std::string, std::string>> cases = {
      {"operator=Me,url=http://a/" + key + ",oops", "--log: expected key=value, got \"oops\""},
      {"operator=Me" + key, "--log: missing url="},
      {"operator=Me,url=http://a/" + key + ",api=grpc", "--log: api must be rfc6962 or static"},
      {"operator=Me,url=http://a/" + key + ",descripton=Mine",
       "--log: unknown key \"descripton\" (the keys are operator, url, key, description, mmd, "
       "api)"},
      {"operator=Me,url=http://a/" + key + ",mmd=1.5", "--log: mmd must be whole seconds"},
      {"operator=Me,url=http://a/,key=" + testing::TestDataPath("sct/sctrs/cert.bin"),
       testing::TestDataPath("sct/sctrs/cert.bin") +
           ": neither a log private key nor a public key"}};
  for (const auto& [spec, message] : cases) {
    Result<LogListEntry> entry = ParseLogListSpec(spec);
    ASSERT_FALSE(entry) << spec;
    EXPECT_EQ(entry.error().message, message);
  }
  Result<LogListEntry> missing = ParseLogListSpec("operator=Me,url=http://a/,key=/no/such.pem");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
}

TEST(LogListSpecTest, TheListReadsBackWithEveryLog) {
  Result<std::string> json =
      MakeLogListFromSpecs({"operator=A,url=http://127.0.0.1:1/,key=" + KeyFile(),
                            "operator=B,url=http://127.0.0.1:2/,api=static,key=" +
                                testing::TestDataPath("keys/sectigo-mammoth.pem")},
                           1'700'000'000'000);
  ASSERT_TRUE(json) << json.error().message;
  Result<LogList> list = LogList::Parse(*json);
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->logs().size(), 2u);
  EXPECT_EQ(list->logs()[0].url, "http://127.0.0.1:1/");
  EXPECT_EQ(list->logs()[1].api, LogApi::kStaticCtApi);
  EXPECT_EQ(list->timestamp_ms(), 1'700'000'000'000);
  EXPECT_THAT(MakeLogListFromSpecs({"operator=A"}, 0).error().message, HasSubstr("missing url="));
}

}  // namespace
}  // namespace ctkit
