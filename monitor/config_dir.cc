#include "monitor/config_dir.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

#include "base/input_file.h"
#include "monitor/email_address.h"

namespace ctkit {
namespace {

// More addresses than this are refused: each is an argument of one sendmail command.
constexpr size_t kMaxEmailRecipients = 1000;

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

// The first entry of a colon-separated list (systemd's *_DIRECTORY variables).
std::string FirstEntry(const std::string& list) { return list.substr(0, list.find(':')); }

// `dir` made absolute (against the working directory) and lexically normal, without a trailing
// slash; "" stays "".
std::string AbsoluteDir(const std::string& dir) {
  if (dir.empty()) return "";
  std::error_code error;
  std::filesystem::path path = std::filesystem::absolute(dir, error);
  if (error) path = dir;
  path = path.lexically_normal();
  if (!path.has_filename() && path.has_parent_path() && path != path.root_path()) {
    path = path.parent_path();
  }
  return path.string();
}

std::string Errno() { return std::strerror(errno); }

// Spaces, tabs and a CR (a file written on Windows) at either end removed.
std::string_view TrimLine(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const size_t last = line.find_last_not_of(" \t\r");
  return line.substr(first, last - first + 1);
}

}  // namespace

ConfigDirEnvironment ConfigDirEnvironment::FromProcess() {
  return {.ctkit_config_dir = Env("CTKIT_CONFIG_DIR"),
          .configuration_directory = Env("CONFIGURATION_DIRECTORY"),
          .home = Env("HOME"),
          .ctkit_state_dir = Env("CTKIT_STATE_DIR"),
          .state_directory = Env("STATE_DIRECTORY")};
}

ConfigDirChoice ChooseConfigDir(const std::string& flag, const ConfigDirEnvironment& env) {
  if (!flag.empty()) return {AbsoluteDir(flag), "--config-dir", true};
  if (!env.ctkit_config_dir.empty()) {
    return {AbsoluteDir(env.ctkit_config_dir), "$CTKIT_CONFIG_DIR", true};
  }
  if (std::string first = FirstEntry(env.configuration_directory); !first.empty()) {
    return {AbsoluteDir(first), "$CONFIGURATION_DIRECTORY", true};
  }
  if (!env.home.empty()) return {AbsoluteDir(env.home + "/.ctkit"), "$HOME", false};
  return {};
}

std::string ChooseStateDir(const std::string& config_dir, const ConfigDirEnvironment& env) {
  if (!env.ctkit_state_dir.empty()) return AbsoluteDir(env.ctkit_state_dir);
  if (std::string first = FirstEntry(env.state_directory); !first.empty()) {
    return AbsoluteDir(first);
  }
  return config_dir.empty() ? "" : AbsoluteDir(config_dir + "/state");
}

Result<std::vector<std::string>> ListHookPrograms(const std::string& hooks_dir,
                                                  std::vector<std::string>& warnings) {
  const std::string dir = AbsoluteDir(hooks_dir);
  std::unique_ptr<DIR, int (*)(DIR*)> listing(opendir(dir.c_str()), &closedir);
  if (!listing) {
    if (errno == ENOENT) return std::vector<std::string>{};
    if (errno == ENOTDIR) {
      return MakeError(ErrorCode::kInvalidArgument, dir + " is not a directory of hooks");
    }
    return MakeError(ErrorCode::kIo, "cannot list hooks in " + dir + ": " + Errno());
  }
  std::vector<std::string> names;
  while (true) {
    errno = 0;
    const dirent* entry = readdir(listing.get());
    if (entry == nullptr) {
      if (errno != 0)
        return MakeError(ErrorCode::kIo, "cannot list hooks in " + dir + ": " + Errno());
      break;
    }
    // ".", "..", and hidden files: editor swap files, a disabled hook.
    if (entry->d_name[0] != '.') names.emplace_back(entry->d_name);
  }
  std::sort(names.begin(), names.end());

  std::vector<std::string> programs;
  for (const std::string& name : names) {
    const std::string path = dir + "/" + name;
    auto skip = [&](const std::string& why) {
      warnings.push_back(dir + ": " + QuoteUntrusted(name) + " " + why + ": not run as a hook");
    };
    struct stat info;
    if (stat(path.c_str(), &info) != 0) {
      if (errno == ENOENT || errno == ELOOP) {
        skip("is a symbolic link to nothing");
        continue;
      }
      return MakeError(ErrorCode::kIo,
                       "cannot examine hook " + dir + "/" + QuoteUntrusted(name) + ": " + Errno());
    }
    if (S_ISDIR(info.st_mode)) {
      skip("is a directory");
    } else if (!S_ISREG(info.st_mode)) {
      skip("is not a regular file");
    } else if (access(path.c_str(), X_OK) != 0) {
      skip("is not executable by this user (chmod +x it, or rename it to start with '.')");
    } else {
      programs.push_back(path);
    }
  }
  return programs;
}

Result<std::vector<std::string>> ParseEmailRecipients(std::string_view text) {
  std::vector<std::string> addresses;
  size_t line_number = 0;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = TrimLine(text.substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    if (Result<void> ok = CheckEmailAddress(line); !ok) {
      return MakeError(ErrorCode::kInvalidArgument, "line " + std::to_string(line_number) + ": " +
                                                        QuoteUntrusted(line) + " " +
                                                        ok.error().message);
    }
    if (addresses.size() == kMaxEmailRecipients) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "more than " + std::to_string(kMaxEmailRecipients) + " addresses");
    }
    addresses.emplace_back(line);
  }
  return addresses;
}

