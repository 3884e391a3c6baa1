#include "monitor/alert_facts.h"

#include <cstdio>

#include "base/json_text.h"
#include "base/sha256.h"
#include "base/terminal_text.h"
#include "ct/rfc3339.h"
#include "monitor/certspotter_format.h"
#include "x509/certificate.h"

namespace ctkit {
namespace {

using Json = nlohmann::ordered_json;

const Json& Member(const Json& object, const char* key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

// Text of a string or integer member; nullopt when absent, null or of another type.
std::optional<std::string> Text(const Json& object, const char* key) {
  const Json& value = Member(object, key);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_unsigned()) return std::to_string(value.get<uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  return std::nullopt;
}

std::optional<std::string> NonEmpty(std::optional<std::string> text) {
  if (text && text->empty()) return std::nullopt;
  return text;
}

std::vector<std::string> Strings(const Json& object, const char* key) {
  std::vector<std::string> out;
  const Json& value = Member(object, key);
  if (!value.is_array()) return out;
  for (const Json& item : value) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

// A validity bound in Unix seconds: an RFC 3339 string or a number of seconds.
std::optional<int64_t> UnixSeconds(const Json& object, const char* key) {
  const Json& value = Member(object, key);
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_string()) {
    if (auto ms = ParseRfc3339(value.get<std::string>())) {
      return *ms >= 0 ? *ms / 1000 : -((-*ms + 999) / 1000);
    }
  }
  return std::nullopt;
}

template <typename T>
void Fill(std::optional<T>& field, std::optional<T> value) {
  if (!field && value) field = std::move(value);
}

Json OrNull(const std::optional<std::string>& value) { return value ? Json(*value) : Json(); }

// One "\t%13s = value" line, as certspotter writes them, the value made one inert line.
void Field(std::string& text, const char* name, const std::string& value) {
  char label[32];
  std::snprintf(label, sizeof(label), "\t%13s = ", name);
  text += label + TerminalSafe(value) + "\n";
}

}  // namespace

std::string CertspotterEventName(const std::string& event) {
  if (event == "unexpected_cert" || event == "expected_cert" || event == "opt_out_logged") {
    return "discovered_cert";
  }
  return event;  // malformed_cert and error share the name; others are ctkit's own events
}

AlertFacts AlertFactsOf(const Alert& alert) {
  AlertFacts facts;
  const Json& json = alert.json;
  facts.event = Text(json, "event").value_or("error");
  facts.certspotter_event = CertspotterEventName(facts.event);
  facts.summary = Text(json, "summary").value_or(facts.event);
  const Json& finding = Member(json, "finding");
  Json info = Member(json, "cert_info");
  std::optional<CertificateView> cert;
  if (!alert.certificate_der.empty()) {
    Result<CertificateView> parsed = CertificateView::Parse(ByteSpan(alert.certificate_der));
    if (parsed) {
      cert = std::move(*parsed);
      if (!info.is_object()) info = CertspotterCertInfo(*cert);
    } else {
      facts.parse_error = parsed.error().message;
    }
  }
  if (facts.event == "malformed_cert") {  // the entry: {"log", "index", "error", "leaf_hash"}
    facts.log_uri = Text(json, "log");
    facts.entry_index = Text(json, "index");
    facts.leaf_hash = Text(json, "leaf_hash");
    Fill(facts.parse_error, Text(json, "error"));
  }
  facts.certificate = (finding.is_object() && !finding.empty()) || info.is_object() ||
                      !alert.certificate_der.empty();
  if (!facts.certificate) return facts;

  facts.watch_items = Strings(finding, "watch_items");
  facts.dns_names = info.is_object() ? Strings(info, "dns_names") : Strings(finding, "names");
  facts.ip_addresses = Strings(info, "ip_addresses");
  if (!alert.certificate_der.empty()) facts.cert_sha256 = HexEncode(Sha256(alert.certificate_der));
  Fill(facts.cert_sha256, NonEmpty(Text(finding, "sha256")));
  facts.tbs_sha256 = NonEmpty(Text(finding, "tbs_sha256"));
  facts.pubkey_sha256 = Text(info, "pubkey_sha256");
  Fill(facts.pubkey_sha256, Text(finding, "pubkey_sha256"));
  facts.serial = Text(info, "serial");
  Fill(facts.serial, Text(finding, "serial"));
  facts.subject_dn = Text(info, "subject_dn");
  Fill(facts.subject_dn, Text(finding, "subject"));
  facts.issuer_dn = Text(info, "issuer_dn");
  Fill(facts.issuer_dn, Text(finding, "issuer"));
  facts.not_before = UnixSeconds(info, "not_before");
  Fill(facts.not_before, UnixSeconds(finding, "not_before"));
  facts.not_after = UnixSeconds(info, "not_after");
  Fill(facts.not_after, UnixSeconds(finding, "not_after"));
  const Json& entries = Member(finding, "entries");
  if (entries.is_array() && !entries.empty()) {
    Fill(facts.log_uri, Text(entries[0], "log"));
    Fill(facts.entry_index, Text(entries[0], "index"));
  }
  Fill(facts.parse_error, Text(finding, "parse_error"));
  facts.chain_error = Text(json, "chain_error");
  if (const Json& expected = Member(finding, "expected"); expected.is_boolean()) {
    facts.expected = expected.get<bool>();
  }
  return facts;
}

Json CertspotterJson(const Alert& alert, const AlertFacts& facts) {
  Json out = Json::object();
  if (facts.certificate) {
    auto time = [](const std::optional<int64_t>& seconds) {
      return seconds ? Json(FormatRfc3339(*seconds * 1000)) : Json();
    };
    // certspotter's keys, in the order its encoder writes them (sorted).
    out["cert_sha256"] = OrNull(facts.cert_sha256);
    out["dns_names"] = facts.dns_names;
    out["entry_index"] = OrNull(facts.entry_index);
    out["ip_addresses"] = facts.ip_addresses;
    out["issuer_dn"] = OrNull(facts.issuer_dn);
    out["log_uri"] = OrNull(facts.log_uri);
    out["not_after"] = time(facts.not_after);
    out["not_before"] = time(facts.not_before);
    out["pubkey_sha256"] = OrNull(facts.pubkey_sha256);
    out["serial"] = OrNull(facts.serial);
    out["subject_dn"] = OrNull(facts.subject_dn);
    out["tbs_sha256"] = OrNull(facts.tbs_sha256);
    out["watch_item"] = facts.watch_items.empty() ? Json() : Json(facts.watch_items.front());
  }
  out["ctkit"] = alert.json;
  return out;
}

std::string AlertText(const Alert& alert, const AlertFacts& facts,
                      const std::string& cert_filename) {
  std::string text;
  if (facts.certificate) {
    text +=
        TerminalSafe(facts.cert_sha256.value_or(facts.tbs_sha256.value_or("certificate"))) + ":\n";
    for (const std::string& item : facts.watch_items) Field(text, "Watch Item", item);
    for (const std::string& name : facts.dns_names) Field(text, "DNS Name", name);
    for (const std::string& ip : facts.ip_addresses) Field(text, "IP Address", ip);
    if (facts.pubkey_sha256) Field(text, "Pubkey", *facts.pubkey_sha256);
    if (facts.subject_dn) Field(text, "Subject", *facts.subject_dn);
    if (facts.issuer_dn) Field(text, "Issuer", *facts.issuer_dn);
    if (facts.serial) Field(text, "Serial", *facts.serial);
    if (facts.not_before) Field(text, "Not Before", CertspotterTime(*facts.not_before));
    if (facts.not_after) Field(text, "Not After", CertspotterTime(*facts.not_after));
    if (facts.tbs_sha256) Field(text, "TBS SHA-256", *facts.tbs_sha256);
    if (facts.expected) Field(text, "Expected", *facts.expected ? "yes" : "no");
    if (facts.log_uri) {
      Field(text, "Log Entry", facts.entry_index.value_or("?") + " @ " + *facts.log_uri);
    }
    if (facts.cert_sha256) {
      Field(text, "crt.sh", "https://crt.sh/?sha256=" + *facts.cert_sha256);
    }
    if (facts.parse_error) Field(text, "Parse Error", *facts.parse_error);
    if (facts.chain_error) Field(text, "Chain Error", *facts.chain_error);
    if (!cert_filename.empty()) Field(text, "Filename", cert_filename);
    return text;
  }
  if (facts.event == "malformed_cert") {
    text += "Unable to determine if this log entry matches your watch list:\n";
    if (facts.log_uri) {
      Field(text, "Log Entry", facts.entry_index.value_or("?") + " @ " + *facts.log_uri);
    }
    if (facts.leaf_hash) Field(text, "Leaf Hash", *facts.leaf_hash);
    if (facts.parse_error) Field(text, "Error", *facts.parse_error);
    return text;
  }
  text += TerminalSafe(facts.summary) + "\n\n";
  if (!alert.json.is_object()) return text;
  std::string nested;
  for (const auto& [key, value] : alert.json.items()) {
    if (key == "event" || key == "summary") continue;
    if (value.is_primitive()) {
      Field(text, key.c_str(), value.is_string() ? value.get<std::string>() : JsonCompact(value));
    } else {
      nested += "\n" + TerminalSafe(key) + ":\n" +
                value.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
    }
  }
  return text + nested;
}

}  // namespace ctkit
