// `ctkit-faults` only: `log serve --test-faults-enabled` and `--test-faults MODES`
// (faults/fault_injection.h). Linked instead of cli/test_hooks_none.cc.

#include "cli/test_hooks.h"

#include <cstdio>
#include <string>

#include "faults/fault_injection.h"

namespace ctkit::cli {
namespace {

class FaultHooks : public LogServeTestHooks {
 public:
  void AddFlags(CLI::App& serve) override {
    serve
        .add_flag("--test-faults-enabled", enabled_,
                  "For tests only: accept POST /ctkit-test/fault to switch faults")
        ->group("");
    serve
        .add_option("--test-faults", faults_,
                    "For tests only: faults in force from the start (MODE[,MODE...]); implies "
                    "--test-faults-enabled")
        ->group("");
  }

  Result<void> Check() override {
    ASSIGN_OR_RETURN(uint32_t parsed, ParseLogFaults(faults_), "--test-faults");
    return {};
  }

  std::shared_ptr<RequestInterceptor> MakeInterceptor(LogService& service) override {
    if (!enabled_ && faults_.empty()) return nullptr;
    auto injector = std::make_shared<FaultInjector>(service);
    uint32_t faults = ParseLogFaults(faults_).value_or(0);  // checked by Check()
    injector->Set(faults);
    std::fprintf(stderr, "ctkit log serve: TEST FAULT INJECTION ENABLED; faults now: %s\n",
                 LogFaultsToString(faults).c_str());
    return injector;
  }

 private:
  bool enabled_ = false;
  std::string faults_;
};

}  // namespace

LogServeTestHooks* TestHooks() {
  static FaultHooks hooks;
  return &hooks;
}

}  // namespace ctkit::cli
