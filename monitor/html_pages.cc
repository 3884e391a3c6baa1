#include "monitor/html_pages.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "base/bytes.h"
#include "ct/rfc3339.h"
#include "monitor/html.h"
#include "x509/certificate.h"
#include "x509/pem.h"

namespace ctkit {
namespace {

constexpr const char* kStyle = R"css(
body{font:14px/1.45 system-ui,-apple-system,"DejaVu Sans",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:12px 24px;display:flex;gap:24px;align-items:center;flex-wrap:wrap}
header h1{font-size:18px;margin:0}header a{color:#fff;text-decoration:none}
main{padding:8px 24px 32px}
h2{font-size:16px;margin:24px 0 8px}h3{font-size:14px;margin:16px 0 6px;font-family:monospace}
table{border-collapse:collapse;background:#fff;width:100%;margin-bottom:8px}
th,td{border:1px solid #dde1e7;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef0f4;font-weight:600}
td.mono,span.mono{font-family:monospace;word-break:break-all}
tr.unexpected td{background:#fdecec}
.badge{display:inline-block;padding:1px 6px;border-radius:3px;font-weight:700;font-size:12px}
.bad{background:#c62828;color:#fff}.good{background:#2e7d32;color:#fff}.muted{color:#667085}
form input{padding:4px 8px;width:260px}form button{padding:4px 10px}
pre{background:#fff;border:1px solid #dde1e7;padding:8px;overflow-x:auto;font-size:12px}
)css";

std::string Page(const std::string& title, const std::string& query, const std::string& body) {
  std::string html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  html += "<title>" + HtmlEscape(title) + "</title><style>" + kStyle + "</style></head><body>";
  html += "<header><h1><a href=\"/\">ctkit monitor</a></h1>";
  html += "<form method=\"get\" action=\"/\"><input type=\"search\" name=\"q\" value=\"" +
          HtmlEscape(query) +
          "\" placeholder=\"search a name, e.g. login.example.com\" aria-label=\"search a "
          "name\"> <button type=\"submit\">Search</button></form>";
  html +=
      "<span><a href=\"/healthz\">health</a> &middot; <a href=\"/metrics\">metrics</a> "
      "&middot; <a href=\"/api/findings\">findings JSON</a> &middot; <a "
      "href=\"/api/logs\">logs JSON</a></span></header><main>";
  return html + body + "</main></body></html>\n";
}

std::string Time(int64_t ms) { return ms > 0 ? FormatRfc3339(ms) : "never"; }

std::string Ago(int64_t now_ms, int64_t then_ms) {
  if (then_ms <= 0) return "never";
  int64_t seconds = std::max<int64_t>(0, (now_ms - then_ms) / 1000);
  if (seconds < 120) return std::to_string(seconds) + " s ago";
  if (seconds < 7200) return std::to_string(seconds / 60) + " min ago";
  if (seconds < 172800) return std::to_string(seconds / 3600) + " h ago";
  return std::to_string(seconds / 86400) + " days ago";
}

std::string Join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string LogName(const std::vector<MonitoredLog>& logs, const std::string& url) {
  for (const MonitoredLog& log : logs) {
    if (log.url == url && !log.description.empty()) return log.description;
  }
  return url;
}

std::string StatusBadge(const Finding& finding) {
  return finding.expected ? "<span class=\"badge good\">expected</span>"
                          : "<span class=\"badge bad\">UNEXPECTED</span>";
}

std::string CertLink(const Finding& finding, const std::string& text) {
  return "<a href=\"/cert/" + HtmlEscape(UrlComponentEscape(finding.tbs_sha256)) + "\">" +
         HtmlEscape(text) + "</a>";
}

std::string FindingsTable(const std::vector<const Finding*>& findings,
                          const std::vector<MonitoredLog>& logs, int64_t now_ms) {
  std::string html =
      "<table><tr><th>status</th><th>names</th><th>issuer</th><th>valid</th><th>first "
      "seen</th><th>logs</th></tr>";
  for (const Finding* finding : findings) {
    html += finding->expected ? "<tr class=\"expected\">" : "<tr class=\"unexpected\">";
    html += "<td>" + StatusBadge(*finding) + "</td>";
    html += "<td class=\"mono\">";
    for (size_t i = 0; i < finding->names.size(); ++i) {
      html += (i == 0 ? "" : "<br>") + CertLink(*finding, finding->names[i]);
    }
    if (finding->names.empty()) html += CertLink(*finding, "(no names)");
    html += "</td><td>" + HtmlEscape(finding->issuer) + "</td>";
    html += "<td>" + HtmlEscape(finding->not_before) + "<br>to " + HtmlEscape(finding->not_after) +
            "</td>";
    html += "<td>" + HtmlEscape(Time(finding->first_seen_ms)) + "<br><span class=\"muted\">" +
            HtmlEscape(Ago(now_ms, finding->first_seen_ms)) + "</span></td><td>";
    for (size_t i = 0; i < finding->entries.size(); ++i) {
      const FindingEntry& entry = finding->entries[i];
      html += (i == 0 ? "" : "<br>") + HtmlEscape(LogName(logs, entry.log)) + " #" +
              std::to_string(entry.index) +
              (entry.entry_type == "precert" ? " <span class=\"muted\">(precert)</span>" : "");
    }
    html += "</td></tr>";
  }
  return html + "</table>";
}

std::string LogsTable(const std::vector<MonitoredLog>& logs, int64_t now_ms) {
  if (logs.empty()) return "<p class=\"muted\">No log reached yet.</p>";
  std::string html =
      "<table><tr><th>log</th><th>position</th><th>tree size</th><th>lag "
      "(entries)</th><th>last head</th><th>last error</th></tr>";
  for (const MonitoredLog& log : logs) {
    uint64_t tree_size = log.head ? log.head->tree_size : 0;
    uint64_t lag = tree_size > log.verified_size ? tree_size - log.verified_size : 0;
    html += "<tr><td>" + HtmlEscape(log.description) + "<br><span class=\"mono muted\">" +
            HtmlEscape(log.url) + "</span></td>";
    html += "<td>" + std::to_string(log.verified_size) + "</td><td>" + std::to_string(tree_size) +
            "</td><td>" + std::to_string(lag) + "</td>";
    html += "<td>" + HtmlEscape(Ago(now_ms, log.last_success_ms)) + "</td>";
    html += "<td>" +
            (log.last_error.empty() ? std::string("&mdash;") : HtmlEscape(log.last_error)) +
            "</td></tr>";
  }
  return html + "</table>";
}

std::string AlertsTable(const std::vector<StoredAlert>& alerts) {
  if (alerts.empty()) return "<p class=\"muted\">No alert yet.</p>";
  std::string html = "<table><tr><th>raised</th><th>event</th><th>summary</th></tr>";
  for (const StoredAlert& alert : alerts) {
    nlohmann::json body = nlohmann::json::parse(alert.body_json, nullptr, false);
    std::string summary, tbs;
    if (body.is_object()) {
      if (body.contains("summary") && body["summary"].is_string()) summary = body["summary"];
      if (body.contains("finding") && body["finding"].is_object() &&
          body["finding"].contains("tbs_sha256") && body["finding"]["tbs_sha256"].is_string()) {
        tbs = body["finding"]["tbs_sha256"];
      }
    }
    bool bad = alert.event != "heartbeat" && alert.event != "test";
    html += "<tr><td>" + HtmlEscape(Time(alert.created_ms)) + "</td><td><span class=\"badge " +
            (bad ? "bad" : "good") + "\">" + HtmlEscape(alert.event) + "</span></td><td>";
    if (!tbs.empty()) {
      html += "<a href=\"/cert/" + HtmlEscape(UrlComponentEscape(tbs)) + "\">" +
              HtmlEscape(summary) + "</a>";
    } else {
      html += HtmlEscape(summary);
    }
    html += "</td></tr>";
  }
  return html + "</table>";
}

}  // namespace

std::string CertificatePem(ByteSpan der) { return PemEncode("CERTIFICATE", der); }

std::string RenderFindingsPage(const FindingsPageData& data) {
  std::string body;
  body += "<p>";
  if (data.healthy) {
    body += "<span class=\"badge good\">healthy</span> ";
  } else {
    body += "<span class=\"badge bad\">unhealthy</span> ";
  }
  body += std::to_string(data.totals.expected + data.totals.unexpected) +
          " certificates for watched names, <strong>" + std::to_string(data.totals.unexpected) +
          " unexpected</strong>; " + std::to_string(data.logs.size()) + " logs.</p>";
  if (!data.healthy && !data.health_reasons.empty()) {
    body += "<ul>";
    for (const std::string& reason : data.health_reasons)
      body += "<li>" + HtmlEscape(reason) + "</li>";
    body += "</ul>";
  }

  // Group by watch item; unexpected first, then newest first.
  std::vector<const Finding*> sorted;
  for (const Finding& finding : data.findings) sorted.push_back(&finding);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Finding* a, const Finding* b) {
    if (a->expected != b->expected) return !a->expected;
    return a->first_seen_ms > b->first_seen_ms;
  });
  std::map<std::string, std::vector<const Finding*>> by_item;
  std::vector<const Finding*> unwatched;  // inventory names outside the watchlist
  for (const Finding* finding : sorted) {
    if (finding->watch_items.empty()) unwatched.push_back(finding);
    for (const std::string& item : finding->watch_items) by_item[item].push_back(finding);
  }
  std::vector<std::string> items = data.watch_items;
  for (const auto& [item, findings] : by_item) {
    if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
  }

  if (data.query.empty()) {
    body += "<h2 id=\"domains\">Watched domains</h2>";
  } else {
    body += "<h2 id=\"domains\">Certificates with a name containing &ldquo;" +
            HtmlEscape(data.query) + "&rdquo;: " + std::to_string(data.findings.size()) + "</h2>";
    if (data.findings.empty()) body += "<p class=\"muted\">No certificate matches.</p>";
  }
  if (data.truncated) {
    body += "<p class=\"muted\">Showing the first " + std::to_string(data.findings.size()) +
            " certificates; search to narrow down, or use /api/findings.</p>";
  }
  for (const std::string& item : items) {
    auto found = by_item.find(item);
    bool any = found != by_item.end();
    if (!data.query.empty() && !any) continue;
    size_t unexpected = 0;
    if (any) {
      for (const Finding* finding : found->second) unexpected += finding->expected ? 0 : 1;
    }
    body += "<h3>" + HtmlEscape(item) + " <span class=\"muted\">(" +
            std::to_string(any ? found->second.size() : 0) + " certificates";
    if (unexpected > 0) body += ", <strong>" + std::to_string(unexpected) + " unexpected</strong>";
    body += ")</span></h3>";
    if (any) {
      body += FindingsTable(found->second, data.logs, data.now_ms);
    } else {
      body += "<p class=\"muted\">No certificate seen yet.</p>";
    }
  }
  if (!unwatched.empty()) {
    body += "<h3>inventory names outside the watchlist</h3>";
    body += FindingsTable(unwatched, data.logs, data.now_ms);
  }

  body += "<h2 id=\"logs\">Logs</h2>" + LogsTable(data.logs, data.now_ms);
  body += "<h2 id=\"alerts\">Recent alerts</h2>" + AlertsTable(data.alerts);
  std::string title = data.query.empty() ? "ctkit monitor" : "ctkit monitor: " + data.query;
  return Page(title, data.query, body);
}

std::string RenderCertificatePage(const Finding& finding, const std::vector<MonitoredLog>& logs,
                                  int64_t now_ms) {
  std::string title = finding.names.empty() ? finding.tbs_sha256 : finding.names.front();
  std::string body = "<h2>" + StatusBadge(finding) + " " + HtmlEscape(title) + "</h2>";
  if (!finding.expected) {
    body +=
        "<p><strong>No inventory lists this certificate.</strong> If you did not ask for "
        "it, revoke it with the issuer and find out who did.</p>";
  }
  Result<CertificateView> view = CertificateView::Parse(ByteSpan(finding.certificate));
  auto row = [&](const std::string& name, const std::string& value, bool mono = false) {
    body += "<tr><th>" + HtmlEscape(name) + "</th><td" + (mono ? " class=\"mono\"" : "") + ">" +
            value + "</td></tr>";
  };
  std::vector<std::string> names;
  for (const std::string& name : finding.names) names.push_back(HtmlEscape(name));
  body += "<table>";
  row("names", Join(names, "<br>"), true);
  row("watch items", HtmlEscape(Join(finding.watch_items, ", ")), true);
  if (view) row("subject", HtmlEscape(view->subject()));
  row("issuer", HtmlEscape(finding.issuer));
  row("serial", HtmlEscape(finding.serial), true);
  row("valid from", HtmlEscape(finding.not_before));
  row("valid to", HtmlEscape(finding.not_after));
  row("first seen", HtmlEscape(Time(finding.first_seen_ms)) + " <span class=\"muted\">(" +
                        HtmlEscape(Ago(now_ms, finding.first_seen_ms)) + ")</span>");
  row("SHA-256",
      finding.sha256.empty() ? std::string("<span class=\"muted\">not served</span>")
                             : HtmlEscape(finding.sha256),
      true);
  row("TBS SHA-256",
      HtmlEscape(finding.tbs_sha256) +
          " <span class=\"muted\">(without poison and SCTs: the same for the "
          "precertificate and the certificate)</span>",
      true);
  if (view) row("public key SHA-256", HtmlEscape(HexEncode(view->spki_sha256())), true);
  body += "</table>";

  body +=
      "<h2>Logged in</h2><table><tr><th>log</th><th>index</th><th>type</th><th>log "
      "timestamp</th></tr>";
  for (const FindingEntry& entry : finding.entries) {
    body += "<tr><td>" + HtmlEscape(LogName(logs, entry.log)) +
            "<br><span class=\"mono "
            "muted\">" +
            HtmlEscape(entry.log) + "</span></td><td>" + std::to_string(entry.index) + "</td><td>" +
            HtmlEscape(entry.entry_type) + "</td><td>" +
            HtmlEscape(Time(static_cast<int64_t>(entry.timestamp_ms))) + "</td></tr>";
  }
  body += "</table>";

  if (!finding.certificate.empty()) {
    std::string link = "/cert/" + UrlComponentEscape(finding.tbs_sha256) + ".pem";
    body += "<h2>PEM</h2><p><a href=\"" + HtmlEscape(link) + "\" download>Download " +
            HtmlEscape(finding.tbs_sha256) + ".pem</a></p><pre>" +
            HtmlEscape(CertificatePem(finding.certificate)) + "</pre>";
  }
  return Page(title + " - ctkit monitor", "", body);
}

std::string RenderMessagePage(const std::string& title, const std::string& message) {
  return Page(title, "", "<h2>" + HtmlEscape(title) + "</h2><p>" + HtmlEscape(message) + "</p>");
}

}  // namespace ctkit
