// logclient/log_target.h: a log named as a person names it (URL, description, log ID) resolves to
// the URL, API, key and checkpoint origin the log list gives, and opens as the client of that API.

#include "logclient/log_target.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "logclient/log_client.h"
#include "logclient/static_log_client.h"
#include "test_log_list.h"
#include "test_support.h"

namespace ctkit {
namespace {

using testing::LogListJson;
using testing::SpkiOf;
using namespace testing::log_list_data;

// Logs 0 and 1 (RFC 6962, https://log0.example/ and https://log1.example/, both described
// "Twin"), and log 2 listed under tiled_logs, "Tiled Log".
LogList TestList() {
  nlohmann::json list = nlohmann::json::parse(
      LogListJson({{.key_file = kTestLogKey, .description = "Twin"},
                   {.key_file = kIcarusKey, .description = "Twin"},
                   {.key_file = kMammothKey, .op = "Tiles", .description = "Tiled Log"}},
                  kCtlogNow));
  nlohmann::json& tiles = list["operators"][1];
  nlohmann::json tiled = tiles["logs"][0];
  tiled.erase("url");
  tiled["submission_url"] = "https://submit.example/2026/";
  tiled["monitoring_url"] = "https://tiles.example/2026";
  tiles["logs"] = nlohmann::json::array();
  tiles["tiled_logs"] = nlohmann::json::array({tiled});
  return LogList::Parse(list.dump()).value();
}

std::string LogIdOf(const char* key_file) { return Base64Encode(Sha256(SpkiOf(key_file))); }

TEST(LogTargetTest, ATiledLogIsReadOverStaticCtApiWithTheOriginOfItsSubmissionUrl) {
  LogList list = TestList();
  for (const std::string& name :
       {std::string("Tiled Log"), std::string("tiled log"), LogIdOf(kMammothKey),
        std::string("https://tiles.example/2026")}) {
    SCOPED_TRACE(name);
    Result<LogEndpoint> endpoint = ResolveLogTarget(list, {.name = name});
    ASSERT_TRUE(endpoint) << endpoint.error().message;
    EXPECT_EQ(endpoint->api, LogApi::kStaticCtApi);
    EXPECT_EQ(endpoint->url, "https://tiles.example/2026/");
    EXPECT_EQ(endpoint->origin, "submit.example/2026");
    ASSERT_NE(endpoint->key, nullptr);
    EXPECT_EQ(endpoint->key->spki_der(), SpkiOf(kMammothKey));
  }
}

TEST(LogTargetTest, AnRfc6962LogByUrlOrLogId) {
  LogList list = TestList();
  for (const std::string& name : {std::string("https://log1.example"), LogIdOf(kIcarusKey)}) {
    Result<LogEndpoint> endpoint = ResolveLogTarget(list, {.name = name});
    ASSERT_TRUE(endpoint) << endpoint.error().message;
    EXPECT_EQ(endpoint->api, LogApi::kRfc6962);
    EXPECT_EQ(endpoint->url, "https://log1.example/");
    EXPECT_EQ(endpoint->origin, "");
    EXPECT_EQ(endpoint->key->spki_der(), SpkiOf(kIcarusKey));
  }
}

TEST(LogTargetTest, GivenKeyOriginAndStaticWinOverTheList) {
  LogList list = TestList();
  std::shared_ptr<const LogKey> key = LogKey::FromSpkiDer(SpkiOf(kTestLogKey)).value();
  Result<LogEndpoint> endpoint = ResolveLogTarget(
      list, {.name = "Tiled Log", .key = key, .origin = "other.example/x", .force_static = false});
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->key, key);
  EXPECT_EQ(endpoint->origin, "other.example/x");
  EXPECT_EQ(endpoint->url, "https://tiles.example/2026/");

  Result<LogEndpoint> forced =
      ResolveLogTarget(list, {.name = "https://log0.example/", .force_static = true});
  ASSERT_TRUE(forced);
  EXPECT_EQ(forced->api, LogApi::kStaticCtApi);
  EXPECT_EQ(forced->url, "https://log0.example/");
  EXPECT_EQ(forced->origin, "");  // the checkpoint's own
}

TEST(LogTargetTest, AnUnlistedUrlIsReadAsGivenWithTheGivenKeyOrNone) {
  LogList list = TestList();
  Result<LogEndpoint> bare = ResolveLogTarget(list, {.name = "http://127.0.0.1:8080"});
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->url, "http://127.0.0.1:8080/");
  EXPECT_EQ(bare->api, LogApi::kRfc6962);
  EXPECT_EQ(bare->key, nullptr);

