// Hostile certificates against the monitor's matcher: the whole path a log entry takes
// (MerkleTreeLeaf -> CertificateFromEntry -> CertificateNames -> Watchlist::Match), for
// certificates and precertificates, and a few of them end to end through `ctkit monitor` against
// a real `ctkit log serve`. The rule (docs/reliability.md): no watched name may slip past. A name
// the matcher cannot read matches every watched domain it mentions; a certificate whose
// subjectAltName (or anything else) does not parse is a malformed_cert alert, whatever names it
// might hold.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "ct/log_entry.h"
#include "ct/sct_verify.h"
#include "logclient/log_client.h"
#include "logclient/log_client_json.h"
#include "monitor/entry_certificate.h"
#include "monitor/expectations.h"
#include "monitor/watchlist.h"
#include "tests/cert_factory.h"
#include "tests/monitor/monitor_process.h"
#include "tests/test_support.h"
#include "x509/der.h"

namespace ctkit {
namespace {

using ::ctkit::testing::TestCa;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Spec = TestCa::LeafSpec;

constexpr char kWatchlist[] =
    ".example.com\n"
    "login.bank.test\n"
    ".bücher.example\n";  // stored as .xn--bcher-kva.example

// The log entry a log would serve for `der`: an x509_entry, or with `precert` a precert_entry
// whose TBSCertificate is der's (what a log makes of a precertificate with these fields once it
// removed the poison, RFC 6962 §3.2; taken with the DER reader alone, since CertificateView
// refuses some of these certificates).
LogEntry EntryFor(const Bytes& der, const TestCa& ca, bool precert) {
  TimestampedEntry timestamped{.timestamp_ms = 1};
  EntryChain chain{.chain = {ca.der()}};
  if (precert) {
    DerReader outer(der);
    Result<DerReader> fields = outer.ReadSequence();
    EXPECT_TRUE(fields);
    Result<DerElement> tbs = fields->ReadFullElement(kDerSequence);
    EXPECT_TRUE(tbs);
    timestamped.signed_entry =
        *PrecertSignedEntry(Sha256Digest{}, Bytes(tbs->encoded.begin(), tbs->encoded.end()));
    chain.pre_certificate = der;
  } else {
    timestamped.signed_entry = *X509SignedEntry(der);
  }
  LogEntryType type = precert ? LogEntryType::kPrecert : LogEntryType::kX509;
  return MakeLenientLogEntry(7, *SerializeMerkleTreeLeaf(timestamped),
                             *SerializeExtraData(type, chain));
}

class HostileNamesTest : public ::testing::Test {
 protected:
  // The watch items the monitor matches for a certificate (and for the precertificate with the
  // same fields), or the parse error that makes it a malformed_cert alert.
  Result<std::vector<std::string>> Watched(Spec spec) {
    spec.serial = ++serial_;
    Bytes der = ca_.IssueLeafWith(spec);
    Result<std::vector<std::string>> as_cert = WatchedEntry(der, false);
    Result<std::vector<std::string>> as_precert = WatchedEntry(der, true);
    EXPECT_EQ(as_cert.has_value(), as_precert.has_value());
    if (as_cert && as_precert) EXPECT_EQ(*as_cert, *as_precert);
    return as_cert;
  }

  Result<std::vector<std::string>> WatchedEntry(const Bytes& der, bool precert) {
    Result<EntryCertificate> cert = CertificateFromEntry(EntryFor(der, ca_, precert));
    if (!cert) return std::unexpected(cert.error());
    return watchlist_.Match(cert->names);
  }

  std::vector<std::string> Items(Spec spec) {
    Result<std::vector<std::string>> items = Watched(std::move(spec));
    EXPECT_TRUE(items) << items.error().message;
    return items.value_or(std::vector<std::string>{"<malformed>"});
  }

