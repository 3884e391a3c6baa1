// The findings page in a real browser: a `ctkit monitor --http 127.0.0.1:0` process follows a
// real local log holding Example Corp's certificate and a rogue one; headless Chromium (Debian
// `chromium`, installed by scripts/install-test-deps.sh, which `make test` runs) loads the page
// the monitor serves, searches for the rogue name the way the search form does, and must show
// it UNEXPECTED. A screenshot of the page is kept as a test artifact in the build directory's
// Testing/ folder (monitor-findings-page.png).
//
// Chromium is driven by its command line (--dump-dom, --screenshot), no webdriver, each run
// with a deadline. A missing Chromium fails the test: it must not pass by not running.

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "base/bytes.h"
#include "base/clock.h"
#include "base/sha256.h"
#include "ct/inventory_record.h"
#include "ct/log_list_writer.h"
#include "tests/cert_factory.h"
#include "tests/running_log.h"
#include "tests/test_paths.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using ::ctkit::testing::RunningLog;
using ::ctkit::testing::TestCa;
using ::testing::HasSubstr;

constexpr auto kDeadline = std::chrono::seconds(120);  // a loaded CI machine, not a timing check

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The Chromium binary on PATH ("chromium" on Debian), or "".
std::string FindChromium() {
  const char* path = getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
      std::string candidate = dir + "/" + name;
      if (access(candidate.c_str(), X_OK) == 0) return candidate;
    }
  }
  return "";
}

// Starts `argv` in its own process group with stdout and stderr going to files.
pid_t Spawn(const std::vector<std::string>& argv, const std::string& out_file,
            const std::string& err_file) {
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    int in = open("/dev/null", O_RDONLY);
    int out = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

// Waits for `pid` up to the deadline, then kills its whole group. Exit code, or -1 when it was
// killed or died of a signal.
int WaitOrKill(pid_t pid, std::chrono::seconds deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > until) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      ADD_FAILURE() << "process " << pid << " did not finish in time; killed";
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class BrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("ctkit-browser");
    log_ = std::make_unique<RunningLog>(dir_, "alpha", "Alpha Logs");
  }
  void TearDown() override {
    if (monitor_pid_ > 0) {
      kill(monitor_pid_, SIGTERM);
      WaitOrKill(monitor_pid_, kDeadline);
    }
    testing::RemoveTree(dir_);
  }

  void Submit(const Bytes& leaf, const Bytes& issuer) {
    std::vector<Bytes> chain = {leaf, issuer};
    Result<SignedCertificateTimestamp> sct = log_->service->AddChain(chain, false, UnixNowMs());
    ASSERT_TRUE(sct) << sct.error().message;
  }

  // Chromium, headless, with its own profile; `mode_args` say what to produce. Returns stdout.
  std::string RunChromium(const std::string& chromium, std::vector<std::string> mode_args,
                          const std::string& url) {
    std::vector<std::string> argv = {
        chromium,         "--headless",
        "--no-sandbox",  // tests run as root in containers
        "--disable-gpu",  "--disable-dev-shm-usage",
        "--no-first-run", "--user-data-dir=" + dir_ + "/chromium-profile"};
    argv.insert(argv.end(), mode_args.begin(), mode_args.end());
    argv.push_back(url);
    pid_t pid = Spawn(argv, dir_ + "/chromium.out", dir_ + "/chromium.err");
    int exit_code = WaitOrKill(pid, kDeadline);
    EXPECT_EQ(exit_code, 0) << ReadFile(dir_ + "/chromium.err");
    return ReadFile(dir_ + "/chromium.out");
  }

  std::string dir_;
  std::unique_ptr<RunningLog> log_;
  pid_t monitor_pid_ = -1;
};

