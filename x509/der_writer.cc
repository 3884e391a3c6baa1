#include "x509/der_writer.h"

namespace ctkit {

void AppendDerHeader(Bytes& out, DerTag tag, size_t content_size) {
  const uint8_t class_and_form =
      static_cast<uint8_t>(static_cast<uint8_t>(tag.tag_class) << 6 | (tag.constructed ? 0x20 : 0));
  if (tag.number < 0x1f) {
    out.push_back(class_and_form | static_cast<uint8_t>(tag.number));
  } else {
    // High tag number form, base 128, most significant group first (X.690 §8.1.2.4).
    out.push_back(class_and_form | 0x1f);
    int shift = 28;
    while (shift > 0 && (tag.number >> shift) == 0) shift -= 7;
    for (; shift > 0; shift -= 7)
      out.push_back(static_cast<uint8_t>(0x80 | ((tag.number >> shift) & 0x7f)));
    out.push_back(static_cast<uint8_t>(tag.number & 0x7f));
  }
  if (content_size < 0x80) {
    out.push_back(static_cast<uint8_t>(content_size));
    return;
  }
  int octets = 0;
  for (size_t n = content_size; n != 0; n >>= 8) ++octets;
  out.push_back(static_cast<uint8_t>(0x80 | octets));
  for (int i = octets - 1; i >= 0; --i)
    out.push_back(static_cast<uint8_t>(content_size >> (8 * i)));
}

void AppendDerElement(Bytes& out, DerTag tag, ByteSpan contents) {
  AppendDerHeader(out, tag, contents.size());
  out.insert(out.end(), contents.begin(), contents.end());
}

}  // namespace ctkit
