// Hostile names on a terminal, end to end: a certificate whose names carry an ANSI escape
// sequence and a newline, logged by a real `ctkit log serve`, found by `ctkit monitor`, and then
// printed by the text commands (`monitor query`, `monitor status`, `log entries`, `verify`).
// Whatever a certificate or a log list says must reach the terminal as one inert line
// (base/terminal_text.h): no raw ESC byte, no line it forged. JSON output keeps the exact text.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "logclient/log_client.h"
#include "tests/cert_factory.h"
#include "tests/monitor/local_logs.h"
#include "tests/run_command.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using ::ctkit::testing::RunCtkit;
using ::testing::HasSubstr;

// A name that would paint the terminal red and print a line of its own.
const std::string kEvilName = "evil.example.com\x1b[31m\nFORGED: all certificates expected";
const std::string kEvilNameShown =
    "evil.example.com\\x1b[31m\\x0aFORGED: all certificates expected";
// A log description (from a log list, which may come from the network) that clears the screen.
const std::string kEvilLog = "Evil\x1b[2J\nFORGED log";
const std::string kEvilLogShown = "Evil\\x1b[2J\\x0aFORGED log";

// Text a terminal can show without being driven by it: no control character but the line
// breaks, and no line that the hostile names started.
void ExpectInert(const std::string& text, const std::string& what) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    ASSERT_TRUE(byte == '\n' || (byte >= 0x20 && byte != 0x7f))
        << what << " prints control byte " << int{byte} << ":\n"
        << text;
  }
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_FALSE(line.starts_with("FORGED")) << what << " printed a forged line:\n" << text;
  }
}

TEST(TerminalOutputTest, HostileNamesPrintAsOneInertLineInEveryTextCommand) {
  std::string dir = testing::TempDir("ctkit-terminal");
  {
    testing::LocalLog log(dir, "log");
    ASSERT_GT(log.process->port(), 0);
    testing::CommandResult made =
        RunCtkit({"log", "make-list", "--out", dir + "/logs.json", "--log",
                  "operator=Evil Operator,url=" + log.url + ",key=" + log.dir +
                      "/log.key,description=" + kEvilLog});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    std::ofstream(dir + "/watchlist.txt") << ".example.com\n";

    testing::TestCa ca("Hostile CA");
    Bytes leaf = ca.IssueLeafWith({.common_names = {"www.example.com"},
                                   .dns_names = {"www.example.com", kEvilName},
                                   .serial = 7});
    std::ofstream(dir + "/leaf.der", std::ios::binary)
        .write(reinterpret_cast<const char*>(leaf.data()),
               static_cast<std::streamsize>(leaf.size()));
    Result<LogClient> client = LogClient::Create(log.url, nullptr, {});
    ASSERT_TRUE(client);
    Result<SignedCertificateTimestamp> sct = client->AddChain(std::vector<Bytes>{leaf, ca.der()});
    ASSERT_TRUE(sct) << sct.error().message;
    usleep(600 * 1000);  // integrated within the MMD (0.2 s)

    testing::CommandResult run =
        RunCtkit({"monitor", "--once", "--watchlist", dir + "/watchlist.txt", "--db", dir + "/m.db",
                  "--log-list", dir + "/logs.json", "--stdout"});
    ASSERT_EQ(run.exit_code, 1) << run.err;  // the certificate is an unexpected one
    ExpectInert(run.err, "monitor (stderr)");

    testing::CommandResult query = RunCtkit({"monitor", "query", "--db", dir + "/m.db"});
    EXPECT_EQ(query.exit_code, 0) << query.err;
    ExpectInert(query.out, "monitor query");
    EXPECT_THAT(query.out, HasSubstr(kEvilNameShown));
    EXPECT_THAT(query.out, HasSubstr("\n           in " + log.url + "#0\n"));
    // JSON keeps the exact names (its encoder escapes them).
    testing::CommandResult json =
        RunCtkit({"monitor", "query", "--db", dir + "/m.db", "--format", "json"});
    std::vector<nlohmann::json> findings = testing::JsonLines(json.out);
    ASSERT_EQ(findings.size(), 1u) << json.out;
    EXPECT_THAT(findings[0]["names"].get<std::vector<std::string>>(),
                ::testing::Contains(kEvilName));

    testing::CommandResult status = RunCtkit({"monitor", "status", "--db", dir + "/m.db"});
    EXPECT_EQ(status.exit_code, 0) << status.err;
    ExpectInert(status.out, "monitor status");
    EXPECT_THAT(status.out, HasSubstr(kEvilLogShown + " (" + log.url + ")"));

    testing::CommandResult entries =
        RunCtkit({"log", "entries", "--log", log.url, "--start", "0", "--end", "0"});
    EXPECT_EQ(entries.exit_code, 0) << entries.err;
    ExpectInert(entries.out, "log entries");
    EXPECT_THAT(entries.out, HasSubstr(kEvilNameShown));
    EXPECT_EQ(std::count(entries.out.begin(), entries.out.end(), '\n'), 1) << entries.out;

    testing::CommandResult verify = RunCtkit(
        {"verify", "--policy", "none", dir + "/leaf.der", "--log-list", dir + "/logs.json"});
    EXPECT_EQ(verify.exit_code, 0) << verify.err;  // no SCT, and no policy asked for
    ExpectInert(verify.out, "verify");
    EXPECT_THAT(verify.out, HasSubstr("www.example.com, " + kEvilNameShown));
  }
  testing::RemoveTree(dir);
}

}  // namespace
}  // namespace ctkit
