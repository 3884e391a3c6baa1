#include "ca/mock_ca.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "base/plural.h"
#include "base/secret_file.h"
#include "ca/certificate_name.h"
#include "ct/json_input.h"
#include "ct/log_key.h"
#include "ct/rfc3339.h"
#include "ct/sct_verify.h"
#include "ct/signed_entry.h"

namespace ctkit {
namespace {

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kIo, path + ": " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Result<LogList> LoadLogList(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadText(path));
  ASSIGN_OR_RETURN(LogList list, LogList::Parse(text), path);
  return list;
}

// config.json's log_list is relative to the CA's directory (mock_ca.h): the path to store for
// `path` as the user gave it (relative to the working directory), and the path to open.
std::string LogListPathToStore(const std::string& dir, const std::string& path) {
  std::filesystem::path list(path);
  if (path.empty() || list.is_absolute()) return path;
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(list, error);
  std::filesystem::path relative =
      error ? std::filesystem::path() : std::filesystem::relative(absolute, dir, error);
  if (error || relative.empty()) return error ? path : absolute.string();
  return relative.string();
}

std::string LogListPathToOpen(const std::string& dir, const std::string& stored) {
  if (stored.empty() || std::filesystem::path(stored).is_absolute()) return stored;
  return (std::filesystem::path(dir) / stored).string();
}

std::string NormalizeUrl(std::string url) {
  if (!url.empty() && url.back() != '/') url += '/';
  return url;
}

const LogInfo* FindLogByUrl(const LogList& list, const std::string& url) {
  for (const LogInfo& log : list.logs()) {
    if (NormalizeUrl(log.url) == NormalizeUrl(url) ||
        (!log.submission_url.empty() && NormalizeUrl(log.submission_url) == NormalizeUrl(url))) {
      return &log;
    }
  }
  return nullptr;
}

}  // namespace

Result<void> MockCa::Init(const std::string& dir, const CaConfig& config, bool replace) {
  // The log list is where every later issuance takes log keys from: one that does not load
  // now would fail every `ca issue` (docs/ctkit.md, `ctkit ca init`).
  if (!config.log_list.empty()) {
    ASSIGN_OR_RETURN(LogList list, LoadLogList(config.log_list), "--log-list");
  }
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return MakeError(ErrorCode::kIo, dir + ": " + std::strerror(errno));
  }
  if (!replace && access((dir + "/config.json").c_str(), F_OK) == 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     dir + " already holds a CA; --force to replace it");
  }
  if (config.key_type != "ecdsa" && config.key_type != "rsa") {
    return MakeError(ErrorCode::kInvalidArgument, "key type must be ecdsa or rsa");
  }
  KeyType type = config.key_type == "rsa" ? KeyType::kRsa2048 : KeyType::kEcdsaP256;
  ASSIGN_OR_RETURN(CaCredentials root,
                   CreateCaCertificate(config.name + " Root", config.name, type, 3650, nullptr));
  Result<CaCredentials> intermediate =
      CreateCaCertificate(config.name + " Issuing CA", config.name, type, 1825, &root);
  if (!intermediate) return std::unexpected(intermediate.error());
  nlohmann::ordered_json json = {{"name", config.name},
                                 {"key_type", config.key_type},
                                 {"logs", config.logs},
                                 {"log_list", LogListPathToStore(dir, config.log_list)}};
  // Keys 0600 from their first byte (base/secret_file.h), then the certificates and the
  // configuration that names the CA; with `replace`, each file is swapped atomically.
  struct NewFile {
    const char* name;
    std::string contents;
    mode_t mode;
  };
  const NewFile files[] = {
      {"/root.key", PrivateKeyToPem(root.key.get()), 0600},
      {"/intermediate.key", PrivateKeyToPem(intermediate->key.get()), 0600},
      {"/root.pem", CertificateToPem(CertificateToDer(root.certificate.get())), 0644},
      {"/intermediate.pem", CertificateToPem(CertificateToDer(intermediate->certificate.get())),
       0644},
      {"/config.json", json.dump(2) + "\n", 0644}};
  // All or nothing: a file that would be refused is found before any is written.
  for (const NewFile& file : files) {
    if (Result<void> usable = CheckNewFilePath(dir + file.name, replace); !usable) return usable;
  }
  for (const NewFile& file : files) {
    Result<void> ok = file.mode == 0600
                          ? WriteNewSecretFile(dir + file.name, file.contents, replace)
                          : WriteNewFile(dir + file.name, file.contents, file.mode, replace);
    if (!ok) return ok;
  }
  return {};
}

