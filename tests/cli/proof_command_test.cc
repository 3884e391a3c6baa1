// `ctkit proof` and `ctkit tree` end to end: the real binary, the shared vectors, exit codes.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run_command.h"
#include "test_support.h"

namespace ctkit {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::RunCtkit;

std::string Join(const json& array) {
  std::string out;
  for (const json& item : array) out += (out.empty() ? "" : ",") + item.get<std::string>();
  return out;
}

// A scratch file removed when the test ends.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    char name[] = "/tmp/ctkit-test-XXXXXX";
    int fd = mkstemp(name);
    path_ = name;
    ssize_t written = write(fd, contents.data(), contents.size());
    (void)written;
    close(fd);
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class ProofCommandTest : public ::testing::Test {
 protected:
  json vectors_ = json::parse(testing::ReadTestDataText("merkle/rfc6962_reference_tree.json"));
};

TEST_F(ProofCommandTest, InclusionVectorsByFlags) {
  for (const json& v : vectors_["inclusion"]) {
    SCOPED_TRACE(v["id"].get<std::string>());
    auto result = RunCtkit({"proof", "inclusion", "--leaf-hash", v["leaf_hash"], "--index",
                            std::to_string(v["leaf_index"].get<uint64_t>()), "--tree-size",
                            std::to_string(v["tree_size"].get<uint64_t>()), "--root", v["root"],
                            "--proof", Join(v["proof"])});
    EXPECT_EQ(result.exit_code, v["valid"].get<bool>() ? 0 : 1) << result.out << result.err;
    EXPECT_THAT(result.out, HasSubstr("OK:"));
  }
}

TEST_F(ProofCommandTest, InclusionVectorsAsJsonFiles) {
  for (const json& v : vectors_["inclusion"]) {
    SCOPED_TRACE(v["id"].get<std::string>());
    TempFile file(v.dump());
    auto result = RunCtkit({"proof", "inclusion", "--json", file.path(), "--format", "json"});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    json out = json::parse(result.out);
    EXPECT_EQ(out["verified"], true);
    EXPECT_EQ(out["type"], "inclusion");
    EXPECT_EQ(out["root_hash"], v["root"]);
  }
}

TEST_F(ProofCommandTest, ConsistencyVectors) {
  for (const json& v : vectors_["consistency"]) {
    SCOPED_TRACE(v["id"].get<std::string>());
    auto by_flags =
        RunCtkit({"proof", "consistency", "--old-size", std::to_string(v["size1"].get<uint64_t>()),
                  "--new-size", std::to_string(v["size2"].get<uint64_t>()), "--old-root",
                  v["root1"], "--new-root", v["root2"], "--proof", Join(v["proof"])});
    EXPECT_EQ(by_flags.exit_code, 0) << by_flags.out << by_flags.err;
    TempFile file(v.dump());
    auto by_json = RunCtkit({"proof", "consistency", "--json", file.path()});
    EXPECT_EQ(by_json.exit_code, 0) << by_json.out << by_json.err;
  }
}

TEST_F(ProofCommandTest, WrongRootExitsOneWithReason) {
  const json& v = vectors_["inclusion"].back();
  std::string root = v["root"];
  root[0] = root[0] == '0' ? '1' : '0';
  auto result = RunCtkit({"proof", "inclusion", "--leaf-hash", v["leaf_hash"], "--index",
                          std::to_string(v["leaf_index"].get<uint64_t>()), "--tree-size",
                          std::to_string(v["tree_size"].get<uint64_t>()), "--root", root, "--proof",
                          Join(v["proof"])});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("does not verify"));
  EXPECT_THAT(result.out, HasSubstr("does not match expected"));
}

TEST_F(ProofCommandTest, StructurallyWrongProofExitsOne) {
  std::string root = vectors_["roots_by_size"]["8"];
  std::string leaf = vectors_["leaf_hashes"][0];
  auto result = RunCtkit({"proof", "inclusion", "--leaf-hash", leaf, "--index", "0", "--tree-size",
                          "8", "--root", root, "--proof", ""});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("proof has 0 nodes, want 3"));
  auto from_zero =
      RunCtkit({"proof", "consistency", "--old-size", "0", "--new-size", "8", "--old-root",
                std::string(vectors_["roots_by_size"]["0"]), "--new-root", root});
  EXPECT_EQ(from_zero.exit_code, 1);
  EXPECT_THAT(from_zero.out, HasSubstr("size 0"));
}

TEST_F(ProofCommandTest, MalformedInputExitsTwo) {
  std::string root = vectors_["roots_by_size"]["8"];
  std::string leaf = vectors_["leaf_hashes"][0];
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"--leaf-hash", "xyz", "--index", "0", "--tree-size", "8", "--root", root}, "--leaf-hash"},
      {{"--leaf-hash", leaf.substr(2), "--index", "0", "--tree-size", "8", "--root", root},
       "want 64 hex digits"},
      {{"--leaf-hash", leaf, "--index", "0", "--tree-size", "8", "--root", root, "--proof",
        leaf + ",zz"},
       "--proof node 1"},
      {{"--leaf-hash", leaf, "--index", "0", "--tree-size", "8"}, "missing --root"},
      {{"--leaf-hash", leaf, "--index", "-1", "--tree-size", "8", "--root", root}, "--index"},
      {{"--leaf-hash", leaf, "--leaf-data", "/dev/null", "--index", "0", "--tree-size", "1",
        "--root", root},
       "excludes"},
      {{"--json", "/nonexistent/proof.json"}, "/nonexistent/proof.json"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"proof", "inclusion"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto result = RunCtkit(args);
    EXPECT_EQ(result.exit_code, 2) << c.message << ": " << result.out << result.err;
    EXPECT_THAT(result.err, HasSubstr(c.message));
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  }
}