Result<std::vector<std::string>> LoadEmailRecipients(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0 && errno == ENOENT) return std::vector<std::string>{};
  Result<Bytes> data = ReadInputFile(path);
  if (!data)
    return MakeError(ErrorCode::kIo, "cannot read email recipients " + data.error().message);
  const std::string text(data->begin(), data->end());
  ASSIGN_OR_RETURN(std::vector<std::string> addresses, ParseEmailRecipients(text), path);
  return addresses;
}

Result<void> MakeStateDir(const std::string& dir) {
  std::filesystem::path partial;
  for (const std::filesystem::path& part : std::filesystem::path(AbsoluteDir(dir))) {
    partial /= part;
    if (mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
      return MakeError(ErrorCode::kIo,
                       "cannot create state directory " + partial.string() + ": " + Errno());
    }
  }
  struct stat info;
  if (stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return MakeError(ErrorCode::kIo, "state directory " + dir + " is not a directory");
  }
  return {};
}

Result<ConfigDirContents> ReadConfigDir(const std::string& flag, const ConfigDirEnvironment& env) {
  const ConfigDirChoice choice = ChooseConfigDir(flag, env);
  ConfigDirContents contents;
  contents.config_dir = choice.dir;
  contents.state_dir = ChooseStateDir(choice.dir, env);
  if (choice.dir.empty()) return contents;
  const std::string named = "configuration directory " + choice.dir + " (" + choice.source + ")";
  struct stat info;
  if (stat(choice.dir.c_str(), &info) != 0) {
    if (errno != ENOENT) return MakeError(ErrorCode::kIo, named + ": " + Errno());
    if (!choice.must_exist) return contents;  // no ~/.ctkit: nothing to read
    return MakeError(ErrorCode::kNotFound, named + " does not exist");
  }
  if (!S_ISDIR(info.st_mode)) {
    return MakeError(ErrorCode::kInvalidArgument, named + " is not a directory");
  }
  const std::string watchlist = choice.dir + "/watchlist";
  if (lstat(watchlist.c_str(), &info) == 0) contents.watchlist_path = watchlist;
  ASSIGN_OR_RETURN(contents.hook_programs,
                   ListHookPrograms(choice.dir + "/hooks.d", contents.warnings));
  ASSIGN_OR_RETURN(contents.email_recipients,
                   LoadEmailRecipients(choice.dir + "/email_recipients"));
  return contents;
}

}  // namespace ctkit
