// Expectations: the certificates a domain owner expects to see in logs, from inventory files
// (ct/inventory_record.h), indexed for the monitor.
//
//   Expectations expected = *Expectations::Load({"issued.jsonl"});
//   if (const InventoryRecord* record = expected.Find(tbs_hex, sha256_hex)) ...  // expected
//   expected.HasName("www.example.com")  // a name some inventory certificate carries
//
// A finding is expected when its deduplication hash (or its fingerprint) is in an inventory.
// Inventory names are watched implicitly, so that an opted-out certificate showing up in a log
// and an SCT whose entry never appears are noticed even for names outside the watchlist.

#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/error.h"
#include "ct/inventory_record.h"

namespace ctkit {

class Expectations {
 public:
  Expectations() = default;
  explicit Expectations(std::vector<InventoryRecord> records);

  // Reads and merges inventory files; errors name the file and line.
  static Result<Expectations> Load(const std::vector<std::string>& paths);

  // The record for a certificate, by deduplication hash or by fingerprint (lowercase hex).
  const InventoryRecord* Find(std::string_view tbs_sha256_hex, std::string_view sha256_hex) const;
  // Whether an inventory certificate carries `name` (both normalized by NormalizeDnsName).
  bool HasName(std::string_view name) const;

  const std::vector<InventoryRecord>& records() const { return records_; }
  bool empty() const { return records_.empty(); }

 private:
  std::vector<InventoryRecord> records_;
  std::unordered_map<std::string, size_t> by_hash_;  // tbs_sha256 and sha256 → record
  std::unordered_set<std::string> names_;
};

// How inventory and certificate names are compared: one trailing dot removed, then UTS #46
// ToASCII (monitor/idna.h DomainToAscii: lowercased, case folded, U-labels as A-labels); text
// DomainToAscii refuses (not UTF-8, or a name UTS #46 rejects) is only ASCII-lowercased.
std::string NormalizeDnsName(std::string_view name);

}  // namespace ctkit
