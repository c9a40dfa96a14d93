// Name-variant knowledge built into Vigil: Latin renderings of names written
// in other scripts, and English nicknames.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil {

class VariantTables {
 public:
  // The built-in tables, loaded once on first use; thread-safe.
  static const VariantTables& Get();

  // Latin renderings (lower-case ASCII) of a native-script token, most
  // likely first, at most `limit`. Empty for Latin input.
  std::vector<std::string> latin_renderings(std::string_view native_token, size_t limit = 4) const;

  // Lower-case given names equivalent by nickname, in both directions, not
  // including `name` itself.
  const std::vector<std::string>& nicknames(std::string_view name) const;
};

}  // namespace vigil
