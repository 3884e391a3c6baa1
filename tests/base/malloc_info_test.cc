#include "base/malloc_info.h"

#include <gtest/gtest.h>
#include <openssl/crypto.h>

#include <cctype>
#include <cstdlib>
#include <string>

namespace ctkit {
namespace {

#ifndef CTKIT_EXPECTED_MALLOC
#error "tests/CMakeLists.txt defines CTKIT_EXPECTED_MALLOC (jemalloc or system)"
#endif

// The build's choice (CMake CTKIT_MALLOC) must be what the program actually runs on: a linker
// that drops jemalloc, or a library order that lets glibc's malloc win, fails here rather than
// only showing up as a slower benchmark.
TEST(MallocInfoTest, ProcessRunsOnTheMallocTheBuildChose) {
  MallocInfo malloc = CurrentMalloc();
  const std::string expected = CTKIT_EXPECTED_MALLOC;
  if (expected == "jemalloc") {
    EXPECT_EQ(malloc.name, "jemalloc") << malloc.version;
    // jemalloc's version strings start "5.3.0-0-g...".
    ASSERT_FALSE(malloc.version.empty());
    EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(malloc.version[0]))) << malloc.version;
  } else {
    ASSERT_EQ(expected, "system");
    // glibc's own, or a sanitizer's replacement in the sanitizer builds: never jemalloc.
    EXPECT_NE(malloc.name, "jemalloc") << malloc.version;
    EXPECT_FALSE(malloc.version.empty());
  }
}

// OpenSSL allocates through the same malloc: its default memory functions call `malloc`, which
// resolves process-wide. Memory it hands out can be freed by ours and the reverse, which is only
// safe when both are the same allocator: were they not, jemalloc or glibc would abort here.
TEST(MallocInfoTest, OpenSslSharesTheProcessMalloc) {
  void* from_openssl = OPENSSL_malloc(4096);
  ASSERT_NE(from_openssl, nullptr);
  std::free(from_openssl);
  void* from_us = std::malloc(64);
  ASSERT_NE(from_us, nullptr);
  OPENSSL_free(from_us);
}

}  // namespace
}  // namespace ctkit
