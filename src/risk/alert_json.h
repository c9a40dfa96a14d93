// The JSON form of alerts, shared by the command line and the HTTP API
// (docs/openapi.yaml): {"id", "status", "severity", "category", "flight_id",
// "flight", "departure_date", "traveller_kind", "traveller_id",
// "traveller_name", "created_at", "updated_at", "reasons": [{"kind",
// "source", "version", "severity", "category", "explanation", and for
// watch-list reasons "entry" and "score"}], and "events" when loaded.
#pragma once

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace vigil {

nlohmann::json to_json(const AlertReason& reason);
nlohmann::json to_json(const Alert& alert);

}  // namespace vigil
