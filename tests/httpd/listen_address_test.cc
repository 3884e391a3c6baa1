#include "httpd/listen_address.h"

#include <gtest/gtest.h>

#include <string>

namespace ctkit {
namespace {

TEST(ListenAddressTest, HostColonPort) {
  Result<ListenAddress> v4 = ParseListenAddress("127.0.0.1:8080", "--http");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8080);
  Result<ListenAddress> v6 = ParseListenAddress("[::1]:0", "--http");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  for (const char* bad :
       {"8080", ":8080", "localhost:", "[]:80", "host:65536", "host:-1", "host:080800"}) {
    Result<ListenAddress> address = ParseListenAddress(bad, "--listen");
    ASSERT_FALSE(address) << bad;
    EXPECT_EQ(address.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(address.error().message,
              std::string("--listen wants ADDR:PORT (e.g. 127.0.0.1:8080), not ") + bad);
  }
}

}  // namespace
}  // namespace ctkit