Result<MockCa> MockCa::Open(const std::string& dir) {
  ASSIGN_OR_RETURN(std::string config_text, ReadText(dir + "/config.json"), "not a CA directory");
  Result<nlohmann::json> json = ParseJson(config_text);
  if (!json) return std::unexpected(WithContext(json.error(), dir + "/config.json"));
  CaConfig config;
  Result<std::string> name = JsonString(*json, "name");
  Result<std::string> key_type = JsonString(*json, "key_type");
  Result<std::string> log_list = JsonString(*json, "log_list");
  if (!name || !key_type || !log_list || !json->contains("logs") || !(*json)["logs"].is_array()) {
    return MakeError(ErrorCode::kMalformed,
                     dir + "/config.json: needs name, key_type, logs, log_list");
  }
  config.name = *name;
  config.key_type = *key_type;
  config.log_list = LogListPathToOpen(dir, *log_list);
  for (const nlohmann::json& url : (*json)["logs"]) {
    if (!url.is_string())
      return MakeError(ErrorCode::kMalformed, dir + "/config.json: logs must be URLs");
    config.logs.push_back(url.get<std::string>());
  }
  auto load = [&](const char* name) -> Result<CaCredentials> {
    Result<std::string> cert = ReadText(dir + "/" + name + ".pem");
    ASSIGN_OR_RETURN(std::string key, cert ? ReadText(dir + "/" + name + ".key") : cert);
    ASSIGN_OR_RETURN(CaCredentials credentials, LoadCaCredentials(*cert, key), dir + "/" + name);
    return credentials;
  };
  ASSIGN_OR_RETURN(CaCredentials root, load("root"));
  ASSIGN_OR_RETURN(CaCredentials intermediate, load("intermediate"));
  ASSIGN_OR_RETURN(Inventory inventory, Inventory::Open(dir + "/inventory.db"));
  return MockCa(std::move(config), std::move(root), std::move(intermediate), std::move(inventory));
}

std::vector<Bytes> MockCa::chain() const {
  return {CertificateToDer(intermediate_.certificate.get()),
          CertificateToDer(root_.certificate.get())};
}

Result<std::vector<SignedCertificateTimestamp>> MockCa::CollectScts(
    const Bytes& precertificate, const IssueOptions& options, const SctSubmitter& submit,
    int64_t now_ms, std::vector<std::string>& warnings) {
  const std::vector<std::string>& urls = options.logs.empty() ? config_.logs : options.logs;
  if (urls.size() < options.min_logs) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "CT logging needs " + Count(options.min_logs, "log") + " but only " +
                         std::to_string(urls.size()) + (urls.size() == 1 ? " is" : " are") +
                         " configured");
  }
  if (config_.log_list.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "the CA has no log list to take log keys from");
  }
  ASSIGN_OR_RETURN(LogList list, LoadLogList(config_.log_list));

  std::vector<Bytes> submission = {precertificate};
  for (Bytes& cert : chain()) submission.push_back(std::move(cert));
  // The entry each log must have signed (RFC 6962 §3.2), to check every SCT before embedding it.
  // It points into the two views, which outlive it.
  ASSIGN_OR_RETURN(const CertificateView precert_view, CertificateView::Parse(precertificate),
                   "precertificate");
  ASSIGN_OR_RETURN(const CertificateView issuer_view, CertificateView::Parse(submission[1]),
                   "issuing CA");
  ASSIGN_OR_RETURN(
      const SignedEntry signed_entry,
      BuildSignedEntry(LogEntryType::kPrecert, precert_view, {.issuer = &issuer_view}));

  std::vector<SignedCertificateTimestamp> scts;
  std::set<std::string> operators;
  for (const std::string& url : urls) {
    const LogInfo* log = FindLogByUrl(list, url);
    if (log == nullptr) {
      warnings.push_back(url + ": not in the log list " + config_.log_list);
      continue;
    }
    Result<SignedCertificateTimestamp> sct = submit(*log, submission, true);
    if (!sct) {
      warnings.push_back(url + ": " + sct.error().message);
      continue;
    }
    LogKeyring keyring;
    Result<std::shared_ptr<const LogKey>> key = LogKey::FromSpkiDer(log->key_der);
    if (!key) {
      warnings.push_back(url + ": log key: " + key.error().message);
      continue;
    }
    keyring.Add(*key);
    // A little clock skew between CA and log is normal; a minute is plenty on one machine.
    SctStatus status =
        VerifySct(*sct, signed_entry, keyring, static_cast<uint64_t>(now_ms + 60000));
    if (status != SctStatus::kValid) {
      warnings.push_back(url + ": returned an SCT that is " + std::string(SctStatusName(status)));
      continue;
    }
    scts.push_back(*sct);
    operators.insert(std::string(list.OperatorAt(*log, static_cast<int64_t>(sct->timestamp_ms))));
  }
  size_t operators_needed = options.min_logs >= 2 ? 2 : 1;
  if (scts.size() < options.min_logs || operators.size() < operators_needed) {
    std::string why = "only " + std::to_string(scts.size()) + " of " + Count(urls.size(), "log") +
                      " returned a valid SCT (from " + Count(operators.size(), "operator") +
                      "); need " + Count(options.min_logs, "log") + " and " +
                      Count(operators_needed, "operator");
    for (const std::string& warning : warnings) why += "; " + warning;
    return MakeError(ErrorCode::kNetwork, why);
  }
  return scts;
}