TEST_F(ProofCommandTest, HostileJsonExitsTwo) {
  for (const std::string& text :
       {std::string("{"), std::string(100000, '['), std::string("[]"),
        std::string(R"({"leaf_index": -1})"), std::string(R"({"audit_path": "abc"})")}) {
    TempFile file(text);
    auto result = RunCtkit({"proof", "inclusion", "--json", file.path()});
    EXPECT_EQ(result.exit_code, 2) << text.substr(0, 40) << result.err;
  }
}

TEST_F(ProofCommandTest, LeafDataFromFileAndStdin) {
  // Leaf 7 of the reference tree, given as its data rather than its hash.
  const json& leaves = vectors_["leaves_hex"];
  Bytes data = *HexDecode(leaves[7].get<std::string>());
  std::string raw(data.begin(), data.end());
  TempFile tree_json("");
  std::vector<std::unique_ptr<TempFile>> leaf_files;
  std::vector<std::string> args = {"tree", "--prove-inclusion", "7", "--format", "json"};
  for (const json& leaf : leaves) {
    Bytes bytes = *HexDecode(leaf.get<std::string>());
    leaf_files.push_back(std::make_unique<TempFile>(std::string(bytes.begin(), bytes.end())));
    args.push_back(leaf_files.back()->path());
  }
  auto tree = RunCtkit(args);
  ASSERT_EQ(tree.exit_code, 0) << tree.err;
  json proof = json::parse(tree.out);
  EXPECT_EQ(proof["root_hash"], vectors_["roots_by_size"]["8"]);
  EXPECT_EQ(proof["leaf_hash"], vectors_["leaf_hashes"][7]);

  auto by_stdin =
      RunCtkit({"proof", "inclusion", "--leaf-data", "-", "--index", "7", "--tree-size", "8",
                "--root", proof["root_hash"], "--proof", Join(proof["audit_path"])},
               raw);
  EXPECT_EQ(by_stdin.exit_code, 0) << by_stdin.out << by_stdin.err;
  auto wrong_data =
      RunCtkit({"proof", "inclusion", "--leaf-data", "-", "--index", "7", "--tree-size", "8",
                "--root", proof["root_hash"], "--proof", Join(proof["audit_path"])},
               raw + "x");
  EXPECT_EQ(wrong_data.exit_code, 1);
}

TEST_F(ProofCommandTest, TreeProofsRoundTripThroughProofCommand) {
  std::vector<std::unique_ptr<TempFile>> files;
  std::vector<std::string> paths;
  for (int i = 0; i < 21; ++i) {
    files.push_back(std::make_unique<TempFile>("entry " + std::to_string(i)));
    paths.push_back(files.back()->path());
  }
  for (const std::string& index : {"0", "6", "20"}) {
    std::vector<std::string> args = {"tree", "--format", "json", "--prove-inclusion", index};
    args.insert(args.end(), paths.begin(), paths.end());
    auto tree = RunCtkit(args);
    ASSERT_EQ(tree.exit_code, 0) << tree.err;
    TempFile proof(tree.out);
    auto verify = RunCtkit({"proof", "inclusion", "--json", proof.path()});
    EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  }
  for (const std::string& old_size : {"1", "8", "13", "21"}) {
    std::vector<std::string> args = {"tree", "--format", "json", "--prove-consistency", old_size};
    args.insert(args.end(), paths.begin(), paths.end());
    auto tree = RunCtkit(args);
    ASSERT_EQ(tree.exit_code, 0) << tree.err;
    TempFile proof(tree.out);
    auto verify = RunCtkit({"proof", "consistency", "--json", proof.path()});
    EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  }
  std::vector<std::string> beyond = {"tree", "--prove-inclusion", "21"};
  beyond.insert(beyond.end(), paths.begin(), paths.end());
  EXPECT_EQ(RunCtkit(beyond).exit_code, 2);
}

TEST(CtkitCommandTest, HelpAndVersion) {
  auto version = RunCtkit({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, HasSubstr("ctkit "));
  EXPECT_THAT(version.out, HasSubstr("OpenSSL 3."));
  EXPECT_THAT(version.out, HasSubstr("malloc: "));
  for (std::vector<std::string> args : {std::vector<std::string>{"--help"},
                                        {"proof", "--help"},
                                        {"proof", "inclusion", "--help"},
                                        {"proof", "consistency", "--help"},
                                        {"tree", "--help"}}) {
    auto help = RunCtkit(args);
    EXPECT_EQ(help.exit_code, 0) << args.front();
    EXPECT_THAT(help.out, HasSubstr("Usage:"));
  }
  EXPECT_EQ(RunCtkit({}).exit_code, 2);
  EXPECT_EQ(RunCtkit({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(RunCtkit({"proof"}).exit_code, 2);
}

}  // namespace
}  // namespace ctkit
