// The SQLite schema as an ordered list of migrations. Migration N brings a
// database from user_version N-1 to N; released migrations never change.
#pragma once

#include <string_view>
#include <vector>

namespace vigil::sqlite {

const std::vector<std::string_view>& migrations();

}  // namespace vigil::sqlite
