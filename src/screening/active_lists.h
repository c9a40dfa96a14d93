// The watch lists screening uses: the active version of each list in the
// store.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/watchlist.h"
#include "store/store.h"

namespace vigil {

struct ActiveLists {
  std::vector<WatchEntry> entries;      // of every list loaded, list by list
  std::map<std::string, int> versions;  // list name -> its active version
};

// The entries of the active versions of the lists named in `names` (every
// list when empty). A name with no active version is an error naming it;
// no list at all is not.
Result<ActiveLists> load_active_lists(Store* store, const std::vector<std::string>& names = {});

}  // namespace vigil
