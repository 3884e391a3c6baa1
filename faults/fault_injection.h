// Test-only fault injection for `ctkit-faults log serve --test-faults`: makes the log misbehave
// the ways a monitor must survive (docs/monitor.md, "Misbehaving logs"). It can sign false tree
// heads with the log's key, so it is not in the installed `ctkit`: only the `ctkit-faults` binary
// the tests build links faults/ (faults/cli/test_hooks.cc adds its flags).
//
// The faults in force are switched at run time, so a test can make a log misbehave and then
// recover without restarting it:
//
//   POST /ctkit-test/fault   body "fork" or "bad-entry,429" or "" (none); answers the set in force
//
// That endpoint exists only when the server was started with faults enabled. Faults apply to the
// RFC 6962 read API (/ct/v1/get-*); submissions and the static-ct-api endpoints are untouched.
//
//   bad-sth-signature  get-sth: the latest head with a signature over other bytes (a valid ECDSA
//                      signature by the log's key, just not over this head)
//   fork               get-sth: a head of the current size over a different root, validly
//                      signed with the log's key: only a consistency check can catch it
//   bad-entry          get-entries: the first entry's timestamp altered, so the certificate
//                      parses as before but the leaf hash is not the tree's
//   out-of-range       get-entries: the entries after the ones asked for (start+1 .. end+1)
//   extra-entries      get-entries: more entries than asked for (up to end+8)
//   truncated          get-entries: the full Content-Length announced, half the body sent,
//                      then the connection dropped
//   cut-json           get-sth: a complete HTTP answer whose JSON is cut in half
//   oversized          any read: a chunked body of junk that never ends (up to 1 GiB)
//   slowloris          get-entries: headers, then one body byte every 200 ms, forever
//   429                any read: 429 Too Many Requests without Retry-After
//   429-retry-after    any read: 429 with "Retry-After: 1"

#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "base/error.h"
#include "httpd/http_server.h"
#include "logserver/http_server.h"
#include "logserver/log_service.h"

namespace ctkit {

enum LogFault : uint32_t {
  kFaultBadSthSignature = 1u << 0,
  kFaultFork = 1u << 1,
  kFaultBadEntry = 1u << 2,
  kFaultOutOfRange = 1u << 3,
  kFaultExtraEntries = 1u << 4,
  kFaultTruncated = 1u << 5,
  kFaultCutJson = 1u << 6,
  kFaultOversized = 1u << 7,
  kFaultSlowloris = 1u << 8,
  kFault429 = 1u << 9,
  kFault429RetryAfter = 1u << 10,
};

// "fork,bad-entry" -> the bit set; "" or "none" -> 0. kInvalidArgument names an unknown mode.
Result<uint32_t> ParseLogFaults(std::string_view text);
// The bit set as "fork,bad-entry" ("none" when empty).
std::string LogFaultsToString(uint32_t faults);

class FaultInjector : public RequestInterceptor {
 public:
  explicit FaultInjector(LogService& service) : service_(service) {}

  void Set(uint32_t faults) { faults_ = faults; }
  uint32_t faults() const { return faults_; }

  // POST /ctkit-test/fault (the body names the faults to put in force; 400 for an unknown one),
  // or `req` answered with the fault in force for it: true. False lets the log answer.
  bool Intercept(const HttpRequest& req, HttpResponse& res) override;

  // Ends every never-ending answer (slowloris, oversized) so the server can stop.
  void Stop() override { stopping_ = true; }

 private:
  // The body the log would send for get-sth or get-entries; empty for other paths.
  std::string RealBody(const HttpRequest& req);
  bool ServeEntries(const HttpRequest& req, HttpResponse& res, uint32_t faults);
  bool ServeSth(HttpResponse& res, uint32_t faults);
  void HandleSetRequest(const HttpRequest& req, HttpResponse& res);

  LogService& service_;
  std::atomic<uint32_t> faults_{0};
  std::atomic<bool> stopping_{false};
};

}  // namespace ctkit
