// Secrets handed to ctkit without putting them on the command line, where any local user sees
// them (`ps`, /proc/PID/cmdline): the first line of a file, or an environment variable. Used for
// the monitor's webhook URL (`--webhook-file`, `--webhook-env`), whose path holds a token.
//
// The secret's value is never part of an error message.

#pragma once

#include <string>

#include "base/error.h"

namespace ctkit {

// The first line of the file at `path` with trailing whitespace (and a CR) removed. kIo when
// the file cannot be read, kInvalidArgument when that line is empty.
Result<std::string> ReadSecretFile(const std::string& path);

// The value of the environment variable `name`, trailing whitespace removed, which is then
// removed from this process's environment so that the programs it starts (a --script hook) do
// not inherit it. kInvalidArgument when it is unset or empty.
Result<std::string> TakeSecretFromEnvironment(const std::string& name);

}  // namespace ctkit
