// JSON views of the travel model: the output of `vigil parse` and the form
// documented in docs/formats.md. Empty strings and empty lists are left out.
#pragma once

#include <nlohmann/json.hpp>

#include "model/travel.h"

namespace vigil {

nlohmann::json to_json(const Traveller& t);
nlohmann::json to_json(const FlightLeg& leg);
nlohmann::json to_json(const MessageHeader& h);
// {"kind": "paxlst", "header", "legs", "travellers", "parts"}
nlohmann::json to_json(const Manifest& m);
nlohmann::json to_json(const Pnr& p);
// {"kind": "pnrgov", "header", "flight", "pnrs"}
nlohmann::json to_json(const PnrPush& p);

// Serialises to one line; invalid UTF-8 is replaced, never thrown on.
std::string dump_line(const nlohmann::json& j);

}  // namespace vigil
