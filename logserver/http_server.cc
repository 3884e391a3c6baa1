#include "logserver/http_server.h"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string_view>

#include "base/clock.h"
#include "base/terminal_text.h"
#include "ct/json_input.h"
#include "ct/tls_codec.h"
#include "logserver/static_ct_api.h"

namespace ctkit {

// JSON answers go out uncompressed: compressing a get-entries page costs more than the bytes it
// saves on loopback. Put a reverse proxy in front of the log to compress for remote clients.
constexpr const char* kJsonContentType = "application/json; charset=utf-8";
namespace {

using nlohmann::ordered_json;

uint64_t NowMs() { return static_cast<uint64_t>(UnixNowMs()); }

void SendJson(HttpResponse& res, const ordered_json& body, int status = 200) {
  res.Set(status, body.dump(), kJsonContentType);
}

void SendError(HttpResponse& res, const Error& error) {
  int status = error.code == ErrorCode::kInvalidArgument || error.code == ErrorCode::kMalformed
                   ? 400
               : error.code == ErrorCode::kNotFound ? 404
                                                    : 500;
  SendJson(res, {{"success", false}, {"error_message", error.message}}, status);
}

// A decimal query parameter (digits only).
Result<uint64_t> UintParam(const HttpRequest& req, const char* name) {
  const std::string* value = req.Param(name);
  if (value == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument, std::string("missing parameter ") + name);
  }
  if (value->empty() || value->size() > 19 ||
      value->find_first_not_of("0123456789") != std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("parameter ") + name + " is not a non-negative integer");
  }
  return std::stoull(*value);
}

ordered_json HashArray(const std::vector<MerkleHash>& hashes) {
  ordered_json array = ordered_json::array();
  for (const MerkleHash& hash : hashes) array.push_back(Base64Encode(hash));
  return array;
}

// Base64 of a signature's TLS encoding; our signer's signatures always fit.
std::string Base64Signature(const DigitallySigned& signature) {
  return Base64Encode(EncodeDigitallySigned(signature).value_or(Bytes()));
}

size_t Base64Size(size_t bytes) { return (bytes + 2) / 3 * 4; }

// RFC 6962 §4.6 response: {"entries": [{"leaf_input": base64, "extra_data": base64}, ...]}, the
// bytes nlohmann::json would print, written straight into one buffer of the right size: a full
// page is hundreds of kilobytes, and building a JSON tree of it first cost more than the query.
// Base64 needs no JSON escaping.
std::string EntriesJson(const std::vector<StoredEntry>& entries) {
  static constexpr std::string_view kOpen = R"({"entries":[)", kLeaf = R"({"leaf_input":")",
                                    kExtra = R"(","extra_data":")", kClose = R"("})", kEnd = "]}";
  size_t size = kOpen.size() + kEnd.size();
  for (const StoredEntry& entry : entries) {
    size += 1 + kLeaf.size() + Base64Size(entry.leaf_input.size()) + kExtra.size() +
            Base64Size(entry.extra_data.size()) + kClose.size();
  }
  std::string body;
  body.reserve(size);
  body += kOpen;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) body += ',';
    body += kLeaf;
    AppendBase64(body, entries[i].leaf_input);
    body += kExtra;
    AppendBase64(body, entries[i].extra_data);
    body += kClose;
  }
  body += kEnd;
  return body;
}

// RFC 6962 §4.1 request: {"chain": [base64 DER, ...]}.
Result<std::vector<Bytes>> ParseChainRequest(const std::string& body) {
  Result<nlohmann::json> json = ParseJson(body);
  if (!json) return std::unexpected(Error{ErrorCode::kInvalidArgument, json.error().message});
  if (!json->is_object() || !json->contains("chain") || !(*json)["chain"].is_array()) {
    return MakeError(ErrorCode::kInvalidArgument, "request needs a \"chain\" array");
  }
  std::vector<Bytes> chain;
  for (const nlohmann::json& item : (*json)["chain"]) {
    if (!item.is_string())
      return MakeError(ErrorCode::kInvalidArgument, "chain items must be strings");
    Result<Bytes> der = Base64Decode(item.get<std::string>());
    if (!der) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "chain item " + std::to_string(chain.size()) + ": " + der.error().message);
    }
    chain.push_back(std::move(*der));
  }
  return chain;
}

}  // namespace

