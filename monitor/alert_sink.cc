#include "monitor/alert_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>

#include "base/json_text.h"
#include "base/sha256.h"
#include "ct/rfc3339.h"
#include "logclient/http_fetcher.h"
#include "monitor/alert_facts.h"
#include "monitor/certspotter_format.h"
#include "monitor/child_process.h"

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
    "IP_ADDRESSES",
    "CERT_SHA256",
    "FINGERPRINT",
    "TBS_SHA256",
    "PUBKEY_SHA256",
    "PUBKEY_HASH",
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
    "ENTRY_FILENAME",
    "LEAF_HASH",
    "CHAIN_ERROR",
    "CTKIT_EXPECTED",
    "VALIDITY_PARSE_ERROR",
    "SUBJECT_PARSE_ERROR",
    "ISSUER_PARSE_ERROR",
    "SERIAL_PARSE_ERROR",
};

std::string Join(const std::vector<std::string>& values) {
  std::string joined;
  for (const std::string& value : values) joined += (joined.empty() ? "" : ",") + value;
  return joined;
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

// Writes the hook's files for `alert` into `dir` (absolute). Names come from hashes computed
// here, never from alert text.
Result<HookFiles> WriteHookFiles(const Alert& alert, const AlertFacts& facts,
                                 const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return MakeError(ErrorCode::kIo, "cannot create " + dir + ": " + error.message());
  HookFiles files;
  std::string stem;
  if (!alert.certificate_der.empty()) {
    stem = dir + "/" + HexEncode(Sha256(alert.certificate_der));
    files.cert = stem + ".pem";
    std::vector<Bytes> chain = {alert.certificate_der};
    chain.insert(chain.end(), alert.chain_der.begin(), alert.chain_der.end());
    RETURN_IF_ERROR(WriteFileAtomically(files.cert, PemCertificates(chain)));
  } else {
    stem = dir + "/alert-" + HexEncode(Sha256(AsBytes(AlertJsonLine(alert))));
  }
  files.json = stem + ".json";
  files.text = stem + ".txt";
  const std::string json =
      CertspotterJson(alert, facts).dump(2, ' ', false, Json::error_handler_t::replace);
  RETURN_IF_ERROR(WriteFileAtomically(files.json, json + "\n"));
  RETURN_IF_ERROR(WriteFileAtomically(files.text, AlertText(alert, facts, files.cert)));
  if (facts.event == "malformed_cert" && alert.json.is_object() &&
      alert.json.contains("leaf_input")) {
    files.entry = stem + ".entry.json";
    auto text = [&](const char* key) {
      auto value = alert.json.find(key);
      return value != alert.json.end() && value->is_string() ? value->get<std::string>()
                                                             : std::string();
    };
    Json entry = {{"leaf_input", text("leaf_input")}, {"extra_data", text("extra_data")}};
    RETURN_IF_ERROR(WriteFileAtomically(files.entry, JsonCompact(entry) + "\n"));
  }
  return files;
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
    return JsonCompact(alert.json);
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

Alert AlertFromStored(const std::string& body_json, const Bytes& certificate_der) {
  Alert alert;
  alert.json = Json::parse(body_json, nullptr, false);
  alert.certificate_der = certificate_der;
  if (alert.json.is_object()) {
    auto chain = alert.json.find("chain");
    if (chain != alert.json.end() && chain->is_array()) {
      for (const Json& item : *chain) {
        if (!item.is_string()) continue;
        if (Result<Bytes> der = Base64Decode(item.get<std::string>()); der && !der->empty()) {
          alert.chain_der.push_back(std::move(*der));
        }
      }
    }
  }
  return alert;
}

std::vector<std::pair<std::string, std::string>> HookEnvironment(const Alert& alert,
                                                                 const HookFiles& files) {
  std::vector<std::pair<std::string, std::string>> env;
  auto set = [&](const char* name, const std::optional<std::string>& value) {
    if (value) env.emplace_back(name, EnvironmentValue(*value));
  };
  auto set_file = [&](const char* name, const std::string& path) {
    if (!path.empty()) set(name, path);
  };
  const AlertFacts facts = AlertFactsOf(alert);
  set("EVENT", facts.certspotter_event);
  set("CTKIT_EVENT", facts.event);
  set("SUMMARY", facts.summary);
  set_file("TEXT_FILENAME", files.text);
  set_file("JSON_FILENAME", files.json);

  if (facts.event == "malformed_cert") {
    set("LOG_URI", facts.log_uri);
    set("ENTRY_INDEX", facts.entry_index);
    set("LEAF_HASH", facts.leaf_hash);
    set_file("ENTRY_FILENAME", files.entry);
  }
  if (facts.certificate) {
    if (!facts.watch_items.empty()) {
      set("WATCH_ITEM", facts.watch_items.front());
      set("WATCH_ITEMS", Join(facts.watch_items));
    }
    set("DNS_NAMES", Join(facts.dns_names));
    if (!facts.ip_addresses.empty()) set("IP_ADDRESSES", Join(facts.ip_addresses));
    if (facts.event != "malformed_cert") {  // set above
      set("LOG_URI", facts.log_uri);
      set("ENTRY_INDEX", facts.entry_index);
    }
    set("TBS_SHA256", facts.tbs_sha256);
    set("CERT_SHA256", facts.cert_sha256);
    set("FINGERPRINT", facts.cert_sha256);
    set("PUBKEY_SHA256", facts.pubkey_sha256);
    set("PUBKEY_HASH", facts.pubkey_sha256);
    set_file("CERT_FILENAME", files.cert);
    // Only a DER that did not parse makes a value unknown for a reason worth a *_PARSE_ERROR.
    const bool unparsed = !alert.certificate_der.empty() && facts.parse_error.has_value();
    auto set_or_error = [&](const char* name, const char* error_name,
                            const std::optional<std::string>& value) {
      if (value) {
        set(name, value);
      } else if (unparsed) {
        set(error_name, facts.parse_error);
      }
    };
    set_or_error("SERIAL", "SERIAL_PARSE_ERROR", facts.serial);
    set_or_error("ISSUER_DN", "ISSUER_PARSE_ERROR", facts.issuer_dn);
    set_or_error("SUBJECT_DN", "SUBJECT_PARSE_ERROR", facts.subject_dn);
    if (facts.not_before && facts.not_after) {
      set("NOT_BEFORE", CertspotterTime(*facts.not_before));
      set("NOT_BEFORE_UNIXTIME", std::to_string(*facts.not_before));
      set("NOT_BEFORE_RFC3339", FormatRfc3339(*facts.not_before * 1000));
      set("NOT_AFTER", CertspotterTime(*facts.not_after));
      set("NOT_AFTER_UNIXTIME", std::to_string(*facts.not_after));
      set("NOT_AFTER_RFC3339", FormatRfc3339(*facts.not_after * 1000));
    } else if (unparsed) {
      set("VALIDITY_PARSE_ERROR", facts.parse_error);
    }
    set("CHAIN_ERROR", facts.chain_error);
    if (facts.expected) set("CTKIT_EXPECTED", *facts.expected ? "yes" : "no");
  }
  if (facts.certificate || facts.event == "malformed_cert") {
    // certspotter's: "no" for a malformed_cert, "yes" for every certificate it could read.
    const bool broken = facts.parse_error.has_value() || facts.event == "malformed_cert";
    set("CERT_PARSEABLE", broken ? "no" : "yes");
    set("PARSE_ERROR", facts.parse_error);
  }
  std::sort(env.begin(), env.end());
  return env;
}

ScriptSink::ScriptSink(ScriptSinkOptions options) : options_(std::move(options)) {
  if (!options_.output_dir.empty()) {
    std::error_code error;
    std::filesystem::path absolute = std::filesystem::absolute(options_.output_dir, error);
    if (!error) options_.output_dir = absolute.lexically_normal().string();
    while (options_.output_dir.size() > 1 && options_.output_dir.back() == '/') {
      options_.output_dir.pop_back();
    }
  }
}

Result<void> ScriptSink::Deliver(const Alert& alert) {
  HookFiles files;
  if (!options_.output_dir.empty()) {
    ASSIGN_OR_RETURN(files, WriteHookFiles(alert, AlertFactsOf(alert), options_.output_dir),
                     options_.name + " sink");
  }
  ChildProcess hook{.path = "/bin/sh",
                    .argv = {"/bin/sh", "-c", options_.command},
                    .environment = ChildEnvironment(kHookVariables, HookEnvironment(alert, files)),
                    .timeout = options_.timeout,
                    .what = "hook"};
  RETURN_IF_ERROR(RunChildProcess(hook), options_.name + " sink");
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
