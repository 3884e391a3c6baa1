// The mock CA: a root and an intermediate in a directory, issuing certificates with a
// per-certificate CT-logging choice, as a managed CA that lets each certificate opt out of CT
// (e.g. AWS Certificate Manager's CertificateTransparencyLoggingPreference).
//
//   DIR/root.pem, root.key, intermediate.pem, intermediate.key   the CA (keys PKCS#8, 0600)
//   DIR/config.json   {"name", "key_type", "logs": [URL...], "log_list": FILE}; a relative FILE
//                     is relative to DIR (Init stores the --log-list it was given that way)
//   DIR/inventory.db  every certificate issued (ca/inventory.h)
//
// Issuing with CT logging enabled (RFC 6962 §3.1-§3.3): build a precertificate, submit it with
// add-pre-chain to every configured log, verify each returned SCT against that log's key from
// the log list, require enough logs (and two operators) to answer, embed the SCT list in the
// final certificate and sign it. If too few logs answer, nothing is written or recorded.

#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/error.h"
#include "ca/certificate_builder.h"
#include "ca/inventory.h"
#include "ct/log_list.h"
#include "ct/sct.h"

namespace ctkit {

struct CaConfig {
  std::string name;
  std::string key_type = "ecdsa";  // ecdsa | rsa
  std::vector<std::string> logs;   // log URLs, each listed in the log list
  std::string log_list;            // path of the log list file (v3 JSON); Open: resolved from DIR
};

// Sends `chain` (leaf first) to `log` with add-pre-chain (precertificate) or add-chain.
using SctSubmitter = std::function<Result<SignedCertificateTimestamp>(
    const LogInfo& log, const std::vector<Bytes>& chain, bool precertificate)>;

struct IssueOptions {
  std::vector<std::string> names;
  int days = 90;
  bool ct_logging = true;
  std::vector<std::string> logs;  // overrides the configured logs when not empty
  size_t min_logs = 2;
  bool add_final_chain = false;  // also add-chain the final certificate
};

struct IssuedCertificate {
  Bytes certificate;         // DER
  std::vector<Bytes> chain;  // intermediate, root
  std::string private_key_pem;
  std::vector<SignedCertificateTimestamp> scts;
  std::vector<std::string> warnings;  // logs that did not answer, and why
  InventoryRecord record;
};

class MockCa {
 public:
  // Creates DIR with a new root and intermediate; fails if DIR already holds a CA, or any of its
  // files exists, unless `replace` (then they are replaced; inventory.db is kept). The keys are
  // written with WriteNewSecretFile (base/secret_file.h), never through a symbolic link.
  static Result<void> Init(const std::string& dir, const CaConfig& config, bool replace = false);
  static Result<MockCa> Open(const std::string& dir);

  Result<IssuedCertificate> Issue(const IssueOptions& options, const SctSubmitter& submit,
                                  int64_t now_ms);
  Result<std::vector<InventoryRecord>> IssuedRecords() { return inventory_.All(); }

  const CaConfig& config() const { return config_; }
  std::vector<Bytes> chain() const;  // intermediate, root (DER)

 private:
  MockCa(CaConfig config, CaCredentials root, CaCredentials intermediate, Inventory inventory)
      : config_(std::move(config)),
        root_(std::move(root)),
        intermediate_(std::move(intermediate)),
        inventory_(std::move(inventory)) {}
  Result<std::vector<SignedCertificateTimestamp>> CollectScts(const Bytes& precertificate,
                                                              const IssueOptions& options,
                                                              const SctSubmitter& submit,
                                                              int64_t now_ms,
                                                              std::vector<std::string>& warnings);

  CaConfig config_;
  CaCredentials root_;
  CaCredentials intermediate_;
  Inventory inventory_;
};

}  // namespace ctkit
