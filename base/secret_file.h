// Writing a secret (a private key) to a file so that no one else can read it at any moment, no
// symbolic link redirects it, and an existing file is replaced only when asked.
//
//   Result<void> written = WriteNewSecretFile("log.key", pem, /*overwrite=*/force);
//   if (!written) -> "log.key exists; --force to overwrite" (kInvalidArgument), or kIo
//
// A new file is created with open(O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, 0600): mode
// 0600 (less under a stricter umask) from its first byte, never through a symbolic link (O_EXCL
// refuses any existing name, a dangling link included), then written in full and fsync'ed. A
// file that cannot be written completely is removed again.
//
// With `overwrite`, an existing regular file is replaced atomically: the bytes go to a new
// temporary file created the same way next to it (same directory, random name), which is then
// renamed over it. Readers see the old file or the new one, never a mix, and the old file's
// contents and mode are never written to. A symbolic link (or anything but a regular file) at
// the path is refused even then: rename would replace the link itself and leave its target
// alone, and a key where a link used to be is not what its owner meant either.
//
// --force is the flag of every ctkit command that writes a key over an existing one, so the
// refusal names it.

#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "base/error.h"

namespace ctkit {

// `bytes` into a new file at `path`, mode 0600, as described above. Errors: kInvalidArgument
// when the path exists and `overwrite` is false ("PATH exists; --force to overwrite"), or it is
// not a regular file ("PATH is a symbolic link; not overwritten"); kIo when creating, writing or
// renaming fails (with strerror).
Result<void> WriteNewSecretFile(const std::string& path, std::string_view bytes, bool overwrite);

// What WriteNewSecretFile would refuse, checked ahead, for a caller with costly work to do
// before it writes (the same errors, kIo when the path cannot be looked at). The write itself
// still refuses whatever appears at the path in between.
Result<void> CheckNewFilePath(const std::string& path, bool overwrite);

// The same with another `mode`, for the files that go with a secret and are replaced with it
// (a CA's certificates next to its keys).
Result<void> WriteNewFile(const std::string& path, std::string_view bytes, mode_t mode,
                          bool overwrite);

}  // namespace ctkit
