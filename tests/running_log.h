// A real CT log inside the test process: LogService behind LogHttpServer on 127.0.0.1 (port
// chosen at run time), served on its own thread. Entries are integrated when the test says so
// (Integrate), so a test controls exactly which tree heads exist.

#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "base/clock.h"
#include "ct/log_list_writer.h"
#include "ct/log_signer.h"
#include "logserver/http_server.h"
#include "logserver/log_service.h"

namespace ctkit::testing {

struct RunningLog {
  RunningLog(const std::string& dir, const std::string& name, const std::string& operator_name,
             LogServiceOptions service_options = {}, HttpServerOptions http_options = {})
      : signer(*LogSigner::Generate()) {
    // A staging log (accepts chains to any root) unless given roots.
    if (service_options.roots.empty()) service_options.accept_any_root = true;
    service = std::move(*LogService::Open(dir + "/" + name + ".db", signer,
                                          std::move(service_options), UnixNowMs()));
    server = std::make_unique<LogHttpServer>(*service, http_options);
    EXPECT_TRUE(server->Bind());
    thread = std::thread([this] { (void)server->Serve(); });
    entry = {.operator_name = operator_name,
             .description = name,
             .url = "http://127.0.0.1:" + std::to_string(server->port()) + "/",
             .key_der = signer->public_key_der()};
  }
  ~RunningLog() { Stop(); }
  void Stop() {
    if (thread.joinable()) {
      server->Stop();
      thread.join();
    }
  }
  // Sequences everything submitted and signs a fresh head.
  SignedTreeHead Integrate() {
    Result<SignedTreeHead> head = service->Integrate(UnixNowMs(), 0);
    EXPECT_TRUE(head) << (head ? "" : head.error().message);
    return head ? *head : SignedTreeHead{};
  }

  std::shared_ptr<const LogSigner> signer;
  std::unique_ptr<LogService> service;
  std::unique_ptr<LogHttpServer> server;
  std::thread thread;
  LogListEntry entry;
};

}  // namespace ctkit::testing
