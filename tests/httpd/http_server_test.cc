// HttpServer (httpd/http_server.h) under the abuse it is built for, with a raw client
// (tests/raw_http.h): bodies over the limit announced, chunked or compressed, an endless request
// line, slowloris connections, a taken port. The server runs in this process, so its memory
// growth is this process's.

#include "httpd/http_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/raw_http.h"

namespace ctkit {
namespace {

using ::ctkit::testing::RawConnection;
using ::ctkit::testing::StatusOf;
using std::chrono::milliseconds;
using ::testing::HasSubstr;

// Resident set size of this process, in bytes.
size_t ResidentBytes() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

std::string Get(int port, const std::string& path, const char* source = nullptr,
                const std::string& method = "GET") {
  RawConnection connection(port, source);
  if (!connection.ok()) return "";
  connection.Send(method + " " + path +
                  " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  return connection.Read(milliseconds(5000));
}

class HttpServerTest : public ::testing::Test {
 protected:
  void Start(HttpLimits limits) {
    server_ =
        std::make_unique<HttpServer>(limits, [this](const HttpRequest& req, HttpResponse& res) {
          ++handled_;
          if (req.path == "/echo") {
            const std::string* name = req.Param("name");
            res.Set(200,
                    req.method + " " + (name ? *name : "-") + " " + std::to_string(req.body.size()),
                    "text/plain");
            res.AddHeader("X-Test", "yes");
            return;
          }
          res.Set(404, "no\n", "text/plain");
        });
    Result<void> listening = server_->Listen("127.0.0.1", 0);
    ASSERT_TRUE(listening) << listening.error().message;
    port_ = server_->port();
  }
  std::unique_ptr<HttpServer> server_;
  std::atomic<int> handled_{0};
  int port_ = 0;
};

TEST_F(HttpServerTest, AnswersDecodedRequestsAndRefusesOtherMethods) {
  Start({});
  std::string answer = Get(port_, "/echo?name=a%20b");
  EXPECT_EQ(StatusOf(answer), 200) << answer;
  EXPECT_THAT(answer, HasSubstr("GET a b 0"));
  EXPECT_THAT(answer, HasSubstr("X-Test: yes"));
  std::string head = Get(port_, "/echo", nullptr, "HEAD");
  EXPECT_EQ(StatusOf(head), 200);
  EXPECT_THAT(head, ::testing::Not(HasSubstr("HEAD -")));  // no body
  EXPECT_EQ(StatusOf(Get(port_, "/echo", nullptr, "DELETE")), 405);
  EXPECT_EQ(StatusOf(Get(port_, "/other")), 404);

  RawConnection post(port_);
  post.Send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
  std::string posted = post.Read(milliseconds(5000));
  EXPECT_EQ(StatusOf(posted), 200);
  EXPECT_THAT(posted, HasSubstr("POST - 5"));
}

TEST_F(HttpServerTest, BodiesOverTheLimitAreRefusedWhateverTheFraming) {
  Start({.max_body_bytes = 1 << 20});
  // Announced: refused before a byte of the body is read.
  RawConnection announced(port_);
  announced.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 268435456\r\n\r\n");
  EXPECT_EQ(StatusOf(announced.Read(milliseconds(5000), 12)), 413);

  // Chunked, 256 MiB: counted as it comes and refused at the limit, never buffered.
  size_t before = ResidentBytes();
  RawConnection chunked(port_);
  chunked.Send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  std::string chunk = "100000\r\n" + std::string(1 << 20, 'a') + "\r\n";  // 1 MiB chunks
  int sent = 0;
  while (sent < 256 && chunked.Send(chunk)) ++sent;
  std::string answer = chunked.Read(milliseconds(5000));
  EXPECT_TRUE(answer.empty() || StatusOf(answer) == 413) << answer.substr(0, 200);
  EXPECT_LT(sent, 256) << "the server read the whole 256 MiB body";
  size_t after = ResidentBytes();
  EXPECT_LT(after, before + (16 << 20)) << "grew by " << (after - before) / 1024 << " KiB";

  // Compressed: no body is ever inflated.
  RawConnection gzip(port_);
  gzip.Send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\n"
      "0123456789");
  EXPECT_EQ(StatusOf(gzip.Read(milliseconds(5000), 12)), 415);
  EXPECT_EQ(handled_.load(), 0);                  // none of them reached the handler
  EXPECT_EQ(StatusOf(Get(port_, "/echo")), 200);  // and the server is fine
}

TEST_F(HttpServerTest, AnEndlessRequestLineIsCutAtTheHeadLimit) {
  Start({.max_head_bytes = 16 << 10});
  size_t before = ResidentBytes();
  RawConnection endless(port_);
  endless.Send("GET /");
  std::string block(1 << 20, 'a');
  int sent = 0;
  while (sent < 64 && endless.Send(block)) ++sent;  // up to 64 MiB, no newline
  EXPECT_LT(sent, 64) << "the server read a 64 MiB request line";
  EXPECT_LT(ResidentBytes(), before + (16 << 20));
  RawConnection headers(port_);
  std::string many = "GET /echo HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 2000; ++i)
    many += "X-Filler-" + std::to_string(i) + ": " + std::string(20, 'b') + "\r\n";
  headers.Send(many + "\r\n");
  int status = StatusOf(headers.Read(milliseconds(5000)));
  EXPECT_TRUE(status == 431 || status == 413 || status == 0) << status;
  EXPECT_NE(status, 200);
  EXPECT_EQ(StatusOf(Get(port_, "/echo")), 200);
}

// 500 connections that send a request head one byte at a time (from 127.0.0.2) for 20 s: the
// server answers a normal client (from 127.0.0.1) throughout, 99% within a second; connections
// hold no thread, and each slow one is cut at the request deadline.
TEST_F(HttpServerTest, SlowlorisConnectionsDoNotStopOthers) {
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  if (files.rlim_cur < 2048) {
    files.rlim_cur = std::min<rlim_t>(4096, files.rlim_max);
    setrlimit(RLIMIT_NOFILE, &files);
  }
  ASSERT_GE(files.rlim_cur, 1100u) << "the test needs 1100 open files";
  Start({.request_deadline = milliseconds(3000),
         .max_connections = 2000,
         .max_connections_per_address = 1000,
         .workers = 2});
  std::atomic<bool> stop{false};
  std::atomic<int> open_slow{0};
  std::thread slow([&] {
    std::vector<std::unique_ptr<RawConnection>> connections;
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    const std::string head = "GET /echo HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    size_t offset = 0;
    while (!stop && std::chrono::steady_clock::now() < until) {
      // Keep 500 open: the deadline cuts them, so open new ones as they go.
      connections.erase(std::remove_if(connections.begin(), connections.end(),
                                       [](const auto& c) { return !c->ok(); }),
                        connections.end());
      while (connections.size() < 500) {
        connections.push_back(std::make_unique<RawConnection>(server_->port(), "127.0.0.2"));
      }
      for (auto& connection : connections) {
        if (!connection->Send(std::string_view(&head[offset % head.size()], 1))) {
          connection = std::make_unique<RawConnection>(server_->port(), "127.0.0.2");
        }
      }
      ++offset;
      open_slow = static_cast<int>(connections.size());
      std::this_thread::sleep_for(milliseconds(200));
    }
  });
  std::this_thread::sleep_for(milliseconds(1000));
  int answered = 0, fast = 0, total = 0;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(18);
  while (std::chrono::steady_clock::now() < until) {
    auto started = std::chrono::steady_clock::now();
    std::string answer = Get(port_, "/echo?name=normal", "127.0.0.1");
    auto took = std::chrono::steady_clock::now() - started;
    ++total;
    if (StatusOf(answer) == 200) ++answered;
    if (StatusOf(answer) == 200 && took < std::chrono::seconds(1)) ++fast;
    std::this_thread::sleep_for(milliseconds(100));
  }
  stop = true;
  slow.join();
  EXPECT_GE(open_slow.load(), 400);
  EXPECT_GT(total, 50);
  EXPECT_EQ(answered, total);
  EXPECT_GE(fast * 100, total * 99) << fast << " of " << total << " within 1 s";

  // One trickling connection is cut at the deadline (3 s), not kept for its whole trickle.
  RawConnection trickle(port_);
  auto started = std::chrono::steady_clock::now();
  bool closed = false;
  for (int i = 0; i < 60 && !closed; ++i) {
    if (!trickle.Send("G")) closed = true;
    if (trickle.ClosedWithin(milliseconds(200))) closed = true;
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(8));
}

TEST_F(HttpServerTest, ConnectionsPerAddressAreCapped) {
  Start({.max_connections_per_address = 5});
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 5; ++i) held.push_back(std::make_unique<RawConnection>(port_, "127.0.0.2"));
  std::this_thread::sleep_for(milliseconds(200));
  RawConnection sixth(port_, "127.0.0.2");
  sixth.Send("GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(sixth.Read(milliseconds(2000))), 0);      // closed unanswered
  EXPECT_EQ(StatusOf(Get(port_, "/echo", "127.0.0.1")), 200);  // another address is served
}

TEST_F(HttpServerTest, ATakenPortIsAnErrorNotShared) {
  Start({});
  HttpServer second(
      {}, [](const HttpRequest&, HttpResponse& res) { res.Set(200, "second", "text/plain"); });
  Result<void> listening = second.Listen("127.0.0.1", port_);
  ASSERT_FALSE(listening);
  EXPECT_EQ(listening.error().code, ErrorCode::kIo);
  EXPECT_THAT(listening.error().message, HasSubstr("127.0.0.1:" + std::to_string(port_)));
  EXPECT_THAT(listening.error().message, HasSubstr("in use"));
  for (int i = 0; i < 10; ++i) EXPECT_THAT(Get(port_, "/echo"), HasSubstr("GET - 0"));
}

TEST_F(HttpServerTest, StreamsAndCutBodies) {
  server_ =
      std::make_unique<HttpServer>(HttpLimits{}, [](const HttpRequest& req, HttpResponse& res) {
        res.Set(200, "", "text/plain");
        res.stream = std::make_shared<HttpStream>();
        if (req.path == "/cut") {
          res.stream->content_length = 100;
          res.stream->next = [](uint64_t offset) -> std::optional<std::string> {
            if (offset == 0) return std::string(50, 'x');
            return std::nullopt;
          };
        } else {
          res.stream->next = [](uint64_t offset) -> std::optional<std::string> {
            return offset < 30 ? std::string(10, 'y') : std::string();
          };
        }
      });
  ASSERT_TRUE(server_->Listen("127.0.0.1", 0));
  std::string whole = Get(server_->port(), "/stream");
  EXPECT_EQ(StatusOf(whole), 200);
  EXPECT_THAT(whole, HasSubstr(std::string(10, 'y')));
  std::string cut = Get(server_->port(), "/cut");
  EXPECT_THAT(cut, HasSubstr("Content-Length: 100"));
  EXPECT_LT(cut.size() - cut.find("\r\n\r\n") - 4, 100u);
}

}  // namespace
}  // namespace ctkit
