// The outcome every watch-list reader returns.
//
// A read either succeeds (no error: the entries may replace the list's active
// version) or fails (at least one error and no entries: the caller keeps the
// previous version). Problems in single rows, lines or elements are located
// warnings and the rest of the input is still read; the input as a whole not
// being the declared format, or holding no entry at all, is an error.
#pragma once

#include <cstddef>
#include <vector>

#include "base/status.h"
#include "model/watchlist.h"

namespace vigil {

// Inputs larger than this are rejected unread.
inline constexpr size_t kMaxListInputBytes = 64u << 20;

// At most this many warnings are kept per read; one more warning then says
// how many were left out.
inline constexpr size_t kMaxListWarnings = 200;

struct ListRead {
  std::vector<WatchEntry> entries;
  Diagnostics diags;
  // True when the read has no error, which is exactly when it has entries.
  bool ok() const { return !diags.has_errors(); }
};

}  // namespace vigil
