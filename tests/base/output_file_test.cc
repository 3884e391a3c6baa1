// WriteOutputFile and ReadInputFile (base/output_file.h, base/input_file.h) on a real file
// system.

#include "base/output_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "base/input_file.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

TEST(OutputFileTest, WritesANewFileAndReplacesAnExistingOne) {
  std::string dir = testing::TempDir("ctkit-output");
  std::string path = dir + "/out.pem";
  ASSERT_TRUE(WriteOutputFile(path, "a longer first version\n"));
  ASSERT_TRUE(WriteOutputFile(path, "second\n"));
  Result<Bytes> read = ReadInputFile(path);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(std::string(read->begin(), read->end()), "second\n");
  testing::RemoveTree(dir);
}

TEST(OutputFileTest, ErrorsNameThePath) {
  Result<void> written = WriteOutputFile("/proc/no-such-dir/out.pem", "x");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::kIo);
  EXPECT_EQ(written.error().message, "/proc/no-such-dir/out.pem: cannot create");
  Result<Bytes> read = ReadInputFile("/proc/no-such-dir/in.pem");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kIo);
  EXPECT_THAT(read.error().message, ::testing::StartsWith("/proc/no-such-dir/in.pem: "));
}

}  // namespace
}  // namespace ctkit
