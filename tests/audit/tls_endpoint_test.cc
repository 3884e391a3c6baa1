// `ctkit audit HOST:PORT` against a real TLS server: `openssl s_server` on 127.0.0.1 (port
// chosen at run time) serving a mock-CA certificate with embedded SCTs, SCTs for the final
// certificate in the TLS extension (-serverinfo, RFC 6962 §3.3.1) and a stapled OCSP response
// carrying SCTs (-status_file, RFC 6962 §3.3). All three channels must be collected and verify.

#include <arpa/inet.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <nlohmann/json.hpp>

#include "audit/tls_fetcher.h"
#include "ct/sct.h"
#include "logclient/log_client.h"
#include "tests/audit/audit_fixture.h"
#include "tests/ocsp_response.h"

namespace ctkit::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// A port on 127.0.0.1 that was free a moment ago (s_server buffers its "ACCEPT host:port"
// line when stdout is a pipe, so the port cannot be read back from it).
int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

bool Connectable(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return ok;
}

// `openssl s_server` with `args` on 127.0.0.1, a port chosen at run time; killed at the end.
class OpensslServer {
 public:
  explicit OpensslServer(std::vector<std::string> args) {
    int port = FreeLoopbackPort();
    // s_server stops at end of input on stdin: give it a pipe that stays open until the end.
    int input[2];
    EXPECT_EQ(pipe(input), 0);
    pid_ = fork();
    if (pid_ == 0) {
      int devnull = open("/dev/null", O_RDWR);
      dup2(input[0], 0);
      close(input[0]);
      close(input[1]);
      dup2(devnull, 1);
      dup2(devnull, 2);
      args.insert(args.begin(),
                  {"/usr/bin/openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port)});
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(input[0]);
    input_ = input[1];
    // A probe connection is one accepted (and dropped) handshake; s_server serves on.
    for (int i = 0; i < 100; ++i) {
      if (Connectable(port)) {
        port_ = port;
        break;
      }
      usleep(50'000);
    }
  }
  ~OpensslServer() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(input_);
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int input_ = -1;
  int port_ = -1;
};

// A serverinfo PEM file (SSL_CTX_use_serverinfo_file): "SERVERINFOV2" blocks hold the 4-byte
// extension context, the type and the length-prefixed data.
std::string ServerinfoPem(const Bytes& sct_list) {
  // SSL_EXT_CLIENT_HELLO | SSL_EXT_TLS1_2_SERVER_HELLO | SSL_EXT_TLS1_3_CERTIFICATE
  uint32_t context = 0x0080 | 0x0100 | 0x1000;
  Bytes body = {static_cast<uint8_t>(context >> 24),
                static_cast<uint8_t>(context >> 16),
                static_cast<uint8_t>(context >> 8),
                static_cast<uint8_t>(context),
                0x00,
                18,
                static_cast<uint8_t>(sct_list.size() >> 8),
                static_cast<uint8_t>(sct_list.size())};
  body.insert(body.end(), sct_list.begin(), sct_list.end());
  return "-----BEGIN SERVERINFOV2 FOR CT-----\n" + Base64Encode(body) +
         "\n-----END SERVERINFOV2 FOR CT-----\n";
}

class AuditTlsTest : public AuditEndToEndTest {
 protected:
  // Issues localhost over two logs; returns the SCT list both logs give the final certificate.
  void SetUpServerFiles(LocalLog& alpha, LocalLog& beta) {
    list_ = MakeList({&alpha, &beta});
    ASSERT_NO_FATAL_FAILURE(InitCa({&alpha, &beta}, list_));
    ASSERT_NO_FATAL_FAILURE(Issue("localhost", dir_ + "/leaf.pem"));
    Result<std::vector<Bytes>> chain = PemDecodeCertificates(ReadFile(dir_ + "/leaf.pem"));
    ASSERT_TRUE(chain && chain->size() >= 2);
    std::vector<Bytes> scts;
    for (LocalLog* log : {&alpha, &beta}) {
      Result<LogClient> client = LogClient::Create(log->url, nullptr, {});
      ASSERT_TRUE(client);
      Result<SignedCertificateTimestamp> sct = client->AddChain(*chain);
      ASSERT_TRUE(sct) << sct.error().message;
      scts.push_back(*SerializeSct(*sct));
    }
    Bytes list = *SerializeSctList(scts);
    WriteFile(dir_ + "/serverinfo.pem", ServerinfoPem(list));
    WriteFile(dir_ + "/chain.pem", PemEncode({chain->begin() + 1, chain->end()}));
    X509Ptr leaf = X509FromPem(ReadFile(dir_ + "/leaf.pem"));
    X509Ptr issuer = X509FromPem(PemEncode({(*chain)[1]}));
    Bytes ocsp = BuildOcspResponse(leaf.get(), issuer.get(), list);
    WriteFile(dir_ + "/ocsp.der", std::string(ocsp.begin(), ocsp.end()));
  }

  std::vector<std::string> ServerArgs(const std::string& protocol) {
    return {"-cert",        dir_ + "/leaf.pem",  "-key",        dir_ + "/leaf.pem.key",
            "-cert_chain",  dir_ + "/chain.pem", "-serverinfo", dir_ + "/serverinfo.pem",
            "-status_file", dir_ + "/ocsp.der",  protocol};
  }

  std::string list_;
};

TEST_F(AuditTlsTest, CollectsSctsFromAllThreeChannels) {
  LocalLog alpha(dir_, "alpha"), beta(dir_, "beta");
  ASSERT_NO_FATAL_FAILURE(SetUpServerFiles(alpha, beta));
  for (const char* protocol : {"-tls1_2", "-tls1_3"}) {
    SCOPED_TRACE(protocol);
    OpensslServer server(ServerArgs(protocol));
    ASSERT_GT(server.port(), 0);
    std::string target = "127.0.0.1:" + std::to_string(server.port());

    // The fetcher alone: chain, extension and staple.
    Result<audit::TlsFetchResult> fetched =
        audit::FetchTlsEndpoint({"127.0.0.1", static_cast<uint16_t>(server.port())});
    ASSERT_TRUE(fetched) << fetched.error().message;
    EXPECT_GE(fetched->chain.size(), 2u);
    EXPECT_TRUE(fetched->sct_list.has_value());
    EXPECT_TRUE(fetched->ocsp_response.has_value());

    CommandResult run =
        RunCtkit({"audit", target, "--log-list", list_, "--policy", "apple", "--format", "json"});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    json report = json::parse(run.out);
    const json& result = report["results"][0];
    EXPECT_EQ(result["target"], target);
    EXPECT_EQ(result["names"][0], "localhost");
    std::map<std::string, int> valid_by_source;
    for (const json& sct : result["scts"]) {
      EXPECT_EQ(sct["status"], "valid") << sct.dump();
      ++valid_by_source[sct["source"]];
    }
    EXPECT_EQ(valid_by_source["embedded"], 2);
    EXPECT_EQ(valid_by_source["tls"], 2);
    EXPECT_EQ(valid_by_source["ocsp"], 2);
  }
}

TEST_F(AuditTlsTest, AServerThatSendsNothingExtraStillAudits) {
  LocalLog alpha(dir_, "alpha"), beta(dir_, "beta");
  ASSERT_NO_FATAL_FAILURE(SetUpServerFiles(alpha, beta));
  OpensslServer server({"-cert", dir_ + "/leaf.pem", "-key", dir_ + "/leaf.pem.key", "-cert_chain",
                        dir_ + "/chain.pem"});
  ASSERT_GT(server.port(), 0);
  CommandResult run = RunCtkit({"audit", "127.0.0.1:" + std::to_string(server.port()), "--log-list",
                                list_, "--format", "json"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(json::parse(run.out)["results"][0]["scts"].size(), 2u);  // embedded only
}

TEST(TlsFetcherTest, ASilentPeerTimesOut) {
  // A listening socket that never answers the ClientHello.
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  socklen_t length = sizeof(address);
  getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  audit::TlsFetchOptions options;
  options.handshake_timeout = std::chrono::milliseconds(300);
  Result<audit::TlsFetchResult> fetched =
      audit::FetchTlsEndpoint({"127.0.0.1", ntohs(address.sin_port)}, options);
  ASSERT_FALSE(fetched);
  EXPECT_EQ(fetched.error().code, ErrorCode::kNetwork);
  EXPECT_THAT(fetched.error().message, HasSubstr("timed out"));
  close(listener);
}

}  // namespace
}  // namespace ctkit::testing
