// The monitor's configuration and state directories, laid out as certspotter's (certspotter(8),
// "FILES"), so that a certspotter set-up works as it is (docs/monitor.md, "Configuration
// directory"):
//
//   CONFIG_DIR/watchlist          the watched names, used when --watchlist is not given
//   CONFIG_DIR/hooks.d/           every executable in it runs as a hook for each alert
//   CONFIG_DIR/email_recipients   one address a line, mailed each alert
//   STATE_DIR/monitor.db          the database, used when --db is not given
//
//   ConfigDirEnvironment env = ConfigDirEnvironment::FromProcess();
//   Result<ConfigDirContents> dir = ReadConfigDir(flags.config_dir, env);
//   for (const std::string& line : dir->warnings) say(line);
//
// Which directory, first that is set (an empty variable is unset):
//   CONFIG_DIR  --config-dir DIR, $CTKIT_CONFIG_DIR, $CONFIGURATION_DIRECTORY (systemd's
//               ConfigurationDirectory=; the first of a colon-separated list), $HOME/.ctkit
//   STATE_DIR   $CTKIT_STATE_DIR, $STATE_DIRECTORY (systemd's StateDirectory=, the first
//               entry), CONFIG_DIR/state
// A CONFIG_DIR named by the flag or a variable must exist (a typo would otherwise silently read
// nothing); $HOME/.ctkit may be missing, and then nothing is read from it. Every file in it is
// optional, as with certspotter.
//
// What is read, and how it differs from certspotter (documented in docs/monitor.md):
//   - hooks.d: entries sorted by name (bytes, as certspotter's os.ReadDir); names starting with
//     '.' are skipped silently (editor swap files; certspotter does the same); symbolic links are
//     followed; a regular file executable by this user is a hook. Anything else (a file without
//     the execute bit, a directory, a dangling link, a FIFO...) is skipped with a warning line:
//     certspotter skips those silently, but a hook someone forgot to `chmod +x` is an alert
//     nobody receives, so the monitor says so at every start.
//   - email_recipients: lines trimmed of spaces, tabs and a CR; blank lines and lines starting
//     with '#' are skipped (certspotter skips only empty lines and would mail "# ops" as an
//     address); every other line must be one address that passes CheckEmailAddress
//     (monitor/email_address.h), or the file is refused naming the line.
//   - watchlist: its path only; monitor/watchlist.h reads it.

#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ctkit {

// The variables the directories are looked up in; empty when unset.
struct ConfigDirEnvironment {
  std::string ctkit_config_dir;         // $CTKIT_CONFIG_DIR
  std::string configuration_directory;  // $CONFIGURATION_DIRECTORY (colon-separated)
  std::string home;                     // $HOME
  std::string ctkit_state_dir;          // $CTKIT_STATE_DIR
  std::string state_directory;          // $STATE_DIRECTORY (colon-separated)

  // The process's own environment.
  static ConfigDirEnvironment FromProcess();
};

// The configuration directory chosen, and what chose it.
struct ConfigDirChoice {
  std::string dir;     // absolute; "" when nothing names one (no flag, no variable, no $HOME)
  std::string source;  // "--config-dir", "$CTKIT_CONFIG_DIR", "$CONFIGURATION_DIRECTORY", "$HOME"
  bool must_exist = false;  // named by the flag or a variable, not the $HOME default
};

// CONFIG_DIR as in the table above, from `flag` (--config-dir; "" when not given) and `env`.
ConfigDirChoice ChooseConfigDir(const std::string& flag, const ConfigDirEnvironment& env);

// STATE_DIR as in the table above (absolute), or "" when there is no configuration directory
// either.
std::string ChooseStateDir(const std::string& config_dir, const ConfigDirEnvironment& env);

// What the configuration directory holds.
struct ConfigDirContents {
  std::string config_dir;      // absolute; "" when there is none
  std::string state_dir;       // absolute; "" when there is none
  std::string watchlist_path;  // CONFIG_DIR/watchlist when it exists (or is a link), else ""
  std::vector<std::string> hook_programs;     // absolute paths, sorted by name
  std::vector<std::string> email_recipients;  // in file order, as written
  std::vector<std::string> warnings;          // one line each: hooks.d entries skipped
};

// Chooses the directories and reads what is there. Errors, all kInvalidArgument, kNotFound or
// kIo with one line naming the directory or file: a CONFIG_DIR that must exist and does not or
// is not a directory; hooks.d that is not a directory or cannot be listed; an entry of it that
// cannot be examined; email_recipients that cannot be read or has a bad line.
Result<ConfigDirContents> ReadConfigDir(const std::string& flag, const ConfigDirEnvironment& env);

// The hooks in directory `hooks_dir` as described above, appending a line to `warnings` for
// each entry skipped with a warning. A missing directory has no hooks.
Result<std::vector<std::string>> ListHookPrograms(const std::string& hooks_dir,
                                                  std::vector<std::string>& warnings);

// The addresses of an email_recipients text as described above, at most 1000 (each is an
// argument of one sendmail command). kInvalidArgument "line N: \"ADDRESS\" REASON" on the
// first bad line, or naming the limit.
Result<std::vector<std::string>> ParseEmailRecipients(std::string_view text);

// Reads and parses the file at `path`; a missing file holds no address. Errors name the path.
Result<std::vector<std::string>> LoadEmailRecipients(const std::string& path);

// Creates `dir` and any missing parent, each mode 0700 (the database holds what the monitor
// found); an existing directory is left as it is. kIo naming the directory that could not be
// made.
Result<void> MakeStateDir(const std::string& dir);

}  // namespace ctkit