LogHttpServer::LogHttpServer(LogService& service, HttpServerOptions options)
    : service_(service), options_(std::move(options)) {
  RegisterRoutes();
  // A worker per submitter that can wait on one group commit (logserver/log_database.h): the
  // workers bound how many submissions share one fsync. Connections, idle or slow, hold none.
  HttpLimits limits{.max_body_bytes = options_.max_body_bytes,
                    .max_connections = options_.max_connections,
                    .max_connections_per_address = options_.max_connections_per_address,
                    .io_threads = 2,
                    .workers = static_cast<unsigned>(std::max(1, options_.threads))};
  server_ = std::make_unique<HttpServer>(limits, [this](const HttpRequest& req, HttpResponse& res) {
    Handle(req, res);
    if (options_.log_requests) {
      std::fprintf(stderr, "%s %s %s %d\n", TerminalSafe(req.remote_address).c_str(),
                   TerminalSafe(req.method).c_str(), TerminalSafe(req.path).c_str(), res.status);
    }
  });
}

void LogHttpServer::Route(const char* method, std::string path, Handler handler) {
  routes_.push_back({method, std::move(path), std::move(handler)});
}

void LogHttpServer::Handle(const HttpRequest& req, HttpResponse& res) {
  if (options_.interceptor && options_.interceptor->Intercept(req, res)) return;
  if (!Admit()) {
    res.AddHeader("Retry-After", "1");
    return SendJson(res, {{"success", false}, {"error_message", "rate limit exceeded"}}, 429);
  }
  std::string_view method =
      req.method == "HEAD" ? std::string_view("GET") : std::string_view(req.method);
  bool path_known = false;
  for (const RouteEntry& route : routes_) {
    bool match =
        route.path.ends_with('/') ? req.path.starts_with(route.path) : req.path == route.path;
    if (!match) continue;
    path_known = true;
    if (method == route.method) return route.handler(req, res);
  }
  if (path_known) {
    return SendJson(res, {{"success", false}, {"error_message", "method not allowed"}}, 405);
  }
  SendJson(res, {{"success", false}, {"error_message", "not found"}}, 404);
}

void LogHttpServer::RegisterRoutes() {
  if (options_.static_ct_api) {
    // libmicrohttpd has already percent-decoded req.path; ServeStaticCtApi parses it strictly.
    auto serve_static = [this](const HttpRequest& req, HttpResponse& res) {
      StaticApiResponse answer = ServeStaticCtApi(service_, origin_, req.path);
      res.Set(answer.status, std::move(answer.body), answer.content_type);
      res.AddHeader("Cache-Control", answer.cache_control);
    };
    Route("GET", "/checkpoint", serve_static);
    Route("GET", "/tile/", serve_static);
    Route("GET", "/issuer/", serve_static);
  }
  if (options_.rfc6962_read_api) RegisterRfc6962ReadApi();
  Route("GET", "/ct/v1/get-roots", [this](const HttpRequest&, HttpResponse& res) {
    ordered_json roots = ordered_json::array();
    for (const CertificateView& root : service_.options().roots)
      roots.push_back(Base64Encode(root.der()));
    SendJson(res, {{"certificates", roots}});
  });
  for (bool precertificate : {false, true}) {
    Route("POST", precertificate ? "/ct/v1/add-pre-chain" : "/ct/v1/add-chain",
          [this, precertificate](const HttpRequest& req, HttpResponse& res) {
            Result<std::vector<Bytes>> chain = ParseChainRequest(req.body);
            if (!chain) return SendError(res, chain.error());
            Result<SignedCertificateTimestamp> sct =
                service_.AddChain(*chain, precertificate, NowMs());
            if (!sct) return SendError(res, sct.error());
            SendJson(res, {{"sct_version", 0},
                           {"id", Base64Encode(sct->log_id)},
                           {"timestamp", sct->timestamp_ms},
                           {"extensions", Base64Encode(sct->extensions)},
                           {"signature", Base64Signature(sct->signature)}});
          });
  }
}

