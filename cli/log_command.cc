// `ctkit log keygen` and `ctkit log serve`: run a small, durable CT log (logserver/). The client
// commands of `ctkit log` (sth, entries, consistency, inclusion) are in log_client_commands.cc.

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "base/clock.h"
#include "base/secret_file.h"
#include "cli/command.h"
#include "cli/input.h"
#include "cli/test_hooks.h"
#include "ct/log_signer.h"
#include "logserver/http_server.h"
#include "logserver/log_service.h"
#include "logserver/static_ct_api.h"
#include "x509/pem.h"

namespace ctkit::cli {
namespace {

uint64_t NowMs() { return static_cast<uint64_t>(UnixNowMs()); }

struct KeygenOptions {
  std::string out;
  bool force = false;  // replace an existing --out file
};

int RunKeygen(const KeygenOptions& options) {
  Result<std::shared_ptr<const LogSigner>> signer = LogSigner::Generate();
  if (!signer) {
    PrintError("log keygen: " + signer.error().message);
    return kExitUsage;
  }
  // Never over an existing key without --force (it may be a live log's); 0600: it is a secret.
  if (Result<void> written =
          WriteNewSecretFile(options.out, (*signer)->PrivateKeyPem(), options.force);
      !written) {
    PrintError("log keygen: " + written.error().message);
    return kExitUsage;
  }
  std::printf("private key: %s\n", options.out.c_str());
  std::printf("public key:  %s\n", Base64Encode((*signer)->public_key_der()).c_str());
  std::printf("log ID:      %s\n", Base64Encode((*signer)->log_id()).c_str());
  return kExitOk;
}

struct ServeOptions {
  std::string key_file;
  std::string db_file;
  std::string listen = "127.0.0.1:0";
  std::string roots_file;
  bool accept_any_root = false;
  size_t max_cert_bytes = LogServiceOptions{}.max_cert_bytes;
  size_t max_chain_length = LogServiceOptions{}.max_chain_length;
  double mmd_seconds = 1;
  uint64_t max_batch = 256;
  std::string api = "rfc6962";  // rfc6962 | static | both
  std::string origin;           // static-ct-api checkpoint origin; empty: <host>:<port>
  double rate_limit = 0;
  int threads = HttpServerOptions{}.threads;
  bool log_requests = false;
};

int RunServe(const ServeOptions& options) {
  // RFC 6962 §3.1: a log accepts chains to its roots; accepting any is a choice said aloud.
  if (options.roots_file.empty() && !options.accept_any_root) {
    PrintError(
        "log serve: --roots PEM is required (or --accept-any-root, for a staging log that "
        "accepts any chain)");
    return kExitUsage;
  }
  Result<Bytes> key_pem = ReadInputFile(options.key_file);
  if (!key_pem) {
    PrintError("log serve: --key: " + key_pem.error().message);
    return kExitUsage;
  }
  Result<std::shared_ptr<const LogSigner>> signer =
      LogSigner::FromPem(std::string_view(reinterpret_cast<const char*>(key_pem->data()), key_pem->size()));
  if (!signer) {
    PrintError("log serve: --key " + options.key_file + ": " + signer.error().message);
    return kExitUsage;
  }
  size_t colon = options.listen.rfind(':');
  int port = -1;
  if (colon != std::string::npos) {
    std::string digits = options.listen.substr(colon + 1);
    if (!digits.empty() && digits.size() <= 5 && digits.find_first_not_of("0123456789") == std::string::npos) {
      port = std::stoi(digits);
    }
  }
  if (port < 0 || port > 65535) {
    PrintError("log serve: --listen must be ADDRESS:PORT, e.g. 127.0.0.1:0");
    return kExitUsage;
  }
  bool static_api = options.api == "static" || options.api == "both";
  if (TestHooks() != nullptr) {
    if (Result<void> checked = TestHooks()->Check(); !checked) {
      PrintError("log serve: " + checked.error().message);
      return kExitUsage;
    }
  }
  if (!options.origin.empty() && !IsValidCheckpointOrigin(options.origin)) {
    PrintError("log serve: --origin must be non-empty, without spaces, '+' or control characters");
    return kExitUsage;
  }
  // static-ct-api "SCT Extension": static API logs "MUST include a leaf_index extension".
  LogServiceOptions service_options{.accept_any_root = options.accept_any_root,
                                    .sct_leaf_index = static_api,
                                    .max_chain_length = options.max_chain_length,
                                    .max_cert_bytes = options.max_cert_bytes,
                                    .max_get_entries = options.max_batch};
  if (!options.roots_file.empty()) {
    Result<Bytes> roots = ReadInputFile(options.roots_file);
    Result<std::vector<CertificateView>> parsed =
        roots ? ParseCertificateInput(*roots) : Result<std::vector<CertificateView>>(std::unexpected(roots.error()));
    if (!parsed) {
      PrintError("log serve: --roots " + options.roots_file + ": " + parsed.error().message);
      return kExitUsage;
    }
    service_options.roots = std::move(*parsed);
  }
  Result<std::unique_ptr<LogService>> service =
      LogService::Open(options.db_file, *signer, std::move(service_options), NowMs());
  if (!service) {
    PrintError("log serve: " + service.error().message);
    return kExitUsage;
  }

  // SIGTERM / SIGINT are taken by a thread of their own (sigwait), so shutdown is an orderly
  // call rather than work inside a signal handler. Block them before any thread starts.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  LogHttpServer server(**service, {.host = options.listen.substr(0, colon),
                                   .port = port,
                                   .rate_limit_per_second = options.rate_limit,
                                   .log_requests = options.log_requests,
                                   .threads = options.threads,
                                   .rfc6962_read_api = options.api != "static",
                                   .static_ct_api = static_api,
                                   .origin = options.origin,
                                   .interceptor = TestHooks() != nullptr
                                                      ? TestHooks()->MakeInterceptor(**service)
                                                      : nullptr});
  if (Result<void> bound = server.Bind(); !bound) {
    PrintError("log serve: " + bound.error().message);
    return kExitUsage;
  }
  if (options.accept_any_root) {
    std::fprintf(stderr,
                 "ctkit log serve: --accept-any-root: accepting any chain, whatever its root "
                 "(a staging log)\n");
  }
  std::printf("listening on %s:%d\nlog ID: %s\n", options.listen.substr(0, colon).c_str(),
              server.port(), Base64Encode((*signer)->log_id()).c_str());
  if (static_api) std::printf("checkpoint origin: %s\n", server.origin().c_str());
  std::fflush(stdout);

