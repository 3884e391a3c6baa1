// PidLock: one process at a time for a resource (a monitor's database), with the holder named.
//
//   Result<PidLock> lock = PidLock::Acquire(db + ".lock");
//   if (!lock) -> "in use by another monitor (PID 1234)"
//
// An advisory flock(2) on a lock file that holds the owner's PID. The kernel releases it when
// the process ends, however it ends (kill -9, power loss), so a stale file never blocks a
// restart. The file is left in place.

#pragma once

#include <sys/types.h>

#include <string>

#include "base/error.h"

namespace ctkit {

class PidLock {
 public:
  // Takes the lock or fails at once: kInvalidArgument "... is in use by PID N" when another
  // process holds it, kIo when the file cannot be opened.
  static Result<PidLock> Acquire(const std::string& path);

  PidLock(PidLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  PidLock& operator=(PidLock&& other) noexcept;
  PidLock(const PidLock&) = delete;
  PidLock& operator=(const PidLock&) = delete;
  ~PidLock();

 private:
  explicit PidLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace ctkit