void LogHttpServer::RegisterRfc6962ReadApi() {
  Route("GET", "/ct/v1/get-sth", [this](const HttpRequest&, HttpResponse& res) {
    Result<SignedTreeHead> head = service_.LatestHead();
    if (!head) return SendError(res, head.error());
    res.Set(200, SthToJson(*head), kJsonContentType);
  });
  Route("GET", "/ct/v1/get-sth-consistency", [this](const HttpRequest& req, HttpResponse& res) {
    Result<uint64_t> first = UintParam(req, "first");
    Result<uint64_t> second = first ? UintParam(req, "second") : first;
    if (!second) return SendError(res, second.error());
    Result<std::vector<MerkleHash>> proof = service_.ConsistencyProof(*first, *second);
    if (!proof) return SendError(res, proof.error());
    SendJson(res, {{"consistency", HashArray(*proof)}});
  });
  Route("GET", "/ct/v1/get-proof-by-hash", [this](const HttpRequest& req, HttpResponse& res) {
    Result<uint64_t> tree_size = UintParam(req, "tree_size");
    if (!tree_size) return SendError(res, tree_size.error());
    const std::string* hash_param = req.Param("hash");
    Result<MerkleHash> hash =
        hash_param != nullptr
            ? ParseMerkleHash(*hash_param)
            : Result<MerkleHash>(MakeError(ErrorCode::kInvalidArgument, "missing parameter hash"));
    if (!hash)
      return SendError(res, Error{ErrorCode::kInvalidArgument, "hash: " + hash.error().message});
    Result<InclusionAnswer> answer = service_.ProofByHash(*hash, *tree_size);
    if (!answer) return SendError(res, answer.error());
    SendJson(res,
             {{"leaf_index", answer->leaf_index}, {"audit_path", HashArray(answer->audit_path)}});
  });
  Route("GET", "/ct/v1/get-entries", [this](const HttpRequest& req, HttpResponse& res) {
    Result<uint64_t> start = UintParam(req, "start");
    Result<uint64_t> end = start ? UintParam(req, "end") : start;
    if (!end) return SendError(res, end.error());
    Result<std::vector<StoredEntry>> entries = service_.Entries(*start, *end);
    if (!entries) return SendError(res, entries.error());
    res.Set(200, EntriesJson(*entries), kJsonContentType);
  });
  Route("GET", "/ct/v1/get-entry-and-proof", [this](const HttpRequest& req, HttpResponse& res) {
    Result<uint64_t> index = UintParam(req, "leaf_index");
    Result<uint64_t> tree_size = index ? UintParam(req, "tree_size") : index;
    if (!tree_size) return SendError(res, tree_size.error());
    auto answer = service_.EntryAndProof(*index, *tree_size);
    if (!answer) return SendError(res, answer.error());
    SendJson(res, {{"leaf_input", Base64Encode(answer->first.leaf_input)},
                   {"extra_data", Base64Encode(answer->first.extra_data)},
                   {"audit_path", HashArray(answer->second)}});
  });
}

LogHttpServer::~LogHttpServer() { Stop(); }

bool LogHttpServer::Admit() {
  std::lock_guard lock(bucket_mutex_);
  return bucket_.TryTake(TokenBucket::Clock::now());
}

Result<void> LogHttpServer::Bind() {
  if (Result<void> listening = server_->Listen(options_.host, options_.port); !listening) {
    return listening;
  }
  port_ = server_->port();
  origin_ = options_.origin.empty() ? options_.host + ":" + std::to_string(port_) : options_.origin;
  if (options_.static_ct_api && !IsValidCheckpointOrigin(origin_)) {
    server_->Stop();
    return MakeError(ErrorCode::kInvalidArgument,
                     "checkpoint origin " + QuoteUntrusted(origin_) +
                         " must be non-empty, without spaces, '+' or control characters");
  }
  return {};
}

Result<void> LogHttpServer::Serve() {
  std::unique_lock lock(stop_mutex_);
  stopped_cv_.wait(lock, [this] { return stopped_; });
  return {};
}

void LogHttpServer::Stop() {
  // Never-ending answers would hold the connections.
  if (options_.interceptor) options_.interceptor->Stop();
  if (server_) server_->Stop();
  {
    std::lock_guard lock(stop_mutex_);
    stopped_ = true;
  }
  stopped_cv_.notify_all();
}

}  // namespace ctkit
