#include "screening/json.h"

#include <cmath>

namespace vigil {

double reported_score(double value) { return std::round(value * 1000.0) / 1000.0; }

nlohmann::json explanation_to_json(const std::vector<Evidence>& explanation) {
  nlohmann::json ex = nlohmann::json::array();
  for (const auto& e : explanation)
    ex.push_back({{"factor", e.factor}, {"detail", e.detail}, {"effect", reported_score(e.effect)}});
  return ex;
}

Result<ScreeningQuery> query_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return Status::Error("a traveller must be a JSON object");
  ScreeningQuery q;
  std::string error;
  auto text = [&](const char* key, std::string* out) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return;
    if (it->is_string()) *out = it->get<std::string>();
    else if (it->is_number_integer() && std::string(key) == "id") *out = std::to_string(it->get<long long>());
    else if (error.empty()) error = std::string("'") + key + "' must be a string";
  };
  text("id", &q.id);
  text("name", &q.name);
  text("given_names", &q.given_names);
  text("surname", &q.surname);
  text("dob", &q.birth_date);
  text("nationality", &q.nationality);
  text("sex", &q.sex);
  if (auto it = j.find("documents"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return Status::Error("'documents' must be an array");
    for (const auto& d : *it) {
      if (!d.is_object()) return Status::Error("each document must be an object");
      Document doc;
      doc.type = d.value("type", "");
      doc.number = d.value("number", "");
      doc.issuing_state = d.value("country", "");
      q.documents.push_back(std::move(doc));
    }
  }
  if (!error.empty()) return Status::Error(error);
  if (q.name.empty() && q.given_names.empty() && q.surname.empty() && q.documents.empty())
    return Status::Error("a traveller needs 'name', 'given_names'/'surname' or 'documents'");
  if (q.name.size() + q.given_names.size() + q.surname.size() > 1024)
    return Status::Error("name is longer than 1024 bytes");
  if (!q.birth_date.empty()) {
    const auto& d = q.birth_date;
    const bool shape = (d.size() == 4 || (d.size() == 7 && d[4] == '-') ||
                        (d.size() == 10 && d[4] == '-' && d[7] == '-'));
    bool digits = shape;
    for (size_t i = 0; digits && i < d.size(); ++i)
      digits = (i == 4 || i == 7) ? true : (d[i] >= '0' && d[i] <= '9');
    if (!digits) return Status::Error("'dob' must be YYYY-MM-DD, YYYY-MM or YYYY");
  }
  return q;
}

nlohmann::json matches_to_json(const std::string& id, const std::vector<ScreeningMatch>& matches) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& m : matches)
    arr.push_back({{"list", m.list},
                   {"entry", m.reference},
                   {"score", reported_score(m.score)},
                   {"explanation", explanation_to_json(m.explanation)}});
  return {{"id", id}, {"matches", std::move(arr)}};
}

}  // namespace vigil
