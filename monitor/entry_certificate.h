// The certificate a log entry is about, as the monitor sees it.
//
// Only bytes the Merkle tree covers are trusted (RFC 6962 §3.4): for an x509_entry the
// certificate in leaf_input; for a precert_entry the TBSCertificate in leaf_input (poison already
// removed by the log). The precertificate in extra_data is not covered by the leaf hash, so a
// lying log could pair a harmless one with any TBS: names, issuer and validity are read from the
// leaf only; extra_data's precertificate is used for nothing but the fingerprint shown to people.
//
// The entry was decoded once, when it was read (ct/log_entry.h ParseMerkleTreeLeaf): the
// certificate or TBS is taken from its signed_entry as it is, and the certificate of an
// x509_entry shares its bytes. Everything later steps need is in the EntryCertificate.
//
//   Result<EntryCertificate> cert = CertificateFromEntry(entry);
//   if (!cert) RaiseMalformed(entry, cert.error());
//   else if (Matches(cert->names)) { AddFingerprints(*cert, entry); Store(*cert); }

#pragma once

#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "base/sha256.h"
#include "logclient/log_client_json.h"
#include "x509/certificate.h"

namespace ctkit {

struct EntryCertificate {
  CertificateView view;  // for a precert_entry: the leaf's TBS, wrapped (see .cc)
  bool precertificate = false;
  std::vector<std::string> names;  // CertificateNames (monitor/watchlist.h): SANs, then CNs
  // Set by AddFingerprints only:
  Sha256Digest tbs_sha256{};  // deduplication key (findings.tbs_sha256, monitor/monitor_store.h)
  Sha256Digest sha256{};      // the certificate's, or the served precertificate's
  Bytes served_der;           // the certificate, or the served precertificate (may be empty)
};

// Parses the certificate of a well-formed entry (entry.parse_error empty): the view and its
// names, which is all a non-matching entry needs. kMalformed when the certificate or TBS does
// not parse.
Result<EntryCertificate> CertificateFromEntry(const LogEntry& entry);

// Fills in the hashes and served bytes of a certificate, `entry` being the one it was parsed from
// (for the precertificate it serves): two SHA-256 runs and a copy, so paid only for entries that
// matched. The deduplication key is one per issuance, whichever of the two entries a log has:
// for a precert_entry the TBS the log signed, which is what ct/signed_entry.h
// DeduplicationTbsHash hashes for the final certificate (its TBS without the SCT list); for an
// x509_entry that hash.
void AddFingerprints(EntryCertificate& cert, const LogEntry& entry);

}  // namespace ctkit
