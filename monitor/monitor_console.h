// What the monitor tells the person running it, and how: the caller (the `ctkit monitor`
// command) decides where each goes. Lines may quote untrusted text (log descriptions, a log
// list's version, errors from logs): print them through TerminalSafe (base/terminal_text.h).

#pragma once

#include <functional>
#include <string>

#include "monitor/log_tailer.h"

namespace ctkit {

struct MonitorConsole {
  // A notice, warning or error, one line ("following 3 of the 5 logs of ...").
  std::function<void(const std::string& line)> say;
  // The HTTP side listens on `address` ("127.0.0.1:8080", "[::1]:43117").
  std::function<void(const std::string& address)> listening;
  // A log's progress, from the daemon's log threads (serialize your output).
  std::function<void(const std::string& log, const SyncProgress& progress)> progress;
  // A round of the daemon ended (a log list refresh or the end): the last progress is final.
  std::function<void()> round_ended;
};

}  // namespace ctkit