  std::atomic<bool> stopping = false;
  std::mutex mutex;
  std::condition_variable wake;
  // The sequencer: integrates new entries several times per MMD and keeps heads fresh, so no
  // accepted entry waits longer than the MMD (RFC 6962 §3) and heads are never older than it.
  uint64_t mmd_ms = static_cast<uint64_t>(options.mmd_seconds * 1000);
  auto interval = std::chrono::milliseconds(std::max<uint64_t>(10, std::min<uint64_t>(200, mmd_ms / 4)));
  std::thread sequencer([&] {
    std::unique_lock lock(mutex);
    while (!stopping) {
      wake.wait_for(lock, interval, [&] { return stopping.load(); });
      if (stopping) break;
      Result<SignedTreeHead> head = (*service)->Integrate(NowMs(), mmd_ms / 2);
      if (!head) std::fprintf(stderr, "ctkit log serve: sequencer: %s\n", head.error().message.c_str());
    }
  });
  std::thread signals([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    server.Stop();
  });

  Result<void> served = server.Serve();
  {
    std::lock_guard lock(mutex);
    stopping = true;
  }
  wake.notify_all();
  sequencer.join();
  // Integrate what was accepted before stopping, so a clean shutdown leaves nothing pending.
  (void)(*service)->Integrate(NowMs(), 0);
  if (signals.joinable()) {
    pthread_kill(signals.native_handle(), SIGTERM);  // wake sigwait if Serve ended on its own
    signals.join();
  }
  if (!served) {
    PrintError("log serve: " + served.error().message);
    return kExitUsage;
  }
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
                   "File to create, mode 0600 (an existing one only with --force)")
      ->required();
  keygen_command->add_flag("--force", keygen->force,
                           "Replace an existing --out file (never through a symbolic link)");
  keygen_command->callback([keygen, &run] { run = [keygen] { return RunKeygen(*keygen); }; });

  auto serve = std::make_shared<ServeOptions>();
  CLI::App* serve_command = log->add_subcommand(
      "serve",
      "Run a CT log (RFC 6962 and/or static-ct-api read API) backed by SQLite, until SIGTERM or "
      "SIGINT");
  serve_command->add_option("--key", serve->key_file, "The log's private key (ctkit log keygen)")
      ->required();
  serve_command->add_option("--db", serve->db_file, "SQLite database file (created if missing)")
      ->required();
  serve_command->add_option("--listen", serve->listen,
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
  serve_command->add_option("--mmd", serve->mmd_seconds,
                            "Maximum merge delay in seconds: entries are in a signed tree head "
                            "within it, and heads are refreshed at half of it")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve_command->add_option("--max-batch", serve->max_batch, "Most entries one get-entries returns")
      ->check(CLI::Range(uint64_t{1}, uint64_t{100000}))
      ->capture_default_str();
  serve_command->add_option("--api", serve->api,
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
  serve_command->add_option("--rate-limit", serve->rate_limit,
                            "Requests per second before answering 429 (default: unlimited)")
      ->check(CLI::NonNegativeNumber);
  serve_command->add_option("--threads", serve->threads,
                            "HTTP worker threads: each serves one kept-alive connection at a "
                            "time, so this bounds the clients served at once")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  serve_command->add_flag("--log-requests", serve->log_requests, "Log one line per request to stderr");
  // Test-only, so hidden from --help (an empty group): docs/monitor.md "Misbehaving logs".
  if (TestHooks() != nullptr) TestHooks()->AddFlags(*serve_command);
  serve_command->callback([serve, &run] { run = [serve] { return RunServe(*serve); }; });
  return log;
}

}  // namespace ctkit::cli
