// Moved: the signed entry an SCT was issued over is built in one place, ct/signed_entry.h
// (SignedEntryForSct, BuildSignedEntry). This header only keeps the audit's and the CLI's
// includes and `audit::SignedEntryForSct` working until they include ct/signed_entry.h; nothing
// new should include it.

#pragma once

#include "ct/signed_entry.h"

namespace ctkit::audit {

using ::ctkit::SignedEntryForSct;

}  // namespace ctkit::audit