  std::shared_ptr<const LogKey> key = LogKey::FromSpkiDer(SpkiOf(kTestLogKey)).value();
  Result<LogEndpoint> keyed =
      ResolveLogTarget(list, {.name = "http://127.0.0.1:8080/", .key = key});
  ASSERT_TRUE(keyed);
  EXPECT_EQ(keyed->key, key);
}

TEST(LogTargetTest, AmbiguousAndUnknownNamesAreErrors) {
  LogList list = TestList();
  Result<LogEndpoint> twin = ResolveLogTarget(list, {.name = "Twin"});
  ASSERT_FALSE(twin);
  EXPECT_EQ(twin.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(twin.error().message,
            "Twin names more than one log in the log list (Twin, Twin); give its URL or log ID");

  Result<LogEndpoint> unknown = ResolveLogTarget(list, {.name = "No Such Log"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().message,
            "No Such Log: no log with that description or log ID in the log list");
}

TEST(LogTargetTest, LogEndpointOfAListedLog) {
  LogList list = TestList();
  Result<LogEndpoint> rfc = LogEndpointOf(list.logs()[0]);
  ASSERT_TRUE(rfc);
  EXPECT_EQ(rfc->url, "https://log0.example/");
  EXPECT_EQ(rfc->key->spki_der(), SpkiOf(kTestLogKey));
  Result<LogEndpoint> tiled = LogEndpointOf(list.logs()[2]);
  ASSERT_TRUE(tiled);
  EXPECT_EQ(tiled->api, LogApi::kStaticCtApi);
  EXPECT_EQ(tiled->origin, "submit.example/2026");

  LogInfo broken = list.logs()[0];
  broken.key_der = {0x30, 0x00};
  Result<LogEndpoint> unusable = LogEndpointOf(broken);
  ASSERT_FALSE(unusable);
  EXPECT_EQ(unusable.error().message.rfind("log list key of Twin: ", 0), 0u)
      << unusable.error().message;
}

TEST(LogTargetTest, OpensTheClientOfTheEndpointsApi) {
  std::shared_ptr<const LogKey> key = LogKey::FromSpkiDer(SpkiOf(kTestLogKey)).value();
  Result<std::unique_ptr<LogReader>> rfc =
      OpenLogReader({.url = "https://log.example/", .api = LogApi::kRfc6962, .key = key});
  ASSERT_TRUE(rfc) << rfc.error().message;
  EXPECT_NE(dynamic_cast<LogClient*>(rfc->get()), nullptr);
  EXPECT_EQ((*rfc)->base_url(), "https://log.example/");

  Result<std::unique_ptr<LogReader>> tiles = OpenLogReader(
      {.url = "https://tiles.example/", .api = LogApi::kStaticCtApi, .key = key, .origin = "o"});
  ASSERT_TRUE(tiles) << tiles.error().message;
  EXPECT_NE(dynamic_cast<StaticLogClient*>(tiles->get()), nullptr);

  Result<std::unique_ptr<LogReader>> ftp = OpenLogReader({.url = "ftp://log.example/"});
  ASSERT_FALSE(ftp);
  EXPECT_EQ(ftp.error().code, ErrorCode::kInvalidArgument);
}

TEST(LogTargetTest, ApiNames) {
  EXPECT_EQ(LogApiName(LogApi::kRfc6962), "rfc6962");
  EXPECT_EQ(LogApiName(LogApi::kStaticCtApi), "static-ct-api");
}

TEST(LogTargetTest, KeyFilesArePemOrDer) {
  Bytes der = SpkiOf(kTestLogKey);
  Result<std::shared_ptr<const LogKey>> from_der = ParseLogKeyFile(der);
  ASSERT_TRUE(from_der) << from_der.error().message;
  EXPECT_EQ((*from_der)->spki_der(), der);

  Result<std::shared_ptr<const LogKey>> from_pem =
      ParseLogKeyFile(testing::ReadTestData(kTestLogKey));
  ASSERT_TRUE(from_pem) << from_pem.error().message;
  EXPECT_EQ((*from_pem)->spki_der(), der);

  EXPECT_FALSE(ParseLogKeyFile(AsBytes("garbage\n")));
  EXPECT_FALSE(ParseLogKeyFile(Bytes{0x30, 0x01, 0x00}));
}

}  // namespace
}  // namespace ctkit
