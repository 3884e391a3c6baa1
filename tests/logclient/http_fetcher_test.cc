// HttpFetcher, ctkit's one HTTP client, against a real HTTP server on 127.0.0.1: what it sends
// (headers, JSON POSTs, Accept-Encoding), its one error classification (kInvalidArgument,
// kNetwork, kNotFound, kTooLarge; which failures are retried), how errors name a request, and
// the budget of a whole call. The log clients' use of it is in log_client_test.cc and
// static_log_client_test.cc; the webhook's in tests/monitor/alert_sink_test.cc.

#include "logclient/http_fetcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ctkit {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;

// Answers every GET and POST under / with `handler`, and keeps each request.
class Server {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  explicit Server(Handler handler) : handler_(std::move(handler)) {
    auto serve = [this](const httplib::Request& request, httplib::Response& response) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back(request);
      }
      handler_(request, response);
    };
    server_.Get(".*", serve);
    server_.Post(".*", serve);
    port_ = server_.bind_to_any_port("127.0.0.1");
    EXPECT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(milliseconds(1));
  }
  ~Server() {
    server_.stop();
    thread_.join();
  }
  std::string url(const std::string& path = "/x") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<httplib::Request> requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  Handler handler_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = -1;
  std::mutex mutex_;
  std::vector<httplib::Request> requests_;
};

// Always `status`, with `body`.
Server::Handler Answer(int status, std::string body = "") {
  return [status, body](const httplib::Request&, httplib::Response& response) {
    response.status = status;
    response.set_content(body, "text/plain");
  };
}

HttpOptions Fast(int retries = 2) {
  HttpOptions options;
  options.connect_timeout = milliseconds(1000);
  options.total_timeout = milliseconds(5000);
  options.max_retries = retries;
  options.backoff_base = milliseconds(1);
  options.backoff_max = milliseconds(2);
  return options;
}

std::unique_ptr<HttpFetcher> Fetcher(const HttpOptions& options, HttpFetcherSetup setup = {}) {
  Result<std::unique_ptr<HttpFetcher>> fetcher = HttpFetcher::Create(options, std::move(setup));
  EXPECT_TRUE(fetcher) << fetcher.error().message;
  return std::move(*fetcher);
}