Result<IssuedCertificate> MockCa::Issue(const IssueOptions& options, const SctSubmitter& submit,
                                        int64_t now_ms) {
  if (options.names.empty())
    return MakeError(ErrorCode::kInvalidArgument, "give at least one --name");
  for (const std::string& name : options.names) RETURN_IF_ERROR(CheckCertificateName(name));
  if (options.days <= 0 || options.days > 3650) {
    return MakeError(ErrorCode::kInvalidArgument, "--days must be 1..3650");
  }
  Result<PrivateKey> subject_key = GeneratePrivateKey(KeyType::kEcdsaP256);
  if (!subject_key) return std::unexpected(subject_key.error());
  Bytes serial = RandomSerial();
  LeafSpec spec{.dns_names = options.names,
                .serial = serial,
                .not_before = now_ms / 1000 - 60,
                .not_after = now_ms / 1000 - 60 + int64_t{86400} * options.days,
                .subject_key = subject_key->get()};

  IssuedCertificate issued;
  Result<Bytes> certificate;
  if (options.ct_logging) {
    ASSIGN_OR_RETURN(Bytes precertificate,
                     BuildLeafCertificate(intermediate_, spec, LeafKind::kPrecertificate));
    Result<std::vector<SignedCertificateTimestamp>> scts =
        CollectScts(precertificate, options, submit, now_ms, issued.warnings);
    if (!scts) return std::unexpected(scts.error());
    std::vector<Bytes> serialized;
    for (const SignedCertificateTimestamp& sct : *scts) {
      ASSIGN_OR_RETURN(Bytes bytes, SerializeSct(sct));
      serialized.push_back(std::move(bytes));
    }
    ASSIGN_OR_RETURN(Bytes list, SerializeSctList(serialized));
    certificate = BuildLeafCertificate(intermediate_, spec, LeafKind::kWithSctList, list);
    issued.scts = std::move(*scts);
  } else {
    certificate = BuildLeafCertificate(intermediate_, spec, LeafKind::kPlain);
  }
  if (!certificate) return std::unexpected(certificate.error());
  ASSIGN_OR_RETURN(CertificateView view, CertificateView::Parse(*certificate),
                   "issued certificate");

  if (options.ct_logging && options.add_final_chain) {
    Result<LogList> list = LoadLogList(config_.log_list);
    std::vector<Bytes> final_chain = {*certificate};
    for (Bytes& cert : chain()) final_chain.push_back(std::move(cert));
    for (const std::string& url : options.logs.empty() ? config_.logs : options.logs) {
      const LogInfo* log = list ? FindLogByUrl(*list, url) : nullptr;
      if (log == nullptr) continue;
      if (Result<SignedCertificateTimestamp> sct = submit(*log, final_chain, false); !sct) {
        issued.warnings.push_back(url +
                                  ": add-chain of the final certificate: " + sct.error().message);
      }
    }
  }

  issued.record = {.sha256 = HexEncode(view.sha256()),
                   .tbs_sha256 = HexEncode(DeduplicationTbsHash(view)),
                   .serial = view.serial_hex(),
                   .issuer = view.issuer(),
                   .names = view.dns_names(),  // then the IP addresses, below
                   .ct_logging = options.ct_logging,
                   .not_before = FormatRfc3339(view.not_before() * 1000),
                   .not_after = FormatRfc3339(view.not_after() * 1000)};
  for (const std::string& address : view.ip_addresses()) issued.record.names.push_back(address);
  for (const SignedCertificateTimestamp& sct : issued.scts) {
    issued.record.scts.push_back({.log_id = sct.log_id, .timestamp_ms = sct.timestamp_ms});
  }
  RETURN_IF_ERROR(inventory_.Add(issued.record));
  issued.certificate = std::move(*certificate);
  issued.chain = chain();
  issued.private_key_pem = PrivateKeyToPem(subject_key->get());
  return issued;
}

}  // namespace ctkit
