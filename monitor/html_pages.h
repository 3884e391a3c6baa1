// The monitor's web pages, rendered on the server as plain HTML with a little inline CSS: no
// script, no external asset, so they work offline and under a CSP that forbids both. Every
// value goes through HtmlEscape (monitor/html.h); these functions are the only place that
// writes markup.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "monitor/monitor_store.h"

namespace ctkit {

struct FindingsPageData {
  std::string query;                     // the search as typed (/?q=), empty for none
  std::vector<std::string> watch_items;  // the watchlist, so domains without findings show too
  std::vector<Finding> findings;         // what to show (already filtered by the search)
  bool truncated = false;                // more findings exist than are shown
  FindingCounts totals;                  // over the whole database
  std::vector<MonitoredLog> logs;
  std::vector<StoredAlert> alerts;  // newest first
  bool healthy = false;
  std::vector<std::string> health_reasons;
  int64_t now_ms = 0;
};

// "/" and "/?q=...": the findings grouped by watched domain (unexpected first), log status,
// and recent alerts.
std::string RenderFindingsPage(const FindingsPageData& data);

// "/cert/<tbs_sha256>": one finding with its fingerprints, logs, and PEM.
std::string RenderCertificatePage(const Finding& finding, const std::vector<MonitoredLog>& logs,
                                  int64_t now_ms);

// A small page for 404 and 500 answers.
std::string RenderMessagePage(const std::string& title, const std::string& message);

// The certificate as one PEM "CERTIFICATE" block, 64 columns.
std::string CertificatePem(ByteSpan der);

}  // namespace ctkit
