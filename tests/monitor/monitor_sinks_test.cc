// The monitor's sinks from its flags (monitor/monitor_sinks.h): which are made, where the hook's
// files go, what is refused at start-up, and the test alert.

#include "monitor/monitor_sinks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "tests/test_support.h"

namespace ctkit {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> Names(const std::vector<std::shared_ptr<AlertSink>>& sinks) {
  std::vector<std::string> names;
  for (const std::shared_ptr<AlertSink>& sink : sinks) names.push_back(sink->name());
  return names;
}

TEST(MonitorSinksTest, StandardOutputWhenNoOtherSinkIsConfigured) {
  EXPECT_EQ(Names(MakeSinks({}, "m.db")), std::vector<std::string>{"stdout"});
  EXPECT_EQ(Names(MakeSinks({.scripts = {"true"}}, "m.db")), std::vector<std::string>{"script"});
  EXPECT_EQ(Names(MakeSinks({.stdout_sink = true,
                             .scripts = {"true"},
                             .emails = {"a@example.com", "b@example.com"},
                             .webhook = "https://hooks.example/x"},
                            "m.db")),
            (std::vector<std::string>{"stdout", "script", "email", "webhook"}));
  // Each hook its own sink, named for its command (deliveries are recorded per sink name).
  EXPECT_EQ(Names(MakeSinks({.scripts = {"/etc/a.sh", "/etc/b.sh\n"}}, "m.db")),
            (std::vector<std::string>{"script:/etc/a.sh", "script:/etc/b.sh?"}));
  std::vector<NamedSink> named = NamedSinks(MakeSinks({}, ""));
  ASSERT_EQ(named.size(), 1u);
  EXPECT_EQ(named[0].name, "stdout");
}

TEST(MonitorSinksTest, HookFilesGoToCertDirElseNextToTheDatabase) {
  EXPECT_EQ(HookCertDir({.cert_dir = "/var/lib/certs"}, "m.db"), "/var/lib/certs");
  EXPECT_EQ(HookCertDir({}, "/var/lib/m.db"), "/var/lib/m.db.certs");
  EXPECT_EQ(HookCertDir({}, ""), "");
}

TEST(MonitorSinksTest, UnusableSinksAreRefusedNamingTheirFlag) {
  EXPECT_TRUE(CheckSinkSettings({}, ""));
  EXPECT_EQ(CheckSinkSettings({.webhook_timeout = "0"}, "").error().message,
            "--webhook-timeout: must be more than 0");
  EXPECT_THAT(CheckSinkSettings({.webhook_timeout = "later"}, "").error().message,
              ::testing::StartsWith("--webhook-timeout: "));
  Result<void> webhook = CheckSinkSettings({.webhook = "ftp://secret-token@hooks.example/"}, "");
  ASSERT_FALSE(webhook);
  EXPECT_THAT(webhook.error().message, ::testing::Not(HasSubstr("secret-token")));
  Result<void> cert_dir =
      CheckSinkSettings({.scripts = {"true"}, .cert_dir = "/proc/no-such-dir/certs"}, "");
  ASSERT_FALSE(cert_dir);
  EXPECT_THAT(cert_dir.error().message, ::testing::StartsWith("--cert-dir: "));
  Result<void> twice = CheckSinkSettings({.scripts = {"true", "true"}}, "");
  ASSERT_FALSE(twice);
  EXPECT_THAT(twice.error().message, HasSubstr("given twice"));
}

// An address becomes an argument of sendmail and a To: header: nothing that could be a flag,
// a second header or a second address passes, and the error names the flag.
TEST(MonitorSinksTest, EmailAddressesAreCheckedAtStartUp) {
  EXPECT_TRUE(CheckSinkSettings({.emails = {"security@example.com", "ops@example.org"}}, ""));
  for (const std::string bad :
       {"-oQ/tmp/x", "a@example.com\nBcc: evil@example.net", "a b@example.com",
        "a@example.com,evil@example.net", "", "a@example.com\r"}) {
    Result<void> checked = CheckSinkSettings({.emails = {"ok@example.com", bad}}, "");
    ASSERT_FALSE(checked) << bad;
    EXPECT_THAT(checked.error().message, ::testing::StartsWith("--email ")) << bad;
  }
}

TEST(MonitorSinksTest, TheWebhookSecretComesFromAFileOrTheEnvironment) {
  std::string dir = testing::TempDir("ctkit-sinks");
  std::ofstream(dir + "/url") << "https://hooks.example/T0KEN \r\n# rotated in May\n";
  SinkSettings from_file{.webhook_file = dir + "/url"};
  ASSERT_TRUE(ResolveWebhookSecret(from_file));
  EXPECT_EQ(from_file.webhook, "https://hooks.example/T0KEN");

  setenv("CTKIT_SINKS_TEST_URL", "https://hooks.example/ENV", 1);
  SinkSettings from_env{.webhook_env = "CTKIT_SINKS_TEST_URL"};
  ASSERT_TRUE(ResolveWebhookSecret(from_env));
  EXPECT_EQ(from_env.webhook, "https://hooks.example/ENV");
  EXPECT_EQ(getenv("CTKIT_SINKS_TEST_URL"), nullptr);  // hooks do not inherit it

  SinkSettings missing{.webhook_file = dir + "/none"};
  EXPECT_THAT(ResolveWebhookSecret(missing).error().message,
              ::testing::StartsWith("--webhook-file: "));
  testing::RemoveTree(dir);
}

TEST(MonitorSinksTest, TheTestAlertReachesEverySinkAndSaysWhichFailed) {
  Result<std::vector<TestAlertDelivery>> sent = SendTestAlert({.scripts = {"exit 3"}}, "", 0);
  ASSERT_TRUE(sent) << sent.error().message;
  ASSERT_EQ(sent->size(), 1u);
  EXPECT_EQ((*sent)[0].sink, "script");
  EXPECT_FALSE((*sent)[0].sent);
  EXPECT_FALSE(SendTestAlert({.webhook_env = "CTKIT_SINKS_TEST_UNSET"}, "", 0));
}

}  // namespace
}  // namespace ctkit
