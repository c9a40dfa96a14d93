// Reader for PNRGOV pushes in IATA's XML form.
#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "formats/options.h"
#include "model/travel.h"

namespace vigil {

// Parses one PNRGOV XML document (one push) from `input`. On success appends
// the push to `out` and returns true; irregularities that leave the data
// usable are warnings in `diags`. On failure returns false, appends nothing,
// and `diags` holds at least one located error. Never throws.
bool parse_pnrgov_xml(std::string_view input, const ParseOptions& options,
                      std::vector<PnrPush>* out, Diagnostics* diags);

}  // namespace vigil
