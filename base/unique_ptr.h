// UniquePtr<T>: std::unique_ptr for the C libraries' object types, freed by the function
// registered for T, as BoringSSL's bssl::UniquePtr:
//
//   UniquePtr<X509> cert(d2i_X509(nullptr, &data, length));   // X509_free when it goes
//
// A type is registered once, where its library is wrapped: base/openssl_ptr.h for libcrypto,
// the one file that includes a library's header for the others. Registering declares
// Deleter<T>; CTKIT_DEFINE_DELETER defines it (in that library's .cc, or inline in a header).

#pragma once

#include <memory>

namespace ctkit {

template <typename T>
struct Deleter;  // specialized for each registered type

template <typename T>
using UniquePtr = std::unique_ptr<T, Deleter<T>>;

}  // namespace ctkit

// Declares Deleter<type> (inside namespace ctkit; `type` may be forward-declared).
#define CTKIT_DECLARE_DELETER(type)      \
  namespace ctkit {                      \
  template <>                            \
  struct Deleter<type> {                 \
    void operator()(type* object) const; \
  };                                     \
  }

// Defines the Deleter<type> declared above: `free` releases a `type*`.
#define CTKIT_DEFINE_DELETER(type, free) \
  void ctkit::Deleter<type>::operator()(type* object) const { free(object); }
