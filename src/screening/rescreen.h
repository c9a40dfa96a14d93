// Re-screening of stored travellers when a watch list changes.
//
// A new version of a list can only raise alerts through the entries it adds
// or changes, and only take them back through the entries it changes or
// removes. So the stored travellers on upcoming flights are screened against
// an index of the added and changed entries alone, never the whole list;
// hits of removed entries are withdrawn, and so are those of changed entries
// that no longer reach the threshold.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/watchlist.h"
#include "screening/config.h"
#include "store/store.h"

namespace vigil {

// What changed between two versions of a list, by entry reference (each
// sorted). An entry is changed when its content (every field) differs.
struct ListDiff {
  std::vector<std::string> added, removed, changed;
};

// Compares `from` with `to`; where a reference appears twice in one
// version, its first entry counts.
ListDiff diff_lists(const std::vector<WatchEntry>& from, const std::vector<WatchEntry>& to);

// The outcome of screening travellers against what a new version changed.
struct Rescreen {
  ListDiff diff;
  // Travellers screened (none when nothing was added or changed).
  std::vector<TravellerKey> travellers;
  size_t entries = 0;  // added and changed entries screened against
  // Matches at or above the configured threshold (at most top_k per
  // traveller), each against an added or changed entry, with `list` and
  // `list_version` set to those given and the score as reported (three
  // decimals).
  std::vector<ScreeningHit> hits;
};

// Screens `travellers` against the entries of `current`, version `version`
// of list `list`, that `diff` (diff_lists of the previous version and
// `current`) names added or changed, with `config`. Reads nothing and
// stores nothing.
Rescreen rescreen(const std::string& list, int version, const ListDiff& diff,
                  const std::vector<WatchEntry>& current,
                  const std::vector<UpcomingTraveller>& travellers, const ScreeningConfig& config);

struct RescreenOutcome {
  int64_t new_hits = 0;   // hits stored or opened again
  int64_t withdrawn = 0;  // open hits withdrawn
};

// Brings the stored hits of `list` in line with `r`: records its hits,
// withdraws the open hits of removed entries, and those of changed entries
// that `r` screened the traveller for and did not find again (hits of
// travellers not screened, such as those whose flight has left, stay as
// they are).
Result<RescreenOutcome> record_rescreen(Store* store, const std::string& list, const Rescreen& r);

// What storing a new version of a list did.
struct ListUpdate {
  ListVersionInfo version;
  bool unchanged = false;   // same entries as the active version: nothing stored
  ListDiff diff;
  Rescreen rescreen;
  RescreenOutcome outcome;
  // Flights whose alerts may change: those of new hits, and those of open
  // hits of entries this version removed or changed.
  std::vector<int64_t> affected_flights;
};

// Stores `entries` as a new version of list `name` (see
// Store::StoreListVersion), then re-screens and records hits as described
// above. An error after the version was stored says so.
Result<ListUpdate> update_list(Store* store, const std::string& name, const std::string& format,
                               const std::string& source_sha256, const std::vector<WatchEntry>& entries,
                               const ScreeningConfig& config);

}  // namespace vigil