TEST(HttpFetcherTest, PostsJsonWithTheSetupsHeadersAndAnyTwoHundredIsSuccess) {
  Server server(Answer(202, "queued"));
  auto http = Fetcher(Fast(), {.headers = {"Authorization: Bearer t0ken", "X-Kind: alert"}});
  Result<std::string> answer = http->Post(server.url("/hook"), R"({"event":"test"})");
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(*answer, "queued");
  ASSERT_EQ(server.requests().size(), 1u);
  const httplib::Request request = server.requests()[0];  // a copy: requests() returns one
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/hook");
  EXPECT_EQ(request.body, R"({"event":"test"})");
  EXPECT_EQ(request.get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(request.get_header_value("Authorization"), "Bearer t0ken");
  EXPECT_EQ(request.get_header_value("X-Kind"), "alert");
  EXPECT_EQ(request.get_header_value("User-Agent"), "ctkit");

  // A GET carries the same headers, and no Content-Type.
  ASSERT_TRUE(http->Get(server.url("/doc")));
  EXPECT_EQ(server.requests()[1].method, "GET");
  EXPECT_EQ(server.requests()[1].get_header_value("Authorization"), "Bearer t0ken");
  EXPECT_FALSE(server.requests()[1].has_header("Content-Type"));
  EXPECT_EQ(http->stats().requests, 2u);
  EXPECT_EQ(http->stats().connections, 1u);  // kept alive
}

TEST(HttpFetcherTest, AsksForCompressedBodiesUnlessTold) {
  Server server(Answer(200, "x"));
  ASSERT_TRUE(Fetcher(Fast())->Get(server.url()));
  EXPECT_THAT(server.requests()[0].get_header_value("Accept-Encoding"), HasSubstr("gzip"));
  HttpOptions identity = Fast();
  identity.accept_compressed = false;
  ASSERT_TRUE(Fetcher(identity)->Get(server.url()));
  EXPECT_FALSE(server.requests()[1].has_header("Accept-Encoding"));
}

TEST(HttpFetcherTest, StatusesTheCallerNamesAreNotFoundOthersNetworkErrors) {
  Server server([](const httplib::Request& request, httplib::Response& response) {
    response.status = std::stoi(request.path.substr(1));
    if (response.status == 302) response.set_header("Location", "/200");
    if (response.status != 204) response.set_content("nope", "text/plain");
  });
  auto http = Fetcher(Fast());
  auto code = [&](const std::string& status, std::initializer_list<long> not_found) {
    Result<std::string> body = http->Get(server.url("/" + status), not_found);
    return body ? std::optional<ErrorCode>() : body.error().code;
  };
  EXPECT_EQ(code("404", {404}), ErrorCode::kNotFound);
  EXPECT_EQ(code("404", {}), ErrorCode::kNetwork);
  EXPECT_EQ(code("400", {400, 404}), ErrorCode::kNotFound);
  EXPECT_EQ(code("400", {404}), ErrorCode::kNetwork);
  EXPECT_EQ(code("302", {404}), ErrorCode::kNetwork);  // redirects are not followed
  EXPECT_EQ(code("501", {404}), ErrorCode::kNetwork);
  EXPECT_EQ(code("204", {404}), std::nullopt);
  // None of these is retried; every status names itself and the start of the body.
  EXPECT_EQ(server.requests().size(), 7u);
  Result<std::string> gone = http->Get(server.url("/410"));
  EXPECT_EQ(gone.error().message, "log " + server.url("/410") + ": HTTP status 410: \"nope\"");
}

TEST(HttpFetcherTest, RetriesTheStatusesThatMayPassThenSaysHowManyAttempts) {
  for (int status : {408, 429, 500, 502, 503, 504}) {
    Server server(Answer(status, "busy"));
    Result<std::string> body = Fetcher(Fast(2))->Get(server.url());
    ASSERT_FALSE(body);
    EXPECT_EQ(body.error().code, ErrorCode::kNetwork) << status;
    EXPECT_THAT(body.error().message, HasSubstr("HTTP status " + std::to_string(status) +
                                                ": \"busy\" (after 3 attempts)"));
    EXPECT_EQ(server.requests().size(), 3u) << status;
  }
}

TEST(HttpFetcherTest, RefusedConnectionsAreRetriedNetworkErrors) {
  std::string url;
  {
    Server gone(Answer(200));
    url = gone.url();
  }  // nothing listens there now
  auto http = Fetcher(Fast(1));
  Result<std::string> body = http->Get(url);
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kNetwork);
  EXPECT_THAT(body.error().message, HasSubstr("(after 2 attempts)"));
  EXPECT_EQ(http->stats().requests, 2u);
  EXPECT_EQ(http->stats().retries, 1u);
}

TEST(HttpFetcherTest, ASuccessfulBodyOverTheBoundIsTooLargeAndNotRetried) {
  Server server(Answer(200, std::string(5000, 'x')));
  auto http = Fetcher(Fast());
  Result<std::string> body = http->Get(server.url(), {404}, 4096);
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kTooLarge);
  EXPECT_THAT(body.error().message, HasSubstr("response larger than 4096 bytes"));
  EXPECT_EQ(server.requests().size(), 1u);
  ASSERT_TRUE(http->Get(server.url(), {404}, 5000));  // the bound is inclusive
}

