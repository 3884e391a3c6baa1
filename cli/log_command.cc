// `ctkit log keygen`, `ctkit log pubkey` and `ctkit log serve`: run a small, durable CT log
// (logserver/). The client commands of `ctkit log` (sth, entries, consistency, inclusion) are in
// log_client_commands.cc.

#include <cstdio>
#include <memory>
#include <string>

#include "base/clock.h"
#include "base/input_file.h"
#include "base/output_file.h"
#include "cli/command.h"
#include "cli/test_hooks.h"
#include "ct/log_signer.h"
#include "httpd/listen_address.h"
#include "logclient/log_target.h"
#include "logserver/http_server.h"
#include "logserver/log_serve_settings.h"
#include "logserver/log_service.h"
#include "logserver/serve_loop.h"
#include "logserver/static_ct_api.h"
#include "x509/pem.h"

namespace ctkit::cli {
namespace {

uint64_t NowMs() { return static_cast<uint64_t>(UnixNowMs()); }

struct KeygenOptions {
  std::string out;
  bool force = false;  // replace an existing --out file
};

Outcome<int> RunKeygen(const KeygenOptions& options) {
  ASSIGN_OR_RETURN(std::shared_ptr<const LogSigner> signer,
                   OrExit(LogSigner::Generate(), kExitUsage));
  // Never over an existing key without --force (it may be a live log's); 0600: it is a secret.
  RETURN_IF_ERROR(
      OrExit(WriteSecretOutput(options.out, signer->PrivateKeyPem(), options.force), kExitUsage));
  // With the key on standard output (--out -), the rest goes to stderr.
  std::FILE* info = IsStandardOutput(options.out) ? stderr : stdout;
  std::fprintf(info, "private key: %s\n", options.out.c_str());
  std::fprintf(info, "public key:  %s\n", Base64Encode(signer->public_key_der()).c_str());
  std::fprintf(info, "log ID:      %s\n", Base64Encode(signer->log_id()).c_str());
  return kExitOk;
}

// `log pubkey KEY`: the public key of a log key file (logclient/log_target.h ParseLogKeyFile:
// the private key keygen writes, or a public key), as PEM, and its log ID (RFC 6962 §3.2: the
// SHA-256 of the DER SubjectPublicKeyInfo, ct/log_key.h).
Outcome<int> RunPubkey(const std::string& path) {
  ASSIGN_OR_RETURN(Bytes data, OrExit(ReadInputFile(path), kExitUsage));
  ASSIGN_OR_RETURN(std::shared_ptr<const LogKey> key,
                   OrExit(ParseLogKeyFile(data), kExitUsage, path));
  std::printf("%s", PemEncode("PUBLIC KEY", key->spki_der()).c_str());
  std::printf("log ID (base64): %s\n", Base64Encode(key->log_id()).c_str());
  std::printf("log ID (hex):    %s\n", HexEncode(key->log_id()).c_str());
  return kExitOk;
}

using ServeOptions = LogServeSettings;

// --key, --db, --listen, and which chains the log accepts.
void AddServeLogFlags(CLI::App* serve_command, ServeOptions* serve) {
  serve_command->add_option("--key", serve->key_file, "The log's private key (ctkit log keygen)")
      ->required();
  serve_command->add_option("--db", serve->db_file, "SQLite database file (created if missing)")
      ->required();
  serve_command
      ->add_option("--listen", serve->listen,
                   "ADDRESS:PORT to listen on; port 0 picks a free one and prints it")
      ->capture_default_str();
  CLI::Option* roots = serve_command->add_option(
      "--roots", serve->roots_file,
      "PEM file of accepted roots: every chain must end at one (required unless "
      "--accept-any-root)");
  serve_command
      ->add_flag("--accept-any-root", serve->accept_any_root,
                 "Accept chains to any root: a staging log (needed when --roots is not given)")
      ->excludes(roots);
  serve_command
      ->add_option("--max-cert-bytes", serve->max_cert_bytes,
                   "Largest certificate (DER bytes) a submitted chain may hold")
      ->check(CLI::Range(size_t{1}, size_t{1} << 20))
      ->capture_default_str();
  serve_command
      ->add_option("--max-chain-length", serve->max_chain_length,
                   "Most certificates a submitted chain may have, leaf included")
      ->check(CLI::Range(size_t{1}, size_t{100}))
      ->capture_default_str();
}

// How the log sequences and serves: MMD, batches, APIs, origin, rate, threads.
void AddServeServingFlags(CLI::App* serve_command, ServeOptions* serve) {
  serve_command
      ->add_option("--mmd", serve->mmd_seconds,
                   "Maximum merge delay in seconds: entries are in a signed tree head "
                   "within it, and heads are refreshed at half of it")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve_command->add_option("--max-batch", serve->max_batch, "Most entries one get-entries returns")
      ->check(CLI::Range(uint64_t{1}, uint64_t{100000}))
      ->capture_default_str();
  serve_command
      ->add_option("--api", serve->api,
                   "Read API to offer: rfc6962 (/ct/v1/get-*), static (C2SP "
                   "static-ct-api: /checkpoint, /tile/..., /issuer/...; SCTs carry "
                   "leaf_index) or both. Submissions always use RFC 6962 "
                   "add-chain/add-pre-chain")
      ->check(CLI::IsMember({"rfc6962", "static", "both"}))
      ->capture_default_str();
  serve_command->add_option("--origin", serve->origin,
                            "Checkpoint origin and note key name for the static API: the "
                            "submission URL without scheme or trailing slash (default: "
                            "ADDRESS:PORT as listening)");
  serve_command
      ->add_option("--rate-limit", serve->rate_limit,
                   "Requests per second before answering 429 (default: unlimited)")
      ->check(CLI::NonNegativeNumber);
  serve_command
      ->add_option("--threads", serve->threads,
                   "HTTP worker threads: each serves one kept-alive connection at a "
                   "time, so this bounds the clients served at once")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  serve_command->add_flag("--log-requests", serve->log_requests,
                          "Log one line per request to stderr");
}

Outcome<int> RunServe(const ServeOptions& options) {
  if (options.roots_file.empty() && !options.accept_any_root) {
    return Fail(kExitUsage,
                "--roots PEM is required (or --accept-any-root, for a staging log that accepts "
                "any chain)");
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const LogSigner> signer,
                   OrExit(ReadLogSigner(options.key_file), kExitUsage));
  ASSIGN_OR_RETURN(ListenAddress listen,
                   OrExit(ParseListenAddress(options.listen, "--listen"), kExitUsage));
  if (TestHooks() != nullptr) RETURN_IF_ERROR(OrExit(TestHooks()->Check(), kExitUsage));
  if (!options.origin.empty() && !IsValidCheckpointOrigin(options.origin)) {
    return Fail(kExitUsage,
                "--origin must be non-empty, without spaces, '+' or control characters");
  }
  ASSIGN_OR_RETURN(LogServiceOptions service_options,
                   OrExit(LogServiceOptionsOf(options), kExitUsage));
  ASSIGN_OR_RETURN(
      std::unique_ptr<LogService> service,
      OrExit(LogService::Open(options.db_file, signer, std::move(service_options), NowMs()),
             kExitUsage));
  // Blocked before any thread starts, so only ServeUntilStopped's sigwait takes them.
  const sigset_t stop_signals = BlockStopSignals();
  HttpServerOptions http = HttpServerOptionsOf(options, listen);
  if (TestHooks() != nullptr) http.interceptor = TestHooks()->MakeInterceptor(*service);
  LogHttpServer server(*service, std::move(http));
  RETURN_IF_ERROR(OrExit(server.Bind(), kExitUsage));
  if (options.accept_any_root) {
    std::fprintf(stderr,
                 "ctkit log serve: --accept-any-root: accepting any chain, whatever its root "
                 "(a staging log)\n");
  }
  std::printf("listening on %s:%d\nlog ID: %s\n", listen.host.c_str(), server.port(),
              Base64Encode(signer->log_id()).c_str());
  if (options.api != "rfc6962") std::printf("checkpoint origin: %s\n", server.origin().c_str());
  std::fflush(stdout);
  const auto mmd_ms = static_cast<uint64_t>(options.mmd_seconds * 1000);
  auto warn = [](const std::string& line) {
    std::fprintf(stderr, "ctkit log serve: %s\n", line.c_str());
  };
  RETURN_IF_ERROR(
      OrExit(ServeUntilSignalled(server, *service, mmd_ms, stop_signals, warn), kExitUsage));
  return kExitOk;
}

}  // namespace

CLI::App* AddLogCommand(CLI::App& app, Action& run) {
  CLI::App* log = app.add_subcommand("log", "Run a local CT log, or talk to a CT log");
  log->require_subcommand(1);

  auto keygen = std::make_shared<KeygenOptions>();
  CLI::App* keygen_command =
      log->add_subcommand("keygen", "Create a log signing key (ECDSA P-256, PKCS#8 PEM)");
  keygen_command
      ->add_option("--out", keygen->out,
                   "File to create, mode 0600 (an existing one only with --force); - for stdout")
      ->type_name("FILE")
      ->required();
  keygen_command->add_flag("--force", keygen->force,
                           "Replace an existing --out file (never through a symbolic link)");
  RunOnParse(keygen_command, run, keygen,
             [](const KeygenOptions& parsed) { return Reported(RunKeygen(parsed), "log keygen"); });

  auto pubkey = std::make_shared<std::string>();
  CLI::App* pubkey_command = log->add_subcommand(
      "pubkey", "Print a log's public key (PEM) and log ID (base64 and hex) from its key file");
  pubkey_command
      ->add_option("KEY", *pubkey,
                   "The log's private key (ctkit log keygen) or public key (PEM or DER); - for "
                   "stdin")
      ->required();
  RunOnParse(pubkey_command, run, pubkey,
             [](const std::string& parsed) { return Reported(RunPubkey(parsed), "log pubkey"); });

  auto serve = std::make_shared<ServeOptions>();
  CLI::App* serve_command = log->add_subcommand(
      "serve",
      "Run a CT log (RFC 6962 and/or static-ct-api read API) backed by SQLite, until SIGTERM or "
      "SIGINT");
  AddServeLogFlags(serve_command, serve.get());
  AddServeServingFlags(serve_command, serve.get());
  // Test-only, so hidden from --help (an empty group): docs/monitor.md "Misbehaving logs".
  if (TestHooks() != nullptr) TestHooks()->AddFlags(*serve_command);
  RunOnParse(serve_command, run, serve,
             [](const ServeOptions& parsed) { return Reported(RunServe(parsed), "log serve"); });
  return log;
}

}  // namespace ctkit::cli
