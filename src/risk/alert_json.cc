#include "risk/alert_json.h"

namespace vigil {

using nlohmann::json;

nlohmann::json to_json(const AlertReason& r) {
  json explanation = json::parse(r.explanation, nullptr, false);
  json j = {{"kind", r.kind},         {"source", r.source},     {"version", r.version},
            {"severity", r.severity}, {"category", r.category}, {"explanation", explanation}};
  if (r.kind == "watchlist") {
    j["entry"] = r.reference;
    j["score"] = r.score;
  }
  return j;
}

nlohmann::json to_json(const Alert& a) {
  json reasons = json::array();
  for (const auto& r : a.reasons) reasons.push_back(to_json(r));
  json j = {{"id", a.id},
            {"status", a.status},
            {"severity", a.severity},
            {"category", a.category},
            {"flight_id", a.flight_id},
            {"flight", a.flight},
            {"departure_date", a.departure_date},
            {"traveller_kind", to_string(a.traveller_kind)},
            {"traveller_id", a.traveller_id},
            {"traveller_name", a.traveller_name},
            {"created_at", a.created_at},
            {"updated_at", a.updated_at},
            {"reasons", reasons}};
  if (!a.events.empty()) {
    json events = json::array();
    for (const auto& e : a.events)
      events.push_back({{"at", e.at}, {"user", e.user}, {"from", e.from}, {"to", e.to}, {"reason", e.reason}});
    j["events"] = events;
  }
  return j;
}

}  // namespace vigil