  TestCa ca_{"Hostile CA"};
  Watchlist watchlist_ = *Watchlist::Parse(kWatchlist);
  long serial_ = 100;
};

TEST_F(HostileNamesTest, NulInADnsNameMatchesAsWrittenAndTruncated) {
  using namespace std::string_literals;
  // What a C library sees ("www.example.com") and what the bytes say (".evil.org" at the end).
  EXPECT_THAT(Items({.dns_names = {"www.example.com\0.evil.org"s}}), ElementsAre(".example.com"));
  // The watched name after the NUL, where a truncating reader would not look.
  EXPECT_THAT(Items({.dns_names = {"evil.org\0.login.bank.test"s}}),
              ElementsAre("login.bank.test"));
  EXPECT_THAT(Items({.dns_names = {"\0login.bank.test"s}}), ElementsAre("login.bank.test"));
}

TEST_F(HostileNamesTest, CaseAndTrailingDots) {
  EXPECT_THAT(Items({.dns_names = {"WWW.Example.COM"}}), ElementsAre(".example.com"));
  EXPECT_THAT(Items({.dns_names = {"login.bank.test."}}), ElementsAre("login.bank.test"));
  EXPECT_THAT(Items({.dns_names = {"LOGIN.BANK.TEST."}}), ElementsAre("login.bank.test"));
  EXPECT_THAT(Items({.dns_names = {"example.com.."}}), ElementsAre(".example.com"));
  EXPECT_THAT(Items({.common_names = {"Login.Bank.Test."}}), ElementsAre("login.bank.test"));
}

TEST_F(HostileNamesTest, PunycodeAndUnicode) {
  // A-labels in a SAN match the item written in Unicode, in any case.
  EXPECT_THAT(Items({.dns_names = {"www.xn--bcher-kva.example"}}),
              ElementsAre(".xn--bcher-kva.example"));
  EXPECT_THAT(Items({.dns_names = {"XN--BCHER-KVA.EXAMPLE"}}),
              ElementsAre(".xn--bcher-kva.example"));
  // A U-label in a UTF8String CN compares by its A-label.
  EXPECT_THAT(Items({.common_names = {"bücher.example"}}), ElementsAre(".xn--bcher-kva.example"));
  // An "xn--" label that is not valid Punycode cannot be read: fail-safe on the text.
  EXPECT_THAT(Items({.dns_names = {"xn--zz-.example.com"}}), ElementsAre(".example.com"));
  // Raw UTF-8 in a dNSName (an IA5String, RFC 5280 §4.2.1.6): the certificate is malformed,
  // so it raises malformed_cert whatever its names.
  Result<std::vector<std::string>> utf8 = Watched({.dns_names = {"www.bücher.example"}});
  ASSERT_FALSE(utf8);
  EXPECT_THAT(utf8.error().message, ::testing::HasSubstr("IA5String"));
}

TEST(NormalizeDnsNameTest, ComparesNamesInTheWatchlistsForm) {
  EXPECT_EQ(NormalizeDnsName("Bücher.Example."), "xn--bcher-kva.example");
  EXPECT_EQ(NormalizeDnsName("XN--BCHER-KVA.example"), "xn--bcher-kva.example");
  EXPECT_EQ(NormalizeDnsName("WWW.Example.COM"), "www.example.com");
  EXPECT_EQ(NormalizeDnsName("bad\xff.Example"), "bad\xff.example");  // not UTF-8: bytes kept
  // An inventory naming the Unicode form expects the certificate carrying the A-label.
  InventoryRecord record;
  record.names = {"Bücher.example"};
  Expectations expectations({record});
  EXPECT_TRUE(expectations.HasName("xn--bcher-kva.example"));
  EXPECT_TRUE(expectations.HasName("XN--BCHER-KVA.EXAMPLE."));
  EXPECT_FALSE(expectations.HasName("bcher.example"));
}

TEST_F(HostileNamesTest, WildcardsInOddPositions) {
  EXPECT_THAT(Items({.dns_names = {"*.example.com"}}), ElementsAre(".example.com"));
  EXPECT_THAT(Items({.dns_names = {"*.*.example.com"}}), ElementsAre(".example.com"));
  EXPECT_THAT(Items({.dns_names = {"w*.example.com"}}), ElementsAre(".example.com"));
  EXPECT_THAT(Items({.dns_names = {"*example.com"}}), ElementsAre(".example.com"));  // "*.com"
  EXPECT_THAT(Items({.dns_names = {"example.*"}}), ElementsAre(".example.com"));
  EXPECT_THAT(Items({.dns_names = {"*.com"}}), ElementsAre(".example.com"));
  EXPECT_THAT(Items({.dns_names = {"*.bank.test"}}), ElementsAre("login.bank.test"));
  EXPECT_THAT(Items({.dns_names = {"login.*.test"}}), ElementsAre("login.bank.test"));
  EXPECT_THAT(Items({.dns_names = {"*.*.*"}}),
              ElementsAre(".example.com", ".xn--bcher-kva.example", "login.bank.test"));
  // A wildcard that covers none of them.
  EXPECT_THAT(Items({.dns_names = {"*.bank.test.evil"}}), IsEmpty());
}

TEST_F(HostileNamesTest, OverlongLabelsNamesAndEmptyLabels) {
  const std::string long_label(64, 'a');
  EXPECT_THAT(Items({.dns_names = {long_label + ".example.com"}}), ElementsAre(".example.com"));
  std::string long_name;
  for (int i = 0; i < 5; ++i) long_name += std::string(60, 'b') + ".";
  EXPECT_THAT(Items({.dns_names = {long_name + "login.bank.test"}}),
              ElementsAre("login.bank.test"));
  EXPECT_THAT(Items({.dns_names = {"www..example.com"}}), ElementsAre(".example.com"));
  EXPECT_THAT(Items({.dns_names = {".example.com"}}), ElementsAre(".example.com"));
  // A 4 KiB name is just as safe (and bounded: one pass over it per watch item).
  EXPECT_THAT(Items({.dns_names = {std::string(4096, 'x') + ".example.com"}}),
              ElementsAre(".example.com"));
}

TEST_F(HostileNamesTest, SpacesAndControlCharacters) {
  EXPECT_THAT(Items({.dns_names = {"www.example.com evil.org"}}), ElementsAre(".example.com"));
  EXPECT_THAT(Items({.dns_names = {"login.bank.test\t"}}), ElementsAre("login.bank.test"));
  EXPECT_THAT(Items({.dns_names = {"\x01login.bank.test\x7f"}}), ElementsAre("login.bank.test"));
  EXPECT_THAT(Items({.common_names = {"login.bank.test (prod)"}}), ElementsAre("login.bank.test"));
  EXPECT_THAT(Items({.common_names = {" www.example.com"}}), ElementsAre(".example.com"));
}

TEST_F(HostileNamesTest, CommonNameOnlyAndCommonNameBesideUnrelatedSans) {
  EXPECT_THAT(Items({.common_names = {"login.bank.test"}}), ElementsAre("login.bank.test"));
  // RFC 6125 §6.4.4 says a client ignores the CN when SANs exist; some do not, so it counts.
  EXPECT_THAT(Items({.common_names = {"www.example.com"}, .dns_names = {"a.other.org"}}),
              ElementsAre(".example.com"));
  EXPECT_THAT(Items({.common_names = {"a", "b.example.com"}}), ElementsAre(".example.com"));
}

TEST_F(HostileNamesTest, IpAddressSansAreStoredNotMatchedAsNames) {
  const Bytes v4 = {192, 0, 2, 1};
  const Bytes v6 = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  Bytes der =
      ca_.IssueLeafWith({.dns_names = {"www.example.com"}, .ip_addresses = {v4, v6}, .serial = 5});
  Result<EntryCertificate> cert = CertificateFromEntry(EntryFor(der, ca_, false));
  ASSERT_TRUE(cert) << cert.error().message;
  EXPECT_THAT(cert->view.ip_addresses(), ElementsAre("192.0.2.1", "2001:db8::1"));
  EXPECT_THAT(cert->names, ElementsAre("www.example.com"));
  EXPECT_THAT(watchlist_.Match(cert->names), ElementsAre(".example.com"));
  // An IP-only certificate concerns no watched DNS name.
  EXPECT_THAT(Items({.common_names = {"192.0.2.1"}, .ip_addresses = {v4}}), IsEmpty());
  // An iPAddress of the wrong length does not parse: malformed_cert.
  EXPECT_FALSE(Watched({.dns_names = {"www.example.com"}, .ip_addresses = {Bytes{1, 2, 3}}}));
}

TEST_F(HostileNamesTest, SubjectAltNamesThatDoNotParseAreMalformedCertificates) {
  // Decided: a certificate whose subjectAltName does not parse is not matched by its CN alone
  // (its real names are unknown); the entry raises malformed_cert, stored with its raw bytes,
  // for any certificate, watched names or not. Logs refuse such submissions (they parse what
  // they log), so this is rare and never silent.
  const std::vector<Bytes> bad_sans = {
      {},                                          // no SEQUENCE
      {0x30, 0x00},                                // empty GeneralNames
      {0x30, 0x05, 0x82, 0x07, 'e', 'x', 'a'},     // dNSName longer than its SEQUENCE
      {0x30, 0x03, 0x82, 0x01, 'a', 0x00},         // trailing byte
      {0x30, 0x03, 0xa2, 0x01, 'a'},               // constructed dNSName
      {0x30, 0x03, 0x89, 0x01, 'a'},               // GeneralName tag [9]
      {0x04, 0x03, 0x82, 0x01, 'a'},               // OCTET STRING, not SEQUENCE
      {0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x82},  // absurd length
  };
  for (const Bytes& san : bad_sans) {
    Result<std::vector<std::string>> items =
        Watched({.common_names = {"www.example.com"}, .raw_subject_alt_name = san});
    EXPECT_FALSE(items) << HexEncode(san);
  }
}

TEST_F(HostileNamesTest, LookalikesDoNotMatch) {
  // Fail-safe is not "match everything": these are other people's names.
  EXPECT_THAT(Items({.dns_names = {"example.com.evil.org"}}), IsEmpty());
  EXPECT_THAT(Items({.dns_names = {"notexample.com"}}), IsEmpty());
  EXPECT_THAT(Items({.dns_names = {"login.bank.testing"}}), IsEmpty());
  EXPECT_THAT(Items({.dns_names = {"xn--bcher-kva.example.org"}}), IsEmpty());
}

// The same certificates submitted to a real log and read back by `ctkit monitor`: every one
// that concerns a watched name raises an alert; a certificate the log refuses never gets there.
TEST(HostileNamesEndToEndTest, MonitorAlertsOnEveryHostileCertificateInARealLog) {
  using namespace std::string_literals;
  std::string dir = testing::TempDir("ctkit-hostile");
  {
    testing::LocalLog log(dir, "log");
    ASSERT_GT(log.process->port(), 0);
    testing::MakeLogList(dir + "/logs.json", {&log});
    std::ofstream(dir + "/watchlist.txt") << kWatchlist;
    TestCa ca("Hostile CA");
    const std::vector<Spec> hostile = {
        {.dns_names = {"www.example.com\0.evil.org"s}},
        {.dns_names = {"WWW.EXAMPLE.COM."}},
        {.dns_names = {"*.*.example.com"}},
        {.dns_names = {"example.*"}},
        {.dns_names = {std::string(70, 'a') + ".login.bank.test"}},
        {.dns_names = {"xn--bcher-kva.example"}},
        {.common_names = {"login.bank.test"}},
        {.common_names = {"login.bank.test (prod)"}, .ip_addresses = {Bytes{10, 0, 0, 1}}},
        {.dns_names = {"a.other.org"}},  // not watched
    };
    Result<LogClient> client = LogClient::Create(log.url, nullptr, {});
    ASSERT_TRUE(client);
    long serial = 1;
    for (Spec spec : hostile) {
      spec.serial = serial++;
      Bytes leaf = ca.IssueLeafWith(spec);
      Result<SignedCertificateTimestamp> sct = client->AddChain(std::vector<Bytes>{leaf, ca.der()});
      ASSERT_TRUE(sct) << sct.error().message;
    }
    // A certificate whose SAN does not parse is refused by the log.
    Bytes garbage = ca.IssueLeafWith({.common_names = {"www.example.com"},
                                      .raw_subject_alt_name = Bytes{0x30, 0x03, 0xa2, 0x01, 'a'},
                                      .serial = serial++});
    EXPECT_FALSE(client->AddChain(std::vector<Bytes>{garbage, ca.der()}));
    usleep(600 * 1000);  // integrated within the MMD (0.2 s)

    testing::CommandResult run =
        testing::RunCtkit({"monitor", "--once", "--watchlist", dir + "/watchlist.txt", "--db",
                           dir + "/m.db", "--log-list", dir + "/logs.json", "--stdout"});
    EXPECT_EQ(run.exit_code, 1) << run.err;
    std::multiset<std::string> events;
    std::set<long> indexes;
    for (const nlohmann::json& alert : testing::JsonLines(run.out)) {
      events.insert(alert["event"].get<std::string>());
      indexes.insert(alert["finding"]["entries"][0]["index"].get<long>());
    }
    const std::vector<std::string> expected(hostile.size() - 1, "unexpected_cert");
    EXPECT_EQ(events, std::multiset<std::string>(expected.begin(), expected.end()));
    EXPECT_EQ(indexes.size(), hostile.size() - 1);
  }
  testing::RemoveTree(dir);
}

}  // namespace
}  // namespace ctkit
