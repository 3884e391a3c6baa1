#include "ct/delivered_scts.h"

#include <optional>
#include <utility>

#include "ct/sct.h"
#include "ct/sct_ocsp.h"

namespace ctkit {

void AppendDeliveredScts(ByteSpan list, SctDelivery delivery, std::vector<DeliveredSct>& out) {
  Result<std::vector<Bytes>> items = ParseSctList(list);
  if (!items) {
    out.push_back({Bytes(list.begin(), list.end()), delivery});
    return;
  }
  for (Bytes& item : *items) out.push_back({std::move(item), delivery});
}

std::vector<DeliveredSct> SctsFromTlsExtension(ByteSpan data) {
  std::vector<DeliveredSct> out;
  AppendDeliveredScts(data, SctDelivery::kTlsExtension, out);
  return out;
}

Result<std::vector<DeliveredSct>> SctsFromOcspResponse(ByteSpan ocsp_response_der,
                                                       ByteSpan certificate_serial) {
  ASSIGN_OR_RETURN(std::optional<Bytes> list,
                   ExtractOcspSctList(ocsp_response_der, certificate_serial));
  std::vector<DeliveredSct> out;
  if (list) AppendDeliveredScts(*list, SctDelivery::kOcspResponse, out);
  return out;
}

}  // namespace ctkit
