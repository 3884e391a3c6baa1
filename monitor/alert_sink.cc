#include "monitor/alert_sink.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include "base/sha256.h"
#include "ct/rfc3339.h"
#include "logclient/http_fetcher.h"
#include "x509/certificate.h"

extern char** environ;

namespace ctkit {
namespace {

using Json = nlohmann::ordered_json;

// Every variable ScriptSink may set. The daemon's own values of these are never passed on, so
// a hook cannot mistake a stale value for one about this alert.
constexpr const char* kHookVariables[] = {
    "EVENT",
    "CTKIT_EVENT",
    "SUMMARY",
    "WATCH_ITEM",
    "WATCH_ITEMS",
    "DNS_NAMES",
    "CERT_SHA256",
    "FINGERPRINT",
    "TBS_SHA256",
    "PUBKEY_SHA256",
    "SERIAL",
    "ISSUER_DN",
    "SUBJECT_DN",
    "NOT_BEFORE",
    "NOT_BEFORE_UNIXTIME",
    "NOT_BEFORE_RFC3339",
    "NOT_AFTER",
    "NOT_AFTER_UNIXTIME",
    "NOT_AFTER_RFC3339",
    "LOG_URI",
    "ENTRY_INDEX",
    "CERT_PARSEABLE",
    "PARSE_ERROR",
    "CERT_FILENAME",
    "JSON_FILENAME",
    "TEXT_FILENAME",
    "LEAF_HASH",
    "VALIDITY_PARSE_ERROR",
    "SUBJECT_PARSE_ERROR",
    "ISSUER_PARSE_ERROR",
    "SERIAL_PARSE_ERROR",
};

// certspotter-script(8) event names, so hooks that test $EVENT keep working.
std::string CertspotterEventName(const std::string& event) {
  if (event == "unexpected_cert") return "discovered_cert";
  return event;  // malformed_cert and error share the name; others are new event types
}

// Text of a JSON string or number field; nullopt when absent or of another type.
std::optional<std::string> Text(const Json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_unsigned()) return std::to_string(it->get<uint64_t>());
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return std::nullopt;
}

std::optional<std::string> JoinStrings(const Json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return std::nullopt;
  std::string joined;
  for (const Json& value : *it) {
    if (!value.is_string()) continue;
    if (!joined.empty()) joined += ',';
    joined += value.get<std::string>();
  }
  return joined;
}

// A validity bound in Unix seconds: an RFC 3339 string or a number of seconds.
std::optional<int64_t> UnixSeconds(const Json& finding, const char* key) {
  if (!finding.is_object()) return std::nullopt;
  auto it = finding.find(key);
  if (it == finding.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    auto ms = ParseRfc3339(it->get<std::string>());
    if (ms) return *ms >= 0 ? *ms / 1000 : -((-*ms + 999) / 1000);
  }
  return std::nullopt;
}

// Environment values are text for shells and logs: no control characters (the exact bytes are
// in the JSON file), and never a NUL, which would silently cut the value.
std::string EnvironmentValue(std::string_view value) {
  std::string out(value);
  for (char& c : out) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7f) c = '?';
  }
  return out;
}

std::string CertificateToPem(ByteSpan der) {
  const std::string body = Base64Encode(der);
  std::string pem = "-----BEGIN CERTIFICATE-----\n";
  for (size_t i = 0; i < body.size(); i += 64) pem += body.substr(i, 64) + "\n";
  return pem + "-----END CERTIFICATE-----\n";
}

// Writes `contents` to `path` through a temporary file and rename(2), so a hook never reads a
// half-written file.
Result<void> WriteFileAtomically(const std::string& path, std::string_view contents) {
  static std::atomic<uint64_t> counter{0};
  const std::string temporary =
      path + ".tmp." + std::to_string(getpid()) + "." + std::to_string(counter.fetch_add(1));
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    return MakeError(ErrorCode::kIo, "cannot create " + temporary + ": " + strerror(errno));
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      close(fd);
      unlink(temporary.c_str());
      return MakeError(ErrorCode::kIo, "cannot write " + temporary + ": " + strerror(error));
    }
    written += static_cast<size_t>(n);
  }
  if (close(fd) != 0 || rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    unlink(temporary.c_str());
    return MakeError(ErrorCode::kIo, "cannot write " + path + ": " + strerror(error));
  }
  return {};
}

struct SpawnAttributes {
  posix_spawnattr_t attributes;
  posix_spawn_file_actions_t actions;
  SpawnAttributes() {
    posix_spawnattr_init(&attributes);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnAttributes() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
};

// Runs `/bin/sh -c command` with `environment` and waits at most `timeout`.
Result<void> RunHook(const std::string& command, const std::vector<std::string>& environment,
                     std::chrono::milliseconds timeout) {
  SpawnAttributes spawn;
  // Its own process group, so a timeout kills the shell and everything it started.
  short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  posix_spawnattr_setflags(&spawn.attributes, flags);
  posix_spawnattr_setpgroup(&spawn.attributes, 0);
  sigset_t signals;
  sigemptyset(&signals);
  posix_spawnattr_setsigmask(&spawn.attributes, &signals);
  // The daemon may ignore SIGPIPE (libcurl users do); ignored signals survive exec.
  sigaddset(&signals, SIGPIPE);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGCHLD);
  posix_spawnattr_setsigdefault(&spawn.attributes, &signals);
  posix_spawn_file_actions_addopen(&spawn.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&spawn.actions, STDERR_FILENO, STDOUT_FILENO);
  // Descriptors the daemon opened without O_CLOEXEC (its database, sockets) stay out of reach.
  posix_spawn_file_actions_addclosefrom_np(&spawn.actions, STDERR_FILENO + 1);

