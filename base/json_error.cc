#include "base/json_error.h"

#include <string>

namespace ctkit {

std::string_view JsonErrorKind(int exit_code) {
  switch (exit_code) {
    case 1:
      return "verification";
    case 2:
      return "usage";
    case 3:
      return "network";
    default:
      return "internal";
  }
}

nlohmann::ordered_json JsonErrorObject(int exit_code, std::string_view message) {
  return {{"error",
           {{"code", exit_code},
            {"kind", JsonErrorKind(exit_code)},
            {"message", std::string(message)}}}};
}

}  // namespace ctkit
