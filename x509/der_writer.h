// Minimal DER encoding helpers for splicing raw certificate bytes (precertificate transforms).
// Only headers are produced here; contents are always copied byte for byte from the input.

#pragma once

#include <cstddef>

#include "base/bytes.h"
#include "x509/der.h"

namespace ctkit {

// Appends the identifier and length octets of an element with `tag` and `content_size` content
// octets, in DER form: shortest tag and length encodings (X.690 §8.1.2, §10.1).
void AppendDerHeader(Bytes& out, DerTag tag, size_t content_size);

// Appends a whole element: header followed by `contents`.
void AppendDerElement(Bytes& out, DerTag tag, ByteSpan contents);

}  // namespace ctkit
