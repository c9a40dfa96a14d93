// The data-protection officer's report: accesses by purpose and user,
// refusals, what minimisation deleted on receipt, and what the retention
// rules make due now. One form for `vigil report dpo`, the API and the
// console's printable page.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "store/store.h"

namespace vigil {

// One re-personalisation request as the report and the API show it.
nlohmann::json repersonalisation_json(const Repersonalisation& r);

nlohmann::json dpo_report_json(const DpoFigures& f, const std::string& as_at);
std::string dpo_report_text(const DpoFigures& f, const std::string& as_at);

}  // namespace vigil
