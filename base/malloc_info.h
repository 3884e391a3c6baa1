// Which malloc this process runs on, found at run time: for `ctkit --version`, bug reports and
// the benchmark reports, since throughput depends on it (docs/PERFORMANCE.md, "Allocator").
//
// Release builds link jemalloc (CMake option CTKIT_MALLOC, default "jemalloc"): OpenSSL makes
// dozens of small allocations per signature check, and under glibc's malloc they fall into its
// slow paths whenever ctkit's own allocations sit between two checks. Sanitizer and fuzzer
// builds keep the system allocator, which the sanitizers replace with their own.
//
//   MallocInfo malloc = CurrentMalloc();
//   std::printf("malloc: %s %s\n", malloc.name.c_str(), malloc.version.c_str());

#pragma once

#include <string>

namespace ctkit {

struct MallocInfo {
  // "jemalloc", "glibc", or "other" (e.g. a sanitizer's allocator).
  std::string name;
  // jemalloc's or glibc's version string; for "other", the file that defines malloc.
  std::string version;
};

// Looks up the `malloc` every library in the process calls (the first definition in symbol
// search order, which is what OpenSSL's allocations use too) and names its provider.
MallocInfo CurrentMalloc();

}  // namespace ctkit
