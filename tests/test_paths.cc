// The only test file compiled with the checkout's absolute paths (tests/test_paths.h).

#include "tests/test_paths.h"

namespace ctkit::testing {

const std::string& TestdataDir() {
  static const std::string dir = CTKIT_TESTDATA_DIR;
  return dir;
}

const std::string& CtkitBinary() {
  static const std::string binary = CTKIT_BINARY;
  return binary;
}

const std::string& CtkitFaultsBinary() {
  static const std::string binary = CTKIT_FAULTS_BINARY;
  return binary;
}

}  // namespace ctkit::testing
