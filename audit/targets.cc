#include "audit/targets.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

namespace ctkit::audit {
namespace {

namespace fs = std::filesystem;

bool HasCertificateExtension(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".pem" || extension == ".crt" || extension == ".cer" || extension == ".der";
}

Result<void> AddDirectory(const std::string& root, std::vector<AuditTarget>& out) {
  std::error_code error;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, error);
  if (error) return MakeError(ErrorCode::kIo, root + ": " + error.message());
  std::vector<std::string> found;
  for (; it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (error) return MakeError(ErrorCode::kIo, root + ": " + error.message());
    std::error_code ignored;
    if (!it->is_regular_file(ignored) || !HasCertificateExtension(it->path())) continue;
    found.push_back(it->path().string());
    if (out.size() + found.size() > kMaxTargets) {
      return MakeError(ErrorCode::kInvalidArgument,
                       root + ": more than " + std::to_string(kMaxTargets) + " files");
    }
  }
  if (error) return MakeError(ErrorCode::kIo, root + ": " + error.message());
  std::sort(found.begin(), found.end());  // directory order is arbitrary; reports should not be
  for (std::string& path : found) {
    out.push_back(
        {.kind = AuditTarget::Kind::kFile, .name = std::move(path), .from_directory = true});
  }
  return {};
}

}  // namespace

Result<Endpoint> ParseEndpoint(std::string_view text) {
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return MakeError(ErrorCode::kInvalidArgument, QuoteUntrusted(text) + ": not [IPV6]:PORT");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return MakeError(ErrorCode::kInvalidArgument, QuoteUntrusted(text) + ": not HOST:PORT");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return MakeError(ErrorCode::kInvalidArgument,
                       QuoteUntrusted(text) + ": put an IPv6 address in brackets: [ADDR]:PORT");
    }
  }
  if (host.empty() || host.size() > 253) {
    return MakeError(ErrorCode::kInvalidArgument, QuoteUntrusted(text) + ": bad host");
  }
  for (char c : host) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
              c == ':' || c == '%';
    if (!ok) return MakeError(ErrorCode::kInvalidArgument, QuoteUntrusted(text) + ": bad host");
  }
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, QuoteUntrusted(text) + ": bad port");
  }
  unsigned long number = std::stoul(std::string(port));
  if (number == 0 || number > 65535) {
    return MakeError(ErrorCode::kInvalidArgument, QuoteUntrusted(text) + ": port out of range");
  }
  return Endpoint{std::string(host), static_cast<uint16_t>(number)};
}

Result<std::vector<AuditTarget>> ExpandTargets(std::span<const std::string> arguments) {
  std::vector<AuditTarget> targets;
  for (const std::string& argument : arguments) {
    std::error_code error;
    fs::file_status status = fs::status(argument, error);
    if (!error && fs::is_directory(status)) {
      if (Result<void> added = AddDirectory(argument, targets); !added) {
        return std::unexpected(added.error());
      }
    } else if (!error && fs::exists(status)) {
      targets.push_back({.kind = AuditTarget::Kind::kFile, .name = argument});
    } else {
      Result<Endpoint> endpoint = ParseEndpoint(argument);
      if (!endpoint) {
        return MakeError(ErrorCode::kNotFound,
                         argument + ": no such file or directory, and not HOST:PORT");
      }
      targets.push_back(
          {.kind = AuditTarget::Kind::kEndpoint, .name = argument, .endpoint = *endpoint});
    }
    if (targets.size() > kMaxTargets) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "more than " + std::to_string(kMaxTargets) + " targets");
    }
  }
  return targets;
}

}  // namespace ctkit::audit
