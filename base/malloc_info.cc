#include "base/malloc_info.h"

#include <dlfcn.h>
#include <gnu/libc-version.h>

#include <cstring>
#include <string_view>

namespace ctkit {
namespace {

// The file that defines the function at `address`, or "" when the loader cannot tell.
std::string_view DefiningFile(void* address) {
  Dl_info info{};
  if (address == nullptr || dladdr(address, &info) == 0 || info.dli_fname == nullptr) return {};
  return info.dli_fname;
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

MallocInfo CurrentMalloc() {
  void* malloc_address = dlsym(RTLD_DEFAULT, "malloc");
  std::string_view malloc_file = DefiningFile(malloc_address);

  // jemalloc's control interface; it counts only when the same library also provides malloc
  // (a library can carry a prefixed jemalloc for itself without replacing the process's).
  using Mallctl = int (*)(const char*, void*, size_t*, void*, size_t);
  void* mallctl_address = dlsym(RTLD_DEFAULT, "mallctl");
  if (mallctl_address != nullptr && !malloc_file.empty() &&
      DefiningFile(mallctl_address) == malloc_file) {
    const char* version = nullptr;
    size_t size = sizeof(version);
    if (reinterpret_cast<Mallctl>(mallctl_address)("version", &version, &size, nullptr, 0) == 0 &&
        version != nullptr) {
      return {"jemalloc", version};
    }
    return {"jemalloc", "unknown version"};
  }
  if (BaseName(malloc_file).starts_with("libc.so")) return {"glibc", gnu_get_libc_version()};
  return {"other", malloc_file.empty() ? "unknown" : std::string(malloc_file)};
}

}  // namespace ctkit