  std::string shell = "/bin/sh", dash_c = "-c", script = command;
  char* argv[] = {shell.data(), dash_c.data(), script.data(), nullptr};
  std::vector<char*> envp;
  envp.reserve(environment.size() + 1);
  for (const std::string& entry : environment) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);

  pid_t pid = -1;
  const int spawned =
      posix_spawn(&pid, "/bin/sh", &spawn.actions, &spawn.attributes, argv, envp.data());
  if (spawned != 0) {
    return MakeError(ErrorCode::kIo, "cannot run hook: " + std::string(strerror(spawned)));
  }

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  int status = 0;
  while (true) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      return MakeError(ErrorCode::kInternal, "waitpid: " + std::string(strerror(errno)));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);  // in case setpgid had not happened yet
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return MakeError(ErrorCode::kIo, "hook timed out after " + std::to_string(timeout.count()) +
                                           " ms and was killed");
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  if (WIFEXITED(status)) {
    if (WEXITSTATUS(status) == 0) return {};
    return MakeError(ErrorCode::kIo,
                     "hook exited with status " + std::to_string(WEXITSTATUS(status)));
  }
  if (WIFSIGNALED(status)) {
    return MakeError(ErrorCode::kIo, "hook killed by signal " + std::to_string(WTERMSIG(status)));
  }
  return MakeError(ErrorCode::kIo, "hook ended with wait status " + std::to_string(status));
}

// A webhook's answer is a few bytes ("ok", "{}"); it only ever shows in an error message.
constexpr size_t kMaxWebhookResponseBytes = 64 << 10;

// The webhook's HTTP settings: its timeouts and retries, one budget for a whole delivery, a
// Retry-After honoured up to the longest backoff, and a small bound on the answer, of which only
// the start is ever shown.
HttpOptions WebhookHttpOptions(const WebhookSinkOptions& options) {
  HttpOptions http;
  http.connect_timeout = options.connect_timeout;
  http.total_timeout = options.total_timeout;
  http.max_retries = std::max(0, options.max_retries);
  http.backoff_base = options.backoff_base;
  http.backoff_max = options.backoff_max;
  http.max_retry_after = options.backoff_max;
  http.call_budget = options.delivery_budget;
  http.max_response_bytes = kMaxWebhookResponseBytes;
  return http;
}

}  // namespace

std::string AlertJsonLine(const Alert& alert) {
  try {
    return alert.json.dump(-1, ' ', false, Json::error_handler_t::replace);
  } catch (const std::exception& e) {  // not expected with `replace`; never let one escape
    return Json{{"event", "error"}, {"summary", std::string("alert not serializable: ") + e.what()}}
        .dump();
  }
}

Result<void> StdoutSink::Deliver(const Alert& alert) {
  const std::string line = AlertJsonLine(alert) + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  if (fwrite(line.data(), 1, line.size(), out_) != line.size() || fflush(out_) != 0) {
    return MakeError(ErrorCode::kIo, "cannot write alert: " + std::string(strerror(errno)));
  }
  return {};
}

