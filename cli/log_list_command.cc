// `ctkit log make-list`: a log list v3 for logs you run (ct/log_list_writer.h), so local logs
// are trusted through a list like public ones.

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "cli/command.h"
#include "cli/input.h"
#include "ct/log_key.h"
#include "ct/log_list.h"
#include "ct/log_list_writer.h"
#include "ct/log_signer.h"

namespace ctkit::cli {
namespace {

struct MakeListOptions {
  std::vector<std::string> logs;
  std::string out;
};

// "operator=NAME,url=URL,key=FILE[,description=TEXT][,mmd=SECONDS][,api=rfc6962|static]";
// api=static lists the log under tiled_logs (URL as submission and monitoring prefix). FILE holds the log's
// private key (as `ctkit log keygen` writes it) or its public key (PEM).
Result<LogListEntry> ParseLogSpec(const std::string& spec) {
  std::map<std::string, std::string> fields;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    std::string item = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t equals = item.find('=');
    if (equals == std::string::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "--log: expected key=value, got \"" + item + "\"");
    }
    fields[item.substr(0, equals)] = item.substr(equals + 1);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  for (const char* required : {"operator", "url", "key"}) {
    if (fields[required].empty()) {
      return MakeError(ErrorCode::kInvalidArgument, std::string("--log: missing ") + required + "=");
    }
  }
  Result<Bytes> key_file = ReadInputFile(fields["key"]);
  if (!key_file) return std::unexpected(key_file.error());
  std::string_view pem(reinterpret_cast<const char*>(key_file->data()), key_file->size());
  LogListEntry entry{.operator_name = fields["operator"],
                     .description = fields["description"].empty() ? fields["url"] : fields["description"],
                     .url = fields["url"]};
  if (Result<std::shared_ptr<const LogSigner>> signer = LogSigner::FromPem(pem)) {
    entry.key_der = (*signer)->public_key_der();
  } else if (Result<std::shared_ptr<const LogKey>> key = LogKey::FromPem(pem)) {
    entry.key_der = (*key)->spki_der();
  } else {
    return MakeError(ErrorCode::kInvalidArgument, fields["key"] + ": neither a log private key nor a public key");
  }
  if (fields["api"] == "static") {
    entry.tiled = true;
  } else if (!fields["api"].empty() && fields["api"] != "rfc6962") {
    return MakeError(ErrorCode::kInvalidArgument, "--log: api must be rfc6962 or static");
  }
  if (!fields["mmd"].empty()) {
    if (fields["mmd"].find_first_not_of("0123456789") != std::string::npos || fields["mmd"].size() > 9) {
      return MakeError(ErrorCode::kInvalidArgument, "--log: mmd must be whole seconds");
    }
    entry.mmd_seconds = std::stoull(fields["mmd"]);
  }
  return entry;
}

int RunMakeList(const MakeListOptions& options) {
  std::vector<LogListEntry> entries;
  for (const std::string& spec : options.logs) {
    Result<LogListEntry> entry = ParseLogSpec(spec);
    if (!entry) {
      PrintError("log make-list: " + entry.error().message);
      return kExitUsage;
    }
    entries.push_back(std::move(*entry));
  }
  int64_t now = UnixNowMs();
  std::string json = MakeLogListJson(entries, now);
  if (Result<LogList> check = LogList::Parse(json); !check) {  // never write a list we cannot read
    PrintError("log make-list: " + check.error().message);
    return kExitUsage;
  }
  std::FILE* file = options.out == "-" ? stdout : std::fopen(options.out.c_str(), "wb");
  if (file == nullptr) {
    PrintError("log make-list: cannot create " + options.out);
    return kExitUsage;
  }
  std::fwrite(json.data(), 1, json.size(), file);
  if (file != stdout) std::fclose(file);
  return kExitOk;
}

}  // namespace

void AddLogListCommand(CLI::App& log, Action& run) {
  auto options = std::make_shared<MakeListOptions>();
  CLI::App* command = log.add_subcommand(
      "make-list", "Write a log list (v3 JSON) naming logs you run, for --log-list options");
  command->add_option("--log", options->logs,
                      "operator=NAME,url=URL,key=KEY_FILE[,description=TEXT][,mmd=SECONDS] "
                      "(repeatable)")
      ->required();
  command->add_option("--out", options->out, "Output file, - for stdout")->required();
  command->callback([options, &run] { run = [options] { return RunMakeList(*options); }; });
}

}  // namespace ctkit::cli
