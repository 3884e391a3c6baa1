#include "faults/fault_injection.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>
#include <vector>

#include "base/sha256.h"

namespace ctkit {
namespace {

constexpr const char* kJsonType = "application/json; charset=utf-8";

constexpr std::pair<const char*, uint32_t> kModes[] = {
    {"bad-sth-signature", kFaultBadSthSignature},
    {"fork", kFaultFork},
    {"bad-entry", kFaultBadEntry},
    {"out-of-range", kFaultOutOfRange},
    {"extra-entries", kFaultExtraEntries},
    {"truncated", kFaultTruncated},
    {"cut-json", kFaultCutJson},
    {"oversized", kFaultOversized},
    {"slowloris", kFaultSlowloris},
    {"429", kFault429},
    {"429-retry-after", kFault429RetryAfter},
};

// "start" and "end" of a get-entries request, when both are plain decimals.
bool EntriesRange(const HttpRequest& req, uint64_t& start, uint64_t& end) {
  for (const char* name : {"start", "end"}) {
    const std::string* value = req.Param(name);
    if (value == nullptr || value->empty() || value->size() > 19 ||
        value->find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
  }
  start = std::stoull(*req.Param("start"));
  end = std::stoull(*req.Param("end"));
  return start <= end;
}

std::string EntriesBody(const std::vector<StoredEntry>& entries) {
  nlohmann::json array = nlohmann::json::array();
  for (const StoredEntry& entry : entries) {
    array.push_back({{"leaf_input", Base64Encode(entry.leaf_input)},
                     {"extra_data", Base64Encode(entry.extra_data)}});
  }
  return nlohmann::json{{"entries", array}}.dump();
}

}  // namespace

Result<uint32_t> ParseLogFaults(std::string_view text) {
  uint32_t faults = 0;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view name = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    while (!name.empty() && (name.back() == '\n' || name.back() == '\r' || name.back() == ' ')) {
      name.remove_suffix(1);
    }
    if (name.empty() || name == "none") continue;
    bool known = false;
    for (const auto& [mode, bit] : kModes) {
      if (name == mode) {
        faults |= bit;
        known = true;
      }
    }
    if (!known) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "unknown fault " + QuoteUntrusted(std::string(name)));
    }
  }
  return faults;
}

std::string LogFaultsToString(uint32_t faults) {
  std::string text;
  for (const auto& [mode, bit] : kModes) {
    if (faults & bit) text += (text.empty() ? "" : ",") + std::string(mode);
  }
  return text.empty() ? "none" : text;
}

std::string FaultInjector::RealBody(const HttpRequest& req) {
  if (req.path == "/ct/v1/get-sth") {
    Result<SignedTreeHead> head = service_.LatestHead();
    return head ? SthToJson(*head) : std::string();
  }
  uint64_t start = 0, end = 0;
  if (req.path == "/ct/v1/get-entries" && EntriesRange(req, start, end)) {
    Result<std::vector<StoredEntry>> entries = service_.Entries(start, end);
    return entries ? EntriesBody(*entries) : std::string();
  }
  return {};
}

bool FaultInjector::ServeSth(HttpResponse& res, uint32_t faults) {
  Result<SignedTreeHead> head = service_.LatestHead();
  if (!head) return false;
  SignedTreeHead served = *head;
  if (faults & kFaultFork) {
    // Same size, another root, signed by the log's own key: a split view (RFC 6962 §2.1.2).
    // Once the real tree has grown past a head the client holds, the log's consistency proof
    // to this size cannot lead to this root either.
    Bytes seed(served.root_hash.begin(), served.root_hash.end());
    seed.push_back('F');
    Sha256Digest other = Sha256(seed);
    std::copy(other.begin(), other.end(), served.root_hash.begin());
    Result<SignedTreeHead> signed_fork =
        SignTreeHead(served.tree_size, served.timestamp_ms, served.root_hash, service_.signer());
    if (!signed_fork) return false;
    served = *signed_fork;
  }
  if (faults & kFaultBadSthSignature) {
    // The signature stays a well-formed ECDSA signature by the log's key, over the head with
    // its real timestamp: verifying it against the served timestamp fails (RFC 6962 §3.5).
    served.timestamp_ms += 1;
  }
  res.Set(200, SthToJson(served), kJsonType);
  return true;
}

