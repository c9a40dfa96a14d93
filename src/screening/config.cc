#include "screening/config.h"

#include <type_traits>

#include <nlohmann/json.hpp>

#include "base/file.h"

namespace vigil {
namespace {

template <typename F>
void for_each_field(ScreeningConfig& c, F&& f) {
  f("threshold", c.threshold);
  f("top_k", c.top_k);
  f("name_floor", c.name_floor);
  f("dob_exact", c.dob_exact);
  f("dob_swapped", c.dob_swapped);
  f("dob_month", c.dob_month);
  f("dob_year", c.dob_year);
  f("dob_near", c.dob_near);
  f("dob_mismatch", c.dob_mismatch);
  f("nationality_match", c.nationality_match);
  f("nationality_mismatch", c.nationality_mismatch);
  f("sex_mismatch", c.sex_mismatch);
  f("weak_alias", c.weak_alias);
  f("document_exact", c.document_exact);
  f("document_confusable", c.document_confusable);
  f("document_country_mismatch", c.document_country_mismatch);
  f("match_organisations", c.match_organisations);
}

}  // namespace

Result<ScreeningConfig> ScreeningConfig::FromJson(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Status::Error("screening configuration is not a JSON object");
  ScreeningConfig c;
  std::string error;
  size_t known = 0;
  for_each_field(c, [&](const char* key, auto& field) {
    if (!j.contains(key)) return;
    ++known;
    const auto& v = j[key];
    constexpr bool flag = std::is_same_v<std::remove_reference_t<decltype(field)>, bool>;
    if (flag ? !v.is_boolean() : !v.is_number()) {
      if (error.empty()) error = std::string("'") + key + (flag ? "' must be true or false" : "' must be a number");
      return;
    }
    field = v.get<std::remove_reference_t<decltype(field)>>();
  });
  if (!error.empty()) return Status::Error(error);
  if (known != j.size()) {
    for (const auto& item : j.items()) {
      const std::string& key = item.key();  // a plain name: lambdas may capture it
      bool found = false;
      for_each_field(c, [&](const char* k, auto&) { found = found || key == k; });
      if (!found) return Status::Error("unknown screening setting '" + key + "'");
    }
  }
  if (c.threshold < 0 || c.threshold > 1) return Status::Error("'threshold' must be in [0, 1]");
  if (c.top_k < 1) return Status::Error("'top_k' must be at least 1");
  return c;
}

Result<ScreeningConfig> ScreeningConfig::FromFile(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  auto c = FromJson(*text);
  if (!c.ok()) return Status::Error(path + ": " + c.error());
  return c;
}

std::string ScreeningConfig::ToJson() const {
  nlohmann::json j;
  ScreeningConfig copy = *this;
  for_each_field(copy, [&](const char* key, auto& field) { j[key] = field; });
  return j.dump(2);
}

}  // namespace vigil
