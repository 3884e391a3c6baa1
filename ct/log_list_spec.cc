#include "ct/log_list_spec.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <string_view>

#include "base/input_file.h"
#include "ct/log_key.h"
#include "ct/log_list.h"
#include "ct/log_signer.h"

namespace ctkit {
namespace {

using Fields = std::map<std::string, std::string>;

// The keys a --log description may have (ct/log_list_spec.h).
constexpr std::string_view kKeys[] = {"operator", "url", "key", "description", "mmd", "api"};

// "a=1,b=2" -> {a: 1, b: 2}; a later key replaces an earlier one. A key not in kKeys is refused:
// a misspelt "descripton=" would otherwise be dropped without a word.
Result<Fields> ParseFields(const std::string& spec) {
  Fields fields;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    std::string item =
        spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t equals = item.find('=');
    if (equals == std::string::npos) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "--log: expected key=value, got \"" + item + "\"");
    }
    std::string key = item.substr(0, equals);
    if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "--log: unknown key " + QuoteUntrusted(key) +
                           " (the keys are operator, url, key, description, mmd, api)");
    }
    fields[std::move(key)] = item.substr(equals + 1);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return fields;
}

// "log at HOST[:PORT]" for a URL "scheme://HOST[:PORT]/...": the default description. The URL is
// in the entry already; the description is how lists and messages name the log to a person.
std::string DefaultDescription(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  const size_t end = url.find_first_of("/?#", start);
  return "log at " + url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The public key (DER SPKI) of the private or public key in the PEM file `path`.
Result<Bytes> PublicKeyOfFile(const std::string& path) {
  ASSIGN_OR_RETURN(Bytes file, ReadInputFile(path));
  std::string_view pem(reinterpret_cast<const char*>(file.data()), file.size());
  if (Result<std::shared_ptr<const LogSigner>> signer = LogSigner::FromPem(pem)) {
    return (*signer)->public_key_der();
  }
  if (Result<std::shared_ptr<const LogKey>> key = LogKey::FromPem(pem)) return (*key)->spki_der();
  return MakeError(ErrorCode::kInvalidArgument,
                   path + ": neither a log private key nor a public key");
}

}  // namespace

Result<LogListEntry> ParseLogListSpec(const std::string& spec) {
  ASSIGN_OR_RETURN(Fields fields, ParseFields(spec));
  for (const char* required : {"operator", "url", "key"}) {
    if (fields[required].empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string("--log: missing ") + required + "=");
    }
  }
  LogListEntry entry{.operator_name = fields["operator"],
                     .description = fields["description"].empty()
                                        ? DefaultDescription(fields["url"])
                                        : fields["description"],
                     .url = fields["url"]};
  ASSIGN_OR_RETURN(entry.key_der, PublicKeyOfFile(fields["key"]));
  if (fields["api"] == "static") {
    entry.tiled = true;
  } else if (!fields["api"].empty() && fields["api"] != "rfc6962") {
    return MakeError(ErrorCode::kInvalidArgument, "--log: api must be rfc6962 or static");
  }
  if (!fields["mmd"].empty()) {
    const std::string& mmd = fields["mmd"];
    if (mmd.find_first_not_of("0123456789") != std::string::npos || mmd.size() > 9) {
      return MakeError(ErrorCode::kInvalidArgument, "--log: mmd must be whole seconds");
    }
    entry.mmd_seconds = std::stoull(mmd);
  }
  return entry;
}

Result<std::string> MakeLogListFromSpecs(const std::vector<std::string>& specs, int64_t now_ms) {
  std::vector<LogListEntry> entries;
  for (const std::string& spec : specs) {
    ASSIGN_OR_RETURN(LogListEntry entry, ParseLogListSpec(spec));
    entries.push_back(std::move(entry));
  }
  std::string json = MakeLogListJson(entries, now_ms);
  RETURN_IF_ERROR(LogList::Parse(json));
  return json;
}

}  // namespace ctkit
