// Where the tests find the source tree's testdata/ and the ctkit binary built beside them.
//
// The two absolute paths are compiled into tests/test_paths.cc alone (tests/CMakeLists.txt), not
// into every test file: a compile command holding a checkout's path would make the compiler
// cache miss for every test in a fresh clone (docs/testing.md, "Compiler cache").

#pragma once

#include <string>

namespace ctkit::testing {

// The repository's testdata/ directory, without a trailing slash.
const std::string& TestdataDir();

// The ctkit program of the same build (Release, or ASan+UBSan for the sanitizer run).
const std::string& CtkitBinary();

// ctkit with test-only fault injection (`log serve --test-faults`, faults/): never installed.
const std::string& CtkitFaultsBinary();

}  // namespace ctkit::testing
