// Small helpers shared by the test suites: locating and reading files under testdata/.

#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include "base/bytes.h"
#include "tests/test_paths.h"

namespace ctkit::testing {

// A new empty directory under /tmp, named "<prefix>-XXXXXX"; "" (and a test failure) on error.
inline std::string TempDir(const std::string& prefix) {
  std::string pattern = "/tmp/" + prefix + "-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp " << pattern;
    return "";
  }
  return pattern;
}

// Removes a directory made by TempDir and everything in it.
inline void RemoveTree(const std::string& dir) {
  std::error_code ignored;
  if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
}

// The whole of a file ("" when it cannot be read).
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Hex with spaces between fields for readability: "00 0005 0102030405". Fails the test on bad hex.
inline Bytes Hex(std::string_view spaced) {
  std::string hex;
  for (char c : spaced) {
    if (c != ' ') hex += c;
  }
  Result<Bytes> bytes = HexDecode(hex);
  if (!bytes) throw std::runtime_error("bad hex in test: " + std::string(spaced));
  return *bytes;
}

// A 32-byte ID (log ID, hash) from base64; fails the test on a bad value.
inline std::array<uint8_t, 32> IdFromBase64(std::string_view base64) {
  Result<Bytes> bytes = Base64Decode(base64);
  if (!bytes || bytes->size() != 32) throw std::runtime_error("bad 32-byte base64 in test");
  std::array<uint8_t, 32> id{};
  std::copy(bytes->begin(), bytes->end(), id.begin());
  return id;
}

inline std::string TestDataPath(const std::string& relative) {
  return TestdataDir() + "/" + relative;
}

// Reads a file under testdata/; throws (failing the test) when it is missing.
inline Bytes ReadTestData(const std::string& relative) {
  std::ifstream in(TestDataPath(relative), std::ios::binary);
  if (!in) throw std::runtime_error("cannot open testdata/" + relative);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::string ReadTestDataText(const std::string& relative) {
  Bytes bytes = ReadTestData(relative);
  return std::string(bytes.begin(), bytes.end());
}

// A scratch file under /tmp holding `contents`, removed when the object goes out of scope.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    char name[] = "/tmp/ctkit-test-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    path_ = name;
    const char* data = contents.data();
    size_t left = contents.size();
    while (left > 0) {
      ssize_t written = write(fd, data, left);
      if (written <= 0) break;
      data += written;
      left -= static_cast<size_t>(written);
    }
    close(fd);
  }
  explicit TempFile(const Bytes& contents)
      : TempFile(std::string(contents.begin(), contents.end())) {}
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace ctkit::testing
