// Small helpers shared by the test suites: locating and reading files under testdata/.

#pragma once

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include "base/bytes.h"

namespace ctkit::testing {

inline std::string TestDataPath(const std::string& relative) {
  return std::string(CTKIT_TESTDATA_DIR) + "/" + relative;
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

}  // namespace ctkit::testing