std::vector<std::pair<std::string, std::string>> HookEnvironment(const Alert& alert,
                                                                 const std::string& cert_filename,
                                                                 const std::string& json_filename) {
  std::vector<std::pair<std::string, std::string>> env;
  auto set = [&](const char* name, const std::optional<std::string>& value) {
    if (value) env.emplace_back(name, EnvironmentValue(*value));
  };
  const Json& json = alert.json;
  const std::string event = Text(json, "event").value_or("error");
  set("EVENT", CertspotterEventName(event));
  set("CTKIT_EVENT", event);
  set("SUMMARY", Text(json, "summary").value_or(event));

  static const Json kNoFinding = Json::object();
  const Json& finding = json.is_object() && json.contains("finding") ? json["finding"] : kNoFinding;
  std::optional<CertificateView> cert;
  std::optional<std::string> cert_error;
  if (!alert.certificate_der.empty()) {
    auto parsed = CertificateView::Parse(ByteSpan(alert.certificate_der));
    if (parsed) {
      cert = std::move(*parsed);
    } else {
      cert_error = parsed.error().message;
    }
  }
  const bool certificate_event = finding.is_object() && !finding.empty();
  if (certificate_event || !alert.certificate_der.empty()) {
    if (auto items = JoinStrings(finding, "watch_items")) {
      set("WATCH_ITEMS", items);
      set("WATCH_ITEM", items->substr(0, items->find(',')));
    }
    set("DNS_NAMES", JoinStrings(finding, "names"));
    std::optional<std::string> sha256 = Text(finding, "sha256");
    if (!alert.certificate_der.empty()) sha256 = HexEncode(Sha256(alert.certificate_der));
    set("CERT_SHA256", sha256);
    set("FINGERPRINT", sha256);
    set("TBS_SHA256", Text(finding, "tbs_sha256"));
    std::optional<std::string> pubkey = Text(finding, "pubkey_sha256");
    std::optional<std::string> serial = Text(finding, "serial");
    std::optional<std::string> issuer = Text(finding, "issuer");
    std::optional<std::string> subject = Text(finding, "subject");
    std::optional<int64_t> not_before = UnixSeconds(finding, "not_before");
    std::optional<int64_t> not_after = UnixSeconds(finding, "not_after");
    if (cert) {
      if (!pubkey) pubkey = HexEncode(cert->spki_sha256());
      if (!serial) serial = cert->serial_hex();
      if (!issuer) issuer = cert->issuer();
      if (!subject) subject = cert->subject();
      if (!not_before) not_before = cert->not_before();
      if (!not_after) not_after = cert->not_after();
    }
    set("PUBKEY_SHA256", pubkey);
    set("SERIAL", serial);
    set("ISSUER_DN", issuer);
    set("SUBJECT_DN", subject);
    if (not_before) {
      const std::string text = FormatRfc3339(*not_before * 1000);
      set("NOT_BEFORE", text);
      set("NOT_BEFORE_RFC3339", text);
      set("NOT_BEFORE_UNIXTIME", std::to_string(*not_before));
    }
    if (not_after) {
      const std::string text = FormatRfc3339(*not_after * 1000);
      set("NOT_AFTER", text);
      set("NOT_AFTER_RFC3339", text);
      set("NOT_AFTER_UNIXTIME", std::to_string(*not_after));
    }
    if (finding.contains("entries") && finding["entries"].is_array() &&
        !finding["entries"].empty()) {
      const Json& entry = finding["entries"][0];
      set("LOG_URI", Text(entry, "log"));
      set("ENTRY_INDEX", Text(entry, "index"));
    }
    std::optional<std::string> parse_error = Text(finding, "parse_error");
    if (!parse_error) parse_error = cert_error;
    if (cert) {
      set("CERT_PARSEABLE", "yes");
    } else if (cert_error || parse_error || event == "malformed_cert") {
      set("CERT_PARSEABLE", "no");
    }
    set("PARSE_ERROR", parse_error);
    if (!cert_filename.empty()) set("CERT_FILENAME", cert_filename);
  }
  if (!json_filename.empty()) set("JSON_FILENAME", json_filename);
  std::sort(env.begin(), env.end());
  return env;
}

Result<void> ScriptSink::Deliver(const Alert& alert) {
  const std::string json_line = AlertJsonLine(alert);
  std::string cert_filename;
  std::string json_filename;
  if (!options_.output_dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(options_.output_dir, error);
    if (error) {
      return MakeError(ErrorCode::kIo,
                       "cannot create " + options_.output_dir + ": " + error.message());
    }
    // Names come from hashes computed here, never from alert text.
    if (!alert.certificate_der.empty()) {
      const std::string sha256 = HexEncode(Sha256(alert.certificate_der));
      cert_filename = options_.output_dir + "/" + sha256 + ".pem";
      json_filename = options_.output_dir + "/" + sha256 + ".json";
      if (auto written =
              WriteFileAtomically(cert_filename, CertificateToPem(alert.certificate_der));
          !written) {
        return written;
      }
    } else {
      json_filename =
          options_.output_dir + "/alert-" + HexEncode(Sha256(AsBytes(json_line))) + ".json";
    }
    if (auto written = WriteFileAtomically(json_filename, json_line + "\n"); !written) {
      return written;
    }
  }

  const auto variables = HookEnvironment(alert, cert_filename, json_filename);
  std::vector<std::string> environment;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::string_view name = text.substr(0, text.find('='));
    const bool ours = std::any_of(std::begin(kHookVariables), std::end(kHookVariables),
                                  [&](const char* variable) { return name == variable; });
    if (!ours) environment.emplace_back(text);
  }
  for (const auto& [name, value] : variables) environment.push_back(name + "=" + value);
  RETURN_IF_ERROR(RunHook(options_.command, environment, options_.timeout), "script sink");
  return {};
}

Result<void> WebhookSink::Deliver(const Alert& alert) {
  // A fetcher (one connection) per delivery: deliveries from several threads run in parallel.
  // The URL is left out of errors: webhook URLs often carry a secret token.
  ASSIGN_OR_RETURN(std::unique_ptr<HttpFetcher> http,
                   HttpFetcher::Create(
                       WebhookHttpOptions(options_),
                       {.headers = options_.headers, .what = "webhook", .url_in_errors = false}));
  RETURN_IF_ERROR(http->Post(options_.url, AlertJsonLine(alert), /*not_found=*/{}));
  return {};
}

}  // namespace ctkit
