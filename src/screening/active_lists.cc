#include "screening/active_lists.h"

#include <algorithm>

namespace vigil {

Result<ActiveLists> load_active_lists(Store* store, const std::vector<std::string>& names) {
  auto versions = store->ListVersions("");
  if (!versions.ok()) return versions.status();
  ActiveLists out;
  for (const auto& v : *versions) {
    if (!v.active) continue;
    if (!names.empty() && std::find(names.begin(), names.end(), v.name) == names.end()) continue;
    auto entries = store->ListEntries(v.name, 0);
    if (!entries.ok()) return entries.status();
    for (auto& e : *entries) out.entries.push_back(std::move(e));
    out.versions[v.name] = v.version;
  }
  for (const auto& name : names)
    if (!out.versions.count(name)) return Status::Error("no watch list named '" + name + "' (see vigil lists list)");
  return out;
}

}  // namespace vigil