bool FaultInjector::ServeEntries(const HttpRequest& req, HttpResponse& res, uint32_t faults) {
  uint64_t start = 0, end = 0;
  if (!EntriesRange(req, start, end)) return false;
  Result<SignedTreeHead> head = service_.LatestHead();
  if (!head || start >= head->tree_size) return false;
  Result<std::vector<StoredEntry>> entries;
  if (faults & kFaultOutOfRange) {
    // Other entries than asked for: the next ones, or the previous ones at the tree's end.
    bool next = start + 1 < head->tree_size || start == 0;
    entries = next ? service_.Entries(start + 1, end + 1) : service_.Entries(start - 1, end - 1);
  } else {
    entries = service_.Entries(start, end);
  }
  if (!entries || entries->empty()) return false;
  if ((faults & kFaultBadEntry) && (*entries)[0].leaf_input.size() > 9) {
    // MerkleTreeLeaf: version, leaf_type, then the 8-byte timestamp (RFC 6962 §3.4). The last
    // timestamp byte changes the leaf hash and nothing else: the certificate still parses.
    (*entries)[0].leaf_input[9] ^= 0x01;
  }
  if (faults & kFaultExtraEntries) {
    StoredEntry copy = entries->back();
    for (int i = 0; i < 8; ++i) entries->push_back(copy);
  }
  res.Set(200, EntriesBody(*entries), kJsonType);
  return true;
}

void FaultInjector::HandleSetRequest(const HttpRequest& req, HttpResponse& res) {
  Result<uint32_t> parsed = ParseLogFaults(req.body);
  if (!parsed) {
    res.Set(400, parsed.error().message + "\n", "text/plain");
    return;
  }
  Set(*parsed);
  res.Set(200, LogFaultsToString(*parsed) + "\n", "text/plain");
}

bool FaultInjector::Intercept(const HttpRequest& req, HttpResponse& res) {
  if (req.path == "/ctkit-test/fault" && req.method == "POST") {
    HandleSetRequest(req, res);
    return true;
  }
  uint32_t faults = faults_;
  if (faults == 0 || !req.path.starts_with("/ct/v1/get-")) return false;

  if (faults & (kFault429 | kFault429RetryAfter)) {
    // RFC 6585 §4: Retry-After is optional; both kinds of storm happen.
    if (faults & kFault429RetryAfter) res.AddHeader("Retry-After", "1");
    res.Set(429, R"({"success":false,"error_message":"rate limit exceeded"})", kJsonType);
    return true;
  }
  if (faults & kFaultOversized) {
    res.Set(200, "", kJsonType);
    res.stream = std::make_shared<HttpStream>();
    res.stream->next = [this](uint64_t offset) -> std::optional<std::string> {
      // '[' nests deeper with every byte: a client that parses before bounding pays for it.
      if (stopping_ || offset >= (uint64_t{1} << 30)) return std::string();
      return std::string(64 * 1024, '[');
    };
    return true;
  }
  if ((faults & kFaultSlowloris) && req.path == "/ct/v1/get-entries") {
    res.Set(200, "", kJsonType);
    res.stream = std::make_shared<HttpStream>();
    res.stream->next = [this](uint64_t) -> std::optional<std::string> {
      // Sleeps on an event-loop thread of the log under test: test-only, and the loop's other
      // connections wait with it.
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      if (stopping_) return std::nullopt;
      return std::string(" ");
    };
    return true;
  }
  bool truncate = (faults & kFaultTruncated) && req.path == "/ct/v1/get-entries";
  bool cut = (faults & kFaultCutJson) && req.path == "/ct/v1/get-sth";
  if (truncate || cut) {
    std::string body = RealBody(req);
    if (body.empty()) return false;
    if (cut) {
      res.Set(200, body.substr(0, body.size() / 2), kJsonType);
      return true;
    }
    res.Set(200, "", kJsonType);
    res.stream = std::make_shared<HttpStream>();
    res.stream->content_length = body.size();
    res.stream->next = [body = std::move(body)](uint64_t offset) -> std::optional<std::string> {
      if (offset == 0) return body.substr(0, body.size() / 2);
      return std::nullopt;  // drops the connection short of Content-Length
    };
    return true;
  }
  if (req.path == "/ct/v1/get-sth" && (faults & (kFaultBadSthSignature | kFaultFork))) {
    return ServeSth(res, faults);
  }
  if (req.path == "/ct/v1/get-entries" &&
      (faults & (kFaultBadEntry | kFaultOutOfRange | kFaultExtraEntries))) {
    return ServeEntries(req, res, faults);
  }
  return false;
}

}  // namespace ctkit
