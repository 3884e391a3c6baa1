// Reading one audit target from a file (audit/audit_runner.h LoadTarget): the whole file is
// read whatever its size or kind, into a buffer the worker reuses from file to file.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>
#include <thread>

#include "audit/audit_runner.h"
#include "test_support.h"
#include "x509/pem.h"

namespace ctkit::audit {
namespace {

class LoadTargetTest : public ::testing::Test {
 protected:
  void TearDown() override { testing::RemoveTree(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // The test certificate's DER, as PEM decoding finds it.
  Bytes LeafDer() {
    Result<std::vector<Bytes>> ders = DecodeCertificateInput(ByteSpan(leaf_pem_bytes_));
    EXPECT_TRUE(ders.has_value());
    return ders ? ders->front() : Bytes();
  }

  std::string dir_ = testing::TempDir("load-target");
  Bytes leaf_pem_bytes_ = testing::ReadTestData("sct/ctlog/test-cert.pem");
  std::string leaf_pem_{leaf_pem_bytes_.begin(), leaf_pem_bytes_.end()};
  std::string ca_pem_ = testing::ReadTestDataText("sct/ctlog/ca-cert.pem");
};

TEST_F(LoadTargetTest, FilesOfEverySizeAreReadWhole) {
  // Text before a PEM block is skipped by the decoder; it makes the file larger than any single
  // read of the worker's buffer would be by chance, and each file smaller than the one before,
  // so a reused buffer must not leak bytes of the previous file.
  for (size_t padding : {size_t{200000}, size_t{70000}, size_t{5000}, size_t{0}}) {
    SCOPED_TRACE(padding);
    std::string path = Write("chain.pem", std::string(padding, 'x') + "\n" + leaf_pem_ + ca_pem_);
    Result<std::optional<AuditSubject>> subject =
        LoadTarget({.kind = AuditTarget::Kind::kFile, .name = path}, {});
    ASSERT_TRUE(subject.has_value()) << subject.error().message;
    ASSERT_TRUE(subject->has_value());
    EXPECT_EQ(Bytes((*subject)->leaf.der().begin(), (*subject)->leaf.der().end()), LeafDer());
    EXPECT_EQ((*subject)->others.size(), 1u);
  }
}

TEST_F(LoadTargetTest, AFileWithoutASizeIsReadToItsEnd) {
  // A FIFO: fstat gives no size, so everything comes through the reading loop.
  std::string path = dir_ + "/fifo.pem";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  const std::string content = std::string(100000, 'y') + "\n" + leaf_pem_;
  std::thread writer([&] { std::ofstream(path, std::ios::binary) << content; });
  Result<std::optional<AuditSubject>> subject =
      LoadTarget({.kind = AuditTarget::Kind::kFile, .name = path}, {});
  writer.join();
  ASSERT_TRUE(subject.has_value()) << subject.error().message;
  ASSERT_TRUE(subject->has_value());
  EXPECT_EQ(Bytes((*subject)->leaf.der().begin(), (*subject)->leaf.der().end()), LeafDer());
  EXPECT_TRUE((*subject)->others.empty());
}

TEST_F(LoadTargetTest, UnreadableAndOversizedFilesAreErrors) {
  Result<std::optional<AuditSubject>> missing =
      LoadTarget({.kind = AuditTarget::Kind::kFile, .name = dir_ + "/missing.pem"}, {});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_NE(missing.error().message.find("cannot open"), std::string::npos);

  std::string big = Write("big.pem", std::string(kMaxCertificateFileBytes + 1, 'z'));
  Result<std::optional<AuditSubject>> oversized =
      LoadTarget({.kind = AuditTarget::Kind::kFile, .name = big}, {});
  ASSERT_FALSE(oversized.has_value());
  EXPECT_EQ(oversized.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(oversized.error().message.find("not a certificate file"), std::string::npos);

  // An empty file found in a directory is not an audit subject; named explicitly it is an error.
  std::string empty = Write("empty.pem", "");
  Result<std::optional<AuditSubject>> skipped =
      LoadTarget({.kind = AuditTarget::Kind::kFile, .name = empty, .from_directory = true}, {});
  ASSERT_TRUE(skipped.has_value());
  EXPECT_FALSE(skipped->has_value());
  EXPECT_FALSE(LoadTarget({.kind = AuditTarget::Kind::kFile, .name = empty}, {}).has_value());
}

}  // namespace
}  // namespace ctkit::audit
