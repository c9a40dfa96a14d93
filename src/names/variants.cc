#include "names/variants.h"

namespace vigil {

const VariantTables& VariantTables::Get() {
  static const VariantTables tables;
  return tables;
}

std::vector<std::string> VariantTables::latin_renderings(std::string_view, size_t) const { return {}; }

const std::vector<std::string>& VariantTables::nicknames(std::string_view) const {
  static const std::vector<std::string> kNone;
  return kNone;
}

}  // namespace vigil
