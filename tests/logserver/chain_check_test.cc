// CheckChain (logserver/chain_check.h): what a CT log requires of a submitted chain (RFC 6962
// §3.1, §4.1): issuers that are CAs within their path length, Precertificate Signing
// Certificates only where §3.1 allows them, and a chain that ends at an accepted root.
// Every rejected chain here is signed link by link, so only the rule under test rejects it; a
// chain of the same shape with the rule satisfied is accepted.

#include "logserver/chain_check.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cert_factory.h"

namespace ctkit {
namespace {

using testing::CaProfile;
using testing::TestCa;

constexpr char kPrecertSigningEku[] = "critical,1.3.6.1.4.1.11129.2.4.4";  // RFC 6962 §3.1

CertificateView View(const Bytes& der) {
  Result<CertificateView> view = CertificateView::Parse(der);
  EXPECT_TRUE(view) << view.error().message;
  return *view;
}

std::vector<CertificateView> Views(const std::vector<Bytes>& chain) {
  std::vector<CertificateView> views;
  for (const Bytes& der : chain) views.push_back(View(der));
  return views;
}

// The error CheckChain gives for `chain` with `roots`, or "" when it accepts it.
std::string Rejection(const std::vector<Bytes>& chain, const std::vector<Bytes>& roots) {
  Result<std::vector<CertificateView>> checked = CheckChain(Views(chain), Views(roots));
  if (checked) return "";
  EXPECT_EQ(checked.error().code, ErrorCode::kInvalidArgument);
  return checked.error().message.empty() ? "(empty message)" : checked.error().message;
}

class ChainCheckTest : public ::testing::Test {
 protected:
  TestCa root_{"Chain Root"};
};

// The attack: a leaf's key signs a certificate for someone else's name.
TEST_F(ChainCheckTest, ALeafCannotIssue) {
  TestCa leaf = root_.IssueCa("attacker.example", {.basic_constraints = "",
                                                   .key_usage = "critical,digitalSignature",
                                                   .extended_key_usage = "serverAuth"});
  Bytes forged = leaf.IssueLeaf("login.victim-bank.com", 7);
  EXPECT_EQ(Rejection({forged, leaf.der(), root_.der()}, {root_.der()}),
            "chain[1]: not a CA (no basicConstraints)");
  // Left out, the root is found and the chain still fails at the leaf acting as a CA.
  EXPECT_EQ(Rejection({forged, leaf.der()}, {root_.der()}),
            "chain[1]: not a CA (no basicConstraints)");
  // A staging log (no roots) checks the same.
  EXPECT_EQ(Rejection({forged, leaf.der()}, {}), "chain[1]: not a CA (no basicConstraints)");
}

TEST_F(ChainCheckTest, IssuersMustBeCasAllowedToSignCertificates) {
  struct Case {
    CaProfile profile;
    std::string rejection;  // "" when accepted
  };
  std::vector<Case> cases = {
      {{.basic_constraints = "critical,CA:FALSE"},
       "chain[1]: not a CA (basicConstraints cA is FALSE)"},
      {{.key_usage = "critical,digitalSignature,cRLSign"},
       "chain[1]: not a CA (keyUsage without keyCertSign)"},
      {{}, ""},
      {{.key_usage = "critical,keyCertSign,cRLSign"}, ""},
  };
  for (const Case& c : cases) {
    TestCa intermediate = root_.IssueCa("Intermediate", c.profile);
    Bytes leaf = intermediate.IssueLeaf("www.example.com", 2);
    EXPECT_EQ(Rejection({leaf, intermediate.der(), root_.der()}, {root_.der()}), c.rejection)
        << c.profile.basic_constraints << " / " << c.profile.key_usage;
  }
  // The root is an issuer too.
  TestCa not_a_ca("Not A Root", {.basic_constraints = "critical,CA:FALSE"});
  EXPECT_EQ(Rejection({not_a_ca.IssueLeaf("a.example.com", 3), not_a_ca.der()}, {not_a_ca.der()}),
            "chain[1]: not a CA (basicConstraints cA is FALSE)");
}

TEST_F(ChainCheckTest, PathLengthIsRespected) {
  TestCa limited = root_.IssueCa("Limited CA", {.basic_constraints = "critical,CA:TRUE,pathlen:0"});
  TestCa below = limited.IssueCa("Sub CA");
  // pathlen:0 over a CA that issued the leaf: one intermediate too many.
  EXPECT_EQ(
      Rejection({below.IssueLeaf("a.example.com", 2), below.der(), limited.der()}, {root_.der()}),
      "chain[2]: pathLenConstraint 0 exceeded (1 intermediate below it)");
  // pathlen:0 issuing the leaf itself is fine.
  EXPECT_EQ(Rejection({limited.IssueLeaf("b.example.com", 3), limited.der()}, {root_.der()}), "");
  // A self-issued certificate (a key rollover: same name, new key) does not count
  // (RFC 5280 §6.1.4 (l)).
  TestCa rolled = limited.IssueCa("Limited CA");
  EXPECT_EQ(
      Rejection({rolled.IssueLeaf("c.example.com", 4), rolled.der(), limited.der()}, {root_.der()}),
      "");
  // The root's own constraint counts every intermediate below it.
  TestCa strict_root("Strict Root", {.basic_constraints = "critical,CA:TRUE,pathlen:1"});
  TestCa first = strict_root.IssueCa("First CA");
  TestCa second = first.IssueCa("Second CA");
  EXPECT_EQ(Rejection({second.IssueLeaf("d.example.com", 5), second.der(), first.der()},
                      {strict_root.der()}),
            "chain[3]: pathLenConstraint 1 exceeded (2 intermediates below it)");
  EXPECT_EQ(Rejection({first.IssueLeaf("e.example.com", 6), first.der()}, {strict_root.der()}), "");
}

TEST_F(ChainCheckTest, PrecertificateSigningCertificate) {
  // RFC 6962 §3.1: the PSC is certified directly by the CA that will issue the final
  // certificate, here one with pathlen:0: the PSC does not count against it.
  TestCa ca = root_.IssueCa("Issuing CA", {.basic_constraints = "critical,CA:TRUE,pathlen:0",
                                           .key_usage = "critical,keyCertSign,cRLSign"});
  TestCa psc =
      ca.IssueCa("Issuing CA Precertificate Signing", {.extended_key_usage = kPrecertSigningEku});
  Bytes precert = psc.IssueLeaf("pre.example.com", 2, /*precertificate=*/true);
  Result<std::vector<CertificateView>> full =
      CheckChain(Views({precert, psc.der(), ca.der()}), Views({root_.der()}));
  ASSERT_TRUE(full) << full.error().message;
  ASSERT_EQ(full->size(), 4u);  // the root appended
  EXPECT_EQ(full->back().sha256(), View(root_.der()).sha256());

  // Only a precertificate, directly below it.
  EXPECT_EQ(Rejection({psc.IssueLeaf("final.example.com", 3), psc.der(), ca.der()}, {root_.der()}),
            "chain[1]: a Precertificate Signing Certificate may only sign a precertificate");
  // Its issuer must be in the chain (a staging log cannot find it among its roots).
  EXPECT_EQ(Rejection({precert, psc.der()}, {}),
            "chain[1]: Precertificate Signing Certificate without the CA that issued it");
  // It is a CA certificate ("CA:true"), like any other issuer.
  TestCa not_ca_psc = ca.IssueCa("Not A CA PSC", {.basic_constraints = "critical,CA:FALSE",
                                                  .extended_key_usage = kPrecertSigningEku});
  EXPECT_EQ(Rejection({not_ca_psc.IssueLeaf("p.example.com", 4, true), not_ca_psc.der(), ca.der()},
                      {root_.der()}),
            "chain[1]: not a CA (basicConstraints cA is FALSE)");
}

TEST_F(ChainCheckTest, TheChainEndsAtAnAcceptedRoot) {
  TestCa intermediate = root_.IssueCa("Intermediate");
  Bytes leaf = intermediate.IssueLeaf("www.example.com", 2);
  TestCa other_root("Other Root");
  std::vector<Bytes> roots = {other_root.der(), root_.der()};
  // Submitted with its root: stored as submitted.
  Result<std::vector<CertificateView>> with_root =
      CheckChain(Views({leaf, intermediate.der(), root_.der()}), Views(roots));
  ASSERT_TRUE(with_root) << with_root.error().message;
  EXPECT_EQ(with_root->size(), 3u);
  // Without it: the accepted root that signed the last certificate is appended.
  Result<std::vector<CertificateView>> without_root =
      CheckChain(Views({leaf, intermediate.der()}), Views(roots));
  ASSERT_TRUE(without_root) << without_root.error().message;
  ASSERT_EQ(without_root->size(), 3u);
  EXPECT_EQ(without_root->back().sha256(), View(root_.der()).sha256());
  // A root of the same name with another key did not sign it.
  TestCa impostor("Chain Root");
  EXPECT_EQ(Rejection({leaf, intermediate.der()}, {impostor.der()}),
            "chain[1]: not an accepted root, nor issued by one (RFC 6962 §4.1)");
  // With no roots (a staging log), the chain is kept as submitted.
  Result<std::vector<CertificateView>> staging = CheckChain(Views({leaf, intermediate.der()}), {});
  ASSERT_TRUE(staging);
  EXPECT_EQ(staging->size(), 2u);
}

}  // namespace
}  // namespace ctkit