TEST(HttpFetcherTest, AnErrorBodyOverTheBoundIsJudgedByItsStatus) {
  Server server([](const httplib::Request& request, httplib::Response& response) {
    response.status = request.path == "/busy" ? 503 : 404;
    response.set_content("start of a long page" + std::string(100'000, '.'), "text/html");
  });
  HttpOptions options = Fast(1);
  options.max_response_bytes = 1024;
  auto http = Fetcher(options);
  Result<std::string> busy = http->Get(server.url("/busy"));
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().code, ErrorCode::kNetwork);
  EXPECT_THAT(busy.error().message, HasSubstr("HTTP status 503: \"start of a long page"));
  EXPECT_EQ(server.requests().size(), 2u);  // retried, as any 503
  Result<std::string> missing = http->Get(server.url("/missing"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST(HttpFetcherTest, OnlyHttpAndHttpsUrlsAndNoRequestForOthers) {
  auto http = Fetcher(Fast());
  for (std::string url : {"file:///etc/passwd", "ftp://127.0.0.1/x", "127.0.0.1/x"}) {
    Result<std::string> body = http->Get(url);
    ASSERT_FALSE(body) << url;
    EXPECT_EQ(body.error().code, ErrorCode::kInvalidArgument) << url;
    EXPECT_THAT(body.error().message, HasSubstr("not an http:// or https:// URL"));
  }
  EXPECT_EQ(http->stats().requests, 0u);
}

TEST(HttpFetcherTest, ErrorsNameWhatWasAskedAndCanLeaveASecretUrlOut) {
  Server server(Answer(500, "down"));
  std::string secret = server.url("/hook/S3CRET-token");
  Result<std::string> hidden =
      Fetcher(Fast(0), {.what = "webhook", .url_in_errors = false})->Post(secret, "{}");
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().message, "webhook: HTTP status 500: \"down\"");
  Result<std::string> bare = Fetcher(Fast(0), {.what = ""})->Get(server.url("/list"));
  ASSERT_FALSE(bare);
  EXPECT_EQ(bare.error().message, server.url("/list") + ": HTTP status 500: \"down\"");
  Result<std::string> hidden_file =
      Fetcher(Fast(0), {.what = "webhook", .url_in_errors = false})->Get("file:///S3CRET");
  EXPECT_THAT(hidden_file.error().message, Not(HasSubstr("S3CRET")));
}

TEST(HttpFetcherTest, TheCallBudgetCutsTheAttemptAndEndsTheRetries) {
  // A server that takes the request and answers too late: one budget, not four timeouts.
  Server slow([](const httplib::Request&, httplib::Response& response) {
    std::this_thread::sleep_for(milliseconds(1500));
    response.status = 200;
  });
  HttpOptions options = Fast(3);
  options.call_budget = milliseconds(400);
  auto started = std::chrono::steady_clock::now();
  Result<std::string> body = Fetcher(options)->Get(slow.url());
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kNetwork);
  EXPECT_THAT(body.error().message, HasSubstr("(after 1 attempt, call budget of 400 ms spent)"));
  EXPECT_LT(took, milliseconds(1400));

  // A backoff that would end past the budget ends the call at once.
  Server busy(Answer(503));
  options.backoff_base = milliseconds(5000);
  options.backoff_max = milliseconds(5000);
  options.call_budget = milliseconds(1000);
  started = std::chrono::steady_clock::now();
  body = Fetcher(options)->Get(busy.url());
  took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(body);
  EXPECT_THAT(body.error().message, HasSubstr("HTTP status 503 (after 1 attempt, call budget"));
  EXPECT_EQ(busy.requests().size(), 1u);
  EXPECT_LT(took, milliseconds(1000));

  // Within the budget, the retries happen as without one, also when the budget is no longer
  // than one attempt's timeout (the webhook's defaults: 30 s each).
  options = Fast(2);
  options.call_budget = options.total_timeout;
  body = Fetcher(options)->Get(busy.url());
  EXPECT_THAT(body.error().message, HasSubstr("HTTP status 503 (after 3 attempts)"));
}

TEST(HttpFetcherTest, OptionsOutOfRangeAreRefused) {
  EXPECT_TRUE(CheckHttpOptions(HttpOptions{}));
  auto refused = [](std::function<void(HttpOptions&)> change) {
    HttpOptions options;
    change(options);
    Result<void> checked = CheckHttpOptions(options);
    return !checked && checked.error().code == ErrorCode::kInvalidArgument;
  };
  EXPECT_TRUE(refused([](HttpOptions& o) { o.max_retries = -1; }));
  EXPECT_TRUE(refused([](HttpOptions& o) { o.call_budget = milliseconds(-1); }));
  EXPECT_TRUE(refused([](HttpOptions& o) { o.total_timeout = milliseconds(0); }));
  EXPECT_TRUE(refused([](HttpOptions& o) { o.max_response_bytes = 0; }));
  LogClientOptions log;
  log.batch_size = 0;
  EXPECT_FALSE(CheckLogClientOptions(log));
}

}  // namespace
}  // namespace ctkit
