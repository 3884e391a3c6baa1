// What `ctkit monitor query` and `ctkit monitor status` print from a monitor's database, as text
// for people or as JSON (docs/json-output.md; written by base/json_text.h: JSON Lines for the
// findings, one document for the status). Text puts whatever certificates and logs said
// through TerminalSafe (base/terminal_text.h): one inert line each.
//
//   Result<std::unique_ptr<MonitorStore>> store = OpenMonitorDatabase("m.db");
//   Result<std::string> text = FindingsReport(**store, {.domain = "example.com"}, false);

#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/error.h"
#include "monitor/monitor_store.h"

namespace ctkit {

// An existing monitor database, opened: kNotFound "DB: no such database" when it is not there
// or cannot be read (MonitorStore::Open would create an empty one), else Open's errors.
Result<std::unique_ptr<MonitorStore>> OpenMonitorDatabase(const std::string& db);

// The findings `query` selects (its domain normalized as the watchlist's names are): JSON, one
// object a line (FindingToJson, monitor/alerts.h); text, three lines each:
//   UNEXPECTED www.example.com,example.com
//              issuer CN=Rogue CA, serial 01, valid 2026-01-01T00:00:00Z to 2026-04-01T...
//              in https://log.example/#12
Result<std::string> FindingsReport(MonitorStore& store, FindingQuery query, bool json);

// Each log's position, lag, last head and last error, then the deliveries still pending or
// given up per sink. JSON: the object of the HTTP side's /api/logs (LogsStatusJson).
Result<std::string> StatusReport(MonitorStore& store, bool json, int64_t now_ms);

}  // namespace ctkit
