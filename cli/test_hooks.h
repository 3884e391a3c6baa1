// Test-only additions to the CLI. The installed `ctkit` links cli/test_hooks_none.cc: no
// additions. The `ctkit-faults` binary the tests build links faults/cli/test_hooks.cc instead,
// which adds hidden `log serve --test-faults[-enabled]` flags that switch on fault injection
// (faults/fault_injection.h): a log that signs false heads must not ship.

#pragma once

#include <CLI/CLI.hpp>
#include <memory>

#include "base/error.h"
#include "logserver/http_server.h"
#include "logserver/log_service.h"

namespace ctkit::cli {

class LogServeTestHooks {
 public:
  virtual ~LogServeTestHooks() = default;
  // Adds the hooks' flags to `log serve`.
  virtual void AddFlags(CLI::App& serve) = 0;
  // Checks the flags before anything starts; kInvalidArgument names the bad one.
  virtual Result<void> Check() = 0;
  // The interceptor the flags ask for (nullptr: none), and says on stderr that it is on.
  virtual std::shared_ptr<RequestInterceptor> MakeInterceptor(LogService& service) = 0;
};

// nullptr in the installed ctkit.
LogServeTestHooks* TestHooks();

}  // namespace ctkit::cli
