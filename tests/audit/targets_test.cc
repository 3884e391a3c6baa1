// Target expansion (audit/targets.h) and the report writers' escaping (audit/report.h).

#include "audit/targets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "audit/report.h"
#include "tests/test_support.h"

namespace ctkit::audit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ParseEndpointTest, HostsAndPorts) {
  EXPECT_EQ(ParseEndpoint("example.com:443")->host, "example.com");
  EXPECT_EQ(ParseEndpoint("example.com:443")->port, 443);
  EXPECT_EQ(ParseEndpoint("127.0.0.1:8443")->host, "127.0.0.1");
  EXPECT_EQ(ParseEndpoint("[::1]:443")->host, "::1");
  for (const char* bad : {"example.com", "example.com:", ":443", "example.com:0",
                          "example.com:65536", "example.com:-1", "::1:443", "[::1]443",
                          "ex ample.com:443", "a/b:443", "example.com:4x3"}) {
    EXPECT_FALSE(ParseEndpoint(bad)) << bad;
  }
}

TEST(ExpandTargetsTest, FilesDirectoriesAndEndpoints) {
  std::string dir = testing::TempDir("ctkit-audit-targets");
  std::filesystem::create_directories(dir + "/b/c");
  for (const char* name : {"/b/c/z.pem", "/a.crt", "/b/y.DER", "/b/key.pem.key", "/notes.txt"}) {
    std::ofstream(dir + name) << "x";
  }
  std::vector<std::string> args = {dir, "www.example.com:443", dir + "/notes.txt"};
  Result<std::vector<AuditTarget>> targets = ExpandTargets(args);
  ASSERT_TRUE(targets) << targets.error().message;
  std::vector<std::string> names;
  for (const AuditTarget& target : *targets) names.push_back(target.name);
  EXPECT_THAT(names, ::testing::ElementsAre(dir + "/a.crt", dir + "/b/c/z.pem", dir + "/b/y.DER",
                                            "www.example.com:443", dir + "/notes.txt"));
  EXPECT_TRUE((*targets)[0].from_directory);
  EXPECT_EQ((*targets)[3].kind, AuditTarget::Kind::kEndpoint);
  EXPECT_EQ((*targets)[3].endpoint.port, 443);
  EXPECT_FALSE((*targets)[4].from_directory);  // named explicitly: audited whatever it is

  std::vector<std::string> missing = {dir + "/nope.pem"};
  Result<std::vector<AuditTarget>> none = ExpandTargets(missing);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(none.error().message, HasSubstr("nope.pem"));
  testing::RemoveTree(dir);
}

AuditReport HostileReport() {
  AuditReport report;
  report.tool_version = "test";
  AuditResult result =
      ErrorResult("dir/<evil>&\"'\xff\033.pem", ErrorKind::kInput, "bad \x01 thing </failure>");
  report.results.push_back(result);
  AuditResult pass;
  pass.target = "good.pem";
  report.results.push_back(pass);
  return report;
}

TEST(ReportTest, WritersEscapeHostileText) {
  AuditReport report = HostileReport();
  std::string junit = JunitReport(report);
  EXPECT_THAT(junit, HasSubstr("dir/&lt;evil&gt;&amp;&quot;&apos;\\xff\\x1b.pem"));
  EXPECT_THAT(junit, HasSubstr("bad \\x01 thing &lt;/failure&gt;"));
  EXPECT_THAT(junit, HasSubstr("tests=\"2\" failures=\"0\" errors=\"1\""));
  EXPECT_EQ(junit.find('\033'), std::string::npos);

  nlohmann::json json = nlohmann::json::parse(JsonReport(report));  // valid despite \xff
  EXPECT_EQ(json["summary"]["errors"], 1);
  EXPECT_EQ(json["results"][0]["verdict"], "error");
  EXPECT_EQ(json["results"][0]["sha256"], nullptr);
  EXPECT_EQ(json["results"][1]["verdict"], "pass");

  nlohmann::json sarif = nlohmann::json::parse(SarifReport(report));
  const nlohmann::json& results = sarif["runs"][0]["results"];
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0]["ruleId"], "ct-audit-error");
  std::string uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
  EXPECT_THAT(uri, HasSubstr("dir/%3Cevil%3E"));

  std::string text = TextReport(report, /*colour=*/false);
  EXPECT_THAT(text, HasSubstr("2 certificates: 1 passed, 0 failed, 1 error"));
  EXPECT_EQ(text.find('\033'), std::string::npos);
  EXPECT_THAT(text, HasSubstr("dir/<evil>&\"'\\xff\\x1b.pem"));
  EXPECT_THAT(TextReport(report, /*colour=*/true), HasSubstr("\033[33mERROR\033[0m"));
}

}  // namespace
}  // namespace ctkit::audit
