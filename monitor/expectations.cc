#include "monitor/expectations.h"

#include <fstream>
#include <sstream>

#include "monitor/idna.h"

namespace ctkit {

std::string NormalizeDnsName(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  // The same form the watchlist compares (monitor/idna.h): ASCII lowercase, U-labels as
  // A-labels, so "Bücher.example" and "xn--bcher-kva.example" are one name.
  if (Result<std::string> ascii = DomainToAscii(name)) return std::move(*ascii);
  // Refused (not UTF-8, or a name UTS #46 rejects): compare the bytes, ASCII-lowercased.
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Expectations::Expectations(std::vector<InventoryRecord> records) : records_(std::move(records)) {
  for (size_t i = 0; i < records_.size(); ++i) {
    by_hash_.emplace(records_[i].tbs_sha256, i);
    by_hash_.emplace(records_[i].sha256, i);
    for (const std::string& name : records_[i].names) names_.insert(NormalizeDnsName(name));
  }
}

Result<Expectations> Expectations::Load(const std::vector<std::string>& paths) {
  std::vector<InventoryRecord> all;
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return MakeError(ErrorCode::kNotFound, path + ": cannot open inventory");
    std::stringstream text;
    text << in.rdbuf();
    ASSIGN_OR_RETURN(std::vector<InventoryRecord> records, ParseInventory(text.str()), path);
    for (InventoryRecord& record : records) all.push_back(std::move(record));
  }
  return Expectations(std::move(all));
}

const InventoryRecord* Expectations::Find(std::string_view tbs_sha256_hex,
                                          std::string_view sha256_hex) const {
  for (std::string_view key : {tbs_sha256_hex, sha256_hex}) {
    if (key.empty()) continue;
    auto it = by_hash_.find(std::string(key));
    if (it != by_hash_.end()) return &records_[it->second];
  }
  return nullptr;
}

bool Expectations::HasName(std::string_view name) const {
  return !names_.empty() && names_.contains(NormalizeDnsName(name));
}

}  // namespace ctkit
