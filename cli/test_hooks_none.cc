#include "cli/test_hooks.h"

namespace ctkit::cli {

LogServeTestHooks* TestHooks() { return nullptr; }

}  // namespace ctkit::cli