TEST_F(BrowserTest, FindingsPageInHeadlessChromiumShowsTheUnexpectedCertificate) {
  std::string chromium = FindChromium();
  ASSERT_FALSE(chromium.empty())
      << "headless Chromium is needed for this test and was not found on PATH; install it with "
         "scripts/install-test-deps.sh (make test does)";

  // Example Corp's own certificate (in its inventory) and a rogue CA's for a watched name.
  TestCa example_ca("Example Corp CA"), rogue_ca("Rogue CA");
  Bytes www = example_ca.IssueLeaf("www.example.com", 1);
  Submit(www, example_ca.der());
  Bytes api = example_ca.IssueLeaf("api.example.com", 2);
  Submit(api, example_ca.der());
  Submit(rogue_ca.IssueLeaf("login.example.com", 3), rogue_ca.der());
  log_->Integrate();
  InventoryRecord record{.sha256 = HexEncode(Sha256(www)),
                         .tbs_sha256 = std::string(64, '0'),
                         .serial = "01",
                         .issuer = "CN=Example Corp CA",
                         .names = {"www.example.com"},
                         .not_before = "2026-01-01T00:00:00Z",
                         .not_after = "2027-01-01T00:00:00Z"};
  std::ofstream inventory(dir_ + "/inventory.jsonl");
  inventory << InventoryRecordToJson(record) << "\n";
  record.sha256 = HexEncode(Sha256(api));
  record.serial = "02";
  record.names = {"api.example.com"};
  inventory << InventoryRecordToJson(record) << "\n";
  inventory.close();
  std::ofstream(dir_ + "/watchlist.txt") << ".example.com\n";
  LogListEntry entry = log_->entry;
  entry.description = "Alpha 2026";
  std::ofstream(dir_ + "/logs.json") << MakeLogListJson({entry}, UnixNowMs());

  monitor_pid_ =
      Spawn({testing::CtkitBinary(), "monitor", "--watchlist", dir_ + "/watchlist.txt", "--db",
             dir_ + "/monitor.db", "--log-list", dir_ + "/logs.json", "--inventory",
             dir_ + "/inventory.jsonl", "--poll-interval", "0.5", "--http", "127.0.0.1:0"},
            dir_ + "/monitor.out", dir_ + "/monitor.err");
  ASSERT_GT(monitor_pid_, 0);

  // The port, from the line the monitor prints once it listens.
  int port = 0;
  auto until = std::chrono::steady_clock::now() + kDeadline;
  const std::string kListening = "http listening on 127.0.0.1:";
  while (port == 0 && std::chrono::steady_clock::now() < until) {
    std::string err = ReadFile(dir_ + "/monitor.err");
    size_t at = err.find(kListening);
    size_t end = at == std::string::npos ? at : err.find('\n', at);
    if (end != std::string::npos) {
      port = std::stoi(err.substr(at + kListening.size(), end - at - kListening.size()));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ASSERT_GT(port, 0) << ReadFile(dir_ + "/monitor.err");

  // Wait until the monitor has caught up: /healthz says so.
  httplib::Client client("127.0.0.1", port);
  int health = 0;
  while (health != 200 && std::chrono::steady_clock::now() < until) {
    httplib::Result result = client.Get("/healthz");
    health = result ? result->status : 0;
    if (health != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(health, 200) << ReadFile(dir_ + "/monitor.err");

  std::string base = "http://127.0.0.1:" + std::to_string(port);
  // The page as the browser builds it: the form a person searches with is there...
  std::string home = RunChromium(chromium, {"--dump-dom"}, base + "/");
  EXPECT_THAT(home, HasSubstr("<form method=\"get\" action=\"/\">"));
  EXPECT_THAT(home, HasSubstr("name=\"q\""));
  EXPECT_THAT(home, HasSubstr("www.example.com"));
  EXPECT_THAT(home, HasSubstr("UNEXPECTED"));

  // ... and submitting it (a GET of /?q=...) shows the rogue certificate, UNEXPECTED.
  std::string found = RunChromium(chromium, {"--dump-dom"}, base + "/?q=login.example.com");
  EXPECT_THAT(found, HasSubstr("login.example.com</a>"));
  EXPECT_THAT(found, HasSubstr("<tr class=\"unexpected\">"));
  EXPECT_THAT(found, HasSubstr("UNEXPECTED"));
  EXPECT_THAT(found, HasSubstr("CN=Rogue CA"));
  EXPECT_THAT(found, ::testing::Not(HasSubstr("www.example.com</a>")));

  // The screenshot, kept next to ctest's own logs.
  std::string artifacts = std::filesystem::path(testing::CtkitBinary()).parent_path() / "Testing";
  std::filesystem::create_directories(artifacts);
  std::string png = artifacts + "/monitor-findings-page.png";
  std::filesystem::remove(png);
  RunChromium(chromium, {"--screenshot=" + png, "--window-size=1100,720", "--hide-scrollbars"},
              base + "/");
  std::string image = ReadFile(png);
  ASSERT_GT(image.size(), 1000u) << "no screenshot at " << png;
  EXPECT_EQ(image.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  std::cout << "screenshot: " << png << "\n";
}

}  // namespace
}  // namespace ctkit
