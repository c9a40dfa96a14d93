// The JSON forms of screening: queries in (`vigil screen --input`), matches
// out. Documented in docs/screening.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"
#include "screening/screener.h"

namespace vigil {

// Reads {"id", "name"} or {"id", "given_names", "surname"}, optional "dob",
// "nationality", "sex", "documents": [{"type", "number", "country"}].
// Errors name the offending field.
Result<ScreeningQuery> query_from_json(const nlohmann::json& j);

// {"id", "matches": [{"list", "entry", "score", "explanation": [{"factor",
// "detail", "effect"}]}]}
nlohmann::json matches_to_json(const std::string& id, const std::vector<ScreeningMatch>& matches);

// [{"factor", "detail", "effect"}], effects as reported.
nlohmann::json explanation_to_json(const std::vector<Evidence>& explanation);

// A score or effect as reported: rounded to three decimals.
double reported_score(double value);

}  // namespace vigil
